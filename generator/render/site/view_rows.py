"""The rows of the county, unit and year pages, made in Python once per center or fact.

At 10,000 centers these pages hold some 60,000 rows; a Jinja loop that calls a filter per
cell took about 3 s for them. The rows are made here instead, once each (a center's
deadline rows serve its county's page and its unit's), from the very filters the other
templates use (render/site/html.py), so every record value is escaped the same way: HTML
and Markdown alike. Cells carry `data-label`, which turns a row into a card on a phone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup

from generator.derive.deadlines import Deadline
from generator.derive.facts import CenterFacts
from generator.derive.flags import Flag
from generator.records.model import Event
from generator.render.env import escape_text, markup
from generator.render.site.html import (
    center_link,
    cite,
    deadline_state,
    derived_tag,
    provisional,
    source,
    status_badge,
)
from generator.rules.table import rule

CENTERS = "../../centers/"  # from a page at <family>/<item>/ to the centers' pages
ROOT = "../../"
NOT_DUE = frozenset({"deadline.publicity-end"})  # a publicity period's end is no one's obligation


@cache
def basis(rule_id: str) -> Markup:
    """The article and the 本站推算 mark of a derived rule: the same for every row of that rule."""
    return markup(f"{cite(_article(rule_id))} {derived_tag(rule_id)}")


def _article(rule_id: str) -> str | None:
    return rule(rule_id).article


@cache
def _text(value: str) -> Markup:
    return escape_text(value)


@dataclass(frozen=True)
class CenterRows:
    """What a center adds to its county's and its unit's pages."""

    due: tuple[tuple[tuple[str, str, str], Markup], ...]  # (sort key, row): open deadlines
    overdue: tuple[tuple[tuple[str, str, str], Markup], ...]  # overdue deadlines
    revocations: tuple[Markup, ...]  # revocations the site infers
    unknown: tuple[Markup, ...]  # deadlines the record cannot settle (list items)
    provisional: bool  # a due or overdue date is counted on a provisional calendar


def center_rows(c: CenterFacts) -> CenterRows:
    link = center_link(c, CENTERS)
    due, overdue, marked = [], [], False
    for d in c.deadlines:
        if not d.is_open or d.rule_id in NOT_DUE:
            continue
        marked = marked or d.provisional
        assert d.due is not None  # an open deadline has a date
        key = (d.due.isoformat(), c.id, d.rule_id)
        if d.state == "overdue":
            overdue.append((key, _overdue_row(link, d)))
        else:
            due.append((key, _due_row(link, d)))
    revocations = tuple(_revocation_row(link, f) for f in c.flags if f.kind == "revocation")
    unknown = tuple(
        markup(f"<li>{link}：{_text(d.title)}（{basis(d.rule_id)}）</li>") for d in c.deadlines if d.state == "unknown"
    )
    return CenterRows(tuple(due), tuple(overdue), revocations, unknown, marked)


def _due_row(link: Markup, d: Deadline) -> Markup:
    assert d.due is not None
    return markup(
        f'<tr><td>{d.due.isoformat()}{provisional(d.provisional)}</td><td data-label="中心">{link}</td>'
        f'<td data-label="期限">{_text(d.title)}</td><td data-label="状态（本站推算）">{deadline_state(d)}</td>'
        f'<td data-label="依据">{basis(d.rule_id)}</td></tr>'
    )


def _overdue_row(link: Markup, d: Deadline) -> Markup:
    assert d.due is not None
    return markup(
        f'<tr><td>{link}</td><td data-label="事项">{_text(d.title)}</td>'
        f'<td data-label="截止日期">{d.due.isoformat()}{provisional(d.provisional)}</td>'
        f'<td data-label="情况（本站推算）">{deadline_state(d)}</td>'
        f'<td data-label="依据">{basis(d.rule_id)} <code>{_text(d.rule_id)}</code></td></tr>'
    )


def _revocation_row(link: Markup, f: Flag) -> Markup:
    return markup(
        f'<tr><td>{link}</td><td data-label="事项">{_text(f.title)}</td><td data-label="截止日期">—</td>'
        f'<td data-label="情况（本站推算）"><strong class="tic-overdue">{_text(f.statement)}</strong><br>'
        f"{escape_text(f.message)}</td>"
        f'<td data-label="依据">{basis(f.rule_id)} <code>{_text(f.rule_id)}</code></td></tr>'
    )


def center_row(c: CenterFacts, where: Markup, where_label: str) -> Markup:
    """A center in the 中心 table; `where` is its unit (on a county page) or its county (on a unit page)."""
    d = c.next_deadline
    if d is not None and d.due is not None:
        late = "（已逾期）" if d.state == "overdue" else ""
        upcoming = f"{_text(d.title)} {d.due.isoformat()}{late}"
    elif c.unknown_deadlines:
        upcoming = f"{_text(c.unknown_deadlines[0].title)}：记录不足，无法推算"
    else:
        upcoming = "—"
    return markup(
        f"<tr><td>{center_link(c, CENTERS)}</td>"
        f'<td data-label="状态（本站推算）">{_badge(c.status, c.status_text)}</td>'
        f'<td data-label="类别">{_text(c.center.category)}</td>'
        f'<td data-label="{where_label}">{where}</td><td data-label="下一个期限">{upcoming}</td></tr>'
    )


@cache
def _badge(status: str, text: str) -> Markup:
    return status_badge(status, text)


# --- a year's facts ------------------------------------------------------------------------


def revocation_row(link: Markup, event: Event) -> Markup:
    """A recorded revocation: its date, the center's `link`, the reason with its article, the source."""
    article = event.get("article")
    reason = f"{escape_text(event.get('reason'))}{f'（{escape_text(article)}）' if article else ''}"
    return markup(
        f'<tr><td>{event.date.isoformat()}</td><td data-label="中心">{link}</td>'
        f'<td data-label="原因">{reason}</td><td data-label="出处">{source(event, ROOT)}</td></tr>'
    )


def sources(events: Iterable[Event], most: int = 5) -> Markup:
    """The distinct sources of many facts (a year's grades mostly cite one document), each once;
    beyond `most` of them, how many there are: each center's page shows its own."""
    seen: dict[tuple[str, ...], Event] = {}
    for event in events:
        src = event.get("source")
        key = tuple(f"{k}={v}" for k, v in sorted(src.items())) if isinstance(src, dict) else ("",)
        seen.setdefault(key, event)
    if len(seen) > most:
        return markup(f"{len(seen)} 份文件，见各中心页面的事件记录")
    return markup("；".join(m for m in (source(e, ROOT) for e in seen.values()) if m) or "未注明出处")
