"""The body of an issue filed through one of the repository's issue forms, as field values.

GitHub writes a form's answers into the issue body as Markdown: for each field, in the
form's order, a line ``### <label>``, a blank line, the answer (``_No response_`` when left
empty; ``- [X] …`` for a ticked box). The forms themselves (.github/ISSUE_TEMPLATE/*.yml)
say which labels to expect, so this module reads them rather than repeating them.

The body is written by anyone and is read as data only. A body is accepted only when its
headings are exactly one form's labels, each once and in order: an answer that contains a
line ``### 文号`` cannot smuggle in a field, it makes the body unreadable. Sizes are
bounded, control characters refused, and nothing here touches the file system beyond the
forms, or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FORMS_DIR = Path(__file__).resolve().parents[2] / ".github" / "ISSUE_TEMPLATE"
MAX_BODY = 65536  # GitHub's own limit for an issue body, in characters
NO_RESPONSE = "_No response_"
_HEADING = re.compile(r"### (.+?)[ \t]*")
_BOX = re.compile(r"^- \[([ xX])\] (.+?)[ \t]*$", re.M)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff]")


class FormError(Exception):
    """The body is not a form this repository knows, filled in as GitHub writes it."""


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: str
    required: bool
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    file: str  # the template's file name, e.g. import-assessment.yml
    name: str
    fields: tuple[Field, ...]

    @property
    def purpose(self) -> str:
        """propose-record, report-error or import-<kind>: what the body is turned into."""
        return self.file.removesuffix(".yml")


@dataclass(frozen=True)
class Answers:
    form: Form
    values: dict[str, str]  # field id → the answer ("" when left empty)
    ticked: dict[str, bool]  # checkbox field id → every required box ticked

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def _field(item: dict[str, Any]) -> Field | None:
    if item.get("type") == "markdown":
        return None
    attributes = item.get("attributes", {})
    options = attributes.get("options", [])
    labels = tuple(o["label"] if isinstance(o, dict) else str(o) for o in options)
    required = bool(item.get("validations", {}).get("required", False))
    return Field(str(item["id"]), str(attributes["label"]), str(item["type"]), required, labels)


def load_forms(folder: Path = FORMS_DIR) -> list[Form]:
    """Every issue form of the repository (config.yml is not one)."""
    forms = []
    for path in sorted(folder.glob("*.yml")):
        if path.name == "config.yml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        fields = tuple(f for f in (_field(item) for item in data["body"]) if f is not None)
        forms.append(Form(path.name, str(data["name"]), fields))
    return forms


def _sections(lines: list[str], labels: set[str]) -> list[tuple[str, int]]:
    return [(m.group(1), i) for i, line in enumerate(lines) if (m := _HEADING.fullmatch(line)) and m.group(1) in labels]


def parse(body: str, forms: list[Form]) -> Answers:
    """The answers of the one form whose labels are the body's headings, in order."""
    if len(body) > MAX_BODY:
        raise FormError(f"议题内容超过 {MAX_BODY} 个字符")
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        raise FormError(f"议题内容含有控制字符 U+{ord(bad.group()):04X}")
    lines = text.split("\n")
    every = {f.label for form in forms for f in form.fields}
    found = _sections(lines, every)
    for form in forms:
        labels = [f.label for f in form.fields]
        if [label for label, _ in found] == labels:
            return _answers(form, lines, found)
    raise FormError("议题内容不是本仓库的某个表单（标题缺失、重复或顺序不对）：请用议题表单重新提交")


def _answers(form: Form, lines: list[str], found: list[tuple[str, int]]) -> Answers:
    values: dict[str, str] = {}
    ticked: dict[str, bool] = {}
    ends = [i for _, i in found[1:]] + [len(lines)]
    for field, (_, start), end in zip(form.fields, found, ends):
        value = "\n".join(lines[start + 1 : end]).strip()
        if value == NO_RESPONSE:
            value = ""
        if field.type == "checkboxes":
            checked = {label for mark, label in _BOX.findall(value) if mark in "xX"}
            ticked[field.id] = all(option in checked for option in field.options)
        elif field.type == "dropdown" and value and value not in field.options:
            raise FormError(f"“{field.label}”的取值不是表单中的选项")
        if field.required and not value:
            raise FormError(f"必填项“{field.label}”没有填写")
        values[field.id] = value
    return Answers(form, values, ticked)
