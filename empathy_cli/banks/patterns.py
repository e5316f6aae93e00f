"""The restricted regular-expression subset allowed in banks (`pattern`, `unless_pattern`).

Bank patterns run on every message with `re.finditer`, so one careless pattern must not make
the tool hang on a long message. Python's `re` backtracks. We parse each pattern with the
standard library's own parser and refuse the shapes that make a backtracking search take more
than linear time on a long input:

1. Backreferences; lookahead and lookbehind around more than one character.
2. An unbounded repeat of a group (`(ab)+`), nested quantifiers (`(a+)+`), a repeated group
   that can match nothing, a repeat bound above `MAX_REPEAT`, more than `MAX_UNBOUNDED`
   unbounded repeats.
3. An unbounded repeat that can start again at every character of a run it matches. The
   search tries each start position in turn; if `\\s*` can begin at each of 100 000 newlines
   and run to the end of them each time, that is 5 billion steps. So every unbounded repeat
   of a character class `X` must be *guarded*: looking back from it through the pattern
   (over at most `MAX_GUARD_DISTANCE` characters of pieces that can match characters of
   `X`), there must be a piece that cannot match any character of `X` (a letter before
   `\\s*`, `[.!?]` before `[^\\S\\n]*`), the start of the text, or `\\b` before a repeat of
   word characters. Then a run of `X` is entered only near its start.
4. Two repeats in a row that can share characters (`\\s*[,:;]?\\s*`, `\\s{0,50}\\s{0,50}`):
   each way of splitting a run between them is tried, which multiplies the work. Write
   `\\s*(?:[,:;]\\s*)?` instead, or make the first one possessive (`\\s*+`). Single optional
   characters (` ?[£$]? ?`) only double the ways, so up to `MAX_OPTIONAL_RUN` may share.
5. A group repeated more than `MAX_GROUP_REPEAT` times in a row (counting enclosing
   repeats) unless it is rigid: nothing optional or alternative inside, so it can take a
   text in one way only. `(?:\\w\\w?){0,50}` and `(?:a|aa){0,50}` are exponential.

Character classes are compared on a sample of characters: ASCII, Latin-1, common Unicode
punctuation and spaces, and every character the pattern names (with its case variants and
neighbours), under the flags the patterns run with (`re.IGNORECASE`).

A pattern that passes runs in time proportional to the length of the text times a constant
that depends only on the pattern; `tests/test_patterns.py` times none of this, but
`bench/adversarial.py` shows it on megabyte inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

MAX_PATTERN_LENGTH = 1000
MAX_UNBOUNDED = 4
MAX_REPEAT = 50
MAX_GROUP_REPEAT = 5  # a group holding repeats may itself repeat at most this often
MAX_GUARD_DISTANCE = 100  # characters between an unbounded repeat and its guard
MAX_OPTIONAL_RUN = 8  # optional characters in a row that may share characters

FLAGS = re.IGNORECASE  # the flags `matching.Matcher` compiles bank patterns with

_C = sre_constants
_SINGLE_CHAR_OPS = {_C.LITERAL, _C.NOT_LITERAL, _C.IN, _C.ANY, _C.CATEGORY}
_REPEAT_OPS = {_C.MAX_REPEAT, _C.MIN_REPEAT}
_POSSESSIVE = getattr(_C, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEAT_OPS.add(_POSSESSIVE)
_ATOMIC = getattr(_C, "ATOMIC_GROUP", None)
_MAXREPEAT = _C.MAXREPEAT
_CATEGORY_SOURCE = {
    _C.CATEGORY_DIGIT: r"\d",
    _C.CATEGORY_NOT_DIGIT: r"\D",
    _C.CATEGORY_SPACE: r"\s",
    _C.CATEGORY_NOT_SPACE: r"\S",
    _C.CATEGORY_WORD: r"\w",
    _C.CATEGORY_NOT_WORD: r"\W",
}
_BASE_SAMPLE = "".join(
    chr(code)
    for code in (
        *range(0x00, 0x250),
        *range(0x2000, 0x2070),
        *(0x0300, 0x0301, 0x0660, 0x2122, 0x212A, 0x2190, 0x2600, 0x2764, 0x3000, 0x3001),
        *(0x4E00, 0xFEFF, 0xFF01, 0xFF10, 0xFF21, 0x1F600, 0x1F621, 0x1F44D, 0x10FFFF),
    )
)

Item = tuple[Any, Any]
_GUARD, _PASS, _FAIL = "guard", "pass", "fail"


class UnsafePattern(ValueError):
    """The pattern is outside the allowed subset; the message says why and what to write."""


def check_pattern(pattern: str) -> None:
    """Raise `UnsafePattern` unless `pattern` compiles and stays in the linear subset.

    Args:
        pattern: a bank `pattern` or `unless_pattern`.

    Raises:
        UnsafePattern: with a message naming the offending piece and what to write instead.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    try:
        parsed = sre_parse.parse(pattern, FLAGS)
        re.compile(pattern, FLAGS)
    except re.error as exc:
        raise UnsafePattern(f"invalid regular expression: {exc}") from None
    except (RecursionError, OverflowError):
        raise UnsafePattern("pattern nested too deeply") from None
    items = list(parsed)
    unbounded = _walk(items, inside_repeat=False)
    if unbounded > MAX_UNBOUNDED:
        raise UnsafePattern(
            f"more than {MAX_UNBOUNDED} unbounded repeats (*, +, {{n,}}); bound them, e.g. {{0,20}}"
        )
    flags = int(parsed.state.flags) | FLAGS
    _Runs(pattern, items, flags).check(items, _Root())


# --- 1 and 2: forbidden constructs and nesting --------------------------------------------


def _walk(items: list[Item], *, inside_repeat: bool, reps: int = 1) -> int:
    """Check a parsed sequence; return how many unbounded repeats it holds.

    `reps` is how many times the enclosing group repeats can run this sequence in a row.
    """
    unbounded = 0
    for op, av in items:
        if op == _C.GROUPREF or op == _C.GROUPREF_EXISTS:
            raise UnsafePattern("backreferences are not allowed")
        if op in (_C.ASSERT, _C.ASSERT_NOT):
            body_items = list(av[1])
            if len(body_items) == 1 and body_items[0][0] in _SINGLE_CHAR_OPS:
                continue  # one character ahead or behind (`(?!['’])`): a constant-time check
            raise UnsafePattern(
                "lookahead and lookbehind are allowed only around one character, e.g. (?!['’])"
            )
        if op in _REPEAT_OPS:
            _low, high, body = av
            body_items = list(body)
            is_single = len(body_items) == 1 and body_items[0][0] in _SINGLE_CHAR_OPS
            if high == _MAXREPEAT:
                unbounded += 1
            elif high > MAX_REPEAT:
                raise UnsafePattern(f"a repeat bound above {MAX_REPEAT}")
            runs = reps * (high if high != _MAXREPEAT else 1)
            if high > 1 and not is_single and runs > MAX_GROUP_REPEAT and not _rigid(body_items):
                # `(?:\w\w?){0,50}` or `(?:a|aa){0,50}`: each iteration can take the text in
                # more than one way, and a failing match tries every combination
                raise UnsafePattern(
                    "a group that can match the same text in more than one way (optional or "
                    f"alternative pieces) may repeat at most {MAX_GROUP_REPEAT} times in a row"
                )
            inner = _walk(body_items, inside_repeat=inside_repeat or high > 1, reps=runs)
            if high > 1 and not is_single:
                if high == _MAXREPEAT and _has_repeat(body_items):
                    raise UnsafePattern("nested quantifiers such as (a+)+ are not allowed")
                if high == _MAXREPEAT:
                    raise UnsafePattern(
                        "an unbounded repeat of a group is not allowed; bound it, e.g. {0,3}"
                    )
                if _min_width(body) == 0:
                    raise UnsafePattern("a repeated group that can match nothing")
                if _has_repeat(body_items) and not _rigid(body_items):
                    if inside_repeat or high > MAX_GROUP_REPEAT:
                        raise UnsafePattern(
                            "nested quantifiers such as (a+)+ are not allowed; "
                            f"a group with repeats may repeat at most {MAX_GROUP_REPEAT} times"
                        )
                    inner *= high
            unbounded += inner
        elif op == _C.SUBPATTERN:
            unbounded += _walk(list(av[-1]), inside_repeat=inside_repeat, reps=reps)
        elif op == _C.BRANCH:
            for branch in av[1]:
                unbounded += _walk(list(branch), inside_repeat=inside_repeat, reps=reps)
        elif _ATOMIC is not None and op == _ATOMIC:
            unbounded += _walk(list(av), inside_repeat=inside_repeat, reps=reps)
    return unbounded


def _rigid(items: list[Item]) -> bool:
    """Can this sequence match a given text in one way only, always over the same width?
    (Single characters, fixed counts and groups of them: no alternative, nothing optional.)"""
    for op, av in items:
        if op in _SINGLE_CHAR_OPS or op == _C.AT:
            continue
        if op in _REPEAT_OPS:
            low, high, body = av
            if low != high or not _rigid(list(body)):
                return False
        elif op == _C.SUBPATTERN:
            if not _rigid(list(av[-1])):
                return False
        else:
            return False
    return True


def _has_repeat(items: list[Item]) -> bool:
    for op, av in items:
        if op in _REPEAT_OPS:
            if av[1] > 1:
                return True
            if _has_repeat(list(av[2])):
                return True
        elif op == _C.SUBPATTERN:
            if _has_repeat(list(av[-1])):
                return True
        elif op == _C.BRANCH:
            if any(_has_repeat(list(b)) for b in av[1]):
                return True
        elif _ATOMIC is not None and op == _ATOMIC and _has_repeat(list(av)):
            return True
    return False


def _min_width(body: Any) -> int:
    return int(body.getwidth()[0])


# --- 3 and 4: runs that restart or split --------------------------------------------------


@dataclass(frozen=True)
class _Root:
    """The start of the pattern: an unanchored search may begin anywhere."""


@dataclass(frozen=True)
class _Seq:
    """Inside a sequence: `before` are the pieces to the left, then `outer`."""

    before: Sequence[Item]
    outer: _Context


@dataclass(frozen=True)
class _RepeatStart:
    """At the start of the body of a repeated group: before it comes the previous
    iteration (when `high > 1`), or what precedes the group."""

    body: Sequence[Item]
    high: int
    outer: _Context


_Context = _Root | _Seq | _RepeatStart


class _Runs:
    """Rules 3 and 4, with character classes compared on a sample of characters."""

    def __init__(self, pattern: str, items: list[Item], flags: int) -> None:
        self.flags = flags & (re.IGNORECASE | re.DOTALL | re.MULTILINE | re.ASCII)
        self._pattern = pattern
        self._items = items
        self._sample: str | None = None
        self._sets: dict[str, frozenset[str]] = {}

    @property
    def sample(self) -> str:
        """The characters classes are compared on, built on first use."""
        if self._sample is None:
            extra: set[str] = set()
            for code in {ord(c) for c in self._pattern} | set(_named_points(self._items)):
                for near in (code - 1, code, code + 1):
                    if 0 <= near <= 0x10FFFF and not 0xD800 <= near <= 0xDFFF:
                        ch = chr(near)
                        extra.update(v for v in (ch, ch.lower(), ch.upper()) if len(v) == 1)
            self._sample = _BASE_SAMPLE + "".join(sorted(extra))
        return self._sample

    @property
    def word(self) -> frozenset[str]:
        return self._chars_of(r"\w")

    # character sets -------------------------------------------------------------------

    def _chars_of(self, source: str) -> frozenset[str]:
        found = self._sets.get(source)
        if found is None:
            found = frozenset(re.findall(source, self.sample, self.flags))
            self._sets[source] = found
        return found

    def chars(self, item: Item) -> frozenset[str]:
        return self._chars_of(_source(item))

    # rule 3 -------------------------------------------------------------------------------

    def check(self, items: Sequence[Item], context: _Context) -> None:
        for i, (op, av) in enumerate(items):
            here = _Seq(items[:i], context)
            if op in _REPEAT_OPS:
                _low, high, body = av
                body_items = list(body)
                if len(body_items) == 1 and body_items[0][0] in _SINGLE_CHAR_OPS:
                    chars = self.chars(body_items[0])
                    self._no_split(items, i, chars)
                    if high == _MAXREPEAT and not self.guarded(here, chars):
                        shown = _show((op, av))
                        raise UnsafePattern(
                            f"{shown} can start again at every character of a long run it "
                            "matches, which is slow on long messages; put right before it "
                            "something it cannot match (a word, \\b, another character class)"
                        )
                else:
                    self.check(body_items, _RepeatStart(body_items, high, here))
            elif op == _C.SUBPATTERN:
                self.check(list(av[-1]), here)
            elif op == _C.BRANCH:
                for branch in av[1]:
                    self.check(list(branch), here)
            elif _ATOMIC is not None and op == _ATOMIC:
                self.check(list(av), here)

    def guarded(self, context: _Context, chars: frozenset[str]) -> bool:
        """Does something before this point stop a run of `chars` being entered anywhere
        but near its start?"""
        distance = 0
        while True:
            if isinstance(context, _Root):
                return False
            if isinstance(context, _Seq):
                verdict, width = self.scan(context.before, chars)
                if verdict != _PASS:
                    return verdict == _GUARD
                distance += width
                context = context.outer
            else:
                if context.high > 1:  # the previous iteration comes first
                    verdict, width = self.scan(context.body, chars)
                    if verdict == _FAIL:
                        return False
                    if verdict == _PASS:
                        distance += width * (context.high - 1)
                context = context.outer
            if distance > MAX_GUARD_DISTANCE:
                return False

    def scan(self, items: Sequence[Item], chars: frozenset[str]) -> tuple[str, int]:
        """Walk `items` right to left: a guard, a failure, or how wide they can be."""
        width = 0
        for item in reversed(items):
            verdict, w = self.scan_item(item, chars)
            if verdict != _PASS:
                return verdict, width
            width += w
        return _PASS, width

    def scan_item(self, item: Item, chars: frozenset[str]) -> tuple[str, int]:
        op, av = item
        if op in _SINGLE_CHAR_OPS:
            return (_GUARD, 0) if self.chars(item).isdisjoint(chars) else (_PASS, 1)
        if op == _C.AT:
            if av == _C.AT_BEGINNING_STRING:
                return _GUARD, 0
            if av == _C.AT_BEGINNING:
                if self.flags & re.MULTILINE and "\n" in chars:
                    return _PASS, 0
                return _GUARD, 0
            if av == _C.AT_BOUNDARY and chars <= self.word:
                return _GUARD, 0
            return _PASS, 0
        if op == _C.SUBPATTERN:
            return self.scan(list(av[-1]), chars)
        if _ATOMIC is not None and op == _ATOMIC:
            return self.scan(list(av), chars)
        if op == _C.BRANCH:
            results = [self.scan(list(b), chars) for b in av[1]]
            if any(v == _FAIL for v, _ in results):
                return _FAIL, 0
            if all(v == _GUARD for v, _ in results):
                return _GUARD, 0
            return _PASS, max(w for v, w in results if v == _PASS)
        if op in _REPEAT_OPS:
            low, high, body = av
            body_items = list(body)
            if high == 0:
                return _PASS, 0
            if len(body_items) == 1 and body_items[0][0] in _SINGLE_CHAR_OPS:
                own = self.chars(body_items[0])
                if op == _POSSESSIVE and high == _MAXREPEAT and chars <= own:
                    # it took every character of `chars` there was: none is left to run on
                    return _GUARD, 0
                if own.isdisjoint(chars):
                    return (_GUARD, 0) if low >= 1 else (_PASS, 0)
                if high == _MAXREPEAT:
                    return _FAIL, 0
                return _PASS, int(high)
            verdict, width = self.scan(body_items, chars)
            if verdict == _FAIL or (high == _MAXREPEAT and verdict == _PASS):
                return _FAIL, 0
            if verdict == _GUARD:
                return (_GUARD, 0) if low >= 1 else (_PASS, 0)
            return _PASS, width * int(high)
        return _FAIL, 0  # anything else: not understood, so not trusted

    # rule 4 -------------------------------------------------------------------------------

    def _no_split(self, items: Sequence[Item], i: int, chars: frozenset[str]) -> None:
        """Refuse a repeat right after another one that can share its characters: `\\s*\\s*`,
        `\\s{0,50}[,;]?\\s{0,50}`, or a long run of optional ones (`\\w?\\w?\\w?...`). Two
        optional characters (` ?[£$]? ?`) only double the ways to match, which is fine."""
        _op, av = items[i]
        if not _variable(av):
            return
        optional = 1
        for prev in reversed(items[:i]):
            p_op, p_av = prev
            if p_op == _C.AT:
                continue
            if p_op not in _REPEAT_OPS:
                return
            body = list(p_av[2])
            if len(body) != 1 or body[0][0] not in _SINGLE_CHAR_OPS:
                return
            if (
                _variable(p_av)
                and p_op != _POSSESSIVE
                and not self.chars(body[0]).isdisjoint(chars)
            ):
                first, second = _show(prev), _show(items[i])
                if _wide(av) or _wide(p_av):
                    raise UnsafePattern(
                        f"{first} and {second} in a row can match the same characters, and "
                        "every way of sharing a long run between them is tried; merge them, "
                        f"or make the first possessive ({first}+)"
                    )
                optional += 1
                if optional > MAX_OPTIONAL_RUN:
                    raise UnsafePattern(
                        f"more than {MAX_OPTIONAL_RUN} optional pieces in a row ({first} ... "
                        f"{second}) can match the same characters, and every combination is "
                        "tried; use one bounded repeat such as {0,8} instead"
                    )
            if p_av[0] >= 1:  # a required piece in between: the two cannot touch
                return


def _variable(av: Any) -> bool:
    """A repeat whose count is not fixed (`?`, `*`, `{0,3}`...)."""
    low, high, _body = av
    return bool(low != high)


def _wide(av: Any) -> bool:
    """A repeat that can take two or more counts beside its smallest (`*`, `{0,2}`)."""
    low, high, _body = av
    return bool(high == _MAXREPEAT or high - low >= 2)


def _named_points(items: Iterable[Item]) -> Iterable[int]:
    """Every code point the parsed pattern names: literals and range ends."""
    for op, av in items:
        if op in (_C.LITERAL, _C.NOT_LITERAL):
            yield int(av)
        elif op == _C.IN:
            for sub_op, sub_av in av:
                if sub_op in (_C.LITERAL, _C.NOT_LITERAL):
                    yield int(sub_av)
                elif sub_op == _C.RANGE:
                    low, high = sub_av
                    yield from (int(low), int(high), (int(low) + int(high)) // 2)
        elif op in _REPEAT_OPS:
            yield from _named_points(av[2])
        elif op == _C.SUBPATTERN:
            yield from _named_points(av[-1])
        elif op == _C.BRANCH:
            for branch in av[1]:
                yield from _named_points(branch)
        elif _ATOMIC is not None and op == _ATOMIC:
            yield from _named_points(av)


def _escape(code: int) -> str:
    return f"\\U{code:08x}"


def _source(item: Item) -> str:
    """A regular expression matching exactly one character, as the parsed `item` does."""
    op, av = item
    if op == _C.LITERAL:
        return _escape(av)
    if op == _C.NOT_LITERAL:
        return f"[^{_escape(av)}]"
    if op == _C.ANY:
        return "."
    if op == _C.CATEGORY:
        return _CATEGORY_SOURCE[av]
    return _class(av, _escape)


def _class(av: Any, char: Callable[[int], str]) -> str:
    """Write a parsed character class `[...]` back out, each character through `char`."""
    parts: list[str] = []
    negate = False
    for sub_op, sub_av in av:
        if sub_op == _C.NEGATE:
            negate = True
        elif sub_op == _C.LITERAL:
            parts.append(char(sub_av))
        elif sub_op == _C.RANGE:
            parts.append(f"{char(sub_av[0])}-{char(sub_av[1])}")
        elif sub_op == _C.CATEGORY:
            parts.append(_CATEGORY_SOURCE[sub_av])
        else:  # pragma: no cover - the parser emits only the kinds above
            raise UnsafePattern("unsupported character class")
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def _show_char(code: int) -> str:
    ch = chr(code)
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r", " ": " "}
    if ch in named:
        return named[ch]
    if ch in "\\^-]":
        return "\\" + ch
    if ch.isprintable():
        return ch
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _show(item: Item) -> str:
    """Render a piece of a parsed pattern back to readable pattern text (for messages)."""
    op, av = item
    if op == _C.LITERAL:
        ch = chr(av)
        return re.escape(ch) if ch not in " \n\t" else _show_char(av)
    if op == _C.NOT_LITERAL:
        return f"[^{_show_char(av)}]"
    if op == _C.ANY:
        return "."
    if op == _C.CATEGORY:
        return _CATEGORY_SOURCE[av]
    if op == _C.IN and len(av) == 1 and av[0][0] == _C.CATEGORY:
        return _CATEGORY_SOURCE[av[0][1]]
    if op == _C.IN:
        return _class(av, _show_char)
    if op in _REPEAT_OPS:
        low, high, body = av
        body_items = list(body)
        inner = (
            _show(body_items[0])
            if len(body_items) == 1 and body_items[0][0] in _SINGLE_CHAR_OPS
            else "(...)"
        )
        if (low, high) == (0, _MAXREPEAT):
            quant = "*"
        elif (low, high) == (1, _MAXREPEAT):
            quant = "+"
        elif (low, high) == (0, 1):
            quant = "?"
        elif high == _MAXREPEAT:
            quant = f"{{{low},}}"
        elif low == high:
            quant = f"{{{low}}}"
        else:
            quant = f"{{{low},{high}}}"
        if op == _C.MIN_REPEAT:
            quant += "?"
        elif op == _POSSESSIVE:
            quant += "+"
        return inner + quant
    return "(...)"
