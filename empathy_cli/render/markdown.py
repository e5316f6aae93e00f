"""Markdown output: the reading, the steps with their titles, and the reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from empathy_cli.textsafe import strip_controls

if TYPE_CHECKING:
    from empathy_cli.analysis import Analysis
    from empathy_cli.composer import Reply


def _escape(text: str) -> str:
    """Keep customer text from being read as Markdown or HTML."""
    text = strip_controls(text)
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_analysis(analysis: Analysis, heading: str = "##") -> str:
    lines = [f"{heading} Reading", ""]
    lines.append(f"- **Language:** {analysis.language} ({analysis.language_confidence:.2f})")
    if analysis.emotions:
        for r in analysis.emotions:
            cues = ", ".join(f"“{_escape(c.text)}”" for c in r.cues[:4])
            lines.append(f"- **Emotion:** {r.name} ({r.score:.2f})" + (f": {cues}" if cues else ""))
    else:
        lines.append("- **Emotion:** none (a calm request)")
    lines.append(f"- **Intensity:** {analysis.intensity:.2f}")
    for r in analysis.situations:
        cues = ", ".join(f"“{_escape(c.text)}”" for c in r.cues[:4])
        lines.append(f"- **Situation:** {r.name} ({r.score:.2f})" + (f": {cues}" if cues else ""))
    if analysis.concern:
        lines.append(f"- **Concern:** {_escape(analysis.concern)}")
    if analysis.entities.order:
        lines.append(f"- **Order:** {_escape(analysis.entities.order)}")
    if analysis.entities.name:
        lines.append(f"- **Name:** {_escape(analysis.entities.name)}")
    return "\n".join(lines)


def render_reply(reply: Reply) -> str:
    lines = [render_analysis(reply.analysis), "", "## Steps", ""]
    for n, step in enumerate(reply.steps, 1):
        lines.append(f"### {n}. {step.title}")
        lines.append("")
        lines.append(_escape(step.text) if step.text else "_(no phrase for this step)_")
        lines.append("")
    lines += ["## Reply", ""]
    lines += ["> " + line if line else ">" for line in _escape(reply.reply).split("\n")]
    missing = [s.name for s in reply.slots if s.value is None]
    if missing:
        lines += ["", "Slots to fill: " + ", ".join("`{{" + m + "}}`" for m in missing)]
    return "\n".join(lines)
