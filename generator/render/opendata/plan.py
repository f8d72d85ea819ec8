"""The open-data output: every data file and published schema, from one set of facts.

`render_open_data` returns docs-relative POSIX paths → bytes; the build writes them
under docs/ and MkDocs copies them, so they are served at /data/... and /schema/....
Everything derives from the same `facts`, so a status in the CSV equals the page's, and
the same registry and as-of date give byte-identical files (sorted keys and rows, no
clock: the only date that is not a record's is the as-of date).

    data/centers.json, data/notices.json                             JSON (jsondocs)
    data/centers/<id>.json, .ics, .atom     per center: JSON, calendar (ical), feed (atom)
    schema/*.schema.json                                             JSON Schemas (schemas)
    data/{centers,assessments,deadlines,notices,events}.csv          tables (tables, formats)
    data/centers.xlsx                       the same tables as a workbook (xlsx)
    data/datapackage.json                   the Data Package describing them (formats)
    data/notices.xml, data/centers.atom                              feeds (atom)
    data/deadlines.ics, data/counties/<code>.ics                     calendars (ical)
    data/templates/<kind>.xlsx            import templates of the official lists (list_templates)
    data/sitemap.xml, data/centers/sitemap.xml   the files of these folders (sitemaps)
    data/index.md, data/changelog.md        数据下载 page (page), format changelog (versions)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.derive.facts import RegistryFacts
from generator.render import links
from generator.render.batch import Batch, run_batches
from generator.render.opendata.atom import (
    CenterChange,
    center_change,
    center_entries,
    notices_by_center,
    render_center_feed,
    render_centers_feed,
    render_notices_feed,
)
from generator.render.opendata.common import dump_json, json_frame, json_text
from generator.render.opendata.formats import datapackage, render_csv
from generator.render.opendata.ical import calendar, center_events
from generator.render.opendata.jsondocs import center_object, document_header, notices_document
from generator.render.opendata.list_templates import render_templates
from generator.render.opendata.page import render_index
from generator.render.opendata.schemas import OUTPUT_SCHEMAS, record_schemas
from generator.render.opendata.sitemaps import render_sitemaps
from generator.render.opendata.tables import TABLES
from generator.render.opendata.versions import render_changelog
from generator.render.opendata.xlsx import render_xlsx
from generator.runtime.parallel import PARALLEL_FROM

#: Shares of the centers whose files are written as separate jobs, so that the jobs are
#: small next to the workbook, the one that cannot be split, and all of them end together.
CENTER_SHARES = 8


@dataclass(frozen=True)
class CalendarEvent:
    """An open deadline's serialised event, with what orders and files it."""

    sort_key: tuple[Any, ...]
    location: str
    data: bytes


@dataclass(frozen=True)
class Share:
    """What a share of the centers produced besides its own files."""

    files: dict[str, bytes]
    listed: bytes  # the centers' JSON objects, comma-separated, for centers.json
    events: list[CalendarEvent]
    changes: list[CenterChange]


def _center_files(facts: RegistryFacts, share: range) -> Share:
    """Each center's JSON, calendar and feed for some of the centers. The JSON object is
    encoded once (also as a piece of centers.json), each calendar event serialised once
    (also for the county's and the registry's calendar)."""
    centers = facts.centers
    before, after = json_frame(document_header(facts), "center")
    notices = notices_by_center(facts)
    files: dict[str, bytes] = {}
    listed: list[bytes] = []
    events: list[CalendarEvent] = []
    changes: list[CenterChange] = []
    for i in share:
        c = centers[i]
        encoded = json_text(center_object(facts, c)).encode("utf-8")
        listed.append(encoded)
        files[links.center_json(c.id)] = before + encoded + after
        own = center_events(facts, c)
        location = c.center.data["location"]
        events += (CalendarEvent((d.due, c.id, d.rule_id), location, data) for d, data in own)
        name = c.center.name_on(facts.as_of)
        files[links.center_calendar(c.id)] = calendar(facts, f"{name}：期限", (data for _, data in own))
        entries = center_entries(facts, c, notices)
        files[links.center_feed(c.id)] = render_center_feed(facts, c, entries)
        changes.append(center_change(facts, c, entries))
    return Share(files, b",".join(listed), events, changes)


def _tables(facts: RegistryFacts) -> dict[str, bytes]:
    """The CSV files and the workbook: the rows are made once for both."""
    rows = {t.name: t.rows(facts) for t in TABLES}
    files = {f"data/{t.path}": render_csv(facts, t, rows[t.name]) for t in TABLES}
    files[links.WORKBOOK] = render_xlsx(facts, rows)
    return files


def _notices(facts: RegistryFacts) -> dict[str, bytes]:
    return {links.NOTICES_FEED: render_notices_feed(facts), "data/notices.json": dump_json(notices_document(facts))}


def _calendars(facts: RegistryFacts, events: list[CalendarEvent]) -> dict[str, bytes]:
    """The registry's calendar and one per county (every county, with or without events)."""
    events = sorted(events, key=lambda e: e.sort_key)
    files = {
        links.DEADLINES_CALENDAR: calendar(
            facts,
            f"{facts.settings.data.get('title', '忻州市技术创新中心名录')}：未完成的期限",
            (e.data for e in events),
            "未到期、今日到期与已逾期的期限（本站推算），到期前 30 天、7 天提醒。",
        )
    }
    for location in links.COUNTY_NAMES:
        files[links.county_calendar(location)] = calendar(
            facts,
            f"{location}：技术创新中心期限",
            (e.data for e in events if e.location == location),
            f"所在地为{location}的中心未完成的期限（本站推算），到期前 30 天、7 天提醒。",
        )
    return files


def open_data_batch(facts: RegistryFacts) -> Batch[dict[str, bytes]]:
    """Every data file, schema and page of data/, as jobs and their assembly.

    The tables and the workbook, the one job that cannot be split, go first.
    """
    step = -(-len(facts.centers) // CENTER_SHARES) or 1
    producers: list[Callable[[], Any]] = [  # tables, notices, templates, then the shares of the centers
        partial(_tables, facts),
        partial(_notices, facts),
        partial(render_templates, facts),
        *(
            partial(_center_files, facts, range(i, min(i + step, len(facts.centers))))
            for i in range(0, len(facts.centers), step)
        ),
    ]

    def finish(produced: list[Any]) -> dict[str, bytes]:
        tables, notices, templates, *shares = produced
        files = {**tables, **notices, **templates}
        for share in shares:
            files.update(share.files)
        before, after = json_frame(document_header(facts), "centers")
        files["data/centers.json"] = b"".join([before, b"[", b",".join(s.listed for s in shares), b"]", after])
        files.update(_calendars(facts, [e for s in shares for e in s.events]))
        files[links.CENTERS_FEED] = render_centers_feed(facts, [ch for s in shares for ch in s.changes])
        files["data/datapackage.json"] = dump_json(datapackage(facts, files))
        files.update(render_sitemaps(facts, files))
        schemas = {name: build() for name, build in OUTPUT_SCHEMAS.items()}
        for name, schema in schemas.items():
            files[f"schema/{name}"] = dump_json(schema)
        for name, data in record_schemas().items():
            files[f"schema/{name}"] = data
        files["data/changelog.md"] = render_changelog().encode("utf-8")
        files["data/index.md"] = render_index(facts, files, schemas).encode("utf-8")
        return dict(sorted(files.items()))

    return Batch(producers, finish)


def render_open_data(facts: RegistryFacts) -> dict[str, bytes]:
    """Every data file, schema and page of data/ (the open data's batch on its own)."""
    return run_batches([partial(open_data_batch, facts)], parallel=len(facts.centers) >= PARALLEL_FROM)[0]
