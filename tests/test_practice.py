"""`empathy practice`: scenario order, emotion and reply scoring, the summary, and the drill
driven through a pipe and through a pseudo-terminal."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from ptyterm import CTRL_D, Terminal

from empathy_cli.banks.loader import load_banks
from empathy_cli.cli import main
from empathy_cli.errors import InputError
from empathy_cli.models import EMOTIONS, SITUATIONS, STEP_IDS, Banks, Scenario
from empathy_cli.practice import (
    DEFAULT_SEED,
    EmotionScore,
    ReplyScore,
    RoundResult,
    parse_emotions,
    pick_scenarios,
    read_block,
    score_emotions,
    score_reply,
    summarize,
)

ROOT = Path(__file__).resolve().parent.parent

WARM_EN = (
    "Hello,\n\nI can see the parcel you ordered three weeks ago still hasn't arrived, and that "
    "nobody answered your emails. I completely understand how frustrating that is. I'm sorry "
    "for the silence. I'm checking the tracking with the carrier now and will write to you by "
    "tomorrow evening; would you prefer a replacement or a refund if it can't be found?"
)
COLD_EN = "Calm down. It's only a parcel, and delays are the courier's fault, not ours."


# --- the shipped scenarios -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_at_least_twelve_scenarios_cover_every_emotion_and_situation(
    banks: Banks, lang: str
) -> None:
    scenarios = banks.scenarios_for(lang)
    assert len(scenarios) >= 12
    emotions = {e for s in scenarios for e in s.emotions}
    situations = {x for s in scenarios for x in s.situations}
    assert set(EMOTIONS) <= emotions
    assert set(SITUATIONS) <= situations
    assert all(s.notes for s in scenarios)


# --- choosing the scenarios ------------------------------------------------------------------


def test_the_same_seed_gives_the_same_drill_and_leaves_global_random_alone(banks: Banks) -> None:
    state = random.getstate()
    first = [s.id for s in pick_scenarios(banks, "en", 5, DEFAULT_SEED)]
    random.seed(12345)  # the global generator must not matter
    again = [s.id for s in pick_scenarios(banks, "en", 5, DEFAULT_SEED)]
    assert first == again
    assert len(set(first)) == 5
    other = [s.id for s in pick_scenarios(banks, "en", 5, DEFAULT_SEED + 1)]
    assert other != first
    random.setstate(state)


def test_more_rounds_than_scenarios_uses_each_before_repeating(banks: Banks) -> None:
    pool = len(banks.scenarios_for("fr"))
    drill = pick_scenarios(banks, "fr", pool + 3, 7)
    assert len({s.id for s in drill[:pool]}) == pool
    assert all(a.id != b.id for a, b in itertools.pairwise(drill))


def test_no_scenario_in_the_language_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"No training scenario in French\. Add some"):
        pick_scenarios(Banks(), "fr", 3, 1)


# --- reading and scoring the emotion ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "emotions", "unknown"),
    [
        ("1", ["angry"], []),
        ("2 5", ["frustrated", "worried"], []),
        ("8", ["neutral"], []),
        ("9", [], ["9"]),
        ("angry, frustrated", ["angry", "frustrated"], []),
        ("Frustration and worry", ["frustrated", "worried"], []),
        ("en colère et inquiet", ["angry", "worried"], []),
        ("COLERE", ["angry"], []),
        ("déçue", ["disappointed"], []),
        ("frust", ["frustrated"], []),
        ("reconnaissante", ["grateful"], []),
        ("none", ["neutral"], []),
        ("aucune", ["neutral"], []),
        ("sad sad 6", ["sad"], []),
        ("hungry", [], ["hungry"]),
        ("", [], []),
    ],
)
def test_parse_emotions(typed: str, emotions: list[str], unknown: list[str]) -> None:
    assert parse_emotions(typed) == (emotions, unknown)


@pytest.mark.parametrize(
    ("guessed", "expected", "reading", "score"),
    [
        (["angry", "frustrated"], ["angry", "frustrated"], ["angry"], 100),
        (["frustrated", "angry"], ["angry", "frustrated"], ["angry"], 100),  # order is free
        (["angry"], ["angry", "frustrated"], ["angry"], 67),  # main counts double
        (["frustrated"], ["angry", "frustrated"], ["angry"], 33),
        (["angry"], ["angry", "worried", "frustrated"], [], 50),
        ([], ["angry"], ["angry"], 0),
        (["sad"], ["angry"], ["angry"], 0),
        # a neighbouring emotion is half right: frustration for anger
        (["frustrated"], ["angry"], ["angry", "frustrated"], 50),
        (["sad"], ["disappointed", "sad"], [], 33),  # found, so not also "near"
        (["worried"], ["angry"], ["angry"], 0),
        # an extra emotion the reading also hears costs nothing; one nobody hears costs 20
        (["angry", "frustrated"], ["angry"], ["angry", "frustrated"], 100),
        (["angry", "sad"], ["angry"], ["angry"], 80),
        (["angry", "sad", "grateful", "confused"], ["angry"], ["angry"], 40),
        (["neutral"], ["neutral"], ["neutral"], 100),
        (["neutral"], ["neutral"], [], 100),
        (["confused"], ["neutral"], ["neutral"], 0),
    ],
)
def test_score_emotions(
    guessed: list[str], expected: list[str], reading: list[str], score: int
) -> None:
    assert score_emotions(guessed, expected, reading).score == score


def test_score_emotions_says_what_was_found_missed_and_wrong() -> None:
    result = score_emotions(["frustrated", "sad", "worried"], ["angry", "frustrated"], ["worried"])
    assert result.found == ("frustrated",)
    assert result.missed == ("angry",)
    assert result.backed == ("worried",)
    assert result.wrong == ("sad",)
    assert result.near == ()
    assert not result.main_found
    close = score_emotions(["frustrated"], ["angry"], ["angry"])
    assert close.near == (("frustrated", "angry"),)
    assert close.wrong == ()


# --- scoring the reply -----------------------------------------------------------------------


@pytest.fixture
def late_scenario(banks: Banks) -> Scenario:
    return next(s for s in banks.scenarios_for("en") if s.id == "late-third-message-caps")


def test_a_warm_reply_scores_higher_than_a_cold_one(banks: Banks, late_scenario: Scenario) -> None:
    warm = score_reply(WARM_EN, late_scenario, banks)
    cold = score_reply(COLD_EN, late_scenario, banks)
    assert warm.score >= 70 > cold.score
    assert warm.score == round((warm.check + 20 * len(warm.covered)) / 2)
    assert {f.severity for f in cold.findings} & {"error", "warning"}
    assert "validate" in warm.covered
    assert set(warm.covered) | set(warm.missing) == set(STEP_IDS)


def test_a_polite_reply_without_the_steps_does_not_pass(
    banks: Banks, late_scenario: Scenario
) -> None:
    result = score_reply("Hello, noted. Regards.", late_scenario, banks)
    assert len(result.covered) <= 1
    assert result.score < 70


def test_an_empty_reply_scores_zero_and_misses_every_step(
    banks: Banks, late_scenario: Scenario
) -> None:
    result = score_reply("  \n ", late_scenario, banks)
    assert (result.score, result.covered, result.missing) == (0, (), STEP_IDS)
    assert not result.written


def test_read_block_ends_at_two_empty_lines_or_end_of_input() -> None:
    lines = iter(["Hello,\n", "\n", "Sorry.\n", "\n", "\n", "next round\n"])
    assert read_block(lambda: next(lines)) == "Hello,\n\nSorry."
    assert next(lines) == "next round\n"
    rest = iter(["Only line\n", ""])
    assert read_block(lambda: next(rest)) == "Only line"
    empty = iter(["\n", "\n", "x\n"])
    assert read_block(lambda: next(empty)) == ""


# --- the summary -----------------------------------------------------------------------------


def _round(
    scenario: Scenario, emotions: EmotionScore, covered: tuple[str, ...], text: str = "x"
) -> RoundResult:
    reply = ReplyScore(text, 80, covered, tuple(s for s in STEP_IDS if s not in covered))
    return RoundResult(scenario, emotions, reply, "model")


def test_summary_scores_per_step_and_emotion_and_says_what_to_work_on(banks: Banks) -> None:
    sc = Scenario("s1", "en", "msg", ("worried", "frustrated"))
    rounds = [
        _round(sc, score_emotions(["frustrated"], sc.emotions, []), ("listen", "collaborate")),
        _round(sc, score_emotions(["worried"], sc.emotions, []), ("listen", "validate")),
        _round(sc, score_emotions(["angry"], sc.emotions, []), ("listen", "collaborate")),
    ]
    summary = summarize(rounds, banks, "en")
    assert summary.rounds == 3
    assert summary.replies == 3
    assert dict(summary.steps) == {
        "listen": 3,
        "validate": 1,
        "perspective": 0,
        "compassion": 0,
        "collaborate": 2,
    }
    assert summary.emotions == (("frustrated", 1, 3), ("worried", 1, 3))
    advice = " ".join(summary.work_on)
    assert "Share perspective" in advice  # never covered: first
    assert summary.work_on[0].startswith("Step “Share perspective”")
    assert "Active listening" not in advice  # always covered
    assert "worry" in advice


def test_summary_in_french(banks: Banks) -> None:
    sc = Scenario("s1", "fr", "msg", ("angry",))
    rounds = [_round(sc, score_emotions(["sad"], sc.emotions, []), ("listen",), text="")]
    summary = summarize(rounds, banks, "fr")
    assert summary.replies == 0
    assert summary.work_on[0].startswith("Écrivez une réponse à chaque manche")
    assert any("colère" in a for a in summary.work_on)


# --- the command through a pipe (scripted) ---------------------------------------------------


def _run_piped(args: list[str], answers: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "empathy_cli", "practice", *args],
        input=answers,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_piped_answers_play_the_rounds_and_print_a_summary(banks: Banks) -> None:
    first, _ = pick_scenarios(banks, "en", 2, DEFAULT_SEED)
    answers = f"{first.emotions[0]}\n{WARM_EN}\n\n\n8\n\n\n"
    done = _run_piped(["--rounds", "2", "--lang", "en"], answers)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Round 1/2" in out and "Round 2/2" in out
    assert "Well heard" in out
    assert "Reply: " in out
    assert "No reply written." in out  # the second reply was left empty
    assert "Model answer" in out
    assert "Summary" in out and "2 rounds" in out
    assert "To work on" in out
    # the questions went to stderr, so stdout is a clean transcript
    assert "emotion ›" not in out
    assert "emotion ›" in done.stderr
    assert "\x1b[" not in out  # not a terminal: no colours


def test_end_of_input_stops_the_drill_with_a_summary_of_the_rounds_played() -> None:
    done = _run_piped(["--rounds", "5", "--lang", "fr"], "colère\n\n\n")
    assert done.returncode == 0
    assert "Manche 1/5" in done.stdout
    assert "Manche 2/5" in done.stdout
    assert "Manche 3/5" not in done.stdout
    assert "Bilan" in done.stdout
    assert "1 manche · émotions" in done.stdout
    assert "Traceback" not in done.stderr


def test_an_unknown_emotion_is_asked_again() -> None:
    done = _run_piped(["--rounds", "1", "--lang", "en"], "hungry\nsad\n\n\n")
    assert "Not an emotion on the list: hungry" in done.stderr
    assert "You heard: sadness" in done.stdout


def test_same_seed_same_order_through_the_command() -> None:
    one = _run_piped(["--rounds", "3", "--seed", "42", "--lang", "en"], "")
    two = _run_piped(["--rounds", "3", "--seed", "42", "--lang", "en"], "")
    assert one.stdout == two.stdout
    assert "Round 1/3" in one.stdout


def test_language_comes_from_the_config_when_not_given(tmp_path: Path) -> None:
    config = Path(tmp_path / "config")
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('lang = "fr"\n', "utf-8")
    done = _run_piped([], "")
    assert "Manche 1/5" in done.stdout


# --- team scenarios through the bank layers --------------------------------------------------


TEAM = """\
# Team scenarios for the night shift.
kind: scenarios
language: en
scenarios:
  - id: night-shift-outage
    message: "Your service has been down all night and I run a bakery that opens at 6."
    emotions: [worried, angry]
    situations: [technical_issue]
    notes: "Name the opening time; say what you are doing now."
"""


def test_a_team_scenario_is_validated_and_played(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(TEAM, "utf-8")
    assert main(["banks", "validate", str(team)]) == 0
    banks = load_banks([team], user=False, env=False, cache=False)
    assert any(s.id == "night-shift-outage" for s in banks.scenarios_for("en"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(TEAM.replace("emotions: [worried, angry]", "emotions: [hangry]"), "utf-8")
    capsys.readouterr()
    assert main(["banks", "validate", str(bad)]) == 2
    assert "hangry" in capsys.readouterr().err


def test_disabling_every_scenario_is_a_clear_error(
    tmp_path: Path, banks: Banks, capsys: pytest.CaptureFixture[str]
) -> None:
    off = {
        "kind": "scenarios",
        "language": "fr",
        "scenarios": [{"id": s.id, "enabled": False} for s in banks.scenarios_for("fr")],
    }
    path = tmp_path / "off.yaml"
    path.write_text("# every French scenario off\n" + yaml.safe_dump(off), "utf-8")
    assert main(["practice", "--lang", "fr", "--bank", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: No training scenario in French.")


# --- the command through a pseudo-terminal ---------------------------------------------------


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for term in opened:
        term.close()


def test_pty_a_french_round_with_feedback(terminals: list[Terminal], banks: Banks) -> None:
    (scenario,) = pick_scenarios(banks, "fr", 1, DEFAULT_SEED)
    term = Terminal("practice", "--lang", "fr", "--rounds", "1", cols=60)
    terminals.append(term)
    screen = term.expect("émotion › ")
    assert "Manche 1/1" in screen
    assert "1 colère" in screen and "8 aucune (demande calme)" in screen
    term.line(scenario.emotions[0])
    screen = term.expect("Ctrl-D")
    assert "Émotion\u00a0: " in screen  # French spacing, kept on one line
    assert "Bien vu" in screen
    term.line("Bonjour,")
    term.line("Je comprends votre inquiétude. Calmez-vous, je regarde.")
    term.send(CTRL_D)
    screen = term.expect("Bilan")
    assert "Réponse\u00a0: " in screen
    assert "« Calmez-vous »" in screen
    assert "Notes du formateur" in screen
    assert "Réponse modèle" in screen
    assert term.wait() == 0
    assert "À travailler" in term.screen
    assert "Traceback" not in term.screen


def test_pty_ctrl_d_at_the_question_ends_with_the_summary(terminals: list[Terminal]) -> None:
    term = Terminal("practice", "--lang", "en", cols=40)
    terminals.append(term)
    screen = term.expect("emotion › ")
    assert all(len(line) <= 40 for line in screen.splitlines())
    term.send(CTRL_D)
    assert term.wait() == 0
    assert "No round completed." in term.screen


def test_pty_ctrl_c_exits_130(terminals: list[Terminal]) -> None:
    term = Terminal("practice", "--lang", "en")
    terminals.append(term)
    term.expect("emotion › ")
    term.send("\x03")
    assert term.wait() == 130
    assert "Interrupted." in term.screen
    assert "Traceback" not in term.screen
