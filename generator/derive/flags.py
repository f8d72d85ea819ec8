"""Flags on a center: revocation triggers, priority support, eligibility, lateness, policy.

The date-free warnings of the validator are applied to the record as it stood on the
as-of date; the rules here are the ones that need that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from generator.records.book import Book
from generator.records.model import Center
from generator.rules import measures as m
from generator.rules.table import Severity, rule
from generator.validate.checks import CENTER_CHECKS

FLAG_KINDS = {
    "revocation": "应予撤销",
    "priority": "优先支持",
    "eligibility": "申报条件",
    "late": "逾期",
    "funding": "经费",
    "procedure": "程序",
    "policy": "适用办法",
}
_KIND_BY_PREFIX = {
    "revocation.": "revocation",
    "flag.priority": "priority",
    "eligibility.": "eligibility",
    "category.": "eligibility",
    "naming.": "eligibility",
    "acceptance.": "late",
    "funding.": "funding",
    "procedure.": "procedure",
    "policy.": "policy",
}
DERIVED = "本站推算"
CAVEAT = "以市科技局决定为准"


@dataclass(frozen=True)
class Flag:
    """Something a reader should notice about a center, with the rule behind it."""

    rule_id: str
    message: str

    @property
    def kind(self) -> str:
        return _kind(self.rule_id)

    @property
    def kind_label(self) -> str:
        return FLAG_KINDS[self.kind]

    @property
    def article(self) -> str | None:
        return rule(self.rule_id).article

    @property
    def title(self) -> str:
        return rule(self.rule_id).title

    @property
    def statement(self) -> str:
        """What the site says, marked as its own reading: never worded like a decision."""
        return statement(self.kind, self.title, self.article)


def statement(kind: str, title: str, article: str | None) -> str:
    """按第十二条应予撤销（本站推算，以市科技局决定为准） for a revocation; the rule's title so marked otherwise."""
    if kind == "revocation":
        return f"按{article}应予撤销（{DERIVED}，{CAVEAT}）"
    cited = f"，{article}" if article else ""
    if kind == "policy":
        return f"{title}（本站解释{cited}）"
    return f"{title}（{DERIVED}{cited}，{CAVEAT}）"


@cache  # a few dozen rule ids; the open data asks for the kind of every flag several times
def _kind(rule_id: str) -> str:
    return next(k for prefix, k in _KIND_BY_PREFIX.items() if rule_id.startswith(prefix))


DatedCheck = Callable[[Center, dt.date], Iterator[str]]


def extension_expired(center: Center, day: dt.date) -> Iterator[str]:
    """After the one extension, an application missed or late, or an acceptance failed: flagged
    until an acceptance passes or a revocation is recorded (a late application clears nothing)."""
    period = m.construction(center)
    if period is None or period.extension is None or not m.judged(center, period.extension):
        return
    if center.last("revocation") or m.acceptance_passed(center):
        return
    failed = [e for e in center.of_kind("acceptance") if e.get("result") == "未通过" and e.date > period.extension.date]
    due = period.acceptance_application_due
    applied = m.acceptance_application(center, period)
    if failed:
        yield f"延期后于 {failed[-1].date} 验收未通过，已无延期可用，未记录撤销"
    elif due is None:
        return
    elif applied is not None and applied.date > due:
        yield f"延期已于 {period.end} 期满，验收申请迟至 {applied.date} 才提出（应在 {due} 前），尚未通过验收，未记录撤销"
    elif applied is None and day > due:
        yield f"延期已于 {period.end} 期满，{due} 前未提出验收申请，未记录撤销"


def application_overdue(center: Center, day: dt.date) -> Iterator[str]:
    period = m.construction(center)
    if period is None or period.extension or m.acceptance_application(center, period) or center.first("acceptance"):
        return
    due = period.acceptance_application_due
    if due is None or not m.application_rule_applies(center, period):
        return
    if not center.of_kind("revocation", "withdrawal") and day > due:
        yield f"建设期已于 {period.end} 期满，应在 {due} 前提出验收申请，至今未提出"


def priority(center: Center, day: dt.date) -> Iterator[str]:
    grades = m.judged_grades(center)
    recent = grades and max(grades) >= day.year - 2  # the latest result, not one from years ago
    if recent and grades[max(grades)].get("grade") == "优秀" and not center.last("revocation"):
        yield f"{max(grades)}年度考核优秀：市科技计划项目给予重点支持，并优先推荐申报省技术创新中心"


def transition(center: Center, day: dt.date) -> Iterator[str]:
    """A center set up under other measures: name them, and say from when these ones govern it."""
    made = m.establishment(center)
    if made is None or m.judged(center, made):
        return
    under = m.established_under(center)
    how = f"依据{under.cited}{made.label}" if under else f"{made.label}（记录未写明当时适用的办法）"
    start = m.start_of(m.book_of(center))
    yield (
        f"于 {made.date} {how}，早于本办法施行（{start}）：此前的事实按记录显示，"
        f"不按本办法评判；{start} 起按本办法运行管理"
    )


DATED_CHECKS: dict[str, DatedCheck] = {
    "revocation.extension-expired": extension_expired,
    "acceptance.application-overdue": application_overdue,
    "flag.priority": priority,
    "policy.transition": transition,
}
#: The validator's warnings about a center that a reader should see on its page; a missing
#: source is shown where the fact is listed, not as a flag.
_WARNINGS = tuple(
    (i, c) for i, c in CENTER_CHECKS.items() if rule(i).severity == Severity.WARNING and not i.startswith("source.")
)


def flags(center: Center, day: dt.date) -> list[Flag]:
    """Every flag of the center on `day`, from the record as it then stood."""
    known = center.until(day).current()
    out = [Flag(rule_id, message) for rule_id, check in _WARNINGS for _, message in check(known)]
    out += [Flag(rule_id, message) for rule_id, check in DATED_CHECKS.items() for message in check(known, day)]
    return out


def policy_notes(day: dt.date, book: Book = m.TEXT_BOOK) -> Iterator[str]:
    """What the as-of date means for the measures (第二十一条): not yet in force, replaced, expired."""
    own, start = m.implemented(book), m.start_of(book)
    current = book.in_force(day)
    end = book.end(own)
    if day < start:
        yield f"{own.cited}自 {start} 起施行（第二十一条）；此前的事实按当时的办法记录，本站不按本办法推算"
    elif current is not None and current.number != m.IMPLEMENTED:
        yield (
            f"{current.cited}自 {current.in_force_from} 起施行，{own.number}不再适用（第二十一条）；"
            f"本站只实现{own.number}的规则，此后的事实只按记录显示"
        )
    elif end is not None and day > end:
        yield (
            f"{own.cited}已于 {end} 期满（第二十一条）；本站仍按其规则推算，每一项推算结果都依据已期满的办法，"
            "以市科技局的决定和新办法为准"
        )


def derived_note(day: dt.date, book: Book = m.TEXT_BOOK) -> str | None:
    """What every derived statement on `day` adds about its measures, or None while they are in force."""
    own, current, end = m.implemented(book), book.in_force(day), book.end(m.implemented(book))
    if current is not None and current.number != m.IMPLEMENTED and day >= m.start_of(book):
        return f"本站依据已被{current.number}取代的{own.number}推算（第二十一条）"
    if end is not None and day > end:
        return f"本站依据已于 {end} 期满的{own.number}推算（第二十一条）"
    return None


#: Every rule this module applies, by id.
APPLIES: dict[str, Callable[..., object]] = {**DATED_CHECKS, "policy.validity": policy_notes}
