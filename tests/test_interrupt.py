"""Stopping a run: SIGTERM or Ctrl-C ends it at once, with its worker processes, and releases nothing."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from redactor.errors import ExitCode

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_when_the_run_is_stopped_then_its_workers_stop_and_nothing_is_written(tmp_path: Path, signum) -> None:
    folder = tmp_path / "request"
    shutil.copytree(SAMPLE, folder)
    # Several copies of the scanned form keep both workers busy with OCR for a while.
    for n in range(6):
        shutil.copy(SAMPLE / "files/scanned_permit_form.pdf", folder / f"files/scan_{n}.pdf")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "redactor", "batch", str(folder), "--out", str(out),
                             "--jobs", "2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    while len(parent.children()) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be stopped"
    workers = parent.children(recursive=True)
    time.sleep(3)  # the workers are inside documents now
    proc.send_signal(signum)  # to the parent alone, as `kill` or a service manager would
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the run did not stop within a minute") from None
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "interrupted; nothing was released" in err
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, f"worker processes outlived the run: {alive}"
    assert not out.exists()
    assert not list(tmp_path.glob(".out.staging-*"))
