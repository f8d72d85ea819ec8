"""The center list's rows: one page of them in HTML, all of them as compact JSON for the script.

At 10,000 centers a table of every row costs a phone seconds of parsing and layout before
anyone has asked for anything. So the list page shows the first `PAGE_SIZE` rows as HTML,
static pages (`centers/page_<k>/`) carry the rest for readers without JavaScript and for
search engines, and `centers/rows.json` holds every row in a few short fields; the script
(docs/assets/table.js) reads it only once a reader filters, sorts or pages, or opens a URL
that does. The script builds the same cells as `row.html.j2`: the browser tests compare them.

The sort ranks that need the measures (status in life-cycle order, counties in division
code order, ratings by year and grade) are computed here, so the script does not know them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator.derive.facts import CenterFacts
from generator.derive.status import STATUSES
from generator.records.model import DIVISION_CODES
from generator.render.site.html import GRADE_CLASSES, STATUS_TITLE
from generator.render.site.svg import GRADE_RANK
from generator.rules.table import rule

PAGE_SIZE = 100
DATA_FILE = "centers/rows.json"
STATUS_ORDER = list(STATUSES)
#: The `flag` filter of the list's URL (`centers/?flag=overdue`) and the word each shows.
FLAGS = {"overdue": "已逾期", "revocation": "应予撤销"}
#: Sort columns of the URL (`sort=due`, `sort=-due` descending), in the table's column order.
SORTS = {
    "name": "中心名称",
    "status": "状态",
    "category": "类别",
    "host": "第一依托单位",
    "location": "所在地",
    "rating": "最近考核",
    "due": "下一个期限",
    "field": "技术领域",
}


def static_page_file(number: int) -> str:
    """The docs path of the list's static page `number` (2, 3, …; page 1 is the list itself).
    An underscore can be no center's id (schema: lowercase letters, digits, hyphens)."""
    return f"centers/page_{number}.md"


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@dataclass(frozen=True)
class Row:
    """What one line of the list shows and sorts by."""

    c: CenterFacts
    overdue: bool
    revocation: str  # the rule's citation when a revocation trigger applies (本站推算), else ""

    @property
    def status_rank(self) -> tuple[int, str]:
        return STATUS_ORDER.index(self.c.status), self.c.status_filter


def rows(centers: tuple[CenterFacts, ...]) -> list[Row]:
    out = []
    for c in centers:
        d = c.next_deadline
        revocation = next((f for f in c.flags if f.kind == "revocation"), None)
        out.append(Row(c, bool(d and d.state == "overdue"), revocation_title(revocation.rule_id) if revocation else ""))
    return out


def revocation_title(rule_id: str) -> str:
    r = rule(rule_id)
    return f"本站推算：{r.title}{r.citation}，以市科技局决定为准"


def _ranks(values: list[Any]) -> dict[Any, int]:
    return {v: i for i, v in enumerate(sorted(set(values)))}


def data(list_rows: list[Row]) -> str:
    """`centers/rows.json`: every row as an array (fields below), low-cardinality texts by index.

    Row fields: id, name, status key index, status text, status filter index, category
    index, host unit, location index, latest rating label, its grade, due date (ISO) or
    null, deadline title index, overdue (0/1), unknown deadline title index or -1, field
    index, revocation title ("" when none), extra search text, status rank, rating rank
    (-1: none).
    """
    texts: dict[str, int] = {}

    def text(value: str) -> int:
        return texts.setdefault(value, len(texts))

    status_ranks = _ranks([r.status_rank for r in list_rows])
    rating_keys = [(g.label, GRADE_RANK[g.grade]) for r in list_rows if (g := r.c.ratings.latest)]
    rating_ranks = _ranks(rating_keys)
    division = list(DIVISION_CODES)
    out = []
    for r in list_rows:
        c, d, g = r.c, r.c.next_deadline, r.c.ratings.latest
        unknown = c.unknown_deadlines
        out.append(
            [
                c.id,
                c.center.name,
                STATUS_ORDER.index(c.status),
                c.status_text,
                text(c.status_filter),
                text(c.center.category),
                c.center.first_host_unit["name"],
                division.index(c.center.data["location"]),
                g.label if g else "",
                g.grade if g else "",
                d.due.isoformat() if d and d.due else None,
                text(d.title) if d else -1,
                int(r.overdue),
                text(unknown[0].title) if unknown and not d else -1,
                text(c.center.data["field"]),
                r.revocation,
                search_extra(c),
                status_ranks[r.status_rank],
                rating_ranks[(g.label, GRADE_RANK[g.grade])] if g else -1,
            ]
        )
    document = {
        "version": 1,
        "pageSize": PAGE_SIZE,
        "statuses": [[key, label] for key, label in STATUSES.items()],
        "statusTitle": STATUS_TITLE,
        "grades": GRADE_CLASSES,
        "locations": division,
        "texts": list(texts),
        "rows": out,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def search_extra(c: CenterFacts) -> str:
    """What the keyword box matches beyond the visible cells: former names and co-building units."""
    return " ".join([*(old for old, _ in c.center.former_names), *(u["name"] for u in c.center.co_building_units)])
