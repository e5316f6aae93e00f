"""Put text on the clipboard with whatever the system has, never failing the command.

Order: wl-copy (Wayland), xclip or xsel (X11), pbcopy (macOS), clip (Windows); over SSH or
when none is present but stderr is a terminal, the OSC 52 escape sequence asks the terminal
itself to take the text. Every outcome is one line on stderr.
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


def _candidates(env: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    tools: list[tuple[str, list[str]]] = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(("wl-copy", ["wl-copy"]))
    if env.get("DISPLAY"):
        tools.append(("xclip", ["xclip", "-selection", "clipboard", "-in"]))
        tools.append(("xsel", ["xsel", "--clipboard", "--input"]))
    if sys.platform == "darwin":
        tools.append(("pbcopy", ["pbcopy"]))
    if sys.platform.startswith("win") or env.get("WSL_DISTRO_NAME"):
        tools.append(("clip", ["clip.exe" if env.get("WSL_DISTRO_NAME") else "clip"]))
    return tools


def _osc52(text: str) -> bool:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    if len(payload) > OSC52_LIMIT:
        return False
    try:
        with open("/dev/tty", "w", encoding="ascii") as tty:
            tty.write(f"\x1b]52;c;{payload}\x07")
            tty.flush()
        return True
    except OSError:
        return False


def copy_text(text: str, env: Mapping[str, str] | None = None) -> bool:
    """Copy `text` to the clipboard; report on stderr; return whether it worked."""
    env = os.environ if env is None else env
    for name, command in _candidates(env):
        exe = shutil.which(command[0], path=env.get("PATH"))
        if not exe:
            continue
        data = text.encode("utf-16-le" if name == "clip" else "utf-8")
        try:
            done = subprocess.run(
                [exe, *command[1:]],
                input=data,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            note(f"Copied to the clipboard ({name}).")
            return True
    if (env.get("SSH_TTY") or env.get("TERM", "") not in ("", "dumb")) and _stderr_is_tty() and _osc52(text):
        note("Sent to the terminal's clipboard (OSC 52); if nothing was copied, enable OSC 52 in your terminal.")
        return True
    warn("no clipboard found (install wl-clipboard, xclip or xsel); copy the reply from the output.")
    return False


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
