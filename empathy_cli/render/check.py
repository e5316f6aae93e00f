"""Output of `empathy check`: the JSON object, plain text (`FILE:LINE:COL: severity rule
message`), Markdown and Rich.

Rich is imported inside `print_check` only, so `--format json`/`text` never pay for it. The
draft and the bank text are data: control sequences are stripped, Markdown is escaped, and
Rich gets `Text` objects, never markup.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any, TextIO

from empathy_cli.textsafe import strip_controls

if TYPE_CHECKING:
    from empathy_cli.lint import CheckResult, Finding

SCHEMA_VERSION = 1
SEVERITY_STYLES = {
    "error": "bold red",
    "warning": "yellow",
    "suggestion": "cyan",
}
SPAN_STYLES = {
    "error": "underline bold red",
    "warning": "underline yellow",
    "suggestion": "underline cyan",
}
MAX_DRAFT_CHARS = 4000
LABELS = {
    "en": {
        "score": "Score",
        "steps": "Steps",
        "findings": "Findings",
        "none": "Nothing to change.",
        "suggestion": "Try",
        "reply_to": "Customer's message",
        "emotion": "emotion",
        "situation": "situation",
        "yes": "acknowledged",
        "no": "not acknowledged",
        "yes_situation": "addressed",
        "no_situation": "not addressed",
        "passes": "passes at --fail-on {level}",
        "fails": "fails at --fail-on {level}",
        "draft": "Draft",
        "whole": "whole draft",
    },
    "fr": {
        "score": "Score",
        "steps": "Étapes",
        "findings": "Remarques",
        "none": "Rien à changer.",
        "suggestion": "Essayez",
        "reply_to": "Message du client",
        "emotion": "émotion",
        "situation": "situation",
        "yes": "reconnue",
        "no": "non reconnue",
        "yes_situation": "traitée",
        "no_situation": "non traitée",
        "passes": "passe avec --fail-on {level}",
        "fails": "échoue avec --fail-on {level}",
        "draft": "Brouillon",
        "whole": "tout le brouillon",
    },
}


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", strip_controls(text)).strip()


# --- JSON ------------------------------------------------------------------------------------


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "line": f.line,
        "column": f.column,
        "start": f.start,
        "end": f.end,
        "text": f.text,
        "suggestion": f.suggestion,
    }


def check_dict(result: CheckResult, *, fail_on: str = "warning") -> dict[str, Any]:
    """The `check` JSON object (schema version 1)."""
    reply = result.reply_to
    return {
        "schema_version": SCHEMA_VERSION,
        "language": result.language,
        "language_confidence": result.language_confidence,
        "score": result.score,
        "fail_on": fail_on,
        "failed": result.failed(fail_on),
        "steps_covered": list(result.steps_covered),
        "steps_missing": list(result.steps_missing),
        "counts": {s: result.count(s) for s in ("error", "warning", "suggestion")},
        "findings": [finding_dict(f) for f in result.findings],
        "steps": [
            {
                "id": h.step,
                "text": h.text,
                "start": h.start,
                "end": h.end,
                "line": h.line,
                "column": h.column,
                "via": h.via,
            }
            for h in result.steps
        ],
        "reply_to": None
        if reply is None
        else {
            "language": reply.language,
            "emotion": reply.emotion,
            "acknowledged": reply.acknowledged,
            "situation": reply.situation,
            "addressed": reply.addressed,
            "concern": reply.concern,
        },
    }


# --- plain text ------------------------------------------------------------------------------


def render_text(result: CheckResult, source: str = "-") -> str:
    """One `FILE:LINE:COL: severity rule message` line per finding (`FILE: severity rule
    message` for a whole-draft finding), each followed by its suggestion, indented."""
    lines: list[str] = []
    for f in result.findings:
        where = f"{source}:{f.line}:{f.column}" if f.line is not None else source
        lines.append(f"{where}: {f.severity} {f.rule} {_one_line(f.message)}")
        if f.suggestion:
            lines.append(f"    suggestion: {_one_line(f.suggestion)}")
    return "\n".join(lines)


def summary_line(result: CheckResult, source: str = "-", *, fail_on: str = "warning") -> str:
    """The one-line summary (for stderr in text mode)."""
    counts = []
    for severity in ("error", "warning", "suggestion"):
        n = result.count(severity)
        if n:
            counts.append(f"{n} {severity}{'s' if n > 1 else ''}")
    covered = ", ".join(result.steps_covered) or "none"
    verdict = "fails" if result.failed(fail_on) else "passes"
    out = (
        f"{source}: score {result.score}/100, {verdict} at --fail-on {fail_on}"
        f" ({', '.join(counts) or 'no findings'}); steps {len(result.steps_covered)}/5: {covered}"
    )
    reply = result.reply_to
    if reply is not None:
        parts = []
        if reply.emotion:
            parts.append(f"{reply.emotion} {'acknowledged' if reply.acknowledged else 'missed'}")
        if reply.situation:
            parts.append(f"{reply.situation} {'addressed' if reply.addressed else 'missed'}")
        out += f"; reply to: {', '.join(parts) or 'no emotion or situation found'}"
    return out


# --- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def render_markdown(result: CheckResult, *, fail_on: str = "warning") -> str:
    """The check as Markdown: score, steps, findings with their suggestions."""
    lab = _labels(result.language)
    verdict = lab["fails" if result.failed(fail_on) else "passes"].replace("{level}", fail_on)
    out = [f"## {lab['score']}: {result.score}/100 ({verdict})", ""]
    steps = " · ".join(
        f"{'✓' if s in result.steps_covered else '✗'} {s}"
        for s in ("listen", "validate", "perspective", "compassion", "collaborate")
    )
    out += [f"**{lab['steps']}:** {steps}", ""]
    reply = result.reply_to
    if reply is not None and (reply.emotion or reply.situation):
        parts = []
        if reply.emotion:
            state = lab["yes" if reply.acknowledged else "no"]
            parts.append(f"{lab['emotion']} `{reply.emotion}` {state}")
        if reply.situation:
            state = lab["yes_situation" if reply.addressed else "no_situation"]
            parts.append(f"{lab['situation']} `{reply.situation}` {state}")
        out += [f"**{lab['reply_to']}:** {'; '.join(parts)}", ""]
    out += [f"### {lab['findings']}", ""]
    if not result.findings:
        out.append(lab["none"])
    for n, f in enumerate(result.findings, 1):
        where = f"{f.line}:{f.column}" if f.line is not None else lab["whole"]
        head = f"{n}. **{f.severity}** `{f.rule}` ({where})"
        if f.text:
            head += f": “{_md(f.text)}”"
        out.append(head + "  ")
        out.append(f"   {_md(f.message)}" + ("  " if f.suggestion else ""))
        if f.suggestion:
            out.append(f"   *{lab['suggestion']}:* {_md(f.suggestion)}")
    return "\n".join(out)


# --- Rich ------------------------------------------------------------------------------------


def _draft_text(original: str, result: CheckResult) -> Any:
    """The draft with each finding's span underlined in its severity's colour."""
    from rich.text import Text

    shown = original[:MAX_DRAFT_CHARS]
    marks = [
        (f.start, f.end, SPAN_STYLES.get(f.severity, "underline"))
        for f in result.findings
        if f.start is not None and f.end is not None
    ]
    bounds = sorted({0, len(shown), *[p for s, e, _ in marks for p in (s, e) if p <= len(shown)]})
    text = Text()
    for a, b in itertools.pairwise(bounds):
        styles = [st for s, e, st in marks if s <= a and b <= e]
        # the most severe style wins where spans overlap
        style = next((st for st in SPAN_STYLES.values() if st in styles), None)
        text.append(strip_controls(shown[a:b]), style=style)
    if len(original) > MAX_DRAFT_CHARS:
        text.append(f" … (+{len(original) - MAX_DRAFT_CHARS})", style="dim")
    return text


def print_check(
    result: CheckResult,
    original: str,
    *,
    fail_on: str = "warning",
    file: TextIO | None = None,
    width: int | None = None,
) -> None:
    """The check for a person: score, steps, the draft with spans underlined, then each
    finding with its suggestion. `width` pins the width (else the terminal's)."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.text import Text

    con = Console(file=file, highlight=False, soft_wrap=False, width=width)
    lab = _labels(result.language)
    failed = result.failed(fail_on)
    head = Text()
    head.append(f"{lab['score']} {result.score}/100", style="bold red" if failed else "bold green")
    verdict = lab["fails" if failed else "passes"].replace("{level}", fail_on)
    head.append(f"  {verdict}", style="dim")
    con.print(head)
    steps = Text()
    steps.append(f"{lab['steps']} ", style="bold")
    for i, s in enumerate(("listen", "validate", "perspective", "compassion", "collaborate")):
        if i:
            steps.append(" ")
        ok = s in result.steps_covered
        steps.append(f"{'✓' if ok else '✗'} {s}", style="green" if ok else "dim")
    con.print(steps)
    reply = result.reply_to
    if reply is not None and (reply.emotion or reply.situation):
        line = Text()
        line.append(f"{lab['reply_to']} ", style="bold")
        if reply.emotion:
            ok = bool(reply.acknowledged)
            state = lab["yes" if ok else "no"]
            line.append(f"{reply.emotion} {state}", style="green" if ok else "yellow")
        if reply.situation:
            if reply.emotion:
                line.append(" · ")
            ok = bool(reply.addressed)
            state = lab["yes_situation" if ok else "no_situation"]
            line.append(f"{reply.situation} {state}", style="green" if ok else "cyan")
        con.print(line)
    con.print(Rule(lab["draft"], style="dim"))
    con.print(_draft_text(original, result))
    con.print(Rule(lab["findings"], style="dim"))
    if not result.findings:
        con.print(Text(lab["none"], style="green"))
    for f in result.findings:
        title = Text()
        if f.line is not None:
            title.append(f"{f.line}:{f.column} ", style="dim")
        title.append(f.severity, style=SEVERITY_STYLES.get(f.severity, "bold"))
        title.append(f" {f.rule}", style="bold")
        if f.text:
            title.append(" “")
            title.append(_one_line(f.text), style=SPAN_STYLES.get(f.severity, "underline"))
            title.append("”")
        con.print(title)
        body = Text(_one_line(f.message))
        if f.suggestion:
            body.append("\n→ ", style="green")
            body.append(_one_line(f.suggestion), style="italic")
        con.print(Padding(body, (0, 0, 0, 2)))
