"""How long do `analyze`, `suggest`, `check` and `batch` take on hostile input?

Issue #8: inputs of any size, including a 1.5 MB run of one character and 6 MB of mixed
text, answer within seconds or get a clear size error (exit 2). This script builds such
inputs, runs each command on each as a fresh process (the way a macro runs it, with a warm
bank cache), and prints wall time, exit code, output size and the first line of stderr. It
then times the Python API on the same inputs cut to 100 KB (what the commands read), so a
slow pattern or a quadratic loop in the core shows up by name.

    python bench/adversarial.py            # every case (about a minute)
    python bench/adversarial.py --quick    # 10x smaller inputs
    python bench/adversarial.py --api-full # also the API on the full sizes (slow: minutes)

There are no pass/fail thresholds here (tests never time anything); the tests in
tests/test_properties.py check that the same inputs give a result or a clean error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
LIMIT = 100_000  # what the commands read of a message (bytes; chars here are ASCII-ish)

MIXED_PARTS = (
    "Bonjour, ma commande 48213 n'est toujours pas arrivée !!! 😡 ",
    "I was charged TWICE and nobody answers my emails. Not happy at all.\r\n",
    "> On Mon, 3 Mar 2025, Support <help@example.com> wrote:\n> Thanks for your patience\n",
    "\x1b[31m[bold]{{name}}\x1b[0m e\u0301 \t 👨\u200d👩\u200d👧 ",
    "Pourquoi personne ne me répond ??? Je suis vraiment déçue.\n",
    "Calm down, as I said there is nothing we can do. ",
)


def mixed(size: int) -> str:
    unit = "".join(MIXED_PARTS)
    return (unit * (size // len(unit) + 1))[:size]


def inputs(scale: float) -> dict[str, str]:
    """The hostile messages, by name."""
    big, huge, small = int(1.5 * MB * scale), int(6 * MB * scale), int(LIMIT * scale)
    return {
        "1.5MB of 'a'": "a" * big,
        "1.5MB of spaces": " " * big,
        "1.5MB of newlines": "\n" * big,
        "1.5MB of '!' then x": "!" * big + "x",
        "1.5MB of emoji": "😡" * (big // 4),
        "6MB mixed": mixed(huge),
        # shapes that were quadratic before issue #8 (100 KB: what a command reads)
        "sign-off + spaces": "hello there\nthanks" + " " * small + "x" * 70,
        "order + spaces": "order" + " " * small + "x",
        "quoted thread": "> a\n" * (small // 4),
        "'not sad' repeated": "not sad " * (small // 8),
        "'sad.' sentences": "sad. " * (small // 5),
        "backslashes": "\\" * small,
        "'No.' lines": "No.\n" * (small // 4),
        # quadratic for a moment in this version's ultimatum cut ("..., or I'm calling ...")
        "'or im' then 3.5": "I'm furious, refund me or im x " * (small // 31) + "3.5 end",
        # the verdict cut ("..., this is unacceptable") tries each comma: bounded there
        "', this is really'": "I was charged, this is really really " * (small // 37),
    }


def run(args: list[str], env: dict[str, str], stdin: bytes | None = None) -> tuple:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "empathy_cli", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    seconds = time.perf_counter() - start
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    errors = [line for line in said if line.startswith("Error:")]
    shown = errors[-1] if errors else (said[-1] if said else "")
    return seconds, done.returncode, len(done.stdout), shown


def batch_input(text: str, record: int = 1000) -> bytes:
    """JSON Lines: the text in records of `record` characters, then the whole text as one
    enormous plain-text line (newlines replaced by spaces)."""
    lines = [
        json.dumps({"id": i, "text": text[j : j + record]}, ensure_ascii=False)
        for i, j in enumerate(range(0, len(text), record))
        if text[j : j + record].strip()
    ]
    lines.append(" ".join(text.split()) or "x")
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def commands(env: dict[str, str], scale: float) -> None:
    print(f"{'input':<22} {'command':<18} {'seconds':>8} {'exit':>5} {'stdout':>9}  stderr")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in inputs(scale).items():
            path = Path(tmp) / "message.txt"
            path.write_text(text, encoding="utf-8")
            for command in ("analyze", "suggest", "check"):
                seconds, code, out, err = run(
                    [command, "--file", str(path), "--format", "json"], env
                )
                print(f"{name:<22} {command:<18} {seconds:8.2f} {code:5d} {out:9d}  {err[:60]}")
            if name in ("1.5MB of 'a'", "1.5MB of emoji", "6MB mixed", "'No.' lines"):
                data = batch_input(text)
                seconds, code, out, err = run(["batch"], env, stdin=data)
                records = data.count(b"\n")
                label = f"batch ({records} lines)"
                print(f"{name:<22} {label:<18} {seconds:8.2f} {code:5d} {out:9d}  {err[:60]}")


def timed(timings: list[float], step: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = step()
    timings.append(time.perf_counter() - start)
    return result


def api(full: bool, scale: float) -> None:
    from empathy_cli import analyze, check_draft, compose, load_banks

    banks = load_banks(user=False, env=False)
    print()
    cut = "full size" if full else "first 100 KB (what the commands read)"
    print(f"Python API, {cut}: seconds")
    print(f"{'input':<22} {'chars':>9} {'analyze':>8} {'compose':>8} {'check':>8}")
    for name, text in inputs(scale).items():
        if not full:
            text = text.encode("utf-8")[:LIMIT].decode("utf-8", "ignore")
        timings: list[float] = []
        reading = timed(timings, lambda t=text: analyze(t, banks))
        timed(timings, lambda r=reading: compose(r, banks))  # type: ignore[misc]
        timed(timings, lambda t=text: check_draft(t, banks))
        print(f"{name:<22} {len(text):9d} " + " ".join(f"{s:8.2f}" for s in timings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="inputs 10 times smaller")
    parser.add_argument("--api-full", action="store_true", help="API on the full sizes too")
    parser.add_argument("--no-cli", action="store_true", help="only the Python API")
    options = parser.parse_args()
    scale = 0.1 if options.quick else 1.0
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "EMPATHY_CONFIG_DIR": str(Path(home) / "config"),
            "EMPATHY_CACHE_DIR": str(Path(home) / "cache"),
        }
        env.pop("EMPATHY_BANKS", None)
        os.environ.update({k: env[k] for k in ("EMPATHY_CONFIG_DIR", "EMPATHY_CACHE_DIR")})
        run(["analyze", "warm the bank cache", "--format", "json"], env)
        print(f"empathy-cli adversarial inputs · Python {sys.version.split()[0]}\n")
        if not options.no_cli:
            commands(env, scale)
        api(False, scale)
        if options.api_full:
            api(True, scale)


if __name__ == "__main__":
    main()
