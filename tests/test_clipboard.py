"""--copy uses the system's clipboard tool, falls back to OSC 52 on a terminal, and never
fails the command without one."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from empathy_cli import clipboard
from empathy_cli.cli import main
from empathy_cli.clipboard import copy_text

REPLY = "Bonjour Léa,\nmerci de votre patience. 😊"


def _tool(bin_dir: Path, name: str, sink: Path, *, exit_code: int = 0) -> None:
    """A fake clipboard tool that stores its stdin (and its arguments) in `sink`."""
    script = bin_dir / name
    script.write_text(
        f"#!/bin/sh\necho \"$@\" > '{sink}.args'\n/bin/cat > '{sink}'\nexit {exit_code}\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def no_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "_stderr_is_tty", lambda: False)


def test_xclip_receives_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sink = tmp_path / "clip.txt"
    _tool(tmp_path, "xclip", sink)
    assert copy_text(REPLY, env={"DISPLAY": ":0", "PATH": str(tmp_path)}, platform="linux")
    assert sink.read_text(encoding="utf-8") == REPLY
    assert (tmp_path / "clip.txt.args").read_text().split() == ["-selection", "clipboard", "-in"]
    assert capsys.readouterr().err == "Copied to the clipboard (xclip).\n"


def test_wayland_comes_before_x11(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tool(tmp_path, "wl-copy", tmp_path / "wl.txt")
    _tool(tmp_path, "xclip", tmp_path / "x.txt")
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "PATH": str(tmp_path)}
    assert copy_text(REPLY, env=env, platform="linux")
    assert (tmp_path / "wl.txt").read_text(encoding="utf-8") == REPLY
    assert not (tmp_path / "x.txt").exists()
    assert "(wl-copy)" in capsys.readouterr().err


def test_a_failing_tool_falls_through_to_the_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tool(tmp_path, "xclip", tmp_path / "x.txt", exit_code=1)  # e.g. no X server
    _tool(tmp_path, "xsel", tmp_path / "xsel.txt")
    assert copy_text(REPLY, env={"DISPLAY": ":0", "PATH": str(tmp_path)}, platform="linux")
    assert (tmp_path / "xsel.txt").read_text(encoding="utf-8") == REPLY
    err = capsys.readouterr().err
    assert err == "Copied to the clipboard (xsel).\n"


def test_pbcopy_on_macos(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tool(tmp_path, "pbcopy", tmp_path / "pb.txt")
    assert copy_text(REPLY, env={"PATH": str(tmp_path)}, platform="darwin")
    assert (tmp_path / "pb.txt").read_text(encoding="utf-8") == REPLY
    assert "(pbcopy)" in capsys.readouterr().err


def test_clip_exe_under_wsl_gets_utf16(tmp_path: Path) -> None:
    _tool(tmp_path, "clip.exe", tmp_path / "clip.txt")
    env = {"WSL_DISTRO_NAME": "Ubuntu", "PATH": str(tmp_path)}
    assert copy_text(REPLY, env=env, platform="linux")
    assert (tmp_path / "clip.txt").read_bytes().decode("utf-16-le") == REPLY


def test_no_clipboard_is_one_warning_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_tty: None
) -> None:
    assert not copy_text("hi", env={"PATH": str(tmp_path), "TERM": "xterm"}, platform="linux")
    err = capsys.readouterr().err
    assert err.startswith("Warning: no clipboard found (install wl-clipboard")
    assert err.count("\n") == 1


def test_over_ssh_without_a_terminal_the_hint_names_osc52(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_tty: None
) -> None:
    env = {"PATH": str(tmp_path), "SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22"}
    assert not copy_text("hi", env=env, platform="linux")
    assert "OSC 52" in capsys.readouterr().err


def test_osc52_goes_to_the_terminal_when_no_tool_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(clipboard, "_stderr_is_tty", lambda: True)
    tty = tmp_path / "tty"
    tty.touch()  # stands for the terminal device
    env = {"PATH": str(tmp_path), "SSH_TTY": "/dev/pts/3", "TERM": "xterm-256color"}
    assert copy_text(REPLY, env=env, platform="linux", tty=str(tty))
    written = tty.read_text(encoding="ascii")
    assert written.startswith("\x1b]52;c;") and written.endswith("\x07")
    assert base64.b64decode(written[7:-1]).decode("utf-8") == REPLY
    err = capsys.readouterr().err
    assert err.startswith("Sent to the terminal's clipboard (OSC 52)")
    assert err.count("\n") == 1


def test_osc52_is_not_sent_to_a_dumb_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(clipboard, "_stderr_is_tty", lambda: True)
    tty = tmp_path / "tty"
    tty.touch()
    assert not copy_text("hi", env={"PATH": str(tmp_path), "TERM": "dumb"}, tty=str(tty))
    assert tty.read_bytes() == b""
    assert capsys.readouterr().err.startswith("Warning: no clipboard found")


def test_text_that_cannot_be_encoded_is_still_copied(tmp_path: Path) -> None:
    # an argument with bytes that are not UTF-8 reaches Python as lone surrogates
    _tool(tmp_path, "xclip", tmp_path / "x.txt")
    assert copy_text("caf\udce9 late", env={"DISPLAY": ":0", "PATH": str(tmp_path)})
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "caf? late"


def test_suggest_copy_puts_the_plain_reply_on_the_clipboard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sink = tmp_path / "clip.txt"
    _tool(tmp_path, "wl-copy", sink)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("PATH", str(tmp_path))
    code = main(
        ["suggest", "--format", "text", "--copy", "My refund is three weeks late, I'm fed up."]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert sink.read_text(encoding="utf-8") == out.rstrip("\n")
    assert err == "Copied to the clipboard (wl-copy).\n"


def test_suggest_copy_without_a_clipboard_still_prints_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("WAYLAND_DISPLAY", "DISPLAY", "SSH_TTY", "SSH_CONNECTION", "WSL_DISTRO_NAME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    code = main(["suggest", "--format", "json", "--copy", "Où est ma commande ?"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("{")
    assert "Warning: no clipboard found" in err


def test_phrases_copy_takes_the_best_phrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sink = tmp_path / "clip.txt"
    _tool(tmp_path, "xsel", sink)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    code = main(["phrases", "--format", "json", "--copy", "--limit", "1", "sorry wait"])
    out, err = capsys.readouterr()
    assert code == 0
    best = json.loads(out)["results"][0]["text"]
    assert sink.read_text(encoding="utf-8") == best
    assert "Copied to the clipboard (xsel)." in err
