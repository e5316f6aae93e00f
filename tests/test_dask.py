"""`empathy_cli.dask` for real, on Dask's local schedulers: a few thousand messages give the very
objects `empathy batch` writes, with the banks loaded once per worker process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip(
    "dask.bag", reason="dask is not installed: pip install 'empathy-cli[dask]' to run these"
)

import dask.bag as db

from empathy_cli import dask as edask
from empathy_cli.analysis import analyze
from empathy_cli.batch import run_batch
from empathy_cli.cli import main
from empathy_cli.models import Banks
from empathy_cli.render.json import analysis_dict

MESSAGES = 2400


def helpdesk_export(banks: Banks, count: int = MESSAGES) -> list[str]:
    """JSON Lines as a helpdesk exports them, with every kind of line `batch` reads: records
    with and without ids and options, plain text, blank lines and broken lines."""
    texts = [s.message for s in banks.scenarios]
    lines = []
    for i in range(count):
        text = f"{texts[i % len(texts)]} (ticket {48000 + i})".replace("\n", " ")
        form = i % 6
        if i % 97 == 0:
            lines.append("")
        elif i % 211 == 0:
            lines.append('{"text": "unfinished')
        elif form == 0:
            lines.append(text)
        elif form == 1:
            lines.append(json.dumps({"id": f"T{i}", "text": text}, ensure_ascii=False))
        elif form == 2:
            lines.append(json.dumps({"text": text, "tone": "formal"}, ensure_ascii=False))
        elif form == 3:
            record = {"id": i, "text": text, "name": "Alex", "slots": {"agent": "Sam"}}
            lines.append(json.dumps(record, ensure_ascii=False))
        elif form == 4:
            lines.append(json.dumps({"id": i, "text": text, "channel": "chat", "lang": "fr"}))
        else:
            lines.append(json.dumps({"id": i, "text": text, "tone": "loud"}))  # an error
    return lines


@pytest.fixture(scope="module")
def lines() -> list[str]:
    from empathy_cli.banks.loader import load_banks

    return helpdesk_export(load_banks(user=False, env=False, cache=False))


def test_a_bag_gives_exactly_what_batch_gives(banks: Banks, lines: list[str]) -> None:
    expected = list(run_batch(lines, banks))
    assert len(expected) == sum(1 for line in lines if line.strip()) > 2000
    assert any("error" in answer for answer in expected)
    bag = db.from_sequence(lines, npartitions=8)
    got = edask.suggest_bag(bag).compute(scheduler="processes", num_workers=2)
    assert got == expected


def test_batch_command_and_run_batch_agree(banks: Banks, lines: list[str], tmp_path: Path) -> None:
    """The comparison above uses `run_batch`; here it is tied to the command itself."""
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", "--file", str(source), "-o", str(out)]) == 0
    written = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    bag = db.from_sequence(lines[:150], npartitions=3)
    assert edask.suggest_bag(bag).compute(scheduler="sync") == written


def test_read_text_partitions_keep_line_numbers(banks: Banks, tmp_path: Path) -> None:
    """A file read in blocks: records without an id are numbered as in the whole file."""
    lines = helpdesk_export(banks, 300)
    source = tmp_path / "tickets.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bag = db.read_text(str(source), blocksize=8_000)
    assert bag.npartitions > 3
    got = edask.suggest_bag(bag).compute(scheduler="threads")
    assert got == list(run_batch(lines, banks))


def test_banks_are_loaded_once_per_worker_process(lines: list[str]) -> None:
    bag = db.from_sequence(range(40), npartitions=20)
    seen = bag.map_partitions(lambda _part: [(os.getpid(), id(edask.worker_banks()))])
    pairs = seen.compute(scheduler="processes", num_workers=2)
    by_process: dict[int, set[int]] = {}
    for pid, banks_id in pairs:
        by_process.setdefault(pid, set()).add(banks_id)
    assert len(pairs) == 20
    assert all(len(ids) == 1 for ids in by_process.values())


def test_loaded_banks_can_be_sent_instead(banks: Banks, lines: list[str]) -> None:
    bag = db.from_sequence(lines[:200], npartitions=4)
    got = edask.suggest_bag(bag, banks=banks).compute(scheduler="processes", num_workers=2)
    assert got == list(run_batch(lines[:200], banks))


TEAM_CUES = """\
# A team's own cue: a word the built-in banks do not know.
kind: cues
language: en
cues:
  - id: team-flabbergasted
    emotion: angry
    words: [flabbergasted]
"""


def test_workers_read_the_team_banks_they_are_given(banks: Banks, tmp_path: Path) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(TEAM_CUES, encoding="utf-8")
    texts = db.from_sequence(["I am flabbergasted by this bill.", "Merci !"], npartitions=2)
    plain = edask.analyze_bag(texts).compute(scheduler="sync")
    with_team = edask.analyze_bag(texts, bank_paths=[team]).compute(scheduler="sync")
    assert plain[0]["emotions"] == []
    assert with_team[0]["emotions"][0]["name"] == "angry"
    assert with_team[0]["emotions"][0]["cues"][0]["text"] == "flabbergasted"


def test_analyze_bag_gives_the_analyze_objects(banks: Banks, lines: list[str]) -> None:
    texts = [line for line in lines[:120] if line and not line.startswith("{")]
    got = edask.analyze_bag(db.from_sequence(texts, npartitions=3)).compute(scheduler="sync")
    assert got == [analysis_dict(analyze(t, banks)) for t in texts]


def test_unnumbered_bags_keep_the_records_own_ids(banks: Banks) -> None:
    records = [{"id": f"Z{i}", "text": "Where is my refund?"} for i in range(30)]
    bag = db.from_sequence(records, npartitions=3)
    got = edask.suggest_bag(bag, numbered=False).compute(scheduler="sync")
    assert [a["id"] for a in got] == [f"Z{i}" for i in range(30)]


def test_a_dataframe_gets_one_row_per_ticket(banks: Banks, lines: list[str]) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed (dataframes only)")
    dd = pytest.importorskip("dask.dataframe", reason="dask.dataframe needs pandas")
    texts = [line for line in lines[:90] if line and not line.startswith("{")]
    frame = pd.DataFrame(
        {"ticket": [f"T{i}" for i in range(len(texts))], "text": texts, "tone": "warm"}
    )
    out = edask.suggest_dataframe(dd.from_pandas(frame, npartitions=3), id_column="ticket")
    result = out.compute(scheduler="sync")
    assert list(result.columns) == list(edask.COLUMNS)
    assert result["id"].tolist() == frame["ticket"].tolist()
    expected = run_batch(
        (json.dumps({"id": f"T{i}", "text": t, "tone": "warm"}) for i, t in enumerate(texts)),
        banks,
    )
    assert [json.loads(j) for j in result["json"]] == list(expected)
