"""The restricted regular-expression subset allowed in banks (`pattern`, `unless_pattern`).

Bank patterns run on every message, so one careless pattern must not make the tool hang.
Python's `re` backtracks; the shapes that make it blow up are nested quantifiers, repeated
alternations and groups that can match nothing, backreferences and lookaround. We parse the
pattern with the standard library's own parser and refuse those shapes, so what remains runs
in time proportional to the text (for a bounded number of unbounded repeats).
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+: the parser lives in re._parser
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

from re import _constants as sre_constants  # type: ignore[attr-defined]

MAX_PATTERN_LENGTH = 1000
MAX_UNBOUNDED = 4
MAX_REPEAT = 50
MAX_GROUP_REPEAT = 5  # a group holding repeats may itself repeat at most this often

_SINGLE_CHAR_OPS = {
    sre_constants.LITERAL,
    sre_constants.NOT_LITERAL,
    sre_constants.IN,
    sre_constants.ANY,
    sre_constants.CATEGORY,
}
_REPEAT_OPS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEAT_OPS.add(_POSSESSIVE)
_MAXREPEAT = sre_constants.MAXREPEAT


class UnsafePattern(ValueError):
    """The pattern is outside the allowed subset; the message says why."""


def check_pattern(pattern: str) -> None:
    """Raise `UnsafePattern` unless `pattern` compiles and stays in the linear subset."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
        re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise UnsafePattern(f"invalid regular expression: {exc}") from None
    unbounded = _walk(list(parsed), inside_repeat=False)
    if unbounded > MAX_UNBOUNDED:
        raise UnsafePattern(
            f"more than {MAX_UNBOUNDED} unbounded repeats (*, +, {{n,}}); bound them, e.g. {{0,20}}"
        )


def _walk(items: list[tuple[Any, Any]], *, inside_repeat: bool) -> int:
    """Check a parsed sequence; return how many unbounded repeats it holds."""
    unbounded = 0
    for op, av in items:
        if op == sre_constants.GROUPREF or op == sre_constants.GROUPREF_EXISTS:
            raise UnsafePattern("backreferences are not allowed")
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            raise UnsafePattern("lookahead and lookbehind are not allowed")
        if op in _REPEAT_OPS:
            _low, high, body = av
            body_items = list(body)
            is_single = len(body_items) == 1 and body_items[0][0] in _SINGLE_CHAR_OPS
            if high == _MAXREPEAT:
                unbounded += 1
            elif high > MAX_REPEAT:
                raise UnsafePattern(f"a repeat bound above {MAX_REPEAT}")
            inner = _walk(body_items, inside_repeat=inside_repeat or high > 1)
            if high > 1 and not is_single:
                if high == _MAXREPEAT and _has_repeat(body_items):
                    raise UnsafePattern("nested quantifiers such as (a+)+ are not allowed")
                if high == _MAXREPEAT:
                    raise UnsafePattern(
                        "an unbounded repeat of a group is not allowed; bound it, e.g. {0,3}"
                    )
                if _min_width(body) == 0:
                    raise UnsafePattern("a repeated group that can match nothing")
                if _has_repeat(body_items):
                    if inside_repeat or high > MAX_GROUP_REPEAT:
                        raise UnsafePattern(
                            "nested quantifiers such as (a+)+ are not allowed; "
                            f"a group with repeats may repeat at most {MAX_GROUP_REPEAT} times"
                        )
                    inner *= high
            unbounded += inner
        elif op == sre_constants.SUBPATTERN:
            unbounded += _walk(list(av[-1]), inside_repeat=inside_repeat)
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                unbounded += _walk(list(branch), inside_repeat=inside_repeat)
        elif op == getattr(sre_constants, "ATOMIC_GROUP", object()):
            unbounded += _walk(list(av), inside_repeat=inside_repeat)
    return unbounded


def _has_repeat(items: list[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op in _REPEAT_OPS:
            if av[1] > 1:
                return True
            if _has_repeat(list(av[2])):
                return True
        elif op == sre_constants.SUBPATTERN:
            if _has_repeat(list(av[-1])):
                return True
        elif op == sre_constants.BRANCH and any(_has_repeat(list(b)) for b in av[1]):
            return True
    return False


def _min_width(body: Any) -> int:
    return int(body.getwidth()[0])
