"""`empathy banks list|validate|init|where`, and team banks layered over the built-in ones:
through the user directory and `EMPATHY_BANKS`, replacing a built-in id or removing it, as
seen by `phrases`, `suggest` and `banks list`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from empathy_cli.banks.loader import validate_paths
from empathy_cli.cli import app, main
from empathy_cli.models import Banks

FIXTURES = Path(__file__).parent / "fixtures" / "banks"
MESSAGE = "My parcel is two weeks late and nobody answers my emails. I'm really fed up!"
runner = CliRunner()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# --- validate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "bad_unknown_key.yaml",
            "8:5: unknown key 'colour' in a phrases entry; allowed: id, text, step, title, "
            "emotions, situations, tone, channel, tags, note, source, enabled",
        ),
        ("bad_missing_key.yaml", "6:5: missing required key 'text' in a phrases entry"),
        ("bad_value.yaml", "8:11: bad value 'cheerful' for 'tone'; allowed: warm, neutral, formal"),
        ("bad_duplicate_key.yaml", "8:5: duplicate key 'text' (first at line 7)"),
        (
            "bad_duplicate_id.yaml",
            "8:9: duplicate id 'team-same' (already defined at {path}:6)",
        ),
        (
            "bad_wrong_type.yaml",
            "8:15: 'emotions' must be a string or a list of strings, not a number",
        ),
        (
            "bad_unsafe_pattern.yaml",
            "8:14: unsafe pattern in 'pattern': nested quantifiers such as (a+)+ are not allowed",
        ),
    ],
)
def test_validate_reports_each_problem_as_file_line_col_message(
    name: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(FIXTURES / name)
    code, out, err = run(["banks", "validate", path], capsys)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"{path}:" + expected.replace("{path}", path)
    assert lines[-1] == "1 problem in 1 file. See docs/banks.md for the format."


def test_validate_gives_only_the_location_of_a_yaml_syntax_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(FIXTURES / "bad_syntax.yaml")
    code, _, err = run(["banks", "validate", path], capsys)
    assert code == 2
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:")
    line, col = first[len(path) + 1 :].split(":")[:2]
    assert int(line) >= 6 and int(col) >= 1
    assert "YAML" in first


def test_validate_lists_every_problem_of_every_file_at_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(["banks", "validate", str(FIXTURES)], capsys)
    assert code == 2
    problems = [line for line in err.splitlines() if ".yaml:" in line]
    assert {p.split(":")[0] for p in problems} == {str(p) for p in FIXTURES.glob("bad_*.yaml")}
    assert err.splitlines()[-1].startswith(f"{len(problems)} problems in 8 files.")


def test_validate_a_clean_bank_prints_one_summary_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["banks", "validate", str(FIXTURES / "search")], capsys)
    assert code == 0
    assert err == ""
    assert out == "OK: 2 files valid (8 phrases).\n"


def test_validate_a_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["banks", "validate", "no/such/bank.yaml"], capsys)
    assert code == 2
    assert err.startswith("Error: No such file or directory: no/such/bank.yaml.")


# --- where, init -------------------------------------------------------------------------


def test_where_prints_the_user_banks_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["banks", "where"])
    assert result.exit_code == 0
    assert result.stdout == f"{tmp_path / 'config' / 'banks'}\n"
    assert "banks init" in result.stderr


def test_init_writes_a_valid_commented_starter_in_the_user_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["banks", "init"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "config" / "banks" / "my-phrases.yaml"
    assert result.stdout == f"{path}\n"
    text = path.read_text("utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=file://")
    assert first.endswith("/phrases.schema.json")
    assert Path(first.split("file://", 1)[1]).is_file()
    assert [f.entries for f in validate_paths([path])] == [2]
    assert yaml.safe_load(text)["language"] == "en"


def test_init_never_replaces_a_file_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "team"
    assert run(["banks", "init", str(target)], capsys)[0] == 0
    (target / "my-phrases.yaml").write_text("# mine\n", "utf-8")
    code, _, err = run(["banks", "init", str(target)], capsys)
    assert code == 2
    assert "already exists. Use --force" in err
    assert (target / "my-phrases.yaml").read_text("utf-8") == "# mine\n"
    assert run(["banks", "init", str(target), "--force"], capsys)[0] == 0
    assert "kind: phrases" in (target / "my-phrases.yaml").read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "env", "language"),
    [
        (["--lang", "fr"], {}, "fr"),
        ([], {"LANG": "fr_FR.UTF-8"}, "fr"),
        ([], {"EMPATHY_LANG": "fr", "LANG": "en_GB.UTF-8"}, "fr"),
        ([], {"LANG": "en_US.UTF-8"}, "en"),
    ],
)
def test_init_writes_the_bank_in_the_chosen_language(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    language: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = runner.invoke(app, ["banks", "init", str(tmp_path / "out"), *args])
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "my-phrases.yaml"
    assert yaml.safe_load(path.read_text("utf-8"))["language"] == language
    validate_paths([path])


# --- list --------------------------------------------------------------------------------


def test_list_shows_files_layers_counts_and_settings(tmp_path: Path) -> None:
    result = runner.invoke(app, ["banks", "list", "--json", "--schemas"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    layers = {f["layer"] for f in data["files"]}
    assert layers == {"builtin"}
    assert any(f["path"] == "phrases/en/steps.yaml" for f in data["files"])
    assert all(f["entries"] > 0 for f in data["files"] if f["kind"] == "phrases")
    assert data["user_dir"] == str(tmp_path / "config" / "banks")
    assert data["user_dir_exists"] is False
    assert data["environment"]["EMPATHY_CONFIG_DIR"] == str(tmp_path / "config")
    assert data["environment"]["EMPATHY_BANKS"] is None
    assert data["totals"]["en"]["phrases"] > 50
    assert data["totals"]["fr"]["steps"] == 5
    assert all(Path(p).is_file() for p in data["schemas"].values())


def test_list_text_output_names_the_user_directory_and_environment(tmp_path: Path) -> None:
    result = runner.invoke(app, ["banks", "list"])
    assert result.exit_code == 0
    assert result.stdout.startswith("LAYER")
    assert f"User banks:     {tmp_path / 'config' / 'banks'}" in result.stdout
    assert "EMPATHY_BANKS (not set)" in result.stdout


# --- layering: a team bank replaces, adds and removes ------------------------------------


def _suggest(message: str = MESSAGE) -> dict[str, Any]:
    result = runner.invoke(app, ["suggest", "--json", message])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _override(banks: Banks, phrase_id: str, prefix: str) -> dict[str, Any]:
    """A team entry with the same id and fit as a built-in phrase, and new words."""
    phrase = next(p for p in banks.phrases if p.id == phrase_id and p.language == "en")
    entry: dict[str, Any] = {
        "id": phrase.id,
        "step": phrase.step,
        "title": f"{prefix} version",
        "text": f"{prefix} wording. {phrase.text}",
        "tone": phrase.tone,
    }
    for key in ("emotions", "situations", "channel"):
        if getattr(phrase, key):
            entry[key] = list(getattr(phrase, key))
    return entry


def _write_bank(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(
        {"kind": "phrases", "language": "en", "phrases": entries},
        allow_unicode=True,
        sort_keys=False,
    )
    path.write_text("# A team bank written by tests/test_banks_cmd.py.\n" + body, "utf-8")
    return path


NEW_PHRASE = {
    "id": "team-warehouse-check",
    "step": "perspective",
    "title": "Warehouse check",
    "text": "Our warehouse team looked into it, and here is what they found: {{details}}.",
}


@pytest.mark.parametrize("layer", ["user", "env"])
def test_a_team_bank_replaces_a_builtin_phrase_everywhere(
    banks: Banks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layer: str
) -> None:
    before = _suggest()
    validate_id = before["steps"][1]["phrase_id"]
    entries = [_override(banks, validate_id, "Zebracorn"), NEW_PHRASE]
    if layer == "user":
        bank = _write_bank(tmp_path / "config" / "banks" / "team.yaml", entries)
    else:
        bank = _write_bank(tmp_path / "elsewhere" / "team.yaml", entries)
        monkeypatch.setenv("EMPATHY_BANKS", str(bank.parent))

    after = _suggest()
    assert after["steps"][1]["phrase_id"] == validate_id
    assert after["steps"][1]["text"].startswith("Zebracorn wording.")
    assert "Zebracorn wording." in after["reply"]

    found = json.loads(runner.invoke(app, ["phrases", "zebracorn", "--json"]).stdout)
    assert [(r["id"], r["language"]) for r in found["results"]] == [(validate_id, "en")]
    added = json.loads(runner.invoke(app, ["phrases", "warehouse check", "--json"]).stdout)
    assert added["results"][0]["id"] == "team-warehouse-check"

    listed = json.loads(runner.invoke(app, ["banks", "list", "--json"]).stdout)
    team = [f for f in listed["files"] if f["path"] == str(bank)]
    assert team == [
        {
            "path": str(bank),
            "layer": layer,
            "kind": "phrases",
            "language": "en",
            "entries": 2,
            "replaces": 1,
        }
    ]
    assert listed["files"][-1] == team[0]  # loaded last
    text = runner.invoke(app, ["banks", "list"]).stdout
    assert f"2 (1 replace earlier ones)  {bank}" in text


def test_enabled_false_removes_a_builtin_phrase(banks: Banks, tmp_path: Path) -> None:
    before = _suggest()
    validate_id = before["steps"][1]["phrase_id"]
    _write_bank(tmp_path / "config" / "banks" / "off.yaml", [{"id": validate_id, "enabled": False}])
    after = _suggest()
    assert after["steps"][1]["phrase_id"] not in (validate_id, None)
    listing = runner.invoke(app, ["phrases", "--step", "validate", "--lang", "en", "--json"])
    assert validate_id not in {r["id"] for r in json.loads(listing.stdout)["results"]}
    assert any(p.id == validate_id for p in banks.phrases)  # the built-in is still shipped


def test_a_broken_team_bank_stops_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = tmp_path / "config" / "banks"
    user.mkdir(parents=True)
    (user / "broken.yaml").write_text((FIXTURES / "bad_value.yaml").read_text("utf-8"), "utf-8")
    code, out, err = run(["phrases", "sorry"], capsys)
    assert code == 2
    assert out == ""
    assert f"{user / 'broken.yaml'}:8:11: bad value 'cheerful' for 'tone'" in err
