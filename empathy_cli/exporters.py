"""Phrase banks in the formats other tools read (`empathy export`): espanso match files for
text expansion, CSV for helpdesk macro imports, JSON for anything else.

Every exporter is a pure function of the phrases it is given and returns text, so the same
banks always give the same file (no dates, sorted input).

espanso (https://espanso.org), checked against its source and match schema:
- one match per phrase, trigger `:emp-<lang>-<id>` with `word: true`, so `:emp-en-close`
  never fires inside `:emp-en-close-warm`;
- each slot becomes a field of one form variable named `form`: the text says
  `{{form.name}}` and the form's layout shows the phrase with `[[name]]` boxes to fill;
- espanso reads `{{...}}` as a variable, so literal double braces are written `\\{\\{` and
  `\\}\\}`, which espanso turns back into braces after rendering.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .models import LANGUAGES, PHRASE_STEPS, Phrase

if TYPE_CHECKING:
    from .models import Banks

SCHEMA_VERSION = 1
SLOT_RE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
ESPANSO_SCHEMA_URL = (
    "https://raw.githubusercontent.com/espanso/espanso/dev/schemas/match.schema.json"
)
ESPANSO_FORM = "form"
MULTILINE_SLOTS = ("details",)
CSV_COLUMNS = ("id", "step", "language", "title", "text")

# Helpdesk placeholders for our known slots. Slots without one stay `{{slot}}`.
# Zendesk: support.zendesk.com "Zendesk placeholders reference" (current_user is the agent
# applying the macro). Chatwoot: the variables of canned responses and macros
# (chatwoot/utils src/canned.ts, getMessageVariables). Neither has an order number field:
# teams keep it in a custom field, so `--set order=...` maps it.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "zendesk": {
        "name": "{{ticket.requester.first_name}}",
        "agent": "{{current_user.name}}",
        "company": "{{ticket.brand.name}}",
    },
    "chatwoot": {
        "name": "{{contact.first_name}}",
        "agent": "{{agent.name}}",
    },
}
_STEP_ORDER = {s: i for i, s in enumerate(("greeting", *PHRASE_STEPS[:5], "closing"))}


def select_phrases(
    banks: Banks,
    *,
    languages: Sequence[str] | None = None,
    steps: Sequence[str] | None = None,
) -> list[Phrase]:
    """The phrases to export, in a stable order: language, the order of a reply, id.

    Raises:
        InputError: an unknown language or step, or no phrase left after the filters.
    """
    for lang in languages or ():
        if lang not in LANGUAGES:
            raise InputError(f"Unknown language '{lang}'. Use one of: {', '.join(LANGUAGES)}.")
    for step in steps or ():
        if step not in PHRASE_STEPS:
            raise InputError(f"Unknown step '{step}'. Use one of: {', '.join(PHRASE_STEPS)}.")
    chosen = [
        p
        for p in banks.phrases
        if (not languages or p.language in languages) and (not steps or p.step in steps)
    ]
    if not chosen:
        raise InputError("No phrase matches these filters. Check --lang and --step.")
    return sorted(chosen, key=lambda p: (p.language, _STEP_ORDER.get(p.step, 99), p.id))


def slots_of(text: str) -> list[str]:
    """The slots of a phrase, in order of first appearance."""
    seen: list[str] = []
    for name in SLOT_RE.findall(text):
        if name not in seen:
            seen.append(name)
    return seen


def _pieces(text: str) -> Iterable[tuple[str, bool]]:
    """Split a phrase into (literal text, False) and (slot name, True) pieces."""
    pos = 0
    for m in SLOT_RE.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], False
        yield m.group(1), True
        pos = m.end()
    if pos < len(text):
        yield text[pos:], False


def fill_slots(text: str, values: Mapping[str, str]) -> str:
    """Replace the slots that have a value, in one pass; values are never re-scanned."""
    return SLOT_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# --- espanso -----------------------------------------------------------------------------


def espanso_escape(text: str) -> str:
    """Literal text for espanso: double braces would be read as a variable."""
    return text.replace("{{", "\\{\\{").replace("}}", "\\}\\}")


def espanso_trigger(phrase: Phrase) -> str:
    return f":emp-{phrase.language}-{phrase.id}"


def espanso_match(phrase: Phrase, values: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One espanso match for a phrase; slots without a value become form fields."""
    values = values or {}
    replace: list[str] = []
    layout: list[str] = []
    fields: dict[str, dict[str, Any]] = {}
    asked = False
    for piece, is_slot in _pieces(phrase.text):
        if is_slot and piece not in values:
            asked = True
            replace.append("{{" + f"{ESPANSO_FORM}.{piece}" + "}}")
            layout.append(f"[[{piece}]]")
            if piece in MULTILINE_SLOTS:
                fields[piece] = {"multiline": True}
            continue
        literal = values[piece] if is_slot else piece
        replace.append(espanso_escape(literal))
        # the layout is shown by espanso's form window, where [[x]] would be a field too
        layout.append(espanso_escape(literal).replace("[[", "[ [").replace("]]", "] ]"))
    match: dict[str, Any] = {
        "trigger": espanso_trigger(phrase),
        "label": f"{phrase.title} · {phrase.language} · {phrase.step}",
        "word": True,
        "replace": "".join(replace),
    }
    if asked:
        params: dict[str, Any] = {"layout": "".join(layout)}
        if fields:
            params["fields"] = fields
        match["vars"] = [{"name": ESPANSO_FORM, "type": "form", "params": params}]
    return match


def to_espanso(
    phrases: Sequence[Phrase], *, values: Mapping[str, str] | None = None, version: str = ""
) -> str:
    """An espanso match file (YAML) with one match per phrase."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
        # quote triggers: a plain scalar starting with ':' trips some YAML parsers
        style = "|" if "\n" in data else '"' if data.startswith(":") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    _Dumper.add_representer(str, _str)
    languages = sorted({p.language for p in phrases})
    header = [
        f"# yaml-language-server: $schema={ESPANSO_SCHEMA_URL}",
        f"# empathy-cli phrases for espanso ({', '.join(languages)}): type :emp-<lang>-<id>,",
        "# e.g. " + (espanso_trigger(phrases[0]) if phrases else ":emp-en-<id>") + ".",
        "# Slots such as [[name]] open a small form; fill them in and the text is inserted.",
        "# Generated by `empathy export espanso`"
        + (f" (empathy-cli {version})" if version else "")
        + ": export again rather than editing.",
        "# Put it in espanso's match folder (`espanso path` shows where).",
    ]
    body = yaml.dump(
        {"matches": [espanso_match(p, values) for p in phrases]},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    return "\n".join(header) + "\n" + body


# --- CSV and JSON ------------------------------------------------------------------------


def helpdesk_values(
    placeholders: str | None, values: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Slot values for an export: the helpdesk's placeholders, overridden by `values`.

    Raises:
        InputError: an unknown helpdesk.
    """
    out: dict[str, str] = {}
    if placeholders is not None:
        if placeholders not in PLACEHOLDERS:
            raise InputError(
                f"Unknown helpdesk '{placeholders}'. Use one of: {', '.join(PLACEHOLDERS)}."
            )
        out.update(PLACEHOLDERS[placeholders])
    out.update(values or {})
    return out


def unmapped_slots(phrases: Iterable[Phrase], values: Mapping[str, str]) -> list[str]:
    """Slots left as `{{slot}}` after filling, sorted."""
    return sorted({s for p in phrases for s in slots_of(p.text) if s not in values})


def to_csv(phrases: Sequence[Phrase], *, values: Mapping[str, str] | None = None) -> str:
    """CSV with a header row: id, step, language, title, text (slots filled from `values`)."""
    values = values or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in phrases:
        writer.writerow((p.id, p.step, p.language, p.title, fill_slots(p.text, values)))
    return buffer.getvalue()


def to_json(phrases: Sequence[Phrase], *, values: Mapping[str, str] | None = None) -> str:
    """`{"schema_version": 1, "phrases": [...]}`, every field of every phrase."""
    values = values or {}
    data = {
        "schema_version": SCHEMA_VERSION,
        "phrases": [
            {
                "id": p.id,
                "step": p.step,
                "language": p.language,
                "title": p.title,
                "text": fill_slots(p.text, values),
                "emotions": list(p.emotions),
                "situations": list(p.situations),
                "tone": p.tone,
                "channel": list(p.channel),
                "tags": list(p.tags),
                "slots": [s for s in slots_of(p.text) if s not in values],
            }
            for p in phrases
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
