"""fork_map: the same results in the same order as a plain loop, with the caller working too,
safe from any thread.

fork_map forks only in a process whose one thread is the caller, and a test process may
run threads left by other tests (a session's HTTP server): the checks that need workers
run in a fresh interpreter (`_fresh`), as `python -m generator build` and `mkdocs build` do.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

import generator.runtime.parallel as parallel
from generator.runtime.parallel import fork_map

ROOT = Path(__file__).resolve().parents[1]
TWO_CORES = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: fork_map runs in-process")


def _square_where(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _fail_on_seven(x: int) -> int:
    if x == 7:
        raise ValueError("seven")
    return x


def _fresh(check: str) -> None:
    """Run `check` (a function of this module) in a new interpreter: one thread, as a build."""
    done = subprocess.run(
        [sys.executable, "-c", f"from tests.test_parallel import {check}; {check}()"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- in this process: whatever its threads, the results are right ------------------------


def test_results_keep_the_input_order() -> None:
    items = list(range(2000))
    got = fork_map(_square_where, items, parallel=True)
    assert [value for value, _ in got] == [x * x for x in items]


def test_small_inputs_stay_in_process() -> None:
    assert {pid for _, pid in fork_map(_square_where, list(range(10)))} == {os.getpid()}


def test_an_error_in_any_chunk_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        fork_map(_fail_on_seven, list(range(2000)), parallel=True)  # a worker's chunk fails
    items = list(range(2000))
    items[-1] = 7  # the caller's own chunk fails
    with pytest.raises(ValueError, match="seven"):
        fork_map(_fail_on_seven, items, parallel=True)


def test_with_another_thread_alive_it_does_not_fork() -> None:
    """Forking copies locks other threads hold; with a second thread the work stays in-process."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        assert {pid for _, pid in fork_map(_square_where, list(range(2000)), parallel=True)} == {os.getpid()}
    finally:
        release.set()
        other.join()


def test_calls_from_two_threads_at_once_each_get_their_own_results() -> None:
    """No call's job is kept where another call could see it (the race the old module global had)."""
    results: dict[str, list[int]] = {}
    start = threading.Barrier(2)

    def call(name: str, fn) -> None:
        start.wait()
        results[name] = fork_map(fn, list(range(3000)), parallel=True)

    threads = [
        threading.Thread(target=call, args=("double", lambda x: 2 * x)),
        threading.Thread(target=call, args=("negate", lambda x: -x)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"double": [2 * x for x in range(3000)], "negate": [-x for x in range(3000)]}


def test_the_module_keeps_no_job_of_the_caller() -> None:
    fork_map(_square_where, list(range(2000)), parallel=True)
    assert parallel._WORKER_JOB is None  # set only in workers, by their start-up


# --- in a fresh interpreter: the workers -----------------------------------------------------


def check_the_workers_take_the_first_chunks_and_the_caller_the_last() -> None:
    assert parallel.can_fork()
    got = fork_map(_square_where, list(range(2000)), parallel=True)
    assert [value for value, _ in got] == [x * x for x in range(2000)]
    assert got[0][1] != os.getpid() and got[-1][1] == os.getpid()


def check_two_calls_in_a_row_use_their_own_function_in_the_workers() -> None:
    first = fork_map(lambda x: (x + 1, os.getpid()), list(range(2000)), parallel=True)
    second = fork_map(lambda x: (x * 3, os.getpid()), list(range(2000)), parallel=True)
    assert [v for v, _ in first] == [x + 1 for x in range(2000)]
    assert [v for v, _ in second] == [x * 3 for x in range(2000)]
    assert {pid for _, pid in second} - {os.getpid()}  # workers did part of the second call


def check_the_workers_result_files_are_removed_after_success_and_failure() -> None:
    with tempfile.TemporaryDirectory() as folder:
        parallel._SHM = folder
        got = fork_map(_square_where, list(range(2000)), parallel=True)
        assert len(got) == 2000 and {pid for _, pid in got} - {os.getpid()}
        try:
            fork_map(_fail_on_seven, list(range(2000)), parallel=True)
        except ValueError:
            pass
        else:
            raise AssertionError("the failure did not reach the caller")
        assert os.listdir(folder) == []


def check_a_chunk_whose_file_cannot_be_written_comes_back_through_the_pipe() -> None:
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with tempfile.TemporaryDirectory() as folder:
        parallel._SHM = folder
        parallel.tempfile.mkstemp = full  # the workers are forked after this
        got = fork_map(_square_where, list(range(2000)), parallel=True)
        assert [value for value, _ in got] == [x * x for x in range(2000)]
        assert {pid for _, pid in got} - {os.getpid()}  # a worker did some of it
        assert os.listdir(folder) == []


@TWO_CORES
@pytest.mark.slow  # a fresh interpreter per check
@pytest.mark.parametrize(
    "check",
    [
        "check_the_workers_take_the_first_chunks_and_the_caller_the_last",
        "check_two_calls_in_a_row_use_their_own_function_in_the_workers",
        "check_the_workers_result_files_are_removed_after_success_and_failure",
        "check_a_chunk_whose_file_cannot_be_written_comes_back_through_the_pipe",
    ],
)
def test_forked_workers(check: str) -> None:
    _fresh(check)
