"""Where each page's open data lives: one table for the pages that link it and the writer.

Render's two wings may not import each other (tests/test_layout.py), yet a center's page
links the JSON, calendar and feed that the open data writes, and the notices page links
the notices feed. So the paths, media types and titles are written once here, below both.
Paths are relative to the site root (no leading slash); a page makes them relative to
itself (MkDocs' `url` filter for front matter, `../../` on a record page).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.records.model import DIVISION_CODES

ATOM = "application/atom+xml"
ICS = "text/calendar"
JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NOTICES_FEED = "data/notices.xml"
CENTERS_FEED = "data/centers.atom"  # new and changed centers
DEADLINES_CALENDAR = "data/deadlines.ics"
CENTERS_CSV = "data/centers.csv"
WORKBOOK = "data/centers.xlsx"
DEVELOPMENT_ZONE_SLUG = "kaifaqu"  # 忻州经济开发区: not a county, so it has no division code
COUNTY_NAMES = tuple(DIVISION_CODES)  # every location a center may have, in code order


@dataclass(frozen=True)
class Alternate:
    """A file that represents a page in another format (`<link rel="alternate">`)."""

    href: str  # from the site root
    type: str  # media type
    title: str  # Chinese, what a feed reader or browser shows

    def as_dict(self) -> dict[str, str]:
        return {"href": self.href, "type": self.type, "title": self.title}


def center_json(center_id: str) -> str:
    return f"data/centers/{center_id}.json"


def center_calendar(center_id: str) -> str:
    return f"data/centers/{center_id}.ics"


def center_feed(center_id: str) -> str:
    return f"data/centers/{center_id}.atom"


def county_slug(location: str) -> str:
    """The file stem of a county's calendar: its division code, or a fixed word for the zone."""
    return DIVISION_CODES.get(location) or DEVELOPMENT_ZONE_SLUG


def county_calendar(location: str) -> str:
    return f"data/counties/{county_slug(location)}.ics"


def center_alternates(center_id: str) -> tuple[Alternate, ...]:
    """A center page's own data: its feed, its calendar and its JSON."""
    return (
        Alternate(center_feed(center_id), ATOM, "本中心动态（Atom）"),
        Alternate(center_calendar(center_id), ICS, "本中心期限日历（iCalendar）"),
        Alternate(center_json(center_id), JSON, "本中心数据（JSON）"),
    )


NOTICES_ALTERNATES = (
    Alternate(NOTICES_FEED, ATOM, "公示公告（Atom）"),
    Alternate("data/notices.json", JSON, "全部公示（JSON）"),
    Alternate("data/notices.csv", CSV, "全部公示（CSV）"),
)
CENTERS_ALTERNATES = (
    Alternate(CENTERS_FEED, ATOM, "新增与变化的中心（Atom）"),
    Alternate(CENTERS_CSV, CSV, "中心一览（CSV）"),
    Alternate(WORKBOOK, XLSX, "中心一览（Excel）"),
    Alternate("data/centers.json", JSON, "全部中心（JSON）"),
)
DEADLINES_ALTERNATES = (
    Alternate(DEADLINES_CALENDAR, ICS, "未完成期限日历（iCalendar）"),
    Alternate("data/deadlines.csv", CSV, "全部期限（CSV）"),
)
RATINGS_ALTERNATES = (Alternate("data/assessments.csv", CSV, "年度绩效考核（CSV）"),)
HOME_ALTERNATES = (
    Alternate(NOTICES_FEED, ATOM, "公示公告（Atom）"),
    Alternate(CENTERS_FEED, ATOM, "新增与变化的中心（Atom）"),
    Alternate(DEADLINES_CALENDAR, ICS, "未完成期限日历（iCalendar）"),
)
