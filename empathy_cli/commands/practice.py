"""`empathy practice`: training drills on the scenarios of the banks, scored.

The logic is in `empathy_cli.practice`; this module reads the answers and draws the rounds.
The scenarios, the feedback and the summary go to stdout; the questions and prompts go to
stderr. On a terminal each round waits for Enter before the next one; when stdin is not a
terminal the drill reads its answers line by line (an emotion line, then the reply ended by
two empty lines) and does not pause, so it can be scripted:
`empathy practice --rounds 2 < answers.txt > session.txt`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from empathy_cli.options import BankOption, Lang, NoCacheOption, load
from empathy_cli.practice import (
    DEFAULT_ROUNDS,
    DEFAULT_SEED,
    EMOTION_CHOICES,
    EMOTION_HINTS,
    EmotionScore,
    RoundResult,
    Summary,
    emotion_label,
    read_block,
    texts,
)
from empathy_cli.textsafe import strip_controls

if TYPE_CHECKING:
    from empathy_cli.lint import Finding
    from empathy_cli.models import Scenario

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}


def practice_command(
    rounds: Annotated[
        int, typer.Option("--rounds", "-n", min=1, max=100, help="How many scenarios to play.")
    ] = DEFAULT_ROUNDS,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            "-l",
            help="en or fr [default: config, EMPATHY_LANG, then LANG/LC_ALL, else en].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = Lang.auto,
    seed: Annotated[
        int,
        typer.Option("--seed", help="Order of the scenarios; the same seed gives the same drill."),
    ] = DEFAULT_SEED,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Train on realistic customer messages: name the emotion, write a reply, get feedback.

    Each round shows a scenario from the banks, asks which emotion you hear, then asks for
    your reply and checks it (cold wording, missing steps) before showing the trainer's notes
    and a model answer. A summary ends the drill. Answers can also be piped in, one emotion
    line then the reply ended by two empty lines, per round.

    Examples:

      empathy practice

      empathy practice --lang fr --rounds 3

      empathy practice --seed 7 --bank ./team-banks

      printf 'angry\\nI am so sorry.\\n\\n\\n' | empathy practice --rounds 1
    """
    from empathy_cli.config import default_language, load_config
    from empathy_cli.practice import drill, pick_scenarios, summarize

    config = load_config()
    language = lang.value if lang is not Lang.auto else default_language(config)
    banks = load(bank, no_cache)
    scenarios = pick_scenarios(banks, language, rounds, seed)
    slots = {k: v for k, v in (("agent", config.agent), ("company", config.company)) if v}
    ui = DrillTerminal(language, {g.id: g.title for g in banks.steps_for(language)})
    ui.intro(rounds, seed)
    try:
        results = drill(scenarios, banks, ui, slots=slots)
    except KeyboardInterrupt:
        from empathy_cli.output import Interrupted

        raise Interrupted() from None
    ui.show_summary(summarize(results, banks, language, seed=seed))


def register(app: typer.Typer) -> None:
    """Add `empathy practice` to the app."""
    app.command("practice")(practice_command)


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class DrillTerminal:
    """Rounds and feedback on stdout, questions on stderr, answers from stdin."""

    def __init__(self, language: str, titles: dict[str, str]) -> None:
        from empathy_cli.render.terminal import console

        self.language = language
        self.titles = titles  # step id -> title in the drill's language
        self.t = texts(language)
        self.out = console(glue=True)
        self.err = console(stderr=True, glue=True)
        self.interactive = _isatty(sys.stdin)

    def _line(self) -> str:
        line = sys.stdin.buffer.readline()
        return line.decode("utf-8", "replace") if line else ""

    def intro(self, rounds: int, seed: int) -> None:
        from rich.text import Text

        self.err.print(Text(self.t["intro"].format(rounds=rounds, seed=seed), style="dim"))

    def say(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.err.print(Text(text, style=style))

    def ask(self, prompt: str) -> str:
        from rich.text import Text

        self.err.print(Text(prompt, style="bold"), end="")
        sys.stderr.flush()
        line = self._line()
        if not line:
            if self.interactive:
                self.err.print()
            raise EOFError
        if not self.interactive:
            self.err.print()  # the answer was not echoed
        return line.rstrip("\r\n")

    def read_reply(self, prompt: str) -> str:
        from rich.text import Text

        self.err.print(Text(prompt, style="dim"))
        return read_block(self._line)

    def pause(self, prompt: str) -> None:
        if self.interactive:
            self.ask(prompt)

    def show_scenario(self, number: int, total: int, scenario: Scenario) -> None:
        from rich.panel import Panel
        from rich.text import Text

        t = self.t
        self.out.print()
        self.out.rule(
            Text(t["round"].format(n=number, total=total), style="bold cyan"),
            align="left",
            style="cyan",
        )
        self.out.print(Panel(Text(strip_controls(scenario.message)), border_style="cyan"))
        from rich.columns import Columns

        items = []
        for n, emotion in enumerate(EMOTION_CHOICES, 1):
            item = Text(f"{n} ", style="bold")
            item.append(emotion_label(emotion, self.language))
            items.append(item)
        self.err.print(Text(t["question"], style="bold"))
        self.err.print(Columns(items, padding=(0, 2)))

    def _labels(self, emotions: tuple[str, ...]) -> str:
        return ", ".join(emotion_label(e, self.language) for e in emotions)

    def show_emotions(self, result: EmotionScore, language: str) -> None:
        from rich.text import Text

        t = self.t
        self.out.print(
            Text(t["emotion_score"].format(score=result.score), style=_score_style(result.score))
        )
        heard = Text(t["you_heard"], style="bold")
        heard.append(self._labels(result.guessed) or t["nothing_heard"])
        self.out.print(heard)
        expected = Text(t["scenario_has"], style="bold")
        for i, emotion in enumerate(result.expected):
            if i:
                expected.append(", ")
            expected.append(emotion_label(emotion, self.language))
            if i == 0 and len(result.expected) > 1:
                expected.append(f" ({t['main']})", style="dim")
        self.out.print(expected)
        reading = Text(t["reading_has"], style="bold")
        reading.append(
            self._labels(result.reading) if result.reading != ("neutral",) else t["reading_none"]
        )
        self.out.print(reading)
        if result.main_found:
            label = emotion_label(result.expected[0], self.language)
            self.out.print(Text("✓ " + t["found_main"].format(label=label), style="green"))
        others = tuple(e for e in result.found if e != result.expected[0])
        if others:
            self.out.print(
                Text("✓ " + t["found_other"].format(labels=self._labels(others)), style="green")
            )
        for guess, target in result.near:
            near = t["near"].format(
                guess=emotion_label(guess, self.language),
                expected=emotion_label(target, self.language),
            )
            self.out.print(Text("~ " + near, style="yellow"))
        if result.missed:
            self.out.print(
                Text("✗ " + t["missed"].format(labels=self._labels(result.missed)), style="red")
            )
            hints = EMOTION_HINTS.get(self.language, EMOTION_HINTS["en"])
            self.out.print(Text(hints.get(result.missed[0], ""), style="dim"))
        if result.backed:
            self.out.print(
                Text("~ " + t["backed"].format(labels=self._labels(result.backed)), style="yellow")
            )
        if result.wrong:
            self.out.print(
                Text("✗ " + t["wrong"].format(labels=self._labels(result.wrong)), style="red")
            )

    def show_reply(self, result: RoundResult, language: str) -> None:
        from rich.panel import Panel
        from rich.text import Text

        t = self.t
        reply = result.reply
        self.out.print()
        if not reply.written:
            self.out.print(Text(t["no_reply"], style="yellow"))
        else:
            self.out.print(
                Text(
                    t["reply_score"].format(
                        score=reply.score, check=reply.check, covered=len(reply.covered)
                    ),
                    style=_score_style(reply.score),
                )
            )
            covered = Text(t["covered"], style="bold")
            covered.append(self._steps(reply.covered) or t["none"])
            self.out.print(covered)
            if reply.missing:
                missing = Text(t["missing"], style="bold")
                missing.append(self._steps(reply.missing), style="yellow")
                self.out.print(missing)
            if not reply.findings:
                self.out.print(Text(t["clean"], style="green"))
            # the missing steps were just listed; the other remarks are about the whole reply
            remarks = [r for r in reply.remarks if not r.rule.startswith("missing-")]
            if reply.findings or remarks:
                self.out.print(_findings(t, [*reply.findings, *remarks]))
        if result.scenario.notes:
            self.out.print(
                Panel(
                    Text(strip_controls(result.scenario.notes)),
                    title=t["notes"],
                    title_align="left",
                    border_style="magenta",
                )
            )
        self.out.print(
            Panel(
                _slot_text(result.model),
                title=t["model"],
                title_align="left",
                border_style="green",
            )
        )
        if "{{" in result.model:
            self.out.print(Text(t["model_note"], style="dim"))

    def _steps(self, steps: tuple[str, ...]) -> str:
        return ", ".join(self.titles.get(s, s) for s in steps)

    def show_summary(self, summary: Summary) -> None:
        from rich.table import Table
        from rich.text import Text

        t = self.t
        self.out.print()
        self.out.rule(Text(t["summary"], style="bold green"), align="left", style="green")
        if not summary.rounds:
            self.out.print(Text(t["summary_none"]))
            return
        self.out.print(
            Text(
                t["summary_line" if summary.rounds > 1 else "summary_line_one"].format(
                    rounds=summary.rounds,
                    emotions=summary.emotion_score,
                    replies=summary.reply_score,
                ),
                style="bold",
            )
        )
        if summary.replies:
            self.out.print(Text(t["steps_title"], style="bold"))
            steps = Table(show_header=False, box=None)
            steps.add_column(no_wrap=True)
            steps.add_column()
            for step, covered in summary.steps:
                style = "green" if covered == summary.replies else ("yellow" if covered else "red")
                steps.add_row(
                    self.titles.get(step, step),
                    Text(
                        t["step_row"].format(covered=covered, replies=summary.replies), style=style
                    ),
                )
            self.out.print(steps)
        self.out.print(Text(t["emotions_title"], style="bold"))
        emotions = Table(show_header=False, box=None)
        emotions.add_column(no_wrap=True)
        emotions.add_column()
        for emotion, found, present in summary.emotions:
            style = "green" if found == present else ("yellow" if found else "red")
            emotions.add_row(
                emotion_label(emotion, self.language),
                Text(t["emotion_row"].format(found=found, present=present), style=style),
            )
        self.out.print(emotions)
        self.out.print(Text(t["work_on"], style="bold"))
        for advice in summary.work_on:
            self.out.print(Text(f"• {advice}"))


def _score_style(score: int) -> str:
    return "bold green" if score >= 80 else ("bold yellow" if score >= 50 else "bold red")


def _findings(t: dict[str, str], findings: list[Finding]) -> Any:
    """The checker's findings as a grid: severity, then the words and what to do."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for finding in findings:
        body = Text()
        if finding.start is not None and finding.text:
            body.append(t["quote"].format(text=strip_controls(finding.text)) + " ", style="bold")
        body.append(finding.message)
        if finding.suggestion and finding.start is not None:
            body.append(f" {finding.suggestion}", style="dim")
        severity = Text(t.get(finding.severity, finding.severity))
        severity.stylize(SEVERITY_STYLES.get(finding.severity, ""))
        grid.add_row(severity, body)
    return grid


def _slot_text(text: str) -> Any:
    from rich.text import Text

    from empathy_cli.composer import SLOT_RE

    out = Text(strip_controls(text))
    out.highlight_regex(SLOT_RE.pattern, style="bold yellow")
    return out
