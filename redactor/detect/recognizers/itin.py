"""U.S. Individual Taxpayer Identification Numbers (9XX-[50-65|70-88|90-92|94-99]-XXXX)."""

from __future__ import annotations

from ..base import RecordsRecognizer, digits
from .ssn import SSN_NEGATIVE

_ITIN_GROUPS = {*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)}


def itin_valid(number: str) -> bool:
    """Starts with 9 and its group (4th-5th digits) is in an IRS-assigned range."""
    return len(number) == 9 and number[0] == "9" and int(number[3:5]) in _ITIN_GROUPS


class ItinRecognizer(RecordsRecognizer):
    """ITINs: dashed stand alone (the group ranges are distinctive); bare digits need a label."""

    ENTITY = "US_ITIN"
    PATTERNS = (
        ("itin dashed", r"(?<![\d\w-])9\d{2}[-‐–—]\d{2}[-‐–—]\d{4}(?![\d-]|\w)", 0.6),
        ("itin spaced", r"(?<![\d.])9\d{2}\s\d{2}\s\d{4}(?!\d)", 0.3),
        ("itin bare", r"(?<![\d\w])9\d{8}(?![\d\w])", 0.3),
    )
    CONTEXT = (r"itin", r"individual\s+taxpayer", r"taxpayer\s+id(?:entification)?(?:\s+(?:number|no\.?))?",
               r"tin", r"tax\s+id(?:\s+(?:number|no\.?))?")
    NEGATIVE_CONTEXT = SSN_NEGATIVE
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 50
    NEGATIVE_BEFORE = 50

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Reject numbers outside the ITIN ranges."""
        return bool(itin_valid(digits(value)))


RECOGNIZERS = [ItinRecognizer]
