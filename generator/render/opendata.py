"""The open-data output: every data file and published schema, from one set of facts.

`render_open_data` returns docs-relative POSIX paths → bytes; the build writes them
under docs/ and MkDocs copies them, so they are served at /data/... and /schema/....
Everything derives from the same `facts`, so a status in the CSV equals the page's, and
the same registry and as-of date give byte-identical files (sorted keys and rows, no
clock: the only date that is not a record's is the as-of date).

    data/centers.json, data/centers/<id>.json, data/notices.json    JSON (opendata_json)
    schema/*.schema.json                                             JSON Schemas (opendata_schema)
    data/centers.csv, assessments.csv, deadlines.csv, centers.xlsx,
    data/datapackage.json                 tables (opendata_tables) in formats (opendata_formats)
    data/notices.xml, data/deadlines.ics                             feeds (opendata_feeds)
    data/index.md                                                    数据下载 page (opendata_page)
"""

from __future__ import annotations

from ..derive.facts import RegistryFacts
from ..parallel import PARALLEL_FROM, fork_map
from .opendata_common import dump_json
from .opendata_feeds import render_atom, render_ics
from .opendata_json import centers_document, notices_document
from .opendata_page import render_index
from .opendata_schema import OUTPUT_SCHEMAS, record_schemas
from .opendata_formats import datapackage, render_csv, render_xlsx
from .opendata_tables import TABLES


def _json_files(facts: RegistryFacts) -> dict[str, bytes]:
    centers = centers_document(facts)
    files = {"data/centers.json": dump_json(centers), "data/notices.json": dump_json(notices_document(facts))}
    for c, obj in zip(facts.centers, centers["centers"]):
        files[f"data/centers/{c.id}.json"] = dump_json(obj)
    return files


def _table_files(facts: RegistryFacts) -> dict[str, bytes]:
    rows = {t.name: t.rows(facts) for t in TABLES}
    files = {f"data/{t.path}": render_csv(t, rows[t.name]) for t in TABLES}
    files["data/datapackage.json"] = dump_json(datapackage(facts, {t.path: files[f"data/{t.path}"] for t in TABLES}))
    return files


def _workbook(facts: RegistryFacts) -> dict[str, bytes]:
    return {"data/centers.xlsx": render_xlsx(facts, {t.name: t.rows(facts) for t in TABLES})}


def _feeds(facts: RegistryFacts) -> dict[str, bytes]:
    return {"data/notices.xml": render_atom(facts), "data/deadlines.ics": render_ics(facts)}


def render_open_data(facts: RegistryFacts) -> dict[str, bytes]:
    """Every data file, schema and the download page; the four producers run side by side."""
    producers = (_json_files, _workbook, _table_files, _feeds)  # longest first, for the pool
    files: dict[str, bytes] = {}
    for produced in fork_map(lambda produce: produce(facts), producers, parallel=len(facts.centers) >= PARALLEL_FROM):
        files.update(produced)
    schemas = {name: build() for name, build in OUTPUT_SCHEMAS.items()}
    for name, schema in schemas.items():
        files[f"schema/{name}"] = dump_json(schema)
    for name, data in record_schemas().items():
        files[f"schema/{name}"] = data
    files["data/index.md"] = render_index(facts, files, schemas).encode("utf-8")
    return dict(sorted(files.items()))
