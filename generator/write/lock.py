"""One build at a time per repository: an advisory lock on `.build.lock`.

Two `python -m generator build` started together, or a build started while the preview
regenerates, would otherwise write docs/ and swap site/ over each other. Every step that
writes them holds this lock (`fcntl.flock`, released by the kernel when the process ends,
however it ends). Within one process the lock is reentrant: the build holds it around
generating docs/ and then building site/, and each of those takes it too; another thread
(the preview's watcher) waits like another process would.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LOCK_FILE = ".build.lock"
WAIT_SECONDS = 600.0  # a full build of 10,000 centers takes a few minutes
_POLL = 0.1


class LockBusy(Exception):
    """Another build held the lock for longer than the caller would wait."""


@dataclass
class _Held:
    guard: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    fd: int = -1


_HELD: dict[str, _Held] = {}
_HELD_GUARD = threading.Lock()


def _open(path: Path) -> int:
    """The lock file, created if missing, never through a symbolic link (O_NOFOLLOW)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError as exc:
        raise LockBusy(f"无法打开构建锁文件 {path}（{exc.strerror or exc}）；它不能是符号链接") from None


@contextmanager
def build_lock(repo: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the build lock of `repo` for the block, waiting up to `wait` seconds for it
    (WAIT_SECONDS unless given); LockBusy if it stays taken."""
    wait = WAIT_SECONDS if wait is None else wait
    path = repo.absolute() / LOCK_FILE
    with _HELD_GUARD:
        held = _HELD.setdefault(str(path), _Held())
    deadline = time.monotonic() + wait
    if not held.guard.acquire(timeout=max(wait, 0)):
        raise LockBusy(f"另一个构建仍在进行（{path}），等待 {wait:.0f} 秒后放弃；docs/ 与 site/ 未作改动")
    try:
        if held.depth == 0:
            held.fd = _take(path, deadline, wait)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0:
                os.close(held.fd)  # closing the file releases the lock
                held.fd = -1
    finally:
        held.guard.release()


def _take(path: Path, deadline: float, wait: float) -> int:
    fd = _open(path)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockBusy(
                    f"另一个构建仍在进行（{path} 被占用），等待 {wait:.0f} 秒后放弃；docs/ 与 site/ 未作改动"
                ) from None
            time.sleep(_POLL)
