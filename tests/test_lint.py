"""Lint, layout and types: ruff's rules report nothing, the formatter changes nothing, and mypy
finds no type error in generator/ (all configured in pyproject.toml)."""

import re
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

RUFF = Path(sys.executable).with_name("ruff")
SOURCES = ["generator", "bench", "tests"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUFF), *args, *SOURCES], cwd=ROOT, capture_output=True, text=True)


def test_ruff_rules_report_nothing() -> None:
    done = _ruff("check", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_formatter_changes_nothing() -> None:
    done = _ruff("format", "--check", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_type_error_in_generator() -> None:
    """[tool.mypy] names the files and the checks; mypy is pinned in requirements.txt."""
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    checked = re.search(r"no issues found in (\d+) source files", done.stdout)
    assert checked and int(checked[1]) >= len(list((ROOT / "generator").rglob("*.py"))), done.stdout
