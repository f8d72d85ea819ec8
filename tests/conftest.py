"""Shared fixtures for the validator tests: a scratch copy of the sample registry and helpers.

Every test that changes a record works on a copy of ``registry/`` under ``tmp_path``; the
repository's own registry is never written. Findings are shown relative to ``tmp_path``, so
a center reads ``registry/centers/<id>.yaml`` exactly as it does in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_REGISTRY = ROOT / "registry"
KIND_DIRS = {"center": "centers", "notice": "notices"}

# GB 32100-2015 as the domain notes state it, written independently of generator.checks.
GB32100_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GB32100_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def gb32100_check(first17: str) -> str:
    """The 18th (check) character of a unified social credit code."""
    total = sum(GB32100_CHARS.index(c) * w for c, w in zip(first17, GB32100_WEIGHTS))
    return GB32100_CHARS[(31 - total % 31) % 31]


def valid_code(first17: str) -> str:
    assert len(first17) == 17
    return first17 + gb32100_check(first17)


class _NoAliasDumper(yaml.SafeDumper):
    """The registry refuses anchors and aliases, so a shared object is written out twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """Block-style YAML that the registry loader reads back to the same values.

    Dates are strings in loaded records; safe_dump quotes them ('2024-08-20') because YAML
    1.1 would read them as timestamps, and a quoted scalar loads as text. The width is
    unlimited so no long Chinese string is folded over two lines (lines must stay stable).
    """
    return yaml.dump(
        data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=10**9, default_flow_style=False
    )


def line_of(text: str, needle: str, after: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of the first line containing `needle`, after the line with `after`.

    The column is where `needle` starts on that line: needles are written ``key: value`` so
    that it is the column of the key, which is where the validator points.
    """
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    for i in range(start, len(lines)):
        if needle in lines[i]:
            return i + 1, lines[i].index(needle) + 1
    raise AssertionError(f"{needle!r} not found in the dumped record (after {after!r})")


class Registry:
    """A scratch registry folder with helpers to read, change and validate its records."""

    def __init__(self, root: Path) -> None:
        self.root = root  # the "repository": findings are shown relative to it
        self.dir = root / "registry"

    def file(self, kind: str, record_id: str) -> Path:
        return self.dir / KIND_DIRS[kind] / f"{record_id}.yaml"

    def shown(self, kind: str, record_id: str) -> str:
        return f"registry/{KIND_DIRS[kind]}/{record_id}.yaml"

    def text(self, kind: str, record_id: str) -> str:
        return self.file(kind, record_id).read_text(encoding="utf-8")

    def load(self, kind: str, record_id: str) -> dict[str, Any]:
        from generator.records.load import parse

        doc, problems = parse(self.file(kind, record_id).read_bytes(), "x.yaml", kind)
        assert not problems and doc is not None, problems
        return doc.data

    def dump(self, kind: str, record_id: str, data: dict[str, Any]) -> str:
        """Write a record as contributors do: the editor's schema line, then the fields."""
        from generator.records.load import SCHEMA_LINES

        text = f"{SCHEMA_LINES[kind]}\n{dump_yaml(data)}"
        self.file(kind, record_id).write_text(text, encoding="utf-8")
        return text

    def modify(self, kind: str, record_id: str, change: Callable[[dict[str, Any]], Any]) -> str:
        """Load a record, let `change` edit it in place, write it back; the new text."""
        data = self.load(kind, record_id)
        change(data)
        return self.dump(kind, record_id, data)

    def write_raw(self, folder: str, name: str, raw: bytes | str) -> Path:
        path = self.dir / folder / name
        path.write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
        return path

    def validate(self) -> list[Any]:
        from generator.validate.registry import validate_registry

        return validate_registry(self.dir, self.root).findings


_CHECKER: Any = None


def _checker() -> Any:
    """One SchemaChecker for the session: building the validators is the slow part."""
    global _CHECKER
    if _CHECKER is None:
        from generator.records.schema import SchemaChecker

        _CHECKER = SchemaChecker()
    return _CHECKER


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    """A copy of the repository's registry/ at tmp_path/registry; returns that folder."""
    target = tmp_path / "registry"
    shutil.copytree(SAMPLE_REGISTRY, target)
    return target


@pytest.fixture
def reg(registry_copy: Path) -> Registry:
    """The copied registry with helpers to change and validate it."""
    return Registry(registry_copy.parent)


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m generator ...` in a subprocess, the way CI runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
