"""The parsed-bank cache: one file that a start-up reads instead of parsing every YAML bank.

The cache is trusted only when its key matches exactly: the package version, the path,
size and modification time of every bank file of every layer, and the size and
modification time of the package's own code and word lists (so an upgrade, or an edit in a
development checkout, rebuilds it). Anything else about a cache file (missing, truncated,
corrupt, foreign, written by another version, not owned by this user) makes it ignored and
rebuilt, never an error. Files are written atomically (temporary file + rename), so two runs
writing at once leave one complete file.

Reading is lazy, because unpickling is what a cached start costs: the banks' entries are
read at once, but each matching index (`Banks._indexes`) is a section read on first use,
and each field of an index on its first access, so reading an English message does not
unpickle the French matcher (language detection only needs the French word lists). The
layout of a file:

    MAGIC | header length (8 bytes) | header | data

`header` is a pickle of `(key, crc32 of data, length of data, {section: (offset, length)},
index names)`.
Sections are pickles in which dataclass instances are stored as their class and field values
(cheaper to load than pickle's default for frozen, slotted dataclasses), and entries of the
banks referenced from an index are stored as references to them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from empathy_cli import __version__, paths

if TYPE_CHECKING:
    from empathy_cli.models import Banks

FORMAT = 5
MAGIC = b"empathy-cli banks cache\n"
KEEP = 8  # cache files kept for different sets of layers
BANKS_SECTION = "banks"
INDEX_PREFIX = "index:"
_SPLIT = "empathy-cli: index stored field by field"
# the package's code and data whose change must invalidate the cache
_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_DIRS = ("", "banks", "lexicon")


# --- key and file -------------------------------------------------------------------------


def _stat_line(label: str, path: Path | str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{label}\0{path}\0missing"
    return f"{label}\0{path}\0{st.st_size}\0{st.st_mtime_ns}"


def _package_lines() -> list[str]:
    lines = []
    for sub in _CODE_DIRS:
        directory = _PACKAGE / sub if sub else _PACKAGE
        try:
            with os.scandir(directory) as it:
                entries = sorted(
                    (e for e in it if e.name.endswith((".py", ".txt")) and e.is_file()),
                    key=lambda e: e.name,
                )
        except OSError:
            lines.append(f"code\0{directory}\0missing")
            continue
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            lines.append(f"code\0{entry.path}\0{st.st_size}\0{st.st_mtime_ns}")
    return lines


def cache_key(sources: Sequence[tuple[str, Path]], *, salt: str = "") -> bytes:
    """The key a cache file must carry to be used for these `(layer, path)` bank files."""
    parts = [f"empathy-cli {__version__} cache {FORMAT}.{salt} python {sys.version_info[:2]}"]
    parts += _package_lines()
    parts += [_stat_line(layer, path) for layer, path in sources]
    return "\n".join(parts).encode("utf-8", "surrogateescape")


def cache_file(key: bytes, directory: Path | None = None) -> Path:
    """Where the cache for `key` lives (one file per set of bank layers)."""
    digest = f"{zlib.crc32(key):08x}{len(key) & 0xFFFF:04x}"
    return (directory or paths.cache_dir()) / f"banks-{digest}.cache"


# --- writing ------------------------------------------------------------------------------


def _entry_refs(banks: Banks) -> dict[int, tuple[str, int]]:
    refs: dict[int, tuple[str, int]] = {}
    for f in dataclasses.fields(banks):
        value = getattr(banks, f.name)
        if f.name.startswith("_") or not isinstance(value, tuple):
            continue
        for i, entry in enumerate(value):
            refs[id(entry)] = (f.name, i)
    return refs


def _plain_fields(obj: object) -> tuple[str, ...] | None:
    """The field names of a dataclass instance that `cls(*values)` rebuilds exactly."""
    if isinstance(obj, type) or not dataclasses.is_dataclass(obj):
        return None
    fields = dataclasses.fields(obj)
    if not all(f.init for f in fields):
        return None
    names = tuple(f.name for f in fields)
    extra = getattr(obj, "__dict__", None)
    if extra and not set(extra) <= set(names):
        return None
    return names


def _dump(value: object, refs: dict[int, tuple[str, int]] | None) -> bytes:
    import pickle

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            names = _plain_fields(obj)
            if names is None:
                return NotImplemented
            return type(obj), tuple(getattr(obj, n) for n in names)

        def persistent_id(self, obj: Any) -> Any:
            return refs.get(id(obj)) if refs else None

    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def encode(key: bytes, banks: Banks) -> bytes:
    """The bytes of a cache file for `banks`."""
    import pickle

    sections: dict[str, bytes] = {}
    own = {
        f.name: getattr(banks, f.name) for f in dataclasses.fields(banks) if f.name != "_indexes"
    }
    sections[BANKS_SECTION] = _dump(own, None)
    refs = _entry_refs(banks)
    index_names = list(banks._indexes)
    for name, index in dict(banks._indexes).items():
        names = _plain_fields(index)
        if names is None:
            sections[f"{INDEX_PREFIX}{name}"] = _dump(index, refs)
            continue
        sections[f"{INDEX_PREFIX}{name}"] = _dump((_SPLIT, type(index), names), None)
        for field_name in names:
            sections[f"{INDEX_PREFIX}{name}:{field_name}"] = _dump(getattr(index, field_name), refs)
    table: dict[str, tuple[int, int]] = {}
    data = bytearray()
    for name, blob in sections.items():
        table[name] = (len(data), len(blob))
        data += blob
    header = pickle.dumps(
        (key, zlib.crc32(data), len(data), table, index_names),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    return MAGIC + len(header).to_bytes(8, "big") + header + bytes(data)


def write(path: Path, key: bytes, banks: Banks) -> None:
    """Write the cache atomically; a cache that cannot be written is silently skipped."""
    from empathy_cli.errors import EmpathyError
    from empathy_cli.fileio import atomic_write_bytes

    try:
        blob = encode(key, banks)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, blob)
        prune(path.parent, keep=path)
    except (OSError, EmpathyError):
        pass  # a read-only or full cache directory must not stop the tool


def prune(directory: Path, keep: Path, limit: int = KEEP) -> None:
    """Keep the `limit` most recent cache files (another set of layers has its own)."""
    found = []
    for p in directory.glob("banks-*"):
        if p == keep or not p.name.endswith((".cache", ".pickle")):
            continue
        with contextlib.suppress(OSError):
            found.append((p.stat().st_mtime, p))
    found.sort(reverse=True)
    for _mtime, old in found[limit - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


# --- reading ------------------------------------------------------------------------------


def _pickle_module() -> Any:
    """The C pickle module (cheaper to import than `pickle`), else `pickle`."""
    import importlib

    try:
        return importlib.import_module("_pickle")
    except ImportError:  # pragma: no cover - an interpreter without the C pickle
        return importlib.import_module("pickle")


def read(path: Path, key: bytes) -> Banks | None:
    """The banks stored in `path` if its key is `key` and it is intact, else None."""
    try:
        with open(path, "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None  # never unpickle a file someone else could have written
            blob = fh.read()
        return decode(blob, key)
    except Exception:  # missing, truncated, corrupt or foreign: rebuilt by the caller
        return None


def decode(blob: bytes, key: bytes) -> Banks | None:
    """Rebuild the banks from the bytes of a cache file; None unless key and data check out."""
    from empathy_cli.models import Banks

    if not blob.startswith(MAGIC):
        return None
    start = len(MAGIC)
    size = int.from_bytes(blob[start : start + 8], "big")
    header_end = start + 8 + size
    module = _pickle_module()
    loads = module.loads
    stored_key, crc, length, table, index_names = loads(memoryview(blob)[start + 8 : header_end])
    data = memoryview(blob)[header_end:]
    if stored_key != key or len(data) != length or zlib.crc32(data) != crc:
        return None
    reader = _Sections(data, table, module)
    own = reader.load(BANKS_SECTION)
    indexes = _LazyIndexes(reader, index_names)
    banks = Banks(**own, _indexes=indexes)
    reader.banks = banks
    return banks


class _Sections:
    """Unpickles sections of the data on demand."""

    def __init__(self, data: memoryview, table: dict[str, tuple[int, int]], module: Any) -> None:
        self.data = data
        self.table = table
        self.module = module
        self.banks: Banks | None = None

    def load(self, name: str) -> Any:
        import gc

        offset, length = self.table[name]
        chunk = self.data[offset : offset + length]
        enabled = gc.isenabled()
        gc.disable()  # unpickling makes many containers; no cycles among them to collect
        try:
            if self.banks is None:
                return self.module.loads(chunk)
            unpickler = self.module.Unpickler(io.BytesIO(chunk))
            unpickler.persistent_load = self._entry
            return unpickler.load()
        finally:
            if enabled:
                gc.enable()

    def _entry(self, pid: Any) -> Any:
        field, position = pid
        return getattr(self.banks, field)[position]

    def index(self, name: str) -> Any:
        section = f"{INDEX_PREFIX}{name}"
        head = self.load(section)
        if not (isinstance(head, tuple) and len(head) == 3 and head[0] == _SPLIT):
            return head
        _marker, cls, names = head
        fields_section = f"{section}:"
        proxy: Any = object.__new__(_proxy_class(cls))
        object.__setattr__(
            proxy, "_cache_pending", {n: (self, f"{fields_section}{n}") for n in names}
        )
        return proxy


_PROXIES: dict[type, type] = {}


def _proxy_getattr(self: Any, name: str) -> Any:
    pending = self.__dict__.get("_cache_pending")
    if not pending or name not in pending:
        raise AttributeError(name)
    reader, section = pending[name]
    value = reader.load(section)
    object.__setattr__(self, name, value)
    del pending[name]
    return value


def _proxy_reduce(self: Any) -> Any:
    base = type(self).__mro__[1]
    names = [f.name for f in dataclasses.fields(base)]
    return _rebuild, (base, tuple(getattr(self, n) for n in names))


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    return cls(*values)


def _proxy_class(cls: type) -> type:
    """A subclass of an index class whose fields are read from the cache on first access."""
    proxy: type | None = _PROXIES.get(cls)
    if proxy is None:
        proxy = type(
            cls.__name__,
            (cls,),
            {
                "__getattr__": _proxy_getattr,
                "__reduce__": _proxy_reduce,
                "__module__": cls.__module__,
                "__qualname__": cls.__qualname__,
            },
        )
        _PROXIES[cls] = proxy
    return proxy


class _LazyIndexes(dict):  # type: ignore[type-arg]
    """`Banks._indexes` read from a cache: each index is unpickled on first use."""

    def __init__(self, reader: _Sections, names: list[str]) -> None:
        super().__init__()
        self._reader = reader
        self._pending = set(names)

    def _fetch(self, key: Any) -> None:
        if key in self._pending:
            self._pending.discard(key)
            dict.__setitem__(self, key, self._reader.index(key))

    def _fetch_all(self) -> None:
        for key in list(self._pending):
            self._fetch(key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._fetch(key)
        return dict.get(self, key, default)

    def __getitem__(self, key: Any) -> Any:
        self._fetch(key)
        return dict.__getitem__(self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._pending.discard(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        if key in self._pending:
            self._pending.discard(key)
            return
        dict.__delitem__(self, key)

    def pop(self, key: Any, *default: Any) -> Any:
        self._fetch(key)
        return dict.pop(self, key, *default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._fetch(key)
        return dict.setdefault(self, key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._pending or dict.__contains__(self, key)

    def __iter__(self) -> Iterator[Any]:
        self._fetch_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        return dict.__len__(self) + len(self._pending)

    def keys(self) -> Any:
        self._fetch_all()
        return dict.keys(self)

    def values(self) -> Any:
        self._fetch_all()
        return dict.values(self)

    def items(self) -> Any:
        self._fetch_all()
        return dict.items(self)

    def copy(self) -> dict[Any, Any]:
        self._fetch_all()
        return dict(dict.items(self))

    def __reduce__(self) -> Any:
        return dict, (self.copy(),)
