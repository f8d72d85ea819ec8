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


def _call(job: Callable[[], Any]) -> Any:
    return job()


def run_batches(plans: Sequence[Callable[[], Batch[Any]]], parallel: bool) -> list[Any]:
    """Every planned batch's output, in order; all their jobs as one `fork_map` when `parallel`.

    The workers take jobs from the front and the calling process from the back, so each
    batch's long jobs come first, and the batches are concatenated as planned.
    """
    with gc_paused():  # rendering makes no reference cycles; a collection would walk every record
        batches = [plan() for plan in plans]
        done = fork_map(_call, [job for batch in batches for job in batch.jobs], parallel=parallel)
        outputs, start = [], 0
        for batch in batches:
            outputs.append(batch.finish(done[start : start + len(batch.jobs)]))
            start += len(batch.jobs)
        return outputs
