"""`empathy banks list|validate|init|where`: the banks in use, checks for team banks in CI,
a starter bank, and the user banks directory."""

import os
from pathlib import Path
from typing import Annotated

import typer

from empathy_cli.models import KINDS
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
from empathy_cli.output import emit, note

STARTER_NAME = "my-phrases.yaml"

banks_app = typer.Typer(
    name="banks",
    help="See which banks are loaded, check team banks, start your own.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def schema_paths() -> dict[str, str]:
    """Where the JSON Schema of each bank kind is installed."""
    from importlib.resources import files

    root = files("empathy_cli").joinpath("schemas")
    return {kind: str(root.joinpath(f"{kind}.schema.json")) for kind in KINDS}


@banks_app.command("list")
def list_command(
    schemas: Annotated[
        bool, typer.Option("--schemas", help="Also print where the JSON Schemas are.")
    ] = False,
    fmt: FormatOption = Format.auto,
    json_flag: JsonFlag = False,
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """List every loaded bank file with its layer, path and counts, and the settings in effect.

    Examples:

      empathy banks list

      EMPATHY_BANKS=team/banks empathy banks list --json

      empathy banks list --schemas
    """
    from empathy_cli import paths
    from empathy_cli.banks.loader import builtin_dir, load_banks
    from empathy_cli.render.lookup import BanksReport

    banks = load(bank, no_cache)
    builtin = load_banks(user=False, env=False, cache=not no_cache)
    replaced: dict[str, int] = {}
    for kind in KINDS:
        known = {(e.language, e.id) for e in getattr(builtin, kind)}
        for entry in getattr(banks, kind):
            origin = entry.origin
            if origin and origin.layer != "builtin" and (entry.language, entry.id) in known:
                replaced[origin.path] = replaced.get(origin.path, 0) + 1
    totals = {
        lang: {kind: n for kind in KINDS if (n := _count(banks, kind, lang))}
        for lang in sorted({f.language for f in banks.files})
    }
    user_dir = paths.user_banks_dir()
    report = BanksReport(
        files=banks.files,
        replaced=replaced,
        builtin_dir=str(builtin_dir()),
        user_dir=str(user_dir),
        user_dir_exists=user_dir.is_dir(),
        config_dir=str(paths.config_dir()),
        cache_dir=str(paths.cache_dir()),
        environment={name: os.environ.get(name) for name in paths.ENV_VARS},
        totals=totals,
        schemas=schema_paths() if schemas else None,
    )
    out = resolve_format(fmt, json_flag)
    if out == "json":
        from empathy_cli.render.json import dumps
        from empathy_cli.render.lookup import banks_report_dict

        emit(dumps(banks_report_dict(report)))
    elif out == "markdown":
        from empathy_cli.render.lookup import render_banks_markdown

        emit(render_banks_markdown(report))
    elif out == "rich":
        from empathy_cli.render.lookup import print_banks

        print_banks(report)
    else:
        from empathy_cli.render.lookup import render_banks_text

        emit(render_banks_text(report))


def _count(banks: object, kind: str, lang: str) -> int:
    return sum(1 for e in getattr(banks, kind) if e.language == lang)


@banks_app.command("validate")
def validate_command(
    targets: Annotated[
        list[Path],
        typer.Argument(
            help="Bank files or directories (scanned for *.yaml and *.yml).",
            metavar="PATH...",
            show_default=False,
        ),
    ],
) -> None:
    """Check bank files without using them: every problem as FILE:LINE:COL: message.

    Exit 0 and a one-line summary when every file is valid, 2 when one is not, so a team can
    run it in CI on its own banks.

    Examples:

      empathy banks validate team-banks/

      empathy banks validate my-phrases.yaml other.yaml
    """
    from empathy_cli.banks.loader import validate_paths
    from empathy_cli.errors import BankError, ExitCode

    try:
        checked = validate_paths(targets)
    except BankError as exc:
        for problem in exc.problems:
            note(str(problem))
        count = len(exc.problems)
        files = len({p.path for p in exc.problems})
        note(
            f"{count} problem{'s' if count != 1 else ''} in {files} "
            f"file{'s' if files != 1 else ''}. See docs/banks.md for the format."
        )
        raise typer.Exit(ExitCode.USAGE) from None
    by_kind: dict[str, int] = {}
    for f in checked:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + f.entries
    summary = ", ".join(f"{n} {kind}" for kind, n in by_kind.items()) or "no entries"
    noun = "file" if len(checked) == 1 else "files"
    emit(f"OK: {len(checked)} {noun} valid ({summary}).")


@banks_app.command("init")
def init_command(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write my-phrases.yaml [default: the user banks directory].",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            "-l",
            help="Language of the bank: en or fr [default: config, then LANG, else en].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = Lang.auto,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing my-phrases.yaml.")
    ] = False,
) -> None:
    """Write a commented starter bank, my-phrases.yaml, that validates as it is.

    In the user banks directory (the default) it is active at once: its phrases show up in
    `empathy phrases` and `empathy suggest`.

    Examples:

      empathy banks init

      empathy banks init team-banks/ --lang fr
    """
    from empathy_cli import paths
    from empathy_cli.config import default_language, load_config
    from empathy_cli.fileio import atomic_write_text

    language = lang.value if lang is not Lang.auto else default_language(load_config())
    user_dir = paths.user_banks_dir()
    target_dir = directory if directory is not None else user_dir
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / STARTER_NAME
    schema = Path(schema_paths()["phrases"]).resolve().as_uri()
    atomic_write_text(path, starter_bank(language, schema), force=force)
    emit(str(path))
    active = target_dir.resolve() == user_dir.resolve()
    note(
        f"Wrote a starter bank ({language}). Edit it, then check it with "
        f"`empathy banks validate {path}`."
        + (" It is active now: `empathy banks list` shows it." if active else "")
    )


@banks_app.command("where")
def where_command() -> None:
    """Print the user banks directory (<config dir>/banks), loaded after the built-in banks.

    Examples:

      empathy banks where

      cp team-phrases.yaml "$(empathy banks where)/"
    """
    from empathy_cli import paths

    user_dir = paths.user_banks_dir()
    emit(str(user_dir))
    if not user_dir.is_dir():
        note("It does not exist yet: `empathy banks init` creates it with a starter bank.")


_STARTERS = {
    "en": """\
# yaml-language-server: $schema={schema}
# my-phrases.yaml: our team's own phrases for empathy-cli.
#
# Banks in the user banks directory (`empathy banks where`) load after the built-in ones.
# An entry with the id of a built-in phrase replaces it; `enabled: false` removes one.
# Ids are lower-case and stable: espanso triggers and helpdesk macros refer to them.
# Check this file with `empathy banks validate my-phrases.yaml`; the format is in
# docs/banks.md, and `empathy phrases --step validate` shows the built-in phrases.
kind: phrases
language: en
phrases:
  - id: team-collaborate-phone-call
    step: collaborate
    title: Offer a phone call
    text: "If it would be easier to talk this through by phone, let me know a time that
      suits you and I'll see what I can arrange."
    tone: warm
    tags: [team, phone, call, callback]

  - id: team-perspective-warehouse-check
    step: perspective
    title: Checked with the warehouse
    text: "I've checked with our warehouse team, and this is what they found: {{{{details}}}}."
    situations: [late_delivery, wrong_item]
    tags: [team, warehouse, stock]

  # Replace a built-in phrase: reuse its id (ids are shown by `empathy phrases`).
  # - id: some-built-in-id
  #   step: greeting
  #   text: "Hello {{{{name}}}},"
  #
  # Remove a built-in phrase the team never wants suggested:
  # - id: some-built-in-id
  #   enabled: false
""",
    "fr": """\
# yaml-language-server: $schema={schema}
# my-phrases.yaml : les phrases de notre équipe pour empathy-cli.
#
# Les banques du dossier utilisateur (`empathy banks where`) se chargent après celles
# fournies avec l'outil. Une entrée qui reprend l'id d'une phrase fournie la remplace ;
# `enabled: false` la retire. Les ids restent en minuscules et ne changent plus : les
# déclencheurs espanso et les macros du helpdesk y font référence.
# Vérifiez ce fichier avec `empathy banks validate my-phrases.yaml` ; le format est décrit
# dans docs/banks.md, et `empathy phrases --step validate --lang fr` montre des exemples.
kind: phrases
language: fr
phrases:
  - id: equipe-collaborate-appel
    step: collaborate
    title: Proposer un appel
    text: "Si c'est plus simple d'en parler au téléphone, indiquez-moi le créneau qui vous
      convient : je verrai ce que je peux organiser."
    tone: warm
    tags: [équipe, team, téléphone, appel, rappel]

  - id: equipe-perspective-entrepot
    step: perspective
    title: Point avec l'entrepôt
    text: "J'ai fait le point avec notre entrepôt, et voici ce qu'il en ressort : {{{{details}}}}."
    situations: [late_delivery, wrong_item]
    tags: [équipe, team, entrepôt, stock]

  # Remplacer une phrase fournie : reprenez son id (affiché par `empathy phrases`).
  # - id: un-id-existant
  #   step: greeting
  #   text: "Bonjour {{{{name}}}},"
  #
  # Retirer une phrase fournie que l'équipe ne veut jamais voir proposée :
  # - id: un-id-existant
  #   enabled: false
""",
}


def starter_bank(language: str, schema: str) -> str:
    """The commented starter bank `banks init` writes."""
    template = _STARTERS.get(language, _STARTERS["en"])
    return template.format(schema=schema)


def register(app: typer.Typer) -> None:
    app.add_typer(banks_app, name="banks")
