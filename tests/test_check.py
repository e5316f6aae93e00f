"""`check_draft`: cold drafts flagged at the offending words, warm drafts passing with a high
score, exact spans, `unless`, step coverage, the customer's message, the score."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from empathy_cli.analysis import analyze
from empathy_cli.composer import compose
from empathy_cli.lint import PASS_SCORE, CheckResult, Finding, check_draft, score
from empathy_cli.models import STEP_IDS, Banks

DRAFTS: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "drafts.yaml").read_text("utf-8")
)


def spans(result: CheckResult) -> list[Finding]:
    return [f for f in result.findings if f.start is not None]


def severity_of(banks: Banks, lang: str, rule: str) -> str:
    return next(r.severity for r in banks.rules_for(lang) if r.id == rule)


def _id(entry: dict[str, Any]) -> str:
    return f"{entry['lang']}-{entry['text'][:40]}"


# --- the drafts table ------------------------------------------------------------------------


@pytest.mark.parametrize("entry", DRAFTS["cold"], ids=_id)
def test_cold_draft_is_flagged_at_the_offending_words(entry: dict[str, Any], banks: Banks) -> None:
    text = entry["text"]
    result = check_draft(text, banks, lang=entry["lang"])
    found = spans(result)
    for rule, span in zip(entry["rules"], entry["spans"], strict=True):
        where = [m.start() for m in re.finditer(re.escape(span), text)]
        assert where, f"bad fixture: {span!r} is not in the draft"
        assert any(
            f.rule == rule
            and f.start is not None
            and f.end is not None
            and any(f.start <= w and w + len(span) <= f.end for w in where)
            for f in found
        ), f"{rule} not found on {span!r}; got {[(f.rule, f.text) for f in found]}"
    # nothing else fires, and every finding carries a suggestion
    assert sorted({f.rule for f in found}) == sorted(set(entry["rules"]))
    assert all(f.suggestion for f in found)
    # a draft with an error or a warning fails the default gate and scores below 70
    hard = any(severity_of(banks, entry["lang"], r) in ("error", "warning") for r in entry["rules"])
    assert result.failed("warning") is hard
    assert (result.score < PASS_SCORE) is hard


@pytest.mark.parametrize("entry", DRAFTS["warm"], ids=_id)
def test_warm_draft_passes_with_a_high_score(entry: dict[str, Any], banks: Banks) -> None:
    result = check_draft(entry["text"], banks, lang=entry["lang"])
    assert [(f.rule, f.text) for f in spans(result)] == []
    assert not result.failed("warning")
    assert result.score >= 80
    assert all(f.severity == "suggestion" for f in result.findings)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_table_has_both_languages(lang: str) -> None:
    for kind in ("cold", "warm", "steps"):
        assert sum(1 for e in DRAFTS[kind] if e["lang"] == lang) >= 10


@pytest.mark.parametrize("entry", DRAFTS["cold"] + DRAFTS["warm"], ids=_id)
def test_language_is_detected(entry: dict[str, Any], banks: Banks) -> None:
    assert check_draft(entry["text"], banks).language == entry["lang"]


@pytest.mark.parametrize("entry", DRAFTS["steps"], ids=_id)
def test_steps_found_in_a_sentence(entry: dict[str, Any], banks: Banks) -> None:
    result = check_draft(entry["text"], banks, lang=entry["lang"])
    assert set(result.steps_covered) == set(entry["steps"])


def test_full_warm_replies_cover_the_five_steps(banks: Banks) -> None:
    full = [e for e in DRAFTS["warm"] if e["text"].startswith(("Hi Maria", "Bonjour Madame Roux"))]
    assert len(full) == 2
    for entry in full:
        result = check_draft(entry["text"], banks, lang=entry["lang"])
        assert result.steps_covered == STEP_IDS
        assert result.findings == ()
        assert result.score == 100


# --- spans -----------------------------------------------------------------------------------


def only(result: CheckResult, rule: str) -> Finding:
    found = [f for f in result.findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.text) for f in result.findings]
    return found[0]


def test_span_in_accented_text_with_crlf_on_a_later_line(banks: Banks) -> None:
    text = "Bonjour Hélène,\r\n\r\nÉvidemment, vous deviez vérifier l'adresse.\r\nPas de panique."
    result = check_draft(text, banks, lang="fr")
    f = only(result, "tell-how-to-feel")
    assert f.start == text.index("Pas de panique") == 64
    assert (f.end, f.line, f.column) == (78, 4, 1)
    assert text[f.start : f.end] == f.text == "Pas de panique"
    g = only(result, "blame-should-have")
    assert g.text == "vous deviez vérifier"
    assert (g.line, g.column) == (3, 13)
    assert text.index("vous deviez") == g.start


def test_span_with_combining_accents_points_into_the_text_as_given(banks: Banks) -> None:
    # "inquiétez" written with a combining acute accent (e + U+0301)
    text = "Merci, Zoe\u0301.\nNe vous inquie\u0301tez pas. C'est re\u0301gle\u0301."
    f = only(check_draft(text, banks, lang="fr"), "dont-worry")
    assert f.text == "Ne vous inquie\u0301tez pas"
    assert f.start == text.index("Ne vous")
    assert f.end == f.start + len("Ne vous inquie\u0301tez pas")
    assert (f.line, f.column) == (2, 1)


def test_span_after_control_sequences_and_a_lone_carriage_return(banks: Banks) -> None:
    text = "Hi \x1b[1mSam\x1b[0m,\rRelax, it's sorted."
    f = only(check_draft(text, banks, lang="en"), "tell-how-to-feel")
    assert f.text == "Relax"
    assert f.start == text.index("Relax")
    assert (f.line, f.column) == (2, 1)


def test_bare_no_is_trimmed_to_the_word(banks: Banks) -> None:
    text = "Can we get a refund?\nNo.\nRegards"
    f = only(check_draft(text, banks, lang="en"), "refuse-no")
    assert (f.text, f.start, f.end, f.line, f.column) == ("No", 21, 23, 2, 1)
    fr = only(check_draft("Est-ce possible ? Non !", banks, lang="fr"), "refuse-no")
    assert fr.text == "Non"


def test_overlapping_matches_of_one_rule_make_one_finding(banks: Banks) -> None:
    # "it's impossible" and "impossible for us" overlap
    text = "I'm afraid it's impossible for us at this stage."
    f = only(check_draft(text, banks, lang="en"), "hide-impossible")
    assert f.text == "it's impossible for us"


def test_quoted_customer_words_and_history_are_not_checked(banks: Banks) -> None:
    text = (
        "You wrote \"calm down, it's only a parcel\", and I'm sorry it came to that.\n"
        "\n"
        "On Monday, Sam wrote:\n"
        "> Relax? Like I said, your policy states nothing.\n"
    )
    result = check_draft(text, banks, lang="en")
    assert spans(result) == []


# --- unless ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "quiet", "loud", "rule"),
    [
        (
            "en",
            "Don't worry, I'll send a new one today.",
            "Don't worry. I'll send a new one today.",
            "dont-worry",
        ),
        (
            "en",
            "It's completely normal to feel let down.",
            "It's completely normal. Let down or not, it happens.",
            "minimise-normal",
        ),
        (
            "en",
            "We can't replace it, but I can offer you a refund.",
            "We can't replace it.\nI can offer you a refund.",
            "refuse-bare",
        ),
        (
            "fr",
            "Ne vous inquiétez pas, je m'en occupe.",
            "Ne vous inquiétez pas… Je m'en occupe.",
            "dont-worry",
        ),
        (
            "fr",
            "Ce n'est pas de votre faute.",
            "C'est de votre faute ! Ce n'est pas grave.",
            "blame-your-fault",
        ),
    ],
)
def test_unless_cancels_only_in_the_same_sentence(
    lang: str, quiet: str, loud: str, rule: str, banks: Banks
) -> None:
    assert rule not in {f.rule for f in check_draft(quiet, banks, lang=lang).findings}
    assert rule in {f.rule for f in check_draft(loud, banks, lang=lang).findings}


def test_validation_is_not_reported_as_telling_how_to_feel(banks: Banks) -> None:
    warm = check_draft("I can see why you're so upset.", banks, lang="en")
    cold = check_draft("I don't see why you're so upset.", banks, lang="en")
    assert not warm.failed() and "validate" in warm.steps_covered
    assert only(cold, "tell-how-to-feel-why").severity == "error"


# --- steps -----------------------------------------------------------------------------------


def test_missing_steps_are_suggestions_drawn_from_the_phrase_banks(banks: Banks) -> None:
    result = check_draft("Your replacement left our warehouse this morning.", banks, lang="en")
    missing = [f for f in result.findings if f.rule.startswith("missing-")]
    assert [f.rule for f in missing] == [f"missing-{s}" for s in result.steps_missing]
    assert all(f.severity == "suggestion" and f.line is None and f.start is None for f in missing)
    examples = {g.id: g.examples[0] for g in banks.steps_for("en")}
    for f in missing:
        # without the customer's message: the step's first example in the steps bank
        step = f.rule.removeprefix("missing-")
        assert f.suggestion == f'For example: "{examples[step]}"'
        assert f.message.startswith("Missing step: ")
    assert not result.failed("warning")
    assert result.failed("suggestion")


def test_missing_step_suggestions_come_from_the_phrases_for_the_customer(banks: Banks) -> None:
    customer = analyze("I was charged twice for my subscription and I'm really annoyed.", banks)
    result = check_draft("Your invoice is attached.", banks, reply_to=customer)
    templates = {p.text for p in banks.phrases_for("en")}
    from empathy_cli.composer import fill, slot_values

    values = slot_values(customer)
    filled = {fill(t, values) for t in templates}
    for f in result.findings:
        if f.rule.startswith("missing-"):
            assert f.suggestion in filled


def test_missing_step_messages_follow_the_draft_language(banks: Banks) -> None:
    result = check_draft("Votre colis est parti ce matin.", banks)
    assert result.language == "fr"
    messages = [f.message for f in result.findings if f.rule.startswith("missing-")]
    assert messages and all(m.startswith("Étape absente : ") for m in messages)


def test_cold_wording_does_not_count_as_a_step(banks: Banks) -> None:
    # an apology spoilt by blame, and a conditional apology, are not compassion
    for text in (
        "I'm sorry, but you failed to enter your flat number.",
        "I'm sorry you feel that way.",
    ):
        assert "compassion" not in check_draft(text, banks, lang="en").steps_covered


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_bank_phrase_is_clean_and_shows_its_step(lang: str, banks: Banks) -> None:
    values = {
        "en": {"details": "the parcel is at the depot", "option": "a replacement"},
        "fr": {"details": "le colis est au dépôt", "option": "un remplacement"},
    }[lang]
    problems = []
    for phrase in banks.phrases_for(lang):
        text = re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), "Sam"), phrase.text)
        result = check_draft(text, banks, lang=lang)
        if spans(result):
            problems.append((phrase.id, [(f.rule, f.text) for f in spans(result)]))
        elif phrase.step in STEP_IDS and phrase.step not in result.steps_covered:
            problems.append((phrase.id, f"{phrase.step} not found"))
    assert problems == []


def test_composed_replies_pass_and_cover_the_five_steps(banks: Banks) -> None:
    for scenario in banks.scenarios:
        reading = analyze(scenario.message, banks)
        reply = compose(reading, banks)
        result = check_draft(reply.reply, banks, lang=reading.language, reply_to=reading)
        assert not result.failed("warning"), (scenario.id, result.findings)
        assert result.steps_covered == STEP_IDS, (scenario.id, result.steps_missing)


# --- the customer's message ------------------------------------------------------------------

ANGRY = "My parcel is three weeks late and nobody answers my emails. I'm furious!"


def test_reply_to_text_or_analysis_give_the_same_result(banks: Banks) -> None:
    draft = "Your parcel left the depot this morning."
    from_text = check_draft(draft, banks, reply_to=ANGRY)
    from_analysis = check_draft(draft, banks, reply_to=analyze(ANGRY, banks))
    assert from_text == from_analysis


def test_a_transactional_draft_misses_the_emotion(banks: Banks) -> None:
    result = check_draft("Your parcel left the depot this morning.", banks, reply_to=ANGRY)
    assert result.reply_to is not None
    assert result.reply_to.emotion in ("angry", "frustrated")
    assert result.reply_to.acknowledged is False
    f = only(result, "misses-emotion")
    assert f.severity == "warning" and f.line is None and f.suggestion
    assert "missing-validate" not in {x.rule for x in result.findings}
    assert result.failed("warning")
    # the parcel is mentioned: the situation is addressed
    assert result.reply_to.addressed is True


def test_a_good_short_reply_passes(banks: Banks) -> None:
    draft = "I'm so sorry about the wait. I've sent a replacement parcel by express today."
    result = check_draft(draft, banks, reply_to=ANGRY)
    assert result.reply_to is not None and result.reply_to.acknowledged is True
    assert not result.failed("warning")


def test_a_draft_that_ignores_the_situation_gets_a_suggestion(banks: Banks) -> None:
    customer = "I was charged twice for my subscription this month, please fix it."
    result = check_draft(
        "I understand how annoying that is. Have a lovely day!", banks, reply_to=customer
    )
    assert result.reply_to is not None and result.reply_to.situation == "billing"
    f = only(result, "misses-situation")
    assert f.severity == "suggestion"
    assert not result.failed("warning")


def test_reply_to_in_french(banks: Banks) -> None:
    customer = "Mon colis n'est jamais arrivé et je suis très inquiète."
    cold = check_draft("Le colis est au dépôt.", banks, reply_to=customer)
    assert cold.language == "fr"
    f = only(cold, "misses-emotion")
    assert "inquiétude" in f.message
    warm = check_draft(
        "Je comprends votre inquiétude. Le colis est au dépôt, je le fais livrer demain.",
        banks,
        reply_to=customer,
    )
    assert warm.reply_to is not None and warm.reply_to.acknowledged is True
    assert "misses-emotion" not in {x.rule for x in warm.findings}


def test_missing_listen_suggestion_restates_the_customer_concern(banks: Banks) -> None:
    result = check_draft(
        "I've refunded the order.", banks, reply_to="My refund still hasn't arrived."
    )
    f = only(result, "missing-listen")
    assert f.suggestion is not None and "{{concern}}" not in f.suggestion
    assert "refund" in f.suggestion


# --- score -----------------------------------------------------------------------------------


def finding(severity: str) -> Finding:
    return Finding(rule="r", severity=severity, message="m")


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ([], 100),
        (["suggestion"], 96),
        (["suggestion"] * 5, 80),
        (["suggestion"] * 12, 70),  # no error or warning: never below 70
        (["warning"], 69),  # any warning or error: below 70
        (["warning", "warning", "suggestion"], 56),
        (["error"], 60),
        (["error", "error", "error"], 0),
    ],
)
def test_score(severities: list[str], expected: int) -> None:
    assert score([finding(s) for s in severities]) == expected


def test_findings_are_sorted_and_deterministic(banks: Banks) -> None:
    text = DRAFTS["cold"][0]["text"]
    first = check_draft(text, banks, lang="en")
    starts = [f.start for f in first.findings if f.start is not None]
    assert starts == sorted(starts)
    for _ in range(100):
        assert check_draft(text, banks, lang="en") == first


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.lists(
        st.sampled_from(
            [
                *"abcdeéè \n\r\t.,!?'’«»\"",
                *("\u0301", "\x1b[1m", "calm down", "No.", "je vous répète", "sorry", "\u200b"),
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_check_never_raises_and_spans_stay_in_bounds(text: str, banks: Banks) -> None:
    result = check_draft(text, banks)
    assert 0 <= result.score <= 100
    for f in spans(result):
        assert f.start is not None and f.end is not None
        assert 0 <= f.start < f.end <= len(text)
        assert f.text == text[f.start : f.end]
        assert f.line is not None and f.column is not None and f.line >= 1 and f.column >= 1
