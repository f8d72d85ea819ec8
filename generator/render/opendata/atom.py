"""Atom feeds (RFC 4287): the notices, each center's history, and new and changed centers.

A feed is the bytes the standard library's ElementTree writes for it (`ET.tostring` with
the XML declaration; tests/test_opendata_feeds.py builds the same trees and compares),
written without building the trees: every text and attribute value is escaped exactly
as ElementTree escapes it (`_text`, `_empty`, the only two places that write markup), so
record text is never spliced into markup unescaped. Building and walking ten thousand
element trees took seconds of the build at 10,000 centers; this takes a few hundred
milliseconds. Every `updated` is a date from
the records (an event, a status change, a notice's issue or outcome), never the clock:
a feed changes when its facts do, and the same registry and date give the same bytes.

    data/notices.xml         each notice; updated = its latest dated fact (issue, outcome)
    data/centers/<id>.atom   a center's recorded events (with their source), its status
                             changes (本站推算) and the notices that list it: the latest 10
    data/centers.atom        the most recently changed centers, one entry per center
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from generator.derive.facts import CenterFacts, NoticeFacts, RegistryFacts
from generator.derive.status import Interval
from generator.records.model import EVENT_LABELS
from generator.render import links
from generator.render.opendata.common import (
    EPOCH,
    GENERATED_BY,
    TAG_AUTHORITY,
    absolute,
    center_page,
    license_info,
    notice_page,
)
from generator.render.opendata.events import phrase, source_parts, with_ids
from generator.rules.workdays import PROVISIONAL_MARK, PROVISIONAL_NOTE

ATOM = "http://www.w3.org/2005/Atom"
CHANGED_CENTERS = 100  # entries of data/centers.atom
CENTER_ENTRIES = 10  # the most recent entries of a center's feed (its JSON has the whole history)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    """Text as XML 1.0 allows it: characters it cannot carry are dropped."""
    return _XML_INVALID.sub("", str(text))


def _day(value: dt.date) -> str:
    return f"{value.isoformat()}T00:00:00+08:00"


#: What ElementTree replaces in an attribute value besides & < > (which escape() replaces).
_ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _text(tag: str, value: str, attrs: str = "") -> str:
    """`<tag attrs>value</tag>`, the value escaped as ElementTree escapes text."""
    return f"<{tag}{attrs}>{escape(_clean(value))}</{tag}>"


def _empty(tag: str, **attrs: str) -> str:
    """`<tag a="…" />`, every attribute value escaped and quoted as ElementTree does."""
    return f"<{tag}" + "".join(f' {k}="{escape(_clean(v), _ATTRIBUTE)}"' for k, v in attrs.items()) + " />"


@dataclass(frozen=True)
class Entry:
    """One feed entry; `updated` is the date of the fact it reports."""

    id: str
    title: str
    updated: dt.date
    summary: str
    link: str  # the page it is about
    published: dt.date | None = None
    related: str | None = None  # an official source, when it has a URL
    related_title: str = "原文"
    category: str | None = None


def _href(facts: RegistryFacts, path: str, feed_path: str) -> str:
    """`path` (from the site root) as the feed links it: absolute, or relative to the feed."""
    url = absolute(facts, path)
    if url:
        return url
    return "../" * feed_path.count("/") + path


def feed(
    facts: RegistryFacts,
    path: str,
    feed_id: str,
    title: str,
    subtitle: str,
    page: str,
    entries: Iterable[Entry],
) -> bytes:
    """An Atom document at `path` (from the site root) with its entries, newest first."""
    settings = facts.settings.data
    ordered = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)
    spdx, _, licence = license_info(facts)
    out = [
        f"<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns=\"{ATOM}\" xml:lang=\"zh-CN\">",
        _text("id", feed_id),
        _text("title", title),
        _text("subtitle", subtitle),
        _text("updated", _day(ordered[0].updated if ordered else EPOCH)),
        "<author>" + _text("name", settings.get("publisher", "忻州市科学技术局")) + "</author>",
        _empty("link", rel="self", type=links.ATOM, href=_href(facts, path, path)),
        _empty("link", rel="alternate", type="text/html", href=_href(facts, page, path)),
        _text("rights", f"{licence}（{spdx}）"),
        _text("generator", GENERATED_BY),
    ]
    alternates: dict[str, str] = {}  # a center's entries all link its page: one element, made once
    for e in ordered:
        alternate = alternates.get(e.link)
        if alternate is None:
            alternate = alternates[e.link] = _empty(
                "link", rel="alternate", type="text/html", href=_href(facts, e.link, path)
            )
        out += [
            "<entry><id>",
            escape(e.id),  # ids and dates are the generator's own ASCII: nothing to clean
            "</id>",
            _text("title", e.title),
            f"<published>{_day(e.published)}</published>" if e.published else "",
            f"<updated>{_day(e.updated)}</updated>",
            alternate,
            _empty("link", rel="related", type="text/html", href=e.related, title=e.related_title) if e.related else "",
            _empty("category", term=e.category) if e.category else "",
            _text("summary", e.summary, ' type="text"'),
            "</entry>",
        ]
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


# --- notices -----------------------------------------------------------------------


def notice_updated(n: NoticeFacts) -> dt.date:
    """A notice's latest dated fact known on the as-of date: its issue, or its outcome."""
    outcome = n.outcome
    return max(n.notice.issue_date, dt.date.fromisoformat(outcome["date"])) if outcome else n.notice.issue_date


def _notice_summary(n: NoticeFacts) -> str:
    p = n.period
    note = f"（{PROVISIONAL_MARK}：{PROVISIONAL_NOTE}）" if p.provisional else ""
    lines = [
        f"公示期：{p.start.isoformat()} 至 {p.end.isoformat()}，{p.working_days}个工作日{note}。",
        f"公示事项：{n.notice.data['subject']}。",
        "公示名单：",
    ]
    for i, entry in enumerate(n.notice.entries, start=1):
        details = [entry["category"]] if entry.get("category") else []
        if entry.get("host_units"):
            details.append("依托单位：" + "、".join(entry["host_units"]))
        for key, label in (("supervising_unit", "归口管理单位"), ("location", "建设地点"), ("result", "结果")):
            if entry.get(key):
                details.append(f"{label}：{entry[key]}")
        lines.append(f"{i}. {entry['name']}" + (f"（{'；'.join(details)}）" if details else ""))
    lines.append(f"发布机关：{n.notice.data['issuer']}，{n.notice.issue_date.isoformat()}。")
    outcome = n.outcome
    if outcome:
        note = f"。{outcome['note']}" if outcome.get("note") else ""
        lines.append(f"公示结果（{outcome['date']}）：{outcome['result']}{note}")
    return "\n".join(lines)


def notice_entry(facts: RegistryFacts, n: NoticeFacts) -> Entry:
    return Entry(
        id=f"tag:{TAG_AUTHORITY}:notice/{n.id}",
        title=n.notice.title,
        updated=notice_updated(n),
        published=n.notice.issue_date,
        summary=_notice_summary(n),
        link=notice_page(n.id),
        related=n.notice.data.get("url"),
        related_title="公示原文",
        category=n.notice.data["subject"],
    )


def render_notices_feed(facts: RegistryFacts) -> bytes:
    return feed(
        facts,
        links.NOTICES_FEED,
        f"tag:{TAG_AUTHORITY}:notices",
        f"{facts.settings.data.get('title', '忻州市技术创新中心名录')}：公示公告",
        "市科学技术局发布的市技术创新中心公示（第十二条）；公示结果公布后条目随之更新。",
        "notices/",
        (notice_entry(facts, n) for n in facts.notices),
    )


# --- a center's feed ---------------------------------------------------------------


def notices_by_center(facts: RegistryFacts) -> dict[str, list[NoticeFacts]]:
    """The known notices that list each center."""
    out: dict[str, list[NoticeFacts]] = {}
    for n in facts.notices:
        for entry in n.notice.entries:
            out.setdefault(entry["center"], []).append(n)
    return out


def _source_line(event: Any) -> tuple[str, str | None]:
    number, title, url = source_parts(event)
    shown = "，".join(x for x in (number, title) if x) or url
    return (f"出处：{shown}。" if shown else "出处：记录未注明。"), url


def _status_line(interval: Interval, note: str | None) -> str:
    """A status change as the site's reading; after the measures expired, it says so (note)."""
    return f"状态变为“{interval.label}”（本站推算，以市科技局决定为准）。" + (f"{note}。" if note else "")


def center_entries(facts: RegistryFacts, c: CenterFacts, notices: Mapping[str, list[NoticeFacts]]) -> list[Entry]:
    """A center's events, status changes and notices as feed entries: the newest
    CENTER_ENTRIES, newest first (only those are written out).

    A status that begins on the day of an event is told in that day's last event entry; a
    status that begins on a day without one (a construction period ends, a publicity period
    starts) is an entry of its own.
    """
    page = center_page(c.id)
    base = f"tag:{TAG_AUTHORITY}:center/{c.id}"
    starts = {i.start: i for i in c.history}
    events = list(with_ids(c.center.until(facts.as_of)))
    last_of_day = {e.date: i for i, (_, e) in enumerate(events)}  # a status is told in the day's last event
    found: list[tuple[dt.date, str, Callable[[str], Entry]]] = []  # (updated, id, make)

    def event_entry(i: int, entry_id: str) -> Entry:
        e = events[i][1]
        label = EVENT_LABELS[e.kind]
        detail = phrase(e).rstrip("。")
        source, url = _source_line(e)
        status = starts.get(e.date) if last_of_day[e.date] == i else None
        return Entry(
            id=entry_id,
            title=f"{label}：{detail}" if detail else label,
            updated=e.date,
            summary=f"{e.date.isoformat()} {label}。{source}"
            + (f"\n{_status_line(status, facts.derived_note)}" if status else ""),
            link=page,
            related=url,
            category=label,
        )

    def status_entry(interval: Interval, entry_id: str) -> Entry:
        return Entry(
            id=entry_id,
            title=f"状态：{interval.label}（本站推算）",
            updated=interval.start,
            summary=f"{interval.start.isoformat()} {_status_line(interval, facts.derived_note)}",
            link=page,
            category="状态变化",
        )

    def notice_entry(n: NoticeFacts, entry_id: str) -> Entry:
        outcome = n.outcome
        result = f"公示结果（{outcome['date']}）：{outcome['result']}。" if outcome else ""
        return Entry(
            id=entry_id,
            title=n.notice.title,
            updated=notice_updated(n),
            published=n.notice.issue_date,
            summary=f"{n.notice.data['subject']}公示，公示期 {n.period.start.isoformat()} 至 "
            f"{n.period.end.isoformat()}" + (f"（{PROVISIONAL_MARK}）" if n.period.provisional else "") + f"。{result}",
            link=notice_page(n.id),
            related=n.notice.data.get("url"),
            related_title="公示原文",
            category=n.notice.data["subject"],
        )

    for i, (event_id, e) in enumerate(events):
        found.append((e.date, f"{base}/event/{event_id}", partial(event_entry, i)))
    for day, interval in starts.items():
        if day not in last_of_day:
            found.append((day, f"{base}/status/{day.isoformat()}-{interval.status}", partial(status_entry, interval)))
    for n in notices.get(c.id, ()):
        found.append((notice_updated(n), f"tag:{TAG_AUTHORITY}:notice/{n.id}", partial(notice_entry, n)))
    found.sort(key=lambda f: (f[0], f[1]), reverse=True)
    return [make(entry_id) for _, entry_id, make in found[:CENTER_ENTRIES]]


def render_center_feed(facts: RegistryFacts, c: CenterFacts, entries: list[Entry]) -> bytes:
    name = c.center.name_on(facts.as_of)
    return feed(
        facts,
        links.center_feed(c.id),
        f"tag:{TAG_AUTHORITY}:center/{c.id}",
        f"{name}：动态",
        "事件记录（附出处）、状态变化（本站推算）与列出本中心的公示，最新的在前。",
        center_page(c.id),
        entries,
    )


@dataclass(frozen=True)
class CenterChange:
    """What the feed of changed centers needs of a center: computed with its own feed."""

    center_id: str
    name: str
    status_label: str
    first: dt.date
    latest: Entry


def center_change(facts: RegistryFacts, c: CenterFacts, entries: list[Entry]) -> CenterChange:
    latest = entries[0]  # center_entries: newest first
    first = c.center.events[0].date
    return CenterChange(c.id, c.center.name_on(facts.as_of), c.status_label, first, latest)


def render_centers_feed(facts: RegistryFacts, changes: Iterable[CenterChange]) -> bytes:
    """The centers whose latest dated fact is most recent, one entry per center."""
    newest = sorted(changes, key=lambda ch: (ch.latest.updated, ch.center_id), reverse=True)[:CHANGED_CENTERS]
    return feed(
        facts,
        links.CENTERS_FEED,
        f"tag:{TAG_AUTHORITY}:centers",
        f"{facts.settings.data.get('title', '忻州市技术创新中心名录')}：中心动态",
        f"最近新增或有变化的 {CHANGED_CENTERS} 个中心，每个中心一个条目；中心再有变化时条目更新。",
        "centers/",
        (
            Entry(
                id=f"tag:{TAG_AUTHORITY}:center/{ch.center_id}",
                title=ch.name,
                updated=ch.latest.updated,
                published=ch.first,
                summary=(
                    f"最近的变化（{ch.latest.updated.isoformat()}）：{ch.latest.title}。\n"
                    f"当前状态：{ch.status_label}（本站推算）。"
                ),
                link=center_page(ch.center_id),
                category=ch.status_label,
            )
            for ch in newest
        ),
    )
