"""Check an agent's draft reply: cold, blaming or dismissive wording, the five steps it covers
and, given the customer's message, whether it answers that customer's emotion and situation.

`check_draft` is a pure function of the draft, the banks and the customer's message: no I/O
beyond the banks it is given, no clock, no randomness. Every span is in Python code points
into the draft exactly as given (before any normalisation), with 1-based line and column.

How it checks (the words live in the banks, not here):

1. Rules (`kind: rules`) are matched on a cleaned copy of the draft (controls removed,
   line endings unified, NFC), leaving out what the agent did not write: quoted history
   (`> ...` lines, "On ... wrote:") and the customer's words quoted in the reply (« ... »,
   “ ... ”, "...").
   A rule's `unless` found anywhere in the same sentence cancels the match (sentences end at
   `.`, `!`, `?` or `…` followed by a space, and at every line break). Overlapping matches of
   one rule become one finding. A span is trimmed to its first and last letter or digit, so a
   pattern that starts at the punctuation before "No." points at the word.
2. Steps: a sentence covers a step when it holds one of that step's markers (`kind:
   markers`), or when at least 80% of the words of a sentence of one of that step's phrases
   (slots left out, at least four words in common) appear in it. A marker inside a rule's
   finding does not count, and a sentence holding an error or a warning covers no step:
   "I understand, but as I said..." does not validate anything. Each missing step is a
   `suggestion` finding, `missing-<step>`, whose suggestion is the best-ranked phrase of that
   step for the customer's message, or without one the step's first example.
3. With the customer's message (`reply_to`), the draft acknowledges the top emotion when it
   covers validate or compassion, or uses a word of that emotion's family from the cue banks;
   `misses-emotion` is a `warning` for a negative emotion (a `suggestion` for confusion or
   gratitude) and replaces `missing-validate`. The draft addresses the situation when a cue
   of one of the situations found in the message appears in it; `misses-situation` (naming
   the top situation) is a `suggestion`, because a good short reply may not name it.
4. Score, 0-100: 100 minus 40 per error, 20 per warning, 4 per suggestion. A draft with no
   error or warning never scores below 70; a draft with one never scores above 69. So 70 and
   above means the draft passes the default `--fail-on warning` gate.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .lazy_re import lazy
from .matching import Match, Matcher, cue_index, rule_index
from .models import NEGATIVE_EMOTIONS, SEVERITIES, STEP_IDS
from .text import PUNCT, Prepared, Token, phrase_tokens, prepare, tokenize

if TYPE_CHECKING:
    from .analysis import Analysis
    from .models import Banks, Marker, Rule

WEIGHTS = {"error": 40, "warning": 20, "suggestion": 4}
PASS_SCORE = 70
PHRASE_COVERAGE = 0.8  # share of a phrase's words a sentence must hold to count as that step
PHRASE_MIN_WORDS = 4
EMOTION_FAMILIES = {
    "angry": ("angry", "frustrated"),
    "frustrated": ("frustrated", "angry"),
    "disappointed": ("disappointed", "sad"),
    "sad": ("sad", "disappointed", "worried"),
    "worried": ("worried",),
    "confused": ("confused",),
    "grateful": ("grateful",),
}

# Words of the tool's own messages (not detection): the rest comes from the banks.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "missing": "Missing step: {title}. {goal}",
        "example": 'For example: "{text}"',
        "misses-emotion": "The customer sounds {emotion}, and the draft does not acknowledge it.",
        "misses-situation": "The customer writes about {situation}; the draft does not mention it.",
    },
    "fr": {
        "missing": "Étape absente : {title}. {goal}",
        "example": "Par exemple : « {text} »",
        "misses-emotion": (
            "Le message du client exprime {emotion} ; le brouillon ne le reconnaît pas."
        ),
        "misses-situation": "Le client écrit au sujet {situation} ; le brouillon n'en parle pas.",
    },
}
EMOTION_WORDS = {
    "en": {e: e for e in ("angry", "frustrated", "disappointed", "confused", "worried", "sad")}
    | {"grateful": "grateful"},
    "fr": {
        "angry": "de la colère",
        "frustrated": "de l'agacement",
        "disappointed": "de la déception",
        "confused": "de la confusion",
        "worried": "de l'inquiétude",
        "sad": "de la tristesse",
        "grateful": "de la gratitude",
    },
}
SITUATION_WORDS = {
    "en": {
        "late_delivery": "a late delivery",
        "refund": "a refund",
        "billing": "a billing problem",
        "defect": "something that does not work (an item, a card, a payment)",
        "wrong_item": "a wrong or missing item",
        "cancellation": "a cancellation",
        "account_access": "access to their account",
        "no_response": "getting no reply",
        "technical_issue": "a technical problem",
        "missed_appointment": "a visit or appointment that did not happen",
        "staff_conduct": "how a member of staff treated them",
    },
    "fr": {
        "late_delivery": "d'un retard de livraison",
        "refund": "d'un remboursement",
        "billing": "d'un problème de facturation",
        "defect": "de quelque chose qui ne fonctionne pas (un article, une carte, un paiement)",
        "wrong_item": "d'un article erroné ou manquant",
        "cancellation": "d'une annulation",
        "account_access": "de l'accès à son compte",
        "no_response": "d'une absence de réponse",
        "technical_issue": "d'un problème technique",
        "missed_appointment": "d'un rendez-vous ou d'une intervention manqués",
        "staff_conduct": "de l'attitude d'un membre de l'équipe envers lui",
    },
}

_HISTORY_RE = lazy(
    r"^[ \t]*(?:On\b[^\n]{0,300}\bwrote:|Le\b[^\n]{0,300}\ba [ée]crit[ \t]*:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE_RE = lazy(r"^[ \t]*>[^\n]*$", re.MULTILINE)
_QUOTATION_RE = lazy(r'«[^»\n]{1,400}»|“[^”\n]{1,400}”|"[^"\n]{1,400}"')
# the lookbehind starts a match only at the start of a run of `!!!`: linear, not quadratic
_SENTENCE_END_RE = lazy(r"(?<![.!?…])[.!?…]+(?=\s|$)|\n")
_NEWLINE_RE = lazy(r"\r\n|\r|\n")
_SLOT_RE = lazy(r"\{\{[a-z][a-z0-9_]*\}\}")


class Finding(NamedTuple):
    """One thing to look at. Positions are `None` for a finding about the whole draft."""

    rule: str
    severity: str
    message: str
    line: int | None = None
    column: int | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    suggestion: str | None = None


class StepHit(NamedTuple):
    """Where the draft does a step: the first sentence found, and what showed it
    (`marker:<id>` or `phrase:<id>`)."""

    step: str
    start: int
    end: int
    line: int
    column: int
    text: str
    via: str


class ReplyCheck(NamedTuple):
    """How the draft answers the customer's message (`reply_to`)."""

    language: str
    emotion: str | None
    acknowledged: bool | None
    situation: str | None
    addressed: bool | None
    concern: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """The check of one draft. See the JSON contract in the README."""

    language: str
    language_confidence: float
    score: int
    steps_covered: tuple[str, ...]
    findings: tuple[Finding, ...]
    steps: tuple[StepHit, ...] = ()
    reply_to: ReplyCheck | None = None

    @property
    def steps_missing(self) -> tuple[str, ...]:
        return tuple(s for s in STEP_IDS if s not in self.steps_covered)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, fail_on: str = "warning") -> bool:
        """True when a finding is at or above `fail_on` (`error`, `warning`, `suggestion`)."""
        limit = SEVERITIES.index(fail_on)
        return any(SEVERITIES.index(f.severity) <= limit for f in self.findings)


class _StepIndex:
    __slots__ = ("entries", "markers", "phrases")
    _fields = ("markers", "entries", "phrases")  # constructor arguments (the bank cache)

    def __init__(
        self,
        markers: Matcher,
        entries: tuple[Marker, ...],
        phrases: tuple[tuple[str, str, frozenset[str]], ...],
    ) -> None:
        self.markers = markers
        self.entries = entries
        # (step, phrase id, folded words) for every phrase of the five steps
        self.phrases = phrases


def check_draft(
    text: str,
    banks: Banks | None = None,
    *,
    lang: str = "auto",
    reply_to: str | Analysis | None = None,
) -> CheckResult:
    """Check an agent's draft reply.

    Args:
        text: the draft, as written.
        banks: loaded banks; `None` loads the default layers.
        lang: `"auto"` to detect, or `"en"` / `"fr"`.
        reply_to: the customer's message (text, or its `Analysis`), to check that the draft
            acknowledges its emotion and addresses its situation.

    Returns:
        The `CheckResult`: findings sorted by position, then the whole-draft ones (what the
        draft misses of the customer's message, then the missing steps in step order), the
        steps covered, and the score.
    """
    if banks is None:
        from .banks.loader import load_banks

        banks = load_banks()
    prep = prepare(text)
    body = _mask_history(prep.clean)
    tokens = tokenize(body)

    customer: Analysis | None = None
    if isinstance(reply_to, str):
        from .analysis import analyze

        default = lang if lang in ("en", "fr") else "en"
        customer = analyze(reply_to, banks, lang="auto", default_lang=default)
    elif reply_to is not None:
        customer = reply_to

    if lang in ("en", "fr"):
        language, confidence = lang, 1.0
    else:
        from .analysis import detect_language

        fallback = customer.language if customer is not None else "en"
        language, confidence = detect_language(tokens, body, banks, fallback)

    sentences = _sentences(body)
    findings = _rule_findings(text, prep, body, tokens, sentences, banks, language)
    hits = _step_hits(text, prep, body, tokens, sentences, findings, banks, language)
    covered = tuple(s for s in STEP_IDS if s in hits)

    whole: list[Finding] = []
    reply_check: ReplyCheck | None = None
    skip_missing: set[str] = set()
    if customer is not None:
        reply_check, extra = _reply_findings(
            customer, prep, body, tokens, findings, covered, banks, language
        )
        whole += extra
        if any(f.rule == "misses-emotion" for f in extra):
            skip_missing.add("validate")
    missing = [
        _missing_step(step, customer, banks, language)
        for step in STEP_IDS
        if step not in hits and step not in skip_missing
    ]
    all_findings = tuple(findings) + tuple(whole) + tuple(missing)
    return CheckResult(
        language=language,
        language_confidence=confidence,
        score=score(all_findings),
        steps_covered=covered,
        findings=all_findings,
        steps=tuple(hits[s] for s in covered),
        reply_to=reply_check,
    )


def score(findings: Sequence[Finding]) -> int:
    """100 minus the weight of each finding; at least 70 with no error or warning, at most
    69 with one."""
    raw = max(0, min(100, 100 - sum(WEIGHTS.get(f.severity, 0) for f in findings)))
    if any(f.severity in ("error", "warning") for f in findings):
        return min(raw, PASS_SCORE - 1)
    return max(raw, PASS_SCORE)


# --- text structure ------------------------------------------------------------------------


def _mask_history(clean: str) -> str:
    """Blank out what the agent did not write, keeping offsets: quoted lines, the quoted
    history after "On ... wrote:", and the customer's words quoted inside the reply
    (« ... », “ ... ”, "...")."""
    ranges = [(m.start(), m.end()) for m in _QUOTED_LINE_RE.finditer(clean)]
    m = _HISTORY_RE.search(clean)
    if m:
        ranges.append((m.start(), len(clean)))
    ranges += [(q.start() + 1, q.end() - 1) for q in _QUOTATION_RE.finditer(clean)]
    if not ranges:
        return clean
    chars = list(clean)
    for start, end in ranges:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _sentences(clean: str) -> list[int]:
    """Start offsets of the sentences of `clean` (the first is 0)."""
    starts = [0]
    for m in _SENTENCE_END_RE.finditer(clean):
        if m.end() < len(clean):
            starts.append(m.end())
    return starts


def _sentence_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def _trim(clean: str, start: int, end: int) -> tuple[int, int]:
    a, b = start, end
    while a < b and not clean[a].isalnum():
        a += 1
    while b > a and not clean[b - 1].isalnum():
        b -= 1
    return (a, b) if a < b else (start, end)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`; `\\r\\n`, `\\r` and `\\n` end a line."""
    # one index of the line breaks per text, then a bisection per finding (scanning from
    # the start for every finding was quadratic on long drafts)
    starts, ends = _line_breaks(text)
    k = bisect.bisect_left(starts, offset)
    last = min(ends[k - 1], offset) - 1 if k else -1  # a `\r\n` cut by `offset` ends at `\r`
    return k + 1, offset - last


@functools.lru_cache(maxsize=2)
def _line_breaks(text: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for m in _NEWLINE_RE.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _finding(
    original: str, prep: Prepared, rule: Rule, start: int, end: int, *, message: str | None = None
) -> Finding:
    a, b = prep.span(start, end)
    line, column = line_col(original, a)
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        message=message or rule.message,
        line=line,
        column=column,
        start=a,
        end=b,
        text=original[a:b],
        suggestion=rule.suggestion,
    )


# --- rules ---------------------------------------------------------------------------------


def _rule_findings(
    original: str,
    prep: Prepared,
    body: str,
    tokens: list[Token],
    sentences: list[int],
    banks: Banks,
    language: str,
) -> list[Finding]:
    index = rule_index(banks, language)
    rules: Sequence[Rule] = index.rules  # type: ignore[assignment]
    cancelled: dict[int, set[int]] = {}
    for m in index.unless.find(tokens, body):
        first = _sentence_of(sentences, m.start)
        last = _sentence_of(sentences, max(m.start, m.end - 1))
        cancelled.setdefault(m.entry, set()).update(range(first, last + 1))
    spans: dict[int, list[tuple[int, int]]] = {}
    for m in index.matcher.find(tokens, body):
        a, b = _trim(body, m.start, m.end)
        if _sentence_of(sentences, a) in cancelled.get(m.entry, ()):
            continue
        spans.setdefault(m.entry, []).append((a, b))
    found: list[tuple[int, int, str, Finding]] = []
    for entry, ranges in spans.items():
        for a, b in _merge(ranges):
            f = _finding(original, prep, rules[entry], a, b)
            found.append((a, b, rules[entry].id, f))
    found.sort(key=lambda t: (t[0], -t[1], t[2]))
    return [f for *_, f in found]


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


# --- steps ---------------------------------------------------------------------------------


def _step_index(banks: Banks, language: str) -> _StepIndex:
    key = f"markers:{language}"
    cached = banks._indexes.get(key)
    if isinstance(cached, _StepIndex):
        return cached
    markers = banks.markers_for(language)
    matcher = Matcher()
    for i, marker in enumerate(markers):
        if marker.words:
            matcher.add_words(i, marker.words)
        if marker.pattern:
            matcher.add_pattern(i, marker.pattern)
    refs: list[tuple[str, str, frozenset[str]]] = []
    for phrase in banks.phrases_for(language):
        if phrase.step not in STEP_IDS:
            continue
        # each sentence of a phrase on its own, as the draft is read sentence by sentence
        template = _SLOT_RE.sub(" ", phrase.text)
        bounds = [*_sentences(template), len(template)]
        for a, b in itertools.pairwise(bounds):
            words = frozenset(phrase_tokens(template[a:b]))
            if len(words) >= PHRASE_MIN_WORDS:
                refs.append((phrase.step, phrase.id, words))
    index = _StepIndex(matcher, markers, tuple(refs))
    banks._indexes[key] = index
    return index


def _step_hits(
    original: str,
    prep: Prepared,
    body: str,
    tokens: list[Token],
    sentences: list[int],
    findings: list[Finding],
    banks: Banks,
    language: str,
) -> dict[str, StepHit]:
    index = _step_index(banks, language)
    # clean-text spans of the findings, and the sentences spoilt by an error or a warning
    flagged: list[tuple[int, int]] = []
    spoilt: set[int] = set()
    for f in findings:
        if f.start is None or f.end is None:
            continue
        a, b = _clean_span(prep, f.start, f.end)
        flagged.append((a, b))
        if f.severity in ("error", "warning"):
            spoilt.update(
                range(_sentence_of(sentences, a), _sentence_of(sentences, max(a, b - 1)) + 1)
            )
    candidates: list[tuple[int, int, int, str, str]] = []  # sentence, start, end, step, via

    def sentence_bounds(k: int) -> tuple[int, int]:
        end = sentences[k + 1] if k + 1 < len(sentences) else len(body)
        return _trim(body, sentences[k], end)

    for m in index.markers.find(tokens, body):
        k = _sentence_of(sentences, m.start)
        if k in spoilt or any(m.start < b and a < m.end for a, b in flagged):
            continue
        marker = index.entries[m.entry]
        candidates.append((k, m.start, m.end, marker.step, f"marker:{marker.id}"))
    words_by_sentence: dict[int, set[str]] = {}
    for tok in tokens:
        if tok.kind != PUNCT:
            words_by_sentence.setdefault(_sentence_of(sentences, tok.start), set()).add(tok.norm)
    for k, words in sorted(words_by_sentence.items()):
        if k in spoilt or len(words) < PHRASE_MIN_WORDS:
            continue
        for step, phrase_id, ref in index.phrases:
            common = len(ref & words)
            if common >= PHRASE_MIN_WORDS and common >= PHRASE_COVERAGE * len(ref):
                a, b = sentence_bounds(k)
                candidates.append((k, a, b, step, f"phrase:{phrase_id}"))
    hits: dict[str, StepHit] = {}
    for k, _a, _b, step, via in sorted(candidates):
        if step in hits:
            continue
        a, b = sentence_bounds(k)
        start, end = prep.span(a, b)
        line, column = line_col(original, start)
        hits[step] = StepHit(step, start, end, line, column, original[start:end], via)
    return hits


def _clean_span(prep: Prepared, start: int, end: int) -> tuple[int, int]:
    """Map an original-text span back to the clean text (inverse of `Prepared.span`)."""
    if prep.starts is None or prep.ends is None:
        return start, end
    a = bisect.bisect_left(prep.starts, start)
    b = bisect.bisect_right(prep.ends, end)
    return a, max(a, b)


def _best_phrase(step: str, customer: Analysis | None, banks: Banks, language: str) -> str | None:
    """The best-ranked phrase of `step` for the customer's message; without one, the step's
    first example (steps bank), else the best phrase for a calm message."""
    from .composer import default_tone, dictionary, fill, rank, slot_values

    if customer is not None and customer.language == language:
        values = slot_values(customer, None, dictionary(banks, language))
        ranked = rank(
            step, customer, banks, tone=default_tone(customer), channel="email", values=values
        )
        if ranked:
            return fill(ranked[0].phrase.text, values)
    guide = next((g for g in banks.steps_for(language) if g.id == step), None)
    if guide is not None and guide.examples:
        labels = LABELS.get(language, LABELS["en"])
        return labels["example"].replace("{text}", guide.examples[0])
    from .analysis import Analysis

    calm = Analysis(
        language=language,
        language_confidence=1.0,
        emotions=(),
        intensity=0.0,
        situations=(),
        concern=None,
    )
    # keeps a restating phrase eligible, its slot left visible for the agent to fill
    visible = {"concern": "{{concern}}"}
    ranked = rank(step, calm, banks, tone="neutral", channel="email", values=visible)
    return fill(ranked[0].phrase.text, visible) if ranked else None


def _missing_step(step: str, customer: Analysis | None, banks: Banks, language: str) -> Finding:
    guide = next((g for g in banks.steps_for(language) if g.id == step), None)
    title = guide.title if guide else step
    goal = guide.goal if guide else ""
    labels = LABELS.get(language, LABELS["en"])
    message = labels["missing"].replace("{title}", title).replace("{goal}", goal).strip()
    return Finding(
        rule=f"missing-{step}",
        severity="suggestion",
        message=message,
        suggestion=_best_phrase(step, customer, banks, language),
    )


# --- the customer's message ---------------------------------------------------------------


def _reply_findings(
    customer: Analysis,
    prep: Prepared,
    body: str,
    tokens: list[Token],
    findings: list[Finding],
    covered: tuple[str, ...],
    banks: Banks,
    language: str,
) -> tuple[ReplyCheck, list[Finding]]:
    index = cue_index(banks, language)
    cues = index.cues
    matches: list[Match] = index.matcher.find(tokens, body)
    flagged = [
        _clean_span(prep, f.start, f.end)
        for f in findings
        if f.start is not None and f.end is not None and f.severity != "suggestion"
    ]

    def free(m: Match) -> bool:
        return not any(m.start < b and a < m.end for a, b in flagged)

    labels = LABELS.get(language, LABELS["en"])
    out: list[Finding] = []
    emotion = customer.emotion
    acknowledged: bool | None = None
    if emotion is not None:
        family = EMOTION_FAMILIES.get(emotion, (emotion,))
        named = any(
            getattr(cues[m.entry], "emotion", None) in family
            and getattr(cues[m.entry], "role", None) is None
            and free(m)
            for m in matches
        )
        acknowledged = named or "validate" in covered or "compassion" in covered
        if not acknowledged:
            word = EMOTION_WORDS.get(language, EMOTION_WORDS["en"]).get(emotion, emotion)
            out.append(
                Finding(
                    rule="misses-emotion",
                    severity="warning" if emotion in NEGATIVE_EMOTIONS else "suggestion",
                    message=labels["misses-emotion"].replace("{emotion}", word),
                    suggestion=_best_phrase("validate", customer, banks, language),
                )
            )
    situation = customer.situation
    addressed: bool | None = None
    if situation is not None:
        # a reply that takes up any of the situations the customer raised addresses it
        raised = {r.name for r in customer.situations}
        addressed = any(
            getattr(cues[m.entry], "situation", None) in raised for m in matches if free(m)
        )
        if not addressed:
            words = SITUATION_WORDS.get(language, SITUATION_WORDS["en"])
            out.append(
                Finding(
                    rule="misses-situation",
                    severity="suggestion",
                    message=labels["misses-situation"].replace(
                        "{situation}", words.get(situation, situation.replace("_", " "))
                    ),
                    suggestion=_best_phrase("perspective", customer, banks, language),
                )
            )
    check = ReplyCheck(
        language=customer.language,
        emotion=emotion,
        acknowledged=acknowledged,
        situation=situation,
        addressed=addressed,
        concern=customer.concern,
    )
    return check, out
