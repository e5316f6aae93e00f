"""Defaults from config.toml and the environment, and the order in which they win."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from empathy_cli.cli import main

MESSAGE = "My parcel is two weeks late and I'm fed up."


def write_config(text: str) -> Path:
    config_dir = Path(os.environ["EMPATHY_CONFIG_DIR"])
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def suggest_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code = main(["suggest", "--json", *args, MESSAGE])
    out, err = capsys.readouterr()
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def test_config_file_sets_agent_company_tone_and_channel(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_config('agent = "Noor"\ncompany = "Parcelio"\ntone = "formal"\nchannel = "chat"\n')
    data = suggest_json([], capsys)
    assert data["tone"] == "formal"
    assert data["channel"] == "chat"
    email = suggest_json(["--channel", "email"], capsys)
    assert "Noor" in str(email["reply"])  # the e-mail sign-off carries the agent's name
    assert "{{agent}}" not in str(email["reply"])


def test_environment_beats_the_file_and_options_beat_both(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config('agent = "Noor"\n')
    monkeypatch.setenv("EMPATHY_AGENT", "Sam")
    reply = str(suggest_json(["--format", "json", "--tone", "neutral"], capsys)["reply"])
    assert "Noor" not in reply
    from_option = str(suggest_json(["--agent", "Lee"], capsys)["reply"])
    assert "Sam" not in from_option and "Noor" not in from_option


def test_env_agent_signs_the_reply(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EMPATHY_AGENT", "Sam")
    code = main(["suggest", "--format", "text", "--channel", "email", MESSAGE])
    out = capsys.readouterr().out
    assert code == 0
    assert "{{agent}}" not in out
    assert "Sam" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('tone = "warm', "config.toml: "),  # not TOML
        (
            'colour = "blue"\n',
            "unknown key 'colour'. Allowed keys: agent, company, lang, tone, channel",
        ),
        (
            'tone = "cheerful"\n',
            "Bad tone 'cheerful' in the configuration; allowed: warm, neutral, formal",
        ),
        ("tone = 3\n", "'tone' must be a string in quotes."),
    ],
)
def test_a_bad_config_file_is_one_line_and_exit_2(
    content: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(content)
    code = main(["suggest", MESSAGE])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("Error: ")
    assert expected in err
    assert err.count("\n") == 1


def test_empathy_lang_sets_the_default_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EMPATHY_LANG", "fr")
    code = main(["steps", "--json", "listen"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["steps"][0]["title"] == "Écoute active"
