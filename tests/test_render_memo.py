"""The live preview renders only the record pages whose facts changed (render/site/pages.py _Memo)."""

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
    """A fresh memo, and the ids of the record pages actually rendered."""
    calls: list[str] = []
    center, notice = site._Pages.center, site._Pages.notice
    monkeypatch.setattr(site, "_MEMO", site._Memo())
    monkeypatch.setattr(site._Pages, "center", lambda self, c: calls.append(c.id) or center(self, c))
    monkeypatch.setattr(site._Pages, "notice", lambda self, n: calls.append(n.id) or notice(self, n))
    return calls


def test_after_one_record_changes_only_its_page_is_rendered_again(tmp_path: Path, counted: list[str]):
    project = make_project(tmp_path / "project")
    first = site.render_site(_facts(project), [])
    every = len(counted)
    assert every == len(_facts(project).centers) + len(_facts(project).notices)
    Registry(project).modify("center", "sample-zaliang", lambda d: d["contact"].update(office="中心综合办公室"))
    counted.clear()
    second = site.render_site(_facts(project), [])
    assert counted == ["sample-zaliang"]
    changed = {f for f in first if first[f] != second[f]}
    assert (
        ".records/centers/sample-zaliang.html" in changed
        and "中心综合办公室" in second[".records/centers/sample-zaliang.html"].decode()
    )
    # What the memo returns is exactly what a render from scratch gives.
    site._MEMO = site._Memo()
    assert site.render_site(_facts(project), []) == second


def test_another_as_of_date_renders_every_page_again(tmp_path: Path, counted: list[str]):
    project = make_project(tmp_path / "project")
    site.render_site(_facts(project), [])
    every = len(counted)
    counted.clear()
    site.render_site(_facts(project, AS_OF + dt.timedelta(days=1)), [])
    assert len(counted) == every


def test_a_removed_record_leaves_the_memo(tmp_path: Path, counted: list[str]):
    project = make_project(tmp_path / "project")
    site.render_site(_facts(project), [])
    (project / "registry" / "centers" / "sample-wenwu.yaml").unlink()
    pages = site.render_site(_facts(project), [])
    assert ".records/centers/sample-wenwu.html" not in pages
    assert ".records/centers/sample-wenwu.html" not in site._MEMO.pages
