"""Regenerate the `--help` blocks of README.md from the commands themselves.

The README shows each command's help between two markers:

    <!-- help:check -->
    ```text
    Usage: empathy check [OPTIONS] [DRAFT]
    ...
    ```
    <!-- /help:check -->

This script replaces what is between each pair with the current output of
`empathy <command> --help` at COLUMNS=100 (the command may have words: `help:banks init`),
so the README never drifts from the code; `tests/test_docs.py` fails when it has.

    python scripts/update_readme_help.py            # rewrite README.md in place
    python scripts/update_readme_help.py --check    # exit 1 and name the stale blocks
    python scripts/update_readme_help.py --list     # the commands the app registers
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COLUMNS = 100
MARKERS = re.compile(
    r"(?P<open><!-- help:(?P<command>[a-z][a-z -]*?) -->\n)(?P<body>.*?)"
    r"(?P<close><!-- /help:(?P=command) -->)",
    re.DOTALL,
)
FENCE = re.compile(r"\A```[a-z]*\n(?P<text>.*?)\n?```\n?\Z", re.DOTALL)


def help_text(command: str) -> str:
    """`empathy <command> --help` as a user sees it in a 100-column terminal."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(COLUMNS=str(COLUMNS), LINES="50", LANG="C.UTF-8", TERM="dumb")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from empathy_cli.cli import main; sys.exit(main(sys.argv[1:]))",
            *command.split(),
            "--help",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"`empathy {command} --help` failed: {done.stderr.strip()}")
    return "\n".join(line.rstrip() for line in done.stdout.strip("\n").splitlines())


def block_text(body: str) -> str:
    """The help text inside a block (without its code fence)."""
    fenced = FENCE.match(body)
    text = fenced.group("text") if fenced else body
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def blocks(readme: str) -> list[tuple[str, str]]:
    """(command, help text shown) for each marked block, in order."""
    return [(m.group("command"), block_text(m.group("body"))) for m in MARKERS.finditer(readme)]


def regenerate(readme: str) -> str:
    """The README with every marked block replaced by the current help."""

    def fresh(m: re.Match[str]) -> str:
        body = f"```text\n{help_text(m.group('command'))}\n```\n"
        return m.group("open") + body + m.group("close")

    return MARKERS.sub(fresh, readme)


def commands() -> list[str]:
    """The top-level commands registered in `empathy_cli.cli.app`."""
    import typer

    from empathy_cli.cli import app

    group = typer.main.get_command(app)
    ctx = group.make_context("empathy", ["--help"], resilient_parsing=True)
    return list(group.list_commands(ctx))  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("readme", nargs="?", type=Path, default=README)
    parser.add_argument("--check", action="store_true", help="report stale blocks, write nothing")
    parser.add_argument("--list", action="store_true", help="print the registered commands")
    options = parser.parse_args(argv)
    if options.list:
        print("\n".join(commands()))
        return 0
    readme = options.readme.read_text(encoding="utf-8")
    found = blocks(readme)
    if options.check:
        stale = [command for command, shown in found if shown != help_text(command)]
        for command in stale:
            print(f"{options.readme}: the help of `empathy {command}` is out of date")
        if stale:
            print("Run: python scripts/update_readme_help.py")
        return 1 if stale else 0
    updated = regenerate(readme)
    if updated != readme:
        from empathy_cli.fileio import atomic_write_text

        atomic_write_text(options.readme, updated, force=True)
    state = "updated" if updated != readme else "up to date"
    print(f"{options.readme}: {len(found)} help blocks, {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
