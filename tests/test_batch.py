"""The render stage's batches: jobs grouped, dealt out in turns, results back in each batch's order."""

from __future__ import annotations

import os
from functools import partial

import pytest

from generator.render import batch as render_batch
from generator.render.batch import GROUPS_PER_BATCH, Batch, run_batches


def _job(tag: str, i: int) -> tuple[str, int, int]:
    return tag, i, os.getpid()


def _plan(tag: str, count: int) -> Batch[list[tuple[str, int]]]:
    return Batch([partial(_job, tag, i) for i in range(count)], lambda done: [(t, i) for t, i, _ in done])


def test_results_come_back_in_each_batch_order_in_parallel() -> None:
    pages, data = run_batches([partial(_plan, "page", 1000), partial(_plan, "data", 11)], parallel=True)
    assert pages == [("page", i) for i in range(1000)]
    assert data == [("data", i) for i in range(11)]


def test_a_big_batch_is_grouped_and_a_small_one_is_not() -> None:
    assert [len(g) for g in render_batch._groups(_plan("page", 1000))] == [63] * 15 + [55]
    assert [len(g) for g in render_batch._groups(_plan("data", 11))] == [1] * 11
    assert len(render_batch._groups(_plan("page", 10_000))) == GROUPS_PER_BATCH


def test_each_batch_long_jobs_are_dealt_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first group of every batch (its longest jobs) stands at the front of the work list."""
    seen: list[list[object]] = []

    def record(fn: object, items: list[object], parallel: bool | None = None) -> list[object]:
        seen.append(items)
        return [render_batch._run(group) for group in items]

    monkeypatch.setattr(render_batch, "fork_map", record)
    run_batches([partial(_plan, "page", 1000), partial(_plan, "data", 3)], parallel=True)
    first = [group[0].args for group in seen[0][:4]]
    assert first == [("page", 0), ("data", 0), ("page", 63), ("data", 1)]
