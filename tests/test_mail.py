"""E-mail (.eml, .mbox, .msg): headers, bodies, nested messages and attachments redacted part by part,
released as valid MIME, verified by an independent reader; what cannot be read is withheld."""

from __future__ import annotations

import base64
import email
import mailbox
import shutil
from email import policy
from email.message import Message
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.api import BatchOptions, BatchResult, run_batch
from redactor.errors import ExitCode
from redactor.formats import adapter_for
from redactor.formats.mbox import scan_mbox
from redactor.formats.mime import _plain_mapped
from redactor.verify import Secret, find_leaks
from redactor.verify_email import read_eml_text
from redactor.verify_pdf import read_pdf_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "email"
REAL = FIXTURES / "real"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "real_records"
STAFF = {"request_id": "R-5", "public_domains": ["millbrook.ma.gov"],
         "public_names": ["Linda Castellano", "Raymond Dufresne"]}
NAME, EMAIL, CELL, SSN = "Jane Roe", "jane.roe77@gmail.com", "(413) 555-0142", "219-09-9998"
NEIGHBOR = "Harold Whittingham"
MARKER = "[REDACTED 26(c)]"


def run(folder: Path, out: Path) -> BatchResult:
    return run_batch(folder, BatchOptions(out_dir=out))


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    """Every generated fixture through one batch (the detection engine loads once)."""
    import yaml

    folder = tmp_path_factory.mktemp("email") / "request"
    folder.mkdir()
    for path in FIXTURES.iterdir():
        if path.is_file() and path.suffix in (".eml", ".mbox", ".msg"):
            shutil.copy(path, folder / path.name)
    (folder / "request.yaml").write_text(yaml.safe_dump(STAFF), encoding="utf-8")
    return run(folder, folder.parent / "out")


def released(batch: BatchResult, name: str) -> Path:
    return batch.out_dir / "release" / name


def result(batch: BatchResult, name: str):
    return next(r for r in batch.results if r.document == name)


def parse(path: Path) -> Message:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def all_text(msg: Message) -> str:
    """Every header (decoded) and every text part (decoded) of a message and its nested messages."""
    out = []
    for part in msg.walk():
        out += [f"{k}: {v}" for k, v in part.items()]
        if not part.is_multipart() and part.get_content_maintype() == "text":
            out.append(part.get_content())
    return "\n".join(out)


def shape(msg: Message) -> list[str]:
    return [part.get_content_type() for part in msg.walk()]


# -- headers ------------------------------------------------------------------------------------


def test_when_headers_hold_encoded_words_then_values_go_and_the_headers_stay_valid(batch) -> None:
    path = released(batch, "encoded_headers.eml")
    raw = path.read_bytes()
    msg = parse(path)
    text = all_text(msg)
    for value in (NAME, EMAIL, NEIGHBOR, "hwhittingham@comcast.net", "42 Elm Street"):
        assert value not in text
    # Nor in any encoding of the value: the whole file carries no base64 of the name.
    assert base64.b64encode(NAME.encode()) not in raw and b"Jane_Roe" not in raw
    assert str(msg["Subject"]) == f"Re: noise complaint — {MARKER}, {MARKER}"
    # Address headers still parse as address lists; the public one is untouched.
    cc = msg["Cc"].addresses
    assert [a.addr_spec for a in cc][1] == "rdufresne@millbrook.ma.gov"
    assert cc[0].display_name == MARKER and cc[0].domain == "redacted.invalid"
    assert str(msg["To"]) == "Linda Castellano <lcastellano@millbrook.ma.gov>"
    assert MARKER in str(msg["X-Original-Sender"]) and MARKER in str(msg["Received"])
    assert msg.get_content().strip() == "Please see complaint BC-2026-0318. Hearing on 10/22/2026."


def test_when_a_header_is_redacted_then_the_log_names_the_header(batch) -> None:
    findings = result(batch, "encoded_headers.eml").findings
    parts = {f.location.part for f in findings if f.text == NEIGHBOR}
    assert parts == {"header Cc"}


# -- bodies -------------------------------------------------------------------------------------


def test_when_mail_is_html_only_then_text_nodes_links_attributes_and_comments_are_redacted(batch) -> None:
    msg = parse(released(batch, "html_only.eml"))
    assert msg["Content-Transfer-Encoding"] == "quoted-printable"
    source = msg.get_content()
    for value in (NAME, "Jane&nbsp;Roe", EMAIL, CELL, SSN, NEIGHBOR, "42 Elm Street"):
        assert value not in source
    # The markup is kept; only text changed.
    assert "<b>[REDACTED 26(c)]</b>" in source
    assert f'<a href="mailto:{MARKER}?subject=Complaint">write to her</a>' in source
    assert f'alt="Driveway of {MARKER}"' in source and f'title="Sent by {MARKER}"' in source
    assert "p { font-family: Calibri; }" in source
    assert "Questions: Millbrook Town Hall, (508) 555-0100. Permit BP-2026-0561." in source


def test_when_bodies_are_base64_and_quoted_printable_then_each_keeps_its_encoding(batch) -> None:
    msg = parse(released(batch, "base64_qp.eml"))
    plain, html = msg.get_payload()
    assert plain["Content-Transfer-Encoding"] == "base64" and html["Content-Transfer-Encoding"] == "quoted-printable"
    for part in (plain, html):
        text = part.get_content()
        assert SSN not in text and CELL not in text and NAME not in text
        assert "Permit BP-2026-0561, main office (508) 555-0100." in text
    assert plain.get_content().startswith(f"Applicant: {MARKER}\nSocial Security number: {MARKER}")


@pytest.mark.parametrize(("name", "charset", "kept"), [
    ("latin1.eml", "iso-8859-1", ["Réunion du comité, dossier BC-2026-0318.", "Le maire a répondu à la lettre."]),
    ("cp1252.eml", "windows-1252", ["“[REDACTED 26(c)]” called about BC-2026-0318 –", "Staff: Raymond Dufresne."]),
])
def test_when_a_body_is_not_utf8_then_it_is_redacted_in_its_own_charset(batch, name, charset, kept) -> None:
    msg = parse(released(batch, name))
    assert msg.get_content_charset() == charset
    text = msg.get_content()
    assert NAME not in text and CELL not in text and SSN not in text
    for public in kept:
        assert public in text
    assert str(msg["From"]) == "Linda Castellano <lcastellano@millbrook.ma.gov>"


def test_when_a_reply_quotes_the_original_then_the_quoted_values_are_redacted_too(batch) -> None:
    text = parse(released(batch, "thread.eml")).get_content()
    # The name is wrapped over two quoted lines ("Jane\n> Roe"), the phone too ("(413)\n> 555-0142"),
    # and the neighbour's name sits in a doubly quoted block.
    for piece in ("Jane", " Roe", "(413)", "555-0142", "Whittingham", "Harold", EMAIL, "Elm"):
        assert piece not in text
    assert "> -----Original Message-----" in text and "> Sent: Friday, October 9, 2026 4:02 PM" in text
    assert "> To: Linda Castellano" in text and "Raymond Dufresne" in text
    assert "> > The noise comes from the garage owned by [REDACTED 26(c)] most nights." in text


def test_when_a_name_is_redacted_in_a_header_then_the_quoted_original_loses_it_too(make_request, tmp_path) -> None:
    # "Pat Quill" is no name the model knows here: only the header tags it, and consistency carries it
    # into the quoted original, where it is wrapped and carries quotation markers.
    raw = ("From: Town Clerk <clerk@millbrook.ma.gov>\nTo: Pat Quill <pquill77@gmail.com>\nSubject: Re: fence\n"
           "Content-Type: text/plain\n\nWe will look into it.\n\n"
           "> the fence built by my neighbour, signed by Pat\n> Quill, is too high.\n")
    folder = make_request({"mail.eml": raw}, request=STAFF)
    res = run(folder, tmp_path / "out")
    text = parse(res.out_dir / "release" / "mail.eml").get_content()
    assert "Quill" not in text and "> the fence built by my neighbour, signed by [REDACTED 26(c)], is too high." in text


def test_when_headers_hold_message_ids_then_the_ids_stay_and_the_mailboxes_go(make_request, tmp_path) -> None:
    # A message id is shaped as an address and is nobody's mailbox; a relay's "id …" is no login. The
    # recipient's address in the same Received header, and an id naming its sender, go.
    raw = ("Received: from mta.example.net by mx.millbrook.ma.gov with ESMTP id <0IG600901LQ64I@mx.millbrook.ma.gov>"
           " for <pquill77@gmail.com>; Mon, 7 Dec 2026 10:00:00 -0500\n"
           "X-Received: by 10.58.43.33 with SMTP id ut1mr14470624vcb.8.1384763184960; Mon, 7 Dec 2026\n"
           "From: Pat Quill <pquill77@gmail.com>\nTo: Town Clerk <clerk@millbrook.ma.gov>\nSubject: Re: fence\n"
           "Message-ID: <F6E2D0B4-CC35-4A91-BA4C-C7C712B10C13@mail.gmail.com>\n"
           "In-Reply-To: <31C10324.41C6@millbrook.ma.gov>\n"
           "References: <31C10324.41C6@millbrook.ma.gov> <20261206101500.4471.pquill77@gmail.com>\n"
           "Content-Type: text/plain\n\nThe fence is still too high.\n")
    folder = make_request({"mail.eml": raw}, request=STAFF)
    res = run(folder, tmp_path / "out")
    msg = parse(res.out_dir / "release" / "mail.eml")
    assert msg["Message-ID"] == "<F6E2D0B4-CC35-4A91-BA4C-C7C712B10C13@mail.gmail.com>"
    assert msg["In-Reply-To"] == "<31C10324.41C6@millbrook.ma.gov>"
    assert "<31C10324.41C6@millbrook.ma.gov>" in msg["References"] and "pquill77" not in msg["References"]
    assert "id <0IG600901LQ64I@mx.millbrook.ma.gov>" in msg["Received"] and "pquill77" not in msg["Received"]
    assert "pquill77" not in str(msg["From"])
    assert "id ut1mr14470624vcb.8.1384763184960;" in msg["X-Received"]  # a relay's queue id, no login


def test_when_a_body_holds_a_table_then_its_rows_are_read_as_rows_under_its_header(make_request, tmp_path) -> None:
    # Rows of a spreadsheet pasted into a message are longer than a wrapped line: read joined, they
    # were one line without its header, and the bare account numbers went out. A row the mail
    # program wrapped ("...Hampden\t" / "40217735\t...") is still one row.
    rows = ["Employee\tBank\tAccount Number\tNotes on the direct deposit form",
            "Vendor One\tBerkshire Bank\t33018877\tform received in the payroll office",
            "Vendor Two\tCooperative Savings Bank of Western Hampden\t\n40217735\tform received in the payroll office",
            "Vendor Three\tGreenfield Bank\t51190266\tform received in the payroll office"]
    raw = ("From: Payroll <payroll@millbrook.ma.gov>\nTo: Records <records@millbrook.ma.gov>\nSubject: deposits\n"
           "Content-Type: text/plain\n\nThe direct deposit accounts on file:\n\n" + "\n".join(rows) + "\n")
    folder = make_request({"mail.eml": raw}, request=STAFF)
    res = run(folder, tmp_path / "out")
    assert res.exit_code == ExitCode.OK
    text = parse(res.out_dir / "release" / "mail.eml").get_content()
    for account in ("33018877", "40217735", "51190266"):
        assert account not in text
    assert "Account Number" in text and "\tCooperative Savings Bank of Western Hampden\t\n" in text


def test_when_a_wrapped_line_goes_on_indented_by_tabs_then_it_is_still_joined() -> None:
    # Tabs that only indent a line do not make it a table row: the wrapped sentence reads as one.
    text = ("The fence was built last spring by the neighbour at the corner, Pat\n\t\tQuill, and it is too high.\n"
            "Name\tBank\tAccount Number and the notes of the payroll office\nPat Quill\tBerkshire Bank\t33018877\n")
    read = _plain_mapped(text, [(0, len(text))]).string()
    assert "corner, Pat \t\tQuill, and" in read
    assert "payroll office\nPat Quill\tBerkshire Bank" in read  # the table's rows stay rows


# -- nested messages and attachments -------------------------------------------------------------


def test_when_forwards_nest_then_the_innermost_message_is_redacted_inside_and_beside(batch) -> None:
    path = released(batch, "nested_forward.eml")
    msg = parse(path)
    assert shape(msg) == ["multipart/mixed", "text/plain", "message/rfc822", "multipart/mixed", "text/plain",
                          "message/rfc822", "text/plain"]
    text = all_text(msg)
    assert SSN not in text and NEIGHBOR not in text and "(774) 555-0119" not in text
    assert "My neighbour [REDACTED 26(c)] has SSN [REDACTED 26(c)]" in text
    beside = path.with_name(path.name + ".attachments")
    inner = beside / "part 2.eml.attachments" / "intake.eml"
    assert inner.exists() and SSN not in inner.read_text(encoding="utf-8")


def test_when_a_message_has_attachments_then_readable_ones_are_redacted_and_the_rest_replaced(batch) -> None:
    path = released(batch, "attachments.eml")
    msg = parse(path)
    parts = msg.get_payload()
    names = [p.get_filename() for p in parts]
    assert names == [None, "letter.pdf", "form.docx", f"{MARKER} – intake notes.txt", "contacts.csv",
                     "neighbour note.eml", None, None, None]
    beside = path.with_name(path.name + ".attachments")
    # The released message carries the same redacted files that are written beside it.
    assert parts[1].get_content() == (beside / "letter.pdf").read_bytes()
    assert parts[3].get_content() == (beside / f"{MARKER} – intake notes.txt").read_text(encoding="utf-8")
    pdf_text = " ".join(read_pdf_text(beside / "letter.pdf").split())
    assert SSN not in pdf_text and NAME not in pdf_text and "BC-2026-0318" in pdf_text
    notes = parts[3].get_content()
    assert SSN not in notes and "Hearing 10/22/2026." in notes
    csv_text = parts[4].get_content()
    assert CELL not in csv_text and "records officer" in csv_text
    assert parts[5].get_content_type() == "message/rfc822" and SSN not in all_text(parts[5].get_content())
    # Spreadsheet, archive and signature: gone, each replaced by a text part that names it.
    placeholders = [p.get_content() for p in parts[6:]]
    for text, name in zip(placeholders, ("fee worksheet.xlsx", "photos.zip", "smime.p7s"), strict=True):
        assert f'"{name}"' in text and "removed from this message for manual review" in text
    raw = path.read_bytes()
    assert b"sharedStrings" not in raw and b"fictitious signature" not in raw
    withheld = [w.detail for w in result(batch, "attachments.eml").parts_withheld]
    assert any("fee worksheet.xlsx" in d for d in withheld) and any("photos.zip" in d for d in withheld)
    assert any("S/MIME signature" in d for d in withheld)
    assert batch.exit_code == ExitCode.WITHHELD_FOR_REVIEW


def test_when_an_attachment_name_holds_a_value_then_the_log_names_the_attachment(batch) -> None:
    findings = result(batch, "attachments.eml").findings
    named = [f for f in findings if f.location.part == "attachment name"]
    assert [f.text for f in named] == [NAME]
    ssn_parts = {f.location.describe() for f in findings if f.entity == "US_SSN"}
    assert "Jane Roe – intake notes.txt (attachment): body, line 2" in ssn_parts


def test_when_a_body_holds_uuencoded_data_or_tnef_then_both_are_removed_and_listed(batch) -> None:
    msg = parse(released(batch, "tnef_uuencode.eml"))
    text = all_text(msg)
    assert "begin 644" not in text and "[uuencoded file removed for manual review]" in text
    assert "See BC-2026-0318." in text and "Thanks." in text
    assert "winmail.dat" in msg.get_payload()[1].get_content()
    blob = base64.b64encode(b"\x78\x9f\x3e\x22 fictitious TNEF")[:24]
    assert blob in (FIXTURES / "tnef_uuencode.eml").read_bytes()
    assert blob not in released(batch, "tnef_uuencode.eml").read_bytes()
    reasons = " ".join(w.detail for w in result(batch, "tnef_uuencode.eml").parts_withheld)
    assert "uuencoded file 'ssn.txt'" in reasons and "TNEF" in reasons


# -- mbox ---------------------------------------------------------------------------------------


def test_when_an_mbox_holds_the_same_message_twice_then_both_copies_are_redacted_identically(batch) -> None:
    path = released(batch, "duplicates.mbox")
    box = mailbox.mbox(path)
    try:
        messages = [box.get_bytes(key) for key in box.iterkeys()]
        separators = [box.get_message(key).get_from() for key in box.iterkeys()]
    finally:
        box.close()
    assert len(messages) == 3
    assert messages[0] == messages[2]
    assert NAME.encode() not in b"".join(messages) and CELL.encode() not in b"".join(messages)
    assert separators[0] == f"{MARKER} Mon Oct 12 09:15:00 2026"
    assert separators[1] == "lcastellano@millbrook.ma.gov Mon Oct 12 10:00:00 2026"
    assert b"\n>From the file: complaint BC-2026-0318 is open." in messages[1]
    parts = {f.location.part for f in result(batch, "duplicates.mbox").findings}
    assert "message 3: body (text/plain)" in parts and "message 1: mbox separator line" in parts


def test_when_a_body_line_starts_with_from_then_the_mbox_is_not_split_there(tmp_path) -> None:
    shutil.copy(REAL / "unmunged.mbox", tmp_path / "unmunged.mbox")
    assert len(list(scan_mbox(tmp_path / "unmunged.mbox"))) == 2


def generated_mbox(n: int) -> str:
    """``n`` fictitious messages, every tenth one a copy of the one before."""
    out = []
    for i in range(n):
        k = i - 1 if i % 10 == 9 else i
        out.append(f"From resident{k}@gmail.com Mon Oct 12 09:15:00 2026\nFrom: Resident <resident{k}@gmail.com>\n"
                   f"To: Linda Castellano <lcastellano@millbrook.ma.gov>\nSubject: Complaint BC-2026-{k:04d}\n"
                   f"Message-ID: <m{k}@example.net>\n\nMy cell is (413) 555-01{k % 100:02d} and my SSN is "
                   f"219-09-{9000 + k % 1000:04d}.\n\n")
    return "".join(out)


def test_when_an_mbox_holds_many_messages_then_each_is_released_and_copies_match(make_request, tmp_path) -> None:
    folder = make_request({"box.mbox": generated_mbox(40)}, request=STAFF)
    res = run(folder, tmp_path / "out")
    [doc] = res.results
    assert doc.status == "released" and doc.notes[0] == "40 message(s) in the mbox"
    box = mailbox.mbox(res.out_dir / "release" / "box.mbox")
    try:
        messages = [box.get_bytes(key) for key in box.iterkeys()]
    finally:
        box.close()
    assert len(messages) == 40 and messages[8] == messages[9]
    assert b"555-01" not in b"".join(messages) and b"Complaint BC-2026-0003" in messages[3]


@pytest.mark.slow
def test_when_an_mbox_holds_1000_messages_then_all_are_released(make_request, tmp_path) -> None:
    folder = make_request({"box.mbox": generated_mbox(1000)}, request=STAFF)
    res = run(folder, tmp_path / "out")
    assert res.results[0].status == "released" and res.results[0].notes[0] == "1000 message(s) in the mbox"


# -- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "reason", "says"), [
    ("smime_encrypted.eml", "encrypted", "encrypted or opaque-signed"),
    ("truncated.eml", "truncated", "ends before its last MIME part is closed"),
    ("not_a_mailbox.mbox", "not an mbox", "not an mbox file"),
    ("not_outlook.msg", "not a message", "not an Outlook .msg file"),
    ("corrupt_outlook.msg", "corrupt", "not a readable Outlook .msg file"),
])
def test_when_input_is_bad_then_it_is_withheld_with_a_clear_reason(batch, name, reason, says) -> None:
    res = result(batch, name)
    assert res.status == "withheld" and res.withheld is not None
    assert res.withheld.reason == reason and says in res.withheld.detail
    assert not released(batch, name).exists()


# -- release as a whole ---------------------------------------------------------------------------


def test_when_messages_are_released_then_each_parses_again_with_the_same_structure(batch) -> None:
    for res in batch.results:
        if res.status != "released" or not res.document.endswith(".eml"):
            continue
        before = parse(FIXTURES / res.document)
        after = parse(released(batch, res.document))
        assert len(shape(after)) == len(shape(before)), res.document
        assert after.defects == [], res.document


def test_when_the_batch_runs_again_then_every_released_byte_is_the_same(batch, tmp_path) -> None:
    again = run(batch.input_dir, tmp_path / "again")
    first = sorted(p.relative_to(batch.out_dir) for p in (batch.out_dir / "release").rglob("*") if p.is_file())
    second = sorted(p.relative_to(again.out_dir) for p in (again.out_dir / "release").rglob("*") if p.is_file())
    assert first == second
    for rel in first:
        if rel.suffix in (".eml", ".mbox", ".txt", ".csv"):
            assert (batch.out_dir / rel).read_bytes() == (again.out_dir / rel).read_bytes(), rel


def test_when_a_message_is_unchanged_then_it_is_released_byte_for_byte(make_request, tmp_path) -> None:
    public = (b"From: Linda Castellano <lcastellano@millbrook.ma.gov>\r\nSubject: agenda\r\n"
              b"Content-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n"
              b"\r\nR=E9union: permit BP-2026-0561.\r\n")
    folder = make_request({"agenda.eml": public}, request=STAFF)
    res = run(folder, tmp_path / "out")
    assert (res.out_dir / "release" / "agenda.eml").read_bytes() == public


# -- the independent check ---------------------------------------------------------------------------


def plant(tmp_path: Path, raw: str) -> list[str]:
    path = tmp_path / "m.eml"
    path.write_text(raw, encoding="utf-8")
    return [leak.finding_id for leak in find_leaks(path, [Secret("s1", "m.eml", "US_SSN", SSN),
                                                          Secret("n1", "m.eml", "PERSON", NAME)])]


@pytest.mark.parametrize("raw", [
    f"Subject: =?utf-8?b?{base64.b64encode(NAME.encode()).decode()}?=\n\nhello\n",
    f"Subject: x\nContent-Transfer-Encoding: base64\n\n{base64.b64encode(SSN.encode()).decode()}\n",
    "Subject: x\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n"
    "<a title=3D\"Jane&nbsp;Roe\">x</a>\n",
    "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n"
    "Content-Disposition: attachment; filename*=utf-8''Jane%20Roe.txt\n\nhi\n--b--\n",
    "Subject: x\n\n> signed by Jane\n> Roe\n",
])
def test_when_a_value_hides_in_an_encoding_then_the_verifier_finds_it(tmp_path, raw) -> None:
    assert plant(tmp_path, raw)


def test_when_a_released_message_carries_an_unreadable_attachment_then_it_is_unverifiable(tmp_path) -> None:
    raw = ("Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/zip\n"
           "Content-Disposition: attachment; filename=\"a.zip\"\nContent-Transfer-Encoding: base64\n\nAAAA\n--b--\n")
    assert plant(tmp_path, raw) == ["-"]


def test_the_verifier_reads_a_pdf_inside_a_message(batch) -> None:
    text = read_eml_text(released(batch, "attachments.eml"))
    assert "BC-2026-0318" in text and "Permit" in text


# -- Outlook and real third-party mail -------------------------------------------------------------


def test_when_an_outlook_message_nests_pdfs_and_a_message_then_all_are_released_as_eml(make_request, tmp_path) -> None:
    folder = make_request({}, request=STAFF)
    shutil.copy(REAL / "Outer_mail.msg", folder / "Outer_mail.msg")
    res = run(folder, tmp_path / "out")
    [doc] = res.results
    assert doc.status == "released" and doc.notes[0].endswith("released as Outer_mail.msg.eml")
    assert doc.outputs[:3] == ["Outer_mail.msg.eml", "Outer_mail.msg.eml.attachments/OUTER 1.pdf",
                               "Outer_mail.msg.eml.attachments/OUTER 2.pdf"]
    msg = parse(res.out_dir / "release" / "Outer_mail.msg.eml")
    types = shape(msg)
    assert types.count("application/pdf") == 4 and types.count("message/rfc822") == 1
    inner = next(p for p in msg.walk() if p.get_content_type() == "message/rfc822")
    assert inner.get_filename() == "Inner mail.msg.eml"


def test_when_an_outlook_item_is_not_mail_then_it_is_withheld(make_request, tmp_path) -> None:
    folder = make_request({}, request=STAFF)
    shutil.copy(REAL / "contactUnicode.msg", folder / "contact.msg")
    [doc] = run(folder, tmp_path / "out").results
    assert doc.withheld is not None and doc.withheld.reason == "unsupported item"
    assert "IPM.Contact" in doc.withheld.detail


def _check_real(paths: list[Path], tmp_path: Path, make_request) -> None:
    folder = make_request({}, request=STAFF)
    for i, path in enumerate(paths):
        shutil.copy(path, folder / f"{i:03d}-{path.name}")
    res = run(folder, tmp_path / "out")
    for doc in res.results:
        assert doc.withheld is None or doc.withheld.reason not in ("internal error", "leak detected"), doc
        assert not doc.leaks, doc.document
        if doc.status == "released":
            for rel in doc.outputs:
                assert adapter_for(Path(rel)) is not None or rel.endswith((".pdf", ".docx")), rel
    assert res.exit_code in (ExitCode.OK, ExitCode.WITHHELD_FOR_REVIEW)


def test_when_real_mail_is_processed_then_each_is_released_clean_or_withheld(make_request, tmp_path) -> None:
    paths = sorted(p for p in REAL.iterdir() if p.suffix in (".eml", ".msg", ".mbox"))
    _check_real(paths, tmp_path, make_request)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.exists(), reason="the shared real records are not on this machine")
def test_when_every_shared_real_mail_is_processed_then_none_leaks_or_crashes(make_request, tmp_path) -> None:
    folders = ["libratom-mikel-mail-emails", "mail-parser", "mimekit", "msgreader", "extract-msg"]
    paths = sorted(p for f in folders for p in (SHARED / f).rglob("*") if p.suffix in (".eml", ".msg", ".mbox"))
    assert len(paths) > 100
    _check_real(paths, tmp_path, make_request)


def test_when_processing_fails_after_an_outlook_message_is_written_then_nothing_of_it_is_released(
        make_request, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fault no real file produces: the checker itself breaks once the .msg.eml and its attachments exist.
    from redactor import api

    def broken(path, label=None):
        raise RuntimeError("checker failure")

    monkeypatch.setattr(api, "read_released", broken)
    folder = make_request({}, request=STAFF)
    shutil.copy(REAL / "Outer_mail.msg", folder / "Outer_mail.msg")
    res = run(folder, tmp_path / "out")
    assert res.results[0].withheld.reason == "internal error"
    assert sorted(p.name for p in (res.out_dir / "release").iterdir()) == ["redaction_log.csv"]



def test_when_a_large_file_named_mbox_has_no_line_break_then_it_is_refused_without_reading_it(tmp_path) -> None:
    # A binary file named .mbox may hold no line break in gigabytes: its first "line" is not read.
    import tracemalloc

    from redactor.errors import UnreadableDocument

    path = tmp_path / "archive.mbox"
    with path.open("wb") as fh:
        fh.truncate(300_000_000)  # sparse: the size without the disk use
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableDocument) as refused:
            list(scan_mbox(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.reason == "not an mbox" and peak < 10_000_000


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.sampled_from(["From a@b Mon Oct 12 09:15:00 2026\n", "From -\n", "Subject: s\n", "\n",
                                         " \n", "\x0c\n", "\ufeff", "From\n", "Fro", "body\n", " From x\n", "x"]),
                       max_size=8))
def test_the_look_at_an_mbox_files_start_refuses_only_what_reading_it_line_by_line_refuses(tmp_path_factory,
                                                                                           pieces) -> None:
    from redactor.errors import UnreadableDocument
    from redactor.formats import mbox

    path = tmp_path_factory.mktemp("m") / "box.mbox"
    path.write_bytes("".join(pieces).encode("utf-8"))

    def scanned() -> object:
        try:
            return list(scan_mbox(path))
        except UnreadableDocument as exc:
            return exc.reason

    with_look = scanned()
    lead = mbox._LEAD
    try:
        mbox._LEAD = 0  # nothing looked at first: the line-by-line reading alone decides
        assert scanned() == with_look
    finally:
        mbox._LEAD = lead
