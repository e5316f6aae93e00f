"""Writing files without ever losing a user's data.

Every file the tool writes (`export -o`, `batch -o`, `banks init`, the cache) goes through
here: the bytes go to a temporary file in the same directory, are flushed to disk, and only
then take the target's name in one atomic rename. An interrupted write leaves the old file
as it was. Without `force`, an existing file is never replaced.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import InputError


def _refuse_existing(path: Path) -> None:
    raise InputError(f"{path} already exists. Use --force to replace it, or choose another path.")


@contextlib.contextmanager
def atomic_writer(path: Path, *, force: bool = True, mode: int = 0o644) -> Iterator[IO[bytes]]:
    """Yield a binary file whose content replaces `path` only if the block completes.

    Raises:
        InputError: `path` exists and `force` is false, or its directory is missing.
    """
    path = Path(path)
    if not force and path.exists():
        _refuse_existing(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"The directory {directory} does not exist. Create it first.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if `path` appeared meanwhile: never clobber
            except FileExistsError:
                _refuse_existing(path)
            except OSError:
                if path.exists():
                    _refuse_existing(path)
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def atomic_write_bytes(path: Path, data: bytes, *, force: bool = True) -> None:
    """Write `data` to `path` atomically (see `atomic_writer`)."""
    with atomic_writer(path, force=force) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str, *, force: bool = False) -> None:
    """Write UTF-8 `text` to `path` atomically; refuse to replace a file unless `force`."""
    atomic_write_bytes(path, text.encode("utf-8"), force=force)
