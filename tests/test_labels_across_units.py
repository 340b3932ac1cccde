"""A value whose label is in the text unit before it (the paragraph before, the foot of the page
before) is still read under that label: the unit is read after the end of the one before."""

from __future__ import annotations

import csv
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pymupdf
import pytest
from builders import word_file, word_tables

from redactor import api
from redactor.api import BatchOptions, run_batch
from redactor.decide import build_findings, redactions_for
from redactor.errors import ExitCode
from redactor.formats import adapter_for
from redactor.models import Detection
from redactor.verify_docx import read_docx_text
from redactor.verify_email import read_eml_text
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


_STAFF = ("Maria Lopez", "John Smith", "Wei Chen")


def test_when_a_value_is_found_in_a_cells_label_then_it_is_a_finding_only_where_it_stands(make_request) -> None:
    # A timesheet with a column per employee: each row's cells are read after their column's header,
    # so each name is read once in the header and again before every cell under it. Logged there
    # too, it made rows for redactions that change nothing ("line 1", nine for three names).
    header = "Week," + ",".join(_STAFF)
    grid = [["Week", *_STAFF], ["March 3", "38", "40", "36"], ["March 10", "40", "40", "32"]]
    form = [["Employee", "Hours"], *([name, "40"] for name in _STAFF)]
    folder = make_request({"files/hours.csv": header + "\nMarch 3,38,40,36\nMarch 10,40,40,32\nMarch 17,36,40,40\n",
                           "files/hours.docx": word_tables(grid, form)})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.OK
    findings = [f for r in result.results for f in r.findings]
    for document, expected in (("files/hours.csv", 1), ("files/hours.docx", 2)):  # the Word file shows each twice
        for name in _STAFF:
            assert len([f for f in findings if f.document == document and f.text == name]) == expected, (document, name)
    with (result.out_dir / "release/redaction_log.csv").open(encoding="utf-8") as fh:
        rows = [row for row in csv.DictReader(fh) if row["entity_type"] == "PERSON"]
    assert [row["location"] for row in rows if row["document"] == "files/hours.csv"] == ["header row, line 1"] * 3
    released = (result.out_dir / "release/files/hours.csv").read_text(encoding="utf-8")
    docx_text = read_docx_text(result.out_dir / "release/files/hours.docx")
    assert not any(name in released or name in docx_text for name in _STAFF)


def test_when_a_value_is_found_only_in_a_label_then_it_is_removed_where_it_stands(tmp_path: Path, ma_rules) -> None:
    # The detector may see a name only with the value after it ("Maria Lopez: 38"), not in its header
    # cell: the removal is then made where the name stands, as the document's own removal of a value
    # is made wherever the value stands; the label itself gets none.
    path = tmp_path / "hours.csv"
    path.write_text("Week,Maria Lopez,John Smith\nMarch 3,38,40\n", encoding="utf-8")
    doc = adapter_for(path).open(path)
    header, row = doc.units
    at = row.text.index("Maria Lopez")
    tag = Detection("PERSON", at, at + len("Maria Lopez"), "Maria Lopez", 0.85, "PersonRecognizer")
    [finding] = build_findings("hours.csv", doc, [[], [tag]], ma_rules)
    assert (finding.text, finding.location.unit_id, finding.source) == ("Maria Lopez", header.unit_id, "consistency")
    assert header.text[finding.location.start:finding.location.end] == "Maria Lopez"
    assert "[REDACTED 26(c)]" in doc.redacted_text(redactions_for([finding], ma_rules)).splitlines()[0]


def test_when_numbers_stand_in_a_two_column_list_then_no_format_releases_one(make_request) -> None:
    # "Employee | Account" over 25 rows: the header is far above the last numbers, and a row of a
    # name and a number carries no label of its own. (A form of two columns is told apart by its
    # first line, which reads as a label and a value rather than a header.)
    rows = [(f"{first} {last}", f"{(7_301_000_017 * (n + 3)) % 9_000_000_000 + 1_000_000_000}")
            for n, (first, last) in enumerate((f, la) for f in ("Maria", "John", "Wei", "Ana", "Peter")
                                              for la in ("Lopez", "Smith", "Chen", "Silva", "Brown"))]
    title = "Direct deposit list, payroll run of March 3, 2025."
    with pymupdf.open() as pdf:
        page = pdf.new_page()
        for n, (left, right) in enumerate([("Employee", "Account"), *rows]):
            page.insert_text((72, 100 + 14 * n), left, fontsize=9)
            page.insert_text((300, 100 + 14 * n), right, fontsize=9)
        page.insert_text((72, 72), title, fontsize=9)
        pdf_bytes = pdf.tobytes()
    html = (f"<p>{title}</p><table><tr><th>Employee</th><th>Account</th></tr>"
            + "".join(f"<tr><td>{name}</td><td>{number}</td></tr>" for name, number in rows) + "</table>")
    mail = ("From: payroll@example.gov\nTo: records@example.gov\nSubject: Deposits\n"
            "Date: Mon, 3 Mar 2025 10:00:00 -0500\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
            + html + "\n")
    files = {"list.txt": f"{title}\n\nEmployee\tAccount\n" + "".join(f"{n}\t{a}\n" for n, a in rows),
             "list.pdf": pdf_bytes, "list.docx": word_tables([["Employee", "Account"], *([n, a] for n, a in rows)]),
             "list.eml": mail}
    readers = {"list.txt": lambda p: p.read_text(encoding="utf-8"), "list.pdf": read_pdf_text,
               "list.docx": read_docx_text, "list.eml": read_eml_text}
    for name, content in files.items():
        # One request each: a number found in one would be carried to the others.
        result = run_batch(make_request({name: content}, name=name), BatchOptions())
        assert result.exit_code == ExitCode.OK
        text = readers[name](result.out_dir / "release" / name)
        assert "Account" in text, name
        assert [number for _, number in rows if number in text] == [], name


def _mail(n: int, attachments: dict[str, bytes]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Payroll <payroll@example.gov>"
    msg["To"] = "records@example.gov"
    msg["Subject"] = f"Timesheets, batch {n}"
    msg["Message-ID"] = f"<sheets{n}@example.gov>"
    msg.set_content("The timesheets are attached.\n")
    for name, data in attachments.items():
        maintype, subtype = ("text", "csv") if name.endswith(".csv") else ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes(policy=email.policy.default)


def test_when_an_attachment_reads_a_value_in_a_label_then_it_is_logged_where_it_stands(
        make_request, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same for a table in a message's attachment, in a message and in a mailbox read a few
    # messages at a time: the attachment's adapter says which characters are a label.
    csv_data = ("Week," + ",".join(_STAFF) + "\nMarch 3,38,40,36\nMarch 10,40,40,32\n").encode()
    word = word_tables([["Week", *_STAFF], ["March 3", "38", "40", "36"], ["March 10", "40", "40", "32"]])
    attachments = {"hours.csv": csv_data, "hours.docx": word}
    monkeypatch.setattr(api, "MBOX_PART", 2)
    with pymupdf.open() as pdf:
        pdf.new_page().insert_text((72, 72), "Timesheets of March, attached.", fontsize=11)
        for name, data in attachments.items():
            pdf.embfile_add(name, data, filename=name)
        pdf_bytes = pdf.tobytes()
    folder = make_request({"inbox/sheets.eml": _mail(0, attachments), "files/sheets.pdf": pdf_bytes,
                           "inbox/sheets.mbox": b"".join(b"From payroll@example.gov Mon Mar  3 10:00:00 2025\n"
                                                        + _mail(n, attachments) + b"\n" for n in range(1, 4))})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.OK
    findings = [f for r in result.results for f in r.findings if f.text in _STAFF]
    for document, messages in (("inbox/sheets.eml", 1), ("inbox/sheets.mbox", 3), ("files/sheets.pdf", 1)):
        for name in _STAFF:
            places = [f.location.part for f in findings if f.document == document and f.text == name]
            # Once in each attachment's header row, nowhere else.
            assert len(places) == 2 * messages, (document, name, places)
