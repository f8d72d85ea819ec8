"""Working days as a value (generator/rules/workdays.py): registry schedules, the package, the statutory rule.

Rules exercised here: dates.working-days (a registry schedule overrides the package; the
package serves the years it knows; else the provisional rule) and dates.provisional-holidays
(《全国年节及纪念日放假办法》 as amended in 2024: its holidays from the lunar calendar, their
make-up days under its 第六条). Schedules here are built in code or read from the invented
fixture tests/fixtures/calendar/2027.yaml; none of them is the State Council's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import chinese_calendar
import pytest

from generator.records.calendar import YearSchedule, schedule_from
from generator.records.load import Document, read_record
from generator.rules.workdays import (
    LAW_AMENDED_FROM,
    WorkCalendar,
    Workday,
    package_coverage,
    statutory_holidays,
)
from tests.support import ROOT, TEST_SCHEDULE

D = dt.date.fromisoformat


def schedule(year: int, *holidays: dict[str, Any], path: str | None = None) -> YearSchedule:
    data = {
        "year": year,
        "title": f"测试用虚构安排{year}",
        "document_number": "测试〔0000〕1号",
        "issue_date": f"{year - 1}-11-01",
        "url": "https://example.invalid/",
        "holidays": list(holidays),
    }
    return schedule_from(Document(path or f"registry/calendar/{year}.yaml", "calendar", data, ""))


def fixture_schedule() -> YearSchedule:
    doc, problems = read_record(TEST_SCHEDULE, "calendar", ROOT)
    assert doc is not None and problems == []
    return schedule_from(doc)


# --- dates.provisional-holidays -----------------------------------------------------------------


def test_statutory_holidays_of_2027() -> None:
    """dates.provisional-holidays: 2027's holidays by the 办法 and the lunar calendar, with make-up days.

    春节 2027: 除夕 is Friday 5 February, 正月初一 Saturday the 6th; the weekend days are made up
    on Tuesday 9 and Wednesday 10 February, the first working days after 初三 (Monday 8th).
    """
    got = {
        h.name: ([d.isoformat() for d in h.days], [d.isoformat() for d in h.make_up]) for h in statutory_holidays(2027)
    }
    assert got == {
        "元旦": (["2027-01-01"], []),
        "春节": (["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"], ["2027-02-09", "2027-02-10"]),
        "清明节": (["2027-04-05"], []),
        "劳动节": (["2027-05-01", "2027-05-02"], ["2027-05-03", "2027-05-04"]),
        "端午节": (["2027-06-09"], []),
        "中秋节": (["2027-09-15"], []),
        "国庆节": (["2027-10-01", "2027-10-02", "2027-10-03"], ["2027-10-04", "2027-10-05"]),
    }


HOLIDAY_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Tomb-sweeping Day",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-autumn Festival",
    "国庆节": "National Day",
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_agree_with_the_state_council_in_2025_and_2026(year: int) -> None:
    """dates.provisional-holidays: each statutory day the lunar library and the solar term give is a
    day off of that holiday in the State Council's own schedule (as `chinese_calendar` records it)."""
    holidays = statutory_holidays(year)
    assert {h.name for h in holidays} == set(HOLIDAY_NAMES)
    assert sum(len(h.days) for h in holidays) == 13  # 元旦1 春节4 清明1 劳动2 端午1 中秋1 国庆3
    for h in holidays:
        for day in h.days:
            assert chinese_calendar.get_holiday_detail(day) == (True, HOLIDAY_NAMES[h.name]), (h.name, day)


def test_make_up_days_are_weekdays_after_the_holiday_and_never_another_holiday() -> None:
    """dates.provisional-holidays: 第六条 补假 — one weekday per weekend (or shared) holiday day, after it."""
    for year in range(LAW_AMENDED_FROM, 2061):
        holidays = statutory_holidays(year)
        statutory = {d for h in holidays for d in h.days}
        placed: list[dt.date] = []
        seen: set[dt.date] = set()
        for h in holidays:
            owed = sum(1 for d in h.days if d.weekday() >= 5 or d in seen)
            seen.update(h.days)
            assert len(h.make_up) == owed, (year, h)
            for day in h.make_up:
                assert day > h.days[-1] and day.weekday() < 5 and day not in statutory, (year, h)
            placed += h.make_up
        assert len(placed) == len(set(placed)), year


def test_a_day_two_holidays_share_is_made_up() -> None:
    """dates.provisional-holidays: 中秋 falls on 3 October 2028 and on 1 October 2031 (this site's interpretation)."""
    by_name = {h.name: h for h in statutory_holidays(2028)}
    assert by_name["中秋节"].days == (D("2028-10-03"),)
    # 国庆: 10-01 is a Sunday → 10-04; 中秋 shares 10-03 → the next free weekday, 10-05
    assert by_name["国庆节"].make_up == (D("2028-10-04"),)
    assert by_name["中秋节"].make_up == (D("2028-10-05"),)
    by_name = {h.name: h for h in statutory_holidays(2031)}
    assert by_name["中秋节"].days == (D("2031-10-01"),)
    assert by_name["中秋节"].make_up + by_name["国庆节"].make_up == (D("2031-10-06"),)


def test_no_statutory_table_before_the_amendment() -> None:
    """Before 2025 (and before the package's first year) only Monday to Friday, still provisional."""
    assert statutory_holidays(2003) == ()
    cal = WorkCalendar()
    assert cal.workday(D("2003-10-01")) == Workday(True, True)  # a Wednesday
    assert cal.workday(D("2003-10-04")) == Workday(False, True)
    assert cal.source(2003) == "weekdays" and cal.source(2027) == "statutory" and cal.source(2026) == "package"


def test_package_coverage_is_what_chinese_calendar_knows() -> None:
    coverage = package_coverage()
    assert coverage is not None and (coverage.first, coverage.last) == (2004, 2026)
    assert coverage.version == "1.11.0"


# --- dates.working-days: the registry's schedules ------------------------------------------------


def test_a_registry_year_overrides_the_statutory_rule_and_is_not_provisional() -> None:
    """dates.working-days: the fixture's days decide 2027; an unlisted weekday works, an unlisted weekend rests."""
    cal = WorkCalendar.of([fixture_schedule()])
    assert cal.source(2027) == "registry"
    assert cal.workday(D("2027-01-04")) == Workday(False, False)  # the fixture's 元旦 runs to Monday
    assert cal.workday(D("2027-01-09")) == Workday(True, False)  # a Saturday the fixture makes a working day
    assert cal.workday(D("2027-05-03")) == Workday(True, False)  # the statute's make-up day: not in the fixture
    assert cal.workday(D("2027-05-01")) == Workday(False, False)  # a Saturday
    period = cal.working_period(D("2026-12-28"), 5)
    assert (period.end, period.provisional) == (D("2027-01-05"), False)


def test_a_registry_year_overrides_the_package() -> None:
    """dates.working-days: a schedule recorded for 2025 wins over what chinese_calendar says of 2025."""
    assert chinese_calendar.is_workday(D("2025-11-10"))
    cal = WorkCalendar.of([schedule(2025, {"name": "测试假日", "start": "2025-11-10", "end": "2025-11-10"})])
    assert cal.workday(D("2025-11-10")) == Workday(False, False)
    assert cal.workday(D("2025-10-01")) == Workday(True, False)  # the registry year knows no National Day here
    assert WorkCalendar().workday(D("2025-10-01")) == Workday(False, False)


def test_a_listed_day_in_the_previous_december_overrides_that_year() -> None:
    """New Year's Day of a recorded year may start in December: that day follows the notice, not the package."""
    cal = WorkCalendar.of([schedule(2027, {"name": "元旦", "start": "2026-12-31", "end": "2027-01-02"})])
    assert cal.workday(D("2026-12-31")) == Workday(False, False)
    assert cal.workday(D("2026-12-30")) == Workday(True, False)
    assert cal.source(2026) == "package"


def test_the_calendar_is_a_value() -> None:
    """Equal schedules give equal calendars, whatever each has already looked up (the same input, the same output)."""
    one, two = WorkCalendar.of([fixture_schedule()]), WorkCalendar.of([fixture_schedule()])
    one.working_period(D("2027-02-01"), 30)
    assert one == two
    assert one != WorkCalendar()
    assert one.working_period(D("2027-02-01"), 30) == two.working_period(D("2027-02-01"), 30)


def test_working_days_between_agrees_with_working_period_on_every_source() -> None:
    cal = WorkCalendar.of([fixture_schedule()])
    for start in (D("2026-12-20"), D("2027-01-28"), D("2027-09-20"), D("2028-01-20"), D("2003-12-24")):
        for n in (1, 5, 10, 40):
            period = cal.working_period(start, n)
            assert cal.working_days_between(period.start, period.end) == (n, period.provisional)
