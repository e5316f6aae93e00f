"""A real wheel carries the banks inside the package and runs from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"wheel build failed:\n{build.stdout}\n{build.stderr}")
    wheels = list(out.glob("empathy_cli-*.whl"))
    assert len(wheels) == 1
    site = out / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheels[0]),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    return site


def _run(site: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(site), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_wheel_ships_the_banks_inside_the_package(wheel_site: Path, tmp_path: Path) -> None:
    result = _run(
        wheel_site,
        "import empathy_cli.phrases as p; from importlib.resources import files;"
        "root = files('empathy_cli.phrases'); print(p.__file__);"
        "print(sorted(e.name for e in root.iterdir() if e.is_dir()));"
        "print(sorted(e.name for e in root.joinpath('fr').iterdir()))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    location, dirs, fr_files = result.stdout.splitlines()
    assert location.startswith(str(wheel_site))
    assert "'en'" in dirs and "'fr'" in dirs
    assert "steps.yaml" in fr_files


def test_wheel_install_suggests_a_reply(wheel_site: Path, tmp_path: Path) -> None:
    result = _run(
        wheel_site,
        "import sys; from empathy_cli.cli import main;"
        "sys.exit(main(['suggest', '--format', 'text',"
        " 'Mon colis a deux semaines de retard, je suis en colère.']))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Bonjour" in result.stdout or "Madame" in result.stdout
