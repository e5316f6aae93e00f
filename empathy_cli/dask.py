"""Millions of messages on Dask: `analyze` and `suggest` mapped over the partitions of a Dask
bag (or of a Dask dataframe when pandas is installed), with the banks loaded once per worker
process.

    pip install 'empathy-cli[dask]'

    import dask.bag as db
    from empathy_cli.dask import suggest_bag

    lines = db.read_text("tickets.jsonl", blocksize="16MiB")  # the input of `empathy batch`
    suggest_bag(lines).map(json.dumps).to_textfiles("replies/*.jsonl")

Each output object is exactly what `empathy batch` writes for that line (the same code,
`empathy_cli.batch.run_batch`, answers each partition; line numbers stay those of the whole
input), so a run on a cluster can be checked against a run on one machine. Bags need only
`dask`; pandas is needed only for `suggest_dataframe`. Nothing here imports Dask until a
function is called.

Banks: by default each worker loads the built-in banks plus `bank_paths` (files or
directories that every worker can read), once per process, cached by those paths; it ignores
the worker's own user directory and `EMPATHY_BANKS` unless `user=True` / `env=True`, so that
every worker reads the same banks. Alternatively pass `banks=` (already loaded): it is sent
to each worker once, as one object of the task graph. See docs/scale.md (local cluster, a
real cluster, and the same pattern on Spark).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Banks

BankPaths = Sequence[str | os.PathLike[str]]

_BANKS: dict[tuple[tuple[str, ...], bool, bool], Banks] = {}
_LOCK = threading.Lock()


def worker_banks(bank_paths: BankPaths = (), *, user: bool = False, env: bool = False) -> Banks:
    """The banks of this process, loaded on first use and then reused.

    Args:
        bank_paths: extra bank files or directories (as `--bank`), applied last.
        user: also read this machine's user banks directory.
        env: also read the paths in this machine's `EMPATHY_BANKS`.

    Returns:
        The merged banks; the same object for the same arguments in the same process.
    """
    key = (tuple(os.fspath(p) for p in bank_paths), user, env)
    banks = _BANKS.get(key)
    if banks is None:
        with _LOCK:  # threads of one worker share one load
            banks = _BANKS.get(key)
            if banks is None:
                from .banks.loader import load_banks

                banks = _BANKS[key] = load_banks(key[0], user=user, env=env)
    return banks


def _line(item: str | Mapping[str, Any]) -> str:
    """A bag element as a line of `empathy batch` input (a string is one whole record, even
    a multi-line message; a trailing newline, as `read_text` keeps it, is ignored)."""
    if isinstance(item, str):
        return item
    return json.dumps(dict(item), ensure_ascii=False)


def suggest_partition(
    items: Iterable[str | Mapping[str, Any]],
    start: int = 1,
    *,
    banks: Banks | None = None,
    bank_paths: BankPaths = (),
    user: bool = False,
    env: bool = False,
    **options: Any,
) -> list[dict[str, Any]]:
    """Answer one partition as `empathy batch` answers lines `start`, `start + 1`...

    Args:
        items: input lines (a JSON object with `text`, or plain text) or record mappings.
        start: the line number of the first item in the whole input.
        banks: loaded banks; `None` uses `worker_banks(bank_paths, user=, env=)`.
        bank_paths, user, env: see `worker_banks`.
        **options: `lang`, `tone`, `channel`, `slots`, `default_lang` of `run_batch`.

    Returns:
        One object per non-blank item: the `suggest` JSON object plus `id`, or
        `{"id": ..., "error": "..."}`.
    """
    from .batch import run_batch

    if banks is None:
        banks = worker_banks(bank_paths, user=user, env=env)
    return list(run_batch((_line(i) for i in items), banks, start=start, **options))


def analyze_partition(
    texts: Iterable[str],
    *,
    banks: Banks | None = None,
    bank_paths: BankPaths = (),
    user: bool = False,
    env: bool = False,
    lang: str = "auto",
    default_lang: str = "en",
) -> list[dict[str, Any]]:
    """Read each text of one partition: the `empathy analyze --format json` object of each.

    Texts are cut to their first 100 000 characters, as `batch` cuts a record.
    """
    from .analysis import analyze
    from .batch import MAX_CHARS
    from .render.json import analysis_dict

    if banks is None:
        banks = worker_banks(bank_paths, user=user, env=env)
    return [
        analysis_dict(analyze(text[:MAX_CHARS], banks, lang=lang, default_lang=default_lang))
        for text in texts
    ]


def _count(items: Iterable[Any]) -> list[int]:
    return [sum(1 for _ in items)]


def _bank_options(banks: Banks | None, bank_paths: BankPaths, user: bool, env: bool) -> Any:
    if banks is None:
        return {"bank_paths": tuple(os.fspath(p) for p in bank_paths), "user": user, "env": env}
    from dask.delayed import delayed

    # one key in the graph: shipped to each worker once, not once per partition
    return {"banks": delayed(banks, traverse=False)}


def suggest_bag(
    lines: Any,
    *,
    banks: Banks | None = None,
    bank_paths: BankPaths = (),
    user: bool = False,
    env: bool = False,
    lang: str = "auto",
    tone: str | None = None,
    channel: str | None = None,
    slots: Mapping[str, str] | None = None,
    default_lang: str = "en",
    numbered: bool = True,
) -> Any:
    """Map `empathy batch` over a Dask bag of input lines (or record mappings).

    Args:
        lines: a `dask.bag.Bag` of strings (JSON Lines or plain text, as `batch` reads; e.g.
            `db.read_text(...)`) or of mappings with `text` and optional `id`, `lang`,
            `tone`, `channel`, `name`, `slots`.
        banks: loaded banks to send to the workers, or `None` to load them on each worker.
        bank_paths, user, env: what each worker loads when `banks` is `None`.
        lang, tone, channel, slots, default_lang: the run's defaults, as `batch`'s options.
        numbered: count the items of each partition first (one quick pass, computed now) so
            that a record without `id` gets its line number in the whole input, exactly as
            `batch` numbers it. With `False`, numbering restarts in each partition: use it
            only when every record has its own `id`.

    Returns:
        A lazy `dask.bag.Bag` of answer objects, in input order, one per non-blank item.
    """
    import dask.bag as db
    from dask.delayed import delayed

    from_delayed: Any = db.from_delayed  # untyped in dask
    options: dict[str, Any] = {
        "lang": lang,
        "tone": tone,
        "channel": channel,
        "slots": dict(slots or {}),
        "default_lang": default_lang,
    }
    options.update(_bank_options(banks, bank_paths, user, env))
    parts = lines.to_delayed()
    # one quick pass: the size of each partition (with the current default scheduler)
    counts: list[int] = lines.map_partitions(_count).compute() if numbered else [0] * len(parts)
    starts, position = [], 1
    for count in counts:
        starts.append(position)
        position += count if numbered else 0
    answers = [
        delayed(suggest_partition)(part, start, **options)
        for part, start in zip(parts, starts, strict=True)
    ]
    return from_delayed(answers)


def analyze_bag(
    texts: Any,
    *,
    banks: Banks | None = None,
    bank_paths: BankPaths = (),
    user: bool = False,
    env: bool = False,
    lang: str = "auto",
    default_lang: str = "en",
) -> Any:
    """Map `analyze` over a Dask bag of message texts.

    Returns:
        A lazy `dask.bag.Bag` of `empathy analyze --format json` objects, one per text.
    """
    options = {"lang": lang, "default_lang": default_lang}
    options.update(_bank_options(banks, bank_paths, user, env))
    return texts.map_partitions(analyze_partition, **options)


# --- dataframes (pandas) -----------------------------------------------------------------

COLUMNS = ("id", "language", "emotion", "situation", "tone", "reply", "error", "json")


def suggest_frame(
    frame: Any,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    banks: Banks | None = None,
    bank_paths: BankPaths = (),
    user: bool = False,
    env: bool = False,
    **options: Any,
) -> Any:
    """Answer one pandas DataFrame (a partition): one output row per input row.

    The optional columns `lang`, `tone`, `channel` and `name`, when present, act as a
    record's own keys in `batch`. Output columns: `COLUMNS`; `json` holds the whole answer
    (the `batch` object) as a JSON string, `error` is empty unless the row has a problem.
    """
    import pandas as pd

    if banks is None:
        banks = worker_banks(bank_paths, user=user, env=env)
    ids = frame[id_column] if id_column is not None else frame.index.to_series()
    records = []
    for position, (row_id, text) in enumerate(zip(ids, frame[text_column], strict=True)):
        # a missing text (None, NaN, pd.NA) is answered as `batch` answers a record without one
        record: dict[str, Any] = {
            "id": _plain(row_id),
            "text": text if isinstance(text, str) else None,
        }
        for key in ("lang", "tone", "channel", "name"):
            if key in frame.columns:
                value = frame[key].iloc[position]
                if isinstance(value, str):
                    record[key] = value
        records.append(record)
    answers = suggest_partition(records, banks=banks, **options)
    rows = []
    for answer in answers:
        analysis = answer.get("analysis") or {}
        emotions = analysis.get("emotions") or [{}]
        situations = analysis.get("situations") or [{}]
        rows.append(
            {
                "id": answer["id"],
                "language": answer.get("language", ""),
                "emotion": emotions[0].get("name", ""),
                "situation": situations[0].get("name", ""),
                "tone": answer.get("tone", ""),
                "reply": answer.get("reply", ""),
                "error": answer.get("error", ""),
                "json": json.dumps(answer, ensure_ascii=False),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS), index=frame.index[: len(rows)])


def _plain(value: Any) -> Any:
    """A JSON-friendly id: numpy scalars become Python numbers, anything else a string."""
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def suggest_dataframe(
    frame: Any,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    banks: Banks | None = None,
    bank_paths: BankPaths = (),
    user: bool = False,
    env: bool = False,
    **options: Any,
) -> Any:
    """Map `suggest_frame` over the partitions of a Dask dataframe (needs pandas).

    Returns:
        A lazy Dask dataframe with the columns of `COLUMNS`, one row per input row, ids
        from `id_column` (else the index).
    """
    import pandas as pd

    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    kwargs = dict(options, text_column=text_column, id_column=id_column)
    kwargs.update(_bank_options(banks, bank_paths, user, env))
    return frame.map_partitions(suggest_frame, meta=meta, **kwargs)
