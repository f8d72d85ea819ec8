"""The validation stage: load, then schema, then the rules, for a whole registry.

Each file is read, checked against its schema and, for a center, against the record
rules on its own, so large registries spread that work over every core; the rules
across records run once all files are in. A caller that asked about some files only
sees their findings, but the registry is always validated whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .checks import CENTER_CHECKS, REGISTRY_CHECKS
from .findings import Finding, make
from .load import Document, read_record, record_files
from .model import Registry, build_registry, center_from
from .parallel import fork_map
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


_CHECKER = SchemaChecker()


def _check_file(file: Path, kind: str, shown_root: Path) -> tuple[Document | None, list[Finding]]:
    """One file through load, schema and record rules; the document only if it is well formed."""
    doc, findings = read_record(file, kind, shown_root)
    if doc is None:
        return None, findings
    problems = _CHECKER.check(doc)
    if problems:
        return None, [*findings, *problems]
    if kind == "center":
        center = center_from(doc)
        for check in CENTER_CHECKS:
            rule_id = rule_of(check).id
            findings.extend(make(rule_id, doc.path, *doc.mark(path), message) for path, message in check(center))
    doc.__dict__.pop("_root", None)  # the node graph (kept only to place findings) stays here
    return doc, findings


def validate_registry(registry_dir: Path, shown_root: Path) -> Validation:
    """Every finding for every file of the registry, sorted by file and line."""
    findings: list[Finding] = []
    valid: list[Document] = []
    unreadable: set[str] = set()
    files = list(record_files(registry_dir))
    for (file, _), (doc, problems) in zip(files, fork_map(lambda item: _check_file(*item, shown_root), files)):
        findings.extend(problems)
        if doc is None:
            unreadable.add(file.stem)
        else:
            valid.append(doc)
    registry = build_registry(valid, frozenset(unreadable))
    by_path = {doc.path: doc for doc in valid}
    for check in REGISTRY_CHECKS:
        rule_id = rule_of(check).id
        for record_path, path, message in check(registry):
            findings.append(make(rule_id, record_path, *by_path[record_path].mark(path), message))
    return Validation(registry, sorted(findings))
