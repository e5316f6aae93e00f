"""Find, parse, validate, layer and cache the phrase banks.

See `empathy_cli.paths` for the four layers. Parsing uses PyYAML's safe composer
(`CSafeLoader` when LibYAML is present) so every key keeps its line and column; every problem
of every file is collected before failing once with `BankError`.

The merged banks, with their matching indexes, are cached in the cache directory
(`empathy_cli.banks.cache`). The cache is trusted only when the list of files with their
sizes and modification times, and the package version and code, match exactly; a cache that
cannot be read is ignored and rebuilt.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from empathy_cli import paths
from empathy_cli.errors import BankError, InputError, Problem
from empathy_cli.models import LANGUAGES, BankFile, Banks, Entry

from . import cache as _cache

if TYPE_CHECKING:
    from .schema import Parsed

CACHE_FORMAT = 4  # 4: Banks gained `markers`
_SUFFIXES = (".yaml", ".yml")


class BankSource(NamedTuple):
    """One bank file and the layer it belongs to."""

    layer: str
    path: Path


def builtin_dir() -> Path:
    """Return the directory of the banks shipped in the package."""
    # the package's own location: cheaper at start-up than importlib.resources
    from empathy_cli import phrases

    return Path(next(iter(phrases.__path__)))


def _walk(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        found.extend(Path(dirpath) / f for f in filenames if f.endswith(_SUFFIXES))
    yield from sorted(found)


def discover(
    bank_paths: Sequence[str | os.PathLike[str]] = (), *, user: bool = True, env: bool = True
) -> list[BankSource]:
    """List every bank file of every layer, in load order.

    Raises:
        InputError: a path given in `EMPATHY_BANKS` or `--bank` does not exist, or the user
            banks directory exists but cannot be read.
    """
    sources = [BankSource("builtin", p) for p in _walk(builtin_dir())]
    if user:
        user_dir = paths.user_banks_dir()
        if user_dir.exists():
            if not os.access(user_dir, os.R_OK | os.X_OK):
                raise InputError(
                    f"Cannot read the user banks directory {user_dir}. "
                    "Fix its permissions or set EMPATHY_CONFIG_DIR elsewhere."
                )
            sources += [BankSource("user", p) for p in _walk(user_dir)]
    if env:
        for p in paths.env_bank_paths():
            if not p.exists():
                raise InputError(
                    f"EMPATHY_BANKS names {p}, which does not exist. "
                    "Fix the variable or create the path."
                )
            sources += [BankSource("env", q) for q in _walk(p)]
    for raw in bank_paths:
        p = Path(raw).expanduser()
        if not p.exists():
            raise InputError(f"No bank at {p}. Give an existing file or directory to --bank.")
        sources += [BankSource("option", q) for q in _walk(p)]
    return sources


def parse_file(path: Path, layer: str, display: str | None = None) -> Parsed:
    """Parse and validate one bank file; problems are returned, never raised."""
    import yaml

    from .schema import Parsed, validate_document

    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Parsed(
            None, None, [], [], [], [Problem(shown, 1, 1, f"cannot read: {exc.strerror}")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return Parsed(None, None, [], [], [], [Problem(shown, line, col, "not UTF-8 text")])
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader_cls)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        return Parsed(
            None, None, [], [], [], [Problem(shown, line, col, f"YAML syntax error: {what}")]
        )
    except yaml.YAMLError as exc:  # e.g. a second document, or a reader error
        return Parsed(None, None, [], [], [], [Problem(shown, 1, 1, f"YAML error: {exc}")])
    return validate_document(node, shown, layer)


def _display(source: BankSource) -> str:
    if source.layer == "builtin":
        try:
            return str(Path("phrases") / source.path.relative_to(builtin_dir()))
        except ValueError:
            return str(source.path)
    return str(source.path)


def merge(parsed_files: Iterable[tuple[BankSource, Parsed]]) -> Banks:
    """Merge parsed files layer by layer (later layers win by kind, language and id).

    Raises:
        BankError: with every problem of every file, including ids defined twice in the
            same layer.
    """
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str, str, str], tuple[str, int]] = {}
    merged: dict[tuple[str, str, str], Entry] = {}
    files_out: list[BankFile] = []
    for source, parsed in parsed_files:
        problems.extend(parsed.problems)
        if parsed.kind is None or parsed.language is None:
            continue
        shown = _display(source)
        for entry_id, line, col in parsed.ids:
            key = (source.layer, parsed.kind, parsed.language, entry_id)
            if key in first_seen:
                where, first_line = first_seen[key]
                problems.append(
                    Problem(
                        shown,
                        line,
                        col,
                        f"duplicate id '{entry_id}' (already defined at {where}:{first_line})",
                    )
                )
            else:
                first_seen[key] = (shown, line)
        for entry_id, _origin in parsed.disabled:
            merged.pop((parsed.kind, parsed.language, entry_id), None)
        for entry in parsed.entries:
            merged.pop((parsed.kind, parsed.language, entry.id), None)
            merged[(parsed.kind, parsed.language, entry.id)] = entry
        files_out.append(
            BankFile(shown, source.layer, parsed.kind, parsed.language, len(parsed.entries))
        )
    if problems:
        raise BankError(problems)
    by_kind: dict[str, list[Any]] = {
        k: [] for k in ("phrases", "steps", "cues", "rules", "scenarios", "markers")
    }
    for (kind, _lang, _id), entry in merged.items():
        by_kind[kind].append(entry)
    return Banks(
        phrases=tuple(by_kind["phrases"]),
        steps=tuple(by_kind["steps"]),
        cues=tuple(by_kind["cues"]),
        rules=tuple(by_kind["rules"]),
        scenarios=tuple(by_kind["scenarios"]),
        files=tuple(files_out),
        markers=tuple(by_kind["markers"]),
    )


def load_sources(sources: list[BankSource], *, cache: bool = True) -> Banks:
    """Load the given bank files, through the cache when allowed."""
    cache_path = key = None
    if cache:
        key = _cache.cache_key([(s.layer, s.path) for s in sources], salt=str(CACHE_FORMAT))
        cache_path = _cache.cache_file(key)
        cached = _cache.read(cache_path, key)
        if cached is not None:
            return cached
    from empathy_cli.matching import build_indexes

    banks = merge((s, parse_file(s.path, s.layer, _display(s))) for s in sources)
    build_indexes(banks)
    if cache_path is not None and key is not None:
        _build_derived_indexes(banks)
        _cache.write(cache_path, key, banks)
    return banks


# Indexes other code builds from the banks (`suggest`: the phrases by step; `phrases`: the
# search index; `check`: the step markers). On a cache miss they are built with the banks,
# so that the cache keeps them and commands read them instead of building them on every start.
DERIVED_INDEXES: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...] = (
    ("empathy_cli.composer", "_phrases_by_step", (("en", "listen"),)),
    ("empathy_cli.search", "_index", ((),)),
    ("empathy_cli.lint", "_step_index", tuple((lang,) for lang in LANGUAGES)),
)


def _build_derived_indexes(banks: Banks) -> None:
    import importlib

    from empathy_cli.matching import Matcher

    for module_name, function, calls in DERIVED_INDEXES:
        try:
            build = getattr(importlib.import_module(module_name), function)
            for args in calls:
                build(banks, *args)
        except Exception:  # an index that cannot be built here is built where it is used
            continue
    for index in list(banks._indexes.values()):  # compiled patterns are cached too
        for name in _cache.field_names(type(index)) or ():
            value = getattr(index, name, None)
            if isinstance(value, Matcher):
                value.compiled()
                value.prefilters()


def load_banks(
    paths: Sequence[str | os.PathLike[str]] = (),  # shadows the module: the public name
    *,
    user: bool = True,
    env: bool = True,
    cache: bool = True,
) -> Banks:
    """Load the built-in banks and the user's layers, merged.

    Args:
        paths: extra bank files or directories (the `--bank` layer), applied last.
        user: include `<config dir>/banks`.
        env: include the paths in `EMPATHY_BANKS`.
        cache: read and write the parsed-bank cache in the cache directory.

    Returns:
        The merged banks, with matching indexes built.

    Raises:
        BankError: one or more files are invalid; every problem is listed.
        InputError: a bank path does not exist or cannot be read.
    """
    return load_sources(discover(paths, user=user, env=env), cache=cache)


def validate_paths(targets: Sequence[str | os.PathLike[str]]) -> list[BankFile]:
    """Check bank files without using them (`empathy banks validate`).

    Raises:
        BankError: with every problem found.
        InputError: a path does not exist.
    """
    sources: list[BankSource] = []
    for raw in targets:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"No such file or directory: {p}. Give bank files or directories.")
        found = list(_walk(p))
        if p.is_dir() and not found:
            raise InputError(f"No *.yaml or *.yml file in {p}.")
        sources += [BankSource("option", q) for q in found]
    banks = merge((s, parse_file(s.path, s.layer)) for s in sources)
    return list(banks.files)
