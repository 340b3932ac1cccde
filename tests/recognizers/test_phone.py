"""PHONE_NUMBER: personal numbers; office, main, fax, toll-free and agency lines are public."""

from __future__ import annotations

import pytest

PHONE = "PHONE_NUMBER"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cell: 413-555-0187", [(PHONE, "413-555-0187")]),
        ("Please call me at (413) 555-0142 after 5 PM.", [(PHONE, "(413) 555-0142")]),
        ("Home phone 413.555.0163", [(PHONE, "413.555.0163")]),
        ("My number is 413-555-0199 if you have questions.", [(PHONE, "413-555-0199")]),
        ("Tel: +1 413 555 0123", [(PHONE, "+1 413 555 0123")]),
        ("Mobile: 555-0134", [(PHONE, "555-0134")]),  # seven digits with a phone label
        ("Contact: 4135550111", [(PHONE, "4135550111")]),  # ten bare digits with a phone label
        ("You can reach me at 413-555-0156 any time.", [(PHONE, "413-555-0156")]),
        ("Complainant left a callback number of 413-555-0178.", [(PHONE, "413-555-0178")]),
        ("Name,Phone,Email\nJane Roe,(413) 555-0190,jroe@gmail.com", [(PHONE, "(413) 555-0190")]),
        ("c: 508-555-0120 h: 508-555-0121", [(PHONE, "508-555-0120"), (PHONE, "508-555-0121")]),
        ("Office: 413-555-0100  Cell: 413-555-0187", [(PHONE, "413-555-0187")]),
        ("Her cell phone number is 413 555 0188.", [(PHONE, "413 555 0188")]),
        ("Emergency contact: John Poe (husband) 413-555-0166", [(PHONE, "413-555-0166")]),
        ("Reached the caller at 413-555-0177 (cell).", [(PHONE, "413-555-0177")]),
        # The period of "St." and "Tel." ends no sentence: the clause is still the resident's address.
        ("Jane Roe, 5 Elm St. Tel. (413) 555-0142", [(PHONE, "(413) 555-0142")]),
        # A fax number beside it says nothing of a number labelled as the person's.
        ("Jane Roe, cell 413-555-0187, office fax 413-555-0100", [(PHONE, "413-555-0187")]),
        # Under a person's own address block, or one she is reached through ("c/o"), the number is hers.
        ("Jane Roe\n42 Elm Street, Apt 3\nMillbrook, MA 01994\n(413) 555-0142", [(PHONE, "(413) 555-0142")]),
        ("Jane Roe\nc/o Acme Inc.\n42 Elm Street\nMillbrook, MA 01994\n(413) 555-0142", [(PHONE, "(413) 555-0142")]),
        ("Jane Roe, Board Member\n42 Elm Street\nMillbrook, MA 01994\n(413) 555-0142",
         [(PHONE, "(413) 555-0142")]),
        # A street's name is no label and no agency: a resident of Main, School or Court Street.
        ("Jane Roe, 12 Main Street, 617-555-0142", [(PHONE, "617-555-0142")]),
        ("Jane Roe, 12 School Street, 617-555-0142", [(PHONE, "617-555-0142")]),
        ("Jane Roe of 9 Court St. called from 617-555-0142", [(PHONE, "617-555-0142")]),
        ("Jane Roe, 9 Elm Court, 617-555-0142", [(PHONE, "617-555-0142")]),
        ("Jane Roe, 12 Office Park Drive, 617-555-0142", [(PHONE, "617-555-0142")]),
        ("Jane Roe, 617-555-0142, Main Street resident", [(PHONE, "617-555-0142")]),
        # A firm's block above, but the line is a person's, or the block has no street under the firm.
        ("Acme Inc.\n18 Main Street\nBoston, MA 02110\nJane Roe 617-555-0142", [(PHONE, "617-555-0142")]),
        ("Acme Inc.\nJane Roe\nBoston, MA 02110\n617-555-0142", [(PHONE, "617-555-0142")]),
    ],
)
def test_when_number_is_a_personal_phone_then_it_is_detected(found, text, expected):
    assert found(text, PHONE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fax: 413-555-0100", []),
        ("Main office (413) 555-0100", []),
        ("Toll-free 1-800-555-0199", []),
        ("Call 877-555-0123 for assistance.", []),  # toll-free without a label
        ("Questions: Building Department, Town Hall, 100 Common Street, (508) 555-0100.", []),
        ("Millbrook Town Hall, 100 Common Street, Millbrook, MA 01994 Tel. (508) 555-0100", []),
        ("Contact phone: (413) 555-0139 (business line)", []),
        ("Received by: Donna Pike, Accounts Payable, (508) 555-0108", []),
        ("Dispatch non-emergency 413-555-0110", []),
        ("Acme Plumbing LLC 413-555-0166", []),
        ("Springfield Police Department\n130 Pearl Street\n413-555-0130", []),
        ("For questions about this record call 413-555-0102.", []),
        ("Library: 413-555-0112", []),
        ("Invoice 4135550142", []),  # ten bare digits without a phone label
        ("Reference 4135550142", []),
        ("Order 555-0134 shipped.", []),  # seven digits without a phone label
        ("SSN 413-55-5014", []),
        ("Case 2024-555-0142", []),
        ("Card 4111-1111-1111-1111", []),
        ("Call the DPW at 413-555-0104 to report a pothole.", []),
        ("Town Clerk: 413-555-0108", []),
        ("Please contact the Assessors at 413-555-0111 with questions.", []),
        ("Senior Center 413-555-0109", []),
        ("Phone: 413-555-0101 x204 (Treasurer's office)", []),
        # A firm's or an agency's address block: a suite, a room, a law firm's legal form.
        ("KILPATRICK TOWNSEND & STOCKTON LLP 1100 Peachtree Street, Suite 2800 Atlanta, GA 30309 (404) 815-6095",
         []),
        ("DAVID H. BUNDY, P.C. (907) 248-8431 Attorney for Debtor", []),
        ("Richard Liebowitz 11 Sunrise Plaza, Suite 305 Valley Stream, New York 11580 Tele: 516-233-1660", []),
        ("Validation Branch, 901 Locust, Room 301, Kansas City, Missouri 64106; telephone: (816) 329-4059", []),
        # An agency's name and its address on a street named like one.
        ("Fire Station, 12 Station Road, 508-555-0199", []),
        ("Main office, 1 School Street: (508) 555-0100", []),
        # A firm's letterhead: its name heads the address block the number stands under.
        ("Linn Electronics, Inc.\n18720 Oxnard Street, Tarzana, CA 91356\n(818) 708-8131 TELEX #298949", []),
        ("Economic Research, Inc.\r\n6765 S.W. Preslynn Drive\r\nPortland, Oregon 97225-2668\r\n"
         "503-203-1539 (voice)", []),
        # A number labelled as a fax once is the fax where it is written bare too.
        ("Counsel for Appellant\nFax: 404-541-4777\n\nCopy to counsel, 404-541-4777", []),
    ],
)
def test_when_number_is_an_office_line_or_not_a_phone_then_no_phone_is_detected(found, text, expected):
    assert found(text, PHONE) == expected
