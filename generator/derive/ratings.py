"""Rating history, streaks and funding (第十三条, 第十八条, 第十九条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.records.model import Center, Event
from generator.rules import measures as m


@dataclass(frozen=True)
class Grade:
    """One annual assessment or evaluation result with its event."""

    label: str  # "2024年度" or the evaluation date
    grade: str
    event: Event


@dataclass(frozen=True)
class Ratings:
    """A center's assessments and evaluations and what their sequence means."""

    annual: tuple[Grade, ...]
    evaluations: tuple[Grade, ...]
    excellent_streak: int  # consecutive 优秀 years ending with the latest assessed year
    fail_streak: int  # consecutive 不合格 years ending with the latest assessed year

    @property
    def latest(self) -> Grade | None:
        return self.annual[-1] if self.annual else None

    def by_year(self) -> dict[int, str]:
        """The grade of each assessed year (the first recorded, should a year have two)."""
        grades: dict[int, str] = {}
        for g in self.annual:
            grades.setdefault(g.event.get("year"), g.grade)
        return grades


def _trailing(grades: dict[int, Event], grade: str) -> int:
    if not grades:
        return 0
    last = max(grades)
    run = next((r for r in m.runs(grades, grade) if r[-1] == last), [])
    return len(run)


def ratings(center: Center) -> Ratings:
    grades = m.annual_grades(center)
    annual = tuple(Grade(f"{y}年度", grades[y].get("grade"), grades[y]) for y in sorted(grades))
    evaluations = tuple(Grade(e.date.isoformat(), e.get("grade"), e) for e in center.of_kind("evaluation"))
    return Ratings(annual, evaluations, _trailing(grades, "优秀"), _trailing(grades, "不合格"))


@dataclass(frozen=True)
class Entitlement:
    """Money the measures promise, and the grant that paid it, if recorded."""

    kind: str  # 建设经费 or 优秀奖励
    amount_wan: int
    due_on: str  # why and when it became due, in words
    granted: Event | None
    since: dt.date  # the day of the fact that made it due: the approval, the third 优秀 result


@dataclass(frozen=True)
class Funding:
    entitlements: tuple[Entitlement, ...]
    grants: tuple[Event, ...]
    legacy: bool = False  # set up under other measures: 第十三条's 10万元 is not derived for it

    @property
    def granted_wan(self) -> float:
        return sum(e.get("amount_wan") for e in self.grants)

    @property
    def outstanding(self) -> tuple[Entitlement, ...]:
        return tuple(e for e in self.entitlements if e.granted is None)


def funding(center: Center) -> Funding:
    """What the center is entitled to under 第十三条 and what the records say was granted.

    The 10万元 is for a center newly approved under these measures (a conversion under 第四条
    counts as new); an approval or recognition under other measures is not given one here.
    Awards count only the grades these measures judge (m.award_years).
    """
    grants = tuple(center.of_kind("funding"))
    out: list[Entitlement] = []
    approval = center.first("approval")
    if approval and m.judged(center, approval):
        paid = next((g for g in grants if g.get("funding_kind") == "建设经费"), None)
        out.append(
            Entitlement("建设经费", m.CONSTRUCTION_FUNDING_WAN, f"{approval.date} 批准建设", paid, approval.date)
        )
    awards = [g for g in grants if g.get("funding_kind") == "优秀奖励"]
    grades = m.annual_grades(center)
    for i, year in enumerate(m.award_years(center)):
        out.append(
            Entitlement(
                "优秀奖励",
                m.AWARD_FUNDING_WAN,
                f"截至{year}年度连续3年考核优秀",
                awards[i] if i < len(awards) else None,
                grades[year].date,
            )
        )
    return Funding(tuple(out), grants, m.legacy(center))


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "rating.streak": ratings,
    "funding.construction": funding,
    "funding.award": funding,
}
