"""Stopping a run: SIGTERM or Ctrl-C ends it at once, with its worker processes, and releases nothing;
what a stopped run had analysed and released is taken over by the next run for the same output."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from redactor import cache as cache_module
from redactor import package as package_module
from redactor.api import BatchOptions, run_batch
from redactor.cache import CACHE_DIR, DB_NAME
from redactor.errors import ExitCode
from redactor.package import MANIFEST, RESUMED, abandon_stage, staging_dir

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"


def _slow_request(tmp_path: Path) -> Path:
    folder = tmp_path / "request"
    shutil.copytree(SAMPLE, folder)
    # Several copies of the scanned form keep both workers busy with OCR for a while.
    for n in range(6):
        shutil.copy(SAMPLE / "files/scanned_permit_form.pdf", folder / f"files/scan_{n}.pdf")
    return folder


def _interruptible() -> None:
    # A suite started in the background by a shell without job control ("nohup make test &")
    # inherits SIGINT ignored, and so would the run, which then finishes: the test stands for a
    # terminal's Ctrl-C, which reaches a run started in the foreground.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_and_wait(folder: Path, out: Path, ready: Callable[[psutil.Process], bool]) -> tuple[
        subprocess.Popen, list[psutil.Process]]:
    """A run of ``folder`` into ``out``, once ``ready(parent)``: the process and its workers."""
    proc = subprocess.Popen([sys.executable, "-m", "redactor", "batch", str(folder), "--out", str(out),
                             "--jobs", "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_interruptible)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    while not ready(parent) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be stopped"
    return proc, parent.children(recursive=True)


def _rows(db: Path, table: str) -> int:
    """Rows of a cache table so far (0 while the cache is not created yet)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


def _staged(out: Path, table: str = "detections") -> int:
    """Rows the run staging ``out`` has recorded in a table of its cache so far (by default, text
    units analysed)."""
    return sum(_rows(db, table) for db in out.parent.glob(f".{out.name}.staging-*/{CACHE_DIR}/{DB_NAME}"))


def _stop(proc: subprocess.Popen, signum: int) -> str:
    proc.send_signal(signum)  # to the parent alone, as `kill` or a service manager would
    try:
        return proc.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the run did not stop within a minute") from None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_when_the_run_is_stopped_then_its_workers_stop_and_nothing_is_written(tmp_path: Path, signum) -> None:
    out = tmp_path / "out"
    proc, workers = _start_and_wait(_slow_request(tmp_path), out, lambda parent: len(parent.children()) >= 2)
    time.sleep(3)  # the workers are inside documents now
    err = _stop(proc, signum)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "interrupted; nothing was released" in err
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, f"worker processes outlived the run: {alive}"
    assert not out.exists()
    # Nothing staged is left but the cache and the files released so far, which the next run takes
    # over (next test): no package, no log, no review.
    for stage in tmp_path.glob(".out.staging-*"):
        assert {p.name for p in stage.iterdir()} <= {CACHE_DIR, "release", ".lock"}
        assert f"kept in {stage}:" in err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_when_a_stopped_first_run_is_run_again_then_it_picks_up_what_was_analysed(tmp_path: Path, signum) -> None:
    # SIGKILL stands for the power going off: no clean-up at all, the staging folder left whole.
    folder, out = _slow_request(tmp_path), tmp_path / "out"
    # Until a document is stored, not merely its text units: the parent commits a document's units,
    # then the document, and a kill between the two would leave no document to take.
    proc, workers = _start_and_wait(folder, out, lambda parent: _staged(out, "documents") > 0)
    _stop(proc, signum)
    # Killed outright, the parent cannot stop its workers: they must notice and end on their own.
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, f"worker processes outlived the run: {alive}"
    recorded = _staged(out)
    assert recorded > 0 and not out.exists()
    # Its results spool (the request's values in it) is deleted by a run stopped by Ctrl-C, and
    # left by one killed outright, for the next run to delete.
    left = list(tmp_path.glob(".redact-*"))
    assert any(p.name.startswith(".redact-results-") for p in left) == (signum == signal.SIGKILL)

    cache_module._memo.clear()  # this process has analysed nothing: what is reused comes from the cache
    resumed = run_batch(folder, BatchOptions(out_dir=out, jobs=2))
    assert not any(p.exists() for p in left)  # (the new run's own spool lives with its results)
    assert resumed.cache["units_from_cache"] >= recorded
    assert resumed.cache["documents_reused"] >= 1  # the documents it had finished are taken as released
    assert not list(tmp_path.glob(".out.staging-*")), "the stopped run's staging folder was left behind"
    assert (out / CACHE_DIR / DB_NAME).is_file() and not (out / ".lock").exists()
    assert not (out / RESUMED).exists()

    cache_module._memo.clear()
    fresh = run_batch(folder, BatchOptions(out_dir=tmp_path / "fresh", jobs=2))
    assert resumed.cache["units_analysed"] < fresh.cache["units_analysed"]
    for rel in ("release", "review/findings.jsonl"):
        assert _tree(out / rel) == _tree(tmp_path / "fresh" / rel), rel


def test_when_a_stopped_rerun_is_run_again_then_it_takes_the_documents_it_had_released(tmp_path: Path) -> None:
    folder = _slow_request(tmp_path)
    out = tmp_path / "out"
    run_batch(folder, BatchOptions(out_dir=out, jobs=2))
    # Another rule set: every document's markers change, so what the rerun releases is new.
    settings = folder / "request.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("rules: massachusetts", "rules: federal_foia")
                        .replace('code: "26(f)"', 'code: "(b)(7)(D)"'), encoding="utf-8")
    cache = out / CACHE_DIR / DB_NAME
    before = _rows(cache, "documents")
    # Until two documents' results are stored (the parent stores each when it arrives, after its
    # files, in task order). Not one: the first, complaint_log.txt, shows an address a later document
    # removed, so the request-wide check processes it again in any run, and it alone is never taken.
    proc, workers = _start_and_wait(folder, out, lambda parent: _rows(cache, "documents") >= before + 2)
    _stop(proc, signal.SIGINT)
    psutil.wait_procs(workers, timeout=30)
    [stage] = tmp_path.glob(".out.staging-*")  # kept: the output's cache vouches for its files
    # A worker stopped while writing may have left its temporary file (".<name>.<random>.tmp"):
    # not an output (the resumed run removes it from the release; the fresh run below compares).
    kept = {p.relative_to(stage / "release").as_posix(): p.read_bytes()
            for p in (stage / "release").rglob("*") if p.is_file()
            and not (p.name.startswith(".") and p.name.endswith(".tmp"))}
    new = {rel for rel, data in kept.items() if data != (out / "release" / rel).read_bytes()}
    assert new

    cache_module._memo.clear()
    resumed = run_batch(folder, BatchOptions(out_dir=out, jobs=2))
    # Taken as the stopped run released them (nothing looked at again), not done a second time.
    taken = [r.document for r in resumed.results.light
             if set(r.outputs) & new and r.units_analysed == r.units_cached == 0]
    assert taken, "the stopped rerun's documents were processed again"
    assert not list(tmp_path.glob(".out.staging-*")), "the stopped run's staging folder was left behind"
    assert not (out / RESUMED).exists()

    cache_module._memo.clear()
    run_batch(folder, BatchOptions(out_dir=tmp_path / "fresh", jobs=2))
    for rel in ("release", "review/findings.jsonl"):
        assert _tree(out / rel) == _tree(tmp_path / "fresh" / rel), rel


def _tree(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {root.name: root.read_bytes()}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_staging_folders_of_runs_still_going_are_left_alone(make_request, tmp_path: Path) -> None:
    folder = make_request({"files/note.txt": "Call Jane Roe at (617) 555-0142.\n"})
    out = tmp_path / "out"
    live = staging_dir(out)  # another run for the same output, still going: this process holds its lock
    (live / CACHE_DIR).mkdir()
    (live / CACHE_DIR / DB_NAME).write_bytes(b"")
    # A folder of an earlier version (no lock file) whose process has ended.
    ended = _ended_pid()
    dead = tmp_path / f".out.staging-{ended}"
    (dead / "release").mkdir(parents=True)
    young = tmp_path / f".out.staging-{ended}-0a1b2c3d"  # may be being set up: kept
    young.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(dead, (an_hour_ago, an_hour_ago))
    try:
        result = run_batch(folder, BatchOptions(out_dir=out, jobs=1))
        assert result.exit_code == ExitCode.OK
        assert live.is_dir() and (live / CACHE_DIR / DB_NAME).is_file()
        assert not dead.exists()
        assert young.is_dir()
    finally:
        abandon_stage(live)


def _ended_pid() -> str:
    """The process id of a process that has ended."""
    return subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()


def _manifest_version(out: Path) -> int:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))["run"]["version"]


def test_when_a_run_was_killed_while_replacing_the_package_then_the_next_run_puts_the_previous_back(
        make_request, tmp_path: Path) -> None:
    folder = make_request({"files/note.txt": "Call Jane Roe at (617) 555-0142.\n"})
    out = tmp_path / "out"
    run_batch(folder, BatchOptions(out_dir=out, jobs=1))
    first = _tree(out / "release")
    # Killed where a commit without a one-step exchange has moved the package aside and not yet
    # moved the new one into place: no output folder, the previous package under another name.
    aside = tmp_path / f".out.previous-{_ended_pid()}"
    out.rename(aside)
    (folder / "files/note.txt").write_text("Call Jane Roe at (617) 555-0142 about the permit.\n", encoding="utf-8")

    again = run_batch(folder, BatchOptions(out_dir=out, jobs=1))
    assert again.exit_code == ExitCode.OK
    assert not aside.exists()
    # A second version, with the first kept: the package's history was not lost.
    assert _manifest_version(out) == 2
    assert _tree(out / "versions/1/release") == first
    assert b"about the permit" in (out / "release/files/note.txt").read_bytes()


def test_a_leftover_of_a_completed_replacement_is_removed_and_one_of_a_live_run_kept(
        make_request, tmp_path: Path) -> None:
    folder = make_request({"files/note.txt": "Call Jane Roe at (617) 555-0142.\n"})
    out = tmp_path / "out"
    run_batch(folder, BatchOptions(out_dir=out, jobs=1))
    stale = tmp_path / f".out.previous-{_ended_pid()}"
    (stale / "release").mkdir(parents=True)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = tmp_path / f".out.previous-{live.pid}"  # another run's, in the middle of its commit
        (busy / "release").mkdir(parents=True)
        run_batch(folder, BatchOptions(out_dir=out, jobs=1))
        assert not stale.exists()
        assert busy.is_dir()
        assert _manifest_version(out) == 2
    finally:
        live.kill()
        live.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a one-step exchange is Linux's renameat2")
def test_a_commit_exchanges_the_package_and_the_previous_one_in_one_step(tmp_path: Path) -> None:
    old, new = tmp_path / "out", tmp_path / ".out.staging-1"
    (old / "release").mkdir(parents=True)
    (old / "release/a.txt").write_text("previous", encoding="utf-8")
    (new / "release").mkdir(parents=True)
    (new / "release/a.txt").write_text("new", encoding="utf-8")
    assert package_module._exchange(new, old)
    assert (old / "release/a.txt").read_text(encoding="utf-8") == "new"
    assert (new / "release/a.txt").read_text(encoding="utf-8") == "previous"

    package_module.commit(old, new)  # back again, through the commit: the staged folder is gone after it
    assert (new / "release/a.txt").read_text(encoding="utf-8") == "new"
    assert not old.exists() and [p.name for p in tmp_path.iterdir()] == [new.name]
