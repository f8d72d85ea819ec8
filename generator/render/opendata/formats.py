"""The tables of tables.py as CSV and a Frictionless Data Package (the workbook: xlsx.py).

CSV: UTF-8 with a byte-order mark (Excel on Chinese Windows otherwise guesses GBK),
CRLF line ends and minimal quoting (RFC 4180). Formula injection guard: a text cell
that begins with = + - @ (or a tab / carriage return) gets a leading apostrophe ', so a
spreadsheet shows it as text instead of running it; numbers and dates are never touched.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from generator.derive.facts import RegistryFacts
from generator.render.opendata.common import license_info, site_url
from generator.render.opendata.tables import FOREIGN_KEYS, TABLES, Column, Table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
    return ["" if v is None else neutralise(str(v)) for v in values]


def render_csv(table: Table, rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in table.columns])
    writer.writerows(zip(*(csv_column(c, [row[c.name] for row in rows]) for c in table.columns)))
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
        resources.append(
            {
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
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "schema": schema,
            }
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "xinzhou-technology-innovation-centers",
        "title": settings.get("title", "忻州市技术创新中心名录"),
        "description": (
            f"忻州市技术创新中心的基本信息、状态、期限与年度绩效考核结果，数据截至 {facts.as_of.isoformat()}"
            "（依据《市技术创新中心建设与运行管理办法》忻科规〔2024〕4号推算）。"
            + ("所有记录均为虚构的演示样例。" if facts.settings.sample_data else "")
        ),
        "created": f"{facts.as_of.isoformat()}T00:00:00+08:00",
        "version": facts.as_of.isoformat(),
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
