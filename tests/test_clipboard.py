"""--copy uses the system's clipboard tool, and never fails the command without one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from empathy_cli.clipboard import copy_text
from empathy_cli.cli import main


def _fake_tool(bin_dir: Path, name: str, sink: Path) -> None:
    script = bin_dir / name
    script.write_text(f"#!/bin/sh\nexec /bin/cat > '{sink}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_xclip_receives_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sink = tmp_path / "clip.txt"
    _fake_tool(tmp_path, "xclip", sink)
    assert copy_text("Bonjour Léa,\nmerci.", env={"DISPLAY": ":0", "PATH": str(tmp_path)})
    assert sink.read_text(encoding="utf-8") == "Bonjour Léa,\nmerci."
    assert "Copied to the clipboard (xclip)." in capsys.readouterr().err


def test_no_clipboard_is_a_warning_not_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not copy_text("hi", env={"PATH": str(tmp_path), "TERM": "dumb"})
    assert capsys.readouterr().err.startswith("Warning: no clipboard found")


def test_suggest_copy_puts_the_plain_reply_on_the_clipboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sink = tmp_path / "clip.txt"
    _fake_tool(tmp_path, "wl-copy", sink)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("PATH", str(tmp_path))
    code = main(["suggest", "--format", "text", "--copy", "My refund is three weeks late, I'm fed up."])
    out, err = capsys.readouterr()
    assert code == 0
    assert sink.read_text(encoding="utf-8") == out.rstrip("\n")
    assert "Copied to the clipboard (wl-copy)." in err
