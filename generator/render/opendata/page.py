"""data/index.md, the 数据下载 page: the files with their sizes, the data dictionary, examples.

Sizes come from the bytes just produced; the dictionary comes from the published schemas
and the column table, so the page describes exactly what is served. Every value reaches
the Markdown through markup_env(), whose finalize escapes it (escape_text); the only
values marked safe are the site address (checked against a plain-URL pattern) in the
code examples and the page's own constant texts, whose `code` parts become <code>
(code_spans).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from generator.derive.facts import RegistryFacts
from generator.render import links
from generator.render.env import markup_env
from generator.render.opendata.common import code_spans, license_info, site_url
from generator.render.opendata.schemas import (
    CENTER_SCHEMA,
    CENTERS_SCHEMA,
    HEADER,
    NOTICES_SCHEMA,
    RECORD_SCHEMAS,
    load_record_schema,
)
from generator.render.opendata.tables import TABLES
from generator.render.opendata.versions import DATA_VERSION

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

#: What each data file is and one thing to do with it, in the order the page lists them.
FILES = (
    (
        "data/centers.csv",
        "CSV",
        "中心一览：每个中心一行，含状态、下一期限、最近考核、经费与提示（UTF-8 带 BOM，Excel 可直接打开）",
        "哪些中心有逾期未办的事项：筛选 `next_deadline_state` 为 `overdue`；按 `location` 统计各县（市、区）的中心数。",
    ),
    (
        "data/deadlines.csv",
        "CSV",
        "期限：每个中心的每项期限一行，含已完成的；`uid` 是期限的稳定标识",
        "列出 90 天内到期的期限：筛选 `state` 为 `open` 且 `days` 不大于 90，按 `due` 排序。",
    ),
    (
        "data/events.csv",
        "CSV",
        "事件记录：每个中心的每条事件一行（批准、验收、考核、延期、撤销……），附文号、文件标题或网址",
        "列出全部撤销及其文号与原因：筛选 `kind` 为 `revocation`，看 `source_document_number`、`reason`、`article`。",
    ),
    (
        "data/notices.csv",
        "CSV",
        "公示：每份公示名单中的每个中心一行，含公示期、状态与公示结果",
        "某个中心上过哪些公示：筛选 `center_id`；全部拟撤销名单：筛选 `subject` 为“拟撤销”。",
    ),
    (
        "data/assessments.csv",
        "CSV",
        "年度绩效考核：每个中心每个考核年度一行",
        "某年度各等次的中心数：按 `year` 筛选，再按 `grade` 计数。",
    ),
    (
        "data/units.csv",
        "CSV",
        "归口管理单位名录：每个单位一行，含曾用名；`id` 是单位的稳定标识，更名后不变",
        "各归口管理单位管着哪些中心：把 `centers.csv` 的 `supervising_unit_id` 与这里的 `id` 对应，按单位计数。",
    ),
    (
        "data/centers.xlsx",
        "Excel",
        "以上六张表的 Excel 工作簿；“说明”工作表写明数据截至日期、是否演示数据与格式版本",
        "不写程序也能用：在“中心”工作表的表头用筛选按钮选出想看的状态或所在地。",
    ),
    (
        "data/datapackage.json",
        "JSON",
        "Frictionless 数据包描述：每个文件的说明、大小与校验值，每张 CSV 的字段、类型、主键与外键",
        "`frictionless validate datapackage.json` 一次校验全部文件；数据分析工具可据此按正确的类型读入各列。",
    ),
    (
        "data/centers.json",
        "JSON",
        "全部中心的完整记录与推算结果（状态沿革、期限、考核、经费、提示）",
        "程序按字段读取：`jq '.centers[] | select(.status.key == \"operating\") | .name' centers.json` 列出已认定运行的中心。",
    ),
    (
        "data/notices.json",
        "JSON",
        "全部公示：名单、公示期、状态与公示结果",
        "找出正在公示的名单：选出 `state` 为 `active` 的公示，`working_days_left` 是剩余工作日。",
    ),
    (
        "data/notices.xml",
        "Atom",
        "公示订阅源：每份公示一个条目，公示结果公布后条目随之更新",
        "在 RSS 阅读器中订阅，发布新公示或公布公示结果时收到通知。",
    ),
    (
        "data/centers.atom",
        "Atom",
        "中心动态订阅源：最近新增或有变化的 100 个中心，每个中心一个条目",
        "在 RSS 阅读器中订阅，任何中心新增事件或状态变化时收到通知。",
    ),
    (
        "data/deadlines.ics",
        "iCalendar",
        "全部未完成期限的日历：每项期限一个全天事件，到期前 30 天、7 天提醒",
        "在手机日历、Outlook 或其他日历应用中“按网址订阅”，到期前自动提醒；事件标识即 `deadlines.csv` 的 `uid`。",
    ),
    (
        "data/changelog.md",
        "页面",
        "数据格式变更记录：每个版本改了哪些字段、文件",
        "程序读取时检查 JSON 的 `version` 或数据包的 `version`：主版本号变了，先读变更记录再用。",
    ),
)


def size_text(size: int) -> str:
    return f"{size} 字节" if size < 1024 else f"{size / 1024:.1f} KB（{size:,} 字节）"


def _type_of(node: dict[str, Any]) -> str:
    if "enum" in node:
        return "取值之一"
    if "const" in node:
        return "固定值"
    if node.get("format") == "date" or node.get("$ref", "").endswith("/date"):
        return "日期"
    kind = node.get("type")
    if isinstance(kind, list):
        return "或".join(_TYPES.get(k, str(k)) for k in kind)
    if kind:
        return _TYPES.get(kind, kind)
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
        if "const" in node:
            description = f"{description}本版本为 {node['const']}。"
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


def _event_rows(schema: dict[str, Any]) -> Iterator[dict[str, str]]:
    """The fields of `events[]`: an event's fields depend on its kind (the record schema's
    `if kind … then` branches), so each field once, with the kinds that have it."""
    kinds: dict[str, list[str]] = {}
    nodes: dict[str, list[dict[str, Any]]] = {}
    for branch in schema["$defs"]["event"]["allOf"]:
        kind = branch["if"]["properties"]["kind"]["const"]
        for name, node in _resolve(branch["then"], schema)["properties"].items():
            if name != "kind":  # the kind itself is listed with the event
                kinds.setdefault(name, []).append(kind)
                nodes.setdefault(name, []).append(_resolve(node, schema))
    everywhere = len(schema["$defs"]["event"]["allOf"])
    for name in sorted(kinds, key=lambda n: (-len(kinds[n]), n)):  # the fields every event has first
        where = "所有事件" if len(kinds[name]) == everywhere else "、".join(kinds[name]) + " 事件"
        titles = list(dict.fromkeys(n.get("title", "") for n in nodes[name]))  # one field, several meanings
        for row in _rows({name: nodes[name][0]}, schema, "events[]."):
            if row["name"] == f"events[].{name}":
                row = {**row, "title": "／".join(titles), "description": f"{row['description']}（{where}）"}
            yield row


def render_index(facts: RegistryFacts, files: dict[str, bytes], schemas: dict[str, dict[str, Any]]) -> str:
    centers_schema = schemas[CENTERS_SCHEMA]
    notices_schema = schemas[NOTICES_SCHEMA]
    center_record = load_record_schema("center.schema.json")
    notice_record = load_record_schema("notice.schema.json")
    spdx, license_url, license_title = license_info(facts)
    base = site_url(facts)
    by_county: dict[str, int] = {}  # open deadlines per location
    for c in facts.centers:
        location = c.center.data["location"]
        by_county[location] = by_county.get(location, 0) + len(c.open_deadlines)
    context = {
        "facts": facts,
        "files": [
            {
                "name": path.removeprefix("data/"),
                "format": fmt,
                "what": code_spans(what),
                "example": code_spans(example),
                "size": "—" if path.endswith(".md") else size_text(len(files[path])),  # a page, not a download
            }
            for path, fmt, what, example in FILES
        ],
        "counties": [
            (name, links.county_calendar(name).removeprefix("data/"), by_county.get(name, 0))
            for name in links.COUNTY_NAMES
        ],
        "version": DATA_VERSION,
        "schemas": [
            {"name": name, "title": schema_title, "size": size_text(len(files[f"schema/{name}"]))}
            for name, schema_title in (
                (CENTERS_SCHEMA, "data/centers.json 的结构"),
                (CENTER_SCHEMA, "data/centers/<标识>.json 的结构"),
                (NOTICES_SCHEMA, "data/notices.json 的结构"),
                *((n, "名录记录的结构（registry/ 中的 YAML 文件）") for n in RECORD_SCHEMAS),
            )
        ],
        "center_record_fields": [
            *_rows(center_record["properties"], center_record),
            *_event_rows(center_record),
        ],
        "center_derived_fields": list(
            _rows(centers_schema["$defs"]["center"]["properties"], centers_schema, skip_records=True)
        ),
        "header_fields": [  # the header's fields, nested ones too (measures.number …)
            row for row in _rows(centers_schema["properties"], centers_schema) if row["name"].split(".")[0] in HEADER
        ],
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
                "foreign_keys": [f"{c} → {other}.csv 的 {target}" for c, other, target in t.foreign_keys],
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
