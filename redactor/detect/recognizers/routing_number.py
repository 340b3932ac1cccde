"""ABA routing transit numbers: 9 digits passing the ABA checksum, with a routing label."""

from __future__ import annotations

from ..base import RecordsRecognizer, digits

#: First two digits the Federal Reserve assigns (Fed districts, thrifts, electronic, traveler's checks).
_PREFIXES = {*range(0, 13), *range(21, 33), *range(61, 73), 80}


def aba_valid(number: str) -> bool:
    """3*(d1+d4+d7) + 7*(d2+d5+d8) + (d3+d6+d9) is a multiple of 10, and a known prefix."""
    if len(number) != 9 or number == "000000000":
        return False
    d = [int(ch) for ch in number]
    total = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])
    return total % 10 == 0 and int(number[:2]) in _PREFIXES


class RoutingNumberRecognizer(RecordsRecognizer):
    """Routing numbers are public on their own; found so an account pair is recognised and logged."""

    ENTITY = "ABA_ROUTING_NUMBER"
    PATTERNS = (
        ("routing number", r"(?<![\w\-])\d{9}(?![\w\-])", 0.3),
        ("routing number dashed", r"(?<![\w\-])\d{4}[\-]\d{4}[\-]\d(?![\w\-])", 0.3),
    )
    # ⑆ is the MICR transit symbol printed around the routing number on a check.
    CONTEXT = (r"routing(?:\s+(?:transit\s+)?(?:number|no\.?|#|num))?", r"aba(?:\s+(?:number|no\.?|#))?",
               r"rtn", r"r/t", r"transit(?:\s+(?:number|no\.?|#))?", r"bank\s+routing", r"⑆")
    NEGATIVE_CONTEXT = (r"account", r"acct\.?", r"ssn", r"social\s+security", r"ein", r"invoice", r"phone")
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 40
    NEGATIVE_BEFORE = 40

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """The ABA checksum."""
        return bool(aba_valid(digits(value)))


RECOGNIZERS = [RoutingNumberRecognizer]
