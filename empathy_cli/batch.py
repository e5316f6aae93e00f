"""Many messages at once: JSON Lines in, one `suggest` object per record out.

`run_batch` is a generator: it reads one line, answers it, and only then reads the next, so
memory does not grow with the input and the caller can write each answer as soon as it is
ready. A record that cannot be answered (bad JSON, no `text`, a bad `tone`...) gets
`{"id": ..., "error": "..."}` and the run goes on.

Input lines (blank lines are skipped, but still counted for line numbers):

- a JSON object with a string `text`: a record, with optional `id` (any JSON scalar; the
  1-based line number when absent), `lang` (`auto`, `en`, `fr`), `tone`, `channel`, `name`
  and `slots` (an object of `key: "value"`). A record's own keys win over the run's options.
- any other line: plain text, with id = its 1-based line number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from .errors import EmpathyError
from .models import CHANNELS, LANGUAGES, TONES

if TYPE_CHECKING:
    from .models import Banks

MAX_CHARS = 100_000  # a record's text is cut here, as `suggest` cuts a message at 100 KB
_SLOT_KEY = re.compile(r"[a-z][a-z0-9_]*")
_LANGS = ("auto", *LANGUAGES)


class RecordError(EmpathyError):
    """One input line cannot be answered; the message goes in the output's `error`."""


class Record(NamedTuple):
    """One parsed input line, ready to analyse."""

    id: Any
    text: str
    lang: str
    tone: str | None
    channel: str | None
    slots: dict[str, str]


def _choice(
    record: Mapping[str, Any], key: str, allowed: tuple[str, ...], default: str | None
) -> str | None:
    value = record.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or value.lower() not in allowed:
        raise RecordError(f"'{key}' must be one of: {', '.join(allowed)}.")
    return value.lower()


def parse_line(
    line: str,
    number: int,
    *,
    lang: str = "auto",
    tone: str | None = None,
    channel: str | None = None,
    slots: Mapping[str, str] | None = None,
) -> Record:
    """Turn one non-blank input line into a `Record`.

    Raises:
        RecordError: the line looks like JSON but is not valid, has no string `text`, or has
            a bad `lang`, `tone`, `channel`, `name`, `slots` or `id`. Its `record_id` is the
            record's own id when it could be read.
    """
    stripped = line.strip()
    base_slots = dict(slots or {})
    if not stripped.startswith("{"):
        return Record(number, stripped[:MAX_CHARS], lang, tone, channel, base_slots)
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise _error(
            number,
            f"not valid JSON ({exc.msg} at column {exc.colno}). "
            "Write one JSON object a line, or plain text that does not start with '{'.",
        ) from None
    if not isinstance(data, dict):
        raise _error(number, "not valid JSON. Write one JSON object a line.")
    record_id = data.get("id", number)
    if isinstance(record_id, (dict, list)):
        raise _error(number, "'id' must be a string or a number.")
    try:
        text = data.get("text")
        if text is None:
            raise RecordError('no \'text\' key. Give the message as {"text": "..."}.')
        if not isinstance(text, str):
            raise RecordError("'text' must be a string.")
        if not text.strip():
            raise RecordError("'text' is empty. Give the customer's message.")
        record_lang = _choice(data, "lang", _LANGS, lang) or "auto"
        record_tone = _choice(data, "tone", TONES, tone)
        record_channel = _choice(data, "channel", CHANNELS, channel)
        name = data.get("name")
        if name is not None:
            if not isinstance(name, str):
                raise RecordError("'name' must be a string.")
            if name.strip():
                base_slots["name"] = name.strip()
        extra = data.get("slots")
        if extra is not None:
            if not isinstance(extra, dict):
                raise RecordError('\'slots\' must be an object of "key": "value" pairs.')
            for key, value in extra.items():
                if not _SLOT_KEY.fullmatch(key) or not isinstance(value, str):
                    raise RecordError(
                        f"bad slot '{key}'. Slots are lower-case keys with string values."
                    )
                base_slots[key] = value
    except RecordError as exc:
        raise _error(record_id, str(exc)) from None
    return Record(record_id, text[:MAX_CHARS], record_lang, record_tone, record_channel, base_slots)


def _error(record_id: Any, message: str) -> RecordError:
    error = RecordError(message)
    error.record_id = record_id  # type: ignore[attr-defined]
    return error


def run_batch(
    lines: Iterable[str],
    banks: Banks,
    *,
    lang: str = "auto",
    tone: str | None = None,
    channel: str | None = None,
    slots: Mapping[str, str] | None = None,
    default_lang: str = "en",
    start: int = 1,
) -> Iterator[dict[str, Any]]:
    """Answer each non-blank line, in input order, one object per line.

    Args:
        lines: the input, one message or JSON record a line (line endings are ignored).
        banks: loaded banks, used for every line.
        lang, tone, channel: the run's defaults; a record's own keys win.
        slots: slot values for every record (`agent`, `company`...); a record's win.
        default_lang: the language assumed when a text gives no clue.
        start: the line number of the first line (for a slice of a longer input, as
            `empathy_cli.dask` hands each partition).

    Yields:
        `{"id": ..., **suggest object}` or `{"id": ..., "error": "..."}`.
    """
    from .analysis import analyze
    from .composer import compose
    from .render.json import reply_dict

    for number, line in enumerate(lines, start=start):
        if not line.strip():
            continue
        try:
            record = parse_line(line, number, lang=lang, tone=tone, channel=channel, slots=slots)
            reading = analyze(record.text, banks, lang=record.lang, default_lang=default_lang)
            reply = compose(
                reading, banks, tone=record.tone, channel=record.channel, slots=record.slots
            )
        except EmpathyError as exc:
            yield {"id": getattr(exc, "record_id", number), "error": str(exc)}
            continue
        yield {"id": record.id, **reply_dict(reply)}


def decode_lines(
    stream: IO[bytes], on_warning: Callable[[str], None] | None = None
) -> Iterator[str]:
    """Decode a binary stream line by line: UTF-8 (a BOM is dropped), else cp1252.

    The first line that is not UTF-8 triggers one call to `on_warning`.
    """
    warned = False
    first = True
    for raw in stream:
        if first:
            first = False
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            if not warned and on_warning is not None:
                on_warning(
                    "some lines are not UTF-8; read them as Windows-1252 (cp1252). "
                    "Check accents in the output."
                )
            warned = True
            line = raw.decode("cp1252", errors="replace")
        yield line.rstrip("\r\n")


# --- several worker processes (`empathy batch --jobs N`) ------------------------------------

CHUNK_LINES = 64  # input lines sent to a worker at once
WINDOW_PER_JOB = 4  # chunks in flight per worker: read-ahead and memory stay bounded

_WORKER: dict[str, Any] = {}


def _start_worker(load: Callable[[], Banks], banks: Banks | None, options: dict[str, Any]) -> None:
    """Process initializer: ignore Ctrl-C (the parent stops the pool) and get the banks once:
    inherited when the process was forked from one that had them, else loaded."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["banks"] = banks if banks is not None else load()
    _WORKER["options"] = options


def _answer_chunk(chunk: tuple[int, list[str]]) -> list[tuple[str, bool]]:
    """Answer consecutive input lines in a worker: `(JSON line, is an error)` each."""
    from .render.json import dumps

    start, lines = chunk
    return [
        (dumps(obj, pretty=False), "error" in obj)
        for obj in run_batch(lines, _WORKER["banks"], start=start, **_WORKER["options"])
    ]


AUTO_MAX_JOBS = 8  # beyond this, writing the answers in order is what limits
AUTO_MIN_BYTES = 64 * 1024  # about 1,000 short messages: less is answered before workers start


def parse_jobs(value: str) -> int | None:
    """`--jobs`: a number of worker processes (1 or more), or None for `auto`.

    Raises:
        InputError: anything else (exit code 2).
    """
    from .errors import InputError

    text = value.strip().lower()
    if text == "auto":
        return None
    if text.isascii() and text.isdigit() and int(text) >= 1:
        return int(text)
    raise InputError(f"--jobs takes a number of processes (1 or more) or 'auto', not '{value}'.")


def auto_jobs(source: IO[bytes], cpus: int | None = None) -> int:
    """How many workers `--jobs auto` starts for this input: one per CPU this process may use
    (at most `AUTO_MAX_JOBS`) for a regular file of `AUTO_MIN_BYTES` or more, else 1.

    A pipe or a terminal gets one process, so that each answer still comes out as soon as its
    line comes in (workers take lines in chunks); so does a small file, answered before
    workers would have started."""
    import os
    import stat

    try:
        info = os.fstat(source.fileno())
        position = source.tell() if source.seekable() else 0
    except (OSError, ValueError, AttributeError):
        return 1
    if not stat.S_ISREG(info.st_mode) or info.st_size - position < AUTO_MIN_BYTES:
        return 1
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, AUTO_MAX_JOBS))


def multiprocessing_context() -> Any:
    """The platform's default way to start processes (fork on Linux, spawn elsewhere)."""
    import multiprocessing

    return multiprocessing.get_context()


def _chunks(lines: Iterable[str], start: int, size: int) -> Iterator[tuple[int, list[str]]]:
    chunk: list[str] = []
    first = start
    for number, line in enumerate(lines, start=start):
        if not chunk:
            first = number
        chunk.append(line)
        if len(chunk) >= size:
            yield first, chunk
            chunk = []
    if chunk:
        yield first, chunk


def run_batch_jobs(
    lines: Iterable[str],
    banks: Banks,
    load: Callable[[], Banks],
    *,
    jobs: int,
    lang: str = "auto",
    tone: str | None = None,
    channel: str | None = None,
    slots: Mapping[str, str] | None = None,
    default_lang: str = "en",
    start: int = 1,
    chunk_lines: int = CHUNK_LINES,
) -> Iterator[tuple[str, bool]]:
    """`run_batch` in `jobs` worker processes, each answer already serialised as one compact
    JSON line: yields `(line, is an error)` in input order, as soon as each is ready.

    Input is read a few chunks ahead of the output (at most `WINDOW_PER_JOB` chunks of
    `chunk_lines` lines per worker), so memory does not grow with the input. Each worker gets
    the banks once: a forked worker inherits `banks`, a spawned one calls `load` (a
    module-level function or `functools.partial`, so that it can be sent to it).
    """
    from collections import deque

    options = {
        "lang": lang,
        "tone": tone,
        "channel": channel,
        "slots": dict(slots or {}),
        "default_lang": default_lang,
    }
    context = multiprocessing_context()
    inherited = banks if context.get_start_method() == "fork" else None
    window = max(1, jobs) * WINDOW_PER_JOB
    with context.Pool(jobs, initializer=_start_worker, initargs=(load, inherited, options)) as pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(lines, start, chunk_lines):
            pending.append(pool.apply_async(_answer_chunk, (chunk,)))
            if len(pending) >= window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
