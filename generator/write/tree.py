"""The write stage: put generated files on disk without ever losing or half-writing one.

Each file is written to a temporary name and renamed over the old one, and only when
its bytes changed (so `mkdocs serve` reloads just what moved). A manifest remembers
what the generator wrote, so a stale generated page is removed and a hand-written page
is never overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = ".generated.json"


class WriteConflict(Exception):
    """A generated file would replace a file that the generator did not write."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    The temporary name is fixed (a dot-file MkDocs ignores): one generator writes a folder
    at a time, and a leftover from an interrupted run is simply overwritten.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def generated_files(root: Path) -> set[str]:
    """The files under `root` the generator wrote last time (root-relative POSIX paths)."""
    try:
        return set(json.loads((root / MANIFEST).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        return set()


def write_tree(root: Path, files: dict[str, bytes]) -> WriteReport:
    """Make the generated part of `root` equal to `files` (relative POSIX paths → bytes)."""
    previous = generated_files(root)
    for name in files:
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise WriteConflict(f"生成的路径不在目录内：{name}")
        if name not in previous and (root / name).exists():
            raise WriteConflict(f"{root / name} 是手写文件，生成器不会覆盖它；请改名或删除后再生成")
    claimed = previous | files.keys()
    if claimed != previous:  # claim the new names first: an interrupted run leaves no orphan
        _write_manifest(root, claimed)
    written = unchanged = 0
    folders: set[Path] = set()
    for name, data in sorted(files.items()):
        target = root / name
        if name in previous and target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        atomic_write(target, data)
        written += 1
    stale = sorted(previous - files.keys())
    for name in stale:
        (root / name).unlink(missing_ok=True)
    for name in stale:
        _prune_empty(root, (root / name).parent)
    _write_manifest(root, files.keys())
    return WriteReport(written, unchanged, len(stale))


def _write_manifest(root: Path, names: Iterable[str]) -> None:
    manifest = (json.dumps(sorted(names), ensure_ascii=False, indent=0) + "\n").encode()
    if not (root / MANIFEST).is_file() or (root / MANIFEST).read_bytes() != manifest:
        root.mkdir(parents=True, exist_ok=True)
        atomic_write(root / MANIFEST, manifest)  # unchanged bytes: `mkdocs serve` sees no edit


def _prune_empty(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def swap_in(built: Path, target: Path) -> None:
    """Replace the folder `target` by `built` with renames, so readers never see a half site."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    shutil.rmtree(old, ignore_errors=True)
