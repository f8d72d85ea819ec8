"""Open data: every file read back with an independent tool, not with the generator's code.

frictionless validates the Data Package (types, constraints, primary and foreign keys,
byte counts and hashes), feedparser reads the Atom feed, icalendar the calendar, openpyxl
the workbook, csv (utf-8-sig) the CSV files and jsonschema every JSON file against the
schema published beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
import frictionless
import icalendar
import jsonschema
import openpyxl
import pytest
import xlsxwriter
from referencing import Registry, Resource
from xlsxwriter.worksheet import Worksheet

from generator.derive.facts import RegistryFacts, derive
from generator.records.model import Registry as Records
from generator.render.opendata import xlsx as opendata_xlsx
from generator.render.opendata.feeds import fold
from generator.render.opendata.plan import render_open_data
from generator.render.opendata.tables import TABLES
from generator.render.opendata.xlsx import render_xlsx
from generator.validate.registry import validate_registry

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 27)
OPEN_STATES = {"open", "due_today", "overdue"}
EVIL_NAME = "=cmd|' /C calc'!A0 忻州市技术创新中心"
EVIL_TITLE = "关于<script>alert(1)</script>]]>&amp;的公示"


@pytest.fixture(scope="module")
def records() -> Records:
    return validate_registry(ROOT / "registry", ROOT).registry


@pytest.fixture(scope="module")
def facts(records: Records) -> RegistryFacts:
    return derive(records, AS_OF)


@pytest.fixture(scope="module")
def files(facts: RegistryFacts) -> dict[str, bytes]:
    return render_open_data(facts)


@pytest.fixture(scope="module")
def out(files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def evil(records: Records) -> dict[str, bytes]:
    """A registry whose record text tries formula injection, markup and CDATA breaking."""
    center = records.centers[0]
    centers = (replace(center, data={**center.data, "name": EVIL_NAME}), *records.centers[1:])
    notice = records.notices[0]
    entries = [{**notice.entries[0], "name": EVIL_TITLE}, *notice.entries[1:]]
    notices = (replace(notice, data={**notice.data, "title": EVIL_TITLE, "entries": entries}), *records.notices[1:])
    return render_open_data(derive(replace(records, centers=centers, notices=notices), AS_OF))


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- the whole output -------------------------------------------------------------


def test_expected_paths(files: dict[str, bytes], facts: RegistryFacts) -> None:
    expected = {
        "data/index.md",
        "data/centers.json",
        "data/notices.json",
        "data/centers.csv",
        "data/assessments.csv",
        "data/deadlines.csv",
        "data/centers.xlsx",
        "data/datapackage.json",
        "data/notices.xml",
        "data/deadlines.ics",
        "schema/center.schema.json",
        "schema/notice.schema.json",
        "schema/registry.schema.json",
        "schema/calendar.schema.json",
        "schema/measures.schema.json",
        "schema/centers-data.schema.json",
        "schema/center-data.schema.json",
        "schema/notices-data.schema.json",
        *(f"data/centers/{c.id}.json" for c in facts.centers),
        *(f"data/templates/{kind}.xlsx" for kind in ("assessment", "evaluation", "approval", "acceptance")),
    }
    assert set(files) == expected
    assert all(isinstance(b, bytes) and b for b in files.values())


def test_two_renders_are_byte_identical(files: dict[str, bytes], records: Records) -> None:
    again = render_open_data(derive(records, AS_OF))
    assert again.keys() == files.keys()
    assert [p for p in files if files[p] != again[p]] == []


def test_record_schemas_are_copied_verbatim(files: dict[str, bytes]) -> None:
    for name in ("center", "notice", "registry", "measures"):
        assert files[f"schema/{name}.schema.json"] == (ROOT / "schema" / f"{name}.schema.json").read_bytes()


# --- JSON and its schemas ---------------------------------------------------------


def _validator(out: Path, name: str) -> jsonschema.Draft202012Validator:
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "schema").glob("*.schema.json")]
    for schema in schemas:
        jsonschema.Draft202012Validator.check_schema(schema)
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    schema = json.loads((out / "schema" / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def test_every_json_file_validates_against_its_published_schema(out: Path) -> None:
    by_schema = {
        "centers-data.schema.json": [out / "data/centers.json"],
        "center-data.schema.json": sorted((out / "data/centers").glob("*.json")),
        "notices-data.schema.json": [out / "data/notices.json"],
    }
    checked = 0
    for name, paths in by_schema.items():
        validator = _validator(out, name)
        for path in paths:
            errors = [
                f"{path.name}: {list(e.absolute_path)} {e.message}"
                for e in validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))
            ]
            assert errors == []
            checked += 1
    json_files = [p for p in (out / "data").rglob("*.json") if p.name != "datapackage.json"]
    assert checked == len(json_files)  # datapackage.json: frictionless validates it, below


def test_schema_rejects_a_wrong_status(out: Path) -> None:
    data = json.loads((out / "data/centers.json").read_text(encoding="utf-8"))
    data["centers"][0]["status"]["label"] = "正常"
    assert not _validator(out, "centers-data.schema.json").is_valid(data)


def test_centers_json_matches_facts(files: dict[str, bytes], facts: RegistryFacts) -> None:
    data = json.loads(files["data/centers.json"])
    assert data["as_of"] == "2026-11-27" and data["license"] == "CC-BY-4.0" and data["sample_data"] is True
    assert [c["id"] for c in data["centers"]] == [c.id for c in facts.centers]
    for obj, c in zip(data["centers"], facts.centers):
        status = {k: obj["status"][k] for k in ("key", "label", "since", "provisional", "text")}
        assert status == {
            "key": c.status,
            "label": c.status_label,
            "since": c.history[-1].start.isoformat(),
            "provisional": c.since_provisional,
            "text": c.status_text,
        }
        assert [d["provisional"] for d in obj["deadlines"]] == [d.provisional for d in c.deadlines]
        assert [d["due"] for d in obj["deadlines"]] == [d.due and d.due.isoformat() for d in c.deadlines]
        assert json.loads(files[f"data/centers/{c.id}.json"]) == obj
    zaliang = next(o for o in data["centers"] if o["id"] == "sample-zaliang")
    assert zaliang["former_names"][0]["name"] == "忻州市示例杂粮加工技术创新中心"
    assert zaliang["former_names"][0]["renamed_on"] == "2024-05-10"
    assert zaliang["division_code"] == "140902"
    assert [a["year"] for a in zaliang["ratings"]["annual"]] == [2022, 2023, 2024, 2025]
    assert zaliang["funding"]["granted_wan"] == 15
    dev_zone = next(o for o in data["centers"] if o["location"] == "忻州经济开发区")
    assert dev_zone["division_code"] is None
    text = files["data/centers.json"].decode("utf-8")
    assert text.endswith("}\n") and "\\u" not in text  # ensure_ascii=False, trailing newline


def test_notices_json(files: dict[str, bytes], facts: RegistryFacts) -> None:
    data = json.loads(files["data/notices.json"])
    assert len(data["notices"]) == len(facts.notices)
    dates = [n["issue_date"] for n in data["notices"]]
    assert dates == sorted(dates, reverse=True)
    active = next(n for n in data["notices"] if n["id"] == "approval-2026")
    assert active["state"] == "active" and active["period"]["end"] == "2026-12-01"
    assert active["working_days_left"] == 3 and active["period"]["provisional"] is False


# --- CSV ------------------------------------------------------------------------


def test_csv_encoding_and_line_ends(files: dict[str, bytes]) -> None:
    for name in ("centers", "assessments", "deadlines"):
        data = files[f"data/{name}.csv"]
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n")
        header = data.decode("utf-8-sig").split("\r\n")[0].split(",")
        assert all(h.isascii() and h == h.lower() for h in header)


def test_csv_status_equals_page_status(files: dict[str, bytes], facts: RegistryFacts) -> None:
    rows = read_csv(files["data/centers.csv"])
    assert [r["id"] for r in rows] == sorted(c.id for c in facts.centers)
    for row in rows:
        assert row["status"] == facts.by_id[row["id"]].status_label
        assert row["status_key"] == facts.by_id[row["id"]].status


def test_csv_rows(files: dict[str, bytes], facts: RegistryFacts) -> None:
    assessments = read_csv(files["data/assessments.csv"])
    assert len(assessments) == sum(len(c.ratings.annual) for c in facts.centers)
    assert list(assessments[0])[:6] == ["center_id", "center_name", "year", "grade", "date", "source"]
    deadlines = read_csv(files["data/deadlines.csv"])
    assert len(deadlines) == sum(len(c.deadlines) for c in facts.centers)
    assert list(deadlines[0])[:9] == [
        "center_id",
        "key",
        "rule_id",
        "article",
        "title",
        "due",
        "state",
        "days",
        "met_on",
    ]
    assert {r["state"] for r in deadlines} >= {"open", "met", "overdue"}


def test_csv_formula_injection_is_neutralised(evil: dict[str, bytes]) -> None:
    row = read_csv(evil["data/centers.csv"])[0]
    assert row["name"] == "'" + EVIL_NAME
    for name in ("deadlines", "assessments"):
        for r in read_csv(evil[f"data/{name}.csv"]):
            assert not r["center_name"].startswith(("=", "+", "-", "@"))
    # the workbook keeps the text as a text cell, never a formula
    sheet = openpyxl.load_workbook(io.BytesIO(evil["data/centers.xlsx"]))["中心"]
    cell = sheet.cell(row=2, column=2)
    assert cell.value == EVIL_NAME and cell.data_type == "s"


# --- Data Package -----------------------------------------------------------------


def test_datapackage_is_valid_with_foreign_keys(out: Path) -> None:
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"].startswith("2026-11-27")
    keys = {r["name"]: r["schema"].get("foreignKeys") for r in package["resources"]}
    assert keys["assessments"][0]["reference"] == {"resource": "centers", "fields": ["id"]}
    assert keys["deadlines"][0]["reference"] == {"resource": "centers", "fields": ["id"]}
    report = frictionless.validate(out / "data/datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert {t.name: t.stats["rows"] for t in report.tasks} == {
        "centers": 15,
        "assessments": len(read_csv((out / "data/assessments.csv").read_bytes())),
        "deadlines": len(read_csv((out / "data/deadlines.csv").read_bytes())),
    }


def test_frictionless_catches_a_dangling_center_id(out: Path, tmp_path: Path) -> None:
    for name in ("centers.csv", "assessments.csv"):
        (tmp_path / name).write_bytes((out / "data" / name).read_bytes())
    data = (out / "data/deadlines.csv").read_bytes().replace(b"\r\nsample-zaliang,", b"\r\nsample-nosuch,", 1)
    (tmp_path / "deadlines.csv").write_bytes(data)
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        del resource["hash"], resource["bytes"]
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert [e.type for t in report.tasks for e in t.errors] == ["foreign-key"]


# --- Excel ------------------------------------------------------------------------


def test_workbook(files: dict[str, bytes], facts: RegistryFacts) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files["data/centers.xlsx"]))
    assert book.sheetnames == ["中心", "考核", "期限"]
    counts = {
        "中心": len(facts.centers),
        "考核": sum(len(c.ratings.annual) for c in facts.centers),
        "期限": sum(len(c.deadlines) for c in facts.centers),
    }
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.max_row == counts[sheet.title] + 1
        assert all(not str(c.value).isascii() for c in sheet[1])  # Chinese headers
    centers = book["中心"]
    headers = [c.value for c in centers[1]]
    assert headers[:2] == ["标识", "中心名称"]
    status = headers.index("状态") + 1
    for row in range(2, centers.max_row + 1):
        assert centers.cell(row, status).value == facts.by_id[centers.cell(row, 1).value].status_label
    assert centers.column_dimensions["B"].width >= 2 * len("忻州市示例功能杂粮技术创新中心")
    assert book.properties.created == dt.datetime(2026, 11, 27)


class _CellByCell(Worksheet):
    """xlsxwriter's public API, one cell at a time, column after column: what the workbook's
    column-at-a-time sheet (opendata_xlsx.ColumnSheet) must reproduce byte for byte."""

    def __init__(self) -> None:
        super().__init__()
        self._next_col = 0

    def write_column(self, title: str, header: Any, kind: str, values: list[Any], cell_format: Any = None) -> None:
        col, self._next_col = self._next_col, self._next_col + 1
        self.write_string(0, col, title, header)
        for row, value in enumerate(values, 1):
            if value is None:
                continue
            if kind == "string":
                self.write_string(row, col, value, cell_format)
            elif kind == "number":
                self.write_number(row, col, value, cell_format)
            else:
                self.write_datetime(row, col, dt.datetime.combine(value, dt.time()), cell_format)


def test_workbook_equals_one_written_cell_by_cell(facts: RegistryFacts, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast sheet and shared strings give the bytes xlsxwriter gives cell by cell, also for
    texts it escapes or truncates, and for a table without rows."""
    odd = [
        "_x0041_ 转义",
        "控制\x01字符",
        " 前后空格 ",
        'a&b<c>"d"',
        "换行\n文本",
        "<r>富文本</r>",
        "表情😀",
        "\ufffe",
        "长" * 40000,
    ]
    rows = {t.name: t.rows(facts) for t in TABLES}
    rows["centers"] = [
        {**row, "flags": odd[i % 9], "address": odd[(i + 3) % 9], "former_names": odd[(i + 6) % 9]}
        for i, row in enumerate(rows["centers"])
    ]
    rows["assessments"] = []
    fast = render_xlsx(facts, rows)
    monkeypatch.setattr(opendata_xlsx, "ColumnSheet", _CellByCell)
    monkeypatch.setattr(opendata_xlsx, "_Workbook", xlsxwriter.Workbook)
    assert fast == render_xlsx(facts, rows)


def test_workbook_zip_is_deterministic(files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(files["data/centers.xlsx"])) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2026-11-27T00:00:00Z" in core


# --- Atom -------------------------------------------------------------------------


def test_atom_feed(files: dict[str, bytes], facts: RegistryFacts) -> None:
    feed = feedparser.parse(files["data/notices.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == len(facts.notices)
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    newest = feed.entries[0]
    assert newest.id == "tag:xinzhou-tic.github.io,2024:notice/approval-2026"
    assert "2026-11-25 至 2026-12-01" in newest.summary
    assert "忻州市样例生态修复技术创新中心" in newest.summary
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_atom_feed_keeps_markup_inert(evil: dict[str, bytes]) -> None:
    raw = evil["data/notices.xml"]
    assert b"<script>" not in raw
    feed = feedparser.parse(raw, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    entry = next(e for e in feed.entries if e.title_detail.value == EVIL_TITLE)
    assert entry.title_detail.type == "text/plain"
    assert EVIL_TITLE in entry.summary_detail.value
    # an XML parser that knows nothing about feeds reads the same text back
    import xml.etree.ElementTree as ET

    titles = [t.text for t in ET.fromstring(raw).iter("{http://www.w3.org/2005/Atom}title")]
    assert EVIL_TITLE in titles


# --- iCalendar --------------------------------------------------------------------


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_calendar(files: dict[str, bytes], facts: RegistryFacts) -> None:
    data = files["data/deadlines.ics"]
    assert data.count(b"\n") == data.count(b"\r\n")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    open_deadlines = [(c, d) for c in facts.centers for d in c.deadlines if d.state in OPEN_STATES]
    events = _events(data)
    assert len(events) == len(open_deadlines) > 0
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        start = event.decoded("DTSTART")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
        assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
        assert "第" in str(event["DESCRIPTION"]) and "条" in str(event["DESCRIPTION"])
    by_uid = {str(e["UID"]): e for e in events}
    c, d = next((c, d) for c, d in open_deadlines if c.id == "sample-gufei")
    event = by_uid[f"sample-gufei.{d.key}@xinzhou-tic"]
    assert str(event["SUMMARY"]) == f"{c.center.name}：{d.title}"


def test_calendar_lines_fold_greedily_between_characters() -> None:
    line = "DESCRIPTION:" + "忻州a😀\\," * 40
    parts = fold(line).split(b"\r\n")
    assert parts[-1] == b"" and all(p.startswith(b" ") for p in parts[1:-1])
    chunks = [parts[0], *(p[1:] for p in parts[1:-1])]
    assert b"".join(chunks).decode("utf-8") == line  # every chunk ends between characters
    for part, after in zip(parts, chunks[1:]):  # a line is full: the next character would not fit
        assert len(part) <= 75 < len(part) + len(after.decode("utf-8")[0].encode("utf-8"))


def test_calendar_uids_are_stable_across_builds(records: Records) -> None:
    def uids(day: dt.date) -> set[str]:
        return {str(e["UID"]) for e in _events(render_open_data(derive(records, day))["data/deadlines.ics"])}

    first, later = uids(AS_OF), uids(dt.date(2026, 12, 3))
    # a deadline still open a week later keeps its UID
    assert "sample-zhongyao.deadline.extension-end@xinzhou-tic" in first & later


def test_a_moved_due_date_keeps_its_uid(records: Records) -> None:
    """A corrected extension end moves the event in a subscribed calendar, not duplicates it."""
    center = records.center("sample-zhongyao")
    extension = center.first("extension")
    moved = replace(extension, fields={**extension.fields, "new_end": "2027-02-01"})
    changed_center = replace(center, events=tuple(moved if e is extension else e for e in center.events))
    changed = replace(records, centers=tuple(changed_center if c is center else c for c in records.centers))

    def ends(registry: Records) -> dict[str, dt.date]:
        events = _events(render_open_data(derive(registry, AS_OF))["data/deadlines.ics"])
        return {
            str(e["UID"]): e.decoded("DTSTART") for e in events if "zhongyao.deadline.extension-end" in str(e["UID"])
        }

    assert list(ends(records).values()) == [dt.date(2027, 3, 15)]
    assert ends(changed) == {uid: dt.date(2027, 2, 1) for uid in ends(records)}


def test_calendar_escapes_text(evil: dict[str, bytes], records: Records) -> None:
    center = records.center("sample-gufei")
    name = "忻州市逗号,分号;反斜杠\\换行\n技术创新中心"
    changed = replace(
        records, centers=tuple(replace(c, data={**c.data, "name": name}) if c is center else c for c in records.centers)
    )
    events = _events(render_open_data(derive(changed, AS_OF))["data/deadlines.ics"])
    summaries = {str(e["SUMMARY"]) for e in events}
    assert any(s.startswith(name + "：") for s in summaries)


# --- the download page ------------------------------------------------------------


def test_download_page(files: dict[str, bytes]) -> None:
    page = files["data/index.md"].decode("utf-8")
    assert "数据截至 2026-11-27" in page
    for name in (
        "centers.csv",
        "assessments.csv",
        "deadlines.csv",
        "centers.xlsx",
        "datapackage.json",
        "centers.json",
        "notices.json",
        "notices.xml",
        "deadlines.ics",
    ):
        assert f"]({name})" in page
        assert f"{len(files['data/' + name]):,} 字节" in page or f"{len(files['data/' + name])} 字节" in page
    assert "](../schema/center.schema.json)" in page
    assert "utf-8-sig" in page and "curl" in page and "Excel" in page
    assert "| status | 状态 |" in page  # CSV column with its Chinese label
    assert "统一社会信用代码" in page  # a record field from center.schema.json
    assert "](/" not in page  # links stay relative


def test_download_page_escapes_record_text(evil: dict[str, bytes]) -> None:
    page = evil["data/index.md"].decode("utf-8")
    assert EVIL_NAME not in page
    assert "&#61;cmd&#124;" in page  # the name is shown as text and cannot break the table


def test_site_url_makes_links_absolute(records: Records) -> None:
    settings = replace(records.settings, data={**records.settings.data, "site_url": "https://example.org/tic"})
    files = render_open_data(derive(replace(records, settings=settings), AS_OF))
    feed = feedparser.parse(files["data/notices.xml"])
    assert not feed.bozo
    assert feed.entries[0].link == "https://example.org/tic/notices/approval-2026/"
    assert feed.feed.links[0].href == "https://example.org/tic/data/notices.xml"
    event = _events(files["data/deadlines.ics"])[0]
    assert str(event["URL"]).startswith("https://example.org/tic/centers/")
    center = json.loads(files["data/centers.json"])["centers"][0]
    assert center["page_url"] == f"https://example.org/tic/{center['page']}"
    assert "BASE=https://example.org/tic/data/" in files["data/index.md"].decode("utf-8")


# --- recorded facts and what the site derives --------------------------------------------------

EXPIRED = dt.date(2029, 8, 4)


@pytest.fixture(scope="module")
def expired(records: Records) -> dict[str, bytes]:
    """The open data on the day after the measures' five years (第二十一条)."""
    return render_open_data(derive(records, EXPIRED))


def test_json_marks_every_derived_value(files: dict[str, bytes]) -> None:
    """status, deadlines, flags and entitlements carry derived: true and their basis; record
    fields (events) do not."""
    data = json.loads(files["data/centers.json"])
    assert data["measures"] == {
        "number": "忻科规〔2024〕4号",
        "title": "市技术创新中心建设与运行管理办法",
        "in_force_from": "2024-08-04",
        "expires": "2029-08-03",
        "expired": False,
        "note": None,
    }
    seen = set()
    for c in data["centers"]:
        assert c["status"]["derived"] is True and c["status"]["basis"]["rule_id"].startswith("status")
        for item in (*c["deadlines"], *c["flags"], *c["funding"]["entitlements"]):
            assert item["derived"] is True and item["basis"]["measures"] == "忻科规〔2024〕4号"
            assert item["basis"]["measures_expired"] is False
            seen.add(item["basis"]["rule_id"])
        assert all("derived" not in e for e in c["events"])
    assert {"deadline.construction-end", "revocation.extension-expired", "funding.construction"} <= seen
    gufei = next(c for c in data["centers"] if c["id"] == "sample-gufei")
    revocation = next(f for f in gufei["flags"] if f["kind"] == "revocation")
    assert revocation["statement"] == "按第十二条应予撤销（本站推算，以市科技局决定为准）"
    assert revocation["basis"] == {
        "rule_id": "revocation.extension-expired",
        "article": "第十二条",
        "interpretation": True,
        "measures": "忻科规〔2024〕4号",
        "measures_expired": False,
    }


def test_published_schema_declares_the_derived_fields(out: Path) -> None:
    schema = json.loads((out / "schema/centers-data.schema.json").read_text(encoding="utf-8"))
    center = schema["$defs"]["center"]["properties"]
    assert center["status"]["properties"]["derived"]["const"] is True
    assert "本站推算" in center["status"]["properties"]["derived"]["description"]
    assert "derived" in schema["$defs"]["deadline"]["required"]
    assert "interpretation" in schema["$defs"]["basis"]["properties"]
    data = json.loads((out / "data/centers.json").read_text(encoding="utf-8"))
    data["centers"][0]["status"]["derived"] = False
    assert not _validator(out, "centers-data.schema.json").is_valid(data)


def test_status_details_in_json_and_csv(files: dict[str, bytes]) -> None:
    """status.detail: 待验收 · 已申请 N 天 versus 待验收 · 逾期未申请, in the data too."""
    data = {c["id"]: c for c in json.loads(files["data/centers.json"])["centers"]}
    assert data["sample-guangfu"]["status"]["detail"] == {"key": "applied", "label": "已申请 22 天", "days": 22}
    assert data["sample-guangfu"]["status"]["text"] == "待验收 · 已申请 22 天"
    assert data["sample-gufei"]["status"]["detail"]["key"] == "application_overdue"
    assert data["sample-niangzao"]["status"]["text"] == "建设中 · 期满日期记录不足"
    assert data["sample-nongmu"]["status"]["detail"] is None
    rows = {r["id"]: r for r in read_csv(files["data/centers.csv"])}
    assert (rows["sample-guangfu"]["status_detail"], rows["sample-guangfu"]["status_detail_key"]) == (
        "已申请 22 天",
        "applied",
    )
    assert rows["sample-gufei"]["status_detail"] == "逾期未申请"
    assert rows["sample-nongmu"]["status_detail"] == ""


def test_unknown_deadline_is_null_never_overdue(files: dict[str, bytes]) -> None:
    """A legacy approval without a task book: due null / empty, state unknown; not in the calendar."""
    data = {c["id"]: c for c in json.loads(files["data/centers.json"])["centers"]}
    assert [(d["title"], d["due"], d["state"], d["state_label"]) for d in data["sample-niangzao"]["deadlines"]] == [
        ("建设期满", None, "unknown", "记录不足，无法推算")
    ]
    rows = [r for r in read_csv(files["data/deadlines.csv"]) if r["center_id"] == "sample-niangzao"]
    assert [(r["due"], r["state"]) for r in rows] == [("", "unknown")]
    assert not [e for e in _events(files["data/deadlines.ics"]) if "sample-niangzao" in str(e["UID"])]


def test_legacy_centers_in_the_data(files: dict[str, bytes]) -> None:
    """The measures each fact falls under; no 10万元 for centers set up before these measures."""
    data = {c["id"]: c for c in json.loads(files["data/centers.json"])["centers"]}
    meitan, kuangshan = data["sample-meitan"], data["sample-kuangshan"]
    assert meitan["measures"] == {"legacy": True, "established_under": "忻科规〔2023〕2号"}
    assert kuangshan["measures"] == {"legacy": True, "established_under": None}
    assert kuangshan["event_measures"][0] == {"index": 0, "measures": None, "judged": False}
    assert kuangshan["event_measures"][-1] == {"index": 3, "measures": "忻科规〔2024〕4号", "judged": True}
    assert meitan["event_measures"][1] == {"index": 1, "measures": "忻科规〔2023〕2号", "judged": False}
    for center in (meitan, kuangshan, data["sample-zaliang"]):
        assert center["funding"]["entitlements"] == [] and center["funding"]["legacy"] is True
    assert [d["title"] for d in meitan["deadlines"]] == [
        "2024年度绩效考核",
        "2025年度绩效考核",
        "2026年度绩效考核",
        "三年评估",
    ]
    assert next(d for d in meitan["deadlines"] if d["title"] == "三年评估")["due"] == "2027-08-04"
    rows = {r["id"]: r for r in read_csv(files["data/centers.csv"])}
    assert (rows["sample-meitan"]["legacy"], rows["sample-meitan"]["established_under"]) == (
        "true",
        "忻科规〔2023〕2号",
    )
    assert rows["sample-duanzao"]["legacy"] == "false"


def test_csv_derived_columns_are_declared(out: Path, files: dict[str, bytes]) -> None:
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]}
    for name in ("status", "status_detail", "next_deadline", "revocation_flag", "flags", "funding_outstanding_wan"):
        assert fields["centers"][name].get("derived") is True, name
    for name in ("id", "name", "approval_date", "funding_granted_wan"):
        assert "derived" not in fields["centers"][name], name
    assert fields["deadlines"]["due"].get("derived") is True
    page = files["data/index.md"].decode("utf-8")
    assert "| status | 状态 | 文字 | 本站推算 |" in page
    assert "| id | 标识 | 文字 | 记录 |" in page
    assert '"derived": true' in page


def test_after_expiry_every_derived_value_says_so(expired: dict[str, bytes]) -> None:
    """policy.validity: after 2029-08-03 the JSON, CSV and calendar say of every derived value that
    it follows expired measures, citing 第二十一条."""
    note = "本站依据已于 2029-08-03 期满的忻科规〔2024〕4号推算（第二十一条）"
    data = json.loads(expired["data/centers.json"])
    assert data["measures"]["expired"] is True and data["measures"]["note"] == note
    for c in data["centers"]:
        assert c["status"]["basis"]["measures_expired"] is True
        assert all(d["basis"]["measures_expired"] for d in c["deadlines"])
    assert all(r["measures_note"] == note for r in read_csv(expired["data/centers.csv"]))
    assert all(r["measures_note"] == note for r in read_csv(expired["data/deadlines.csv"]))
    events = _events(expired["data/deadlines.ics"])
    assert events and all(note in str(e["DESCRIPTION"]) for e in events)
    calendar = icalendar.Calendar.from_ical(expired["data/deadlines.ics"])
    assert "第二十一条" in str(calendar["X-WR-CALDESC"])
    assert json.loads(expired["data/notices.json"])["measures"]["expired"] is True


def test_calendar_events_say_they_are_derived(files: dict[str, bytes]) -> None:
    events = _events(files["data/deadlines.ics"])
    assert all("本站推算，以市科技局决定为准" in str(e["DESCRIPTION"]) for e in events)
    assert all("期满的" not in str(e["DESCRIPTION"]) for e in events)
