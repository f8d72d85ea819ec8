"""Small HTML fragments the page templates use in every row, as Python for speed.

Jinja macros cost tens of microseconds a call and a center page makes dozens; these build
the same fragments, passing every argument through the templates' own escaping (HTML and
Markdown alike), so a `|` in a record cannot split a table row here either.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from .env import escape_text, markup

from ..derive.deadlines import Deadline
from ..model import Event

def _html(template: str, *args: Any) -> Markup:
    """`template` with every argument escaped; str.format, as every argument is Markup already."""
    return markup(template.format(*map(escape_text, args)))


def url(value: str) -> Markup:
    """A URL for an attribute: HTML-escaped only (tags' attributes are never Markdown)."""
    return Markup(escape(value))


GRADE_CLASSES = {"优秀": "excellent", "良好": "good", "合格": "pass", "基本合格": "basic", "不合格": "fail"}


def status_badge(key: str, label: str) -> Markup:
    return _html('<span class="tic-status status-{}">{}</span>', key, label)


def grade_cell(grade: str | None) -> Markup:
    if not grade:
        return Markup("")
    return _html('<span class="tic-grade grade-{}">{}</span>', GRADE_CLASSES[grade], grade)


def cite(article: str | None) -> Markup:
    return _html('<span class="tic-article">{}</span>', article) if article else Markup("")


def center_link(c: Any, prefix: str = "") -> Markup:
    return _html('<a href="{}{}/">{}</a>', prefix, c.id, c.center.name)


def deadline_state(d: Deadline) -> Markup:
    if d.state == "open":
        return _html("还有 {} 天", d.days)
    if d.state == "overdue":
        return _html('<strong class="tic-overdue">已逾期 {} 天</strong>', d.days)
    if d.state == "due_today":
        return Markup("<strong>今日到期</strong>")
    if d.met_on:
        return _html("{}（{}）", d.state_label, d.met_on.isoformat())
    return _html("{}", d.state_label)


def source(event: Event) -> Markup:
    """The event's official source: its document number, linked when there is a URL."""
    src = event.get("source")
    if not src:
        return Markup("")
    text = src.get("document_number") or src.get("title") or "原文"
    if src.get("url"):
        return _html('<a href="{}" rel="nofollow noopener">{}</a>', url(src["url"]), text)
    return _html("{}", text)


HELPERS = {f.__name__: f for f in (status_badge, grade_cell, cite, center_link, deadline_state, source, url)}
