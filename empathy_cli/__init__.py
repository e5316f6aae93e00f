"""empathy-cli: a reply coach for customer-support agents, in English and French.

The Python API is what the `empathy` command itself calls. Five functions, typed (the
package ships `py.typed`), options after `*` by keyword, `banks=None` meaning the default
layers (built-in banks, the user's banks directory, `EMPATHY_BANKS`):

    from empathy_cli import load_banks, analyze, compose, search_phrases, check_draft

    banks = load_banks()                      # once; reuse it for every message
    reading = analyze("Third email and still no refund!", banks)
    reading.emotion, reading.situation        # ('frustrated', 'refund')
    reply = compose(reading, banks, tone="warm", slots={"agent": "Sam"})
    print(reply.reply)                        # greeting, the five steps, closing
    check_draft("Calm down, as I said...", banks, reply_to=reading).score
    search_phrases("sorry for the wait", banks, lang="en", limit=3)

Each function is pure given its banks (same input, same output; no printing, no exit);
errors are `empathy_cli.errors.EmpathyError` subclasses (`BankError` lists every problem of
every bank file with its line and column). The names are resolved lazily (PEP 562), so
`import empathy_cli` imports neither Typer, Rich, PyYAML nor RapidFuzz, and `empathy --help`
stays fast. For millions of messages, `empathy_cli.dask` maps `analyze`/`compose` over Dask
partitions with the banks loaded once per worker.

See docs/api.md for worked examples and docs/scale.md for Dask and Spark.
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
    "compose": ("empathy_cli.composer", "compose"),
    "search_phrases": ("empathy_cli.search", "search_phrases"),
    "check_draft": ("empathy_cli.lint", "check_draft"),
}

if TYPE_CHECKING:
    from .analysis import analyze
    from .banks.loader import load_banks
    from .composer import compose
    from .lint import check_draft
    from .search import search_phrases


def __getattr__(name: str) -> Any:
    """Import a public function on first use (PEP 562), then keep it in the module."""
    if name in _LAZY:
        import importlib

        module_name, attr = _LAZY[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'empathy_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, including the lazy ones (for `dir()` and tab completion)."""
    return sorted(set(globals()) | set(_LAZY))
