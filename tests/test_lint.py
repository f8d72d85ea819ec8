"""Lint and layout: ruff's rules (pyproject.toml) report nothing and the formatter changes nothing."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")
SOURCES = ["generator", "hooks", "bench", "tests"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUFF), *args, *SOURCES], cwd=ROOT, capture_output=True, text=True)


def test_ruff_rules_report_nothing() -> None:
    done = _ruff("check", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_formatter_changes_nothing() -> None:
    done = _ruff("format", "--check", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
