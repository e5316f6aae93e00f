"""Rich output for a person at a terminal. The only module that imports Rich, and only
inside functions, so `--format json`/`text` never pay for it.

Customer text is always wrapped in `Text` objects (never parsed as markup), after its
control sequences are stripped. The `Console` is built per call, so its width follows the
terminal, and `no_color` is left to Rich so `NO_COLOR`, `FORCE_COLOR` and `TERM=dumb` work.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, TextIO

from empathy_cli.textsafe import strip_controls

if TYPE_CHECKING:
    from empathy_cli.analysis import Analysis, Span
    from empathy_cli.compose import Reply

EMOTION_STYLES = {
    "angry": "bold red",
    "frustrated": "red",
    "disappointed": "magenta",
    "confused": "yellow",
    "worried": "cyan",
    "sad": "blue",
    "grateful": "green",
}
SITUATION_STYLE = "underline"
MAX_MESSAGE_CHARS = 1200


def console(file: TextIO | None = None, *, stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(file=file, stderr=stderr, highlight=False, soft_wrap=False)


def _bar(score: float, width: int = 10) -> str:
    filled = round(score * width)
    return "█" * filled + "·" * (width - filled)


def _highlighted_message(original: str, analysis: Analysis) -> Any:
    """The message with every cue highlighted in its emotion's colour."""
    from rich.text import Text

    marks: list[tuple[int, int, str]] = []
    for reading in analysis.emotions:
        style = EMOTION_STYLES.get(reading.name, "bold")
        marks += [(c.start, c.end, style) for c in reading.cues]
    for reading in analysis.situations:
        marks += [(c.start, c.end, SITUATION_STYLE) for c in reading.cues]
    shown = original[:MAX_MESSAGE_CHARS]
    # rebuild piecewise so control sequences are stripped without shifting the styles
    text = Text()
    bounds = sorted({0, len(shown), *[p for s, e, _ in marks for p in (s, e) if p <= len(shown)]})
    for a, b in itertools.pairwise(bounds):
        piece = strip_controls(shown[a:b])
        styles = [st for s, e, st in marks if s <= a and b <= e]
        text.append(piece, style=" ".join(styles) if styles else None)
    if len(original) > MAX_MESSAGE_CHARS:
        text.append(f" … (+{len(original) - MAX_MESSAGE_CHARS} characters)", style="dim")
    return text


def _reading_table(analysis: Analysis) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    if analysis.emotions:
        for r in analysis.emotions:
            row = Text()
            row.append(f"{r.name} ", style=EMOTION_STYLES.get(r.name, ""))
            row.append(f"{_bar(r.score)} {r.score:.2f}")
            table.add_row("Emotion", row)
    else:
        table.add_row("Emotion", Text("none: a calm request", style="dim"))
    table.add_row("Intensity", Text(f"{_bar(analysis.intensity)} {analysis.intensity:.2f}"))
    if analysis.situations:
        for r in analysis.situations:
            table.add_row("Situation", Text(f"{r.name} {r.score:.2f}"))
    else:
        table.add_row("Situation", Text("none found", style="dim"))
    concern = strip_controls(analysis.concern) if analysis.concern else None
    table.add_row("Concern", Text(concern) if concern else Text("none found", style="dim"))
    extras = []
    if analysis.entities.order:
        extras.append(f"order {strip_controls(analysis.entities.order)}")
    if analysis.entities.name:
        extras.append(f"name {strip_controls(analysis.entities.name)}")
    extras.append(f"language {analysis.language} {analysis.language_confidence:.2f}")
    table.add_row("Found", Text(", ".join(extras)))
    if analysis.negations:
        table.add_row(
            "Negated", Text(", ".join(strip_controls(s.text) for s in analysis.negations))
        )
    if analysis.typos:
        table.add_row(
            "Typos",
            Text(", ".join(f"{strip_controls(t.span.text)} → {t.read_as}" for t in analysis.typos)),
        )
    return table


def print_analysis(analysis: Analysis, original: str, file: TextIO | None = None) -> None:
    from rich.panel import Panel

    con = console(file)
    con.print(Panel(_highlighted_message(original, analysis), title="Message", title_align="left"))
    con.print(Panel(_reading_table(analysis), title="Reading", title_align="left"))


def print_reply(
    reply: Reply, original: str, *, explain: bool = False, file: TextIO | None = None
) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    con = console(file)
    if explain:
        con.print(
            Panel(
                _highlighted_message(original, reply.analysis), title="Message", title_align="left"
            )
        )
    con.print(Panel(_reading_table(reply.analysis), title="Reading", title_align="left"))
    steps = Table.grid(padding=(0, 1))
    steps.add_column(style="bold cyan", no_wrap=True)
    steps.add_column(overflow="fold")
    for n, step in enumerate(reply.steps, 1):
        body = Text(strip_controls(step.text) if step.text else "(no phrase)")
        if explain:
            body.append(f"\n{step.phrase_id or '-'}: {step.reason}", style="dim")
            if step.technique:
                body.append(f"\ntechnique: {step.technique}", style="dim italic")
        steps.add_row(f"{n}. {step.title}", body)
    con.print(Panel(steps, title=f"Steps ({reply.tone}, {reply.channel})", title_align="left"))
    con.print(
        Panel(
            Text(strip_controls(reply.reply)),
            title="Reply",
            title_align="left",
            border_style="green",
        )
    )
    missing = [s.name for s in reply.slots if s.value is None]
    if missing:
        con.print(
            Text(
                "Fill in: "
                + ", ".join("{{" + m + "}}" for m in missing)
                + "  (or pass --set name=value)",
                style="yellow",
            )
        )


def _span_text(span: Span) -> str:
    return strip_controls(span.text)
