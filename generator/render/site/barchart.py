"""A horizontal bar chart as static, accessible SVG: drawn at build time, no script.

Each bar is a labelled row (label, bar, number), so the chart reads without colour and
prints; the SVG is `role="img"` with a `<title>` and a `<desc>` that say what it shows
(an image holds no links: the page's table of the same numbers links each row). The bars use the
theme's primary colour through a CSS variable and the text the page's own colour
(`currentColor`): no colour is picked here (COMMON.md: contrast is the a11y work's).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.render.env import markup

# Sized for a phone: about 360 units wide, so 14-unit text stays 14 px at 360 px and
# grows at most by a third where the page is wider (MAX_WIDTH).
LABEL_WIDTH = 100  # room for six Chinese characters at 14 units each
BAR_WIDTH = 210
ROW = 24
MAX_WIDTH = "30rem"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str  # where the bar's items are listed, relative to the page (the text equivalent links it)


def bar_chart(bars: list[Bar], title: str, description: str, key: str) -> Markup:
    """One row per bar, scaled to the largest value; `key` makes the title's id unique on the page."""
    if not bars:
        return markup("")
    top = max(max(b.value for b in bars), 1)
    height = ROW * len(bars) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 50
    rows = []
    for i, b in enumerate(bars):
        y = 4 + i * ROW
        w = b.value / top * BAR_WIDTH
        label = escape(b.label)
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" font-size="14" text-anchor="end" '
            f'fill="currentColor">{label}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(w, 1):.1f}" height="{ROW - 8}" '
            f'style="fill:var(--md-primary-fg-color)"><title>{label}：{b.value}</title></rect>'
            f'<text x="{LABEL_WIDTH + max(w, 1) + 6:.1f}" y="{y + 17}" font-size="14" fill="currentColor">'
            f"{b.value}</text>"
        )
    ids = f"chart-{escape(key)}"
    return markup(
        f'<svg class="tic-bar-chart" viewBox="0 0 {width} {height}" style="width:100%;max-width:{MAX_WIDTH}" role="img" '
        f'aria-labelledby="{ids}-title {ids}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ids}-title">{escape(title)}</title><desc id="{ids}-desc">{escape(description)}</desc>'
        f"{''.join(rows)}</svg>"
    )
