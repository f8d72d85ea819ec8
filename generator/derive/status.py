"""Where a center stands on a date, and the life line of its statuses (第十二条 and after)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.derive.notices import NoticePeriod
from generator.records.model import Center, Event
from generator.rules import measures as m
from generator.rules.measures import Construction, construction, construction_of

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
#: What distinguishes centers of one status (status.detail): a 待验收 center that applied and
#: waits for the Bureau from one that never applied, a 建设中 one whose end is unknown.
DETAILS = {
    "applied": "已申请",
    "apply_window": "申请期内",
    "application_overdue": "逾期未申请",
    "not_applied": "未记录验收申请",
    "end_unknown": "期满日期记录不足",
}


_DAY = dt.timedelta(days=1)
_TERMINAL = {"revocation": "revoked", "withdrawal": "withdrawn", "rejection": "rejected"}
_ROUND_ENDS = ("withdrawal", "rejection")  # a new application after one of these starts a new round


@dataclass
class _Round:
    """The events of the latest round that decide its status, filled in one event at a time.

    One accumulator serves both a single date (status_on) and a life line replayed in one
    pass (status_history), so the two cannot disagree.
    """

    judged: Callable[[Event], bool]  # whether these measures judge a fact (m.judged for the center)
    terminal: Event | None = None
    approval: Event | None = None
    recognition: Event | None = None
    task_book: Event | None = None
    extension: Event | None = None
    publicity: Event | None = None
    acceptance: Event | None = None
    period: Construction | None = None

    def add(self, event: Event) -> None:
        kind = event.kind
        if kind in _TERMINAL:
            self.terminal = event
        elif kind == "approval" and self.approval is None:
            self.approval = event
        elif kind == "recognition" and self.recognition is None:
            self.recognition = event
        elif kind == "task_book":
            self.task_book = event
        elif kind == "extension" and self.extension is None:
            self.extension = event
        elif kind == "publicity":
            self.publicity = event
        elif kind == "acceptance":
            self.acceptance = event
        else:
            return
        if self.approval is not None and kind in ("approval", "task_book", "extension"):
            self.period = construction_of(self.approval, self.task_book, self.extension, self.judged(self.approval))

    def status(self, day: dt.date, periods: Mapping[str, NoticePeriod]) -> str:
        if self.terminal is not None:
            return _TERMINAL[self.terminal.kind]
        if self.recognition is not None:
            return "operating"
        period = self.period
        if period is None:
            notice = periods.get(self.publicity.get("notice")) if self.publicity else None
            if notice is not None and day >= notice.start:
                return "publicity" if day <= notice.end else "pending"
            return "applying"
        verdict = self.acceptance
        if verdict and verdict.get("result") == "通过":
            return "operating"
        if verdict and (period.extension is None or period.extension.date < verdict.date):
            return "acceptance_failed"
        if period.end is None or day <= period.end:  # an unknown end never passes: 记录不足，无法推算
            planned = period.planned_end
            return "extended" if period.extension and planned and day > planned else "construction"
        return "awaiting_acceptance"


def status_on(center: Center, day: dt.date, periods: Mapping[str, NoticePeriod]) -> str:
    """The status key of a center on `day`, from the events recorded up to that day."""
    round_ = _Round(partial(m.judged, center))
    for event in center.until(day).current().events:
        round_.add(event)
    return round_.status(day, periods)


def statuses_on(center: Center, days: list[dt.date], periods: Mapping[str, NoticePeriod]) -> Iterator[str]:
    """`status_on` for each of `days` (ascending), replaying the events once instead of once per day.

    The replay reads the events known on a day as a prefix of the record, which holds for
    events as read (index = position) in date order; any other list, which the validator
    rejects, takes the literal path.
    """
    events = center.events
    in_order = all(e.index == i for i, e in enumerate(events)) and all(
        a.date <= b.date for a, b in zip(events, events[1:])
    )
    if not in_order:
        yield from (status_on(center, day, periods) for day in days)
        return
    judged = partial(m.judged, center)
    round_, known, count = _Round(judged), 0, len(events)
    for day in days:
        while known < count and events[known].date <= day:
            if known and events[known - 1].kind in _ROUND_ENDS:  # what follows it starts a new round
                round_ = _Round(judged)
            round_.add(events[known])
            known += 1
        yield round_.status(day, periods)


@dataclass(frozen=True)
class Interval:
    """A stretch of days with one status; `end` is None while it lasts.

    A start or end that a publicity period counted on a provisional calendar is marked so.
    """

    status: str
    start: dt.date
    end: dt.date | None
    start_provisional: bool = False
    end_provisional: bool = False

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def provisional(self) -> bool:
        return self.start_provisional or self.end_provisional


def status_history(center: Center, day: dt.date, periods: Mapping[str, NoticePeriod]) -> list[Interval]:
    """The statuses from the first event to `day`, as dated intervals for a life line."""
    known = center.until(day)
    if not known.events:
        return []
    changes = {e.date for e in known.events}
    period = construction(known)
    if period:
        changes |= {d + _DAY for d in (period.planned_end, period.end) if d is not None}
    guessed: set[dt.date] = set()  # change days that a provisional count of working days put there
    for event in known.of_kind("publicity"):
        notice = periods.get(event.get("notice"))
        if notice:
            changes |= {notice.start, notice.end + _DAY}
            guessed |= {notice.start} if notice.start_provisional else set()
            guessed |= {notice.end + _DAY} if notice.end_provisional else set()
    days = sorted(d for d in changes if d <= day)
    starts: list[tuple[str, dt.date]] = []  # (status, first day) of each run of equal statuses
    for change, status in zip(days, statuses_on(known, days, periods)):
        if not starts or starts[-1][0] != status:
            starts.append((status, change))
    ends = [start - _DAY for _, start in starts[1:]] + [None]
    return [
        Interval(status, start, end, start in guessed, end is not None and end + _DAY in guessed)
        for (status, start), end in zip(starts, ends)
    ]


@dataclass(frozen=True)
class StatusDetail:
    """The part of a status that the measures do not name; `days` since the application."""

    key: str
    days: int | None = None

    @property
    def kind_label(self) -> str:
        """The detail without its number of days: what the list's filter offers."""
        return DETAILS[self.key]

    @property
    def label(self) -> str:
        return f"已申请 {self.days} 天" if self.key == "applied" else DETAILS[self.key]


def status_detail(center: Center, day: dt.date, status: str) -> StatusDetail | None:
    """What distinguishes this center among those of its status on `day`, if anything."""
    known = center.until(day).current()
    period = construction(known)
    if period is None:
        return None
    if status == "construction" and period.end is None:
        return StatusDetail("end_unknown")
    if status != "awaiting_acceptance":
        return None
    applied = m.acceptance_application(known, period)
    if applied is not None:
        return StatusDetail("applied", (day - applied.date).days)
    due = period.acceptance_application_due
    if due is None or not m.application_rule_applies(known, period):
        return StatusDetail("not_applied")
    return StatusDetail("apply_window" if day <= due else "application_overdue")


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "status": status_history,
    "status.detail": status_detail,
}
