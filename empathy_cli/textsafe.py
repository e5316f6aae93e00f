"""Make customer text safe to echo: strip terminal control sequences, escape Rich markup.

A customer's text is data. Before any of it reaches a terminal it goes through
`strip_controls`, and before it reaches Rich it also goes through `escape_markup` (or is
printed with `markup=False`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO, cast

from .lazy_re import lazy

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-character escapes, then any
# remaining C0/C1 control except tab and newline. Every part is linear: no nested repeats.
_CONTROL_RE = lazy(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks, clipboard
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # remaining controls (keeps \t and \n; \r is removed)
)


def strip_controls(text: str) -> str:
    """Remove terminal control sequences and control characters, keeping tabs and newlines.

    Carriage returns are dropped too (after `\\r\\n` has become `\\n`), so a `\\r` cannot
    overwrite what was printed before it on the line.
    """
    text = text.replace("\r\n", "\n")
    if text.isprintable():
        return text
    return _CONTROL_RE.sub("", text)


# the lookbehind starts a match only at the start of a run of backslashes: linear time
_MARKUP_OPEN_RE = lazy(r"(?<!\\)(\\*)\[")


def escape_markup(text: str) -> str:
    """Escape Rich markup (`[bold]`) so Rich prints the text as it is.

    Every `[` gets a backslash, and backslashes right before it are doubled so they stay
    literal; other backslashes mean nothing to Rich and are left alone.
    """
    return _MARKUP_OPEN_RE.sub(lambda m: m.group(1) * 2 + "\\[", text)


# French puts a space before `: ; ? !` and inside « »; Rich wraps lines at any space, a
# no-break one included, so a line could start with ":" or "»". For the terminal, that space
# becomes GLUE, a private-use character one cell wide that Rich does not break at, and
# `Unglued` writes it out as the no-break space it stands for.
GLUE = "\ue000"
_FRENCH_SPACE_RE = lazy(r"[ \u00a0\u202f](?=[:;?!»])|(?<=«)[ \u00a0\u202f]")


NBSP = "\u00a0"


def french_spaces(text: str, space: str = NBSP) -> str:
    """`text` with the space before `: ; ? !` and inside « » turned into `space`: a
    no-break space for plain text (`textwrap` never breaks at one), `GLUE` for Rich."""
    return _FRENCH_SPACE_RE.sub(space, text)


def glue_french_spaces(text: str) -> str:
    """`french_spaces` for text that Rich will wrap."""
    return _FRENCH_SPACE_RE.sub(GLUE, text)


class Unglued:
    """A text stream that writes `GLUE` as a no-break space; everything else goes to the
    stream `target()` returns at the time (so a test's captured `sys.stdout` is honoured)."""

    def __init__(self, target: Callable[[], TextIO]) -> None:
        self._target = target

    @classmethod
    def stream(cls, target: Callable[[], TextIO]) -> TextIO:
        """An `Unglued` typed as the text stream it stands in for."""
        return cast("TextIO", cls(target))

    def write(self, text: str) -> int:
        return self._target().write(text.replace(GLUE, NBSP))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding...
        return getattr(self._target(), name)
