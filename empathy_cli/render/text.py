"""Plain-text output: what goes into a pipe, a macro or a clipboard. No ANSI, ever."""

from __future__ import annotations

from typing import TYPE_CHECKING

from empathy_cli.textsafe import strip_controls

if TYPE_CHECKING:
    from empathy_cli.analysis import Analysis, Reading
    from empathy_cli.composer import Reply


def _cues(reading: Reading, limit: int = 4) -> str:
    shown = [f"“{strip_controls(' '.join(c.text.split()))}”" for c in reading.cues[:limit]]
    more = len(reading.cues) - limit
    if more > 0:
        shown.append(f"+{more}")
    return ", ".join(shown)


def analysis_lines(analysis: Analysis) -> list[str]:
    """The reading, one fact a line."""
    lines = [f"language: {analysis.language} ({analysis.language_confidence:.2f})"]
    if analysis.emotions:
        parts = [
            f"{r.name} {r.score:.2f} ({_cues(r)})" if r.cues else f"{r.name} {r.score:.2f}"
            for r in analysis.emotions
        ]
        lines.append("emotions: " + "; ".join(parts))
    else:
        lines.append("emotions: none (a calm request)")
    lines.append(f"intensity: {analysis.intensity:.2f}")
    if analysis.situations:
        lines.append(
            "situations: "
            + "; ".join(f"{r.name} {r.score:.2f} ({_cues(r)})" for r in analysis.situations)
        )
    else:
        lines.append("situations: none")
    concern = strip_controls(analysis.concern) if analysis.concern else None
    lines.append(f"concern: {concern}" if concern else "concern: none found")
    if analysis.entities.order:
        lines.append(f"order: {strip_controls(analysis.entities.order)}")
    if analysis.entities.name:
        lines.append(f"name: {strip_controls(analysis.entities.name)}")
    if analysis.negations:
        lines.append(
            "negated: " + ", ".join(f"“{strip_controls(s.text)}”" for s in analysis.negations)
        )
    if analysis.typos:
        lines.append(
            "read as typos: "
            + ", ".join(f"“{strip_controls(t.span.text)}” → {t.read_as}" for t in analysis.typos)
        )
    return lines


def render_analysis(analysis: Analysis) -> str:
    return "\n".join(analysis_lines(analysis))


def render_reply(reply: Reply, *, explain: bool = False) -> str:
    """The reply alone, ready to paste; with `explain`, the reading and the why of each step."""
    text = strip_controls(reply.reply)
    if not explain:
        return text
    lines = ["Reading", "-------", *analysis_lines(reply.analysis), ""]
    lines += [f"tone: {reply.tone}   channel: {reply.channel}   variant: {reply.variant}", ""]
    lines += ["Steps", "-----"]
    for n, step in enumerate(reply.steps, 1):
        lines.append(f"{n}. {step.title} [{step.phrase_id or '-'}]: {step.reason}")
        if step.technique:
            lines.append(f"   technique: {step.technique}")
    missing = [s.name for s in reply.slots if s.value is None]
    if missing:
        lines += ["", "slots to fill: " + ", ".join("{{" + m + "}}" for m in missing)]
    lines += ["", "Reply", "-----", text]
    return "\n".join(lines)
