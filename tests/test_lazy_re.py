"""Module-level regular expressions compiled on first use, from the bank cache's programs when
it has them: the same matches as `re.compile`, whichever way they were built."""

from __future__ import annotations

import re
import subprocess
import sys

from empathy_cli import lazy_re

SAMPLES = [
    "Order #48213 is late!!! Where is it?",
    "Le 3 mars, Jean a écrit :\n> bonjour\nToujours rien.",
    "",
    "ÉCRIT écrit Ecrit",
]


def test_a_lazy_pattern_matches_like_the_compiled_one() -> None:
    pattern = r"(?P<word>[^\W\d_]+)|(?P<num>\d+)"
    lazy = lazy_re.LazyPattern(pattern, re.IGNORECASE)
    compiled = re.compile(pattern, re.IGNORECASE)
    for text in SAMPLES:
        spans = [m.span() for m in compiled.finditer(text)]
        assert [m.span() for m in lazy.finditer(text)] == spans
        assert lazy.findall(text) == compiled.findall(text)
        assert lazy.sub("_", text) == compiled.sub("_", text)
        assert lazy.sub(lambda m: m.group().upper(), text, 1) == compiled.sub(
            lambda m: m.group().upper(), text, 1
        )
        for method in ("search", "match", "fullmatch"):
            got = getattr(lazy, method)(text, 1)
            want = getattr(compiled, method)(text, 1)
            assert (got and got.groupdict()) == (want and want.groupdict())


def test_a_pattern_rebuilt_from_its_program_is_the_same() -> None:
    compiled = re.compile(r"^[ \t]*(?:On\b[^\n]{0,300}\bwrote:)(?P<rest>.*)$", re.I | re.M)
    program = lazy_re.program(compiled)
    assert program is not None
    rebuilt = lazy_re.from_program(*program)
    assert rebuilt.pattern == compiled.pattern
    assert rebuilt.flags == compiled.flags
    assert rebuilt.groupindex == compiled.groupindex
    text = "Hi\nOn Monday, Sam wrote: thanks\n> quoted"
    assert rebuilt.search(text).span() == compiled.search(text).span()  # type: ignore[union-attr]


def test_a_bad_program_falls_back_to_compiling() -> None:
    rebuilt = lazy_re.from_program("a+b", 0, [0, 1, 2], 0, {}, ())
    assert rebuilt.fullmatch("aaab")


def test_a_cached_start_compiles_none_of_the_package_patterns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The second start reads the patterns' programs from the bank cache and compiles none
    of them from their text; the reading is the same."""
    code = (
        "import re, sys\n"
        "from empathy_cli.banks.loader import load_banks\n"
        "from empathy_cli import lazy_re\n"
        "from empathy_cli.analysis import analyze\n"
        "banks = load_banks()\n"
        "calls = []\n"
        "original = re.compile\n"
        "re.compile = lambda *a, **k: calls.append(a) or original(*a, **k)\n"
        "reading = analyze('On Monday my order 48213 was late!! Thanks, Maria', banks)\n"
        "print(len(lazy_re._PROGRAMS) > 0, calls == [], reading.entities.order)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    # cache miss: compiled from their text while the cache was written (to store them)
    assert runs[0] == ["False", "True", "48213"]
    # cache hit: rebuilt from the programs, not one compiled from its text
    assert runs[1] == ["True", "True", "48213"]
