"""Open data: every file read back with an independent tool, not with the generator's code.

frictionless validates the Data Package (types, constraints, primary and foreign keys,
byte counts and hashes of every file it lists), openpyxl reads the workbook, csv
(utf-8-sig) the CSV files and jsonschema every JSON file against the schema published
beside it. The feeds and calendars: tests/test_opendata_feeds.py; the data dictionary
and the pages' links to their data: tests/test_opendata_dictionary.py.
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

import frictionless
import icalendar
import jsonschema
import openpyxl
import pytest
from referencing import Registry, Resource

from generator.derive.deadlines import DEADLINE_STATES
from generator.derive.facts import RegistryFacts, derive
from generator.derive.notices import NOTICE_STATES
from generator.derive.status import DETAILS, STATUSES
from generator.records.model import EVENT_LABELS, Event
from generator.records.model import Registry as Records
from generator.render.opendata import xlsx as opendata_xlsx
from generator.render.opendata.plan import render_open_data
from generator.render.opendata.tables import TABLES
from generator.render.opendata.versions import DATA_VERSION, VERSIONS
from generator.render.opendata.xlsx import render_xlsx

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 27)
OPEN_STATES = {"open", "due_today", "overdue"}
EVIL_NAME = "=cmd|' /C calc'!A0 忻州市技术创新中心"
EVIL_TITLE = "关于<script>alert(1)</script>]]>&amp;的公示"
TABLE_NAMES = ("centers", "assessments", "deadlines", "notices", "events", "units")
COUNTY_FILES = {
    *(
        f"data/counties/{code}.ics"
        for code in (
            "140902",
            "140921",
            "140922",
            "140923",
            "140924",
            "140925",
            "140926",
            "140927",
            "140928",
            "140929",
            "140930",
            "140931",
            "140932",
            "140981",
        )
    ),
    "data/counties/kaifaqu.ics",
}
#: State columns: code column → (label column, the derivation's code → label table).
VOCABULARY = {
    ("centers", "status"): ("status_label", STATUSES),
    ("centers", "status_detail"): ("status_detail_label", DETAILS),
    ("centers", "next_deadline_state"): ("next_deadline_state_label", DEADLINE_STATES),
    ("deadlines", "state"): ("state_label", DEADLINE_STATES),
    ("notices", "state"): ("state_label", NOTICE_STATES),
    ("events", "kind"): ("kind_label", EVENT_LABELS),
}


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


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# --- the whole output -------------------------------------------------------------


def test_expected_paths(files: dict[str, bytes], facts: RegistryFacts) -> None:
    expected = {
        "data/index.md",
        "data/changelog.md",
        "data/centers.json",
        "data/notices.json",
        *(f"data/{name}.csv" for name in TABLE_NAMES),
        "data/centers.xlsx",
        "data/datapackage.json",
        "data/notices.xml",
        "data/centers.atom",
        "data/deadlines.ics",
        "data/sitemap.xml",
        "data/centers/sitemap.xml",
        *COUNTY_FILES,
        "schema/center.schema.json",
        "schema/notice.schema.json",
        "schema/registry.schema.json",
        "schema/supervising-units.schema.json",
        "schema/calendar.schema.json",
        "schema/measures.schema.json",
        "schema/centers-data.schema.json",
        "schema/center-data.schema.json",
        "schema/notices-data.schema.json",
        *(f"data/centers/{c.id}.{ext}" for c in facts.centers for ext in ("json", "ics", "atom")),
        *(f"data/templates/{kind}.xlsx" for kind in ("assessment", "evaluation", "approval", "acceptance")),
    }
    assert set(files) == expected
    assert all(isinstance(b, bytes) and b for b in files.values())


def test_two_renders_are_byte_identical(files: dict[str, bytes], records: Records) -> None:
    again = render_open_data(derive(records, AS_OF))
    assert again.keys() == files.keys()
    assert [p for p in files if files[p] != again[p]] == []


def test_record_schemas_are_copied_verbatim(files: dict[str, bytes]) -> None:
    for name in ("center", "notice", "registry", "calendar", "measures"):
        assert files[f"schema/{name}.schema.json"] == (ROOT / "schema" / f"{name}.schema.json").read_bytes()


def test_the_data_version_is_the_newest_in_the_changelog(files: dict[str, bytes]) -> None:
    assert VERSIONS[0].number == DATA_VERSION
    numbers = [tuple(map(int, v.number.split("."))) for v in VERSIONS]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == len(numbers)
    page = files["data/changelog.md"].decode("utf-8")
    assert f"## {DATA_VERSION}（{VERSIONS[0].date}）" in page
    assert "<code>status&#95;label</code>" in page  # a field name in backticks: code, escaped for Markdown


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


def test_schema_rejects_a_wrong_status_and_another_version(out: Path) -> None:
    data = json.loads((out / "data/centers.json").read_text(encoding="utf-8"))
    validator = _validator(out, "centers-data.schema.json")
    assert validator.is_valid(data)
    assert not validator.is_valid({**data, "version": "0.9.0"})
    data["centers"][0]["status"]["label"] = "正常"
    assert not validator.is_valid(data)


def test_every_json_file_says_its_date_sample_flag_and_version(out: Path) -> None:
    for path in (out / "data").rglob("*.json"):
        if path.name == "datapackage.json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        assert (data["as_of"], data["sample_data"], data["version"]) == ("2026-11-27", True, DATA_VERSION), path


def test_centers_json_matches_facts(files: dict[str, bytes], facts: RegistryFacts) -> None:
    data = json.loads(files["data/centers.json"])
    assert data["as_of"] == "2026-11-27" and data["license"] == "CC-BY-4.0" and data["sample_data"] is True
    assert [c["id"] for c in data["centers"]] == [c.id for c in facts.centers]
    header = {k: v for k, v in data.items() if k != "centers"}
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
        assert json.loads(files[f"data/centers/{c.id}.json"]) == {**header, "center": obj}
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


def test_funding_due_on_is_a_date_and_its_reason_is_text(files: dict[str, bytes], facts: RegistryFacts) -> None:
    data = json.loads(files["data/centers.json"])
    entitlements = [(c["id"], e) for c in data["centers"] for e in c["funding"]["entitlements"]]
    assert {e["kind"] for _, e in entitlements} == {"建设经费"}  # no sample center has three 优秀 in a row
    for center_id, e in entitlements:
        assert dt.date.fromisoformat(e["due_on"]) <= AS_OF
        approval = facts.by_id[center_id].center.first("approval")  # due on the day of the approval
        assert approval and e["due_on"] == approval.date.isoformat()
        assert e["due_reason"] == f"{e['due_on']} 批准建设"


def test_an_award_is_due_on_the_day_of_the_third_excellent_result(records: Records) -> None:
    center = records.center("sample-nongmu")
    assert center is not None
    grades = [
        Event(len(center.events) + i, dt.date(year + 1, 3, 1), "annual_assessment", {"year": year, "grade": "优秀"})
        for i, year in enumerate((2026, 2027, 2028))
    ]
    grown = replace(center, events=(*center.events, *grades))
    later = derive(
        replace(records, centers=tuple(grown if c is center else c for c in records.centers)), dt.date(2029, 6, 1)
    )
    data = json.loads(render_open_data(later)["data/centers/sample-nongmu.json"])["center"]
    award = next(e for e in data["funding"]["entitlements"] if e["kind"] == "优秀奖励")
    assert award["due_on"] == "2029-03-01" and "连续3年考核优秀" in award["due_reason"]


def test_deadline_uids_are_in_the_json_and_unique(files: dict[str, bytes]) -> None:
    data = json.loads(files["data/centers.json"])
    uids = [d["uid"] for c in data["centers"] for d in c["deadlines"]]
    assert len(uids) == len(set(uids)) > 0
    assert all(
        u.startswith(f"{c['id']}.deadline.") for c in data["centers"] for u in (d["uid"] for d in c["deadlines"])
    )


def test_notices_json(files: dict[str, bytes], facts: RegistryFacts) -> None:
    data = json.loads(files["data/notices.json"])
    assert len(data["notices"]) == len(facts.notices)
    dates = [n["issue_date"] for n in data["notices"]]
    assert dates == sorted(dates, reverse=True)
    active = next(n for n in data["notices"] if n["id"] == "approval-2026")
    assert active["state"] == "active" and active["period"]["end"] == "2026-12-01"
    assert active["working_days_left"] == 3 and active["period"]["provisional"] is False


def test_an_outcome_after_the_as_of_date_is_not_yet_known(records: Records) -> None:
    """approval-2025 ran 2025-11-10 to 11-14; its outcome is dated 2025-11-17."""

    def outcome(day: dt.date) -> Any:
        files = render_open_data(derive(records, day))
        notice = next(n for n in json.loads(files["data/notices.json"])["notices"] if n["id"] == "approval-2025")
        row = next(r for r in read_csv(files["data/notices.csv"]) if r["notice_id"] == "approval-2025")
        return notice.get("outcome"), (row["outcome"], row["outcome_date"])

    assert outcome(dt.date(2025, 11, 16)) == (None, ("", ""))
    known = outcome(dt.date(2025, 11, 17))
    assert known[0]["result"] == "无异议" and known[1] == ("无异议", "2025-11-17")


# --- CSV ------------------------------------------------------------------------


def test_csv_encoding_and_line_ends(files: dict[str, bytes]) -> None:
    for name in TABLE_NAMES:
        data = files[f"data/{name}.csv"]
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n")
        header = data.decode("utf-8-sig").split("\r\n")[0].split(",")
        assert all(h.isascii() and h == h.lower() for h in header)


def test_every_csv_row_says_its_as_of_date_and_sample_flag(files: dict[str, bytes]) -> None:
    for name in TABLE_NAMES:
        rows = read_csv(files[f"data/{name}.csv"])
        assert rows, name
        assert list(rows[0])[-2:] == ["as_of", "sample_data"]
        assert {(r["as_of"], r["sample_data"]) for r in rows} == {("2026-11-27", "true")}


def test_csv_status_equals_page_status(files: dict[str, bytes], facts: RegistryFacts) -> None:
    rows = read_csv(files["data/centers.csv"])
    assert [r["id"] for r in rows] == sorted(c.id for c in facts.centers)
    for row in rows:
        assert row["status"] == facts.by_id[row["id"]].status
        assert row["status_label"] == facts.by_id[row["id"]].status_label


def test_every_state_column_has_its_code_and_label(files: dict[str, bytes]) -> None:
    """One vocabulary: the code under the plain name, the label under `<name>_label`."""
    for (table, code), (label, names) in VOCABULARY.items():
        rows = read_csv(files[f"data/{table}.csv"])
        pairs = {(r[code], r[label]) for r in rows}
        # a label is its code's name; 已申请 N 天 adds the days since the application
        assert pairs and all(lbl == names[c] or (c == "applied" and lbl.startswith(names[c])) for c, lbl in pairs if c)
        assert all(bool(c) == bool(lbl) for c, lbl in pairs)
    labelled = {(t.name, c.name.removesuffix("_label")) for t in TABLES for c in t.columns if c.name.endswith("_label")}
    assert labelled == set(VOCABULARY)  # no label column without its code, and none left out here


def test_csv_rows(files: dict[str, bytes], facts: RegistryFacts) -> None:
    assessments = read_csv(files["data/assessments.csv"])
    assert len(assessments) == sum(len(c.ratings.annual) for c in facts.centers)
    assert list(assessments[0])[:6] == ["center_id", "center_name", "year", "grade", "date", "source"]
    deadlines = read_csv(files["data/deadlines.csv"])
    assert len(deadlines) == sum(len(c.deadlines) for c in facts.centers)
    assert list(deadlines[0])[:10] == [
        "center_id",
        "uid",
        "key",
        "rule_id",
        "article",
        "title",
        "due",
        "state",
        "state_label",
        "days",
    ]
    assert {r["state"] for r in deadlines} >= {"open", "met", "overdue", "passed", "extended"}


def test_days_mean_what_the_dictionary_says(files: dict[str, bytes]) -> None:
    """Days to the due date while open; days since it once overdue or passed; 0 otherwise."""
    for row in read_csv(files["data/deadlines.csv"]):
        if row["state"] == "unknown":  # the record cannot settle the date
            assert (row["due"], row["days"]) == ("", "0")
            continue
        due, days = dt.date.fromisoformat(row["due"]), int(row["days"])
        if row["state"] == "open":
            assert days == (due - AS_OF).days > 0
        elif row["state"] in ("overdue", "passed"):
            assert days == (AS_OF - due).days > 0
        else:
            assert days == 0, row


def test_deadline_uid_is_stable_when_the_deadline_moves(records: Records) -> None:
    """An approved extension moves the acceptance application's due date, not its uid."""
    center = records.center("sample-zhongyao")
    assert center is not None
    extension = center.first("extension")
    before = replace(center, events=tuple(e for e in center.events if e is not extension))
    without = replace(records, centers=tuple(before if c is center else c for c in records.centers))

    def application(registry: Records) -> dict[str, str]:
        rows = read_csv(render_open_data(derive(registry, AS_OF))["data/deadlines.csv"])
        return next(
            r for r in rows if r["center_id"] == "sample-zhongyao" and r["rule_id"] == "deadline.acceptance-application"
        )

    old, new = application(without), application(records)
    assert old["due"] != new["due"] and old["uid"] == new["uid"]
    assert new["uid"] == "sample-zhongyao.deadline.acceptance-application@xinzhou-tic"


def test_next_deadline_refers_to_its_row_in_deadlines(files: dict[str, bytes]) -> None:
    deadlines = {r["uid"]: r for r in read_csv(files["data/deadlines.csv"])}
    centers = read_csv(files["data/centers.csv"])
    assert any(r["next_deadline_uid"] for r in centers)
    for row in centers:
        if row["next_deadline_uid"]:
            target = deadlines[row["next_deadline_uid"]]
            assert (target["due"], target["state"], target["state_label"]) == (
                row["next_deadline_due"],
                row["next_deadline_state"],
                row["next_deadline_state_label"],
            )


def test_events_csv_has_every_recorded_event_with_its_source(files: dict[str, bytes], facts: RegistryFacts) -> None:
    rows = read_csv(files["data/events.csv"])
    assert len(rows) == sum(len(c.center.until(AS_OF).events) for c in facts.centers)
    keys = [(r["center_id"], r["event_id"]) for r in rows]
    assert len(set(keys)) == len(keys)
    revocation = next(r for r in rows if r["kind"] == "revocation")
    assert revocation["center_id"] == "sample-shengwufei" and revocation["kind_label"] == "撤销资格"
    assert revocation["source_document_number"] and revocation["reason"] and revocation["article"] == "第十八条"
    publicity = next(r for r in rows if r["kind"] == "publicity")
    assert publicity["notice_id"] and publicity["detail"].endswith(publicity["notice_id"])
    funding = next(r for r in rows if r["kind"] == "funding")
    assert float(funding["amount_wan"]) > 0 and funding["funding_kind"]
    approval = next(r for r in rows if r["center_id"] == "sample-zhongyao" and r["kind"] == "approval")
    assert approval["event_id"] == "2024-03-15-approval" and approval["source_document_number"] == "忻科发〔2024〕11号"


def test_notices_csv_has_a_row_per_listed_center(files: dict[str, bytes], facts: RegistryFacts) -> None:
    rows = read_csv(files["data/notices.csv"])
    assert len(rows) == sum(len(n.notice.entries) for n in facts.notices)
    assert {r["center_id"] for r in rows} <= set(facts.by_id)
    revocation = next(r for r in rows if r["subject"] == "拟撤销")
    assert revocation["center_id"] == "sample-shengwufei" and revocation["outcome"] == "无异议"
    active = next(r for r in rows if r["notice_id"] == "approval-2026")
    assert (active["state"], active["state_label"], active["period_end"]) == ("active", "公示中", "2026-12-01")


def test_csv_formula_injection_is_neutralised(evil: dict[str, bytes]) -> None:
    row = read_csv(evil["data/centers.csv"])[0]
    assert row["name"] == "'" + EVIL_NAME
    for name in ("deadlines", "assessments", "events"):
        for r in read_csv(evil[f"data/{name}.csv"]):
            assert not r["center_name"].startswith(("=", "+", "-", "@"))
    # the workbook keeps the text as a text cell, never a formula
    sheet = openpyxl.load_workbook(io.BytesIO(evil["data/centers.xlsx"]))["中心"]
    cell = sheet.cell(row=2, column=2)
    assert cell.value == EVIL_NAME and cell.data_type == "s"


# --- Data Package -----------------------------------------------------------------


def test_datapackage_is_valid_with_foreign_keys(out: Path, files: dict[str, bytes]) -> None:
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "data-package" and package["version"] == DATA_VERSION
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"].startswith("2026-11-27") and package["as_of"] == "2026-11-27"
    assert package["sample_data"] is True
    keys = {r["name"]: r.get("schema", {}).get("foreignKeys") for r in package["resources"]}
    to_centers = {"fields": ["center_id"], "reference": {"resource": "centers", "fields": ["id"]}}
    to_units = {"fields": ["supervising_unit_id"], "reference": {"resource": "units", "fields": ["id"]}}
    for name in ("assessments", "deadlines", "events"):
        assert keys[name] == [to_centers]
    assert keys["notices"] == [to_centers, to_units] and keys["centers"] == [to_units] and keys["units"] is None
    for resource in package["resources"]:
        if "schema" in resource:  # every table declares its date and sample flag
            assert [f["name"] for f in resource["schema"]["fields"]][-2:] == ["as_of", "sample_data"]
    report = frictionless.validate(out / "data/datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    rows = {t.name: t.stats.get("rows") for t in report.tasks}
    assert {name: rows[name] for name in TABLE_NAMES} == {
        name: len(read_csv(files[f"data/{name}.csv"])) for name in TABLE_NAMES
    }


def test_datapackage_describes_every_file_but_the_per_center_ones(out: Path, files: dict[str, bytes]) -> None:
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    described = {"data/" + r["path"] for r in package["resources"]}
    data_files = {p for p in files if p.startswith("data/") and not p.endswith((".md", "sitemap.xml"))}
    per_center = {p for p in data_files if p.startswith("data/centers/")}
    assert described == data_files - per_center - {"data/datapackage.json"}
    assert "centers/<标识>.ics" in package["description"] and "centers/<标识>.atom" in package["description"]


def test_frictionless_catches_a_dangling_center_id(out: Path, tmp_path: Path) -> None:
    package = json.loads((out / "data/datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r.get("format") == "csv"]
    for resource in package["resources"]:
        del resource["hash"], resource["bytes"]
        data = (out / "data" / resource["path"]).read_bytes()
        if resource["name"] == "events":
            data = data.replace(b"\r\nsample-zaliang,", b"\r\nsample-nosuch,", 1)
        (tmp_path / resource["path"]).write_bytes(data)
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert [(t.name, e.type) for t in report.tasks for e in t.errors] == [("events", "foreign-key")]


# --- Excel ------------------------------------------------------------------------


def test_workbook(files: dict[str, bytes], facts: RegistryFacts) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files["data/centers.xlsx"]))
    assert book.sheetnames == ["说明", "中心", "考核", "期限", "公示", "事件", "归口管理单位"]
    assert book.active is not None and book.active.title == "中心"  # opens on the data
    about = {row[0].value: row[1].value for row in book["说明"].iter_rows(min_row=2)}
    assert about["数据截至"] == "2026-11-27" and about["演示数据"].startswith("是")
    assert about["数据格式版本"] == DATA_VERSION
    counts = {
        "中心": len(facts.centers),
        "考核": sum(len(c.ratings.annual) for c in facts.centers),
        "期限": sum(len(c.deadlines) for c in facts.centers),
        "公示": sum(len(n.notice.entries) for n in facts.notices),
        "事件": sum(len(c.center.until(AS_OF).events) for c in facts.centers),
        "归口管理单位": len(facts.units.units) if facts.units else 0,
    }
    for sheet in book.worksheets[1:]:
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


def test_workbook_equals_one_written_cell_by_cell(facts: RegistryFacts) -> None:
    """The fast sheets and shared strings give the bytes xlsxwriter's public API gives cell by
    cell, also for texts it escapes or truncates, for a table without rows and for one of
    several chunks."""
    odd = [
        "_x0041_ 转义",
        "控制\x01字符",
        " 前后空格 ",
        'a&b<c>"d"',
        "换行\n文本",
        "末尾换行\n",
        "表情😀",
        "\ufffe",
        "长" * 40000,
    ]
    rows = {t.name: t.rows(facts) for t in TABLES}
    names = [c.name for c in TABLES[0].fields]
    odd_columns = {names.index(name): shift for name, shift in (("flags", 0), ("address", 3), ("former_names", 6))}
    rows["centers"] = [
        tuple(odd[(i + odd_columns[col]) % 9] if col in odd_columns else value for col, value in enumerate(row))
        for i, row in enumerate(rows["centers"])
    ]
    rows["assessments"] = []
    rows["events"] = rows["events"] * (9000 // len(rows["events"]) + 1)  # more rows than one chunk of cells
    assert render_xlsx(facts, rows) == render_xlsx(facts, rows, cell_by_cell=True)


def test_a_text_like_rich_text_xml_stays_text(facts: RegistryFacts) -> None:
    """xlsxwriter would write `<r>…</r>` into the shared strings as XML; a record's text is text."""
    rows = {t.name: t.rows(facts) for t in TABLES}
    address = [c.name for c in TABLES[0].fields].index("address")
    rows["centers"] = [
        tuple("<r><t>注入</t></r>" if i == address else v for i, v in enumerate(r)) for r in rows["centers"]
    ]
    workbook = render_xlsx(facts, rows)
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        assert "<r><t>注入" not in z.read("xl/sharedStrings.xml").decode()
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["中心"]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, headers.index("通讯地址") + 1).value == "<r><t>注入</t></r>"


def test_the_package_is_rewritten_entry_for_entry(files: dict[str, bytes]) -> None:
    """Swapping nothing gives the same bytes: every zip entry is written as xlsxwriter wrote it."""
    assert opendata_xlsx.repack(files["data/centers.xlsx"], {}) == files["data/centers.xlsx"]


def test_workbook_zip_is_deterministic(files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(files["data/centers.xlsx"])) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2026-11-27T00:00:00Z" in core


def test_site_url_makes_links_absolute(records: Records) -> None:
    settings = replace(records.settings, data={**records.settings.data, "site_url": "https://example.org/tic"})
    files = render_open_data(derive(replace(records, settings=settings), AS_OF))
    center = json.loads(files["data/centers.json"])["centers"][0]
    assert center["page_url"] == f"https://example.org/tic/{center['page']}"
    assert read_csv(files["data/centers.csv"])[0]["page"] == f"https://example.org/tic/{center['page']}"
    assert "BASE=https://example.org/tic/data/" in files["data/index.md"].decode("utf-8")
    assert json.loads(files["data/datapackage.json"])["homepage"] == "https://example.org/tic/data/"


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
    assert (rows["sample-guangfu"]["status_detail_label"], rows["sample-guangfu"]["status_detail"]) == (
        "已申请 22 天",
        "applied",
    )
    assert rows["sample-gufei"]["status_detail_label"] == "逾期未申请"
    assert rows["sample-nongmu"]["status_detail"] == rows["sample-nongmu"]["status_detail_label"] == ""


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
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"] if "schema" in r}
    for name in ("status", "status_detail", "next_deadline", "revocation_flag", "flags", "funding_outstanding_wan"):
        assert fields["centers"][name].get("derived") is True, name
    for name in ("id", "name", "approval_date", "funding_granted_wan"):
        assert "derived" not in fields["centers"][name], name
    assert fields["deadlines"]["due"].get("derived") is True
    page = files["data/index.md"].decode("utf-8")
    assert "| status | 状态代码 | 文字 | 本站推算 |" in page
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


def test_units_file_and_the_unit_id_of_centers_and_notices(records: Records) -> None:
    """units.csv lists the supervising units' list; a center or notice entry carries the id of
    the unit its name means, a former name included (one unit however it was written), and
    no id for a name the list does not hold (validate reports that one)."""
    assert records.units is not None
    xinfu = records.units.get("xinfu-gxkj")
    assert xinfu is not None and xinfu.former_names
    first, second, *rest = records.centers
    centers = (
        replace(first, data={**first.data, "supervising_unit": xinfu.former_names[0]}),
        replace(second, data={**second.data, "supervising_unit": "不在名录中的单位"}),
        *rest,
    )
    notice = records.notices[0]
    entries = [{**notice.entries[0], "supervising_unit": xinfu.name}, *notice.entries[1:]]
    notices = (replace(notice, data={**notice.data, "entries": entries}), *records.notices[1:])
    files = render_open_data(derive(replace(records, centers=centers, notices=notices), AS_OF))

    units = read_csv(files["data/units.csv"])
    assert [(u["id"], u["name"], u["county"]) for u in units] == sorted(
        (u.id, u.name, u.county) for u in records.units.units
    )
    assert next(u for u in units if u["id"] == "xinfu-gxkj")["former_names"] == "；".join(xinfu.former_names)
    rows = {r["id"]: r for r in read_csv(files["data/centers.csv"])}
    assert rows[first.id]["supervising_unit_id"] == "xinfu-gxkj"
    assert rows[second.id]["supervising_unit_id"] == ""
    for c in rest:
        unit = records.units.named(c.data["supervising_unit"])
        assert unit is not None and rows[c.id]["supervising_unit_id"] == unit.id
    by_id = {c["id"]: c for c in json.loads(files["data/centers.json"])["centers"]}
    assert by_id[first.id]["supervising_unit_id"] == "xinfu-gxkj" and by_id[second.id]["supervising_unit_id"] is None
    entry = next(r for r in read_csv(files["data/notices.csv"]) if r["notice_id"] == notice.id and r["entry_no"] == "1")
    assert entry["supervising_unit_id"] == "xinfu-gxkj"
