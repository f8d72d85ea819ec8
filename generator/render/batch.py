"""The render stage as batches of independent jobs that share the cores to the end.

A batch is a renderer's plan: jobs that each produce part of its output (a page, a data
file, a share of the centers' files) and a `finish` that puts the parts together. Run
alone, a renderer's batch leaves a core idle while its longest job (the workbook, the
list of every center) ends; run together, the site's pages and the open data fill each
other's gaps, as a build runs them (`generator.build.render_outputs`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from generator.runtime.gcpause import gc_paused
from generator.runtime.parallel import fork_map

T = TypeVar("T")


@dataclass(frozen=True)
class Batch(Generic[T]):
    """Independent jobs, longest first, and how their results become the renderer's output."""

    jobs: Sequence[Callable[[], Any]]
    finish: Callable[[list[Any]], T]


#: A batch with more jobs than this runs them in this many groups of neighbouring jobs.
GROUPS_PER_BATCH = 16


def _run(jobs: Sequence[Callable[[], Any]]) -> list[Any]:
    return [job() for job in jobs]


def _groups(batch: Batch[Any]) -> list[Sequence[Callable[[], Any]]]:
    """The batch's jobs in at most GROUPS_PER_BATCH groups of neighbours, each job alone if it has fewer.

    `fork_map` hands out neighbouring items in equal-sized chunks. A batch of a few long jobs
    (the open data: the workbook, shares of the centers' files) after one of thousands of
    short ones (a page per record) would otherwise all land in the last chunk, which the
    calling process ran alone while the other cores, their pages done, waited for it. As
    groups, every batch is a handful of items, and the cores share them to the end.
    """
    jobs = batch.jobs
    size = -(-len(jobs) // GROUPS_PER_BATCH) or 1
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


def run_batches(plans: Sequence[Callable[[], Batch[Any]]], parallel: bool) -> list[Any]:
    """Every planned batch's output, in order; all their jobs as one `fork_map` when `parallel`.

    The groups of jobs (`_groups`) are dealt out in turns, a group of each batch in turn, so
    the long jobs that each batch puts first all stand at the front: the workers take them
    from there, and the calling process takes the short ones from the back.
    """
    with gc_paused():  # rendering makes no reference cycles; a collection would walk every record
        batches = [plan() for plan in plans]
        groups = [_groups(batch) for batch in batches]
        dealt = [
            (b, g) for g in range(max(map(len, groups), default=0)) for b in range(len(groups)) if g < len(groups[b])
        ]
        done = dict(zip(dealt, fork_map(_run, [groups[b][g] for b, g in dealt], parallel=parallel)))
        return [
            batch.finish([result for g in range(len(groups[b])) for result in done[b, g]])
            for b, batch in enumerate(batches)
        ]
