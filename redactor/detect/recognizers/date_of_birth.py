"""Dates of birth: a date with a birth label nearest before it. Other dates are not findings."""

from __future__ import annotations

import datetime as dt

import regex

from ...textutil import DIGIT_RUNS
from ..base import RecordsRecognizer

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (
    r"(?<![\w/\-.])(?:"
    r"\d{1,2}[/\-.]\d{1,2}[/\-.](?:\d{4}|\d{2})"           # 03/15/1985, 3-15-85, 03.15.1985
    r"|\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}"                        # 1985-03-15, 1985/03/15
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"   # March 15, 1985
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}"  # 15 March 1985
    rf"|\d{{1,2}}-{_MONTHS}-(?:\d{{4}}|\d{{2}})"                # 15-Mar-1985, 15-MAR-85 (a database's export)
    rf"|{_MONTHS}-\d{{1,2}}-\d{{4}}"                            # Mar-15-1985
    r")(?![\w/\-]|\.\d)"
)


_FOUR_DIGITS = regex.compile(r"\d{4}")


def _year(value: str) -> int | None:
    years = _FOUR_DIGITS.findall(value)
    if years:
        return int(years[-1])
    parts = DIGIT_RUNS.findall(value)
    if len(parts) >= 2 and len(parts[-1]) == 2:  # 3/15/85, 15-MAR-85
        two = int(parts[-1])
        return 2000 + two if two <= dt.date.today().year % 100 else 1900 + two
    return None


class DateOfBirthRecognizer(RecordsRecognizer):
    """Every date is matched, but only one whose nearest label is about birth is kept."""

    ENTITY = "DATE_OF_BIRTH"
    FLAGS = regex.IGNORECASE
    PATTERNS = (("date", _DATE, 0.2),)
    CONTEXT = (r"date\s+of\s+birth", r"birth\s*date", r"birthday", r"d\.?\s?o\.?\s?b\.?", r"born(?:\s+on)?",
               r"b\.", r"birth")
    NEGATIVE_CONTEXT = (
        r"birthday\s+(?:party|parties|celebration|event|card|cake)",
        r"date\s+of\s+(?:incident|hire|service|loss|arrest|report|application|issue|death|offense|occurrence|"
        r"violation|request|inspection|payment|purchase|appointment|event|separation|termination)",
        r"dated?", r"received", r"incident", r"hired?", r"issued?", r"expir\w*", r"exp\.?", r"filed", r"meeting",
        r"effective", r"due", r"signed", r"submitted", r"sent", r"updated", r"opened", r"closed", r"reported",
        r"occurred", r"arrested", r"died", r"deceased", r"death", r"d\.o\.d\.?", r"dod", r"start", r"end",
        r"from", r"through", r"until", r"since", r"as\s+of", r"last", r"next", r"hearing", r"session",
    )
    NEAREST_LABEL = True
    CONTEXT_BEFORE = 60
    NEGATIVE_BEFORE = 60
    CONTEXT_BOOST = 0.6

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """A birth date lies in the past and after 1900."""
        year = _year(value)
        if year is None or not 1900 <= year <= dt.date.today().year:
            return False
        return None


RECOGNIZERS = [DateOfBirthRecognizer]
