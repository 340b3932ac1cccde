"""A disk that fills up during a run: the run stops with a clear message, releases nothing, and
keeps what it had analysed; once there is room, the same command finishes the job."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from redactor.api import BatchOptions, run_batch
from redactor.cache import CACHE_DIR
from redactor.errors import ExitCode, InputError
from redactor.formats import base as formats_base

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 3 MB file system (tmpfs), when this machine lets the tests mount one (root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _redact(folder: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redactor", "batch", str(folder), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, timeout=600)


def test_when_the_disk_fills_up_then_the_run_says_so_and_the_next_one_finishes(small_disk: Path) -> None:
    # Room for a fraction of the package (release, review and cache take about 1.7 MB here).
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 600_000))
    out = small_disk / "out"
    full = _redact(SAMPLE, out)
    assert full.returncode == ExitCode.BAD_INPUT, full.stderr
    assert f"the disk holding {small_disk} ran out of space" in full.stderr
    assert "nothing was released" in full.stderr
    assert "internal error" not in full.stderr  # not a bug, and no document blamed for it
    assert not out.exists()
    for stage in small_disk.glob(".out.staging-*"):  # no package: only what the next run takes over
        assert {p.name for p in stage.iterdir()} <= {CACHE_DIR, "release", ".lock"}

    filler.unlink()
    done = _redact(SAMPLE, out)
    assert done.returncode in (ExitCode.OK, ExitCode.WITHHELD_FOR_REVIEW), done.stderr
    assert (out / "manifest.json").is_file() and not list(small_disk.glob(".out.staging-*"))


def test_when_a_worker_finds_the_disk_full_then_the_run_stops_instead_of_withholding_the_document(
        make_request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fault injection for machines that cannot mount a small disk: the writer meets a full disk.
    def full(self, reds):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(formats_base.MappedTextDocument, "redacted_text", full)
    folder = make_request({"files/a.txt": "Call Jane Roe at (617) 555-0142.\n",
                           "files/b.txt": "Nothing private here.\n"})
    with pytest.raises(InputError, match="ran out of space") as raised:
        run_batch(folder, BatchOptions(out_dir=tmp_path / "out", jobs=1))
    assert isinstance(raised.value.__cause__, OSError)
    assert not (tmp_path / "out").exists()
