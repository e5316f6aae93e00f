"""Drive `python -m empathy_cli` through a pseudo-terminal, as a person at a keyboard would.

The child gets the pty as its controlling terminal (so Ctrl-C sends SIGINT and Ctrl-D ends
a line read), a window of the given size, `TERM=xterm`, and the test's environment (the
isolated config and cache directories of conftest). `expect` waits for text on the screen,
with escape sequences removed; the deadline only keeps a broken test from hanging.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
DEADLINE = 60.0  # seconds; generous, never asserted on
ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"


def _make_controlling_tty() -> None:  # runs in the child, after setsid
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    def __init__(
        self,
        *args: str,
        cols: int = 100,
        rows: int = 40,
        stdout: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.master, slave = os.openpty()
        size = struct.pack("HHHH", rows, cols, 0, 0)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, size)
        environ = dict(os.environ, COLUMNS=str(cols), LINES=str(rows), TERM="xterm")
        environ.update(env or {})
        out = open(stdout, "wb") if stdout else None  # noqa: SIM115 (closed in wait)
        self._out = out
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "empathy_cli", *args],
            stdin=slave,
            stdout=out if out else slave,
            stderr=slave,
            cwd=ROOT,
            env=environ,
            start_new_session=True,
            preexec_fn=_make_controlling_tty,
            close_fds=True,
        )
        os.close(slave)
        self.raw = b""
        self.seen = 0  # how much of the screen `expect` has consumed

    @property
    def screen(self) -> str:
        text = self.raw.decode("utf-8", "replace")
        return ANSI_RE.sub("", text).replace("\r\n", "\n").replace("\r", "")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.raw += data
        return True

    def expect(self, text: str) -> str:
        """Wait until `text` appears after what was already expected; return the screen
        up to and including it."""
        import time

        end = time.monotonic() + DEADLINE
        while True:
            screen = self.screen
            found = screen.find(text, self.seen)
            if found >= 0:
                self.seen = found + len(text)
                return screen[: self.seen]
            if time.monotonic() > end or (
                not self._read(0.2) and self.proc.poll() is not None and not self._read(0.2)
            ):
                raise AssertionError(f"{text!r} not on the screen:\n{self.screen}")

    def expect_re(self, pattern: str) -> re.Match[str]:
        """Wait until `pattern` matches after what was already expected."""
        import time

        regex = re.compile(pattern)
        end = time.monotonic() + DEADLINE
        while True:
            found = regex.search(self.screen, self.seen)
            if found:
                self.seen = found.end()
                return found
            if time.monotonic() > end or (
                not self._read(0.2) and self.proc.poll() is not None and not self._read(0.2)
            ):
                raise AssertionError(f"{pattern!r} not on the screen:\n{self.screen}")

    def answer_slots(self, until: str, value: str = "") -> None:
        """Answer every slot prompt (`{{slot}} ...: `) with `value` until `until` shows."""
        pattern = "(" + re.escape(until) + r")|\{\{\w+\}\}[^\n{}]*: $"
        while True:
            if self.expect_re(pattern).group(1):
                return
            self.line(value)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def line(self, keys: str = "") -> None:
        self.send(keys + ENTER)

    def wait(self) -> int:
        """Read the rest of the screen and return the exit code."""
        import time

        end = time.monotonic() + DEADLINE
        while self._read(0.2) or self.proc.poll() is None:
            if time.monotonic() > end:
                self.close()
                raise AssertionError(f"the command did not end:\n{self.screen}")
        code = self.proc.wait(timeout=DEADLINE)
        while self._read(0.05):
            pass
        os.close(self.master)
        if self._out:
            self._out.close()
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)
        if self._out and not self._out.closed:
            self._out.close()
