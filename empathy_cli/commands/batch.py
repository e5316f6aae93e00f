"""`empathy batch`: JSON Lines in, one `suggest` object per line out."""

import sys
from collections.abc import Generator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from empathy_cli.errors import InputError
from empathy_cli.options import (
    BankOption,
    Channel,
    Lang,
    LangOption,
    NoCacheOption,
    Tone,
    load,
)
from empathy_cli.output import PipeClosed, note, warn

if TYPE_CHECKING:
    from empathy_cli.models import Banks

PROGRESS_EVERY = 50


def batch_command(
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            "-F",
            metavar="PATH",
            help="Read JSON Lines from this file [default: stdin].",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file, atomically (default: stdout).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --output file.")
    ] = False,
    lang: LangOption = Lang.auto,
    tone: Annotated[
        Tone | None,
        typer.Option(
            "--tone",
            "-t",
            help="warm, neutral or formal for every line [default: follows each message].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    channel: Annotated[
        Channel | None,
        typer.Option(
            "--channel",
            "-c",
            help="email, chat, phone or social for every line [default: email].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        str,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N|auto",
            help=(
                "Worker processes; answers still come in input order. auto: one per CPU "
                "(at most 8) for an input file of 64 KB or more, else 1 [default: auto]."
            ),
            show_default=False,
        ),
    ] = "auto",
    bank: BankOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Draft replies for many messages: JSON Lines in, one suggest object per line out.

    Each input line is a JSON object {"id": ..., "text": ...} (optional keys: lang, tone,
    channel, name, slots) or plain text (its id is then its line number). Answers come in
    input order, one JSON object a line, as soon as each is ready; a bad line gets
    {"id": ..., "error": ...} and the run goes on. A summary goes to stderr.

    Examples:

      empathy batch < tickets.jsonl > replies.jsonl

      empathy batch --file tickets.jsonl --tone formal -o replies.jsonl

      empathy batch --jobs 1 < tickets.jsonl > replies.jsonl

      printf '%s\\n' "My parcel is late" "Je suis déçu" | empathy batch --channel chat
    """
    from empathy_cli.batch import auto_jobs, parse_jobs
    from empathy_cli.config import default_language, load_config

    workers = parse_jobs(jobs)  # before reading anything: a bad value is a usage error
    config = load_config()
    slots = {k: v for k, v in (("agent", config.agent), ("company", config.company)) if v}
    banks = load(bank, no_cache)
    source = _open_input(file)
    if workers is None:
        workers = auto_jobs(source)
    progress = _isatty(sys.stderr)
    answers = _answers(
        source,
        banks,
        jobs=workers,
        bank=bank,
        no_cache=no_cache,
        lang=lang.value,
        tone=tone.value if tone else config.tone,
        channel=channel.value if channel else config.channel,
        slots=slots,
        default_lang=default_language(config),
    )
    lines = errors = 0
    try:
        if output is None:
            sink: IO[bytes] = sys.stdout.buffer
            for line, failed in answers:
                lines += 1
                errors += failed
                _write(sink, line, flush=True)
                if progress and lines % PROGRESS_EVERY == 0:
                    _progress(lines, errors)
        else:
            from empathy_cli.fileio import atomic_writer

            with atomic_writer(output, force=force) as sink:
                for line, failed in answers:
                    lines += 1
                    errors += failed
                    _write(sink, line, flush=False)
                    if progress and lines % PROGRESS_EVERY == 0:
                        _progress(lines, errors)
    finally:
        answers.close()  # stops the worker processes, if any
        if file is not None:
            source.close()
    if progress:
        sys.stderr.write("\r\x1b[K")
    where = f" to {output}" if output is not None else ""
    note(
        f"batch: {lines} {'line' if lines == 1 else 'lines'} answered{where}, "
        f"{errors} {'error' if errors == 1 else 'errors'}."
    )


def _answers(
    source: IO[bytes],
    banks: "Banks",
    *,
    jobs: int,
    bank: list[Path] | None,
    no_cache: bool,
    **options: Any,
) -> Generator[tuple[str, bool], None, None]:
    """Each answer as one compact JSON line with whether it is an error, in input order."""
    from empathy_cli.batch import decode_lines, run_batch, run_batch_jobs

    lines = decode_lines(source, warn)
    if jobs <= 1:
        from empathy_cli.render.json import dumps

        for obj in run_batch(lines, banks, **options):
            yield dumps(obj, pretty=False), "error" in obj
        return
    from functools import partial

    from empathy_cli.banks.loader import load_banks

    load_again = partial(load_banks, tuple(bank or ()), cache=not no_cache)
    yield from run_batch_jobs(lines, banks, load_again, jobs=jobs, **options)


def _open_input(file: Path | None) -> IO[bytes]:
    if file is None:
        if _isatty(sys.stdin):
            raise InputError(
                "batch reads JSON Lines from stdin or --file. Pipe them in "
                "(empathy batch < tickets.jsonl) or use --file PATH."
            )
        return sys.stdin.buffer
    if not file.exists():
        raise InputError(f"No such file: {file}. Check the path.")
    if file.is_dir():
        raise InputError(f"{file} is a directory. Give a file.")
    try:
        return file.open("rb")
    except OSError as exc:
        raise InputError(f"Cannot read {file}: {exc.strerror or exc}.") from None


def _write(sink: IO[bytes], line: str, *, flush: bool) -> None:
    try:
        # a record may hold a lone surrogate ("\ud800" in its JSON): escape it back as
        # JSON does, so the output stays valid UTF-8 and the run goes on (issue #8)
        sink.write(line.encode("utf-8", "backslashreplace") + b"\n")
        if flush:
            sink.flush()
    except BrokenPipeError:
        raise PipeClosed() from None


def _progress(lines: int, errors: int) -> None:
    try:
        sys.stderr.write(f"\r{lines} lines, {errors} errors")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_command)
