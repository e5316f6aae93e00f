"""The restricted pattern subset of banks (`empathy_cli/banks/patterns.py`): what passes, what
is refused and why, and that a refused pattern is reported at its line and column.

Timings live in `bench/adversarial.py`; these tests only check the verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from empathy_cli.banks.loader import validate_paths
from empathy_cli.banks.patterns import UnsafePattern, check_pattern
from empathy_cli.cli import main
from empathy_cli.errors import BankError
from empathy_cli.models import Banks

ACCEPTED = [
    r"\bno\b",
    r"\b(?:refund|reimburse)(?:ed|ment)?\b",
    # after a character it cannot match, a run is entered only at its start
    r"(?:^|[.!?\n])[^\S\n]*(?:no|nope|nah)\s*[.!]+(?:\s|$)",
    r"\bworry\s*(?:[,:;-]\s*)?about\b",
    r"\bworry\s*+[,:;-]?\s*about\b",  # a possessive first repeat shares nothing
    r"\b\d+ days\b",  # \b before a run of word characters is a guard
    r"\bhello+\s*\?",
    r"\bwhy\b[^.?!\n]{0,40}\bnot\b",  # bounded: linear whatever precedes it
    r"\bgo(?:\s+\w+){0,2} away\b",
    r"^\s*hi\b",  # start of text
    r"\b(error|code)[ :#-]*\d{2,5}\b",
    r"\bonly ?[£$€]? ?\d",  # two optional spaces: two ways at most
    r"\b(?: very| so| really){0,3} sorry\b",
    r"\b(?:\d{3}-){0,10}\d{4}\b",  # a rigid group may repeat often: one way to match
    r"\blost my son\b(?!['’])",  # one character ahead: "lost my son's card" is not a loss
    r"(?<![\w-])pin\b",
]

REFUSED = [
    (r"(a)\1", "backreferences are not allowed"),
    (r"refund(?= now)", "lookahead and lookbehind are allowed only around one character"),
    (r"(?<!not )happy", "lookahead and lookbehind are allowed only around one character"),
    (r"(a+)+b", "nested quantifiers"),
    (r"(?:ab)+", "an unbounded repeat of a group"),
    (r"(?:a?){3}", "a repeated group that can match nothing"),
    (r"a{0,99}", "a repeat bound above 50"),
    (r"a\s*b\s*c\s*d\s*e\s*f", "more than 4 unbounded repeats"),
    (r"(", "invalid regular expression"),
    ("a" * 1001, "pattern longer than 1000 characters"),
    # unguarded runs: the search restarts the repeat at each character of a long run
    (r".*refund", ".* can start again at every character"),
    (r"\s*refund", r"\s* can start again at every character"),
    (r"(?:^|[.!?\n])\s*(?:no|nope)\b", r"\s* can start again at every character"),
    (r"\bno(?: +\w+)?\w*\b", r"\w* can start again"),
    (r"(\w+ ?){0,4}x", r"\w+ can start again"),
    # repeats in a row sharing characters: every split of a run is tried
    (r"\bworry\s*[,:;-]?\s*about", r"\s* and \s* in a row can match the same characters"),
    (r"x\s{0,50}\s{0,50}y", r"\s{0,50} and \s{0,50} in a row"),
    (r"\bgo\w*\w*!", r"\w* and \w* in a row"),
    (r"\w*\w*\w*\w*!", r"\w* can start again"),
    # ambiguous bounded groups and optional runs: every combination is tried on failure
    (r"\b(?:\w\w?){0,50}!", "a group that can match the same text in more than one way"),
    (r"\b(?:a|aa){0,10}!", "a group that can match the same text in more than one way"),
    (r"\b(?:(?:\w\w?){0,3}){0,3}!", "a group that can match the same text in more than one"),
    (r"\bx" + r"\w?" * 9 + "!", "more than 8 optional pieces in a row"),
]


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_linear_patterns_are_accepted(pattern: str) -> None:
    check_pattern(pattern)


@pytest.mark.parametrize(("pattern", "message"), REFUSED)
def test_unsafe_patterns_are_refused_with_a_reason(pattern: str, message: str) -> None:
    with pytest.raises(UnsafePattern) as caught:
        check_pattern(pattern)
    assert message in str(caught.value)


def test_a_refusal_says_what_to_write_instead() -> None:
    with pytest.raises(UnsafePattern) as caught:
        check_pattern(r"\bworry\s*[,:;-]?\s*about")
    assert r"make the first possessive (\s*+)" in str(caught.value)
    with pytest.raises(UnsafePattern) as caught:
        check_pattern(r"[.!?\n]\s*no\b")
    assert "put right before it something it cannot match" in str(caught.value)


def test_every_shipped_pattern_is_in_the_subset(banks: Banks) -> None:
    patterns = [
        p
        for entry in (*banks.cues, *banks.rules, *banks.markers)
        for p in (getattr(entry, "pattern", None), getattr(entry, "unless_pattern", None))
        if p
    ]
    assert len(patterns) > 20
    for pattern in patterns:
        check_pattern(pattern)


BAD_BANK = """\
# A team rule with a pattern that would hang on a long draft.
kind: rules
language: en
rules:
  - id: team-fine
    severity: warning
    words: [calm down]
    message: Do not tell the customer how to feel.
  - id: team-slow
    severity: warning
    pattern: "(?:^|[.!?\\\\n])\\\\s*no\\\\b"
    message: A bare no.
"""


def test_a_refused_pattern_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    bank = tmp_path / "team-rules.yaml"
    bank.write_text(BAD_BANK, encoding="utf-8")
    with pytest.raises(BankError) as caught:
        validate_paths([bank])
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == (str(bank), 11, 14)
    assert problem.message.startswith("unsafe pattern in 'pattern': \\s* can start again")


def test_banks_validate_prints_the_located_error_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "team-rules.yaml"
    bank.write_text(BAD_BANK, encoding="utf-8")
    code = main(["banks", "validate", str(bank)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{bank}:11:14: unsafe pattern in 'pattern':" in err


def test_the_fixture_of_an_unsafe_pattern_is_refused() -> None:
    fixture = Path(__file__).parent / "fixtures" / "banks" / "bad_unsafe_pattern.yaml"
    with pytest.raises(BankError) as caught:
        validate_paths([fixture])
    assert all("unsafe pattern" in p.message for p in caught.value.problems)


# Random patterns built from pieces people write: the checker answers, and only with
# UnsafePattern, whatever it is given.
PIECES = st.sampled_from(
    [
        "a", "no", r"\b", r"\s", r"\w", r"\d", ".", "[.!?\\n]", "[^\\S\\n]", "[a-z]", "[^x]",
        "*", "+", "?", "*?", "*+", "{0,3}", "{2}", "{1,50}", "{0,}", "(", ")", "(?:", "|",
        "^", "$", "(?=", "(?<=", "\\1", "(?i)", "(?m)", "(?s)", "(?>", "é", "'", " ", "\\",
    ]
)  # fmt: skip


@settings(max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=14).map("".join))
def test_the_checker_only_ever_answers_or_refuses(pattern: str) -> None:
    try:
        check_pattern(pattern)
    except UnsafePattern as exc:
        assert str(exc)
