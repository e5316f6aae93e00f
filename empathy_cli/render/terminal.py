"""Rich output for a person at a terminal. The only module that imports Rich, and only
inside functions, so `--format json`/`text` never pay for it.

Customer text is always wrapped in `Text` objects (never parsed as markup), after its
control sequences are stripped. The `Console` is built per call, so its width follows the
terminal, and `no_color` is left to Rich so `NO_COLOR`, `FORCE_COLOR` and `TERM=dumb` work.
Nothing is said by colour alone: cues are also bold or underlined (kept under `NO_COLOR`)
and quoted in the reading (kept even on a terminal without styles). Panels stop at
`MAX_WIDTH` columns on wide terminals, and on narrow ones (under `NARROW` columns) each
step's title goes above its text instead of beside it.
"""

from __future__ import annotations

import itertools
import sys
from typing import TYPE_CHECKING, Any, TextIO

from empathy_cli.output import PipeClosed
from empathy_cli.textsafe import Unglued, glue_french_spaces, strip_controls

if TYPE_CHECKING:
    from empathy_cli.analysis import Analysis, Reading, Span
    from empathy_cli.composer import Reply

# bold as well as a colour: under NO_COLOR the cues still stand out
EMOTION_STYLES = {
    "angry": "bold red",
    "frustrated": "bold dark_orange",
    "disappointed": "bold magenta",
    "confused": "bold yellow",
    "worried": "bold cyan",
    "sad": "bold blue",
    "grateful": "bold green",
}
SITUATION_STYLE = "underline"
MAX_MESSAGE_CHARS = 1200
MAX_WIDTH = 100  # lines longer than this are hard to read, however wide the terminal
NARROW = 72  # below this width, step titles go above their text
CUES_SHOWN = 3


_CONSOLE_CLASS: list[type] = []


def _console_class() -> type:
    """Rich's Console, except that a closed pipe ends in the CLI's quiet exit 141 (Rich's
    own handling exits 1)."""
    if not _CONSOLE_CLASS:
        from rich.console import Console

        class PipeAwareConsole(Console):
            def on_broken_pipe(self) -> None:
                self.quiet = True
                raise PipeClosed()

        _CONSOLE_CLASS.append(PipeAwareConsole)
    return _CONSOLE_CLASS[0]


def console(file: TextIO | None = None, *, stderr: bool = False, glue: bool = False) -> Any:
    """A Rich console for one call: its width follows the terminal, colour follows Rich's
    reading of NO_COLOR, FORCE_COLOR, TTY_COMPATIBLE and TERM. With `glue`, it keeps French
    `:` and `»` on their word's line in the texts it prints, for views that print many short
    French lines (`practice`)."""
    if file is None:
        file = Unglued.stream(lambda: sys.stderr if stderr else sys.stdout)
    cls = _glued_class() if glue else _console_class()
    return cls(file=file, highlight=False, soft_wrap=False)


_GLUED_CLASS: list[type] = []


def _glued_class() -> type:
    if not _GLUED_CLASS:
        from rich.text import Text

        class GluedConsole(_console_class()):  # type: ignore[misc]
            def print(self, *objects: Any, **options: Any) -> None:
                super().print(*(_glued(o, Text) for o in objects), **options)

        _GLUED_CLASS.append(GluedConsole)
    return _GLUED_CLASS[0]


def _glued(renderable: Any, text_class: Any) -> Any:
    if isinstance(renderable, str):
        return glue_french_spaces(renderable)
    if isinstance(renderable, text_class):
        glued = renderable.copy()
        glued.plain = glue_french_spaces(glued.plain)  # one character for one: styles hold
        return glued
    return renderable


def _print(con: Any, *renderables: Any, **options: Any) -> None:
    """Print, turning a closed pipe (`| head`) into the CLI's quiet exit 141."""
    try:
        con.print(*renderables, **options)
        con.file.flush()
    except BrokenPipeError:
        raise PipeClosed() from None


def _width(con: Any) -> int:
    return int(min(con.width, MAX_WIDTH))


def _bar(score: float, ascii_only: bool = False, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, score)) * width)
    full, empty = ("#", ".") if ascii_only else ("█", "·")
    return full * filled + empty * (width - filled)


def _quoted_cues(reading: Reading) -> str:
    shown = [f"“{strip_controls(' '.join(c.text.split()))}”" for c in reading.cues[:CUES_SHOWN]]
    if len(reading.cues) > CUES_SHOWN:
        shown.append(f"+{len(reading.cues) - CUES_SHOWN}")
    return ", ".join(shown)


def _highlighted_message(original: str, analysis: Analysis) -> Any:
    """The message with every cue highlighted in its emotion's style."""
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


def _reading_table(analysis: Analysis, ascii_only: bool = False) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    if analysis.emotions:
        for r in analysis.emotions:
            row = Text()
            row.append(r.name, style=EMOTION_STYLES.get(r.name, "bold"))
            row.append(f" {_bar(r.score, ascii_only)} {r.score:.2f}")
            if r.cues:
                row.append(f" {_quoted_cues(r)}", style="dim")
            table.add_row("Emotion", row)
    else:
        table.add_row("Emotion", Text("none: a calm request", style="dim"))
    table.add_row(
        "Intensity", Text(f"{_bar(analysis.intensity, ascii_only)} {analysis.intensity:.2f}")
    )
    if analysis.situations:
        for r in analysis.situations:
            row = Text(f"{r.name} {r.score:.2f}")
            if r.cues:
                row.append(f" {_quoted_cues(r)}", style="dim")
            table.add_row("Situation", row)
    else:
        table.add_row("Situation", Text("none found", style="dim"))
    concern = strip_controls(analysis.concern) if analysis.concern else None
    table.add_row("Concern", Text(concern) if concern else Text("none found", style="dim"))
    extras = []
    if analysis.entities.order:
        extras.append(f"order {strip_controls(analysis.entities.order)}")
    if analysis.entities.name:
        extras.append(f"name {strip_controls(analysis.entities.name)}")
    extras.append(f"language {analysis.language} ({analysis.language_confidence:.2f})")
    table.add_row("Found", Text(", ".join(extras)))
    if analysis.negations:
        table.add_row(
            "Negated", Text(", ".join(f"“{strip_controls(s.text)}”" for s in analysis.negations))
        )
    if analysis.typos:
        arrow = "->" if ascii_only else "→"
        table.add_row(
            "Typos",
            Text(
                ", ".join(
                    f"“{strip_controls(t.span.text)}” {arrow} {t.read_as}" for t in analysis.typos
                )
            ),
        )
    return table


def _panel(content: Any, title: str, width: int, **style: Any) -> Any:
    from rich.panel import Panel

    return Panel(content, title=title, title_align="left", width=width, **style)


def print_analysis(analysis: Analysis, original: str, file: TextIO | None = None) -> None:
    """The message with its cues highlighted, and the reading."""
    con = console(file)
    width = _width(con)
    ascii_only = con.options.ascii_only
    _print(con, _panel(_highlighted_message(original, analysis), "Message", width))
    _print(con, _panel(_reading_table(analysis, ascii_only), "Reading", width))


def _steps(reply: Reply, explain: bool, width: int) -> Any:
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    def body(text: str, phrase_id: str | None, reason: str, technique: str | None) -> Any:
        out = Text(_shown(text, reply.language) if text else "(no phrase)")
        if explain:
            out.append(f"\n{phrase_id or '-'}: {reason}", style="dim")
            if technique:
                out.append(f"\ntechnique: {technique}", style="dim italic")
        return out

    if width >= NARROW:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold cyan", no_wrap=True)
        grid.add_column(overflow="fold")
        for n, step in enumerate(reply.steps, 1):
            grid.add_row(
                f"{n}. {step.title}", body(step.text, step.phrase_id, step.reason, step.technique)
            )
        return grid
    stacked = Table.grid()
    stacked.add_column(overflow="fold")
    for n, step in enumerate(reply.steps, 1):
        stacked.add_row(Text(f"{n}. {step.title}", style="bold cyan"))
        stacked.add_row(
            Padding(body(step.text, step.phrase_id, step.reason, step.technique), (0, 0, 0, 3))
        )
    return stacked


def print_reply(
    reply: Reply, original: str, *, explain: bool = False, file: TextIO | None = None
) -> None:
    """The reading, the five steps and the reply to paste (with `explain`, the message with
    its cues and why each phrase was chosen)."""
    from rich.text import Text

    con = console(file)
    width = _width(con)
    ascii_only = con.options.ascii_only
    if explain:
        _print(con, _panel(_highlighted_message(original, reply.analysis), "Message", width))
    _print(con, _panel(_reading_table(reply.analysis, ascii_only), "Reading", width))
    title = f"Steps ({reply.tone}, {reply.channel})"
    _print(con, _panel(_steps(reply, explain, width), title, width))
    shown = _shown(reply.reply, reply.language)
    _print(con, _panel(Text(shown), "Reply", width, border_style="green"))
    missing = [s.name for s in reply.slots if s.value is None]
    if missing:
        slots = ", ".join("{{" + m + "}}" for m in missing)
        hint = Text(f"Fill in {slots}: edit the reply, or pass --set {missing[0]}=…")
        hint.stylize("bold yellow", 0, len("Fill in"))
        _print(con, hint, width=width)


def _shown(text: str, language: str) -> str:
    """Bank or reply text for the rich view: controls stripped; in French, a line never
    starts with ":" or "»" (see `glue_french_spaces`)."""
    text = strip_controls(text)
    return glue_french_spaces(text) if language == "fr" else text


def _span_text(span: Span) -> str:
    return strip_controls(span.text)
