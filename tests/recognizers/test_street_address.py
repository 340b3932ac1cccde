"""HOME_ADDRESS: number + street + suffix (+ unit, town, state, ZIP); agency and business addresses are public."""

from __future__ import annotations

import pytest

ADDR = "HOME_ADDRESS"



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The complainant resides at 45 Maple Street, Springfield, MA 01103.",
         [(ADDR, "45 Maple Street, Springfield, MA 01103")]),
        ("Home address: 12 Elm St. Apt 3B", [(ADDR, "12 Elm St. Apt 3B")]),
        ("She lives at 14 S. Ct. in Millbrook.", [(ADDR, "14 S. Ct.")]),  # no page after: a street
        ("Officers responded to 77 Birchwood Drive for a report of a loud party.", [(ADDR, "77 Birchwood Drive")]),
        ("Mail to:\nJane Roe\n233 Boston Road\nLudlow, Mass. 01056", [(ADDR, "233 Boston Road\nLudlow, Mass. 01056")]),
        ("The caller lives at 17 1/2 Chestnut Ave, Agawam, MA 01001.",
         [(ADDR, "17 1/2 Chestnut Ave, Agawam, MA 01001")]),
        ("Address: 9 North Pleasant Terrace", [(ADDR, "9 North Pleasant Terrace")]),
        ("Owner of record: Jane Roe, 48-50 Union St, Westfield, MA 01085",
         [(ADDR, "48-50 Union St, Westfield, MA 01085")]),
        ("Name,Address,Phone\nJane Roe,88 Old County Road,413-555-0142", [(ADDR, "88 Old County Road")]),
        ("Tenant: John Poe, 310 Summer Street Unit 4, Chicopee, MA 01020",
         [(ADDR, "310 Summer Street Unit 4, Chicopee, MA 01020")]),
        ("Mailing address: 5 Prospect Hill, Northampton, MA 01060", [(ADDR, "5 Prospect Hill, Northampton, MA 01060")]),
        ("Victim's home: 19 Oak Lane, Feeding Hills, MA 01030", [(ADDR, "19 Oak Lane, Feeding Hills, MA 01030")]),
        ("Sgt. Ortega and I went to 102 Riverside Drive, apartment 2, at 22:10.",
         [(ADDR, "102 Riverside Drive, apartment 2")]),
        ("Address of applicant: 66 Ridge Road, Wilbraham, MA 01095", [(ADDR, "66 Ridge Road, Wilbraham, MA 01095")]),
        ("Registered owner: John Poe, 5 Shady Lane, Monson MA 01057", [(ADDR, "5 Shady Lane, Monson MA 01057")]),
        # Quoted in a reply: a business word two lines up is not the address's.
        ("> Our office closed at noon.\n> She lives at\n> 12 Elm Street, Millbrook, MA 01994",
         [(ADDR, "12 Elm Street, Millbrook, MA 01994")]),
        # A narrow cell wraps the street's suffix, or the number, onto the next line.
        ("Residence: 14 Alder\nLane, Millbrook, MA 01994", [(ADDR, "14 Alder\nLane, Millbrook, MA 01994")]),
        ("Home address: 14\nAlder Lane", [(ADDR, "14\nAlder Lane")]),
        ("HOME ADDRESS: 12 ELM STREET, MILLBROOK, MA 01994", [(ADDR, "12 ELM STREET, MILLBROOK, MA 01994")]),
    ],
)
def test_when_street_address_is_a_residence_then_it_is_detected(found, text, expected):
    assert found(text, ADDR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Town Hall, 36 Court Street, Springfield, MA 01103", []),
        # A law report's volume, name and page: "S. Ct." is the Supreme Court Reporter, no court.
        ("See United States v. Sineneng-Smith, 140 S. Ct. 1575, 1578 (2020).", []),
        # A pleading's line number before its title in capitals ("Farm" a street's suffix too).
        ("20\n21 PLAINTIFF’S OPPOSITION TO STATE FARM’S MOTION TO DISMISS\n22", []),
        ("Commonwealth v. Doe, 12 Mass. App. Ct. 345 (1981).", []),
        ("Acme Plumbing Inc., 400 Industrial Park Road, Agawam, MA 01001", []),
        ("Suite 300, 1 Federal Street, Springfield, MA 01105", []),
        ("2024 Road Report presented to the Select Board.", []),  # a year, not a house number
        ("Please drop off the form at the Police Station, 130 Pearl Street.", []),
        ("PO Box 123, Ludlow, MA 01056", []),
        ("Snow removal on Main Street begins at 6 AM.", []),  # a street without a number
        ("Department of Public Works, 70 Tapley Street, Springfield, MA 01104", []),
        ("The Library at 220 State Street is closed Monday.", []),
        ("Route 20 will be closed near exit 4.", []),
        ("Send payment to Berkshire Bank, 24 North Street, Pittsfield, MA 01201", []),
        ("Meeting at Springfield City Hall, 36 Court Street, at 7 PM.", []),
        ("Questions? Call the Clerk's Office, 1 Town Hall Way.", []),
        ("Baystate Medical Center, 759 Chestnut Street, Springfield", []),
        ("Ludlow Senior Center, 37 Chestnut Street, Ludlow, MA 01056", []),
        ("U.S. Post Office, 190 Main Street, Agawam, MA 01001", []),
        ("Westfield State University, 577 Western Avenue, Westfield, MA 01085", []),
        ("First Congregational Church, 1 Park Street, Westfield", []),
        ("Hampden Superior Court, 50 State Street, Springfield, MA 01103", []),
        ("Hampden County Registry of Deeds, 50 State Street, Springfield, MA 01103", []),
        ("Agawam Public Schools, 1305 Springfield Street, Feeding Hills, MA 01030", []),
        ("Send the signed form to the Board of Health, 95 State Street, Springfield, MA 01103.", []),
        ("Return to: Town Clerk, 36 Main Street, Agawam, MA 01001", []),
        # Quoted in a reply, the address starts its line after the quote marks: the line above says whose.
        ("> The hearing is at 7:00 PM at Millbrook Town Hall,\n> 100 Common Street.", []),
        (">> Drop it off at Springfield City Hall,\n>> 36 Court Street, Springfield, MA 01103", []),
        # A vote count, and a table's next row starting with an empty cell (an election's results).
        ("RON NEHRING\t247\n\tREP\tAJ-SUPREME CT-WERDERGAR\tJUDGE-SUPERIOR COURT #61", []),
    ],
)
def test_when_address_belongs_to_an_agency_or_business_or_is_not_an_address_then_it_is_not_detected(
        found, text, expected):
    assert found(text, ADDR) == expected
