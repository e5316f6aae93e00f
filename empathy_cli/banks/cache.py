"""The parsed-bank cache: one file that a start-up reads instead of parsing every YAML bank.

The cache is trusted only when its key matches exactly: the package version, the
interpreter, the path, size and modification time of every bank file of every layer, and
the size and modification time of the package's own code and word lists (so an upgrade, or
an edit in a development checkout, rebuilds it). Anything else about a cache file (missing,
truncated, corrupt, foreign, written by another version, not owned by this user) makes it
ignored and rebuilt, never an error. Files are written atomically (temporary file + rename),
so two runs writing at once leave one complete file.

Reading is lazy, because unpickling is most of what a cached start costs: the banks' entries
are read at once, but each matching index (`Banks._indexes`) is read on first use, and each
field of an index on its first access, so reading an English message does not unpickle the
French matcher (language detection only needs the French word lists). The CRC-32 of the
data is checked before anything is unpickled.

Layout of a file::

    MAGIC | header length (8 bytes, big-endian) | header | data

`header` is a pickle of `(key, length of data, CRC-32 of data, {section: (offset, length)},
index names)`. Sections are pickles in which the bank entries (named tuples) are pickled as
usual, instances of the index classes (plain classes naming their constructor arguments in
`_fields`) are stored as their class and those values, entries of the banks referenced from
an index are stored as references to them (resolved when the section is read), and the
compiled bank patterns are stored as their compiled programs (rebuilt with `re.compile` if
this interpreter does not take them). The `regex` section holds the programs of the
package's own regular expressions (`empathy_cli.lazy_re`), handed over when the cache is read.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from empathy_cli import __version__, paths

if TYPE_CHECKING:
    from empathy_cli.models import Banks

# 8: named tuples, plain index classes, CueIndex.extra; 9: prefilters; 10: look-aheads for the
# patterns' first characters; 11: prefilters stored as strings (see `Matcher.passing`);
# 12: phrases stored with what ranking them needs (see `composer._phrases_by_step`)
FORMAT = 12
MAGIC = b"empathy-cli banks cache\n"
KEEP = 8  # cache files kept for different sets of layers
BANKS_SECTION = "banks"
# the programs of the package's own regular expressions (`empathy_cli.lazy_re`), so that a
# start compiles none of them
REGEX_SECTION = "regex"
_REGEX_MODULES = (
    "empathy_cli.text",
    "empathy_cli.analysis",
    "empathy_cli.paraphrase",
    "empathy_cli.lint",
)
INDEX_PREFIX = "index:"
MEMO_PREFIX = "memo:"  # `Banks._indexes` entries that are per-process memos, never stored
_SPLIT = "empathy-cli: index stored field by field"
# the package's code and data whose change must invalidate the cache
_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_DIRS = ("", "banks", "lexicon")


# --- key and file -------------------------------------------------------------------------


def _interpreter() -> str:
    sre = sys.modules.get("_sre")  # imported by `re`
    return f"{sys.implementation.name} {sys.version} sre {getattr(sre, 'MAGIC', '?')}"


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


def _stat_line(label: str, path: Path | str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{label}\0{path}\0missing"
    return f"{label}\0{path}\0{st.st_size}\0{st.st_mtime_ns}"


def cache_key(sources: Sequence[tuple[str, Path]], *, salt: str = "") -> bytes:
    """The key a cache file must carry to be used for these `(layer, path)` bank files."""
    parts = [f"empathy-cli {__version__} cache {FORMAT}.{salt}", _interpreter()]
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
    for name in banks._fields:
        value = getattr(banks, name)
        if not isinstance(value, tuple):
            continue
        for i, entry in enumerate(value):
            refs[id(entry)] = (name, i)
    return refs


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def field_names(cls: type) -> tuple[str, ...] | None:
    """The attributes that `cls(*values)` takes, in order, for the classes the cache stores
    field by field: plain classes that list them in `_fields` (named tuples excepted: they
    pickle well as they are) and dataclasses; None for any other class."""
    if cls in _FIELD_NAMES:
        return _FIELD_NAMES[cls]
    names: tuple[str, ...] | None = None
    declared = getattr(cls, "_fields", None)
    if (
        not issubclass(cls, (tuple, type))
        and isinstance(declared, tuple)
        and all(isinstance(n, str) for n in declared)
    ):
        names = declared
    elif hasattr(cls, "__dataclass_fields__") and not issubclass(cls, type):
        import dataclasses

        if dataclasses.is_dataclass(cls):
            fields = dataclasses.fields(cls)
            if all(f.init for f in fields):
                names = tuple(f.name for f in fields)
    _FIELD_NAMES[cls] = names
    return names


def _plain_fields(obj: object) -> tuple[str, ...] | None:
    """The field names of an instance that `type(obj)(*values)` rebuilds exactly."""
    names = field_names(type(obj))
    if names is None:
        return None
    extra = getattr(obj, "__dict__", None)
    if extra and not extra.keys() <= set(names):
        return None  # attributes set after construction: pickled the usual way
    return names


def bank_entry(field: str, position: int) -> Any:
    """Stands in a cache file for an entry of the banks (resolved by the cache's reader)."""
    raise RuntimeError("bank_entry is resolved only when the bank cache is read")


def _dump(value: object, refs: dict[int, tuple[str, int]] | None) -> bytes:
    import pickle

    from empathy_cli import lazy_re

    class Pickler(pickle.Pickler):
        # reducer_override, unlike persistent_id, is not called for strings, numbers and
        # plain containers: the banks' references cost nothing on the rest of the data
        def reducer_override(self, obj: Any) -> Any:
            if refs:
                ref = refs.get(id(obj))
                if ref is not None:
                    return bank_entry, ref
            if isinstance(obj, re.Pattern):
                program = lazy_re.program(obj)
                return NotImplemented if program is None else (lazy_re.from_program, program)
            names = _plain_fields(obj)
            if names is None:
                return NotImplemented
            return type(obj), tuple(getattr(obj, n) for n in names)

    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def encode(key: bytes, banks: Banks) -> bytes:
    """The bytes of a cache file for `banks`."""
    import pickle

    sections: dict[str, bytes] = {}
    own = {name: getattr(banks, name) for name in banks._fields}
    sections[BANKS_SECTION] = _dump(own, None)
    sections[REGEX_SECTION] = pickle.dumps(_regex_programs(), protocol=pickle.HIGHEST_PROTOCOL)
    refs = _entry_refs(banks)
    indexes = {k: v for k, v in dict(banks._indexes).items() if not k.startswith(MEMO_PREFIX)}
    index_names = list(indexes)
    for name, index in indexes.items():
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
        (key, len(data), zlib.crc32(data), table, index_names), protocol=pickle.HIGHEST_PROTOCOL
    )
    return MAGIC + len(header).to_bytes(8, "big") + header + bytes(data)


def _regex_programs() -> dict[tuple[str, int], tuple[Any, ...]]:
    import importlib

    from empathy_cli import lazy_re

    for name in _REGEX_MODULES:  # each declares its patterns when imported
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    return lazy_re.declared_programs()


def write(path: Path, key: bytes, banks: Banks) -> None:
    """Write the cache atomically; a cache that cannot be written is silently skipped."""
    from empathy_cli.errors import EmpathyError
    from empathy_cli.fileio import atomic_write_bytes

    try:
        blob = encode(key, banks)
    except Exception:  # banks that cannot be stored are used without a cache
        return
    try:
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


def check(path: Path, key: bytes) -> bool:
    """Whether `path` is a whole, undamaged cache file for `key`."""
    try:
        return _open(path.read_bytes(), key) is not None
    except Exception:
        return False


def _open(
    blob: bytes, key: bytes
) -> tuple[memoryview, dict[str, tuple[int, int]], list[str]] | None:
    """The data, section table and index names of a cache file, if it is whole and for `key`."""
    if not blob.startswith(MAGIC):
        return None
    start = len(MAGIC)
    size = int.from_bytes(blob[start : start + 8], "big")
    header_end = start + 8 + size
    stored_key, length, crc, table, index_names = _pickle_module().loads(
        memoryview(blob)[start + 8 : header_end]
    )
    data = memoryview(blob)[header_end:]
    if stored_key != key or len(data) != length or zlib.crc32(data) != crc:
        return None
    return data, table, index_names


def decode(blob: bytes, key: bytes) -> Banks | None:
    """Rebuild the banks from the bytes of a cache file; None unless key and data check out."""
    from empathy_cli.models import Banks

    opened = _open(blob, key)
    if opened is None:
        return None
    data, table, index_names = opened
    reader = _Sections(data, table, _pickle_module())
    if REGEX_SECTION in table:
        from empathy_cli import lazy_re

        lazy_re.preload(reader.load(REGEX_SECTION))
    own = reader.load(BANKS_SECTION)
    banks = Banks(**own, _indexes=_LazyIndexes(reader, index_names))
    reader.banks = banks
    return banks


class _Sections:
    """Checks and unpickles sections of the data on demand."""

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
        gc.disable()  # unpickling makes many containers, and no cycles among them
        try:
            if self.banks is None:
                return self.module.loads(chunk)
            return _unpickler_class(self.module)(io.BytesIO(chunk), self.banks).load()
        finally:
            if enabled:
                gc.enable()

    def index(self, name: str) -> Any:
        """The index `name`, with its fields read on first access."""
        section = f"{INDEX_PREFIX}{name}"
        head = self.load(section)
        if not (isinstance(head, tuple) and len(head) == 3 and head[0] == _SPLIT):
            return head
        _marker, cls, names = head
        proxy: Any = object.__new__(_proxy_class(cls))
        pending = {n: (self, f"{section}:{n}") for n in names}
        object.__setattr__(proxy, "_cache_pending", pending)
        return proxy


_UNPICKLERS: dict[Any, type] = {}


def _unpickler_class(module: Any) -> type:
    """An unpickler that resolves `bank_entry` references to the entries of its banks."""
    cls = _UNPICKLERS.get(module)
    if cls is None:

        class EntryUnpickler(module.Unpickler):  # type: ignore[misc]
            def __init__(self, file: Any, banks: Banks | None) -> None:
                super().__init__(file)
                self.banks = banks

            def find_class(self, module_name: str, name: str) -> Any:
                if module_name == __name__ and name == "bank_entry":
                    banks = self.banks
                    return lambda field, position: getattr(banks, field)[position]
                return super().find_class(module_name, name)

        cls = _UNPICKLERS[module] = EntryUnpickler
    return cls


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
    names = field_names(base) or ()
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
    """`Banks._indexes` read from a cache: each index is unpickled on first use. One that
    cannot be (it should not happen: the data was checked) is left out, so the code that
    asks for it builds it again."""

    def __init__(self, reader: _Sections, names: list[str]) -> None:
        super().__init__()
        self._reader = reader
        self._pending = set(names)

    def _fetch(self, key: Any) -> None:
        if key in self._pending:
            self._pending.discard(key)
            try:
                value = self._reader.index(key)
            except Exception:
                return
            dict.__setitem__(self, key, value)

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
        self._fetch(key)
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[Any]:
        self._fetch_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fetch_all()
        return dict.__len__(self)

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
