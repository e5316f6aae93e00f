"""Where empathy-cli finds its banks, configuration and cache.

Bank layers, later ones winning by (kind, language, id):

1. the banks shipped in the package (`empathy_cli.phrases`, from the top-level `phrases/`);
2. the user's banks directory, `<config dir>/banks` (a missing one is normal);
3. each directory or file in `EMPATHY_BANKS`, separated by `os.pathsep`;
4. each `--bank PATH` given on the command line.

The config dir is `EMPATHY_CONFIG_DIR`, else `$XDG_CONFIG_HOME/empathy` (what
`typer.get_app_dir("empathy")` gives on Linux; the platform's equivalent elsewhere).
The cache dir is `EMPATHY_CACHE_DIR`, else `$XDG_CACHE_HOME/empathy` (`~/.cache/empathy`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "empathy"
ENV_CONFIG_DIR = "EMPATHY_CONFIG_DIR"
ENV_CACHE_DIR = "EMPATHY_CACHE_DIR"
ENV_BANKS = "EMPATHY_BANKS"

# Environment variables that change what the tool does; `empathy banks list` shows them.
ENV_VARS = (
    ENV_CONFIG_DIR,
    ENV_CACHE_DIR,
    ENV_BANKS,
    "EMPATHY_AGENT",
    "EMPATHY_COMPANY",
    "EMPATHY_LANG",
    "NO_COLOR",
    "FORCE_COLOR",
)


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return the user's configuration directory (it may not exist)."""
    env = _env(environ)
    if env.get(ENV_CONFIG_DIR):
        return Path(env[ENV_CONFIG_DIR]).expanduser()
    if sys.platform.startswith("win"):
        base = env.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / APP_NAME


def user_banks_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return `<config dir>/banks`, the user's own bank layer."""
    return config_dir(environ) / "banks"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return the cache directory (it may not exist)."""
    env = _env(environ)
    if env.get(ENV_CACHE_DIR):
        return Path(env[ENV_CACHE_DIR]).expanduser()
    if sys.platform.startswith("win"):
        base = env.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_NAME / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / APP_NAME


def env_bank_paths(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Return the paths listed in `EMPATHY_BANKS`, in order, empty entries dropped."""
    raw = _env(environ).get(ENV_BANKS, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
