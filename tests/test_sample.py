"""The shipped sample request: what a new user sees from `make run`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from redactor.api import BatchOptions, run_batch
from redactor.errors import ExitCode
from redactor.verify_docx import read_docx_text
from redactor.verify_email import read_eml_text
from redactor.verify_pdf import read_pdf_text

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"

#: Exempt values planted in the text records (sample_records/README.md lists them all).
EXEMPT = [
    "(508) 555-0147", "(508) 555-0188", "(774) 555-0163", "peggy.thornbury58@gmail.com", "14 Alder Lane",
    "22 Alder Lane", "4111111111111111", "5555555555554444", "6011111111111117", "378282246310005",
    "03/14/1958", "08/22/1971", "11/02/1990", "S47291836", "anita.fairbanks@comcast.net", "Sparrow",
    "CI-0417", "slyle.bldg", "Birch!Lantern-7384", "(508) 555-0176", "Thornbury", "Kowalczyk", "Fairbanks",
    "(413) 555-0191", "4400918273", "Owen Albrecht",  # the Word form: tracked deletion, comment, table, properties
]
#: Public values in the same records (over-redaction if any of these goes).
PUBLIC = [
    "Linda Castellano", "Raymond Dufresne", "Sandra Lyle", "Maria Delgado", "Brian Tolland", "Kevin Achterberg",
    "Donna Pike", "lcastellano@millbrook.ma.gov", "(508) 555-0105", "(508) 555-0112", "(508) 555-0113",
    "(508) 555-0120", "(508) 555-0130", "(508) 555-0100", "Millbrook Town Hall", "100 Common Street",
    "PRR-2026-0142", "BC-2026-0318", "NOV-2026-044", "26-00873", "BP-2026-0561", "R-2026-01187",
    "10/22/2026", "09/10/2026", "203.0.113.47", "211370545", "Quabbin Acoustics LLC", "04-3827165", "V-10388",
]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("sample")
    folder = work / "request-001"
    shutil.copytree(SAMPLE, folder)
    return run_batch(folder, BatchOptions())


def _released(result) -> str:
    """Everything a reader can get out of release/: text files as text, PDFs through the verifier's reader."""
    texts = []
    for path in sorted((result.out_dir / "release").rglob("*")):
        if path.suffix == ".pdf":
            texts.append(read_pdf_text(path))
        elif path.suffix == ".docx":
            texts.append(read_docx_text(path))
        elif path.suffix == ".eml":
            texts.append(read_eml_text(path))  # every part decoded: base64 and QP hide nothing
        elif path.is_file():
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_when_the_sample_runs_then_every_record_is_released(sample_run) -> None:
    assert sample_run.exit_code == ExitCode.OK
    released = sorted(r.document for r in sample_run.results if r.status == "released")
    assert released == ["files/complaint_log.txt", "files/helpdesk_ticket_4471.txt", "files/incident_summary.md",
                        "files/permit_fee_payments.csv", "files/scanned_permit_form.pdf",
                        "files/vendor_direct_deposit.docx", "files/zoning_board_letter.pdf",
                        "inbox/complaint_email.eml", "inbox/forwarded_with_attachment.eml"]
    assert sample_run.withheld == []
    # The forwarded noise log is released inside the message and beside it.
    outputs = next(r.outputs for r in sample_run.results if r.document == "inbox/forwarded_with_attachment.eml")
    assert outputs == ["inbox/forwarded_with_attachment.eml",
                       "inbox/forwarded_with_attachment.eml.attachments/[REDACTED 26(c)]_noise_log.pdf"]
    notes = {r.document: r.notes for r in sample_run.results}
    assert "page 1 read by OCR" in notes["files/scanned_permit_form.pdf"]


@pytest.mark.parametrize("value", EXEMPT)
def test_when_the_sample_is_released_then_each_exempt_value_is_gone(sample_run, value: str) -> None:
    assert value not in _released(sample_run)


@pytest.mark.parametrize("value", PUBLIC)
def test_when_the_sample_is_released_then_each_public_value_stays(sample_run, value: str) -> None:
    assert value in _released(sample_run)
