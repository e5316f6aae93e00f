"""Exceptions raised by the core and the exit codes the CLI maps them to.

The core raises `EmpathyError` subclasses and never exits; only the CLI layer turns an error
into one line on stderr and an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """Documented exit codes of the `empathy` command."""

    OK = 0
    FINDINGS = 1  # `check` found problems at or above --fail-on
    USAGE = 2  # usage, input or bank errors (Typer's own usage errors are 2 as well)
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # stdout closed early (`| head`), as after SIGPIPE


class EmpathyError(Exception):
    """Base class of every error the tool reports to the user.

    `str(error)` is a full sentence saying what went wrong and what to do.
    """

    exit_code: ExitCode = ExitCode.USAGE


class InputError(EmpathyError):
    """The message, draft, file or option value cannot be used."""


class Problem(NamedTuple):
    """One located problem in a bank file (sorted by path, line, column, message)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class BankError(EmpathyError):
    """One or more bank files are invalid; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"{count} {noun} in the phrase banks. Fix the lines above, "
            "or check a file with `empathy banks validate PATH`."
        )
