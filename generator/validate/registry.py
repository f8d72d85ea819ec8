"""The validation stage: load, then schema, then the rules, for a whole registry.

Each file is read, checked against its schema and, for a center, against the record
rules on its own, so large registries spread that work over every core; the rules
across records run once all files are in. A caller that asked about some files only
sees their findings, but the registry is always validated whole.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from generator.records.book import Book
from generator.records.load import Document, read_shown, shown_files
from generator.records.model import Registry, book_from, build_registry, center_from
from generator.records.schema import SchemaChecker
from generator.rules.findings import Finding, make
from generator.runtime.gcpause import gc_paused
from generator.runtime.parallel import fork_map
from generator.validate.checks import CENTER_CHECKS, DATED_REGISTRY_CHECKS, REGISTRY_CHECKS


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
_CENTER_RULES = tuple(CENTER_CHECKS.items())
FileResult = tuple[Document | None, list[Finding]]

# --- the file cache -----------------------------------------------------------------
# `mkdocs serve` keeps one process alive and regenerates after every edit; a file whose
# `lstat` is unchanged gives the same result, so its load, schema and record checks are
# skipped. The key is the file (absolute path, kind, shown path) and the value is kept
# with the file's size, mtime, ctime, inode and device: any write changes one of them.
# A file changed less than RACY_NS before the run started is not cached: a second write
# within the timestamps' granularity could keep every field the same. Only regular files
# are cached. The cache is the caller's (the MkDocs plugin keeps one per server), never
# this module's, and it belongs to this module's checker and rules (see _code_identity).
RACY_NS = 2_000_000_000


class FileCache:
    """Each unchanged file's result from an earlier validation in this process."""

    def __init__(self) -> None:
        self.results: dict[tuple[str, str, str], tuple[tuple[int, ...], FileResult]] = {}
        self.identity: tuple[int, ...] = ()


def _code_identity() -> tuple[int, ...]:
    return (id(_CHECKER), id(CENTER_CHECKS), *map(id, CENTER_CHECKS.values()))


def _signature(info: os.stat_result | None) -> tuple[int, ...] | None:
    if info is None or not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


def _check_file(
    file: Path, kind: str, shown: str, info: os.stat_result | None = None, book: Book | None = None
) -> FileResult:
    """One file through load, schema and record rules; the document only if it is well formed.

    A center is checked against `book`, the measures of its registry: which rules judge a
    fact depends on the measures in force on its date."""
    doc, findings = read_shown(file, kind, shown, info)
    if doc is None:
        return None, findings
    problems = _CHECKER.check(doc)
    if problems:
        return None, [*findings, *problems]
    if kind == "center":
        center = center_from(doc, book)
        for rule_id, check in _CENTER_RULES:
            for path, message in check(center):
                findings.append(make(rule_id, doc.path, *doc.mark(path), message))
    doc.__dict__.pop("_root", None)  # the node graph (kept only to place findings) stays here
    return doc, findings


def _check_files(files: list[tuple[Path, str, str]], cache: FileCache, book: Book | None = None) -> list[FileResult]:
    """`_check_file` for every file, reusing the cached result of each unchanged one.

    A cached result holds for the book it was checked with: new measures check every center again."""
    if _code_identity() != cache.identity:
        cache.results.clear()
        cache.identity = _code_identity()
    started = time.time_ns()
    cwd = os.getcwd()
    salt = hash(book)
    keys, infos, signatures = [], [], []
    results: list[FileResult | None] = []
    todo: list[int] = []
    for i, (file, kind, shown) in enumerate(files):
        try:
            info: os.stat_result | None = os.lstat(file)
        except OSError:
            info = None
        key = (os.path.join(cwd, file), kind, shown)
        signature = _signature(info)
        if signature is not None:
            signature = (*signature, salt)
        cached = cache.results.get(key)
        keys.append(key)
        infos.append(info)
        signatures.append(signature)
        if signature is not None and cached is not None and cached[0] == signature:
            results.append(cached[1])
        else:
            results.append(None)
            todo.append(i)
    for i, result in zip(todo, fork_map(lambda i: _check_file(*files[i], infos[i], book), todo)):
        results[i] = result
        signature = signatures[i]
        if signature is not None and max(signature[1], signature[2]) < started - RACY_NS:
            cache.results[keys[i]] = (signature, result)
        else:
            cache.results.pop(keys[i], None)
    return results  # type: ignore[return-value]


def validate_registry(
    registry_dir: Path, shown_root: Path, cache: FileCache | None = None, today: dt.date | None = None
) -> Validation:
    """Every finding for every file of the registry, sorted by file and line.

    `cache`: results of earlier validations in this process, kept up to date (a long-lived
    process passes the same one each time); without it every file is read. With `today`
    (the command line's one reading of the clock), dates are also checked against the
    calendar (DATED_REGISTRY_CHECKS: nothing recorded far in the future).
    """
    with gc_paused():
        return _validate(registry_dir, shown_root, FileCache() if cache is None else cache, today)


def _validate(registry_dir: Path, shown_root: Path, cache: FileCache, today: dt.date | None) -> Validation:
    findings: list[Finding] = []
    valid: list[Document] = []
    unreadable: set[str] = set()
    everything = shown_files(registry_dir, shown_root)
    # The measures come first: the center rules need to know which measures govern each date.
    first = [f for f in everything if f[1] == "measures"]
    files = first + [f for f in everything if f[1] != "measures"]
    checked = _check_files(first, cache)
    book = book_from([doc for doc, _ in checked if doc is not None])
    checked += _check_files(files[len(first) :], cache, book)
    for (file, _, _), (doc, problems) in zip(files, checked):
        findings.extend(problems)
        if doc is None:
            unreadable.add(file.stem)
        else:
            valid.append(doc)
    registry = build_registry(valid, frozenset(unreadable))
    by_path = {doc.path: doc for doc in valid}
    for rule_id, check in REGISTRY_CHECKS.items():
        for record_path, path, message in check(registry):
            doc = by_path.get(record_path)  # None: a file that does not exist, such as a missing registry.yaml
            findings.append(make(rule_id, record_path, *(doc.mark(path) if doc else (1, 1)), message))
    if today is not None:
        for rule_id, dated in DATED_REGISTRY_CHECKS.items():
            for record_path, path, message in dated(registry, today):
                findings.append(make(rule_id, record_path, *by_path[record_path].mark(path), message))
    for doc in valid:
        doc.__dict__.pop("_root", None)  # placed; a cached document keeps only its text
    return Validation(registry, sorted(findings))
