"""The synthetic registry of the scale benchmark is valid by construction and deterministic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.synth import generate
from generator.validate.registry import validate_registry


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


@pytest.mark.slow
def test_synthetic_registry_has_no_findings(tmp_path: Path) -> None:
    centers, notices = generate(tmp_path / "registry", 200, seed=1)
    assert centers == 200 and 10 <= notices <= 40
    result = validate_registry(tmp_path / "registry", tmp_path)
    assert [str(f) for f in result.findings] == []
    assert len(result.registry.centers) == 200 and len(result.registry.notices) == notices
    kinds = Counter(e.kind for c in result.registry.centers for e in c.events)
    # the life cycle is really exercised, not just applications
    for kind in (
        "approval",
        "task_book",
        "extension",
        "acceptance",
        "annual_assessment",
        "evaluation",
        "funding",
        "change",
        "revocation",
        "rejection",
        "withdrawal",
        "publicity",
    ):
        assert kinds[kind] > 0, kind


@pytest.mark.slow
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", 200, seed=1)
    generate(tmp_path / "b", 200, seed=1)
    generate(tmp_path / "c", 200, seed=2)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert first != _files(tmp_path / "c")
    sizes = sorted(len(data) for name, data in first.items() if name.startswith("centers/"))
    assert 700 <= sizes[len(sizes) // 2] <= 2500  # hand-written records weigh about 1–2 KB
    assert all(data.startswith(b"# yaml-language-server: $schema=") for data in first.values())
