"""Official titles: a person named right after one ("Officer Dana Kowalski", "Vice Chair John
Smith") is acting in office, and that is part of the public record.

Light (no model, no presidio): the findings read the names a document writes in office too.
"""

from __future__ import annotations

import regex

TITLE_WORDS = (
    r"officer|ofc\.?|patrol(?:man|woman)?|ptl\.?|p\.?o\.|sgt\.?|sergeant|det\.?|detective|lt\.?|lieutenant|"
    r"capt\.?|captain|chief|deputy\s+chief|trooper|tpr\.?|commissioner|selectm[ae]n|selectwom[ae]n|councill?ors?|mayor|"
    # The officers and members of a public body, as minutes name them ("Chair Maria Lopez",
    # "Finance Committee Vice Chair", "School Committee member"); a bare "Member" is not one.
    r"(?:vice[\s-]+)?chair(?:man|woman|person)?|(?:board|committee|commission|council|selectboard|trustees)\s+"
    r"(?:member|clerk|secretary)|conservation\s+agent|"
    r"judge|justice|(?:town|city|assistant\s+town|assistant\s+city)\s+clerk|building\s+inspector|"
    r"health\s+(?:agent|inspector)|(?:town|city)\s+(?:manager|administrator|treasurer|accountant|planner|"
    r"engineer|solicitor|counsel)|tax\s+collector|rep\.?|representative|sen\.?|senator|governor|constable|"
    r"sheriff|dispatcher|fire\s*fighter|superintendent|records\s+access\s+officer"
)
#: Official titles: the person named right after one is acting in a public capacity.
PUBLIC_TITLES = regex.compile(rf"(?i)(?:^|[\s(,;:])(?:{TITLE_WORDS})\s*$")

#: A word of a name as written in office: capitalised with lower case in it ("O'Brien", "McNeil"),
#: never a word in capitals, so a report typed in capitals runs into no other name. (The look
#: ahead finds the lower-case letter; the word is then taken whole, without going back.)
_NAME_WORD = r"(?=\p{Lu}[\p{L}'’-]*?\p{Ll})\p{Lu}[\p{L}'’-]*+"
_NAMED_IN_OFFICE = regex.compile(
    rf"(?:^|(?<=[\s(,;:]))(?i:{TITLE_WORDS})[ \t]+"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:\p{{Lu}}\.[ \t]+)?{_NAME_WORD}){{0,2}})")


def names_in_office(text: str) -> list[str]:
    """The names ``text`` writes right after an official title ("Vice Chair John Smith", "Officer
    Dana Kowalski"): at most three words. Those are officials acting in office, and the document's
    shorter mentions of them ("Mr. Smith") are too (see decide.FindingsBuilder)."""
    return [m.group("name") for m in _NAMED_IN_OFFICE.finditer(text)]
