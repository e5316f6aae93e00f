"""How fast is `empathy batch`, and how much memory does it take, on many messages?

Builds distinct English and French messages by joining two texts of the public evaluation
sets (`../shared/eval/dev/`, so no per-text cache can help), runs the whole `empathy batch`
process on them, and runs VADER's `polarity_scores` in this process on the same texts, in
the same run, as a yardstick. Prints messages per second for both, their ratio, and the
peak RSS of the batch process; runs a smaller input too, to show memory stays flat as the
input grows.

    pip install -e '.[bench]'       # vaderSentiment, for the comparison
    python bench/batch.py           # 40,000 messages, and 10,000 for the memory check
    python bench/batch.py --messages 5000 --small 1000
    python bench/batch.py --jobs 4     # also `empathy batch --jobs 4`

Runs `empathy batch --jobs 1` (one process) on both sizes, then plain `empathy batch`, whose
`--jobs auto` starts one worker per CPU for an input file this big.

Goals (issue 7): ratio >= 1.0 (aim 2.0); peak RSS <= 80 MB (aim 40 MB), flat as input grows.
VADER only scores sentiment; `batch` reads language, emotions, situations and concern and
composes a five-step reply for each message, and writes it as JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DEV = ROOT.parent / "shared" / "eval" / "dev"
SEED = 20261125

RATIO_GOAL, RATIO_AIM = 1.0, 2.0
RSS_GOAL_MB, RSS_AIM_MB = 80.0, 40.0


def read_texts(directory: Path) -> tuple[list[str], list[str]]:
    """The English and French texts of the dev sets (texts only; labels are not used)."""
    english: list[str] = []
    french: list[str] = []
    with (directory / "goemotions.tsv").open(encoding="utf-8", newline="") as fh:
        english += [line.split("\t", 1)[0] for line in fh if "\t" in line]
    with (directory / "complaints_tweets.csv").open(encoding="utf-8", newline="") as fh:
        english += [row[1] for row in csv.reader(fh) if len(row) == 4]
    with (directory / "banking77.csv").open(encoding="utf-8", newline="") as fh:
        english += [row["text"] for row in csv.DictReader(fh)]
    with (directory / "xed_fr.tsv").open(encoding="utf-8", newline="") as fh:
        french += [line.rstrip("\n").rpartition("\t")[0] for line in fh if "\t" in line]
    clean = [" ".join(t.split()) for t in english], [" ".join(t.split()) for t in french]
    return [t for t in clean[0] if t], [t for t in clean[1] if t]


def build_messages(english: list[str], french: list[str], count: int) -> list[str]:
    """`count` distinct messages, half English and half French, each two texts joined."""
    rng = random.Random(SEED)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        pool = french if len(out) % 2 else english
        message = f"{rng.choice(pool)} {rng.choice(pool)}"
        if message not in seen:
            seen.add(message)
            out.append(message)
    return out


def ratio_verdict(ratio: float) -> str:
    """'goal >= 1.0 met' / 'NOT met', and whether the aim is reached too."""
    verdict = "met" if ratio >= RATIO_GOAL else "NOT met"
    return f"goal >= {RATIO_GOAL} {verdict}{' (and the aim)' if ratio >= RATIO_AIM else ''}"


def empathy_command() -> list[str]:
    script = Path(sys.executable).parent / "empathy"
    if script.is_file() and os.name != "nt":
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "empathy_cli"]


def run_batch(
    messages: Sequence[str], work: Path, env: dict[str, str], jobs: int | None = 1
) -> tuple[float, float, int, int]:
    """Run `empathy batch --jobs JOBS` (no --jobs when None: auto) on the messages;
    (seconds, peak RSS in MB, lines out, errors).

    With workers, the peak RSS is that of the largest process (the parent or a worker), not
    their sum."""
    source = work / f"in-{len(messages)}.jsonl"
    target = work / f"out-{len(messages)}.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for number, text in enumerate(messages, 1):
            fh.write(json.dumps({"id": number, "text": text}, ensure_ascii=False) + "\n")
    target.unlink(missing_ok=True)
    command = [*empathy_command(), "batch", "--file", str(source), "-o", str(target)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"empathy batch failed (exit {proc.returncode}):\n{err}")
    # ru_maxrss is in kilobytes on Linux, bytes on macOS
    rss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    lines = errors = 0
    with target.open(encoding="utf-8") as fh:
        for line in fh:
            lines += 1
            errors += '"error"' in line and "error" in json.loads(line)
    return elapsed, rss_mb, lines, errors


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_vader(messages: Sequence[str]) -> float | None:
    """Seconds VADER's `polarity_scores` takes on the messages, or None without VADER."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for message in messages:
        analyzer.polarity_scores(message)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=40_000, help="size of the main run")
    parser.add_argument("--small", type=int, default=10_000, help="size of the memory check")
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DEV, help="the dev texts")
    parser.add_argument(
        "--jobs", type=int, default=0, help="also time `empathy batch --jobs N` (N > 1)"
    )
    parser.add_argument(
        "--no-auto", action="store_true", help="skip the run with the default --jobs auto"
    )
    args = parser.parse_args(argv)

    if not (args.eval_dir / "goemotions.tsv").is_file():
        print(f"Skipped: the evaluation texts are not in {args.eval_dir}.")
        print("They are the public dev sets described in ../shared/eval/PROVENANCE.md.")
        return 0
    english, french = read_texts(args.eval_dir)
    messages = build_messages(english, french, args.messages)

    work = Path(tempfile.mkdtemp(prefix="empathy-bench-batch-"))
    env = dict(os.environ)
    for var in ("EMPATHY_BANKS", "EMPATHY_LANG", "EMPATHY_AGENT", "EMPATHY_COMPANY"):
        env.pop(var, None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode compiled
    env["EMPATHY_CONFIG_DIR"] = str(work / "config")
    env["EMPATHY_CACHE_DIR"] = str(work / "cache")
    # build the bank cache first, as on an agent's machine
    subprocess.run(
        [*empathy_command(), "suggest", "--format", "json", "warm-up"],
        env=env,
        capture_output=True,
        check=False,
    )

    print(f"date     {time.strftime('%Y-%m-%d')}")
    print(
        f"machine  {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"input    {len(messages)} distinct messages ({len(english)} English and "
        f"{len(french)} French texts, two joined per message, half of each language)"
    )
    print()
    try:
        small_time, small_rss, small_lines, _ = run_batch(messages[: args.small], work, env)
        big_time, big_rss, big_lines, big_errors = run_batch(messages, work, env)
        auto_run = None if args.no_auto else run_batch(messages, work, env, None)
        jobs_run = run_batch(messages, work, env, args.jobs) if args.jobs > 1 else None
        vader_time = run_vader(messages)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ours = big_lines / big_time
    print(
        f"--jobs 1      {big_lines} messages in {big_time:6.1f} s   "
        f"{ours:7.0f} messages/s   peak RSS {big_rss:5.1f} MB   ({big_errors} errors)"
    )
    print(
        f"--jobs 1      {small_lines} messages in {small_time:6.1f} s   "
        f"{small_lines / small_time:7.0f} messages/s   peak RSS {small_rss:5.1f} MB"
    )
    if auto_run is not None:
        auto_time, auto_rss, auto_lines, _ = auto_run
        print(
            f"--jobs auto   {auto_lines} messages in {auto_time:6.1f} s   "
            f"{auto_lines / auto_time:7.0f} messages/s   peak RSS {auto_rss:5.1f} MB "
            f"(the default: {_cpus()} CPUs, largest process)"
        )
    if jobs_run is not None:
        jobs_time, jobs_rss, jobs_lines, _ = jobs_run
        print(
            f"--jobs {args.jobs:<7}{jobs_lines} messages in {jobs_time:6.1f} s   "
            f"{jobs_lines / jobs_time:7.0f} messages/s   peak RSS {jobs_rss:5.1f} MB "
            f"(largest of {args.jobs + 1} processes)"
        )
    if vader_time is None:
        print("VADER         not installed (pip install -e '.[bench]'): no ratio")
        ratio = None
    else:
        theirs = len(messages) / vader_time
        ratio = ours / theirs
        print(
            f"VADER         {len(messages)} messages in {vader_time:6.1f} s   "
            f"{theirs:7.0f} messages/s   (polarity_scores, in-process)"
        )
    print()
    growth = big_rss - small_rss
    flat = growth <= max(5.0, 0.1 * small_rss)
    if ratio is not None:
        print(
            f"ratio, one process (empathy / VADER messages per second)  {ratio:.2f}   "
            f"{ratio_verdict(ratio)}"
        )
    if ratio is not None and auto_run is not None:
        auto_ratio = auto_run[2] / auto_run[0] / theirs
        print(
            f"ratio, default --jobs auto (VADER on one core)  {auto_ratio:.2f}   "
            f"{ratio_verdict(auto_ratio)}"
        )
    if ratio is not None and jobs_run is not None:
        jobs_ratio = jobs_run[2] / jobs_run[0] / theirs
        print(f"ratio with --jobs {args.jobs} (VADER on one core)  {jobs_ratio:.2f}")
    verdict = "met" if big_rss <= RSS_GOAL_MB else "NOT met"
    print(
        f"peak RSS  {big_rss:.1f} MB   goal <= {RSS_GOAL_MB:.0f} MB {verdict}"
        f"{' (and the aim)' if big_rss <= RSS_AIM_MB else ''}"
    )
    print(
        f"memory as input grows  {small_rss:.1f} MB at {small_lines}, {big_rss:.1f} MB at "
        f"{big_lines}: {'flat' if flat else 'GROWS'} ({growth:+.1f} MB)"
    )
    ok = (ratio is None or ratio >= RATIO_GOAL) and big_rss <= RSS_GOAL_MB and flat
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
