"""A value whose label is in the text unit before it (the paragraph before, the foot of the page
before) is still read under that label: the unit is read after the end of the one before."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from builders import word_file

from redactor.api import BatchOptions, run_batch
from redactor.errors import ExitCode
from redactor.formats import adapter_for
from redactor.verify_docx import read_docx_text
from redactor.verify_pdf import read_pdf_text


def _two_pages(foot: str, top: str) -> bytes:
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 760), foot, fontsize=11)
        doc.new_page().insert_text((72, 72), top, fontsize=11)
        return doc.tobytes()


def test_when_a_label_is_a_paragraph_or_ends_a_page_then_the_value_after_it_is_redacted(make_request,
                                                                                         tmp_path: Path) -> None:
    long_before = "The employee asked that the refund go to the account below, as set out in the form. " * 2
    folder = make_request({
        "files/form.docx": word_file("Direct deposit form", "Account number:", "4400918273", "Signed, the employee."),
        "files/letter.docx": word_file(long_before, "5511907364 is the reference of this letter."),
        "files/statement.pdf": _two_pages("Direct deposit account number:", "6600918275 confirmed by payroll."),
    })
    docs = {name: adapter_for(folder / "files" / name).open(folder / "files" / name)
            for name in ("form.docx", "letter.docx", "statement.pdf")}
    body = {name: [u for u in docs[name].units if u.unit_id.startswith("word/document.xml#p")]
            for name in ("form.docx", "letter.docx")}
    assert [u.lead for u in body["form.docx"][:3]] == ["", "Direct deposit form\n", "Account number:\n"]
    assert body["letter.docx"][1].lead == ""  # a long paragraph is no label
    assert [u.lead for u in docs["statement.pdf"].units if u.unit_id.startswith("page")] == [
        "", "Direct deposit account number:\n"]
    for doc in docs.values():
        doc.close()

    result = run_batch(folder, BatchOptions(out_dir=tmp_path / "out", jobs=1))
    assert result.exit_code == ExitCode.OK
    release = tmp_path / "out/release/files"
    form, letter = read_docx_text(release / "form.docx"), read_docx_text(release / "letter.docx")
    assert "4400918273" not in form and "Account number:" in form
    assert "5511907364" in letter  # a bare number after prose stays: no label names it
    statement = read_pdf_text(release / "statement.pdf")
    assert "6600918275" not in statement and "confirmed by payroll" in statement
    # Each value is found once, in its own unit; nothing is found in a lead.
    findings = {(f.document, f.text, f.location.unit_id) for r in result.results for f in r.findings}
    assert {f for f in findings if f[1] in ("4400918273", "6600918275")} == {
        ("files/form.docx", "4400918273", "word/document.xml#p3"), ("files/statement.pdf", "6600918275", "page2")}
    assert not any(f[1].startswith(("Account number", "Direct deposit")) for f in findings)
