"""The tables of tables.py as CSV, and the Frictionless Data Package that describes every file.

CSV: UTF-8 with a byte-order mark (Excel on Chinese Windows otherwise guesses GBK),
CRLF line ends and minimal quoting (RFC 4180). Formula injection guard: a text cell
that begins with = + - @ (or a tab / carriage return) gets a leading apostrophe ', so a
spreadsheet shows it as text instead of running it; numbers and dates are never touched.

The Data Package lists every file of data/ that is not per center (the tables with their
Table Schemas, keys and foreign keys; the workbook, JSON, feeds and calendars as plain
resources with size and hash) and names the per-center files by pattern: at 10,000
centers a resource per file would make the descriptor larger than the data.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from generator.derive.facts import RegistryFacts
from generator.render import links
from generator.render.opendata.common import license_info, site_url
from generator.render.opendata.tables import TABLES, Column, Table, meta_values
from generator.render.opendata.versions import DATA_VERSION

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_NOTE = "UTF-8（带 BOM）编码，CRLF 行尾。"
PER_CENTER_NOTE = (
    "每个中心另有三个文件（<标识> 为 centers.csv 的 id 列）：centers/<标识>.json（该中心的 JSON，"
    "结构见 center-data.schema.json）、centers/<标识>.ics（该中心未完成期限的日历，到期前 30 天、7 天提醒）、"
    "centers/<标识>.atom（该中心的事件、状态变化与公示的订阅源）。"
)


# --- CSV ---------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Formula injection guard for text cells: prefix an apostrophe to a leading = + - @ tab CR."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_column(column: Column, values: list[Any]) -> list[str]:
    """The CSV texts of one column's values; the type is looked at once per column, not per cell."""
    if column.type == "boolean":
        return ["" if v is None else "true" if v else "false" for v in values]
    if column.type == "date":
        return ["" if v is None else v.isoformat() for v in values]
    if column.type in ("integer", "number"):
        return ["" if v is None else str(v) for v in values]
    texts = ["" if v is None else v if type(v) is str else str(v) for v in values]
    risky = {t for t in set(texts) if t.startswith(FORMULA_TRIGGERS)}  # each distinct text looked at once
    return ["'" + t if t in risky else t for t in texts] if risky else texts


def render_csv(facts: RegistryFacts, table: Table, rows: list[tuple[Any, ...]]) -> bytes:
    """`rows` hold the values of `table.fields`; META_COLUMNS have one value, converted once."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in table.columns])
    meta = meta_values(facts)
    position = {c.name: i for i, c in enumerate(table.fields)}
    texts = [
        csv_column(c, [meta[c.name]]) * len(rows)
        if c.name in meta
        else csv_column(c, [row[position[c.name]] for row in rows])
        for c in table.columns
    ]
    writer.writerows(zip(*texts))
    return out.getvalue().encode("utf-8-sig")


# --- Data Package ------------------------------------------------------------------


def _field(column: Column) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": column.name,
        "title": column.title,
        "type": column.type,
        "description": column.description,
    }
    if column.derived:  # the site's reading, not a recorded fact (see the data dictionary)
        out["derived"] = True
    if column.type == "date":
        out["format"] = "default"
    if column.type == "boolean":
        out["trueValues"] = ["true"]
        out["falseValues"] = ["false"]
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        out["constraints"] = constraints
    return out


def _stats(data: bytes) -> dict[str, Any]:
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def _table_resource(table: Table, data: bytes) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c) for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [field], "reference": {"resource": resource, "fields": [target]}}
            for field, resource, target in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": table.path,
        "title": table.title,
        "description": table.description + CSV_NOTE,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",  # IANA name; the file starts with a BOM, which readers skip
        **_stats(data),
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True},
        "schema": schema,
    }


#: The files that are not tables: (path under data/, resource name, format, media type, title, description).
OTHER_FILES = (
    (
        "centers.xlsx",
        "workbook",
        "xlsx",
        links.XLSX,
        "Excel 工作簿",
        "以上各表的 Excel 工作簿，每表一个工作表，另有“说明”工作表（数据截至日期、演示数据标记、版本）。",
    ),
    (
        "centers.json",
        "centers-json",
        "json",
        links.JSON,
        "全部中心（JSON）",
        "全部中心的记录字段与推算结果，结构见 ../schema/centers-data.schema.json。" + PER_CENTER_NOTE,
    ),
    (
        "notices.json",
        "notices-json",
        "json",
        links.JSON,
        "全部公示（JSON）",
        "全部公示的记录字段、公示期与状态，结构见 ../schema/notices-data.schema.json。",
    ),
    ("notices.xml", "notices-feed", "atom", links.ATOM, "公示订阅源（Atom）", "每份公示一个条目，最新的在前。"),
    (
        "centers.atom",
        "centers-feed",
        "atom",
        links.ATOM,
        "中心动态订阅源（Atom）",
        "最近新增或有变化的中心，每个中心一个条目，updated 为其最近一个有日期的事实。",
    ),
    (
        "deadlines.ics",
        "deadlines-calendar",
        "ics",
        links.ICS,
        "未完成期限日历（iCalendar）",
        "全部中心未完成的期限，每项一个全天事件，到期前 30 天、7 天提醒；UID 即 deadlines.csv 的 uid。",
    ),
)


def datapackage(facts: RegistryFacts, files: dict[str, bytes]) -> dict[str, Any]:
    """A Frictionless data package describing every file of data/ (`files`: path → bytes)."""
    settings = facts.settings.data
    spdx, license_url, license_title = license_info(facts)
    license_entry: dict[str, Any] = {"name": spdx, "title": license_title}
    if license_url:
        license_entry["path"] = license_url
    source: dict[str, Any] = {"title": f"{settings.get('publisher', '忻州市科学技术局')}：名录记录（registry/）"}
    if site_url(facts):
        source["path"] = site_url(facts)
    resources = [_table_resource(t, files[f"data/{t.path}"]) for t in TABLES]
    for path, name, fmt, mediatype, title, description in OTHER_FILES:
        resources.append(
            {
                "name": name,
                "path": path,
                "title": title,
                "description": description,
                "format": fmt,
                "mediatype": mediatype,
                **_stats(files[f"data/{path}"]),
            }
        )
    for path in sorted(p for p in files if p.startswith("data/templates/")):
        stem = path.rsplit("/", 1)[1].removesuffix(".xlsx")
        resources.append(
            {
                "name": f"import-template-{stem}",
                "path": path.removeprefix("data/"),
                "title": f"名单导入模板（{stem}）",
                "description": "官方结果名单的 Excel 导入模板（python -m generator import），见数据下载页。",
                "format": "xlsx",
                "mediatype": links.XLSX,
                **_stats(files[path]),
            }
        )
    counties = sorted(p for p in files if p.startswith("data/counties/"))
    for path in counties:
        stem = path.rsplit("/", 1)[1].removesuffix(".ics")
        resources.append(
            {
                "name": f"county-calendar-{stem}",
                "path": path.removeprefix("data/"),
                "title": f"{county_name(stem)}期限日历（iCalendar）",
                "description": f"所在地为{county_name(stem)}的中心未完成的期限，与 deadlines.ics 中的事件相同。",
                "format": "ics",
                "mediatype": links.ICS,
                **_stats(files[path]),
            }
        )
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": "xinzhou-technology-innovation-centers",
        "title": settings.get("title", "忻州市技术创新中心名录"),
        "description": (
            f"忻州市技术创新中心的基本信息、状态、期限、事件、公示与年度绩效考核结果，数据截至 {facts.as_of.isoformat()}"
            "（依据《市技术创新中心建设与运行管理办法》忻科规〔2024〕4号推算）。"
            + ("所有记录均为虚构的演示样例。" if facts.settings.sample_data else "")
            + PER_CENTER_NOTE
        ),
        "version": DATA_VERSION,
        "created": f"{facts.as_of.isoformat()}T00:00:00+08:00",
        "as_of": facts.as_of.isoformat(),
        "sample_data": facts.settings.sample_data,
        "keywords": ["忻州", "技术创新中心", "科技", "开放数据"],
        "licenses": [license_entry],
        "sources": [source],
        "contributors": [{"title": settings.get("publisher", "忻州市科学技术局"), "role": "publisher"}],
        "resources": resources,
    }
    url = site_url(facts)
    if url:
        package["homepage"] = url + "data/"
    return package


def county_name(slug: str) -> str:
    """The location whose calendar has this file stem."""
    return next(name for name in links.COUNTY_NAMES if links.county_slug(name) == slug)
