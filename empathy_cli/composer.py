"""Compose a reply skeleton from an analysis: a greeting, one phrase for each of the five
steps, a closing, with slots filled.

`compose` is pure and deterministic: phrases are ranked by how well they fit the emotion,
situation, tone and channel, ties broken by id, and `variant` walks down the fitting ones.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from .models import NEGATIVE_EMOTIONS, STEP_IDS, TONES, Phrase
from .paraphrase import paraphrase, quote, too_messy

if TYPE_CHECKING:
    from .analysis import Analysis
    from .models import Banks

SLOT_RE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
CUSTOMER_SLOTS = ("concern", "quote")
# How much an emotion match and a situation match count, per step: validating is about
# the feeling, explaining and solving are about the situation.
STEP_WEIGHTS = {
    "listen": (2.5, 2.5),
    "validate": (4.0, 2.0),
    "perspective": (2.0, 3.5),
    "compassion": (3.5, 2.0),
    "collaborate": (2.5, 3.5),
}
# Slots that only the agent can fill (what they found, what they can offer): a phrase that
# asks for them is the point of the step, not a gap to avoid.
AGENT_FACTS = frozenset({"details", "option", "options", "date", "agent", "company"})
SITUATION_OFF_EMOTION = 0.3  # share of the situation bonus for a phrase written for another feeling
SPECIFIC_BONUS = 0.3  # split among a phrase's tags: a phrase for one feeling beats one for five
CHANNEL_MISMATCH = 6.0
FIT_MARGIN = 2.5  # a phrase within this score of the best still "fits" (for variants)
WARM_INTENSITY = 0.45
FRAME_TITLES = {
    "en": {"greeting": "Greeting", "closing": "Closing"},
    "fr": {"greeting": "Salutation", "closing": "Formule de fin"},
}


class Part(NamedTuple):
    """One piece of the reply: a step, the greeting or the closing."""

    id: str
    title: str
    text: str
    phrase_id: str | None
    reason: str = ""
    technique: str | None = None


class Slot(NamedTuple):
    name: str
    value: str | None


class Reply(NamedTuple):
    """A composed reply. `reply` is the whole text an agent would paste."""

    language: str
    analysis: Analysis
    tone: str
    channel: str
    variant: int
    greeting: Part
    steps: tuple[Part, ...]
    closing: Part
    slots: tuple[Slot, ...]
    reply: str


class Candidate(NamedTuple):
    phrase: Phrase
    score: float
    reason: str
    fits: bool = True  # False when written for another feeling, situation or channel


def default_tone(analysis: Analysis) -> str:
    """Calm message -> neutral; strong emotion or gratitude -> warm."""
    top = analysis.emotions[0] if analysis.emotions else None
    if top is None:
        return "neutral"
    if top.name == "grateful" or top.name == "sad":
        return "warm"
    if analysis.intensity >= WARM_INTENSITY or (top.name in NEGATIVE_EMOTIONS and top.score >= 0.6):
        return "warm"
    return "neutral"


def slot_names(text: str) -> list[str]:
    """The slots a phrase uses, in order of first appearance."""
    seen: list[str] = []
    if "{{" not in text:
        return seen
    for name in SLOT_RE.findall(text):
        if name not in seen:
            seen.append(name)
    return seen


def fill(template: str, values: Mapping[str, str]) -> str:
    """Fill `{{slots}}` in one pass; values are inserted literally and never re-scanned,
    so customer text inside a value can never act as a slot or a format string."""
    if "{{" not in template:
        return template  # most phrases have no slot
    return SLOT_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)


_PHRASE_INDEX = "compose:phrases"


# a phrase as `_scored` reads it: the phrase, its slots, its tone's rank, whether it needs
# the concern, whether it needs the quote, its slots an agent cannot fill from what they know
# (not in AGENT_FACTS), its slots that count as filled (not the customer's), and the bonus for
# each of its feelings and situations
_Scoring = tuple[
    Phrase, tuple[str, ...], int, bool, bool, tuple[str, ...], tuple[str, ...], float, float
]


def _phrases_by_step(banks: Banks, language: str, step: str) -> tuple[_Scoring, ...]:
    """The phrases of one language and step, each with what ranking it needs (`_Scoring`).

    Built once per banks object (in `banks._indexes`, so stored in the bank cache), so
    ranking a step looks at the phrases of that step only, without scanning every phrase or
    its text again.
    """
    index: dict[tuple[str, str], tuple[_Scoring, ...]] | None
    index = banks._indexes.get(_PHRASE_INDEX)
    if index is None:
        groups: dict[tuple[str, str], list[_Scoring]] = {}
        for phrase in banks.phrases:
            tone_rank = TONES.index(phrase.tone) if phrase.tone in TONES else 1
            used = tuple(slot_names(phrase.text))
            groups.setdefault((phrase.language, phrase.step), []).append(
                (
                    phrase,
                    used,
                    tone_rank,
                    "concern" in used,
                    "quote" in used,
                    tuple(s for s in used if s not in AGENT_FACTS),
                    tuple(s for s in used if s not in CUSTOMER_SLOTS),
                    SPECIFIC_BONUS / len(phrase.emotions) if phrase.emotions else 0.0,
                    SPECIFIC_BONUS / len(phrase.situations) if phrase.situations else 0.0,
                )
            )
        index = {key: tuple(group) for key, group in groups.items()}
        banks._indexes[_PHRASE_INDEX] = index
    return index.get((language, step), ())


def _scored(
    step: str,
    analysis: Analysis,
    banks: Banks,
    *,
    tone: str,
    channel: str,
    values: Mapping[str, str],
) -> list[tuple[float, str, Phrase, list[str], bool]]:
    """`(-score, id, phrase, reasons, fits)` for each usable phrase of the step, best first;
    `fits` is False for a phrase written for a feeling, situation or channel this message
    does not have (it may still be the best there is, but never a variant).

    The reasons stay a list here: only the phrase that is picked needs them as a sentence.
    """
    emotions = {r.name: r.score for r in analysis.emotions}
    top_emotion = analysis.emotion
    situations = {r.name: r.score for r in analysis.situations}
    top_situation = analysis.situation
    emotion_weight, situation_weight = STEP_WEIGHTS.get(step, (3.0, 3.0))
    tone_rank = TONES.index(tone) if tone in TONES else None
    tone_reason = f"{tone} tone"
    frame = step in ("greeting", "closing")
    listen = step == "listen"
    has_concern = "concern" in values
    has_quote = "quote" in values
    out: list[tuple[float, str, Phrase, list[str], bool]] = []
    for (
        phrase,
        used,
        phrase_tone,
        needs_concern,
        needs_quote,
        missable,
        fillable,
        emotion_bonus,
        situation_bonus,
    ) in _phrases_by_step(banks, analysis.language, step):
        if (needs_concern and not has_concern) or (needs_quote and not has_quote):
            continue
        score = 0.0
        fits = True
        why: list[str] = []
        # the situation counts fully only for phrases written for this feeling (or any):
        # a thank-you with a defect must not get the defect's troubleshooting phrase
        phrase_emotions = phrase.emotions
        on_feeling = not phrase_emotions
        if phrase_emotions:
            if top_emotion and top_emotion in phrase_emotions:
                score += emotion_weight + emotion_bonus
                why.append(top_emotion)
                on_feeling = True
            elif not emotions.keys().isdisjoint(phrase_emotions):
                best = max(emotions.get(e, 0.0) for e in phrase_emotions)
                score += (emotion_weight - 2.0) + best
                why.append(next(e for e in phrase_emotions if e in emotions))
            elif not emotions and "neutral" in phrase_emotions:
                score += 2.0 + emotion_bonus
                why.append("calm message")
                on_feeling = True
            else:
                score -= 4.0
                fits = False
        phrase_situations = phrase.situations
        if phrase_situations:
            share = 1.0 if on_feeling else SITUATION_OFF_EMOTION
            if top_situation and top_situation in phrase_situations:
                score += share * situation_weight + situation_bonus
                why.append(top_situation)
            elif not situations.keys().isdisjoint(phrase_situations):
                score += share * 1.5
                why.append(next(s for s in phrase_situations if s in situations))
            else:
                score -= 4.0
                fits = False
        distance = abs(phrase_tone - tone_rank) if tone_rank is not None else 0
        if distance == 0:
            score += 1.5
            why.append(tone_reason)
        else:
            score += -1.5 * distance
        if phrase.channel:
            if channel in phrase.channel:
                score += 0.5
            else:
                score -= CHANNEL_MISMATCH
                fits = False
        if used:
            missing = [s for s in missable if s not in values]
            if missing:
                score -= 0.6 * len(missing)
                if frame and "name" in missing:
                    score -= 3.0  # "Hi {{name}}," as a first line is worse than a plain "Hello,"
            filled = sum(1 for s in fillable if s in values)
            if filled:
                score += 0.3 * filled
        if listen:
            preference, reason = listen_preference(used, has_quote)
            score += preference
            if reason:
                why.append(reason)
        out.append((-round(score, 3), phrase.id, phrase, why, fits))
    out.sort(key=_BY_SCORE_THEN_ID)
    return out


_BY_SCORE_THEN_ID = itemgetter(0, 1)


def listen_preference(used: Collection[str], has_quote: bool) -> tuple[float, str | None]:
    """How a listen phrase ranks among listen phrases: restating the concern beats quoting
    it, and quoting beats saying nothing of it when a quote is available.

    Args:
        used: the slots the phrase uses.
        has_quote: whether the customer's concern can be quoted.

    Returns:
        The score to add and the reason to show, if any.
    """
    if "concern" in used:
        return 1.5, "restates the concern"
    if "quote" in used:
        return 0.8, "quotes the customer"
    return (-0.5, None) if has_quote else (0.0, None)


def _reason(why: list[str]) -> str:
    return ", ".join(why) if why else "fits any message"


def rank(
    step: str,
    analysis: Analysis,
    banks: Banks,
    *,
    tone: str,
    channel: str,
    values: Mapping[str, str],
) -> list[Candidate]:
    """Rank the phrases of one step for this analysis, best first (ties by id)."""
    scored = _scored(step, analysis, banks, tone=tone, channel=channel, values=values)
    return [
        Candidate(phrase, -negated, _reason(why), fits)
        for negated, _id, phrase, why, fits in scored
    ]


def pick(candidates: list[Candidate], variant: int) -> Candidate | None:
    """The `variant`-th (1-based, wrapping) of the candidates that fit: within
    `FIT_MARGIN` of the best, and not written for another feeling, situation or channel
    (the best one is always a choice, even when nothing fits better)."""
    if not candidates:
        return None
    best = candidates[0].score
    fitting = [candidates[0]] + [
        c for c in candidates[1:] if c.fits and c.score >= best - FIT_MARGIN
    ]
    return fitting[(max(variant, 1) - 1) % len(fitting)]


def _pick_scored(
    scored: list[tuple[float, str, Phrase, list[str], bool]], variant: int
) -> Candidate | None:
    """`pick(rank(...))` without building a `Candidate` for every phrase."""
    if not scored:
        return None
    floor = -scored[0][0] - FIT_MARGIN
    fitting = [scored[0]]
    for item in scored[1:]:  # best first: stop at the first one below the margin
        if -item[0] < floor:
            break
        if item[4]:
            fitting.append(item)
    negated, _id, phrase, why, fits = fitting[(max(variant, 1) - 1) % len(fitting)]
    return Candidate(phrase, -negated, _reason(why), fits)


_PICKS_INDEX = "memo:compose-picks"
PICKS_LIMIT = 1024  # readings remembered per banks object (about 1.5 MB at most)


def _picks(
    banks: Banks,
    analysis: Analysis,
    tone: str,
    channel: str,
    variant: int,
) -> dict[tuple[str, frozenset[str]], Candidate | None]:
    """The phrases already picked, by step and filled slots, for a reading like this one.

    The pick for a step depends only on the language, the emotions in order (with the
    scores of all but the first), the situations in order, the tone, the channel, the
    variant, and which of the slots that step's phrases use have a value (not the values;
    see `_scored`): messages that share those share their picks, so a batch ranks each
    step's phrases once per distinct reading, not once per message. The memo lives with the
    banks (it is never written to the bank cache) and holds at most `PICKS_LIMIT` readings,
    the least recently used forgotten first; each holds its picks by (step, filled slots of
    that step).
    """
    memo: dict[tuple[object, ...], dict[tuple[str, frozenset[str]], Candidate | None]] | None
    memo = banks._indexes.get(_PICKS_INDEX)
    if memo is None:
        memo = banks._indexes[_PICKS_INDEX] = {}
    emotions = analysis.emotions
    key = (
        analysis.language,
        emotions[0].name if emotions else None,  # the top emotion's score plays no part
        tuple((r.name, r.score) for r in emotions[1:]),
        tuple(r.name for r in analysis.situations),
        tone,
        channel,
        variant,
    )
    picks = memo.pop(key, None)  # put back last: the least recently used go first
    if picks is None:
        if len(memo) >= PICKS_LIMIT:
            del memo[next(iter(memo))]
        picks = {}
    memo[key] = picks
    return picks


def _step_slots(banks: Banks, language: str, step: str) -> frozenset[str]:
    """Every slot the phrases of one language and step use (remembered with the banks)."""
    memo: dict[tuple[str, str], frozenset[str]] | None = banks._indexes.get(_STEP_SLOTS)
    if memo is None:
        memo = banks._indexes[_STEP_SLOTS] = {}
    found = memo.get((language, step))
    if found is None:
        found = memo[(language, step)] = frozenset(
            slot for entry in _phrases_by_step(banks, language, step) for slot in entry[1]
        )
    return found


_STEP_SLOTS = "memo:step-slots"


class Dictionary:
    """Membership in any of several word sets (a language's word list and stopwords)."""

    __slots__ = ("_words",)

    def __init__(self, *sets: frozenset[str]) -> None:
        # one set, so that a look-up is one hash probe (a batch asks for tens of thousands)
        self._words: frozenset[str] = frozenset().union(*sets)

    def __contains__(self, word: object) -> bool:
        return word in self._words


def dictionary(banks: Banks, language: str) -> Dictionary:
    """The correctly spelt words of a language, as the analysis knows them (built once per
    language and kept with the banks)."""
    key = f"memo:dictionary:{language}"
    found: Dictionary | None = banks._indexes.get(key)
    if found is None:
        from .matching import cue_index

        index = cue_index(banks, language)
        found = banks._indexes[key] = Dictionary(index.lexicon, index.stopwords)
    return found


_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam"})


def address(name: str, language: str) -> str:
    """How a reply addresses the customer whose signature reads `name`.

    English support writes to the first name ("Hi Priya," for "Priya Shah"), unless the
    customer signed with a title ("Mr Jones" stays whole); French keeps the whole name
    (« Bonjour Marie Lefèvre, »), the usual way to write without guessing Madame or Monsieur.
    A name given with `--set name=...` is used as given.
    """
    words = name.split()
    if language != "en" or len(words) < 2 or words[0].lower().rstrip(".") in _TITLES:
        return name
    return words[0]


def slot_values(
    analysis: Analysis,
    slots: Mapping[str, str] | None = None,
    known: Container[str] | None = None,
) -> dict[str, str]:
    """Known slot values: what the analysis found, overridden by `slots`; plus the
    customer's concern, paraphrased (`concern`) and quoted (`quote`).

    With `known` (see `dictionary`), a concern full of typos or SMS spellings is neither
    restated nor quoted, so the listen step falls back to a phrase without it."""
    values: dict[str, str] = {}
    if analysis.entities.name:
        values["name"] = address(analysis.entities.name, analysis.language)
    if analysis.entities.order:
        values["order"] = analysis.entities.order
    for key, value in (slots or {}).items():
        if value is not None and str(value).strip() and key not in CUSTOMER_SLOTS:
            values[key] = str(value)
    if analysis.concern:
        restated = (
            None
            if analysis.concern_is_question
            else paraphrase(analysis.concern, analysis.language, known)
        )
        if restated:
            values["concern"] = restated
        messy = known is not None and too_messy(analysis.concern, known)
        # quoting a calm question back ("You wrote 'what time do you close'") sounds odd;
        # quote only a concern that comes with a feeling or a problem
        calm_question = analysis.concern_is_question and not (
            analysis.emotions or analysis.situations
        )
        if not messy and not calm_question and _says_enough(analysis):
            values["quote"] = quote(analysis.concern)
    return values


def _says_enough(analysis: Analysis) -> bool:
    """Whether the concern says enough to be quoted back: three words, or two that name a
    problem ("charged twice"); "fix it" or "what data?" quoted alone sound curt."""
    span = analysis.concern_span
    if span is None or len(span.text.split()) >= 3:
        return True
    return any(
        span.start <= cue.start and cue.end <= span.end
        for reading in analysis.situations
        for cue in reading.cues
    )


def compose(
    analysis: Analysis,
    banks: Banks | None = None,
    *,
    tone: str | None = None,
    channel: str | None = None,
    variant: int = 1,
    slots: Mapping[str, str] | None = None,
) -> Reply:
    """Compose the reply skeleton for an analysed message.

    Args:
        analysis: the result of `analyze`.
        banks: loaded banks; `None` loads the default layers.
        tone: `warm`, `neutral` or `formal`; `None` follows the message's intensity.
        channel: `email` (default), `chat`, `phone` or `social`.
        variant: 1 for the best fitting phrases, 2, 3... for the next ones (wrapping).
        slots: slot values (`name`, `agent`, `company`, `order`, `item`, `date`, any other).

    Returns:
        The `Reply`, with the five steps always present and in order.
    """
    if banks is None:
        from .banks.loader import load_banks

        banks = load_banks()
    tone = tone or default_tone(analysis)
    channel = channel or "email"
    values = slot_values(analysis, slots, dictionary(banks, analysis.language))
    guides = {g.id: g for g in banks.steps_for(analysis.language)}
    titles = FRAME_TITLES.get(analysis.language, FRAME_TITLES["en"])

    chosen_phrases: list[Phrase] = []
    picks = _picks(banks, analysis, tone, channel, variant)

    filled = frozenset(values)

    def part(step: str, title: str, technique: str | None) -> Part:
        # a step's pick depends only on which of its own phrases' slots have a value
        key = (step, filled & _step_slots(banks, analysis.language, step))
        if key in picks:
            chosen = picks[key]
        else:
            chosen = picks[key] = _pick_scored(
                _scored(step, analysis, banks, tone=tone, channel=channel, values=values),
                variant,
            )
        if chosen is None:
            return Part(step, title, "", None, "no phrase in the banks for this step", technique)
        chosen_phrases.append(chosen.phrase)
        return Part(
            step,
            title,
            fill(chosen.phrase.text, values),
            chosen.phrase.id,
            chosen.reason,
            technique,
        )

    greeting = part("greeting", titles["greeting"], None)
    steps = []
    for step in STEP_IDS:
        guide = guides.get(step)
        title = guide.title if guide else step
        technique = None
        if guide and guide.techniques:
            technique = guide.techniques[(max(variant, 1) - 1) % len(guide.techniques)]
        steps.append(part(step, title, technique))
    closing = part("closing", titles["closing"], None)

    reply = layout(greeting.text, [s.text for s in steps], closing.text)
    used: list[str] = []
    for phrase in chosen_phrases:  # greeting, steps, closing: in the order of the reply
        for name in slot_names(phrase.text):
            if name not in used and name not in CUSTOMER_SLOTS:
                used.append(name)
    slot_list = tuple(Slot(name, values.get(name)) for name in used)
    return Reply(
        language=analysis.language,
        analysis=analysis,
        tone=tone,
        channel=channel,
        variant=variant,
        greeting=greeting,
        steps=tuple(steps),
        closing=closing,
        slots=slot_list,
        reply=reply,
    )


def layout(greeting: str, steps: list[str], closing: str) -> str:
    """Lay the parts out as paragraphs: greeting / listen+validate / perspective /
    compassion+collaborate / closing."""
    listen, validate, perspective, compassion, collaborate = (steps + [""] * 5)[:5]
    paragraphs = [
        greeting,
        _sentences(listen, validate),
        perspective,
        _sentences(compassion, collaborate),
        closing,
    ]
    return "\n\n".join(p.strip() for p in paragraphs if p and p.strip())


def _sentences(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())
