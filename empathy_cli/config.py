"""User defaults from `<config dir>/config.toml` and the environment.

Precedence: command-line options, then `EMPATHY_AGENT` / `EMPATHY_COMPANY` / `EMPATHY_LANG`,
then `config.toml`, then built-in defaults.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from . import paths
from .errors import InputError
from .models import CHANNELS, LANGUAGES, TONES

CONFIG_KEYS = ("agent", "company", "lang", "tone", "channel")
_ENV = {"agent": "EMPATHY_AGENT", "company": "EMPATHY_COMPANY", "lang": "EMPATHY_LANG"}
_ALLOWED = {"lang": ("auto", *LANGUAGES), "tone": TONES, "channel": CHANNELS}


class Config(NamedTuple):
    agent: str | None = None
    company: str | None = None
    lang: str | None = None
    tone: str | None = None
    channel: str | None = None


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    """Read config.toml (if any) and the environment.

    Raises:
        InputError: the file is not valid TOML, or holds an unknown key or a bad value.
    """
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    path = paths.config_dir(env) / "config.toml"
    if path.is_file():
        import tomllib

        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read {path}: {exc}. Fix or remove the file.") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: {exc}. Fix the file or remove it.") from None
        for key, value in data.items():
            if key not in CONFIG_KEYS:
                raise InputError(
                    f"{path}: unknown key '{key}'. Allowed keys: {', '.join(CONFIG_KEYS)}."
                )
            if not isinstance(value, str):
                raise InputError(f"{path}: '{key}' must be a string in quotes.")
            values[key] = value
    for key, var in _ENV.items():
        if env.get(var):
            values[key] = env[var]
    for key, allowed in _ALLOWED.items():
        if key in values and values[key] not in allowed:
            raise InputError(
                f"Bad {key} '{values[key]}' in the configuration; allowed: {', '.join(allowed)}."
            )
    return Config(**values)


def default_language(config: Config, environ: Mapping[str, str] | None = None) -> str:
    """Language when no message says it: config or EMPATHY_LANG, else LANG/LC_ALL, else en."""
    if config.lang in LANGUAGES:
        return config.lang
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"
