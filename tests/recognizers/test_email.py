"""EMAIL_ADDRESS: personal addresses (presidio's pattern, offline suffix list); role mailboxes are public."""

from __future__ import annotations

import pytest

from redactor.detect.recognizers.email import is_role_mailbox

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
