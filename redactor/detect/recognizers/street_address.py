"""Home street addresses: number + street + suffix, optional unit, city, state and ZIP.

Presidio has no address recognizer. Agency and business addresses are public,
so the address recognizer steps back when the lines around it show a business
("Suite 300", "Town Hall", "Inc.") and leans in on "resides at", "home address".
"""

from __future__ import annotations

import regex

from ..base import RecordsRecognizer, column_header

#: The words that end a street's name (also read by the phone recognizer: "Main" of "Main Street" is no label).
STREET_SUFFIXES = (
    "Street|St|Avenue|Ave|Av|Road|Rd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Terr|Way|Boulevard|Blvd|"
    "Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Path|Row|Hill|Heights|Hts|Extension|Ext|Pike|"
    "Turnpike|Tpke|Crossing|Xing|Park|Point|Pt|Ridge|Run|Walk|Alley|Aly|Commons|Green|Grove|Landing|Loop|Mall|"
    "Meadow|Meadows|Mews|Plaza|Plz|Close|Crescent|Cres|Cove|Glen|Knoll|Bend|Brook|Farm|Woods|Wharf"
)
#: A word of a street's name. Not a word that joins a phrase, written in capitals in a heading
#: ("21 PLAINTIFF'S OPPOSITION TO STATE FARM": a pleading's line number and its title, not an address).
_WORD = r"(?!(?i:to|and|for|of|in|on|at|by|with|from|or|vs?)\b)(?:\p{Lu}[\p{L}'’\-]*|\d+(?:st|nd|rd|th)|[A-Z]{1,2}\.?)"
_STATES = (
    r"A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|"
    r"W[AVIY]|Mass\.?|Massachusetts|Conn\.?|Connecticut|New\s+Hampshire|Rhode\s+Island|Vermont|Maine|New\s+York"
)
# Between the number and the street's words: spaces or a tab, or a line break (a narrow cell wraps
# "14 Alder\nLane"); not a line break and a tab, a table's next row starting with an empty cell
# ("RON NEHRING\t247\n\tREP\tAJ-SUPREME CT-WERDERGAR" of an election's results).
_GAP = r"(?:[ \t]+|[ ]*\r?\n[ ]*)"
_ADDRESS = (
    rf"(?<![\w\-#])(?P<value>\d{{1,6}}(?:-\d{{1,6}})?[A-Za-z]?(?:{_GAP}1/2)?{_GAP}"
    rf"(?:(?:[NSEW]|North|South|East|West)\.?{_GAP})?"
    rf"(?:{_WORD}{_GAP}){{0,3}}{_WORD}{_GAP}(?i:{STREET_SUFFIXES})\b\.?"
    r"(?:,?\s+(?i:apt|apartment|unit|#|no\.?|fl(?:oor)?|rm|room|bldg|building)\.?\s*#?\s*[\w\-]{1,6})?"
    rf"(?:(?:,\s*|\s*\n\s*|\s+)(?:\p{{Lu}}[\p{{L}}.'’\-]*\s+){{0,2}}\p{{Lu}}[\p{{L}}.'’\-]*,?\s+(?:{_STATES})"
    r"(?:\.?,?\s+\d{5}(?:-\d{4})?)?)?)"
    r"(?![\w\-])"
)


#: A "label: value" line of a form or of a spreadsheet row read by the CSV adapter.
_FIELD = regex.compile(r"^\s*[\w .'/\-]{1,40}:\s")


class StreetAddressRecognizer(RecordsRecognizer):
    """Street addresses; business/agency addresses are dropped by their surroundings."""

    ENTITY = "HOME_ADDRESS"
    PATTERNS = (("street address", _ADDRESS, 0.6, "_not_a_citation"),)
    CONTEXT = (r"home\s+address", r"resid(?:es|ing|ent|ence)(?:\s+(?:at|of|address))?", r"lives\s+at",
               r"living\s+at", r"address", r"addr\.?", r"mailing\s+address", r"domicile", r"home")
    CONTEXT_BEFORE = 60
    _BUSINESS = regex.compile(
        r"(?i)\b(?:suite|ste\.?|town\s+hall|city\s+hall|town\s+offices?|town\s+of|city\s+of|county\s+of|"
        r"municipal|department|dept\.?|dpw|division|office|headquarters|hq|police\s+station|"
        r"fire\s+station|station|courthouse|court\s+house|library|school|college|university|hospital|"
        r"medical\s+center|center|centre|authority|commission|inc\.?|llc|l\.l\.c\.|corp\.?|corporation|"
        r"company|co\.|ltd|associates|partners|bank|church|p\.?\s*o\.?\s+box|attn:?|plaza|mall|building|bldg|"
        r"garage|depot|facility|plant|yard|warehouse|loading\s+dock|transfer\s+station|treatment\s+plant|"
        r"arena|rink|pavilion|clinic|pharmacy|restaurant|store|shop|hotel|motel|motors|auto|automotive|sales|"
        r"dealer|dealership|market|cafe|diner|bakery|salon|studio|gym|court|registry|deeds|schools|board|clerk|"
        r"treasurer|collector|assessors?|council|selectboard|headquarters|remit[\s\-]+to|mail\s+payments\s+to|"
        r"business\s+address|vendor\s+address|(?:available|located|held|hosted|open|meets?|meeting|offices?)\s+at|"
        r"supply|supplies|hardware|lumber|bay\s+\d+|unit\s+[a-z]?\d+\s+"
        r"\(?commercial)\b"
    )

    _COMPANY = regex.compile(r"(?i)\b(?:inc\.?|llc|l\.l\.c\.|co\.|corp\.?|corporation|company|ltd\.?)(?!\w)")

    _BUSINESS_COLUMN = regex.compile(r"(?i)business|office|work|company|vendor|remit|site|location|facility")
    _CLAUSE_END = regex.compile(r"[.!?;]\s")
    _HOME_WORD = regex.compile(r"(?i)home|resid|lives|living|mail\s+to")

    #: A law report's volume and name before its page: "140 S. Ct. 1575" (the Supreme Court
    #: Reporter), "12 Mass. App. Ct. 345", read as a number, a word and "Ct." (Court).
    _CITATION = regex.compile(r"\d+\s+(?:S\.|Mass\.\s*App\.|App\.)\s*Ct\.")
    _PAGE_AFTER = regex.compile(r"[ \t]*\d")

    def _not_a_citation(self, value: str, text: str, start: int, end: int) -> bool | None:
        if self._CITATION.fullmatch(value) and self._PAGE_AFTER.match(text, end):
            return False
        return None

    def has_negative_context(self, text: str, start: int, end: int) -> bool:
        """A business word next to the address (same clause, or the line above an address block)."""
        header = column_header(text, start)
        if header is not None:
            # In a table the column says what the address is ("Residence" vs "Business address").
            return bool(self._BUSINESS_COLUMN.search(header))
        line_start = text.rfind("\n", 0, start) + 1
        before = text[line_start:start]
        # The clause just before; on a line of "|"-separated fields, the whole line is one record.
        clause = before if "|" in before else self._CLAUSE_END.split(before)[-1][-40:]
        if not clause.strip(" \t>") and line_start > 0:
            # The address starts its line (after a reply's quote marks): the line above says
            # whose it is ("> ... at Millbrook Town Hall,").
            prev_start = text.rfind("\n", 0, line_start - 1) + 1
            clause = text[prev_start:line_start]
        line_end = text.find("\n", end)
        after = self._CLAUSE_END.split(text[end:line_end if line_end != -1 else len(text)])[0][:40]
        near = text[max(0, start - 40):start]
        if self._HOME_WORD.search(near):
            return False  # "home address: 12 Elm St" beats a business word further up
        # The address's own words are a street name ("58 Church Street"), not a business.
        if self._BUSINESS.search(clause) or self._BUSINESS.search(after):
            return True
        # A company named on one of the two lines above: a form or a spreadsheet row
        # ("payer_name: Hollis Electric Co." / "payer_address: 12 Mill Road").
        if not _FIELD.match(before):
            return False
        above_start = line_start
        for _ in range(2):
            above_start = text.rfind("\n", 0, max(0, above_start - 1)) + 1
        return any(_FIELD.match(line) and self._COMPANY.search(line)
                   for line in text[above_start:line_start].splitlines())

    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Not a quantity ("3 Main Street properties" is still an address; "2024 Road Report" is not)."""
        number = value.split()[0]
        if len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2100 and "," not in value:
            return False
        return None


RECOGNIZERS = [StreetAddressRecognizer]
