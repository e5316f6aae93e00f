"""`empathy suggest`: the reply skeleton, the main command."""

from typing import Annotated

import typer

from empathy_cli.options import (
    BankOption,
    Channel,
    FileOption,
    Format,
    FormatOption,
    JsonFlag,
    Lang,
    LangOption,
    NoCacheOption,
    Tone,
    load,
    parse_sets,
    resolve_format,
)
from empathy_cli.output import emit


def suggest_command(
    message: Annotated[
        str | None,
        typer.Argument(
            help="The customer's message; '-' or a pipe reads stdin.", show_default=False
        ),
    ] = None,
    file: FileOption = None,
    lang: LangOption = Lang.auto,
    tone: Annotated[
        Tone | None,
        typer.Option(
            "--tone",
            "-t",
            help="warm, neutral or formal [default: follows the message]",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    channel: Annotated[
        Channel | None,
        typer.Option(
            "--channel",
            "-c",
            help="email, chat, phone or social [default: email]",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    variant: Annotated[
        int,
        typer.Option(
            "--variant", "-v", min=1, help="1 for the best phrases, 2, 3... for the next ones."
        ),
    ] = 1,
    name: Annotated[
        str | None, typer.Option("--name", help="The customer's name.", show_default=False)
    ] = None,
    agent: Annotated[
        str | None, typer.Option("--agent", help="Your name, for the sign-off.", show_default=False)
    ] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Your company's name.", show_default=False)
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            "-s",
            help="Fill a slot: key=value (repeatable), e.g. --set order=48213.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.auto,
    json_flag: JsonFlag = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", "-e", help="Add the reading and why each phrase was chosen."),
    ] = False,
    copy: Annotated[
        bool, typer.Option("--copy", help="Also put the plain-text reply on the clipboard.")
    ] = False,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Build the reply step by step, choosing phrases."),
    ] = False,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Draft an empathic reply to a customer's message, in five steps.

    Examples:

      empathy suggest "My parcel is 3 weeks late and nobody answers my emails!"

      empathy suggest --format text --name Sam --agent Alex < message.txt

      empathy suggest "Vous m'avez facturé deux fois, je suis furieux." --tone formal

      empathy suggest --variant 2 --format json -
    """
    from empathy_cli.analysis import analyze
    from empathy_cli.composer import compose
    from empathy_cli.config import default_language, load_config
    from empathy_cli.inputs import read_input

    given = read_input(message, file)
    config = load_config()
    slots = {k: v for k, v in (("agent", config.agent), ("company", config.company)) if v}
    slots.update(parse_sets(sets))
    slots.update({k: v for k, v in (("name", name), ("agent", agent), ("company", company)) if v})
    banks = load(bank, no_cache)
    reading = analyze(given.text, banks, lang=lang.value, default_lang=default_language(config))
    chosen_tone = tone.value if tone else config.tone
    chosen_channel = channel.value if channel else config.channel
    if interactive:
        from .interactive import run_interactive

        if run_interactive(
            reading,
            banks,
            given.text,
            tone=chosen_tone,
            channel=chosen_channel,
            slots=slots,
            copy=copy,
        ):
            return
    reply = compose(
        reading, banks, tone=chosen_tone, channel=chosen_channel, variant=variant, slots=slots
    )
    out = resolve_format(fmt, json_flag)
    if out == "json":
        from empathy_cli.render.json import dumps, reply_dict

        emit(dumps(reply_dict(reply)))
    elif out == "markdown":
        from empathy_cli.render.markdown import render_reply

        emit(render_reply(reply))
    elif out == "rich":
        from empathy_cli.render.terminal import print_reply

        print_reply(reply, given.text, explain=explain)
    else:
        from empathy_cli.render.text import render_reply as render_text

        emit(render_text(reply, explain=explain))
    if copy:
        from empathy_cli.clipboard import copy_text
        from empathy_cli.textsafe import strip_controls

        copy_text(strip_controls(reply.reply))


def register(app: typer.Typer) -> None:
    app.command("suggest")(suggest_command)
