"""The live preview renders only the record pages whose facts changed (render/site/pages.py PageMemo)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.derive.facts import derive
from generator.render.site import pages as site
from generator.validate.registry import validate_registry
from tests.support import AS_OF, Registry, make_project


def _facts(project: Path, as_of: dt.date = AS_OF):
    result = validate_registry(project / "registry", project)
    assert result.ok, result.findings
    return derive(result.registry, as_of)


@pytest.fixture()
def counted(monkeypatch) -> list[str]:
    """The ids of the record pages actually rendered."""
    calls: list[str] = []
    center, notice = site._Pages.center, site._Pages.notice
    monkeypatch.setattr(site._Pages, "center", lambda self, c: calls.append(c.id) or center(self, c))
    monkeypatch.setattr(site._Pages, "notice", lambda self, n: calls.append(n.id) or notice(self, n))
    return calls


def test_after_one_record_changes_only_its_page_is_rendered_again(tmp_path: Path, counted: list[str]):
    project = make_project(tmp_path / "project")
    memo = site.PageMemo()
    first = site.render_site(_facts(project), [], memo)
    every = len(counted)
    assert every == len(_facts(project).centers) + len(_facts(project).notices)
    Registry(project).modify("center", "sample-zaliang", lambda d: d["contact"].update(office="中心综合办公室"))
    counted.clear()
    second = site.render_site(_facts(project), [], memo)
    assert counted == ["sample-zaliang"]
    changed = {f for f in first if first[f] != second[f]}
    assert (
        "centers/sample-zaliang/index.md" in changed
        and "中心综合办公室" in second["centers/sample-zaliang/index.md"].decode()
    )
    # What the memo returns is exactly what a render from scratch (no memo) gives.
    counted.clear()
    assert site.render_site(_facts(project), []) == second
    assert len(counted) == every


def test_another_as_of_date_renders_every_page_again(tmp_path: Path, counted: list[str]):
    project = make_project(tmp_path / "project")
    memo = site.PageMemo()
    site.render_site(_facts(project), [], memo)
    every = len(counted)
    counted.clear()
    site.render_site(_facts(project, AS_OF + dt.timedelta(days=1)), [], memo)
    assert len(counted) == every


def test_a_removed_record_leaves_the_memo(tmp_path: Path, counted: list[str]):
    project = make_project(tmp_path / "project")
    memo = site.PageMemo()
    site.render_site(_facts(project), [], memo)
    (project / "registry" / "centers" / "sample-wenwu.yaml").unlink()
    pages = site.render_site(_facts(project), [], memo)
    assert "centers/sample-wenwu/index.md" not in pages
    assert "centers/sample-wenwu/index.md" not in memo.pages


def test_without_a_memo_every_page_is_rendered_every_time(tmp_path: Path, counted: list[str]):
    project = make_project(tmp_path / "project")
    site.render_site(_facts(project), [])
    every = len(counted)
    counted.clear()
    site.render_site(_facts(project), [])
    assert len(counted) == every > 0
