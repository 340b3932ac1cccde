"""CREDIT_CARD: 13-19 digits with a brand prefix and a valid Luhn digit, unless a label shows another number."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redactor.detect.base import luhn_ok
from redactor.detect.recognizers.credit_card import card_brand

CARD = "CREDIT_CARD"
ENGINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def luhn_digit(partial: str) -> str:
    """The check digit that makes ``partial + digit`` pass Luhn."""
    return next(d for d in "0123456789" if luhn_ok(partial + d))


def group(number: str, sep: str) -> str:
    return sep.join(number[i:i + 4] for i in range(0, len(number), 4))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Card number: 4111 1111 1111 1111  Exp: 09/27", [(CARD, "4111 1111 1111 1111")]),
        ("Paid by Visa 4111-1111-1111-1111 on 03/02/2024.", [(CARD, "4111-1111-1111-1111")]),
        ("Caller read her card number over the phone, 4012888888881881, to pay the parking ticket.",
         [(CARD, "4012888888881881")]),
        ("MC: 5555 5555 5555 4444", [(CARD, "5555 5555 5555 4444")]),
        ("Credit card: 2223 0031 2200 3222", [(CARD, "2223 0031 2200 3222")]),  # Mastercard 2-series
        ("AMEX 3782 822463 10005", [(CARD, "3782 822463 10005")]),
        ("Discover card 6011-1111-1111-1117", [(CARD, "6011-1111-1111-1117")]),
        ("JCB 3530 1113 3330 0000", [(CARD, "3530 1113 3330 0000")]),
        ("Diners Club 3056 930902 5904", [(CARD, "3056 930902 5904")]),
        ("CC# 4222222222222", [(CARD, "4222222222222")]),  # 13-digit Visa
        ("Cardholder: Jane Roe, card 371449635398431, CVV 123", [(CARD, "371449635398431")]),
        ("Name,Card,Amount\nJane Roe,5105105105105100,45.00", [(CARD, "5105105105105100")]),
        # The nearest label decides: "card" after "Invoice" is still a card.
        ("Invoice 2024-117 paid by credit card 4111 1111 1111 1111.", [(CARD, "4111 1111 1111 1111")]),
        ("Order #5521 - payment: Visa 4111111111111111", [(CARD, "4111111111111111")]),
        ("| Date | Payer | Card | Amount |\n|---|---|---|---|\n| 03/02 | J. Roe | 6011000990139424 | $45.00 |",
         [(CARD, "6011000990139424")]),
    ],
)
def test_when_card_number_has_brand_prefix_and_valid_luhn_then_it_is_detected(found, text, expected):
    assert found(text, CARD) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Invoice # 4111 1111 1111 1112", []),  # fails Luhn
        ("Card number: 4111 1111 1111 1113", []),  # fails Luhn even with a card label
        ("Invoice #4111111111111111", []),  # an invoice number, whatever its checksum
        ("Order 5555555555554444 shipped.", []),
        ("Confirmation 4012888888881881", []),
        ("Receipt 6011000990139424", []),
        ("Card number: 4111 1111-1111 1111", []),  # mixed separators: two numbers side by side
        ("Card: 4444 4444 4444 4444", []),  # one digit repeated
        ("Card number: 1234 5678 9012 3452", []),  # no card brand starts with 1
        ("Tracking number 9400 1000 0000 0000 0000 00", []),
        ("Account 4111111111111111", []),
        ("Visa ending in 1111", []),
        ("Meter 4111111111111111", []),
        ("Check 5105105105105100", []),
        ("UPC 012345678905", []),
        ("Payment of $4,111.11 received.", []),
        ("Parcel 4111-1111-1111-1111", []),
        ("Serial: 4012888888881881", []),
        ("Phone 413-555-0142, fax 413-555-0100", []),
    ],
)
def test_when_number_fails_luhn_or_is_labelled_as_another_number_then_no_card_is_detected(found, text, expected):
    assert found(text, CARD) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("4111111111111111", "Visa"),
        ("4222222222222", "Visa"),
        ("4111111111111111110", "Visa"),
        ("5105105105105100", "Mastercard"),
        ("2223003122003222", "Mastercard"),
        ("2720990000000000", "Mastercard"),
        ("378282246310005", "American Express"),
        ("341111111111111", "American Express"),
        ("6011111111111117", "Discover"),
        ("6445000000000000", "Discover"),
        ("6500000000000000", "Discover"),
        ("6221260000000000", "Discover"),
        ("3530111333300000", "JCB"),
        ("30569309025904", "Diners Club"),
        ("36000000000000", "Diners Club"),
        ("6200000000000000", "UnionPay"),
        ("411111111111111", None),  # Visa has 13, 16 or 19 digits
        ("51051051051051", None),  # Mastercard has 16
        ("3782822463100050", None),  # Amex has 15
        ("1234567890123452", None),
        ("9400100000000000", None),
    ],
)
def test_when_card_brand_is_given_digits_then_it_names_the_brand_by_prefix_and_length(number, expected):
    assert card_brand(number) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("4111111111111111", True),
        ("5555555555554444", True),
        ("378282246310005", True),
        ("79927398713", True),
        ("0", True),
        ("4111111111111112", False),
        ("79927398710", False),
        ("1234567890123456", False),
    ],
)
def test_when_luhn_ok_is_given_digits_then_it_applies_the_mod_10_check(number, expected):
    assert luhn_ok(number) is expected


@given(st.from_regex(r"\d{15}", fullmatch=True), st.integers(0, 14), st.integers(1, 9))
def test_when_one_digit_of_a_valid_number_changes_then_luhn_fails(partial, position, delta):
    number = partial + luhn_digit(partial)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    assert luhn_ok(number)
    assert not luhn_ok(changed)


@ENGINE
@given(body=st.from_regex(r"\d{14}", fullmatch=True), sep=st.sampled_from([" ", "-", ""]))
def test_when_luhn_valid_visa_follows_card_number_label_then_it_is_detected(found, body, sep):
    number = "4" + body
    number += luhn_digit(number)
    formatted = group(number, sep)
    assert found(f"Card number: {formatted}", CARD) == [(CARD, formatted)]


@ENGINE
@given(partial=st.from_regex(r"[1-9]\d{14}", fullmatch=True), offset=st.integers(1, 9),
       sep=st.sampled_from([" ", "-", ""]))
def test_when_luhn_invalid_number_follows_invoice_label_then_it_is_never_a_card(found, partial, offset, sep):
    number = partial + str((int(luhn_digit(partial)) + offset) % 10)
    assert not luhn_ok(number)
    assert found(f"Invoice # {group(number, sep)}", CARD) == []


@ENGINE
@given(body=st.from_regex(r"\d{14}", fullmatch=True), label=st.sampled_from(["Invoice #", "Order", "Confirmation",
                                                                             "Tracking", "Receipt", "Reference"]))
def test_when_luhn_valid_number_follows_a_non_card_label_then_it_is_not_a_card(found, body, label):
    number = "4" + body
    number += luhn_digit(number)
    assert found(f"{label} {number}", CARD) == []
