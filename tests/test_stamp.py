"""Record pages stamped from the theme's shell page (generator/write/stamp.py).

The shell is built by the real MkDocs with the repository's mkdocs.yml, theme overrides
and hook, so a theme upgrade that moves what the stamp cuts at fails here.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from generator.build import BuildFailed, build_site
from generator.render.site.record_page import (
    ALTERNATE,
    BODY,
    DESCRIPTION,
    SECTION,
    SHELL_PATH,
    SHELL_SOURCE,
    SUBSECTION,
    TITLE,
    anchor,
    heading,
    read_record_page,
    record_page,
    shell_source,
)
from generator.write.stamp import Shell, StampError, stamp_site
from tests.support import AS_OF, ROOT, generate, make_project, page, parse_html


@pytest.fixture(scope="module")
def shell_html(tmp_path_factory) -> str:
    """The shell page as MkDocs renders it with this site's configuration."""
    project = tmp_path_factory.mktemp("shell")
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("overrides", "hooks", "docs/assets"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "docs" / SHELL_SOURCE).parent.mkdir(parents=True)
    (project / "docs" / SHELL_SOURCE).write_text(shell_source(), encoding="utf-8")
    env = dict(os.environ, TIC_SKIP_GENERATE="1", TIC_AS_OF=str(AS_OF), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return (project / "site" / SHELL_PATH / "index.html").read_text(encoding="utf-8")


def _record(title: str = "忻州市示例技术创新中心", description: str = "说明", body: str = "") -> dict:
    body = body or "".join(
        [heading(title, 1), heading("基本信息", 2), "<p>正文</p>", heading("依托单位", 3), heading("期限", 2)]
    )
    return read_record_page(record_page(title, description, body))


@pytest.mark.slow
def test_stamping_the_shells_own_parts_gives_the_shell_back(shell_html: str):
    """Cut at every slot and joined again with the sentinels, the shell is unchanged: the
    stamp drops, duplicates or reorders nothing of the theme's page (the head's data-file slot
    is the one sentinel a record without data files leaves empty)."""
    shell = Shell.parse(shell_html)
    start = shell_html.index(f'<h1 id="{anchor(TITLE)}"')
    end = shell_html.index("</h3>", shell_html.index(f'<h3 id="{anchor(SUBSECTION)}"')) + len("</h3>")
    own = {
        "title": TITLE,
        "description": DESCRIPTION,
        "top": anchor(TITLE),
        "body": shell_html[start:end],
        "toc": [[anchor(SECTION), SECTION, [[anchor(SUBSECTION), SUBSECTION]]]],
    }
    # a record without data files of its own declares none in the head: the slot is left empty
    assert shell_html.count(ALTERNATE) == 1
    assert shell.page(SHELL_PATH, own) == shell_html.replace(ALTERNATE, "")


def test_headings_are_those_python_markdown_writes_for_this_site():
    config = load_config(str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    for level, text in (
        (1, "忻州市示例技术创新中心"),
        (2, "申报条件（第九条）"),
        (3, "依托单位与共建单位"),
        (2, "经费支持（第十三条）"),
    ):
        md.reset()
        assert str(heading(text, level)) == md.convert(f"{'#' * level} {text}"), text


@pytest.mark.slow
def test_a_record_page_has_its_title_description_address_and_contents(shell_html: str):
    html = Shell.parse(shell_html).page("centers/sample-x/", _record())
    doc = parse_html(html)
    assert doc.find("title").text().startswith("忻州市示例技术创新中心 - ")
    assert [m.attrs["content"] for m in doc.find_all("meta") if m.attrs.get("name") == "description"] == ["说明"]
    canonical = [link.attrs["href"] for link in doc.find_all("link") if link.attrs.get("rel") == "canonical"]
    assert canonical == ["https://xinzhou-tic.github.io/registry/centers/sample-x/"]
    toc = doc.find("ul", **{"data-md-component": "toc"})
    assert [a.attrs["href"] for a in toc.find_all("a")] == ["#基本信息", "#依托单位", "#期限"]
    skip = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("class") == "md-skip"]
    assert skip == [f"#{anchor('忻州市示例技术创新中心')}"]
    assert "TICSLOT" not in html and SHELL_PATH not in html


@pytest.mark.slow
def test_record_text_in_the_page_head_is_escaped(shell_html: str):
    title, description = '中心</title><script>alert(1)</script>"', '说明" onload="alert(2)'
    html = Shell.parse(shell_html).page("centers/x/", _record(title, description))
    doc = parse_html(html)
    assert doc.find("title").text().startswith(title + " - ")
    assert [m.attrs["content"] for m in doc.find_all("meta") if m.attrs.get("name") == "description"] == [description]
    assert "<script>alert" not in html and 'onload="alert' not in html


@pytest.mark.slow
def test_a_page_without_sections_shows_no_table_of_contents(shell_html: str):
    shell = Shell.parse(shell_html)
    bare = parse_html(shell.page("notices/x/", _record(body=str(heading("公示", 1)) + "<p>名单</p>")))
    assert bare.find_all("ul", **{"data-md-component": "toc"}) == []
    assert "目录" not in "".join(label.text() for label in bare.find_all("label"))
    full = parse_html(shell.page("centers/x/", _record()))
    assert len(full.find_all("ul", **{"data-md-component": "toc"})) == 1


@pytest.mark.parametrize(
    "html",
    [
        "<html><body>another theme</body></html>",
        f'<h1 id="{anchor(TITLE)}">{TITLE}</h1><p>{BODY}</p><h3 id="{anchor(SUBSECTION)}">x</h3>',
    ],
)
def test_a_shell_the_stamp_cannot_read_is_a_clear_error(html: str):
    with pytest.raises(StampError, match="记录页面外壳中找不到"):
        Shell.parse(html)


@pytest.mark.slow
def test_every_record_gets_a_page_and_the_sitemap_lists_it(tmp_path: Path, shell_html: str):
    docs, site = tmp_path / "docs", tmp_path / "site"
    for kind, rid in (("centers", "a"), ("centers", "b"), ("notices", "n")):
        (docs / ".records" / kind).mkdir(parents=True, exist_ok=True)
        (docs / ".records" / kind / f"{rid}.html").write_text(
            record_page(rid, "说明", heading(rid, 1)), encoding="utf-8"
        )
    (site / SHELL_PATH).mkdir(parents=True)
    (site / SHELL_PATH / "index.html").write_text(shell_html, encoding="utf-8")
    url = "<url><loc>https://x.example/{}</loc><lastmod>2026-01-01</lastmod></url>\n"
    sitemap = f"<urlset>\n{url.format('')}{url.format(SHELL_PATH)}</urlset>\n"
    (site / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode(), mtime=1234567))

    assert stamp_site(docs, site) == 3
    for path, title in (("centers/a", "a"), ("centers/b", "b"), ("notices/n", "n")):
        assert page(site, path).find("title").text().startswith(f"{title} - ")
    assert not (site / "_record").exists()
    expected = (
        "<urlset>\n" + "".join(url.format(p) for p in ("", "centers/a/", "centers/b/", "notices/n/")) + "</urlset>\n"
    )
    assert (site / "sitemap.xml").read_text(encoding="utf-8") == expected
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode() == expected and packed[4:8] == (1234567).to_bytes(4, "little")


@pytest.mark.slow
def test_a_hand_written_page_where_a_record_page_goes_stops_the_build(tmp_path: Path):
    project = make_project(tmp_path / "project")
    generate(project)
    hand = project / "docs" / "centers" / "sample-zaliang.md"
    hand.write_text("# 手写\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(AS_OF, project / "registry", repo=project)
    message = str(failed.value)
    assert "手写页面与记录页面的地址相同" in message and "centers/sample-zaliang.md" in message
    assert "Traceback" not in message and not (project / "site").exists()


def test_a_record_page_reads_back_whatever_its_title_and_body_hold():
    title, description = "名称 --> <!-- 第二行\n第三行", "说明\n-->"
    body = heading(title, 1) + "<p>正文\n<!-- 注释 -->\n</p>\n"
    parts = read_record_page(record_page(title, description, body))
    assert (parts["title"], parts["description"], parts["body"]) == (title, description, body)
    with pytest.raises(ValueError, match="not a record page"):
        read_record_page('{"title": "旧格式"}\n')
