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

import datetime as dt
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.diff.compare import WORKTREE, Report, compare, read_side
from generator.exits import UsageError


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


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or any(part in ("", ".", "..") for part in rel.parts):
        raise DiffError(f"Git 中的路径无法安全写出：{path}")
    return rel


def extract(repo: Repo, commit: str, target: Path) -> bool:
    """Write the registry folder of `commit` under `target` at the same relative path.

    Regular files are written with their bytes; symbolic links become links again (the
    validator refuses them without following them); submodules are skipped. False when
    the folder does not exist at that commit.
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
    blobs = _cat_blobs(repo, [sha for _, sha, _ in entries])
    for mode, sha, rel in entries:
        out = target.joinpath(*rel.parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            os.symlink(os.fsdecode(blobs[sha]), out)
        else:
            out.write_bytes(blobs[sha])
    return True


def _cat_blobs(repo: Repo, shas: list[str]) -> dict[str, bytes]:
    """The contents of many blobs from one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(shas))
    data = _git(repo.root, "cat-file", "--batch", input="".join(f"{s}\n" for s in wanted).encode())
    out: dict[str, bytes] = {}
    at = 0
    for sha in wanted:
        end = data.index(b"\n", at)
        header = data[at:end].decode().split()
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
