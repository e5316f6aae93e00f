"""Find phrases fast: fuzzy lookup over phrase text, title, id and tags, and ranking by fit to
a customer's message (`empathy phrases`).

Matching is word by word, case- and accent-blind (`desole` finds `désolé`) and tolerant of
typos (`frustrting` finds `frustrating`): every query word is compared with rapidfuzz to the
words of the banks, a word that starts with the query word counts as a near match, and a
phrase's score (0-100) is the weighted mean over the query words of their best match in the
phrase. Common words (`je`, `the`) weigh less. Results are sorted by score, then the five
steps before the greeting and closing, then id and language,
so the same query always gives the same list.

With `for_message`, the message is analysed and phrases are ranked with `compose.rank`, the
same ranking `suggest` uses, so `phrases --for` and `suggest -i` agree on what fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .errors import InputError
from .models import LANGUAGES, PHRASE_EMOTIONS, PHRASE_STEPS, SITUATIONS, TONES, Phrase
from .text import WORD, fold, tokenize

if TYPE_CHECKING:
    from .analysis import Analysis
    from .models import Banks

COVERAGE_CUTOFF = 0.5  # a good match has at least half of the query's words
WORD_CUTOFF = 80.0  # a query word and a bank word this similar (0-100) match
MIN_STEM = 5  # words sharing their first 5+ letters are related: frustr-ating, frustr-ated
STOPWORD_WEIGHT = 0.25
# the words of the phrase itself count most; its title, tags and id are labels
FIELD_WEIGHTS = {"text": 1.0, "title": 0.98, "tags": 0.96, "id": 0.94}
FIT_LOW, FIT_HIGH = -4.0, 10.0  # `compose.rank` scores mapped onto 0-100
# Support words in one language and their usual counterparts in the other (folded), so an
# agent who types "refund" with --lang fr finds "remboursement". A translation counts a
# little less than the word itself, so a phrase in the query's own language comes first.
_GLOSSARY_PAIRS = (
    ("refund", "remboursement rembourser rembourse"),
    ("refunded", "rembourse"),
    ("delivery", "livraison livrer"),
    ("deliver", "livrer livraison"),
    ("parcel", "colis"),
    ("package", "colis"),
    ("order", "commande"),
    ("late", "retard"),
    ("delay", "retard delai"),
    ("wait", "attente attendre"),
    ("waiting", "attente attendre"),
    ("sorry", "desole excuses pardon"),
    ("apologies", "excuses"),
    ("apology", "excuses"),
    ("thanks", "merci remercie"),
    ("thank", "merci remercie"),
    ("bill", "facture"),
    ("invoice", "facture"),
    ("charged", "facture preleve debite"),
    ("payment", "paiement"),
    ("account", "compte"),
    ("password", "passe identifiant"),
    ("login", "connexion connecter"),
    ("card", "carte"),
    ("broken", "casse"),
    ("faulty", "defectueux panne"),
    ("wrong", "mauvais erreur"),
    ("cancel", "resilier annuler resiliation"),
    ("subscription", "abonnement"),
    ("understand", "comprends comprendre"),
    ("frustrating", "agacement frustrant"),
    ("frustrated", "agacement frustre"),
    ("worried", "inquiet inquiete inquietude"),
    ("worry", "inquietude inquieter"),
    ("angry", "colere"),
    ("disappointed", "decu decue deception"),
    ("disappointment", "deception"),
    ("call", "appel rappeler appeler"),
    ("help", "aide aider"),
    ("tracking", "suivi"),
    ("replacement", "remplacement"),
    ("exchange", "echange"),
    ("loss", "perte deuil"),
    ("condolences", "condoleances"),
    ("answer", "reponse repondre"),
    ("reply", "reponse repondre"),
    ("chase", "relancer relance"),
    ("money", "argent"),
    ("transfer", "virement"),
    ("update", "nouvelles"),
    ("quickly", "rapidement vite"),
)


def _glossary() -> dict[str, tuple[str, ...]]:
    """Each word of `_GLOSSARY_PAIRS`, either language, with its counterparts: the words of
    the other language, and the other words of its own side ("desole" also finds "excuses",
    since a French phrase says « toutes mes excuses » where an agent types « désolé »)."""
    both: dict[str, list[str]] = {}
    for english, french in _GLOSSARY_PAIRS:
        group = [english, *french.split()]
        for word in group:
            both.setdefault(word, []).extend(w for w in group if w != word)
    return {word: tuple(dict.fromkeys(others)) for word, others in both.items()}


_GLOSSARY = _glossary()
TRANSLATION_WEIGHT = 0.9
_SLOT_RE = re.compile(r"\{\{[a-z][a-z0-9_]*\}\}")
_STEP_ORDER = {s: i for i, s in enumerate(("greeting", *PHRASE_STEPS[:5], "closing"))}
_TIE_ORDER = {s: i for i, s in enumerate((*PHRASE_STEPS[:5], "greeting", "closing"))}


class PhraseMatch(NamedTuple):
    """One search result.

    Attributes:
        phrase: the phrase found.
        score: 0-100; 100 for a listing without query, the query match and/or the fit to
            the customer's message otherwise.
        spans: `(start, end)` code-point ranges of `phrase.text` that matched the query.
        title_spans: the same for `phrase.title`.
        fit: how well the phrase fits the message given as `for_message` (0-100), or None.
    """

    phrase: Phrase
    score: float
    spans: tuple[tuple[int, int], ...] = ()
    title_spans: tuple[tuple[int, int], ...] = ()
    fit: float | None = None

    @property
    def id(self) -> str:
        return self.phrase.id

    @property
    def language(self) -> str:
        return self.phrase.language


class _Word(NamedTuple):
    norm: str
    start: int
    end: int


class _Doc(NamedTuple):
    """The searchable words of one phrase, field by field."""

    phrase: Phrase
    fields: dict[str, list[_Word]]


class _Index:
    __slots__ = ("docs", "stopwords", "vocabulary")
    _fields = ("docs", "vocabulary", "stopwords")  # constructor arguments (the bank cache)

    def __init__(self, docs: list[_Doc], vocabulary: list[str], stopwords: frozenset[str]) -> None:
        self.docs = docs
        self.vocabulary = vocabulary
        self.stopwords = stopwords


def _words(text: str) -> list[_Word]:
    return [_Word(t.norm, t.start, t.end) for t in tokenize(text) if t.kind == WORD]


def _blank_slots(text: str) -> str:
    """Slot names are markup, not words to search: blank them out, keeping offsets."""
    return _SLOT_RE.sub(lambda m: " " * len(m.group()), text)


def _build_index(banks: Banks) -> _Index:
    from .matching import read_word_list

    docs: list[_Doc] = []
    vocabulary: set[str] = set()
    for phrase in banks.phrases:
        doc = _Doc(phrase, {})
        doc.fields["text"] = _words(_blank_slots(phrase.text))
        doc.fields["title"] = _words(phrase.title)
        doc.fields["tags"] = [w for tag in phrase.tags for w in _words(tag)]
        doc.fields["id"] = _words(phrase.id.replace(".", " ").replace("_", " "))
        for words in doc.fields.values():
            vocabulary.update(w.norm for w in words)
        docs.append(doc)
    stop: set[str] = set()
    for lang in LANGUAGES:
        stop |= read_word_list(f"stopwords-{lang}.txt")
    return _Index(docs, sorted(vocabulary), frozenset(stop))


def _index(banks: Banks) -> _Index:
    index = banks._indexes.get("search")
    if not isinstance(index, _Index):
        index = banks._indexes["search"] = _build_index(banks)
    return index


def _word_scores(query_word: str, vocabulary: Sequence[str]) -> dict[str, float]:
    """How well each bank word matches one query word (only those that match)."""
    from rapidfuzz import fuzz, process, utils

    scores: dict[str, float] = {}
    size = len(query_word)
    if size >= 4:
        for word, score, _ in process.extract(
            query_word,
            vocabulary,
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=WORD_CUTOFF,
            limit=None,
        ):
            scores[word] = float(score)
    elif query_word in vocabulary:
        scores[query_word] = 100.0
    if size >= 3:
        for word in vocabulary:
            if len(word) > size and word.startswith(query_word):
                # a prefix is a near match: "frust" finds "frustrating"
                near = 90.0 + 10.0 * size / len(word)
            elif size >= MIN_STEM:
                # a shared start is a related word: "frustrting" finds "frustrated" too
                shared = _common_prefix(query_word, word)
                if shared < MIN_STEM or shared < 0.6 * size:
                    continue
                near = 80.0 + 10.0 * shared / max(size, len(word))
            else:
                continue
            if near > scores.get(word, 0.0):
                scores[word] = near
    return scores


def _with_translations(query_word: str, vocabulary: Sequence[str]) -> dict[str, float]:
    """`_word_scores` of the word, and of its counterparts in the other language a little
    lower (`_GLOSSARY`): "refund" also finds "remboursement"."""
    scores = _word_scores(query_word, vocabulary)
    for other in _GLOSSARY.get(query_word, ()):
        for word, score in _word_scores(other, vocabulary).items():
            translated = score * TRANSLATION_WEIGHT
            if translated > scores.get(word, 0.0):
                scores[word] = translated
    return scores


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _check(value: str | None, allowed: Iterable[str], what: str, option: str) -> None:
    allowed = tuple(allowed)
    if value is not None and value not in allowed:
        raise InputError(
            f"Unknown {what} '{value}' for {option}. Use one of: {', '.join(allowed)}."
        )


def _passes(
    phrase: Phrase,
    *,
    step: str | None,
    emotion: str | None,
    situation: str | None,
    lang: str | None,
    tone: str | None,
) -> bool:
    return (
        (step is None or phrase.step == step)
        and (emotion is None or emotion in phrase.emotions)
        and (situation is None or situation in phrase.situations)
        and (lang is None or phrase.language == lang)
        and (tone is None or phrase.tone == tone)
    )


def listing_key(phrase: Phrase) -> tuple[str, int, str]:
    """The order of a listing: language, then the order of a reply, then id."""
    return (phrase.language, _STEP_ORDER.get(phrase.step, 99), phrase.id)


def _query_matches(
    query: str, docs: Sequence[_Doc], index: _Index
) -> dict[tuple[str, str], PhraseMatch]:
    """Score every doc against the query; keep those that match at least half of it."""
    words = [t.norm for t in tokenize(fold(query)) if t.kind == WORD]
    if not words:
        return {}
    content = [w for w in words if w not in index.stopwords]
    weights = [(1.0 if w not in index.stopwords or not content else STOPWORD_WEIGHT) for w in words]
    similar = {w: _with_translations(w, index.vocabulary) for w in set(words)}
    joined = " ".join(words)
    out: dict[tuple[str, str], PhraseMatch] = {}
    for doc in docs:
        total = 0.0
        covered = 0.0
        marks: dict[str, set[tuple[int, int]]] = {"text": set(), "title": set()}
        for word, weight in zip(words, weights, strict=True):
            best = 0.0
            table = similar[word]
            for name, field_words in doc.fields.items():
                for w in field_words:
                    score = table.get(w.norm)
                    if score is None:
                        continue
                    if name in marks:
                        marks[name].add((w.start, w.end))
                    best = max(best, score * FIELD_WEIGHTS[name])
            if best:
                covered += weight
            total += best * weight
        if covered < COVERAGE_CUTOFF * sum(weights) or not covered:
            continue
        score = total / sum(weights)
        if len(words) > 1:
            # the words in the same order, side by side, beat the words scattered about
            together = any(
                joined in " ".join(w.norm for w in doc.fields[name])
                for name in ("text", "title", "tags")
            )
            score = min(100.0, score * 0.95 + (5.0 if together else 0.0))
        phrase = doc.phrase
        out[(phrase.language, phrase.id)] = PhraseMatch(
            phrase,
            round(score, 1),
            tuple(sorted(marks["text"])),
            tuple(sorted(marks["title"])),
        )
    return out


def fit_score(rank_score: float) -> float:
    """Map a `compose.rank` score onto 0-100."""
    scaled = 100.0 * (rank_score - FIT_LOW) / (FIT_HIGH - FIT_LOW)
    return round(min(100.0, max(0.0, scaled)), 1)


def _fits(
    analysis: Analysis, banks: Banks, *, step: str | None, tone: str | None
) -> dict[tuple[str, str], float]:
    """Fit (0-100) of every phrase of the message's language, as `suggest` ranks them.

    Within one step the order is exactly `compose.rank`'s; across steps the listen-only
    preference (`composer.listen_preference`) is left out, so a listen phrase does not
    outrank a phrase written for this emotion or situation.
    """
    from .composer import default_tone, dictionary, listen_preference, rank, slot_names, slot_values

    values = slot_values(analysis, None, dictionary(banks, analysis.language))
    chosen_tone = tone or default_tone(analysis)
    out: dict[tuple[str, str], float] = {}
    for one_step in (step,) if step else PHRASE_STEPS:
        for candidate in rank(
            one_step, analysis, banks, tone=chosen_tone, channel="email", values=values
        ):
            score = candidate.score
            if step is None and candidate.phrase.step == "listen":
                used = slot_names(candidate.phrase.text)
                score -= listen_preference(used, "quote" in values)[0]
            out[(candidate.phrase.language, candidate.phrase.id)] = fit_score(score)
    return out


def search_phrases(
    query: str = "",
    banks: Banks | None = None,
    *,
    step: str | None = None,
    emotion: str | None = None,
    situation: str | None = None,
    lang: str | None = None,
    tone: str | None = None,
    for_message: str | Analysis | None = None,
    limit: int | None = 10,
) -> list[PhraseMatch]:
    """Look phrases up by words, filters and fit to a customer's message.

    Args:
        query: words to look for in the phrases' text, title, id and tags (case, accents and
            small typos do not matter). Empty: every phrase that passes the filters.
        banks: loaded banks; `None` loads the default layers.
        step: only phrases of this step (`listen` ... `collaborate`, `greeting`, `closing`).
        emotion: only phrases tagged with this emotion.
        situation: only phrases tagged with this situation.
        lang: `en` or `fr`; `None` searches both (with `for_message`: the message's language).
        tone: only phrases of this tone (`warm`, `neutral`, `formal`).
        for_message: a customer's message (or its `Analysis`): rank phrases by how well they
            fit its emotions, situations and language, as `suggest` does. With a query too,
            the score is the mean of the query match and the fit.
        limit: the most results to return; `None` or 0 for all.

    Returns:
        Matches sorted by score (best first), then step (the five steps before greeting and
        closing), id and language; empty when nothing matches well enough.

    Raises:
        InputError: a filter value that does not exist.
    """
    _check(step, PHRASE_STEPS, "step", "--step")
    _check(emotion, PHRASE_EMOTIONS, "emotion", "--emotion")
    _check(situation, SITUATIONS, "situation", "--situation")
    _check(lang, LANGUAGES, "language", "--lang")
    _check(tone, TONES, "tone", "--tone")
    if banks is None:
        from .banks.loader import load_banks

        banks = load_banks()
    analysis: Analysis | None = None
    if for_message is not None:
        if isinstance(for_message, str):
            from .analysis import analyze

            analysis = analyze(for_message, banks, lang=lang or "auto")
        else:
            analysis = for_message
        lang = analysis.language
    index = _index(banks)
    docs = [
        d
        for d in index.docs
        if _passes(d.phrase, step=step, emotion=emotion, situation=situation, lang=lang, tone=tone)
    ]
    results: list[PhraseMatch]
    if query.strip():
        found = _query_matches(query, docs, index)
        results = list(found.values())
    else:
        results = [PhraseMatch(d.phrase, 100.0) for d in docs]
    if analysis is not None:
        fits = _fits(analysis, banks, step=step, tone=tone)
        ranked = []
        for match in results:
            fit = fits.get((match.phrase.language, match.phrase.id))
            if fit is None:  # e.g. a listen phrase quoting a concern the message lacks
                continue
            score = fit if not query.strip() else round((match.score + fit) / 2, 1)
            ranked.append(PhraseMatch(match.phrase, score, match.spans, match.title_spans, fit))
        results = ranked
    if query.strip() or analysis is not None:
        # at equal scores, the five steps before the greeting and closing lines
        results.sort(
            key=lambda m: (-m.score, _TIE_ORDER[m.phrase.step], m.phrase.id, m.phrase.language)
        )
    else:
        results.sort(key=lambda m: listing_key(m.phrase))
    if limit:
        results = results[:limit]
    return results


def phrase_ids(banks: Banks, prefix: str = "") -> list[tuple[str, str]]:
    """`(id, title)` of every phrase whose id starts with `prefix`, sorted, ids unique."""
    seen: dict[str, str] = {}
    for phrase in sorted(banks.phrases, key=lambda p: (p.id, p.language)):
        if phrase.id.startswith(prefix) and phrase.id not in seen:
            seen[phrase.id] = f"{phrase.title} ({phrase.language})"
    return list(seen.items())
