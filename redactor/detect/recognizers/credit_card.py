"""Credit and debit card numbers of the major brands, Luhn-checked."""

from __future__ import annotations

import regex

from ..base import RecordsRecognizer, digits, luhn_ok


def card_brand(number: str) -> str | None:
    """The brand whose prefix and length fit ``number`` (digits only), or None."""
    n = len(number)
    p2, p3, p4, p6 = int(number[:2]), int(number[:3]), int(number[:4]), int(number[:6])
    if number[0] == "4" and n in (13, 16, 19):
        return "Visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "Mastercard"
    if p2 in (34, 37) and n == 15:
        return "American Express"
    if (p4 == 6011 or 644 <= p3 <= 649 or p2 == 65 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "Discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "JCB"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "Diners Club"
    if p2 == 62 and 16 <= n <= 19:
        return "UnionPay"
    return None


class CreditCardRecognizer(RecordsRecognizer):
    """13-19 digits, grouped by spaces or dashes or not at all, with a brand prefix and Luhn."""

    ENTITY = "CREDIT_CARD"
    PATTERNS = (
        ("card number", r"(?<![\w\-.])(?:\d{13,19}(?![\w\-]|\.\d)"
                        r"|\d{4}(?P<s>[ \-])\d{4}(?P=s)\d{4}(?P=s)\d{4}(?:(?P=s)\d{1,3})?"
                        r"|\d{4}(?P<a>[ \-])\d{6}(?P=a)\d{4,5})(?![\w\-]|\.\d|[ \-]\d{4})", 0.6),
    )
    CONTEXT = (r"card", r"credit", r"debit", r"visa", r"master\s?card", r"amex", r"american\s+express",
               r"discover", r"cc\s*#?", r"card\s*(?:no\.?|number|#)", r"payment", r"paid\s+(?:by|with)",
               r"exp(?:iration|\.)?")
    NEGATIVE_CONTEXT = (r"invoice", r"inv\.?", r"order", r"p\.?o\.?", r"tracking", r"confirmation", r"reference",
                        r"ref\.?", r"serial", r"docket", r"case", r"parcel", r"receipt", r"transaction", r"claim",
                        r"account", r"acct\.?", r"routing", r"check", r"upc", r"isbn", r"permit", r"meter")
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 40
    NEGATIVE_BEFORE = 40

    def has_negative_context(self, text: str, start: int, end: int) -> bool:
        """A Luhn-valid number is a card unless the other label is attached to it ("Invoice #4111...");
        "charge the permit fee to 4637-..." names a permit, not the number."""
        if not super().has_negative_context(text, start, end):
            return False
        return bool(regex.search(rf"(?i)(?:{'|'.join(self.NEGATIVE_CONTEXT)})\s*(?:#|no\.?|num(?:ber)?\.?|:)?\s*$",
                                 text[max(0, start - 20):start]))

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Brand prefix and length, Luhn, and consistent grouping."""
        number = digits(value)
        if len(set(number)) == 1 or card_brand(number) is None or not luhn_ok(number):
            return False
        # Mixed separators ("4111 1111-1111 1111") are typed by nobody; they come from
        # adjacent numbers in a table.
        seps = {ch for ch in value if not ch.isdigit()}
        return len(seps) <= 1


RECOGNIZERS = [CreditCardRecognizer]
