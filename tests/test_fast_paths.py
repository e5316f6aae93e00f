"""The shortcuts taken for speed give exactly the results of the long way round: pattern
prefilters never skip a pattern that matches, and the picks compose remembers per reading
are the picks it would make again."""

from __future__ import annotations

import re

import pytest

from empathy_cli.analysis import analyze
from empathy_cli.composer import PICKS_LIMIT, _pick_scored, _scored, compose, slot_values
from empathy_cli.matching import _UNFOLDED, Matcher, cue_index, required_words, rule_index
from empathy_cli.models import Banks

MESSAGES = [
    "My parcel is three weeks late and nobody answers my emails. I'm furious!",
    "I have emailed you 5 times and STILL no refund!!! Why can't you answer?",
    "Je suis vraiment déçue, la commande est arrivée cassée et personne ne répond.",
    "Pourquoi ne répondez-vous jamais ? C'est la troisième fois que j'écris.",
    "What time do you close on Saturdays?",
    "Thank you so much, the replacement arrived today and works perfectly.",
    "ſo ſlow, İstanbul ΣΟΣ: my order never arrived",
]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\bnever (be )?(buying|ordering)\b", {"never "}),
        (r"(\?!|!\?)", {"?!", "!?"}),
        (r"\b(called|emailed) (you )?(\d+|two) times\b", {" times"}),
        (r"\b(refund|money back)\b", {"refund", "money back"}),
        (r"(^|[.!?] ?)(still )?(can't|cannot)", {"can"}),  # the parser factors "can" out
        (r"\b(oh|ah)? ?why\b", {"why"}),
        (r"(a|b)+c?", None),
        (r"\b\w+ing\b", {"ing"}),
        (r"(?i:Déçu|DÉÇUE)", {"éçu", "éçue"}),  # lower-cased; "d" factored out, shorter
    ],
)
def test_required_words_are_read_from_the_pattern(pattern: str, words: set[str] | None) -> None:
    found = required_words(pattern)
    assert (None if found is None else set(found)) == words


def test_a_prefilter_never_skips_a_pattern_that_matches(banks: Banks) -> None:
    matchers: list[Matcher] = []
    for language in ("en", "fr"):
        rules = rule_index(banks, language)
        matchers += [cue_index(banks, language).matcher, rules.matcher, rules.unless]
    texts = list(MESSAGES)
    texts += [p.text for p in banks.phrases] + [w for c in banks.cues for w in c.words]
    texts += [t.upper() for t in texts] + [t.swapcase() for t in texts]
    skipped = 0
    for text in texts:
        if not _UNFOLDED.isdisjoint(text):
            continue
        for matcher in matchers:
            for regex, passing in zip(
                matcher.compiled(), matcher.passing(text.lower()), strict=True
            ):
                if passing:
                    continue
                skipped += 1
                assert regex.search(text) is None, (regex.pattern, text)
    assert skipped > 1000  # the prefilters do skip most patterns on most texts


def test_prefilter_strings_are_found_inside_words_and_across_them() -> None:
    matcher = Matcher()
    matcher.add_pattern(0, r"\b(refund|money back)\b")
    matcher.add_pattern(1, r"\bcomplaints?\b")
    matcher.add_pattern(2, r"(\?!|!\?)")
    matcher.add_pattern(3, r"\w+")  # no prefilter: always run
    assert matcher.passing("where is my refund?") == [True, False, False, True]
    assert matcher.passing("i want my money back?!") == [True, False, True, True]
    assert matcher.passing("three complaints") == [False, True, False, True]
    assert matcher.passing("refunds and complaints") == [True, True, False, True]  # inside
    assert matcher.passing("money, back") == [False, False, False, True]  # not a phrase
    assert matcher.passing("where is my refund?") == [True, False, False, True]  # remembered
    matcher.add_pattern(4, r"\bbroken\b")  # a new pattern: the prefilters are made again
    assert matcher.passing("it came broken") == [False, False, False, True, True]


def test_words_remembered_by_the_prefilters_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import empathy_cli.matching as matching

    monkeypatch.setattr(matching, "_GATE_MEMO", 50)
    matcher = Matcher()
    matcher.add_pattern(0, r"\brefund\b")
    for k in range(500):
        assert matcher.passing(f"word{k} refund{k}") == [True]
        assert matcher.passing(f"word{k} other{k}") == [False]
        assert matcher._gate is not None and len(matcher._gate.memo) <= 50


def test_matches_are_the_same_with_and_without_prefilters(banks: Banks) -> None:
    for message in MESSAGES:
        with_prefilters = analyze(message, banks)
        for language in ("en", "fr"):
            matcher = cue_index(banks, language).matcher
            saved = matcher._prefilters
            matcher._prefilters = [None] * len(matcher.patterns)
            try:
                without = analyze(message, banks)
            finally:
                matcher._prefilters = saved
            assert without == with_prefilters


def test_remembered_picks_are_the_picks_made_again(banks: Banks) -> None:
    for message in MESSAGES:
        reading = analyze(message, banks)
        for variant in (1, 2, 3):
            for tone in ("warm", "neutral", "formal"):
                first = compose(reading, banks, tone=tone, variant=variant)
                again = compose(reading, banks, tone=tone, variant=variant)  # from the memo
                assert again == first
                values = slot_values(reading, None)
                for part in (first.greeting, *first.steps, first.closing):
                    fresh = _pick_scored(
                        _scored(part.id, reading, banks, tone=tone, channel="email", values=values),
                        variant,
                    )
                    assert (fresh.phrase.id if fresh else None) == part.phrase_id


def test_the_memo_of_picks_stays_bounded() -> None:
    from empathy_cli.banks.loader import load_banks

    banks = load_banks(user=False, env=False)
    reading = analyze("My parcel is late.", banks)
    for variant in range(1, PICKS_LIMIT + 50):
        compose(reading, banks, variant=variant)
    memo = banks._indexes["memo:compose-picks"]
    assert len(memo) == PICKS_LIMIT


def test_picks_are_never_written_to_the_bank_cache() -> None:
    from empathy_cli.banks import cache
    from empathy_cli.banks.loader import load_banks

    banks = load_banks(user=False, env=False, cache=False)
    compose(analyze("Where is my refund?", banks), banks)
    assert "memo:compose-picks" in banks._indexes
    stored = cache.decode(cache.encode(b"key", banks), b"key")
    assert stored is not None
    assert "memo:compose-picks" not in set(stored._indexes)
    assert "cues:en" in set(stored._indexes)


def test_unfolded_characters_turn_prefilters_off() -> None:
    assert not _UNFOLDED.isdisjoint("ſo ſlow")
    assert not _UNFOLDED.isdisjoint("İstanbul")
    assert _UNFOLDED.isdisjoint("déçue, troisième, ÉCRIT")
    assert re.search("s", "ſ", re.IGNORECASE)  # why: re.IGNORECASE equates them


def test_matches_are_the_same_with_the_second_token_index(banks: Banks) -> None:
    """From its second call on, a matcher looks at the expressions whose second and third
    tokens come next (or after one skippable word): the same matches as trying them all."""
    from empathy_cli.matching import _by_second
    from empathy_cli.text import prepare, tokenize

    texts = [*MESSAGES, "I do not really understand why", "je ne comprends vraiment pas"]
    texts += [p.text for p in banks.phrases] + [w for c in banks.cues for w in c.words]
    # every expression of three words or more with a skippable word (or two) put inside it
    adverbs = ["really", "so", "vraiment", "très"]
    for cue in banks.cues:
        for expression in cue.words:
            words = expression.split()
            for k in range(1, len(words)):
                if len(words) >= 3:
                    adverb = adverbs[k % len(adverbs)]
                    texts.append(" ".join([*words[:k], adverb, *words[k:]]))
                    texts.append(" ".join([*words[:k], adverb, adverb, *words[k:]]))
    matchers = []
    for language in ("en", "fr"):
        rules = rule_index(banks, language)
        matchers += [cue_index(banks, language).matcher, rules.matcher, rules.unless]
    for matcher in matchers:
        indexed = _by_second(matcher.first)
        for text in texts:
            clean = prepare(text).clean
            tokens = tokenize(clean)
            matcher._by_second = None
            matcher._finds = -1_000_000  # never indexed: every expression tried
            plain = matcher.find(tokens, clean)
            matcher._by_second = indexed
            assert matcher.find(tokens, clean) == plain, text


def test_banks_sent_to_a_worker_leave_the_memo_of_picks_behind() -> None:
    import pickle

    from empathy_cli.banks.loader import load_banks

    banks = load_banks(user=False, env=False, cache=False)
    reply = compose(analyze("Where is my refund?", banks), banks)
    copy = pickle.loads(pickle.dumps(banks))
    assert "memo:compose-picks" in banks._indexes
    assert "memo:compose-picks" not in set(copy._indexes)
    assert copy == banks
    assert compose(analyze("Where is my refund?", copy), copy) == reply


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        (r"\b(poor|bad) service\b", set("pb")),
        (r"(^|[.!?] ?)(still )?(can't|won't)", set(".!?scw")),  # the group can match nothing
        (r"\b(oh )?why\b", set("ow")),
        (r"[a-c]+x", set("abc")),
        (r"\b\w+ing\b", None),  # a category: any word character
        (r"(a|b)?", None),  # can match nothing: no look-ahead
        (r"[^x]y", None),
    ],
)
def test_first_characters_are_read_from_the_pattern(pattern: str, chars: set[str] | None) -> None:
    from empathy_cli.matching import first_chars

    found = first_chars(pattern)
    assert (None if found is None else set(found)) == chars


def test_look_aheads_find_the_same_matches_as_the_plain_patterns(banks: Banks) -> None:
    from empathy_cli.matching import _with_lookahead

    patterns = {
        p for language in ("en", "fr") for p, _ in cue_index(banks, language).matcher.patterns
    }
    for language in ("en", "fr"):
        rules = rule_index(banks, language)
        patterns |= {p for p, _ in rules.matcher.patterns + rules.unless.patterns}
    texts = [*MESSAGES] + [p.text for p in banks.phrases] + [w for c in banks.cues for w in c.words]
    texts = [" ".join(texts[k : k + 5]) for k in range(0, len(texts), 5)]
    texts += [t.upper() for t in texts]
    changed = 0
    for pattern in sorted(patterns):
        plain = re.compile(pattern, re.IGNORECASE)
        faster = re.compile(_with_lookahead(pattern), re.IGNORECASE)
        changed += faster.pattern != pattern
        for text in texts:
            assert [m.span() for m in faster.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ], (pattern, text)
    assert changed > len(patterns) / 2  # most patterns do get one


def test_words_remembered_by_the_reading_stay_bounded_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import empathy_cli.analysis as analysis
    from empathy_cli.banks.loader import load_banks

    monkeypatch.setattr(analysis, "TYPO_CACHE_WORDS", 20)
    monkeypatch.setattr(analysis, "LANGUAGE_CACHE_WORDS", 20)
    banks = load_banks(user=False, env=False)
    message = "I am so frustatred, my parcel never arived and nobody answers"
    first = analyze(message, banks)
    assert [t.read_as for t in first.typos] == ["arrived"]
    for k in range(200):
        analyze(f"zorglub{k} blorptastic{k} arived", banks)
    fixes = cue_index(banks, "en")._typo_fixes
    assert 0 < len(fixes) <= 20
    assert 0 < len(banks._indexes["memo:language-scores"]) <= 20
    assert analyze(message, banks) == first  # read again, from the memos or not
