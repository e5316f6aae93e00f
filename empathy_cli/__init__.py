"""empathy-cli: a reply coach for customer-support agents, in English and French.

The public API, imported lazily so that `empathy --help` stays fast:

    from empathy_cli import load_banks, analyze, compose, search_phrases, check_draft

See docs/api.md for examples.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "analyze",
    "check_draft",
    "compose",
    "load_banks",
    "search_phrases",
]

_LAZY = {
    "load_banks": ("empathy_cli.banks.loader", "load_banks"),
    "analyze": ("empathy_cli.analysis", "analyze"),
    "compose": ("empathy_cli.compose", "compose"),
    "search_phrases": ("empathy_cli.search", "search_phrases"),
    "check_draft": ("empathy_cli.lint", "check_draft"),
}

if TYPE_CHECKING:
    from .analysis import analyze
    from .banks.loader import load_banks
    from .compose import compose
    from .lint import check_draft
    from .search import search_phrases


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module_name, attr = _LAZY[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'empathy_cli' has no attribute {name!r}")
