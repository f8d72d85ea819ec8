"""Calendar arithmetic: the one place that decides what a date means.

Interpretation (published on the rules page): dates are calendar dates in Asia/Shanghai;
"N months/years after D" is the same day of the month N months/years later, clamped to
that month's last day. Working days are rules/workdays.py's: they depend on the
registry's calendar records, so they are a value passed into derivation.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

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


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "dates.calendar": add_months,
}
