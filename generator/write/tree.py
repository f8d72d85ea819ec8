"""The write stage: put generated files on disk without ever losing or half-writing one.

Each file is written to a temporary name and renamed over the old one, and only when
its bytes changed (so `mkdocs serve` reloads just what moved). A manifest remembers
what the generator wrote, so a stale generated page is removed and a hand-written page
is never overwritten.

Everything under the output folder may have come from a pull request (a committed
manifest, a folder replaced by a symbolic link), so it is input like the records: a
manifest entry that is not a plain relative path is not ours and is never deleted, no
folder is entered through a symbolic link, and a temporary file is created afresh, never
opened through a link someone left in its place. All new files are written first; only
when every one of them is on disk do they replace the old ones, so a full disk or a
read-only folder leaves the last good tree as it was.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = ".generated.json"
_NOT_A_NAME = frozenset("\\:\0")  # a Windows separator, a drive or stream marker, C's end of string


class WriteConflict(Exception):
    """A generated file would replace a file that the generator did not write, or a path
    would lead outside the output folder."""


class WriteFailed(Exception):
    """The disk refused a write (full, read-only, a file where a folder must be); the
    message says which file and why, in the words of the command line."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def is_plain_name(name: object) -> bool:
    """A relative POSIX path of ordinary components: nothing absolute, no `..`, no `.`."""
    if not isinstance(name, str) or not name or name.startswith("/") or any(c in _NOT_A_NAME for c in name):
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def describe_os_error(exc: OSError) -> str:
    """What went wrong with a write, in Chinese, with the file it concerns."""
    where = exc.filename if exc.filename is not None else "输出目录"
    reasons = {
        errno.ENOSPC: "磁盘空间不足",
        errno.EDQUOT: "超出磁盘配额",
        errno.EROFS: "文件系统是只读的",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOTDIR: "路径中有一个文件占据了文件夹的位置",
        errno.EEXIST: "已有同名的文件或文件夹",
        errno.EISDIR: "已有同名的文件夹",
        errno.ELOOP: "是符号链接，生成器不会穿过它写入",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return f"{where}：{reason}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a fresh temporary file in the same folder and a rename."""
    tmp = _write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_temporary(path: Path, data: bytes) -> Path:
    """`data` in a new dot-file (MkDocs ignores it) beside `path`: created exclusively and
    without following a link, so nothing left in its place can redirect the write."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def generated_files(root: Path) -> set[str]:
    """The files under `root` the generator wrote last time (root-relative POSIX paths).

    The manifest may have been committed by anyone: only a regular file is read, and only
    its plain relative names (`is_plain_name`) are taken as ours.
    """
    try:
        info = os.lstat(root / MANIFEST)
        if not stat.S_ISREG(info.st_mode):
            return set()
        names = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {name for name in names if is_plain_name(name)} if isinstance(names, list) else set()


class _Folders:
    """The folders under `root` that a name passes through, each checked once: a real
    folder (not a symbolic link, not a file), or missing (then made, and remembered)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.known: set[str] = set()
        self.made: list[Path] = []

    def check(self, name: str, create: bool) -> bool:
        """Whether every folder of `name` exists as a real folder (creating them if asked)."""
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            rel = "/".join(parts[:i])
            if rel in self.known:
                continue
            folder = self.root / rel
            try:
                mode = os.lstat(folder).st_mode
            except FileNotFoundError:
                if not create:
                    return False
                folder.mkdir()
                self.made.append(folder)
                mode = stat.S_IFDIR
            if stat.S_ISLNK(mode):
                raise WriteConflict(f"{folder} 是符号链接；生成器不会穿过它写入或删除文件")
            if not stat.S_ISDIR(mode):
                raise WriteFailed(describe_os_error(OSError(errno.ENOTDIR, "", str(folder))))
            self.known.add(rel)
        return True

    def undo(self) -> None:
        """Remove the folders this run made, if they are still empty."""
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):
                folder.rmdir()


def _reachable(root: Path, name: str) -> bool:
    """Whether `name` lies under `root` through real folders only (no link, no file on the way)."""
    folder = root
    for part in name.split("/")[:-1]:
        folder = folder / part
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return False
        except OSError:
            return False
    return True


def _unchanged(target: Path, data: bytes) -> bool:
    """Whether `target` is a regular file holding `data` (a link or a pipe never is)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == len(data) and target.read_bytes() == data


def write_tree(root: Path, files: dict[str, bytes]) -> WriteReport:
    """Make the generated part of `root` equal to `files` (relative POSIX paths → bytes).

    Raises WriteConflict (a name outside `root`, a hand-written file in the way, a link
    on the way) before anything is written, and WriteFailed when the disk refuses: then
    the files already there are as they were, and no temporary file is left.
    """
    if root.is_symlink():
        raise WriteConflict(f"{root} 是符号链接；生成器只写入真正的输出文件夹")
    previous = generated_files(root)
    folders = _Folders(root)
    for name in files:
        if not is_plain_name(name) or PurePosixPath(name).is_absolute():
            raise WriteConflict(f"生成的路径不在目录内：{name}")
        if name not in previous and folders.check(name, create=False) and os.path.lexists(root / name):
            raise WriteConflict(f"{root / name} 是手写文件，生成器不会覆盖它；请改名或删除后再生成")
    try:
        root.mkdir(parents=True, exist_ok=True)
        staged = _stage(root, files, previous, folders)
    except OSError as exc:
        folders.undo()
        raise WriteFailed(describe_os_error(exc)) from None
    except BaseException:
        folders.undo()
        raise
    try:
        claimed = previous | files.keys()
        if claimed != previous:  # claim the new names first: an interrupted run leaves no orphan
            _write_manifest(root, claimed)
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise WriteFailed(describe_os_error(exc)) from None
    stale = sorted(name for name in previous - files.keys() if _reachable(root, name))
    for name in stale:
        (root / name).unlink(missing_ok=True)  # removes a link itself, never what it points to
    for name in stale:
        _prune_empty(root, (root / name).parent)
    _write_manifest(root, files.keys())
    return WriteReport(len(staged), len(files) - len(staged), len(stale))


def _stage(root: Path, files: dict[str, bytes], previous: set[str], folders: _Folders) -> list[tuple[Path, Path]]:
    """Every changed file written to its temporary name: (temporary, target) pairs.

    On any failure the temporary files written so far are removed and the error rises.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in sorted(files.items()):
            target = root / name
            folders.check(name, create=True)
            if name in previous and _unchanged(target, data):
                continue
            staged.append((_write_temporary(target, data), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return staged


def _write_manifest(root: Path, names: Iterable[str]) -> None:
    manifest = (json.dumps(sorted(names), ensure_ascii=False, indent=0) + "\n").encode()
    if not _unchanged(root / MANIFEST, manifest):
        atomic_write(root / MANIFEST, manifest)  # unchanged bytes: `mkdocs serve` sees no edit


def _prune_empty(root: Path, folder: Path) -> None:
    while folder != root and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def swap_in(built: Path, target: Path) -> None:
    """Replace the folder `target` by `built` with renames, so readers never see a half site.

    `target` must be a real folder or absent: a symbolic link or a file there is refused
    (WriteConflict) rather than moved or deleted. If the new folder cannot be put in place,
    the old one is put back before the error rises.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISDIR(mode):
        what = "符号链接" if stat.S_ISLNK(mode) else "文件"
        raise WriteConflict(f"{target} 是{what}，不是生成器的输出文件夹；请删除或改名后再构建")
    old = target.with_name(f".{target.name}.old-{secrets.token_hex(4)}")
    if mode is not None:
        os.replace(target, old)
    try:
        os.replace(built, target)
    except BaseException:
        if mode is not None:
            os.replace(old, target)
        raise
    if mode is not None:
        shutil.rmtree(old, ignore_errors=True)
