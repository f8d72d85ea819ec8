"""The file cache of validation (the MkDocs plugin keeps one while `mkdocs serve` runs): a
hit is only ever an unchanged file, and every change, even one that keeps the size and the
mtime, is read again. The cache is the caller's: without one, every file is read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import generator.validate.registry as validate


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file validation actually reads (the registry is small, so it runs in-process)."""
    seen: list[str] = []
    real = validate.read_shown

    def spy(file: Path, kind: str, shown: str, info: Any = None) -> Any:
        seen.append(shown)
        return real(file, kind, shown, info)

    monkeypatch.setattr(validate, "read_shown", spy)
    monkeypatch.setattr(validate, "RACY_NS", 0)  # files written a moment ago may be cached
    return seen


@pytest.fixture
def cache() -> validate.FileCache:
    return validate.FileCache()


def _age(path: Path, seconds: int = 3600) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def _result(reg: Any, cache: validate.FileCache) -> tuple[list[str], dict[str, Any]]:
    result = validate.validate_registry(reg.dir, reg.root, cache)
    return [str(f) for f in result.findings], {c.id: c.data for c in result.registry.centers}


def test_unchanged_files_are_not_read_again(reg: Any, counted: list[str], cache: validate.FileCache) -> None:
    first = _result(reg, cache)
    files = len(counted)
    assert files > 3
    counted.clear()
    assert _result(reg, cache) == first
    assert counted == []


def test_a_changed_record_is_read_again_and_its_change_seen(
    reg: Any, counted: list[str], cache: validate.FileCache
) -> None:
    _result(reg, cache)
    counted.clear()
    reg.modify("center", "sample-guangfu", lambda d: d["contact"].update(address="新地址 1 号"))
    _findings, centers = _result(reg, cache)
    assert counted == [reg.shown("center", "sample-guangfu")]
    assert centers["sample-guangfu"]["contact"]["address"] == "新地址 1 号"


def test_same_size_and_same_mtime_still_invalidates(reg: Any, counted: list[str], cache: validate.FileCache) -> None:
    path = reg.file("center", "sample-guangfu")
    _age(path)
    _, before = _result(reg, cache)
    text = path.read_text(encoding="utf-8")
    old_name = before["sample-guangfu"]["field"]
    assert len(old_name) >= 2
    swapped = old_name[::-1]  # same length in characters and bytes
    assert swapped != old_name
    info = path.stat()
    path.write_text(text.replace(f"field: {old_name}", f"field: {swapped}", 1), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # mtime put back, as some tools do
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    counted.clear()
    _, after = _result(reg, cache)
    assert reg.shown("center", "sample-guangfu") in counted
    assert after["sample-guangfu"]["field"] == swapped


def test_a_new_error_appears_and_a_fix_clears_it(reg: Any, counted: list[str], cache: validate.FileCache) -> None:
    clean, _ = _result(reg, cache)
    path = reg.file("center", "sample-gufei")
    good = path.read_bytes()
    path.write_bytes(good + b"\tbad: 1\n")
    broken, _ = _result(reg, cache)
    assert any("file.tab" in f for f in broken) and broken != clean
    path.write_bytes(good)
    assert _result(reg, cache)[0] == clean


def test_a_file_written_just_now_is_not_cached(
    reg: Any, counted: list[str], cache: validate.FileCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "RACY_NS", 10**15)  # every file counts as just written
    _result(reg, cache)
    counted.clear()
    _result(reg, cache)
    assert len(counted) > 3


def test_cached_and_fresh_results_are_identical(reg: Any, counted: list[str], cache: validate.FileCache) -> None:
    reg.modify("center", "sample-nongmu", lambda d: d["contact"].update(email="not-an-email"))
    first = validate.validate_registry(reg.dir, reg.root, cache)
    second = validate.validate_registry(reg.dir, reg.root, cache)
    fresh = validate.validate_registry(reg.dir, reg.root)
    assert first.findings == second.findings == fresh.findings and first.findings
    assert [c.data for c in second.registry.centers] == [c.data for c in fresh.registry.centers]


def test_a_removed_file_is_gone_and_an_added_one_is_read(
    reg: Any, counted: list[str], cache: validate.FileCache
) -> None:
    _result(reg, cache)
    path = reg.file("center", "sample-duanzao")
    text = path.read_text(encoding="utf-8")
    path.unlink()
    _, centers = _result(reg, cache)
    assert "sample-duanzao" not in centers
    path.write_text(text, encoding="utf-8")
    counted.clear()
    _, centers = _result(reg, cache)
    assert "sample-duanzao" in centers and counted == [reg.shown("center", "sample-duanzao")]


def test_without_a_cache_every_file_is_read_every_time(reg: Any, counted: list[str]) -> None:
    validate.validate_registry(reg.dir, reg.root)
    files = len(counted)
    counted.clear()
    validate.validate_registry(reg.dir, reg.root)
    assert len(counted) == files > 3


def test_two_caches_do_not_share_results(reg: Any, counted: list[str], cache: validate.FileCache) -> None:
    _result(reg, cache)
    counted.clear()
    _result(reg, validate.FileCache())
    assert len(counted) > 3
