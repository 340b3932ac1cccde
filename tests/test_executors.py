"""map_ordered in this process, in a process pool and on a Dask cluster (a LocalCluster on loopback).

The task functions are module-level: the pool and the Dask workers (separate processes, started by
spawn) import this module by name to run them, as they import redactor.api in a real run.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from redactor import executors
from redactor.executors import ExecutorError, ExecutorSpec, WorkerPool, default_jobs, map_ordered

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

# A second cluster (or one from another test run) finds the scheduler's HTTP port taken and picks another.
pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")


def slow_square(item: tuple[int, int]) -> int:
    index, count = item
    time.sleep(0.01 * (count - index))  # the first items take longest
    return index * index


def gated(item: tuple[int, int, str]) -> tuple[int, bool]:
    """Item 0 finishes only after the last item has run (or after 20 s, reported as False)."""
    index, last, gate = item
    if index == last:
        Path(gate).touch()
    elif index == 0:
        deadline = time.monotonic() + 20
        while not os.path.exists(gate) and time.monotonic() < deadline:
            time.sleep(0.01)
        return index, os.path.exists(gate)
    return index, True


def fail_on_three(index: int) -> int:
    if index == 3:
        raise ValueError(f"item {index} is bad")
    return index


def crash(index: int) -> int:
    os._exit(1)


def crash_on_three(index: int) -> int:
    if index == 3:
        faulthandler.disable()  # pytest's handler would print the worker's stack
        os.kill(os.getpid(), signal.SIGSEGV)  # as a library crashing in C code would
    time.sleep(0.05)
    return index


def killed_once(item: tuple[int, str]) -> int:
    """Item 2's worker is killed the first time it runs it (as by the out-of-memory killer)."""
    index, flag = item
    if index == 2 and not os.path.exists(flag):
        Path(flag).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return index


def stuck_on_one(index: int) -> int:
    if index == 1:
        time.sleep(30)  # a parser caught in a loop (long enough to fail, not hang, without a limit)
    time.sleep(0.05)
    return index


def longer_than_the_limit(seconds: float) -> float:
    executors.extend_time_limit(seconds)
    time.sleep(seconds)
    return seconds


def as_fault(item: object, fault: executors.Fault) -> str:
    return f"{item}: {fault.kind}"


def indexed_pid(index: int) -> tuple[int, int]:
    time.sleep(0.05)
    return index, os.getpid()


def worker_pid(index: int) -> int:
    time.sleep(0.02)  # long enough for both workers to take items
    return os.getpid()


def note_start(item: tuple[int, str]) -> int:
    index, log = item
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"{index}\n")
    return index


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-worker LocalCluster (worker processes, one thread each), shared by the module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(params=["serial", "pool", "dask"])
def spec(request: pytest.FixtureRequest) -> ExecutorSpec:
    return _spec(request)


@pytest.fixture(params=["pool", "dask"])
def parallel_spec(request: pytest.FixtureRequest) -> ExecutorSpec:
    return _spec(request)


def _spec(request: pytest.FixtureRequest) -> ExecutorSpec:
    if request.param == "dask":
        return ExecutorSpec("dask", scheduler=request.getfixturevalue("scheduler"))
    return ExecutorSpec(jobs=1 if request.param == "serial" else 2)


def test_results_come_in_input_order(spec: ExecutorSpec) -> None:
    done: list[int] = []
    results = list(map_ordered(slow_square, [(i, 10) for i in range(10)], spec, on_done=done.append))
    assert results == [i * i for i in range(10)]
    assert sorted(done) == results


def test_results_finished_early_wait_for_earlier_ones(parallel_spec: ExecutorSpec, tmp_path: Path) -> None:
    gate = str(tmp_path / "gate")
    done: list[tuple[int, bool]] = []
    results = list(map_ordered(gated, [(i, 5, gate) for i in range(6)], parallel_spec, on_done=done.append))
    # (0, True): item 0 finished after item 5 had run, so the later results were held back for it.
    assert results == [(i, True) for i in range(6)]
    assert sorted(done) == results


def test_nothing_to_do(spec: ExecutorSpec) -> None:
    assert list(map_ordered(slow_square, [], spec)) == []
    assert list(map_ordered(slow_square, [(0, 1)], spec)) == [0]


def test_an_exception_in_a_task_is_raised_with_its_type(spec: ExecutorSpec) -> None:
    with pytest.raises(ValueError, match="item 3 is bad"):
        list(map_ordered(fail_on_three, range(8), spec))


def test_a_crashed_pool_worker_is_raised() -> None:
    with pytest.raises(BrokenProcessPool):
        list(map_ordered(crash, range(4), ExecutorSpec(jobs=2)))


def test_a_worker_crashing_on_an_item_gives_that_item_its_fault_and_the_others_their_results() -> None:
    done: list[object] = []
    results = list(map_ordered(crash_on_three, range(10), ExecutorSpec(jobs=2), on_done=done.append,
                               on_fault=as_fault))
    assert results == [0, 1, 2, "3: crashed", 4, 5, 6, 7, 8, 9]
    assert sorted(map(str, done)) == sorted(map(str, results))


def test_items_lost_with_a_worker_killed_from_outside_are_run_again(tmp_path: Path) -> None:
    # The pool lost item 2 and those beside it; alone, item 2 runs through, so nothing is blamed.
    flag = str(tmp_path / "killed")
    results = list(map_ordered(killed_once, [(i, flag) for i in range(8)], ExecutorSpec(jobs=2),
                               on_fault=as_fault))
    assert os.path.exists(flag)
    assert results == list(range(8))


def test_a_worker_killed_between_two_results_loses_nothing() -> None:
    # Killed while this process handles a result: the pool is found broken when the next item is
    # handed to it, not by a result.
    killed: list[int] = []

    def kill_its_worker(result: tuple[int, int]) -> None:
        if not killed:
            killed.append(result[1])
            os.kill(result[1], signal.SIGKILL)
            time.sleep(0.5)  # time for the pool to see it

    results = list(map_ordered(indexed_pid, range(12), ExecutorSpec(jobs=2), on_done=kill_its_worker,
                               on_fault=as_fault))
    assert killed and [index for index, _ in results] == list(range(12))


def test_an_item_past_the_time_limit_is_stopped_and_the_rest_goes_on() -> None:
    pool = WorkerPool(2)
    try:
        results = list(map_ordered(stuck_on_one, range(6), ExecutorSpec(jobs=2), on_fault=as_fault,
                                   time_limit=2, pool=pool))
        # The shared pool was replaced by a working one, left running for the next call.
        after = list(map_ordered(slow_square, [(i, 4) for i in range(4)], ExecutorSpec(jobs=2), pool=pool))
    finally:
        pool.close()
    assert results == [0, "1: timed out", 2, 3, 4, 5]
    assert after == [0, 1, 4, 9]


def test_an_item_may_lengthen_its_own_time_limit() -> None:
    results = list(map_ordered(longer_than_the_limit, [3.0, 0.1], ExecutorSpec(jobs=2), on_fault=as_fault,
                               time_limit=1.5))
    assert results == [3.0, 0.1]


def test_a_task_that_kills_every_dask_worker_gives_its_fault(scheduler: str) -> None:
    # The scheduler runs it again on other workers (started again by their nannies) before giving up.
    results = list(map_ordered(crash_on_three, range(6), ExecutorSpec("dask", scheduler=scheduler),
                               on_fault=as_fault))
    assert results == [0, 1, 2, "3: crashed", 4, 5]


def test_a_shared_pool_keeps_its_workers_from_one_call_to_the_next() -> None:
    # A batch's rounds share one pool: the workers (and the model they loaded) are not started again.
    pool = WorkerPool(2)
    try:
        first = set(map_ordered(worker_pid, range(8), ExecutorSpec(jobs=2), pool=pool))
        stopped_early = map_ordered(worker_pid, range(8), ExecutorSpec(jobs=2), pool=pool)
        next(stopped_early)
        stopped_early.close()  # the rest of that call is dropped; the pool stays for the next
        second = set(map_ordered(worker_pid, range(8), ExecutorSpec(jobs=2), pool=pool))
    finally:
        pool.close()
    assert os.getpid() not in first and second == first and len(first) == 2
    own = set(map_ordered(worker_pid, range(8), ExecutorSpec(jobs=2)))  # a pool of its own, then closed
    assert not own & first


def test_one_item_runs_here_unless_the_shared_pool_already_runs() -> None:
    # Starting workers for one item costs more than it saves; workers already running (which have
    # loaded the model) take it, and this process does not load the model for it.
    pool = WorkerPool(2)
    try:
        assert list(map_ordered(worker_pid, [0], ExecutorSpec(jobs=2), pool=pool)) == [os.getpid()]
        assert not pool.started
        workers = set(map_ordered(worker_pid, range(8), ExecutorSpec(jobs=2), pool=pool))
        assert pool.started
        alone = list(map_ordered(worker_pid, [0], ExecutorSpec(jobs=2), pool=pool))
    finally:
        pool.close()
    assert alone[0] in workers and alone[0] != os.getpid()
    assert not pool.started


@pytest.mark.parametrize("shared", [False, True])
def test_one_item_that_needs_protection_runs_in_a_worker(shared: bool) -> None:
    # With on_fault the item must not take this process down with it, nor hold it past the limit:
    # a worker is started for it, even alone, on a shared pool not yet running or on its own.
    pool = WorkerPool(2) if shared else None
    try:
        ran_on = list(map_ordered(worker_pid, [0], ExecutorSpec(jobs=2), pool=pool, on_fault=as_fault))
        crashed = list(map_ordered(crash_on_three, [3], ExecutorSpec(jobs=2), pool=pool, on_fault=as_fault))
        stuck = list(map_ordered(stuck_on_one, [1], ExecutorSpec(jobs=2), pool=pool, on_fault=as_fault,
                                 time_limit=1))
    finally:
        if pool is not None:
            pool.close()
    assert ran_on[0] != os.getpid()
    assert crashed == ["3: crashed"]
    assert stuck == ["1: timed out"]


def test_submitted_items_stay_within_the_window(parallel_spec: ExecutorSpec, tmp_path: Path) -> None:
    log = tmp_path / "started"
    log.touch()
    window = 2
    results = map_ordered(note_start, [(i, str(log)) for i in range(12)], parallel_spec, window=window)
    for received in results:
        # Nothing is submitted while the caller holds a result: were the window not kept, the
        # workers would run ahead through the whole list during this pause.
        time.sleep(0.05)
        started = [int(line) for line in log.read_text(encoding="utf-8").split()]
        assert max(started) < received + window


def test_the_dask_client_is_closed_on_success_error_and_early_stop(scheduler: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[distributed.Client] = []

    class RecordingClient(distributed.Client):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(distributed, "Client", RecordingClient)
    spec = ExecutorSpec("dask", scheduler=scheduler)
    assert list(map_ordered(fail_on_three, range(3), spec)) == [0, 1, 2]
    with pytest.raises(ValueError):
        list(map_ordered(fail_on_three, range(8), spec))
    results = map_ordered(fail_on_three, range(3), spec)
    assert next(results) == 0
    results.close()
    assert len(opened) == 3
    assert [client.status for client in opened] == ["closed"] * 3


def _profiler_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "redactor.executors" and "profiler" in r.getMessage()]


def test_workers_that_run_dasks_profiler_are_named_once(scheduler: str, caplog: pytest.LogCaptureFixture,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A LocalCluster's workers run Dask's profiler, as `dask worker` does unless told otherwise.
    monkeypatch.setattr(executors, "_profiling_asked", set())
    spec = ExecutorSpec("dask", scheduler=scheduler)
    with caplog.at_level(logging.WARNING, logger="redactor.executors"):
        assert list(map_ordered(slow_square, [(0, 1)], spec)) == [0]
        assert list(map_ordered(slow_square, [(0, 1)], spec)) == [0]  # a run's second round
    warnings = _profiler_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert "2 dask worker(s)" in warnings[0] and "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False" in warnings[0]


def test_workers_without_dasks_profiler_are_not_named(caplog: pytest.LogCaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "_profiling_asked", set())
    # The worker processes take the configuration the cluster is made with, as the environment
    # variable gives it to `dask worker`.
    with dask.config.set({"distributed.worker.profile.enabled": False}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None) as quiet, \
            caplog.at_level(logging.WARNING, logger="redactor.executors"):
        assert list(map_ordered(slow_square, [(0, 1)], ExecutorSpec("dask", scheduler=quiet.scheduler_address))) == [0]
    assert _profiler_warnings(caplog) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_says_how_to_start_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 2.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ExecutorError) as caught:
        list(map_ordered(slow_square, [(0, 1)], ExecutorSpec("dask", scheduler=address)))
    message = str(caught.value)
    assert f"cannot reach the dask scheduler at {address}" in message
    assert "dask scheduler" in caught.value.hint
    assert f"dask worker {address}" in message
    assert "same paths" in message


def test_a_scheduler_without_workers_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "WORKER_TIMEOUT", 0.5)
    with distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as empty:
        address = empty.scheduler_address
        with pytest.raises(ExecutorError, match=f"scheduler at {address} has no workers"):
            list(map_ordered(slow_square, [(0, 1)], ExecutorSpec("dask", scheduler=address)))


def test_a_bad_scheduler_address_is_an_error() -> None:
    with pytest.raises(ExecutorError, match="not a dask scheduler address"):
        list(map_ordered(slow_square, [(0, 1)], ExecutorSpec("dask", scheduler="http://10.0.0.5:8786")))


def test_a_tls_address_without_certificates_says_what_to_set() -> None:
    with dask.config.set({"distributed.comm.tls.ca-file": None, "distributed.comm.tls.client.cert": None}), \
            pytest.raises(ExecutorError, match="no TLS certificates are configured") as caught:
        list(map_ordered(slow_square, [(0, 1)], ExecutorSpec("dask", scheduler="tls://10.0.0.5:8786")))
    assert "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT" in str(caught.value)


def test_without_distributed_the_dask_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    with pytest.raises(ExecutorError, match=r"pip install 'redact\[dask\]'"):
        list(map_ordered(slow_square, [(0, 1)], ExecutorSpec("dask", scheduler="tcp://127.0.0.1:8786")))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": "threads"}, "unknown executor 'threads'"),
    ({"jobs": 0}, "jobs must be at least 1"),
    ({"kind": "dask"}, "needs the scheduler's address"),
])
def test_bad_specs_fail_when_made(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ExecutorError, match=message):
        ExecutorSpec(**kwargs)  # type: ignore[arg-type]


def test_default_jobs_counts_usable_cores() -> None:
    assert 1 <= default_jobs() <= (os.cpu_count() or 1)
