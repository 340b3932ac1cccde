"""Generate the e-mail test fixtures in ``tests/fixtures/email/`` for the e-mail adapters (issue 5).

Each fixture is a small message (or mailbox) that puts exempt values where e-mail redaction goes
wrong: encoded-word headers (base64 and quoted-printable), HTML-only mail (text nodes, ``mailto:``
links, ``alt``/``title`` attributes, comments, character references), base64 and quoted-printable
bodies, ISO-8859-1 and Windows-1252 bodies, forwards nested two deep, every kind of attachment (PDF
and Word files from the other fixture folders, text, CSV, a forwarded message, and formats the
tool cannot read), duplicate messages in an mbox, a thread whose quoted original wraps lines
differently, and bad input (S/MIME encrypted, truncated, not an mbox, not an Outlook file).
``tests/fixtures/email/README.md`` lists every planted value per file and the expected outcome.

ALL PEOPLE, NUMBERS AND ADDRESSES ARE FICTITIOUS (the cast of the PDF fixtures: the Town of
Millbrook does not exist; phone numbers are in the 555-01XX range kept for fiction; 219-09-9998 is
an invented number in valid SSN format).

Deterministic: every message is written from fixed text (fixed dates, boundaries and ids), and
base64 and quoted-printable are produced by the standard library. Running the script twice gives
byte-identical files as long as the PDF and Word fixtures it embeds are unchanged.

Usage::

    .venv/bin/python scripts/make_email_fixtures.py [OUTDIR]   # default: tests/fixtures/email
"""

from __future__ import annotations

import argparse
import base64
import binascii
import io
import quopri
import sys
import zipfile
from email.header import Header
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTDIR = REPO_ROOT / "tests" / "fixtures" / "email"
PDF = REPO_ROOT / "tests" / "fixtures" / "pdf" / "text_letter.pdf"
DOCX = REPO_ROOT / "tests" / "fixtures" / "docx" / "nested_tables.docx"

# Exempt (private resident and neighbour).
NAME = "Jane Roe"
EMAIL = "jane.roe77@gmail.com"
CELL = "(413) 555-0142"
SSN = "219-09-9998"
HOME = "42 Elm Street, Apt 3"
NEIGHBOR = "Harold Whittingham"
NEIGHBOR_CELL = "(774) 555-0119"
# Public.
RAO = ("Linda Castellano", "lcastellano@millbrook.ma.gov")
COMMISSIONER = ("Raymond Dufresne", "rdufresne@millbrook.ma.gov")
CASE_NO = "BC-2026-0318"
PERMIT_NO = "BP-2026-0561"
MAIN_PHONE = "(508) 555-0100"
DATE = "Mon, 12 Oct 2026 09:15:00 -0400"


def b64(data: bytes) -> str:
    """Base64 in 76-character lines."""
    return base64.encodebytes(data).decode("ascii")


def qp(text: str, charset: str = "utf-8") -> str:
    """Quoted-printable of ``text`` in ``charset``."""
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def headers(subject: str, sender: str = f"{NAME} <{EMAIL}>", to: str = f"{RAO[0]} <{RAO[1]}>",
            msg_id: str = "<20261012091500.1@mail.example.net>", extra: str = "") -> str:
    """A header block (no MIME headers)."""
    return (f"From: {sender}\nTo: {to}\nSubject: {subject}\nDate: {DATE}\nMessage-ID: {msg_id}\n{extra}"
            "MIME-Version: 1.0\n")


def encoded_headers() -> str:
    """Display name as a base64 encoded word, Subject as quoted-printable encoded words, Cc with an
    RFC 2047 name, an X- header and a Received line holding the address."""
    name_b = Header(NAME, "utf-8").encode()  # =?utf-8?b?...?=
    subject = "=?utf-8?q?Re=3A_noise_complaint_=E2=80=94_Jane_Roe=2C_42_Elm_Street?="
    neighbour = "=?utf-8?b?" + base64.b64encode(NEIGHBOR.encode()).decode() + "?="
    return (
        f"Received: from mail.example.net by mx.millbrook.ma.gov; for <{EMAIL}>; {DATE}\n"
        + headers(subject, sender=f"{name_b} <{EMAIL}>",
                  extra=f"Cc: {neighbour} <hwhittingham@comcast.net>, {COMMISSIONER[0]} <{COMMISSIONER[1]}>\n"
                        f"X-Original-Sender: {EMAIL}\n")
        + "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\n"
        f"Please see complaint {CASE_NO}. Hearing on 10/22/2026.\n"
    )


def html_only() -> str:
    """HTML-only mail, quoted-printable: values in text split by tags, a character reference, a
    mailto: link, alt and title attributes and a comment."""
    body = (
        "<html><head><style>p { font-family: Calibri; }</style></head><body>\n"
        f"<p>Complaint {CASE_NO} was filed by <b>Jane</b> Roe of {HOME}.</p>\n"
        f"<p>Call Jane&nbsp;Roe at {CELL} or <a href=\"mailto:{EMAIL}?subject=Complaint\">write to her</a>.</p>\n"
        f"<p><img src=\"cid:photo1\" alt=\"Driveway of {NEIGHBOR}\" title=\"Sent by {NEIGHBOR}\"></p>\n"
        f"<!-- reviewer note: SSN {SSN} -->\n"
        f"<p>Questions: Millbrook Town Hall, {MAIN_PHONE}. Permit {PERMIT_NO}.</p>\n"
        "</body></html>\n"
    )
    return (headers("HTML-only complaint", sender=f"{RAO[0]} <{RAO[1]}>", to=f"{COMMISSIONER[0]} "
                    f"<{COMMISSIONER[1]}>", msg_id="<html.1@millbrook.ma.gov>")
            + "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n"
            + qp(body))


def base64_and_qp() -> str:
    """multipart/alternative: text/plain in base64, text/html in quoted-printable."""
    plain = (f"Applicant: {NAME}\nSocial Security number: {SSN}\nCell: {CELL}\n\n"
             f"Permit {PERMIT_NO}, main office {MAIN_PHONE}.\n")
    html = (f"<p>Applicant: {NAME}<br>Social Security number: {SSN}<br>Cell: {CELL}</p>"
            f"<p>Permit {PERMIT_NO}, main office {MAIN_PHONE}.</p>\n")
    return (headers("Permit application", sender=f"{RAO[0]} <{RAO[1]}>", msg_id="<b64qp.1@millbrook.ma.gov>")
            + "Content-Type: multipart/alternative; boundary=\"=_alt_1\"\n\n"
            "--=_alt_1\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n\n"
            + b64(plain.encode())
            + "--=_alt_1\nContent-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n"
            + qp(html) + "\n--=_alt_1--\n")


def latin1() -> bytes:
    """An ISO-8859-1 body in quoted-printable, with accented public text around the values."""
    body = (f"Réunion du comité, dossier {CASE_NO}.\nPlaignante : {NAME}, {HOME}, tél. {CELL}.\n"
            "Le maire a répondu à la lettre.\n")
    return (headers("=?iso-8859-1?q?R=E9union_du_comit=E9?=", sender=f"{RAO[0]} <{RAO[1]}>",
                    msg_id="<latin1.1@millbrook.ma.gov>")
            + "Content-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n\n"
            + qp(body, "iso-8859-1")).encode("ascii")


def cp1252() -> bytes:
    """A Windows-1252 body sent as 8bit, with curly quotes and an en dash (bytes 0x80-0x9F)."""
    body = (f"The resident \u201c{NAME}\u201d called about {CASE_NO} \u2013 her SSN is {SSN}.\n"
            f"Callback {CELL}. Staff: {COMMISSIONER[0]}.\n")
    head = (headers("Call log", sender=f"{RAO[0]} <{RAO[1]}>", msg_id="<cp1252.1@millbrook.ma.gov>")
            + "Content-Type: text/plain; charset=\"windows-1252\"\nContent-Transfer-Encoding: 8bit\n\n")
    return head.encode("ascii") + body.encode("cp1252")


def _inner_message() -> str:
    return (headers(f"Intake for {CASE_NO}", sender=f"{NEIGHBOR} <hwhittingham@comcast.net>",
                    msg_id="<inner.1@comcast.net>")
            + "Content-Type: text/plain; charset=\"utf-8\"\n\n"
            f"My neighbour {NAME} has SSN {SSN} on the form I found. My cell is {NEIGHBOR_CELL}.\n")


def nested_forward() -> str:
    """A forward (message/rfc822) holding a forward (message/rfc822) holding the original."""
    middle = (headers("Fwd: intake", sender=f"{COMMISSIONER[0]} <{COMMISSIONER[1]}>",
                      msg_id="<middle.1@millbrook.ma.gov>")
              + "Content-Type: multipart/mixed; boundary=\"=_mid\"\n\n"
              "--=_mid\nContent-Type: text/plain; charset=\"utf-8\"\n\nForwarding the neighbour's note.\n"
              "--=_mid\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"intake.eml\"\n\n"
              + _inner_message() + "--=_mid--\n")
    return (headers("Fwd: Fwd: intake", sender=f"{RAO[0]} <{RAO[1]}>", msg_id="<outer.1@millbrook.ma.gov>")
            + "Content-Type: multipart/mixed; boundary=\"=_out\"\n\n"
            f"--=_out\nContent-Type: text/plain; charset=\"utf-8\"\n\nFor the file on {CASE_NO}.\n"
            "--=_out\nContent-Type: message/rfc822\n\n" + middle + "--=_out--\n")


def _zip(name: str, text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo(name, date_time=(2026, 10, 12, 9, 15, 0))
        zf.writestr(info, text)
    return buf.getvalue()


def attachments() -> str:
    """One message with a PDF, a Word file, a text file whose name holds a value (RFC 2231), a
    CSV, a forwarded message, a spreadsheet, a zip archive and an S/MIME signature."""
    parts = [
        ("text/plain; charset=\"utf-8\"", None, "7bit",
         f"Attached: the letter, the form, notes and the fee sheet for {CASE_NO}.\n"),
        ("application/pdf", "attachment; filename=\"letter.pdf\"", "base64", b64(PDF.read_bytes())),
    ]
    if DOCX.exists():
        parts.append(("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      "attachment; filename=\"form.docx\"", "base64", b64(DOCX.read_bytes())))
    notes = f"Intake notes {CASE_NO}\nResident SSN {SSN}\nCell {CELL}\nHearing 10/22/2026.\n"
    parts += [
        ("text/plain; charset=\"utf-8\"",
         "attachment; filename*=utf-8''Jane%20Roe%20%E2%80%93%20intake%20notes.txt", "base64",
         b64(notes.encode())),
        ("text/csv; charset=\"utf-8\"", "attachment; filename=\"contacts.csv\"", "base64",
         b64(f"Name,Phone,Role\n{NAME},{CELL},complainant\n{RAO[0]},(508) 555-0105,records officer\n".encode())),
        ("message/rfc822", "attachment; filename=\"neighbour note.eml\"", None, _inner_message()),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "attachment; filename=\"fee worksheet.xlsx\"", "base64",
         b64(_zip("xl/sharedStrings.xml", f"<sst><si><t>{NAME} {SSN}</t></si></sst>"))),
        ("application/zip", "attachment; filename=\"photos.zip\"", "base64",
         b64(_zip("readme.txt", f"Photos from {NAME}"))),
        ("application/pkcs7-signature; name=\"smime.p7s\"", "attachment; filename=\"smime.p7s\"", "base64",
         b64(b"0\x82\x01\x00 fictitious signature blob for " + EMAIL.encode())),
    ]
    out = [headers("Documents for BC-2026-0318", sender=f"{RAO[0]} <{RAO[1]}>", msg_id="<att.1@millbrook.ma.gov>"),
           "Content-Type: multipart/mixed; boundary=\"=_att\"\n\nThis is a multi-part message in MIME format.\n"]
    for ctype, disposition, cte, body in parts:
        out.append(f"--=_att\nContent-Type: {ctype}\n")
        if disposition:
            out.append(f"Content-Disposition: {disposition}\n")
        if cte:
            out.append(f"Content-Transfer-Encoding: {cte}\n")
        out.append("\n" + body + ("" if body.endswith("\n") else "\n"))
    out.append("--=_att--\n")
    return "".join(out)


def thread() -> str:
    """A reply quoting the original with "> " markers, the name wrapped onto the next quoted line,
    an "On ... wrote:" line, and an Outlook "From: ... Sent: ..." block further down."""
    body = (
        f"Thank you, Ms. Roe. The inspection for {CASE_NO} is set for 10/22/2026.\n"
        f"{COMMISSIONER[0]}\n\n"
        f"On Mon, Oct 12, 2026 at 9:15 AM {NAME} <{EMAIL}> wrote:\n"
        "> Hello, I am writing about the garage next door. My name is Jane\n"
        "> Roe and I live at 42 Elm\n"
        "> Street, Apt 3. You can reach me at (413)\n"
        "> 555-0142.\n"
        ">\n"
        "> -----Original Message-----\n"
        f"> From: {NAME} [mailto:{EMAIL}]\n"
        "> Sent: Friday, October 9, 2026 4:02 PM\n"
        f"> To: {RAO[0]}\n"
        "> Subject: noise\n"
        ">\n"
        "> > The noise comes from the garage owned by Harold\n"
        "> > Whittingham most nights.\n"
    )
    return (headers("Re: noise", sender=f"{COMMISSIONER[0]} <{COMMISSIONER[1]}>", to=f"{NAME} <{EMAIL}>",
                    msg_id="<reply.2@millbrook.ma.gov>", extra="In-Reply-To: <20261012091500.1@mail.example.net>\n")
            + "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\n" + body)


def original() -> str:
    """The message the thread quotes, as the resident sent it."""
    return (headers("noise")
            + "Content-Type: text/plain; charset=\"utf-8\"\n\n"
            f"Hello, I am writing about the garage next door. My name is {NAME} and I live at {HOME}. "
            f"You can reach me at {CELL}.\n")


def mailbox() -> str:
    """Three messages: the original, a reply, and the original again (same Message-ID and content);
    a body line starting "From " is escaped as ">From "."""
    first = original()
    second = (headers("Re: noise", sender=f"{RAO[0]} <{RAO[1]}>", to=f"{NAME} <{EMAIL}>",
                      msg_id="<reply.1@millbrook.ma.gov>")
              + "Content-Type: text/plain; charset=\"utf-8\"\n\n"
              f"Dear {NAME},\n\n>From the file: complaint {CASE_NO} is open.\n")
    return (f"From {EMAIL} Mon Oct 12 09:15:00 2026\n{first}\n"
            f"From lcastellano@millbrook.ma.gov Mon Oct 12 10:00:00 2026\n{second}\n"
            f"From {EMAIL} Mon Oct 12 09:15:00 2026\n{first}\n")


def smime_encrypted() -> str:
    """An S/MIME encrypted message: nothing inside can be read."""
    return (headers("Encrypted: SSN form", msg_id="<smime.1@mail.example.net>")
            + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\n"
            "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"smime.p7m\"\n\n"
            + b64(b"0\x80\x06\x09*\x86H\x86\xf7\r\x01\x07\x03\xa0\x80 fictitious enveloped data"))


def truncated() -> str:
    """A multipart message cut off inside its base64 attachment (no closing boundary)."""
    full = base64_and_qp().replace("--=_alt_1--\n", "")
    return full + "--=_alt_1\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" \
        + b64(PDF.read_bytes())[:300]


def tnef_and_uuencode() -> str:
    """A TNEF winmail.dat part and a uuencoded file inside a text body."""
    data = f"SSN {SSN} for {NAME}".encode()
    uu = "begin 644 ssn.txt\n" + "".join(binascii.b2a_uu(data[i:i + 45]).decode("ascii")
                                         for i in range(0, len(data), 45)) + "`\nend\n"
    return (headers("Outlook rich text", msg_id="<tnef.1@mail.example.net>")
            + "Content-Type: multipart/mixed; boundary=\"=_tnef\"\n\n"
            f"--=_tnef\nContent-Type: text/plain; charset=\"us-ascii\"\n\nSee {CASE_NO}.\n\n{uu}\nThanks.\n"
            "--=_tnef\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\n"
            "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"winmail.dat\"\n\n"
            + b64(b"\x78\x9f\x3e\x22 fictitious TNEF for " + NAME.encode()) + "--=_tnef--\n")


def write(outdir: Path) -> list[Path]:
    """Write every fixture into ``outdir``; return the paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    files: dict[str, str | bytes] = {
        "encoded_headers.eml": encoded_headers(),
        "html_only.eml": html_only(),
        "base64_qp.eml": base64_and_qp(),
        "latin1.eml": latin1(),
        "cp1252.eml": cp1252(),
        "nested_forward.eml": nested_forward(),
        "attachments.eml": attachments(),
        "thread.eml": thread(),
        "original.eml": original(),
        "duplicates.mbox": mailbox(),
        "smime_encrypted.eml": smime_encrypted(),
        "truncated.eml": truncated(),
        "tnef_uuencode.eml": tnef_and_uuencode(),
        "not_a_mailbox.mbox": "Meeting notes, complaint BC-2026-0318.\nNothing here is a mailbox.\n",
        "not_outlook.msg": "This file has a .msg name but is plain text.\n",
        "corrupt_outlook.msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4,
    }
    written = []
    for name, content in files.items():
        path = outdir / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """Write the fixtures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", nargs="?", type=Path, default=DEFAULT_OUTDIR)
    args = parser.parse_args(argv)
    for path in write(args.outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
