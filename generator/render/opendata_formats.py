"""The tables of opendata_tables as CSV, an Excel workbook and a Frictionless Data Package.

CSV: UTF-8 with a byte-order mark (Excel on Chinese Windows otherwise guesses GBK),
CRLF line ends and minimal quoting (RFC 4180). Formula injection guard: a text cell
that begins with = + - @ (or a tab / carriage return) gets a leading apostrophe ', so a
spreadsheet shows it as text instead of running it; numbers and dates are never touched.
The workbook stores every text as a text cell (never a formula), so it needs no apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from typing import Any

import xlsxwriter

from ..derive.facts import RegistryFacts
from .opendata_common import display_width, license_info, site_url
from .opendata_tables import FOREIGN_KEYS, TABLES, Column, Table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# --- CSV ---------------------------------------------------------------------------

def neutralise(text: str) -> str:
    """Formula injection guard for text cells: prefix an apostrophe to a leading = + - @ tab CR."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "date":
        return value.isoformat()
    if column.type in ("integer", "number"):
        return str(value)
    return neutralise(str(value))


def render_csv(table: Table, rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([csv_cell(c, row[c.name]) for c in table.columns])
    return out.getvalue().encode("utf-8-sig")


# --- Excel -------------------------------------------------------------------------

def _xlsx_text(column: Column, value: Any) -> str:
    if column.type == "boolean":
        return "是" if value else "否"
    if column.type == "date":
        return value.isoformat()
    return str(value)


def render_xlsx(facts: RegistryFacts, tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """One sheet per table, Chinese headers, frozen header row, autofilter, CJK-aware widths.

    In-memory mode gives every zip member xlsxwriter's fixed 1980-01-01 timestamp, and the
    document properties are dated to the as-of date, so the bytes depend on the data only.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    settings = facts.settings.data
    spdx, _, _ = license_info(facts)
    book.set_properties({
        "title": settings.get("title", "忻州市技术创新中心名录"),
        "subject": f"开放数据，数据截至 {facts.as_of.isoformat()}",
        "author": settings.get("publisher", ""),
        "company": settings.get("publisher", ""),
        "comments": f"许可协议 {spdx}；由 data/centers.csv 等同一份数据生成。",
        "created": dt.datetime.combine(facts.as_of, dt.time()),
    })
    header = book.add_format({"bold": True, "bg_color": "#E8EAF6", "border": 1, "valign": "top"})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for table in TABLES:
        rows = tables[table.name]
        sheet = book.add_worksheet(table.sheet)
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, column.title, header)
            widest = display_width(column.title)
            values = [(r, row[column.name]) for r, row in enumerate(rows, start=1)]
            values = [(r, value) for r, value in values if value is not None]
            if column.type == "date":
                write_datetime, combine, midnight = sheet.write_datetime, dt.datetime.combine, dt.time()
                for r, value in values:
                    write_datetime(r, col, combine(value, midnight), date_format)
                texts = [value.isoformat() for _, value in values]
            elif column.type in ("integer", "number"):
                write_number = sheet.write_number
                for r, value in values:
                    write_number(r, col, value)
                texts = [str(value) for _, value in values]
            else:
                write_string = sheet.write_string
                texts = [_xlsx_text(column, value) for _, value in values]
                for (r, _), text in zip(values, texts):
                    write_string(r, col, text)
            for text in set(texts):
                if 2 * len(text) > widest:  # cannot be wider otherwise: skip the per-character count
                    widest = max(widest, display_width(text))
            sheet.set_column(col, col, min(max(widest + 2, 6), 60))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(table.columns) - 1)
    book.close()
    return buffer.getvalue()


# --- Data Package ------------------------------------------------------------------

def _field(column: Column) -> dict[str, Any]:
    out: dict[str, Any] = {"name": column.name, "title": column.title, "type": column.type,
                           "description": column.description}
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


def datapackage(facts: RegistryFacts, csv_bytes: dict[str, bytes]) -> dict[str, Any]:
    """A Frictionless tabular data package describing the three CSV files."""
    settings = facts.settings.data
    spdx, license_url, license_title = license_info(facts)
    license_entry: dict[str, Any] = {"name": spdx, "title": license_title}
    if license_url:
        license_entry["path"] = license_url
    source: dict[str, Any] = {"title": f"{settings.get('publisher', '忻州市科学技术局')}：名录记录（registry/）"}
    if site_url(facts):
        source["path"] = site_url(facts)
    resources = []
    for table in TABLES:
        data = csv_bytes[table.path]
        schema: dict[str, Any] = {
            "fields": [_field(c) for c in table.columns],
            "primaryKey": list(table.primary_key),
            "missingValues": [""],
        }
        if table.name in FOREIGN_KEYS:
            field, resource, target = FOREIGN_KEYS[table.name]
            schema["foreignKeys"] = [{"fields": [field], "reference": {"resource": resource, "fields": [target]}}]
        resources.append({
            "name": table.name,
            "path": table.path,
            "title": table.title,
            "description": table.description + "UTF-8（带 BOM）编码，CRLF 行尾。",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",  # IANA name; the file starts with a BOM, which readers skip
            "bytes": len(data),
            "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True,
                        "header": True},
            "schema": schema,
        })
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "xinzhou-technology-innovation-centers",
        "title": settings.get("title", "忻州市技术创新中心名录"),
        "description": (f"忻州市技术创新中心的基本信息、状态、期限与年度绩效考核结果，数据截至 {facts.as_of.isoformat()}"
                        "（依据《市技术创新中心建设与运行管理办法》忻科规〔2024〕4号推算）。"
                        + ("所有记录均为虚构的演示样例。" if facts.settings.sample_data else "")),
        "created": f"{facts.as_of.isoformat()}T00:00:00+08:00",
        "version": facts.as_of.isoformat(),
        "keywords": ["忻州", "技术创新中心", "科技", "开放数据"],
        "licenses": [license_entry],
        "sources": [source],
        "contributors": [{"title": settings.get("publisher", "忻州市科学技术局"), "role": "publisher"}],
        "resources": resources,
    }
    if site_url(facts):
        package["homepage"] = site_url(facts) + "data/"
    return package
