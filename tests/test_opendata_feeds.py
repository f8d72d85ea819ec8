"""Feeds and calendars read back as their readers read them: feedparser (and ElementTree)
for Atom, icalendar for iCalendar, as a feed reader or a calendar client would subscribe.

The calendars are also compared, byte for byte, with what icalendar's own components
(`Calendar`, `Event`, `Alarm` with `add()` and `to_ical()`) write for the same deadlines:
the generator's line-by-line path must change nothing but the speed.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import feedparser
import icalendar

from generator.derive.facts import RegistryFacts, derive
from generator.records.model import DIVISION_CODES, Event
from generator.records.model import Registry as Records
from generator.render.opendata import atom
from generator.render.opendata.atom import Entry
from generator.render.opendata.ical import PRODID
from generator.render.opendata.plan import render_open_data

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 27)
ATOM = "{http://www.w3.org/2005/Atom}"
OPEN_STATES = {"open", "due_today", "overdue"}
EVIL_TITLE = "关于<script>alert(1)</script>]]>&amp;的公示"
EVIL_NAME = "忻州市逗号,分号;反斜杠\\换行\n<b>&技术创新中心"


def _with(records: Records, center_id: str, **data: object) -> Records:
    center = records.center(center_id)
    assert center is not None
    changed = replace(center, data={**center.data, **data})
    return replace(records, centers=tuple(changed if c is center else c for c in records.centers))


def _parse(data: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# --- the notices feed ---------------------------------------------------------------


def test_notices_feed(files: dict[str, bytes], facts: RegistryFacts) -> None:
    feed = _parse(files["data/notices.xml"])
    assert len(feed.entries) == len(facts.notices)
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.feed.updated_parsed == updated[0]
    newest = feed.entries[0]
    assert newest.id == "tag:xinzhou-tic.github.io,2024:notice/approval-2026"
    assert "2026-11-25 至 2026-12-01" in newest.summary
    assert "忻州市样例生态修复技术创新中心" in newest.summary
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_an_outcome_moves_the_notice_entry_and_the_feed(records: Records) -> None:
    """approval-2025: issued 2025-11-10, outcome 2025-11-17. Before the outcome the entry
    and the feed are dated to the issue; from the outcome on, to the outcome."""

    def entry(day: dt.date) -> tuple[str, str, str]:
        feed = _parse(render_open_data(derive(records, day))["data/notices.xml"])
        e = next(e for e in feed.entries if e.id.endswith("notice/approval-2025"))
        return e.updated, feed.feed.updated, e.summary

    before, after = entry(dt.date(2025, 11, 16)), entry(dt.date(2025, 11, 17))
    assert before[:2] == ("2025-11-10T00:00:00+08:00", "2025-11-10T00:00:00+08:00")
    assert after[:2] == ("2025-11-17T00:00:00+08:00", "2025-11-17T00:00:00+08:00")
    assert "公示结果" not in before[2] and "公示结果（2025-11-17）：无异议" in after[2]
    assert entry(dt.date(2025, 12, 20))[:2] == after[:2]  # later days move nothing: no clock


def test_feeds_keep_markup_inert(records: Records, facts: RegistryFacts) -> None:
    notice = records.notices[0]
    entries = [{**notice.entries[0], "name": EVIL_TITLE}, *notice.entries[1:]]
    evil_notice = replace(notice, data={**notice.data, "title": EVIL_TITLE, "entries": entries})
    changed = _with(replace(records, notices=(evil_notice, *records.notices[1:])), "sample-gufei", name=EVIL_NAME)
    files = render_open_data(derive(changed, AS_OF))
    for path in ("data/notices.xml", "data/centers.atom", "data/centers/sample-gufei.atom"):
        raw = files[path]
        assert b"<script>" not in raw and b"<b>" not in raw, path
        feed = feedparser.parse(raw, sanitize_html=False)
        assert not feed.bozo, feed.get("bozo_exception")
        # an XML parser that knows nothing about feeds reads the same text back
        texts = [t.text for t in ET.fromstring(raw).iter(f"{ATOM}title")]
        assert EVIL_TITLE in texts or any(EVIL_NAME in (t or "") for t in texts), path
    entry = next(e for e in feedparser.parse(files["data/notices.xml"]).entries if e.title == EVIL_TITLE)
    assert entry.title_detail.type == "text/plain"
    assert EVIL_TITLE in entry.summary_detail.value


# --- a center's feed and the feed of changed centers ---------------------------------


def test_every_center_has_a_feed_of_its_events_statuses_and_notices(
    files: dict[str, bytes], facts: RegistryFacts
) -> None:
    for c in facts.centers:
        feed = _parse(files[f"data/centers/{c.id}.atom"])
        assert feed.feed.id == f"tag:xinzhou-tic.github.io,2024:center/{c.id}"
        assert 0 < len(feed.entries) <= 10
        updated = [e.updated_parsed for e in feed.entries]
        assert updated == sorted(updated, reverse=True) and feed.feed.updated_parsed == updated[0]
        assert len({e.id for e in feed.entries}) == len(feed.entries)
        events = c.center.until(AS_OF).events
        newest = max(e.date for e in events)
        assert max(e.updated[:10] for e in feed.entries) >= newest.isoformat()
    zhongyao = _parse(files["data/centers/sample-zhongyao.atom"])
    by_id = {e.id.rsplit("/", 2)[-2] + "/" + e.id.rsplit("/", 1)[-1]: e for e in zhongyao.entries}
    extension = by_id["event/2026-02-10-extension"]
    assert extension.title.startswith("批准延期：延期至 2027-03-15")
    assert "出处：忻科函〔2026〕6号" in extension.summary  # an official fact with its source
    status = by_id["status/2026-03-16-extended"]  # no event that day: a status change of its own
    assert status.title == "状态：延期建设（本站推算）" and "以市科技局决定为准" in status.summary
    approval = next(e for e in zhongyao.entries if e.id.endswith("event/2024-03-15-approval"))
    assert "状态变为“建设中”（本站推算" in approval.summary  # told in the event of its day
    shengtai = _parse(files["data/centers/sample-shengtai.atom"])
    assert any(e.id.endswith("notice/approval-2026") for e in shengtai.entries)  # the notice that lists it


def test_a_new_event_updates_the_center_feed_and_the_changed_centers(records: Records) -> None:
    center = records.center("sample-zhongyao")
    assert center is not None
    grant = {"date": "2026-11-26", "kind": "funding", "funding_kind": "其他", "amount_wan": 3}
    event = Event(len(center.events), dt.date(2026, 11, 26), "funding", grant)
    grown = replace(center, events=(*center.events, event))
    files = render_open_data(
        derive(replace(records, centers=tuple(grown if c is center else c for c in records.centers)), AS_OF)
    )
    own = _parse(files["data/centers/sample-zhongyao.atom"])
    assert own.entries[0].id.endswith("event/2026-11-26-funding") and own.feed.updated.startswith("2026-11-26")
    changed = _parse(files["data/centers.atom"])
    top = changed.entries[0]
    assert top.id == "tag:xinzhou-tic.github.io,2024:center/sample-zhongyao"
    assert top.updated.startswith("2026-11-26") and "经费支持" in top.summary


def test_the_changed_centers_feed(files: dict[str, bytes], facts: RegistryFacts) -> None:
    feed = _parse(files["data/centers.atom"])
    assert len(feed.entries) == min(len(facts.centers), 100)
    assert {e.id.rsplit("/", 1)[1] for e in feed.entries} == {c.id for c in facts.centers}
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    for e in feed.entries:  # each center's entry is dated like its own feed
        own = _parse(files[f"data/centers/{e.id.rsplit('/', 1)[1]}.atom"])
        assert e.updated == own.feed.updated


def _reference(
    facts: RegistryFacts, path: str, feed_id: str, title: str, subtitle: str, page: str, entries: list[Entry]
) -> bytes:
    """The feed as ElementTree writes it: what render/opendata/atom.py must write, byte for byte."""
    base = "https://xinzhou-tic.github.io/registry/"
    root = ET.Element("feed", {"xmlns": "http://www.w3.org/2005/Atom", "xml:lang": "zh-CN"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        element.text = text
        return element

    ordered = sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)
    for tag, text in (("id", feed_id), ("title", title), ("subtitle", subtitle)):
        sub(root, tag, text)
    sub(root, "updated", f"{ordered[0].updated}T00:00:00+08:00")
    sub(sub(root, "author"), "name", facts.settings.data["publisher"])
    sub(root, "link", rel="self", type="application/atom+xml", href=base + path)
    sub(root, "link", rel="alternate", type="text/html", href=base + page)
    sub(root, "rights", "知识共享 署名 4.0 国际（CC BY 4.0）（CC-BY-4.0）")
    sub(root, "generator", "忻州市技术创新中心名录生成器（generator）")
    for e in ordered:
        entry = sub(root, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        if e.published:
            sub(entry, "published", f"{e.published}T00:00:00+08:00")
        sub(entry, "updated", f"{e.updated}T00:00:00+08:00")
        sub(entry, "link", rel="alternate", type="text/html", href=base + e.link)
        if e.related:
            sub(entry, "link", rel="related", type="text/html", href=e.related, title=e.related_title)
        if e.category:
            sub(entry, "category", term=e.category)
        sub(entry, "summary", e.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def test_feeds_are_what_elementtree_writes(records: Records) -> None:
    """Also with record text that XML must escape, in a center's name and a notice's title."""
    notice = records.notices[0]
    hostile = replace(notice, data={**notice.data, "title": EVIL_TITLE + '"引号"\t'})
    changed = _with(replace(records, notices=(hostile, *records.notices[1:])), "sample-gufei", name=EVIL_NAME)
    for registry in (records, changed):
        facts = derive(registry, AS_OF)
        files = render_open_data(facts)
        notices = [atom.notice_entry(facts, n) for n in facts.notices]
        assert files["data/notices.xml"] == _reference(
            facts,
            "data/notices.xml",
            "tag:xinzhou-tic.github.io,2024:notices",
            "忻州市技术创新中心名录：公示公告",
            "市科学技术局发布的市技术创新中心公示（第十二条）；公示结果公布后条目随之更新。",
            "notices/",
            notices,
        )
        by_notice = atom.notices_by_center(facts)
        for c in facts.centers:
            entries = atom.center_entries(facts, c, by_notice)
            path = f"data/centers/{c.id}.atom"
            title = f"{c.center.name_on(AS_OF)}：动态"
            subtitle = "事件记录（附出处）、状态变化（本站推算）与列出本中心的公示，最新的在前。"
            feed_id = f"tag:xinzhou-tic.github.io,2024:center/{c.id}"
            assert files[path] == _reference(facts, path, feed_id, title, subtitle, f"centers/{c.id}/", entries)


# --- calendars -----------------------------------------------------------------------


def test_a_center_calendar_shows_its_deadlines_with_reminders(files: dict[str, bytes]) -> None:
    """What a calendar client sees after importing one center's calendar."""
    calendar = icalendar.Calendar.from_ical(files["data/centers/sample-zhongyao.ics"])
    assert str(calendar["X-WR-CALNAME"]) == "忻州市样例道地药材技术创新中心：期限"
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events] == [
        ("忻州市样例道地药材技术创新中心：延期期满", dt.date(2027, 3, 15)),
        ("忻州市样例道地药材技术创新中心：提出验收申请", dt.date(2027, 4, 15)),
    ]
    for event in events:
        alarms = event.walk("VALARM")
        assert [a.decoded("TRIGGER") for a in alarms] == [dt.timedelta(days=-30), dt.timedelta(days=-7)]
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"} and all(str(a["DESCRIPTION"]) for a in alarms)
        assert event.decoded("DTEND") == event.decoded("DTSTART") + dt.timedelta(days=1)
        assert "第十二条" in str(event["DESCRIPTION"]) and "本站推算" in str(event["DESCRIPTION"])
        assert str(event["TRANSP"]) == "TRANSPARENT"


def test_every_open_deadline_is_in_its_center_county_and_registry_calendar(
    files: dict[str, bytes], facts: RegistryFacts
) -> None:
    everything = {str(e["UID"]) for e in _events(files["data/deadlines.ics"])}
    counties: dict[str, set[str]] = {}
    for path, data in files.items():
        if path.startswith("data/counties/"):
            counties[path] = {str(e["UID"]) for e in _events(data)}
    expected = set()
    for c in facts.centers:
        own = [str(e["UID"]) for e in _events(files[f"data/centers/{c.id}.ics"])]
        uids = [f"{c.id}.{d.key}@xinzhou-tic" for d in c.deadlines if d.state in OPEN_STATES]
        assert sorted(own) == sorted(uids)
        code = DIVISION_CODES[c.center.data["location"]] or "kaifaqu"  # the development zone has no code
        assert set(uids) <= counties[f"data/counties/{code}.ics"]
        expected |= set(uids)
    assert everything == expected and sum(map(len, counties.values())) == len(expected)


def test_calendars_are_valid_crlf_folded_and_dated_to_the_as_of_date(files: dict[str, bytes]) -> None:
    calendars = {p: d for p, d in files.items() if p.endswith(".ics")}
    assert len(calendars) == 1 + 15 + len([p for p in files if p.startswith("data/centers/") and p.endswith(".ics")])
    for path, data in calendars.items():
        assert data.count(b"\n") == data.count(b"\r\n"), path
        assert max(len(line) for line in data.split(b"\r\n")) <= 75, path
        calendar = icalendar.Calendar.from_ical(data)
        assert str(calendar["PRODID"]) == PRODID and str(calendar["VERSION"]) == "2.0"
        for event in calendar.walk("VEVENT"):
            assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
            start = event.decoded("DTSTART")
            assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)


def test_calendars_are_what_icalendar_components_write(files: dict[str, bytes], facts: RegistryFacts) -> None:
    """Build the registry's calendar with icalendar's component API and compare the bytes."""
    reference = icalendar.Calendar()
    for name, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"), ("method", "PUBLISH")):
        reference.add(name, icalendar.vText(value))
    title = "忻州市技术创新中心名录：未完成的期限"
    text = "数据截至 2026-11-27。未到期、今日到期与已逾期的期限（本站推算），到期前 30 天、7 天提醒。"
    for name, value in (("name", title), ("x-wr-calname", title), ("description", text), ("x-wr-caldesc", text)):
        reference.add(name, icalendar.vText(value))
    reference.add("refresh-interval", icalendar.vDuration(dt.timedelta(days=1)), parameters={"VALUE": "DURATION"})
    reference.add("x-published-ttl", icalendar.vDuration(dt.timedelta(days=1)))
    deadlines = sorted(
        ((d, c) for c in facts.centers for d in c.deadlines if d.state in OPEN_STATES),
        key=lambda dc: (dc[0].due, dc[1].id, dc[0].rule_id),
    )
    for d, c in deadlines:
        event = icalendar.Event()
        event.add("uid", icalendar.vText(f"{c.id}.{d.key}@xinzhou-tic"))
        event.add("dtstamp", dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
        event.add("dtstart", d.due)
        event.add("dtend", d.due + dt.timedelta(days=1))
        event.add("summary", icalendar.vText(f"{c.center.name_on(AS_OF)}：{d.title}"))
        state = {"open": f"未到期，还有 {d.days} 天", "overdue": f"已逾期 {d.days} 天"}.get(d.state, d.state_label)
        article = f"《市技术创新中心建设与运行管理办法》{d.article}" if d.article else "本站规则"
        event.add(
            "description",
            icalendar.vText(
                f"截至 2026-11-27：{state}。依据{article}（规则 {d.rule_id}），本站推算，以市科技局决定为准。"
            ),
        )
        event.add("transp", icalendar.vText("TRANSPARENT"))
        event.add("url", icalendar.vUri(f"https://xinzhou-tic.github.io/registry/centers/{c.id}/"), {"VALUE": "URI"})
        for days in (30, 7):
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", icalendar.vDuration(-dt.timedelta(days=days)))
            alarm.add("description", icalendar.vText(f"{days} 天后到期"))
            event.add_component(alarm)
        reference.add_component(event)
    assert files["data/deadlines.ics"] == reference.to_ical()


def test_calendar_uids_are_stable_across_builds(records: Records) -> None:
    def uids(day: dt.date) -> set[str]:
        return {str(e["UID"]) for e in _events(render_open_data(derive(records, day))["data/deadlines.ics"])}

    first, later = uids(AS_OF), uids(dt.date(2026, 12, 3))
    # a deadline still open a week later keeps its UID
    assert "sample-zhongyao.deadline.extension-end@xinzhou-tic" in first & later


def test_a_moved_due_date_keeps_its_uid(records: Records) -> None:
    """A corrected extension end moves the event in a subscribed calendar, not duplicates it."""
    center = records.center("sample-zhongyao")
    assert center is not None
    extension = center.first("extension")
    moved = replace(extension, fields={**extension.fields, "new_end": "2027-02-01"})
    changed_center = replace(center, events=tuple(moved if e is extension else e for e in center.events))
    changed = replace(records, centers=tuple(changed_center if c is center else c for c in records.centers))

    def ends(registry: Records) -> dict[str, dt.date]:
        events = _events(render_open_data(derive(registry, AS_OF))["data/centers/sample-zhongyao.ics"])
        return {
            str(e["UID"]): e.decoded("DTSTART") for e in events if "zhongyao.deadline.extension-end" in str(e["UID"])
        }

    assert list(ends(records).values()) == [dt.date(2027, 3, 15)]
    assert ends(changed) == {uid: dt.date(2027, 2, 1) for uid in ends(records)}


def test_calendar_escapes_text(records: Records) -> None:
    files = render_open_data(derive(_with(records, "sample-gufei", name=EVIL_NAME), AS_OF))
    for path in ("data/deadlines.ics", "data/centers/sample-gufei.ics"):
        calendar = icalendar.Calendar.from_ical(files[path])
        summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
        assert any(s.startswith(EVIL_NAME + "：") for s in summaries), path
    own = icalendar.Calendar.from_ical(files["data/centers/sample-gufei.ics"])
    # icalendar reads X- properties as raw text: the calendar's name is there, escaped as TEXT
    escaped = EVIL_NAME.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")
    assert str(own["X-WR-CALNAME"]) == f"{escaped}：期限"


def test_site_url_makes_feed_and_calendar_links_absolute(records: Records) -> None:
    settings = replace(records.settings, data={**records.settings.data, "site_url": "https://example.org/tic"})
    files = render_open_data(derive(replace(records, settings=settings), AS_OF))
    feed = _parse(files["data/notices.xml"])
    assert feed.entries[0].link == "https://example.org/tic/notices/approval-2026/"
    assert feed.feed.links[0].href == "https://example.org/tic/data/notices.xml"
    own = _parse(files["data/centers/sample-zhongyao.atom"])
    assert own.feed.links[0].href == "https://example.org/tic/data/centers/sample-zhongyao.atom"
    assert own.entries[0].link == "https://example.org/tic/centers/sample-zhongyao/"
    event = _events(files["data/deadlines.ics"])[0]
    assert str(event["URL"]).startswith("https://example.org/tic/centers/")


def test_without_a_site_url_feed_links_are_relative_to_the_feed(records: Records) -> None:
    settings = replace(records.settings, data={k: v for k, v in records.settings.data.items() if k != "site_url"})
    files = render_open_data(derive(replace(records, settings=settings), AS_OF))
    own = ET.fromstring(files["data/centers/sample-zhongyao.atom"])
    alternate = next(e for e in own.findall(f"{ATOM}link") if e.get("rel") == "alternate")
    assert alternate.get("href") == "../../centers/sample-zhongyao/"  # from data/centers/ to the page
    assert "URL" not in _events(files["data/deadlines.ics"])[0]
