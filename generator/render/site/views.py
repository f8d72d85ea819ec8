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

from generator.derive.facts import CenterFacts, NoticeFacts, RegistryFacts
from generator.records.model import DIVISION_CODES, EVENT_LABELS, GRADES, Event, SupervisingUnit, UnitList
from generator.render import links
from generator.render.env import escape_text, markup
from generator.render.site.barchart import Bar, bar_chart
from generator.render.site.html import center_link
from generator.render.site.record_page import heading, record_page
from generator.render.site.view_rows import (
    CENTERS,
    ROOT,
    CenterRows,
    center_row,
    center_rows,
    revocation_row,
    sources,
)

CITY_LEVEL = "市直"  # a unit of the municipality itself, not of a county
#: The events a year page shows, and the section each goes to (assessments by their own year).
YEAR_APPROVALS = ("approval", "recognition")
YEAR_KINDS = {
    "approval": "approvals",
    "recognition": "approvals",
    "acceptance": "acceptance",
    "annual_assessment": "assessments",
    "evaluation": "evaluation",
    "revocation": "revocation",
}
MAX_LISTED = 5  # dates (and documents) a group lists; more are in each center's record
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
    return markup(f'<a href="{prefix}counties/{escape_text(name)}/">{escape_text(name)}</a>')


def unit_link(name: str, units: UnitList | None, prefix: str) -> Markup:
    """A supervising unit's name as written, linked to its unit's page when the list holds it."""
    unit = units.named(name) if units else None
    if unit is None:
        return escape_text(name)
    return markup(f'<a href="{prefix}units/{escape_text(unit.id)}/">{escape_text(name)}</a>')


#: The filters the site's templates get from this module (render/site/pages.py adds them).
VIEW_FILTERS: dict[str, Callable[..., Any]] = {"county_link": county_link, "unit_link": unit_link}


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
        self._links: dict[str, Markup] = {}

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
    def year_range(self) -> range:
        """From the year of the first recorded event or notice to the as-of year (cheap: no grouping)."""
        firsts = [c.center.events[0].date.year for c in self.facts.centers if c.center.events]
        firsts += [n.notice.issue_date.year for n in self.facts.notices]
        return range(min(firsts), self.facts.as_of.year + 1) if firsts else range(0)

    @cached_property
    def years(self) -> dict[int, dict[str, list[Any]]]:
        """Each year's recorded facts by section (SECTIONS), for every year of `year_range`.

        Events count in the year of their date, an annual assessment in the year it assessed
        (2025年度, whenever it was published); only what was known on the as-of date counts.
        """
        out: dict[int, dict[str, list[Any]]] = {year: {} for year in self.year_range}
        as_of = self.facts.as_of

        def add(year: int, section: str, item: Any) -> None:
            if year in out:
                out[year].setdefault(section, []).append(item)

        for c in self.facts.centers:
            for event in c.center.events:
                kind = event.kind
                if kind not in YEAR_KINDS or event.date > as_of:
                    continue
                if kind == "annual_assessment":
                    if isinstance(event.get("year"), int):
                        add(event.get("year"), "assessments", Fact(c, event))
                else:
                    add(event.date.year, YEAR_KINDS[kind], Fact(c, event))
        for n in self.facts.notices:
            add(n.notice.issue_date.year, "notices", n)
        for found in out.values():
            for section in found.values():
                section.sort(key=_fact_order)
        return out

    # --- what a county or unit page lists -------------------------------------------------

    @cached_property
    def rows(self) -> dict[str, CenterRows]:
        """Each center's rows, made once: its county's page and its unit's page share them."""
        return {c.id: center_rows(c) for c in self.facts.centers}

    def link(self, c: CenterFacts) -> Markup:
        """The center's name linked to its page, made once per center for every year page."""
        found = self._links.get(c.id)
        if found is None:
            found = self._links[c.id] = center_link(c, CENTERS)
        return found

    def _lists(self, centers: list[CenterFacts]) -> dict[str, Any]:
        rows = [self.rows[c.id] for c in centers]
        due = sorted((item for r in rows for item in r.due), key=lambda item: item[0])
        late = sorted((item for r in rows for item in r.overdue), key=lambda item: item[0])
        revocations = [row for r in rows for row in r.revocations]
        return {
            "due": _joined(row for _, row in due),
            "overdue": _joined([*(row for _, row in late), *revocations]),
            "unknown": _joined(item for r in rows for item in r.unknown),
            "provisional": any(r.provisional for r in rows),
            "counts": {"centers": len(centers), "due": len(due), "overdue": len(late), "revocation": len(revocations)},
        }

    def _summary(self, centers: list[CenterFacts]) -> dict[str, int]:
        rows = [self.rows[c.id] for c in centers]
        return {
            "centers": len(centers),
            "due": sum(len(r.due) for r in rows),
            "overdue": sum(len(r.overdue) for r in rows),
            "revocation": sum(len(r.revocations) for r in rows),
        }

    # --- pages --------------------------------------------------------------------------

    def county(self, name: str) -> str:
        centers = self.by_county[name]
        units = [u for u in self.units if u.county == name]
        code = DIVISION_CODES.get(name, "")
        lists = self._lists(centers)
        table = _joined(center_row(c, self._unit_cell(c), "归口管理单位") for c in centers)
        description = f"{name}的市技术创新中心：{len(centers)} 个中心，未到期的期限与逾期事项。"
        body = self.render(
            "view_group.html.j2",
            kind="county",
            title=name,
            intro=f"{name}{f'（行政区划代码 {code}）' if code else ''}",
            centers=table,
            units=units,
            unit=None,
            county=name,
            filter_url=_filter_url("location", name),
            calendar=links.county_calendar(name),
            **lists,
        )
        # Names the county and its units, not its centers: each center is found by its own page.
        search = (
            f"{name}的市技术创新中心：{len(centers)} 个。归口管理单位：{'、'.join(u.name for u in units) or '无'}。"
        )
        return record_page(name, description, body, search)

    def _unit_cell(self, c: CenterFacts) -> Markup:
        return unit_link(c.center.data["supervising_unit"], self.facts.units, ROOT)

    def unit(self, unit: SupervisingUnit) -> str:
        centers = self.by_unit[unit.id]
        lists = self._lists(centers)
        table = _joined(center_row(c, county_link(c.center.data["location"], ROOT), "所在地") for c in centers)
        description = f"归口管理单位{unit.name}的市技术创新中心：{len(centers)} 个中心，未到期的期限与逾期事项。"
        body = self.render(
            "view_group.html.j2",
            kind="unit",
            title=unit.name,
            intro=f"归口管理单位{unit.name}",
            centers=table,
            units=[],
            unit=unit,
            county=unit.county,
            filter_url=None,
            calendar=None,
            **lists,
        )
        former = f"曾用名：{'、'.join(unit.former_names)}。" if unit.former_names else ""
        search = f"归口管理单位 {unit.name}，{unit.county}。{former}{len(centers)} 个中心。"
        return record_page(unit.name, description, body, search)

    def year(self, year: int) -> str:
        found = self.years[year]
        acceptances = found.get("acceptance", [])
        passed = [f for f in acceptances if f.event.get("result") == "通过"]
        failed = [f for f in acceptances if f.event.get("result") != "通过"]
        assessments = sorted(
            found.get("assessments", []), key=lambda f: (GRADES.index(f.event.get("grade")), f.center.id)
        )
        grades = Counter(f.event.get("grade") for f in assessments)
        bars = _year_bars(found, len(passed), len(failed), grades)
        chart = bar_chart(
            bars,
            f"{year} 年各类事项数量",
            "，".join(f"{b.label} {b.value}" for b in bars),
            f"year-{year}",
        )
        title = f"{year} 年度概览"
        approvals, evaluations = found.get("approvals", []), found.get("evaluation", [])
        revocations = found.get("revocation", [])
        body = self.render(
            "view_year.html.j2",
            year=year,
            title=title,
            approvals=len(approvals),
            approval_groups=self._groups(approvals, _label, [EVENT_LABELS[k] for k in YEAR_APPROVALS], "{}的中心"),
            passed=len(passed),
            failed=len(failed),
            acceptances=len(acceptances),
            acceptance_groups=self._groups(acceptances, _result, ("通过", "未通过"), "验收{}"),
            assessments=len(assessments),
            grades=[(g, grades.get(g, 0)) for g in GRADES],
            grade_groups=self._groups(assessments, _grade, GRADES, "考核{}"),
            evaluations=len(evaluations),
            evaluation_groups=self._groups(evaluations, _grade, GRADES, "评估{}"),
            revocations=len(revocations),
            revocation_rows=_joined(revocation_row(self.link(f.center), f.event) for f in revocations),
            notices=found.get("notices", []),
            bars=bars,
            chart=chart,
            previous=year - 1 if year - 1 in self.year_range else None,
            following=year + 1 if year + 1 in self.year_range else None,
        )
        description = f"{year} 年忻州市技术创新中心的批准建设、验收、考核、评估、撤销与公示。"
        search = f"{title}：" + "，".join(f"{b.label} {b.value}" for b in bars) + "。"
        return record_page(title, description, body, search)

    def _groups(self, facts: list[Fact], key: Callable[[Fact], str], order: Iterable[str], title: str) -> Markup:
        """The facts by `key` (a grade, a result), in `order`: how many, the centers (linked),
        the dates and the documents; `title` makes a group's heading (unique on the page) from its label.

        A list of names per group, not a row per center: at 10,000 centers a year holds
        thousands of facts, mostly a few batches that share a date and a document.
        """
        buckets: dict[str, list[Fact]] = {}
        for f in facts:
            buckets.setdefault(key(f), []).append(f)
        out = []
        for label in order:
            given = buckets.get(label)
            if given:
                names = _joined(markup(f"<li>{self.link(f.center)}</li>") for f in given)
                days = sorted({f.event.date for f in given})
                dates = "、".join(map(str, days)) if len(days) <= MAX_LISTED else f"{days[0]} 至 {days[-1]}"
                out.append(
                    markup(
                        f"{heading(title.format(label), 3)}\n<p>{len(given)} 个中心；日期：{dates}；"
                        f"出处：{sources(f.event for f in given)}</p>\n"
                        f'<ul class="tic-view-names">\n{names}\n</ul>'
                    )
                )
        return _joined(out)

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
        for year in self.year_range:
            jobs[year_page(year)] = _bind(self.year, year)
        return jobs


def _label(f: Fact) -> str:
    return f.event.label


def _result(f: Fact) -> str:
    return "通过" if f.event.get("result") == "通过" else "未通过"


def _grade(f: Fact) -> str:
    return str(f.event.get("grade"))


def _joined(rows: Iterable[Markup]) -> Markup:
    return markup("\n".join(rows))


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
        Bar("验收通过", passed, "#验收通过" if passed else "#验收"),
        Bar("验收未通过", failed, "#验收未通过" if failed else "#验收"),
        *(Bar(f"考核{g}", grades.get(g, 0), f"#考核{g}" if grades.get(g) else "#年度绩效考核") for g in GRADES),
        Bar("三年评估", len(found.get("evaluation", [])), "#三年评估"),
        Bar("撤销", len(found.get("revocation", [])), "#撤销"),
        Bar("公示", len(found.get("notices", [])), "#公示"),
    ]


def view_page_files(facts: RegistryFacts) -> set[str]:
    """The view pages that are record pages (outside the nav): every county, unit and year page."""
    return {path for path in Views(facts, _no_render).pages() if path.count("/") == 2}


def _no_render(*args: Any, **context: Any) -> str:
    return ""
