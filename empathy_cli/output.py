"""Writing results to stdout and diagnostics to stderr, with a quiet exit on a closed pipe."""

from __future__ import annotations

import sys


class PipeClosed(BaseException):
    """stdout was closed by the reader (`| head`); the CLI exits 141, quietly.

    A BaseException so that nothing between the write and the CLI's entry point (Click's own
    handler turns a broken pipe into exit 1) can swallow it.
    """


class Interrupted(BaseException):
    """Ctrl-C; the CLI exits 130 without a traceback."""


def emit(text: str, *, end: str = "\n") -> None:
    """Write `text` to stdout and flush it now, so a closed pipe is noticed here."""
    try:
        sys.stdout.write(text + end)
        sys.stdout.flush()
    except BrokenPipeError:
        raise PipeClosed() from None


def warn(message: str) -> None:
    """One warning line on stderr."""
    try:
        sys.stderr.write(f"Warning: {message}\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def note(message: str) -> None:
    """One informational line on stderr (never on stdout, which may be piped)."""
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
