"""The schema of each bank kind, and validation of a composed YAML document against it.

Validation works on PyYAML nodes (not constructed Python objects) so that every problem
keeps the line and column it comes from. It collects every problem of a file instead of
stopping at the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from empathy_cli.errors import Problem
from empathy_cli.models import (
    CHANNELS,
    CUE_ROLES,
    EMOTIONS,
    KINDS,
    LANGUAGES,
    PHRASE_EMOTIONS,
    PHRASE_STEPS,
    SEVERITIES,
    SITUATIONS,
    STEP_IDS,
    TONES,
    Cue,
    Entry,
    Marker,
    Origin,
    Phrase,
    Rule,
    Scenario,
    StepGuide,
)

from .patterns import UnsafePattern, check_pattern

ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
SLOT_RE = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")
_BRACES_RE = re.compile(r"\{\{|\}\}")

STR = "tag:yaml.org,2002:str"
_TYPE_NAMES = {
    "tag:yaml.org,2002:str": "a string",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "empty",
    "tag:yaml.org,2002:seq": "a list",
    "tag:yaml.org,2002:map": "a mapping",
}


@dataclass(frozen=True)
class Field:
    """How one entry key is checked: `kind` is one of id, str, text, strlist, enum,
    enumlist, number, bool, pattern."""

    kind: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 0.0


ENTRY_FIELDS: dict[str, dict[str, Field]] = {
    "phrases": {
        "id": Field("id", required=True),
        "text": Field("text", required=True),
        "step": Field("enum", allowed=PHRASE_STEPS),
        "title": Field("str"),
        "emotions": Field("enumlist", allowed=PHRASE_EMOTIONS),
        "situations": Field("enumlist", allowed=SITUATIONS),
        "tone": Field("enum", allowed=TONES),
        "channel": Field("enumlist", allowed=CHANNELS),
        "tags": Field("strlist"),
        "note": Field("str"),
        "source": Field("str"),
        "enabled": Field("bool"),
    },
    "steps": {
        "id": Field("enum", required=True, allowed=STEP_IDS),
        "title": Field("str", required=True),
        "goal": Field("str", required=True),
        "techniques": Field("strlist"),
        "pitfalls": Field("strlist"),
        "examples": Field("strlist"),
        "note": Field("str"),
        "source": Field("str"),
        "enabled": Field("bool"),
    },
    "cues": {
        "id": Field("id", required=True),
        "emotion": Field("enum", allowed=EMOTIONS),
        "situation": Field("enum", allowed=SITUATIONS),
        "role": Field("enum", allowed=CUE_ROLES),
        "words": Field("words"),
        "pattern": Field("pattern"),
        "weight": Field("number", low=0.05, high=3.0),
        "note": Field("str"),
        "source": Field("str"),
        "enabled": Field("bool"),
    },
    "rules": {
        "id": Field("id", required=True),
        "severity": Field("enum", required=True, allowed=SEVERITIES),
        "words": Field("words"),
        "pattern": Field("pattern"),
        "message": Field("str", required=True),
        "suggestion": Field("str"),
        "unless": Field("words"),
        "unless_pattern": Field("pattern"),
        "note": Field("str"),
        "source": Field("str"),
        "enabled": Field("bool"),
    },
    "scenarios": {
        "id": Field("id", required=True),
        "message": Field("str", required=True),
        "emotions": Field("enumlist", required=True, allowed=PHRASE_EMOTIONS),
        "situations": Field("enumlist", allowed=SITUATIONS),
        "notes": Field("str"),
        "source": Field("str"),
        "enabled": Field("bool"),
    },
    "markers": {
        "id": Field("id", required=True),
        "step": Field("enum", required=True, allowed=STEP_IDS),
        "words": Field("words"),
        "pattern": Field("pattern"),
        "note": Field("str"),
        "source": Field("str"),
        "enabled": Field("bool"),
    },
}

HEADER_FIELDS: dict[str, Field] = {
    "kind": Field("enum", required=True, allowed=KINDS),
    "language": Field("enum", required=True, allowed=LANGUAGES),
    "step": Field("enum", allowed=PHRASE_STEPS),
    "source": Field("str"),
    "description": Field("str"),
}


@dataclass
class Parsed:
    """What one file yields: its header values, its entries (or disablings) and problems."""

    kind: str | None
    language: str | None
    entries: list[Entry]
    disabled: list[tuple[str, Origin]]
    ids: list[tuple[str, int, int]]  # (id, line, column) of every entry, for duplicate checks
    problems: list[Problem]


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._seen: set[int] = set()

    def add(self, node: Any, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    def mapping(self, node: Any, what: str) -> dict[str, tuple[Any, Any]] | None:
        """Return {key: (key_node, value_node)}, reporting duplicate and non-string keys."""
        if node.tag != "tag:yaml.org,2002:map" or not hasattr(node, "value"):
            self.add(node, f"{what} must be a mapping of keys to values, not {_type(node)}")
            return None
        if not self._first_visit(node):
            return None
        out: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            if key_node.tag != STR or not isinstance(key_node.value, str):
                self.add(key_node, f"keys must be strings, not {_type(key_node)}")
                continue
            key = key_node.value
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.add(key_node, f"duplicate key '{key}' (first at line {first})")
                continue
            out[key] = (key_node, value_node)
        return out

    def _first_visit(self, node: Any) -> bool:
        # compose() turns an alias into the very same node object: refuse them, which
        # also rules out alias bombs ("billion laughs").
        if id(node) in self._seen:
            self.add(node, "anchors and aliases (&, *) are not supported in banks")
            return False
        self._seen.add(id(node))
        return True

    def scalar(self, node: Any) -> Any:
        from yaml.constructor import ConstructorError, SafeConstructor

        try:
            return SafeConstructor().construct_object(node, deep=True)
        except ConstructorError as exc:
            self.add(node, f"unsupported value: {exc.problem}")
            return None

    def value(self, node: Any, key: str, spec: Field) -> Any:
        """Check one value against its field spec; return it converted, or None."""
        kind = spec.kind
        if kind in ("strlist", "enumlist", "words"):
            items = self._string_list(node, key)
            if items is None:
                return None
            if kind == "enumlist":
                bad = [(n, v) for n, v in items if v not in spec.allowed]
                for n, v in bad:
                    self.add(n, _bad_value(key, v, spec.allowed))
                if bad:
                    return None
            if kind == "words":
                for n, v in items:
                    problem = _check_words_item(v)
                    if problem:
                        self.add(n, f"'{key}': {problem}")
            return tuple(v for _, v in items)
        if kind == "number":
            if node.tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
                self.add(node, f"'{key}' must be a number, not {_type(node)}")
                return None
            number = self.scalar(node)
            if number is None:
                return None
            if not spec.low <= float(number) <= spec.high:
                self.add(
                    node, f"'{key}' must be between {spec.low:g} and {spec.high:g}, not {number}"
                )
                return None
            return float(number)
        if kind == "bool":
            if node.tag != "tag:yaml.org,2002:bool":
                self.add(node, f"'{key}' must be true or false, not {_type(node)}")
                return None
            return bool(self.scalar(node))
        # single string kinds
        if node.tag != STR or not isinstance(getattr(node, "value", None), str):
            self.add(node, f"'{key}' must be a string, not {_type(node)}")
            return None
        text: str = node.value
        if not text.strip():
            self.add(node, f"'{key}' must not be empty")
            return None
        if kind == "id" and not ID_RE.match(text):
            self.add(
                node,
                f"bad id '{text}'; ids are lower case letters, digits, '.', '_' and '-', "
                "starting with a letter or digit",
            )
            return None
        if kind == "enum" and text not in spec.allowed:
            self.add(node, _bad_value(key, text, spec.allowed))
            return None
        if kind == "pattern":
            try:
                check_pattern(text)
            except UnsafePattern as exc:
                self.add(node, f"unsafe pattern in '{key}': {exc}")
                return None
        if kind == "text":
            leftover = _BRACES_RE.search(SLOT_RE.sub("", text))
            if leftover:
                self.add(
                    node,
                    f"bad slot in '{key}': slots are written {{{{name}}}} with a lower-case "
                    "word inside and no spaces",
                )
                return None
        return text

    def _string_list(self, node: Any, key: str) -> list[tuple[Any, str]] | None:
        if node.tag == STR:
            return [(node, node.value)] if node.value.strip() else []
        if node.tag != "tag:yaml.org,2002:seq":
            self.add(node, f"'{key}' must be a string or a list of strings, not {_type(node)}")
            return None
        if not self._first_visit(node):
            return None
        out: list[tuple[Any, str]] = []
        ok = True
        for item in node.value:
            if item.tag != STR or not isinstance(item.value, str):
                self.add(item, f"every item of '{key}' must be a string, not {_type(item)}")
                ok = False
            elif not item.value.strip():
                self.add(item, f"empty item in '{key}'")
                ok = False
            else:
                out.append((item, item.value))
        return out if ok else None


def _check_words_item(word: str) -> str | None:
    from empathy_cli.text import phrase_tokens

    stem = word.rstrip().endswith("*")
    body = word.rstrip()[:-1] if stem else word
    if "*" in body:
        return f"'{word}': only the last word may end with '*'"
    tokens = phrase_tokens(body)
    if not tokens:
        return f"'{word}' has no word in it"
    if stem and len(tokens[-1]) < 3:
        return f"'{word}': a stem needs at least three letters before '*'"
    return None


def _type(node: Any) -> str:
    return _TYPE_NAMES.get(node.tag, f"a value tagged {node.tag}")


def _bad_value(key: str, value: str, allowed: tuple[str, ...]) -> str:
    return f"bad value '{value}' for '{key}'; allowed: {', '.join(allowed)}"


LIST_KEYS = {kind: kind for kind in KINDS}


def validate_document(node: Any, path: str, layer: str) -> Parsed:
    """Validate a composed YAML document; build its entries when they are valid."""
    check = _Checker(path)
    parsed = Parsed(None, None, [], [], [], check.problems)
    if node is None:
        check.problems.append(
            Problem(path, 1, 1, "empty file; a bank needs 'kind:', 'language:' and a list")
        )
        return parsed
    top = check.mapping(node, "a bank file")
    if top is None:
        return parsed
    header: dict[str, Any] = {}
    kind_node = top.get("kind")
    kind = None
    if kind_node is not None:
        kind = check.value(kind_node[1], "kind", HEADER_FIELDS["kind"])
    list_key = kind if kind in LIST_KEYS else None
    for key, (key_node, value_node) in top.items():
        if key == list_key:
            continue
        spec = HEADER_FIELDS.get(key)
        if spec is None or (key == "step" and kind != "phrases"):
            allowed = ["kind", "language", "source", "description"]
            if kind == "phrases":
                allowed.append("step")
            if list_key:
                allowed.append(list_key)
            check.add(key_node, f"unknown key '{key}' at top level; allowed: {', '.join(allowed)}")
            continue
        if key != "kind":
            header[key] = check.value(value_node, key, spec)
    for key in ("kind", "language"):
        if key not in top:
            check.add(node, f"missing required key '{key}' at top level")
    language = header.get("language")
    parsed.kind, parsed.language = kind, language
    if kind is None:
        return parsed
    if list_key not in top:
        check.add(node, f"missing required key '{list_key}' (the list of entries)")
        return parsed
    list_node = top[list_key][1]
    if list_node.tag != "tag:yaml.org,2002:seq":
        check.add(list_node, f"'{list_key}' must be a list of entries, not {_type(list_node)}")
        return parsed
    fields = ENTRY_FIELDS[kind]
    default_step = header.get("step")
    for item in list_node.value:
        entry_map = check.mapping(item, f"an entry of '{list_key}'")
        if entry_map is None:
            continue
        values: dict[str, Any] = {}
        ok = True
        for key, (key_node, value_node) in entry_map.items():
            spec = fields.get(key)
            if spec is None:
                check.add(
                    key_node,
                    f"unknown key '{key}' in a {kind} entry; allowed: {', '.join(fields)}",
                )
                ok = False
                continue
            value = check.value(value_node, key, spec)
            if value is None:
                ok = False
            values[key] = value
        entry_id = values.get("id")
        if entry_id is not None:
            id_node = entry_map["id"][1]
            parsed.ids.append(
                (entry_id, id_node.start_mark.line + 1, id_node.start_mark.column + 1)
            )
        if values.get("enabled") is False:
            if entry_id is not None:
                origin = Origin(path, item.start_mark.line + 1, layer)
                parsed.disabled.append((entry_id, origin))
            continue
        missing = [k for k, spec in fields.items() if spec.required and k not in entry_map]
        if kind == "phrases" and "step" not in entry_map and default_step is None:
            missing.append("step")
        for key in missing:
            extra = " (or a top-level 'step:')" if key == "step" else ""
            check.add(item, f"missing required key '{key}'{extra} in a {kind} entry")
        ok = ok and not missing and _check_alternatives(check, item, kind, entry_map)
        if ok and language is not None:
            origin = Origin(path, item.start_mark.line + 1, layer)
            parsed.entries.append(_BUILDERS[kind](values, language, default_step, origin))
    return parsed


def _check_alternatives(check: _Checker, item: Any, kind: str, entry: dict[str, Any]) -> bool:
    ok = True
    if kind == "cues":
        targets = [k for k in ("emotion", "situation", "role") if k in entry]
        if len(targets) != 1:
            got = ", ".join(targets) if targets else "none"
            check.add(
                item, f"a cue needs exactly one of 'emotion', 'situation', 'role' (got {got})"
            )
            ok = False
    if kind in ("cues", "rules", "markers"):
        sources = [k for k in ("words", "pattern") if k in entry]
        if len(sources) != 1:
            check.add(item, f"a {kind[:-1]} needs exactly one of 'words' or 'pattern'")
            ok = False
    return ok


def _tuple(values: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(values.get(key) or ())


def _phrase(values: dict[str, Any], lang: str, step: str | None, origin: Origin) -> Phrase:
    return Phrase(
        id=values["id"],
        language=lang,
        step=values.get("step") or step or "",
        text=values["text"],
        title=values.get("title") or values["id"],
        emotions=_tuple(values, "emotions"),
        situations=_tuple(values, "situations"),
        tone=values.get("tone") or "neutral",
        channel=_tuple(values, "channel"),
        tags=_tuple(values, "tags"),
        note=values.get("note"),
        origin=origin,
    )


def _step(values: dict[str, Any], lang: str, _: str | None, origin: Origin) -> StepGuide:
    return StepGuide(
        id=values["id"],
        language=lang,
        title=values["title"],
        goal=values["goal"],
        techniques=_tuple(values, "techniques"),
        pitfalls=_tuple(values, "pitfalls"),
        examples=_tuple(values, "examples"),
        origin=origin,
    )


def _cue(values: dict[str, Any], lang: str, _: str | None, origin: Origin) -> Cue:
    return Cue(
        id=values["id"],
        language=lang,
        emotion=values.get("emotion"),
        situation=values.get("situation"),
        role=values.get("role"),
        words=_tuple(values, "words"),
        pattern=values.get("pattern"),
        weight=float(values.get("weight") or 1.0),
        note=values.get("note"),
        origin=origin,
    )


def _rule(values: dict[str, Any], lang: str, _: str | None, origin: Origin) -> Rule:
    return Rule(
        id=values["id"],
        language=lang,
        severity=values["severity"],
        message=values["message"],
        words=_tuple(values, "words"),
        pattern=values.get("pattern"),
        suggestion=values.get("suggestion"),
        unless=_tuple(values, "unless"),
        unless_pattern=values.get("unless_pattern"),
        note=values.get("note"),
        origin=origin,
    )


def _scenario(values: dict[str, Any], lang: str, _: str | None, origin: Origin) -> Scenario:
    return Scenario(
        id=values["id"],
        language=lang,
        message=values["message"],
        emotions=_tuple(values, "emotions"),
        situations=_tuple(values, "situations"),
        notes=values.get("notes"),
        origin=origin,
    )


def _marker(values: dict[str, Any], lang: str, _: str | None, origin: Origin) -> Marker:
    return Marker(
        id=values["id"],
        language=lang,
        step=values["step"],
        words=_tuple(values, "words"),
        pattern=values.get("pattern"),
        note=values.get("note"),
        origin=origin,
    )


_BUILDERS: dict[str, Callable[[dict[str, Any], str, str | None, Origin], Entry]] = {
    "phrases": _phrase,
    "steps": _step,
    "cues": _cue,
    "rules": _rule,
    "scenarios": _scenario,
    "markers": _marker,
}
