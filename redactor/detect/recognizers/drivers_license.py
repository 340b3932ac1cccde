"""Driver's license and state ID numbers: Massachusetts by shape, other states by label."""

from __future__ import annotations

from ..base import RecordsRecognizer

_DL_LABELS = (
    r"driver'?s?['’]?\s+licen[cs]e(?:\s+(?:number|no\.?|#|num))?", r"drivers?\s+lic\.?(?:\s*(?:no\.?|#))?",
    r"d\.?\s?l\.?\s*(?:#|no\.?|number)?", r"operator'?s?['’]?\s+licen[cs]e(?:\s+(?:number|no\.?|#))?",
    r"oln", r"lic(?:ense)?\.?\s*(?:#|no\.?|number)",
    r"(?:state|mass\.?|massachusetts|rmv)\s+id(?:\s+(?:card|number|no\.?|#))?",
    r"learner'?s\s+permit", r"licen[cs]e",
)
_NOT_DL = (
    r"serial", r"part", r"model", r"sku", r"invoice", r"order", r"plate", r"registration", r"reg\.?", r"vin",
    r"(?:business|liquor|contractor'?s?|plumbing|plumber'?s?|electrical|electrician'?s?|hackney|dog|marriage|"
    r"builder'?s|construction(?:\s+supervisor)?|sign|food|real\s+estate|broker'?s?|professional|nursing|nurse|"
    r"medical|pharmacy|pharmacist|hoisting|home\s+improvement|engineer'?s?|architect'?s?|insurance|cosmetology|"
    r"barber|teaching|educator|fishing|hunting|sporting|firearms?|dealer'?s?|master|journeyman|class\s+[i1-3]+)"
    r"\s+licen[cs]e(?:\s+(?:number|no\.?|#))?", r"csl", r"hic", r"ltc", r"foid",
    r"permit", r"case", r"docket", r"case\s+no\.?", r"employee\s+(?:id|no\.?|#)",
)


class MassachusettsLicenseRecognizer(RecordsRecognizer):
    """Massachusetts numbers: S + 8 digits (or SA + 7); distinctive enough to stand alone."""

    ENTITY = "US_DRIVER_LICENSE"
    PATTERNS = (("massachusetts license", r"(?<![\w\-])(?:S\d{8}|SA\d{7})(?![\w\-])", 0.6),)
    CONTEXT = _DL_LABELS
    NEGATIVE_CONTEXT = _NOT_DL
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 40
    NEGATIVE_BEFORE = 40


class OtherStateLicenseRecognizer(RecordsRecognizer):
    """Other states' formats vary too much to stand alone: a license label must be nearest."""

    ENTITY = "US_DRIVER_LICENSE"
    PATTERNS = (
        ("state license", r"(?<![\w\-])(?=[A-Z0-9\-]*\d)[A-Z]{0,2}\d[A-Z0-9]{3,14}(?![\w\-])", 0.15),
        ("state license dashed", r"(?<![\w\-])[A-Z]?\d{3}-\d{3}-\d{2,3}-\d{3}(?:-\d)?(?![\w\-])", 0.15),
        ("state license spaced", r"(?<![\w\-])[A-Z]?\d{2,4}(?: \d{3}){2,3}(?![\w\-])", 0.15),
    )
    CONTEXT = _DL_LABELS
    NEGATIVE_CONTEXT = _NOT_DL
    NEAREST_LABEL = True
    # Wide enough to see "Construction Supervisor License" whole, not just its last word.
    CONTEXT_BEFORE = 45
    NEGATIVE_BEFORE = 45
    CONTEXT_BOOST = 0.5

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Not a date or year, and not a Massachusetts number (the other recognizer has those)."""
        if value.isdigit() and len(value) < 6:
            return False
        if value.startswith("S") and value[1:].isdigit() and len(value) == 9:
            return False
        return None


RECOGNIZERS = [MassachusettsLicenseRecognizer, OtherStateLicenseRecognizer]
