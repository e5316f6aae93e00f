"""Reading the message: argument, stdin, file, paste prompt, encodings and size limits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from empathy_cli.errors import InputError
from empathy_cli.inputs import MAX_BYTES, decode, prompt_paste, read_input


class FakeStdin(io.TextIOWrapper):
    def __init__(self, data: bytes, tty: bool = False) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_argument_wins() -> None:
    got = read_input("Where is my parcel?", None, stdin=FakeStdin(b"ignored"))
    assert got.text == "Where is my parcel?"
    assert got.source == "-"


def test_dash_reads_stdin() -> None:
    got = read_input("-", None, stdin=FakeStdin("Où est mon colis ?".encode()))
    assert got.text == "Où est mon colis ?"


def test_piped_stdin_is_read_without_dash() -> None:
    got = read_input(None, None, stdin=FakeStdin(b"Still no refund."))
    assert got.text == "Still no refund."


def test_file_is_read_and_named(tmp_path: Path) -> None:
    path = tmp_path / "msg.txt"
    path.write_text("Je suis déçue.\n", encoding="utf-8")
    got = read_input(None, path, stdin=FakeStdin(b"", tty=True))
    assert got.text == "Je suis déçue.\n"
    assert got.source == str(path)


def test_cp1252_bytes_are_decoded_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    text = decode("Je suis très déçu".encode("cp1252"))
    assert text == "Je suis très déçu"
    assert "not UTF-8" in capsys.readouterr().err


def test_utf8_bom_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbfHello") == "Hello"


@pytest.mark.parametrize("message", ["", "   ", "\n\n\t"])
def test_empty_message_is_an_input_error(message: str) -> None:
    with pytest.raises(InputError, match="empty"):
        read_input(message, None, stdin=FakeStdin(b""))


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No such file"):
        read_input(None, tmp_path / "nope.txt", stdin=FakeStdin(b"", tty=True))


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_input(None, tmp_path, stdin=FakeStdin(b"", tty=True))


def test_argument_and_file_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not both"):
        read_input("hi", tmp_path / "x.txt", stdin=FakeStdin(b""))


def test_long_message_keeps_the_first_100_kb(capsys: pytest.CaptureFixture[str]) -> None:
    big = ("é" * (MAX_BYTES)).encode()  # 200 KB of two-byte characters
    got = read_input(None, None, stdin=FakeStdin(big))
    assert got.truncated
    assert len(got.text.encode()) <= MAX_BYTES
    assert set(got.text) == {"é"}  # no character cut in half
    assert "100 KB" in capsys.readouterr().err


def test_long_draft_is_refused() -> None:
    with pytest.raises(InputError, match="over 100 KB"):
        read_input(
            None, None, stdin=FakeStdin(b"x" * (MAX_BYTES + 10)), what="draft", refuse_long=True
        )


def test_paste_prompt_ends_on_two_empty_lines() -> None:
    lines = iter(["Hello,\n", "\n", "my parcel is late.\n", "\n", "\n", "never read\n"])
    out = io.StringIO()
    text = prompt_paste("message", read_line=lambda: next(lines), out=out)
    assert text == "Hello,\n\nmy parcel is late."
    assert "Ctrl-D" in out.getvalue()


def test_paste_prompt_ends_on_eof() -> None:
    lines = iter(["Bonjour,\n", "rien reçu.\n", ""])
    text = prompt_paste("message", read_line=lambda: next(lines), out=io.StringIO())
    assert text == "Bonjour,\nrien reçu."
