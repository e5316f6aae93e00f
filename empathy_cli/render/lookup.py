"""Output of the lookup commands (`phrases`, `steps`, `banks list`): JSON objects, plain
text, Markdown and Rich.

Rich is imported inside the `print_*` functions only, so `--format json`/`text` never pay
for it. Bank text is data written by people: control sequences are stripped and it is
wrapped in `rich.text.Text`, never parsed as markup.
"""

from __future__ import annotations

import itertools
import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from empathy_cli.textsafe import french_spaces, glue_french_spaces, strip_controls

if TYPE_CHECKING:
    from empathy_cli.models import BankFile, StepGuide
    from empathy_cli.search import PhraseMatch

SCHEMA_VERSION = 1
HIGHLIGHT = "bold magenta"
LABELS = {
    "en": {
        "goal": "Goal",
        "techniques": "Techniques",
        "pitfalls": "Pitfalls to avoid",
        "examples": "Examples",
        "colon": ":",
        "quote": ("“", "”"),
    },
    "fr": {
        "goal": "Objectif",
        "techniques": "Techniques",
        "pitfalls": "Pièges à éviter",
        "examples": "Exemples",
        # French puts a (no-break) space before a colon and inside guillemets
        "colon": "\u00a0:",
        "quote": ("«\u00a0", "\u00a0»"),
    },
}


def text_width(limit: int = 100) -> int:
    """The width to wrap plain text at: the terminal's (or `COLUMNS`), at most `limit`."""
    return max(30, min(limit, shutil.get_terminal_size((80, 24)).columns))


def _clean(text: str) -> str:
    return strip_controls(text)


# --- phrases -----------------------------------------------------------------------------


def phrase_results_dict(matches: Sequence[PhraseMatch]) -> dict[str, Any]:
    """The `phrases` JSON object (schema version 1)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "results": [
            {
                "id": m.phrase.id,
                "step": m.phrase.step,
                "language": m.phrase.language,
                "title": m.phrase.title,
                "text": m.phrase.text,
                "emotions": list(m.phrase.emotions),
                "situations": list(m.phrase.situations),
                "tone": m.phrase.tone,
                "score": m.score,
                "fit": m.fit,
                "tags": list(m.phrase.tags),
                "channel": list(m.phrase.channel),
            }
            for m in matches
        ],
    }


def _meta(match: PhraseMatch) -> str:
    p = match.phrase
    return " · ".join((p.id, p.language, p.step, p.tone))


def _fits_for(match: PhraseMatch) -> str:
    """`for: angry, frustrated · late_delivery`, or empty for a phrase that fits any message."""
    p = match.phrase
    parts = [", ".join(x) for x in (p.emotions, p.situations) if x]
    return "for: " + " · ".join(parts) if parts else ""


def _score(match: PhraseMatch) -> str:
    return str(round(match.score))


def render_phrases_text(matches: Sequence[PhraseMatch], *, scores: bool = True) -> str:
    """One block a phrase: a numbered title line, the facts, then the phrase, indented."""
    blocks = []
    for n, m in enumerate(matches, 1):
        head = f"{n}. {_clean(m.phrase.title)}"
        if scores:
            head += f"  ({_score(m)})"
        body = "\n".join("   " + line for line in _clean(m.phrase.text).split("\n"))
        blocks.append(f"{head}\n   [{_meta(m)}]\n{body}")
    return "\n\n".join(blocks)


def _md_escape(text: str) -> str:
    text = _clean(text)
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_phrases_markdown(matches: Sequence[PhraseMatch], *, scores: bool = True) -> str:
    blocks = []
    for n, m in enumerate(matches, 1):
        p = m.phrase
        facts = f"`{p.id}` · {p.language} · {p.step} · {p.tone}"
        if p.emotions:
            facts += " · " + ", ".join(p.emotions)
        if p.situations:
            facts += " · " + ", ".join(p.situations)
        if scores:
            facts += f" · score {_score(m)}"
        quoted = "\n".join("> " + line if line else ">" for line in _md_escape(p.text).split("\n"))
        blocks.append(f"### {n}. {_md_escape(p.title)}\n\n{facts}\n\n{quoted}")
    return "\n\n".join(blocks)


def _styled(text: str, spans: Sequence[tuple[int, int]], style: str) -> Any:
    """`text` as a Rich `Text`, the spans styled, control sequences stripped piecewise."""
    from rich.text import Text

    out = Text()
    bounds = sorted({0, len(text), *[p for s, e in spans for p in (s, e) if p <= len(text)]})
    for a, b in itertools.pairwise(bounds):
        inside = any(s <= a and b <= e for s, e in spans)
        out.append(_clean(text[a:b]), style=style if inside else None)
    return out


def print_phrases(
    matches: Sequence[PhraseMatch], *, scores: bool = True, file: TextIO | None = None
) -> None:
    """The results for a person: title, facts, and the phrase with matched words lit."""
    from rich.table import Table
    from rich.text import Text

    from empathy_cli.render.terminal import console

    con = console(file)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for n, m in enumerate(matches, 1):
        body = Text()
        body.append_text(_styled(m.phrase.title, m.title_spans, f"bold {HIGHLIGHT}"))
        body.stylize("bold")
        if scores:
            body.append(f"  {_score(m)}", style="cyan")
        body.append("\n")
        body.append(_meta(m), style="dim")
        body.append("\n")
        fits = _fits_for(m)
        if fits:
            body.append(fits, style="dim italic")
            body.append("\n")
        text = m.phrase.text
        if m.phrase.language == "fr":
            text = glue_french_spaces(text)  # one character for one: the spans still hold
        body.append_text(_styled(text, m.spans, HIGHLIGHT))
        if n < len(matches):
            body.append("\n")
        grid.add_row(f"{n}.", body)
    con.print(grid)


# --- steps -------------------------------------------------------------------------------


def steps_dict(guides: Sequence[StepGuide]) -> dict[str, Any]:
    """The `steps` JSON object (schema version 1)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "steps": [
            {
                "id": g.id,
                "language": g.language,
                "title": g.title,
                "goal": g.goal,
                "techniques": list(g.techniques),
                "pitfalls": list(g.pitfalls),
                "examples": list(g.examples),
            }
            for g in guides
        ],
    }


def _labels(language: str) -> dict[str, Any]:
    return LABELS.get(language, LABELS["en"])


def _prose(text: str, language: str) -> str:
    """Bank text for display; in French, spaces before `: ; ? !` and inside guillemets
    become no-break spaces so a line never starts with `»` or `:`."""
    text = _clean(text)
    return french_spaces(text) if language == "fr" else text


def _quoted(text: str, language: str) -> str:
    left, right = _labels(language)["quote"]
    return f"{left}{_prose(text, language)}{right}"


def render_steps_text(guides: Sequence[StepGuide], *, width: int | None = None) -> str:
    """Plain text, wrapped to `width` with hanging indents so lists stay readable."""
    width = width or text_width()
    blocks = []
    for g in guides:
        labels = _labels(g.language)
        lines = textwrap.wrap(
            f"{_number(g)}. {_clean(g.title)} ({g.id})", width, subsequent_indent="   "
        )
        lines += textwrap.wrap(
            f"{labels['goal']}{labels['colon']} {_prose(g.goal, g.language)}",
            width,
            subsequent_indent="   ",
        )
        sections = (
            ("techniques", g.techniques, False),
            ("pitfalls", g.pitfalls, False),
            ("examples", g.examples, True),
        )
        for key, items, quote in sections:
            if not items:
                continue
            lines.append(f"{labels[key]}{labels['colon']}")
            for item in items:
                shown = _quoted(item, g.language) if quote else _prose(item, g.language)
                lines += textwrap.wrap(
                    shown, width, initial_indent="  - ", subsequent_indent="    "
                )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _number(guide: StepGuide) -> int:
    from empathy_cli.models import STEP_IDS

    return STEP_IDS.index(guide.id) + 1 if guide.id in STEP_IDS else 0


def render_steps_markdown(guides: Sequence[StepGuide]) -> str:
    blocks = []
    for g in guides:
        labels = _labels(g.language)
        lines = [
            f"## {_number(g)}. {_md_escape(g.title)}",
            "",
            f"*{labels['goal']}{labels['colon']}* {_md_escape(g.goal)}",
        ]
        for key, items, quote in (
            ("techniques", g.techniques, False),
            ("pitfalls", g.pitfalls, False),
            ("examples", g.examples, True),
        ):
            if items:
                lines += ["", f"**{labels[key]}**", ""]
                lines += [
                    "- " + (_quoted(_md_escape(i), g.language) if quote else _md_escape(i))
                    for i in items
                ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def print_steps(guides: Sequence[StepGuide], *, file: TextIO | None = None) -> None:
    """One panel a step: the goal, then techniques, pitfalls and examples as lists."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from empathy_cli.render.terminal import console

    con = console(file)
    for g in guides:
        labels = _labels(g.language)
        body = Table.grid(padding=(0, 0))
        body.add_column(overflow="fold")
        body.add_row(Text(glue_french_spaces(_prose(g.goal, g.language)), style="italic"))
        for key, items, style, quote in (
            ("techniques", g.techniques, "green", False),
            ("pitfalls", g.pitfalls, "red", False),
            ("examples", g.examples, "cyan", True),
        ):
            if not items:
                continue
            body.add_row(Text(""))
            body.add_row(Text(labels[key], style=f"bold {style}"))
            bullets = Table.grid(padding=(0, 1))
            bullets.add_column(no_wrap=True, style=style)
            bullets.add_column(overflow="fold")
            for item in items:
                shown = _quoted(item, g.language) if quote else _prose(item, g.language)
                bullets.add_row("•", Text(glue_french_spaces(shown)))
            body.add_row(bullets)
        title = Text(f"{_number(g)}. {_clean(g.title)}", style="bold")
        con.print(
            Panel(
                body,
                title=title,
                title_align="left",
                subtitle=g.id,
                subtitle_align="right",
                width=min(con.width, 100),
            )
        )


# --- banks list --------------------------------------------------------------------------


@dataclass(frozen=True)
class BanksReport:
    """What `empathy banks list` shows."""

    files: tuple[BankFile, ...]
    replaced: dict[str, int]  # file path -> entries replacing one of an earlier layer
    builtin_dir: str
    user_dir: str
    user_dir_exists: bool
    config_dir: str
    cache_dir: str
    environment: dict[str, str | None]
    totals: dict[str, dict[str, int]]  # language -> kind -> entries after layering
    schemas: dict[str, str] | None = None  # kind -> schema path, with --schemas


def banks_report_dict(report: BanksReport) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "files": [
            {
                "path": f.path,
                "layer": f.layer,
                "kind": f.kind,
                "language": f.language,
                "entries": f.entries,
                "replaces": report.replaced.get(f.path, 0),
            }
            for f in report.files
        ],
        "totals": report.totals,
        "builtin_dir": report.builtin_dir,
        "user_dir": report.user_dir,
        "user_dir_exists": report.user_dir_exists,
        "config_dir": report.config_dir,
        "cache_dir": report.cache_dir,
        "environment": report.environment,
    }
    if report.schemas is not None:
        out["schemas"] = report.schemas
    return out


def _totals_line(language: str, kinds: dict[str, int]) -> str:
    return f"{language}: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items())


def _file_row(f: BankFile, replaced: dict[str, int]) -> list[str]:
    extra = f" ({replaced[f.path]} replace earlier ones)" if replaced.get(f.path) else ""
    return [f.layer, f.kind, f.language, f"{f.entries}{extra}", f.path]


def render_banks_text(report: BanksReport) -> str:
    rows = [["LAYER", "KIND", "LANG", "ENTRIES", "PATH"]]
    rows += [_file_row(f, report.replaced) for f in report.files]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        for r in rows
    ]
    lines.append("")
    lines.append("Loaded (after layering):")
    lines += [f"  {_totals_line(lang, kinds)}" for lang, kinds in report.totals.items()]
    lines.append("")
    lines.append(f"Built-in banks: {report.builtin_dir}")
    state = "" if report.user_dir_exists else " (not created yet: `empathy banks init` does it)"
    lines.append(f"User banks:     {report.user_dir}{state}")
    lines.append(f"Config dir:     {report.config_dir}")
    lines.append(f"Cache dir:      {report.cache_dir}")
    lines.append("")
    lines.append("Environment:")
    for name, value in report.environment.items():
        lines.append(f"  {name}={_clean(value)}" if value is not None else f"  {name} (not set)")
    if report.schemas is not None:
        lines.append("")
        lines.append("JSON Schemas (for `# yaml-language-server: $schema=...`):")
        lines += [f"  {kind}: {path}" for kind, path in report.schemas.items()]
    return "\n".join(lines)


def render_banks_markdown(report: BanksReport) -> str:
    lines = ["| layer | kind | lang | entries | path |", "|---|---|---|---|---|"]
    for f in report.files:
        row = _file_row(f, report.replaced)
        lines.append("| " + " | ".join(row[:4]) + f" | `{row[4]}` |")
    lines += ["", "**Loaded (after layering):**", ""]
    lines += [f"- {_totals_line(lang, kinds)}" for lang, kinds in report.totals.items()]
    lines += [
        "",
        f"- **Built-in banks:** `{report.builtin_dir}`",
        f"- **User banks:** `{report.user_dir}`"
        + ("" if report.user_dir_exists else " (not created yet)"),
        f"- **Config dir:** `{report.config_dir}`",
        f"- **Cache dir:** `{report.cache_dir}`",
        "",
        "**Environment:**",
        "",
    ]
    for name, value in report.environment.items():
        shown = f"`{_clean(value)}`" if value is not None else "not set"
        lines.append(f"- `{name}`: {shown}")
    if report.schemas is not None:
        lines += ["", "**JSON Schemas:**", ""]
        lines += [f"- {kind}: `{path}`" for kind, path in report.schemas.items()]
    return "\n".join(lines)


def print_banks(report: BanksReport, *, file: TextIO | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    from empathy_cli.render.terminal import console

    con = console(file)
    con.print(Text("Bank files, in load order (later layers win)", style="italic"))
    table = Table(
        box=None,
        padding=(0, 1),
        show_edge=False,
    )
    table.add_column("file", overflow="fold", min_width=12, ratio=1)
    table.add_column("kind", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    styles = {"builtin": "", "user": "green", "env": "yellow", "option": "cyan"}
    roots = {"builtin": "phrases/", "user": report.user_dir.rstrip("/\\") + "/"}
    where = {
        "builtin": report.builtin_dir,
        "user": report.user_dir,
        "env": "EMPATHY_BANKS",
        "option": "--bank",
    }
    narrow = con.width < 70  # one line a file, the facts after the path
    layer = None
    for f in report.files:
        if f.layer != layer:
            layer = f.layer
            head = Text(f"{layer}: ", style=f"bold {styles.get(layer, '')}")
            head.append(where.get(layer, ""), style="dim")
            if narrow:
                con.print(head)
            else:
                table.add_row(head, "", "", "")
        root = roots.get(f.layer, "")
        shown = f.path[len(root) :] if root and f.path.startswith(root) else f.path
        count = Text(str(f.entries))
        if report.replaced.get(f.path):
            count.append(f" ({report.replaced[f.path]} replace)", style="bold")
        if narrow:
            line = Text("  " + shown + "  ", style=styles.get(f.layer, ""))
            line.append(f"{f.kind} {f.language} ", style="dim")
            line.append_text(count)
            con.print(line, overflow="fold")
        else:
            table.add_row(Text("  " + shown), f.kind, f.language, count, style=styles.get(f.layer))
    if not narrow:
        con.print(table)
    con.print()
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")
    for lang, kinds in report.totals.items():
        facts.add_row(f"Loaded {lang}", Text(_totals_line(lang, kinds).split(": ", 1)[1]))
    facts.add_row("Built-in", Text(report.builtin_dir))
    user = Text(report.user_dir)
    if not report.user_dir_exists:
        user.append("  not created yet: `empathy banks init`", style="dim")
    facts.add_row("User banks", user)
    facts.add_row("Config dir", Text(report.config_dir))
    facts.add_row("Cache dir", Text(report.cache_dir))
    for name, value in report.environment.items():
        facts.add_row(
            name, Text(_clean(value)) if value is not None else Text("not set", style="dim")
        )
    if report.schemas is not None:
        for kind, path in report.schemas.items():
            facts.add_row(f"Schema {kind}", Text(path))
    con.print(facts)
