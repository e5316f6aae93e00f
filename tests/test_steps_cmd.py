"""`empathy steps` in every format and language, and shell completion for the lookup
commands (step, emotion and situation names, phrase ids)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from empathy_cli.cli import app, main
from empathy_cli.commands.phrases import (
    complete_emotion,
    complete_phrase_id,
    complete_phrase_step,
    complete_situation,
    complete_step,
)
from empathy_cli.models import Banks

STEPS = ["listen", "validate", "perspective", "compassion", "collaborate"]
runner = CliRunner()


def steps_json(args: list[str], env: dict[str, str] | None = None) -> list[dict[str, object]]:
    result = runner.invoke(app, ["steps", "--json", *args], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    steps: list[dict[str, object]] = data["steps"]
    return steps


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_json_has_the_five_steps_in_order_with_guidance(lang: str, banks: Banks) -> None:
    steps = steps_json(["--lang", lang])
    assert [s["id"] for s in steps] == STEPS
    guides = {g.id: g for g in banks.steps_for(lang)}
    for step in steps:
        assert {"id", "title", "goal", "techniques", "pitfalls", "examples"} <= step.keys()
        guide = guides[str(step["id"])]
        assert step["title"] == guide.title
        assert step["examples"] == list(guide.examples)
        assert step["techniques"] and step["pitfalls"]


def test_one_step_only() -> None:
    assert [s["id"] for s in steps_json(["validate"])] == ["validate"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "fr_CA.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "EMPATHY_LANG": "en"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_language_follows_config_then_locale(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert steps_json(["listen"])[0]["language"] == expected


def test_language_from_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('lang = "fr"\n', "utf-8")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert steps_json(["listen"])[0]["language"] == "fr"


def test_unknown_step_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps", "apologise"]) == 2
    assert capsys.readouterr().err == (
        "Error: Unknown step 'apologise'. Use one of: listen, validate, perspective, "
        "compassion, collaborate.\n"
    )


@pytest.mark.parametrize("width", [40, 120])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_wraps_to_the_terminal_with_hanging_indents(width: int, lang: str) -> None:
    result = runner.invoke(app, ["steps", "--lang", lang], env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "\x1b" not in result.stdout
    assert lines[0].startswith("1. ")
    bullets = [line for line in lines if line.startswith("  - ")]
    assert len(bullets) > 20
    # continuation lines of a bullet are indented under its text
    assert all(
        not line.startswith(" ") or line.startswith(("  - ", "    ", "   ")) for line in lines
    )


def test_french_text_keeps_punctuation_with_its_word() -> None:
    result = runner.invoke(app, ["steps", "--lang", "fr"], env={"COLUMNS": "40"})
    for line in result.stdout.splitlines():
        assert not line.lstrip().startswith(("»", ":", "?", "!", ";")), line


@pytest.mark.parametrize("width", [40, 120])
def test_rich_panels_fit_the_terminal(width: int) -> None:
    result = runner.invoke(
        app, ["steps", "--format", "rich", "--lang", "fr"], env={"COLUMNS": str(width)}
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("╭─ 1. Écoute active") or lines[0].startswith("╭─ 1.")
    assert max(cell_len(line) for line in lines) <= min(width, 100)
    assert sum(line.startswith("╭") for line in lines) == 5


def test_markdown_has_a_heading_per_step() -> None:
    result = runner.invoke(app, ["steps", "--format", "markdown", "--lang", "en"])
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert [h.split(". ", 1)[0] for h in headings] == ["## 1", "## 2", "## 3", "## 4", "## 5"]
    assert "**Pitfalls to avoid**" in result.stdout


# --- completion ----------------------------------------------------------------------------


def test_name_completions() -> None:
    assert complete_step("co") == ["compassion", "collaborate"]
    assert complete_step("") == STEPS
    assert complete_phrase_step("c") == ["compassion", "collaborate", "closing"]
    assert complete_emotion("fr") == ["frustrated"]
    assert complete_situation("re") == ["refund"]
    assert complete_situation("zz") == []


def test_phrase_id_completion_reads_the_banks(banks: Banks) -> None:
    found = complete_phrase_id("close-")
    expected = sorted({p.id for p in banks.phrases if p.id.startswith("close-")})
    assert [value for value, _ in found] == expected
    assert all(help_text.endswith(("(en)", "(fr)")) for _, help_text in found)


def test_phrase_id_completion_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [unclosed\n", "utf-8")
    monkeypatch.setenv("EMPATHY_BANKS", str(broken))
    assert complete_phrase_id("close-") == []
    monkeypatch.setenv("EMPATHY_BANKS", str(tmp_path / "missing"))
    assert complete_phrase_id("") == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("empathy steps co", ["compassion", "collaborate"]),
        ("empathy phrases --emotion wo", ["worried"]),
        ("empathy phrases --situation late", ["late_delivery"]),
        ("empathy export csv --step gr", ["greeting"]),
    ],
)
def test_shell_completion_round_trip(words: str, expected: list[str]) -> None:
    env = dict(os.environ)
    env.update(
        {
            "_EMPATHY_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", "from empathy_cli.cli import run; run()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected
