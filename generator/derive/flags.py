"""Flags on a center: revocation triggers, priority support, eligibility, lateness, policy.

The date-free warnings of the validator are applied to the record as it stood on the
as-of date; the rules here are the ones that need that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

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
    "policy.": "policy",
}


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


@cache  # a few dozen rule ids; the open data asks for the kind of every flag several times
def _kind(rule_id: str) -> str:
    return next(k for prefix, k in _KIND_BY_PREFIX.items() if rule_id.startswith(prefix))


DatedCheck = Callable[[Center, dt.date], Iterator[str]]


def extension_expired(center: Center, day: dt.date) -> Iterator[str]:
    period = m.construction(center)
    if period is None or period.extension is None or center.last("revocation"):
        return
    failed = [e for e in center.of_kind("acceptance") if e.get("result") == "未通过" and e.date > period.extension.date]
    applied = m.acceptance_application(center, period) or m.acceptance_passed(center)
    if failed:
        yield f"延期后于 {failed[-1].date} 验收未通过，应撤销资格，但未记录撤销"
    elif applied is None and day > period.acceptance_application_due:
        yield f"延期已于 {period.end} 期满，{period.acceptance_application_due} 前未提出验收申请，应撤销资格，但未记录撤销"


def application_overdue(center: Center, day: dt.date) -> Iterator[str]:
    period = m.construction(center)
    if period is None or period.extension or m.acceptance_application(center, period) or center.first("acceptance"):
        return
    if not center.of_kind("revocation", "withdrawal") and day > period.acceptance_application_due:
        yield f"建设期已于 {period.end} 期满，应在 {period.acceptance_application_due} 前提出验收申请，至今未提出"


def priority(center: Center, day: dt.date) -> Iterator[str]:
    grades = m.annual_grades(center)
    recent = grades and max(grades) >= day.year - 2  # the latest result, not one from years ago
    if recent and grades[max(grades)].get("grade") == "优秀" and not center.last("revocation"):
        yield f"{max(grades)}年度考核优秀：市科技计划项目给予重点支持，并优先推荐申报省技术创新中心"


def trial_measures(center: Center, day: dt.date) -> Iterator[str]:
    if m.under_trial_measures(center):
        application = center.first("application")
        if application and application.get("measures") == m.TRIAL_MEASURES_NUMBER:
            yield f"按试行办法（{m.TRIAL_MEASURES_NUMBER}）申报"
        else:
            approval = center.first("approval")
            assert approval is not None  # under_trial_measures found it, as no application names its measures
            yield f"于 {approval.date} 批准，早于本办法施行（{m.MEASURES_START}）"


DATED_CHECKS: dict[str, DatedCheck] = {
    "revocation.extension-expired": extension_expired,
    "acceptance.application-overdue": application_overdue,
    "flag.priority": priority,
    "policy.trial-measures": trial_measures,
}
_WARNINGS = tuple((i, c) for i, c in CENTER_CHECKS.items() if rule(i).severity == Severity.WARNING)


def flags(center: Center, day: dt.date) -> list[Flag]:
    """Every flag of the center on `day`, from the record as it then stood."""
    known = center.until(day).current()
    out = [Flag(rule_id, message) for rule_id, check in _WARNINGS for _, message in check(known)]
    out += [Flag(rule_id, message) for rule_id, check in DATED_CHECKS.items() for message in check(known, day)]
    return out


def policy_notes(day: dt.date) -> Iterator[str]:
    if day > m.MEASURES_END:
        yield f"{m.MEASURES_NUMBER}已于 {m.MEASURES_END} 期满；本站仍按其规则推算，请以新办法为准"
    elif day < m.MEASURES_START:
        yield f"{m.MEASURES_NUMBER}自 {m.MEASURES_START} 起施行；此前适用试行办法（{m.TRIAL_MEASURES_NUMBER}）"


#: Every rule this module applies, by id.
APPLIES: dict[str, Callable[..., object]] = {**DATED_CHECKS, "policy.validity": policy_notes}
