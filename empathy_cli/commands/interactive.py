"""`empathy suggest -i`: the terminal side of building a reply step by step.

The logic is in `empathy_cli.interactive_core`; this module only reads lines and draws the
menus. Where things go:

- the reading, the menus and the prompts go to stderr, the terminal;
- the finished reply goes to stdout, as plain text: on a terminal it is shown at the review,
  and when stdout is a file or a pipe it is written there once, at the end, so
  `empathy suggest -i MESSAGE > reply.txt` leaves only the reply in the file.

It needs stdin and stderr to be terminals (to read the answers and show the menus); without
them it says so in one line and `suggest` prints its usual reply. Ctrl-D leaves without a
reply (exit 0), Ctrl-C aborts (exit 130).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from empathy_cli.interactive_core import Menu, ReplyBuilder, Review, texts, walk
from empathy_cli.output import Interrupted, emit, note
from empathy_cli.practice import emotion_label
from empathy_cli.textsafe import Unglued, glue_french_spaces, strip_controls

if TYPE_CHECKING:
    from empathy_cli.analysis import Analysis
    from empathy_cli.lint import CheckResult
    from empathy_cli.models import Banks

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def run_interactive(
    reading: Analysis,
    banks: Banks,
    text: str,
    *,
    tone: str | None,
    channel: str | None,
    slots: Mapping[str, str],
    copy: bool,
) -> bool:
    """Build the reply step by step on the terminal.

    Returns:
        True when the session ran (or was left with Ctrl-D); False when stdin or stderr is
        not a terminal, so the caller prints the non-interactive reply instead.

    Raises:
        Interrupted: Ctrl-C.
    """
    if not (_isatty(sys.stdin) and _isatty(sys.stderr)):
        note("Note: --interactive needs a terminal; printing the suggested reply instead.")
        return False
    builder = ReplyBuilder(reading, banks, tone=tone, channel=channel, slots=slots)
    ui = TerminalUI(reading.language)
    try:
        ui.show_reading(reading, builder)
        outcome = walk(builder, ui, copy=copy)
    except EOFError:
        ui.say("")
        note(texts(reading.language)["left"])
        return True
    except KeyboardInterrupt:
        raise Interrupted() from None
    if not ui.out_tty:
        emit(outcome.reply)
    if outcome.copy:
        from empathy_cli.clipboard import copy_text

        copy_text(outcome.reply)
    return True


class TerminalUI:
    """Menus on stderr with Rich; answers read line by line from stdin."""

    def __init__(self, language: str) -> None:
        from rich.console import Console

        self.language = language
        self.t = texts(language)
        self.err = Console(file=Unglued.stream(lambda: sys.stderr), highlight=False)
        self.out_tty = _isatty(sys.stdout)

    def say(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.err.print(Text(text, style=style or ""))

    def ask(self, prompt: str) -> str:
        from rich.text import Text

        self.err.print(Text(prompt, style="bold"), end="")
        sys.stderr.flush()
        line = sys.stdin.buffer.readline()
        if not line:
            raise EOFError
        return line.decode("utf-8", "replace").rstrip("\r\n")

    def show_reading(self, analysis: Analysis, builder: ReplyBuilder) -> None:
        from rich.text import Text

        t = self.t
        line = Text()
        line.append(t["reading"], style="bold")
        if analysis.emotions:
            shown = [
                f"{emotion_label(r.name, self.language)} {r.score:.2f}"
                for r in analysis.emotions[:3]
            ]
            line.append(", ".join(shown), style="red")
        else:
            line.append(t["emotion_none"], style="dim")
        line.append(" · ")
        if analysis.situations:
            line.append(", ".join(r.name for r in analysis.situations[:3]))
        else:
            line.append(t["situation_none"], style="dim")
        line.append(" · " + t["tone"].format(tone=builder.tone, channel=builder.channel), "dim")
        self.err.print(line)
        if analysis.concern:
            concern = Text(t["concern"], style="bold")
            concern.append(strip_controls(" ".join(analysis.concern.split())), style="italic")
            self.err.print(concern)

    def show_menu(self, menu: Menu, language: str) -> None:
        from rich.table import Table
        from rich.text import Text

        t = self.t
        self.err.print()
        self.err.rule(
            Text(t["step"].format(n=menu.number, title=menu.title), style="bold cyan"),
            align="left",
            style="cyan",
        )
        if menu.goal and menu.first == 1:
            self.err.print(Text(menu.goal, style="dim italic"))
        if menu.current is not None:
            current = Text(f"{t['chosen']}: ", style="dim")
            current.append(menu.current or t["skipped"], style="dim")
            self.err.print(current)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for option in menu.options:
            grid.add_row(f"{option.number}", _slot_text(option.text))
        if menu.options:
            self.err.print(grid)
            shown = len(menu.options)
            last = menu.first + shown - 1
            where = t["page"].format(a=menu.first, b=last, total=menu.total)
            keys = t["keys"]
            if len(f"{where} · {keys}") > self.err.width:  # one line, whatever the width
                where, keys = f"{menu.first}-{last}/{menu.total}", t["keys_short"]
            self.err.print(Text(f"{where} · {keys}", style="dim"))
        else:
            self.err.print(Text(t["no_phrase"], style="yellow"))

    def show_review(self, review: Review, builder: ReplyBuilder) -> None:
        from rich.text import Text

        t = self.t
        self.err.print()
        self.err.rule(Text(t["review"], style="bold green"), align="left", style="green")
        if self.out_tty:
            sys.stderr.flush()
            emit(review.reply)
        else:
            self.err.print(_slot_text(review.reply))
        self.err.rule(style="green")
        _print_check(self.err, review.check, t)
        if review.missing_slots:
            slots = ", ".join("{{" + s + "}}" for s in review.missing_slots)
            self.err.print(Text(t["fill_later"].format(slots=slots), style="yellow"))


def _slot_text(text: str) -> Any:
    """Text with the unfilled `{{slots}}` in yellow (never parsed as markup)."""
    from rich.text import Text

    from empathy_cli.composer import SLOT_RE

    out = Text(glue_french_spaces(strip_controls(text)))
    out.highlight_regex(SLOT_RE.pattern, style="bold yellow")
    return out


def _print_check(console: Any, result: CheckResult, t: dict[str, str]) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text(t["check"].format(score=result.score), style="bold"))
    if not any(f.start is not None for f in result.findings):
        console.print(Text(t["check_clean"], style="green"))
    if not result.findings:
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    # located findings (cold wording) first, then those about the whole reply
    for finding in sorted(result.findings, key=lambda f: f.start is None):
        body = Text()
        if finding.start is not None:
            quoted = t["quote"].format(text=strip_controls(finding.text or ""))
            body.append(quoted + " ", style="bold")
        body.append(finding.message)
        if finding.suggestion and finding.start is not None:
            body.append(f" {finding.suggestion}", style="dim")
        severity = Text(t.get(finding.severity, finding.severity))
        severity.stylize(SEVERITY_STYLES.get(finding.severity, ""))
        grid.add_row(severity, body)
    console.print(grid)
