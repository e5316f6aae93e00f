"""Messages per second: `empathy batch` on one core beside `empathy_cli.dask` on Dask.

Builds a helpdesk export of N messages (JSON Lines, from the scenarios of the built-in
banks with ticket numbers added), then answers it with:

1. `run_batch` in this process (the core of `empathy batch`, one core);
2. `empathy batch --file in.jsonl -o out.jsonl` as a fresh process (end to end);
3. `suggest_bag` on Dask's local schedulers: processes (one worker per core) and threads;
4. `suggest_bag` on a `dask.distributed` LocalCluster, when `distributed` is installed.

Every Dask result is checked to be identical to `run_batch`'s before its time is printed.

    pip install 'empathy-cli[dask]' distributed   # distributed is optional
    python bench/dask_throughput.py               # 5000 messages
    python bench/dask_throughput.py -n 20000 --workers 8
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def export(count: int) -> list[str]:
    from empathy_cli.dask import worker_banks

    texts = [" ".join(s.message.split()) for s in worker_banks().scenarios]
    lines = []
    for i in range(count):
        record: dict[str, Any] = {"id": f"T{i}", "text": f"{texts[i % len(texts)]} #{48000 + i}"}
        if i % 3 == 0:
            record["tone"] = "formal"
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--messages", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--partitions", type=int, default=0, help="default: 4 per worker")
    options = parser.parse_args()
    workers = options.workers
    partitions = options.partitions or 4 * workers

    import dask
    import dask.bag as db

    from empathy_cli.batch import run_batch
    from empathy_cli.dask import suggest_bag, worker_banks

    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "EMPATHY_CONFIG_DIR": str(Path(home) / "config"),
            "EMPATHY_CACHE_DIR": str(Path(home) / "cache"),
        }
        env.pop("EMPATHY_BANKS", None)
        os.environ.update({k: env[k] for k in ("EMPATHY_CONFIG_DIR", "EMPATHY_CACHE_DIR")})
        lines = export(options.messages)
        source = Path(home) / "tickets.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        banks = worker_banks(user=True, env=True)  # what `empathy batch` loads (empty here)

        rows: list[tuple[str, int, float]] = []
        seconds, expected = timed(lambda: list(run_batch(lines, banks)))
        rows.append(("run_batch (in process)", 1, seconds))

        out = Path(home) / "out.jsonl"
        command = [sys.executable, "-m", "empathy_cli", "batch"]
        seconds, _ = timed(
            lambda: subprocess.run(
                [*command, "--file", str(source), "-o", str(out)], env=env, check=True
            )
        )
        written = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert written == expected, "empathy batch and run_batch differ"
        rows.append(("empathy batch (process)", 1, seconds))

        def on_dask(scheduler: str, **kwargs: Any) -> float:
            bag = db.from_sequence(lines, npartitions=partitions)
            with dask.config.set(scheduler=scheduler, **kwargs):  # the counting pass too
                seconds, got = timed(lambda: suggest_bag(bag).compute())
            assert got == expected, f"Dask ({scheduler}) and batch differ"
            return seconds

        # the processes scheduler starts a new pool for each compute unless given one: the
        # first row pays for starting the workers and loading the banks in each of them
        rows.append(("dask bag, processes (new pool)", workers, on_dask("processes")))
        from concurrent.futures import ProcessPoolExecutor

        from dask.multiprocessing import get_context

        with ProcessPoolExecutor(workers, mp_context=get_context()) as pool:
            on_dask("processes", pool=pool)  # warm: banks loaded once per worker process
            rows.append(
                ("dask bag, processes (warm pool)", workers, on_dask("processes", pool=pool))
            )
        rows.append(("dask bag, threads", workers, on_dask("threads", num_workers=workers)))

        try:
            from distributed import Client, LocalCluster
        except ImportError:
            note = "distributed not installed: no LocalCluster row"
        else:
            note = ""
            with (
                LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                ) as cluster,
                Client(cluster) as client,
            ):
                client.run(lambda: os.environ.update(EMPATHY_CACHE_DIR=env["EMPATHY_CACHE_DIR"]))
                bag = db.from_sequence(lines, npartitions=partitions)
                suggest_bag(bag).compute()  # warm: banks loaded once per worker
                seconds, got = timed(lambda: suggest_bag(bag).compute())
                assert got == expected, "LocalCluster and batch differ"
                rows.append(("dask.distributed LocalCluster", workers, seconds))

    base = options.messages / rows[0][2]
    print(
        f"{options.messages} messages · {os.cpu_count()} CPUs · Python "
        f"{platform.python_version()} · dask {dask.__version__} · {partitions} partitions\n"
    )
    print(f"{'engine':<32} {'workers':>7} {'seconds':>8} {'msg/s':>8} {'vs run_batch':>12}")
    for name, count, seconds in rows:
        rate = options.messages / seconds
        print(f"{name:<32} {count:7d} {seconds:8.2f} {rate:8.0f} {rate / base:11.2f}x")
    print("\nEvery Dask result above is identical to run_batch's (checked before timing).")
    if note:
        print(note)


if __name__ == "__main__":
    main()
