"""Validate documents against the JSON Schemas in schema/, with Chinese messages and lines.

jsonschema-rs answers "is this valid?" fast; python-jsonschema explains the few documents
that are not, because its errors carry the path we turn into a line number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

from generator.records.load import Document, JsonPath
from generator.rules.findings import Finding, make
from generator.rules.links import deceptive_link
from generator.rules.text import quoted

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
#: The schema of each record kind, in schema/ (file names are also URLs: no underscores).
SCHEMA_FILES = {
    "center": "center.schema.json",
    "notice": "notice.schema.json",
    "registry": "registry.schema.json",
    "supervising_units": "supervising-units.schema.json",
    "calendar": "calendar.schema.json",
    "measures": "measures.schema.json",
}
_TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是非值（true 或 false）",
    "object": "映射（键: 值）",
    "array": "列表",
    "null": "空值",
}
_FORMAT_NAMES = {"date": "有效日期（YYYY-MM-DD）", "email": "电子邮箱", "uri": "网址"}


def _as_written(value: Any) -> str:
    """A value the way YAML shows it, not Python's repr: escaped, on one line, shortened."""
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "映射" if isinstance(value, dict) else "列表"
    return quoted(value)


def _type_of(value: Any) -> str:
    for name, kind in (
        ("boolean", bool),
        ("integer", int),
        ("number", float),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, kind):
            return _TYPE_NAMES[name]
    return _TYPE_NAMES["null"]


def _show(path: JsonPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{quoted(part)}" if out else quoted(part))
    return out or "（顶层）"


def _explain(error: jsonschema.ValidationError) -> tuple[JsonPath, str]:
    """A Chinese sentence for one error and the path whose line it belongs to."""
    path: JsonPath = tuple(error.absolute_path)
    # A reported error has all of these; jsonschema's types allow them to be unset.
    value: Any = error.instance
    kind: Any = error.validator
    expected: Any = error.validator_value
    schema: Any = error.schema
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return path, f"{_show(path)}：缺少必填字段 {'、'.join(missing)}"
    if kind == "additionalProperties" and isinstance(value, dict):
        allowed = schema.get("properties", {})
        extra = sorted(k for k in value if k not in allowed)
        return path + (extra[0],), f"{_show(path + (extra[0],))}：不允许的字段（可用字段：{'、'.join(allowed)}）"
    if kind == "enum":
        return path, f"{_show(path)}：取值“{_as_written(value)}”无效，应为以下之一：{'、'.join(map(str, expected))}"
    if kind == "type":
        wanted = "或".join(_TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return path, f"{_show(path)}：应为{wanted}，实际是{_type_of(value)}“{_as_written(value)}”"
    if kind == "format":
        why = deceptive_link(value) if expected == "uri" and isinstance(value, str) else None
        reason = f"：{why}" if why else ""
        return path, f"{_show(path)}：“{_as_written(value)}”不是{_FORMAT_NAMES.get(expected, expected)}{reason}"
    if value == "" and kind in ("pattern", "minLength", "format"):
        return path, f"{_show(path)}：不能为空，请填写"
    if kind == "pattern":
        why = deceptive_link(value) if isinstance(value, str) and value.startswith(("http://", "https://")) else None
        hint = why or schema.get("description") or f"须符合 {expected}"
        return path, f"{_show(path)}：“{_as_written(value)}”格式不符：{hint}"
    limits = {
        "minLength": f"至少 {expected} 个字符",
        "maxLength": f"最多 {expected} 个字符",
        "minimum": f"不小于 {expected}",
        "maximum": f"不大于 {expected}",
        "exclusiveMinimum": f"大于 {expected}",
        "minItems": f"至少 {expected} 项",
        "maxItems": f"最多 {expected} 项",
        "minProperties": f"至少填写 {expected} 个字段",
    }
    if kind in limits:
        return path, f"{_show(path)}：应{limits[kind]}"
    if kind in ("anyOf", "oneOf") and all(isinstance(o, dict) and "required" in o for o in expected):
        names = "、".join(k for o in expected for k in o["required"])
        return path, f"{_show(path)}：至少填写以下字段之一：{names}"
    if kind in ("anyOf", "oneOf"):
        return path, f"{_show(path)}：应为文字或文字列表"
    return path, f"{_show(path)}：{quoted(error.message, 200)}"


class SchemaChecker:
    """Both validators for each record kind, built once and reused for every file."""

    def __init__(self, schema_dir: Path = SCHEMA_DIR) -> None:
        self.schema_dir = schema_dir

    @cached_property
    def schemas(self) -> dict[str, dict[str, Any]]:
        return {
            kind: json.loads((self.schema_dir / name).read_text(encoding="utf-8"))
            for kind, name in SCHEMA_FILES.items()
        }

    @cached_property
    def _fast(self) -> dict[str, Any]:
        return {k: jsonschema_rs.validator_for(s, validate_formats=True) for k, s in self.schemas.items()}

    @cached_property
    def _explaining(self) -> dict[str, jsonschema.Draft202012Validator]:
        checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
        return {k: jsonschema.Draft202012Validator(s, format_checker=checker) for k, s in self.schemas.items()}

    def check(self, doc: Document) -> list[Finding]:
        """Findings for one document; empty when it is valid."""
        if self._fast[doc.kind].is_valid(doc.data):
            return []
        out: dict[JsonPath, Finding] = {}  # one message per path: a date gets format or pattern, not both
        for error in self._explaining[doc.kind].iter_errors(doc.data):
            for leaf in _leaves(error):
                path, message = _explain(leaf)
                if path not in out:
                    out[path] = make("schema", doc.path, *doc.mark(path), message)
        if not out:  # jsonschema-rs decides (ECMA regex, strict formats); say what it said
            for error in self._fast[doc.kind].iter_errors(doc.data):
                path = tuple(error.instance_path)
                out.setdefault(
                    path, make("schema", doc.path, *doc.mark(path), f"{_show(path)}：{quoted(error.message, 200)}")
                )
        return sorted(out.values())


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The most specific errors: if/then and allOf wrap the one a person needs to read."""
    if error.validator in ("allOf", "if", "then", "$ref") and error.context:
        return [leaf for sub in error.context for leaf in _leaves(sub)]
    if error.validator in ("anyOf", "oneOf") and error.context:
        if all(sub.validator == "required" for sub in error.context):  # "one of these fields": say so
            return [error]
        best = jsonschema.exceptions.best_match(error.context)
        return [best] if best.validator not in ("type",) else [error]
    return [error]


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "schema": SchemaChecker.check,
}
