"""U.S. Social Security numbers: 3-2-4 digits with area, group and serial checks."""

from __future__ import annotations

from ..base import RecordsRecognizer, digits

#: The hyphen and the dashes word processors substitute for it.
_DASH = r"\-‐‑–—"
_SEP = f"[{_DASH}]"

SSN_CONTEXT = (
    r"social\s+security(?:\s+(?:number|no\.?|#))?", r"soc\.?\s*sec\.?", r"ssn?s?", r"ss\s*(?:#|no\.?|num)",
    r"s\.s\.n?\.?", r"taxpayer\s+id(?:entification)?(?:\s+(?:number|no\.?))?", r"tin",
)
#: Labels showing a 3-2-4 number is some other identifier.
SSN_NEGATIVE = (
    r"invoice", r"inv\.?", r"order", r"p\.?o\.?", r"case", r"docket", r"claim", r"tracking", r"serial",
    r"part", r"model", r"permit", r"parcel", r"ticket", r"account", r"acct\.?", r"routing", r"policy",
    r"phone", r"tel\.?", r"fax", r"cell", r"ein", r"fein", r"bulletin", r"directive", r"drawing", r"dwg\.?",
    r"specification", r"spec\.?", r"revision", r"catalog(?:ue)?", r"sku", r"lot", r"stock",
)


def ssn_valid(number: str) -> bool:
    """Area not 000, 666 or 900-999; group not 00; serial not 0000 (SSA rules)."""
    if len(number) != 9 or len(set(number)) == 1:
        return False
    area, group, serial = number[:3], number[3:5], number[5:]
    # Numbers printed in advertising and examples (078-05-1120 ...) are structurally valid and
    # are redacted like any other: a record that carries one is treated as carrying an SSN.
    return not (area in {"000", "666"} or area[0] == "9" or group == "00" or serial == "0000")


class SsnRecognizer(RecordsRecognizer):
    """SSNs: dashed forms stand alone; spaced, dotted or bare digits need an SSN label nearby."""

    ENTITY = "US_SSN"
    PATTERNS = (
        ("ssn dashed", rf"(?<![\w{_DASH}])\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{4}}(?![\w{_DASH}])", 0.6),
        ("ssn spaced or dotted", r"(?<![\d.])\d{3}(?:\s|\.)\d{2}(?:\s|\.)\d{4}(?![\d]|\.\d)", 0.3),
        ("ssn bare", r"(?<![\d\w])\d{9}(?![\d\w])", 0.3),
    )
    CONTEXT = SSN_CONTEXT
    NEGATIVE_CONTEXT = SSN_NEGATIVE
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 100
    NEGATIVE_BEFORE = 100

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Reject numbers the SSA never issues."""
        return bool(ssn_valid(digits(value)))


RECOGNIZERS = [SsnRecognizer]
