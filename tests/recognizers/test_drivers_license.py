"""US_DRIVER_LICENSE: Massachusetts numbers (S + 8 digits, SA + 7) alone; other states' with a license label."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DL = "US_DRIVER_LICENSE"
ENGINE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Operator: Jane Roe, Lic. S12345678, DOB 03/15/1985", [(DL, "S12345678")]),
        ("License #: S12345678", [(DL, "S12345678")]),
        ("Massachusetts ID card SA1234567 presented at the counter.", [(DL, "SA1234567")]),
        ("The driver produced a license, S87654321, which was returned.", [(DL, "S87654321")]),
        ("RMV ID number S23456789", [(DL, "S23456789")]),
        ("Operator license S12345678 suspended per RMV.", [(DL, "S12345678")]),
        ("Driver's License No. 123456789 (NY)", [(DL, "123456789")]),
        ("CT DL# 194827361", [(DL, "194827361")]),
        ("NH operator's license: 12ABC34567", [(DL, "12ABC34567")]),
        ("Driver license: D1234567 (Calif.)", [(DL, "D1234567")]),
        ("OLN: 123-456-78-901", [(DL, "123-456-78-901")]),
        ("Lic# 123 456 789", [(DL, "123 456 789")]),
        ("| Name | DOB | DL Number | State |\n|---|---|---|---|\n| John Poe | 01/02/1980 | K123456789 | VT |",
         [(DL, "K123456789")]),
        # A Massachusetts number needs no label at all.
        ("Stopped vehicle, operator identified by S76543210.", [(DL, "S76543210")]),
    ],
)
def test_when_license_is_massachusetts_shaped_or_labelled_then_it_is_detected(found, text, expected):
    assert found(text, DL) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Serial S12345678", []),
        ("Plate 7ABC123, registration 1AB234", []),
        ("Business License No. 2024-0012", []),
        ("Liquor license #LL12345", []),
        ("Permit S12345678 approved.", []),
        ("Case No. S12345678", []),
        ("Model S12345678 printer", []),
        ("Dog license 4521 issued.", []),
        ("Hackney license 1234567", []),
        ("License expires 03/2027", []),
        ("Licensed since 2015, no violations.", []),
        ("Employee ID 12345678", []),  # other states' numbers need a license label
        ("VIN 1HGCM82633A004352", []),
        ("Contractor license number CS-104567", []),
        ("License plate 8TX442, no DL on file", []),
        ("Invoice S12345678", []),
        ("Marriage license 2024-00123 recorded.", []),
        ("Builder's license 098765", []),
        ("Food license FP12345 posted.", []),
        ("License: Class D, no restrictions", []),
        ("License 2024 renewal notice", []),
        ("Construction Supervisor License: CS 104567", []),
        ("Electrician license # 21456E", []),
        ("Real estate license 9054321", []),
    ],
)
def test_when_number_is_not_a_drivers_license_then_no_license_is_detected(found, text, expected):
    assert found(text, DL) == expected


@ENGINE
@given(st.from_regex(r"S\d{8}|SA\d{7}", fullmatch=True))
def test_when_massachusetts_number_appears_unlabelled_then_it_is_detected(found, number):
    assert found(f"The operator handed over {number} and the registration.", DL) == [(DL, number)]
