"""`empathy suggest -i`: building a reply step by step.

The logic (`interactive_core`) is driven with a scripted UI; the command itself through a
pseudo-terminal, keystroke by keystroke, with the screen checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ptyterm import CTRL_C, CTRL_D, Terminal
from typer.testing import CliRunner

from empathy_cli.analysis import Analysis, analyze
from empathy_cli.cli import app
from empathy_cli.composer import compose
from empathy_cli.interactive_core import (
    PAGE_SIZE,
    Answer,
    Menu,
    ReplyBuilder,
    Review,
    parse_answer,
    walk,
)
from empathy_cli.models import STEP_IDS, Banks
from empathy_cli.search import search_phrases

LATE_EN = "My parcel is 3 weeks late and nobody answers my emails! This is ridiculous."
BILLING_FR = (
    "Bonjour, vous m'avez prélevé deux fois pour la commande 58172 et personne ne me répond. "
    "C'est inadmissible !"
)


# --- reading an answer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "total", "expected"),
    [
        ("", 12, Answer("pick", 0)),  # Enter: the first option shown
        ("   ", 12, Answer("pick", 0)),
        ("2", 12, Answer("pick", 2)),
        ("5", 12, Answer("pick", 5)),  # any rank, not only the three shown
        ("13", 12, Answer("invalid")),
        ("0", 12, Answer("invalid")),
        ("n", 12, Answer("next")),
        ("N", 12, Answer("next")),
        ("suivant", 12, Answer("next")),
        ("p", 12, Answer("prev")),
        ("s", 12, Answer("skip")),
        ("passer", 12, Answer("skip")),
        ("t", 12, Answer("type")),
        ("b", 12, Answer("back")),
        ("?", 12, Answer("help")),
        ("aide", 12, Answer("help")),
        ("I'll sort this out today.", 12, Answer("text", text="I'll sort this out today.")),
        ("ok", 12, Answer("invalid")),  # too short to be a sentence
        ("", 0, Answer("invalid")),  # a step with no phrase: Enter means nothing
        ("\x1b[31mSorry about that\x1b[0m", 12, Answer("text", text="Sorry about that")),
    ],
)
def test_parse_answer(typed: str, total: int, expected: Answer) -> None:
    assert parse_answer(typed, total) == expected


# --- the session, with a scripted UI ---------------------------------------------------------


class ScriptedUI:
    """Answers from a list; records what was shown."""

    def __init__(
        self, answers: list[str], slots: dict[str, str] | None = None, *, enters: int = 30
    ) -> None:
        self.answers = list(answers)
        self.enters = enters  # once the answers are used up: Enter this many times, then EOF
        self.slots = slots or {}  # slot prompts are answered from here ("" by default)
        self.menus: list[Menu] = []
        self.reviews: list[Review] = []
        self.said: list[str] = []
        self.prompts: list[str] = []

    def show_menu(self, menu: Menu, language: str) -> None:
        self.menus.append(menu)

    def show_review(self, review: Review, builder: ReplyBuilder) -> None:
        self.reviews.append(review)

    def say(self, text: str, style: str = "") -> None:
        self.said.append(text)

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if prompt.startswith("{{"):
            return self.slots.get(prompt[2 : prompt.index("}}")], "")
        if not self.answers:
            if self.enters <= 0:
                raise EOFError
            self.enters -= 1
            return ""
        return self.answers.pop(0)


@pytest.fixture
def late(banks: Banks) -> Analysis:
    return analyze(LATE_EN, banks)


def test_options_are_ranked_as_phrases_for_ranks_them(banks: Banks, late: Analysis) -> None:
    builder = ReplyBuilder(late, banks)
    for step in STEP_IDS:
        shown = [o.phrase.id for o in builder.menu(step).options]
        listed = search_phrases(for_message=late, banks=banks, step=step, limit=PAGE_SIZE)
        assert shown == [m.phrase.id for m in listed], step
        assert [o.number for o in builder.menu(step).options] == [1, 2, 3]


def test_enter_at_every_step_gives_the_reply_suggest_gives(banks: Banks, late: Analysis) -> None:
    # five Enters, leave every slot for later, then Enter at the review
    builder = ReplyBuilder(late, banks, slots={"agent": "Alex"})
    ui = ScriptedUI([""] * 6)
    outcome = walk(builder, ui)
    expected = compose(late, banks, slots={"agent": "Alex"}).reply
    assert outcome.reply == expected
    assert outcome.copy is False
    assert len(ui.reviews) == 1


def test_n_shows_the_next_three_numbered_by_rank_and_wraps(banks: Banks, late: Analysis) -> None:
    builder = ReplyBuilder(late, banks)
    total = len(builder.candidates["validate"])
    pages = -(-total // PAGE_SIZE)
    ui = ScriptedUI(["s", *(["n"] * pages), "", ""])
    walk(builder, ui)
    validate = [m for m in ui.menus if m.step == "validate"]
    assert [o.number for o in validate[1].options] == [4, 5, 6]
    assert validate[1].first == 4
    # after the last page, back to the best ones
    assert validate[-1].first == 1
    assert any("back to the best" in s for s in ui.said)
    # Enter after paging takes the first option of the page shown
    assert builder.choices["validate"] is not None
    assert builder.choices["validate"].phrase_id == validate[-1].options[0].phrase.id


def test_a_number_of_the_next_page_picks_that_phrase(banks: Banks, late: Analysis) -> None:
    builder = ReplyBuilder(late, banks)
    ui = ScriptedUI(["n", "5", ""])
    walk(builder, ui)
    fifth = builder.candidates["listen"][4].phrase
    assert builder.choices["listen"] == builder.choices["listen"].__class__(fifth.text, fifth.id)


def test_skip_and_own_text(banks: Banks, late: Analysis) -> None:
    builder = ReplyBuilder(late, banks, slots={"agent": "Alex"})
    own = "I've read both of your emails, {{name}}."  # typed by the agent: never a slot
    ui = ScriptedUI(["", own, "s", "t", "Sorry, truly.", "", ""])
    outcome = walk(builder, ui)
    assert own in outcome.reply
    assert "Sorry, truly." in outcome.reply
    perspective = builder.candidates["perspective"][0].phrase.text.split("{{")[0]
    assert perspective not in outcome.reply
    assert builder.choices["perspective"] is None


def test_slots_are_asked_once_and_fill_every_phrase(banks: Banks) -> None:
    analysis = analyze(LATE_EN, banks)
    builder = ReplyBuilder(analysis, banks)
    # pick at each step the first phrase with {{details}}, type a value once
    detail = next(
        i
        for i, c in enumerate(builder.candidates["perspective"], 1)
        if "{{details}}" in c.phrase.text
    )
    ui = ScriptedUI(
        ["", "", str(detail), "", "", ""],
        slots={"details": "it left our depot on 2 May", "agent": "Sam"},
    )
    outcome = walk(builder, ui)
    assert "it left our depot on 2 May" in outcome.reply
    assert "{{details}}" not in outcome.reply
    assert sum("{{details}}" in p for p in ui.prompts) == 1
    assert outcome.reply.rstrip().endswith("Sam")  # {{agent}} of the closing was asked too


def test_enter_at_a_slot_leaves_it_visible_and_is_not_asked_again(
    banks: Banks, late: Analysis
) -> None:
    builder = ReplyBuilder(late, banks)
    ui = ScriptedUI([""] * 5 + ["3", "", ""])  # revisit step 3 at the review
    outcome = walk(builder, ui)
    assert "{{agent}}" in outcome.reply
    assert sum("{{agent}}" in p for p in ui.prompts) == 1
    assert ui.reviews[-1].missing_slots


def test_back_returns_to_the_previous_step(banks: Banks, late: Analysis) -> None:
    builder = ReplyBuilder(late, banks)
    ui = ScriptedUI(["", "b", "2", ""])
    walk(builder, ui)
    steps = [m.step for m in ui.menus[:3]]
    assert steps == ["listen", "validate", "listen"]
    assert builder.choices["listen"] is not None
    assert builder.choices["listen"].phrase_id == builder.candidates["listen"][1].phrase.id


def test_review_changes_a_step_then_copies(banks: Banks, late: Analysis) -> None:
    builder = ReplyBuilder(late, banks, slots={"agent": "Alex"})
    ui = ScriptedUI(["", "", "", "", "", "4", "s", "c"])
    outcome = walk(builder, ui, copy=False)
    assert len(ui.reviews) == 2
    assert builder.choices["compassion"] is None
    assert outcome.copy is True
    assert outcome.reply == ui.reviews[-1].reply


def test_copy_option_makes_enter_copy_and_f_finish_without(banks: Banks, late: Analysis) -> None:
    for last, copies in (("", True), ("f", False)):
        builder = ReplyBuilder(late, banks, slots={"agent": "Alex"})
        ui = ScriptedUI([""] * 5 + [last])
        assert walk(builder, ui, copy=True).copy is copies


def test_ctrl_d_leaves(banks: Banks, late: Analysis) -> None:
    with pytest.raises(EOFError):
        walk(ReplyBuilder(late, banks), ScriptedUI(["", ""], enters=0))


def test_the_review_runs_the_draft_checker(banks: Banks, late: Analysis) -> None:
    pytest.importorskip("empathy_cli.lint")
    builder = ReplyBuilder(late, banks, slots={"agent": "Alex"})
    ui = ScriptedUI(["", "", "", "s", "", ""])
    walk(builder, ui)
    check = ui.reviews[-1].check
    assert check is not None
    assert "compassion" not in check.steps_covered


def test_french_message_french_interface(banks: Banks) -> None:
    builder = ReplyBuilder(analyze(BILLING_FR, banks), banks)
    ui = ScriptedUI(["?", *([""] * 12)])
    outcome = walk(builder, ui)
    assert any("Entrée prend la première phrase" in s for s in ui.said)
    assert "choix › " in ui.prompts
    assert outcome.reply.startswith(compose(builder.analysis, banks).greeting.text)


# --- the command, without a terminal -------------------------------------------------------


def test_without_a_terminal_it_prints_the_usual_reply_and_says_why(banks: Banks) -> None:
    result = CliRunner().invoke(app, ["suggest", "-i", "--format", "text", LATE_EN])
    assert result.exit_code == 0
    assert "needs a terminal" in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == compose(analyze(LATE_EN, banks), banks).reply + "\n"


# --- the command, through a pseudo-terminal ------------------------------------------------


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for term in opened:
        term.close()


def _run(terminals: list[Terminal], *args: str, **kw: object) -> Terminal:
    term = Terminal(*args, **kw)  # type: ignore[arg-type]
    terminals.append(term)
    return term


def greeting(banks: Banks, message: str) -> str:
    """The greeting `suggest` puts first in its reply to `message`."""
    return compose(analyze(message, banks), banks).greeting.text


def test_pty_a_reply_in_a_few_keystrokes(terminals: list[Terminal], banks: Banks) -> None:
    term = _run(terminals, "suggest", "-i", "--agent", "Alex", LATE_EN, cols=120)
    term.expect("Reading: ")
    term.expect("Step 1/5 · Active listening")
    screen = term.expect("choice › ")
    assert "1-3 of " in screen
    assert "Enter/no. pick · n more · s skip · t own text · b back · ? help" in screen
    term.line()
    term.expect("Step 2/5")
    term.expect("choice › ")
    term.line("2")
    term.expect("Step 3/5")
    term.expect("choice › ")
    term.line("s")
    term.expect("Step 4/5")
    term.expect("choice › ")
    term.line("I'm sorry you had to chase us.")
    term.expect("Step 5/5")
    term.expect("choice › ")
    term.line()
    term.answer_slots("Your reply")  # leave any slot for later
    screen = term.expect("reply › ")
    assert greeting(banks, LATE_EN) in screen
    assert "I'm sorry you had to chase us." in screen
    assert "1-5 change a step" in screen
    term.line()
    assert term.wait() == 0
    assert "Traceback" not in term.screen


def test_pty_narrow_terminal_french(terminals: list[Terminal]) -> None:
    term = _run(terminals, "suggest", "-i", BILLING_FR, cols=40)
    screen = term.expect("choix › ")
    assert "Étape 1/5 · Écoute active" in screen
    assert "1-3/" in screen
    assert "Entrée/n° · n · s · t · b · ?" in screen  # the short key line
    assert all(len(line) <= 40 for line in screen.splitlines())
    term.line("n")
    screen = term.expect("choix › ")
    assert "4-6/" in screen
    term.send(CTRL_D)
    assert term.wait() == 0
    assert "Sortie sans réponse." in term.screen


def test_pty_ctrl_d_leaves_cleanly(terminals: list[Terminal]) -> None:
    term = _run(terminals, "suggest", "-i", LATE_EN)
    term.expect("choice › ")
    term.send(CTRL_D)
    assert term.wait() == 0
    assert "Left without a reply." in term.screen
    assert "Traceback" not in term.screen


def test_pty_ctrl_c_exits_130(terminals: list[Terminal]) -> None:
    term = _run(terminals, "suggest", "-i", LATE_EN)
    term.expect("choice › ")
    term.line()
    term.expect("choice › ")
    term.send(CTRL_C)
    assert term.wait() == 130
    assert "Interrupted." in term.screen
    assert "Traceback" not in term.screen


def test_pty_stdout_redirected_gets_only_the_reply(
    terminals: list[Terminal], tmp_path: Path, banks: Banks
) -> None:
    out = tmp_path / "reply.txt"
    term = _run(terminals, "suggest", "-i", "--agent", "Alex", LATE_EN, stdout=out)
    for _ in STEP_IDS:
        term.answer_slots("choice › ")
        term.line()
    term.answer_slots("Your reply")
    screen = term.expect("reply › ")
    term.line()
    assert term.wait() == 0
    written = out.read_text("utf-8")
    assert written.startswith(greeting(banks, LATE_EN))
    assert written.rstrip().endswith("Alex")
    assert "Step 1/5" not in written
    assert "choice" not in written
    # the reply was shown on the terminal too, at the review
    assert written.strip().splitlines()[0] in screen


def test_pty_customer_text_is_never_markup_or_escapes(terminals: list[Terminal]) -> None:
    message = "My [bold]refund[/bold] is late \x1b[2J\x1b]0;pwned\x07 and nobody answers!"
    term = _run(terminals, "suggest", "-i", message, cols=120)
    screen = term.expect("choice › ")
    assert "[bold]refund[/bold]" in screen
    assert "\x1b[2J" not in term.raw.decode("utf-8", "replace")
    assert "pwned" not in screen
    term.send(CTRL_D)
    assert term.wait() == 0


def test_pty_message_pasted_at_the_prompt_then_the_menus(terminals: list[Terminal]) -> None:
    term = _run(terminals, "suggest", "-i")
    term.expect("Paste the message")
    term.line("My refund still has not arrived after a month, this is so frustrating.")
    term.send(CTRL_D)
    screen = term.expect("choice › ")
    assert "Step 1/5" in screen
    term.line()
    term.expect("Step 2/5")
    term.send(CTRL_D)
    assert term.wait() == 0
