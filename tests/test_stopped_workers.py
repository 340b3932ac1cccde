"""A document that stops its worker process: one still being processed after the batch's time limit
(a parser caught in a loop) is stopped and withheld, and one whose worker dies (a library crash, the
out-of-memory killer) is processed again alone; the rest of the batch goes on either way, and
nothing is released unredacted or remembered for the next run.

Real worker processes, real OCR and real signals: a slow document is a scan of several pages, and a
dead worker is one killed from here, as the system would kill it."""

from __future__ import annotations

import os
import signal
from email.message import EmailMessage
from pathlib import Path

import psutil
import pymupdf
import pytest

from redactor import api
from redactor.api import BatchOptions, TimeLimit, _analyze, run_batch
from redactor.detect.settings import DetectionConfig
from redactor.errors import ExitCode
from redactor.models import DocumentResult

NOTES = {f"files/note{i}.txt": f"Complainant Jane Roe{i}, cell (413) 555-01{i:02d}, about the permit.\n"
         for i in range(6)}
#: Scanned pages, each its own text (the OCR cache knows a page by its image).
SCAN_PAGES = 8


def scanned_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` page images at 200 dpi, each showing a few lines of its own: no text layer."""
    out = pymupdf.open()
    for n in range(pages):
        with pymupdf.open() as page_doc:
            page = page_doc.new_page()
            page.insert_text((72, 100), f"Inspection report page {n + 1}\nResident Mary Smith{n}\n"
                                        f"Phone (508) 555-02{n:02d}\nBoiler inspected; no violations.", fontsize=14)
            png = page.get_pixmap(dpi=200).tobytes("png")
        out.new_page().insert_image(pymupdf.Rect(0, 0, 612, 792), stream=png)
    data = out.tobytes(deflate=True, garbage=3)
    out.close()
    return data


def _released(out: Path) -> dict[str, bytes]:
    release = out / "release"
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in sorted(release.rglob("*"))
            if p.is_file() and p.name != "redaction_log.csv"}


@pytest.fixture(scope="module", autouse=True)
def loaded_model() -> None:
    # The pool's workers are forked from this process: with the model loaded here, a note takes a
    # fraction of a second in them, far inside the short limit the tests set.
    _analyze(["Jane Roe called."], DetectionConfig())


def test_a_document_past_the_time_limit_is_withheld_and_the_rest_released(make_request, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_request({**NOTES, "files/scan.pdf": scanned_pdf(SCAN_PAGES)})
    calm = run_batch(folder, BatchOptions(out_dir=tmp_path / "calm", jobs=2))
    assert calm.exit_code == ExitCode.OK and "scan.pdf" in str(calm.results.light[-1].document)

    out = tmp_path / "limited"
    processed: list[str] = []  # the documents whose processing came back (stopped or not)
    arrived = api._Run._arrived

    def spy(run: api._Run, task: api.DocumentTask, result: DocumentResult) -> None:
        processed.append(task.document)
        arrived(run, task, result)
    monkeypatch.setattr(api._Run, "_arrived", spy)
    limited = run_batch(folder, BatchOptions(out_dir=out, jobs=2, time_limit=TimeLimit(base=1, per_page=0, per_mb=0)))
    assert limited.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert [(w.document, w.reason) for w in limited.withheld] == [("files/scan.pdf", "time limit")]
    # Stopped while it was read ahead for its values (its pages are read then): not sent again to
    # be stopped a second time after as long.
    assert sorted(processed) == sorted(NOTES)
    assert "--document-timeout" in limited.withheld[0].detail
    released = _released(out)
    assert "files/scan.pdf" not in released
    assert released == {rel: data for rel, data in _released(tmp_path / "calm").items() if rel != "files/scan.pdf"}

    # Not remembered: the next run, with a limit that fits, processes it and releases it.
    again = run_batch(folder, BatchOptions(out_dir=out, jobs=2))
    assert again.exit_code == ExitCode.OK
    assert _released(out) == _released(tmp_path / "calm")


def test_a_request_of_one_document_has_the_same_time_limit(make_request, tmp_path: Path) -> None:
    # One document is processed by a worker of its own, not by the redact process: a loop there
    # is stopped as in a larger request (and a crash would not end the run).
    folder = make_request({"files/scan.pdf": scanned_pdf(SCAN_PAGES)})
    out = tmp_path / "limited"
    limited = run_batch(folder, BatchOptions(out_dir=out, jobs=2, time_limit=TimeLimit(base=1, per_page=0, per_mb=0)))
    assert limited.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert [(w.document, w.reason) for w in limited.withheld] == [("files/scan.pdf", "time limit")]
    assert _released(out) == {}
    calm = run_batch(folder, BatchOptions(out_dir=out, jobs=2))
    assert calm.exit_code == ExitCode.OK and list(_released(out)) == ["files/scan.pdf"]


def scan_mail(pages: int) -> bytes:
    """A message with the scan attached."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "clerk@town.example.gov", "dpw@town.example.gov", "Scan"
    message.set_content("The inspection report is attached.\n")
    message.add_attachment(scanned_pdf(pages), maintype="application", subtype="pdf", filename="report.pdf")
    return bytes(message)


@pytest.mark.parametrize("kind", ["pdf pages", "attached pages", "megabytes"])
def test_a_larger_document_gets_more_time(make_request, tmp_path: Path, kind: str) -> None:
    if kind == "pdf pages":
        name, data, limit = "files/scan.pdf", scanned_pdf(SCAN_PAGES), TimeLimit(base=1, per_page=5, per_mb=0)
    else:
        name, data = "files/scan.eml", scan_mail(SCAN_PAGES)
        per_mb = 5 * SCAN_PAGES / (len(data) / 1e6)  # as much as 5 s a page would give it
        limit = TimeLimit(base=1, per_page=5, per_mb=0) if kind == "attached pages" else \
            TimeLimit(base=1, per_page=0, per_mb=per_mb)
    folder = make_request({**NOTES, name: data})
    result = run_batch(folder, BatchOptions(out_dir=tmp_path / "out", jobs=2, time_limit=limit))
    assert result.exit_code == ExitCode.OK, [(w.document, w.reason) for w in result.withheld]


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE  # dead, not yet waited for
    except psutil.NoSuchProcess:
        return True


class _KillAWorker:
    """A progress display that kills one of the pool's workers when the first document is done, as
    the out-of-memory killer would: the other documents are then in flight or still to come."""

    def __init__(self) -> None:
        self.killed: int | None = None

    def start(self, documents: int) -> None:
        pass

    def done(self, result: DocumentResult) -> None:
        if self.killed is None:
            # The pool's workers are forked from this process (unlike, say, multiprocessing's
            # resource tracker, also a child of it).
            here = psutil.Process()
            workers = [child for child in here.children() if child.cmdline() == here.cmdline()]
            assert workers, "no worker process to kill"
            self.killed = workers[0].pid
            os.kill(self.killed, signal.SIGKILL)


def test_documents_lost_with_a_killed_worker_are_processed_again(make_request, tmp_path: Path) -> None:
    folder = make_request({**NOTES, "files/scan.pdf": scanned_pdf(2)})
    calm = run_batch(folder, BatchOptions(out_dir=tmp_path / "calm", jobs=2))
    killer = _KillAWorker()
    hit = run_batch(folder, BatchOptions(out_dir=tmp_path / "hit", jobs=2), progress=killer)
    assert killer.killed is not None and _gone(killer.killed)
    assert hit.exit_code == calm.exit_code == ExitCode.OK
    assert [r.document for r in hit.results.light] == [r.document for r in calm.results.light]
    assert _released(tmp_path / "hit") == _released(tmp_path / "calm")


class _StrayWriter:
    """Writes into the staged release, while the run goes on, what a worker stopped in the middle
    of writing a document leaves: a temporary file beside an output (and one in a folder of its own)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[Path] = []

    def start(self, documents: int) -> None:
        pass

    def done(self, result: DocumentResult) -> None:
        if not self.written:
            (release,) = self.out.parent.glob(f".{self.out.name}.staging-*/release")
            self.written = [release / "files/.note5.txt.k2j4h1.tmp", release / "files/inbox/.msg.eml.x1.tmp"]
            for path in self.written:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("Complainant Jane Roe5, cell (413) 555-0105", encoding="utf-8")


def test_a_file_no_document_released_is_not_released(make_request, tmp_path: Path) -> None:
    folder = make_request(NOTES)
    out = tmp_path / "out"
    stray = _StrayWriter(out)
    result = run_batch(folder, BatchOptions(out_dir=out, jobs=1), progress=stray)
    assert stray.written and result.exit_code == ExitCode.OK
    assert sorted(_released(out)) == sorted(NOTES)
    assert not (out / "release/files/inbox").exists()  # the folder it left, empty, goes too
