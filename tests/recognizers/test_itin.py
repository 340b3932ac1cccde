"""US_ITIN: 9XX-GG-XXXX with an IRS-assigned group; dashed stands alone, spaced and bare need a label."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.detect.recognizers.itin import itin_valid
from redactor.detect.recognizers.ssn import ssn_valid

ITIN = "US_ITIN"
ENGINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ITIN_GROUPS = [*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ITIN: 912-70-1234", [(ITIN, "912-70-1234")]),
        ("The applicant's W-7 was approved and the IRS assigned 934-88-4410.", [(ITIN, "934-88-4410")]),
        ("Individual Taxpayer Identification Number 912 88 1234", [(ITIN, "912 88 1234")]),
        ("Payee TIN: 912781234 (individual)", [(ITIN, "912781234")]),
        ("ITIN 950–65–2231", [(ITIN, "950–65–2231")]),
        ("| Payee | ITIN | Amount |\n|---|---|---|\n| R. Gomez | 912941234 | $250.00 |", [(ITIN, "912941234")]),
        ("Taxpayer ID: 987-99-0012", [(ITIN, "987-99-0012")]),
        ("Tax ID No. 923 50 7788", [(ITIN, "923 50 7788")]),
        ("SSN or ITIN: 912-70-1234", [(ITIN, "912-70-1234")]),
        ("Form W-7 follow-up: ITIN 999-92-0456 (renewal), ITIN 900-50-1111 (new)",
         [(ITIN, "999-92-0456"), (ITIN, "900-50-1111")]),
    ],
)
def test_when_itin_is_dashed_or_labelled_then_it_is_detected(found, text, expected):
    assert found(text, ITIN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ITIN: 912-93-1234", []),  # group 93 is not assigned
        ("ITIN: 912-66-1234", []),
        ("ITIN: 912-89-1234", []),
        ("ITIN: 912-49-1234", []),
        ("ITIN: 812-70-1234", []),  # not a 9XX number (this one is an SSN)
        ("Invoice 912-70-1234 remains unpaid.", []),
        ("Order #912-70-1234 shipped.", []),
        ("Reference 912701234 logged.", []),  # bare digits need an ITIN label
        ("Claim 912-70-1234 was denied.", []),
        ("Serial 912 70 1234", []),
        ("Permit 912-70-1234 issued to the contractor.", []),
        ("Case No. 912-78-3344", []),
        ("Phone 912-70-1234", []),
        ("Vendor ID 912781234", []),
        ("ITIN: 912-70-12345", []),
    ],
)
def test_when_number_is_outside_itin_ranges_or_labelled_otherwise_then_no_itin_is_detected(found, text, expected):
    assert found(text, ITIN) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("912701234", True),
        ("900500000", True),
        ("999650000", True),
        ("912880000", True),
        ("912900000", True),
        ("912920000", True),
        ("912940000", True),
        ("912990000", True),
        ("912490000", False),
        ("912660000", False),
        ("912690000", False),
        ("912890000", False),
        ("912930000", False),
        ("812701234", False),
        ("91270123", False),
        ("9127012345", False),
    ],
)
def test_when_itin_valid_is_given_a_number_then_it_checks_area_9_and_the_group_ranges(number, expected):
    assert itin_valid(number) is expected


@given(st.from_regex(r"\d{9}", fullmatch=True))
def test_when_number_is_a_valid_itin_then_it_is_never_a_valid_ssn(number):
    assert not (itin_valid(number) and ssn_valid(number))


@ENGINE
@given(area=st.integers(900, 999), group=st.sampled_from(ITIN_GROUPS), serial=st.integers(0, 9999))
def test_when_dashed_number_has_an_itin_group_then_it_is_detected_without_a_label(found, area, group, serial):
    itin = f"{area}-{group:02d}-{serial:04d}"
    assert found(f"The IRS letter assigns {itin} to the payee.", ITIN) == [(ITIN, itin)]
