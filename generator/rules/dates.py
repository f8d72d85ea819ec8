"""Calendar arithmetic and working days: the one place that decides what a date means.

Interpretation (published on the rules page): dates are calendar dates in Asia/Shanghai;
"N months/years after D" is the same day of the month N months/years later, clamped to
that month's last day. Working days follow the State Council schedule that the
`chinese_calendar` package knows; past its last year we count Monday to Friday and mark
the result provisional instead of failing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_date(text: str) -> dt.date:
    """A YYYY-MM-DD string (already checked by the schema) as a date."""
    return dt.date.fromisoformat(text)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if day.day <= 28:  # every month has the day: no need to ask the calendar
        return dt.date(year, month + 1, day.day)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 28 February in common years."""
    return add_months(day, 12 * years)


def today_in_shanghai() -> dt.date:
    """Today's date where the Bureau works; only the command line reads the clock."""
    return dt.datetime.now(SHANGHAI).date()


@dataclass(frozen=True)
class Workday:
    """Whether a day is a working day, and whether that answer is provisional."""

    is_workday: bool
    provisional: bool


@cache  # a handful of years of days; chinese_calendar answers slowly and raises beyond its range
def workday(day: dt.date) -> Workday:
    """The State Council schedule where known; Monday to Friday (provisional) beyond it."""
    try:
        return Workday(chinese_calendar.is_workday(day), False)
    except NotImplementedError:
        return Workday(day.weekday() < 5, True)


@dataclass(frozen=True)
class WorkingPeriod:
    """A run of working days: its first and last day and whether any day was guessed."""

    start: dt.date
    end: dt.date
    working_days: int
    provisional: bool


def working_period(start: dt.date, days: int) -> WorkingPeriod:
    """`days` working days counting `start` as day 1 (or the first working day after it)."""
    day, counted, provisional = start, 0, False
    first = None
    while True:
        info = workday(day)
        provisional |= info.provisional
        if info.is_workday:
            counted += 1
            first = first or day
            if counted == days:
                return WorkingPeriod(first, day, days, provisional)
        day += dt.timedelta(days=1)


def working_days_between(start: dt.date, end: dt.date) -> tuple[int, bool]:
    """Working days from `start` to `end`, both included, and whether any was guessed."""
    count, provisional, day = 0, False, start
    while day <= end:
        info = workday(day)
        count += info.is_workday
        provisional |= info.provisional
        day += dt.timedelta(days=1)
    return count, provisional


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "dates.calendar": add_months,
    "dates.working-days": workday,
}
