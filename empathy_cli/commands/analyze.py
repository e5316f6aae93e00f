"""`empathy analyze`: only the reading of a message."""

from typing import Annotated

import typer

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
from empathy_cli.output import emit


def analyze_command(
    message: Annotated[
        str | None,
        typer.Argument(
            help="The customer's message; '-' or a pipe reads stdin.", show_default=False
        ),
    ] = None,
    file: FileOption = None,
    lang: LangOption = Lang.auto,
    fmt: FormatOption = Format.auto,
    json_flag: JsonFlag = False,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Read a customer's message: language, emotions, intensity, situation, concern.

    Examples:

      empathy analyze "Third email and still no refund. This is ridiculous."

      pbpaste | empathy analyze --format json

      empathy analyze --file ticket.txt --lang fr
    """
    from empathy_cli.analysis import analyze
    from empathy_cli.config import default_language, load_config
    from empathy_cli.inputs import read_input

    given = read_input(message, file)
    config = load_config()
    banks = load(bank, no_cache)
    result = analyze(given.text, banks, lang=lang.value, default_lang=default_language(config))
    out = resolve_format(fmt, json_flag)
    if out == "json":
        from empathy_cli.render.json import analysis_dict, dumps

        emit(dumps(analysis_dict(result)))
    elif out == "markdown":
        from empathy_cli.render.markdown import render_analysis

        emit(render_analysis(result))
    elif out == "rich":
        from empathy_cli.render.terminal import print_analysis

        print_analysis(result, given.text)
    else:
        from empathy_cli.render.text import render_analysis as render_text

        emit(render_text(result))


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
