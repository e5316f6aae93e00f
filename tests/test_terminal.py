"""The terminal side: colours that follow NO_COLOR / FORCE_COLOR / TERM=dumb, layouts that
fit 40 and 120 columns, a quiet exit into `| head`, Ctrl-C, and the paste prompt driven
through a pseudo-terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ptyterm import CTRL_C, CTRL_D, Terminal
from rich.cells import cell_len

from empathy_cli.cli import main

ANGRY = "My parcel 48213 is THREE weeks late and nobody answers my emails. This is ridiculous!!"
CONFUSED_FR = "Bonjour, je ne comprends pas ma facture : pourquoi ai-je été prélevé deux fois ?"
GRATEFUL = "Thank you so much, the replacement arrived today and it works perfectly!"
SGR_RE = re.compile(r"\x1b\[([0-9;]*)m")
COLOUR_CODES = re.compile(r"(?:^|;)(?:3[0-7]|38|9[0-7]|4[0-7]|48|10[0-7])(?:;|$)")


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, **env: str
) -> tuple[int, str, str]:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def step_line(lines: list[str]) -> str:
    """The first line of step 1, without the panel's borders: "1. <title> [text...]"."""
    return next(line.strip("│ ") for line in lines if line.startswith("│ 1. "))


def colour_codes(out: str) -> list[str]:
    return [m.group(1) for m in SGR_RE.finditer(out) if COLOUR_CODES.search(m.group(1))]


# --- colours ----------------------------------------------------------------------------


def test_force_color_colours_rich_output_in_a_pipe(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "suggest", "-f", "rich", ANGRY, FORCE_COLOR="1")
    assert code == 0
    assert colour_codes(out)


def test_rich_output_in_a_pipe_has_no_escapes_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "analyze", "-f", "rich", ANGRY)
    assert code == 0
    assert "\x1b" not in out
    assert "frustrated" in out


def test_no_color_keeps_the_cues_bold_and_drops_every_colour(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        capsys, monkeypatch, "analyze", "-f", "rich", GRATEFUL, FORCE_COLOR="1", NO_COLOR="1"
    )
    assert code == 0
    assert colour_codes(out) == []
    # the cue in the message is still set apart, in bold
    assert re.search(r"\x1b\[1m[^\x1b]*Thank you so much", out)


def test_dumb_terminal_gets_no_escapes_and_the_cues_in_words(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        capsys, monkeypatch, "analyze", "-f", "rich", ANGRY, FORCE_COLOR="1", TERM="dumb"
    )
    assert code == 0
    assert "\x1b" not in out
    assert "“nobody answers”" in out  # what colour shows elsewhere is said in words


def test_text_and_json_never_carry_escapes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for fmt in ("text", "json", "markdown"):
        code, out, _ = run(capsys, monkeypatch, "suggest", "-f", fmt, ANGRY, FORCE_COLOR="1")
        assert code == 0
        assert "\x1b" not in out, fmt


def test_customer_markup_and_escapes_are_shown_as_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    message = "[bold red]Refund[/bold red] now!! \x1b]0;owned\x07 I'm furious."
    code, out, _ = run(capsys, monkeypatch, "suggest", "-f", "rich", "--explain", message)
    assert code == 0
    assert "[bold red]Refund[/bold red]" in out
    assert "\x1b]0;" not in out and "owned\x07" not in out


# --- widths -----------------------------------------------------------------------------


@pytest.mark.parametrize("width", range(34, 62))
def test_a_french_line_never_starts_with_a_colon_or_a_closing_guillemet(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    # Rich breaks lines at a no-break space too; French « : » must stay on its word's line
    message = "Le conseiller m'a raccroché au nez ce matin quand j'ai demandé des explications."
    code, out, _ = run(
        capsys, monkeypatch, "suggest", "-f", "rich", message, COLUMNS=str(width), NO_COLOR="1"
    )
    assert code == 0
    starts = [line.strip("│ ")[:1] for line in out.splitlines()]
    assert not {":", ";", "»", "?", "!"} & set(starts), out
    assert "\ue000" not in out  # the placeholder never reaches the terminal
    assert "\u00a0:" in out  # written as the no-break space it stands for


@pytest.mark.parametrize("message", [ANGRY, CONFUSED_FR, GRATEFUL])
@pytest.mark.parametrize("command", ["suggest", "analyze"])
def test_forty_columns_fit_and_stack_step_titles(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    message: str,
) -> None:
    extra = ["--explain"] if command == "suggest" else []
    code, out, _ = run(capsys, monkeypatch, command, "-f", "rich", *extra, message, COLUMNS="40")
    assert code == 0
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 40
    if command == "suggest":
        # each step's title has a line of its own, its text below it
        assert len(step_line(lines).split()) == 3


@pytest.mark.parametrize("message", [ANGRY, CONFUSED_FR, GRATEFUL])
def test_wide_terminals_keep_panels_readable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    code, out, _ = run(capsys, monkeypatch, "suggest", "-f", "rich", "-e", message, COLUMNS="160")
    assert code == 0
    lines = out.splitlines()
    widths = {cell_len(line) for line in lines if line.startswith(("╭", "╰"))}
    assert widths == {100}
    # the step's text starts beside its title
    assert len(step_line(lines).split()) > 3


@pytest.mark.parametrize("columns", ["40", "100"])
def test_help_epilog_keeps_its_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    code, out, _ = run(capsys, monkeypatch, "--help", COLUMNS=columns)
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    for expected in (
        "Exit codes:",
        "130  interrupted (Ctrl-C)",
        "141  output pipe closed (| head)",
        "Environment:",
        "NO_COLOR            no colours; FORCE_COLOR: colours",
    ):
        assert expected in lines


@pytest.mark.parametrize("command", ["batch", "suggest", "check", "banks"])
def test_help_fits_a_narrow_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    code, out, _ = run(capsys, monkeypatch, command, "--help", COLUMNS="40")
    assert code == 0
    lines = out.splitlines()
    options = lines[lines.index("Options:") + 1 :]
    # each option on its own line (a long one may pass the edge), its description under it
    for line in options:
        assert len(line) <= 40 or line.lstrip().startswith("-"), line
    help_line = next(k for k, line in enumerate(options) if line.strip() == "-h, --help")
    assert options[help_line + 1] == "      Show this message and exit."


def test_help_keeps_two_columns_in_a_wide_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "batch", "--help", COLUMNS="120")
    assert code == 0
    jobs = next(line for line in out.splitlines() if line.lstrip().startswith("-j, --jobs"))
    assert "Worker processes" in jobs


# --- pipes and Ctrl-C ---------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from empathy_cli.cli import run; run()", *args]


@pytest.mark.parametrize(
    "args",
    [
        ("suggest", "-f", "rich", ANGRY),
        ("suggest", "-f", "text", ANGRY),
        ("analyze", "-f", "json", ANGRY),
        ("--help",),
        ("suggest", "--help"),
    ],
    ids=["rich", "text", "json", "help", "command-help"],
)
def test_a_closed_pipe_ends_quietly_with_141(args: tuple[str, ...]) -> None:
    with subprocess.Popen(
        _cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ)
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader is gone before anything is written
        err = proc.stderr.read()
        code = proc.wait(timeout=120)
    assert code == 141
    assert err == b""


def test_ctrl_c_at_the_paste_prompt_exits_130_without_a_traceback() -> None:
    term = Terminal("suggest", "--format", "text", cols=80)
    try:
        term.expect("Paste the message")
        term.line("My parcel is late")
        term.send(CTRL_C)
        code = term.wait()
    finally:
        term.close()
    assert code == 130
    assert "Interrupted." in term.screen
    assert "Traceback" not in term.screen


# --- the paste prompt -----------------------------------------------------------------------

PASTE = [
    "Hello,",
    "my order 48213 was due two weeks ago and it is still not here.",
    "I have emailed you three times and nobody answers. I'm fed up!",
]


def _expected_reply(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["suggest", "--format", "text", "\n".join(PASTE)]) == 0
    return capsys.readouterr().out


def test_paste_ended_by_two_empty_lines_gets_the_reply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _expected_reply(capsys)
    out = tmp_path / "out.txt"
    term = Terminal("suggest", "--format", "text", cols=100, stdout=out)
    try:
        term.expect("Paste the message, then press Ctrl-D (or Enter on two empty lines)")
        for line in PASTE:
            term.line(line)
        term.line("")
        term.line("")
        code = term.wait()
    finally:
        term.close()
    assert code == 0
    assert out.read_text(encoding="utf-8") == expected
    assert "Traceback" not in term.screen


def test_paste_with_an_empty_line_inside_and_ended_by_ctrl_d(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = [PASTE[0], "", *PASTE[1:]]
    assert main(["suggest", "--format", "text", "\n".join(message)]) == 0
    expected = capsys.readouterr().out
    out = tmp_path / "out.txt"
    term = Terminal("suggest", "--format", "text", cols=100, stdout=out)
    try:
        term.expect("Paste the message")
        for line in message:
            term.line(line)
        term.send(CTRL_D)
        code = term.wait()
    finally:
        term.close()
    assert code == 0
    assert out.read_text(encoding="utf-8") == expected


def test_rich_reply_on_a_narrow_terminal_after_a_paste() -> None:
    term = Terminal("suggest", cols=40, rows=200)
    try:
        term.expect("Paste the message")
        for line in PASTE:
            term.line(line)
        term.send(CTRL_D)
        term.expect("Reply")
        code = term.wait()
    finally:
        term.close()
    assert code == 0
    panel = term.screen[term.screen.index("╭─ Reading") :]
    assert max(cell_len(line) for line in panel.splitlines()) <= 40
    assert "Traceback" not in term.screen


def test_the_interactive_menu_keeps_french_colons_on_their_line() -> None:
    from empathy_cli.commands.interactive import _slot_text
    from empathy_cli.textsafe import GLUE

    shown = _slot_text("Je note bien ce que vous nous signalez : {{concern}}.")
    assert f"signalez{GLUE}:" in shown.plain


@pytest.mark.parametrize("width", range(36, 60, 3))
def test_french_phrases_and_steps_keep_colons_on_their_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    for args in (("phrases", "excuses", "attente", "--lang", "fr"), ("steps", "--lang", "fr")):
        code, out, _ = run(capsys, monkeypatch, *args, "-f", "rich", COLUMNS=str(width))
        assert code == 0
        starts = {line.strip("│ ")[:1] for line in out.splitlines()}
        assert not {":", ";", "»", "?", "!"} & starts, out
