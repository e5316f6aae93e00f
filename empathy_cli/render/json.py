"""The JSON contract (`--format json`), schema version 1. Key names are fixed; keys may be
added. Documented in the README."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from empathy_cli.analysis import Analysis, Reading, Span
    from empathy_cli.composer import Part, Reply

SCHEMA_VERSION = 1


def span_dict(span: Span) -> dict[str, Any]:
    return {
        "text": span.text,
        "start": span.start,
        "end": span.end,
        "line": span.line,
        "column": span.column,
    }


def _reading(reading: Reading) -> dict[str, Any]:
    return {
        "name": reading.name,
        "score": reading.score,
        "cues": [span_dict(s) for s in reading.cues],
    }


def analysis_dict(analysis: Analysis, *, versioned: bool = True) -> dict[str, Any]:
    """The `analyze` object."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION} if versioned else {}
    out.update(
        {
            "language": analysis.language,
            "language_confidence": analysis.language_confidence,
            "emotions": [_reading(r) for r in analysis.emotions],
            "intensity": analysis.intensity,
            "situations": [_reading(r) for r in analysis.situations],
            "concern": analysis.concern,
            "concern_span": span_dict(analysis.concern_span) if analysis.concern_span else None,
            "entities": {"order": analysis.entities.order, "name": analysis.entities.name},
            "negations": [span_dict(s) for s in analysis.negations],
            "typos": [dict(span_dict(t.span), read_as=t.read_as) for t in analysis.typos],
        }
    )
    return out


def _part(part: Part) -> dict[str, Any]:
    return {
        "id": part.id,
        "title": part.title,
        "text": part.text,
        "phrase_id": part.phrase_id,
        "reason": part.reason,
        "technique": part.technique,
    }


def reply_dict(reply: Reply) -> dict[str, Any]:
    """The `suggest` object."""
    return {
        "schema_version": SCHEMA_VERSION,
        "language": reply.language,
        "tone": reply.tone,
        "channel": reply.channel,
        "variant": reply.variant,
        "analysis": analysis_dict(reply.analysis, versioned=False),
        "greeting": reply.greeting.text,
        "greeting_id": reply.greeting.phrase_id,
        "steps": [_part(s) for s in reply.steps],
        "closing": reply.closing.text,
        "closing_id": reply.closing.phrase_id,
        "slots": [{"name": s.name, "value": s.value} for s in reply.slots],
        "reply": reply.reply,
    }


# one compact encoder, made once: `batch` serialises tens of thousands of objects
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(obj: Any, *, pretty: bool = True) -> str:
    """Serialise for output: UTF-8 characters as they are, stable key order."""
    if pretty:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    return _COMPACT.encode(obj)
