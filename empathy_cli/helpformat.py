"""`--help` that stays readable in a narrow terminal.

Click formats help for at least 50 columns and puts each option's description in a column
beside it, so at 40 columns every line of the options table ran past the edge and the
terminal broke it in the middle of words. Here the width follows the terminal down to 20
columns, and below `NARROW` columns each description goes on the lines under its option.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from typer.core import TyperCommand

_BaseContext = TyperCommand.context_class
_BaseFormatter = _BaseContext.formatter_class

NARROW = 60  # columns: below this, an option's description goes under it
MIN_WIDTH = 20


class HelpFormatter(_BaseFormatter):  # type: ignore[misc, valid-type]
    """Click's formatter, with the terminal's own width and a stacked options list when it
    is narrow."""

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        if width is None:
            width = getattr(sys.modules[_BaseFormatter.__module__], "FORCED_WIDTH", None)
        if width is None:
            import shutil

            columns = shutil.get_terminal_size().columns
            width = max(min(columns, max_width or 80) - 2, MIN_WIDTH)
        super().__init__(indent_increment, width, max_width)

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        if self.width >= NARROW:
            super().write_dl(rows, col_max, col_spacing)
            return
        import textwrap

        indent = self.current_indent + 4
        for term, description in rows:
            self.write(f"{'':>{self.current_indent}}{term}\n")
            if description:
                for line in textwrap.wrap(description, max(self.width - indent, 10)):
                    self.write(f"{'':>{indent}}{line}\n")


class Context(_BaseContext):  # type: ignore[misc, valid-type]
    """Click's context, with the help formatter above."""

    formatter_class = HelpFormatter


def use_narrow_help(command: object) -> None:
    """Give `command` and every command under it the context above."""
    command.context_class = Context  # type: ignore[attr-defined]
    for sub in (getattr(command, "commands", None) or {}).values():
        use_narrow_help(sub)
