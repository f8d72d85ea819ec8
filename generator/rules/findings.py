"""Findings and the three ways of printing them: text, GitHub annotations, JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from generator.rules.table import Severity, rule


@dataclass(frozen=True, order=True)
class Finding:
    """One message about one place in one file, tied to a rule of the rulebook."""

    path: str
    line: int
    col: int
    severity: str
    rule_id: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR.value

    @property
    def article(self) -> str | None:
        return rule(self.rule_id).article


def make(rule_id: str, path: str, line: int, col: int, message: str) -> Finding:
    """A finding whose severity is the rule's own."""
    return Finding(path, line, col, rule(rule_id).severity.value, rule_id, message)


def format_text(f: Finding) -> str:
    """`path:line:col: error [rule-id] message（第N条）`, as compilers and linters print."""
    return f"{f.path}:{f.line}:{f.col}: {f.severity} [{f.rule_id}] {f.message}{rule(f.rule_id).citation}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(f: Finding) -> str:
    """A workflow command that GitHub shows as an annotation on the file's line."""
    level = "error" if f.is_error else "warning"
    title = _escape_property(f"{f.rule_id}{rule(f.rule_id).citation}")
    props = f"file={_escape_property(f.path)},line={f.line},col={f.col},title={title}"
    return f"::{level} {props}::{_escape_data(f.message)}"


def format_json(findings: Iterable[Finding]) -> str:
    """All findings as one JSON document for tools."""
    rows = [dict(asdict(f), article=f.article) for f in findings]
    errors = sum(1 for r in rows if r["severity"] == Severity.ERROR.value)
    doc = {"errors": errors, "warnings": len(rows) - errors, "findings": rows}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True)


def summary(findings: list[Finding]) -> str:
    """The closing line: how many errors and warnings."""
    errors = sum(1 for f in findings if f.is_error)
    return f"{errors} 个错误，{len(findings) - errors} 个警告"
