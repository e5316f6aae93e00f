"""`empathy batch`: JSON Lines in, one suggest object per line out, in input order, with the
record's id; bad lines answered with an error while the run goes on; stdin or --file;
`-o` written atomically and never over a file without --force."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from empathy_cli.batch import decode_lines, parse_line, run_batch
from empathy_cli.cli import app, main
from empathy_cli.models import STEP_IDS, Banks

runner = CliRunner()

LATE_EN = "My parcel is three weeks late. This is ridiculous!"
SAD_FR = "Je suis vraiment déçu, la commande est arrivée cassée."
CALM_EN = "What time do you close on Saturdays?"


def jsonl(*objects: Any) -> str:
    return "".join(
        (o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objects
    )


def answers(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_every_record_is_answered_in_order_with_its_id() -> None:
    given = jsonl(
        {"id": "t-1", "text": LATE_EN},
        {"id": 42, "text": SAD_FR},
        {"id": "t-3", "text": CALM_EN},
    )
    result = runner.invoke(app, ["batch"], input=given)
    assert result.exit_code == 0, result.output
    out = answers(result.stdout)
    assert [o["id"] for o in out] == ["t-1", 42, "t-3"]
    assert [o["language"] for o in out] == ["en", "fr", "en"]
    for o in out:
        assert o["schema_version"] == 1
        assert [s["id"] for s in o["steps"]] == list(STEP_IDS)
        assert o["reply"]
    assert out[0]["analysis"]["situations"][0]["name"] == "late_delivery"
    assert out[1]["analysis"]["emotions"][0]["name"] == "disappointed"
    assert out[2]["analysis"]["emotions"] == []
    assert "batch: 3 lines answered, 0 errors." in result.stderr


def test_plain_text_lines_get_their_line_number_and_blank_lines_are_skipped() -> None:
    result = runner.invoke(app, ["batch"], input=f"{LATE_EN}\n\n   \n{SAD_FR}\r\n")
    assert result.exit_code == 0
    out = answers(result.stdout)
    assert [o["id"] for o in out] == [1, 4]
    assert out[1]["language"] == "fr"
    # the id of a plain line is its line number, counting blank lines
    assert "2 lines answered" in result.stderr


@pytest.mark.parametrize(
    ("line", "expected_id", "message"),
    [
        ('{"id": "x", "text": "broken', 1, "not valid JSON"),
        ('{"id": "x"}', "x", "no 'text' key"),
        ('{"id": "x", "text": 12}', "x", "'text' must be a string"),
        ('{"id": "x", "text": "   "}', "x", "'text' is empty"),
        ('{"id": "x", "text": "late again", "tone": "loud"}', "x", "'tone' must be one of"),
        ('{"id": "x", "text": "late again", "channel": "fax"}', "x", "'channel' must be one of"),
        ('{"id": "x", "text": "late again", "lang": "de"}', "x", "'lang' must be one of"),
        ('{"id": "x", "text": "late again", "slots": {"Order": "1"}}', "x", "bad slot 'Order'"),
        ('{"id": "x", "text": "late again", "slots": ["1"]}', "x", "'slots' must be an object"),
        ('{"id": "x", "text": "late again", "name": 3}', "x", "'name' must be a string"),
        ('{"id": ["x"], "text": "late again"}', 1, "'id' must be a string or a number"),
    ],
)
def test_a_bad_line_gets_an_error_and_the_run_goes_on(
    line: str, expected_id: Any, message: str
) -> None:
    given = line + "\n" + jsonl({"id": "next", "text": LATE_EN})
    result = runner.invoke(app, ["batch"], input=given)
    assert result.exit_code == 0
    bad, good = answers(result.stdout)
    assert bad["id"] == expected_id
    assert message in bad["error"]
    assert set(bad) == {"id", "error"}
    assert good["id"] == "next" and "reply" in good
    assert "2 lines answered, 1 error." in result.stderr


def test_plain_text_that_only_looks_like_a_list_is_a_message(banks: Banks) -> None:
    # only a line starting with "{" is read as JSON
    (out,) = run_batch(["[urgent] my card was declined twice"], banks)
    assert out["id"] == 1
    assert "error" not in out


def test_options_apply_to_every_line_and_a_record_s_own_keys_win() -> None:
    given = jsonl(
        {"id": 1, "text": LATE_EN},
        {"id": 2, "text": LATE_EN, "tone": "warm", "channel": "email"},
    )
    result = runner.invoke(app, ["batch", "--tone", "formal", "--channel", "chat"], input=given)
    first, second = answers(result.stdout)
    assert (first["tone"], first["channel"]) == ("formal", "chat")
    assert (second["tone"], second["channel"]) == ("warm", "email")


def test_lang_option_and_record_lang() -> None:
    given = jsonl({"id": 1, "text": "ok"}, {"id": 2, "text": "ok", "lang": "en"})
    result = runner.invoke(app, ["batch", "--lang", "fr"], input=given)
    first, second = answers(result.stdout)
    assert first["language"] == "fr"
    assert second["language"] == "en"


def test_name_and_slots_fill_the_reply() -> None:
    given = jsonl(
        {"id": 1, "text": LATE_EN, "name": "Priya", "slots": {"agent": "Sam", "order": "A-77123"}}
    )
    result = runner.invoke(app, ["batch"], input=given)
    (out,) = answers(result.stdout)
    values = {s["name"]: s["value"] for s in out["slots"]}
    assert values.get("agent") == "Sam"
    assert "Sam" in out["reply"]
    if "name" in values:
        assert values["name"] == "Priya"


def test_empty_input_answers_nothing_and_exits_0() -> None:
    result = runner.invoke(app, ["batch"], input="")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "batch: 0 lines answered, 0 errors." in result.stderr


def test_reads_a_file(tmp_path: Path) -> None:
    source = tmp_path / "tickets.jsonl"
    source.write_text(jsonl({"id": "f1", "text": SAD_FR}, CALM_EN), encoding="utf-8")
    result = runner.invoke(app, ["batch", "--file", str(source)])
    assert result.exit_code == 0
    assert [o["id"] for o in answers(result.stdout)] == ["f1", 2]


def test_a_missing_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["batch", "--file", str(tmp_path / "nope.jsonl")])
    _out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("Error: No such file:")


def test_output_file_is_written_and_not_replaced_without_force(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "replies.jsonl"
    given = jsonl({"id": 1, "text": LATE_EN}, {"id": 2, "text": SAD_FR})
    result = runner.invoke(app, ["batch", "-o", str(target)], input=given)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert [o["id"] for o in answers(target.read_text("utf-8"))] == [1, 2]
    assert f"to {target}" in result.stderr

    before = target.read_bytes()
    again = runner.invoke(app, ["batch", "-o", str(target)], input=jsonl({"id": 9, "text": "x"}))
    assert again.exit_code != 0
    assert "already exists" in str(again.exception)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["replies.jsonl"]  # no temporary left

    forced = runner.invoke(
        app, ["batch", "-o", str(target), "--force"], input=jsonl({"id": 9, "text": CALM_EN})
    )
    assert forced.exit_code == 0
    assert [o["id"] for o in answers(target.read_text("utf-8"))] == [9]


def test_output_refusal_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "replies.jsonl"
    target.write_text("keep me\n", encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(LATE_EN + "\n", encoding="utf-8")
    code = main(["batch", "--file", str(source), "-o", str(target)])
    _out, err = capsys.readouterr()
    assert code == 2
    assert "already exists. Use --force" in err
    assert target.read_text("utf-8") == "keep me\n"


def test_run_batch_is_a_lazy_generator(banks: Banks) -> None:
    """One answer is ready before the next line is read: memory does not grow with input."""
    read: list[int] = []

    def lines() -> Any:
        for i in range(1, 1000):
            read.append(i)
            yield f"message {i}: my order is late"

    results = run_batch(lines(), banks)
    first = next(results)
    assert first["id"] == 1
    assert read == [1]
    second = next(results)
    assert second["id"] == 2
    assert read == [1, 2]


def test_progress_is_not_written_when_stderr_is_not_a_terminal() -> None:
    given = "".join(f"order {i} is late\n" for i in range(120))
    result = runner.invoke(app, ["batch"], input=given)
    assert result.exit_code == 0
    assert "\r" not in result.stderr
    assert result.stderr.strip() == "batch: 120 lines answered, 0 errors."


def test_parse_line_defaults_and_plain_text() -> None:
    record = parse_line("  hello there  ", 5, tone="warm", slots={"agent": "Sam"})
    assert (record.id, record.text, record.tone, record.lang) == (5, "hello there", "warm", "auto")
    assert record.slots == {"agent": "Sam"}


def test_decode_lines_reads_cp1252_with_one_warning() -> None:
    import io

    warnings: list[str] = []
    stream = io.BytesIO(b"\xef\xbb\xbfcaf\xc3\xa9\r\nd\xe9\xe7u\nd\xe9j\xe0\n")
    assert list(decode_lines(stream, warnings.append)) == ["café", "déçu", "déjà"]
    assert len(warnings) == 1


MIXED = [
    LATE_EN,
    "",
    json.dumps({"id": "a", "text": SAD_FR, "tone": "formal"}, ensure_ascii=False),
    '{"text": 3}',
    "{not json",
    CALM_EN,
    json.dumps({"text": "Third email and still no refund!", "slots": {"agent": "Sam"}}),
] * 12


def test_jobs_give_the_same_output_in_the_same_order() -> None:
    given = "\n".join(MIXED) + "\n"
    one = runner.invoke(app, ["batch", "--channel", "chat"], input=given)
    two = runner.invoke(app, ["batch", "--channel", "chat", "--jobs", "2"], input=given)
    assert one.exit_code == two.exit_code == 0, two.output
    assert two.stdout == one.stdout
    assert len(answers(two.stdout)) == len(MIXED) - 12  # blank lines skipped
    assert two.stderr == one.stderr == "batch: 72 lines answered, 24 errors.\n"


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "", "²", "٣"])
def test_jobs_must_be_at_least_one_or_auto(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("hello\n", encoding="utf-8")
    assert main(["batch", "--file", str(source), "--jobs", value]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "--jobs takes a number of processes (1 or more) or 'auto'" in err


def test_auto_jobs_start_workers_only_for_a_big_enough_file(tmp_path: Path) -> None:
    import os

    from empathy_cli.batch import AUTO_MAX_JOBS, AUTO_MIN_BYTES, auto_jobs

    big = tmp_path / "big.jsonl"
    big.write_bytes(b"My parcel is late.\n" * (AUTO_MIN_BYTES // 10))
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"My parcel is late.\n" * 10)
    with big.open("rb") as fh:
        assert auto_jobs(fh, cpus=4) == 4
        assert auto_jobs(fh, cpus=64) == AUTO_MAX_JOBS
        assert auto_jobs(fh, cpus=1) == 1
        fh.seek(big.stat().st_size - 100)  # what is left to read is what counts
        assert auto_jobs(fh, cpus=4) == 1
    with small.open("rb") as fh:
        assert auto_jobs(fh, cpus=4) == 1
    read_end, write_end = os.pipe()  # a pipe streams: one process, answers as lines come
    with os.fdopen(read_end, "rb") as fh, os.fdopen(write_end, "wb"):
        assert auto_jobs(fh, cpus=4) == 1
    assert auto_jobs(io.BytesIO(b"x" * AUTO_MIN_BYTES * 2), cpus=4) == 1  # no file behind it


def test_a_big_file_gives_the_same_answers_with_auto_jobs_as_with_one(tmp_path: Path) -> None:
    from empathy_cli.batch import AUTO_MIN_BYTES

    source = tmp_path / "tickets.jsonl"
    lines = [
        json.dumps({"id": f"T{k}", "text": MIXED[k % len(MIXED)] or "Hello"}) for k in range(1200)
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert source.stat().st_size >= AUTO_MIN_BYTES
    one = runner.invoke(app, ["batch", "--file", str(source), "--jobs", "1"])
    auto = runner.invoke(app, ["batch", "--file", str(source)])
    assert one.exit_code == auto.exit_code == 0, auto.output
    assert auto.stdout == one.stdout
    assert [a["id"] for a in answers(auto.stdout)] == [f"T{k}" for k in range(1200)]


def test_spawned_workers_load_the_banks_and_keep_the_order(
    banks: Banks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where processes are spawned (macOS, Windows), each worker loads the banks itself."""
    import functools
    import multiprocessing

    import empathy_cli.batch
    from empathy_cli.banks.loader import load_banks
    from empathy_cli.batch import run_batch_jobs
    from empathy_cli.render.json import dumps

    spawn = multiprocessing.get_context("spawn")
    monkeypatch.setattr(empathy_cli.batch, "multiprocessing_context", lambda: spawn)
    load = functools.partial(load_banks, (), user=False, env=False)
    want = [(dumps(o, pretty=False), "error" in o) for o in run_batch(MIXED, banks, start=3)]
    got = list(run_batch_jobs(MIXED, banks, load, jobs=2, start=3, chunk_lines=5))
    assert got == want
