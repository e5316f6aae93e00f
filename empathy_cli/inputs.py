"""Reading the customer's message (or the agent's draft): an argument, `-` or piped stdin,
`--file PATH`, or a paste prompt on a terminal.

Bytes that are not UTF-8 are read as cp1252 with a warning. Messages are cut to their first
100 KB with a warning; drafts over 100 KB are refused.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO

from .errors import InputError
from .output import warn

MAX_BYTES = 100_000


class InputText(NamedTuple):
    text: str
    source: str  # "-" for stdin and arguments, else the file path
    truncated: bool = False


def decode(data: bytes, *, what: str = "input") -> str:
    """Decode UTF-8 (a BOM is dropped); other bytes are read as cp1252, with a warning."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        warn(
            f"the {what} is not UTF-8; read it as Windows-1252 (cp1252). "
            "Check accents in the output."
        )
        return data.decode("cp1252", errors="replace")


def _limit(data: bytes, *, what: str, refuse: bool) -> tuple[bytes, bool]:
    if len(data) <= MAX_BYTES:
        return data, False
    if refuse:
        raise InputError(
            f"The {what} is over 100 KB. Check a shorter text, or split it into parts."
        )
    warn(f"the {what} is over 100 KB; only the first 100 KB were read.")
    cut = data[:MAX_BYTES]
    # do not cut a UTF-8 character in half
    while cut and (cut[-1] & 0xC0) == 0x80:
        cut = cut[:-1]
    if cut and cut[-1] >= 0xC0:
        cut = cut[:-1]
    return cut, True


def read_stream(stream: BinaryIO, *, what: str, refuse: bool) -> tuple[str, bool]:
    """Read at most 100 KB (+1 byte to know there is more) from a binary stream."""
    data = stream.read(MAX_BYTES + 1)
    more = len(data) > MAX_BYTES
    if more:
        # drain the rest so the writer is not killed by SIGPIPE, without keeping it
        while stream.read(1 << 16):
            pass
        data = data + b"\0"  # make sure the limit check sees it as too long
    data, truncated = _limit(data, what=what, refuse=refuse)
    return decode(data, what=what), truncated or more


def read_file(path: Path, *, what: str, refuse: bool) -> tuple[str, bool]:
    """Read a message file with a clear error for every way it can fail."""
    if not path.exists():
        raise InputError(f"No such file: {path}. Check the path.")
    if path.is_dir():
        raise InputError(f"{path} is a directory. Give a file.")
    try:
        with path.open("rb") as fh:
            return read_stream(fh, what=what, refuse=refuse)
    except PermissionError:
        raise InputError(f"Cannot read {path}: permission denied.") from None
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def prompt_paste(
    what: str,
    *,
    read_line: Callable[[], str] | None = None,
    out: TextIO | None = None,
) -> str:
    """Ask for a multi-line paste on the terminal, ended by Ctrl-D or two empty lines."""
    out = out or sys.stderr
    out.write(
        f"Paste the {what}, then press Ctrl-D (or Enter on two empty lines). Ctrl-C cancels.\n"
    )
    out.flush()
    reader = read_line or sys.stdin.readline
    lines: list[str] = []
    empty_run = 0
    size = 0
    while True:
        try:
            line = reader()
        except EOFError:
            break
        if line == "":  # EOF (Ctrl-D)
            break
        line = line.rstrip("\n")
        if line.strip() == "":
            empty_run += 1
            if empty_run >= 2 and any(x.strip() for x in lines):
                break
        else:
            empty_run = 0
        lines.append(line)
        size += len(line.encode("utf-8", "surrogatepass")) + 1
        if size > MAX_BYTES:
            warn(f"the {what} is over 100 KB; only the first 100 KB were read.")
            break
    return "\n".join(lines).strip("\n")


def read_input(
    message: str | None,
    file: Path | None,
    *,
    what: str = "message",
    refuse_long: bool = False,
    stdin: TextIO | None = None,
) -> InputText:
    """Resolve the input in DESIGN order: argument, then `-` / piped stdin, then `--file`,
    then a paste prompt on a terminal.

    Raises:
        InputError: both an argument and --file, an unreadable file, an empty message, or
            (with `refuse_long`) more than 100 KB.
    """
    stdin = stdin or sys.stdin
    if message is not None and message != "-" and file is not None:
        raise InputError(f"Give the {what} as an argument or with --file, not both.")
    truncated = False
    source = "-"
    if message is not None and message != "-":
        data = message.encode("utf-8", "surrogateescape")
        data, truncated = _limit(data, what=what, refuse=refuse_long)
        text = data.decode("utf-8", "replace")
    elif file is not None and message is None:
        text, truncated = read_file(file, what=what, refuse=refuse_long)
        source = str(file)
    elif message == "-" or not _isatty(stdin):
        buffer = getattr(stdin, "buffer", None)
        if buffer is not None:
            text, truncated = read_stream(buffer, what=what, refuse=refuse_long)
        else:  # a text stream without bytes (tests)
            raw = stdin.read()
            data, truncated = _limit(
                raw.encode("utf-8", "surrogateescape"), what=what, refuse=refuse_long
            )
            text = data.decode("utf-8", "replace")
    else:
        text = prompt_paste(what)
    if not text.strip():
        raise InputError(
            f"The {what} is empty. Give it as an argument, pipe it in, or use --file PATH."
        )
    return InputText(text, source, truncated)


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
