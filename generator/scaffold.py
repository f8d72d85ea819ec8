"""`python -m generator new center|notice`: a new record file with every required field stubbed.

The stub is made from the JSON Schema itself: each required property (and, inside a
required object or a required non-empty list, its own required properties) becomes a line
``key: ""`` under a Chinese comment taken from the schema's title and description, with
the allowed values of an enum. An empty string fails the schema for every such field
(minLength, pattern, enum or type), so `python -m generator validate` points at each blank
by its line until it is filled; filled with sensible values, the record validates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from generator.records.load import KINDS, SCHEMA_LINES
from generator.records.schema import SCHEMA_DIR

FOLDERS = {kind: folder for folder, kind in KINDS.items()}  # center → centers, notice → notices
BLANK = '""'
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TYPE_WORDS = {"integer": "整数", "number": "数字", "boolean": "true 或 false", "string": "文字"}


@dataclass(frozen=True)
class IdPattern:
    """How automatic ids of one kind look: `<prefix>-<year>-<number>`."""

    prefix: str
    digits: int

    def regex(self, year: int) -> re.Pattern[str]:
        return re.compile(rf"^{re.escape(self.prefix)}-{year}-(\d{{{self.digits}}})$")

    def format(self, year: int, number: int) -> str:
        return f"{self.prefix}-{year}-{number:0{self.digits}d}"


ID_PATTERNS = {"center": IdPattern("tic", 3), "notice": IdPattern("notice", 2)}


class ScaffoldError(Exception):
    """A request that cannot be carried out as given (exit status 2)."""


# --- the next free id -------------------------------------------------------------------


def next_id(registry: Path, kind: str, year: int) -> str:
    """The next automatic id of `kind` for `year`: one more than the highest in use.

    Gaps are not reused: an id may have belonged to a record that was deleted, and ids
    stay stable in links and open data.
    """
    pattern = ID_PATTERNS[kind]
    regex = pattern.regex(year)
    folder = registry / FOLDERS[kind]
    used = [
        int(match.group(1))
        for file in (folder.iterdir() if folder.is_dir() else ())
        if file.suffix == ".yaml" and (match := regex.match(file.stem))
    ]
    number = max(used, default=0) + 1
    if number >= 10**pattern.digits:
        raise ScaffoldError(
            f"{year} 年的自动编号已用完（{pattern.format(year, 10**pattern.digits - 1)}）；请用 --id 指定标识"
        )
    return pattern.format(year, number)


# --- the stub text ----------------------------------------------------------------------


def load_schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """A schema node with its local `$ref`s and `allOf` parts merged; the node's own keys win."""
    out = dict(node)
    while "$ref" in out:
        ref = out.pop("$ref")
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref}")
        target = root["$defs"][ref.removeprefix("#/$defs/")]
        out = {**target, **out}
    for part in out.pop("allOf", []):
        part = _resolve(part, root)
        if "properties" in part:
            out["properties"] = {**part["properties"], **out.get("properties", {})}
        if "required" in part:
            out["required"] = list(dict.fromkeys([*out.get("required", []), *part["required"]]))
    return out


def _comment(key: str, node: Mapping[str, Any], indent: str, extra: str = "") -> str:
    """`# 标题：说明可选值：…` for one field (the key is on the next line)."""
    text = f"{indent}# {node.get('title', key)}："
    if node.get("description"):
        text += node["description"]
    if "enum" in node:
        text += f"可选值：{'、'.join(map(str, node['enum']))}"
    elif node.get("type") in ("integer", "number", "boolean"):
        text += f"填写{_TYPE_WORDS[node['type']]}（不加引号）"
    return text + extra


def _is_object(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "object" or "properties" in node


def _stub(node: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> list[str]:
    """Lines for every required property of an object node, at `depth` levels of indent."""
    indent = "  " * depth
    lines: list[str] = []
    properties = node.get("properties", {})
    for key in node.get("required", []):
        prop = _resolve(properties.get(key, {}), root)
        lines.append(_comment(key, prop, indent))
        if _is_object(prop):
            lines.append(f"{indent}{key}:")
            lines += _stub(prop, root, depth + 1)
        elif prop.get("type") == "array":
            lines.append(f"{indent}{key}:")
            lines += _stub_item(_resolve(prop.get("items", {}), root), root, depth + 1)
        else:
            lines.append(f"{indent}{key}: {BLANK}")
    return lines


def _stub_item(item: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> list[str]:
    """One list item: a mapping of its required fields, or a single blank value."""
    indent = "  " * depth
    if not _is_object(item):
        return [f"{indent}- {BLANK}"]
    lines = _stub(item, root, depth + 1)
    if not any(not line.lstrip().startswith("#") for line in lines):
        return [f"{indent}- {{}}"]
    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    for i in range(first):  # the first key's comments sit above the dash
        lines[i] = indent + lines[i].lstrip()
    lines[first] = f"{indent}- {lines[first].lstrip()}"
    return lines


def _optional_note(schema: Mapping[str, Any], kind: str) -> list[str]:
    """A closing comment naming the optional fields, so nobody has to open the schema."""
    required = set(schema.get("required", []))
    names = [f"{key}（{prop.get('title', key)}）" for key, prop in schema["properties"].items() if key not in required]
    if not names:
        return []
    return [
        "",
        f"# 可按需补充的字段（结构与说明见 schema/{kind}.schema.json，编辑器会据此提示）：",
        f"# {'、'.join(names)}",
    ]


def _center_events(schema: Mapping[str, Any], as_of: dt.date) -> list[str]:
    events = _resolve(schema["properties"]["events"], schema)
    return [
        _comment("events", events, ""),
        "events:",
        "  # 日期：已按推算日期填为申请日期，请改为实际提交申请（申请书）的日期，格式 YYYY-MM-DD。",
        f"  - date: {as_of.isoformat()}",
        "    # 事件类型：application 即提交申请（第十二条）。此后按程序在下面追加推荐（recommendation）、",
        "    # 专家评审（expert_review）、公示（publicity）、批准建设（approval）等事件，按日期先后排列。",
        "    kind: application",
    ]


def render_stub(kind: str, record_id: str, as_of: dt.date) -> str:
    """The text of a new record of `kind` with id `record_id`."""
    schema = load_schema(kind)
    what = {"center": "中心", "notice": "公示"}[kind]
    lines = [
        SCHEMA_LINES[kind],
        f'# 新建的{what}记录（{schema.get("title", kind)}）。每个 "" 都是待填写的必填项：在引号内填写，',
        "# 或删去引号直接写值；全部填好之前，python -m generator validate 会逐行指出未填写的字段。",
    ]
    body = dict(schema["properties"].items())
    required = [key for key in schema["required"] if key not in ("id", "events")]
    lines.append(_comment("id", _resolve(body["id"], schema), ""))
    lines.append(f"id: {record_id}")
    lines += _stub({"properties": body, "required": required}, schema, 0)
    if kind == "center" and "events" in schema["required"]:
        lines += _center_events(schema, as_of)
    lines += _optional_note(schema, kind)
    return "\n".join(lines) + "\n"


# --- the command ------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind",
        choices=("center", "notice"),
        metavar="{center,notice}",
        help="新建的记录种类：center（中心，写入 centers/）或 notice（公示，写入 notices/）",
    )
    parser.add_argument(
        "--id",
        dest="record_id",
        metavar="ID",
        help="记录标识（小写字母、数字与连字符）；默认自动编号：中心为 tic-<年份>-<三位序号>，"
        "公示为 notice-<年份>-<两位序号>，年份取推算日期所在年",
    )
    if parser.epilog is None:
        parser.epilog = (
            '新记录的每个必填字段都写成 ""，注释说明含义与可选值；中心另有一条日期为推算日期的申请事件。'
            "填写前 validate 会逐行报错。已存在的文件不会被覆盖。退出状态：0 已新建；2 参数无效或文件已存在。"
        )


def run(args: argparse.Namespace) -> int:
    try:
        path = _create(args)
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except FileExistsError as exc:
        print(f"错误：{exc.filename} 已存在，不会覆盖", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"错误：无法写入记录文件：{exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已新建：{path}")
    print(
        f'下一步：编辑该文件，填写每个 "" 空白（注释说明了各字段的含义与可选值），'
        f"然后运行 python -m generator validate {path} 检查，直到没有错误。"
    )
    return EXIT_OK


def _create(args: argparse.Namespace) -> Path:
    registry: Path = args.registry
    if not registry.is_dir():
        raise ScaffoldError(f"找不到名录目录：{registry}")
    as_of: dt.date = args.as_of  # resolved by the command line (cli.main)
    kind: str = args.kind
    record_id = args.record_id or next_id(registry, kind, as_of.year)
    if not SLUG.match(record_id) or not 3 <= len(record_id) <= 64:
        raise ScaffoldError(
            f"标识“{record_id}”无效：只能用小写字母、数字和单个连字符（如 tic-2026-001），3 至 64 个字符"
        )
    folder = registry / FOLDERS[kind]
    path = folder / f"{record_id}.yaml"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} 已存在，不会覆盖；请换一个 --id，或直接编辑该文件")
    folder.mkdir(exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite, even in a race
        out.write(render_stub(kind, record_id, as_of))
    return path
