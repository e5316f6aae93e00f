"""`empathy suggest` and `empathy analyze` from the command line: output, formats, errors
and exit codes, each stream checked on its own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from empathy_cli.cli import main

ANGRY_EN = "My order #48213 is two weeks late and nobody answers my emails. I'm really fed up!"
WORRIED_FR = (
    "Bonjour, mon colis devait arriver hier et je pars demain, je suis très inquiète.\nMarie"
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_prints_the_reply_alone_in_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["suggest", ANGRY_EN], capsys)
    assert code == 0
    assert err == ""
    assert "48213" in out
    assert "{{" not in out.split("\n")[0]  # the greeting is complete
    assert "\x1b" not in out


def test_suggest_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["suggest", "--format", "json", ANGRY_EN], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert data["language"] == "en"
    assert [s["id"] for s in data["steps"]] == [
        "listen",
        "validate",
        "perspective",
        "compassion",
        "collaborate",
    ]
    assert all(s["text"] and s["phrase_id"] for s in data["steps"])
    assert data["analysis"]["entities"]["order"] == "48213"
    assert {"greeting", "closing", "slots", "reply"} <= data.keys()
    for step in data["steps"]:
        assert step["text"] in data["reply"]


def test_analyze_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", "--json", WORRIED_FR], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert data["language"] == "fr"
    assert 0 <= data["language_confidence"] <= 1
    assert data["emotions"][0]["name"] == "worried"
    cue = data["emotions"][0]["cues"][0]
    assert WORRIED_FR[cue["start"] : cue["end"]] == cue["text"]
    assert data["entities"]["name"] == "Marie"


def test_suggest_markdown_shows_reading_steps_and_reply(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["suggest", "--format", "markdown", ANGRY_EN], capsys)
    assert code == 0
    assert "## Reading" in out and "## Steps" in out and "## Reply" in out
    assert "### 1. Active listening" in out


def test_set_and_name_fill_slots(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "suggest",
            "--json",
            "--name",
            "Sam",
            "--agent",
            "Alex",
            "--set",
            "details=it left our depot on Monday",
            ANGRY_EN,
        ],
        capsys,
    )
    data = json.loads(out)
    assert code == 0
    filled = {s["name"]: s["value"] for s in data["slots"]}
    assert filled.get("name") in (None, "Sam")
    assert "Alex" in data["reply"] or "agent" not in filled


def test_same_input_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(["suggest", "--json", WORRIED_FR], capsys)
    second = run(["suggest", "--json", WORRIED_FR], capsys)
    assert first == second


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["suggest", "   "],
            "Error: The message is empty. "
            "Give it as an argument, pipe it in, or use --file PATH.\n",
        ),
        (
            ["analyze", "--file", "/nonexistent/msg.txt"],
            "Error: No such file: /nonexistent/msg.txt. Check the path.\n",
        ),
        (
            ["suggest", "--set", "Order", "hi"],
            "Error: Bad --set 'Order'. "
            "Write it as key=value with a lower-case key, e.g. --set order=48213.\n",
        ),
    ],
)
def test_input_errors_are_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    assert err == message


def test_directory_as_file_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["suggest", "--file", str(tmp_path)], capsys)
    assert code == 2
    assert err == f"Error: {tmp_path} is a directory. Give a file.\n"


def test_bad_option_value_names_the_allowed_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["suggest", "--tone", "angry", "hello"], capsys)
    assert code == 2
    assert out == ""
    assert "'angry' is not one of 'warm', 'neutral', 'formal'" in err
    assert "Traceback" not in err


def test_invalid_bank_lists_every_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "team.yaml"
    bad.write_text(
        "kind: phrases\nlanguage: en\nphrases:\n  - id: Bad Id\n    text: hi\n    step: listen\n"
        "  - id: ok-one\n    step: listen\n    text: hello\n    colour: blue\n",
        encoding="utf-8",
    )
    code, out, err = run(["suggest", "--bank", str(bad), "hello"], capsys)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{bad}:4:9: bad id 'Bad Id'")
    assert lines[1].startswith(
        f"{bad}:10:5: unknown key 'colour' in a phrases entry; allowed: id, text"
    )
    assert lines[-1].startswith("Error: 2 problems in the phrase banks.")


def test_control_sequences_never_reach_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    nasty = "My refund \x1b[31mis late\x1b[0m\x1b]0;pwned\x07 and I'm angry."
    for fmt in ("text", "markdown", "json"):
        code, out, _ = run(["analyze", "--format", fmt, nasty], capsys)
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out


def test_rich_output_prints_markup_in_customer_text_literally(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        ["suggest", "--format", "rich", "[bold red]My parcel[/] is late and I am upset."], capsys
    )
    assert code == 0
    assert "[bold red]My parcel[/]" in out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def test_closed_pipe_exits_141_quietly() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.run(
        [sys.executable, "-m", "empathy_cli", "suggest", "--format", "json", ANGRY_EN],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=_env(),
        check=False,
    )
    os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == b""


def test_ctrl_c_at_the_paste_prompt_exits_130_without_traceback() -> None:
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "empathy_cli", "suggest"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    os.close(follower)
    assert proc.stderr is not None
    prompt = b""
    while b"Ctrl-D" not in prompt:  # the prompt says how to end the paste
        chunk = proc.stderr.read1(1024)  # type: ignore[attr-defined]
        assert chunk, "the prompt never came"
        prompt += chunk
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    os.close(leader)
    assert proc.returncode == 130
    assert b"Traceback" not in err
