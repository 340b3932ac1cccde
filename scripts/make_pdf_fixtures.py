"""Generate the PDF test fixtures in ``tests/fixtures/pdf/`` for the PDF adapter (issue 3).

Each fixture is a small letter-size PDF that puts exempt values (an SSN, a date of birth, a
resident's cell phone, personal email, home address and name, a card number) in one of the places
where PDF redaction goes wrong: across line ends, on rotated pages and in rotated text, in two
columns, at 4-6 pt, behind ligatures, in form fields, annotations, links, bookmarks, page labels,
Info/XMP metadata, a page thumbnail, images (scanned pages, pasted scans, an image shown on two
pages), vector outlines, attachments and JavaScript, under fake ("bad") redactions, in an earlier
revision left by an incremental update, and in encrypted or damaged files. Public values that must
survive (the town hall address, the main office number, case and permit numbers, meeting dates,
public officials' names) sit on the same pages.
``tests/fixtures/pdf/README.md`` lists every planted value per file and the expected outcome.

ALL PEOPLE, NUMBERS AND ADDRESSES ARE FICTITIOUS. The Town of Millbrook does not exist; phone
numbers are in the 555-01XX range kept for fiction; 219-09-9998 is an invented number in valid SSN
format; 4111 1111 1111 1111 is the published Visa test card number.

Determinism: fixed Info dates, no /ID for unencrypted files (``no_new_id=True``), fixed
annotation and attachment dates, and no randomness except for the encryption salts, IVs, file key
and /ID of the two encrypted files, which come from ``random.Random`` with a fixed seed (pypdf draws
them from ``secrets.token_bytes``, which is replaced by the seeded generator while those two files
are written). Running the script twice gives byte-identical files with the same PyMuPDF, pypdf and
zlib versions (bytes may differ across library versions).

Only the standard library, PyMuPDF and pypdf are used.

Usage::

    .venv/bin/python scripts/make_pdf_fixtures.py [OUTDIR]   # default: tests/fixtures/pdf
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pypdf
from pypdf.generic import ArrayObject, ByteStringObject

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTDIR = REPO_ROOT / "tests" / "fixtures" / "pdf"

# ---------------------------------------------------------------------------------------------
# The values. Every one is fictitious.
# ---------------------------------------------------------------------------------------------

# Exempt (private resident).
NAME = "Jane Roe"
SSN = "219-09-9998"
DOB = "03/15/1985"
CELL = "(413) 555-0142"
EMAIL = "jane.roe77@gmail.com"
HOME = "42 Elm Street, Apt 3, Millbrook, MA 01994"
HOME_STREET = "42 Elm Street, Apt 3"
CARD = "4111 1111 1111 1111"  # Visa test number
NEIGHBOR = "Harold Whittingham"  # a second private person (split_values, two_column)
NEIGHBOR_CELL = "(774) 555-0119"
NEIGHBOR_ADDR = "7 Birch Hill Road"

# Public (the town and its officials acting in their official capacity).
TOWN_HALL = "Millbrook Town Hall"
TOWN_HALL_STREET = "100 Common Street"
TOWN_CITY = "Millbrook, MA 01994"
TOWN_HALL_FULL = f"{TOWN_HALL}, {TOWN_HALL_STREET}, {TOWN_CITY}"
MAIN_PHONE = "(508) 555-0100"
CASE_NO = "BC-2026-0318"
PERMIT_NO = "BP-2026-0561"
MEETING_DATE = "10/22/2026"
RAO = ("Linda Castellano", "lcastellano@millbrook.ma.gov", "(508) 555-0105")
COMMISSIONER = ("Raymond Dufresne", "rdufresne@millbrook.ma.gov", "(508) 555-0112")
ZBA_CHAIR = "Eleanor Whitfield"
TOWN_WEB = "https://www.millbrook.ma.gov"

# Fixed dates and passwords.
PDF_DATE = "D:20261005093000-04'00'"
XMP_DATE = "2026-10-05T09:30:00-04:00"
OWNER_PASSWORD = "owner-2026"
USER_PASSWORD = "secret"
ENCRYPTION_SEED = 20261005

LETTER = pymupdf.paper_rect("letter")
MARGIN = 72.0
GENERATOR = "make_pdf_fixtures.py"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


class Writer:
    """Write lines top-down on one page with base-14 fonts (Helvetica by default)."""

    def __init__(self, page: pymupdf.Page, left: float = MARGIN, top: float = MARGIN, width: float | None = None):
        self.page = page
        self.left = left
        self.y = top
        self.width = width if width is not None else page.rect.width - left - MARGIN

    def line(self, text: str, size: float = 11, font: str = "helv", lead: float = 1.4, indent: float = 0) -> None:
        """Write one line (no wrapping) and move down by ``size * lead``."""
        self.y += size
        if text:
            self.page.insert_text((self.left + indent, self.y), text, fontname=font, fontsize=size)
        self.y += size * (lead - 1)

    def para(self, text: str, size: float = 11, font: str = "helv", lead: float = 1.4, after: float = 6) -> None:
        """Write a paragraph wrapped at word boundaries (values never split: no spaces inside are broken)."""
        for line in wrap(text, self.width, size, font):
            self.line(line, size, font, lead)
        self.y += after

    def gap(self, points: float) -> None:
        self.y += points


# Values that must stay on one line when a paragraph is wrapped (spaces inside them are kept).
_KEEP_TOGETHER = re.compile(
    r"\(\d{3}\) \d{3}-\d{4}|\d{4} \d{4} \d{4} \d{4}|"
    + "|".join(re.escape(v) for v in (NAME, NEIGHBOR, NEIGHBOR_ADDR, RAO[0], COMMISSIONER[0], ZBA_CHAIR, HOME_STREET))
)


def wrap(text: str, width: float, size: float, font: str = "helv") -> list[str]:
    """Greedy word wrap by measured width, keeping names, phones and card numbers on one line."""
    glued = _KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", "\x00"), text)
    lines: list[str] = []
    current = ""
    for word in glued.split():
        trial = f"{current} {word}" if current else word
        if current and pymupdf.get_text_length(trial.replace("\x00", " "), fontname=font, fontsize=size) > width:
            lines.append(current.replace("\x00", " "))
            current = word
        else:
            current = trial
    if current:
        lines.append(current.replace("\x00", " "))
    return lines


def new_page(doc: pymupdf.Document) -> pymupdf.Page:
    return doc.new_page(width=LETTER.width, height=LETTER.height)


def letterhead(w: Writer, department: str = "Building Department") -> None:
    """The town's public letterhead: name, department, address and main number."""
    w.line(f"TOWN OF MILLBROOK - {department.upper()}", 13, "hebo", 1.3)
    w.line(f"{TOWN_HALL_FULL}   Main office {MAIN_PHONE}", 9, "helv", 1.6)


def titled_page(doc: pymupdf.Document, title: str) -> tuple[pymupdf.Page, Writer]:
    """A new page with the letterhead and a bold title line; returns the page and its writer."""
    page = new_page(doc)
    w = Writer(page)
    letterhead(w)
    w.gap(6)
    w.line(title, 12, "hebo", 1.8)
    return page, w


def footer(page: pymupdf.Page, text: str) -> None:
    """A public footer line at the bottom of the page."""
    page.insert_text((MARGIN, page.rect.height - 40), text, fontname="helv", fontsize=8)


def fixed_metadata(doc: pymupdf.Document, **metadata: str) -> None:
    """Set Info metadata with fixed dates (plus whatever the fixture wants to plant)."""
    fields = {
        "creationDate": PDF_DATE,
        "modDate": PDF_DATE,
        "producer": GENERATOR,
        "creator": GENERATOR,
        "author": "",
        "title": "",
        "subject": "",
        "keywords": "",
    }
    fields.update(metadata)
    doc.set_metadata(fields)
    # MuPDF leaves a stray /Info key (naming its version) in the catalog of a new document.
    if doc.xref_get_key(doc.pdf_catalog(), "Info")[0] != "null":
        doc.xref_set_key(doc.pdf_catalog(), "Info", "null")


def to_bytes(doc: pymupdf.Document, *, clean: bool = True, deflate: bool = True) -> bytes:
    """Serialise as one full revision, garbage-collected, without a new /ID."""
    if clean:
        for page in doc:
            page.clean_contents()  # one content stream per page instead of one per insert call
    return doc.tobytes(garbage=4, deflate=deflate, no_new_id=True)


def fix_annot_dates(annot: pymupdf.Annot, title: str | None = None) -> None:
    """Give an annotation fixed dates (and optionally an author), then refresh its appearance."""
    info: dict[str, str] = {"creationDate": PDF_DATE, "modDate": PDF_DATE}
    if title is not None:
        info["title"] = title
    annot.set_info(**info)
    annot.update()


def render_snippet(lines: list[tuple[str, float, str]], width: float, height: float, dpi: int) -> bytes:
    """Render a few lines of text into a grayscale PNG (a 'scanned' snippet), no alpha."""
    src = pymupdf.open()
    page = src.new_page(width=width, height=height)
    page.draw_rect(pymupdf.Rect(2, 2, width - 2, height - 2), color=(0, 0, 0), width=1)
    y = 10.0
    for text, size, font in lines:
        y += size
        page.insert_text((12, y), text, fontname=font, fontsize=size)
        y += size * 0.6
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return pix.tobytes("png")


@contextlib.contextmanager
def seeded_token_bytes(seed: int) -> Iterator[None]:
    """Make ``secrets.token_bytes`` (pypdf's source of salts, IVs, keys and /ID) reproducible."""
    rng = random.Random(seed)
    original = secrets.token_bytes
    secrets.token_bytes = lambda n=32: rng.randbytes(n)  # type: ignore[assignment]
    try:
        yield
    finally:
        secrets.token_bytes = original  # type: ignore[assignment]


def encrypt(plain: bytes, user_password: str, owner_password: str, seed: int) -> bytes:
    """AES-256 encrypt a PDF with pypdf, deterministically (seeded salts, IVs, key and /ID)."""
    reader = pypdf.PdfReader(io.BytesIO(plain))
    writer = pypdf.PdfWriter(clone_from=reader)
    with seeded_token_bytes(seed):
        writer.encrypt(
            user_password=user_password,
            owner_password=owner_password,
            algorithm="AES-256",
            # print + copy/extract allowed, modification not: a typical "secured" municipal PDF
            permissions_flag=pypdf.constants.UserAccessPermissions.PRINT
            | pypdf.constants.UserAccessPermissions.EXTRACT
            | pypdf.constants.UserAccessPermissions.EXTRACT_TEXT_AND_GRAPHICS,
        )
        assert writer._ID is not None
        writer._ID = ArrayObject((writer._ID[0], ByteStringObject(bytes(writer._ID[0]))))
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# The fixtures. Each function returns the file's bytes.
# ---------------------------------------------------------------------------------------------


def text_letter() -> bytes:
    """A two-page letter from a private resident; her details also in metadata, XMP, outline, labels."""
    doc = pymupdf.open()
    p1 = new_page(doc)
    w = Writer(p1)
    for text in (NAME, HOME_STREET, TOWN_CITY, f"Cell: {CELL}", f"Email: {EMAIL}"):
        w.line(text, 11, "helv", 1.3)
    w.gap(14)
    w.line("October 5, 2026")
    w.gap(8)
    for text in (f"{COMMISSIONER[0]}, Building Commissioner", TOWN_HALL, TOWN_HALL_STREET, TOWN_CITY):
        w.line(text, 11, "helv", 1.3)
    w.gap(12)
    w.line(f"Re: Complaint {CASE_NO} - request for a hardship fee waiver", 11, "hebo")
    w.gap(6)
    w.line(f"Dear Mr. {COMMISSIONER[0].split()[1]}:")
    w.gap(4)
    w.para(
        f"My name is {NAME} and I rent the second-floor unit at {HOME}. I am writing about complaint "
        f"{CASE_NO}, which the Building Department opened after the porch inspection in September. "
        f"I understand the Zoning Board of Appeals will hear the matter on {MEETING_DATE} at "
        f"{TOWN_HALL}, and I intend to be there."
    )
    w.para(
        "The re-inspection fee is a real hardship for my household this year. The clerk told me that "
        "a waiver request must include the applicant's identifying information, so I am giving it here:"
    )
    w.line(f"Applicant: {NAME}", indent=24)
    w.line(f"Social Security number: {SSN}", indent=24)
    w.line(f"Date of birth: {DOB}", indent=24)
    w.line(f"Daytime phone: {CELL}", indent=24)
    w.gap(6)
    w.para(
        f"If anything else is needed, please call me at {CELL} or write to {EMAIL}. The main office "
        f"number I was given is {MAIN_PHONE}."
    )
    footer(p1, f"{NAME} - letter regarding {CASE_NO} - page A-1")

    p2 = new_page(doc)
    w = Writer(p2)
    w.line(f"{COMMISSIONER[0]}, Building Commissioner - {CASE_NO} - page 2", 9, "helv", 1.8)
    w.para(
        f"I have lived at {HOME_STREET} since 2019. The porch was built by the owner before I moved in, "
        f"and I reported the loose railing to the owner in writing twice. I attach nothing further, but "
        f"I can bring photographs to the {MEETING_DATE} hearing."
    )
    w.para(
        f"Thank you for your help. I have also sent a copy of this letter to the Records Access Officer, "
        f"{RAO[0]}, at {RAO[1]}, so that it is kept with the file for permit {PERMIT_NO}."
    )
    w.gap(10)
    w.line("Sincerely,")
    w.gap(18)
    w.line(NAME, 11, "heit")
    w.line(f"{HOME}", 9)
    w.gap(10)
    w.line(f"cc: {RAO[0]}, Records Access Officer, {TOWN_HALL_FULL}", 9)
    footer(p2, f"{NAME} - letter regarding {CASE_NO} - page A-2")

    # A page thumbnail (/Thumb): a small grayscale picture of page 1 that viewers show in the side bar.
    thumb = doc[0].get_pixmap(dpi=36, colorspace=pymupdf.csGRAY, alpha=False)
    thumb_xref = doc.get_new_xref()
    doc.update_object(
        thumb_xref,
        f"<< /Type /XObject /Subtype /Image /Width {thumb.width} /Height {thumb.height} "
        f"/ColorSpace /DeviceGray /BitsPerComponent 8 >>",
    )
    doc.update_stream(thumb_xref, thumb.samples)
    doc.xref_set_key(doc[0].xref, "Thumb", f"{thumb_xref} 0 R")

    doc.set_toc([[1, f"Letter from {NAME}", 1], [2, "Fee waiver request", 1], [2, "Signature", 2]])
    doc.set_page_labels([{"startpage": 0, "prefix": "A-", "style": "D", "firstpagenum": 1}])
    fixed_metadata(
        doc,
        author=NAME,
        title=f"Letter from {NAME} re complaint {CASE_NO}",
        subject=f"Hardship fee waiver request - {NAME}, {HOME_STREET}",
        keywords=f"fee waiver; {CASE_NO}; {NAME}",
        creator="Microsoft Word for Microsoft 365",
        producer="Microsoft Word for Microsoft 365",
    )
    doc.set_xml_metadata(
        f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <dc:creator><rdf:Seq><rdf:li>{NAME}</rdf:li></rdf:Seq></dc:creator>
   <dc:title><rdf:Alt>
    <rdf:li xml:lang="x-default">Letter from {NAME} re complaint {CASE_NO}</rdf:li>
   </rdf:Alt></dc:title>
   <dc:description><rdf:Alt>
    <rdf:li xml:lang="x-default">Fee waiver request from {NAME}, {HOME}, cell {CELL}</rdf:li>
   </rdf:Alt></dc:description>
   <pdf:Keywords>fee waiver; {CASE_NO}; {NAME}</pdf:Keywords>
   <pdf:Producer>Microsoft Word for Microsoft 365</pdf:Producer>
   <xmp:CreatorTool>Microsoft Word for Microsoft 365</xmp:CreatorTool>
   <xmp:CreateDate>{XMP_DATE}</xmp:CreateDate>
   <xmp:ModifyDate>{XMP_DATE}</xmp:ModifyDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    )
    return to_bytes(doc)


def split_values() -> bytes:
    """Values broken across line ends (explicit lines, as a justified word processor sets them)."""
    doc = pymupdf.open()
    page = new_page(doc)
    w = Writer(page)
    letterhead(w)
    w.gap(6)
    w.line(f"Inspection notes - complaint {CASE_NO} - hearing {MEETING_DATE}", 11, "hebo", 1.8)
    lines = [
        # SSN split after the second hyphen.
        "The tenant who called the office gave her Social Security number as 219-09-",
        "9998 and asked that it be kept with the file. She said her name is Jane",
        # Name split: "Jane" ends one line, "Roe" starts the next.
        "Roe and that she has rented the unit since 2019. Her neighbor, Mr. Whitting-",
        # Hyphenated surname: "Whitting-" / "ham".
        "ham, says the railing was loose in August. The Commissioner asked for reconsid-",
        # Hyphenated public word (must survive): "reconsid-" / "eration".
        "eration of the fee. The tenant paid the filing fee by card, number 4111 1111",
        # Card number split after the second group.
        "1111 1111, at the counter on 09/30/2026. Her cell phone is (413)",
        # Phone split after the area code.
        "555-0142 and her home address is 42 Elm Street, Apt 3,",
        # Address split before the town.
        "Millbrook, MA 01994. The file is open for inspection at the Building Department,",
        f"{TOWN_HALL_FULL}, main office {MAIN_PHONE}.",
    ]
    for text in lines:
        w.line(text, 11, "helv", 1.45)
    w.gap(10)
    w.para(
        f"Staff: {COMMISSIONER[0]}, Building Commissioner; {RAO[0]}, Records Access Officer. "
        f"Permit {PERMIT_NO} remains suspended until the hearing on {MEETING_DATE}.",
        10,
    )
    footer(page, f"Complaint {CASE_NO} - inspection notes - page 1 of 1")
    fixed_metadata(doc, title=f"Inspection notes {CASE_NO}", author="Building Department")
    return to_bytes(doc)


def rotated() -> bytes:
    """Page 1 carries /Rotate 90; page 2 is unrotated but its text runs bottom-to-top."""
    doc = pymupdf.open()
    p1 = new_page(doc)
    p1.set_rotation(90)
    # On a rotated page PyMuPDF takes (and writes) coordinates in the rotated, as-displayed frame,
    # so this text reads upright in a viewer while the content stream holds it turned by 90 degrees.
    w = Writer(p1)
    letterhead(w)
    w.gap(6)
    w.line(f"Landscape intake sheet - complaint {CASE_NO}", 12, "hebo", 1.8)
    w.line(f"Resident: {NAME}", 11)
    w.line(f"SSN: {SSN}", 11)
    w.line(f"Hearing date: {MEETING_DATE}   Permit {PERMIT_NO}", 11)
    w.line(f"Received by {RAO[0]}, Records Access Officer, {RAO[2]}", 11)
    footer(p1, f"Complaint {CASE_NO} - page 1 of 2 (landscape)")

    p2, w = titled_page(doc, f"Intake sheet, continued - complaint {CASE_NO}")
    w.para(
        f"The side margin of this sheet carries a stamp written bottom-to-top. The hearing is on "
        f"{MEETING_DATE} at {TOWN_HALL}. Questions: {MAIN_PHONE}."
    )
    # Text rotated by 90 degrees (reads bottom-to-top) near the right margin of an upright page.
    p2.insert_text((LETTER.width - 60, 620), f"Date of birth: {DOB}", fontname="helv", fontsize=11, rotate=90)
    p2.insert_text(
        (LETTER.width - 44, 620), f"Case {CASE_NO}  Permit {PERMIT_NO}", fontname="helv", fontsize=9, rotate=90
    )
    footer(p2, f"Complaint {CASE_NO} - page 2 of 2")
    fixed_metadata(doc, title=f"Intake sheet {CASE_NO}", author="Building Department")
    return to_bytes(doc)


def two_column() -> bytes:
    """A newsletter page set in two columns whose lines share baselines."""
    doc = pymupdf.open()
    page = new_page(doc)
    w = Writer(page)
    w.line("THE MILLBROOK TOWN CRIER", 18, "hebo", 1.3)
    w.line(f"Monthly newsletter of the Town of Millbrook - October 2026 - {TOWN_HALL_FULL}", 8.5, "helv", 1.6)
    page.draw_line((MARGIN, w.y), (LETTER.width - MARGIN, w.y), width=0.8)
    top = w.y + 8
    gutter = 24.0
    col_w = (LETTER.width - 2 * MARGIN - gutter) / 2
    left = Writer(page, MARGIN, top, col_w)
    right = Writer(page, MARGIN + col_w + gutter, top, col_w)
    left.line("Zoning Board hearing", 12, "hebo", 1.5)
    right.line("Neighbors helping neighbors", 12, "hebo", 1.5)
    left.para(
        f"The Zoning Board of Appeals, chaired by {ZBA_CHAIR}, meets on {MEETING_DATE} at 7:00 p.m. "
        f"in {TOWN_HALL}. On the agenda is complaint {CASE_NO} about a porch at {HOME_STREET}. "
        f"The tenant, {NAME}, asked neighbors who saw the railing to call her at {CELL} or write to "
        f"{EMAIL} before the hearing.",
        10,
    )
    right.para(
        f"Retired teacher {NEIGHBOR} of {NEIGHBOR_ADDR} is collecting winter coats for the food pantry. "
        f"Drop-offs are welcome on Saturdays; call {NEIGHBOR} at {NEIGHBOR_CELL} to arrange a pickup. "
        f"The Building Department reminds residents that permit {PERMIT_NO} covers the pantry ramp.",
        10,
    )
    left.para(
        f"Agendas are posted 48 hours ahead at the Town Clerk's office. Questions about the hearing go to "
        f"the main office at {MAIN_PHONE}.",
        10,
    )
    right.para(
        f"Records requests: contact {RAO[0]}, Records Access Officer, at {RAO[1]} or {RAO[2]}. "
        f"Building questions: {COMMISSIONER[0]}, {COMMISSIONER[2]}.",
        10,
    )
    page.draw_line((MARGIN + col_w + gutter / 2, top), (MARGIN + col_w + gutter / 2, max(left.y, right.y)), width=0.4)
    footer(page, f"Published by the Town of Millbrook - {TOWN_WEB}")
    fixed_metadata(doc, title="Millbrook Town Crier, October 2026", author="Town Clerk's Office")
    return to_bytes(doc)


def tiny_font() -> bytes:
    """Exempt values printed at 4 pt and 6 pt among normal 11 pt text."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"Fee waiver worksheet - complaint {CASE_NO}")
    w.para(
        f"Worksheet prepared for the {MEETING_DATE} hearing of the Zoning Board of Appeals. The applicant's "
        f"identifiers appear in the fine print below, as printed by the intake system."
    )
    w.line(f"Applicant {NAME}   SSN {SSN}   DOB {DOB}", 4, "helv", 1.5)
    w.line(f"Contact {CELL}   {EMAIL}   {HOME}", 6, "helv", 1.5)
    w.gap(8)
    w.para(f"Permit {PERMIT_NO} is suspended until the hearing. Town Hall main office: {MAIN_PHONE}.")
    w.line(f"Reviewed by {COMMISSIONER[0]}, Building Commissioner", 6, "helv", 1.5)
    w.line(f"Filed at {TOWN_HALL_FULL} on 10/05/2026", 4, "helv", 1.5)
    footer(page, f"Complaint {CASE_NO} - worksheet")
    fixed_metadata(doc, title=f"Fee waiver worksheet {CASE_NO}", author="Building Department")
    return to_bytes(doc)


def ligatures() -> bytes:
    """A name typeset with real ligature glyphs (shaped by HarfBuzz, and as U+FB01/U+FB03 characters)."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"Complaint {CASE_NO} - witness list")
    # 1. Shaped by HarfBuzz: MuPDF's built-in sans-serif (Nimbus Sans, a Helvetica clone) has "liga"
    #    substitutions, so "Griffin", "office" and "file" are set with the ffi / fi ligature glyphs.
    rect = pymupdf.Rect(MARGIN, w.y, LETTER.width - MARGIN, w.y + 60)
    page.insert_htmlbox(
        rect,
        f"<p>Witness: Griffin Fisk (private), SSN {SSN}, called the office.</p>"
        f"<p>The Building Commissioner's office will file notice of the {MEETING_DATE} hearing.</p>",
        css="p {font-family: sans-serif; font-size: 12pt; margin: 0 0 4pt 0;}",
    )
    w.gap(40)
    # 2. Literal ligature code points in the text itself: "Ti\ufb00any Du\ufb03eld", "\ufb01le".
    #    Written with the same built-in Nimbus Sans, embedded as a Unicode (Identity-H) font.
    page.insert_font(fontname="nimbus", fontbuffer=pymupdf.Font("helv").buffer)
    page.insert_text(
        (MARGIN, w.y + 12),
        "Second witness: Ti\ufb00any Du\ufb03eld (private), cell (774) 555-0119.",
        fontname="nimbus",
        fontsize=12,
    )
    page.insert_text(
        (MARGIN, w.y + 30),
        f"Her \ufb01le note: SSN {SSN}, e\ufb00ective 10/01/2026.",
        fontname="nimbus",
        fontsize=12,
    )
    w.gap(44)
    w.para(
        f"Official witnesses (public): {COMMISSIONER[0]}, Building Commissioner, and {RAO[0]}, Records Access "
        f"Officer. Case {CASE_NO}; main office {MAIN_PHONE}; {TOWN_HALL_FULL}."
    )
    footer(page, f"Complaint {CASE_NO} - witness list")
    fixed_metadata(doc, title=f"Witness list {CASE_NO}", author="Building Department")
    doc.subset_fonts()
    return to_bytes(doc)


def form() -> bytes:
    """An AcroForm with filled text fields (three exempt, one public) and a checked checkbox."""
    doc = pymupdf.open()
    page = new_page(doc)
    w = Writer(page)
    letterhead(w)
    w.gap(6)
    w.line("Application for Hardship Fee Waiver", 14, "hebo", 1.8)
    w.para(
        f"Return to the Building Department, {TOWN_HALL_FULL}. Questions: {MAIN_PHONE}. Waivers are decided "
        f"by the Building Commissioner, {COMMISSIONER[0]}."
    )
    w.gap(6)
    fields = [
        ("case_no", "Case number", CASE_NO),
        ("applicant_name", "Applicant name", NAME),
        ("ssn", "Social Security number", SSN),
        ("phone", "Daytime phone", CELL),
    ]
    for name, label, value in fields:
        y = w.y
        page.insert_text((MARGIN, y + 14), f"{label}:", fontname="helv", fontsize=11)
        widget = pymupdf.Widget()
        widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
        widget.field_name = name
        widget.field_label = label
        widget.field_value = value
        widget.rect = pymupdf.Rect(MARGIN + 160, y, MARGIN + 400, y + 20)
        widget.text_font = "Helv"
        widget.text_fontsize = 11
        widget.border_color = (0, 0, 0)
        widget.border_width = 0.8
        page.add_widget(widget)
        w.gap(30)
    y = w.y
    page.insert_text((MARGIN, y + 14), "Hearing requested (ZBA, 10/22/2026):", fontname="helv", fontsize=11)
    box = pymupdf.Widget()
    box.field_type = pymupdf.PDF_WIDGET_TYPE_CHECKBOX
    box.field_name = "hearing_requested"
    box.field_value = True
    box.rect = pymupdf.Rect(MARGIN + 230, y + 2, MARGIN + 246, y + 18)
    box.border_color = (0, 0, 0)
    box.border_width = 0.8
    page.add_widget(box)
    w.gap(40)
    w.para(f"For office use: received by {RAO[0]}, Records Access Officer, on {MEETING_DATE}.", 9)
    footer(page, f"Form BD-7 (rev. 2026) - {TOWN_HALL} - complaint {CASE_NO}")
    fixed_metadata(doc, title="Application for Hardship Fee Waiver", author="Building Department")
    return to_bytes(doc)


def annotations() -> bytes:
    """A memo with a sticky note, a FreeText comment and two links (mailto: exempt, mass.gov public)."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"Memo - complaint {CASE_NO}")
    w.para(
        f"To: {COMMISSIONER[0]}, Building Commissioner. From: {RAO[0]}, Records Access Officer. The tenant "
        f"at the property called again about the hearing on {MEETING_DATE}. My notes are in the comment "
        f"in the margin."
    )
    w.line("Follow-up: email the resident and confirm the hearing time.")
    follow_y = w.y
    w.line("State guidance on fee waivers: www.mass.gov")
    mass_y = w.y
    w.gap(10)
    w.para(f"Main office {MAIN_PHONE}. Permit {PERMIT_NO}.")

    note = page.add_text_annot((LETTER.width - 60, 150), f"Caller SSN {SSN}", icon="Note")
    fix_annot_dates(note, title=NAME)
    free = page.add_freetext_annot(
        pymupdf.Rect(LETTER.width - 250, 330, LETTER.width - MARGIN, 360),
        f"Call back {CELL}",
        fontsize=11,
        fontname="helv",
        text_color=(0.6, 0, 0),
        fill_color=(1, 1, 0.8),
    )
    fix_annot_dates(free, title=NAME)

    mail_rect = page.search_for("email the resident", clip=pymupdf.Rect(0, follow_y - 20, LETTER.width, follow_y))[0]
    page.insert_link({"kind": pymupdf.LINK_URI, "from": mail_rect, "uri": f"mailto:{EMAIL}"})
    gov_rect = page.search_for("www.mass.gov", clip=pymupdf.Rect(0, mass_y - 20, LETTER.width, mass_y))[0]
    page.insert_link({"kind": pymupdf.LINK_URI, "from": gov_rect, "uri": "https://www.mass.gov"})
    footer(page, f"Complaint {CASE_NO} - internal memo")
    fixed_metadata(doc, title=f"Memo {CASE_NO}", author="Records Access Officer")
    return to_bytes(doc)


SCAN_DPI = 300


def scanned() -> bytes:
    """An image-only page: a form rendered at 300 dpi grayscale, placed with no text layer."""
    src = pymupdf.open()
    page = new_page(src)
    w = Writer(page)
    letterhead(w)
    w.gap(8)
    w.line("BUILDING PERMIT APPLICATION (counter copy)", 14, "hebo", 1.8)
    w.line(f"Permit BP-2026-0561      Complaint {CASE_NO}", 12, "helv", 1.8)
    w.line(f"Name: {NAME}", 12, "helv", 1.6)
    w.line(f"SSN: {SSN}", 12, "helv", 1.6)
    w.line(f"Date of birth: {DOB}", 12, "helv", 1.6)
    w.line(f"Address: {HOME}", 12, "helv", 1.6)
    w.gap(10)
    w.para(f"Hearing before the Zoning Board of Appeals on {MEETING_DATE}. Main office {MAIN_PHONE}.", 11)
    page.draw_rect(pymupdf.Rect(MARGIN - 8, 60, LETTER.width - MARGIN + 8, w.y + 8), width=1)
    pix = page.get_pixmap(dpi=SCAN_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    out = pymupdf.open()
    target = new_page(out)
    image = target.insert_image(target.rect, stream=pix.tobytes("png"), keep_proportion=False)
    # Plain /DeviceGray as a scanner writes it (MuPDF would attach a gray ICC profile).
    out.xref_set_key(image, "ColorSpace", "/DeviceGray")
    fixed_metadata(out, title="Scan 2026-10-05 09:30", creator="Building Dept. copier scan-to-folder")
    return to_bytes(out)


def pasted_scan() -> bytes:
    """A text memo (public) with a pasted image of a form snippet that shows an SSN and a name."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"Memo to file - complaint {CASE_NO}")
    w.para(
        f"From {COMMISSIONER[0]}, Building Commissioner, to the file. The applicant's intake card is pasted "
        f"below as received at the counter. The Zoning Board of Appeals hears the matter on {MEETING_DATE}; "
        f"the file is available at {TOWN_HALL_FULL} (main office {MAIN_PHONE})."
    )
    w.gap(6)
    png = render_snippet(
        [("INTAKE CARD", 11, "hebo"), (f"Name: {NAME}", 12, "helv"), (f"SSN {SSN}", 12, "helv")],
        width=260,
        height=90,
        dpi=200,
    )
    page.insert_image(pymupdf.Rect(MARGIN, w.y, MARGIN + 260, w.y + 90), stream=png)
    w.gap(104)
    w.para(f"Permit {PERMIT_NO} stays suspended until the hearing. Filed by {RAO[0]}, Records Access Officer.")
    footer(page, f"Complaint {CASE_NO} - memo to file")
    fixed_metadata(doc, title=f"Memo to file {CASE_NO}", author="Building Department")
    return to_bytes(doc)


def shared_image() -> bytes:
    """Two pages showing one image object (same xref) that carries an SSN."""
    doc = pymupdf.open()
    png = render_snippet([("ID CARD COPY", 11, "hebo"), (f"SSN {SSN}", 12, "helv")], width=220, height=64, dpi=200)
    p1, w = titled_page(doc, f"Exhibit 1 - complaint {CASE_NO}")
    w.para(f"Copy of the identification provided at intake, for the hearing on {MEETING_DATE}.")
    xref = p1.insert_image(pymupdf.Rect(MARGIN, w.y, MARGIN + 220, w.y + 64), stream=png)
    footer(p1, f"Complaint {CASE_NO} - exhibit page 1 of 2")
    p2, w = titled_page(doc, f"Exhibit 1 (duplicate for the Board) - complaint {CASE_NO}")
    w.para(f"Same copy, placed lower on the page. Permit {PERMIT_NO}. Main office {MAIN_PHONE}.")
    p2.insert_image(pymupdf.Rect(MARGIN + 100, 400, MARGIN + 320, 464), xref=xref)
    footer(p2, f"Complaint {CASE_NO} - exhibit page 2 of 2")
    fixed_metadata(doc, title=f"Exhibit 1 {CASE_NO}", author="Building Department")
    return to_bytes(doc)


def bad_redaction() -> bytes:
    """Three fake redactions over live text, plus a decorative black bar with white text on top."""
    doc = pymupdf.open()
    page = new_page(doc)
    # False-positive guard: a black banner with white text drawn AFTER it (visible, not hidden).
    page.draw_rect(pymupdf.Rect(MARGIN, 50, LETTER.width - MARGIN, 74), color=None, fill=(0, 0, 0))
    page.insert_text(
        (MARGIN + 8, 67), "TOWN OF MILLBROOK - BUILDING DEPARTMENT", fontname="hebo", fontsize=12, color=(1, 1, 1)
    )
    w = Writer(page, top=82)
    w.line(f"{TOWN_HALL_FULL}   Main office {MAIN_PHONE}", 9, "helv", 1.6)
    w.gap(6)
    w.line(f"Released copy - complaint {CASE_NO} - hearing {MEETING_DATE}", 12, "hebo", 1.8)
    w.para('The following applicant details were "redacted" by the sender before this copy was filed:')
    w.line(f"Applicant SSN {SSN}", 11, "helv", 1.8)
    ssn_y = w.y
    w.line(f"Applicant name: {NAME}", 11, "helv", 1.8)
    name_y = w.y
    w.line(f"Applicant phone: {CELL}", 11, "helv", 1.8)
    phone_y = w.y
    w.gap(6)
    w.para(f"Reviewed by {COMMISSIONER[0]}, Building Commissioner. Permit {PERMIT_NO}. Questions: {MAIN_PHONE}.")
    footer(page, f"Complaint {CASE_NO} - released copy")

    def find(text: str, y: float) -> pymupdf.Rect:
        return page.search_for(text, clip=pymupdf.Rect(0, y - 24, LETTER.width, y))[0]

    # 1. A black filled rectangle drawn over the live SSN (the classic bad redaction).
    page.draw_rect(find(SSN, ssn_y) + pymupdf.Rect(-1, -1, 1, 1), color=None, fill=(0, 0, 0))
    # 2. A black Highlight annotation over the live name.
    hl = page.add_highlight_annot(find(NAME, name_y))
    hl.set_colors(stroke=(0, 0, 0))
    hl.set_opacity(1)
    fix_annot_dates(hl, title="Building Department")
    # 3. A Redact annotation that was marked but never applied.
    red = page.add_redact_annot(find(CELL, phone_y), fill=(0, 0, 0))
    fix_annot_dates(red, title="Building Department")
    fixed_metadata(doc, title=f"Released copy {CASE_NO}", author="Building Department")
    return to_bytes(doc)


def _ssn_notice(title: str) -> pymupdf.Document:
    """A one-page notice carrying the SSN (used by the encrypted and damaged fixtures)."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"{title} - complaint {CASE_NO}")
    w.para(
        f"Applicant {NAME}, SSN {SSN}, is scheduled for the Zoning Board of Appeals hearing on "
        f"{MEETING_DATE}. Staff contact: {RAO[0]}, Records Access Officer, {RAO[2]}."
    )
    w.para(f"Permit {PERMIT_NO}. {TOWN_HALL_FULL}. Main office {MAIN_PHONE}.")
    footer(page, f"Complaint {CASE_NO}")
    fixed_metadata(doc, title=f"{title} {CASE_NO}", author="Building Department")
    return doc


def encrypted_open() -> bytes:
    """AES-256 with an owner password only: opens with the empty user password."""
    plain = to_bytes(_ssn_notice("Hearing notice (secured copy)"))
    return encrypt(plain, user_password="", owner_password=OWNER_PASSWORD, seed=ENCRYPTION_SEED)


def encrypted_locked() -> bytes:
    """AES-256 with user password "secret": cannot be read without it."""
    plain = to_bytes(_ssn_notice("Hearing notice (password protected)"))
    return encrypt(plain, user_password=USER_PASSWORD, owner_password=OWNER_PASSWORD, seed=ENCRYPTION_SEED + 1)


def corrupt() -> bytes:
    """A PDF damaged beyond repair: truncated, object headers and trailer garbled."""
    data = to_bytes(_ssn_notice("Hearing notice (damaged)"), deflate=False)
    data = data[: len(data) * 2 // 3]  # truncated mid-file: no xref, no trailer, no %%EOF
    data = re.sub(rb"(\d+) (\d+) obj", lambda m: b"#" * len(m.group(0)), data)  # no findable objects
    data = re.sub(rb"endobj|stream|endstream|trailer|startxref|xref", lambda m: b"~" * len(m.group(0)), data)
    return data


def corrupt_repairable() -> bytes:
    """A PDF whose xref table and startxref offset are wrong; objects are intact, so it can be repaired."""
    data = to_bytes(_ssn_notice("Hearing notice (bad xref)"))
    start = data.rindex(b"\nxref\n") + 1
    table_end = data.index(b"trailer", start)
    table = data[start:table_end]
    # Shift every in-use offset by 7 bytes so each points into the middle of an object.
    table = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m.group(1)) + 7, m.group(2)), table)
    data = data[:start] + table + data[table_end:]
    # And point startxref a little past the real table.
    return re.sub(rb"startxref\s+(\d+)", lambda m: b"startxref\n%d" % (int(m.group(1)) + 3), data)


JAVASCRIPT = f'app.alert("Draft prepared for {NAME} - call {CELL} before release.");'


def attachment() -> bytes:
    """Public page text; an embedded notes.txt with an SSN and a document-level JavaScript action."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"Transmittal - complaint {CASE_NO}")
    w.para(
        f"The clerk's intake notes are attached to this PDF as notes.txt. The Zoning Board of Appeals "
        f"hears the matter on {MEETING_DATE}. Prepared by {RAO[0]}, Records Access Officer ({RAO[1]})."
    )
    w.para(f"Permit {PERMIT_NO}. {TOWN_HALL_FULL}. Main office {MAIN_PHONE}.")
    footer(page, f"Complaint {CASE_NO} - transmittal")
    notes = (
        f"Intake notes, complaint {CASE_NO}\n"
        f"Resident SSN {SSN}\n"
        f"Resident: {NAME}, {HOME}, cell {CELL}\n"
        f"Hearing {MEETING_DATE}. Main office {MAIN_PHONE}.\n"
    ).encode()
    ef_xref = doc.embfile_add(
        "notes.txt", notes, filename="notes.txt", ufilename="notes.txt", desc="Clerk intake notes"
    )
    doc.xref_set_key(ef_xref, "Params/CreationDate", f"({PDF_DATE})")
    doc.xref_set_key(ef_xref, "Params/ModDate", f"({PDF_DATE})")
    # Document-level JavaScript: a /JavaScript name tree beside /EmbeddedFiles in the catalog /Names.
    js_stream = doc.get_new_xref()
    doc.update_object(js_stream, "<<>>")
    doc.update_stream(js_stream, JAVASCRIPT.encode())
    action = doc.get_new_xref()
    doc.update_object(action, f"<< /Type /Action /S /JavaScript /JS {js_stream} 0 R >>")
    doc.xref_set_key(doc.pdf_catalog(), "Names/JavaScript", f"<< /Names [ (OpenNotice) {action} 0 R ] >>")
    fixed_metadata(doc, title=f"Transmittal {CASE_NO}", author="Records Access Officer")
    return to_bytes(doc)


ATTACHED_NOTES_NAME = f"intake {SSN}.txt"


def attachments_nested() -> bytes:
    """Public page text; a PDF attached to a comment (SSN and name in it), an embedded text file whose
    name holds the SSN, and an embedded spreadsheet no adapter reads."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"Hearing packet - complaint {CASE_NO}")
    w.para(
        f"The applicant's statement is attached to the comment beside this paragraph; the intake notes "
        f"and the fee worksheet are attached to the file. Prepared by {RAO[0]}, Records Access Officer."
    )
    w.para(f"Permit {PERMIT_NO}. {TOWN_HALL_FULL}. Main office {MAIN_PHONE}.")
    footer(page, f"Complaint {CASE_NO} - hearing packet")
    statement = to_bytes(_ssn_notice("Applicant statement"))
    annot = page.add_file_annot((MARGIN - 30, MARGIN + 60), statement, "statement.pdf",
                                ufilename="statement.pdf", desc="Applicant statement")
    fix_annot_dates(annot, title=RAO[0])
    notes = (f"Intake notes, complaint {CASE_NO}\nApplicant: {NAME}, cell {CELL}\n"
             f"Hearing {MEETING_DATE}.\n").encode()
    for name, data, desc in ((ATTACHED_NOTES_NAME, notes, "Intake notes"),
                             ("fee worksheet.xlsx", b"PK\x03\x04 not a real workbook", "Fee worksheet")):
        xref = doc.embfile_add(name, data, filename=name, ufilename=name, desc=desc)
        doc.xref_set_key(xref, "Params/CreationDate", f"({PDF_DATE})")
        doc.xref_set_key(xref, "Params/ModDate", f"({PDF_DATE})")
    fixed_metadata(doc, title=f"Hearing packet {CASE_NO}", author="Records Access Officer")
    return to_bytes(doc)


def public_only() -> bytes:
    """A two-page public meeting agenda: nothing in it may be redacted."""
    doc = pymupdf.open()
    p1 = new_page(doc)
    w = Writer(p1)
    letterhead(w, "Zoning Board of Appeals")
    w.gap(6)
    w.line(f"MEETING AGENDA - Thursday, {MEETING_DATE}, 7:00 p.m.", 13, "hebo", 1.6)
    w.line(f"Select Board Meeting Room, {TOWN_HALL}, {TOWN_HALL_STREET}", 10, "helv", 1.8)
    w.para(
        f"Posted 10/19/2026 by the Town Clerk in accordance with the Open Meeting Law, G.L. c. 30A, "
        f"sections 18-25. Chair: {ZBA_CHAIR}."
    )
    items = [
        "1. Call to order and roll call.",
        "2. Approval of the minutes of 09/24/2026.",
        f"3. Continued public hearing: complaint {CASE_NO}, appeal of the Building Commissioner's order "
        f"concerning a porch railing. Building Commissioner {COMMISSIONER[0]} to report.",
        f"4. Permit {PERMIT_NO}: request to lift the suspension pending repairs.",
        "5. Case ZBA 2026-17: special permit for an accessory dwelling unit, Parcel 14-0227.",
        "6. Case ZBA 2026-19: variance for a side-yard setback, Parcel 09-0112.",
    ]
    for item in items:
        w.para(item, 11, after=4)
    footer(p1, f"Zoning Board of Appeals agenda - {MEETING_DATE} - page 1 of 2")

    p2 = new_page(doc)
    w = Writer(p2)
    w.line(f"Zoning Board of Appeals agenda - {MEETING_DATE} (continued)", 11, "hebo", 1.8)
    for item in [
        "7. Public comment (three minutes per speaker).",
        f"8. Report of the Records Access Officer, {RAO[0]}: status of public records requests, "
        f"including request PRR-2026-0142.",
        "9. Next meeting: 11/19/2026 at 7:00 p.m.",
        "10. Adjournment.",
    ]:
        w.para(item, 11, after=4)
    w.gap(12)
    w.para(
        f"Contacts: Records Access Officer {RAO[0]}, {RAO[1]}, {RAO[2]}; Building Commissioner "
        f"{COMMISSIONER[0]}, {COMMISSIONER[1]}, {COMMISSIONER[2]}; main office {MAIN_PHONE}; "
        f"{TOWN_WEB}.",
        10,
    )
    w.para(
        "Persons requiring an accommodation should contact the Town Clerk at least 48 hours before the "
        "meeting. This agenda lists the topics the Chair reasonably anticipates will be discussed.",
        10,
    )
    footer(p2, f"Zoning Board of Appeals agenda - {MEETING_DATE} - page 2 of 2")
    doc.set_toc([[1, f"ZBA agenda {MEETING_DATE}", 1], [2, f"Complaint {CASE_NO}", 1], [2, "Public comment", 2]])
    fixed_metadata(
        doc,
        title=f"ZBA agenda {MEETING_DATE}",
        author="Office of the Town Clerk",
        subject="Zoning Board of Appeals meeting agenda",
    )
    return to_bytes(doc)


def _glyph_outlines(text: str, fontsize: float) -> tuple[pymupdf.Document, pymupdf.Rect]:
    """Return a one-page PDF in which ``text`` is drawn as filled paths (no font), and its bounds."""
    src = pymupdf.open()
    width = pymupdf.get_text_length(text, fontname="helv", fontsize=fontsize) + 8
    page = src.new_page(width=width, height=fontsize * 1.6)
    page.insert_text((4, fontsize * 1.15), text, fontname="helv", fontsize=fontsize)
    svg = page.get_svg_image(text_as_path=True)
    outlines = pymupdf.open("pdf", pymupdf.open("svg", svg.encode()).convert_to_pdf())
    return outlines, outlines[0].rect


def vector_text() -> bytes:
    """'SSN 219-09-9998' drawn as vector glyph outlines in the page content (no text, no image)."""
    doc = pymupdf.open()
    page, w = titled_page(doc, f"Printed label - complaint {CASE_NO}")
    w.para(
        f"The applicant label below came from a print-shop file in which all type was converted to outlines. "
        f"Hearing {MEETING_DATE}; main office {MAIN_PHONE}."
    )
    w.line("Applicant label:", 11)
    outlines, bounds = _glyph_outlines(f"SSN {SSN}", 16)
    # Replay the outline paths directly into this page's content stream, shifted to (MARGIN, y).
    dx, dy = MARGIN, w.y
    shape = page.new_shape()
    for path in outlines[0].get_drawings():
        for item in path["items"]:
            kind = item[0]
            if kind == "l":
                shape.draw_line(item[1] + (dx, dy), item[2] + (dx, dy))
            elif kind == "c":
                shape.draw_bezier(item[1] + (dx, dy), item[2] + (dx, dy), item[3] + (dx, dy), item[4] + (dx, dy))
            elif kind == "re":
                shape.draw_rect(item[1] + (dx, dy, dx, dy))
            elif kind == "qu":
                shape.draw_quad(item[1] + (dx, dy))
        shape.finish(
            fill=path.get("fill") or (0, 0, 0),
            color=None,
            even_odd=path.get("even_odd", False),
            closePath=path.get("closePath", False),
        )
    shape.commit()
    w.gap(bounds.height + 8)
    w.para(f"Permit {PERMIT_NO}. Reviewed by {COMMISSIONER[0]}, Building Commissioner. {TOWN_HALL_FULL}.")
    footer(page, f"Complaint {CASE_NO} - printed label")
    fixed_metadata(doc, title=f"Printed label {CASE_NO}", author="Building Department")
    return to_bytes(doc)


def incremental_update() -> bytes:
    """Two revisions: the first holds the SSN and the author's name; the second redacted both properly
    but was saved as an incremental update, so revision 1 is still in the file's bytes."""
    doc = _ssn_notice("Hearing notice (revised)")
    fixed_metadata(doc, title=f"Hearing notice {CASE_NO}", author=NAME)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "incremental.pdf"
        for page in doc:
            page.clean_contents()
        doc.save(path, garbage=4, deflate=True, no_new_id=True)
        doc.close()
        doc = pymupdf.open(path)
        page = doc[0]
        for value in (SSN, NAME):
            for rect in page.search_for(value):
                page.add_redact_annot(rect, fill=(0, 0, 0))
        page.apply_redactions()
        fixed_metadata(
            doc, title=f"Hearing notice {CASE_NO}", author="Building Department", modDate="D:20261006101500-04'00'"
        )
        doc.save(path, incremental=True, encryption=pymupdf.PDF_ENCRYPT_KEEP, no_new_id=True)
        doc.close()
        return path.read_bytes()


FIXTURES: dict[str, Callable[[], bytes]] = {
    "text_letter.pdf": text_letter,
    "split_values.pdf": split_values,
    "rotated.pdf": rotated,
    "two_column.pdf": two_column,
    "tiny_font.pdf": tiny_font,
    "ligatures.pdf": ligatures,
    "form.pdf": form,
    "annotations.pdf": annotations,
    "scanned.pdf": scanned,
    "pasted_scan.pdf": pasted_scan,
    "shared_image.pdf": shared_image,
    "bad_redaction.pdf": bad_redaction,
    "encrypted_open.pdf": encrypted_open,
    "encrypted_locked.pdf": encrypted_locked,
    "corrupt.pdf": corrupt,
    "corrupt_repairable.pdf": corrupt_repairable,
    "attachment.pdf": attachment,
    "attachments_nested.pdf": attachments_nested,
    "public_only.pdf": public_only,
    "vector_text.pdf": vector_text,
    "incremental_update.pdf": incremental_update,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=DEFAULT_OUTDIR)
    args = parser.parse_args(argv)
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    pymupdf.TOOLS.mupdf_display_errors(False)  # the damaged fixtures are meant to be damaged
    for name, build in FIXTURES.items():
        data = build()
        (outdir / name).write_bytes(data)
        print(f"{len(data):>9,d}  {outdir / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
