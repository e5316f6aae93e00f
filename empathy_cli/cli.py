"""The `empathy` command: the Typer app, its global options and command registration.

No logic lives here: each command is in `empathy_cli.commands`, and `main()` turns errors
into one line on stderr and a documented exit code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import BankError, EmpathyError, ExitCode
from .helpformat import Context, use_narrow_help
from .output import Interrupted, PipeClosed

if TYPE_CHECKING:
    from typer import _click as click

# Click re-wraps epilog paragraphs; a paragraph that starts with \b keeps its lines.
EPILOG = """\
\b
Environment:
  EMPATHY_CONFIG_DIR  config.toml and your own banks
  EMPATHY_CACHE_DIR   the parsed-bank cache
  EMPATHY_BANKS       more bank paths, listed like PATH
  EMPATHY_AGENT       your name, for sign-offs
  EMPATHY_COMPANY     your company's name
  EMPATHY_LANG        en or fr, when a text says neither
  NO_COLOR            no colours; FORCE_COLOR: colours

\b
Exit codes:
  0    ok
  1    `check` found problems at or above --fail-on
  2    usage, input or bank error
  70   unexpected error (a bug): rerun with --debug and report it
  130  interrupted (Ctrl-C)
  141  output pipe closed (| head)
"""

# Command name -> module of `empathy_cli.commands` that registers it. Only the command being
# run is imported and turned into a Click command (`--help` and completion build them all),
# so `empathy suggest` does not pay for `banks`, `export` and the rest on every start. The
# command modules do not use `from __future__ import annotations`: Typer would evaluate
# every parameter's annotation string at each start (about 2 ms for `suggest`).
COMMANDS = {
    "suggest": "suggest",
    "analyze": "analyze",
    "phrases": "phrases",
    "steps": "steps",
    "check": "check",
    "practice": "practice",
    "batch": "batch",
    "export": "export",
    "banks": "banks",
}


def build_command(name: str) -> click.Command | None:
    """Import the module of command `name` and build its Click command (None if it adds none)."""
    import importlib

    from typer.main import get_group

    module = importlib.import_module(f"empathy_cli.commands.{COMMANDS[name]}")
    holder = typer.Typer(add_completion=False, rich_markup_mode=None)
    module.register(holder)
    if not holder.registered_commands and not holder.registered_groups:
        return None
    command = get_group(holder).commands.get(name)
    if command is not None:
        use_narrow_help(command)
    return command


class _LazyCommands(MutableMapping[str, "click.Command"]):
    """The root group's commands: every name is known, each is built on first use."""

    def __init__(self, built: MutableMapping[str, click.Command]) -> None:
        self._built = dict(built)
        self._names = [*COMMANDS, *(n for n in self._built if n not in COMMANDS)]
        self._missing: set[str] = set()

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            if name not in COMMANDS or name in self._missing:
                raise KeyError(name)
            command = build_command(name)
            if command is None:
                self._missing.add(name)
                raise KeyError(name)
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._built[name] = command
        if name not in self._names:
            self._names.append(name)

    def __delitem__(self, name: str) -> None:
        self._built.pop(name, None)
        self._names.remove(name)

    def __iter__(self) -> Iterator[str]:
        return iter([n for n in self._names if n not in self._missing])

    def __len__(self) -> int:
        return len(self._names) - len(self._missing)

    def __contains__(self, name: object) -> bool:
        return name in self._built or (name in COMMANDS and name not in self._missing)


class LazyGroup(TyperGroup):
    """The `empathy` group, with commands built only when they are looked up."""

    context_class = Context

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in self.commands if self.commands.get(name) is not None]


app = typer.Typer(
    name="empathy",
    cls=LazyGroup,
    help=(
        "A reply coach for customer-support agents: reads a customer's message and drafts an "
        "empathic reply in five steps (listen, validate, perspective, compassion, "
        "collaborate), in English and French."
    ),
    epilog=EPILOG,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"empathy-cli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks for unexpected errors.")
    ] = False,
) -> None:
    _state["debug"] = debug


def _on_sigint(_signum: int, _frame: Any) -> None:
    raise Interrupted()


def _print_error(message: str) -> None:
    try:
        sys.stderr.write(f"Error: {message}\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `empathy` console script."""
    signal.signal(signal.SIGINT, _on_sigint)
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    code = 0
    try:
        app(args=argv, prog_name="empathy", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code == 1 and _stdout_pipe_closed():
            code = ExitCode.BROKEN_PIPE
    except BankError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        _print_error(str(exc))
        code = ExitCode.USAGE
    except EmpathyError as exc:
        _print_error(str(exc))
        code = exc.exit_code
    except (Interrupted, KeyboardInterrupt):
        with contextlib.suppress(BrokenPipeError, ValueError):
            sys.stderr.write("\nInterrupted.\n")
        code = ExitCode.INTERRUPTED
    except PipeClosed:
        code = ExitCode.BROKEN_PIPE
    except Exception as exc:  # a bug: say so in one line unless --debug
        if debug:
            raise
        _print_error(
            f"unexpected {type(exc).__name__}: {exc}. "
            "This is a bug; rerun with --debug and report it."
        )
        code = 70
    if code == ExitCode.BROKEN_PIPE:
        _silence_stdout()
    return int(code)


def _stdout_pipe_closed() -> bool:
    """Whether Click met a closed stdout (help or a usage message piped into `head`): it then
    wraps sys.stdout in its PacifyFlushWrapper and exits 1, where ours is 141."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _silence_stdout() -> None:
    # Python flushes stdout at exit; after a closed pipe that would print an error.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """`python -m empathy_cli` and the console script (in-process callers use `main`).

    Start-up allocates many objects at once (modules, the cached banks), so the cyclic
    garbage collector is paused until the banks are loaded (see `options.load`); and at the
    end the process exits without tearing every object down one by one, which takes longer
    than a cached run itself: the streams are flushed and `atexit` handlers run first.
    """
    from .options import pause_gc

    pause_gc()
    code = main()
    _exit(code)


def _exit(code: int) -> None:
    import atexit
    import threading

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    if threading.active_count() > 1:  # let other threads finish, as a normal exit does
        sys.exit(code)
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None:  # not CPython: exit the usual way
        sys.exit(code)
    run_exitfuncs()
    os._exit(code)
