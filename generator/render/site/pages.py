"""The site's pages, rendered from derived facts through the templates in site/.

Returns docs-relative paths and their UTF-8 text; the write stage or the MkDocs plugin takes
them from there. Lists and overviews are Markdown pages for MkDocs; each record's page is a
finished body that MkDocs publishes without Python-Markdown (render/site/record_page.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property, partial
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator.derive.deadlines import Deadline
from generator.derive.facts import CenterFacts, NoticeFacts, RegistryFacts
from generator.derive.flags import Flag
from generator.derive.status import STATUSES
from generator.records import measures_text
from generator.records.history import Change
from generator.records.model import DIVISION_CODES, OFFICIAL_FACTS, Center, Event
from generator.render import links
from generator.render.batch import Batch, run_batches
from generator.render.env import markup_env
from generator.render.site import articles, center_list, summary
from generator.render.site.changes import ChangeWords
from generator.render.site.html import FILTERS
from generator.render.site.record_page import record_page, record_page_file
from generator.render.site.search import center_text, notice_text
from generator.render.site.svg import GRADE_RANK, lifeline, ratings_chart
from generator.render.site.views import VIEW_FILTERS, Views
from generator.rules.measures import measures_of_fact
from generator.rules.table import RULES, SEVERITY_LABELS, STAGE_LABELS, Rule, Severity, Stage
from generator.rules.workdays import package_coverage, statutory_holidays
from generator.runtime.parallel import PARALLEL_FROM

UPCOMING_DAYS = 90
HOME_ITEMS = 8  # rows of each list on the home page; the rest are a link away
HOME_CHANGES = 5  # commits on the home page, each with at most HOME_CHANGE_FILES records named
HOME_CHANGE_FILES = 5
CHANGE_FILES = 50  # records named per commit on the changes page
SOON_DAYS = 90  # the deadlines page's first, open table: overdue and due within these days
ROLE_FIRST, ROLE_CO = "第一依托单位", "共建单位"
STATUS_ORDER = list(STATUSES.values())
UNRECORDED_MEASURES = "施行前（未记录）"

#: What each status means to a reader, with the article it comes from (rules page).
STATUS_MEANINGS: dict[str, tuple[str, str | None]] = {
    "applying": ("依托单位已提交申请，尚未进入公示。", "第十二条"),
    "publicity": ("市科学技术局正在公示评审通过的名单，公示期内可以提出异议。", "第十二条"),
    "pending": ("公示期已满，尚未记录市科学技术局是否批准建设。", "第十二条"),
    "construction": ("已批准建设，在建设期内（一般不超过2年）。", "第十二条"),
    "extended": ("原定建设期已满，经批准延期建设（最多延长1年）。", "第十二条"),
    "awaiting_acceptance": ("建设期已满，尚未记录验收结论；依托单位应在期满后1个月内提出验收申请。", "第十二条"),
    "operating": ("验收通过（或本办法施行前经认定），列入市技术创新中心序列，接受年度考核与三年评估。", "第十二条"),
    "acceptance_failed": ("验收未通过，且其后没有记录批准延期。", "第十二条"),
    "revoked": (
        "市科学技术局撤销了市技术创新中心资格，页面写明撤销原因与依据的条款。",
        "第十条、第十二条、第十八条、第十九条",
    ),
    "rejected": ("经公示或评审后未获批准建设；名录只记录市科学技术局公开的结果。", "第十二条"),
    "withdrawn": ("依托单位撤回了申请。", None),
}


@dataclass(frozen=True)
class PublicSection:
    """A topic of the rules page's first part: what a reader of a center's page meets."""

    title: str
    anchor: str
    intro: str
    rules: list[Rule]


#: The rules page's first part, by topic: (title, anchor, intro, rule ids).
PUBLIC_RULES = (
    (
        "期限",
        "deadlines",
        "本站按下列规则推算每个中心的期限，页面上标为本站推算。期限当日不算逾期，次日起为“已逾期”；"
        "记录不足以确定日期的写作“记录不足，无法推算”，不判为逾期。逾期与“应予撤销”只是本站的提示，以市科技局决定为准。",
        (
            "deadline.publicity-end",
            "deadline.construction-end",
            "deadline.extension-end",
            "deadline.acceptance-application",
            "acceptance.application-overdue",
            "revocation.extension-expired",
            "deadline.annual-assessment",
            "deadline.evaluation",
            "dates.calendar",
        ),
    ),
    (
        "考核与评估",
        "ratings",
        "市科学技术局每年对列入序列的中心进行年度绩效考核（第十八条），每三年进行一次评估（第十九条），"
        "结果都分为优秀、良好、合格、基本合格、不合格五个档次。考核与评估结果是记录的官方事实，注明出处；下列后果是本站据此作出的提示。",
        (
            "assessment.year",
            "rating.streak",
            "revocation.two-fails",
            "revocation.evaluation-fail",
            "flag.priority",
            "funding.construction",
            "funding.award",
        ),
    ),
)


@cache
def _site_env() -> jinja2.Environment:
    """markup_env() with the row helpers of render/site/html.py as filters."""
    env = markup_env().overlay()
    env.filters = {**env.filters, **FILTERS, **VIEW_FILTERS}
    return env


@dataclass(frozen=True)
class Count:
    """One figure of the home page's overview, with the list it counts."""

    label: str
    n: int
    href: str  # from the site root


@dataclass(frozen=True)
class Attention:
    """One row of the home page's derived list: a center and what the site reads is due."""

    center: CenterFacts
    deadline: Deadline | None = None
    flag: Flag | None = None  # a revocation flag (应予撤销) when there is no deadline


def centers_url(key: str, value: str) -> str:
    """The center list filtered by one of its URL parameters (the shared convention of issue 16)."""
    return f"centers/?{key}={quote(value, safe='')}"


class _Pages:
    """Renders each page; holds what every template shares."""

    def __init__(self, facts: RegistryFacts, changes: list[Change]) -> None:
        self.facts, self.changes = facts, changes
        self.env = _site_env()
        self.templates: dict[str, jinja2.Template] = {}
        self.edit_base = facts.settings.data.get("edit_url", "").rstrip("/")
        self.known = {c.id for c in facts.centers}
        self.notice_titles = {n.id: n.notice.title for n in facts.notices}  # the notices published so far
        self.common = {
            "facts": facts,
            "measures_title": f"《{facts.measures.title}》",
            "measures_number": facts.measures.number,
            "severity_label": lambda s: SEVERITY_LABELS[Severity(s)],
            articles.CONTEXT_KEY: articles.article_links(facts.measures),
        }

    def render(self, template: str, **context: Any) -> str:
        if template not in self.templates:  # looked up (its file stat'ed) once per render, not per page
            self.templates[template] = self.env.get_template(f"site/{template}")
        return self.templates[template].render(**self.common, **context)

    def render_list(self, template: str, alternates: tuple[links.Alternate, ...], **context: Any) -> str:
        """A list page that declares its data files in its front matter (`tic_alternate`)."""
        return self.render(template, alternates=alternate_front_matter(alternates), **context)

    def _edit_url(self, path: str) -> str:
        return f"{self.edit_base}/{path.removeprefix('registry/')}" if self.edit_base else ""

    def center(self, c: CenterFacts) -> str:
        data = c.center.data
        units = [(ROLE_FIRST, c.center.first_host_unit), *((ROLE_CO, u) for u in c.center.co_building_units)]
        description = f"{c.center.name}：{c.center.category}，{data['field']}，{data['location']}，{c.status_label}。"
        own_data = links.center_alternates(c.id)
        return record_page(
            c.center.name,
            description,
            self.render(
                "center.html.j2",
                c=c,
                data=data,
                units=units,
                former=c.center.former_names,
                division_code=DIVISION_CODES.get(data["location"], ""),
                lifeline=lifeline(c.history, self.facts.as_of),
                ratings_chart=ratings_chart(c.ratings),
                edit_url=self._edit_url(c.center.path),
                events=[(e, _measures_label(c.center, e)) for e in c.center.events],
                own_data=own_data,
                county_calendar=links.county_calendar(data["location"]),
                **self._summary(c),
            ),
            center_text(c),
            alternate=own_data,
        )

    def _summary(self, c: CenterFacts) -> dict[str, Any]:
        """What the top of a center's page says: the status since when, and the fact behind it."""
        since, since_provisional = summary.status_since(c)
        decided = summary.decision(c, self.facts.as_of)
        return {
            "since": since,
            "since_provisional": since_provisional,
            "decided": decided,
            "decided_judged": decided is not None and _measures_label(c.center, decided) == self.facts.measures.number,
            "period_end": since - dt.timedelta(days=1) if since else None,
            "notices": self.notice_titles,
            "official": OFFICIAL_FACTS,
        }

    def centers(self) -> str:
        centers = self.facts.centers
        statuses = {c.status_label for c in centers} | {c.status_filter for c in centers}
        options = {
            "status": sorted(statuses, key=lambda s: (STATUS_ORDER.index(s.partition(" · ")[0]), s)),
            "category": sorted({c.center.category for c in centers}),
            "location": sorted({c.center.data["location"] for c in centers}, key=_division_order),
            "field": sorted({c.center.data["field"] for c in centers}),
        }
        return self.render_list(
            "centers.md.j2",
            links.CENTERS_ALTERNATES,
            options=options,
            flags=center_list.FLAGS,
            **self._list_page(1, ""),
        )

    def _list_page(self, number: int, prefix: str) -> dict[str, Any]:
        """What page `number` of the center list shows: its rows, where it is, the sort columns."""
        rows, size = self.list_rows, center_list.PAGE_SIZE
        first = (number - 1) * size
        return {
            "rows": rows[first : first + size],
            "number": number,
            "pages": center_list.page_count(len(rows)),
            "total": len(rows),
            "first": first + 1,
            "last": min(first + size, len(rows)),
            "prefix": prefix,
            "page_size": size,
            "sorts": center_list.SORTS,
        }

    def centers_page(self, number: int) -> str:
        """A static page of the list (2, 3, …): every center reachable without the script."""
        return self.render("centers_page.md.j2", **self._list_page(number, "../"))

    def centers_data(self) -> str:
        return center_list.data(self.list_rows)

    @cached_property
    def list_rows(self) -> list[center_list.Row]:
        return center_list.rows(self.facts.centers)

    def home(self) -> str:
        """What a reader comes for first (notices, what is overdue or due, what changed), then the figures."""
        notices = [n for n in self._notices_in_order() if n.state != "ended"]
        revocations = [Attention(c, flag=f) for c in self.facts.centers for f in c.flags if f.kind == "revocation"]
        due = sorted(  # a publicity period's end is no one's obligation: the notices above show it
            (
                (c, d)
                for c in self.facts.centers
                for d in c.open_deadlines
                if d.rule_id != "deadline.publicity-end" and (d.state != "open" or d.days <= UPCOMING_DAYS)
            ),
            key=lambda cd: (cd[1].state != "overdue", cd[1].due, cd[0].id, cd[1].rule_id),
        )
        overdue = {c.id for c, d in due if d.state == "overdue"}
        attention = [*revocations, *(Attention(c, d) for c, d in due[:HOME_ITEMS])][:HOME_ITEMS]
        words = ChangeWords(self.facts)
        changes = [(ch, words.phrase(ch, "", HOME_CHANGE_FILES)) for ch in self.changes[:HOME_CHANGES]]
        return self.render_list(
            "home.md.j2",
            links.HOME_ALTERNATES,
            counts=self._counts(),
            notices=notices[:HOME_ITEMS],
            more_notices=len(notices) - HOME_ITEMS,
            attention=attention,
            more_attention=len(revocations) + len(due) - len(attention),
            overdue_centers=len(overdue),
            revocation_centers=len({a.center.id for a in revocations}),
            changes=changes,
        )

    def _counts(self) -> list[tuple[str, list[Count]]]:
        """The overview's three tables, each figure linked to the list it counts (a county's to its page)."""
        facts = self.facts
        status = sorted(facts.counts("status").items(), key=lambda kv: STATUS_ORDER.index(kv[0]))
        category = sorted(facts.counts("category").items())
        location = sorted(facts.counts("location").items(), key=lambda kv: _division_order(kv[0]))
        return [
            ("状态（本站推算）", [Count(k, n, centers_url("status", k)) for k, n in status]),
            ("类别", [Count(k, n, centers_url("category", k)) for k, n in category]),
            ("所在地", [Count(k, n, f"counties/{quote(k, safe='')}/") for k, n in location]),  # its own page
        ]

    def _notices_in_order(self) -> list[NoticeFacts]:
        order = {"active": 0, "upcoming": 1, "result_pending": 2, "ended": 3}
        return sorted(self.facts.notices, key=lambda n: (order[n.state], -n.notice.issue_date.toordinal(), n.id))

    def _open_deadlines(self) -> list[tuple[CenterFacts, Deadline]]:
        rows = [(c, d) for c in self.facts.centers for d in c.open_deadlines]
        return sorted(rows, key=lambda cd: (cd[1].due, cd[0].id, cd[1].rule_id))

    def notices(self) -> str:
        return self.render_list("notices.md.j2", links.NOTICES_ALTERNATES, notices=self._notices_in_order())

    def notice(self, n: NoticeFacts) -> str:
        d = n.notice.data
        description = f"{d['subject']}公示，公示期 {n.period.start} 至 {n.period.end}"
        return record_page(
            n.notice.title,
            description,
            self.render(
                "notice.html.j2",
                n=n,
                d=d,
                known=self.known,
                has_result=any("result" in e for e in d["entries"]),
                default_basis=self.facts.measures.cited,
                ours=self.facts.book.in_force(n.notice.issue_date)
                == self.facts.measures,  # its 第N条 are these measures'
                edit_url=self._edit_url(n.notice.path),
                own_data=links.NOTICES_ALTERNATES,
            ),
            notice_text(n),
            alternate=links.NOTICES_ALTERNATES,
        )

    def record(self, item: CenterFacts | NoticeFacts) -> str:
        return self.center(item) if isinstance(item, CenterFacts) else self.notice(item)

    def deadlines(self) -> str:
        unknown = [(c, d) for c in self.facts.centers for d in c.unknown_deadlines]
        rows = self._open_deadlines()
        return self.render_list(
            "deadlines.md.j2",
            links.DEADLINES_ALTERNATES,
            rows=rows,
            groups=_deadline_groups(rows),
            soon_days=SOON_DAYS,
            unknown=unknown,
            counties=[(name, links.county_calendar(name)) for name in links.COUNTY_NAMES],
        )

    def ratings(self) -> str:
        rated = [c for c in self.facts.centers if c.ratings.annual]
        years = sorted({g.event.get("year") for c in rated for g in c.ratings.annual})
        evaluations = sorted(
            ((c, g) for c in self.facts.centers for g in c.ratings.evaluations),
            key=lambda cg: (cg[1].event.date, cg[0].id),
        )
        rows = [(c, _grade_cells(c, years)) for c in rated]
        return self.render_list(
            "ratings.md.j2",
            links.RATINGS_ALTERNATES,
            rows=rows,
            groups=_rating_groups(rows),
            years=years,
            evaluations=evaluations,
            evaluation_groups=_evaluation_groups(evaluations),
        )

    def rules(self) -> str:
        groups = [(STAGE_LABELS[s], [r for r in RULES.values() if r.stage == s]) for s in Stage]
        calendar, year = self.facts.calendar, self.facts.as_of.year
        guessed = [(y, statutory_holidays(y)) for y in (year, year + 1) if calendar.source(y) == "statutory"]
        statuses = [(STATUSES[key], meaning, article) for key, (meaning, article) in STATUS_MEANINGS.items()]
        public = [
            PublicSection(title, anchor, intro, [RULES[i] for i in ids]) for title, anchor, intro, ids in PUBLIC_RULES
        ]
        return self.render(
            "rules.md.j2",
            groups=[(label, rules) for label, rules in groups if rules],
            schedules=calendar.schedules,
            package=package_coverage(),
            guessed=guessed,
            statuses=statuses,
            status_rule=RULES["status"],
            public=public,
        )

    def history(self) -> str:
        words = ChangeWords(self.facts)
        return self.render(
            "changes.md.j2", changes=[(ch, words.phrase(ch, "../", CHANGE_FILES)) for ch in self.changes]
        )

    def measures_text(self) -> str:
        """The full text of the implemented measures, each article under its own anchor."""
        m = self.facts.measures
        return self.render("measures.md.j2", m=m, text=measures_text.parse(m.text))

    def measures_file(self) -> str | None:
        """Where the measures' text page goes under docs/, if the registry records the text."""
        m = self.facts.measures
        return f"{articles.measures_page(m.id)}index.md" if m.text and m.id else None


def _deadline_groups(rows: list[tuple[CenterFacts, Deadline]]) -> list[dict[str, Any]]:
    """The deadlines page's tables: what is overdue or due within SOON_DAYS, open; later ones by
    year, folded. A phone lays out only the open table: at 1,000 centers the page holds some
    1,600 deadlines, and Material's scripts lay out the whole page several times while it loads."""
    soon: list[tuple[CenterFacts, Deadline]] = []
    later: dict[int, list[tuple[CenterFacts, Deadline]]] = {}
    for c, d in rows:
        if d.state != "open" or d.days <= SOON_DAYS or d.due is None:
            soon.append((c, d))
        else:
            later.setdefault(d.due.year, []).append((c, d))
    groups = [{"label": f"已逾期与 {SOON_DAYS} 天内到期", "id": "soon", "suffix": "", "open": True, "rows": soon}]
    groups += [
        {"label": f"{year} 年到期", "id": f"year-{year}", "suffix": f"-{year}", "open": False, "rows": group}
        for year, group in later.items()
    ]
    return groups


def _measures_label(center: Center, event: Event) -> str:
    """The measures a recorded fact falls under, by number; one before them all, unnamed, says so."""
    under = measures_of_fact(center, event)
    return under.number if under else UNRECORDED_MEASURES


def alternate_front_matter(alternates: tuple[links.Alternate, ...]) -> Markup:
    """The `tic_alternate` front matter value: a JSON list (YAML reads JSON) of constants
    from render/links.py, so it is marked safe rather than escaped for Markdown."""
    return Markup(json.dumps([a.as_dict() for a in alternates], ensure_ascii=False))


def _rating_groups(rows: list[Any]) -> list[tuple[str, str, list[Any]]]:
    """The ratings matrix as (label, id suffix, rows): one table up to a list page's length, else
    one folded table per county (division order), so that a phone lays out only what is opened."""
    if len(rows) <= center_list.PAGE_SIZE:
        return [("", "", rows)]
    by_place: dict[str, list[Any]] = {}
    for row in rows:
        by_place.setdefault(row[0].center.data["location"], []).append(row)
    return [(place, f"-{links.county_slug(place)}", by_place[place]) for place in sorted(by_place, key=_division_order)]


def _evaluation_groups(rows: list[tuple[CenterFacts, Any]]) -> list[tuple[str, str, list[Any]]]:
    """The evaluations as (label, id suffix, rows): one table up to a list page's length, else one
    folded table per year of evaluation, newest first."""
    if len(rows) <= center_list.PAGE_SIZE:
        return [("", "", rows)]
    by_year: dict[int, list[Any]] = {}
    for c, g in rows:
        by_year.setdefault(g.event.date.year, []).append((c, g))
    return [(f"{year} 年", f"-{year}", by_year[year]) for year in sorted(by_year, reverse=True)]


def _grade_cells(c: CenterFacts, years: list[int]) -> list[tuple[int, str | None]]:
    """(rank for sorting, grade) of each year, for a row of the ratings matrix."""
    grades = c.ratings.by_year()
    return [(GRADE_RANK.get(grades.get(y) or "", 0), grades.get(y)) for y in years]


def _division_order(name: str) -> int:
    return list(DIVISION_CODES).index(name)


class PageMemo:
    """Record pages of the previous render, for the live preview (the MkDocs plugin keeps one).

    A record page is a function of its record's derived facts and of `context` (the as-of
    date, the edit link base, the ids that notices may link to, the measures known) only. When both are equal
    to last time's, the page is last time's: after one record changes, `mkdocs serve`
    renders one page, not thousands. A one-off build has none.
    """

    def __init__(self) -> None:
        self.context: tuple[Any, ...] = ()
        self.pages: dict[str, tuple[Any, bytes]] = {}

    def stale(self, context: tuple[Any, ...], items: dict[str, Any]) -> dict[str, Any]:
        """The items (by file) whose page must be rendered: new, or with changed facts."""
        if context != self.context:
            self.context, self.pages = context, {}
        return {file: item for file, item in items.items() if file not in self.pages or self.pages[file][0] != item}

    def update(self, items: dict[str, Any], fresh: dict[str, bytes]) -> dict[str, bytes]:
        """Remember this render (`fresh`: the stale items' pages); every item's page by file."""
        self.pages = {
            file: (item, fresh[file] if file in fresh else self.pages[file][1]) for file, item in items.items()
        }
        return {file: page for file, (_, page) in self.pages.items()}


def site_batch(facts: RegistryFacts, changes: list[Change], memo: PageMemo | None = None) -> Batch[dict[str, bytes]]:
    """Every generated page (Markdown, or a record's page, in UTF-8) by its path under docs/, as jobs.

    Each overview lists every record, so at thousands of records it costs as much as
    hundreds of record pages: the overviews come first. `memo`: the pages of the previous
    render in this process, brought up to date.
    """
    memo = PageMemo() if memo is None else memo
    pages = _Pages(facts, changes)
    lists: dict[str, Callable[[], str]] = {
        "centers/index.md": pages.centers,
        "deadlines.md": pages.deadlines,
        "index.md": pages.home,
        "ratings.md": pages.ratings,
        "notices/index.md": pages.notices,
        "rules.md": pages.rules,
        "changes.md": pages.history,
        center_list.DATA_FILE: pages.centers_data,
        **{
            center_list.static_page_file(k): partial(pages.centers_page, k)
            for k in range(2, center_list.page_count(len(facts.centers)) + 1)
        },
        **Views(facts, pages.render).pages(),  # counties/, units/, years/ and a page for each
    }
    if measures_page := pages.measures_file():
        lists[measures_page] = pages.measures_text
    context = (
        facts.as_of,
        pages.edit_base,
        frozenset(pages.known),
        facts.book,
        facts.derived_note,
        tuple(sorted(pages.notice_titles.items())),
    )
    records: dict[str, CenterFacts | NoticeFacts] = {record_page_file("centers", c.id): c for c in facts.centers}
    records.update((record_page_file("notices", n.id), n) for n in facts.notices)
    stale = memo.stale(context, records)

    def finish(done: list[bytes]) -> dict[str, bytes]:
        out = dict(zip(lists, done))
        out.update(memo.update(records, dict(zip(stale, done[len(lists) :]))))
        return out

    jobs: list[Callable[[], str]] = [*lists.values(), *(partial(pages.record, item) for item in stale.values())]
    return Batch([partial(_utf8, job) for job in jobs], finish)


def _utf8(render: Callable[[], str]) -> bytes:
    return render().encode()


def render_site(facts: RegistryFacts, changes: list[Change], memo: PageMemo | None = None) -> dict[str, bytes]:
    """Every generated page, by its path under docs/ (the site's batch on its own)."""
    batch = partial(site_batch, facts, changes, memo)
    return run_batches([batch], parallel=len(facts.centers) >= PARALLEL_FROM)[0]
