"""A worker gives back the memory a finished document freed, so its size follows the document it is
on, not the largest one it has had (sizes themselves are measured by `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from redactor import api
from redactor.api import _malloc_trim
from redactor.errors import ExitCode

# Run in a fresh interpreter: the heap of the test process has a history no assertion could allow for.
_PROBE = """
import gc, psutil
from redactor.api import _return_freed_memory
proc = psutil.Process()
base = proc.memory_info().rss
blocks = [bytes(2000) + bytes([i % 256]) for i in range(100_000)]  # 200 MB of malloc'ed blocks
last = blocks[-1]  # still held: the freed memory sits below it and cannot simply shrink the heap
del blocks
gc.collect()
freed = proc.memory_info().rss
_return_freed_memory()
print(freed - base, proc.memory_info().rss - base)
"""


def held_and_after(probe: str) -> tuple[int, int]:
    """What a probe printed: bytes held before ``_return_freed_memory``, and after it."""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    held, after = map(int, out.stdout.split())
    return held, after


@pytest.mark.skipif(_malloc_trim() is None, reason="not glibc: nothing to trim")
def test_memory_freed_by_a_document_goes_back_to_the_system() -> None:
    held, after = held_and_after(_PROBE)
    assert held > 150 * 2**20  # glibc kept what was freed ...
    assert after < held / 4  # ... and gives it back when asked


# A PDF (``data``) of a page showing a 3000 x 3000 image: drawing it decodes 27 MB of pixels into
# MuPDF's store.
_BIG_IMAGE_PDF = """
import gc, psutil, pymupdf
proc = psutil.Process()
pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 3000, 3000), False)
pix.set_rect(pix.irect, (200, 120, 40))
png = pix.tobytes("png")
del pix
with pymupdf.open() as doc:
    doc.new_page().insert_image(pymupdf.Rect(0, 0, 600, 600), stream=png)
    data = doc.tobytes()
"""

_STORE_PROBE = _BIG_IMAGE_PDF + """
from redactor.api import _return_freed_memory
_return_freed_memory()
base = proc.memory_info().rss
with pymupdf.open("pdf", data) as doc:
    doc[0].get_pixmap(dpi=30)
gc.collect()
held = proc.memory_info().rss
_return_freed_memory()
print(held - base, proc.memory_info().rss - base)
"""


@pytest.mark.skipif(_malloc_trim() is None, reason="not glibc: nothing to trim")
def test_images_a_pdf_decoded_are_not_kept_after_its_document() -> None:
    held, after = held_and_after(_STORE_PROBE)
    assert held > 20 * 2**20  # the decoded image sat in MuPDF's store after the document closed ...
    assert after < held / 4  # ... and is gone once the document is finished


def test_a_mailbox_too_large_for_one_worker_is_pointed_out_before_the_run(make_request) -> None:
    # An .mbox is one document: the officer is told before the run, while the export can still be
    # split. A sparse file has the size without the disk use; it is not a mailbox, so the run is short.
    folder = make_request({"inbox/small.mbox": "From a@b.example Mon Sep  1 08:00:00 2026\nSubject: hi\n\nhello\n"})
    # Reckoned at about 270 MB + 4 MB per MB of mailbox (make bench's mailbox phase measured 3): 1.5 GB
    # at about 300 MB.
    for name, size in (("year.mbox", 400_000_000), ("month.mbox", 200_000_000)):
        with (folder / "inbox" / name).open("wb") as fh:
            fh.truncate(size)
    result = subprocess.run([sys.executable, "-m", "redactor", "batch", str(folder), "--jobs", "1"],
                            capture_output=True, text=True, timeout=300)
    warned = [line for line in result.stderr.splitlines() if "WARNING" in line and "mailbox" in line]
    assert len(warned) == 1, result.stderr
    assert "inbox/year.mbox is a 400 MB mailbox" in warned[0] and "about 1.9 GB of memory" in warned[0]


# The report's page images are rendered in the parent, document after document: what MuPDF decoded
# for one (here a 27 MB image) must not stay in its store, or the parent grows with the request.
_REPORT_PROBE = _BIG_IMAGE_PDF + """
import tempfile
from pathlib import Path
from redactor.api import _malloc_trim
from redactor.report.thumbnails import render_pages
path = Path(tempfile.mkdtemp()) / "scan.pdf"
path.write_bytes(data)
trim = _malloc_trim()
trim(0)
base = proc.memory_info().rss
[image] = render_pages(path, [1], {1: [(10.0, 10.0, 50.0, 50.0)]})
assert image.boxes == 1 and image.data_uri.startswith("data:image/jpeg;base64,")
gc.collect()
trim(0)  # what is freed goes back to the system; what MuPDF still holds stays
print(proc.memory_info().rss - base)
"""


@pytest.mark.skipif(_malloc_trim() is None, reason="not glibc: nothing to trim")
def test_a_report_page_image_leaves_nothing_decoded_behind() -> None:
    out = subprocess.run([sys.executable, "-c", _REPORT_PROBE], capture_output=True, text=True, check=True)
    assert int(out.stdout) < 10 * 2**20  # the 27 MB image is not held


def _workers() -> list[int]:
    """This process's pool workers: children forked from it (not, say, multiprocessing's resource
    tracker, also a child of it)."""
    here = psutil.Process()
    return [child.pid for child in here.children() if child.cmdline() == here.cmdline()]


class _CountWorkers:
    """A progress display that notes how many workers run as each document comes back."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def start(self, documents: int) -> None:
        pass

    def done(self, result: object) -> None:
        self.seen.append(len(_workers()))


def test_the_workers_are_stopped_before_the_package_is_written(make_request, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Each worker holds the model (about 250 MB): the parent's largest step, writing the package,
    # must not have them beside it.
    write = api._write_package
    during: list[list[int]] = []

    def watched(*args: object, **kwargs: object) -> None:
        during.append(_workers())
        write(*args, **kwargs)

    monkeypatch.setattr(api, "_write_package", watched)
    folder = make_request({f"files/note{i}.txt": f"Resident Jane Roe{i}, cell (413) 555-01{i:02d}.\n"
                           for i in range(4)})
    progress = _CountWorkers()
    result = api.run_batch(folder, api.BatchOptions(out_dir=tmp_path / "out", jobs=2), progress=progress)
    assert result.exit_code == ExitCode.OK
    assert max(progress.seen) == 2  # the documents were processed by two workers ...
    assert during == [[]]  # ... gone when the package was written


@pytest.mark.parametrize("documents", [1, 3])
def test_the_worker_of_a_request_of_one_document_is_stopped_as_its_result_arrives(
        make_request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: int) -> None:
    # A large mailbox alone: its worker keeps what the mailbox left it (and the model) while this
    # process stores the result and writes the package; with other documents, the workers are kept
    # for them (and for the request-wide rounds).
    remember = api._Run.remember
    during: list[list[int]] = []

    def watched(self: api._Run, *args: object) -> None:
        during.append(_workers())
        remember(self, *args)

    monkeypatch.setattr(api._Run, "remember", watched)
    folder = make_request({f"files/note{i}.txt": f"Resident Jane Roe{i}, cell (413) 555-01{i:02d}.\n"
                           for i in range(documents)})
    result = api.run_batch(folder, api.BatchOptions(out_dir=tmp_path / "out", jobs=2))
    assert result.exit_code == ExitCode.OK and len(during) == documents
    if documents == 1:
        assert during == [[]]
    else:
        assert during[0]  # the first result arrives while the workers still have the others
