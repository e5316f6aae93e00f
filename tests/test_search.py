"""`search_phrases` and `empathy phrases`: typo- and accent-blind lookup, filters, ranking for
a customer's message, and the command's output contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from empathy_cli.analysis import Analysis, Reading, analyze
from empathy_cli.banks.loader import BankSource, load_sources
from empathy_cli.cli import app, main
from empathy_cli.composer import compose
from empathy_cli.errors import InputError
from empathy_cli.models import Banks
from empathy_cli.search import PhraseMatch, search_phrases
from empathy_cli.text import fold

SEARCH = Path(__file__).parent / "fixtures" / "banks" / "search"
REFUND_EN = (
    "I returned the jacket a month ago and I still haven't got my refund. This is so frustrating."
)


@pytest.fixture(scope="module")
def small() -> Banks:
    """Only the fixture phrases, so the expected order does not depend on the built-ins."""
    sources = [BankSource("option", SEARCH / name) for name in ("en.yaml", "fr.yaml")]
    return load_sources(sources, cache=False)


def ids(matches: list[PhraseMatch]) -> list[str]:
    return [m.phrase.id for m in matches]


# --- the core function on the fixture banks ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        # accent-blind; the phrase saying it comes before the one only tagged with it
        ("desole", "fr", ["fr-desole-attente", "fr-regret-excuses"]),
        ("DÉSOLÉ", "fr", ["fr-desole-attente", "fr-regret-excuses"]),
        # typo-tolerant
        ("frustrting", None, ["en-frustrating-wait"]),
        ("remboursment", None, ["fr-remboursement"]),
        # a prefix is enough
        ("apolog", None, ["en-formal-apology"]),
        # both words found beat one of them
        ("sorry trouble", None, ["en-sorry-trouble"]),
        ("check refund", "en", ["en-refund-check"]),
        # by id and title too
        ("en-hello", None, ["en-hello"]),
    ],
)
def test_query_finds_the_expected_phrases_best_first(
    small: Banks, query: str, lang: str | None, expected: list[str]
) -> None:
    found = search_phrases(query, small, lang=lang)
    assert ids(found)[: len(expected)] == expected
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 100 for s in scores)


def test_a_query_with_no_good_match_gives_nothing(small: Banks) -> None:
    assert search_phrases("xyzzy", small) == []
    assert search_phrases("zebra quantum", small) == []


def test_common_words_alone_do_not_make_a_match(small: Banks) -> None:
    # "je" and "suis" are everywhere in French; "désolé" is what the agent is after
    found = search_phrases("je suis désolé", small, lang="fr")
    assert ids(found)[0] == "fr-desole-attente"
    assert "fr-remboursement" not in ids(found)


def test_spans_point_at_the_matched_words_in_the_original_text(small: Banks) -> None:
    match = search_phrases("desole", small, lang="fr")[0]
    assert [match.phrase.text[s:e] for s, e in match.spans] == ["désolé"]
    assert [match.phrase.title[s:e] for s, e in match.title_spans] == ["Désolé"]


def test_slot_names_are_not_searched(small: Banks) -> None:
    assert search_phrases("name", small) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"step": "compassion", "lang": "en"}, ["en-sorry-trouble", "en-formal-apology"]),
        ({"tone": "formal"}, ["en-formal-apology", "fr-regret-excuses"]),
        ({"emotion": "worried"}, ["en-refund-check"]),
        ({"situation": "refund"}, ["en-refund-check", "fr-remboursement"]),
        ({"lang": "fr", "step": "collaborate"}, ["fr-remboursement"]),
        ({"emotion": "grateful"}, []),
    ],
)
def test_no_query_lists_every_phrase_passing_the_filters_in_reply_order(
    small: Banks, filters: dict[str, str], expected: list[str]
) -> None:
    found = search_phrases("", small, limit=None, **filters)
    assert sorted(ids(found)) == sorted(expected)
    assert all(m.score == 100 for m in found)


def test_listing_follows_language_then_the_order_of_a_reply(small: Banks) -> None:
    found = search_phrases("", small, limit=None, lang="en")
    assert [m.phrase.step for m in found] == [
        "greeting",
        "validate",
        "compassion",
        "compassion",
        "collaborate",
    ]


def test_filters_apply_to_a_query_too(small: Banks) -> None:
    # "desole" finds its English counterpart "sorry" with --lang en, never a French phrase
    assert ids(search_phrases("desole", small, lang="en")) == ["en-sorry-trouble"]
    assert ids(search_phrases("desole", small, tone="formal")) == ["fr-regret-excuses"]


def test_limit_cuts_the_list(small: Banks) -> None:
    assert len(search_phrases("", small, limit=2)) == 2
    assert len(search_phrases("", small, limit=None)) == 8
    assert len(search_phrases("", small, limit=0)) == 8


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"step": "apologise"}, "Unknown step 'apologise' for --step."),
        ({"emotion": "furious"}, "Unknown emotion 'furious' for --emotion."),
        ({"situation": "late"}, "Unknown situation 'late' for --situation."),
        ({"lang": "de"}, "Unknown language 'de' for --lang."),
        ({"tone": "cold"}, "Unknown tone 'cold' for --tone."),
    ],
)
def test_unknown_filter_values_name_the_allowed_ones(
    small: Banks, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError) as info:
        search_phrases("", small, **kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)
    assert "Use one of:" in str(info.value)


def test_the_same_query_always_gives_the_same_results(small: Banks) -> None:
    first = search_phrases("sorry wait refund", small)
    for _ in range(100):
        assert search_phrases("sorry wait refund", small) == first


def _reading(emotion: str, situation: str, lang: str = "en") -> Analysis:
    return Analysis(
        language=lang,
        language_confidence=1.0,
        emotions=(Reading(emotion, 0.8),),
        intensity=0.5,
        situations=(Reading(situation, 0.7),),
        concern=None,
    )


def test_for_message_ranks_what_fits_the_customer_first(small: Banks) -> None:
    found = search_phrases("", small, for_message=_reading("worried", "refund"))
    assert ids(found)[0] == "en-refund-check"
    assert {m.phrase.language for m in found} == {"en"}  # the message's language
    assert all(m.fit is not None for m in found)
    late = search_phrases("", small, for_message=_reading("frustrated", "late_delivery"))
    assert ids(late)[0] == "en-frustrating-wait"


def test_for_message_with_a_query_keeps_only_query_matches(small: Banks) -> None:
    found = search_phrases("sorry", small, for_message=_reading("frustrated", "late_delivery"))
    assert ids(found) == ["en-sorry-trouble"]
    assert found[0].fit is not None


# --- the built-in banks: what an agent would want -----------------------------------------


def test_desole_in_french_finds_apologies(banks: Banks) -> None:
    found = search_phrases("desole", banks, lang="fr")
    assert found, "no French phrase for 'desole'"
    assert {m.phrase.language for m in found} == {"fr"}
    top = found[0].phrase
    assert "desole" in fold(top.text) or "desole" in fold(top.title)
    assert all(m.phrase.step in ("compassion", "validate") for m in found[:5])


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("refund", "fr", ("rembours",)),
        ("remboursement", "en", ("refund",)),
        ("sorry", "fr", ("desole", "pardon", "excuses")),
    ],
)
def test_a_word_of_the_other_language_finds_its_counterpart(
    query: str, lang: str, expected: tuple[str, ...], banks: Banks
) -> None:
    found = search_phrases(query, banks, lang=lang)
    assert found, f"nothing in {lang} for {query!r}"
    assert any(word in fold(found[0].phrase.text) for word in expected)


def test_a_phrase_in_the_query_language_comes_before_a_translation(banks: Banks) -> None:
    found = search_phrases("refund", banks, limit=None)
    best = {lang: max(m.score for m in found if m.language == lang) for lang in ("en", "fr")}
    assert found[0].phrase.language == "en"
    assert best["fr"] < best["en"]


def test_a_french_query_finds_french_phrases_first_without_lang(banks: Banks) -> None:
    # « désolé » is rarely written in the French banks (« toutes mes excuses », « pardon »):
    # its French synonyms count as well as its English translation
    found = search_phrases("désolé retard", banks, limit=3)
    assert [m.phrase.language for m in found[:2]] == ["fr", "fr"]


def test_at_equal_scores_the_five_steps_come_before_greeting_and_closing(banks: Banks) -> None:
    found = search_phrases("bereavement", banks, lang="en", limit=None)
    top = [m for m in found if m.score == found[0].score]
    steps = [m.phrase.step for m in top]
    framed = [i for i, s in enumerate(steps) if s in ("greeting", "closing")]
    core = [i for i, s in enumerate(steps) if s not in ("greeting", "closing")]
    assert framed and core and max(core) < min(framed)


def test_a_typo_finds_frustration_phrases(banks: Banks) -> None:
    found = search_phrases("frustrting", banks)
    assert found
    assert "frustrat" in fold(found[0].phrase.text)
    assert found[0].phrase.language == "en"


def test_phrases_for_a_message_rank_like_suggest(banks: Banks) -> None:
    analysis = analyze(REFUND_EN, banks)
    reply = compose(analysis, banks)
    for part in reply.steps:
        found = search_phrases("", banks, step=part.id, for_message=analysis, limit=1)
        assert ids(found) == [part.phrase_id], part.id


def test_across_steps_the_phrases_written_for_this_customer_come_first(banks: Banks) -> None:
    analysis = analyze(REFUND_EN, banks)
    assert analysis.situation == "refund"
    top = search_phrases("", banks, for_message=analysis, limit=3)
    for match in top:
        assert "refund" in match.phrase.situations or analysis.emotion in match.phrase.emotions


# --- the command ---------------------------------------------------------------------------

runner = CliRunner()


def test_json_output_follows_the_contract() -> None:
    result = runner.invoke(app, ["phrases", "frustrting", "--format", "json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert 1 <= len(data["results"]) <= 3
    for item in data["results"]:
        assert {
            "id",
            "step",
            "language",
            "title",
            "text",
            "emotions",
            "situations",
            "tone",
            "score",
        } <= item.keys()
        assert 0 <= item["score"] <= 100
    assert data["results"][0]["score"] >= data["results"][-1]["score"]


def test_no_match_says_so_on_stderr_and_exits_0() -> None:
    result = runner.invoke(app, ["phrases", "xyzzy", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"schema_version": 1, "results": []}
    assert "No phrase matches 'xyzzy'" in result.stderr
    text = runner.invoke(app, ["phrases", "xyzzy"])
    assert text.exit_code == 0
    assert text.stdout == ""


def test_words_of_the_query_need_no_quotes() -> None:
    quoted = runner.invoke(app, ["phrases", "sorry trouble", "--json"])
    loose = runner.invoke(app, ["phrases", "sorry", "trouble", "--json"])
    assert quoted.stdout == loose.stdout


def test_no_query_lists_every_phrase_of_the_filters() -> None:
    result = runner.invoke(app, ["phrases", "--step", "greeting", "--lang", "fr", "--json"])
    results = json.loads(result.stdout)["results"]
    assert len(results) > 10  # not cut at the query default
    assert {(r["step"], r["language"]) for r in results} == {("greeting", "fr")}


def test_text_output_is_plain_and_readable() -> None:
    result = runner.invoke(app, ["phrases", "desole", "--lang", "fr", "-n", "2"])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    first = result.stdout.split("\n")
    assert first[0].startswith("1. ")
    assert "· fr ·" in first[1]


def test_rich_output_highlights_the_matched_word() -> None:
    result = runner.invoke(
        app,
        ["phrases", "desole", "--lang", "fr", "-n", "1", "--format", "rich"],
        env={"FORCE_COLOR": "1", "COLUMNS": "60"},
    )
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    # the word is styled: an escape sequence right before it
    assert "m" + "désolé" in result.stdout or "mDésolé" in result.stdout


def test_for_reads_the_message_from_stdin() -> None:
    result = runner.invoke(app, ["phrases", "--for", "-", "--json"], input=REFUND_EN)
    assert result.exit_code == 0, result.output
    results = json.loads(result.stdout)["results"]
    assert len(results) == 10
    assert {r["language"] for r in results} == {"en"}


def test_copy_puts_the_best_phrase_on_the_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    copied: list[str] = []
    monkeypatch.setattr("empathy_cli.clipboard.copy_text", lambda text: copied.append(text))
    result = runner.invoke(app, ["phrases", "frustrting", "--copy", "--json"])
    assert result.exit_code == 0
    assert copied == [json.loads(result.stdout)["results"][0]["text"]]


def test_a_bad_filter_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["phrases", "--emotion", "furious"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("Error: Unknown emotion 'furious' for --emotion. Use one of: angry,")
