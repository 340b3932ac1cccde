"""U.S. Employer Identification Numbers (NN-NNNNNNN), only with an EIN label nearby."""

from __future__ import annotations

from ..base import RecordsRecognizer, digits

#: Prefixes the IRS has assigned to EINs; others (00, 07-09, 17-19, ...) are never issued.
_EIN_PREFIXES = {
    *range(1, 7), *range(10, 17), *range(20, 28), *range(30, 49), *range(50, 69),
    *range(71, 78), *range(80, 89), *range(90, 96), 98, 99,
}


class EinRecognizer(RecordsRecognizer):
    """EINs look like many other numbers, so a label (EIN, FEIN, Federal Tax ID) is required."""

    ENTITY = "US_EIN"
    PATTERNS = (
        ("ein dashed", r"(?<![\d\w-])\d{2}[-‐–—]\d{7}(?![\d-]|\w)", 0.2),
        ("ein bare", r"(?<![\d\w])\d{9}(?![\d\w])", 0.15),
    )
    CONTEXT = (
        r"employer\s+identification(?:\s+(?:number|no\.?))?", r"f?ein",
        r"(?:federal\s+)?employer\s+id(?:\.|entification)?(?:\s+(?:number|no\.?|#))?",
        r"federal\s+(?:tax\s+)?id(?:entification)?"
        r"(?:\s+(?:number|no\.?|#))?", r"federal\s+tax\s+(?:number|no\.?|#)", r"tax\s*id(?:\s+(?:number|no\.?|#))?",
        r"tin",
    )
    NEGATIVE_CONTEXT = (r"grant(?:\s+(?:no\.?|number|#))?", r"contract(?:\s+(?:no\.?|number|#))?", r"award",
                        r"project", r"permit", r"file", r"p\.?o\.?",
                        r"individual\s+taxpayer\s+identification(?:\s+(?:number|no\.?))?",
                        r"taxpayer\s+id(?:entification)?(?:\s+(?:number|no\.?))?",
                        r"ssn", r"social\s+security", r"itin", r"routing", r"account", r"acct\.?", r"invoice",
                        r"case", r"docket")
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 45
    NEGATIVE_BEFORE = 45
    CONTEXT_BOOST = 0.45

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Reject prefixes the IRS does not assign."""
        return int(digits(value)[:2]) in _EIN_PREFIXES


RECOGNIZERS = [EinRecognizer]
