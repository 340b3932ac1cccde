"""US_SSN: dashed SSNs stand alone; spaced, dotted and bare ones need an SSN label; SSA rules apply."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.detect.recognizers.ssn import ssn_valid

SSN = "US_SSN"
ENGINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Applicant SSN: 031-24-5567 was verified by HR.", [(SSN, "031-24-5567")]),
        # A dashed 3-2-4 number is an SSN even without a label.
        ("The W-4 on file lists 215-33-8410 for the employee.", [(SSN, "215-33-8410")]),
        ("Per the W-4, her social security number is 215 33 8410; please update payroll.",
         [(SSN, "215 33 8410")]),
        ("EMPLOYEE: DELACRUZ, MARISOL   SSN#215338410   DEPT: Parks", [(SSN, "215338410")]),
        ("SSN: 215–33–8410", [(SSN, "215–33–8410")]),  # en dashes from a word processor
        ("Soc. Sec. No. 215.33.8410", [(SSN, "215.33.8410")]),
        ("| Name | SSN | Dept |\n|------|-----|------|\n| Jane Roe | 215338410 | DPW |\n"
         "| John Poe | 031245567 | Library |",
         [(SSN, "215338410"), (SSN, "031245567")]),
        ("Taxpayer ID Number: 215-33-8410", [(SSN, "215-33-8410")]),
        ("Spouse SS#: 215-33-8410, Child SS#: 031-24-5567", [(SSN, "215-33-8410"), (SSN, "031-24-5567")]),
        ("S.S.N. 215338410", [(SSN, "215338410")]),
        ("Social Security Number\n215338410", [(SSN, "215338410")]),
        ("ss no. 215 33 8410", [(SSN, "215 33 8410")]),
        # Numbers printed in advertising (the Woolworth wallet card) are redacted like any other.
        ("SSN: 078-05-1120", [(SSN, "078-05-1120")]),
    ],
)
def test_when_ssn_is_dashed_or_labelled_then_it_is_detected(found, text, expected):
    assert found(text, SSN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SSN: 000-12-3456", []),  # area 000 is never issued
        ("SSN: 666-12-3456", []),  # area 666 is never issued
        ("SSN: 912-34-5678", []),  # area 9xx is never an SSN
        ("SSN: 123-00-4567", []),  # group 00
        ("SSN: 123-45-0000", []),  # serial 0000
        ("SSN: 111-11-1111", []),  # one digit repeated
        ("SSN: 912-70-1234", []),  # an ITIN (reported as US_ITIN, not as an SSN)
        ("SSN: 215-33-84100", []),  # ten digits
        ("Invoice 215-33-8410 is past due.", []),
        ("Case No. 215-33-8410 was continued to June.", []),
        ("Reference 215338410 was logged by the clerk.", []),  # bare digits without an SSN label
        ("Tracking: 215 33 8410", []),
        ("Part 215-33-8410 backordered.", []),
        ("Parcel ID 215-33-8410, assessed at $312,000.", []),
        ("Phone 413 555 0142", []),
        ("Policy #215-33-8410 renewed.", []),
        ("EIN: 215-33-8410", []),
        ("Order #215-33-8410 shipped.", []),
        ("Boeing Special Attention Service Bulletin 737–31–1860, dated June 12, 2020", []),
        ("Replace per Drawing 215-33-8410 Rev. B.", []),
        ("Docket 2384CR000123 filed 2024-05-17; Permit 215-33-8410 issued.", []),
    ],
)
def test_when_number_is_not_an_issued_ssn_or_is_labelled_otherwise_then_no_ssn_is_detected(found, text, expected):
    assert found(text, SSN) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("215338410", True),
        ("031245567", True),
        ("078051120", True),
        ("899999998", True),
        ("000123456", False),
        ("666123456", False),
        ("900123456", False),
        ("987654321", False),
        ("123004567", False),
        ("123450000", False),
        ("111111111", False),
        ("21533841", False),
        ("2153384100", False),
    ],
)
def test_when_ssn_valid_is_given_a_number_then_it_applies_the_ssa_rules(number, expected):
    assert ssn_valid(number) is expected


@given(st.from_regex(r"9\d{8}", fullmatch=True))
def test_when_area_starts_with_9_then_ssn_valid_is_false(number):
    assert not ssn_valid(number)


@ENGINE
@given(st.from_regex(r"\d{9}", fullmatch=True))
def test_when_labelled_dashed_number_is_checked_then_detection_agrees_with_ssn_valid(found, number):
    dashed = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    expected = [(SSN, dashed)] if ssn_valid(number) else []
    assert found(f"Applicant SSN: {dashed}", SSN) == expected
