"""`empathy check`: lint an agent's draft reply for empathy."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from empathy_cli.errors import ExitCode, InputError
from empathy_cli.options import (
    BankOption,
    FileOption,
    Format,
    FormatOption,
    JsonFlag,
    Lang,
    LangOption,
    NoCacheOption,
    load,
    resolve_format,
)
from empathy_cli.output import emit, note


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    suggestion = "suggestion"


def check_command(
    draft: Annotated[
        str | None,
        typer.Argument(help="Your draft reply; '-' or a pipe reads stdin.", show_default=False),
    ] = None,
    file: FileOption = None,
    lang: LangOption = Lang.auto,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding is at or above this: error, warning or suggestion.",
            case_sensitive=False,
        ),
    ] = FailOn.warning,
    reply_to: Annotated[
        str | None,
        typer.Option(
            "--reply-to",
            "-r",
            help="The customer's message: also check the draft answers its emotion and situation.",
            show_default=False,
        ),
    ] = None,
    reply_to_file: Annotated[
        Path | None,
        typer.Option(
            "--reply-to-file",
            "-R",
            help="Read the customer's message from this file.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.auto,
    json_flag: JsonFlag = False,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Check a draft reply: cold or blaming wording, missing steps, a score out of 100.

    Exit 1 when a finding is at or above --fail-on (default: warning), so a macro can gate on
    it; a missing step is only a suggestion. Text output: FILE:LINE:COL: severity rule message,
    the score on stderr.

    Examples:

      empathy check "Calm down, the delay is the courier's fault."

      empathy check --file reply.txt --reply-to-file ticket.txt

      pbpaste | empathy check --format json

      empathy check --fail-on error --lang fr "Ne vous inquiétez pas, je m'en occupe."
    """
    from empathy_cli.inputs import read_file, read_input
    from empathy_cli.lint import check_draft

    given = read_input(draft, file, what="draft", refuse_long=True)
    customer: str | None = None
    if reply_to is not None and reply_to_file is not None:
        raise InputError(
            "Give the customer's message with --reply-to or --reply-to-file, not both."
        )
    if reply_to_file is not None:
        customer, _ = read_file(reply_to_file, what="customer's message", refuse=False)
    elif reply_to is not None:
        customer = reply_to
    if customer is not None and not customer.strip():
        raise InputError("The customer's message is empty. Give its text, or leave --reply-to out.")
    banks = load(bank, no_cache)
    result = check_draft(given.text, banks, lang=lang.value, reply_to=customer)
    level = fail_on.value
    out = resolve_format(fmt, json_flag)
    if out == "json":
        from empathy_cli.render.check import check_dict
        from empathy_cli.render.json import dumps

        emit(dumps(check_dict(result, fail_on=level)))
    elif out == "markdown":
        from empathy_cli.render.check import render_markdown

        emit(render_markdown(result, fail_on=level))
    elif out == "rich":
        from empathy_cli.render.check import print_check

        print_check(result, given.text, fail_on=level)
    else:
        from empathy_cli.render.check import render_text, summary_line

        lines = render_text(result, given.source)
        if lines:
            emit(lines)
        note(summary_line(result, given.source, fail_on=level))
    if result.failed(level):
        raise typer.Exit(ExitCode.FINDINGS)


def register(app: typer.Typer) -> None:
    """Add `empathy check` to the app."""
    app.command("check")(check_command)
