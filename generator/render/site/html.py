"""What the page templates put in every row: small HTML fragments and cell texts, as filters.

Jinja macros cost tens of microseconds a call and a center page makes dozens; these build
the same fragments, passing every argument through the templates' own escaping (HTML and
Markdown alike), so a `|` in a record cannot split a table row here either. They are
filters (`{{ d | deadline_state }}`), not functions in the context: Jinja calls a filter
directly, a function through `Context.call`, which costs more than most of these do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape

from generator.derive.deadlines import Deadline
from generator.derive.facts import CenterFacts
from generator.records.model import OFFICIAL_FACTS, Event
from generator.render.env import escape_text, markup
from generator.render.site.articles import ArticleLinks, articles, articles_block, cite_filter, cite_label
from generator.render.site.record_page import heading
from generator.rules.table import rule
from generator.rules.workdays import PROVISIONAL_MARK, PROVISIONAL_NOTE


def _html(template: str, *args: Any) -> Markup:
    """`template` with every argument escaped; str.format, as every argument is Markup already."""
    return markup(template.format(*map(escape_text, args)))


def url(value: str) -> Markup:
    """A URL for an attribute: HTML-escaped only (tags' attributes are never Markdown)."""
    return escape(value)


GRADE_CLASSES = {"优秀": "excellent", "良好": "good", "合格": "pass", "基本合格": "basic", "不合格": "fail"}


STATUS_TITLE = "本站推算（第十二条），以市科技局决定为准"


def status_badge(key: str, label: str) -> Markup:
    """`{{ c.status | status_badge(c.status_label) }}`: a status is this site's reading (rule status)."""
    return _html('<span class="tic-status status-{}" title="{}">{}</span>', key, STATUS_TITLE, label)


def derived_tag(rule_id: str) -> Markup:
    """The mark of every derived statement: 本站推算, with its rule and article on hover."""
    r = rule(rule_id)
    return _html(
        '<span class="tic-derived-tag" title="本站推算：{}{}（规则 {}），以市科技局决定为准">本站推算</span>',
        r.title,
        r.citation,
        r.id,
    )


def grade_cell(grade: str | None) -> Markup:
    if not grade:
        return markup("")
    return _html('<span class="tic-grade grade-{}">{}</span>', GRADE_CLASSES[grade], grade)


def cite(article: str | None, prefix: str = "", links: ArticleLinks | None = None) -> Markup:
    """An article label for rows made in Python; linked (`prefix` to the site's root) when
    `links` (the page context's `article_links`) has the article. Templates use the `cite` filter."""
    return cite_label(article, links, prefix)


def center_link(c: CenterFacts, prefix: str = "") -> Markup:
    return _html('<a href="{}{}/">{}</a>', prefix, c.id, c.center.name)


def deadline_state(d: Deadline) -> Markup:
    if d.state == "unknown":
        return _html('<span class="tic-unknown">{}</span>', d.state_label)
    if d.state == "open":
        return _html("还有 {} 天", d.days)
    if d.state == "overdue":
        return _html('<strong class="tic-overdue">已逾期 {} 天</strong>', d.days)
    if d.state == "due_today":
        return markup("<strong>今日到期</strong>")
    if d.met_on:
        return _html("{}（{}）", d.state_label, d.met_on.isoformat())
    return _html("{}", d.state_label)


_PROVISIONAL = markup(f'<span class="tic-provisional" title="{PROVISIONAL_NOTE}">（{PROVISIONAL_MARK}）</span>')


def provisional(flag: bool) -> Markup:
    """`{{ d.due | iso }}{{ d.provisional | provisional }}`: the mark after a date counted on a guessed calendar."""
    return _PROVISIONAL if flag else markup("")


def due(d: Deadline) -> str:
    """A deadline's date, or a dash when the record cannot settle it."""
    return d.due.isoformat() if d.due else "—"


def source(event: Event, prefix: str = "../../", notices: Mapping[str, str] | None = None) -> Markup:
    """The event's official source: its document number, linked when there is a URL, and the
    notice that published it (linked; `prefix` leads from the page to the site's root). With
    `notices` (id → title of the notices published so far) the notice is named by its title
    and linked only when it is among them. An official fact without a source says so."""
    src = event.get("source")
    if not src:
        return markup('<span class="tic-missing">未注明出处</span>') if event.kind in OFFICIAL_FACTS else markup("")
    parts = []
    text = src.get("document_number") or src.get("title") or "原文"
    if src.get("url"):
        parts.append(_html('<a href="{}" rel="nofollow noopener">{}</a>', url(src["url"]), text))
    elif src.get("document_number") or src.get("title"):
        parts.append(_html("{}", text))
    if src.get("notice"):
        parts.append(notice_link(src["notice"], prefix, notices))
    return markup("；".join(parts))


def notice_link(notice_id: str, prefix: str = "../../", notices: Mapping[str, str] | None = None) -> Markup:
    """A notice by its title (or its id), linked to its page when the page exists."""
    if notices is None:
        return _html('<a href="{}notices/{}/">公示 {}</a>', prefix, notice_id, notice_id)
    if notice_id in notices:
        return _html('<a href="{}notices/{}/">{}</a>', prefix, notice_id, notices[notice_id])
    return _html("公示 {}", notice_id)


UNIT_FACTS = (
    ("high_tech_enterprise", "高新技术企业"),
    ("above_scale_with_rd", "建有研发机构的规上企业"),
    ("in_province", "省内单位"),
    ("in_city", "市内单位"),
)


def unit_facts(unit: Mapping[str, Any]) -> str:
    """What a unit is, as far as article 9 cares."""
    return "、".join(label for key, label in UNIT_FACTS if unit.get(key)) or "—"


def _value(value: str | list[str]) -> str:
    return "、".join(value) if isinstance(value, list) else value


def _extension(g: Callable[[str], Any]) -> str:
    return f"延期至 {g('new_end')}" + (f"；{g('reason')}" if g("reason") else "")


_DETAILS: dict[str, Callable[[Callable[[str], Any]], str]] = {
    "expert_review": lambda g: f"评审{g('result')}" if g("result") else "",
    "publicity": lambda g: f"公示 {g('notice')}",
    "task_book": lambda g: f"计划 {g('planned_end')} 建设期满",
    "extension": _extension,
    "acceptance": lambda g: f"验收{g('result')}",
    "annual_assessment": lambda g: f"{g('year')}年度：{g('grade')}",
    "evaluation": lambda g: f"评估结果：{g('grade')}",
    "funding": lambda g: f"{g('funding_kind')} {g('amount_wan')} 万元",
    "change": lambda g: f"{g('change_kind')}：{_value(g('old'))} → {_value(g('new'))}",
    "safety_incident": lambda g: g("description"),
    "revocation": lambda g: f"{g('reason')}（{g('article')}）",
    "withdrawal": lambda g: g("reason") or "",
    "application": lambda g: f"依据 {g('measures')}" if g("measures") else "",
}


def event_detail(event: Event) -> str:
    """One line on what an event says, beyond its kind and date."""
    detail = _DETAILS.get(event.kind)
    text = detail(event.get) if detail else ""
    note = event.get("note")
    return f"{text}；{note}" if text and note else text or note or ""


def search_text(c: CenterFacts) -> str:
    """What the list's keyword box matches: names (former too), units, field, location."""
    units = [u["name"] for u in (c.center.first_host_unit, *c.center.co_building_units)]
    names = [c.center.name, *(old for old, _ in c.center.former_names)]
    return " ".join([*names, *units, c.center.data["field"], c.center.data["location"]])


FILTERS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        status_badge,
        grade_cell,
        articles,
        articles_block,
        center_link,
        deadline_state,
        source,
        notice_link,
        url,
        heading,
        unit_facts,
        event_detail,
        search_text,
        provisional,
        derived_tag,
        due,
    )
} | {"cite": cite_filter}  # the filter reads the page's article links; `cite` above serves Python callers
