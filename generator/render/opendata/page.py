"""data/index.md, the 数据下载 page: the files with their sizes, the data dictionary, examples.

Sizes come from the bytes just produced; the dictionary comes from the published schemas
and the column table, so the page describes exactly what is served. Every value reaches
the Markdown through markup_env(), whose finalize escapes it (escape_text); the only
values marked safe are the site address (checked against a plain-URL pattern) in the
code examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from generator.derive.facts import RegistryFacts
from generator.render.env import markup_env
from generator.render.opendata.common import license_info, site_url
from generator.render.opendata.schemas import (
    CENTER_SCHEMA,
    CENTERS_SCHEMA,
    NOTICES_SCHEMA,
    RECORD_SCHEMAS,
    load_record_schema,
)
from generator.render.opendata.tables import TABLES

_TYPES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是非值",
    "array": "列表",
    "object": "对象",
    "null": "空",
}
_CSV_TYPES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "date": "日期（YYYY-MM-DD）",
    "boolean": "是非值（true/false）",
}

#: What each data file is, in the order the page lists them.
FILES = (
    ("data/centers.csv", "CSV", "中心一览：每个中心一行（UTF-8 带 BOM，Excel 可直接打开）"),
    ("data/assessments.csv", "CSV", "年度绩效考核：每个中心每个考核年度一行"),
    ("data/deadlines.csv", "CSV", "期限：每个中心的每项期限一行"),
    ("data/centers.xlsx", "Excel", "以上三张表的 Excel 工作簿（工作表：中心、考核、期限）"),
    ("data/datapackage.json", "JSON", "Frictionless 数据包描述：三张 CSV 的字段、类型、主键与外键"),
    ("data/centers.json", "JSON", "全部中心的完整记录与推算结果（状态沿革、期限、考核、经费、提示）"),
    ("data/notices.json", "JSON", "全部公示：名单、公示期与状态"),
    ("data/notices.xml", "Atom", "公示订阅源，可用 RSS 阅读器订阅"),
    ("data/deadlines.ics", "iCalendar", "未完成期限的日历，可导入或订阅到日历应用"),
)


def size_text(size: int) -> str:
    return f"{size} 字节" if size < 1024 else f"{size / 1024:.1f} KB（{size:,} 字节）"


def _type_of(node: dict[str, Any]) -> str:
    if "enum" in node:
        return "取值之一"
    kind = node.get("type")
    if isinstance(kind, list):
        return "或".join(_TYPES.get(k, str(k)) for k in kind)
    if kind:
        return _TYPES.get(kind, kind)
    if node.get("format") == "date" or node.get("$ref", "").endswith("/date"):
        return "日期"
    if "anyOf" in node:
        return "或".join(_type_of(n) for n in node["anyOf"])
    return "见结构"


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local #/$defs/ reference, keeping the referring node's title and description."""
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        target = schema["$defs"][ref.split("/")[-1]]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _rows(
    properties: dict[str, Any], schema: dict[str, Any], prefix: str = "", skip_records: bool = False
) -> Iterator[dict[str, str]]:
    """Field rows of a schema: nested objects and lists of objects as dotted names."""
    for name, raw in properties.items():
        if skip_records and raw.get("$ref", "").split("#")[0].endswith(".schema.json"):
            continue
        node = _resolve(raw, schema)
        description = node.get("description", "")
        if "enum" in node:
            values = "、".join("null" if v is None else str(v) for v in node["enum"])
            description = f"{description}取值：{values}。"
        yield {
            "name": prefix + name,
            "title": node.get("title", ""),
            "type": _type_of(node),
            "description": description,
        }
        items = _resolve(node.get("items", {}), schema) if node.get("type") == "array" else None
        if items and items.get("properties"):
            yield from _rows(items["properties"], schema, f"{prefix}{name}[].")
        elif node.get("properties"):
            yield from _rows(node["properties"], schema, f"{prefix}{name}.")
        else:
            choice = next((o for o in node.get("anyOf", []) if o.get("properties")), None)
            if choice:
                yield from _rows(choice["properties"], schema, f"{prefix}{name}.")


def render_index(facts: RegistryFacts, files: dict[str, bytes], schemas: dict[str, dict[str, Any]]) -> str:
    centers_schema = schemas[CENTERS_SCHEMA]
    notices_schema = schemas[NOTICES_SCHEMA]
    center_record = load_record_schema("center.schema.json")
    notice_record = load_record_schema("notice.schema.json")
    spdx, license_url, license_title = license_info(facts)
    base = site_url(facts)
    context = {
        "facts": facts,
        "files": [
            {"name": path.removeprefix("data/"), "format": fmt, "what": what, "size": size_text(len(files[path]))}
            for path, fmt, what in FILES
        ],
        "center_files": [  # (name, file, size): a row per center, unpacked, not looked up
            (c.center.name_on(facts.as_of), f"centers/{c.id}.json", size_text(len(files[f"data/centers/{c.id}.json"])))
            for c in facts.centers
        ],
        "schemas": [
            {"name": name, "title": schema_title, "size": size_text(len(files[f"schema/{name}"]))}
            for name, schema_title in (
                (CENTERS_SCHEMA, "data/centers.json 的结构"),
                (CENTER_SCHEMA, "data/centers/<标识>.json 的结构"),
                (NOTICES_SCHEMA, "data/notices.json 的结构"),
                *((n, "名录记录的结构（registry/ 中的 YAML 文件）") for n in RECORD_SCHEMAS),
            )
        ],
        "center_record_fields": list(_rows(center_record["properties"], center_record)),
        "center_derived_fields": list(
            _rows(centers_schema["$defs"]["center"]["properties"], centers_schema, skip_records=True)
        ),
        "notice_record_fields": list(_rows(notice_record["properties"], notice_record)),
        "notice_derived_fields": list(
            _rows(notices_schema["$defs"]["notice"]["properties"], notices_schema, skip_records=True)
        ),
        "tables": [
            {
                "path": t.path,
                "sheet": t.sheet,
                "title": t.title,
                "description": t.description,
                "primary_key": "、".join(t.primary_key),
                "columns": [
                    {
                        "name": c.name,
                        "title": c.title,
                        "type": _CSV_TYPES[c.type],
                        "origin": "本站推算" if c.derived else "记录",
                        "description": c.description,
                    }
                    for c in t.columns
                ],
            }
            for t in TABLES
        ],
        # Safe: site_url() only passes plain http(s) addresses ([A-Za-z0-9._~%/:-]).
        "base": Markup(base + "data/" if base else "https://（本站地址）/data/"),
        # Safe: license URLs come from the constant table in common.
        "license": {"id": spdx, "url": Markup(license_url) if license_url else None, "title": license_title},
        "sample_notice": facts.settings.data.get("sample_notice", "本站数据为演示样例。"),
    }
    return markup_env().get_template("data/index.md.j2").render(**context)
