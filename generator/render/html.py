"""Small HTML fragments the page templates use in every row, as Python for speed.

Jinja macros cost tens of microseconds a call and a center page makes dozens; these
build the same fragments with `Markup.format`, which escapes every argument.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..derive.deadlines import Deadline
from ..model import Event

GRADE_CLASSES = {"优秀": "excellent", "良好": "good", "合格": "pass", "基本合格": "basic", "不合格": "fail"}


def status_badge(key: str, label: str) -> Markup:
    return Markup('<span class="tic-status status-{}">{}</span>').format(key, label)


def grade_cell(grade: str | None) -> Markup:
    if not grade:
        return Markup("")
    return Markup('<span class="tic-grade grade-{}">{}</span>').format(GRADE_CLASSES[grade], grade)


def cite(article: str | None) -> Markup:
    return Markup('<span class="tic-article">{}</span>').format(article) if article else Markup("")


def center_link(c: Any, prefix: str = "") -> Markup:
    return Markup('<a href="{}{}/">{}</a>').format(prefix, c.id, c.center.name)


def deadline_state(d: Deadline) -> Markup:
    if d.state == "open":
        return Markup("还有 {} 天").format(d.days)
    if d.state == "overdue":
        return Markup('<strong class="tic-overdue">已逾期 {} 天</strong>').format(d.days)
    if d.state == "due_today":
        return Markup("<strong>今日到期</strong>")
    if d.met_on:
        return Markup("{}（{}）").format(d.state_label, d.met_on.isoformat())
    return Markup("{}").format(d.state_label)


def source(event: Event) -> Markup:
    """The event's official source: its document number, linked when there is a URL."""
    src = event.get("source")
    if not src:
        return Markup("")
    text = src.get("document_number") or src.get("title") or "原文"
    if src.get("url"):
        return Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(src["url"], text)
    return Markup("{}").format(text)


HELPERS = {f.__name__: f for f in (status_badge, grade_cell, cite, center_link, deadline_state, source)}
