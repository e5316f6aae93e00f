"""The parsed-bank cache: used when it matches, rebuilt when it does not, never an error."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from empathy_cli.analysis import analyze
from empathy_cli.banks import cache
from empathy_cli.banks.loader import CACHE_FORMAT, discover, load_banks
from empathy_cli.composer import compose
from empathy_cli.models import Banks

ANGRY = "My order 48213 is three weeks late and nobody answers my emails. I'm furious!"
FRENCH = "Bonjour, on m'a prélevé deux fois pour la même commande, je suis vraiment agacée."

USER_BANK = """\
# a user's own phrase, for the cache tests
kind: phrases
language: en
phrases:
  - id: my-own-greeting
    step: greeting
    text: "{text}"
"""


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("banks-*"))


def current_key() -> bytes:
    sources = [(s.layer, s.path) for s in discover()]
    return cache.cache_key(sources, salt=str(CACHE_FORMAT))


def reply(banks: Banks, message: str) -> str:
    return compose(analyze(message, banks), banks).reply


def test_second_load_reads_the_cache_and_gives_the_same_replies(tmp_path: Path) -> None:
    fresh = load_banks()
    assert len(cache_files(tmp_path)) == 1
    cached = load_banks()
    assert cached is not fresh
    assert cached.phrases == fresh.phrases
    assert cached.cues == fresh.cues
    assert cached.rules == fresh.rules
    assert cached.files == fresh.files
    for message in (ANGRY, FRENCH):
        assert reply(cached, message) == reply(fresh, message)
        assert analyze(message, cached) == analyze(message, fresh)


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    load_banks(cache=False)
    assert cache_files(tmp_path) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",  # empty
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1],  # one byte short
        lambda data: data[:200] + bytes(b ^ 0xFF for b in data[200:260]) + data[260:],
        lambda data: data[:-5000] + bytes(b ^ 0x01 for b in data[-5000:-4990]) + data[-4990:],
        lambda data: (
            data[:-400_000] + bytes(b ^ 0x01 for b in data[-400_000:-399_990]) + data[-399_990:]
        ),
        lambda data: data[:-100] + b"\0" * 100,  # same length, zeroed tail
        lambda data: b"not a cache at all\n" * 50,
        lambda data: pickle.dumps(("an old format", Banks())),
    ],
    ids=[
        "empty",
        "truncated",
        "short",
        "flipped-header",
        "flipped-index",
        "flipped-mid",
        "zeroed",
        "garbage",
        "old-format",
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    key = current_key()
    expected = reply(load_banks(), ANGRY)
    path = cache.cache_file(key)
    assert cache.check(path, key)
    path.write_bytes(damage(path.read_bytes()))
    assert not cache.check(path, key)
    assert reply(load_banks(), ANGRY) == expected
    assert reply(load_banks(), ANGRY) == expected
    if current_key() != key:
        pytest.skip("a bank or package file changed while the test ran")
    # a whole cache file is back, for the next start
    assert cache.check(path, key)


def test_a_changed_bank_file_is_read_again(tmp_path: Path) -> None:
    user = tmp_path / "config" / "banks"
    user.mkdir(parents=True)
    bank = user / "mine.yaml"
    bank.write_text(USER_BANK.format(text="Hello there,"), encoding="utf-8")
    first = load_banks()
    assert any(p.text == "Hello there," for p in first.phrases)
    bank.write_text(USER_BANK.format(text="Good morning to you,"), encoding="utf-8")
    os.utime(bank, ns=(bank.stat().st_atime_ns, bank.stat().st_mtime_ns + 10_000_000))
    second = load_banks()
    assert any(p.text == "Good morning to you," for p in second.phrases)
    assert not any(p.text == "Hello there," for p in second.phrases)


def test_a_removed_bank_file_is_noticed(tmp_path: Path) -> None:
    user = tmp_path / "config" / "banks"
    user.mkdir(parents=True)
    bank = user / "mine.yaml"
    bank.write_text(USER_BANK.format(text="Hello there,"), encoding="utf-8")
    assert any(p.id == "my-own-greeting" for p in load_banks().phrases)
    bank.unlink()
    assert not any(p.id == "my-own-greeting" for p in load_banks().phrases)


def test_an_unwritable_cache_directory_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("EMPATHY_CACHE_DIR", str(blocker / "cache"))
    assert reply(load_banks(), ANGRY)


def test_banks_read_from_the_cache_can_be_pickled_for_worker_processes(tmp_path: Path) -> None:
    load_banks()
    cached = load_banks()
    copy = pickle.loads(pickle.dumps(cached))
    assert type(copy) is Banks
    assert copy.phrases == cached.phrases
    assert reply(copy, FRENCH) == reply(cached, FRENCH)


def test_every_index_is_in_the_cache(tmp_path: Path) -> None:
    fresh = load_banks()
    cached = load_banks()
    assert set(cached._indexes) == set(fresh._indexes)
    for key in fresh._indexes:
        assert type(cached._indexes[key]).__name__ == type(fresh._indexes[key]).__name__


def test_runs_writing_the_cache_at_once_all_succeed(tmp_path: Path) -> None:
    env = {**os.environ}
    script = (
        "import sys; from empathy_cli.cli import main; "
        f"sys.exit(main(['suggest', '--format', 'text', {ANGRY!r}]))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0]
    outputs = {out for out, _err in results}
    assert len(outputs) == 1
    assert all(err == b"" for _out, err in results)
    assert cache_files(tmp_path)
    # the file they left is whole and used by the next run
    again = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=False, timeout=120
    )
    assert again.returncode == 0
    assert again.stdout in outputs
    assert not list((tmp_path / "cache").glob(".banks-*.tmp"))
