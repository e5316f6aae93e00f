"""`empathy export espanso|csv|json`: the phrase banks for text expanders and helpdesks."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from empathy_cli.commands.phrases import complete_phrase_step
from empathy_cli.errors import InputError
from empathy_cli.options import BankOption, NoCacheOption, load, parse_sets
from empathy_cli.output import emit, note


class ExportFormat(StrEnum):
    espanso = "espanso"
    csv = "csv"
    json = "json"


class ExportLang(StrEnum):
    en = "en"
    fr = "fr"
    all = "all"


class Helpdesk(StrEnum):
    zendesk = "zendesk"
    chatwoot = "chatwoot"


def export_command(
    target: Annotated[
        ExportFormat,
        typer.Argument(
            help="espanso (a match file), csv (helpdesk macros) or json.",
            metavar="FORMAT",
            case_sensitive=False,
            show_default=False,
        ),
    ],
    lang: Annotated[
        ExportLang | None,
        typer.Option(
            "--lang",
            "-l",
            help="en, fr or all [default: config, EMPATHY_LANG, then LANG, else en].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    steps: Annotated[
        list[str] | None,
        typer.Option(
            "--step",
            "-S",
            metavar="STEP",
            help="Only this step (repeatable): listen, validate, perspective, compassion, "
            "collaborate, greeting, closing.",
            show_default=False,
            autocompletion=complete_phrase_step,
        ),
    ] = None,
    placeholders: Annotated[
        Helpdesk | None,
        typer.Option(
            "--placeholders",
            "-p",
            help="csv and json: write {{name}}, {{agent}}, {{company}} as this helpdesk's "
            "placeholders: zendesk or chatwoot.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            "-s",
            metavar="SLOT=TEXT",
            help="Fill a slot with this text in every phrase (repeatable), e.g. "
            "--set company=Acme or --set order='{{ticket.ticket_field_123}}'.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (default: stdout).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --output file.")
    ] = False,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Export phrases for espanso, a helpdesk's macro import (CSV), or any tool (JSON).

    Examples:

      empathy export espanso --lang all -o ~/.config/espanso/match/empathy.yml

      empathy export csv --placeholders zendesk --lang fr -o macros-fr.csv

      empathy export csv --placeholders chatwoot --set company=Acme --step compassion

      empathy export json --lang en > phrases-en.json
    """
    from empathy_cli import __version__, exporters
    from empathy_cli.config import default_language, load_config

    if placeholders is not None and target is ExportFormat.espanso:
        raise InputError(
            "--placeholders applies to csv and json. For espanso, slots become form fields; "
            "use --set to fill one."
        )
    if lang is None:
        languages = [default_language(load_config())]
    else:
        languages = ["en", "fr"] if lang is ExportLang.all else [lang.value]
    banks = load(bank, no_cache)
    phrases = exporters.select_phrases(banks, languages=languages, steps=steps or None)
    values = parse_sets(sets)
    if target is ExportFormat.espanso:
        text = exporters.to_espanso(phrases, values=values, version=__version__)
    else:
        values = exporters.helpdesk_values(placeholders.value if placeholders else None, values)
        render = exporters.to_csv if target is ExportFormat.csv else exporters.to_json
        text = render(phrases, values=values)
        left = exporters.unmapped_slots(phrases, values)
        if placeholders is not None and left:
            note(
                f"Left as they are (no {placeholders.value} placeholder): "
                + ", ".join("{{" + s + "}}" for s in left)
                + ". Fill them in the macros, or map one with --set SLOT=TEXT."
            )
    if output is None:
        emit(text, end="")
        return
    from empathy_cli.fileio import atomic_write_text

    atomic_write_text(output, text, force=force)
    what = "matches" if target is ExportFormat.espanso else "phrases"
    note(f"Wrote {len(phrases)} {what} to {output}.")


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
