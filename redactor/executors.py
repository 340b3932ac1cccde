"""Run one function over many items: in this process, in a local process pool, or on a Dask cluster.

    spec = ExecutorSpec()                                          # serial, in this process
    spec = ExecutorSpec(jobs=default_jobs())                       # a process pool on this machine
    spec = ExecutorSpec("dask", scheduler="tcp://10.0.0.5:8786")   # a running dask.distributed cluster
    for result in map_ordered(process_document, tasks, spec, on_done=progress):
        ...

:func:`map_ordered` yields the results in the order of the items; ``on_done`` sees each one as soon
as it completes (completion order, for a progress bar). ``fn`` and the items must be picklable:
``fn`` a module-level function (workers import it by name), the items plain data.

At most ``window`` items (4 per worker process or thread by default) are submitted and not yet
yielded at any time, so a long list never sits pickled in memory all at once: the next items are
submitted as results are handed on. An exception raised by ``fn`` ends the run and is raised here,
with its own type (also from a Dask worker); so does a pool broken by a crashed worker
(``BrokenProcessPool``) or a task that kept killing Dask workers (``KilledWorker``).

With ``on_fault``, an item that takes its worker down with it gives ``on_fault(item, fault)`` as its
result instead of ending the run: on a local pool, a worker process that died (a library crashing on
a malformed file, the out-of-memory killer) or that ran past ``time_limit`` (a parser caught in a
loop; the worker is stopped); on Dask, a task that kept killing workers (run once more first). After
a local pool breaks, the items it held are run again one at a time, so one that crashes again is
known to be the cause and the others give their results. With ``on_fault`` even a single item goes
to a worker process (one is started for it); in this process (one job, or one item without
``on_fault``) there is neither: a crash ends the run, and a task runs as long as it takes.

``distributed`` is imported only for ``kind == "dask"``; it comes with the ``dask`` extra.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from .errors import ExitCode, RedactError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

KINDS = ("local", "dask")
#: Seconds to reach the scheduler before giving up (dask retries a refused connection until then).
CONNECT_TIMEOUT = 10.0
#: Seconds to wait for a first worker to join a scheduler that has none.
WORKER_TIMEOUT = 60.0
#: Items submitted and not yet yielded, per worker process (local) or worker thread (Dask).
WINDOW_PER_WORKER = 4


class ExecutorError(RedactError):
    """The executor cannot be used (bad settings, no scheduler, no workers); the hint says what to do."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class ExecutorSpec:
    """Where :func:`map_ordered` runs its tasks.

    ``kind`` is ``"local"`` (``jobs`` worker processes; 1 = in this process) or ``"dask"``
    (the cluster whose scheduler listens at ``scheduler``, ``tcp://HOST:PORT``; ``jobs`` is unused).
    """

    kind: str = "local"
    jobs: int = 1
    scheduler: str | None = None

    def __post_init__(self) -> None:
        # Checked here so a bad command line fails before any work starts.
        if self.kind not in KINDS:
            raise ExecutorError(f"unknown executor {self.kind!r}", hint=f"use one of: {', '.join(KINDS)}")
        if self.jobs < 1:
            raise ExecutorError(f"jobs must be at least 1, not {self.jobs}")
        if self.kind == "dask" and not self.scheduler:
            raise ExecutorError("the dask executor needs the scheduler's address",
                                hint="pass --scheduler tcp://HOST:8786 (the address `dask scheduler` prints)")


@dataclass(frozen=True)
class Fault:
    """Why an item gave no result: its worker ``"crashed"`` (the process ended while on it), or it
    ``"timed out"`` (it ran past the time limit and its worker was stopped)."""

    kind: str


def default_jobs() -> int:
    """The number of cores this process may run on (its CPU affinity where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class WorkerPool:
    """A local process pool kept for several :func:`map_ordered` calls (a batch's rounds: the
    documents, the documents that need values from others, the searches), so its workers start and
    load the model once. Started at first use; :meth:`close` stops it."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_start_worker)
        return self._pool

    @property
    def started(self) -> bool:
        """Whether the workers run (they stay until :meth:`close`)."""
        return self._pool is not None

    def close(self) -> None:
        """Stop the workers (queued items are dropped; running ones finish)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def restart(self) -> None:
        """Drop a broken pool (its workers are already stopped); the next use starts new ones."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def terminate(self) -> None:
        """Stop the workers now, in the middle of their items."""
        for process in list((getattr(self._pool, "_processes", None) or {}).values()):
            process.terminate()


def map_ordered(fn: Callable[[T], R], items: Sequence[T], spec: ExecutorSpec,
                on_done: Callable[[R], None] | None = None, *, window: int | None = None,
                pool: WorkerPool | None = None, on_fault: Callable[[T, Fault], R] | None = None,
                time_limit: float | None = None) -> Iterator[R]:
    """``fn(item)`` for each item, yielded in the order of ``items``.

    ``on_done`` is called with each result as soon as it completes (completion order). ``window``
    overrides the number of items submitted and not yet yielded (default: 4 per worker). A local
    run uses ``pool`` when given (it stays open for the next call) and otherwise a pool of its own;
    that pool or the Dask client is closed when the iterator is exhausted, raises, or is closed.
    ``on_fault`` makes the result of an item that took its worker down (see the module's notes);
    ``time_limit`` (seconds, local pool only, with ``on_fault``) is how long an item may run; the
    item may lengthen its own with :func:`extend_time_limit`.
    """
    if spec.kind == "dask":
        return _on_dask(fn, items, spec.scheduler or "", on_done, window, on_fault)
    if spec.jobs == 1 or not items or (len(items) == 1 and on_fault is None and (pool is None or not pool.started)):
        # Starting a pool for one item costs more than it saves, unless the item needs a worker's
        # protection (``on_fault``: a crash or a loop there must not end the run); a pool already
        # running costs nothing more, and its workers have loaded what the item needs (this process
        # may not have).
        return _serial(fn, items, on_done)
    guard = _Guard(items, on_fault, time_limit) if on_fault is not None else None
    if pool is not None:
        return _on_pool(fn, items, pool, on_done, window, own=False, guard=guard)
    return _on_pool(fn, items, WorkerPool(min(spec.jobs, len(items))), on_done, window, own=True, guard=guard)


def _serial(fn: Callable[[T], R], items: Sequence[T], on_done: Callable[[R], None] | None) -> Iterator[R]:
    for item in items:
        result = fn(item)
        if on_done:
            on_done(result)
        yield result


def _on_pool(fn: Callable[[T], R], items: Sequence[T], workers: WorkerPool, on_done: Callable[[R], None] | None,
             window: int | None, own: bool, guard: _Guard[T, R] | None) -> Iterator[R]:
    # Weakly: a future handed on is dropped with its result (memory stays bounded).
    pending: weakref.WeakSet[Any] = weakref.WeakSet()

    def submit(index: int) -> Any:
        # The pool is asked for each time: after a worker's crash it is a new one.
        try:
            if guard is not None:
                future = workers.executor().submit(_guarded, fn, items[index], guard.limit, guard.mark(index))
            else:
                future = workers.executor().submit(fn, items[index])
        except BrokenProcessPool as exc:
            # A worker died since the last results came in: this item is lost with the others.
            future = Future()
            future.set_exception(exc)
        pending.add(future)
        return future

    def settle(lost: list[int]) -> dict[int, R]:
        assert guard is not None
        return guard.settle(lost, workers, submit)

    try:
        yield from _windowed(len(items), submit, lambda waiting: wait(waiting, return_when=FIRST_COMPLETED).done,
                             lambda: window or WINDOW_PER_WORKER * workers.jobs, on_done,
                             lost=(lambda exc: isinstance(exc, BrokenProcessPool)) if guard is not None else None,
                             settle=settle, all_lost=True)
    except (KeyboardInterrupt, SystemExit):
        # Interrupted (Ctrl-C, or SIGTERM turned into one by the CLI): stop the workers now, not
        # after the documents they are on (an OCR pass can take minutes).
        workers.terminate()
        raise
    finally:
        if guard is not None:
            guard.close()
        if own:
            # After an error or an early stop, queued items are dropped; running ones finish, so no
            # worker process outlives the run.
            workers.close()
        else:
            # A shared pool stays for the next call, without this call's leftovers.
            for future in list(pending):
                future.cancel()


class _Guard(Generic[T, R]):
    """What a local pool needs to survive its items: where a worker stopped for running too long
    says which item it was on (a file per item, written just before it stops), and how to run the
    items a broken pool lost."""

    def __init__(self, items: Sequence[T], on_fault: Callable[[T, Fault], R], limit: float | None) -> None:
        self.items = items
        self.on_fault = on_fault
        self.limit = limit if limit else None
        self.folder = Path(tempfile.mkdtemp(prefix="redact-limits-")) if self.limit else None

    def mark(self, index: int) -> str | None:
        return str(self.folder / str(index)) if self.folder is not None else None

    def timed_out(self, index: int) -> bool:
        return self.folder is not None and (self.folder / str(index)).exists()

    def settle(self, lost: list[int], workers: WorkerPool, submit: Callable[[int], Any]) -> dict[int, R]:
        """The results of the items a broken pool lost: each run again alone on a new pool, so that
        one which breaks it again is the one at fault, and the others are not blamed for it."""
        workers.restart()
        out: dict[int, R] = {}
        for index in lost:
            if self.timed_out(index):  # it had its full time: not run again
                log.debug("item %d ran over the time limit (%g s); its worker was stopped", index, self.limit)
                out[index] = self.on_fault(self.items[index], Fault("timed out"))
                continue
            try:
                out[index] = submit(index).result()
            except BrokenProcessPool:
                workers.restart()
                fault = Fault("timed out" if self.timed_out(index) else "crashed")
                log.debug("item %d stopped its worker process again, alone (%s)", index, fault.kind)
                out[index] = self.on_fault(self.items[index], fault)
        return out

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


#: In a pool worker: the item's deadline (time.monotonic()) and the file to write when it passes.
_deadline: list[Any] = [None, None]
_deadline_lock = threading.Lock()
#: A worker stopped for running past its item's time limit ends with this code.
TIMED_OUT_EXIT = 124


def _guarded(fn: Callable[[T], R], item: T, limit: float | None, mark: str | None) -> R:
    """``fn(item)`` in a pool worker, stopped by the worker's watch thread after ``limit`` seconds."""
    if limit is None or mark is None:
        return fn(item)
    with _deadline_lock:
        _deadline[:] = [time.monotonic() + limit, mark]
    try:
        return fn(item)
    finally:
        with _deadline_lock:
            _deadline[:] = [None, None]


def extend_time_limit(seconds: float) -> None:
    """Give the item this worker runs ``seconds`` more (an item that finds itself larger than most,
    e.g. a document with many pages); nothing outside a time-limited item."""
    with _deadline_lock:
        if _deadline[0] is not None:
            _deadline[0] += seconds


def _past_deadline() -> None:
    """Stop this worker if its item ran past its time limit, saying so in the item's file first.

    Only the process can be stopped: the item may be inside a library's C code, where no Python
    exception reaches it."""
    with _deadline_lock:
        if _deadline[0] is not None and time.monotonic() > _deadline[0]:
            Path(_deadline[1]).touch()
            os._exit(TIMED_OUT_EXIT)  # under the lock: the item cannot end (and take another) meanwhile


def _start_worker() -> None:
    """In a pool worker: Ctrl-C and SIGTERM are the parent's to handle (it stops the workers), so a
    worker never half-finishes a document on its own; and a worker ends when its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), name="redact-parent-watch", daemon=True).start()


#: Seconds between a worker's checks that its parent still runs.
_PARENT_CHECK = 1.0


def _end_with_parent(parent: int) -> None:
    # A parent killed outright (kill -9, the out-of-memory killer) cannot stop its workers, and
    # nothing reads their results any more: each would wait on its result forever, holding its
    # memory. An orphan is adopted by another process, which changes its parent id.
    # The same thread stops the worker when its item runs past its time limit (see _guarded).
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK)
        _past_deadline()
    os._exit(int(ExitCode.INTERRUPTED))


def _on_dask(fn: Callable[[T], R], items: Sequence[T], address: str, on_done: Callable[[R], None] | None,
             window: int | None, on_fault: Callable[[T, Fault], R] | None) -> Iterator[R]:
    if not items:
        return
    distributed = _import_distributed()
    client = _connect(distributed, address)
    # Given the client's loop: the client is not made the process-wide default one.
    completed = distributed.as_completed(loop=client.loop)

    def submit(index: int) -> Any:
        future = client.submit(fn, items[index], pure=False)
        completed.add(future)
        return future

    def settle(lost: list[int]) -> dict[int, R]:
        # The scheduler has already run each of them again on other workers (its allowed-failures),
        # but it also counts against a task the deaths of a worker it was merely queued on: each is
        # run once more, one after the other, so one that ran beside the culprit is not blamed.
        assert on_fault is not None
        out: dict[int, R] = {}
        for index in lost:
            try:
                out[index] = client.submit(fn, items[index], pure=False).result()
            except distributed.KilledWorker:
                out[index] = on_fault(items[index], Fault("crashed"))
        return out

    try:
        yield from _windowed(len(items), submit, lambda pending: set(completed.next_batch(block=True)),
                             # Asked again at each refill: workers that join during the run get work too.
                             lambda: window or WINDOW_PER_WORKER * max(1, sum(client.nthreads().values())),
                             on_done,
                             lost=(lambda exc: isinstance(exc, distributed.KilledWorker)) if on_fault else None,
                             settle=settle, all_lost=False)
    finally:
        # The client only: the cluster belongs to whoever started it. Its unfinished tasks are
        # released with it.
        client.close()


def _windowed(count: int, submit: Callable[[int], Any], wait_any: Callable[[set[Any]], set[Any]],
              window: Callable[[], int], on_done: Callable[[R], None] | None,
              lost: Callable[[BaseException], bool] | None = None,
              settle: Callable[[list[int]], dict[int, R]] | None = None, all_lost: bool = False) -> Iterator[R]:
    """Keep at most ``window()`` items submitted and not yet yielded; yield in item order.

    An item whose future fails with an exception ``lost`` accepts is given ``settle``'s result
    instead of raising; with ``all_lost`` (a pool that broke loses every item it held), the items
    still pending then are settled with it, so nothing runs beside them meanwhile."""
    pending: dict[Any, int] = {}
    done: dict[int, R] = {}
    submitted = yielded = 0

    def finished(index: int, result: R) -> None:
        if on_done:
            on_done(result)
        done[index] = result

    while yielded < count:
        limit = max(1, window())
        while submitted < count and submitted - yielded < limit:
            pending[submit(submitted)] = submitted
            submitted += 1
        dropped: list[int] = []
        ready = wait_any(set(pending))
        if all_lost and lost is not None and any(f.exception() is not None and lost(f.exception()) for f in ready):
            # Every other item of the broken pool fails the same way within moments: settled together.
            ready = wait(set(pending)).done
        # Sorted so that results finishing together reach on_done in a reproducible order.
        for future in sorted(ready, key=pending.__getitem__):
            index = pending.pop(future)
            try:
                result = future.result()
            except BaseException as exc:
                if lost is None or settle is None or not lost(exc):
                    raise
                dropped.append(index)
                continue
            finished(index, result)
        if dropped:
            assert settle is not None
            for index, result in sorted(settle(sorted(dropped)).items()):
                finished(index, result)
        while yielded in done:
            # Popped, not kept: once handed on, a result is the caller's to keep or drop.
            result = done.pop(yielded)
            yielded += 1
            yield result


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ExecutorError("the dask executor needs the 'distributed' package, which is not installed",
                            hint="install the dask extra: pip install 'redact[dask]'") from exc
    return distributed


def _connect(distributed: Any, address: str) -> Any:
    setup = (f"start `dask scheduler` on one machine and `dask worker {address}` on each worker machine; "
             "every one of them needs redact installed, and each worker must see the request and output "
             "folders at the same paths as this machine")
    if address.startswith("tls://"):
        # Without certificates the connection fails with a TypeError, and the half-made client
        # then spends 20 s failing to close.
        security = distributed.Security()
        if not (security.tls_ca_file and security.tls_client_cert):
            raise ExecutorError(f"{address} is a TLS address, but no TLS certificates are configured",
                                hint="set DASK_DISTRIBUTED__COMM__TLS__CA_FILE, "
                                     "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT and "
                                     "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY to the PEM files (or the same keys, "
                                     "distributed.comm.tls.*, in a dask configuration file)")
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except OSError as exc:  # refused, unknown host, or timed out (TimeoutError is an OSError)
        raise ExecutorError(f"cannot reach the dask scheduler at {address} ({exc})", hint=setup) from exc
    except ValueError as exc:
        raise ExecutorError(f"not a dask scheduler address: {address!r} ({exc})",
                            hint="give it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786") from exc
    try:
        client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError as exc:
        client.close()
        raise ExecutorError(f"the dask scheduler at {address} has no workers (waited {WORKER_TIMEOUT:g} s)",
                            hint=setup) from exc
    except BaseException:
        client.close()
        raise
    _warn_if_profiled(client, address)
    return client


#: Schedulers whose workers were already asked about the profiler (a run connects once per round).
_profiling_asked: set[str] = set()


def _profiling(dask_worker: Any) -> bool:
    """On a Dask worker: whether Dask's own profiler samples the tasks it runs."""
    return "profile" in dask_worker.periodic_callbacks


def _warn_if_profiled(client: Any, address: str) -> None:
    """Say so when the cluster's workers run Dask's profiler.

    It samples every running task's stack 100 times a second for the dashboard, in the task's own
    process: on 2 cores a batch took 5-15 % longer with it than without (docs/benchmarks.md). The
    workers are the agency's, started by whoever runs the cluster, so this is a hint, not a change."""
    if address in _profiling_asked:
        return
    _profiling_asked.add(address)
    try:
        profiled = sum(bool(on) for on in client.run(_profiling).values())
    except Exception:  # a cluster that refuses client.run: the run goes on without the hint
        log.debug("could not ask the dask workers whether they profile", exc_info=True)
        return
    if profiled:
        log.warning("%d dask worker(s) at %s run Dask's profiler, which slows the batch (about 5-15 %% on a "
                    "small machine); start the workers with DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False "
                    "(see README: Several machines)", profiled, address)
