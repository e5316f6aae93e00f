"""`empathy export espanso|csv|json`: an espanso file valid against espanso's own schema,
with unique triggers, a form field for every slot and literal braces escaped; CSV with
helpdesk placeholders; JSON; atomic writes that never replace a file without --force."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from empathy_cli.cli import app, main
from empathy_cli.exporters import (
    espanso_match,
    select_phrases,
    slots_of,
    to_csv,
    to_espanso,
)
from empathy_cli.models import Banks, Phrase

ESPANSO_SCHEMA = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "anchors"
    / "espanso"
    / "match.schema.json"
)
runner = CliRunner()

# espanso's own variable syntax (espanso-render renderer/mod.rs VAR_REGEX) and unescaping
# (renderer/util.rs unescape_variable_inections), to check what espanso would type.
_ESPANSO_VAR = re.compile(r"\{\{\s*(?P<name>\w+)(\.(?P<subname>(\w+)))?\s*\}\}")


def espanso_types(match: dict[str, Any], form: dict[str, str]) -> str:
    """What espanso inserts for `match` once the form is filled with `form`."""

    def variable(m: re.Match[str]) -> str:
        assert m.group("name") == "form", f"unexpected espanso variable {m.group()}"
        return form[m.group("subname")]

    rendered = _ESPANSO_VAR.sub(variable, match["replace"])
    return rendered.replace("\\{\\{", "{{").replace("\\}\\}", "}}")


def phrase(text: str, **kw: Any) -> Phrase:
    return Phrase(
        id=kw.pop("id", "t-1"), language="en", step="validate", text=text, title="T", **kw
    )


def espanso_file(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, ["export", "espanso", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = yaml.safe_load(result.stdout)
    return data


# --- espanso -----------------------------------------------------------------------------


def test_espanso_export_validates_against_espanso_schema() -> None:
    if not ESPANSO_SCHEMA.is_file():
        pytest.skip(f"espanso's match schema not found at {ESPANSO_SCHEMA} (../shared/anchors)")
    import jsonschema

    schema = json.loads(ESPANSO_SCHEMA.read_text("utf-8"))
    data = espanso_file(["--lang", "all"])
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(data), key=str)
    assert [e.message for e in errors] == []


def test_espanso_export_has_one_match_per_phrase_with_unique_word_triggers(
    banks: Banks,
) -> None:
    data = espanso_file(["--lang", "all"])
    matches = data["matches"]
    expected = select_phrases(banks, languages=["en", "fr"])
    assert len(matches) == len(expected) == len(banks.phrases)
    triggers = [m["trigger"] for m in matches]
    assert len(set(triggers)) == len(triggers)
    assert triggers == [f":emp-{p.language}-{p.id}" for p in expected]
    assert all(m["word"] is True for m in matches)


def test_every_slot_becomes_a_form_field(banks: Banks) -> None:
    data = espanso_file(["--lang", "all"])
    by_trigger = {m["trigger"]: m for m in data["matches"]}
    with_slots = 0
    for p in banks.phrases:
        match = by_trigger[f":emp-{p.language}-{p.id}"]
        slots = slots_of(p.text)
        if not slots:
            assert "vars" not in match
            assert espanso_types(match, {}) == p.text
            continue
        with_slots += 1
        [var] = match["vars"]
        assert var["name"] == "form" and var["type"] == "form"
        for slot in slots:
            assert f"[[{slot}]]" in var["params"]["layout"]
            assert "{{form." + slot + "}}" in match["replace"]
        filled = {s: f"<{s.upper()}>" for s in slots}
        assert espanso_types(match, filled) == re.sub(
            r"\{\{(\w+)\}\}", lambda m: f"<{m.group(1).upper()}>", p.text
        )
    assert with_slots > 10


def test_literal_double_braces_are_escaped_for_espanso() -> None:
    match = espanso_match(phrase("Keep {{ this }} as is, and {{{name}}}."))
    assert match["replace"] == "Keep \\{\\{ this \\}\\} as is, and {{{form.name}}}."
    assert espanso_types(match, {"name": "Sam"}) == "Keep {{ this }} as is, and {Sam}."
    layout = match["vars"][0]["params"]["layout"]
    assert layout == "Keep \\{\\{ this \\}\\} as is, and {[[name]]}."


def test_set_fills_a_slot_literally_and_escapes_it() -> None:
    match = espanso_match(phrase("Hi {{name}}, {{agent}} here."), {"agent": "{{Alex}}"})
    assert espanso_types(match, {"name": "Sam"}) == "Hi Sam, {{Alex}} here."
    assert match["vars"][0]["params"]["layout"] == "Hi [[name]], \\{\\{Alex\\}\\} here."


def test_details_is_a_multiline_field_and_form_brackets_stay_text() -> None:
    match = espanso_match(phrase("Here is what I found: {{details}} [[not a field]]"))
    params = match["vars"][0]["params"]
    assert params["fields"] == {"details": {"multiline": True}}
    assert params["layout"].count("[[") == 1


def test_multi_line_phrases_keep_their_lines() -> None:
    text = to_espanso([phrase("Best regards,\n{{agent}}")])
    data = yaml.safe_load(text)
    assert espanso_types(data["matches"][0], {"agent": "Alex"}) == "Best regards,\nAlex"
    assert text.startswith("# yaml-language-server: $schema=")


def test_espanso_export_is_deterministic() -> None:
    first = runner.invoke(app, ["export", "espanso", "--lang", "all"]).stdout
    assert runner.invoke(app, ["export", "espanso", "--lang", "all"]).stdout == first


def test_filters_by_language_and_step() -> None:
    data = espanso_file(["--lang", "fr", "--step", "compassion", "--step", "closing"])
    triggers = [m["trigger"] for m in data["matches"]]
    assert triggers and all(t.startswith(":emp-fr-") for t in triggers)
    labels = {m["label"].rsplit(" · ", 1)[1] for m in data["matches"]}
    assert labels == {"compassion", "closing"}


def test_language_defaults_to_the_configured_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    triggers = [m["trigger"] for m in espanso_file([])["matches"]]
    assert all(t.startswith(":emp-fr-") for t in triggers)


def test_placeholders_do_not_apply_to_espanso(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "espanso", "--placeholders", "zendesk"]) == 2
    assert capsys.readouterr().err.startswith("Error: --placeholders applies to csv and json.")


# --- CSV and JSON --------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_the_macro_columns_and_round_trips(banks: Banks) -> None:
    result = runner.invoke(app, ["export", "csv", "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "id,step,language,title,text"
    rows = read_csv(result.stdout)
    en = {p.id: p for p in banks.phrases if p.language == "en"}
    assert {r["id"] for r in rows} == set(en)
    for row in rows:
        assert row["text"] == en[row["id"]].text
        assert row["language"] == "en"


@pytest.mark.parametrize(
    ("helpdesk", "expected"),
    [
        (
            "zendesk",
            "Hi {{ticket.requester.first_name}}, {{current_user.name}} from "
            "{{ticket.brand.name}}; order {{order}}, {{details}}.",
        ),
        (
            "chatwoot",
            "Hi {{contact.first_name}}, {{agent.name}} from {{company}}; "
            "order {{order}}, {{details}}.",
        ),
    ],
)
def test_placeholders_rewrite_known_slots_and_keep_the_others(helpdesk: str, expected: str) -> None:
    from empathy_cli.exporters import helpdesk_values

    text = "Hi {{name}}, {{agent}} from {{company}}; order {{order}}, {{details}}."
    rows = read_csv(to_csv([phrase(text)], values=helpdesk_values(helpdesk)))
    assert rows[0]["text"] == expected


def test_set_maps_a_slot_for_the_helpdesk() -> None:
    result = runner.invoke(
        app,
        [
            "export",
            "csv",
            "--placeholders",
            "zendesk",
            "--lang",
            "en",
            "--set",
            "order={{ticket.ticket_field_360001}}",
        ],
    )
    assert result.exit_code == 0
    texts = [r["text"] for r in read_csv(result.stdout)]
    assert not any("{{order}}" in t for t in texts)
    assert not any("{{name}}" in t for t in texts)
    assert any("{{ticket.ticket_field_360001}}" in t for t in texts)
    assert "{{order}}" not in result.stderr
    assert "Left as they are (no zendesk placeholder): " in result.stderr


def test_json_export_has_every_field() -> None:
    result = runner.invoke(app, ["export", "json", "--lang", "all", "--step", "listen"])
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert {p["language"] for p in data["phrases"]} == {"en", "fr"}
    first = data["phrases"][0]
    assert set(first) == {
        "id",
        "step",
        "language",
        "title",
        "text",
        "emotions",
        "situations",
        "tone",
        "channel",
        "tags",
        "slots",
    }
    assert all(p["step"] == "listen" for p in data["phrases"])


# --- writing files -----------------------------------------------------------------------


def test_output_file_is_written_and_never_replaced_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "empathy.yml"
    assert main(["export", "espanso", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Wrote ") and str(target) in err
    assert yaml.safe_load(target.read_text("utf-8"))["matches"]
    target.write_text("mine\n", "utf-8")
    assert main(["export", "csv", "-o", str(target)]) == 2
    assert "already exists. Use --force" in capsys.readouterr().err
    assert target.read_text("utf-8") == "mine\n"
    assert main(["export", "csv", "-o", str(target), "--force"]) == 0
    assert target.read_text("utf-8").startswith("id,step,language,title,text")
    assert [p.name for p in target.parent.iterdir()] == ["empathy.yml"]  # no temporary left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "csv", "--step", "apologise"], "Error: Unknown step 'apologise'."),
        (["export", "pdf"], "'pdf' is not one of 'espanso', 'csv', 'json'."),
    ],
)
def test_bad_options_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err
