"""Match bank expressions (words, stems, multi-word expressions, patterns) against tokens.

Indexes are built once per language when the banks are loaded and cached with them, so a
message is matched with dictionary look-ups, not by trying every expression.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .text import PUNCT, Token, phrase_tokens

if TYPE_CHECKING:
    from .models import Banks

MIN_STEM = 3
LEXICON_FILES = ("stopwords-en.txt", "stopwords-fr.txt", "words-en.txt", "words-fr.txt")


class Match(NamedTuple):
    """One expression found in the text: `entry` indexes the matcher's entries; `first` and
    `last` are token indexes (inclusive); `start`/`end` clean-text offsets."""

    entry: int
    first: int
    last: int
    start: int
    end: int
    typo_of: str | None = None


class Matcher:
    """An index of expressions: `entries[i]` is whatever the caller attached to them."""

    __slots__ = (
        "_by_second",
        "_compiled",
        "_finds",
        "_gate",
        "_prefilters",
        "_stem_heads",
        "_stem_memo",
        "first",
        "patterns",
        "skippable",
        "stems",
        "words",
    )
    # constructor arguments, in order (the bank cache stores an index as these values)
    _fields = ("first", "stems", "patterns", "words", "skippable", "_compiled", "_prefilters")

    def __init__(
        self,
        first: dict[str, list[tuple[tuple[str, ...], bool, int]]] | None = None,
        stems: dict[str, list[int]] | None = None,
        patterns: list[tuple[str, int]] | None = None,
        words: dict[str, list[int]] | None = None,
        skippable: frozenset[str] = frozenset(),
        _compiled: list[re.Pattern[str]] | None = None,
        _prefilters: list[frozenset[str] | None] | None = None,
    ) -> None:
        # first token -> [(tokens, last token is a stem, entry)], longest first
        self.first: dict[str, list[tuple[tuple[str, ...], bool, int]]] = (
            {} if first is None else first
        )
        # one-token stems -> entries
        self.stems: dict[str, list[int]] = {} if stems is None else stems
        self.patterns: list[tuple[str, int]] = [] if patterns is None else patterns
        # single words (not stems) -> entries, for typo look-ups
        self.words: dict[str, list[int]] = {} if words is None else words
        # words that may sit inside an expression without breaking it ("don't *really*
        # understand", "je ne comprends *vraiment* pas"): at most one per match
        self.skippable = skippable
        self._compiled = _compiled
        # for each pattern, strings one of which its every match contains (see
        # `required_words`), or None: a text without any of them cannot match it
        self._prefilters = _prefilters
        # the prefilters arranged for `passing`, derived on first use (see `_Gate`)
        self._gate: _Gate | None = None
        # (longest stem, first MIN_STEM letters of every stem), derived on first use
        self._stem_heads: tuple[int, frozenset[str]] | None = None
        # word -> the entries of the stems it starts with, remembered (bounded) for a batch
        self._stem_memo: dict[str, tuple[int, ...]] = {}
        # `first` split by second token, built on the second `find` (see `_candidates`)
        self._by_second: dict[str, _Candidates] | None = None
        self._finds = 0

    def __repr__(self) -> str:
        return (
            f"Matcher(first={len(self.first)}, stems={len(self.stems)}, "
            f"patterns={len(self.patterns)}, words={len(self.words)})"
        )

    def add_words(self, entry: int, expressions: Sequence[str]) -> None:
        for expression in expressions:
            raw = expression.strip()
            stem = raw.endswith("*")
            tokens = phrase_tokens(raw[:-1] if stem else raw)
            if not tokens:
                continue
            if len(tokens) == 1 and stem:
                self.stems.setdefault(tokens[0], []).append(entry)
                self._stem_heads = None
                self._stem_memo = {}
                continue
            self._by_second = None
            bucket = self.first.setdefault(tokens[0], [])
            item = (tokens, stem, entry)
            if item not in bucket:
                bucket.append(item)
                bucket.sort(key=lambda t: -len(t[0]))
            if len(tokens) == 1:
                self.words.setdefault(tokens[0], []).append(entry)

    def add_pattern(self, entry: int, pattern: str) -> None:
        self.patterns.append((pattern, entry))
        self._compiled = None
        self._prefilters = None
        self._gate = None

    def compiled(self) -> list[re.Pattern[str]]:
        if self._compiled is None:
            self._compiled = [
                re.compile(_with_lookahead(p), re.IGNORECASE) for p, _ in self.patterns
            ]
        return self._compiled

    def prefilters(self) -> list[frozenset[str] | None]:
        """For each pattern, lower-case strings one of which every match of it contains, or
        None (built with the compiled patterns, cached with them)."""
        if self._prefilters is None or len(self._prefilters) != len(self.patterns):
            self._prefilters = [_prefilter(p) for p, _ in self.patterns]
            self._gate = None
        return self._prefilters

    def passing(self, lowered: str) -> list[bool]:
        """For each pattern, False when its prefilter proves it cannot match the text whose
        lower-cased copy is `lowered` (see `_UNFOLDED` for when that copy is not enough).

        One pass over the text's runs of word characters answers for every pattern at once:
        each run is looked up (remembered per run) for the prefilter strings inside it; only
        the strings that span several runs ("go through", "?!") are searched for."""
        gate = self._gate
        prefilters = self.prefilters()
        if gate is None or gate.source is not prefilters:
            gate = self._gate = _Gate(prefilters)
        ok = list(gate.always)
        memo = gate.memo
        for run in _WORD_RUN_RE.findall(lowered):
            found = memo.get(run)
            if found is None:
                found = gate.inside(run)
                if len(run) <= _GATE_RUN_MAX:
                    remember(memo, run, found, _GATE_MEMO)
            for k in found:
                ok[k] = True
        for string, k in gate.spanning:
            if not ok[k] and string in lowered:
                ok[k] = True
        return ok

    def find(self, tokens: Sequence[Token], clean: str) -> list[Match]:
        """Every match of every expression, in text order (overlaps included)."""
        out: list[Match] = []
        n = len(tokens)
        first = self.first
        stems = self.stems
        skip = self.skippable
        # no stem is longer than `longest` (a 100 KB "word" must not be sliced 100 000 times),
        # and a word can start with a stem only if its first letters start one
        if self._stem_heads is None:
            self._stem_heads = (
                max(map(len, stems), default=0),
                frozenset(s[:MIN_STEM] for s in stems if len(s) >= MIN_STEM),
            )
        longest, heads = self._stem_heads
        stem_memo = self._stem_memo
        new = tuple.__new__  # a Match without the Python-level `__new__` of a named tuple
        by_second = self._by_second
        if by_second is None:
            self._finds += 1
            if self._finds > 1:  # a batch: worth indexing (a single message is not)
                by_second = self._by_second = _by_second(first)
        for i, tok in enumerate(tokens):
            if tok.kind == PUNCT:
                continue
            norm = tok.norm
            if by_second is None:
                expressions: Iterable[tuple[tuple[str, ...], bool, int]] = first.get(norm, ())
            else:
                found = by_second.get(norm)
                if found is None:
                    expressions = ()
                else:
                    for entry in found[0]:  # one-word expressions: the word is the match
                        out.append(new(Match, (entry, i, i, tok.start, tok.end, None)))
                    expressions = (
                        _candidates(found, tokens, i, skip) if found[1] or found[2] else ()
                    )
            for expr, stem_last, entry in expressions:
                k = len(expr)
                if i + k > n:
                    continue
                ok = True
                pos = i
                skipped = False
                for j in range(1, k):
                    pos += 1
                    want = expr[j]
                    last = j == k - 1 and stem_last
                    other = tokens[pos] if pos < n else None
                    if (
                        other is not None
                        and not skipped
                        and other.norm in skip
                        and other.norm != want
                        and pos + 1 < n
                    ):
                        skipped = True  # one adverb inside the expression is allowed
                        pos += 1
                        other = tokens[pos]
                    if other is None or other.kind == PUNCT:
                        ok = False
                        break
                    if last:
                        if not other.norm.startswith(want):
                            ok = False
                            break
                    elif other.norm != want:
                        ok = False
                        break
                if ok and k == 1 and stem_last and not norm.startswith(expr[0]):
                    ok = False
                if ok:
                    out.append(Match(entry, i, pos, tok.start, tokens[pos].end))
            if stems and len(norm) >= MIN_STEM and norm[:MIN_STEM] in heads:
                entries = stem_memo.get(norm)
                if entries is None:
                    entries = self._stem_entries(norm, longest)
                    if len(norm) <= longest + _STEM_MEMO_EXTRA:
                        remember(stem_memo, norm, entries, _STEM_MEMO)
                for entry in entries:
                    out.append(new(Match, (entry, i, i, tok.start, tok.end, None)))
            # multi-word expressions whose first word is a stem are not supported (documented)
        if self.patterns:
            starts = [t.start for t in tokens]
            # a pattern whose every match holds one of a few words is not run on a text
            # without any of them (most of the patterns on most texts); from the second
            # call on, so that a single message does not read the prefilters from the cache
            passing: list[bool] | None = None
            if by_second is not None and _UNFOLDED.isdisjoint(clean):
                passing = self.passing(clean.lower())
            for k, (regex, (_, entry)) in enumerate(
                zip(self.compiled(), self.patterns, strict=True)
            ):
                if passing is not None and not passing[k]:
                    continue
                for m in regex.finditer(clean):
                    if m.end() <= m.start():
                        continue
                    a = max(0, bisect.bisect_right(starts, m.start()) - 1)
                    b = max(a, bisect.bisect_left(starts, m.end()) - 1)
                    out.append(Match(entry, a, b, m.start(), m.end()))
        out.sort(key=lambda m: (m.start, -m.end, m.entry))
        return out

    def _stem_entries(self, norm: str, longest: int) -> tuple[int, ...]:
        """The entries of the stems `norm` starts with, shortest stem first."""
        stems = self.stems
        found: list[int] = []
        for length in range(MIN_STEM, min(len(norm), longest) + 1):
            hit = stems.get(norm[:length])
            if hit:
                found += hit
        return tuple(found)

    def vocabulary(self) -> tuple[list[str], list[str]]:
        """Single words and stems, for typo look-ups."""
        return sorted(self.words), sorted(self.stems)


# Characters for which `str.lower` differs from what `re.IGNORECASE` compares (a full
# lower-case mapping, the final sigma), or that `re.IGNORECASE` equates with other letters
# (`ſ` with `s`, `ı` with `i`...): a text holding one is searched with every pattern.
def _unfolded() -> frozenset[str]:
    from re import _casefix  # type: ignore[attr-defined]

    chars = {"\u0130", "\u03a3"}
    for key, extra in _casefix._EXTRA_CASES.items():
        chars.add(chr(key))
        chars.update(chr(c) for c in extra)
    return frozenset(c for c in chars if not c.isascii())


_UNFOLDED = _unfolded()
_PREFILTER_MIN = 2  # a required word shorter than this is not worth a search


def required_words(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` (with `re.IGNORECASE`)
    contains, or None when the pattern gives no such guarantee.

    Read from the parsed pattern: runs of literal characters, groups and repeats of at least
    one, alternations whose every branch has some (their union). Of all the guarantees
    found, the one with the longest shortest string is kept."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def best(options: list[frozenset[str]]) -> frozenset[str] | None:
        usable = [o for o in options if o and all(w and _UNFOLDED.isdisjoint(w) for w in o)]
        if not usable:
            return None
        return max(usable, key=lambda o: (min(map(len, o)), -len(o)))

    def sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
        options: list[frozenset[str]] = []
        run: list[str] = []

        def flush() -> None:
            if run:
                options.append(frozenset({"".join(run).lower()}))
                run.clear()

        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            flush()
            found: frozenset[str] | None = None
            if op is c.SUBPATTERN:
                found = sequence(list(av[3]))
            elif op is c.BRANCH:
                branches = [sequence(list(b)) for b in av[1]]
                if branches and all(b is not None for b in branches):
                    found = frozenset[str]().union(*branches)  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                if av[0] >= 1:
                    found = sequence(list(av[2]))
            elif op is c.ATOMIC_GROUP:
                found = sequence(list(av))
            if found:
                options.append(found)
        flush()
        return best(options)

    try:
        parsed = _parser.parse(pattern, re.IGNORECASE)
        return sequence(list(parsed))
    except Exception:  # another interpreter's internals: no prefilter
        return None


_LOOKAHEAD_MAX = 40  # characters: a class longer than this barely skips anything


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters every match of `pattern` can start with, or None when it is not known
    (a category such as `\\w`, a negated class, a pattern that can match nothing...)."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def item(op: Any, av: Any) -> tuple[set[str], bool] | None:
        """(first characters, can match nothing) of one parsed item."""
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            chars: set[str] = set()
            for sub_op, sub_av in av:
                if sub_op is c.LITERAL:
                    chars.add(chr(sub_av))
                elif sub_op is c.RANGE and sub_av[1] - sub_av[0] < _LOOKAHEAD_MAX:
                    chars.update(chr(k) for k in range(sub_av[0], sub_av[1] + 1))
                else:
                    return None  # NEGATE, CATEGORY, wide ranges
            return chars, False
        if op is c.AT:
            return set(), True  # \b, ^, $: zero width
        if op is c.SUBPATTERN:
            return sequence(list(av[3]))
        if op is c.ATOMIC_GROUP:
            return sequence(list(av))
        if op is c.BRANCH:
            chars = set()
            empty = False
            for branch in av[1]:
                found = sequence(list(branch))
                if found is None:
                    return None
                chars |= found[0]
                empty = empty or found[1]
            return chars, empty
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            found = sequence(list(av[2]))
            if found is None:
                return None
            return found[0], found[1] or av[0] == 0
        return None  # ANY, lookarounds, back-references...

    def sequence(items: list[tuple[Any, Any]]) -> tuple[set[str], bool] | None:
        chars: set[str] = set()
        for op, av in items:
            found = item(op, av)
            if found is None:
                return None
            chars |= found[0]
            if not found[1]:
                return chars, False
        return chars, True

    try:
        found = sequence(list(_parser.parse(pattern, re.IGNORECASE)))
    except Exception:  # another interpreter's internals: no lookahead
        return None
    if found is None or found[1] or not found[0]:
        return None
    return frozenset(found[0])


def _with_lookahead(pattern: str) -> str:
    """`pattern` behind a look-ahead for its first characters, when they are known: the same
    matches, found faster (`re` skips the positions where no match can start before trying
    the pattern's alternatives)."""
    chars = first_chars(pattern)
    if chars is None or len(chars) > _LOOKAHEAD_MAX:
        return pattern
    folded = sorted({ch.lower() for ch in chars} | {ch.upper() for ch in chars})
    charset = "".join("\\" + ch if ch in "\\]^-[" else ch for ch in folded)
    return f"(?=[{charset}])(?:{pattern})"


def _prefilter(pattern: str) -> frozenset[str] | None:
    words = required_words(pattern)
    if not words or min(map(len, words)) < _PREFILTER_MIN:
        return None
    return words


def remember(memo: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """Store `value` under `key` in a per-word memo, emptying it first when it holds `limit`
    entries: a long batch meets ever more words, and memory must stay flat."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value


_STEM_MEMO = 20_000  # words remembered by `Matcher.find` with the stems they start with
_STEM_MEMO_EXTRA = 20  # words longer than the longest stem by more are not remembered
_WORD_RUN_RE = re.compile(r"\w+")
_GATE_MEMO = 20_000  # runs of word characters remembered by `Matcher.passing`
_GATE_RUN_MAX = 40  # longer runs are looked at each time, not remembered


class _Gate:
    """The prefilters of a matcher arranged for `Matcher.passing`: the strings made of word
    characters only, each with the patterns it lets through (such a string can only occur
    inside one run of word characters), and for each pattern its other strings."""

    __slots__ = ("always", "by_start", "memo", "single", "source", "spanning")

    def __init__(self, prefilters: list[frozenset[str] | None]) -> None:
        self.source = prefilters
        self.always = [words is None for words in prefilters]
        self.single: dict[str, list[int]] = {}
        # (string, pattern) for the other strings: one flat loop in `Matcher.passing`
        self.spanning: list[tuple[str, int]] = []
        for k, words in enumerate(prefilters):
            for word in sorted(words or ()):
                if _WORD_RUN_RE.fullmatch(word):
                    self.single.setdefault(word, []).append(k)
                else:
                    self.spanning.append((word, k))
        # the single-run strings by their first two characters (every string has two or more)
        self.by_start: dict[str, list[tuple[str, list[int]]]] = {}
        for word, patterns in self.single.items():
            self.by_start.setdefault(word[:2], []).append((word, patterns))
        self.memo: dict[str, tuple[int, ...]] = {}

    def inside(self, run: str) -> tuple[int, ...]:
        """The patterns let through by the single-run strings found inside `run`."""
        by_start = self.by_start
        found: set[int] = set()
        for i in range(len(run) - 1):
            candidates = by_start.get(run[i : i + 2])
            if candidates is not None:
                for word, patterns in candidates:
                    if run.startswith(word, i):
                        found.update(patterns)
        return tuple(sorted(found))


# an expression's first token -> (the entries of its expressions of one token; its
# expressions of two tokens whose second is a stem, in `first`'s order; the others by their
# second token, then by their third: see `_Seconds`)
_Item = tuple[tuple[str, ...], bool, int]
# (expressions of two tokens, or of three whose third is a stem; the longer ones by their
# third token)
_Seconds = tuple[list[_Item], dict[str, list[_Item]]]
_Candidates = tuple[list[int], list[_Item], dict[str, _Seconds]]


def _by_second(first: dict[str, list[_Item]]) -> dict[str, _Candidates]:
    out: dict[str, _Candidates] = {}
    for token, expressions in first.items():
        words: list[int] = []
        alone: list[_Item] = []
        seconds: dict[str, _Seconds] = {}
        for item in expressions:
            expr, stem_last, entry = item
            if len(expr) == 1 and not stem_last:
                words.append(entry)
            elif len(expr) == 1 or (len(expr) == 2 and stem_last):
                alone.append(item)
            else:
                near, thirds = seconds.setdefault(expr[1], ([], {}))
                if len(expr) == 2 or (len(expr) == 3 and stem_last):
                    near.append(item)
                else:
                    thirds.setdefault(expr[2], []).append(item)
        out[token] = (words, alone, seconds)
    return out


def _candidates(
    found: _Candidates, tokens: Sequence[Token], i: int, skip: frozenset[str]
) -> list[_Item]:
    """The expressions of two tokens or more starting at token `i` that can match:
    `Matcher.find` checks each fully, as it would every expression of the first token. An
    expression must find its second token next, or after one skippable word, and its third
    (when it is not a stem) next again, or after one skippable word if none came before."""
    _words, alone, seconds = found
    if i + 1 >= len(tokens):
        return alone
    following = tokens[i + 1].norm
    out = alone + _after_second(seconds.get(following), tokens, i + 1, skip, True)
    if following in skip and i + 2 < len(tokens):
        after = tokens[i + 2].norm
        if after != following:
            out += _after_second(seconds.get(after), tokens, i + 2, skip, False)
    return out


def _after_second(
    found: _Seconds | None, tokens: Sequence[Token], at: int, skip: frozenset[str], may_skip: bool
) -> list[_Item]:
    """The expressions whose second token is token `at`, that can go on from there."""
    if found is None:
        return []
    near, thirds = found
    if at + 1 >= len(tokens):
        return near
    third = tokens[at + 1].norm
    out = near + thirds.get(third, [])
    if may_skip and third in skip and at + 2 < len(tokens):
        after = tokens[at + 2].norm
        if after != third:
            out += thirds.get(after, [])
    return out


class CueIndex:
    """Everything the analysis needs for one language.

    The words considered correctly spelt (`known`) are the stopwords, the word list
    (`lexicon`) and the words of the language's cue and phrase banks that neither holds
    (`extra`); only those three are stored, so a start does not unpickle the word list twice.
    """

    # the underscored ones are derived on first use (not stored in the cache)
    __slots__ = (
        "_hashtag_vocab",
        "_known",
        "_negator_words",
        "_typo_by_initial",
        "_typo_fixes",
        "_typo_vocab",
        "cues",
        "extra",
        "lexicon",
        "matcher",
        "stopwords",
    )
    _fields = ("matcher", "cues", "extra", "stopwords", "lexicon")
    _known: frozenset[str]

    def __init__(
        self,
        matcher: Matcher,
        cues: tuple[object, ...],
        extra: frozenset[str],
        stopwords: frozenset[str],
        lexicon: frozenset[str],
    ) -> None:
        self.matcher = matcher
        self.cues = cues
        self.extra = extra
        self.stopwords = stopwords
        self.lexicon = lexicon

    @property
    def known(self) -> frozenset[str]:
        """Every word considered correctly spelt (built on first use)."""
        try:
            known: frozenset[str] = self._known
        except AttributeError:
            known = self.lexicon | self.stopwords | self.extra
            self._known = known
        return known

    def is_known(self, word: str) -> bool:
        """`word in self.known`, without building `known`."""
        return word in self.lexicon or word in self.stopwords or word in self.extra

    def __repr__(self) -> str:
        return f"CueIndex({self.matcher!r}, cues={len(self.cues)}, extra={len(self.extra)})"


class RuleIndex:
    """Everything the draft checker needs for one language."""

    __slots__ = ("matcher", "rules", "unless")
    _fields = ("matcher", "unless", "rules")

    def __init__(self, matcher: Matcher, unless: Matcher, rules: tuple[object, ...]) -> None:
        self.matcher = matcher
        self.unless = unless
        self.rules = rules

    def __repr__(self) -> str:
        return f"RuleIndex({self.matcher!r}, {self.unless!r}, rules={len(self.rules)})"


def read_word_list(name: str) -> frozenset[str]:
    """Read one of the package's word lists (`#` lines are comments)."""
    from importlib.resources import files  # only when the banks are (re)built: costly import

    try:
        text = files("empathy_cli").joinpath("lexicon").joinpath(name).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return frozenset()
    from .text import fold

    return frozenset(
        fold(line.strip())
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def build_cue_index(banks: Banks, language: str) -> CueIndex:
    cues = banks.cues_for(language)
    matcher = Matcher()
    for i, cue in enumerate(cues):
        if cue.words:
            matcher.add_words(i, cue.words)
        if cue.pattern:
            matcher.add_pattern(i, cue.pattern)
    matcher.skippable = frozenset(
        word
        for cue in cues
        if cue.role in ("intensifier", "diminisher")
        for expression in cue.words
        if len(tokens := phrase_tokens(expression)) == 1 and not expression.endswith("*")
        for word in tokens
    )
    stop = read_word_list(f"stopwords-{language}.txt")
    lexicon = read_word_list(f"words-{language}.txt")
    extra: set[str] = set()
    for expressions in matcher.first.values():
        for expr, stem, _ in expressions:
            extra.update(expr[:-1] if stem else expr)
    for phrase in banks.phrases_for(language):
        extra.update(phrase_tokens(phrase.text))
    return CueIndex(matcher, cues, frozenset(extra - stop - lexicon), stop, lexicon)


def build_rule_index(banks: Banks, language: str) -> RuleIndex:
    rules = banks.rules_for(language)
    matcher = Matcher()
    unless = Matcher()
    for i, rule in enumerate(rules):
        if rule.words:
            matcher.add_words(i, rule.words)
        if rule.pattern:
            matcher.add_pattern(i, rule.pattern)
        if rule.unless:
            unless.add_words(i, rule.unless)
        if rule.unless_pattern:
            unless.add_pattern(i, rule.unless_pattern)
    return RuleIndex(matcher, unless, rules)


def cue_index(banks: Banks, language: str) -> CueIndex:
    key = f"cues:{language}"
    index = banks._indexes.get(key)
    if index is None:
        index = banks._indexes[key] = build_cue_index(banks, language)
    return index


def rule_index(banks: Banks, language: str) -> RuleIndex:
    key = f"rules:{language}"
    index = banks._indexes.get(key)
    if index is None:
        index = banks._indexes[key] = build_rule_index(banks, language)
    return index


def build_indexes(banks: Banks) -> None:
    """Build every index now, so they are cached with the banks."""
    from .models import LANGUAGES

    for language in LANGUAGES:
        cues = cue_index(banks, language)
        rules = rule_index(banks, language)
        # compiled now too, so the cache keeps the compiled patterns (compiling them is
        # most of what reading a message would cost on a cached start)
        for matcher in (cues.matcher, rules.matcher, rules.unless):
            matcher.compiled()
            matcher.prefilters()
