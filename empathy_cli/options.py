"""Options shared by several commands, spelled the same way everywhere, with their
allowed values checked by Typer (the error names them in one line)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import InputError


class Format(StrEnum):
    auto = "auto"
    rich = "rich"
    text = "text"
    markdown = "markdown"
    json = "json"


class Lang(StrEnum):
    auto = "auto"
    en = "en"
    fr = "fr"


class Tone(StrEnum):
    warm = "warm"
    neutral = "neutral"
    formal = "formal"


class Channel(StrEnum):
    email = "email"
    chat = "chat"
    phone = "phone"
    social = "social"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="Output: auto (rich on a terminal, text in a pipe), rich, text, markdown or json.",
        case_sensitive=False,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang", "-l", help="Language of the message: auto, en or fr.", case_sensitive=False
    ),
]
BankOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--bank",
        "-b",
        help="Extra bank file or directory, applied last (repeatable).",
        show_default=False,
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Do not read or write the parsed-bank cache.")
]
FileOption = Annotated[
    Path | None,
    typer.Option("--file", "-F", help="Read the text from this file.", show_default=False),
]


def resolve_format(fmt: Format, json_flag: bool = False) -> str:
    """`auto` becomes `rich` on a terminal and `text` otherwise."""
    if json_flag:
        return "json"
    if fmt is Format.auto:
        try:
            return "rich" if sys.stdout.isatty() else "text"
        except (AttributeError, ValueError):
            return "text"
    return fmt.value


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """Turn repeated `--set key=value` into a dict.

    Raises:
        InputError: an item without `=` or with a key that is not a lower-case word.
    """
    import re

    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            raise InputError(
                f"Bad --set '{item}'. Write it as key=value with a lower-case key, "
                "e.g. --set order=48213."
            )
        out[key] = value
    return out


_GC_PAUSED: list[bool] = []


def pause_gc() -> None:
    """Pause the cyclic garbage collector until `load` has the banks (the console script's
    start-up: imports and the cached banks make many objects and no garbage cycles)."""
    import gc

    if gc.isenabled() and not _GC_PAUSED:
        gc.disable()
        _GC_PAUSED.append(True)


def _resume_gc() -> None:
    if _GC_PAUSED:
        import gc

        _GC_PAUSED.clear()
        gc.freeze()  # what exists now lives as long as the run: later collections skip it
        gc.enable()


def load(bank: list[Path] | None, no_cache: bool):  # type: ignore[no-untyped-def]
    """Load the default bank layers plus `--bank` paths."""
    from .banks.loader import load_banks

    try:
        return load_banks(bank or (), cache=not no_cache)
    finally:
        _resume_gc()
