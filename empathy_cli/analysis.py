"""Read a customer's message: language, emotions, intensity, situations, concern, entities.

`analyze` is a pure function of the text and the banks: no I/O beyond the banks it is
given, no clock, no randomness. Every span it reports is in Python code points into the
text exactly as given (before any normalisation), with 1-based line and column.

How it reads (the weights live in the cue banks, not here):

1. A cleaned copy of the text (controls removed, `\\r\\n` -> `\\n`, NFC) keeps a map back
   to the original offsets. Quoted history (`> ...`, "On ... wrote:", "Le ... a écrit :")
   and the signature are set aside: they are not read for feelings and never become the
   concern.
2. The language comes from function words, common words and accents.
3. Words are matched against the cue banks (exact words, stems, expressions, patterns). A
   word found in no dictionary is compared with the cue words with rapidfuzz, so
   "frustrting" still reads as "frustrating".
4. Negators ("not", "pas du tout", "ne ... pas") cancel a feeling cue or turn a positive
   word into disappointment; intensifiers and diminishers scale the next cue; capitals,
   `!!!` and emoji raise the intensity.
5. Grievances without a feeling word ("still no refund", "charged twice") read as
   `frustrated`, with a lower score, and below any feeling the customer names ("I'm starting
   to worry"). A request with no grievance has no emotion, nor does the customer's own
   mistake ("I ordered the wrong size by mistake").
6. The concern is the sentence that carries the most grievance, situation or negative
   feeling (else the first question).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .lazy_re import lazy
from .matching import CueIndex, Match, cue_index, remember
from .models import EMOTIONS, NEGATIVE_EMOTIONS, Cue
from .text import (
    EMOJI,
    EMOTICON,
    PUNCT,
    RHETORICAL_TAIL_RE,
    WORD,
    Prepared,
    Token,
    line_col,
    prepare,
    tokenize,
)

if TYPE_CHECKING:
    from .models import Banks

# Tuning constants, documented in README "How good is the reading?".
SQUASH = 0.9  # score = 1 - exp(-SQUASH * total weight)
EMOTION_MIN = 0.2  # an emotion below this score is not reported
SITUATION_MIN = 0.3
GRIEVANCE_FACTOR = 0.6  # a grievance counts this much toward `frustrated`
FEELINGS_AROUND = 4  # feeling cues looked back at for one holding a grievance inside it
REQUEST_SHARE = 0.5  # a request's cue (refund, cancellation) in choosing the concern
THREAT_SHARE = 0.3  # the weight a conditional threat's sentence keeps in choosing the concern
# A problem stated flatly ("my order is late", "my card was declined") is a grievance too: a
# situation cue at least this strong counts toward `frustrated`, once per situation.
PROBLEM_MIN_WEIGHT = 1.5
PROBLEM_FACTOR = 0.35
# situations that are requests rather than problems ("please cancel my subscription", "I would
# like a refund"); "still no refund" is a grievance cue of its own
NOT_A_PROBLEM = frozenset({"cancellation", "refund"})
POLITE_EMOTIONS = frozenset({"grateful", "sad"})  # what a polite set phrase may look like
FAINT_NEGATIVE = 0.6  # a negative emotion this weak gives way to praise at least as strong
NEGATED_POSITIVE_FACTOR = 0.9  # "not happy" counts this much toward `disappointed`
INTENSIFIER_FACTOR = 1.5
# A negative feeling the customer names with at least this weight outranks frustration read
# only from grievances, which then scores this fraction of it.
STATED_FEELING_MIN = 1.0
INFERRED_BELOW_STATED = 0.9
DIMINISHER_FACTOR = 0.5
CAPS_FACTOR = 1.3
NEGATION_WINDOW = 3  # negator at most this many words before the cue
MODIFIER_WINDOW = 2
WIDEN_REACH = NEGATION_WINDOW + 2  # tokens back from "happy" to its negator in "not happy"
TYPO_MIN_LENGTH = 6  # shorter words are too often other real words
TYPO_TWO_EDITS_LENGTH = 9  # two edits only for long words


class Span(NamedTuple):
    """A piece of the text: code-point offsets into the text as given, 1-based line/col."""

    text: str
    start: int
    end: int
    line: int
    column: int


class Reading(NamedTuple):
    """An emotion or a situation with its score (0-1) and the cues that support it."""

    name: str
    score: float
    cues: tuple[Span, ...] = ()


class Typo(NamedTuple):
    """A word read as a misspelling of a cue word."""

    span: Span
    read_as: str


class Entities(NamedTuple):
    order: str | None = None
    name: str | None = None


class Analysis(NamedTuple):
    """The reading of one message. See the JSON contract in the README."""

    language: str
    language_confidence: float
    emotions: tuple[Reading, ...]
    intensity: float
    situations: tuple[Reading, ...]
    concern: str | None
    concern_span: Span | None = None
    concern_is_question: bool = False
    entities: Entities = Entities()
    negations: tuple[Span, ...] = ()
    typos: tuple[Typo, ...] = ()
    grievances: tuple[Span, ...] = ()

    @property
    def emotion(self) -> str | None:
        """The top emotion, or None."""
        return self.emotions[0].name if self.emotions else None

    @property
    def situation(self) -> str | None:
        """The top situation, or None."""
        return self.situations[0].name if self.situations else None


# --- message structure: quoted history, signature, sign-off -----------------------------

_HISTORY_RE = lazy(
    r"^[ \t]*(?:"
    r"On\b[^\n]{0,300}\bwrote:[ \t]*$"
    r"|Le\b[^\n]{0,300}\ba [ée]crit[ \t]*:[ \t]*$"
    r"|-{2,}[ \t]*(?:Original Message|Forwarded message|Message d'origine|Message transf[ée]r[ée])"
    r"|(?:From|De)[ \t]*:[^\n]{0,300}\n[ \t]*(?:Sent|Envoy[ée]|Date|To|À)[ \t]*:"
    r")",
    re.IGNORECASE | re.MULTILINE,
)
# @handles and links are names and addresses, not words: never cues, typos or language clues
_HANDLE_URL_RE = lazy(r"https?://\S+|\bwww\.\S+|(?<![\w.@])@\w+")
# a line of the customer's own after a quoted block
_UNQUOTED_AFTER_RE = lazy(r"^[ \t]*>[^\n]*\n(?:[ \t]*\n)*[ \t]*[^>\s]", re.MULTILINE)
_QUOTED_LINE_RE = lazy(r"^[ \t]*>[^\n]*$", re.MULTILINE)
_SIG_DELIM_RE = lazy(
    r"^(?:-- ?|__+|Sent from my [^\n]{1,40}|Envoy[ée] de mon [^\n]{1,40}"
    r"|Get Outlook for [^\n]{1,40})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNOFF_RE = lazy(
    r"^[ \t]*(?:thanks?(?: you)?(?: (?:so|very) much)?(?: in advance)?|many thanks|cheers|"
    r"(?:kind|best|warm)(?:est)? regards|regards|best(?: wishes)?|sincerely|"
    r"yours(?: truly| sincerely)?|"
    r"(?:bien |très )?cordialement|merci(?: beaucoup| d'avance| par avance| à vous)?|"
    r"bien à vous|salutations(?: distinguées)?|bonne (?:journée|soirée)|à bientôt|a\+)"
    r"[ \t]*+[,.!]*+[ \t]*+(?P<name>[^\n]{0,60})$",  # possessive: linear on long blank runs
    re.IGNORECASE,
)
_NAME_RE = lazy(
    r"^[ \t]*+[-—–]*+[ \t]*+(?P<name>[A-ZÀ-Ý][\w'\-]+(?:[ \t]+[A-ZÀ-Ý][\w'\-.]*){0,2})[ \t]*$"
)
_INTRO_NAME_RE = lazy(
    r"(?:\b(?:my name is|this is|je m'appelle|je m’appelle|ici)[ \t]+"
    r"(?P<name>[A-ZÀ-Ý][\w'\-]+(?:[ \t]+[A-ZÀ-Ý][\w'\-]+)?)"
    r"|^[ \t]*(?:(?:hi|hello|hey|bonjour|salut)[ \t,!]+)?(?P<name2>[A-ZÀ-Ý][\w'\-]+) here\b)",
    re.IGNORECASE,
)
_GREETING_LINE_RE = lazy(
    r"^[ \t]*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut"
    r"|madame|monsieur)\b[^\n]{0,40}$",
    re.IGNORECASE,
)
_ORDER_RE = lazy(
    r"(?:\b(?:order|commande|cde|cmd|parcel|colis|package|ref|reference|référence|invoice|facture|"
    r"ticket|case|dossier|booking|réservation|reservation|account|contrat|contract)"
    r"(?:[ \t]++(?:number|no\.?|num(?:éro|ero)?|n°|nº|id|#))?[ \t]*+(?:#|n°|nº|no\.?|:)?[ \t]*+"
    r"|#[ \t]?)"
    r"(?P<id>[A-Z]{0,4}-?\d[\dA-Z-]{3,19})\b",
    re.IGNORECASE,
)
# a sentence runs to . ! ? … or a line end; a point between digits (14.99) does not end it
_SENTENCE_RE = lazy(r"(?:[^.!?…\n]|\.(?=\d))+(?:[.!?…]+|\n|$)")
# one greeting or more ("Madame, Monsieur,"): each starts with its word and ends at its comma
_LEADING_GREETING_RE = lazy(
    r"(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut|coucou"
    r"|madame|monsieur|messieurs|mesdames)\b[^,.!\n]{0,30}[,.!]+[ \t]*)+",
    re.IGNORECASE,
)
# a request: a question, or a polite imperative ("could you", "please", "merci de")
_REQUEST_RE = lazy(
    r"\?|\b(?:please|could you|can you|would you|pourriez-vous|pouvez-vous|merci de|"
    r"je voudrais|i would like|i'd like)\b",
    re.IGNORECASE,
)
GRATEFUL_ALONE = 0.8  # weaker thanks beside a complaint is politeness
GRATEFUL_BESIDE_REQUEST = 1.6  # and beside a request, a warm "thanks so much!" that ends it
CLOSING_WORDS = 6  # a last sentence this short can be a sign-off
_QUESTION_START_RE = lazy(
    r"^\W*(?:why|how|what|when|where|which|who|can|could|would|will|is|are|do|does|did|"
    r"pourquoi|comment|quand|où|quel(?:le)?s?|qui|est-ce|pouvez|pourriez|puis|peut|avez|êtes"
    r"|y a)\b",
    re.IGNORECASE,
)
_LINE_RE = lazy(r"[^\n]*")
_WORDS_2_RE = lazy(r"[^\W\d_]{2,}")  # words of two letters or more
_CLAUSE_BREAKS = frozenset({".", "!", "?", ";", "\n", "…", "(", ")", "«", "»", "“", "”", '"', ","})
_CONTRAST_WORDS = frozenset(
    {"but", "however", "although", "though", "mais", "cependant", "pourtant", "sauf"}
)


def _body_mask(clean: str) -> tuple[int, list[tuple[int, int]], str | None]:
    """Return (end of body, excluded ranges, name from the sign-off)."""
    excluded: list[tuple[int, int]] = []
    end = len(clean)
    m = _HISTORY_RE.search(clean)
    if m:
        header_end = clean.find("\n", m.end())
        header_end = len(clean) if header_end < 0 else header_end
        after_header = clean[header_end:].lstrip()
        if after_header.startswith(">") and _UNQUOTED_AFTER_RE.search(clean, header_end):
            # an answer written below the quote ("Le 12 mars, X a écrit :\n> ...\nOn est le
            # 2 avril et toujours rien"): only the header and the quoted lines are set aside
            excluded.append((m.start(), header_end))
        else:
            end = m.start()
    m = _SIG_DELIM_RE.search(clean, 0, end)
    if m:
        end = min(end, m.start())
    for q in _QUOTED_LINE_RE.finditer(clean, 0, end):
        excluded.append((q.start(), q.end()))
    # sign-off: the last short lines of the body
    name: str | None = None
    lines = [(mm.start(), mm.end()) for mm in _LINE_RE.finditer(clean[:end]) if mm.group().strip()]
    # quoted lines are sorted and disjoint: find the one that may hold a line by bisection
    # (a scan of all of them for every line was quadratic on long quoted threads)
    quoted_starts = [x for x, _y in excluded]

    def _quoted(a: int, b: int) -> bool:
        k = bisect.bisect_right(quoted_starts, a) - 1
        return k >= 0 and b <= excluded[k][1]

    lines = [(a, b) for a, b in lines if not _quoted(a, b)]
    if len(lines) >= 1:
        tail = lines[-3:] if len(lines) > 1 else []
        for idx, (a, b) in enumerate(tail):
            line = clean[a:b]
            so = _SIGNOFF_RE.match(line)
            if so and len(line.strip()) <= 60:
                rest = so.group("name").strip()
                following = tail[idx + 1 :]
                if rest and _NAME_RE.match(rest):
                    name = _NAME_RE.match(rest).group("name")  # type: ignore[union-attr]
                elif rest:
                    continue  # "Thanks for nothing" is not a sign-off
                elif following:
                    nm = _NAME_RE.match(clean[following[0][0] : following[0][1]])
                    if nm:
                        name = nm.group("name")
                end = min(end, a)
                break
        else:
            if len(lines) > 1:
                a, b = lines[-1]
                nm = _NAME_RE.match(clean[a:b])
                if nm and (b - a) <= 40 and len(nm.group("name").split()) <= 3:
                    name = nm.group("name")
                    end = min(end, a)
    if end < len(clean):
        excluded.append((end, len(clean)))
    return end, excluded, name


def _mask(clean: str, excluded: list[tuple[int, int]]) -> str:
    if not excluded:
        return clean
    chars = list(clean)
    for a, b in excluded:
        for i in range(a, min(b, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# --- language -----------------------------------------------------------------------------

_FR_LETTERS = frozenset("éèêëàâçùûüôîïœ")


def detect_language(
    tokens: Sequence[Token], clean: str, banks: Banks, default: str = "en"
) -> tuple[str, float]:
    """Return ("en" | "fr", confidence in 0.5-1)."""
    en = cue_index(banks, "en")
    scores = _language_scores(banks)
    score_en = 0.0
    score_fr = 0.0
    # accented letters count for French; a text without any needs no look at each word
    accents = not _FR_LETTERS.isdisjoint(clean.lower())
    for tok in tokens:
        if tok.kind != WORD:
            continue
        w = tok.norm
        try:
            word_en, word_fr = scores[w]
        except KeyError:
            word_en, word_fr = _language_score(en, cue_index(banks, "fr"), w)
            remember(scores, w, (word_en, word_fr), LANGUAGE_CACHE_WORDS)
        score_en += word_en
        score_fr += word_fr
        if accents and not _FR_LETTERS.isdisjoint(clean[tok.start : tok.end].lower()):
            score_fr += 0.75
    total = score_en + score_fr
    if total == 0:
        return default, 0.5
    if score_en == score_fr:
        return default, 0.5
    lang = "en" if score_en > score_fr else "fr"
    best = max(score_en, score_fr)
    confidence = (best + 0.5) / (total + 1.0)
    return lang, round(min(0.99, max(0.5, confidence)), 2)


LANGUAGE_CACHE_WORDS = 20_000  # words whose language scores are remembered


def _language_scores(banks: Banks) -> dict[str, tuple[float, float]]:
    """word -> (English score, French score), remembered with the banks."""
    scores: dict[str, tuple[float, float]] | None = banks._indexes.get("memo:language-scores")
    if scores is None:
        scores = banks._indexes["memo:language-scores"] = {}
    return scores


def _language_score(en: CueIndex, fr: CueIndex, w: str) -> tuple[float, float]:
    """What one (folded) word says of the language: a stopword of one language only counts
    1, a word of one word list 0.5, a word of one language's banks only 0.25."""
    in_en_stop = w in en.stopwords
    in_fr_stop = w in fr.stopwords
    if in_en_stop and not in_fr_stop:
        return 1.0, 0.0
    if in_fr_stop and not in_en_stop:
        return 0.0, 1.0
    in_en = w in en.lexicon
    in_fr = w in fr.lexicon
    if in_en and not in_fr:
        return 0.5, 0.0
    if in_fr and not in_en:
        return 0.0, 0.5
    if not in_en and not in_fr:
        # words of one language's cue and phrase banks only ("connards", "zut"): `known`
        # less the word lists, which were just looked up
        in_en = w in en.extra
        in_fr = w in fr.extra
        if in_en and not in_fr:
            return 0.25, 0.0
        if in_fr and not in_en:
            return 0.0, 0.25
    return 0.0, 0.0


# --- typo tolerance ------------------------------------------------------------------------


def _looks_like_name(tokens: Sequence[Token], i: int, body: str) -> bool:
    """A capitalised word inside a sentence is more likely a name than a typo."""
    raw = body[tokens[i].start : tokens[i].end]
    if not raw[:1].isupper() or raw.isupper():
        return False
    prev = tokens[i - 1] if i else None
    return prev is not None and not (prev.kind == PUNCT and prev.norm in ".!?\n")


def _correct_typos(
    tokens: list[Token], banks: Banks, language: str, body: str
) -> tuple[list[Token], dict[int, str]]:
    """Replace unknown words that are one or two edits from a cue word (rapidfuzz)."""
    index = cue_index(banks, language)
    fixes = _typo_fixes(index)
    fixed: dict[int, str] = {}
    out: list[Token] | None = None
    for i, t in enumerate(tokens):
        if len(t.norm) < TYPO_MIN_LENGTH or t.kind != WORD:
            continue
        word = t.norm
        try:
            best = fixes[word]
        except KeyError:
            best = _typo_fix(index, word)
            remember(fixes, word, best, TYPO_CACHE_WORDS)
        if best is None or _looks_like_name(tokens, i, body):
            continue
        fixed[i] = best
        if out is None:
            out = list(tokens)
        out[i] = Token(best, t.start, t.end, t.kind)
    return (tokens if out is None else out), fixed


TYPO_CACHE_WORDS = 20_000  # words whose reading as a typo is remembered, per language


def _typo_fixes(index: object) -> dict[str, str | None]:
    """word -> the cue word or stem it is a typo of, or None: remembered per index, since a
    batch meets the same words again and again."""
    cached: dict[str, str | None] | None = getattr(index, "_typo_fixes", None)
    if cached is None:
        cached = {}
        object.__setattr__(index, "_typo_fixes", cached)
    return cached


def _typo_fix(index: CueIndex, word: str) -> str | None:
    """The cue word (or stem, with the word's ending) that `word` is one or two edits from,
    when `word` is not a known word; else None."""
    stems_index = index.matcher.stems
    longest_stem = max(map(len, stems_index), default=0)
    if not word.isalpha() or index.is_known(word) or _stem_hit(word[:longest_stem], stems_index):
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    words_by, stems_by = _typo_buckets(index)
    limit = 1 if len(word) < TYPO_TWO_EDITS_LENGTH else 2
    best: str | None = None
    initial = word[0]
    same_start: list[str] = []
    for size in range(len(word) - limit, len(word) + limit + 1):
        same_start += words_by.get((initial, size), ())
    same_start.sort()  # in the vocabulary's order: the first of equally close words wins
    hit = process.extractOne(word, same_start, scorer=OSA.distance, score_cutoff=limit)
    if hit is not None:
        best = hit[0]
    else:
        for stem in stems_by.get(initial, ()):
            if abs(len(word) - len(stem)) > 6:
                continue
            for cut in (len(stem) - 1, len(stem), len(stem) + 1):
                if OSA.distance(word[:cut], stem, score_cutoff=1) <= 1 and len(word) >= len(stem):
                    best = stem + word[cut:]
                    break
            if best:
                break
    return best if best and best != word else None


def _stem_hit(word: str, stems: dict[str, list[int]]) -> bool:
    return any(word[:k] in stems for k in range(3, len(word) + 1))


def _typo_vocabulary(index: object) -> tuple[list[str], list[str]]:
    cached = getattr(index, "_typo_vocab", None)
    if cached is None:
        words, stems = index.matcher.vocabulary()  # type: ignore[attr-defined]
        words = [w for w in words if len(w) >= TYPO_MIN_LENGTH - 1 and w.isalpha()]
        # longer stems first: the most specific reading wins ("frustrat*" before "frustat*")
        stems = sorted((s for s in stems if s.isalpha()), key=lambda s: (-len(s), s))
        cached = (words, stems)
        object.__setattr__(index, "_typo_vocab", cached)
    return cached


def _typo_buckets(
    index: object,
) -> tuple[dict[tuple[str, int], list[str]], dict[str, list[str]]]:
    """The typo vocabulary's words by (first letter, length) and its stems of five letters or
    more by first letter (each in the vocabulary's order), built once per index, so an
    unknown word is compared only with those it could be a typo of."""
    cached = getattr(index, "_typo_by_initial", None)
    if cached is None:
        words, stems = _typo_vocabulary(index)
        words_by: dict[tuple[str, int], list[str]] = {}
        for word in words:
            words_by.setdefault((word[0], len(word)), []).append(word)
        stems_by: dict[str, list[str]] = {}
        for stem in stems:
            if len(stem) >= 5:
                stems_by.setdefault(stem[0], []).append(stem)
        cached = (words_by, stems_by)
        object.__setattr__(index, "_typo_by_initial", cached)
    return cached


def _negator_words(index: object, cues: Sequence[Cue]) -> frozenset[str]:
    """The one-word negators of a cue index, computed once per index (not per message)."""
    cached: frozenset[str] | None = getattr(index, "_negator_words", None)
    if cached is None:
        cached = frozenset(
            expr[0]
            for expressions in index.matcher.first.values()  # type: ignore[attr-defined]
            for expr, _stem, entry in expressions
            if len(expr) == 1 and cues[entry].role == "negator"
        )
        object.__setattr__(index, "_negator_words", cached)
    return cached


# --- hashtags ------------------------------------------------------------------------------

HASHTAG_MIN_PART = 4  # a cue word found inside a hashtag must be at least this long


def _hashtag_vocabulary(index: CueIndex) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Single feeling and grievance words and stems, for looking inside hashtags (cached)."""
    cached = getattr(index, "_hashtag_vocab", None)
    if cached is None:
        cues: Sequence[Cue] = index.cues  # type: ignore[assignment]
        useful = {
            i for i, cue in enumerate(cues) if cue.emotion or cue.role in ("grievance", "positive")
        }
        words = {
            w: [e for e in entries if e in useful]
            for w, entries in index.matcher.words.items()
            if len(w) >= HASHTAG_MIN_PART + 1 and w.isalpha()
        }
        stems = {
            w: [e for e in entries if e in useful]
            for w, entries in index.matcher.stems.items()
            if len(w) >= HASHTAG_MIN_PART and w.isalpha()
        }
        cached = ({w: e for w, e in words.items() if e}, {w: e for w, e in stems.items() if e})
        object.__setattr__(index, "_hashtag_vocab", cached)
    return cached


def _hashtag_matches(tokens: Sequence[Token], body: str, index: CueIndex) -> list[Match]:
    """Cue words run together in a hashtag: `#verydisappointed`, `#worstservice`."""
    out: list[Match] = []
    if "#" not in body:
        return out
    words: dict[str, list[int]] | None = None
    stems: dict[str, list[int]] = {}
    for k, tok in enumerate(tokens):
        if tok.kind != WORD or tok.start == 0 or body[tok.start - 1] != "#":
            continue
        if words is None:
            words, stems = _hashtag_vocabulary(index)
        tag = tok.norm
        if len(tag) > 40 or tag in words:
            continue  # a whole-word hashtag is matched as a word already
        i = 0
        while i <= len(tag) - HASHTAG_MIN_PART:
            hit: list[int] | None = None
            size = 0
            for j in range(len(tag), i + HASHTAG_MIN_PART - 1, -1):
                part = tag[i:j]
                hit = words.get(part) if j - i > HASHTAG_MIN_PART else None
                if hit is None:
                    hit = stems.get(part)
                if hit:
                    size = j - i
                    break
            if hit:
                out.extend(Match(e, k, k, tok.start, tok.end) for e in hit)
                i += size
            else:
                i += 1
    return out


# --- the reading --------------------------------------------------------------------------


def _category(cue: Cue) -> str:
    if cue.emotion or cue.role == "positive":
        return "feeling"
    if cue.situation:
        return "situation"
    if cue.role in ("negator", "intensifier", "diminisher"):
        return "modifier"
    return cue.role or "other"


def _select(matches: list[Match], cues: Sequence[Cue]) -> list[Match]:
    """Keep, within each category, the longest non-overlapping matches."""
    by_cat: dict[str, list[Match]] = {}
    for m in matches:
        by_cat.setdefault(_category(cues[m.entry]), []).append(m)
    kept: list[Match] = []
    for group in by_cat.values():
        group.sort(key=lambda m: (-(m.end - m.start), m.start, m.entry))
        # taken spans are disjoint and kept sorted, so one bisection finds the only one
        # that can overlap (a scan of all of them was quadratic on long messages)
        taken_starts: list[int] = []
        taken_ends: list[int] = []
        seen_entries: set[tuple[int, int, str]] = set()
        for m in group:
            cue = cues[m.entry]
            target = cue.target
            key = (m.start, m.end, target)
            if key in seen_entries:
                continue
            k = bisect.bisect_left(taken_starts, m.end)
            if k and taken_ends[k - 1] > m.start:
                continue
            taken_starts.insert(k, m.start)
            taken_ends.insert(k, m.end)
            seen_entries.add(key)
            kept.append(m)
    kept.sort(key=lambda m: (m.start, m.end, m.entry))
    return kept


def _clause_ids(tokens: Sequence[Token]) -> list[int]:
    ids = []
    clause = 0
    for tok in tokens:
        if (tok.kind == PUNCT and tok.norm in _CLAUSE_BREAKS) or (
            tok.kind == WORD and tok.norm in _CONTRAST_WORDS
        ):
            clause += 1
        ids.append(clause)
    return ids


_FR_NE = frozenset({"ne", "n"})
_FR_PAS = frozenset({"pas", "plus", "jamais", "guere", "point", "nullement"})


def _ne_verb_pas(tokens: Sequence[Token], m: Match, clauses: Sequence[int]) -> bool:
    """French negation around a verb cue: "je n'aime pas", "ça ne m'énerve plus".

    "ne" is not a negator on its own (it would flip "je ne suis pas content" twice); here
    the cue sits between a "ne" just before it and a "pas" just after it.
    """
    clause = clauses[m.first]
    before = range(max(0, m.first - 3), m.first)
    if not any(tokens[k].norm in _FR_NE and clauses[k] == clause for k in before):
        return False
    if any(tokens[k].norm in _FR_PAS for k in before):
        return False  # "je ne suis pas content": the "pas" before the cue already counts
    for k in range(m.last + 1, min(len(tokens), m.last + 3)):
        if clauses[k] != clause or tokens[k].kind == PUNCT:
            return False
        if tokens[k].norm in _FR_PAS:
            return True
    return False


def _within(first: int, reach: int, last: int) -> bool:
    return first - last <= reach


def _squash(total: float) -> float:
    return 1.0 - math.exp(-SQUASH * total)


def analyze(
    text: str, banks: Banks | None = None, *, lang: str = "auto", default_lang: str = "en"
) -> Analysis:
    """Read a customer's message.

    Args:
        text: the message, as received.
        banks: loaded banks; `None` loads the default layers.
        lang: `"auto"` to detect, or `"en"` / `"fr"`.
        default_lang: the language to assume when the text gives no clue (emoji only).

    Returns:
        The `Analysis`: language, emotions and situations sorted by score (ties by name),
        intensity, concern, entities, with every cue's span into `text` as given.
    """
    if banks is None:
        from .banks.loader import load_banks

        banks = load_banks()
    prep = prepare(text)
    clean = prep.clean
    _end, excluded, signoff_name = _body_mask(clean)
    body = _mask(clean, excluded)
    if "@" in body or "://" in body or "www." in body:
        body = _HANDLE_URL_RE.sub(lambda m: " " * len(m.group()), body)
    tokens = tokenize(body)

    if lang in ("en", "fr"):
        language, confidence = lang, 1.0
    else:
        language, confidence = detect_language(tokens, body, banks, default_lang)

    index = cue_index(banks, language)
    cues: Sequence[Cue] = index.cues  # type: ignore[assignment]
    tokens, typo_fixes = _correct_typos(tokens, banks, language, body)
    found = index.matcher.find(tokens, body)
    found.extend(_hashtag_matches(tokens, body, index))
    matches = _select(found, cues)

    word_pos = []  # position of each token among word-like tokens
    count = 0
    for tok in tokens:
        word_pos.append(count)
        if tok.kind != PUNCT:
            count += 1
    clauses = _clause_ids(tokens)

    modifiers = [m for m in matches if _category(cues[m.entry]) == "modifier"]
    # modifiers by last token, so a cue looks only at the few just before it (scanning every
    # modifier for every cue was quadratic on long messages)
    by_last = sorted(range(len(modifiers)), key=lambda k: (modifiers[k].last, k))
    lasts = [modifiers[k].last for k in by_last]

    def modifiers_before(first: int, near: Callable[[int], bool]) -> list[Match]:
        """The modifiers that end before token `first` while `near(last)`, in text order."""
        found: list[int] = []
        j = bisect.bisect_left(lasts, first) - 1
        while j >= 0 and near(lasts[j]):
            found.append(by_last[j])
            j -= 1
        return [modifiers[k] for k in sorted(found)]

    politeness = [m for m in matches if cues[m.entry].role == "politeness"]
    negator_words = _negator_words(index, cues)

    emotion_total: dict[str, float] = {}
    inferred_frustration = 0.0  # the part of `frustrated` read from grievances
    emotion_cues: dict[str, list[tuple[int, int]]] = {}
    situation_total: dict[str, float] = {}
    situation_cues: dict[str, list[tuple[int, int]]] = {}
    negations: list[tuple[int, int]] = []
    grievance_spans: list[tuple[int, int]] = []
    intensifier_hits = 0
    problems: dict[str, tuple[float, tuple[int, int]]] = {}
    positive_total = 0.0

    def modifier_factor(m: Match) -> tuple[float, bool]:
        """(scale factor, negated) from the modifiers just before match `m`."""
        factor = 1.0
        negated = False
        cue_tokens = {tokens[k].norm for k in range(m.first, m.last + 1)}
        # a cue that carries its own negation ("still no refund", "didn't work") is not
        # flipped again by a negator before it
        self_negative = bool(cue_tokens & negator_words) or (
            "t" in cue_tokens
            and any(
                tokens[k].norm == "t" and tokens[k - 1].norm.endswith("n")
                for k in range(max(m.first, 1), m.last + 1)
            )
        )
        reach = max(NEGATION_WINDOW, MODIFIER_WINDOW)
        near = modifiers_before(m.first, lambda last: word_pos[m.first] - word_pos[last] <= reach)
        for mod in near:
            if mod.last >= m.first or clauses[mod.last] != clauses[m.first]:
                continue
            distance = word_pos[m.first] - word_pos[mod.last]
            role = cues[mod.entry].role
            if role == "negator" and distance <= NEGATION_WINDOW and not self_negative:
                negated = not negated
            elif role == "intensifier" and distance <= MODIFIER_WINDOW:
                factor *= INTENSIFIER_FACTOR
            elif role == "diminisher" and distance <= MODIFIER_WINDOW:
                factor *= DIMINISHER_FACTOR
        if language == "fr" and not self_negative and _ne_verb_pas(tokens, m, clauses):
            negated = not negated
        return factor, negated

    feelings = [m for m in matches if _category(cues[m.entry]) == "feeling"]  # by start
    feeling_starts = [m.start for m in feelings]

    for m in matches:
        cue = cues[m.entry]
        span = (m.start, m.end)
        if cue.role == "intensifier":
            intensifier_hits += 1
        if cue.emotion or cue.role == "positive":
            factor, negated = modifier_factor(m)
            raw = body[m.start : m.end]
            if len(raw) >= 3 and raw.isupper():
                factor *= CAPS_FACTOR
            if cue.role == "positive":
                if not negated:
                    positive_total += cue.weight * factor
                elif any(p.start <= m.start and m.end <= p.end for p in politeness):
                    pass  # "I'm not very good with computers": about themselves, not us
                else:
                    emotion_total["disappointed"] = (
                        emotion_total.get("disappointed", 0.0)
                        + cue.weight * NEGATED_POSITIVE_FACTOR * factor
                    )
                    emotion_cues.setdefault("disappointed", []).append(
                        _widen(
                            span,
                            m,
                            modifiers_before(m.first, partial(_within, m.first, WIDEN_REACH)),
                            tokens,
                        )
                    )
                continue
            if negated:
                negations.append(span)
                continue
            if cue.emotion in POLITE_EMOTIONS and any(
                p.start <= m.start and m.end <= p.end for p in politeness
            ):
                # "thanks in advance", "sorry to bother you": set phrases, not feelings
                continue
            assert cue.emotion is not None
            emotion_total[cue.emotion] = emotion_total.get(cue.emotion, 0.0) + cue.weight * factor
            if cue.emotion == "grateful":
                positive_total += cue.weight * factor
            emotion_cues.setdefault(cue.emotion, []).append(span)
        elif cue.situation:
            situation_total[cue.situation] = situation_total.get(cue.situation, 0.0) + cue.weight
            situation_cues.setdefault(cue.situation, []).append(span)
            if cue.weight >= PROBLEM_MIN_WEIGHT and cue.situation not in NOT_A_PROBLEM:
                best = problems.get(cue.situation)
                if best is None or cue.weight > best[0]:
                    problems[cue.situation] = (cue.weight, span)
        elif cue.role == "grievance":
            if any(p.start <= m.start and m.end <= p.end for p in politeness):
                continue  # "n'hésitez pas", "don't hesitate": a set phrase, not a grievance
            lo = bisect.bisect_left(feeling_starts, m.start)
            hi = bisect.bisect_left(feeling_starts, m.end)
            if any(f.end <= m.end and modifier_factor(f)[1] for f in feelings[lo:hi]):
                continue  # "ça ne m'énerve plus": the negated feeling is the reading
            if any(
                f.end >= m.end and f.first < m.last
                for f in feelings[max(0, hi - FEELINGS_AROUND) : hi]
            ):
                continue  # "je ne sais pas quoi faire": the feeling it ends in is the reading
            if modifier_factor(m)[1]:
                # "no problem", "pas de souci": a negated grievance is none
                negations.append(span)
                continue
            emotion_total["frustrated"] = (
                emotion_total.get("frustrated", 0.0) + cue.weight * GRIEVANCE_FACTOR
            )
            inferred_frustration += cue.weight * GRIEVANCE_FACTOR
            emotion_cues.setdefault("frustrated", []).append(span)
            grievance_spans.append(span)

    stated_frustration = emotion_total.get("frustrated", 0.0) - inferred_frustration
    own_mistake = _own_mistake(body)
    if own_mistake:
        # "I ordered the wrong size by mistake": an exchange to ask for, not our error
        situation_total.pop("wrong_item", None)
        problems.pop("wrong_item", None)
    for weight, span in problems.values():
        emotion_total["frustrated"] = emotion_total.get("frustrated", 0.0) + weight * PROBLEM_FACTOR
        emotion_cues.setdefault("frustrated", []).append(span)
        grievance_spans.append(span)
    _let_stated_feeling_lead(emotion_total, stated_frustration)

    def spans(ranges: list[tuple[int, int]]) -> tuple[Span, ...]:
        # a cue inside a longer cue of the same reading is shown once ("nobody answers")
        outer: list[tuple[int, int]] = []
        reach = -1
        for a, b in sorted(set(ranges), key=lambda r: (r[0], -r[1])):
            if b > reach:
                outer.append((a, b))
                reach = b
        return tuple(_span(prep, a, b) for a, b in outer)

    # Praise that outweighs a faint negative hint wins ("Great service, I never had an issue"):
    # weak hints alone do not make a complaint of a happy message.
    # ... and so do the customer's own mistake ("j'ai commandé la mauvaise taille")
    if positive_total > 0 or own_mistake:
        for name in NEGATIVE_EMOTIONS:
            total = emotion_total.get(name, 0.0)
            if 0 < total <= FAINT_NEGATIVE and (own_mistake or positive_total >= total):
                del emotion_total[name]
    grateful = emotion_total.get("grateful", 0.0)
    negative = any(emotion_total.get(e, 0.0) > 0 for e in NEGATIVE_EMOTIONS)
    if grateful > 0 and (
        (grateful < GRATEFUL_ALONE and negative)
        or (
            grateful < GRATEFUL_BESIDE_REQUEST
            and _REQUEST_RE.search(body)
            and _thanks_close(body, emotion_cues["grateful"])
        )
    ):
        # "How do I change my address? Thanks so much!" is a request, not gratitude
        del emotion_total["grateful"]
    emotions = [
        Reading(name, round(_squash(total), 2), spans(emotion_cues.get(name, [])))
        for name, total in emotion_total.items()
        if _squash(total) >= EMOTION_MIN
    ]
    emotions.sort(key=lambda r: (-r.score, EMOTIONS.index(r.name)))
    situations = [
        Reading(name, round(_squash(total), 2), spans(situation_cues.get(name, [])))
        for name, total in situation_total.items()
        if _squash(total) >= SITUATION_MIN
    ]
    situations.sort(key=lambda r: (-r.score, r.name))

    intensity = _intensity(body, tokens, emotions, intensifier_hits)
    concern, concern_span, is_question = _concern(prep, body, matches, cues)
    order = _order(body)
    customer_name = signoff_name or _intro_name(body)
    typos = tuple(
        Typo(_span(prep, tokens[i].start, tokens[i].end), fixed)
        for i, fixed in sorted(typo_fixes.items())
    )
    return Analysis(
        language=language,
        language_confidence=confidence,
        emotions=tuple(emotions),
        intensity=intensity,
        situations=tuple(situations),
        concern=concern,
        concern_span=concern_span,
        concern_is_question=is_question,
        entities=Entities(order=order, name=customer_name),
        negations=spans(negations),
        typos=typos,
        grievances=spans(grievance_spans),
    )


def _own_mistake(body: str) -> bool:
    """ "I ordered the wrong size by mistake", « je me suis trompé »: the customer's own error.
    A few substring checks first: the pattern, run on every message, was a twentieth of
    the whole reading."""
    low = body.lower()
    return any(w in low for w in _OWN_MISTAKE_WORDS) and _OWN_MISTAKE_RE.search(body) is not None


_OWN_MISTAKE_WORDS = ("mistake", "fault", "my bad", "my error", "accident", "wrong", "tromp",
                      "erreur", "faute", "mauvais")  # fmt: skip


def _thanks_close(body: str, cues: list[tuple[int, int]]) -> bool:
    """Whether every thank-you is in a short last sentence ("Thanks so much!"), the way a
    request ends, rather than the point of the message ("I wanted to thank Sam...")."""
    text = body.rstrip(" \t\n!.…:)")
    start = max(text.rfind(c) for c in ".!?\n") + 1
    return len(text[start:].split()) <= CLOSING_WORDS and all(a >= start for a, _b in cues)


_STATED_FEELINGS = tuple(e for e in (*NEGATIVE_EMOTIONS, "confused") if e != "frustrated")


def _let_stated_feeling_lead(emotion_total: dict[str, float], stated_frustration: float) -> None:
    """Let a feeling the customer names outrank frustration read only from grievances.

    "Six weeks, nobody answers, I'm starting to worry": the customer says they are worried,
    so the reply should speak to worry, however many grievances the message lists. The
    inferred frustration stays, just below the strongest negative feeling named with at
    least a plain feeling word's weight.
    """
    frustrated = emotion_total.get("frustrated", 0.0)
    if not frustrated or stated_frustration >= STATED_FEELING_MIN:
        return
    stated = max((emotion_total.get(e, 0.0) for e in _STATED_FEELINGS), default=0.0)
    if stated >= STATED_FEELING_MIN and frustrated >= stated:
        emotion_total["frustrated"] = stated * INFERRED_BELOW_STATED


def _widen(
    span: tuple[int, int], m: Match, modifiers: list[Match], tokens: Sequence[Token]
) -> tuple[int, int]:
    """Extend a negated-positive span back to its negator ("not happy")."""
    start = span[0]
    for mod in modifiers:
        if mod.last < m.first and m.first - mod.last <= WIDEN_REACH:
            start = min(start, mod.start)
    return start, span[1]


def _span(prep: Prepared, start: int, end: int) -> Span:
    a, b = prep.span(start, end)
    line, col = line_col(prep.original, a)
    return Span(prep.original[a:b], a, b, line, col)


def _intensity(
    body: str, tokens: Sequence[Token], emotions: list[Reading], intensifiers: int
) -> float:
    negative = [r.score for r in emotions if r.name in NEGATIVE_EMOTIONS]
    value = 0.55 * max(negative, default=0.0)
    if not negative and emotions:
        value = 0.3 * emotions[0].score
    words = "".join([body[t.start : t.end] for t in tokens if t.kind == WORD and len(t.norm) >= 2])
    if not words.isalpha():  # digits, underscores, marks: count the letters only
        words = "".join([c for c in words if c.isalpha()])
    if len(words) >= 8:
        upper = sum(map(str.isupper, words)) / len(words)
        if upper >= 0.6:
            value += 0.25
        elif upper >= 0.3:
            value += 0.1
    bangs = body.count("!")
    if "!!" in body:
        value += 0.15
    elif bangs:
        value += 0.05 * min(bangs, 2)
    if "??" in body:
        value += 0.05
    value += 0.08 * min(intensifiers, 3)
    emoji = sum(1 for t in tokens if t.kind in (EMOJI, EMOTICON))
    if negative:
        value += 0.05 * min(emoji, 3)
    return round(max(0.0, min(1.0, value)), 2)


def _concern(
    prep: Prepared, body: str, matches: list[Match], cues: Sequence[Cue]
) -> tuple[str | None, Span | None, bool]:
    weights: list[tuple[int, float]] = []
    for m in matches:
        cue = cues[m.entry]
        if cue.role == "grievance":
            weights.append((m.start, cue.weight * 1.2))
        elif cue.situation:
            # "I want a refund" asks; "the heater stopped heating" says what went wrong
            share = REQUEST_SHARE if cue.situation in NOT_A_PROBLEM else 1.0
            weights.append((m.start, cue.weight * share))
        elif cue.emotion and (cue.emotion in NEGATIVE_EMOTIONS or cue.emotion == "confused"):
            # feelings alone do not make a concern ("I'm furious" restates nothing); they
            # only help choose between sentences that carry a grievance or a situation
            weights.append((m.start, cue.weight * 0.01))
    weights.sort(key=lambda pw: pw[0])  # stable; already in text order
    positions = [pos for pos, _w in weights]
    best: tuple[float, int, int] | None = None
    first_question: tuple[int, int] | None = None
    for s in _SENTENCE_RE.finditer(body):
        a, b = s.start(), s.end()
        sentence = body[a:b].strip()
        if len(_WORDS_2_RE.findall(sentence)) < 2:
            continue
        lo, hi = bisect.bisect_left(positions, a), bisect.bisect_left(positions, b)
        score = sum(w for _pos, w in weights[lo:hi])
        if _CONDITIONAL_THREAT_RE.match(sentence):
            score *= THREAT_SHARE
        if score < 0.1 and _GREETING_LINE_RE.match(sentence) and len(sentence) < 40:
            continue
        if score >= 0.1 and (best is None or score > best[0]):
            best = (score, a, b)
        if first_question is None and (
            sentence.endswith("?") or _QUESTION_START_RE.match(sentence)
        ):
            first_question = (a, b)
    chosen = (best[1], best[2]) if best else first_question
    if chosen is None:
        return None, None, False
    a, b = chosen
    # trim whitespace and a leading "Hello," / "Bonjour," ; keep the sentence's punctuation
    while a < b and body[a].isspace():
        a += 1
    while b > a and body[b - 1].isspace():
        b -= 1
    greeting = _LEADING_GREETING_RE.match(body, a, b)
    if greeting and greeting.end() < b:
        a = greeting.end()
    span = _span(prep, a, b)
    concern = " ".join(span.text.split())
    asks = concern.endswith("?") and not RHETORICAL_TAIL_RE.search(concern)
    return concern, span, asks


_DIGIT_RE = lazy(r"\d")
_OWN_MISTAKE_RE = lazy(
    r"\b(?:my (?:own )?(?:mistake|fault|bad|error)|i (?:accidentally|mistakenly|wrongly)|"
    r"i (?:ordered|bought|picked|chose|selected|got) the wrong|i made a mistake|"
    r"(?:ordered|bought) (?:the wrong \w+ )?by mistake|"
    r"je me suis tromp[ée]e?|j['’]ai fait une erreur|(?:c['’]est )?(?:de )?ma faute|"
    r"erreur de ma part|(?:commandé|acheté|pris) par erreur|par erreur j['’]ai|"
    r"j['’]ai (?:commandé|choisi|pris) (?:la|le) mauvaise?)",
    re.IGNORECASE,
)
# "Without a reply within 8 days, I will...", "If I don't hear back by Friday, I'll...": what
# the customer will do next, not what went wrong, so another sentence makes a better concern
_CONDITIONAL_THREAT_RE = lazy(
    r"(?:sans|faute de|à défaut de|en l'absence de)[ \t]+(?:\w+[ \t]+)?"
    r"(?:réponse|retour|nouvelles|solution|remboursement|geste)\b"
    r"|if[ \t]+(?:i|we)[ \t]+(?:don['’]?t|do not|haven['’]?t|have not)[ \t]+"
    r"(?:hear|get|receive|see|have)\b"
    r"|if[ \t]+(?:this|it)[ \t]+(?:is|isn['’]?t|is not)[ \t]+(?:not[ \t]+)?"
    r"(?:sorted|resolved|fixed)\b"
    r"|unless[ \t]+(?:i|this|it|you)\b"
    r"|si[ \t]+(?:je[ \t]+n['’]ai|je[ \t]+ne[ \t]+reçois|rien[ \t]+n['’]est|"
    r"ce[ \t]+n['’]est|cela[ \t]+n['’]est|ça[ \t]+n['’]est)\b",
    re.IGNORECASE,
)


def _order(body: str) -> str | None:
    if _DIGIT_RE.search(body) is None:
        return None  # every order number has a digit
    for m in _ORDER_RE.finditer(body):
        candidate = m.group("id")
        if sum(c.isdigit() for c in candidate) >= 4:
            return candidate
    return None


_NOT_NAMES = frozenset(
    {"it", "this", "that", "ridiculous", "unacceptable", "insane", "crazy", "not"}
)


def _intro_name(body: str) -> str | None:
    m = _INTRO_NAME_RE.search(body)
    if not m:
        return None
    name = m.group("name") or m.group("name2")
    if not name[0].isupper() or name.isupper() or name.lower() in _NOT_NAMES:
        return None
    return name
