"""Static SVG charts: the status life line and the rating history, no script needed.

Charts are drawn at build time so nothing is loaded at view time and they print.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from generator.derive.ratings import Ratings
from generator.derive.status import STATUSES, Interval
from generator.render.env import markup

STATUS_COLOURS = {
    "applying": "#90a4ae",
    "publicity": "#ffb300",
    "pending": "#ffca28",
    "construction": "#42a5f5",
    "extended": "#7e57c2",
    "awaiting_acceptance": "#26c6da",
    "operating": "#43a047",
    "acceptance_failed": "#e53935",
    "revoked": "#b71c1c",
    "rejected": "#757575",
    "withdrawn": "#9e9e9e",
}
GRADE_RANK = {"优秀": 5, "良好": 4, "合格": 3, "基本合格": 2, "不合格": 1}
GRADE_COLOURS = {5: "#2e7d32", 4: "#66bb6a", 3: "#42a5f5", 2: "#ffa726", 1: "#e53935"}
WIDTH = 720


_LABELS = {status: str(escape(label)) for status, label in STATUSES.items()}  # escaped once, not per bar


def lifeline(history: tuple[Interval, ...], as_of: dt.date) -> Markup:
    """One horizontal bar per status interval, scaled to the center's whole history."""
    if not history:
        return markup("")
    start = history[0].start
    span = max((as_of - start).days + 1, 1)
    parts = []
    next_label_x = 0.0  # date labels are ~64 units wide: skip one that would overlap
    for interval in history:
        label, first = _LABELS[interval.status], interval.start.isoformat()  # ISO dates need no escaping
        x = (interval.start - start).days / span * WIDTH
        w = max((((interval.end or as_of) - interval.start).days + 1) / span * WIDTH, 2)
        parts.append(
            f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="22" fill="{STATUS_COLOURS[interval.status]}">'
            f"<title>{label}：{first} 至 {interval.end or '今'}</title></rect>"
        )
        if w > 60:
            parts.append(f'<text x="{x + 4:.1f}" y="20" font-size="12" fill="#fff">{label}</text>')
        if x >= next_label_x and x <= WIDTH - 64:
            parts.append(f'<text x="{x:.1f}" y="42" font-size="11" fill="currentColor">{first}</text>')
            next_label_x = x + 70
    title = "状态历程：" + "，".join(f"{_LABELS[i.status]}（{i.start} 起）" for i in history)
    return markup(
        f'<svg class="tic-lifeline" viewBox="0 0 {WIDTH} 48" role="img" aria-label="{title}" '
        f'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def ratings_chart(ratings: Ratings) -> Markup:
    """Bars per assessed year, their height by grade (优秀 highest)."""
    if not ratings.annual:
        return markup("")
    bar, gap, height = 40, 16, 120
    parts = []
    for i, grade in enumerate(ratings.annual):
        rank = GRADE_RANK[grade.grade]
        h = rank / 5 * (height - 36)
        x = 30 + i * (bar + gap)
        y = height - 20 - h
        parts.append(
            f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{GRADE_COLOURS[rank]}">'
            f"<title>{escape(grade.label + '：' + grade.grade)}</title></rect>"
            f'<text x="{x + bar / 2}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" fill="currentColor">'
            f"{escape(grade.grade)}</text>"
            f'<text x="{x + bar / 2}" y="{height - 5}" font-size="11" text-anchor="middle" fill="currentColor">'
            f"{grade.event.get('year')}</text>"
        )
    width = 30 + len(ratings.annual) * (bar + gap)
    summary = escape("年度考核：" + "，".join(f"{g.label}{g.grade}" for g in ratings.annual))
    return Markup(
        f'<svg class="tic-ratings" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{summary}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
