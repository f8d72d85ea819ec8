"""Views for one question: a county's, a supervising unit's and a year's page, with their indexes.

An officer of a county or of a supervising unit (归口管理单位, 第七条) wants their own
centers, what is due and what is overdue, at an address that does not move; a reader
asks what happened in a year. Each page iterates only its own centers (grouped once), so
at 10,000 centers the three families together cost about three passes over the centers.

Addresses (COMMON.md, shared with the other pages): `counties/<county name>/`,
`units/<unit id>/`, `years/<YYYY>/`, with the indexes `counties/`, `units/`, `years/`.
Every county has a page (its address exists before its first center does), every listed
unit has one, and every year from the first recorded fact to the as-of date has one.

Item pages are record pages (render/site/record_page.py): finished HTML outside the nav,
whose title and search text go through the record-page header, escaped like a record's.
The indexes are list pages (front matter `tic_raw_html`) in the nav.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from generator.derive.deadlines import Deadline
from generator.derive.facts import CenterFacts, NoticeFacts, RegistryFacts
from generator.derive.flags import Flag
from generator.records.model import DIVISION_CODES, GRADES, Event, SupervisingUnit, UnitList
from generator.render import links
from generator.render.env import escape_text, markup
from generator.render.site.barchart import Bar, bar_chart
from generator.render.site.record_page import record_page

CITY_LEVEL = "市直"  # a unit of the municipality itself, not of a county
NOT_DUE = frozenset({"deadline.publicity-end"})  # a publicity period's end is no one's obligation
APPROVAL_KINDS = ("approval", "recognition")
SECTIONS = ("approvals", "acceptance", "assessments", "evaluation", "revocation", "notices")  # of a year

Render = Callable[..., str]


def county_page(name: str) -> str:
    """The docs-relative source of a county's page (published at `counties/<name>/`)."""
    return f"counties/{name}/index.md"


def unit_page(unit_id: str) -> str:
    return f"units/{unit_id}/index.md"


def year_page(year: int) -> str:
    return f"years/{year}/index.md"


def county_link(name: str, prefix: str) -> Markup:
    """A county's name linked to its page (`prefix` leads from the page to the site root)."""
    if name not in DIVISION_CODES:
        return escape_text(name)
    return markup('<a href="{}counties/{}/">{}</a>'.format(prefix, escape_text(name), escape_text(name)))


def unit_link(name: str, units: UnitList | None, prefix: str) -> Markup:
    """A supervising unit's name as written, linked to its unit's page when the list holds it."""
    unit = units.named(name) if units else None
    if unit is None:
        return escape_text(name)
    return markup('<a href="{}units/{}/">{}</a>'.format(prefix, escape_text(unit.id), escape_text(name)))


#: The filters the site's templates get from this module (render/site/pages.py adds them).
VIEW_FILTERS: dict[str, Callable[..., Any]] = {"county_link": county_link, "unit_link": unit_link}


@dataclass(frozen=True)
class Row:
    """A deadline or a revocation flag of one center, as a county or unit page lists it."""

    center: CenterFacts
    deadline: Deadline | None = None
    flag: Flag | None = None


@dataclass(frozen=True)
class Fact:
    """A recorded event of one year, with its center."""

    center: CenterFacts
    event: Event


def _filter_url(key: str, value: str) -> str:
    """The center list filtered by one value (the list's URL filters, COMMON.md)."""
    return f"centers/?{key}={quote(value, safe='')}"


class Views:
    """The groupings every view page reads, made once per render."""

    def __init__(self, facts: RegistryFacts, render: Render) -> None:
        self.facts, self.render = facts, render

    # --- groupings ---------------------------------------------------------------------

    @cached_property
    def units(self) -> tuple[SupervisingUnit, ...]:
        return self.facts.units.units if self.facts.units else ()

    def unit_of(self, c: CenterFacts) -> SupervisingUnit | None:
        units = self.facts.units
        return units.named(c.center.data["supervising_unit"]) if units else None

    @cached_property
    def by_county(self) -> dict[str, list[CenterFacts]]:
        groups: dict[str, list[CenterFacts]] = {name: [] for name in DIVISION_CODES}
        for c in self.facts.centers:
            groups.setdefault(c.center.data["location"], []).append(c)
        return groups

    @cached_property
    def by_unit(self) -> dict[str, list[CenterFacts]]:
        groups: dict[str, list[CenterFacts]] = {u.id: [] for u in self.units}
        for c in self.facts.centers:
            unit = self.unit_of(c)
            if unit is not None:
                groups[unit.id].append(c)
        return groups

    @cached_property
    def years(self) -> dict[int, dict[str, list[Any]]]:
        """Each year's recorded facts by section, from the first recorded year to the as-of year.

        Events count in the year of their date, an annual assessment in the year it assessed
        (2025年度, whenever it was published); only what was known on the as-of date counts.
        """
        sections: dict[int, dict[str, list[Any]]] = {}

        def add(year: int, section: str, item: Any) -> None:
            sections.setdefault(year, {}).setdefault(section, []).append(item)

        for c in self.facts.centers:
            for event in c.center.until(self.facts.as_of).events:
                if event.kind in APPROVAL_KINDS:
                    add(event.date.year, "approvals", Fact(c, event))
                elif event.kind in ("acceptance", "evaluation", "revocation"):
                    add(event.date.year, event.kind, Fact(c, event))
                elif event.kind == "annual_assessment" and isinstance(event.get("year"), int):
                    add(event.get("year"), "assessments", Fact(c, event))
        for n in self.facts.notices:
            add(n.notice.issue_date.year, "notices", n)
        if not sections:
            return {}
        first, last = min(sections), max(self.facts.as_of.year, max(sections))
        out = {}
        for year in range(first, last + 1):
            found = sections.get(year, {})
            for section in found.values():
                section.sort(key=_fact_order)
            out[year] = found
        return out

    # --- what a county or unit page lists -------------------------------------------------

    @staticmethod
    def due(centers: Iterable[CenterFacts]) -> list[Row]:
        """Open deadlines (not yet overdue), soonest first."""
        rows = [(d.due, c.id, d.rule_id, Row(c, d)) for c in centers for d in c.open_deadlines if _due(d, False)]
        return [row for *_, row in sorted(rows, key=lambda r: r[:3])]

    @staticmethod
    def overdue(centers: Iterable[CenterFacts]) -> list[Row]:
        """Overdue deadlines (longest overdue first), then every revocation the site infers."""
        late = [(d.due, c.id, d.rule_id, Row(c, d)) for c in centers for d in c.open_deadlines if _due(d, True)]
        revoke = [Row(c, flag=f) for c in centers for f in c.flags if f.kind == "revocation"]
        return [row for *_, row in sorted(late, key=lambda r: r[:3])] + revoke

    @staticmethod
    def unknown(centers: Iterable[CenterFacts]) -> list[Row]:
        return [Row(c, d) for c in centers for d in c.unknown_deadlines]

    def _summary(self, centers: list[CenterFacts]) -> dict[str, int]:
        overdue = self.overdue(centers)
        return {
            "centers": len(centers),
            "due": len(self.due(centers)),
            "overdue": sum(1 for r in overdue if r.deadline),
            "revocation": sum(1 for r in overdue if r.flag),
        }

    # --- pages --------------------------------------------------------------------------

    def county(self, name: str) -> str:
        centers = self.by_county[name]
        units = [u for u in self.units if u.county == name]
        code = DIVISION_CODES.get(name, "")
        counts = self._summary(centers)
        description = f"{name}的市技术创新中心：{counts['centers']} 个中心，未到期的期限与逾期事项。"
        body = self.render(
            "view_group.html.j2",
            kind="county",
            title=name,
            intro=f"{name}{f'（行政区划代码 {code}）' if code else ''}",
            centers=centers,
            counts=counts,
            due=self.due(centers),
            overdue=self.overdue(centers),
            unknown=self.unknown(centers),
            units=units,
            unit=None,
            county=name,
            filter_url=_filter_url("location", name),
            calendar=links.county_calendar(name),
            unit_of=self.unit_of,
        )
        # Names the county and its units, not its centers: each center is found by its own page.
        search = f"{name}的市技术创新中心：{counts['centers']} 个。归口管理单位：{'、'.join(u.name for u in units) or '无'}。"
        return record_page(name, description, body, search)

    def unit(self, unit: SupervisingUnit) -> str:
        centers = self.by_unit[unit.id]
        counts = self._summary(centers)
        description = f"归口管理单位{unit.name}的市技术创新中心：{counts['centers']} 个中心，未到期的期限与逾期事项。"
        body = self.render(
            "view_group.html.j2",
            kind="unit",
            title=unit.name,
            intro=f"归口管理单位{unit.name}",
            centers=centers,
            counts=counts,
            due=self.due(centers),
            overdue=self.overdue(centers),
            unknown=self.unknown(centers),
            units=[],
            unit=unit,
            county=unit.county,
            filter_url=None,
            calendar=None,
            unit_of=self.unit_of,
        )
        former = f"曾用名：{'、'.join(unit.former_names)}。" if unit.former_names else ""
        search = f"归口管理单位 {unit.name}，{unit.county}。{former}{counts['centers']} 个中心。"
        return record_page(unit.name, description, body, search)

    def year(self, year: int) -> str:
        found = self.years[year]
        acceptances = found.get("acceptance", [])
        passed = [f for f in acceptances if f.event.get("result") == "通过"]
        failed = [f for f in acceptances if f.event.get("result") != "通过"]
        assessments = sorted(found.get("assessments", []), key=lambda f: (GRADES.index(f.event.get("grade")), f.center.id))
        grades = Counter(f.event.get("grade") for f in assessments)
        bars = _year_bars(found, len(passed), len(failed), grades)
        chart = bar_chart(
            bars,
            f"{year} 年各类事项数量",
            "，".join(f"{b.label} {b.value}" for b in bars),
            f"year-{year}",
        )
        title = f"{year} 年度概览"
        body = self.render(
            "view_year.html.j2",
            year=year,
            title=title,
            found=found,
            approvals=found.get("approvals", []),
            passed=passed,
            failed=failed,
            acceptances=acceptances,
            assessments=assessments,
            grades=[(g, grades.get(g, 0)) for g in GRADES],
            evaluations=found.get("evaluation", []),
            revocations=found.get("revocation", []),
            notices=found.get("notices", []),
            bars=bars,
            chart=chart,
            previous=year - 1 if year - 1 in self.years else None,
            following=year + 1 if year + 1 in self.years else None,
        )
        description = f"{year} 年忻州市技术创新中心的批准建设、验收、考核、评估、撤销与公示。"
        search = f"{title}：" + "，".join(f"{b.label} {b.value}" for b in bars) + "。"
        return record_page(title, description, body, search)

    def counties_index(self) -> str:
        rows = [(name, DIVISION_CODES[name], self._summary(self.by_county[name])) for name in DIVISION_CODES]
        return self.render("view_counties.md.j2", rows=rows)

    def units_index(self) -> str:
        order = {name: i for i, name in enumerate((CITY_LEVEL, *DIVISION_CODES))}
        units = sorted(self.units, key=lambda u: (order.get(u.county, len(order)), u.index))
        rows = [(u, self._summary(self.by_unit[u.id])) for u in units]
        return self.render("view_units.md.j2", rows=rows)

    def years_index(self) -> str:
        rows = []
        for year, found in sorted(self.years.items(), reverse=True):
            acceptances = found.get("acceptance", [])
            passed = sum(1 for f in acceptances if f.event.get("result") == "通过")
            counts = {k: len(found.get(k, ())) for k in SECTIONS}
            rows.append((year, counts, passed, len(acceptances) - passed))
        bars = [Bar(str(year), counts.get("approvals", 0), f"{year}/") for year, counts, _, _ in reversed(rows)]
        chart = bar_chart(
            bars,
            "各年批准建设（含认定）的中心数",
            "，".join(f"{b.label} 年 {b.value} 个" for b in bars),
            "years",
        )
        return self.render("view_years.md.j2", rows=rows, chart=chart)

    def pages(self) -> dict[str, Callable[[], str]]:
        """Every view page by its docs-relative path, as a job; indexes first."""
        jobs: dict[str, Callable[[], str]] = {
            "counties/index.md": self.counties_index,
            "units/index.md": self.units_index,
            "years/index.md": self.years_index,
        }
        for name in DIVISION_CODES:
            jobs[county_page(name)] = _bind(self.county, name)
        for unit in self.units:
            jobs[unit_page(unit.id)] = _bind(self.unit, unit)
        for year in self.years:
            jobs[year_page(year)] = _bind(self.year, year)
        return jobs


def _due(d: Deadline, overdue: bool) -> bool:
    """An obligation that is open (or, with `overdue`, overdue) on the as-of date."""
    return (d.state == "overdue") == overdue and d.rule_id not in NOT_DUE


def _bind(method: Callable[[Any], str], arg: Any) -> Callable[[], str]:
    return lambda: method(arg)


def _fact_order(item: Fact | NoticeFacts) -> tuple[dt.date, str]:
    if isinstance(item, Fact):
        return item.event.date, item.center.id
    return item.notice.issue_date, item.id


def _year_bars(found: Mapping[str, list[Any]], passed: int, failed: int, grades: Counter[str]) -> list[Bar]:
    """The year's chart: one bar per kind of fact, the sections below in the same order."""
    return [
        Bar("批准建设", len(found.get("approvals", [])), "#批准建设"),
        Bar("验收通过", passed, "#验收"),
        Bar("验收未通过", failed, "#验收"),
        *(Bar(f"考核{grade}", grades.get(grade, 0), "#年度绩效考核") for grade in GRADES),
        Bar("三年评估", len(found.get("evaluation", [])), "#三年评估"),
        Bar("撤销", len(found.get("revocation", [])), "#撤销"),
        Bar("公示", len(found.get("notices", [])), "#公示"),
    ]


def view_page_files(facts: RegistryFacts) -> set[str]:
    """The view pages that are record pages (outside the nav): every county, unit and year page."""
    return {path for path in Views(facts, _no_render).pages() if path.count("/") == 2}


def _no_render(*args: Any, **context: Any) -> str:
    return ""
