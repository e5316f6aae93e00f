"""The Python API: five names, importable lazily, documented, typed, with the signatures
DESIGN.md promises, and usable by a developer's own code under `mypy --strict`."""

from __future__ import annotations

import importlib.resources
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import empathy_cli
from empathy_cli import analyze, check_draft, compose, load_banks, search_phrases
from empathy_cli.models import STEP_IDS, Banks

ROOT = Path(__file__).resolve().parent.parent
API = ("load_banks", "analyze", "compose", "search_phrases", "check_draft")
HEAVY = ("rich", "yaml", "rapidfuzz", "typer")


def test_the_five_names_are_exported() -> None:
    for name in API:
        assert name in empathy_cli.__all__
        assert name in dir(empathy_cli)
        assert callable(getattr(empathy_cli, name))


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.strip()


def test_import_empathy_cli_imports_no_heavy_module() -> None:
    loaded = run_python(
        f"import sys, empathy_cli\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    assert loaded == "[]"


def test_the_core_never_imports_typer_or_rich() -> None:
    """Getting the five names imports nothing heavy; using them needs PyYAML (to read the
    banks) and RapidFuzz (typo tolerance, search), never the CLI's Typer or Rich."""
    loaded = run_python(
        "import sys\n"
        "from empathy_cli import load_banks, analyze, compose, search_phrases, check_draft\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "banks = load_banks(user=False, env=False, cache=False)\n"
        "reading = analyze('I am furious, where is my refund?', banks)\n"
        "compose(reading, banks)\n"
        "check_draft('Calm down.', banks, reply_to=reading)\n"
        "search_phrases('sorry', banks, for_message='My parcel is late')\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    before, after = loaded.splitlines()
    assert before == "[]"
    assert "typer" not in after and "rich" not in after


def keyword_only(func: object) -> dict[str, object]:
    params = inspect.signature(func).parameters  # type: ignore[arg-type]
    return {
        name: p.default for name, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_signatures_match_the_design() -> None:
    """DESIGN.md, "Python API and scale": positional text and banks, options by keyword."""
    assert next(iter(inspect.signature(load_banks).parameters)) == "paths"
    assert keyword_only(load_banks) == {"user": True, "env": True, "cache": True}
    assert list(inspect.signature(analyze).parameters)[:2] == ["text", "banks"]
    assert keyword_only(analyze)["lang"] == "auto"
    assert list(inspect.signature(compose).parameters)[:2] == ["analysis", "banks"]
    assert keyword_only(compose) == {
        "tone": None,
        "channel": None,
        "variant": 1,
        "slots": None,
    }
    assert list(inspect.signature(search_phrases).parameters)[:2] == ["query", "banks"]
    assert keyword_only(search_phrases) == {
        "step": None,
        "emotion": None,
        "situation": None,
        "lang": None,
        "tone": None,
        "for_message": None,
        "limit": 10,
    }
    assert list(inspect.signature(check_draft).parameters)[:2] == ["text", "banks"]
    assert keyword_only(check_draft) == {"lang": "auto", "reply_to": None}
    for func in (analyze, compose, search_phrases, check_draft):
        assert inspect.signature(func).parameters["banks"].default is None


@pytest.mark.parametrize("name", API)
def test_each_function_has_a_google_style_docstring(name: str) -> None:
    doc = inspect.getdoc(getattr(empathy_cli, name)) or ""
    summary, _, body = doc.partition("\n\n")
    assert summary and summary.endswith(".")
    assert "Args:" in body
    assert "Returns:" in body


def test_the_package_is_marked_typed() -> None:
    assert importlib.resources.files("empathy_cli").joinpath("py.typed").is_file()


USER_CODE = """\
from empathy_cli import analyze, check_draft, compose, load_banks, search_phrases

banks = load_banks(user=False, env=False)
reading = analyze("Where is my refund?", banks, lang="en")
top: str | None = reading.emotion
reply = compose(reading, banks, tone="warm", slots={"agent": "Sam"})
text: str = reply.reply
result = check_draft("Calm down.", banks, reply_to=reading)
score: int = result.score
first: str = search_phrases("sorry", banks, limit=3)[0].phrase.id
wrong: int = reading.concern
"""


def test_user_code_type_checks_with_mypy_strict(tmp_path: Path) -> None:
    """A developer's own code gets real types: the one wrong line is the one reported."""
    api = pytest.importorskip("mypy.api")
    script = tmp_path / "user_code.py"
    script.write_text(USER_CODE, encoding="utf-8")
    out, _err, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(script)]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1
    assert len(errors) == 1, out
    assert errors[0].startswith(f"{script}:11: error: Incompatible types in assignment")


def test_banks_none_means_the_default_layers(tmp_path: Path) -> None:
    """With `banks=None` each function loads the default layers itself (slower: load them
    once and pass them when handling many messages)."""
    reading = analyze("Third email and still no refund. This is ridiculous!")
    assert reading.language == "en"
    assert reading.emotion == "frustrated"
    reply = compose(reading)
    assert [s.id for s in reply.steps] == list(STEP_IDS)
    assert check_draft("We are sorry for the delay.").score <= 100
    assert search_phrases("sorry", limit=2)


def test_worked_example_of_the_docs(banks: Banks) -> None:
    reading = analyze("Bonjour, j'ai été prélevé deux fois pour la même commande !", banks)
    assert (reading.language, reading.situation) == ("fr", "billing")
    reply = compose(reading, banks, tone="formal", slots={"agent": "Camille"})
    assert reply.tone == "formal"
    assert "Camille" in reply.reply
    draft = "Calmez-vous, comme je l'ai déjà dit, nous ne pouvons rien faire."
    result = check_draft(draft, banks, reply_to=reading)
    assert result.failed("warning")
    assert all(draft[f.start : f.end] == f.text for f in result.findings if f.start is not None)


def test_compose_is_the_function_even_after_its_module_is_imported() -> None:
    # The module is `composer`, not `compose`: importing a submodule sets an attribute of
    # the same name on the package, which would shadow the lazy `compose` function.
    import importlib

    import empathy_cli

    importlib.import_module("empathy_cli.composer")
    from empathy_cli import compose

    assert callable(compose)
    assert compose.__module__ == "empathy_cli.composer"
    assert empathy_cli.compose is compose
