"""Generate the shipped sample request folder ``sample_records/request-001``.

The folder is a realistic Massachusetts public records request (PRR-2026-0142 to the fictitious
Town of Millbrook): a ``request.yaml``, plain-text, CSV and Markdown records, a text PDF with
private metadata, an image-only ("scanned") PDF, a Word form with a comment and a tracked
deletion, and two email messages (one with a PDF attachment). Exempt values (dates of birth, an
SSN, a driver's license number, card and bank account numbers, personal phones and emails, a
password, informant identifiers) are planted next to public values that must survive redaction
(staff names and work contacts, the town hall address and main number, case, permit and invoice
numbers, meeting dates, an IP address, a vendor EIN, a routing number on its own).
``sample_records/README.md`` lists every planted value and the exemption expected for it.

ALL PEOPLE, NUMBERS AND ADDRESSES ARE FICTITIOUS. The town does not exist; phone numbers are in the
555-01XX range reserved for fiction; card numbers are the networks' published test numbers; the IP
address is in the 203.0.113.0/24 documentation range; any resemblance to a real person, account or
identifier is coincidental.

The output is deterministic: fixed dates everywhere, no randomness, fixed PDF metadata and no PDF
/ID, fixed ZIP timestamps in the DOCX, fixed MIME boundaries, Date and Message-ID headers. Running
it twice gives byte-identical files with the same library versions (PDF and DOCX bytes may differ
across PyMuPDF, zlib or python-docx versions).

Usage::

    .venv/bin/python scripts/make_sample_records.py [OUTDIR]   # default: sample_records/request-001
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import email.charset
import email.generator
import email.policy
import email.utils
import io
import re
import sys
import zipfile
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import docx
import pymupdf
from docx.shared import Pt
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTDIR = REPO_ROOT / "sample_records" / "request-001"

# ---------------------------------------------------------------------------------------------
# The cast and the numbers. Every value below is fictitious.
# ---------------------------------------------------------------------------------------------

TOWN_HALL = "Millbrook Town Hall"
TOWN_HALL_STREET = "100 Common Street"
TOWN_CITY = "Millbrook, MA 01994"
MAIN_PHONE = "(508) 555-0100"

# Public staff acting in an official capacity (names, work emails and work phones are public).
RAO = ("Linda Castellano", "lcastellano@millbrook.ma.gov", "(508) 555-0105")
BUILDING_COMMISSIONER = ("Raymond Dufresne", "rdufresne@millbrook.ma.gov", "(508) 555-0112")
BUILDING_CLERK = ("Sandra Lyle", "slyle@millbrook.ma.gov", "(508) 555-0113")
SERGEANT = ("Maria Delgado", "mdelgado@millbrook.ma.gov")
OFFICER = ("Brian Tolland", "btolland@millbrook.ma.gov")
IT_DIRECTOR = ("Kevin Achterberg", "kachterberg@millbrook.ma.gov", "(508) 555-0130")
AP_CLERK = ("Donna Pike", "dpike@millbrook.ma.gov", "(508) 555-0108")
ZBA_CHAIR = "Eleanor Whitfield"
POLICE_BUSINESS_LINE = "(508) 555-0120"

# Private individuals.
COMPLAINANT_NAME = "Margaret Thornbury"
COMPLAINANT_ADDR = "14 Alder Lane"
COMPLAINANT_CELL = "(508) 555-0147"
COMPLAINANT_EMAIL = "peggy.thornbury58@gmail.com"
COMPLAINANT_DOB = "03/14/1958"

OWNER_NAME = "Dennis Kowalczyk"
OWNER_ADDR = "18 Alder Lane"
OWNER_CELL = "(774) 555-0163"
OWNER_EMAIL = "dkowalczyk71@comcast.net"
OWNER_DOB = "08/22/1971"
OWNER_DL = "S47291836"  # Massachusetts format: S + 8 digits
# Invented; appears only on the scanned (image-only) permit form.
OWNER_SSN = "031-54-8826"
OWNER_SPOUSE = "Carol"

WITNESS_NAME = "Anita Fairbanks"
WITNESS_ADDR = "22 Alder Lane"
WITNESS_PHONE = "(508) 555-0188"
WITNESS_EMAIL = "anita.fairbanks@comcast.net"
WITNESS_DOB = "11/02/1990"

CLERK_PERSONAL_CELL = "(508) 555-0176"  # a public employee's personal cell: 26(o)

# The vendor (a business: its EIN and business contacts are public).
VENDOR = "Quabbin Acoustics LLC"
VENDOR_EIN = "04-3827165"
VENDOR_OWNER = "Owen Albrecht"
VENDOR_BUSINESS_PHONE = "(413) 555-0139"
VENDOR_OWNER_CELL = "(413) 555-0191"
VENDOR_BANK = "Swift River Cooperative Bank"
VENDOR_ROUTING = "211370545"  # passes the ABA checksum
VENDOR_ACCOUNT = "4400918273"

# Records and identifiers that are public.
COMPLAINT_NO = "BC-2026-0318"
NOV_NO = "NOV-2026-044"
INCIDENT_NO = "26-00873"
ZBA_CASE = "2026-17"
PERMIT_NO = "BP-2026-0561"
INVOICE_NO = "QA-2026-112"
REQUEST_ID = "PRR-2026-0142"
ATTACKER_IP = "203.0.113.47"

# IT ticket secrets.
TICKET_USERNAME = "slyle.bldg"
TICKET_TEMP_PASSWORD = "Birch!Lantern-7384"

# Informant identifiers (request.yaml always_redact).
CI_NICKNAME = "Sparrow"
CI_FILE_NO = "CI-0417"

EDT = dt.timezone(dt.timedelta(hours=-4))
PDF_EPOCH = "D:20260926140000-04'00'"
ZIP_DATE = (2026, 9, 21, 14, 5, 0)


def _pdf_date(when: dt.datetime) -> str:
    """Format a timezone-aware datetime as a PDF date string."""
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hh, mm = divmod(abs(minutes), 60)
    return when.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hh:02d}'{mm:02d}'"


# ---------------------------------------------------------------------------------------------
# request.yaml and the text records
# ---------------------------------------------------------------------------------------------

REQUEST_YAML = f"""\
# Per-request settings for the shipped sample (not itself a record).
# Request text (received by email {RAO[1]}, 2026-10-05):
#   "All records concerning the noise and zoning complaint about 18 Alder Lane, including the
#    police call of September 12, 2026, and the IT helpdesk ticket about the compromised town
#    email account reported in September 2026."
# Everything in this folder is fictitious.
request_id: {REQUEST_ID}
agency: Town of Millbrook, Massachusetts
requester: Jordan Reyes, The Millbrook Ledger
received: 2026-10-05
rules: massachusetts
public_domains:
  - millbrook.ma.gov
public_names:
  - {RAO[0]}
  - {BUILDING_COMMISSIONER[0]}
  - {BUILDING_CLERK[0]}
  - {SERGEANT[0]}
  - {OFFICER[0]}
  - {IT_DIRECTOR[0]}
  - {AP_CLERK[0]}
  - {ZBA_CHAIR}
always_redact:
  - {CI_NICKNAME}
  - text: {CI_FILE_NO}
    code: "26(f)"
    note: Confidential informant file number in an open Detective Unit investigation
never_redact:
  - {TOWN_HALL}
  - {TOWN_HALL_STREET}
"""

COMPLAINT_LOG = f"""\
TOWN OF MILLBROOK — BUILDING DEPARTMENT
{TOWN_HALL}, {TOWN_HALL_STREET}, {TOWN_CITY}
Main office {MAIN_PHONE} · Building Department {BUILDING_COMMISSIONER[2]}

COMPLAINT INTAKE RECORD
========================================================================
Complaint No.:        {COMPLAINT_NO}
Received:             09/08/2026 9:47 AM (walk-in, front counter)
Taken by:             {BUILDING_CLERK[0]}, Administrative Assistant
Complaint type:       Zoning — unpermitted home occupation; noise
                      (Zoning Bylaw § 5.3; General Bylaws § 8.4)
Assigned to:          {BUILDING_COMMISSIONER[0]}, Building Commissioner

COMPLAINANT
  Name:               {COMPLAINANT_NAME} ("Peggy")
  Address:            {COMPLAINANT_ADDR}, {TOWN_CITY}
  Phone (cell):       {COMPLAINANT_CELL}
  Email:              {COMPLAINANT_EMAIL}
  Contact notes:      Prefers a call after 4 PM. Asked that her name not be
                      given to the property owner.

SUBJECT PROPERTY
  Location:           {OWNER_ADDR} (Assessors' Map 14, Lot 22; District R-1)
  Owner of record:    {OWNER_NAME}
  Owner phone:        {OWNER_CELL} (from permit application {PERMIT_NO})

DESCRIPTION (as stated by complainant)
  Complainant reports air-compressor, impact-wrench and engine noise from
  the detached garage at {OWNER_ADDR} most nights between 10 PM and 1 AM
  since mid-August, and four to six vehicles, some unregistered, parked on
  the side lawn. She states she is recovering from cardiac surgery and that
  the noise is keeping her awake. She believes the owner is running an auto
  repair business out of the garage. She states that her neighbor
  {WITNESS_NAME} of {WITNESS_ADDR}, {WITNESS_PHONE}, has also heard the noise
  and keeps a written log.

ACTIONS
  09/08/2026  Complaint logged; copy to Building Commissioner. (SL)
  09/09/2026  Acknowledgment emailed to complainant by R. Dufresne.
  09/10/2026  Site inspection by {BUILDING_COMMISSIONER[0]}, 2:15 PM. Observed five
              vehicles (two without plates), a two-post lift and an air
              compressor in the garage. Owner present; advised of bylaw. (RD)
  09/11/2026  Notice of Violation {NOV_NO} issued (Zoning Bylaw § 5.3,
              home occupation without special permit). Owner given 30 days
              to cease or to apply to the Zoning Board of Appeals. (RD)
  09/13/2026  Millbrook Police incident {INCIDENT_NO} (noise call, 09/12/2026
              11:41 PM) received from Sgt. {SERGEANT[0]}; added to file. (SL)
  09/18/2026  Owner filed special permit application, ZBA Case No. {ZBA_CASE};
              application fee paid, receipt R-2026-01205. (SL)
  09/21/2026  Complainant called from {COMPLAINANT_CELL} asking for the hearing
              date; told 10/22/2026 at 7:00 PM, Select Board Room,
              {TOWN_HALL}. Copy of file provided (receipt R-2026-01213). (SL)
  10/06/2026  File copied for public records request {REQUEST_ID} at the
              request of {RAO[0]}, Records Access Officer. (LC)

STATUS: OPEN — pending ZBA public hearing, Thursday, October 22, 2026, 7:00 PM
Questions about this record: Building Department, {TOWN_HALL},
{TOWN_HALL_STREET}, {TOWN_CITY}, {MAIN_PHONE}.
"""

INCIDENT_SUMMARY = f"""\
# Millbrook Police Department — Incident Summary

| Field | Value |
|---|---|
| Incident No. | {INCIDENT_NO} |
| Call received | 09/12/2026 23:41 |
| Call type | Noise complaint / suspicious activity |
| Location | {OWNER_ADDR}, Millbrook |
| Reporting officer | Officer {OFFICER[0]} (#214) |
| Supervisor | Sgt. {SERGEANT[0]} |
| Related records | Building Dept. complaint {COMPLAINT_NO}; ZBA Case No. {ZBA_CASE} |
| Disposition | Verbal warning (General Bylaws § 8.4); no arrest |

## Persons involved

| Role | Name | DOB | Address | Phone | ID |
|---|---|---|---|---|---|
| Reporting party | {COMPLAINANT_NAME} | {COMPLAINANT_DOB} | {COMPLAINANT_ADDR}, {TOWN_CITY} | {COMPLAINANT_CELL} | — |
| Property owner | {OWNER_NAME} | {OWNER_DOB} | {OWNER_ADDR}, {TOWN_CITY} | {OWNER_CELL} | MA DL {OWNER_DL} |
| Witness | {WITNESS_NAME} | {WITNESS_DOB} | {WITNESS_ADDR}, {TOWN_CITY} | {WITNESS_PHONE} | — |

## Narrative (Officer {OFFICER[0]})

On Saturday, September 12, 2026, at approximately 2341 hours, I was dispatched to
{OWNER_ADDR} for a report of loud machinery. The reporting party, {COMPLAINANT_NAME}
(DOB {COMPLAINANT_DOB}), called from her cell phone, {COMPLAINANT_CELL}, and stated that the
noise had been going on since about 2200 hours.

I arrived at 2349 hours and could hear an air compressor and an impact wrench from the
detached garage at the rear of the property. Three vehicles were parked on the side lawn;
one, a gray sedan, had no registration plates. I spoke with the owner, {OWNER_NAME}, who
identified himself with Massachusetts driver's license {OWNER_DL} (DOB {OWNER_DOB}).
Mr. Kowalczyk stated that he was finishing a brake job for a friend and had lost track of
the time. He stated that he works on cars at night because during the day he drives his
wife, {OWNER_SPOUSE}, to chemotherapy appointments.

I also spoke with {WITNESS_NAME} of {WITNESS_ADDR} (DOB {WITNESS_DOB}; home phone
{WITNESS_PHONE}; email {WITNESS_EMAIL}), who came out to the street. She stated that she
has logged the noise on eleven nights since August 14 and agreed to give a copy of her log
to the Building Department.

Mr. Kowalczyk shut the equipment down at 2358 hours. I issued a verbal warning under the
Town noise bylaw (General Bylaws § 8.4) and advised him of the open Building Department
complaint. Sgt. {SERGEANT[0]} responded as supervisor. Cleared 0006 hours, 09/13/2026.

## Supervisor's note (Sgt. {SERGEANT[0]})

Notified Building Commissioner {BUILDING_COMMISSIONER[0]} by email
({BUILDING_COMMISSIONER[1]}) on 09/13/2026. The Detective Unit advises that a
confidential informant known as "{CI_NICKNAME}" (file {CI_FILE_NO}) reported in July that
vehicles repaired at this garage may include parts from stolen vehicles. That matter is
open with the Detective Unit; do not release the informant's name or file number.

A copy of the narrative above (not this note) was provided to the Building Department for complaint
{COMPLAINT_NO} and to the Zoning Board of Appeals for its public hearing on
October 22, 2026 (10/22/2026, 7:00 PM, Select Board Room, {TOWN_HALL},
{TOWN_HALL_STREET}).

Records requests: Millbrook Police Department, business line {POLICE_BUSINESS_LINE};
Town Records Access Officer {RAO[0]}, {RAO[1]}, {RAO[2]}.
"""

HELPDESK_TICKET = f"""\
MILLBROOK IT SERVICE DESK — TICKET EXPORT
==========================================================================
Ticket #:      4471
Title:         Compromised account, Building Dept. (suspicious sign-ins,
               forwarding rule)
Category:      Security / Account compromise
Priority:      P1
Opened:        2026-09-15 08:12 by {BUILDING_CLERK[0]} <{BUILDING_CLERK[1]}>,
               Building Department, {BUILDING_CLERK[2]}
Assigned to:   {IT_DIRECTOR[0]}, IT Director <{IT_DIRECTOR[1]}>, {IT_DIRECTOR[2]}
Affected user: {BUILDING_CLERK[0]}
Username:      {TICKET_USERNAME}
Status:        Resolved 2026-09-17 16:40
Linked:        {REQUEST_ID} (public records request, per {RAO[0]}, RAO)

--------------------------------------------------------------------------
2026-09-15 08:12  {BUILDING_CLERK[0]}
  Several coworkers got an email "from me" Sunday night with a link to a
  shared file called "Alder Lane complaint photos". I did not send it. This
  morning my password doesn't work.

2026-09-15 08:31  {IT_DIRECTOR[0]}
  Sign-in log shows successful sign-ins to {TICKET_USERNAME} on 09/13/2026 at
  22:04 and 22:19 from {ATTACKER_IP} (overseas hosting provider, not the Town
  network). Attacker created an inbox rule forwarding any message containing
  "Alder" to an outside address, then sent the phishing link to 38 internal
  recipients. Rule deleted; account disabled 08:35; sessions revoked.

2026-09-15 09:05  {IT_DIRECTOR[0]}
  Password reset. Temporary password read to the user by phone:
  {TICKET_TEMP_PASSWORD}  (must be changed at next sign-in).
  MFA re-registered to the user's personal cell {CLERK_PERSONAL_CELL} until a
  Town-issued phone is available.

2026-09-15 10:20  {IT_DIRECTOR[0]}
  Mailbox audit: attacker opened 14 messages, including correspondence on
  complaint {COMPLAINT_NO} and one vendor payment thread ({VENDOR},
  invoice {INVOICE_NO}). Notified the Treasurer and {AP_CLERK[0]} (AP). AP
  called the vendor at its business line {VENDOR_BUSINESS_PHONE}; the vendor
  confirmed its bank (routing number {VENDOR_ROUTING}) has not changed. No
  payment changes were made.

2026-09-16 14:02  {IT_DIRECTOR[0]}
  Blocked {ATTACKER_IP} at the firewall and added the sending domain to the
  mail filter block list. Reported to MS-ISAC. Phishing message purged from
  all 38 mailboxes.

2026-09-17 16:40  {IT_DIRECTOR[0]}
  User confirmed new password set and MFA working. Resolved. Building
  Department staff scheduled for security awareness training on
  10/20/2026, 9:00 AM, {TOWN_HALL}, Room 204. Questions: IT office
  {IT_DIRECTOR[2]} or Town Hall main office {MAIN_PHONE}.
"""

# fmt: off
PAYMENT_ROWS: list[list[str]] = [
    ["receipt_no", "payment_date", "permit_or_case_no", "fee_description", "payer_name", "payer_address",
     "payer_phone", "payment_method", "card_number", "amount", "received_by", "notes"],
    ["R-2026-01187", "2026-09-03", PERMIT_NO, "Building permit - residential alteration (garage)", OWNER_NAME,
     f"{OWNER_ADDR}, {TOWN_CITY}", OWNER_CELL, "Visa", "4111111111111111", "145.00", BUILDING_CLERK[0],
     "Paid at counter"],
    ["R-2026-01194", "2026-09-10", "EP-2026-0233", "Electrical permit - garage subpanel", "Hollis Electric Co.",
     f"7 Mill Pond Road, {TOWN_CITY}", "(508) 555-0155", "Amex", "378282246310005", "65.00", BUILDING_CLERK[0],
     f"Licensed contractor for {PERMIT_NO}"],
    ["R-2026-01205", "2026-09-18", f"ZBA-{ZBA_CASE}", "ZBA special permit application fee", OWNER_NAME,
     f"{OWNER_ADDR}, {TOWN_CITY}", OWNER_CELL, "Mastercard", "5555555555554444", "200.00", BUILDING_CLERK[0],
     "Hearing 10/22/2026 7:00 PM"],
    ["R-2026-01206", "2026-09-18", f"ZBA-{ZBA_CASE}", "Legal notice and abutter mailing", OWNER_NAME,
     f"{OWNER_ADDR}, {TOWN_CITY}", OWNER_CELL, "Check", "", "48.60", BUILDING_CLERK[0], "Check no. 1042"],
    ["R-2026-01213", "2026-09-21", COMPLAINT_NO, "Copies - complaint file (6 pp. @ $0.05)", COMPLAINANT_NAME,
     f"{COMPLAINANT_ADDR}, {TOWN_CITY}", COMPLAINANT_CELL, "Discover", "6011111111111117", "0.30",
     BUILDING_CLERK[0], f"Picked up at {TOWN_HALL}"],
    ["R-2026-01230", "2026-09-29", f"ZBA-{ZBA_CASE}", "Copies - ZBA application packet (12 pp.)", WITNESS_NAME,
     f"{WITNESS_ADDR}, {TOWN_CITY}", WITNESS_PHONE, "Cash", "", "0.60", RAO[0], f"Mailed from {TOWN_HALL_STREET}"],
]
# fmt: on


def payment_csv() -> str:
    """Return the permit-fee payments export as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(PAYMENT_ROWS)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# PDFs (PyMuPDF)
# ---------------------------------------------------------------------------------------------

LETTER = pymupdf.paper_rect("letter")


class PageWriter:
    """Write wrapped lines top-down on one PDF page with base-14 fonts."""

    def __init__(self, page: pymupdf.Page, left: float = 72, right: float = 72, top: float = 72):
        self.page = page
        self.left = left
        self.width = page.rect.width - left - right
        self.y = top

    def line(self, text: str, font: str = "tiro", size: float = 11, indent: float = 0, lead: float = 1.35) -> None:
        """Write one line (no wrapping) and move down."""
        self.y += size
        self.page.insert_text((self.left + indent, self.y), text, fontname=font, fontsize=size)
        self.y += size * (lead - 1)

    def para(self, text: str, font: str = "tiro", size: float = 11, indent: float = 0, after: float = 8) -> None:
        """Write a paragraph wrapped to the page width."""
        for ln in _wrap(text, font, size, self.width - indent):
            self.line(ln, font, size, indent)
        self.y += after

    def gap(self, points: float) -> None:
        """Move down by a number of points."""
        self.y += points


PHONE = re.compile(r"\(\d{3}\) \d{3}-\d{4}")


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap using the base-14 font's metrics; never breaks inside a phone number."""
    lines: list[str] = []
    current = ""
    glued = PHONE.sub(lambda m: m.group(0).replace(" ", "\x00"), text)
    for word in (w.replace("\x00", " ") for w in glued.split()):
        trial = f"{current} {word}" if current else word
        if current and pymupdf.get_text_length(trial, fontname=font, fontsize=size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _save_pdf(doc: pymupdf.Document, metadata: dict[str, str]) -> bytes:
    """Set fixed metadata and serialise without a new /ID so the bytes are reproducible."""
    fixed = {
        "creationDate": PDF_EPOCH,
        "modDate": PDF_EPOCH,
        "producer": "make_sample_records.py",
        "creator": "make_sample_records.py",
    }
    fixed.update(metadata)
    doc.set_metadata(fixed)
    # MuPDF leaves a stray /Info dict (naming its own version) in the catalog of a new document.
    doc.xref_set_key(doc.pdf_catalog(), "Info", "null")
    for page in doc:
        page.clean_contents()  # one content stream per page instead of one per insert_text call
    return doc.tobytes(garbage=4, deflate=True, no_new_id=True)


def zoning_board_letter_pdf() -> bytes:
    """A two-page letter from the property owner to the ZBA, with his name as PDF author."""
    doc = pymupdf.open()
    p1 = PageWriter(doc.new_page(width=LETTER.width, height=LETTER.height))
    for text in (OWNER_NAME, OWNER_ADDR, TOWN_CITY, f"Cell: {OWNER_CELL}", OWNER_EMAIL):
        p1.line(text, size=10.5, lead=1.25)
    p1.gap(14)
    p1.line("September 26, 2026")
    p1.gap(10)
    for text in (f"{ZBA_CHAIR}, Chair", "Zoning Board of Appeals", TOWN_HALL, TOWN_HALL_STREET, TOWN_CITY):
        p1.line(text, lead=1.25)
    p1.gap(10)
    p1.line(f"Re:  ZBA Case No. {ZBA_CASE}, {OWNER_ADDR} (Assessors' Map 14, Lot 22)", "tibo")
    p1.line("Application for special permit, home occupation (Zoning Bylaw § 5.3)", "tibo", indent=24)
    p1.line(f"Notice of Violation {NOV_NO}", "tibo", indent=24)
    p1.gap(10)
    p1.para("Dear Chair Whitfield and Members of the Board:")
    p1.para(
        f"I am writing in support of my application for a special permit to allow a limited home "
        f"occupation, small engine and automotive repair, in the detached garage at {OWNER_ADDR}. "
        f"On September 11, 2026, Building Commissioner {BUILDING_COMMISSIONER[0]} issued Notice of "
        f"Violation {NOV_NO} after his inspection on September 10 in response to complaint "
        f"{COMPLAINT_NO}. I have stopped all work for customers while this application is pending, "
        f"and I filed the application and paid the fee on September 18, 2026 (receipt R-2026-01205)."
    )
    p1.para(
        f"I want the Board to understand why some of the work happened late at night. My wife, "
        f"{OWNER_SPOUSE}, was diagnosed with breast cancer in June and has been receiving "
        f"chemotherapy three days a week. I drive her to every appointment and care for her during "
        f"the day, and the evenings were the only time I had. That is not an excuse for the noise, "
        f"and I apologize to my neighbors on Alder Lane."
    )
    p1.para(
        f"I also want to address the police call on September 12, 2026 (Millbrook Police incident "
        f"{INCIDENT_NO}). Officer {OFFICER[0]} was courteous and I shut the compressor down "
        f"immediately. I have since ordered an insulated enclosure for it, and {VENDOR} measured "
        f"the sound levels at my property line; their summary is attached to my application."
    )
    p1.y = LETTER.height - 54
    p1.line("Page 1 of 2", "tiro", 9, indent=p1.width / 2 - 20)

    p2 = PageWriter(doc.new_page(width=LETTER.width, height=LETTER.height))
    p2.line(f"ZBA Case No. {ZBA_CASE} - {OWNER_NAME} - page 2", "tiit", 9)
    p2.gap(14)
    p2.para("I respectfully ask the Board to grant the special permit with the following conditions, which I accept:")
    conditions = (
        (
            "Work hours limited to 8:00 AM to 6:00 PM Monday through Friday and 9:00 AM to 1:00 PM "
            "Saturday. No work on Sundays or holidays."
        ),
        (
            "No more than two customer vehicles on the property at one time, parked on the driveway "
            "and never on the lawn. No unregistered vehicles stored outside."
        ),
        (
            "The air compressor kept inside an insulated enclosure, with sound levels at the property "
            "line at or below the limits in General Bylaws § 8.4."
        ),
        "No outdoor storage of parts, tires or fluids, and no signs.",
    )
    for n, cond in enumerate(conditions, start=1):
        p2.para(f"{n}.  {cond}", indent=18, after=4)
    p2.gap(6)
    p2.para(
        f"As the Board requested, I gave the Building Department a copy of my Massachusetts "
        f"driver's license (No. {OWNER_DL}) with the homeowner permit application {PERMIT_NO} to "
        f"show that I live at the property."
    )
    p2.para(
        f"I plan to attend the public hearing on Thursday, October 22, 2026, at 7:00 PM in the "
        f"Select Board Room at {TOWN_HALL}. If the Board or staff need anything before then, "
        f"please call my cell at {OWNER_CELL} or email me at {OWNER_EMAIL}."
    )
    p2.gap(4)
    p2.line("Respectfully,")
    p2.gap(18)
    p2.line(OWNER_NAME, "tiit", 15)
    p2.line(OWNER_NAME)
    p2.gap(14)
    p2.line(f"cc:  {BUILDING_COMMISSIONER[0]}, Building Commissioner", size=10, lead=1.25)
    p2.line(f"{BUILDING_CLERK[0]}, Building Department (for file {COMPLAINT_NO})", size=10, indent=24, lead=1.25)
    p2.y = LETTER.height - 54
    p2.line("Page 2 of 2", "tiro", 9, indent=p2.width / 2 - 20)

    doc.set_toc([[1, f"Letter from {OWNER_NAME} to the ZBA", 1], [1, "Proposed conditions", 2]])
    return _save_pdf(
        doc,
        {
            "title": f"ZBA Case {ZBA_CASE} - special permit letter",
            "author": OWNER_NAME,
            "subject": f"{OWNER_ADDR} special permit",
            "keywords": f"ZBA {ZBA_CASE}; {NOV_NO}",
        },
    )


def _permit_form_page(doc: pymupdf.Document) -> None:
    """Draw the paper building-permit application that will be 'scanned'."""
    page = doc.new_page(width=LETTER.width, height=LETTER.height)
    w = PageWriter(page, left=54, right=54, top=40)
    w.line("TOWN OF MILLBROOK  -  BUILDING DEPARTMENT", "hebo", 14)
    w.line(f"{TOWN_HALL}, {TOWN_HALL_STREET}, {TOWN_CITY}   Tel. {MAIN_PHONE}", "helv", 9)
    w.gap(6)
    w.line("APPLICATION FOR BUILDING PERMIT - ONE- AND TWO-FAMILY DWELLINGS", "hebo", 11.5)
    w.line(f"Permit No. {PERMIT_NO}", "hebo", 11)
    w.gap(6)

    def box(label: str, value: str, height: float = 34) -> None:
        top = w.y
        page.draw_rect(pymupdf.Rect(w.left, top, w.left + w.width, top + height), width=0.8)
        page.insert_text((w.left + 5, top + 11), label, fontname="helv", fontsize=7.5)
        page.insert_text((w.left + 12, top + 27), value, fontname="cour", fontsize=11)
        w.y = top + height

    box(
        "1. SITE ADDRESS / ASSESSORS' MAP-LOT / ZONING DISTRICT",
        f"{OWNER_ADDR}, Millbrook      Map 14  Lot 22      R-1",
    )
    box("2. OWNER OF RECORD (NAME, MAILING ADDRESS)", f"{OWNER_NAME}, {OWNER_ADDR}, {TOWN_CITY}")
    box("3. OWNER TELEPHONE / EMAIL", f"{OWNER_CELL}      {OWNER_EMAIL}")
    box("4. DATE OF BIRTH (HOMEOWNER EXEMPTION ONLY) / MA DRIVER'S LICENSE NO.", f"{OWNER_DOB}      {OWNER_DL}")
    box("5. CONTRACTOR", "Owner - homeowner exemption (M.G.L. c. 143, sec. 3A)")
    box("6. DESCRIPTION OF WORK", "Replace overhead door; add 60 A subpanel (EP-2026-0233); est. $6,800")
    box("7. TAX COMPLIANCE, M.G.L. c. 62C, sec. 49A: SOCIAL SECURITY NO. OR FEDERAL ID NO.", f"SSN  {OWNER_SSN}")
    w.gap(10)
    w.para(
        "I certify under the pains and penalties of perjury that the information on this "
        "application is true and complete, and that I have filed all state tax returns and "
        "paid all state taxes required under law.",
        "helv",
        8.5,
    )
    w.gap(4)
    page.insert_text((w.left + 10, w.y + 16), OWNER_NAME, fontname="tiit", fontsize=18)
    page.insert_text((w.left + 300, w.y + 16), "09/03/2026", fontname="cour", fontsize=11)
    w.gap(22)
    page.draw_line((w.left, w.y), (w.left + 240, w.y), width=0.6)
    page.draw_line((w.left + 290, w.y), (w.left + 400, w.y), width=0.6)
    page.insert_text((w.left, w.y + 9), "Signature of owner", fontname="helv", fontsize=7.5)
    page.insert_text((w.left + 290, w.y + 9), "Date", fontname="helv", fontsize=7.5)
    w.gap(28)
    top = w.y
    page.draw_rect(pymupdf.Rect(w.left, top, w.left + w.width, top + 74), width=1.4)
    w.y = top + 4
    w.line("FOR OFFICE USE ONLY", "hebo", 9, indent=6)
    w.line(f"Fee $145.00   Receipt R-2026-01187   Received by: {BUILDING_CLERK[0]}", "helv", 9, indent=6)
    w.line(f"Approved: {BUILDING_COMMISSIONER[0]}, Building Commissioner   09/04/2026", "helv", 9, indent=6)
    w.line(f"See complaint {COMPLAINT_NO} / {NOV_NO} / ZBA Case No. {ZBA_CASE}", "helv", 9, indent=6)
    # A tilted "received" stamp, as on a real counter copy.
    pivot = pymupdf.Point(400, w.y + 60)
    stamp = pymupdf.Rect(pivot.x, pivot.y - 30, pivot.x + 150, pivot.y + 8)
    shape = page.new_shape()
    shape.draw_rect(stamp)
    shape.finish(width=1.5, morph=(pivot, pymupdf.Matrix(-8)))
    shape.insert_text(
        (pivot.x + 8, pivot.y - 14),
        "RECEIVED  SEP 03 2026",
        fontname="hebo",
        fontsize=10,
        morph=(pivot, pymupdf.Matrix(-8)),
    )
    shape.insert_text(
        (pivot.x + 8, pivot.y + 1),
        "MILLBROOK BLDG DEPT",
        fontname="hebo",
        fontsize=9,
        morph=(pivot, pymupdf.Matrix(-8)),
    )
    shape.commit()


SCAN_DPI = 150
BITONAL = bytes(0 if level < 170 else 255 for level in range(256))


def scanned_permit_form_pdf() -> bytes:
    """An image-only PDF: the permit form rendered to a grayscale bitmap, no text layer."""
    src = pymupdf.open()
    _permit_form_page(src)
    # Rendered with a slight skew, as a sheet fed through a copier would be.
    matrix = pymupdf.Matrix(SCAN_DPI / 72, SCAN_DPI / 72).prerotate(0.6)
    gray = src[0].get_pixmap(matrix=matrix, colorspace=pymupdf.csGRAY, alpha=False)
    # Threshold to black and white like a bitonal copier scan (and to keep the file small).
    bitonal = bytes(gray.samples).translate(BITONAL)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, gray.width, gray.height, bitonal, False)
    png = pix.tobytes("png")
    out = pymupdf.open()
    page = out.new_page(width=LETTER.width, height=LETTER.height)
    page.insert_image(page.rect, stream=png, keep_proportion=False)
    return _save_pdf(
        out, {"title": "Scan 2026-09-03 09:12", "author": "", "creator": "Building Dept. copier scan-to-folder"}
    )


def noise_log_pdf() -> bytes:
    """The witness's one-page noise log, attached to the forwarded email."""
    doc = pymupdf.open()
    w = PageWriter(doc.new_page(width=LETTER.width, height=LETTER.height))
    w.line(f"Noise log - {WITNESS_ADDR}, Millbrook", "hebo", 14)
    w.line(f"Kept by {WITNESS_NAME}   Home phone {WITNESS_PHONE}   {WITNESS_EMAIL}", "helv", 9.5)
    w.gap(10)
    w.line(f"Date          Start   End     What I heard (from {OWNER_ADDR})", "cour", 9.5)
    entries = [
        ("08/14/2026", "22:10", "00:45", "air compressor, banging"),
        ("08/18/2026", "21:55", "23:30", "impact wrench, engine revving"),
        ("08/21/2026", "22:30", "01:10", "compressor, radio loud"),
        ("08/25/2026", "22:05", "00:20", "engine running in garage"),
        ("08/28/2026", "23:00", "01:00", "impact wrench"),
        ("09/01/2026", "22:15", "00:30", "compressor"),
        ("09/03/2026", "22:40", "00:50", "grinder, sparks visible"),
        ("09/05/2026", "21:50", "23:45", "engine revving, two cars"),
        ("09/08/2026", "22:20", "00:10", "compressor"),
        ("09/10/2026", "22:00", "23:40", "impact wrench"),
        ("09/12/2026", "22:00", "23:58", "compressor + wrench; police came"),
    ]
    for date, start, end, what in entries:
        w.line(f"{date}    {start}   {end}   {what}", "cour", 9.5, lead=1.3)
    w.gap(12)
    w.para(
        f"Given to Officer {OFFICER[0]} on 09/12/2026 and emailed to Building Commissioner "
        f"{BUILDING_COMMISSIONER[0]} on 09/16/2026 for complaint {COMPLAINT_NO}.",
        "helv",
        9.5,
    )
    return _save_pdf(doc, {"title": "Noise log", "author": WITNESS_NAME})


# ---------------------------------------------------------------------------------------------
# DOCX (python-docx, then lxml for the comment and the tracked change)
# ---------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
REL_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
REVISION_DATE = "2026-09-21T14:02:00Z"
COMMENT_TEXT = (
    f"Verified by callback to {VENDOR_OWNER} on his cell {VENDOR_OWNER_CELL} on 9/18 "
    f"before entering in MUNIS. Do not email this form. - DP"
)


def _w(tag: str, **attrs: str) -> etree._Element:
    """Make a w: element with w:-namespaced attributes."""
    el = etree.Element(W + tag)
    for key, value in attrs.items():
        el.set(W + key, value)
    return el


def _run(text: str, deleted: bool = False) -> etree._Element:
    """A w:r holding text (w:t) or deleted text (w:delText)."""
    run = _w("r")
    t = etree.SubElement(run, W + ("delText" if deleted else "t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _tracked_phone_change(paragraph: etree._Element) -> None:
    """Replace a paragraph's content with a tracked deletion of the owner's cell and an insertion."""
    for child in list(paragraph):
        if child.tag != W + "pPr":
            paragraph.remove(child)
    deletion = _w("del", id="101", author=AP_CLERK[0], date=REVISION_DATE)
    deletion.append(_run(VENDOR_OWNER_CELL, deleted=True))
    insertion = _w("ins", id="102", author=AP_CLERK[0], date=REVISION_DATE)
    insertion.append(_run(f"{VENDOR_BUSINESS_PHONE} (business line)"))
    paragraph.append(deletion)
    paragraph.append(insertion)


def _anchor_comment(paragraph: etree._Element, comment_id: str) -> None:
    """Wrap a paragraph's runs in a comment range and add the reference run."""
    runs = [c for c in paragraph if c.tag == W + "r"]
    runs[0].addprevious(_w("commentRangeStart", id=comment_id))
    runs[-1].addnext(_w("commentRangeEnd", id=comment_id))
    ref_run = _w("r")
    rpr = etree.SubElement(ref_run, W + "rPr")
    rpr.append(_w("rStyle", val="CommentReference"))
    ref_run.append(_w("commentReference", id=comment_id))
    paragraph.append(ref_run)


def _comments_xml(comment_id: str) -> bytes:
    """The word/comments.xml part with one comment by a named author."""
    root = etree.Element(W + "comments", nsmap={"w": W_NS})
    comment = etree.SubElement(root, W + "comment")
    comment.set(W + "id", comment_id)
    comment.set(W + "author", AP_CLERK[0])
    comment.set(W + "initials", "DP")
    comment.set(W + "date", "2026-09-18T15:30:00Z")
    para = etree.SubElement(comment, W + "p")
    para.append(_w("pPr"))
    para[0].append(_w("pStyle", val="CommentText"))
    para.append(_run(COMMENT_TEXT))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_row(table: docx.table.Table, label: str, value: str) -> docx.table._Row:
    """Append a label/value row with a bold label."""
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(label).bold = True
    row.cells[1].paragraphs[0].add_run(value)
    return row


def vendor_direct_deposit_docx() -> bytes:
    """A vendor ACH form with a table, header/footer, a comment and a tracked deletion."""
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)

    section = document.sections[0]
    header_text = "TOWN OF MILLBROOK - OFFICE OF THE TREASURER/COLLECTOR        Form AP-7"
    section.header.paragraphs[0].text = f"{header_text} (rev. 01/2026)"
    footer_text = f"{TOWN_HALL} · {TOWN_HALL_STREET}, {TOWN_CITY} · Main office {MAIN_PHONE}"
    section.footer.paragraphs[0].text = f"{footer_text} · CONFIDENTIAL when completed"

    document.add_heading("Vendor Direct Deposit (ACH) Authorization", level=1)
    document.add_paragraph(
        "Complete this form to receive Town of Millbrook vendor payments by direct deposit. Attach "
        "a voided check or a bank letter. Return the original to Accounts Payable, "
        f"{TOWN_HALL}, {TOWN_HALL_STREET}. Do not email completed forms."
    )

    document.add_heading("Section 1 - Vendor information", level=2)
    vendor = document.add_table(rows=0, cols=2)
    vendor.style = "Table Grid"
    _add_row(vendor, "Vendor legal name", VENDOR)
    _add_row(vendor, "Town vendor no.", "V-10388")
    _add_row(vendor, "Federal EIN", VENDOR_EIN)
    _add_row(vendor, "Remit-to address", f"9 Depot Road, Suite 2, {TOWN_CITY}")
    _add_row(vendor, "Contact name / title", f"{VENDOR_OWNER}, Managing Member")
    phone_row = _add_row(vendor, "Contact phone", "placeholder")
    _add_row(vendor, "Remittance email", "accounts@quabbin-acoustics.example")

    document.add_heading("Section 2 - Bank information", level=2)
    bank = document.add_table(rows=0, cols=2)
    bank.style = "Table Grid"
    _add_row(bank, "Financial institution", VENDOR_BANK)
    _add_row(bank, "ABA routing number", VENDOR_ROUTING)
    account_row = _add_row(bank, "Account number", VENDOR_ACCOUNT)
    _add_row(bank, "Account type", "Business checking")

    document.add_heading("Section 3 - Authorization", level=2)
    document.add_paragraph(
        f"I authorize the Town of Millbrook to deposit payments due to {VENDOR} into the account "
        "above and, if an amount is deposited in error, to reverse it. This authorization stays in "
        "effect until the Town receives written notice of cancellation."
    )
    document.add_paragraph(f"Signed: {VENDOR_OWNER}, Managing Member        Date: 09/18/2026")

    document.add_heading("Section 4 - Town use only", level=2)
    office = document.add_table(rows=0, cols=2)
    office.style = "Table Grid"
    _add_row(office, "Received by", f"{AP_CLERK[0]}, Accounts Payable, {AP_CLERK[2]}")
    _add_row(office, "Purchase order", "PO 2026-0419")
    _add_row(office, "First payment", f"Invoice {INVOICE_NO}, $4,850.00 - noise study, {OWNER_ADDR} ({COMPLAINT_NO})")
    _add_row(office, "Entered in MUNIS", "09/21/2026")
    _add_row(office, "Callback verified", "Yes - see comment")

    _tracked_phone_change(phone_row.cells[1].paragraphs[0]._p)
    _anchor_comment(account_row.cells[1].paragraphs[0]._p, "0")

    core = document.core_properties
    core.author = VENDOR_OWNER
    core.last_modified_by = AP_CLERK[0]
    core.title = f"Vendor Direct Deposit Authorization - {VENDOR}"
    core.subject = "Form AP-7"
    core.comments = "Account verified by callback"
    core.keywords = "ACH; vendor V-10388"
    core.category = "Accounts Payable"
    core.revision = 4
    core.created = dt.datetime(2026, 9, 18, 9, 30, 0)
    core.modified = dt.datetime(2026, 9, 21, 14, 5, 0)
    core.last_printed = dt.datetime(2026, 9, 18, 9, 45, 0)

    raw = io.BytesIO()
    document.save(raw)
    return _finish_docx(raw.getvalue(), _comments_xml("0"))


def _finish_docx(package: bytes, comments: bytes) -> bytes:
    """Add the comments part, turn on track changes and rezip with fixed timestamps."""
    src = zipfile.ZipFile(io.BytesIO(package))
    parts = {name: src.read(name) for name in src.namelist()}

    ct = etree.fromstring(parts["[Content_Types].xml"])
    ct_ns = ct.nsmap[None]
    override = etree.SubElement(ct, f"{{{ct_ns}}}Override")
    override.set("PartName", "/word/comments.xml")
    override.set("ContentType", CT_COMMENTS)
    parts["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8", standalone=True)

    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    rel = etree.SubElement(rels, f"{{{rels.nsmap[None]}}}Relationship")
    rel.set("Id", "rIdComments1")
    rel.set("Type", REL_COMMENTS)
    rel.set("Target", "comments.xml")
    parts["word/_rels/document.xml.rels"] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )

    settings = etree.fromstring(parts["word/settings.xml"])
    if settings.find(W + "trackRevisions") is None:
        # Schema order (CT_Settings): trackRevisions sits after proofState, before defaultTabStop.
        anchor = settings.find(W + "defaultTabStop")
        if anchor is None:
            raise RuntimeError("python-docx template settings.xml has no w:defaultTabStop")
        anchor.addprevious(_w("trackRevisions"))
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)

    order = list(parts)
    order.insert(order.index("word/document.xml") + 1, "word/comments.xml")
    parts["word/comments.xml"] = comments

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zf.writestr(info, parts[name])
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Email (.eml)
# ---------------------------------------------------------------------------------------------

QP_UTF8 = email.charset.Charset("utf-8")
QP_UTF8.body_encoding = email.charset.QP
EML_POLICY = email.policy.compat32.clone(linesep="\n")


def _set_headers(msg: Message, headers: list[tuple[str, str]]) -> None:
    """Put the envelope headers first and the MIME headers after them, as mail clients do."""
    mime = list(msg.items())
    for key in {k for k, _ in mime}:
        del msg[key]
    for key, value in headers + mime:
        msg[key] = value


def _eml_bytes(msg: Message) -> bytes:
    """Serialise a message with LF line endings and no From_ mangling."""
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]  # the email.mime classes add it to every part; clients don't
    buf = io.BytesIO()
    email.generator.BytesGenerator(buf, mangle_from_=False, maxheaderlen=78, policy=EML_POLICY).flatten(msg)
    return buf.getvalue()


COMPLAINT_EMAIL_TEXT = f"""\
Mr. Dufresne,

It happened again Saturday night. The compressor started around 10 and I
finally called the police at 11:40. Officer Tolland came out (I think the
report number is {INCIDENT_NO}). {WITNESS_NAME} at {WITNESS_ADDR} heard it too and
she has been keeping a log. Her number is {WITNESS_PHONE} if you want to
talk to her.

I know you said the hearing is not until October 22, but I am still
recovering from my heart surgery and I have not slept more than four hours
a night in weeks. Is there anything that can be done before then?

Please call me on my cell, {COMPLAINANT_CELL}, any time after 4. And again,
please don't tell Mr. Kowalczyk that I am the one who complained.

Peggy Thornbury
{COMPLAINANT_ADDR}
{TOWN_CITY}

On Wed, Sep 9, 2026 at 11:18 AM {BUILDING_COMMISSIONER[0]} <{BUILDING_COMMISSIONER[1]}> wrote:
> Ms. Thornbury,
>
> Thank you for your complaint, which is logged as {COMPLAINT_NO}. I will
> inspect {OWNER_ADDR} this week. If I find a violation, the owner will be
> ordered to stop or to apply to the Zoning Board of Appeals, whose next
> public hearing is October 22, 2026 at 7:00 PM at {TOWN_HALL},
> {TOWN_HALL_STREET}.
>
> {BUILDING_COMMISSIONER[0]}
> Building Commissioner, Town of Millbrook
> {BUILDING_COMMISSIONER[2]} | Main office {MAIN_PHONE}
"""

COMPLAINT_EMAIL_HTML = f"""\
<div dir="ltr"><div>Mr. Dufresne,</div><div><br></div>
<div>It happened again Saturday night. The compressor started around 10 and I finally called the
police at 11:40. Officer Tolland came out (I think the report number is {INCIDENT_NO}).
{WITNESS_NAME} at {WITNESS_ADDR} heard it too and she has been keeping a log. Her number is
{WITNESS_PHONE} if you want to talk to her.</div><div><br></div>
<div>I know you said the hearing is not until October 22, but I am still recovering from my heart
surgery and I have not slept more than four hours a night in weeks. Is there anything that can be
done before then?</div><div><br></div>
<div>Please call me on my cell, <a href="tel:+15085550147">{COMPLAINANT_CELL}</a>, any time after 4.
And again, please don&#39;t tell Mr. Kowalczyk that I am the one who complained.</div><div><br></div>
<div>Peggy Thornbury<br>{COMPLAINANT_ADDR}<br>{TOWN_CITY}<br>
<a href="mailto:{COMPLAINANT_EMAIL}">{COMPLAINANT_EMAIL}</a></div></div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Wed, Sep 9, 2026 at 11:18 AM
{BUILDING_COMMISSIONER[0]} &lt;<a href="mailto:{BUILDING_COMMISSIONER[1]}">{BUILDING_COMMISSIONER[1]}</a>&gt;
wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;
border-left:1px solid rgb(204,204,204);padding-left:1ex">
<p>Ms. Thornbury,</p>
<p>Thank you for your complaint, which is logged as {COMPLAINT_NO}. I will inspect {OWNER_ADDR}
this week. If I find a violation, the owner will be ordered to stop or to apply to the Zoning
Board of Appeals, whose next public hearing is October 22, 2026 at 7:00 PM at {TOWN_HALL},
{TOWN_HALL_STREET}.</p>
<p>{BUILDING_COMMISSIONER[0]}<br>Building Commissioner, Town of Millbrook<br>
{BUILDING_COMMISSIONER[2]} | Main office {MAIN_PHONE}</p>
</blockquote></div>
"""


def complaint_email() -> bytes:
    """The complainant's reply (gmail) to the Building Commissioner, plain + HTML alternative."""
    msg = MIMEMultipart("alternative", boundary="000000000000b7e1a40601f3c2d90142")
    msg.attach(MIMEText(COMPLAINT_EMAIL_TEXT, "plain", QP_UTF8))
    msg.attach(MIMEText(COMPLAINT_EMAIL_HTML, "html", "utf-8"))  # base64, as Gmail often sends
    original_id = "<20260909111800.0318.rdufresne@millbrook.ma.gov>"
    _set_headers(
        msg,
        [
            ("Date", email.utils.format_datetime(dt.datetime(2026, 9, 14, 7, 12, 33, tzinfo=EDT))),
            ("From", f"Peggy Thornbury <{COMPLAINANT_EMAIL}>"),
            ("To", f"{BUILDING_COMMISSIONER[0]} <{BUILDING_COMMISSIONER[1]}>"),
            ("Cc", f"{SERGEANT[0]} <{SERGEANT[1]}>"),
            ("Subject", f"Re: Complaint {COMPLAINT_NO} - {OWNER_ADDR}"),
            ("Message-ID", "<CAH7x2026w0914a0712thornbury@mail.gmail.com>"),
            ("In-Reply-To", original_id),
            ("References", original_id),
        ],
    )
    return _eml_bytes(msg)


FORWARD_TEXT = f"""\
Linda,

For {REQUEST_ID}: attached is the noise log Ms. Fairbanks sent in for complaint
{COMPLAINT_NO}. Her original message is below. The inspection photos from
09/10/2026 are in the Building Department share if you need them too. The
ZBA hearing is still on for 10/22/2026 at 7:00 PM.

Ray

{BUILDING_COMMISSIONER[0]}
Building Commissioner, Town of Millbrook
{TOWN_HALL}, {TOWN_HALL_STREET}, {TOWN_CITY}
{BUILDING_COMMISSIONER[2]} | {BUILDING_COMMISSIONER[1]}

---------- Forwarded message ---------
From: {WITNESS_NAME} <{WITNESS_EMAIL}>
Date: Wed, Sep 16, 2026 at 8:02 PM
Subject: Noise log — {WITNESS_ADDR}
To: {BUILDING_COMMISSIONER[0]} <{BUILDING_COMMISSIONER[1]}>

Mr. Dufresne,

Officer Tolland asked me to send you my noise log, so it is attached. I am
home most evenings at {WITNESS_PHONE} if you need to reach me, but please do
not give my number or my email to Mr. Kowalczyk. Officer Tolland also asked
for my date of birth for his report: it is {WITNESS_DOB}.

Thank you,
{WITNESS_NAME}
{WITNESS_ADDR}, {TOWN_CITY}
"""


def forwarded_email(attachment: bytes) -> bytes:
    """A staff forward to the RAO with a base64 PDF attachment and an RFC 2047 subject."""
    msg = MIMEMultipart("mixed", boundary="----=_Part_4471_0142.1791641700000")
    msg.attach(MIMEText(FORWARD_TEXT, "plain", QP_UTF8))
    pdf = MIMEApplication(attachment, "pdf", name="Fairbanks_noise_log.pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="Fairbanks_noise_log.pdf")
    msg.attach(pdf)
    # An RFC 2047 encoded word (the em dash is not ASCII); header_name lets it fold after "Subject:".
    subject = Header(f"Fwd: Noise log — {WITNESS_ADDR} ({COMPLAINT_NO})", "utf-8", header_name="Subject").encode()
    _set_headers(
        msg,
        [
            ("Date", email.utils.format_datetime(dt.datetime(2026, 10, 6, 10, 15, 0, tzinfo=EDT))),
            ("From", f"{BUILDING_COMMISSIONER[0]} <{BUILDING_COMMISSIONER[1]}>"),
            ("To", f"{RAO[0]} <{RAO[1]}>"),
            ("Cc", f"{BUILDING_CLERK[0]} <{BUILDING_CLERK[1]}>"),
            ("Subject", subject),
            ("Message-ID", "<20261006101500.4471.rdufresne@millbrook.ma.gov>"),
        ],
    )
    return _eml_bytes(msg)


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------


def build() -> dict[str, bytes]:
    """Return every file of the sample folder as relative path -> bytes."""
    return {
        "request.yaml": REQUEST_YAML.encode("utf-8"),
        "files/complaint_log.txt": COMPLAINT_LOG.encode("utf-8"),
        "files/permit_fee_payments.csv": payment_csv().encode("utf-8"),
        "files/incident_summary.md": INCIDENT_SUMMARY.encode("utf-8"),
        "files/helpdesk_ticket_4471.txt": HELPDESK_TICKET.encode("utf-8"),
        "files/zoning_board_letter.pdf": zoning_board_letter_pdf(),
        "files/scanned_permit_form.pdf": scanned_permit_form_pdf(),
        "files/vendor_direct_deposit.docx": vendor_direct_deposit_docx(),
        "inbox/complaint_email.eml": complaint_email(),
        "inbox/forwarded_with_attachment.eml": forwarded_email(noise_log_pdf()),
    }


def write(outdir: Path, files: dict[str, bytes]) -> None:
    """Write the files under outdir, creating folders as needed."""
    for rel, data in files.items():
        path = outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "outdir",
        nargs="?",
        type=Path,
        default=DEFAULT_OUTDIR,
        help=f"output folder (default: {DEFAULT_OUTDIR.relative_to(REPO_ROOT)})",
    )
    args = parser.parse_args(argv)
    files = build()
    write(args.outdir, files)
    for rel, data in files.items():
        print(f"{len(data):>8}  {args.outdir / rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
