"""The JSON Schemas shipped for editors: generated from `banks/schema.py`, valid draft-07,
accepting every built-in bank and the starter bank, rejecting what the loader rejects."""

from __future__ import annotations

import importlib.util
import json
from importlib.resources import files
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml

from empathy_cli.banks.loader import builtin_dir
from empathy_cli.commands.banks import starter_bank
from empathy_cli.models import KINDS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "banks"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_schemas", ROOT / "scripts" / "gen_schemas.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shipped(kind: str) -> dict[str, Any]:
    text = files("empathy_cli").joinpath("schemas").joinpath(f"{kind}.schema.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def errors(kind: str, document: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(shipped(kind))
    return sorted(e.message for e in validator.iter_errors(document))


def test_shipped_schemas_are_the_generated_ones() -> None:
    gen = generator()
    for kind, schema in gen.build_schemas().items():
        path = ROOT / "empathy_cli" / "schemas" / f"{kind}.schema.json"
        assert path.read_text("utf-8") == gen.dumps(schema), (
            f"{path.name} is out of date: run python scripts/gen_schemas.py"
        )
    assert gen.main(["--check"]) == 0


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_valid_draft_07(kind: str) -> None:
    schema = shipped(kind)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


BUILTIN = sorted(p for p in builtin_dir().rglob("*.y*ml"))


@pytest.mark.parametrize("path", BUILTIN, ids=[str(p.relative_to(builtin_dir())) for p in BUILTIN])
def test_every_builtin_bank_validates_against_its_schema(path: Path) -> None:
    document = yaml.safe_load(path.read_text("utf-8"))
    assert errors(document["kind"], document) == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_starter_bank_validates_against_the_schema(language: str) -> None:
    assert errors("phrases", yaml.safe_load(starter_bank(language, "x.json"))) == []


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("bad_unknown_key.yaml", "Additional properties are not allowed ('colour' was unexpected)"),
        ("bad_missing_key.yaml", "'text' is a required property"),
        ("bad_value.yaml", "'cheerful' is not one of ['warm', 'neutral', 'formal']"),
        ("bad_wrong_type.yaml", "3 is not valid under any of the given schemas"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(name: str, fragment: str) -> None:
    document = yaml.safe_load((FIXTURES / name).read_text("utf-8"))
    assert fragment in errors(document["kind"], document)


@pytest.mark.parametrize(
    ("kind", "entry", "valid"),
    [
        ("phrases", {"id": "x", "enabled": False}, True),  # removing needs only the id
        ("phrases", {"id": "x", "text": "Hi."}, False),  # no step here nor at the top
        ("phrases", {"id": "x", "text": "Hi.", "step": "greeting"}, True),
        ("cues", {"id": "x", "emotion": "angry", "words": ["cross"]}, True),
        ("cues", {"id": "x", "emotion": "angry"}, False),  # words or pattern
        ("cues", {"id": "x", "emotion": "angry", "role": "negator", "words": "not"}, False),
        ("rules", {"id": "x", "severity": "warning", "message": "M", "pattern": "a"}, True),
        ("rules", {"id": "x", "severity": "warning", "message": "M"}, False),
        ("steps", {"id": "listen", "title": "T", "goal": "G", "techniques": "One"}, True),
        ("steps", {"id": "greeting", "title": "T", "goal": "G"}, False),
        ("scenarios", {"id": "x", "message": "M", "emotions": "angry"}, True),
    ],
)
def test_entry_rules(kind: str, entry: dict[str, Any], valid: bool) -> None:
    document = {"kind": kind, "language": "en", kind: [entry]}
    assert (errors(kind, document) == []) is valid
