"""Generate the JSON Schemas (draft-07) of the bank kinds from `empathy_cli.banks.schema`.

One file a kind, `empathy_cli/schemas/<kind>.schema.json`, shipped with the package so that
editors running the YAML language server check banks as they are typed. The loader stays the
authority (it also checks patterns, slots and duplicate ids); the schemas catch the rest
early. `tests/test_schemas.py` fails when the shipped files differ from what this script
generates, so run it after changing `ENTRY_FIELDS`:

    python scripts/gen_schemas.py          # write the files
    python scripts/gen_schemas.py --check  # exit 1 if they are out of date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from empathy_cli.banks.patterns import MAX_PATTERN_LENGTH
from empathy_cli.banks.schema import ENTRY_FIELDS, HEADER_FIELDS, ID_RE, Field
from empathy_cli.models import KINDS

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "empathy_cli" / "schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"

# Rules the loader checks in code (`_check_alternatives`), not in ENTRY_FIELDS:
# each tuple is a set of keys of which an enabled entry needs exactly one.
EXACTLY_ONE: dict[str, list[tuple[str, ...]]] = {
    "cues": [("emotion", "situation", "role"), ("words", "pattern")],
    "rules": [("words", "pattern")],
    "markers": [("words", "pattern")],
}

DESCRIPTIONS = {
    "id": "Stable id: lower-case letters, digits, '.', '_' and '-'. Macros refer to it.",
    "text": "The phrase, with optional {{slots}} such as {{name}}, {{order}}, {{details}}.",
    "step": "The step this phrase serves (or the file's top-level 'step:').",
    "title": "Short label for lookup, exports and macros (defaults to the id).",
    "emotions": "Emotions this fits; empty fits any.",
    "situations": "Situations this fits; empty fits any.",
    "tone": "warm, neutral (default) or formal.",
    "channel": "Channels this fits; empty fits any.",
    "tags": "Free words found by `empathy phrases`.",
    "note": "Guidance for agents and team leads.",
    "source": "Where this comes from.",
    "enabled": "false removes the entry with this id from an earlier layer.",
    "goal": "What the step does in a reply.",
    "techniques": "What to do.",
    "pitfalls": "What to avoid.",
    "examples": "Short example sentences.",
    "emotion": "The emotion this cue points to.",
    "situation": "The situation this cue points to.",
    "role": "negator, intensifier, diminisher, grievance, positive or politeness.",
    "words": "Words or expressions; a last word ending in '*' is a stem.",
    "pattern": "A regular expression from the linear subset (see docs/banks.md).",
    "weight": "How much the cue counts (default 1.0).",
    "severity": "error, warning or suggestion.",
    "message": "What is wrong, said to the agent.",
    "suggestion": "A warmer alternative.",
    "unless": "Words that cancel a match in the same sentence.",
    "unless_pattern": "A pattern that cancels a match in the same sentence.",
    "notes": "What a good agent should notice.",
    "kind": "The kind of entries this file holds.",
    "language": "en or fr.",
    "description": "What this file holds.",
}


def _string(min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    # "A field may be a string or a list; it is a list after loading."
    return {"anyOf": [item, {"type": "array", "items": item}]}


def field_schema(name: str, spec: Field) -> dict[str, Any]:
    """The JSON Schema of one entry key."""
    kind = spec.kind
    out: dict[str, Any]
    if kind == "id":
        out = {"type": "string", "pattern": "^" + ID_RE.pattern.removesuffix("\\Z") + "$"}
    elif kind in ("str", "text"):
        out = _string()
    elif kind == "pattern":
        out = {"type": "string", "minLength": 1, "maxLength": MAX_PATTERN_LENGTH}
    elif kind in ("strlist", "words"):
        out = _one_or_many(_string())
    elif kind == "enum":
        out = {"type": "string", "enum": list(spec.allowed)}
    elif kind == "enumlist":
        out = _one_or_many({"type": "string", "enum": list(spec.allowed)})
    elif kind == "number":
        out = {"type": "number", "minimum": spec.low, "maximum": spec.high}
    elif kind == "bool":
        out = {"type": "boolean"}
    else:  # pragma: no cover - a new field kind must be taught here
        raise ValueError(f"unknown field kind {kind!r} for {name!r}")
    if name in DESCRIPTIONS:
        out = {"description": DESCRIPTIONS[name], **out}
    return out


_DISABLED = {"properties": {"enabled": {"const": False}}, "required": ["enabled"]}


def entry_schema(kind: str) -> dict[str, Any]:
    """An entry of `kind`: only known keys; an enabled entry needs its required keys."""
    fields = ENTRY_FIELDS[kind]
    required = [k for k, spec in fields.items() if spec.required and k != "id"]
    enabled: dict[str, Any] = {}
    if required:
        enabled["required"] = required
    rules = [{"oneOf": [{"required": [k]} for k in keys]} for keys in EXACTLY_ONE.get(kind, [])]
    if rules:
        enabled["allOf"] = rules
    out: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {name: field_schema(name, spec) for name, spec in fields.items()},
    }
    if enabled:
        out["if"] = _DISABLED
        out["else"] = enabled
    return out


def bank_schema(kind: str) -> dict[str, Any]:
    """The schema of a whole bank file of `kind`."""
    properties: dict[str, Any] = {
        "kind": {"description": DESCRIPTIONS["kind"], "const": kind},
    }
    for name, spec in HEADER_FIELDS.items():
        if name == "kind" or (name == "step" and kind != "phrases"):
            continue
        properties[name] = field_schema(name, spec)
    if "step" in properties:
        properties["step"]["description"] = "Default step of every entry below."
    properties[kind] = {
        "description": f"The {kind} of this file.",
        "type": "array",
        "items": {"$ref": "#/definitions/entry"},
    }
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": f"empathy-cli bank: {kind}",
        "description": (
            f"A YAML bank of {kind} for empathy-cli (see docs/banks.md). Generated from "
            "empathy_cli/banks/schema.py by scripts/gen_schemas.py; do not edit."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "language", kind],
        "properties": properties,
        "definitions": {"entry": entry_schema(kind)},
    }
    if kind == "phrases":
        # without a file-level `step:`, every enabled entry names its own step
        schema["if"] = {"not": {"required": ["step"]}}
        schema["then"] = {
            "properties": {"phrases": {"items": {"anyOf": [{"required": ["step"]}, _DISABLED]}}}
        }
    return schema


def build_schemas() -> dict[str, dict[str, Any]]:
    """Every kind's schema, by kind."""
    return {kind: bank_schema(kind) for kind in KINDS}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = []
    for kind, schema in build_schemas().items():
        path = OUT_DIR / f"{kind}.schema.json"
        text = dumps(schema)
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    for path in stale:
        print(f"{'out of date' if check else 'wrote'}: {path.relative_to(ROOT)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
