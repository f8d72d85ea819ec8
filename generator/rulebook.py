"""The one table of rules: id, article, Chinese title, interpretation, severity, function.

Every module that applies a rule registers it here, so the validator's messages, the
site's rules page and the tests all read the same entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable


class Severity(str, Enum):
    """How a finding weighs: errors fail CI, warnings inform, derived rules only derive."""

    ERROR = "error"
    WARNING = "warning"
    DERIVED = "derived"


class Stage(str, Enum):
    """Where a rule is applied, in pipeline order."""

    FILE = "file"
    SCHEMA = "schema"
    RECORD = "record"
    REGISTRY = "registry"
    DERIVE = "derive"


STAGE_LABELS = {
    Stage.FILE: "文件与 YAML 格式",
    Stage.SCHEMA: "数据结构（JSON Schema）",
    Stage.RECORD: "单条记录",
    Stage.REGISTRY: "跨记录",
    Stage.DERIVE: "状态与期限推算",
}

SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.DERIVED: "推算"}


@dataclass(frozen=True)
class Rule:
    """One rule of the measures (or of the file format) as data."""

    id: str
    article: str | None
    title: str
    interpretation: str
    severity: Severity
    stage: Stage
    check: Callable[..., Any] | None = field(default=None, compare=False, repr=False)

    @property
    def citation(self) -> str:
        """The article in the form shown after every message, or '' for format rules."""
        return f"（{self.article}）" if self.article else ""


RULES: dict[str, Rule] = {}
_BY_FUNCTION: dict[Callable[..., Any], Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the table; an id may be registered once."""
    if rule.id in RULES:
        raise ValueError(f"rule {rule.id} registered twice")
    RULES[rule.id] = rule
    if rule.check is not None:
        _BY_FUNCTION[rule.check] = rule
    return rule


def define(
    rule_id: str,
    article: str | None,
    title: str,
    interpretation: str,
    severity: Severity,
    stage: Stage,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of `register` for rules applied by a function."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        register(Rule(rule_id, article, title, interpretation, severity, stage, fn))
        return fn

    return wrap


def rule(rule_id: str) -> Rule:
    """The registered rule with this id."""
    return RULES[rule_id]


def rule_of(fn: Callable[..., Any]) -> Rule:
    """The rule that a registered function applies."""
    return _BY_FUNCTION[fn]
