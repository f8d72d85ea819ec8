"""Findings and the three ways of printing them: text, GitHub annotations, JSON.

Whatever a finding carries (a file name, a quoted value) came from a pull request, so
every format prints it escaped: no line of output can be split, recoloured, reordered or
start with `::` (a GitHub workflow command). One file may hold thousands of mistakes;
`bounded` keeps the first `PER_FILE` of each file and says how many more there are, so
that CI annotations and the job summary stay readable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from itertools import groupby

from generator.rules.table import Severity, rule
from generator.rules.text import escape, escape_json

PER_FILE = 50


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


def bounded(findings: Iterable[Finding], per_file: int = PER_FILE) -> list[Finding]:
    """At most `per_file` findings of each file, then one that counts the rest.

    The count is an error when any of the rest is one, so that it fails CI as they would.
    The order of the files and of each file's findings is kept.
    """
    out: list[Finding] = []
    for path, group in groupby(findings, key=lambda f: f.path):
        items = list(group)
        out += items[:per_file]
        rest = items[per_file:]
        if rest:
            errors = sum(1 for f in rest if f.is_error)
            severity = Severity.ERROR if errors else Severity.WARNING
            message = (
                f"… 另有 {len(rest)} 条未列出（{errors} 个错误，{len(rest) - errors} 个警告）；修正上面的问题后再次校验"
            )
            out.append(Finding(path, rest[0].line, rest[0].col, severity.value, "findings.limit", message))
    return out


def format_text(f: Finding) -> str:
    """`path:line:col: error [rule-id] message（第N条）`, as compilers and linters print, on one line."""
    return escape(f"{f.path}:{f.line}:{f.col}: {f.severity} [{f.rule_id}] {f.message}{rule(f.rule_id).citation}")


def _escape_data(value: str) -> str:
    """GitHub's escapes for a command's data, then any other control shown as an escape."""
    return escape(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(f: Finding) -> str:
    """A workflow command that GitHub shows as an annotation on the file's line."""
    level = "error" if f.is_error else "warning"
    title = _escape_property(f"{f.rule_id}{rule(f.rule_id).citation}")
    props = f"file={_escape_property(f.path)},line={f.line},col={f.col},title={title}"
    return f"::{level} {props}::{_escape_data(f.message)}"


def format_json(findings: list[Finding]) -> str:
    """The findings as one JSON document for tools: counts of all, the rows `bounded`.

    Values stay exact: what `escape` would change is written as JSON's own \\u escape.
    """
    rows = [dict(asdict(f), article=f.article) for f in bounded(findings)]
    errors = sum(1 for f in findings if f.is_error)
    doc = {"errors": errors, "warnings": len(findings) - errors, "findings": rows}
    return escape_json(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))


def summary(findings: list[Finding]) -> str:
    """The closing line: how many errors and warnings (all of them, listed or not)."""
    errors = sum(1 for f in findings if f.is_error)
    return f"{errors} 个错误，{len(findings) - errors} 个警告"


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., object]] = {"findings.limit": bounded}
