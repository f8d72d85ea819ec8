"""Recent changes of the registry, read from Git when there is a repository.

History is an input like the records: the same commits give the same list. A tarball
without `.git` (or a machine without git) simply has no history to show.

History is also as hostile as the records: a commit subject may hold separators, control
characters or bytes that are not UTF-8, a date may lie centuries ahead, a path may hold
a tab or a newline. So `git log` is read with NUL between fields (which no subject or
path can hold), every text is decoded leniently and shown escaped, and a commit whose
date cannot be read is left out instead of failing the build.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.rules.text import escape, quoted

SUBJECT_LIMIT = 200  # characters of a commit subject kept for the page
_STATUSES = frozenset("ACDMRTUXB")  # --name-status letters (renames are off: D + A)
STATUS_LABELS = {"A": "新增", "M": "修改", "D": "删除"}  # renames come as D + A (--no-renames)


@dataclass(frozen=True)
class FileChange:
    status: str  # A, M, D or R
    path: str  # repository-relative POSIX path

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
    return parse_log(out)


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
