"""EMAIL_ADDRESS: personal addresses (presidio's pattern, offline suffix list); role mailboxes are public."""

from __future__ import annotations

import pytest

from redactor.detect.recognizers.email import is_message_id, is_role_mailbox

EMAIL = "EMAIL_ADDRESS"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please send the records to jane.roe77@gmail.com.", [(EMAIL, "jane.roe77@gmail.com")]),
        ("From: Jane Roe <jroe@comcast.net>", [(EMAIL, "jroe@comcast.net")]),
        ("Requester email: J.Roe+records@Yahoo.com", [(EMAIL, "J.Roe+records@Yahoo.com")]),
        ("Name,Email\nJohn Poe,john_poe@hotmail.com", [(EMAIL, "john_poe@hotmail.com")]),
        # Staff addresses are found too; the request's public_domains allow-list releases them.
        ("cc: kdoyle@springfield.ma.gov; mroe@verizon.net",
         [(EMAIL, "kdoyle@springfield.ma.gov"), (EMAIL, "mroe@verizon.net")]),
        ("He wrote from tenant.smith@mail.example.org on Friday.", [(EMAIL, "tenant.smith@mail.example.org")]),
        ("Contact: roe.family@outlook.com, 413-555-0142", [(EMAIL, "roe.family@outlook.com")]),
        ("email:poe1985@aol.com", [(EMAIL, "poe1985@aol.com")]),
        ("| Resident | Email |\n|---|---|\n| J. Roe | jroe1961@charter.net |", [(EMAIL, "jroe1961@charter.net")]),
        ("On Tue, Mar 5, 2024 at 9:14 AM Jane Roe <jane.roe@icloud.com> wrote:", [(EMAIL, "jane.roe@icloud.com")]),
    ],
)
def test_when_address_belongs_to_a_person_then_it_is_detected(found, text, expected):
    assert found(text, EMAIL) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Questions? billing@acmeplumbing.com", []),
        ("Do not reply to noreply@ludlow.ma.us", []),
        ("Send invoices to accounts.payable@agawamma.gov", []),
        ("Customer_Service@eversource.com", []),
        ("Records requests: publicrecords@springfield.ma.gov", []),
        ("info@westfieldma.gov", []),
        ("Do-Not-Reply@mass.gov", []),
        ("Support@Vendor.com and Help@vendor.com", []),
        ("admin@agawamma.gov", []),
        ("clerk@ludlow.ma.us", []),
        ("root@localhost", []),  # no public suffix
        ("Follow us @TownofLudlow on Twitter.", []),
        ("Website: www.springfield-ma.gov", []),
        ("The file is called report@2024.pdf", []),
    ],
)
def test_when_address_is_a_role_mailbox_or_not_an_address_then_no_email_is_detected(found, text, expected):
    assert found(text, EMAIL) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("billing@acme.com", True),
        ("INFO@town.ma.us", True),
        ("no-reply@mass.gov", True),
        ("accounts.payable@town.gov", True),
        ("customer_service@eversource.com", True),
        ("public.records@city.gov", True),
        ("jroe@gmail.com", False),
        ("billing.smith@gmail.com", False),
        ("kdoyle@springfield.ma.gov", False),
        ("infosec.jane@company.com", False),
        ("9-FAA-SACO-AD-Inquiry@faa.gov", True),
        ("9-ANM-Seattle-ACO-AMOC-Requests@faa.gov", True),
        ("Techsupport@pilatus-aircraft.com", True),
        ("dpw-info@town.gov", True),
        ("jroe+support@gmail.com", False),
        ("jane.care@gmail.com", False),
        ("tom.service@gmail.com", False),
        ("inquiry.jones@gmail.com", False),
        # At a private person's mail provider, a role word after a name is the person's own label.
        ("npike.records@protonmail.com", False),
        ("jroe-support@gmail.com", False),
        ("mlopez.billing@yahoo.com", False),
        # A town's offices and boards write from their own mailboxes.
        ("selectboard@westfordma.gov", True),
        ("TownClerk@town.ma.us", True),
        ("westford-assessors@westfordma.gov", True),
        ("zba@town.gov", True),
        # Their words that are also names stay a person's address at the end of one.
        ("rosa.parks@gmail.com", False),
        ("jim.water@gmail.com", False),
        ("parks@town.gov", True),
    ],
)
def test_when_is_role_mailbox_is_given_an_address_then_it_judges_the_local_part(address, expected):
    assert is_role_mailbox(address) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Read after the header's name (see TextUnit.lead): a message id is no one's mailbox.
        ("Message-ID: <31C10324.41C6@netscape.com>", []),
        ("In-Reply-To: <F6E2D0B4-CC35-4A91-BA4C-C7C712B10C13@mac.com>", []),
        ("X-MS-TNEF-Correlator: <DM5PR21MB0828DA2B8C88048BC03EFFA6CFA20@DM5PR21MB0828.namprd21.prod.outlook.com>",
         []),
        ("References: <CAKx2b=Gq8fF-9V7Xk+Lh3mQ@mail.gmail.com> <000001d3c2c0$e7ca4aa0$b75edfe0$@freiraum.xyz>",
         []),
        ("Received: from mta by mx.example.com with ESMTP id <20071021093820.HSPC16667.omta05sl.mx.bigpond.com@"
         "mx.bigpond.com> for <jroe77@gmail.com>; Sun, 21 Oct 2007 19:38:20 +1000", [(EMAIL, "jroe77@gmail.com")]),
        ("Received: from mta by mx.example.com id <0IG600901LQ64I@mx.example.com> for <526874447@qq.com>;",
         [(EMAIL, "526874447@qq.com")]),
        # An id that names its sender's mailbox, or an address where an id should be, stays found.
        ("Message-ID: <20260909111800.0318.rdufresne@millbrook.ma.gov>",
         [(EMAIL, "20260909111800.0318.rdufresne@millbrook.ma.gov")]),
        ("In-Reply-To: jane.roe77@gmail.com", [(EMAIL, "jane.roe77@gmail.com")]),
        # A block of headers in a message's body (a delivery report's), a header folded over lines.
        ("Reporting-MTA: dns; mx.example.com\n\nReceived: from a.example.com\n\tby b.example.com with ESMTP id\n"
         "\t<20071021093820.HSPC16667.omta05sl.mx.bigpond.com@mx.bigpond.com>;\n\tWed, 16 Jan 2008\n"
         "Message-Id: <200801161640.m0GFZ1c3009410@mail11.example.com.au>\nFrom: jroe77@gmail.com\n",
         [(EMAIL, "jroe77@gmail.com")]),
        # Elsewhere the same shape is an address: a QQ number, a mail body.
        ("Reply to 526874447@qq.com please", [(EMAIL, "526874447@qq.com")]),
        ("See 31C10324.41C6@netscape.com", [(EMAIL, "31C10324.41C6@netscape.com")]),
    ],
)
def test_when_an_address_is_a_message_id_in_its_header_then_it_is_no_email(found, text, expected):
    assert found(text, EMAIL) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("0IG600JFYLYCAxxx@mail.example.com", True),
        ("T585d92a5e1c0a86ee487c@corp.enron.com", True),
        ("105647271315.NCV17523@x263.net", True),
        ("19960209013311.izzy@scr.atm.com", False),  # "izzy" may be the sender's mailbox
        ("203751.85280.qm@web82107.mail.mud.yahoo.com", False),
        ("jdoe77@gmail.com", False),
        ("jane.roe.1984@gmail.com", False),
        ("ABCDEFAB-CDEF-4BCD-AFAB-CDEFABCDEF12@mail.example.com", True),  # a UUID, with few digits
        ("bead.face@gmail.com", False),  # words of the letters a to f are no hex number
    ],
)
def test_when_is_message_id_is_given_an_id_then_it_judges_each_part_of_the_local_name(address, expected):
    assert is_message_id(address) is expected
