"""ABA_ROUTING_NUMBER: nine digits passing the ABA checksum, with a routing label nearest."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.detect.recognizers.routing_number import aba_valid

ABA = "ABA_ROUTING_NUMBER"
ENGINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FED_PREFIXES = [*range(0, 13), *range(21, 33), *range(61, 73), 80]


def aba_check_digit(first8: str) -> str:
    d = [int(ch) for ch in first8]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5])
    return str(-total % 10)


valid_routing_numbers = st.builds(
    lambda prefix, rest: f"{prefix:02d}{rest}" + aba_check_digit(f"{prefix:02d}{rest}"),
    st.sampled_from(FED_PREFIXES), st.from_regex(r"\d{6}", fullmatch=True),
).filter(lambda n: n != "000000000")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Routing number: 211274450", [(ABA, "211274450")]),
        ("ABA 011000015", [(ABA, "011000015")]),
        ("RTN: 021000021", [(ABA, "021000021")]),
        ("⑆011000015⑆ 004417823⑈ 1052", [(ABA, "011000015")]),
        ("Routing/Transit No. 0110-0001-5", [(ABA, "0110-0001-5")]),
        ("Bank routing # 221172610, account # 004417823", [(ABA, "221172610")]),
        ("Transit number 011075150", [(ABA, "011075150")]),
        ("| Bank | ABA | Account |\n|---|---|---|\n| Westfield Bank | 211370545 | 55012233 |", [(ABA, "211370545")]),
        ("Direct deposit form: R/T 011000028", [(ABA, "011000028")]),
        ("Routing: 211274450 Account: 1234567890", [(ABA, "211274450")]),
    ],
)
def test_when_routing_label_precedes_a_checksum_valid_number_then_it_is_detected(found, text, expected):
    assert found(text, ABA) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Routing number: 211274451", []),  # fails the ABA checksum
        ("Routing: 123456789", []),
        ("Routing: 131000015", []),  # checksum passes, but 13 is not a Federal Reserve prefix
        ("Routing: 000000000", []),
        ("Routing: 21127445", []),
        ("Routing: 2112744500", []),
        ("Account 011000015", []),
        ("Invoice 011000015", []),
        ("Reference 011000015 logged.", []),  # no routing label
        ("SSN: 011000015", []),
        ("Phone 011000015", []),
        ("Parcel 011000015 assessed.", []),
        ("EIN 011000015", []),
        ("Our bank's routing number is posted on the website; the account is 211274450.", []),
    ],
)
def test_when_number_fails_the_checksum_or_lacks_a_routing_label_then_no_routing_number_is_detected(
        found, text, expected):
    assert found(text, ABA) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("011000015", True),
        ("021000021", True),
        ("211274450", True),
        ("211370545", True),
        ("221172610", True),
        ("011000016", False),
        ("123456789", False),
        ("131000015", False),
        ("000000000", False),
        ("01100001", False),
        ("0110000150", False),
    ],
)
def test_when_aba_valid_is_given_a_number_then_it_applies_checksum_and_prefix(number, expected):
    assert aba_valid(number) is expected


@given(valid_routing_numbers)
def test_when_check_digit_is_computed_for_a_fed_prefix_then_aba_valid_accepts_it(number):
    assert aba_valid(number)


@given(valid_routing_numbers, st.integers(0, 8), st.integers(1, 9))
def test_when_one_digit_of_a_routing_number_changes_then_aba_valid_rejects_it(number, position, delta):
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert not aba_valid(changed)


@ENGINE
@given(valid_routing_numbers)
def test_when_valid_routing_number_follows_routing_label_then_it_is_detected(found, number):
    assert found(f"Routing number: {number}", ABA) == [(ABA, number)]
