"""Official titles: a person named right after one ("Officer Dana Kowalski", "Vice Chair John
Smith") is acting in office, and that is part of the public record.

Light (no model, no presidio): the findings read the names a document writes in office too.
"""

from __future__ import annotations

import regex

#: The detector named in the detections (and findings) of an official's name written in office.
OFFICIAL_DETECTOR = "OfficialTitle"

#: An office in a public body ("Board member", "Committee Vice Chair"); after a name, with the
#: body's own name before it ("Jodi Ross, Planning Board Chair").
BODY_OFFICE = (r"(?:board|committee|commission|council|selectboard|trustees)\s+"
               r"(?:(?:vice[\s-]+)?chair(?:man|woman|person)?|member|clerk|secretary)")

TITLE_WORDS = (
    r"officer|ofc\.?|patrol(?:man|woman)?|ptl\.?|p\.?o\.(?!\s*box\b)|sgt\.?|sergeant|det\.?|detective|lt\.?|lieutenant|"
    r"capt\.?|captain|chief|deputy\s+chief|trooper|tpr\.?|commissioner|selectm[ae]n|selectwom[ae]n|councill?ors?|mayor|"
    # The officers and members of a public body, as minutes name them ("Chair Maria Lopez",
    # "Finance Committee Vice Chair", "School Committee member"); a bare "Member" is not one.
    rf"(?:vice[\s-]+)?chair(?:man|woman|person)?|{BODY_OFFICE}|conservation\s+agent|"
    r"judge|justice|(?:town|city|assistant\s+town|assistant\s+city)\s+clerk|building\s+inspector|"
    r"health\s+(?:agent|inspector)|(?:town|city)\s+(?:manager|administrator|treasurer|accountant|planner|"
    r"engineer|solicitor|counsel)|tax\s+collector|rep\.?|representative|sen\.?|senator|governor|constable|"
    r"sheriff|dispatcher|fire\s*fighter|superintendent|records\s+access\s+officer|"
    # A town's and a county's other offices, and the heads of its departments ("Jane Roe, Library
    # Director", "Treasurer/Collector Jane Roe"). Not a bare "Inspector": a poll worker's post.
    r"(?:police|fire)\s+chief|chief\s+of\s+police|(?:town|city)\s+councill?ors?|alderm[ae]n|"
    r"(?:town\s+|city\s+)?moderator|treasurer(?:\s*/\s*collector)?|(?:principal\s+)?assessors?|principal|"
    r"(?:wiring|plumbing|gas|electrical|police)\s+inspector|harbou?rmaster|tree\s+warden|veterans'?\s+agent|"
    r"registrar|register\s+of\s+(?:deeds|probate)|"
    r"clerk[\s-]+magistrate|(?:assistant\s+)?district\s+attorney|attorney\s+general|"
    r"(?:dpw|library|health|planning|finance|recreation|facilities|school|public\s+works)\s+director|"
    r"director\s+of\s+(?:public\s+works|planning|finance|health|human\s+resources|facilities|libraries)"
)
#: Not right after a word saying the title is no longer held ("retired police officer John Smith",
#: "former Selectman", "the late Chief"): the person named is a private person now. ("ex-Chief" is
#: no title already: a title stands after a space or a punctuation mark.)
_IN_OFFICE = r"(?<!(?<![\p{L}-])(?i:retired|former|late|one-?time)[\s-]+(?:\p{L}+[ \t]+){0,2})"
#: Official titles: the person named right after one is acting in a public capacity. Not after a
#: field gap (a tab, three spaces): "Town Manager        Michael Tran" is the other party of a
#: signature line set in two columns.
PUBLIC_TITLES = regex.compile(rf"(?i)(?:^|[\s(,;:]){_IN_OFFICE}(?:{TITLE_WORDS})(?: {{0,2}}|[ \t]*\r?\n[ \t]*)$")

#: An official title right after a name, as signatures, contracts and minutes write it ("Jodi Ross,
#: Town Manager", a name on its line and the title on the next, "Maria Lopez (Chair)"). The title
#: is capitalised, as an office is written there ("Jane Doe, a dispatcher at the mill" is no
#: office), and is not followed by a name ("Jane Doe, Officer Smith's neighbor"; taken whole, so
#: "Sgt." is not "Sgt" before a sentence's end).
TITLE_AFTER = regex.compile(
    rf"(?:,[ \t]*|[ \t]*\(|[ \t]*\r?\n[ \t]*)(?=\p{{Lu}})"
    rf"(?>(?:\p{{Lu}}\p{{Ll}}+[ \t]+){{0,2}}(?i:{BODY_OFFICE})|(?i:{TITLE_WORDS}))"
    rf"(?=\)|[ \t]*(?:$|[,;.:\r\n]|[ \t]{{2}}|\t|[ \t]+\p{{Ll}}))")

#: A word of a name as written in office: capitalised with lower case in it ("O'Brien", "McNeil"),
#: never a word in capitals, so a report typed in capitals runs into no other name. (The look
#: ahead finds the lower-case letter; the word is then taken whole, without going back.)
_NAME_WORD = r"(?=\p{Lu}[\p{L}'’-]*?\p{Ll})\p{Lu}[\p{L}'’-]*+"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:\p{{Lu}}\.[ \t]+)?{_NAME_WORD})"
#: The two forms are searched one after the other: one pattern holding both took half as long again.
_NAMED_AFTER_TITLE = regex.compile(
    rf"(?:^|(?<=[\s(,;:])){_IN_OFFICE}(?i:{TITLE_WORDS}) {{1,2}}(?P<name>{_NAME}{{0,2}})")
_NAMED_BEFORE_TITLE = regex.compile(rf"(?<![\p{{L}}'’-])(?P<name>{_NAME}{{1,2}})(?={TITLE_AFTER.pattern})")

#: Minutes' roll of a public body's members ("Members present: Maria Lopez, John Smith and Wei
#: Chen"): each name of the line is a member's. Not a bare "Present:", which may list residents.
_ROLL = regex.compile(r"(?im)^[ \t]*(?:(?:board|committee|commission|council)\s+)?members?\s+(?:present|absent)"
                      r"[ \t]*:[ \t]*(?P<names>[^\n]+)")
_ROLL_NAME = regex.compile(rf"(?:^|(?<=,|\band\b|;))[ \t]*(?P<name>{_NAME}{{1,2}})[ \t]*(?=,|;|\band\b|\(|\.?$)")


_POSSESSIVE = regex.compile(r"['’]s$")


def office_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names an official in office, in order, once each: each name written right
    before or after an official title ("Vice Chair John Smith", "Jodi Ross, Town Manager"; at most
    three words, two or more before a title) or in a public body's roll of members ("Members
    present: Maria Lopez, John Smith and Wei Chen"), a possessive's "'s" left out. Those are
    officials acting in office, and the document's shorter mentions of them ("Mr. Smith") are too
    (see decide.FindingsBuilder)."""
    spans = [m.span("name") for m in (*_NAMED_AFTER_TITLE.finditer(text), *_NAMED_BEFORE_TITLE.finditer(text))]
    for roll in _ROLL.finditer(text):
        at = roll.start("names")
        spans.extend((at + m.start("name"), at + m.end("name")) for m in _ROLL_NAME.finditer(roll.group("names")))
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if (possessive := _POSSESSIVE.search(text, start, end)) is not None:
            end = possessive.start()
        if out and start < out[-1][1]:  # one name read by two patterns is one mention
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def names_in_office(text: str) -> list[str]:
    """The names of :func:`office_spans`."""
    return [text[start:end] for start, end in office_spans(text)]
