"""Record pages: real MkDocs pages whose body skips Python-Markdown (generator/plugin/pages.py).

What MkDocs would have taken from Python-Markdown (the HTML, the title, the table of
contents, the anchors) must be what the header and body give it, so that a page looks the
same whichever way it is built; a site built by the real MkDocs with this repository's
configuration shows the rest (a theme or MkDocs upgrade that changes what is relied on
fails here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from generator.build import build_site
from generator.plugin.pages import RecordPages
from generator.render.site.record_page import anchor, heading, read_record_page, record_page
from tests.support import AS_OF, ROOT, make_project, page, parse_html

TITLES = ("忻州市示例技术创新中心 & 1 < 2", '申报条件（第九条）"引号"', "依托单位与共建单位", "经费支持（第十三条）")


def test_headings_are_those_python_markdown_writes_for_this_site():
    config = load_config(str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    for level, text in zip((1, 2, 3, 2), TITLES):
        md.reset()
        assert str(heading(text, level)) == md.convert(f"{'#' * level} {text}"), text


def _toc(links: list[AnchorLink]) -> list[tuple[Any, ...]]:
    return [(a.title, a.id, a.level, _toc(a.children)) for a in links]


def test_mkdocs_gets_from_a_record_page_what_python_markdown_gives_for_the_same_page():
    """The same page twice through MkDocs' Page: once as a record page (header and body, no
    Markdown), once as the Markdown it stands for. Content, title, table of contents and
    anchors are equal."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    title, section, sub, last = TITLES
    body = "\n".join([heading(title, 1), heading(section, 2), "<p>正文</p>", heading(sub, 3), heading(last, 2)])
    source = record_page(title, "说明", body, "检索文字")
    markdown_source = f"# {title}\n\n## {section}\n\n正文\n\n### {sub}\n\n## {last}\n"

    def page_at(uri: str) -> tuple[Page, Files]:
        file = File(uri, src_dir=None, dest_dir=str(config.site_dir), use_directory_urls=True)
        return Page(None, file, config), Files([file])

    fast, files = page_at("centers/x/index.md")
    records = RecordPages({"centers/x/index.md"})
    fast.markdown = records.markdown(source, fast)
    fast.render(config, files)
    fast.content = records.content(fast.content, fast)

    slow, files = page_at("centers/y/index.md")
    slow.markdown, slow.meta = markdown_source, {"title": title, "description": "说明"}
    slow.render(config, files)

    assert fast.content == slow.content
    assert _toc(fast.toc) == _toc(slow.toc) and fast.toc
    assert fast.present_anchor_ids == slow.present_anchor_ids
    # The theme prints front matter as HTML: the record page's title comes escaped.
    assert fast.meta == {"title": "忻州市示例技术创新中心 &amp; 1 &lt; 2", "description": "说明"}
    assert fast.title == fast.meta["title"]


def test_a_record_page_reads_back_whatever_its_title_and_body_hold():
    title, description, search = "名称 --> <!-- 第二行\n第三行", "说明\n-->", "检索\n-->"
    body = heading(title, 1) + "<p>正文\n<!-- 注释 -->\n</p>\n"
    parts = read_record_page(record_page(title, description, body, search))
    assert (parts["title"], parts["description"], parts["search"], parts["body"]) == (title, description, search, body)
    with pytest.raises(ValueError, match="not a record page"):
        read_record_page('{"title": "旧格式"}\n')


# --- a site built by MkDocs ---------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("records") / "project")
    return build_site(AS_OF, project / "registry", repo=project)


@pytest.mark.slow
def test_a_record_page_has_its_title_description_address_and_contents(site: Path):
    doc = page(site, "centers/sample-zaliang")
    name = doc.find("h1").text()
    assert name.startswith("忻州市示例") and name.endswith("技术创新中心")
    assert doc.find("title").text() == f"{name} - 忻州市技术创新中心名录"
    descriptions = [m.attrs["content"] for m in doc.find_all("meta") if m.attrs.get("name") == "description"]
    assert len(descriptions) == 1 and descriptions[0].startswith(f"{name}：")
    canonical = [link.attrs["href"] for link in doc.find_all("link") if link.attrs.get("rel") == "canonical"]
    assert canonical == ["https://xinzhou-tic.github.io/registry/centers/sample-zaliang/"]
    toc = doc.find("ul", **{"data-md-component": "toc"})
    hrefs = [a.attrs["href"] for a in toc.find_all("a")]
    assert "#基本信息" in hrefs and all(h.startswith("#") for h in hrefs)
    ids = {n.attrs["id"] for n in doc.find("article").iter() if "id" in n.attrs}
    assert {h[1:] for h in hrefs} <= ids
    skip = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("class") == "md-skip"]
    assert skip == [f"#{anchor(name)}"]
    assert "TICRAW" not in (site / "centers" / "sample-zaliang" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_theme_frames_a_record_page_as_every_other_page(site: Path):
    """Banner, footer with the as-of date, header: the theme's own, per page."""
    for path in ("centers/sample-zaliang", "notices/approval-2026", "contribute"):
        doc = page(site, path)
        assert doc.find("div", class_="tic-sample-banner")
        assert f"数据截至 {AS_OF}" in doc.find("footer").text()


@pytest.mark.slow
def test_each_record_page_is_one_search_entry_with_its_search_text(site: Path):
    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    index = json.loads(raw)
    assert "杂粮" in raw and "\\u200b" not in raw.partition('"docs"')[2]  # stored as UTF-8, not escaped
    entries = [d for d in index["docs"] if d["location"].startswith("centers/sample-zaliang/")]
    assert [d["location"] for d in entries] == ["centers/sample-zaliang/"]
    text = entries[0]["text"].replace("\u200b", "")
    assert "曾用名" in text and "示例己杂粮食品有限公司" in text and "sample-zaliang" in text
    name = page(site, "centers/sample-zaliang").find("h1").text()
    assert entries[0]["title"] == name  # whole: without jieba's U+200B (plugin/search.py)
    notices = [d for d in index["docs"] if d["location"].startswith("notices/approval-2026/")]
    assert len(notices) == 1 and "名单：" in notices[0]["text"].replace("\u200b", "")


@pytest.mark.slow
def test_a_record_page_without_sections_shows_no_table_of_contents(site: Path):
    bare = [p for p in (site / "notices").glob("*/index.html") if "<h2" not in p.read_text(encoding="utf-8")]
    full = parse_html((site / "centers" / "sample-zaliang" / "index.html").read_text(encoding="utf-8"))
    assert len(full.find_all("ul", **{"data-md-component": "toc"})) == 1
    for file in bare:
        assert parse_html(file.read_text(encoding="utf-8")).find_all("ul", **{"data-md-component": "toc"}) == []
