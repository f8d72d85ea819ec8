"""What a change to the registry means, for a reviewer.

Both sides are read from Git without touching the user's checkout: the files under the
registry folder at a revision are listed with `git ls-tree` and written, blob by blob from
`git cat-file --batch`, into a temporary folder. Without HEAD the other side is the
working tree as it is on disk (uncommitted and untracked files included). Both sides are
validated, and derived for the same as-of date, so a status or deadline differs only
because the records differ. The report names, in Chinese: centers added, removed and
renamed; changes of category, field, location, supervising unit, first host unit and
research directions; status changes; new and removed events (assessments with their
grade, evaluations, changes, ...); deadlines added, moved, removed or met; derived flags;
notices added, removed or changed; warnings that appeared or were resolved (compared by
rule, file and message, not by line); and the errors in HEAD, which block a merge. This
module only works out those changes, as plain data; render.diff_report words and lays them
out, as terminal text or as escaped Markdown, through templates/diff/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.diff.compare import WORKTREE, Report, compare, read_side
from generator.exits import UsageError
from generator.records.load import MAX_BYTES
from generator.rules.text import quoted


class DiffError(UsageError):
    """A command line that cannot be carried out (bad revision, no Git repository): exit 2."""


# --- reading both sides -------------------------------------------------------------------


@dataclass(frozen=True)
class Repo:
    root: Path  # the repository's top level
    prefix: str  # the registry folder relative to it, in POSIX form ('' for the top level)


def _git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            input=input,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise DiffError("找不到 git 命令；请先安装 Git") from None
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
    return done.stdout


def find_repo(registry: Path) -> Repo:
    """The Git repository that holds the registry folder, and the folder's path inside it."""
    folder = (Path.cwd() / registry).resolve()
    start = folder
    while not start.is_dir() and start != start.parent:
        start = start.parent
    try:
        top = Path(_git(start, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip()
        hint = "" if not detail or "not a git repository" in detail else f"（git：{detail}）"
        raise DiffError(f"{registry} 不在 Git 仓库中；diff 比较的是名录在两个 Git 版本之间的变化{hint}") from None
    try:
        prefix = folder.relative_to(top).as_posix()
    except ValueError:
        raise DiffError(f"名录目录 {registry} 不在 Git 仓库 {top} 之内") from None
    return Repo(top, "" if prefix == "." else prefix)


def resolve_revision(repo: Repo, rev: str) -> str:
    """The commit a revision names, or a usage error that says which one is unknown."""
    if not rev or rev.startswith("-"):
        raise DiffError(f"无效的版本：“{rev}”")
    try:
        return (
            _git(repo.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
            .decode()
            .strip()
        )
    except subprocess.CalledProcessError:
        raise DiffError(f"找不到版本“{rev}”：请给出提交、分支或标签（如 HEAD~1、origin/main）") from None


_NOT_IN_A_NAME = frozenset("\\:\0") | frozenset(map(chr, range(0x20))) | {"\x7f"}
_FILE_MODES = {"100644", "100755", "100664"}  # a regular file (the last is from old Git)
_LINK_MODE = "120000"
_FLAGS = getattr(os, "O_CLOEXEC", 0) | os.O_NOFOLLOW


def _safe_relative(path: str) -> PurePosixPath:
    """A path from a Git tree that can be written as it is on every system, or DiffError.

    No absolute path, no empty, `.` or `..` component, and none of `\\` (a separator on
    Windows), `:` (a drive or an alternate data stream) or a control character.
    """
    rel = PurePosixPath(path)
    if (
        path.startswith("/")
        or any(part in ("", ".", "..") for part in path.split("/"))
        or any(c in _NOT_IN_A_NAME for c in path)
    ):
        raise DiffError(f"Git 中的路径无法安全写出：“{quoted(path, 200)}”（不能含有 \\、:、控制字符、. 或 .. 路径段）")
    return rel


def _collision_key(path: str) -> str:
    """What a case-insensitive, normalising disk (macOS, Windows) makes of a path."""
    return "/".join(part.rstrip(" .") for part in unicodedata.normalize("NFC", path).casefold().split("/"))


def check_tree(paths: list[tuple[str, bool]]) -> None:
    """Refuse a tree that cannot be written file by file without surprises: a file or a link
    where a folder is expected (something inside a link would be written through it), or two
    paths that are one on a case-insensitive disk. `paths` are (path, is a link or a file)."""
    files = {path for path, _ in paths}
    keys: dict[str, str] = {}
    for path, _ in paths:
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in files:
                raise DiffError(
                    f"Git 树中的 {quoted(folder, 200)} 是文件或符号链接，却有 {quoted(path, 200)} 在它之下；"
                    "拒绝写出这样的版本"
                )
        for i in range(1, len(parts) + 1):
            name = "/".join(parts[:i])
            other = keys.setdefault(_collision_key(name), name)
            if other != name:
                raise DiffError(
                    f"Git 树中的 {quoted(other, 200)} 与 {quoted(name, 200)} 在不区分大小写的磁盘上是同一路径；"
                    "拒绝写出这样的版本"
                )


def extract(repo: Repo, commit: str, target: Path) -> bool:
    """Write the registry folder of `commit` under `target` at the same relative path.

    Regular files are written with their bytes; symbolic links become links again (the
    validator refuses them without following them); submodules are skipped. False when
    the folder does not exist at that commit. A tree whose paths could lead a write
    elsewhere is refused (DiffError) before anything is written (`_safe_relative`,
    `check_tree`), and the writing itself never follows a link: every folder is opened
    with O_NOFOLLOW and every file created with O_EXCL, relative to its folder.
    """
    pathspec = ["--", repo.prefix] if repo.prefix else []
    listing = _git(repo.root, "ls-tree", "-r", "-z", "--full-tree", commit, *pathspec)
    entries = []
    for raw in listing.split(b"\0"):
        if not raw:
            continue
        meta, path = raw.split(b"\t", 1)
        mode, kind, sha = meta.decode().split()
        if kind == "blob":
            entries.append((mode, sha, _safe_relative(path.decode("utf-8", "surrogateescape"))))
    if not entries:
        return False
    check_tree([(rel.as_posix(), True) for _, _, rel in entries])
    sizes = _blob_sizes(repo, [sha for _, sha, _ in entries])
    blobs = _cat_blobs(repo, [sha for sha, size in sizes.items() if size <= MAX_BYTES])
    target.mkdir(parents=True, exist_ok=True)
    try:
        _write_entries(target, entries, sizes, blobs)
    except (OSError, ValueError) as exc:
        raise DiffError(f"无法写出版本 {commit[:7]} 的名录到临时目录：{quoted(exc, 200)}") from None
    return True


def _write_entries(
    target: Path, entries: list[tuple[str, str, PurePosixPath]], sizes: dict[str, int], blobs: dict[str, bytes]
) -> None:
    """Create every entry under `target` by file descriptors, never through a link."""
    folders: dict[tuple[str, ...], int] = {(): os.open(target, os.O_RDONLY | os.O_DIRECTORY | _FLAGS)}
    try:
        for mode, sha, rel in entries:
            *parents, name = rel.parts
            fd = _folder(folders, tuple(parents))
            if mode == _LINK_MODE:
                os.symlink(os.fsdecode(blobs.get(sha, b"")), name, dir_fd=fd)
            elif mode in _FILE_MODES:
                out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _FLAGS, 0o644, dir_fd=fd)
                with os.fdopen(out, "wb") as handle:
                    if sha in blobs:
                        handle.write(blobs[sha])
                    else:  # too large to be a record: the same size, without the bytes (sparse)
                        handle.truncate(sizes[sha])
    finally:
        for fd in folders.values():
            os.close(fd)


def _folder(folders: dict[tuple[str, ...], int], parts: tuple[str, ...]) -> int:
    """The descriptor of a folder under the target, made if missing, opened without following."""
    if parts in folders:
        return folders[parts]
    parent = _folder(folders, parts[:-1])
    with contextlib.suppress(FileExistsError):
        os.mkdir(parts[-1], 0o755, dir_fd=parent)
    folders[parts] = os.open(parts[-1], os.O_RDONLY | os.O_DIRECTORY | _FLAGS, dir_fd=parent)
    return folders[parts]


def _blob_sizes(repo: Repo, shas: list[str]) -> dict[str, int]:
    """The size of each blob, from one `git cat-file --batch-check`."""
    wanted = list(dict.fromkeys(shas))
    out = _git(repo.root, "cat-file", "--batch-check", input="".join(f"{s}\n" for s in wanted).encode())
    sizes: dict[str, int] = {}
    for sha, line in zip(wanted, out.decode("ascii", "replace").splitlines()):
        fields = line.split()
        if len(fields) != 3 or fields[1] != "blob" or not fields[2].isdigit():
            raise DiffError(f"Git 对象 {sha} 无法读取（{quoted(line, 80)}）")
        sizes[sha] = int(fields[2])
    if len(sizes) != len(wanted):
        raise DiffError("Git 没有给出全部对象的大小")
    return sizes


def _cat_blobs(repo: Repo, shas: list[str]) -> dict[str, bytes]:
    """The contents of many blobs from one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    data = _git(repo.root, "cat-file", "--batch", input="".join(f"{s}\n" for s in wanted).encode())
    out: dict[str, bytes] = {}
    at = 0
    for sha in wanted:
        end = data.find(b"\n", at)
        header = data[at:end].decode("ascii", "replace").split() if end >= 0 else []
        if len(header) != 3 or not header[2].isdigit():
            raise DiffError(f"Git 对象 {sha} 无法读取")
        size = int(header[2])
        out[sha] = data[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return out


# --- the comparison -----------------------------------------------------------------------


def diff(registry: Path, base_rev: str, head_rev: str | None, as_of: dt.date) -> Report:
    """The report of what changed in the registry from `base_rev` to `head_rev` (or the work tree)."""
    repo = find_repo(registry)
    base_commit = resolve_revision(repo, base_rev)
    head_commit = resolve_revision(repo, head_rev) if head_rev is not None else None
    with tempfile.TemporaryDirectory(prefix="registry-diff-") as tmp:
        base_root = Path(tmp) / "base"
        base_found = extract(repo, base_commit, base_root)
        base_folder = base_root.joinpath(*PurePosixPath(repo.prefix).parts)
        if head_commit is None:
            head_root, head_folder = repo.root, repo.root.joinpath(*PurePosixPath(repo.prefix).parts)
            head_found = head_folder.is_dir()
            head_label = WORKTREE
        else:
            head_root = Path(tmp) / "head"
            head_found = extract(repo, head_commit, head_root)
            head_folder = head_root.joinpath(*PurePosixPath(repo.prefix).parts)
            head_label = f"{head_rev}（{head_commit[:7]}）"
        if not base_found and not head_found:
            where = repo.prefix or "."
            raise DiffError(f"在 {base_rev} 和 {head_rev or WORKTREE} 中都找不到名录目录 {where}；请用 --registry 指定")
        base = read_side(f"{base_rev}（{base_commit[:7]}）", base_folder, base_root, as_of)
        head = read_side(head_label, head_folder, head_root, as_of)
        return compare(base, head, as_of)
