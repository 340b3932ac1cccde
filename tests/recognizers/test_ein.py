"""US_EIN: NN-NNNNNNN (or nine digits) with an EIN label nearest, and an IRS-assigned prefix."""

from __future__ import annotations

import pytest

EIN = "US_EIN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EIN: 04-3356789", [(EIN, "04-3356789")]),
        ("Vendor W-9 on file. FEIN 04-3356789, remit to PO Box 12.", [(EIN, "04-3356789")]),
        ("Federal Tax ID No. 22-1234567", [(EIN, "22-1234567")]),
        ("Employer Identification Number: 043356789", [(EIN, "043356789")]),
        ("Tax ID# 27-1234567", [(EIN, "27-1234567")]),
        ("Federal Employer ID Number 94-1234567", [(EIN, "94-1234567")]),
        ("| Vendor | FEIN | Amount |\n|---|---|---|\n| Acme Plumbing LLC | 043356789 | $1,250.00 |",
         [(EIN, "043356789")]),
        ("Payee TIN: 04–3356789", [(EIN, "04–3356789")]),
        # The nearest label decides: the account number is not an EIN, the tax ID is.
        ("Account: 12-3456789 (Federal Tax ID 04-3356789)", [(EIN, "04-3356789")]),
        ("Vendor: Acme Plumbing LLC\nEIN\n04-3356789", [(EIN, "04-3356789")]),
    ],
)
def test_when_ein_has_an_ein_label_then_it_is_detected(found, text, expected):
    assert found(text, EIN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EIN: 07-1234567", []),  # prefixes 07-09, 17-19, 00 ... are never assigned
        ("EIN: 00-1234567", []),
        ("FEIN: 19-1234567", []),
        ("EIN: 89-1234567", []),
        ("Vendor number 04-3356789", []),  # no EIN label
        ("Invoice 04-3356789 from Acme.", []),
        ("Case No. 24-1234567", []),
        ("Docket 04-3356789 continued.", []),
        ("Account 04-3356789", []),
        ("SSN: 043356789", []),
        ("Bid No. 24-0012345 opened publicly.", []),
        ("Permit 04-3356789 approved.", []),
        ("EIN: 04-33567890", []),  # eight digits after the dash
        ("ITIN: 904335678", []),
    ],
)
def test_when_number_lacks_an_ein_label_or_has_an_unassigned_prefix_then_no_ein_is_detected(found, text, expected):
    assert found(text, EIN) == expected


@pytest.mark.parametrize("prefix", ["01", "06", "10", "16", "20", "27", "30", "48", "50", "68", "71", "77", "80",
                                    "88", "90", "95", "98", "99"])
def test_when_labelled_ein_has_an_assigned_prefix_then_it_is_detected(found, prefix):
    assert found(f"EIN: {prefix}-1234567", EIN) == [(EIN, f"{prefix}-1234567")]


@pytest.mark.parametrize("prefix", ["00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78",
                                    "79", "89", "96", "97"])
def test_when_labelled_ein_has_an_unassigned_prefix_then_it_is_not_detected(found, prefix):
    assert found(f"EIN: {prefix}-1234567", EIN) == []
