"""Shared fixtures: every test runs with its own config, cache and bank directories, and
with no colour variables from the developer's shell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from empathy_cli.banks.loader import load_banks
from empathy_cli.models import Banks

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("EMPATHY_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EMPATHY_CACHE_DIR", str(tmp_path / "cache"))
    for var in (
        "EMPATHY_BANKS",
        "EMPATHY_AGENT",
        "EMPATHY_COMPANY",
        "EMPATHY_LANG",
        "NO_COLOR",
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
        "COLUMNS",
        "LINES",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    yield


_BANKS: dict[str, Banks] = {}


@pytest.fixture
def banks() -> Banks:
    """The built-in banks, loaded once per test session (no user layers)."""
    if "builtin" not in _BANKS:
        _BANKS["builtin"] = load_banks(user=False, env=False, cache=False)
    return _BANKS["builtin"]
