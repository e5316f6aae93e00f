"""Put text on the clipboard with whatever the system has, never failing the command.

Order: wl-copy (Wayland), xclip or xsel (X11, including X forwarded over SSH), pbcopy
(macOS), clip (Windows, and WSL through clip.exe). When none of them works and a terminal is
attached (typically over SSH), the OSC 52 escape sequence asks the terminal itself to take
the text. Every outcome is one line on stderr; no outcome is an error.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

from .output import note, warn

OSC52_LIMIT = 100_000  # many terminals ignore longer OSC 52 payloads
TOOL_TIMEOUT = 3.0  # seconds; the tools fork to serve the selection and return at once
TTY = "/dev/tty"


def _candidates(env: Mapping[str, str], platform: str) -> list[tuple[str, list[str]]]:
    tools: list[tuple[str, list[str]]] = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(("wl-copy", ["wl-copy"]))
    if env.get("DISPLAY"):
        tools.append(("xclip", ["xclip", "-selection", "clipboard", "-in"]))
        tools.append(("xsel", ["xsel", "--clipboard", "--input"]))
    if platform == "darwin":
        tools.append(("pbcopy", ["pbcopy"]))
    if platform.startswith("win"):
        tools.append(("clip", ["clip"]))
    elif env.get("WSL_DISTRO_NAME") or env.get("WSL_INTEROP"):
        tools.append(("clip", ["clip.exe"]))
    return tools


def _encode(name: str, text: str) -> bytes:
    # clip reads UTF-16 (little-endian, as Windows does); the others read UTF-8. Customer
    # text may hold lone surrogates from undecodable bytes: replaced, never an error.
    return text.encode("utf-16-le" if name == "clip" else "utf-8", errors="replace")


def _run_tool(exe: str, args: list[str], data: bytes) -> bool:
    try:
        done = subprocess.run(
            [exe, *args],
            input=data,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TOOL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return False
    return done.returncode == 0


def osc52(text: str, tty: str = TTY) -> bool:
    """Write the OSC 52 "set clipboard" sequence for `text` to the terminal `tty`."""
    payload = base64.b64encode(text.encode("utf-8", errors="replace")).decode("ascii")
    if len(payload) > OSC52_LIMIT:
        return False
    try:
        fd = os.open(tty, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:  # no terminal (a hotkey daemon, cron, Windows)
        return False
    try:
        os.write(fd, f"\x1b]52;c;{payload}\x07".encode("ascii"))
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _no_tool_hint(env: Mapping[str, str], platform: str) -> str:
    if platform == "darwin":
        return "pbcopy did not work"
    if platform.startswith("win"):
        return "clip did not work"
    if env.get("SSH_TTY") or env.get("SSH_CONNECTION"):
        return "over SSH, use a terminal with OSC 52 or forward X (ssh -X) with xclip installed"
    return "install wl-clipboard (Wayland) or xclip or xsel (X11)"


def copy_text(
    text: str,
    env: Mapping[str, str] | None = None,
    *,
    platform: str | None = None,
    tty: str = TTY,
) -> bool:
    """Copy `text` to the clipboard; say how on stderr, in one line; return whether it worked.

    Never raises: a missing or failing clipboard is a warning, not an error of the command.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    try:
        for name, command in _candidates(env, platform):
            exe = shutil.which(command[0], path=env.get("PATH"))
            if exe and _run_tool(exe, command[1:], _encode(name, text)):
                note(f"Copied to the clipboard ({name}).")
                return True
        if env.get("TERM", "") != "dumb" and _stderr_is_tty() and osc52(text, tty):
            where = " (in tmux: set -g set-clipboard on)" if env.get("TMUX") else ""
            note(
                "Sent to the terminal's clipboard (OSC 52); if nothing was copied, "
                f"enable OSC 52 in your terminal{where}."
            )
            return True
    except Exception as exc:  # the reply is printed already; the copy must not fail it
        warn(f"could not copy to the clipboard ({type(exc).__name__}); copy the reply above.")
        return False
    warn(f"no clipboard found ({_no_tool_hint(env, platform)}); copy the reply from the output.")
    return False


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
