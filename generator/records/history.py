"""Recent changes of the registry, read from Git when there is a repository.

History is an input like the records: the same commits give the same list. A tarball
without `.git` (or a machine without git) simply has no history to show.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FIELD, RECORD = "\x1f", "\x1e"
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
                "--no-renames",
                "--name-status",
                f"--format={RECORD}%h{FIELD}%cs{FIELD}%s",
                "--",
                relative,
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
            timeout=60,
        ).stdout
    except (OSError, ValueError, subprocess.SubprocessError):
        return []
    changes = []
    for block in out.split(RECORD)[1:]:
        header, _, body = block.partition("\n")
        commit, date, subject = header.split(FIELD, 2)
        files = tuple(
            FileChange(line[0], line.split("\t", 1)[1])
            for line in body.splitlines()
            if "\t" in line and line.endswith(".yaml")
        )
        if files:
            changes.append(Change(commit, dt.date.fromisoformat(date), subject, files))
    return changes
