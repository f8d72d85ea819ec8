"""The validation stage: load, then schema, then the rules, for a whole registry.

Cross-record rules need every record, so a registry is always validated whole; a caller
that asked about some files only sees their findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .checks import CENTER_CHECKS, REGISTRY_CHECKS
from .findings import Finding, make
from .load import Document, load_registry
from .model import Registry, build_registry
from .rulebook import rule_of
from .schema_check import SchemaChecker


@dataclass(frozen=True)
class Validation:
    """What validation found, and the typed registry of the records that are well formed."""

    registry: Registry
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_registry(registry_dir: Path, shown_root: Path, checker: SchemaChecker | None = None) -> Validation:
    """Every finding for every file of the registry, sorted by file and line."""
    documents, findings = load_registry(registry_dir, shown_root)
    checker = checker or SchemaChecker()
    valid: list[Document] = []
    unreadable = {PurePosixPath(f.path).stem for f in findings}
    for doc in documents:
        problems = checker.check(doc)
        findings.extend(problems)
        if problems:
            unreadable.add(doc.stem)
        else:
            valid.append(doc)
    registry = build_registry(valid, frozenset(unreadable))
    by_path = {doc.path: doc for doc in valid}
    for center in registry.centers:
        doc = by_path[center.path]
        for check in CENTER_CHECKS:
            rule_id = rule_of(check).id
            for path, message in check(center):
                findings.append(make(rule_id, doc.path, *doc.mark(path), message))
    for check in REGISTRY_CHECKS:
        rule_id = rule_of(check).id
        for record_path, path, message in check(registry):
            findings.append(make(rule_id, record_path, *by_path[record_path].mark(path), message))
    return Validation(registry, sorted(findings))
