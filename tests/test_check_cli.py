"""`empathy check` on the command line: exit codes for each --fail-on, the text and JSON
contracts, --reply-to, the 100 KB refusal, and the other formats."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from empathy_cli.cli import app, main
from empathy_cli.lint import check_draft
from empathy_cli.models import Banks

runner = CliRunner()

COLD = "Calm down. As I already told you, the delay is the courier's fault."
WARNING_ONLY = "Like I said, the replacement left our warehouse on Monday."
SUGGESTION_ONLY = "Thank you for your message. The RMA number is on the label."
WARM = (
    "Thank you for letting us know, and I'm so sorry the screen arrived cracked. That must "
    "have been a real disappointment. The damage happened in transit, and that's on us. "
    "I've arranged a replacement by express delivery; would you like the tracking link by text?"
)


def check(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["check", *args], input=input)


def check_json(*args: str) -> dict[str, Any]:
    result = check("--format", "json", *args)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize(
    ("draft", "fail_on", "code"),
    [
        (COLD, "error", 1),
        (COLD, "warning", 1),
        (COLD, "suggestion", 1),
        (WARNING_ONLY, "error", 0),
        (WARNING_ONLY, "warning", 1),
        (WARNING_ONLY, "suggestion", 1),
        (SUGGESTION_ONLY, "error", 0),
        (SUGGESTION_ONLY, "warning", 0),
        (SUGGESTION_ONLY, "suggestion", 1),
        (WARM, "error", 0),
        (WARM, "warning", 0),
        (WARM, "suggestion", 0),
    ],
)
def test_exit_code_follows_fail_on(draft: str, fail_on: str, code: int) -> None:
    result = check("--format", "text", "--fail-on", fail_on, draft)
    assert result.exit_code == code, result.output


def test_default_fail_on_is_warning() -> None:
    assert check("--format", "text", WARNING_ONLY).exit_code == 1
    assert check("--format", "text", SUGGESTION_ONLY).exit_code == 0


def test_bad_fail_on_names_the_allowed_values() -> None:
    result = check("--fail-on", "fatal", WARM)
    assert result.exit_code == 2
    assert "error" in result.output and "suggestion" in result.output


def test_text_output_is_file_line_col_then_the_suggestion(tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    draft.write_text("Hello Sam,\nCalm down, please.\n", encoding="utf-8")
    result = check("--format", "text", "--file", str(draft))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{draft}:2:1: error tell-how-to-feel Telling the customer")
    assert lines[1].startswith("    suggestion: Name the feeling instead")
    whole = [line for line in lines if line.startswith(f"{draft}: suggestion missing-")]
    assert whole, lines
    # the score summary goes to stderr, so stdout stays parseable
    assert "score" not in result.stdout
    assert result.stderr.startswith(f"{draft}: score ")


def test_text_output_from_an_argument_uses_a_dash() -> None:
    result = check("--format", "text", COLD)
    first = result.stdout.splitlines()[0]
    assert first.startswith("-:1:1: error tell-how-to-feel ")
    assert "-:1:15: warning repeat-impatience " in result.stdout


def test_a_warm_draft_prints_nothing_on_stdout() -> None:
    result = check("--format", "text", WARM)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "score 100/100, passes at --fail-on warning" in result.stderr


def test_json_contract() -> None:
    data = check_json(COLD)
    assert data["schema_version"] == 1
    assert 0 <= data["score"] <= 100 and data["score"] < 70
    assert data["language"] == "en"
    assert data["failed"] is True and data["fail_on"] == "warning"
    keys = {"rule", "severity", "message", "line", "column", "start", "end", "text", "suggestion"}
    for f in data["findings"]:
        assert keys <= f.keys()
        assert f["severity"] in ("error", "warning", "suggestion")
        if f["start"] is None:
            assert f["line"] is None and f["column"] is None and f["end"] is None
            assert f["text"] is None
        else:
            assert COLD[f["start"] : f["end"]] == f["text"]
    first = data["findings"][0]
    assert (first["rule"], first["line"], first["column"], first["start"], first["end"]) == (
        "tell-how-to-feel",
        1,
        1,
        0,
        9,
    )
    missing = [f["rule"] for f in data["findings"] if f["rule"].startswith("missing-")]
    assert missing == [f"missing-{s}" for s in data["steps_missing"]]
    assert set(data["steps_covered"]) | set(data["steps_missing"]) == {
        "listen",
        "validate",
        "perspective",
        "compassion",
        "collaborate",
    }
    assert data["reply_to"] is None


def test_json_of_a_warm_draft() -> None:
    data = check_json(WARM)
    assert data["score"] == 100
    assert data["findings"] == []
    assert data["steps_covered"] == [
        "listen",
        "validate",
        "perspective",
        "compassion",
        "collaborate",
    ]
    assert all(step["text"] for step in data["steps"])


def test_json_matches_the_core_function(banks: Banks) -> None:
    data = check_json("--lang", "fr", "Pas de panique, ce n'est qu'un petit retard.")
    result = check_draft("Pas de panique, ce n'est qu'un petit retard.", banks, lang="fr")
    assert [f["rule"] for f in data["findings"]] == [f.rule for f in result.findings]
    assert data["score"] == result.score


def test_reply_to_reports_what_the_draft_misses() -> None:
    customer = "My parcel is three weeks late and I'm furious!"
    result = check("--format", "json", "--reply-to", customer, "Your parcel left the depot today.")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["reply_to"]["emotion"] in ("angry", "frustrated")
    assert data["reply_to"]["acknowledged"] is False
    assert data["reply_to"]["situation"] == "late_delivery"
    assert "misses-emotion" in [f["rule"] for f in data["findings"]]


def test_reply_to_file(tmp_path: Path) -> None:
    ticket = tmp_path / "ticket.txt"
    ticket.write_text("Mon colis n'est toujours pas arrivé, je suis inquiète.", encoding="utf-8")
    draft = (
        "Je comprends votre inquiétude : j'ai vérifié, le colis est au dépôt et sera livré demain."
    )
    result = check("--format", "json", "--reply-to-file", str(ticket), draft)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "fr"
    assert data["reply_to"]["acknowledged"] is True
    assert data["reply_to"]["addressed"] is True


def test_reply_to_and_reply_to_file_together_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ticket = tmp_path / "ticket.txt"
    ticket.write_text("Where is my parcel?", encoding="utf-8")
    code = main(["check", "--reply-to", "x", "--reply-to-file", str(ticket), WARM])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: Give the customer's message with --reply-to or --reply-to-file")


def test_missing_reply_to_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--reply-to-file", str(tmp_path / "nope.txt"), WARM])
    assert code == 2
    assert "No such file" in capsys.readouterr().err


def test_draft_over_100_kb_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = "I'm sorry for the delay. " * 4100  # about 102 KB
    path = tmp_path / "big.txt"
    path.write_text(big, encoding="utf-8")
    assert main(["check", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: The draft is over 100 KB.")
    assert main(["check", big]) == 2
    assert "over 100 KB" in capsys.readouterr().err


def test_draft_over_100_kb_on_stdin_is_refused() -> None:
    big = "Sorry for the wait. " * 6000
    proc = subprocess.run(
        [sys.executable, "-m", "empathy_cli", "check", "-"],
        input=big.encode(),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2
    assert b"over 100 KB" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_empty_draft_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "   "]) == 2
    assert capsys.readouterr().err.startswith("Error: The draft is empty.")


def test_draft_from_stdin() -> None:
    result = check("--format", "text", "-", input="Relax, it's sorted.\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("-:1:1: error tell-how-to-feel ")


def test_a_macro_can_gate_on_the_exit_code(tmp_path: Path) -> None:
    cold = tmp_path / "cold.txt"
    cold.write_text(COLD, encoding="utf-8")
    warm = tmp_path / "warm.txt"
    warm.write_text(WARM, encoding="utf-8")
    for path, code in ((cold, 1), (warm, 0)):
        proc = subprocess.run(
            [sys.executable, "-m", "empathy_cli", "check", "--file", str(path)],
            capture_output=True,
            check=False,
        )
        assert proc.returncode == code, proc.stderr


def test_markdown_output() -> None:
    result = check("--format", "markdown", COLD)
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("## Score: ")
    assert "**error** `tell-how-to-feel` (1:1): “Calm down”" in out
    assert "*Try:* Name the feeling instead" in out


def test_markdown_escapes_the_draft() -> None:
    out = check("--format", "markdown", "Relax *now* [link](x)").stdout
    assert "Relax \\*now\\*" not in out  # the span itself is only "Relax"
    assert "[link]" not in out


def test_rich_output_underlines_the_spans_and_lists_suggestions(banks: Banks) -> None:
    from empathy_cli.render.check import print_check

    draft = "Hi \x1b[31mSam\x1b[0m, calm down [bold]please[/bold]."
    result = check_draft(draft, banks, lang="en")
    buffer = io.StringIO()
    print_check(result, draft, file=buffer)
    out = buffer.getvalue()
    assert "Score " in out and "/100" in out
    assert "✗ listen" in out
    assert "[bold]please[/bold]" in out  # the draft is never read as markup
    assert "\x1b[31m" not in out
    assert "tell-how-to-feel" in out and "→ Name the feeling instead" in out


def test_rich_output_in_french_at_40_columns(banks: Banks) -> None:
    from empathy_cli.render.check import print_check

    draft = "Pas de panique, c'est un petit souci de rien du tout."
    result = check_draft(draft, banks, lang="fr")
    buffer = io.StringIO()
    print_check(result, draft, file=buffer, width=40)
    lines = buffer.getvalue().splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert any(line.startswith("Étapes ") for line in lines)
    assert "échoue avec" in buffer.getvalue()
    assert "Pas de panique" in buffer.getvalue()


def test_help_has_examples() -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "--reply-to-file" in result.stdout and "--fail-on" in result.stdout
