"""`empathy phrases`: fuzzy lookup of phrases, with filters, or ranked for a customer's message.

Also the shell-completion callbacks shared by the lookup commands (step, emotion and
situation names, phrase ids). They read the banks through the cache and never raise: a
completion that fails must not print a traceback into the user's shell.
"""

from typing import Annotated

import typer

from empathy_cli.models import PHRASE_EMOTIONS, PHRASE_STEPS, SITUATIONS, STEP_IDS
from empathy_cli.options import (
    BankOption,
    Format,
    FormatOption,
    JsonFlag,
    Lang,
    NoCacheOption,
    Tone,
    load,
    resolve_format,
)
from empathy_cli.output import emit, note

# --- completion --------------------------------------------------------------------------


def _starting(names: tuple[str, ...], incomplete: str) -> list[str]:
    return [n for n in names if n.startswith(incomplete or "")]


def complete_phrase_step(incomplete: str) -> list[str]:
    """The five steps plus greeting and closing."""
    return _starting(PHRASE_STEPS, incomplete)


def complete_step(incomplete: str) -> list[str]:
    """The five steps."""
    return _starting(STEP_IDS, incomplete)


def complete_emotion(incomplete: str) -> list[str]:
    return _starting(PHRASE_EMOTIONS, incomplete)


def complete_situation(incomplete: str) -> list[str]:
    return _starting(SITUATIONS, incomplete)


def complete_phrase_id(incomplete: str) -> list[tuple[str, str]]:
    """Phrase ids of every layer, with their titles as help; empty if the banks fail."""
    try:
        from empathy_cli.banks.loader import load_banks
        from empathy_cli.search import phrase_ids

        return phrase_ids(load_banks(), incomplete or "")
    except BaseException:  # a completion must never raise
        return []


# --- the command -------------------------------------------------------------------------


def _no_match(query: str) -> str:
    if not query:
        return "No phrase matches these filters."
    return (
        f"No phrase matches '{query}'. Try fewer or other words, check the filters, "
        "or list phrases with `empathy phrases --step STEP`."
    )


def phrases_command(
    query: Annotated[
        list[str] | None,
        typer.Argument(
            help="Words to look for (typos, case and accents do not matter). None: list.",
            metavar="QUERY",
            show_default=False,
            autocompletion=complete_phrase_id,
        ),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option(
            "--step",
            "-S",
            metavar="STEP",
            help="Only this step: listen, validate, perspective, compassion, collaborate, "
            "greeting or closing.",
            show_default=False,
            autocompletion=complete_phrase_step,
        ),
    ] = None,
    emotion: Annotated[
        str | None,
        typer.Option(
            "--emotion",
            "-E",
            metavar="EMOTION",
            help="Only phrases tagged with this emotion (angry, frustrated, ...).",
            show_default=False,
            autocompletion=complete_emotion,
        ),
    ] = None,
    situation: Annotated[
        str | None,
        typer.Option(
            "--situation",
            metavar="SITUATION",
            help="Only phrases tagged with this situation (late_delivery, refund, ...).",
            show_default=False,
            autocompletion=complete_situation,
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            "-l",
            help="Only phrases in en or fr; auto searches both (with --for: the message's).",
            case_sensitive=False,
        ),
    ] = Lang.auto,
    tone: Annotated[
        Tone | None,
        typer.Option(
            "--tone",
            "-t",
            help="Only phrases of this tone: warm, neutral or formal.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    for_message: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="MESSAGE",
            help="A customer's message ('-' reads stdin): rank phrases by how well they fit it.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            metavar="N",
            help="At most this many results; 0 for all [default: 10 with a query or --for, "
            "else all].",
            show_default=False,
        ),
    ] = None,
    copy: Annotated[
        bool, typer.Option("--copy", help="Also put the best phrase's text on the clipboard.")
    ] = False,
    fmt: FormatOption = Format.auto,
    json_flag: JsonFlag = False,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Find phrases by words, step, emotion, situation, language or tone.

    Examples:

      empathy phrases desole --lang fr

      empathy phrases frustrting

      empathy phrases --step validate --emotion angry --lang en

      empathy phrases --for "Still no refund after three weeks!" --step compassion

      empathy phrases refund --format json --limit 3
    """
    from empathy_cli.search import search_phrases
    from empathy_cli.textsafe import strip_controls

    text = " ".join(query or []).strip()
    message = None
    if for_message is not None:
        from empathy_cli.inputs import read_input

        message = read_input(for_message, None).text
    if limit is None:
        limit = 10 if text or message is not None else 0
    banks = load(bank, no_cache)
    matches = search_phrases(
        text,
        banks,
        step=step,
        emotion=emotion,
        situation=situation,
        lang=None if lang is Lang.auto else lang.value,
        tone=tone.value if tone else None,
        for_message=message,
        limit=limit,
    )
    out = resolve_format(fmt, json_flag)
    if not matches:
        note(_no_match(strip_controls(text)))
    scores = bool(text) or message is not None
    if out == "json":
        from empathy_cli.render.json import dumps
        from empathy_cli.render.lookup import phrase_results_dict

        emit(dumps(phrase_results_dict(matches)))
    elif not matches:
        pass
    elif out == "markdown":
        from empathy_cli.render.lookup import render_phrases_markdown

        emit(render_phrases_markdown(matches, scores=scores))
    elif out == "rich":
        from empathy_cli.render.lookup import print_phrases

        print_phrases(matches, scores=scores)
    else:
        from empathy_cli.render.lookup import render_phrases_text

        emit(render_phrases_text(matches, scores=scores))
    if copy and matches:
        from empathy_cli.clipboard import copy_text

        copy_text(strip_controls(matches[0].phrase.text))


def register(app: typer.Typer) -> None:
    app.command("phrases")(phrases_command)
