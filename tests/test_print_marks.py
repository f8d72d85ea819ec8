"""What every page carries for print (overrides/main.html): the as-of date and the source line
on every page; the sample-data banner and the repeated "演示样例数据，非正式公示" mark only
when the registry says its data are samples. The browser tests print a notice and a center page
and read the PDF; this checks the markup of every page of a sample and of a real site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import AS_OF, build, make_project

MARK = '<div class="tic-print-mark" aria-hidden="true">演示样例数据，非正式公示</div>'


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("index.html"))
        if p.parent != site / "search"
    }


def _meta(html: str) -> str:
    m = re.search(r'<p class="tic-print-meta">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>|\s+", "", m.group(1)) if m else ""


@pytest.mark.slow
def test_every_page_of_the_sample_site_prints_marked(built_site: Path) -> None:
    pages = _pages(built_site)
    assert len(pages) > 10
    for name, html in pages.items():
        assert html.count(MARK) == 1, name
        assert 'class="tic-sample-banner"' in html, name
        meta = _meta(html)
        assert meta.startswith("演示样例数据，非正式公示。") and f"数据截至{AS_OF}" in meta, (name, meta)
        assert "来源：忻州市技术创新中心名录https://xinzhou-tic.github.io/registry/" in meta, (name, meta)


@pytest.mark.slow
def test_a_real_registry_prints_without_sample_marks(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", sample_data=False, sample_notice=" ")
    build(project)
    pages = _pages(project / "site")
    assert len(pages) > 10
    for name, html in pages.items():
        assert "tic-print-mark" not in html and "tic-sample-banner" not in html, name
        assert "演示样例数据" not in _meta(html) and f"数据截至{AS_OF}" in _meta(html), name
    missing = (project / "site" / "404.html").read_text(encoding="utf-8")
    assert "页面不存在" in missing and "tic-sample-banner" not in missing
