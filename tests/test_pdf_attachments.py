"""Files inside a PDF (embedded files, files attached to comments): each is read by its own adapter,
released redacted beside the PDF, or left out and listed for review; never released as it came."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from redactor import api
from redactor.api import BatchOptions, run_batch
from redactor.cli import cli
from redactor.errors import ExitCode
from redactor.formats import attachments
from redactor.formats.attachments import safe_file_name
from redactor.verify_pdf import read_pdf_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
STAFF = {"request_id": "R-7", "public_domains": ["millbrook.ma.gov"],
         "public_names": ["Raymond Dufresne", "Linda Castellano", "Eleanor Whitfield", "Sandra Lyle"]}
SSN, NAME, CELL = "219-09-9998", "Jane Roe", "(413) 555-0142"


def batch(make_request, *names: str, **options) -> api.BatchResult:
    folder = make_request({}, request=STAFF)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return run_batch(folder, BatchOptions(**options))


def released(result: api.BatchResult) -> Path:
    return result.out_dir / "release"


def test_when_a_pdf_embeds_a_text_file_then_its_redacted_copy_is_released_beside_the_pdf(make_request) -> None:
    result = batch(make_request, "attachment.pdf")
    assert result.exit_code == ExitCode.OK
    notes = (released(result) / "attachment.pdf.attachments" / "notes.txt").read_text(encoding="utf-8")
    for value in (SSN, NAME, CELL, "42 Elm Street"):
        assert value not in notes
    for value in ("Intake notes, complaint BC-2026-0318", "Hearing 10/22/2026. Main office (508) 555-0100."):
        assert value in notes
    assert notes.count("[REDACTED 26(c)]") == 4
    assert result.results[0].outputs == ["attachment.pdf", "attachment.pdf.attachments/notes.txt"]
    # The released PDF itself carries no file, whichever reader looks.
    pdf = released(result) / "attachment.pdf"
    with pymupdf.open(pdf) as doc:
        assert doc.embfile_count() == 0
    assert PdfReader(pdf).attachments == {}


def test_when_an_attachment_holds_a_value_then_the_log_row_names_the_attachment(make_request) -> None:
    result = batch(make_request, "attachment.pdf")
    with (released(result) / "redaction_log.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ssn_row = next(r for r in rows if r["entity_type"] == "US_SSN")
    assert ssn_row["document"] == "attachment.pdf"
    assert ssn_row["location"] == "notes.txt (embedded file): body, line 2"
    assert ssn_row["exemption_code"] == "26(c)"


def test_when_attachments_nest_then_each_is_read_by_its_own_adapter_or_listed_for_review(make_request) -> None:
    result = batch(make_request, "attachments_nested.pdf")
    # The spreadsheet has no reader: it is left out and the run says so.
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    [part] = result.results[0].parts_withheld
    assert part.reason == "attachment" and "fee worksheet.xlsx" in part.detail
    folder = released(result) / "attachments_nested.pdf.attachments"
    assert sorted(p.name for p in folder.iterdir()) == ["intake [REDACTED 26(c)].txt", "statement.pdf"]
    statement = " ".join(read_pdf_text(folder / "statement.pdf").split())
    assert SSN not in statement and NAME not in statement
    assert "Permit BP-2026-0561" in statement
    intake = (folder / "intake [REDACTED 26(c)].txt").read_text(encoding="utf-8")
    assert NAME not in intake and CELL not in intake and "Hearing 10/22/2026." in intake
    # The value in the attachment's name is kept out of the public log too.
    log = (released(result) / "redaction_log.csv").read_text(encoding="utf-8")
    assert SSN not in log and "intake [withheld].txt (embedded file)" in log
    verified = CliRunner().invoke(cli, ["verify", str(result.out_dir)])
    assert verified.exit_code == ExitCode.OK, verified.output


def _container(inner: bytes, inner_name: str, text: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), text)
    doc.embfile_add(inner_name, inner, filename=inner_name)
    return doc.tobytes()


def test_when_pdfs_nest_deeper_than_the_limit_then_the_deepest_is_listed_for_review(make_request) -> None:
    data = (FIXTURES / "text_letter.pdf").read_bytes()
    for level in range(attachments.MAX_DEPTH + 1, 0, -1):
        data = _container(data, f"level{level}.pdf", f"Cover sheet, level {level - 1}")
    folder = make_request({"packet.pdf": data}, request=STAFF)
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    [part] = result.results[0].parts_withheld
    assert f"nested more than {attachments.MAX_DEPTH} levels deep" in part.detail
    written = sorted(p.relative_to(released(result)).as_posix() for p in released(result).rglob("*.pdf"))
    assert written == ["packet.pdf", "packet.pdf.attachments/level1.pdf",
                       "packet.pdf.attachments/level1.pdf.attachments/level2.pdf",
                       "packet.pdf.attachments/level1.pdf.attachments/level2.pdf.attachments/level3.pdf"]


def test_when_an_attachment_cannot_be_read_then_it_is_listed_with_the_reason(make_request) -> None:
    data = _container((FIXTURES / "encrypted_locked.pdf").read_bytes(), "locked.pdf", "Transmittal")
    result = run_batch(make_request({"packet.pdf": data}, request=STAFF), BatchOptions())
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    [part] = result.results[0].parts_withheld
    assert "'locked.pdf' could not be read" in part.detail and "password" in part.detail
    assert not (released(result) / "packet.pdf.attachments").exists()
    assert (released(result) / "packet.pdf").exists()


def test_when_a_damaged_attachment_cannot_be_read_then_the_reason_names_it_not_its_temporary_copy(
        make_request) -> None:
    # PyMuPDF's message quotes the file it opened; a temporary path would change the log at every run.
    data = _container(b"%PDF-1.7\nnot really a PDF\n", "scan.pdf", "Transmittal")
    result = run_batch(make_request({"packet.pdf": data}, request=STAFF), BatchOptions())
    [part] = result.results[0].parts_withheld
    assert "'scan.pdf' could not be read" in part.detail and "not a readable PDF" in part.detail
    assert "redact-attachments-" not in part.detail and tempfile.gettempdir() not in part.detail


def test_when_an_attachment_leaks_then_the_document_and_its_attachments_are_withheld(
        make_request, monkeypatch: pytest.MonkeyPatch) -> None:
    # A writer fault that cannot be produced with a real file: the text adapter "forgets" to redact.
    from redactor.formats import base

    monkeypatch.setattr(base.MappedTextDocument, "redacted_text", lambda self, reds: self.text)
    result = batch(make_request, "attachment.pdf")
    assert result.exit_code == ExitCode.LEAK_DETECTED
    assert result.results[0].withheld.reason == "leak detected"
    assert list(released(result).iterdir()) == [released(result) / "redaction_log.csv"]


@pytest.mark.parametrize(("given", "expected"), [
    ("notes.txt", "notes.txt"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\clerk\\report.pdf", "report.pdf"),
    ("a:b*c?.txt", "a_b_c_.txt"),
    ("bell\x07.txt", "bell_.txt"),
    ("..", "attachment-1"),
    ("", "attachment-1"),
])
def test_when_an_attachment_name_is_unsafe_then_it_stays_inside_its_folder(given: str, expected: str) -> None:
    assert safe_file_name(given, "attachment-1") == expected


def test_when_an_attachment_name_joins_words_with_underscores_then_a_name_in_it_is_redacted(make_request) -> None:
    notes = (FIXTURES / "text_letter.pdf").read_bytes()
    data = _container(notes, "Jane_Roe_statement.pdf", "Transmittal. Applicant Jane Roe, 42 Elm Street.")
    result = run_batch(make_request({"packet.pdf": data}, request=STAFF), BatchOptions())
    names = [p.name for p in (released(result) / "packet.pdf.attachments").iterdir()]
    assert names == ["[REDACTED 26(c)]_statement.pdf"]
