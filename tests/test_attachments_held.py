"""Attachments of a request's file are kept open one at a time: a mailbox with hundreds of attached
Word files and PDFs must not hold them all in memory between reading and writing. An attachment put
away is opened again from its temporary copy to place a finding or to be written, and must read as
it did the first time."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from builders import pdf_file, word_file

from redactor.api import BatchOptions, run_batch
from redactor.formats import adapter_for, ocr
from redactor.formats.attachments import AttachmentReadDifferently
from redactor.formats.base import ReadOptions
from redactor.verify_docx import read_docx_text
from redactor.verify_pdf import read_pdf_text

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"
STAFF = {"request_id": "R-9", "public_domains": ["millbrook.ma.gov"], "public_names": ["Linda Castellano"]}


def ssn(n: int) -> str:
    return f"219-09-{9100 + n:04d}"


def message(n: int, attachments: list[tuple[str, bytes, str]]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Resident {n} <resident{n}@gmail.com>"
    msg["To"] = "Linda Castellano <lcastellano@millbrook.ma.gov>"
    msg["Subject"] = f"Permit BP-2026-{n:04d}"
    msg["Message-ID"] = f"<held{n}@example.net>"
    msg.set_content(f"Please find my application for permit BP-2026-{n:04d} attached.\n")
    for name, data, subtype in attachments:
        maintype, _, sub = subtype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=sub, filename=name)
    return msg


def mailbox_with_attachments(count: int) -> bytes:
    """``count`` messages, each with a Word form and a PDF letter holding a resident's SSN."""
    out = []
    for n in range(1, count + 1):
        form = word_file(f"Application for permit BP-2026-{n:04d}", f"Applicant SSN: {ssn(n)}")
        letter = pdf_file(f"Permit BP-2026-{n:04d}. Applicant SSN {ssn(n)}.")
        msg = message(n, [(f"form{n}.docx", form, "application/vnd.openxmlformats-officedocument."
                                                  "wordprocessingml.document"),
                          (f"letter{n}.pdf", letter, "application/pdf")])
        out.append(b"From resident%d@gmail.com Mon Oct 12 09:15:00 2026\n" % n + msg.as_bytes(policy=default_policy))
    return b"\n".join(out) + b"\n"


def open_attachments(doc) -> list:  # type: ignore[no-untyped-def]
    """The attachment documents of an opened mailbox that are open right now."""
    return [child.doc for m in doc._messages if m.attached is not None
            for child in m.attached._children if child.doc is not None]


def test_when_a_mailbox_carries_many_attachments_then_one_is_open_at_a_time_and_each_is_redacted(
        make_request, tmp_path) -> None:
    folder = make_request({"box.mbox": mailbox_with_attachments(6)}, request=STAFF)
    path = folder / "box.mbox"
    doc = adapter_for(path).open(path, ReadOptions())
    try:
        assert sum(1 for u in doc.units if ".docx" in u.part) >= 6  # every form was read ...
        assert len(open_attachments(doc)) == 1  # ... and only the last one read is still open
    finally:
        doc.close()
    assert open_attachments(doc) == []

    res = run_batch(folder, BatchOptions(out_dir=tmp_path / "out"))
    [result] = res.results
    assert result.status == "released"
    beside = res.out_dir / "release" / "box.mbox.attachments"
    for n in range(1, 7):
        form = read_docx_text(beside / f"message {n}" / f"form{n}.docx")
        letter = " ".join(read_pdf_text(beside / f"message {n}" / f"letter{n}.pdf").split())
        assert ssn(n) not in form and ssn(n) not in letter
        assert f"BP-2026-{n:04d}" in form and f"BP-2026-{n:04d}" in letter
    # Findings in attachments put away were placed by opening them again: each names its file.
    located = {f.location.part: f.location for f in result.findings if f.entity == "US_SSN"}
    for n in range(1, 7):
        assert located[f"form{n}.docx (message {n}: attachment): body"].place == "paragraph 2"
        assert located[f"letter{n}.pdf (message {n}: attachment): body"].page == 1


def test_when_an_attachment_put_away_reads_differently_then_writing_stops(tmp_path) -> None:
    msg = message(1, [("first.docx", word_file(f"Applicant SSN: {ssn(1)}"), "application/octet-stream"),
                      ("second.docx", word_file(f"Applicant SSN: {ssn(2)}"), "application/octet-stream")])
    path = tmp_path / "two.eml"
    path.write_bytes(msg.as_bytes(policy=default_policy))
    doc = adapter_for(path).open(path, ReadOptions())
    try:
        first = doc._message.attached._children[0]
        assert first.doc is None  # put away when the second was read
        first.path.write_bytes(word_file(f"Applicant SSN: {ssn(3)}"))  # the copy changed under it
        with pytest.raises(AttachmentReadDifferently):
            doc.write_redacted([], tmp_path / "out" / "two.eml")
    finally:
        doc.close()


def test_when_a_mailbox_is_processed_then_every_attachment_copy_is_removed_afterwards(make_request, tmp_path) -> None:
    folder = make_request({"box.mbox": mailbox_with_attachments(2)}, request=STAFF)
    path = folder / "box.mbox"
    doc = adapter_for(path).open(path, ReadOptions())
    copies = [child.path for m in doc._messages for child in m.attached._children]
    assert all(p.exists() for p in copies)
    doc.close()
    assert not any(p.exists() for p in copies)


@pytest.mark.skipif(ocr.tesseract_version() is None, reason="Tesseract is not installed")
def test_when_a_scanned_attachment_is_opened_again_then_its_pages_are_not_read_twice(
        make_request, tmp_path, ocr_reads) -> None:
    reads = ocr_reads
    scan = (SAMPLE / "files" / "scanned_permit_form.pdf").read_bytes()
    alone = make_request({"scan.pdf": scan}, request=STAFF, name="alone")
    run_batch(alone, BatchOptions(out_dir=tmp_path / "alone-out"))
    pages_read = len(reads)
    assert pages_read > 0
    reads.clear()
    # The scan first, then a Word file: the scan is put away, and opened again to be written.
    msg = message(1, [("scan.pdf", scan, "application/pdf"),
                      ("form.docx", word_file(f"Applicant SSN: {ssn(1)}"), "application/octet-stream")])
    mail = make_request({"scan.eml": msg.as_bytes(policy=default_policy)}, request=STAFF, name="mail")
    res = run_batch(mail, BatchOptions(out_dir=tmp_path / "mail-out"))
    assert res.results[0].status == "released"
    assert len(reads) == pages_read
