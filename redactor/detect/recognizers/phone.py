"""Personal phone numbers: presidio's phonenumbers-based recognizer, minus office lines.

Office, main, fax and toll-free numbers of an agency or business are public;
the nearest label before a number decides which kind it is.
"""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer as PresidioPhoneRecognizer

from ...textutil import DIGIT_RUNS
from ..base import column_header, context_regex, last_match, make_result, regex_timeout
from .street_address import STREET_SUFFIXES

#: Labels that say the number is a person's own.
_PERSONAL = (r"cell(?:\s*phone)?", r"mobile", r"home(?:\s+(?:phone|number|tel\.?))?", r"personal(?:\s+(?:cell|phone))?",
             r"call\s+me", r"text\s+me", r"reach\s+me", r"my\s+(?:number|cell|phone)", r"c:", r"h:", r"m:")
#: Labels that say only that it is a phone number: whose is decided by what surrounds it.
_NEUTRAL = (r"phone", r"tel\.?", r"telephone", r"contact", r"ph\.?", r"phone\s+(?:no\.?|number|#)")
_OFFICE = (r"fax", r"main(?:\s+(?:office|line|number))?", r"office", r"dispatch", r"switchboard", r"department",
           r"dept\.?", r"hotline", r"toll[- ]free", r"business(?:\s+line)?", r"desk", r"front\s+desk", r"reception",
           r"general\s+(?:line|number|inquiries)", r"non-?emergency", r"helpdesk", r"help\s+desk", r"f:", r"o:",
           r"direct\s+line", r"clerk'?s?\s+office", r"call\s+cent(?:er|re)", r"311", r"information\s+line",
           r"help\s?line", r"customer\s+service", r"scheduling", r"appointments?\s+line",
           r"(?:hot|main|direct|business|office|information|tip|request|snow|\d+-hour|24/7)\s+line", r"snow\s+desk",
           r"questions\s*[:?]")
#: Words on a number's line (or the line above) that make an unlabelled number an agency or business line.
_ORGANISATION_LINE = regex.compile(
    r"(?i)\b(?:town\s+hall|city\s+hall|town\s+of|city\s+of|department|dept\.?|office|police|fire|school|"
    r"library|division|bureau|authority|commission|board|registry|court|inc\.?|llc|corp\.?|company|co\.|"
    r"cent(?:er|re)|station|clinic|hospital|hall|agency|program|shelter|"
    r"associates|services|questions\s+about\s+this\s+record|assessors?|treasurer'?s?|collector'?s?|"
    r"(?:city|town)\s+clerk|mayor'?s?|select\s*board|city\s+council|dpw|registry|accounts\s+(?:payable|receivable)|"
    r"payroll|purchasing|procurement|"
    # A firm's or an agency's address block: "Suite 2800", "Room 301", a law firm's legal form.
    r"suite|ste\.|room\s+\d+|llp|l\.l\.p\.|pllc|p\.c\.|branch)(?!\w)")
#: A word that is part of a street's name: a suffix follows it ("Main Street", "School St.", "Office
#: Park Drive"), or a house number comes before it ("9 Elm Court", "12 Station Road"). Such a word is
#: no label and names no agency: a resident of Main Street is no main line.
_SUFFIX_AFTER = regex.compile(rf"(?:[ \t]+\p{{Lu}}[\p{{L}}'’.\-]*){{0,2}}?[ \t]+(?i:{STREET_SUFFIXES})\b")
_HOUSE_NUMBER_BEFORE = regex.compile(r"(?<![\w\-/])\d{1,6}[A-Za-z]?(?:[ \t]+[\p{L}'’.\-]+){0,2}[ \t]+$")


def _street_word(text: str, start: int, end: int) -> bool:
    return (_SUFFIX_AFTER.match(text, end) is not None
            or _HOUSE_NUMBER_BEFORE.search(text, max(0, start - 40), start) is not None)


def _no_street_word(m: regex.Match[str]) -> bool:
    return not _street_word(m.string, m.start(), m.end())


def _names_an_organisation(text: str) -> bool:
    """Whether an organisation word stands in ``text`` other than as part of a street's name."""
    return any(not _street_word(text, m.start(), m.end())
               for m in _ORGANISATION_LINE.finditer(text, timeout=regex_timeout()))


#: Digit groupings a U.S. number is written in: 413-555-0142, (413) 555-0142, 1 413 555 0142,
#: 4135550142, 555-0142. "2024-11-0419" (a transmittal number) is none of them.
_GROUPINGS = {(3, 3, 4), (1, 3, 3, 4), (10,), (11,), (3, 4), (7,)}
_TOLL_FREE = {"800", "888", "877", "866", "855", "844", "833", "822"}


#: A sentence ends at . ! or ? and a space, but not after an abbreviation ("Tel. (508) 555-0100",
#: a law firm's "P.C.").
_SENTENCE_END = regex.compile(r"(?<!\b(?i:tel|ph|no|st|ave|rd|dept|inc|co|ext|rm|ste|fl|bldg|p\.c|esq))[.!?]\s")


def _clause_before(text: str, pos: int, reach: int = 60) -> str:
    """Up to ``reach`` characters before ``pos`` in the same sentence; a line break ends it unless
    the line before ends with a comma (an address block running over two lines)."""
    window = _SENTENCE_END.split(text[max(0, pos - reach):pos])[-1]
    lines = window.split("\n")
    kept = [lines[-1]]
    for line in reversed(lines[:-1]):
        if not line.rstrip().endswith(","):
            break
        kept.insert(0, line)
    return "\n".join(kept)


#: The last line of an address block: a state (or its abbreviation) and a ZIP code.
_ZIP_LINE = regex.compile(r"(?:\b[A-Z]{2}|[A-Z][a-z]+)\.?,?\s+\d{5}(?:[-–]\d{4})?\s*$")
_STREET_LINE = regex.compile(r"(?i)\s*(?:\d|p\.?\s*o\.?\s+box\b)")
#: A firm's or an agency's name on the line that heads an address block (a letterhead, a vendor's
#: block on an invoice). Narrower than _ORGANISATION_LINE: a person's own line may carry "Board
#: member" or "Office manager", and "c/o" names the firm a person is reached through.
_FIRM_NAME = regex.compile(
    r"(?i)^(?!\s*c/o\b).*\b(?:inc\.?|llc|l\.l\.c\.|corp(?:oration)?\.?|company|co\.|ltd\.?|limited|llp|"
    r"l\.l\.p\.|pllc|p\.c\.|associates|(?:town|city|county|commonwealth|state)\s+of|department|court|"
    r"university|college)(?!\w)")


def _letterhead(text: str, start: int) -> str:
    """The line heading the address block a number stands under on a line of its own ("Linn
    Electronics, Inc. / 18720 Oxnard Street, Tarzana, CA 91356 / (818) 708-8131"), or ""."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return ""
    lines = text[max(0, line_start - 300):line_start].splitlines()
    i = len(lines) - 1
    if i < 1 or not _ZIP_LINE.search(lines[i]):
        return ""
    if not _STREET_LINE.match(lines[i]):  # the city on a line of its own, the street above it
        i -= 1
        if i < 1 or not _STREET_LINE.match(lines[i]):
            return ""
    return lines[i - 1]


_EXTENSION = regex.compile(r"(?i)\s*(?:x|ext\.?)\s*\d+$")
_AFTER_END = regex.compile(r"[.!?](?:\s|$)|\n")  # where the text after a number ends


def _national(value: str) -> str:
    """A U.S. number's ten (or seven) digits, without the country code."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[1:] if len(digits) == 11 and digits[0] == "1" else digits


class PhoneRecognizer(PresidioPhoneRecognizer):
    """US numbers found by libphonenumber (VALID leniency), plus 7-digit local numbers with a label."""

    _LOCAL = regex.compile(r"(?<![\w\-.])\d{3}[\-.]\d{4}(?![\w\-]|\.\d)")

    def __init__(self) -> None:
        super().__init__(supported_regions=("US",), leniency=1, name="PhoneRecognizer")
        self._personal = context_regex(_PERSONAL)
        self._office = context_regex(_OFFICE)
        # Not the label of the next number: "cell 413-555-0187, office fax 413-555-0100".
        self._office_after = regex.compile(r"\s*[(\[,\-–]\s*(?P<label>" + "|".join(_OFFICE) + r")\b"
                                           r"(?!\s*(?:fax|line|number|phone|tel\.?|no\.?|#)?\s*:?\s*[\d(+])",
                                           regex.IGNORECASE)
        self._labels = regex.compile(context_regex(_OFFICE + _PERSONAL + _NEUTRAL).pattern,
                                     regex.IGNORECASE | regex.POSIX)

    def _office_label_after(self, text: str, end: int) -> bool:
        m = self._office_after.match(text, end)
        return m is not None and not _street_word(text, m.start("label"), m.end("label"))

    def _nearest(self, text: str, start: int) -> str | None:
        """The kind of the nearest label: office, personal, neutral, or None."""
        header = column_header(text, start)
        if header is None:  # a two-column list's; a form's own row label is read below when it names nothing
            header = column_header(text, start, pairs=True)
        label = last_match(self._labels, header, keep=_no_street_word) if header else None
        if label is None:
            label = last_match(self._labels, text, max(0, start - 40), start, keep=_no_street_word)
        if label is None:
            return None
        if self._office.fullmatch(label):
            return "office"
        return "personal" if self._personal.fullmatch(label) else "neutral"

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                ) -> list[RecognizerResult]:
        """Numbers whose nearest label is not an office label; bare digits need a phone label."""
        kept = []
        candidates = super().analyze(text, entities, nlp_artifacts)
        spans = {(r.start, r.end) for r in candidates}
        for m in self._LOCAL.finditer(text, timeout=regex_timeout()):
            if not any(s <= m.start() < e for s, e in spans) and self._nearest(text, m.start()) in (
                    "personal", "neutral"):
                candidates.append(make_result(self, "PHONE_NUMBER", m.start(), m.end(), 0.6, "7-digit local number"))
        # The label may follow the number: "(413) 555-0139 (business line)".
        labels = [("office" if self._office_label_after(text, r.end) else self._nearest(text, r.start))
                  for r in candidates]
        # A number the text labels as an office line once ("Fax: (404) 541-4777") is that line
        # where it is written without its label too ("404-815-6095 404-541-4777").
        offices = {_national(text[r.start:r.end])
                   for r, label in zip(candidates, labels, strict=True) if label == "office"}
        for r, label in zip(candidates, labels, strict=True):
            value = text[r.start:r.end]
            national = _national(value)
            if national[:3] in _TOLL_FREE or national in offices:
                continue
            groups = tuple(len(g) for g in DIGIT_RUNS.findall(_EXTENSION.split(value)[0]))
            if groups not in _GROUPINGS:
                continue
            # Without a personal label, an agency or business named in the same clause makes it
            # their line: "Questions: Building Department, Town Hall,\n100 Common Street, (508) 555-0100."
            after = _AFTER_END.split(text[r.end:r.end + 30])[0]
            if label in (None, "neutral") and (_names_an_organisation(_clause_before(text, r.start))
                                               or _names_an_organisation(after)
                                               or _FIRM_NAME.match(_letterhead(text, r.start))):
                continue
            if value.isdigit() and label is None:
                continue  # ten bare digits are an account or an id as often as a phone
            # An SSN-shaped or card-shaped neighbour means this is part of a longer number.
            if (r.start > 0 and text[r.start - 1] in "-/") or (r.end < len(text) and text[r.end:r.end + 1] in "-/"):
                continue
            r.score = 0.75 if label == "personal" else 0.6
            if r.analysis_explanation is not None:
                # The allow-lists read this: an unlabelled number in a public official's
                # signature block is an office number.
                r.analysis_explanation.textual_explanation = f"phone number ({label or 'no'} label)"
            kept.append(r)
        return kept



RECOGNIZERS = [PhoneRecognizer]
