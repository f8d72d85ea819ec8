"""data/notices.xml (Atom, RFC 4287) and data/deadlines.ics (iCalendar, RFC 5545).

The feed is built as an element tree, so record text is always escaped by the XML
serialiser, never spliced into markup. The calendar is written by hand: its TEXT values
are escaped (backslash, semicolon, comma, newline) and every line is folded at 75 octets
without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Any

from generator.derive.facts import NoticeFacts, RegistryFacts
from generator.render.opendata.common import (
    GENERATED_BY,
    TAG_AUTHORITY,
    UID_DOMAIN,
    absolute,
    center_page,
    license_info,
    notice_page,
    site_url,
)
from generator.rules.workdays import PROVISIONAL_MARK, PROVISIONAL_NOTE

ATOM = "http://www.w3.org/2005/Atom"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    """Text as XML 1.0 allows it: characters it cannot carry are dropped."""
    return _XML_INVALID.sub("", str(text))


def _day(value: dt.date) -> str:
    return f"{value.isoformat()}T00:00:00+08:00"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = _clean(text)
    return element


def _summary(n: NoticeFacts) -> str:
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
    return "\n".join(lines)


def render_atom(facts: RegistryFacts) -> bytes:
    ET.register_namespace("", ATOM)
    settings = facts.settings.data
    notices = sorted(facts.notices, key=lambda n: (n.notice.issue_date, n.id), reverse=True)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _sub(feed, "id", f"tag:{TAG_AUTHORITY}:notices")
    _sub(feed, "title", f"{settings.get('title', '忻州市技术创新中心名录')}：公示公告")
    _sub(feed, "subtitle", "市科学技术局发布的市技术创新中心公示（第十二条），最新的在前。")
    updated = notices[0].notice.issue_date if notices else facts.as_of
    _sub(feed, "updated", _day(updated))
    author = _sub(feed, "author")
    _sub(author, "name", settings.get("publisher", "忻州市科学技术局"))
    base = site_url(facts)
    _sub(
        feed,
        "link",
        rel="self",
        type="application/atom+xml",
        href=(base + "data/notices.xml") if base else "notices.xml",
    )
    _sub(feed, "link", rel="alternate", type="text/html", href=(base + "notices/") if base else "../notices/")
    spdx, _, title = license_info(facts)
    _sub(feed, "rights", f"{title}（{spdx}）")
    _sub(feed, "generator", GENERATED_BY)
    for n in notices:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"tag:{TAG_AUTHORITY}:notice/{n.id}")
        _sub(entry, "title", n.notice.title)
        _sub(entry, "published", _day(n.notice.issue_date))
        _sub(entry, "updated", _day(n.notice.issue_date))
        page = absolute(facts, notice_page(n.id)) or "../" + notice_page(n.id)
        _sub(entry, "link", rel="alternate", type="text/html", href=page)
        if n.notice.data.get("url"):
            _sub(entry, "link", rel="related", type="text/html", href=n.notice.data["url"], title="公示原文")
        _sub(entry, "category", term=_clean(n.notice.data["subject"]))
        _sub(entry, "summary", _summary(n), type="text")
    ET.indent(feed, space="  ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# --- iCalendar ---------------------------------------------------------------------


def ical_text(value: Any) -> str:
    """A TEXT value escaped per RFC 5545 §3.3.11."""
    text = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line folded at 75 octets (continuations start with a space), CRLF-ended."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    out: list[bytes] = []
    start, room = 0, 75
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            cut -= 1
        out.append(data[start:cut])
        start, room = cut, 74  # a continuation line spends one octet on its leading space
    out.append(data[start:])
    return b"\r\n ".join(out) + b"\r\n"


def deadline_uid(center_id: str, key: str) -> str:
    """Stable across builds and across a moved due date, so a subscribed calendar updates."""
    return f"{center_id}.{key}@{UID_DOMAIN}"


def render_ics(facts: RegistryFacts) -> bytes:
    settings = facts.settings.data
    stamp = f"{facts.as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//xinzhou-tic//Xinzhou TIC registry//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ical_text(f"{settings.get('title', '忻州市技术创新中心名录')}：未完成的期限"),
        "X-WR-CALDESC:"
        + ical_text(
            f"数据截至 {facts.as_of.isoformat()}；未到期、今日到期与已逾期的期限，均为本站推算，以市科技局决定为准。"
            + (f"{facts.derived_note}。" if facts.derived_note else "")
        ),
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    events = sorted(
        ((d.due, d, c) for c in facts.centers for d in c.open_deadlines if d.due),
        key=lambda x: (x[0], x[2].id, x[1].rule_id),
    )
    for due, d, c in events:
        name = c.center.name_on(facts.as_of)
        article = f"《{facts.measures.title}》{d.article}" if d.article else "本站规则"
        state = {"open": f"未到期，还有 {d.days} 天", "overdue": f"已逾期 {d.days} 天"}.get(d.state, d.state_label)
        description = "\n".join(
            [
                f"{name}：{d.title}，到期日 {due.isoformat()}。",
                f"依据：{article}（规则 {d.rule_id}）。",
                f"截至 {facts.as_of.isoformat()}：{state}。",
                *([f"到期日{PROVISIONAL_MARK}：{PROVISIONAL_NOTE}。"] if d.provisional else []),
                "本站推算，以市科技局决定为准。",
                *([f"{facts.derived_note}。"] if facts.derived_note else []),
            ]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{deadline_uid(c.id, d.key)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due + dt.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + ical_text(f"{name}：{d.title}"),
            "DESCRIPTION:" + ical_text(description),
            "CATEGORIES:" + ical_text(d.state_label),
            "TRANSP:TRANSPARENT",
        ]
        url = absolute(facts, center_page(c.id))
        if url:
            lines.append(f"URL;VALUE=URI:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)
