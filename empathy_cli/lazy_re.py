"""Module-level regular expressions, compiled on first use and, when the bank cache has
them, rebuilt from their compiled programs instead of being parsed and compiled again.

Compiling the analysis's and the paraphraser's expressions took about 5 ms of every start
of `empathy`, a tenth of what a cached `suggest` costs beyond Python and Typer. A
`LazyPattern` is declared like `re.compile(...)` and used like the compiled pattern (the
usual methods are forwarded); the bank cache stores the programs of every declared pattern
and hands them back through `preload` when it is read, so a start compiles nothing. A
program is used only for the same pattern text and flags, and the cache only for the same
interpreter (its key says so); anything refused is compiled the usual way.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

# (pattern, flags) -> the arguments of `_sre.compile`, from the bank cache
_PROGRAMS: dict[tuple[str, int], tuple[Any, ...]] = {}
_DECLARED: list[LazyPattern] = []


class LazyPattern:
    """A compiled regular expression built on first use (see the module's docstring)."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = int(flags)
        self._compiled: re.Pattern[str] | None = None
        _DECLARED.append(self)

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (built once)."""
        compiled = self._compiled
        if compiled is None:
            program = _PROGRAMS.get((self.pattern, self.flags))
            if program is not None:
                compiled = from_program(*program)
            else:
                compiled = re.compile(self.pattern, self.flags)
            self._compiled = compiled
        return compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


def lazy(pattern: str, flags: int | re.RegexFlag = 0) -> LazyPattern:
    """Declare a module-level pattern: `_WORD_RE = lazy(r"\\w+", re.IGNORECASE)`."""
    return LazyPattern(pattern, int(flags))


def program(pattern: re.Pattern[str]) -> tuple[Any, ...] | None:
    """What `_sre.compile` needs to rebuild `pattern` without parsing it again (None when
    this interpreter's internals are not the ones expected)."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        code = [int(op) for op in _compiler._code(parsed, pattern.flags)]
        flags = int(pattern.flags | parsed.state.flags)
        groups = parsed.state.groups
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * groups
        for name, number in groupindex.items():
            indexgroup[number] = name
    except Exception:  # another interpreter's internals: store the pattern text only
        return None
    if flags != pattern.flags or groups - 1 != pattern.groups:
        return None
    return (pattern.pattern, flags, code, groups - 1, groupindex, tuple(indexgroup))


def from_program(
    pattern: str,
    flags: int,
    code: list[int],
    groups: int,
    groupindex: dict[str, int],
    indexgroup: tuple[str | None, ...],
) -> re.Pattern[str]:
    """Rebuild a compiled pattern from its program, or compile it if that is refused."""
    try:
        built: re.Pattern[str] = sys.modules["_sre"].compile(
            pattern, flags, code, groups, groupindex, indexgroup
        )
        return built
    except Exception:
        return re.compile(pattern, flags)


def declared_programs() -> dict[tuple[str, int], tuple[Any, ...]]:
    """The programs of every pattern declared so far, keyed by (pattern, flags)."""
    out: dict[tuple[str, int], tuple[Any, ...]] = {}
    for lazy_pattern in _DECLARED:
        key = (lazy_pattern.pattern, lazy_pattern.flags)
        if key not in out:
            found = program(lazy_pattern.compiled())
            if found is not None:
                out[key] = found
    return out


def preload(programs: dict[tuple[str, int], tuple[Any, ...]]) -> None:
    """Use these programs for the patterns not compiled yet (from the bank cache)."""
    _PROGRAMS.update(programs)
