"""Holiday schedules as registry data, end to end: validation, every output's provisional mark, a sweep of years.

The year-end notice of issue 13: approval-2026 issued on 2026-12-28 with the default period
(5 working days counting the issue date). Without a 2027 schedule it ends on 2027-01-04
(元旦 excluded by the statutory rule) and every output marks that date provisional; with the
invented fixture tests/fixtures/calendar/2027.yaml (元旦 1–4 January) it ends on 2027-01-05
and nothing is marked. Rules exercised: dates.working-days, dates.provisional-holidays,
notice.period-count and the calendar.* validation rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import render_outputs
from generator.derive.facts import RegistryFacts, derive
from generator.records.canonical import canonical
from generator.render.env import text_env
from generator.validate.registry import validate_registry
from tests.support import (
    ROOT,
    TEST_SCHEDULE,
    Registry,
    build,
    generate,
    line_of,
    make_project,
    run_cli,
    snapshot,
)

D = dt.date.fromisoformat
MARK = '<span class="tic-provisional"'
SHENGTAI = ("center", "sample-shengtai")  # the center of approval-2026


def _publicity(data: dict) -> dict:
    return next(e for e in data["events"] if e["kind"] == "publicity")


def year_end(reg: Registry, issued: str = "2026-12-28", period: dict | None = None) -> None:
    """approval-2026 issued on `issued` (default period unless `period`), and its center's publicity event."""

    def notice(data: dict) -> None:
        data["issue_date"] = issued
        data["period"] = period or {}
        if not data["period"]:
            del data["period"]

    reg.modify("notice", "approval-2026", notice)
    reg.modify(*SHENGTAI, lambda d: _publicity(d).update(date=issued))


def facts_of(reg: Registry, day: str) -> RegistryFacts:
    result = validate_registry(reg.dir, reg.root)
    assert result.errors == [], result.errors
    return derive(result.registry, D(day))


def _unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "")


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _own_generator(project: Path) -> Path:
    """The project with its own copy of the generator, so `build`'s default docs/ is the project's."""
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schema", project / "schema")
    return project


# --- the year-end notice ------------------------------------------------------------------------


@pytest.fixture
def year_end_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project")
    year_end(Registry(project))
    return project


@pytest.mark.slow
def test_year_end_notice_without_a_schedule_is_provisional_everywhere(year_end_project: Path) -> None:
    """dates.provisional-holidays: 2026-12-28 + 5 working days skips 元旦 2027 and ends 2027-01-04, marked in every output."""
    generated = generate(year_end_project, D("2026-12-30"))
    notice = next(n for n in generated.facts.notices if n.id == "approval-2026")
    assert (notice.period.start, notice.period.end) == (D("2026-12-28"), D("2027-01-04"))
    assert notice.period.provisional and notice.period.end_provisional and not notice.period.start_provisional
    center = generated.facts.by_id["sample-shengtai"]
    assert center.status == "publicity" and center.provisional
    deadline = center.next_deadline
    assert (deadline.rule_id, deadline.due, deadline.provisional) == ("deadline.publicity-end", D("2027-01-04"), True)

    files = snapshot(year_end_project / "docs")
    assert f"2027-01-04{MARK}" in files["centers/sample-shengtai/index.md"].decode()  # center page
    notice_page = files["notices/approval-2026/index.md"].decode()
    assert "2026-12-28 至 2027-01-04" in notice_page and "暂定：该年国务院节假日安排尚未公布" in notice_page
    assert f"2027-01-04</time>{MARK}" in files["deadlines.md"].decode()  # the deadlines page
    home = files["index.md"].decode()
    assert "2026-12-28 至 2027-01-04" in home and MARK in home  # the home page's notices
    assert "暂定" in files["notices/index.md"].decode()

    centers = json.loads(files["data/centers.json"])["centers"]
    shengtai = next(c for c in centers if c["id"] == "sample-shengtai")
    assert [(d["due"], d["provisional"]) for d in shengtai["deadlines"]] == [("2027-01-04", True)]
    assert json.loads(files["data/centers/sample-shengtai.json"])["center"]["deadlines"][0]["provisional"] is True
    period = next(n for n in json.loads(files["data/notices.json"])["notices"] if n["id"] == "approval-2026")["period"]
    assert (period["end"], period["provisional"], period["stated"]) == ("2027-01-04", True, False)
    row = next(r for r in _csv(files["data/centers.csv"]) if r["id"] == "sample-shengtai")
    assert (row["next_deadline_due"], row["provisional"]) == ("2027-01-04", "true")
    others = [r["provisional"] for r in _csv(files["data/centers.csv"]) if r["id"] != "sample-shengtai"]
    assert set(others) == {"false"}
    dictionary = files["data/index.md"].decode()  # the data dictionary declares every new field
    assert "| provisional | 日期暂定 | 是非值（true/false） |" in dictionary
    assert "| provisional | 到期日暂定 | 是非值（true/false） |" in dictionary
    for field in ("deadlines&#91;&#93;.provisional", "status.provisional", "status&#95;history&#91;&#93;.provisional"):
        assert f"| {field} |" in dictionary, field
    rows = [r for r in _csv(files["data/deadlines.csv"]) if r["center_id"] == "sample-shengtai"]
    assert [(r["due"], r["provisional"]) for r in rows] == [("2027-01-04", "true")]

    ics = _unfolded(files["data/deadlines.ics"])
    event = next(e for e in ics.split("BEGIN:VEVENT") if "sample-shengtai.deadline.publicity-end" in e)
    assert "DTSTART;VALUE=DATE:20270104" in event and "到期日暂定：该年国务院节假日安排尚未公布" in event
    atom = files["data/notices.xml"].decode()
    entry = atom[atom.index("notice/approval-2026") :]
    assert "2026-12-28 至 2027-01-04，5个工作日（暂定：" in entry[: entry.index("</entry>")]


@pytest.mark.slow
def test_after_the_provisional_end_the_status_change_is_provisional(year_end_project: Path) -> None:
    """The day after the counted end the center is 待批准, since a provisional date."""
    generated = generate(year_end_project, D("2027-01-05"))
    center = generated.facts.by_id["sample-shengtai"]
    assert center.status == "pending"
    last = center.history[-1]
    assert (last.start, last.start_provisional, center.since_provisional) == (D("2027-01-05"), True, True)
    before = center.history[-2]
    assert (before.status, before.end, before.end_provisional) == ("publicity", D("2027-01-04"), True)
    files = snapshot(year_end_project / "docs")
    page = files["centers/sample-shengtai/index.md"].decode()
    assert f"2027-01-05{MARK}" in page and f"2027-01-04{MARK}" in page
    shengtai = json.loads(files["data/centers/sample-shengtai.json"])["center"]  # header + center (data 1.0.0)
    status = {k: shengtai["status"][k] for k in ("key", "label", "since", "provisional")}
    assert status == {"key": "pending", "label": "待批准", "since": "2027-01-05", "provisional": True}
    assert [h["provisional"] for h in shengtai["status_history"]][-2:] == [True, True]
    assert next(r for r in _csv(files["data/centers.csv"]) if r["id"] == "sample-shengtai")["provisional"] == "true"


@pytest.mark.slow
def test_status_cli_marks_the_provisional_lines(year_end_project: Path) -> None:
    """`status`: the per-center lines say which date is provisional, and why, once."""
    today = "2026-12-30"  # the notice of 2026-12-28 is then published (dates.plausible)
    done = run_cli("status", "--as-of", "2026-12-30", cwd=year_end_project, today=today)
    assert done.returncode == 0, done.stderr
    block = done.stdout[done.stdout.index("sample-shengtai") :]
    assert "  期限：公示期结束 2027-01-04（暂定）　未到期，还有 5 天（第十二条）" in block
    assert "至 2027-01-04，公示中，剩余 3 个工作日（暂定）" in done.stdout
    assert done.stdout.rstrip().endswith("暂定：该年国务院节假日安排尚未公布，暂按法定节假日推算，未计调休。")
    later = run_cli("status", "--as-of", "2027-01-05", "sample-shengtai", cwd=year_end_project, today=today)
    assert "  状态：待批准（自 2027-01-05，暂定）" in later.stdout
    plain = run_cli("status", "--as-of", "2026-11-27", cwd=year_end_project, today=today)  # nothing provisional yet
    assert "暂定" not in plain.stdout


@pytest.mark.slow
def test_with_the_fixture_schedule_the_notice_follows_it_and_nothing_is_provisional(year_end_project: Path) -> None:
    """dates.working-days: a 2027 schedule in the registry decides 2027 (the fixture's 元旦 runs 1–4 January)."""
    Registry(year_end_project).add_test_schedule()
    for day in ("2026-12-30", "2027-01-06"):
        generated = generate(year_end_project, D(day))
        notice = next(n for n in generated.facts.notices if n.id == "approval-2026")
        assert (notice.period.end, notice.period.provisional) == (D("2027-01-05"), False)
        center = generated.facts.by_id["sample-shengtai"]
        assert not center.provisional and not any(i.provisional for i in center.history)
        files = snapshot(year_end_project / "docs")
        for name, data in files.items():
            assert MARK.encode() not in data, name
            assert "（暂定）".encode() not in data, name
        assert "2026-12-28 至 2027-01-05" in files["notices/approval-2026/index.md"].decode()
        assert '"provisional": true' not in files["data/centers.json"].decode()
        assert '"provisional": true' not in files["data/notices.json"].decode()
        assert {r["provisional"] for r in _csv(files["data/centers.csv"])} == {"false"}
        assert "暂定" not in _unfolded(files["data/deadlines.ics"]) and "暂定" not in files["data/notices.xml"].decode()
    rules = files["rules.md"].decode()  # the rules page names the schedule and its source
    assert "测试〔2026〕1号" in rules and 'href="https://example.invalid/tests/calendar-2027"' in rules
    assert "registry/calendar/2027.yaml" in rules
    done = run_cli("status", "--as-of", "2026-12-30", cwd=year_end_project)
    assert "公示期结束 2027-01-05　未到期" in done.stdout and "暂定" not in done.stdout


def test_spring_festival_2027_without_a_schedule(reg: Registry) -> None:
    """dates.provisional-holidays: from 2027-02-03 the count skips 除夕–初三 (5–8 Feb) and their make-up days (9–10 Feb)."""
    year_end(reg, issued="2027-02-03")
    notice = next(n for n in facts_of(reg, "2027-02-05").notices if n.id == "approval-2026")
    assert (notice.period.start, notice.period.end, notice.period.provisional) == (
        D("2027-02-03"),
        D("2027-02-15"),  # 3, 4, 11, 12, 15 February
        True,
    )
    assert (notice.state, notice.working_days_left) == ("active", 3)  # 11, 12, 15
    reg.add_test_schedule()
    notice = next(n for n in facts_of(reg, "2027-02-05").notices if n.id == "approval-2026")
    assert (notice.period.end, notice.period.provisional) == (D("2027-02-17"), False)  # the fixture: off 5–12 February


# --- validation ---------------------------------------------------------------------------------


def test_a_stated_count_is_checked_only_on_a_known_schedule(reg: Registry) -> None:
    """notice.period-count: 28 December to 4 January stated as 5 days: unknown without a schedule, 4 with the fixture."""
    year_end(reg, period={"start": "2026-12-28", "end": "2027-01-04", "working_days": 5})
    assert reg.validate() == []
    reg.add_test_schedule()
    text = reg.text("notice", "approval-2026")
    findings = reg.validate()
    assert [(f.rule_id, f.severity, f.line) for f in findings] == [
        ("notice.period-count", "warning", line_of(text, "working_days: 5")[0])
    ]
    assert "是 4 个工作日" in findings[0].message


def test_two_files_for_one_year(reg: Registry) -> None:
    """calendar.year-file: the file whose name is not its year is the one flagged, with the owner named."""
    reg.add_test_schedule()
    reg.add_test_schedule("2027-copy.yaml")
    findings = reg.validate()
    text = (reg.dir / "calendar" / "2027-copy.yaml").read_text(encoding="utf-8")
    assert [(f.path, f.rule_id, f.line) for f in findings] == [
        ("registry/calendar/2027-copy.yaml", "calendar.year-file", line_of(text, "year: 2027")[0])
    ]
    assert "已由 registry/calendar/2027.yaml 记录" in findings[0].message


def test_a_file_named_for_another_year(reg: Registry) -> None:
    reg.add_test_schedule("2028.yaml")
    findings = reg.validate()
    assert [(f.path, f.rule_id) for f in findings] == [("registry/calendar/2028.yaml", "calendar.year-file")]
    assert "文件名应为 2027.yaml" in findings[0].message


def test_a_conflict_across_two_years_files(reg: Registry) -> None:
    """calendar.conflict: the 2027 file makes 2026-12-27 (a Sunday) a working day; a 2026 file gives it off."""
    reg.add_test_schedule()
    reg.modify("calendar", "2027", lambda d: d["holidays"][0].update(start="2026-12-27"))
    reg.add_test_schedule("2026.yaml")
    reg.modify(
        "calendar",
        "2026",
        lambda d: d.update(
            year=2026,
            holidays=[{"name": "测试", "start": "2026-12-01", "end": "2026-12-01", "workdays": ["2026-12-27"]}],
        ),
    )
    findings = [(f.path, f.rule_id) for f in reg.validate()]
    assert findings == [("registry/calendar/2027.yaml", "calendar.conflict")]


def test_calendar_file_format_findings_have_lines(reg: Registry) -> None:
    """A calendar file goes through the same file and schema stages as every record."""
    path = reg.add_test_schedule()
    text = path.read_text(encoding="utf-8").replace("url: https://example.invalid/tests/calendar-2027\n", "")
    path.write_text(text.replace("    end: 2027-01-04\n", "    end: 2027-01-32\n"), encoding="utf-8")
    written = path.read_text(encoding="utf-8")
    assert [(f.rule_id, f.line) for f in reg.validate()] == [
        ("schema", line_of(written, "year: 2027")[0]),  # the missing url: where the mapping starts
        ("schema", line_of(written, "end: 2027-01-32")[0]),
    ]
    path.write_text(TEST_SCHEDULE.read_text(encoding="utf-8").partition("\n")[2], encoding="utf-8")  # no schema line
    assert [f.rule_id for f in reg.validate()] == ["file.schema-line"]


def test_calendar_files_take_the_canonical_layout(reg: Registry) -> None:
    """`fmt` knows the calendar kind: the fixture is canonical, and a file in another key order is put in schema order."""
    raw = TEST_SCHEDULE.read_bytes()
    assert canonical(raw, "calendar", "2027.yaml").encode("utf-8") == raw
    lines = raw.decode("utf-8").splitlines(keepends=True)
    year = next(i for i, line in enumerate(lines) if line.startswith("year:"))
    shuffled = "".join([*lines[:year], *lines[year + 1 :], lines[year]])  # year: last
    assert canonical(shuffled.encode("utf-8"), "calendar", "2027.yaml").encode("utf-8") == raw


# --- any as-of date from 2004 to 2035 ------------------------------------------------------------


@pytest.mark.slow
def test_every_year_from_2004_to_2035_derives_and_renders(reg: Registry) -> None:
    """dates.working-days on every source: package years, the statutory rule, the fixture; no date crashes."""
    year_end(reg)
    registries = [validate_registry(reg.dir, reg.root).registry]
    reg.add_test_schedule()
    registries.append(validate_registry(reg.dir, reg.root).registry)
    status = text_env().get_template("status.txt.j2")
    for registry in registries:
        for year in range(2004, 2036):
            for month, day in ((1, 1), (2, 10), (10, 2), (12, 31)):
                facts = derive(registry, dt.date(year, month, day))
                status.render(facts=facts, centers=list(facts.centers), notices=list(facts.notices))
            if year % 4 == 3:  # every page and data file for a quarter of the years
                files = render_outputs(derive(registry, dt.date(year, 6, 1)), [])
                assert "rules.md" in files and "data/centers.json" in files


@pytest.mark.slow
@pytest.mark.parametrize("as_of", ["2004-01-02", "2027-02-10", "2035-12-31"])
def test_cli_status_and_build_from_2004_to_2035(tmp_path: Path, as_of: str) -> None:
    project = _own_generator(make_project(tmp_path / "project"))
    year_end(Registry(project))
    for args in (("status", "--as-of", as_of), ("build", "--as-of", as_of)):
        done = subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=project,
            # today: after the year-end notice of 2026-12-28 (dates.plausible)
            env=dict(os.environ, PYTHONPATH=str(project), PYTHONIOENCODING="utf-8", TIC_TODAY="2027-01-01"),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert json.loads((project / "docs" / "data" / "centers.json").read_text(encoding="utf-8"))["as_of"] == as_of


@pytest.mark.slow
def test_site_builds_with_provisional_dates(year_end_project: Path) -> None:
    """mkdocs build --strict with the marks and the rules page's anchors (2035: a year the package does not know)."""
    build(year_end_project, D("2035-06-30"))
    build(year_end_project, D("2026-12-30"))
    rules = (year_end_project / "site" / "rules" / "index.html").read_text(encoding="utf-8")
    assert 'id="holiday-schedules"' in rules and "2027 年的安排尚未录入" in rules
    page = (year_end_project / "site" / "centers" / "sample-shengtai" / "index.html").read_text(encoding="utf-8")
    assert MARK in page and 'href="../../rules/#holiday-schedules"' in page
