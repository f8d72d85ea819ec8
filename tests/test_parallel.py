"""fork_map: the same results in the same order as a plain loop, with the caller working too."""

from __future__ import annotations

import os

import pytest

from generator.runtime.parallel import fork_map


def _square_where(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_results_keep_the_input_order() -> None:
    items = list(range(2000))
    got = fork_map(_square_where, items, parallel=True)
    assert [value for value, _ in got] == [x * x for x in items]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: fork_map runs in-process")
def test_the_workers_take_the_first_chunks_and_the_caller_the_last() -> None:
    got = fork_map(_square_where, list(range(2000)), parallel=True)
    assert got[0][1] != os.getpid()
    assert got[-1][1] == os.getpid()


def test_small_inputs_stay_in_process() -> None:
    assert {pid for _, pid in fork_map(_square_where, list(range(10)))} == {os.getpid()}


def _fail_on_seven(x: int) -> int:
    if x == 7:
        raise ValueError("seven")
    return x


def test_an_error_in_any_chunk_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        fork_map(_fail_on_seven, list(range(2000)), parallel=True)  # a worker's chunk fails
    items = list(range(2000))
    items[-1] = 7  # the caller's own chunk fails
    with pytest.raises(ValueError, match="seven"):
        fork_map(_fail_on_seven, items, parallel=True)


def test_the_workers_result_files_are_removed_after_success_and_failure(monkeypatch, tmp_path) -> None:
    import generator.runtime.parallel as parallel

    monkeypatch.setattr(parallel, "_SHM", str(tmp_path))
    assert len(fork_map(_square_where, list(range(2000)), parallel=True)) == 2000
    with pytest.raises(ValueError, match="seven"):
        fork_map(_fail_on_seven, list(range(2000)), parallel=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: fork_map runs in-process")
def test_a_chunk_whose_file_cannot_be_written_comes_back_through_the_pipe(monkeypatch, tmp_path) -> None:
    import errno

    import generator.runtime.parallel as parallel

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parallel, "_SHM", str(tmp_path))
    monkeypatch.setattr(parallel.tempfile, "mkstemp", full)  # the workers are forked after this
    got = fork_map(_square_where, list(range(2000)), parallel=True)
    assert [value for value, _ in got] == [x * x for x in range(2000)]
    assert {pid for _, pid in got} - {os.getpid()}  # a worker did some of it
    assert list(tmp_path.iterdir()) == []
