"""Publicity periods (第十二条): when each notice runs, how many working days are left, and
whether its outcome is known yet.

Working days come from the registry's `WorkCalendar`, passed in: the same records give the
same periods. An outcome is known from its date on: a site built for an earlier date does
not know it yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.records.model import Notice
from generator.rules.dates import parse_date
from generator.rules.measures import PUBLICITY_WORKING_DAYS
from generator.rules.workdays import WorkCalendar

#: In the order a notice goes through them; `result_pending` is a period that has ended
#: with no outcome recorded as of the date (rule notice.result-pending).
NOTICE_STATES = {"upcoming": "即将开始", "active": "公示中", "result_pending": "结果待公布", "ended": "已结束"}


@dataclass(frozen=True)
class NoticePeriod:
    """A notice's period as stated or as derived from the default rule."""

    start: dt.date
    end: dt.date
    working_days: int
    provisional: bool  # some day counted fell in a year whose holiday schedule is not known
    stated: bool  # the notice gave its end date itself
    start_provisional: bool = False  # the start is a derived first working day that rests on a guess

    @property
    def end_provisional(self) -> bool:
        """The end date itself is a provisional count (a stated end is the notice's own word)."""
        return self.provisional and not self.stated

    def state(self, day: dt.date) -> str:
        return "upcoming" if day < self.start else "active" if day <= self.end else "ended"

    def working_days_left(self, day: dt.date, calendar: WorkCalendar) -> int:
        """Working days still to run, counting `day` itself; 0 once the period has ended."""
        if day > self.end:
            return 0
        return calendar.working_days_between(max(day, self.start), self.end)[0]


def notice_period(notice: Notice, calendar: WorkCalendar) -> NoticePeriod:
    """The period of a notice: its own dates if stated, else N working days from the start."""
    period = notice.period
    start = parse_date(period["start"]) if "start" in period else notice.issue_date
    if "end" in period:
        end = parse_date(period["end"])
        days, provisional = calendar.working_days_between(start, end)
        return NoticePeriod(start, end, days, provisional, True)
    derived = calendar.working_period(start, period.get("working_days", PUBLICITY_WORKING_DAYS))
    return NoticePeriod(
        derived.start, derived.end, derived.working_days, derived.provisional, False, derived.start_provisional
    )


def known_outcome(notice: Notice, day: dt.date) -> Mapping[str, Any] | None:
    """The notice's recorded outcome if it was known on `day` (one dated later is not yet known)."""
    outcome = notice.data.get("outcome")
    return outcome if outcome and parse_date(outcome["date"]) <= day else None


def notice_state(period: NoticePeriod, outcome: Mapping[str, Any] | None, day: dt.date) -> str:
    """The period's state, except that a period ended without a known outcome is 结果待公布:
    the registry has not recorded the outcome yet, which says nothing about the Bureau's decision."""
    state = period.state(day)
    return "result_pending" if state == "ended" and outcome is None else state


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "notice.period-default": notice_period,
    "notice.state": NoticePeriod.state,
    "notice.result-pending": notice_state,
}
