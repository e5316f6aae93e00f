"""How long does `empathy` take to start, against the floor of a Typer CLI?

Each case runs one cold `empathy ...` process and one `python -c "import typer"` process
alternately, with the same interpreter, and compares the medians. "Cold" means a new process
with the parsed-bank cache already built; the cache-miss case starts each run with an empty
EMPATHY_CACHE_DIR. Config and cache directories are temporary, so the user's own banks and
config play no part.

    python bench/startup.py             # 25 pairs per case after 3 warm-up pairs
    python bench/startup.py --pairs 40  # more pairs on a noisy machine

Goal (issue 7): `suggest` at most 1.5 times the Typer floor, aiming at 1.3. The script also
says which heavy modules (rich, yaml, rapidfuzz, pydantic) each case imports, so a change that
drags one into the start-up of `--format json` shows up here, and it prints the Typer version
(DESIGN.md explains why Typer stays below 0.29).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

MESSAGE_EN = (
    "Hello, my order 48213 was supposed to arrive two weeks ago and it is still not here. "
    "I have emailed you three times and nobody answers. I'm really fed up!"
)
MESSAGE_FR = "Bonjour, j'ai été prélevé deux fois pour la même commande et personne ne me répond."
DRAFT = "Hi, as I already said, you should have read the FAQ. There is nothing we can do."
HEAVY = ("rich", "yaml", "rapidfuzz", "pydantic")

GOAL = 1.5
AIM = 1.3


def empathy_command() -> list[str]:
    """The installed console script run by this interpreter, else `-m empathy_cli`."""
    script = Path(sys.executable).parent / ("empathy.exe" if os.name == "nt" else "empathy")
    if script.is_file() and os.name != "nt":
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "empathy_cli"]


def run_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        list(argv), env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    return elapsed, done.returncode, done.stderr.decode("utf-8", "replace")


def heavy_imports(argv: Sequence[str], env: dict[str, str]) -> list[str]:
    """The heavy top-level packages a run imports (from `python -X importtime`)."""
    cmd = [argv[0], "-X", "importtime", *argv[1:]]
    done = subprocess.run(
        cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False, text=True
    )
    found = set()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        name = line.rsplit("|", 1)[-1].strip().split(".")[0]
        if name in HEAVY:
            found.add(name)
    return sorted(found)


def measure(
    name: str,
    argv: Sequence[str],
    env: dict[str, str],
    pairs: int,
    warmup: int,
    fresh_cache: bool = False,
    ok_codes: tuple[int, ...] = (0,),
) -> dict[str, object] | None:
    floor = [sys.executable, "-c", "import typer"]
    ours: list[float] = []
    base: list[float] = []
    for i in range(warmup + pairs):
        run_env = dict(env)
        scratch = None
        if fresh_cache:
            scratch = tempfile.mkdtemp(prefix="empathy-bench-cache-")
            run_env["EMPATHY_CACHE_DIR"] = scratch
        # alternate which one goes first, so drift on the machine hits both alike
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for which in order:
            if which == 0:
                elapsed, code, err = run_once(argv, run_env)
                if code not in ok_codes:
                    print(f"  {name}: exit {code}, skipped: {err.strip().splitlines()[-1:]}")
                    return None
                if i >= warmup:
                    ours.append(elapsed)
            else:
                elapsed, _code, _err = run_once(floor, env)
                if i >= warmup:
                    base.append(elapsed)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    ours_ms = statistics.median(ours) * 1000
    base_ms = statistics.median(base) * 1000
    return {"name": name, "ours": ours_ms, "typer": base_ms, "ratio": ours_ms / base_ms}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=25, help="measured pairs per case")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured pairs first")
    args = parser.parse_args(argv)

    empathy = empathy_command()
    work = Path(tempfile.mkdtemp(prefix="empathy-bench-"))
    env = dict(os.environ)
    for var in ("EMPATHY_BANKS", "EMPATHY_LANG", "EMPATHY_AGENT", "EMPATHY_COMPANY"):
        env.pop(var, None)
    # an installed package has its bytecode compiled (pip does it); without it every start
    # would compile every module first, which is not what users run
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["EMPATHY_CONFIG_DIR"] = str(work / "config")
    env["EMPATHY_CACHE_DIR"] = str(work / "cache")

    version = subprocess.run(
        [sys.executable, "-c", "import typer, importlib.metadata as m; print(m.version('typer'))"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"date     {time.strftime('%Y-%m-%d')}")
    print(
        f"machine  {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"command  {' '.join(Path(a).name if i < 2 else a for i, a in enumerate(empathy))}")
    print(f"typer    {version} (pinned below 0.29: 0.29 imports pydantic on every run)")
    print(f"pairs    {args.pairs} after {args.warmup} warm-up pairs, medians of wall time")
    print()

    # check exits 1 when the draft has findings at or above --fail-on: a normal outcome
    cases: list[tuple[str, list[str], bool]] = [
        ("suggest --format json", [*empathy, "suggest", "--format", "json", MESSAGE_EN], False),
        (
            "suggest --format text (fr)",
            [*empathy, "suggest", "--format", "text", MESSAGE_FR],
            False,
        ),
        ("phrases <query>", [*empathy, "phrases", "--format", "json", "sorry for the wait"], False),
        (
            "check <draft>",
            [*empathy, "check", "--format", "json", "--fail-on", "error", DRAFT],
            False,
        ),
        ("--help", [*empathy, "--help"], False),
        ("suggest, cache miss", [*empathy, "suggest", "--format", "json", MESSAGE_EN], True),
    ]
    # build the cache once
    subprocess.run(cases[0][1], env=env, capture_output=True, check=False)

    rows = []
    for name, case_argv, fresh in cases:
        ok = (0, 1) if name.startswith("check") else (0,)
        row = measure(name, case_argv, env, args.pairs, args.warmup, fresh, ok)
        if row is None:
            continue
        run_env = dict(env)
        if fresh:
            run_env["EMPATHY_CACHE_DIR"] = str(work / "importtime-cache")
        row["heavy"] = heavy_imports(case_argv, run_env)
        rows.append(row)
        heavy = ", ".join(row["heavy"]) or "none"  # type: ignore[arg-type]
        print(
            f"{name:<28} {row['ours']:7.1f} ms   typer {row['typer']:6.1f} ms   "
            f"ratio {row['ratio']:.2f}   imports: {heavy}"
        )
    shutil.rmtree(work, ignore_errors=True)

    print()
    suggest = next((r for r in rows if r["name"] == "suggest --format json"), None)
    if suggest is None:
        print("suggest could not be measured.")
        return 1
    ratio = float(suggest["ratio"])  # type: ignore[arg-type]
    verdict = "met" if ratio <= GOAL else "NOT met"
    aim = " (and the 1.3 aim)" if ratio <= AIM else ""
    print(f"suggest --format json: ratio {ratio:.2f}, goal <= {GOAL} {verdict}{aim}")
    if "rich" in suggest["heavy"]:  # type: ignore[operator]
        print("warning: `suggest --format json` imports rich")
    if "pydantic" in suggest["heavy"]:  # type: ignore[operator]
        print("warning: pydantic is imported at start-up (Typer >= 0.29?)")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
