"""`empathy steps`: the five steps of a reply, with guidance and examples from the banks."""

from typing import Annotated

import typer

from empathy_cli.commands.phrases import complete_step
from empathy_cli.errors import InputError
from empathy_cli.models import STEP_IDS
from empathy_cli.options import (
    BankOption,
    Format,
    FormatOption,
    JsonFlag,
    Lang,
    NoCacheOption,
    load,
    resolve_format,
)
from empathy_cli.output import emit


def steps_command(
    step: Annotated[
        str | None,
        typer.Argument(
            help="One step: listen, validate, perspective, compassion or collaborate.",
            metavar="STEP",
            show_default=False,
            autocompletion=complete_step,
        ),
    ] = None,
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
    fmt: FormatOption = Format.auto,
    json_flag: JsonFlag = False,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show the five steps of an empathic reply: goal, techniques, pitfalls, examples.

    Examples:

      empathy steps

      empathy steps validate --lang fr

      empathy steps --format markdown > steps.md

      empathy steps collaborate --json
    """
    from empathy_cli.config import default_language, load_config

    if step is not None and step not in STEP_IDS:
        raise InputError(f"Unknown step '{step}'. Use one of: {', '.join(STEP_IDS)}.")
    language = lang.value if lang is not Lang.auto else default_language(load_config())
    banks = load(bank, no_cache)
    guides = [g for g in banks.steps_for(language) if step is None or g.id == step]
    if not guides:
        raise InputError(
            f"No step guide in the banks for language '{language}'. "
            "Check the banks with `empathy banks list`."
        )
    out = resolve_format(fmt, json_flag)
    if out == "json":
        from empathy_cli.render.json import dumps
        from empathy_cli.render.lookup import steps_dict

        emit(dumps(steps_dict(guides)))
    elif out == "markdown":
        from empathy_cli.render.lookup import render_steps_markdown

        emit(render_steps_markdown(guides))
    elif out == "rich":
        from empathy_cli.render.lookup import print_steps

        print_steps(guides)
    else:
        from empathy_cli.render.lookup import render_steps_text

        emit(render_steps_text(guides))


def register(app: typer.Typer) -> None:
    app.command("steps")(steps_command)
