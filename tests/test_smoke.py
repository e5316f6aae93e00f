"""The package installs, runs as a module, and ships its banks."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files


def test_module_help_runs_as_a_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "empathy_cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "suggest" in result.stdout
    assert "Traceback" not in result.stderr


def test_phrases_are_shipped_as_package_data() -> None:
    root = files("empathy_cli.phrases")
    names = {entry.name for entry in root.iterdir()}
    assert {"en", "fr"} <= names
    assert root.joinpath("en").joinpath("steps.yaml").is_file()
    assert root.joinpath("fr").joinpath("steps.yaml").is_file()
