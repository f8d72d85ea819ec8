"""Where a center stands on a date, and the life line of its statuses (第十二条 and after)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from ..measures import construction
from ..model import Center
from .notices import NoticePeriod

STATUSES = {
    "applying": "申报中",
    "publicity": "公示中",
    "pending": "待批准",
    "construction": "建设中",
    "extended": "延期建设",
    "awaiting_acceptance": "待验收",
    "operating": "已认定运行",
    "acceptance_failed": "验收未通过",
    "revoked": "已撤销",
    "rejected": "未获批准",
    "withdrawn": "已撤回",
}


_TERMINAL = {"revocation": "revoked", "withdrawal": "withdrawn", "rejection": "rejected"}


def status_on(center: Center, day: dt.date, periods: Mapping[str, NoticePeriod]) -> str:
    """The status key of a center on `day`, from the events recorded up to that day."""
    known = center.until(day).current()
    for event in reversed(known.events):
        if event.kind in _TERMINAL:
            return _TERMINAL[event.kind]
    period = construction(known)
    if period is None:
        publicity = known.last("publicity")
        notice = periods.get(publicity.get("notice")) if publicity else None
        if notice is not None and day >= notice.start:
            return "publicity" if day <= notice.end else "pending"
        return "applying"
    verdict = known.last("acceptance")
    if verdict and verdict.get("result") == "通过":
        return "operating"
    if verdict and (period.extension is None or period.extension.date < verdict.date):
        return "acceptance_failed"
    if day <= period.end:
        return "extended" if period.extension and day > period.planned_end else "construction"
    return "awaiting_acceptance"


@dataclass(frozen=True)
class Interval:
    """A stretch of days with one status; `end` is None while it lasts."""

    status: str
    start: dt.date
    end: dt.date | None

    @property
    def label(self) -> str:
        return STATUSES[self.status]


def status_history(center: Center, day: dt.date, periods: Mapping[str, NoticePeriod]) -> list[Interval]:
    """The statuses from the first event to `day`, as dated intervals for a life line."""
    known = center.until(day)
    if not known.events:
        return []
    changes = {e.date for e in known.events}
    period = construction(known)
    if period:
        changes |= {period.planned_end + dt.timedelta(days=1), period.end + dt.timedelta(days=1)}
    for event in known.of_kind("publicity"):
        notice = periods.get(event.get("notice"))
        if notice:
            changes |= {notice.start, notice.end + dt.timedelta(days=1)}
    intervals: list[Interval] = []
    for change in sorted(d for d in changes if d <= day):
        status = status_on(center, change, periods)
        if intervals and intervals[-1].status == status:
            continue
        if intervals:
            intervals[-1] = Interval(intervals[-1].status, intervals[-1].start, change - dt.timedelta(days=1))
        intervals.append(Interval(status, change, None))
    return intervals
