"""Spread independent per-record work over every core, for large registries only.

Workers are forked, so they inherit the inputs (the records, the derived facts) without
pickling them; only each item's result travels back. Results keep the input order, so
output stays byte-identical to a sequential run.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 500  # items; below this a pool costs more than it saves
_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _JOB is not None
    fn, items = _JOB
    return [fn(items[i]) for i in range(*bounds)]


def fork_map(fn: Callable[[T], R], items: Sequence[T], parallel: bool | None = None) -> list[R]:
    """`[fn(x) for x in items]`, on every core when the work is large enough to pay for it.

    `parallel` overrides the decision for a few large tasks instead of many small items.
    """
    global _JOB
    workers = os.cpu_count() or 1
    wanted = len(items) >= PARALLEL_FROM if parallel is None else parallel
    if not wanted or len(items) < 2 or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(x) for x in items]
    step = -(-len(items) // (workers * 4))
    bounds = [(i, min(i + step, len(items))) for i in range(0, len(items), step)]
    _JOB = (fn, items)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for chunk in pool.map(_run, bounds) for result in chunk]
    finally:
        _JOB = None
