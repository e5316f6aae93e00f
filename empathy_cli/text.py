"""Text plumbing shared by the analysis, the draft checker and the search: a cleaned copy of
the text that remembers where each character came from, accent- and case-folding, and a
tokenizer that keeps every token's code-point offsets.

Offsets reported to users are always into the text exactly as decoded; `Prepared.span`
maps offsets in the cleaned copy back to it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from .lazy_re import lazy
from .textsafe import _CONTROL_RE

_COMBINING_RE = lazy(r"[\u0300-\u036f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "ʼ": "'", "‘": "'", "`": "'"})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case `word` and drop its accents: `Déçu` -> `decu`, `Œuvre` -> `oeuvre`."""
    lowered = word.casefold().translate(_LIGATURES)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    return unicodedata.normalize("NFC", _COMBINING_RE.sub("", decomposed))


class Prepared(NamedTuple):
    """A cleaned copy of a text (controls removed, `\\r\\n` -> `\\n`, Unicode NFC) and the
    way back to the original offsets.

    `starts[i]` is where clean character `i` begins in the original, `ends[i]` where it
    ends; both are `None` when the clean text is the original.
    """

    original: str
    clean: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a `[start, end)` range of the clean text to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def prepare(text: str) -> Prepared:
    """Return a `Prepared` copy of `text` for analysis."""
    if (
        "\r" not in text
        and (text.isprintable() or _only_newlines(text))
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        # nothing to remove or recompose (an NFC text stays NFC cut at any base character)
        return Prepared(text, text)
    clean: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\r":
            # \r\n and a lone \r both become one \n
            j = i + 2 if text.startswith("\r\n", i) else i + 1
            clean.append("\n")
            starts.append(i)
            ends.append(j)
            i = j
            continue
        if ch in "\x1b\x9b" or (not ch.isprintable() and ch not in "\n\t"):
            m = _CONTROL_RE.match(text, i)
            i = m.end() if m and m.end() > i else i + 1
            continue
        # a base character and the combining marks after it, normalised together
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        group = text[i:j]
        if j - i > 1 or not group.isascii():
            group = unicodedata.normalize("NFC", group)
        for c in group:
            clean.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    joined = "".join(clean)
    if joined == text:
        return Prepared(text, text)
    return Prepared(text, joined, tuple(starts), tuple(ends))


def _only_newlines(text: str) -> bool:
    return text.replace("\n", "").replace("\t", "").isprintable()


# Token kinds
WORD = "w"
NUMBER = "n"
EMOJI = "e"
EMOTICON = "o"
PUNCT = "p"

_EMOJI_CLASS = (
    "\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55\u2764\u203c\u2049\u2122\u2139"
    "\u231a\u231b\u23e9-\u23fa\u3030\u303d"
)
_TOKEN_RE = lazy(
    # emoticons, only between spaces or punctuation so URLs (http://) are not read as :/
    r"(?P<o>(?<![\w:/])(?:>:-?\(|:'-?\(|<3|[:;=][-^o']?[()\[\]DPpOo/\\|*3Ss$@]|[xX]D)(?![\w/]))"
    r"|(?P<n>\d+(?:[.,]\d+)?)"
    r"|(?P<w>[^\W\d_][\w\u0300-\u036f]*)"
    r"|(?P<e>[" + _EMOJI_CLASS + r"][\ufe0f\U0001f3fb-\U0001f3ff]*)"
    r"|(?P<p>[.!?;:,…()\"«»“”\n]|-{2,}|—|–)"
)


class Token(NamedTuple):
    """A token of the clean text: `norm` is its folded form, `start`/`end` clean offsets."""

    norm: str
    start: int
    end: int
    kind: str


def tokenize(clean: str) -> list[Token]:
    """Split clean text into words, numbers, emoji, emoticons and punctuation.

    Apostrophes separate words (`j'en` -> `j`, `en`; `don't` -> `don`, `t`), as do hyphens
    (`peut-être` -> `peut`, `etre`). Words keep digits and underscores inside them.
    """
    tokens: list[Token] = []
    append = tokens.append
    new = tuple.__new__  # a Token without the Python-level `__new__` of a named tuple
    for m in _TOKEN_RE.finditer(clean):
        kind = m.lastgroup or PUNCT
        raw = m.group()
        start, end = m.span()
        if kind == WORD:
            append(new(Token, (fold(raw), start, end, WORD)))
        elif kind == PUNCT:
            append(new(Token, (raw[0], start, end, PUNCT)))
        elif kind == EMOJI:
            append(new(Token, (raw[0], start, end, EMOJI)))
        elif kind == EMOTICON:
            append(new(Token, (raw.lower().replace("-", ""), start, end, EMOTICON)))
        else:
            append(new(Token, (raw, start, end, NUMBER)))
    return tokens


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokenize a cue or rule expression into folded tokens, the way messages are."""
    return tuple(t.norm for t in tokenize(unicodedata.normalize("NFC", phrase)) if t.kind != PUNCT)


_LINE_INDEX_MIN = 20_000  # below this, counting is cheaper than indexing
_LINE_BREAK_RE = lazy(r"\r\n|\r|\n")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of code-point `offset` in `text`.

    `\\r\\n`, a lone `\\r` and `\\n` each end a line, as in `prepare` (and `empathy check`).
    """
    if len(text) < _LINE_INDEX_MIN and "\r" not in text:
        line = text.count("\n", 0, offset) + 1
        last_nl = text.rfind("\n", 0, offset)
        return line, offset - last_nl
    # one index of the line breaks, then a bisection per span (counting from the start for
    # every span was quadratic on long texts)
    starts, ends = _line_breaks(text)
    before = bisect.bisect_left(starts, offset)
    last = min(ends[before - 1], offset) - 1 if before else -1  # `\r\n` cut by offset: `\r`
    return before + 1, offset - last


@lru_cache(maxsize=2)
def _line_breaks(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    breaks = [(m.start(), m.end()) for m in _LINE_BREAK_RE.finditer(text)]
    return tuple(a for a, _b in breaks), tuple(b for _a, b in breaks)


# "..., vous vous moquez de moi ?", "..., are you kidding me?", "..., can you check?": a
# rhetorical question or a short request closing a statement; the statement before it is
# what the customer says (the reply answers the request)
RHETORICAL_TAIL_RE = lazy(
    r"[ \t]*[,;:–—-][ \t]*(?:vous vous moquez de moi|vous vous fichez de moi|"
    r"vous vous foutez de moi|vous vous moquez du monde|c['’]est une blague|"
    r"vous plaisantez|sérieusement|are you kidding(?: me)?|is this a joke|are you serious|"
    r"are you joking|you['’]re joking|seriously|really|"
    r"(?:vous pouvez|pouvez-vous|pourriez-vous|vous pourriez) (?:regarder|vérifier|voir|"
    r"m['’]aider|me dire pourquoi|faire quelque chose)|"
    r"(?:can|could) you (?:check|look into it|look into this|have a look|take a look|help|"
    r"tell me why|do something))(?:[ \t]+(?:svp|s['’]il vous plaît|please|pls))?"
    r"[ \t]*[?!]+[ \t]*$",
    re.IGNORECASE,
)


def without_rhetorical_tail(sentence: str) -> str:
    """`sentence` without a closing rhetorical question ("..., are you kidding me?")."""
    found = RHETORICAL_TAIL_RE.search(sentence)
    return sentence[: found.start()] if found and sentence[: found.start()].strip() else sentence
