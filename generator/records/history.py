"""Recent changes of the registry, read from Git when there is a repository.

History is an input like the records: the same commits give the same list. A tarball
without `.git` (or a machine without git) simply has no history to show.

History is also as hostile as the records: a commit subject may hold separators, control
characters or bytes that are not UTF-8, a date may lie centuries ahead, a path may hold
a tab or a newline. So `git log` is read with NUL between fields (which no subject or
path can hold), every text is decoded leniently and shown escaped, and a commit whose
date cannot be read is left out instead of failing the build.

The pages name each changed record in words, never by its path. A record still in the
registry is named by the registry; one that has since been deleted is named here, by the
name it last had in Git (the file as the commit left it, or before the commit deleted it).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from generator.records.load import KINDS, parse
from generator.rules.text import escape, quoted

SUBJECT_LIMIT = 200  # characters of a commit subject kept for the page
NAME_LIMIT = 200  # characters of a deleted record's last name kept for the page
BLOB_LIMIT = 1 << 20  # a record file is at most 1 MiB (rule file.too-large): a larger one is not read
NAME_FIELDS = {"centers": "name", "notices": "title", "measures": "title"}  # the field that names a record
_STATUSES = frozenset("ACDMRTUXB")  # --name-status letters (renames are off: D + A)
STATUS_LABELS = {"A": "新增", "M": "修改", "D": "删除"}  # renames come as D + A (--no-renames)


@dataclass(frozen=True)
class FileChange:
    status: str  # A, M, D or R
    path: str  # repository-relative POSIX path, escaped: for the record's id and kind, never shown
    gone: bool = False  # a record file no longer in the repository's working tree
    last_name: str | None = None  # the name in Git of a record that is gone, if readable

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, "修改")

    @property
    def record_id(self) -> str:
        return PurePosixPath(self.path).stem

    @property
    def kind(self) -> str:
        return PurePosixPath(self.path).parent.name  # centers, notices or registry


@dataclass(frozen=True)
class Change:
    commit: str
    date: dt.date
    subject: str
    files: tuple[FileChange, ...]


def recent_changes(repo: Path, registry: Path, limit: int = 30) -> list[Change]:
    """The last `limit` commits that touched the registry's records, newest first."""
    try:
        relative = registry.resolve().relative_to(repo.resolve()).as_posix()
        out = subprocess.run(
            [
                "git",
                "-C",
                str(repo),
                "log",
                f"-{limit}",
                "-z",
                "--no-renames",
                "--name-status",
                "--format=%h%x00%cs%x00%s",
                "--",
                relative,
            ],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, ValueError, subprocess.SubprocessError):
        return []
    return with_last_names(repo, parse_log(out))


def with_last_names(repo: Path, changes: list[Change]) -> list[Change]:
    """`changes`, each record file no longer in `repo` marked gone, with the name its record
    last had in Git (as the commit left it, or just before the commit deleted it)."""
    gone = {
        (change.commit, f): f"{change.commit}{'^' if f.status == 'D' else ''}:{f.path}"
        for change in changes
        for f in change.files
        if f.kind in NAME_FIELDS and not (repo / f.path).is_file()
    }
    if not gone:
        return changes
    # An escaped path (it held a control or a newline) cannot be asked for: it stays unnamed.
    blobs = _blobs(repo, [spec for spec in gone.values() if "\\" not in spec])
    names = {key: _name(blobs.get(spec), key[1]) for key, spec in gone.items()}
    return [
        replace(
            change,
            files=tuple(
                replace(f, gone=True, last_name=names[change.commit, f]) if (change.commit, f) in names else f
                for f in change.files
            ),
        )
        for change in changes
    ]


def _blobs(repo: Path, specs: list[str]) -> dict[str, bytes]:
    """The contents of `<commit>:<path>` objects by spec, read in one `git cat-file --batch`;
    a spec that names nothing (or is too large to be a record) is left out."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "cat-file", "--batch"],
            input="".join(f"{spec}\n" for spec in specs).encode("utf-8"),
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}
    found, at = {}, 0
    for spec in specs:  # one header line per spec, in order: "<oid> <type> <size>" or "<spec> missing"
        end = out.find(b"\n", at)
        if end < 0:
            break
        header, at = out[at:end].split(), end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue
        size = int(header[2])
        if header[1] == b"blob" and size <= BLOB_LIMIT:
            found[spec] = out[at : at + size]
        at += size + 1  # the contents and their newline
    return found


def _name(raw: bytes | None, f: FileChange) -> str | None:
    """The name a record file gives itself, escaped and bounded, or None when it cannot say."""
    if raw is None:
        return None
    doc, _ = parse(raw, f.path, KINDS[f.kind])
    name = doc.data.get(NAME_FIELDS[f.kind]) if doc else None
    return quoted(name, NAME_LIMIT) if isinstance(name, str) and name.strip() else None


def parse_log(out: bytes) -> list[Change]:
    """Commits from `git log -z --name-status --format=%h%x00%cs%x00%s` output.

    Each commit is its three fields, then pairs of a status letter (the first after a
    newline) and a path; a token that is not a status letter starts the next commit.
    """
    tokens = out.decode("utf-8", "replace").split("\0")
    changes = []
    i = 0
    while i + 2 < len(tokens):
        commit, date, subject = tokens[i : i + 3]
        i += 3
        files = []
        while i + 1 < len(tokens) and tokens[i].lstrip("\n") in _STATUSES:
            status, path = tokens[i].lstrip("\n"), tokens[i + 1]
            i += 2
            if path.endswith(".yaml"):
                files.append(FileChange(status, escape(path)))
        day = _date(date)
        if files and day is not None:
            changes.append(Change(escape(commit.strip()), day, quoted(subject, SUBJECT_LIMIT), tuple(files)))
    return changes


def _date(text: str) -> dt.date | None:
    """A `%cs` date, or None for one Python cannot hold (beyond the year 9999)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
