"""The data dictionary on the 数据下载 page against the data itself, read back independently:
every CSV column and every JSON field that the files hold is documented, and what the
dictionary documents is what the files hold; the page explains every file with an example;
and the site's pages link their own data.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from generator.derive.facts import RegistryFacts, derive
from generator.derive.notices import NOTICE_STATES
from generator.records.model import Registry as Records
from generator.render.opendata.plan import render_open_data
from generator.render.site.pages import render_site
from generator.render.site.record_page import read_record_page, record_page_file

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 27)
CSV_TYPES = {
    "文字": "string",
    "整数": "integer",
    "数字": "number",
    "日期（YYYY-MM-DD）": "date",
    "是非值（true/false）": "boolean",
}


@pytest.fixture(scope="module")
def page(files: dict[str, bytes]) -> str:
    return files["data/index.md"].decode("utf-8")


def _table_after(page: str, heading: str) -> list[list[str]]:
    """The rows of the first Markdown table after `heading` (folded: indented in its details
    block), cells unescaped to plain text."""
    start = page.index(heading)
    rows = []
    for line in page[start:].split("\n")[1:]:
        if line.lstrip().startswith("|"):
            rows.append([html.unescape(c.strip()) for c in line.strip().strip("|").split(" | ")])
        elif rows:
            break
    return rows[2:]  # without the header and the --- line


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every field of a JSON value as a dotted path, a list's items as `name[]`."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + key
            yield from _paths(item, prefix + key + ".")
    elif isinstance(value, list):
        for item in value:
            yield from _paths(item, prefix[:-1] + "[].")


def _documented(rows: list[list[str]]) -> dict[str, str]:
    return {row[0]: row[2] for row in rows}


# --- the tables -------------------------------------------------------------------


def test_the_dictionary_lists_every_csv_column_in_order(page: str, files: dict[str, bytes]) -> None:
    package = json.loads(files["data/datapackage.json"])
    fields = {r["name"]: r["schema"]["fields"] for r in package["resources"] if "schema" in r}
    book = openpyxl.load_workbook(io.BytesIO(files["data/centers.xlsx"]), read_only=True)
    sheets_seen = []
    for name, schema_fields in fields.items():
        heading = re.search(rf"#### {name}\.csv（工作表“(.+?)”）", page)
        assert heading, name
        rows = _table_after(page, heading.group(0))
        header = files[f"data/{name}.csv"].decode("utf-8-sig").split("\r\n")[0].split(",")
        assert [r[0] for r in rows] == header  # the file's own header, read back
        assert [(r[0], r[1], CSV_TYPES[r[2]]) for r in rows] == [
            (f["name"], f["title"], f["type"]) for f in schema_fields
        ]
        sheet = book[heading.group(1)]
        titles = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert titles == [r[1] for r in rows if r[0] not in ("as_of", "sample_data")]
        sheets_seen.append(heading.group(1))
    assert sheets_seen == book.sheetnames[1:]  # every data sheet is in the dictionary


def test_the_dictionary_says_what_the_values_are(page: str, files: dict[str, bytes]) -> None:
    """Each column's values have the type the dictionary gives it (read back from the CSV)."""
    checks = {
        "string": lambda v: True,
        "integer": lambda v: re.fullmatch(r"-?\d+", v) is not None,
        "number": lambda v: re.fullmatch(r"-?\d+(\.\d+)?", v) is not None,
        "date": lambda v: dt.date.fromisoformat(v) is not None,
        "boolean": lambda v: v in ("true", "false"),
    }
    for name in ("centers", "assessments", "deadlines", "notices", "events"):
        rows = _table_after(page, f"#### {name}.csv")
        types = {r[0]: CSV_TYPES[r[2]] for r in rows}
        for row in _csv(files[f"data/{name}.csv"]):
            for column, value in row.items():
                assert value == "" or checks[types[column]](value), (name, column, value)


def test_every_notice_state_is_documented_and_result_pending_is_published(records: Records) -> None:
    """notice.result-pending in the open data: on 2025-11-15 approval-2025's period (to 11-14)
    has ended and its outcome (11-17) is not yet known, so notices.csv and notices.json say
    result_pending / 结果待公布; the dictionary documents every state code with its label, in
    the CSV's columns and the JSON's fields alike."""
    files = render_open_data(derive(records, dt.date(2025, 11, 15)))
    page = files["data/index.md"].decode("utf-8")
    rows = [r for r in _csv(files["data/notices.csv"]) if r["notice_id"] == "approval-2025"]
    assert rows and {(r["state"], r["state_label"], r["outcome"]) for r in rows} == {
        ("result_pending", "结果待公布", "")
    }
    notices = {n["id"]: n for n in json.loads(files["data/notices.json"])["notices"]}
    assert (notices["approval-2025"]["state"], notices["approval-2025"]["state_label"]) == (
        "result_pending",
        "结果待公布",
    )
    assert "outcome" not in notices["approval-2025"]
    assert (notices["approval-2024"]["state"], notices["approval-2024"]["outcome"]["result"]) == ("ended", "无异议")
    csv_state = {r[0]: r[-1] for r in _table_after(page, "#### notices.csv")}["state"]
    json_state = {r[0]: r[-1] for r in _table_after(page, "### 公示推算字段（notices.json）")}["state"]
    for code, label in NOTICE_STATES.items():
        assert f"{code} {label}" in csv_state and f"{code} {label}" in json_state, code
    schema = json.loads(files["schema/notices-data.schema.json"])["$defs"]["notice"]["properties"]["state"]
    assert schema["enum"] == list(NOTICE_STATES)


# --- the JSON files ---------------------------------------------------------------


def _opaque(path: str, documented: dict[str, str]) -> bool:
    """Documented itself, or inside a documented field whose parts the dictionary does not
    list (an event: its fields depend on its kind, the record schema describes them)."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        head = ".".join(parts[:i])
        if head in documented:
            return i == len(parts) or not any(d.startswith(head + ".") for d in documented)
    return False


def test_every_json_field_of_the_data_is_in_the_dictionary(page: str, files: dict[str, bytes]) -> None:
    header = _documented(_table_after(page, "### JSON 文件头"))
    centers = {
        **_documented(_table_after(page, "### 中心记录字段（centers.json）")),
        **_documented(_table_after(page, "### 中心推算字段（centers.json）")),
    }
    notices = {
        **_documented(_table_after(page, "### 公示记录字段（notices.json）")),
        **_documented(_table_after(page, "### 公示推算字段（notices.json）")),
    }
    for name, items, fields in (("centers.json", "centers", centers), ("notices.json", "notices", notices)):
        data = json.loads(files[f"data/{name}"])
        assert set(_paths({k: v for k, v in data.items() if k != items})) == set(header), name
        found = {p for item in data[items] for p in _paths(item)}
        missing = sorted(p for p in found if not _opaque(p, fields))
        assert missing == [], (name, missing)
    one = json.loads(files["data/centers/sample-zhongyao.json"])
    assert set(one) == {h for h in header if "." not in h} | {"center"}


def test_every_derived_field_in_the_dictionary_is_in_the_data(page: str, files: dict[str, bytes]) -> None:
    """The other way round, for what the site derives (always written, null when unknown)."""
    for name, items, heading in (
        ("centers.json", "centers", "### 中心推算字段（centers.json）"),
        ("notices.json", "notices", "### 公示推算字段（notices.json）"),
    ):
        data = json.loads(files[f"data/{name}"])
        found = {p for item in data[items] for p in _paths(item)}
        documented = _documented(_table_after(page, heading))
        assert sorted(set(documented) - found) == [], name


def test_the_dictionary_types_match_the_json_values(page: str, files: dict[str, bytes]) -> None:
    data = json.loads(files["data/centers.json"])
    documented = _documented(_table_after(page, "### 中心推算字段（centers.json）"))
    values: dict[str, set[type]] = {}

    def walk(value: Any, prefix: str = "") -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                values.setdefault(prefix + key, set()).add(type(item))
                walk(item, prefix + key + ".")
        elif isinstance(value, list):
            for item in value:
                walk(item, prefix[:-1] + "[].")

    for center in data["centers"]:
        walk(center)
    for path, kind in documented.items():
        seen = values[path] - {type(None)}
        if kind.startswith("日期"):
            assert seen == {str}, path
            for center in data["centers"]:
                for value in _values(center, path):
                    assert value is None or dt.date.fromisoformat(value), (path, value)
        elif kind.startswith("整数"):
            assert seen == {int}, path
        elif kind.startswith("列表"):
            assert seen == {list}, path
        elif kind.startswith("对象"):
            assert seen == {dict}, path


def _values(value: Any, path: str) -> Iterator[Any]:
    head, _, rest = path.partition(".")
    name = head.removesuffix("[]")
    if not isinstance(value, dict) or name not in value:
        return
    inner = value[name]
    items = inner if head.endswith("[]") else [inner]
    for item in items:
        if rest:
            yield from _values(item, rest)
        else:
            yield item


# --- the page explains every file ---------------------------------------------------


def test_the_page_explains_every_file_with_an_example(page: str, files: dict[str, bytes]) -> None:
    rows = _table_after(page, "## 文件")
    listed = {re.match(r"\[(.+?)\]\((.+?)\)", r[0]).group(2): r for r in rows}  # type: ignore[union-attr]
    top_level = {p.removeprefix("data/") for p in files if p.count("/") == 1 and p.startswith("data/")}
    assert set(listed) == top_level - {"index.md", "sitemap.xml"}
    for name, (_, _, what, example, size) in listed.items():
        assert re.search("[\u4e00-\u9fff]", what) and re.search("[\u4e00-\u9fff]", example), name
        assert len(example) >= 20, name  # a sentence on what to do with it, not a word
        if not name.endswith(".md"):
            assert f"{len(files['data/' + name]):,} 字节" in size or f"{len(files['data/' + name])} 字节" in size
    counties = _table_after(page, "### 各县（市、区）的期限日历")
    assert {re.search(r"\((.+?)\)", r[1]).group(1) for r in counties} == {  # type: ignore[union-attr]
        p.removeprefix("data/") for p in files if p.startswith("data/counties/")
    }
    # each center's own files: on its page, and all of them in the folder's sitemap (no table of thousands of rows here)
    assert "[centers/sitemap.xml](centers/sitemap.xml)" in page and "sample-zhongyao" not in page
    assert "](changelog.md)" in page and "](../schema/center.schema.json)" in page
    assert "## 使用示例" in page and "哪些中心已逾期" in page and "撤销了哪些中心" in page
    assert "](/" not in page  # links stay relative


def test_the_page_examples_run_against_the_files(files: dict[str, bytes], tmp_path: Path) -> None:
    """The Python examples on the page, run as a reader would, next to the files."""
    page = files["data/index.md"].decode("utf-8")
    for name in ("deadlines.csv", "events.csv", "centers.json"):
        (tmp_path / name).write_bytes(files[f"data/{name}"])
    examples = re.findall(r"```python\n(.*?)```", page, re.S)
    assert len(examples) == 3
    import contextlib
    import os

    output = io.StringIO()
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(output):
            for code in examples:
                exec(compile(code, "数据下载页的示例", "exec"), {})
    finally:
        os.chdir(previous)
    text = output.getvalue()
    assert "数据截至 2026-11-27" in text
    assert "已逾期" in text and "忻州市样例生物肥料技术创新中心" in text  # the revocation, with its reason


def test_the_download_page_escapes_record_text(records: Records) -> None:
    from dataclasses import replace

    evil = "=cmd|' /C calc'!A0 忻州市技术创新中心"
    center = records.centers[0]
    changed = replace(records, centers=(replace(center, data={**center.data, "name": evil}), *records.centers[1:]))
    page = render_open_data(derive(changed, AS_OF))["data/index.md"].decode("utf-8")
    assert evil not in page and "cmd" not in page  # the page names no center: nothing of a record to escape


# --- the pages link their data ------------------------------------------------------


@pytest.fixture(scope="module")
def pages(facts: RegistryFacts) -> dict[str, bytes]:
    return render_site(facts, [])


def _front_matter(text: str) -> dict[str, Any]:
    _, front, _ = text.split("---\n", 2)
    return yaml.safe_load(front)  # type: ignore[no-any-return]


def test_list_pages_declare_and_link_their_data(pages: dict[str, bytes], files: dict[str, bytes]) -> None:
    expected = {
        "index.md": {"data/notices.xml", "data/centers.atom", "data/deadlines.ics"},
        "centers/index.md": {"data/centers.csv", "data/centers.xlsx", "data/centers.json", "data/centers.atom"},
        "notices/index.md": {"data/notices.xml", "data/notices.json", "data/notices.csv"},
        "deadlines.md": {"data/deadlines.ics", "data/deadlines.csv"},
        "ratings.md": {"data/assessments.csv"},
    }
    for path, wanted in expected.items():
        text = pages[path].decode("utf-8")
        alternates = _front_matter(text)["tic_alternate"]
        assert {a["href"] for a in alternates} == wanted, path
        assert all(a["href"] in files and a["type"] and a["title"] for a in alternates)
        depth = "../" * path.count("/")
        for href in wanted:  # and the page body links each one
            assert f"]({depth}{href})" in text, (path, href)
    deadlines = pages["deadlines.md"].decode("utf-8")
    assert all(f"]({p})" in deadlines for p in files if p.startswith("data/counties/"))
    data_page = _front_matter(files["data/index.md"].decode("utf-8"))["tic_alternate"]
    assert {a["href"] for a in data_page} <= set(files)


def test_record_pages_link_and_declare_their_data(pages: dict[str, bytes], facts: RegistryFacts) -> None:
    for c in facts.centers:
        parts = read_record_page(pages[record_page_file("centers", c.id)].decode("utf-8"))
        hrefs = [a["href"] for a in parts["alternate"]]
        assert hrefs == [f"data/centers/{c.id}.atom", f"data/centers/{c.id}.ics", f"data/centers/{c.id}.json"]
        assert [a["type"] for a in parts["alternate"]] == ["application/atom+xml", "text/calendar", "application/json"]
        for href in hrefs:
            assert f'<a href="../../{href}"' in parts["body"]
    notice = read_record_page(pages[record_page_file("notices", "approval-2026")].decode("utf-8"))
    assert notice["alternate"][0] == {
        "href": "data/notices.xml",
        "type": "application/atom+xml",
        "title": "公示公告（Atom）",
    }
    assert '<a href="../../data/notices.xml"' in notice["body"]


def test_every_declared_data_file_has_a_sitemap_beside_it(pages: dict[str, bytes], files: dict[str, bytes]) -> None:
    """Material fetches the sitemap.xml beside each <link rel="alternate"> (instant navigation or not):
    one must be there, or every page with a feed logs a 404 in the browser."""
    declared = {
        a["href"]
        for text in pages.values()
        if text.startswith(b"---")
        for a in _front_matter(text.decode()).get("tic_alternate") or []
    }
    declared |= {
        a["href"]
        for path, text in pages.items()
        if path.endswith(".html")
        for a in read_record_page(text.decode("utf-8")).get("alternate", [])
    }
    assert declared
    for href in declared:
        assert href.rsplit("/", 1)[0] + "/sitemap.xml" in files, href
    listed = ET.fromstring(files["data/centers/sitemap.xml"])
    locs = {e.text for e in listed.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://xinzhou-tic.github.io/registry/data/centers/sample-zhongyao.ics" in locs
    assert len(locs) == len([p for p in files if p.startswith("data/centers/") and not p.endswith("sitemap.xml")])


@pytest.mark.slow
def test_built_pages_declare_their_feeds_in_the_head(built_site: Path) -> None:
    """Feed autodiscovery in the built site: the theme's head (overrides/main.html) carries the
    front matter's tic_alternate (a record page: its header's alternate, which the plugin puts there)
    as <link rel="alternate">, hrefs relative to the page."""
    expected = {
        "index.html": ("data/notices.xml", "application/atom+xml"),
        "centers/index.html": ("../data/centers.csv", "text/csv"),
        "notices/index.html": ("../data/notices.xml", "application/atom+xml"),
        "deadlines/index.html": ("../data/deadlines.ics", "text/calendar"),
        "ratings/index.html": ("../data/assessments.csv", "text/csv"),
        "data/index.html": ("centers.atom", "application/atom+xml"),
        # record pages: the plugin puts the record header's alternate into the page's meta
        "centers/sample-meitan/index.html": ("../../data/centers/sample-meitan.ics", "text/calendar"),
        "notices/approval-2025/index.html": ("../../data/notices.xml", "application/atom+xml"),
    }
    for page, (href, kind) in expected.items():
        head = (built_site / page).read_text(encoding="utf-8").split("</head>", 1)[0]
        links = re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)" title="([^"]+)">', head)
        assert (kind, href) in {(t, h) for t, h, _ in links}, (page, links)
        for _, target, _ in links:
            assert (built_site / page).parent.joinpath(target).resolve().is_file(), (page, target)


@pytest.mark.slow
def test_the_dictionary_tables_are_folded_and_name_their_file(built_site: Path) -> None:
    """Each table of the dictionary is a closed <details> whose summary names its file and how
    many columns it documents (a phone lays out only what a reader opens); the file list stays open."""
    html_page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    head, dictionary = html_page.split('id="数据字典"', 1)
    dictionary = dictionary.split("<h2", 1)[0]  # up to the next section
    assert "<table" in head and "<details" not in head  # the files and their links are not folded
    folds = re.findall(r"<details class=\"abstract\">\s*<summary>(.+?)</summary>(.*?)</details>", dictionary, re.S)
    summaries = [s for s, _ in folds]
    assert len(folds) == dictionary.count("<table") == 11, summaries
    for summary, body in folds:
        count = int(re.search(r"(\d+) (?:列|个字段)$", summary).group(1))
        assert count == body.count("<tr>") - 1, summary  # header row aside
    assert summaries[0].startswith("centers.csv 的 ") and summaries[-1].startswith("JSON 文件头的 ")
