"""Date arithmetic (generator/rules/dates.py) and working days on a calendar without registry schedules.

Rules exercised here: dates.calendar (month/year arithmetic clamped to the month's end) and
dates.working-days (State Council schedule as `chinese_calendar` knows it; past its last
year, the provisional statutory rule, marked provisional). Registry schedules and the
statutory rule itself are tested in tests/test_workdays.py.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from generator.rules.dates import add_months, add_years, parse_date
from generator.rules.workdays import WorkCalendar, Workday

D = dt.date.fromisoformat
CAL = WorkCalendar()  # no registry schedules: the package's years, then the statutory rule
workday, working_period, working_days_between = CAL.workday, CAL.working_period, CAL.working_days_between


# --- dates.calendar ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, years, expected",
    [
        ("2024-02-29", 2, "2026-02-28"),  # the domain's own example
        ("2024-02-29", 4, "2028-02-29"),  # leap year to leap year keeps the 29th
        ("2024-02-29", 1, "2025-02-28"),
        ("2025-12-05", 2, "2027-12-05"),
        ("2024-08-04", 5, "2029-08-04"),
        ("2024-02-29", -1, "2023-02-28"),
        ("2024-02-29", -4, "2020-02-29"),
        ("2026-03-31", -3, "2023-03-31"),
        ("2025-06-30", 0, "2025-06-30"),
    ],
)
def test_add_years(start: str, years: int, expected: str) -> None:
    """dates.calendar: same date N years later, 29 February clamped to the 28th in common years."""
    assert add_years(D(start), years) == D(expected)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        ("2026-01-31", 1, "2026-02-28"),  # the domain's own example
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2025-12-15", 1, "2026-01-15"),  # across the year end
        ("2025-12-31", 2, "2026-02-28"),
        ("2026-08-31", 1, "2026-09-30"),
        ("2026-09-12", 1, "2026-10-12"),
        ("2025-01-31", 13, "2026-02-28"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2026-01-15", -1, "2025-12-15"),  # negative: back across the year end
        ("2026-03-31", -1, "2026-02-28"),  # negative: clamped too
        ("2024-03-31", -1, "2024-02-29"),
        ("2026-01-31", -13, "2024-12-31"),
        ("2026-05-20", 0, "2026-05-20"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    """dates.calendar: same day-of-month N months later, clamped to that month's last day."""
    assert add_months(D(start), months) == D(expected)


def test_add_years_is_add_months_times_twelve() -> None:
    day = D("2023-01-01")
    while day < D("2025-01-01"):
        for years in (-3, -1, 1, 2, 3):
            assert add_years(day, years) == add_months(day, 12 * years)
        day += dt.timedelta(days=1)


def test_add_months_is_never_past_the_month_end_and_keeps_the_day_when_it_can() -> None:
    day = D("2024-01-01")
    while day < D("2025-01-01"):
        for months in (-25, -12, -1, 1, 2, 11, 12, 24):
            later = add_months(day, months)
            assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
            assert later.day == day.day or (later.day < day.day and (later + dt.timedelta(days=1)).day == 1)
        day += dt.timedelta(days=1)


def test_parse_date() -> None:
    assert parse_date("2026-11-27") == dt.date(2026, 11, 27)
    with pytest.raises(ValueError):
        parse_date("2026-02-30")


# --- dates.working-days -----------------------------------------------------------------


def test_five_working_days_counting_the_issue_date() -> None:
    """dates.working-days: 2025-10-31 (Friday) + 5 working days, issue day being day 1, ends 2025-11-06."""
    period = working_period(D("2025-10-31"), 5)
    assert (period.start, period.end, period.working_days, period.provisional) == (
        D("2025-10-31"),
        D("2025-11-06"),
        5,
        False,
    )


def test_working_period_across_national_day_with_a_sunday_workday() -> None:
    """dates.working-days: 2025-09-28 is a Sunday but a 调休 working day; 1–8 October is the holiday."""
    assert chinese_calendar.is_workday(D("2025-09-28"))
    period = working_period(D("2025-09-28"), 5)
    # 09-28 (Sun, 调休), 09-29, 09-30, then 10-01..10-08 off, 10-09, 10-10
    assert period.start == D("2025-09-28")
    assert period.end == D("2025-10-10")
    assert period.provisional is False
    assert working_days_between(D("2025-09-28"), D("2025-10-10")) == (5, False)


def test_working_period_starting_on_a_holiday_starts_on_the_next_working_day() -> None:
    period = working_period(D("2025-10-01"), 3)
    assert (period.start, period.end) == (D("2025-10-09"), D("2025-10-11"))  # 10-11 is a 调休 Saturday
    assert working_period(D("2025-10-01"), 1).start == D("2025-10-09")


def test_working_period_starting_on_a_weekend() -> None:
    period = working_period(D("2026-11-28"), 5)  # Saturday
    assert (period.start, period.end) == (D("2026-11-30"), D("2026-12-04"))


def test_one_working_day_on_a_working_day_is_that_day() -> None:
    period = working_period(D("2026-11-25"), 1)
    assert period.start == period.end == D("2026-11-25")


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2025-09-28", Workday(True, False)),  # 调休 Sunday
        ("2025-10-11", Workday(True, False)),  # 调休 Saturday
        ("2025-10-03", Workday(False, False)),  # National Day, a Friday
        ("2026-01-01", Workday(False, False)),
        ("2026-11-27", Workday(True, False)),
        ("2026-11-28", Workday(False, False)),
        ("2027-01-01", Workday(False, True)),  # beyond chinese_calendar: 元旦 by statute, guessed
        ("2027-01-02", Workday(False, True)),
        ("2027-01-04", Workday(True, True)),
        ("2027-10-01", Workday(False, True)),  # 国庆 by statute; 10-04 and 10-05 make up its weekend
        ("2027-10-05", Workday(False, True)),
        ("2027-10-06", Workday(True, True)),
        ("2031-06-15", Workday(False, True)),  # a Sunday
        ("2031-06-16", Workday(True, True)),
    ],
)
def test_workday(day: str, expected: Workday) -> None:
    assert workday(D(day)) == expected


def test_chinese_calendar_really_stops_before_2027() -> None:
    """The fallback is needed: the installed package raises for 2027 (if it stops raising, update the cases)."""
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D("2027-03-01"))


def test_working_period_in_2027_falls_back_to_the_statutory_rule_and_is_provisional() -> None:
    period = working_period(D("2027-01-01"), 5)  # 元旦 (Fri) off: Mon..Fri
    assert (period.start, period.end, period.working_days, period.provisional, period.start_provisional) == (
        D("2027-01-04"),
        D("2027-01-08"),
        5,
        True,
        True,
    )
    # Starting on a Saturday in 2027
    period = working_period(D("2027-03-06"), 5)
    assert (period.start, period.end, period.provisional) == (D("2027-03-08"), D("2027-03-12"), True)


def test_working_period_across_the_last_known_year_is_provisional() -> None:
    period = working_period(D("2026-12-30"), 5)  # 12-30, 12-31 known; 2027 guessed, 元旦 off
    assert (period.start, period.end, period.provisional) == (D("2026-12-30"), D("2027-01-06"), True)
    assert period.start_provisional is False  # the start itself is a known working day
    assert working_period(D("2026-12-28"), 4).provisional is False  # ends 12-31: all known


def test_dates_far_beyond_coverage_never_raise() -> None:
    """Every weekday counts except the statutory holidays and their make-up days (dates.provisional-holidays)."""
    for year in (2027, 2030, 2099, 2999):
        start = dt.date(year, 1, 1)
        period = working_period(start, 60)
        assert period.provisional is True
        count, provisional = working_days_between(start, dt.date(year, 12, 31))
        assert provisional is True
        weekdays = sum(1 for i in range(366) if (d := start + dt.timedelta(days=i)).year == year and d.weekday() < 5)
        assert count == weekdays - 13  # 13 statutory days; one on a weekend (or shared) is made up on a weekday


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2025-10-31", "2025-11-06", (5, False)),
        ("2025-11-06", "2025-11-06", (1, False)),
        ("2025-11-08", "2025-11-09", (0, False)),  # a weekend
        ("2025-09-27", "2025-10-12", (6, False)),  # 9-28 (Sun), 9-29, 9-30, [1-8 off], 10-9, 10-10, 10-11 (Sat)
        ("2025-11-07", "2025-11-06", (0, False)),  # end before start: nothing
        ("2027-01-01", "2027-01-07", (4, True)),  # 元旦 by statute
        ("2026-12-31", "2027-01-01", (1, True)),
        ("2026-11-27", "2026-12-01", (3, False)),
    ],
)
def test_working_days_between(start: str, end: str, expected: tuple[int, bool]) -> None:
    assert working_days_between(D(start), D(end)) == expected


def test_working_days_between_agrees_with_working_period() -> None:
    day = D("2024-01-01")
    while day < D("2027-03-01"):
        for n in (1, 5, 10):
            period = working_period(day, n)
            assert working_days_between(day, period.end) == (n, period.provisional)
        day += dt.timedelta(days=7)
