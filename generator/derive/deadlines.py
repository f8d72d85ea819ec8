"""Deadlines of a center with their due dates, rules and whether a later event met them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.derive.notices import NoticePeriod
from generator.records.model import Center
from generator.rules import measures as m
from generator.rules.dates import add_years
from generator.rules.table import rule

DEADLINE_STATES = {
    "open": "未到期",
    "due_today": "今日到期",
    "overdue": "已逾期",
    "met": "已完成",
    "passed": "已届满",
    "extended": "已延期",
    "unknown": "记录不足，无法推算",
}


@dataclass(frozen=True)
class Deadline:
    """One dated obligation or date of a center, as it stands on the as-of date."""

    rule_id: str
    title: str
    due: dt.date | None  # None: the record cannot settle the date (state "unknown")
    state: str
    days: int  # days left (>= 0) while open; days overdue while overdue; 0 otherwise
    met_on: dt.date | None = None
    key: str = ""  # what stays the same when the due date moves (calendar UIDs): rule + round
    provisional: bool = False  # the due date is a count of working days in a year without a schedule

    @property
    def article(self) -> str | None:
        return rule(self.rule_id).article

    @property
    def state_label(self) -> str:
        return DEADLINE_STATES[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in ("open", "due_today", "overdue")


def _deadline(
    rule_id: str,
    title: str,
    due: dt.date,
    day: dt.date,
    met_on: dt.date | None = None,
    passes: bool = False,
    key: str = "",
    provisional: bool = False,
) -> Deadline:
    """Judge a due date on `day`: met if an event met it, else open, due today or overdue.

    `passes` marks dates that are not obligations (a period's end): they pass, not lapse.
    """
    key = key or rule_id
    if met_on is not None:
        return Deadline(rule_id, title, due, "met", 0, met_on, key, provisional)
    if day < due:
        return Deadline(rule_id, title, due, "open", (due - day).days, key=key, provisional=provisional)
    if day == due:
        return Deadline(rule_id, title, due, "due_today", 0, key=key, provisional=provisional)
    state = "passed" if passes else "overdue"
    return Deadline(rule_id, title, due, state, (day - due).days, key=key, provisional=provisional)


def deadlines(center: Center, day: dt.date, periods: Mapping[str, NoticePeriod]) -> list[Deadline]:
    """Every deadline of the center on `day`, in due-date order."""
    known = center.until(day).current()
    if any(known.last(kind) for kind in ("revocation", "withdrawal", "rejection")):
        return []
    found = [*_publicity(known, day, periods), *_construction(known, day), *_operation(known, day)]
    return sorted(found, key=lambda d: (d.due or dt.date.max, d.rule_id))


def _publicity(center: Center, day: dt.date, periods: Mapping[str, NoticePeriod]) -> Iterator[Deadline]:
    if center.first("approval"):
        return
    event = center.last("publicity")
    notice = periods.get(event.get("notice")) if event else None
    if notice:
        yield _deadline(
            "deadline.publicity-end", "公示期结束", notice.end, day, passes=True, provisional=notice.end_provisional
        )


def _construction(center: Center, day: dt.date) -> Iterator[Deadline]:
    period = m.construction(center)
    if period is None:
        return
    applied = m.acceptance_application(center, period)
    passed = m.acceptance_passed(center)
    done = applied or passed
    met = done.date if done else None
    if period.planned_end is None:  # approved under other measures, no task book: never assume a period
        if done is None and period.extension is None:
            yield Deadline("deadline.construction-end", "建设期满", None, "unknown", 0, key="deadline.construction-end")
        elif period.extension is not None:
            end = period.extension.date_field("new_end")
            yield _deadline("deadline.extension-end", "延期期满", end, day, met, passes=True)
            yield from _application(center, period, day, met)
        return
    if period.extension is None:
        yield _deadline("deadline.construction-end", "建设期满", period.planned_end, day, met, passes=True)
    else:
        yield Deadline(
            "deadline.construction-end",
            "建设期满",
            period.planned_end,
            "extended",
            0,
            period.extension.date,
            "deadline.construction-end",
        )
        end = period.extension.date_field("new_end")
        yield _deadline("deadline.extension-end", "延期期满", end, day, met, passes=True)
    yield from _application(center, period, day, met)


def _application(center: Center, period: m.Construction, day: dt.date, met: dt.date | None) -> Iterator[Deadline]:
    """The month to apply for acceptance, where these measures judge the end of construction."""
    due = period.acceptance_application_due
    if due is not None and m.application_rule_applies(center, period) and m.judged_on(center, day):
        yield _deadline("deadline.acceptance-application", "提出验收申请", due, day, met)


def _operation(center: Center, day: dt.date) -> Iterator[Deadline]:
    """第十八条, 第十九条 for a center in the sequence, from the day these measures govern it."""
    entry = m.sequence_entry(center)
    if entry is None or not m.judged_on(center, day):  # before these measures govern it: nothing to derive
        return
    start = m.start_of(m.book_of(center))
    evaluation = center.last("evaluation")
    base = max((evaluation or entry).date, start)  # nothing these measures count starts before them
    due = add_years(base, m.EVALUATION_YEARS)
    round_ = len(center.of_kind("evaluation")) + 1
    if m.judged_on(center, due):
        yield _deadline("deadline.evaluation", "三年评估", due, day, key=f"deadline.evaluation.{round_}")
    grades = m.annual_grades(center)
    month, date_ = m.ASSESSMENT_DUE_MONTH_DAY
    for year in range(entry.date.year, day.year + 1):
        due = dt.date(year + 1, month, date_)
        if not m.judged_on(center, due):
            continue
        recorded = grades.get(year)
        yield _deadline(
            "deadline.annual-assessment",
            f"{year}年度绩效考核",
            due,
            day,
            recorded.date if recorded else None,
            key=f"deadline.annual-assessment.{year}",
        )


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "deadline.publicity-end": _publicity,
    "deadline.construction-end": _construction,
    "deadline.extension-end": _construction,
    "deadline.acceptance-application": _construction,
    "deadline.evaluation": _operation,
    "deadline.annual-assessment": _operation,
}
