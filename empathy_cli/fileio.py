"""Writing files without ever losing a user's data.

Every file the tool writes (`export -o`, `batch -o`, `banks init`, the bank cache) goes
through here: the bytes go to a hidden temporary file in the same directory, are flushed to
disk, and only then take the target's name in one atomic rename. An interrupted write (an
exception, Ctrl-C, a killed process, a full disk) leaves the old file exactly as it was.
Without `force`, an existing file is never replaced, not even one that appears while we
write. A symbolic link is written through (the link stays, its target gets the new
content), and a replaced file keeps its permissions.

`tests/test_fileio.py` proves each of these, including a process killed with SIGKILL in the
middle of a write.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import InputError

_TEMP_SUFFIX = ".tmp"


def _refuse_existing(path: Path) -> None:
    raise InputError(f"{path} already exists. Use --force to replace it, or choose another path.")


def _cannot_write(path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    return InputError(f"Cannot write {path}: {reason}. Check the path and its permissions.")


def _create_temp(directory: Path, name: str) -> tuple[int, Path]:
    """Create a new hidden file next to the target. Mode 0o666 goes through the umask, so a
    new file gets the permissions any other new file of the user would get."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        tmp = directory / f".{name}.{secrets.token_hex(4)}{_TEMP_SUFFIX}"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {directory}")


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_writer(path: Path, *, force: bool = True) -> Iterator[IO[bytes]]:
    """Yield a binary file whose content replaces `path` only if the block completes.

    Args:
        path: the file to write. A symbolic link is followed: its target is replaced.
        force: replace an existing file. Without it, an existing file (even one created by
            someone else while the block runs) is left alone and `InputError` is raised.

    Yields:
        A binary file object to write to (a temporary file next to `path`).

    Raises:
        InputError: `path` exists and `force` is false; its directory is missing; it is a
            directory; or it cannot be written (permissions, full disk).
    """
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    if not force and path.exists():
        _refuse_existing(path)
    if path.is_dir():
        raise InputError(f"{path} is a directory. Give a file name.")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"The directory {directory} does not exist. Create it first.")
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)  # a replaced file keeps it
    except OSError:
        mode = None
    try:
        fd, tmp = _create_temp(directory, path.name)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise _cannot_write(path, exc) from None
        if mode is not None:
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode)
        _commit(tmp, path, force=force)
        _fsync_directory(directory)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _commit(tmp: Path, path: Path, *, force: bool) -> None:
    """Give the finished temporary file the target's name, atomically."""
    try:
        if force:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # fails if `path` appeared meanwhile: never clobber
        except FileExistsError:
            _refuse_existing(path)
        except OSError:  # no hard links on this file system
            if path.exists():
                _refuse_existing(path)
            os.replace(tmp, path)
    except InputError:
        raise
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def atomic_write_bytes(path: Path, data: bytes, *, force: bool = True) -> None:
    """Write `data` to `path` atomically (see `atomic_writer`).

    `force` defaults to true here because the cache, which owns its files, is the main
    caller; commands pass the user's `--force`.
    """
    with atomic_writer(path, force=force) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str, *, force: bool = False) -> None:
    """Write UTF-8 `text` to `path` atomically; refuse to replace a file unless `force`."""
    atomic_write_bytes(path, text.encode("utf-8"), force=force)
