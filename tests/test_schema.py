"""The JSON Schemas: Chinese messages with the offending line, documented fields, and the
fast validator (jsonschema-rs) agreeing with python-jsonschema.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from generator.records.load import parse
from tests.support import ROOT, Registry, dump_yaml, line_of

SCHEMA_DIR = ROOT / "schema"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = (
    "is not",
    "is a required",
    "does not",
    "Additional properties",
    "should",
    "was expected",
    "is too",
    "is less",
    "is greater",
    "valid under",
    "Failed validating",
)


def _schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _validators(kind: str) -> tuple[Any, jsonschema.Draft202012Validator]:
    schema = _schema(kind)
    fast = jsonschema_rs.validator_for(schema, validate_formats=True)
    slow = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return fast, slow


# --- failing fixtures: a text edit of a sample file, and where the finding must be ---------

# name -> (kind, record id, old text, new text, needle on the expected line, after, message fragments)
FIXTURES: dict[str, tuple[str, str, str, str, str, str | None, tuple[str, ...]]] = {
    "missing-required": (
        "center",
        "sample-guangfu",
        "field: 新能源\n",
        "",
        "id: sample-guangfu",
        None,
        ("缺少必填字段", "field"),
    ),
    "missing-required-nested": (
        "center",
        "sample-guangfu",
        "  age_at_application: 44\n",
        "",
        "director:",
        None,
        ("缺少必填字段", "age_at_application"),
    ),
    "missing-required-in-event": (
        "center",
        "sample-guangfu",
        "    planned_end: 2026-10-15\n",
        "",
        "date: 2024-11-08",
        None,
        ("缺少必填字段", "planned_end"),
    ),
    "unknown-field": (
        "center",
        "sample-guangfu",
        "field: 新能源\n",
        "field: 新能源\nwebsite: https://example.org\n",
        "website:",
        None,
        ("不允许的字段", "website"),
    ),
    "unknown-field-in-event": (
        "center",
        "sample-guangfu",
        "    planned_end: 2026-10-15\n",
        "    planned_end: 2026-10-15\n    planned_start: 2024-11-08\n",
        "planned_start:",
        None,
        ("不允许的字段", "planned_start"),
    ),
    "bad-enum": (
        "center",
        "sample-guangfu",
        "category: 领域类",
        "category: 综合",
        "category: 综合",
        None,
        ("综合", "综合类", "领域类", "无效"),
    ),
    "bad-date-month": (
        "center",
        "sample-guangfu",
        "date: 2024-12-10",
        "date: 2024-13-01",
        "date: 2024-13-01",
        None,
        ("2024-13-01", "日期"),
    ),
    "bad-date-day": (
        "center",
        "sample-guangfu",
        "planned_end: 2026-10-15",
        "planned_end: 2026-02-29",
        "planned_end: 2026-02-29",
        None,
        ("2026-02-29", "日期"),
    ),
    "wrong-type": (
        "center",
        "sample-guangfu",
        "age_at_application: 44",
        "age_at_application: 四十四",
        "age_at_application:",
        None,
        ("整数", "四十四"),
    ),
    "wrong-type-quoted-number": (
        "center",
        "sample-guangfu",
        "age_at_application: 44",
        "age_at_application: '44'",
        "age_at_application:",
        None,
        ("整数",),
    ),
    "credit-code-letter-I": (
        "center",
        "sample-guangfu",
        "91140981MA0K1F006E",
        "91140981MA0K1I006E",
        "credit_code:",
        None,
        ("91140981MA0K1I006E", "格式不符", "I、O、S、V、Z"),
    ),
    "office-phone-mobile": (
        "center",
        "sample-guangfu",
        "office_phone: 0350-3030206",
        "office_phone: '13812345678'",
        "office_phone:",
        None,
        ("13812345678", "格式不符", "区号"),
    ),
    "office-phone-without-area-code": (
        "center",
        "sample-guangfu",
        "office_phone: 0350-3030206",
        "office_phone: '3030206'",
        "office_phone:",
        None,
        ("3030206", "格式不符"),
    ),
    "source-with-a-title-only": (
        "center",
        "sample-guangfu",
        "      document_number: 忻科发〔2024〕38号\n",
        "      title: 关于批准建设的通知\n",
        "source:",
        "kind: approval",
        ("至少填写以下字段之一", "document_number", "url", "notice"),
    ),
    "failed-expert-review-is-not-recorded": (
        "center",
        "sample-guangfu",
        "    result: 通过\n",
        "    result: 未通过\n",
        "result: 未通过",
        None,
        ("未通过", "通过", "无效"),
    ),
    "unknown-event-kind": (
        "center",
        "sample-guangfu",
        "kind: task_book",
        "kind: taskbook",
        "kind: taskbook",
        None,
        ("taskbook", "task_book"),
    ),
    "below-minimum": (
        "center",
        "sample-guangfu",
        "floor_area_m2: 980",
        "floor_area_m2: -1",
        "floor_area_m2:",
        None,
        ("不小于 0",),
    ),
    "null-for-text": (
        "center",
        "sample-guangfu",
        "field: 新能源",
        "field:",
        "field:",
        None,
        ("文字",),
    ),
    "notice-missing-objection": (
        "notice",
        "approval-2025",
        "objection: ",
        "objection_text: ",
        "id: approval-2025",
        None,
        ("缺少必填字段", "objection", "不允许的字段", "objection_text"),
    ),
    "notice-bad-subject": (
        "notice",
        "approval-2025",
        "subject: 拟批准建设",
        "subject: 批准建设",
        "subject:",
        None,
        ("批准建设", "拟批准建设"),
    ),
    "notice-contact-mobile": (
        "notice",
        "approval-2025",
        "office_phone: 0350-3030100",
        "office_phone: 138-1234-5678",
        "office_phone:",
        None,
        ("格式不符",),
    ),
    "settings-sample-data-not-boolean": (
        "registry",
        "registry",
        "sample_data: true",
        "sample_data: 是",
        "sample_data:",
        None,
        ("是非值",),
    ),
}


def _file(reg: Registry, kind: str, record_id: str) -> Path:
    return reg.dir / "registry.yaml" if kind == "registry" else reg.file(kind, record_id)


def _apply(reg: Registry, name: str) -> tuple[str, str]:
    kind, record_id, old, new, *_ = FIXTURES[name]
    path = _file(reg, kind, record_id)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture {name}: {old!r} must occur once"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    shown = "registry/registry.yaml" if kind == "registry" else reg.shown(kind, record_id)
    return text, shown


def _chinese(message: str) -> bool:
    return bool(CJK.search(message)) and not any(e in message for e in ENGLISH)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_schema_error_has_chinese_message_and_line(reg: Registry, name: str) -> None:
    *_, needle, after, fragments = FIXTURES[name]
    text, shown = _apply(reg, name)
    line, col = line_of(text, needle, after)
    findings = reg.validate()
    assert findings, "no finding"
    assert {(f.path, f.rule_id, f.severity) for f in findings} == {(shown, "schema", "error")}, findings
    assert findings[0].line == line and findings[0].col == col, findings
    for finding in findings:
        assert _chinese(finding.message), finding.message
        assert "\n" not in finding.message
    message = " ".join(f.message for f in findings)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_one_finding_per_schema_error(reg: Registry) -> None:
    """A wrong enum value gives one finding, not one per if/then branch of the event schema."""
    _apply(reg, "unknown-event-kind")
    assert len(reg.validate()) == 1


def test_type_error_shows_the_value_as_written(reg: Registry) -> None:
    """`field: true` is reported as true (YAML), not as Python's True; an empty value not as None."""
    path = reg.file("center", "sample-guangfu")
    path.write_text(path.read_text(encoding="utf-8").replace("field: 新能源", "field: true"), encoding="utf-8")
    (finding,) = reg.validate()
    assert "True" not in finding.message and "true" in finding.message
    path.write_text(path.read_text(encoding="utf-8").replace("field: true", "field:"), encoding="utf-8")
    (finding,) = reg.validate()
    assert "None" not in finding.message


# --- the schema documents themselves ------------------------------------------------------


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/"), f"only same-file references expected: {ref}"
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _documented(root: dict[str, Any], entry: dict[str, Any], key: str) -> str | None:
    """The entry's own title/description, else that of what it refers to."""
    seen = 0
    while True:
        if key in entry:
            return entry[key]
        target = entry.get("$ref")
        if target is None and len(entry.get("allOf", [])) == 1:
            target = entry["allOf"][0].get("$ref")
        if target is None or seen > 20:
            return None
        entry, seen = _resolve(root, target), seen + 1


def _property_entries(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every entry of every `properties`, recursively; conditions (`if`) are not field definitions."""
    if isinstance(node, dict):
        for name, entry in node.get("properties", {}).items():
            if isinstance(entry, dict):
                yield f"{where}/properties/{name}", entry
        for key, value in node.items():
            if key != "if":
                yield from _property_entries(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _property_entries(item, f"{where}/{i}")


@pytest.mark.parametrize("schema_file", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_chinese_title_and_description(schema_file: Path) -> None:
    root = json.loads(schema_file.read_text(encoding="utf-8"))
    entries = list(_property_entries(root))
    assert len(entries) >= 5
    missing = []
    for where, entry in entries:
        for key in ("title", "description"):
            text = _documented(root, entry, key)
            if not (isinstance(text, str) and CJK.search(text)):
                missing.append(f"{where}: {key}")
    assert missing == []


@pytest.mark.parametrize("schema_file", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12_with_id(schema_file: Path) -> None:
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://") and schema["$id"].endswith("/" + schema_file.name)
    assert CJK.search(schema["title"]) and CJK.search(schema["description"])


def test_schema_ids_are_distinct() -> None:
    ids = [json.loads(p.read_text(encoding="utf-8"))["$id"] for p in SCHEMA_FILES]
    assert len(set(ids)) == len(ids) == 6  # center, notice, registry, supervising units, calendar, measures


def test_sample_files_name_their_schema() -> None:
    for folder, schema in (("centers", "center"), ("notices", "notice")):
        for file in sorted((ROOT / "registry" / folder).glob("*.yaml")):
            first = file.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../../schema/{schema}.schema.json", file


def _sample(kind: str, record_id: str) -> dict[str, Any]:
    path = ROOT / "registry" / ("registry.yaml" if kind == "registry" else f"{kind}s/{record_id}.yaml")
    doc, problems = parse(path.read_bytes(), path.name, kind)
    assert doc is not None and not problems
    return doc.data


@pytest.mark.parametrize("bad", ["2024-13-01", "2023-02-29", "2024-04-31", "2024-00-10"])
def test_format_date_is_asserted(bad: str) -> None:
    data = _sample("center", "sample-guangfu")
    data["events"][0]["date"] = bad
    fast, slow = _validators("center")
    assert not fast.is_valid(data)
    assert not slow.is_valid(data)
    from generator.records.load import Document
    from generator.records.schema import SchemaChecker

    doc = Document("x.yaml", "center", data, dump_yaml(data))
    assert [f.rule_id for f in SchemaChecker().check(doc)] == ["schema"]


def test_format_date_accepts_29_february_of_a_leap_year() -> None:
    data = _sample("center", "sample-guangfu")
    data["events"][0]["date"] = "2024-02-29"
    fast, slow = _validators("center")
    assert fast.is_valid(data) and slow.is_valid(data)


def _sample_records() -> list[tuple[str, str]]:
    out = [("registry", "registry")]
    for folder, kind in (("centers", "center"), ("notices", "notice")):
        out += [(kind, p.stem) for p in sorted((ROOT / "registry" / folder).glob("*.yaml"))]
    return out


@pytest.mark.parametrize(("kind", "record_id"), _sample_records())
def test_validators_agree_on_samples(kind: str, record_id: str) -> None:
    fast, slow = _validators(kind)
    data = _sample(kind, record_id)
    assert fast.is_valid(data) is True
    assert slow.is_valid(data) is True


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_validators_agree_on_failing_fixtures(reg: Registry, name: str) -> None:
    kind = FIXTURES[name][0]
    text, _ = _apply(reg, name)
    doc, problems = parse(text.encode(), "x.yaml", kind)
    assert doc is not None and not problems
    fast, slow = _validators(kind)
    assert fast.is_valid(doc.data) is False
    assert slow.is_valid(doc.data) is False


# Values a person can write in YAML on which the two validators have been seen to disagree.
# Whichever answer is right, they must give the same one: the validator asks jsonschema-rs
# "valid?" and python-jsonschema "why?", so a disagreement either crashes a later stage
# (a date the model cannot parse) or lets an invalid record through without a finding.
EDGE_VALUES = {
    "date-year-zero": (("events", 0, "date"), "0000-01-01"),
    "email-chinese-local-part": (("contact", "email"), "张三@example.org"),
    "email-double-dot": (("contact", "email"), "a..b@example.org"),
    "phone-trailing-newline": (("contact", "office_phone"), "0350-3030206\n"),
}


@pytest.mark.parametrize("name", sorted(EDGE_VALUES))
def test_edge_values_rejected_with_a_finding(name: str) -> None:
    """Where the two libraries differ, a value either one rejects still gets a finding at its line.

    jsonschema-rs judges validity (ECMA regex: `$` does not match before a newline; strict
    e-mail); python-jsonschema explains; when it has nothing to say, jsonschema-rs's own
    message is reported.
    """
    from generator.records.load import Document
    from generator.records.schema import SchemaChecker

    path, value = EDGE_VALUES[name]
    data = copy.deepcopy(_sample("center", "sample-guangfu"))
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    fast, slow = _validators("center")
    assert not (fast.is_valid(data) and slow.is_valid(data)), "the edge value should be invalid"
    text = dump_yaml(data)
    findings = SchemaChecker().check(Document("c.yaml", "center", data, text))
    assert [f.rule_id for f in findings] == ["schema"]
    assert (findings[0].line, findings[0].col) == line_of(text, f"{path[-1]}:", after=f"{path[0]}:")
