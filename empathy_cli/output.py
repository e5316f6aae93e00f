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


CHUNK = 8192


def emit(text: str, *, end: str = "\n") -> None:
    """Write `text` to stdout and flush it now, so a closed pipe is noticed here.

    Long text goes out in chunks, each flushed: a single large write that the pipe takes
    only in part can lose the broken-pipe error, and `| head` would then exit 0, not 141.
    """
    data = text + end
    try:
        for start in range(0, len(data), CHUNK):
            sys.stdout.write(data[start : start + CHUNK])
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
