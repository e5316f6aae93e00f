"""No data loss: every file the tool writes is written atomically and never replaces a user's
file without --force; an interrupted write (exception, Ctrl-C, SIGKILL) leaves the old file
exactly as it was."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from empathy_cli.cli import main
from empathy_cli.errors import InputError
from empathy_cli.fileio import atomic_write_bytes, atomic_write_text, atomic_writer

ROOT = Path(__file__).resolve().parent.parent
OLD = "the user's own file\n"


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    target = tmp_path / "out.txt"
    target.write_text(OLD, encoding="utf-8")
    return target


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --- the writer itself ---------------------------------------------------------------------


def test_a_new_file_is_written_with_no_temporary_left(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    atomic_write_text(target, "héllo\n")
    assert target.read_text("utf-8") == "héllo\n"
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_never_replaced_without_force(existing: Path) -> None:
    with pytest.raises(InputError) as caught:
        atomic_write_text(existing, "new")
    assert str(caught.value) == (
        f"{existing} already exists. Use --force to replace it, or choose another path."
    )
    assert existing.read_text("utf-8") == OLD
    assert leftovers(existing.parent) == []


def test_force_replaces_it(existing: Path) -> None:
    atomic_write_text(existing, "new", force=True)
    assert existing.read_text("utf-8") == "new"


def test_an_exception_inside_the_block_leaves_the_old_file(existing: Path) -> None:
    with pytest.raises(RuntimeError), atomic_writer(existing, force=True) as fh:
        fh.write(b"half of the new con")
        raise RuntimeError("disk on fire")
    assert existing.read_text("utf-8") == OLD
    assert leftovers(existing.parent) == []


def test_ctrl_c_inside_the_block_leaves_the_old_file(existing: Path) -> None:
    with pytest.raises(KeyboardInterrupt), atomic_writer(existing, force=True) as fh:
        fh.write(b"half of the new con")
        raise KeyboardInterrupt
    assert existing.read_text("utf-8") == OLD
    assert leftovers(existing.parent) == []


KILLED_WRITER = """
import sys, time
from pathlib import Path
from empathy_cli.fileio import atomic_writer
with atomic_writer(Path(sys.argv[1]), force=True) as fh:
    fh.write(b"half of the new con")
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def test_a_process_killed_mid_write_leaves_the_old_file(existing: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(existing)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert existing.read_text("utf-8") == OLD
    # the half-written bytes are in a hidden temporary next to it, never under its name
    [tmp] = leftovers(existing.parent)
    assert tmp.startswith(".out.txt.")
    assert (existing.parent / tmp).read_bytes() == b"half of the new con"


def test_a_file_that_appears_during_the_write_is_not_clobbered(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(InputError), atomic_writer(target, force=False) as fh:
        fh.write(b"ours")
        target.write_text("someone else's", encoding="utf-8")  # e.g. another process
    assert target.read_text("utf-8") == "someone else's"
    assert leftovers(tmp_path) == []


def test_a_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "empathy.yml"
    real.parent.mkdir()
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "empathy.yml"
    link.symlink_to(real)
    atomic_write_text(link, "new", force=True)
    assert link.is_symlink()
    assert real.read_text("utf-8") == "new"


def test_a_replaced_file_keeps_its_permissions(existing: Path) -> None:
    existing.chmod(0o600)
    atomic_write_text(existing, "new", force=True)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "cache.bin", b"x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "cache.bin").stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing/out.txt", "does not exist. Create it first."),
        ("a-directory", "is a directory. Give a file name."),
    ],
)
def test_bad_targets_are_clean_errors(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(InputError) as caught:
        atomic_write_text(tmp_path / name, "x", force=True)
    assert message in str(caught.value)


def test_a_directory_we_may_not_write_to_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("empathy_cli.fileio._create_temp", refuse)
    with pytest.raises(InputError) as caught:
        atomic_write_text(tmp_path / "out.txt", "x")
    assert str(caught.value) == (
        f"Cannot write {tmp_path / 'out.txt'}: Permission denied. "
        "Check the path and its permissions."
    )


def test_a_full_disk_leaves_the_old_file(existing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError) as caught:
        atomic_write_text(existing, "new", force=True)
    assert "No space left on device" in str(caught.value)
    assert existing.read_text("utf-8") == OLD
    assert leftovers(existing.parent) == []


# --- every command that writes files ------------------------------------------------------


def test_every_file_the_package_writes_goes_through_fileio() -> None:
    """Static check: no `open(..., "w")`, `write_text` or `write_bytes` outside fileio.py
    (the clipboard's OSC 52 write to /dev/tty is not a file of the user's)."""
    allowed = {("clipboard.py", '"/dev/tty"')}
    writes = re.compile(r"\.write_(?:text|bytes)\(|\bopen\([^)]*[\"'][^\"']*[wax+][^\"']*[\"']")
    found = []
    for source in sorted((ROOT / "empathy_cli").rglob("*.py")):
        if source.name == "fileio.py":
            continue
        for number, line in enumerate(source.read_text("utf-8").splitlines(), start=1):
            if writes.search(line) and not any(
                source.name == name and mark in line for name, mark in allowed
            ):
                found.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_export_o_refuses_to_replace_without_force(
    existing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "csv", "--lang", "en", "-o", str(existing), "--no-cache"]) == 2
    assert "already exists. Use --force to replace it" in capsys.readouterr().err
    assert existing.read_text("utf-8") == OLD
    assert main(["export", "csv", "--lang", "en", "-o", str(existing), "--force"]) == 0
    assert existing.read_text("utf-8").startswith("id,step,language,title,text")
    assert leftovers(existing.parent) == []


def test_banks_init_refuses_to_replace_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["banks", "init", str(tmp_path), "--lang", "en"]) == 0
    starter = tmp_path / "my-phrases.yaml"
    starter.write_text("# my edits\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["banks", "init", str(tmp_path), "--lang", "en"]) == 2
    assert "already exists. Use --force" in capsys.readouterr().err
    assert starter.read_text("utf-8") == "# my edits\n"
    assert main(["banks", "init", str(tmp_path), "--lang", "en", "--force"]) == 0
    assert starter.read_text("utf-8").startswith("#")
    assert starter.read_text("utf-8") != "# my edits\n"


def test_batch_o_refuses_to_replace_without_force(
    existing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "Where is my refund?"}\n', encoding="utf-8")
    assert main(["batch", "--file", str(source), "-o", str(existing)]) == 2
    assert "already exists. Use --force" in capsys.readouterr().err
    assert existing.read_text("utf-8") == OLD
    assert main(["batch", "--file", str(source), "-o", str(existing), "--force"]) == 0
    assert json.loads(existing.read_text("utf-8"))["id"] == 1


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_an_interrupted_batch_o_leaves_the_old_file(
    existing: Path, tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    """`batch -o` waiting for more input when Ctrl-C (or SIGKILL) arrives."""
    env = {**os.environ, "EMPATHY_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "empathy_cli", "batch", "-o", str(existing), "--force"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdin is not None
    proc.stdin.write(b'{"id": 1, "text": "My parcel is three weeks late."}\n')
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not leftovers(existing.parent) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the run is writing its temporary file
    assert leftovers(existing.parent), "batch never started writing"
    proc.send_signal(sig)
    proc.wait(timeout=60)
    proc.stdin.close()
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.returncode == code, stderr
    assert existing.read_text("utf-8") == OLD
    if sig == signal.SIGINT:
        assert "Traceback" not in stderr
        assert leftovers(existing.parent) == []
