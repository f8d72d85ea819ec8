"""The open-data output: every data file and published schema, from one set of facts.

`render_open_data` returns docs-relative POSIX paths → bytes; the build writes them
under docs/ and MkDocs copies them, so they are served at /data/... and /schema/....
Everything derives from the same `facts`, so a status in the CSV equals the page's, and
the same registry and as-of date give byte-identical files (sorted keys and rows, no
clock: the only date that is not a record's is the as-of date).

    data/centers.json, data/centers/<id>.json, data/notices.json    JSON (jsondocs)
    schema/*.schema.json                                             JSON Schemas (schemas)
    data/centers.csv, assessments.csv, deadlines.csv, datapackage.json
                                          tables (tables) in formats (formats)
    data/centers.xlsx                     the same tables as a workbook (xlsx)
    data/notices.xml, data/deadlines.ics                             feeds (feeds)
    data/templates/<kind>.xlsx            import templates of the official lists (list_templates)
    data/index.md                                                    数据下载 page (page)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from generator.derive.facts import RegistryFacts
from generator.render.batch import Batch, run_batches
from generator.render.opendata.common import dump_json, dump_json_with, json_text
from generator.render.opendata.feeds import render_atom, render_ics
from generator.render.opendata.formats import datapackage, render_csv
from generator.render.opendata.jsondocs import center_object, document_header, notices_document
from generator.render.opendata.list_templates import render_templates
from generator.render.opendata.page import render_index
from generator.render.opendata.schemas import OUTPUT_SCHEMAS, record_schemas
from generator.render.opendata.tables import TABLES
from generator.render.opendata.xlsx import render_xlsx
from generator.runtime.parallel import PARALLEL_FROM

#: Shares of the centers whose JSON files are written as separate jobs, so that the jobs
#: are small next to the workbook, the one that cannot be split, and both ends finish together.
CENTER_SHARES = 8


def _center_files(facts: RegistryFacts, share: range) -> tuple[dict[str, bytes], bytes]:
    """data/centers/<id>.json for some of the centers, and the same JSON as a piece of the
    list in centers.json (comma-separated): each center is encoded once, in parallel."""
    centers = facts.centers
    encoded = [json_text(center_object(facts, centers[i])).encode("utf-8") for i in share]
    files = {f"data/centers/{centers[i].id}.json": data + b"\n" for i, data in zip(share, encoded)}
    return files, b",".join(encoded)


def _tables(facts: RegistryFacts) -> dict[str, bytes]:
    """The CSV files, their Data Package and the workbook: the rows are made once for both."""
    rows = {t.name: t.rows(facts) for t in TABLES}
    files = {f"data/{t.path}": render_csv(t, rows[t.name]) for t in TABLES}
    files["data/datapackage.json"] = dump_json(datapackage(facts, {t.path: files[f"data/{t.path}"] for t in TABLES}))
    files["data/centers.xlsx"] = render_xlsx(facts, rows)
    return files


def _feeds(facts: RegistryFacts) -> dict[str, bytes]:
    return {
        "data/notices.xml": render_atom(facts),
        "data/deadlines.ics": render_ics(facts),
        "data/notices.json": dump_json(notices_document(facts)),
    }


def open_data_batch(facts: RegistryFacts) -> Batch[dict[str, bytes]]:
    """Every data file, schema and the download page, as jobs and their assembly.

    The tables and the workbook, the one job that cannot be split, go first.
    """
    step = -(-len(facts.centers) // CENTER_SHARES) or 1
    producers: list[Callable[[], Any]] = [  # tables, feeds, templates, then the shares of the centers
        partial(_tables, facts),
        partial(_feeds, facts),
        partial(render_templates, facts),
        *(
            partial(_center_files, facts, range(i, min(i + step, len(facts.centers))))
            for i in range(0, len(facts.centers), step)
        ),
    ]

    def finish(produced: list[Any]) -> dict[str, bytes]:
        tables, feeds, templates, *shares = produced
        files = {**tables, **feeds, **templates}
        for part, _ in shares:
            files.update(part)
        items = b",".join(listed for _, listed in shares)
        files["data/centers.json"] = dump_json_with(document_header(facts), "centers", items)
        schemas = {name: build() for name, build in OUTPUT_SCHEMAS.items()}
        for name, schema in schemas.items():
            files[f"schema/{name}"] = dump_json(schema)
        for name, data in record_schemas().items():
            files[f"schema/{name}"] = data
        files["data/index.md"] = render_index(facts, files, schemas).encode("utf-8")
        return dict(sorted(files.items()))

    return Batch(producers, finish)


def render_open_data(facts: RegistryFacts) -> dict[str, bytes]:
    """Every data file, schema and the download page (the open data's batch on its own)."""
    return run_batches([partial(open_data_batch, facts)], parallel=len(facts.centers) >= PARALLEL_FROM)[0]
