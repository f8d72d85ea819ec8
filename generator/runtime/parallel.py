"""Spread independent per-record work over every core, for large registries only.

Workers are forked, so they inherit the inputs (the records, the derived facts) without
pickling them; only each item's result travels back. The calling process works too: it
takes chunks from the end while the workers take them from the start, so its own share
is neither pickled nor sent. Results keep the input order, so output stays byte-identical
to a sequential run.

Safe from any thread, by construction: the job (function and items) reaches the workers
as the arguments of their start-up function, which a fork hands over without pickling,
so nothing about a call is kept in this module and two calls cannot see each other's job.
And only a process whose one thread is the caller forks: forking copies every lock in the
state some other thread left it in (a log handler, a stream's buffer), and a child that
then takes one waits for ever. Under `mkdocs serve` (its HTTP and watcher threads) the
work runs in the calling thread instead.

A worker hands its chunk's results back through a file (in memory, on /dev/shm), not the
pool's pipe: the pipe moves 64 KiB per read and each read waits for the GIL, which the
calling process holds while it works, so megabytes of pages took seconds to cross and the
worker sat idle in between (10,000 center pages: 12 s instead of 7). Each file is removed
once read; should one not fit (a container's small /dev/shm), that chunk takes the pipe.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 500  # items; below this a pool costs more than it saves
CHUNKS_PER_CORE = 8  # small enough that the last chunks end close together
_SHM = "/dev/shm"

# In a worker process only: the job its start-up function received (one per worker life).
_WORKER_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _adopt(fn: Callable[[Any], Any], items: Sequence[Any]) -> None:
    """A worker's start-up: keep the job it was forked with."""
    global _WORKER_JOB
    _WORKER_JOB = (fn, items)


def _run(fn: Callable[[Any], Any], items: Sequence[Any], bounds: tuple[int, int]) -> list[Any]:
    return [fn(items[i]) for i in range(*bounds)]


def _run_to_file(bounds: tuple[int, int], folder: str) -> str | list[Any]:
    """In a worker: the chunk's results pickled into a file of `folder` (its path is returned),
    or the results themselves if the file cannot be written."""
    assert _WORKER_JOB is not None, "a fork_map worker runs only the job it was started with"
    results = _run(*_WORKER_JOB, bounds)
    path = ""
    try:
        fd, path = tempfile.mkstemp(dir=folder)
        with os.fdopen(fd, "wb") as out:
            pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        if path:
            os.unlink(path)
        return results
    return path


def _read(result: str | list[Any]) -> list[Any]:
    """A chunk's results from what `_run_to_file` returned; its file is removed."""
    if isinstance(result, list):
        return result
    try:
        with open(result, "rb") as data:
            return pickle.load(data)
    finally:
        os.unlink(result)


def can_fork() -> bool:
    """Whether `fork_map` may fork here: a fork start method, and no thread but the caller's."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_map(fn: Callable[[T], R], items: Sequence[T], parallel: bool | None = None) -> list[R]:
    """`[fn(x) for x in items]`, on every core when the work is large enough to pay for it.

    `parallel` overrides the decision for a few large tasks instead of many small items.
    """
    cores = os.cpu_count() or 1
    wanted = len(items) >= PARALLEL_FROM if parallel is None else parallel
    if not wanted or len(items) < 2 or cores < 2 or not can_fork():
        return [fn(x) for x in items]
    step = -(-len(items) // (cores * CHUNKS_PER_CORE))
    bounds = [(i, min(i + step, len(items))) for i in range(0, len(items), step)]
    shm = _SHM if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK) else None
    with (
        tempfile.TemporaryDirectory(prefix="tic-fork-map-", dir=shm) as folder,
        ProcessPoolExecutor(
            cores - 1, mp_context=multiprocessing.get_context("fork"), initializer=_adopt, initargs=(fn, items)
        ) as pool,
    ):
        futures: list[Future[str | list[Any]]] = [pool.submit(_run_to_file, b, folder) for b in bounds]
        try:
            results: dict[int, list[Any]] = {}
            for k in reversed(range(len(bounds))):
                if not futures[k].cancel():  # a worker has it already, and every chunk before it
                    break
                results[k] = _run(fn, items, bounds[k])
                for j in range(k):  # read what the workers finished meanwhile, not all at the end
                    if j not in results and futures[j].done():
                        results[j] = _read(futures[j].result())
            for k, future in enumerate(futures):
                if k not in results:
                    results[k] = _read(future.result())
            return [r for k in range(len(futures)) for r in results[k]]
        finally:
            for future in futures:  # after a failure, the chunks not started are not run
                future.cancel()
