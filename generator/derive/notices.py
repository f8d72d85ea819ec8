"""Publicity periods (第十二条): when each notice runs and how many working days are left."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.records.model import Notice
from generator.rules.dates import parse_date, working_days_between, working_period
from generator.rules.measures import PUBLICITY_WORKING_DAYS

NOTICE_STATES = {"upcoming": "即将开始", "active": "公示中", "ended": "已结束"}


@dataclass(frozen=True)
class NoticePeriod:
    """A notice's period as stated or as derived from the default rule."""

    start: dt.date
    end: dt.date
    working_days: int
    provisional: bool  # some day fell in a year whose holiday schedule is not yet known
    stated: bool  # the notice gave its end date itself

    def state(self, day: dt.date) -> str:
        return "upcoming" if day < self.start else "active" if day <= self.end else "ended"

    def working_days_left(self, day: dt.date) -> int:
        """Working days still to run, counting `day` itself; 0 once the period has ended."""
        if day > self.end:
            return 0
        return working_days_between(max(day, self.start), self.end)[0]


def notice_period(notice: Notice) -> NoticePeriod:
    """The period of a notice: its own dates if stated, else N working days from the start."""
    period = notice.period
    start = parse_date(period["start"]) if "start" in period else notice.issue_date
    if "end" in period:
        end = parse_date(period["end"])
        days, provisional = working_days_between(start, end)
        return NoticePeriod(start, end, days, provisional, True)
    derived = working_period(start, period.get("working_days", PUBLICITY_WORKING_DAYS))
    return NoticePeriod(derived.start, derived.end, derived.working_days, derived.provisional, False)


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "notice.period-default": notice_period,
    "notice.state": NoticePeriod.state,
}
