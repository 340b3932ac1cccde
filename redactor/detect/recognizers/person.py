"""Names of people: spaCy's PERSON entities, cleaned, plus names found by shape and the Census lists.

The small English model tags numbers, headings, towns and street names as
PERSON now and then (presidio issues #786, #1173, #1352), and misses plain
"First Last" pairs in forms and tables. Every wrong tag withheld would be public
information withheld without an exemption, and every miss a leak, so:

- spans are trimmed of titles, possessives and swept-up form labels;
- a one-word tag is kept only when it is a given name that is not also an
  English word, or the word is part of a longer name in the same text;
- a tag of words on no name list that are English words or long capitalised
  words is a heading or a term ("Regulatory Findings"); a company's name
  written with its legal form ("Sandhill Amusements, Inc.") is no person's,
  there or elsewhere in the text;
- "First Last", "LAST, First" and names after "Mr."/"Ms." or a form label
  ("Complainant:") are found by pattern, with the Census name lists as evidence;
- a name after an official title (Officer, Chief, Clerk ...) is an official
  acting in office, and is left to the public record.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from unicodedata import normalize

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ..base import column_header, make_result, regex_timeout
from ..companies import company_names, names_a_company
from ..gazetteer import (
    CALENDAR_ABBREVIATIONS,
    FUNCTION_WORDS,
    NOT_NAME_WORDS,
    WORD_NAMES,
    given_names,
    irregular_forms,
    is_english_word,
    more_given_names,
    more_surnames,
    surnames,
    us_places,
    word_surnames,
)
from ..titles import PUBLIC_TITLES, TITLE_AFTER, TITLE_WORDS

HONORIFICS = regex.compile(r"(?i)^(?:(?:mr|mrs|ms|miss|mx|dr|prof|rev|hon|atty|esq)\.?\s+)+")
#: A private person's part in the record, written before the name ("Resident Ana Silva",
#: "Applicant Thiago Alves"): no part of the name, and a sign that a name follows.
_PRIVATE_ROLES = (r"resident|applicant|complainant|caller|homeowner|tenant|landlord|abutter|petitioner|requester|"
                  r"victim|witness|suspect|claimant|patron|payer|patient|guardian|student|"
                  r"juvenile|arrestee|decedent|occupant|passenger|pedestrian")
_LEADING_ROLE = regex.compile(
    r"(?i)^(?:clerk|manager|director|administrator|treasurer|accountant|planner|engineer|secretary|supervisor|"
    rf"coordinator|chair(?:man|woman|person)?|agent|inspector|collector|counsel|solicitor|{_PRIVATE_ROLES})\s+")
#: Words the model reads as the first word of the name after them: a greeting, a clock's AM/PM, a
#: citation's signal ("See Cannon v. Miller").
_LEADING_NOISE = regex.compile(r"(?i)(?:(?:dear|hi|hello|greetings)\s+|(?:am|pm|a\.m\.|p\.m\.)\s+|"
                               r"(?:see(?:\s+also)?|but\s+see|cf\.)\s+)+")
#: A case's name cited with its reporter ("Cannon v. Miller, 313 N.C. 324"): its parties are a
#: published opinion's, public. Not where a sovereign is a party ("Commonwealth v. John Roe", "Roe v.
#: State"): that is a criminal case, whose defendant's name may be criminal record information.
_CITED_CASE = regex.compile(
    r"(?P<first>\p{Lu}[\p{L}'’.\-]*(?:[ \t]+\p{Lu}[\p{L}'’.\-]*){0,3}),?[ \t]+vs?\.[ \t]+"
    r"(?P<second>\p{Lu}[\p{L}'’.\-]*(?:[ \t]+(?:of[ \t]+)?\p{Lu}[\p{L}'’.\-]*){0,4}),[ \t]+"
    r"\d{1,4}[ \t]+\p{Lu}[\p{L}.\d ]{0,20}?[ \t]+\d{1,5}\b")
_SOVEREIGN = regex.compile(r"(?i)(?:commonwealth|state|people|united\s+states|u\.\s?s\.|government)\b")
#: Words that open an office's name ("Town Administrator", "Select Board"): never part of a person's name.
_INSTITUTION_AFTER = regex.compile(
    r"(?i)(?<=\p{L})[\s,]+(?=(?:town|city|select|board|department|dept|office|police|fire|school|committee|"
    r"commission|county|commonwealth)\b)")
#: A form's next label after a name read on one line ("Applicant: Jane Roe Social Security number:
#: …"): the name ends where the label begins.
_LABEL_AFTER = regex.compile(r"(?i)(?<=\p{L})[\s,]+(?=(?:social\s+security|date\s+of\s+birth|daytime|"
                             r"driver'?s\s+licen[cs]e|telephone|phone)\b)")
_LEADING_TITLE = regex.compile(rf"(?i)^(?:{TITLE_WORDS})\s+")
_STOP = NOT_NAME_WORDS
_STREET_WORDS = {
    "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "court", "ct", "place", "pl",
    "terrace", "ter", "way", "boulevard", "blvd", "circle", "cir", "parkway", "pkwy", "highway", "hwy",
    "square", "sq", "trail", "turnpike", "plaza", "extension", "ext",
}
#: Common surnames (of the Census's first 2,000) that are also words no name is made of elsewhere
#: ("Town Hall", "Main Street", "Memorial Day"): a surname only where the text says a person is named
#: ("Complainant Peter Hall", "Mr. Hall", "Name: Amy Park"), alone or after a given name.
_SURNAMES_ALSO_STOPPED = frozenset({"hall", "west", "lane", "day", "park", "field", "street", "north"})
#: Form labels a name pattern can sweep up after the name ("Jane Roe, DOB ...").
_TRAILING_LABELS = {"dob", "d.o.b", "ssn", "dl", "tel", "phone", "cell", "email", "e-mail", "address", "addr",
                    "age", "sex", "race", "id", "home", "mobile", "fax", "apt", "unit", "lic", "license", "date",
                    "born", "residing", "resides", "lives", "at", "of", "and", "no", "number", "ma", "ri", "nh",
                    "ct", "ny", "vt", "me", "mass", "dc", "jr", "sr", "ii", "iii"}
#: Words that are given names but, alone, far more often name a place here (Massachusetts
#: towns) or a pet: one-word tags of these are dropped.
_SINGLE_STOP = {
    # States and regions, which the model tags when they stand alone (but "Keisha Washington" is a name).
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
    "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
    "maryland", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio",
    "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington",
    "wisconsin", "wyoming", "carolina", "dakota", "jersey", "york", "hampshire", "island", "england",
    "san", "santa", "los", "las",
    # Massachusetts towns that are also given names.
    "lynn", "shirley", "chelsea", "milton", "sharon", "douglas", "warren", "clinton", "carver", "marion",
    "lincoln", "florence", "hudson", "russell", "dudley", "dalton", "holland", "franklin", "sterling", "ashland",
    "bedford", "beverly", "everett", "quincy", "salem", "lowell", "lawrence", "leominster", "dover", "mansfield",
    "stoughton", "winthrop", "wayland", "randolph", "raynham", "sherborn", "boylston", "webster", "spencer",
    "princeton", "hampden", "granby", "barre", "amherst", "sutton", "holden", "oxford", "canton", "norton",
}
_ANIMAL_CONTEXT = regex.compile(
    r"(?i)(?:\b(?:dog|cat|pet|puppy|kitten|horse|animal|canine)(?:'s)?\s+(?:name|named|called)\s*[:=]?\s*[\"'‘“]?"
    r"|\b(?:dog|cat|pet|breed|mix|puppy|kitten|horse|canine)\b[^.\n]{0,30}[\"'‘“]|\bbreed\s*[:=]\s*)$")
#: What follows an animal's name in a licence or a report: "Rocco, beagle", "Luna, a black lab mix",
#: "Max (terrier mix)". Breed words only, not "dog" or "lab" alone: "Jane Roe, dog owner" and
#: "Jane Roe, lab technician" name a person.
_ANIMAL_AFTER = regex.compile(
    r"(?i)^[ \t]*(?:,[ \t]*|\([ \t]*)(?:an?[ \t]+)?(?:[\p{L}-]+[ \t]+){0,2}"
    r"(?:beagle|labrador|retriever|terrier|poodle|shepherd|bulldog|husky|collie|spaniel|chihuahua|dachshund|"
    r"pug|rottweiler|doberman|greyhound|mastiff|pit[ \t]*bull|corgi|schnauzer|shih[ \t]+tzu|yorkie|maltese|"
    r"tabby|siamese|calico|mix|mixed[ \t]+breed)s?\b")
#: A party's abbreviation and a count after a name, in either order (a PDF's reading order may
#: put the count first, or the party on the next line): a candidate in an election's results
#: ("GAVIN NEWSOM DEM 64", "RON NEHRING\t247\n\tREP", "Jane Roe (D) 1,204"), public as the ballot is.
_PARTY = r"(?:DEM|REP|GRN|LIB|AI|PF|NPP|IND|UNE|\([DRGLIU]\))"
_PARTY_AND_COUNT = rf"(?:{_PARTY}\s+\d[\d,]*|\d[\d,]*\s+{_PARTY})(?![\w-])"
_PARTY_AFTER = regex.compile(rf"\s+{_PARTY_AND_COUNT}")
#: A party and a count anywhere; three of them make a text an election's results, where a name
#: followed by a count alone is a candidate for a non-partisan office ("JACQUELINE H LEWIS 64").
_PARTY_COUNT = regex.compile(rf"(?<![\w-]){_PARTY_AND_COUNT}")
_COUNT_AFTER = regex.compile(r"[ \t]+\d[\d,]*(?=\s|$)")
_BALLOT_FROM = 3
_PLACE_PREFIXES = {"north", "south", "east", "west", "new", "great", "mount", "mt", "port", "fort", "lake", "upper",
                   "lower", "old", "little", "big", "san", "santa", "los", "las", "el", "saint", "st.",
                   # Streets named first in Spanish, Portuguese and French: "Calle De la Paz".
                   "calle", "avenida", "rua", "rue"}
_PARTICLES = {"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "bin", "al", "el",
              "st.", "y", "dos", "das"}
#: A building's or an institution's last word, on no list of names: a name followed by one, or a tag
#: ending with one, names the place after a person ("Thomas F. Eagleton Courthouse"), not the person.
_BUILDING_WORDS = frozenset({
    "courthouse", "building", "bldg", "library", "memorial", "elementary", "hospital", "clinic", "university",
    "academy", "institute", "cemetery", "centre", "auditorium", "stadium", "museum", "airport", "foundation",
    "cathedral", "gymnasium", "pavilion", "tunnel", "terminal", "reservoir"})
_AFTER_NOT_PERSON = regex.compile(
    # A period before a comma ends an abbreviation, not the name: "Hest Techs., Inc.".
    # The word between is taken whole: "Fir" + "st" of "First", "Spring" + "field" of "Springfield"
    # are no street or field after the name.
    r"^(?:\.(?=,))?(?:[ \t]+\p{Lu}[\p{L}'’]*+\.?)?[ \t,]*(?:(?i:jr|sr)\.?[ \t]+)?"
    r"(?i:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|drive|dr\.?|boulevard|"
    r"blvd\.?|way|court|place|square|park|school|middle|high|hall|center|bridge|"
    r"inc\.?|llc|llp|pllc|plc|ltd\.?|srl|gmbh|corp\.?|corporation|incorporated|limited|company|co\.|"
    r"associates|group|partners|department|authority|"
    r"college|fund|trust|award|act|law|rule|realty|properties|plaza|field|pond|"
    rf"brook|river|lake|forest|church|road|day|family|services?|garden|{'|'.join(sorted(_BUILDING_WORDS))})\b"
)
#: A place's first word standing right before a pair of capitalised words: "North Carolina Rule"
#: is a state and a word, "San Diego Union" a city and a word, "SAINT LOUIS MO" a city and a state.
_PLACE_BEFORE = regex.compile(r"(?<![\p{L}'’\-.])(?:North|South|East|West|New|San|Santa|Los|Las|Fort|Port|Mount|"
                              r"Saint|NORTH|SOUTH|EAST|WEST|NEW|SAN|SANTA|LOS|LAS|FORT|PORT|MOUNT|SAINT)[ ]$")
_CAP = r"\p{Lu}[\p{L}'’]*(?:-\p{Lu}[\p{L}'’]*)?"
_FIRST_LAST = regex.compile(
    # A middle initial, or a nickname in brackets ("Robert (Bob) Smith"), may stand between.
    rf"(?<![\p{{L}}'’\-.])(?P<first>{_CAP})(?: \p{{Lu}}\.?| \({_CAP}\))? (?P<last>{_CAP})(?![\p{{L}}'’\-])")
_LAST_FIRST = regex.compile(
    rf"(?<![\p{{L}}'’\-.])(?P<last>{_CAP}),[ ]?(?P<first>{_CAP})(?: \p{{Lu}}\.?)?(?![\p{{L}}'’\-])")
_NAME_PART = r"\p{Lu}[\p{L}'’\-]*\.?"
#: "Jane Roe <jroe@example.com>": the words before an address in angle brackets name its owner.
#: Outlook writes it "Roe, Jane" <jroe@example.com>.
_DISPLAY_NAME = regex.compile(rf"(?<![\p{{L}}'’\-])[\"']?(?P<value>{_CAP}(?:[ \t]+\p{{Lu}}\.?)?(?:[ \t]+{_CAP}){{1,2}}"
                              rf"|{_CAP},[ \t]*{_CAP}(?:[ \t]+\p{{Lu}}\.?)?)"
                              r"[\"']?[ \t]*<[^<>@\s]+@[^<>\s]+>")
#: A display name in lower case, as a client fills it from the address ("geronazzo <geronazzo@…>").
_LOWER_DISPLAY_NAME = regex.compile(r"(?<![\p{L}'’\-.@])[\"']?(?P<value>\p{Ll}[\p{Ll}'’\-]{2,}"
                                    r"(?:[ \t.]\p{Ll}[\p{Ll}'’\-]+)?)[\"']?[ \t]*<(?P<local>[^<>@\s]+)@[^<>\s]+>")
_OWN_ADDRESS_HOW = "display name spelling its address"
_HONORIFIC = regex.compile(rf"(?<![\w])(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+(?P<value>(?:{_NAME_PART}[ \t]+){{0,2}}"
                           r"\p{Lu}[\p{L}'’\-]+)")
#: Labels (form fields, table headers, JSON keys) whose value is a person's name.
PERSON_LABELS = (
    r"(?:(?:owner|applicant|employee|patron|rider|member|client|resident|tenant|decedent|payee|student|"
    r"parent|guardian|contact|account\s+holder|full|print(?:ed)?|legal|maiden|middle|first|last|given|"
    r"family|sur)[\s_\-]*)?name(?:\s*\((?:last|first)[^)]*\))?|first[\s_]?name|last[\s_]?name|"
    r"complainant|applicant|owner|property\s+owner|homeowner|resident|witness|victim|tenant|caller|"
    r"reporting\s+party|rp|payee|payer|requester|requestor|contact\s+person|cardholder|card\s+holder|"
    r"driver|operator|parent|guardian|spouse|emergency\s+contact|patient|client|landlord|decedent|"
    r"deceased|next\s+of\s+kin|beneficiary|retiree|patron|rider|student|owner\s+of\s+record|"
    r"account\s+holder|employee|arrestee|juror|voter|registrant|claimant|donor|holder|appellant|petitioner|"
    r"respondent|plaintiff|defendant|buyer|seller|purchaser|grantor|grantee|mortgagor|mortgagee|lessee|"
    r"permittee|licensee|speaker|maker|drawer|remitter|nombre"
)
_PERSON_LABEL = regex.compile(rf"(?i)^(?:{PERSON_LABELS})$")
#: Labels that name a field holding only a name (not a role): one word after them is a name.
_NAME_FIELD = regex.compile(r"(?i)^(?:(?:first|last|given|family|sur|middle|maiden|owner|applicant|employee)"
                            r"[\s_\-]*)?name$")
#: A chat or transcript speaker: "[14:03] Lachlan Briggs: ok its ...".
_SPEAKER = regex.compile(r"(?m)^(?P<stamp>\[[^\]\n]{1,24}\][ \t]*)?"
                         r"(?P<value>\p{Lu}[\p{L}'’\-]+(?: \p{Lu}[\p{L}'’\-]+){1,2})(?: \([^)\n]{1,40}\))?:[ \t]")
_FORM_LABEL = regex.compile(
    rf"(?i:(?<![\p{{L}}])(?:{PERSON_LABELS}))[\"']?[ \t]*[:#][ \t]*[\"']?"
    rf"(?P<value>\p{{Lu}}[\p{{L}}'’\-]+(?:(?:,[ \t]?| ){_NAME_PART}){{0,3}})(?![\p{{L}}\p{{N}}'’\-])")


_AFTER_ROLE = regex.compile(rf"(?<![\p{{L}}])(?i:{_PRIVATE_ROLES}),?[ \t]+"
                            rf"(?P<value>\p{{Lu}}[\p{{L}}'’\-]+(?:[ \t]+{_NAME_PART}){{0,2}})"
                            # Not the start of a longer run of capitalised words: an organisation's
                            # name ("Petitioner Tarrant Regional Water District").
                            rf"(?![\p{{L}}\p{{N}}'’\-]|[ \t]+\p{{Lu}})")


#: A relative, a partner or a neighbour named after the word for them ("my husband Gerhard", "his
#: daughter Ewa", "mother Halima reachable at ..."): family members are private people.
_KIN = (r"husband|wife|spouse|partner|son|daughter|child|mother|father|mom|dad|brother|sister|grandmother|"
        r"grandfather|grandson|granddaughter|grandma|grandpa|aunt|uncle|niece|nephew|cousin|fianc[eé]e?|"
        r"boyfriend|girlfriend|stepson|stepdaughter|stepmother|stepfather|neighbou?r|roommate|caregiver")
_AFTER_KIN = regex.compile(rf"(?<![\p{{L}}])(?i:{_KIN}),?[ \t]+"
                           rf"(?P<value>\p{{Lu}}[\p{{L}}'’\-]+(?:[ \t]+{_NAME_PART}){{0,2}})(?![\p{{L}}\p{{N}}'’\-])")


#: A table cell (pipe or tab separated) holding capitalised words, e.g. "| O'BRIEN, CORMAC |".
_TABLE_CELL = regex.compile(r"(?:^|(?<=[|\t,]))[ ]*\"?(?P<value>\p{Lu}[\p{L}'’\-.]*(?:,? \p{Lu}[\p{L}'’\-.]*){0,3})"
                            r"\"?[ ]*(?=[|\t,]|$)", regex.MULTILINE)


def _word(token: str) -> str:
    return token.strip(".,;:()\"'“”").casefold()


def _word_or_part_in(word: str, names: frozenset[str]) -> bool:
    """Whether ``word`` (case-folded), or a part of it between hyphens, is in ``names``."""
    return any(part in names for part in {word, *word.split("-")} if part)


def _is_given(token: str, wide: bool = False) -> bool:
    """A given name (or a hyphenated one with a given name in it) in the Census lists, or, when
    ``wide``, in the lists of other origins too: those serve only beside a surname."""
    word = _word(token)
    return _word_or_part_in(word, given_names()) or (wide and _word_or_part_in(word, more_given_names()))


def _is_surname(token: str, wide: bool = False) -> bool:
    """A surname of the Census lists (of other origins too when ``wide``); a double-barrelled one
    ("Reyes-Lindgren") when each of its parts is one."""
    names = surnames()
    more = more_surnames() if wide else frozenset()

    def known(word: str) -> bool:
        return any(form in names or form in more for form in (word, word.replace("'", "")))

    word = _word(token).replace("’", "'")
    parts = word.split("-")
    return known(word) or (len(parts) > 1 and all(part and known(part) for part in parts))


def _is_any_name(token: str) -> bool:
    """A given name or a surname of any list, those of other origins too."""
    return _is_given(token, wide=True) or _is_surname(token, wide=True)


def _is_word(last: str) -> bool:
    """A surname that is also an English word ("Valley", "Union"), or has one in it."""
    return _word_or_part_in(_word(last).replace("’", "'"), word_surnames())


def _given_and_surname(first: str, last: str) -> bool:
    """A given name and a surname, of the Census lists or of the lists of other origins. A given
    name only those know goes with a surname that is no English word: "Simi Valley" is a place."""
    if not _is_surname(last, wide=True):
        return False
    return _is_given(first) or (_word_or_part_in(_word(first), more_given_names()) and not _is_word(last))


def _unknown(word: str) -> bool:
    """A capitalised word of letters on no name list, no English word (WordNet's index holds
    places and common words: "Texas", "Amazon") and no form word: "Achebe", "Haruto"."""
    w = _word(word)
    return (len(w) >= 3 and w.isalpha() and word[:1].isupper() and word[1:].islower()
            and w not in _STOP and w not in _PARTICLES and w not in _PLACE_PREFIXES
            and not _is_any_name(word) and not is_english_word(w))


#: The separators of a list: "Yvonne Leclair, Art Petrakis", "Art Petrakis and Kenji Watanabe".
_LIST_BEFORE = regex.compile(r"(?:,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+)$")
_LIST_AFTER = regex.compile(r",[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+")
_CAPITALISED_BEFORE = regex.compile(r"\p{Lu}[\p{L}'’\-]*\.?[ \t]+$")
#: A generation's suffix after a name ("Temitope Oyelaran Sr.") is no other capitalised word.
_SUFFIX = r"(?:,?[ \t]+(?:Jr|Sr|II|III|IV)(?![\p{L}])\.?)?+"
_CAPITALISED_AFTER = regex.compile(rf"{_SUFFIX}[ \t]+\p{{Lu}}")


def _unlisted_half(text: str, start: int, first: str, last: str) -> bool:
    """A pair one of whose words the lists know and the other no list nor dictionary does: a
    Census given name before it ("Winston Achebe"), or a surname of any list that is no given
    name or word after it ("Haruto Sato", "Pernelle CARRON"; "Lockheed Martin" is a company,
    Martin a given name). The surname's partner starts the run of capitalised words: in
    "David H. Raizman Ogletree Deakins" the firm's name follows a person's."""
    given = _word(first)
    if _is_given(first) and given not in WORD_NAMES and given not in _SINGLE_STOP and given not in _STOP \
            and given not in _PARTICLES and _unknown(last):
        return True
    return (len(first) >= 4 and _unknown(first) and _is_surname(last, wide=True)
            and (last[1:].islower() or len(last) >= 4) and not _is_given(last, wide=True)
            and not _is_word(last) and not is_english_word(_word(last))
            and not _CAPITALISED_BEFORE.search(text, max(0, start - 30), start))


#: Names' words seldom run past twelve letters; other languages' words do ("Fortbildungsbereich").
_NAME_WORD_MAX = 12
_WORD_BEFORE_ON_LINE = regex.compile(r"(\p{L}+)[^\p{L}\n]*\Z")
_WORD_AFTER_ON_LINE = regex.compile(rf"{_SUFFIX}[^\p{{L}}\n]*(\p{{L}}+)")


def _mailbox_name(name: str) -> bool:
    """A display name of English words of which none is a given name, or whose last is no name's:
    a mailbox's or a firm's ("Customer Service", "Discover Card", "Bill Payments"), not a person's
    ("Grant Wood", "Hope Hill"; "Temitope Oyelaran" is no English). Not :func:`_no_name`, which
    keeps a word that is a surname ("Card", "Service", "Mail" are): in a display name those are a
    mailbox's."""
    words = [w for w in name.replace(",", " ").split() if len(_word(w)) > 1]
    if not words:
        return False
    if not any(_is_given(w, wide=True) for w in words) and all(is_english_word(_word(w)) for w in words):
        return True
    # A given name first, but last an English word no surname list holds: "Bill Payments", "Grant
    # Notifications" ("Mark Banks", "Hope Hill", "Will Power" are surnames, and persons).
    last = words[-1]
    return len(words) > 1 and is_english_word(_word(last)) and not _is_any_name(last)


def _unknown_pair(first: str, last: str) -> bool:
    """Two words of four to twelve letters that no list nor dictionary knows: "Temitope Oyelaran"."""
    return all(4 <= len(word) <= _NAME_WORD_MAX and _unknown(word) for word in (first, last))


def _among_english(text: str, start: int, end: int) -> bool:
    """Whether the words around a pair on its line are English and the next is not capitalised:
    "I met Temitope Oyelaran.", "Tenant Babajide Oyelaran", but not a place's or a firm's name
    ("Quinapoxet Wachusett Trail") nor text of another language ("Amtlicher Teil des GMBl",
    "Commercialista - Revisore Contabile")."""
    if _CAPITALISED_AFTER.match(text, end):
        return False
    before = _WORD_BEFORE_ON_LINE.search(text, max(0, start - 40), start)
    after = _WORD_AFTER_ON_LINE.match(text, end, min(len(text), end + 40))
    return all(_reads_english(word.group(1).casefold()) for word in (before, after) if word)


def _reads_english(word: str) -> bool:
    # WordNet holds short words of other languages as abbreviations ("de", "des"): a short word
    # must be a form word or an irregular form ("met") to say the text is English.
    return word in FUNCTION_WORDS or word in irregular_forms() or (len(word) >= 4 and is_english_word(word))


#: An e-mail address's local part ("omari.blackwood" of omari.blackwood86@me.com).
_ADDRESS_LOCAL = regex.compile(r"(?<![\w.+\-])([\w.+\-]{3,64})@[\w\-]+\.[\w.\-]+")


def _letters(text: str) -> str:
    """Lower-case ASCII letters only: "Blackwood-Ó" -> "blackwoodo"."""
    return "".join(ch for ch in normalize("NFKD", text.casefold()) if "a" <= ch <= "z")


def _address_keys(text: str) -> frozenset[str]:
    """The letters of each e-mail address's local part in ``text``."""
    if "@" not in text:
        return frozenset()
    return frozenset(_letters(m.group(1)) for m in _ADDRESS_LOCAL.finditer(text, timeout=regex_timeout()))


def _in_address(first: str, last: str, keys: frozenset[str]) -> bool:
    """Whether an address in the text is this person's own: first.last, firstlast, flast, last.first
    (digits and separators aside). A pair of capitalised words spelt out in a private address beside
    them is a name the lists may lack ("Omari Blackwood ... omari.blackwood@me.com")."""
    f, la = _letters(first), _letters(last)
    return len(f) >= 2 and len(la) >= 2 and bool({f + la, la + f, f[:1] + la} & keys)


def _spells_own_address(name: str, local: str) -> bool:
    """Whether a lower-case display name spells its own address's local part and is no English:
    "geronazzo <geronazzo@…>", "mario rossi <mario.rossi@…>" name the person the address is,
    "info <info@…>", "billing <billing@…>" a mailbox."""
    words = regex.split(r"[ \t.]", name)
    # A word of one letter repeated is a test file's mask ("xxxxx xxxx <xxxxx.xxxx@…>").
    if any(is_english_word(_word(w)) or _word(w) in FUNCTION_WORDS or len(set(w)) < 2 for w in words):
        return False
    key = _letters(local)
    return _letters(name) == key or (len(words) == 2 and _in_address(words[0], words[1], frozenset({key})))


#: How the patterns that read capitalised words as a name with nothing around them saying so
#: explain a tag (the explanation a finding shows the officer).
_MODEL_HOW = "spaCy NER"
_PAIR_HOW = "given name + surname"
_HALF_LISTED_HOW = "given name + surname on no list"
_UNLISTED_PAIR_HOW = "pair of words on no list"
_LISTED_HOW = "name in a list of names"
_LAST_FIRST_HOW = "surname, given name"
#: A U.S. place's name read by one of them is the place ("Long Beach", "Chula Vista" in a table of
#: layoffs); so is a count's candidate on a page of an election's results.
_BARE_HOWS = frozenset({_MODEL_HOW, _PAIR_HOW, _HALF_LISTED_HOW, _UNLISTED_PAIR_HOW, _LISTED_HOW, _LAST_FIRST_HOW})
#: A place's last word that is also a surname ("Beverly Hills", "Dana Point", "Bonita Springs"):
#: with a given name before it, still a place. Not "Park", "Hill", "Lake": "Allison Park" and
#: "Morgan Hill" are persons as often.
_PLACE_WORDS = frozenset({"beach", "hills", "springs", "valley", "city", "point", "creek", "grove", "heights",
                          "falls", "harbor", "island", "gardens", "oaks", "mesa", "vista", "ridge", "lakes"})


def _names_a_place(value: str) -> bool:
    """Whether capitalised words are a U.S. place's name (see gazetteer.us_places), unless they read
    as a given name and a surname the place's last word is not ("Allen Park", "Carol Stream", "Van
    Buren" may be persons; "Beverly Hills" is a place)."""
    key = " ".join(value.casefold().split())
    if key not in us_places():
        return False
    words = key.split()
    return not (len(words) == 2 and _is_given(words[0]) and _is_surname(words[1]) and words[1] not in _PLACE_WORDS)


def _plausible_last(token: str) -> bool:
    word = _word(token)
    return len(word) >= 2 and word not in _STOP and word not in _STREET_WORDS


_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
#: What follows a day's or month's abbreviation in a date (the model tags "Thu" of a mail header's
#: date as a name): ", 13 Jun", ", Jun 1", " 12 10:00".
_DATE_AFTER = regex.compile(rf"\.?,?[ \t]+(?:\d{{1,2}}(?:[ \t]+{_MONTH}\b|[ \t]+\d{{1,2}}:\d\d)|{_MONTH}\.?[ \t]+\d)")
#: "Mrs. Sun, 13 Jun ...": after an honorific the word is a surname, whatever follows.
_HONORIFIC_BEFORE = regex.compile(r"(?i)\b(?:mr|mrs|ms|miss|mx|dr)\.?[ \t]*$")


# Compiled once: looked for in every candidate name (clean_person_span, PersonRecognizer._candidates).
_NAME_END = regex.compile(r"\n|\t| {3}|(?<![\p{L}])(?!(?:jr|sr|st|mt|sgt|det|capt|col|gen|gov|rev|hon|mrs|atty)\.)"
                          r"\p{L}{3,}\K\.\s", regex.IGNORECASE)
_PO_BOX = regex.compile(r"(?i)(?<![\p{L}])p\.?[ \t]?o\.?[ \t]*box\b")
_LAST_WORD = regex.compile(r"[\s,]+(\S+)$")
_ENDS_IN_NAME = regex.compile(r"\p{Lu}[\p{L}'’\-]+$")
_LIST_ITEM = regex.compile(r"[^,;]+")


@lru_cache(maxsize=1024)
def _mention(part: str) -> regex.Pattern:
    """A part of a name, whole, not followed by a capitalised word ("Fitzpatrick Roofing" is a
    business). Kept here, not in the regex module's cache (see detect.terms.term_regex)."""
    return regex.compile(rf"(?<![\p{{L}}'’\-]){regex.escape(part)}(?![\p{{L}}'’\-]| \p{{Lu}})", cache_pattern=False)


def _cited_case_parties(text: str) -> list[tuple[int, int]]:
    """Where the names of cited cases stand, their sovereign-free parties' (see _CITED_CASE)."""
    return [(m.start(), m.end("second")) for m in _CITED_CASE.finditer(text, overlapped=True, timeout=regex_timeout())
            if not _SOVEREIGN.match(m.group("first")) and not _SOVEREIGN.match(m.group("second"))]


def clean_person_span(text: str, start: int, end: int, named: bool = False) -> tuple[int, int] | None:
    """Trim titles, possessives and line breaks from a PERSON span; None if it is not a name.
    ``named``: the text says a person is named here (a role word, a label, an honorific before it),
    so a common surname that is also a word ends the name ("Complainant Peter Hall")."""
    span = text[start:end]
    while span and span[0] in " ,(\"'“":
        start += 1
        span = span[1:]
    m = _LEADING_NOISE.match(span)
    if m:  # "Dear Hannah", "... at 10:07 PM Anita Novak <...> wrote:"
        start += m.end()
        span = span[m.end():]
    m = HONORIFICS.match(span)
    if m:
        start += m.end()
        span = span[m.end():]
    # A name does not run over a line break, a field gap (a tab, three spaces) or a sentence
    # end ("Mr. Nowak. Decedent: ..."); abbreviations such as "Jr." or "Sgt." are no sentence end.
    cut = _NAME_END.search(span)
    if cut is not None:
        end = start + cut.start()
        span = span[:cut.start()]
    m = _INSTITUTION_AFTER.search(span) or _LABEL_AFTER.search(span)
    if m is not None:
        # "Gregory Szabo Town Administrator" (a signature read without its line break): the name
        # ends where the office begins, so the allow-lists see the name as it is.
        end = start + m.start()
        span = span[:m.start()]
    if _PO_BOX.search(span):
        return None  # "P.O. Box" ("P.O." is also a police officer's title)
    if _LEADING_TITLE.match(span):
        return None  # "Town Clerk Patricia Lemieux": an official, named in office
    m = _LEADING_ROLE.match(span)
    if m:  # "Clerk Patricia Lemieux" after "City": judge the title with the word before it
        start += m.end()
        span = span[m.end():]
    # The model's tag may end with a gap's spaces ("Yard DC  20374"): the label before them is the last word.
    end -= len(span) - len(span.rstrip())
    span = span.rstrip()
    while True:
        m = _LAST_WORD.search(span)
        if m is None or m.group(1).strip(".,").casefold() not in _TRAILING_LABELS:
            break
        end -= len(span) - m.start()
        span = span[:m.start()]
    while span and (span[-1] in " ,;:)" or span.endswith(("'s", "’s"))):
        trim = 2 if span.endswith(("'s", "’s")) else 1
        end -= trim
        span = span[:-trim]
    if len(span) < 2 or not span[0].isupper():
        return None
    title = HONORIFICS.match(span + " ")
    if title is not None and title.end() >= len(span):
        return None  # "Rev" of "Name: Rev.John Ntepe": a title alone
    if any(ch.isdigit() or ch in "@/\\_#:|=<>[]{}" for ch in span) or span.count("(") != span.count(")"):
        return None  # "Awd) LoA" runs over a bracket's end; "Robert (Bob) Smith" is a name
    raw_tokens = span.replace(",", " ").split()
    tokens = [_word(t) for t in raw_tokens]
    surname_word = named and bool(tokens) and tokens[-1] in _SURNAMES_ALSO_STOPPED and (
        len(tokens) == 1 or (_is_given(tokens[0], wide=True) and not any(t in _STOP for t in tokens[:-1])))
    if not tokens or (all(t in _STOP for t in tokens) and not surname_word) or len(tokens) > 4:
        return None
    if any(not (t.lstrip("(")[:1].isupper() or _word(t) in _PARTICLES) for t in raw_tokens):
        return None  # "G.L. c", "the Board"
    ends_in_a_word = tokens[-1] in _STREET_WORDS or tokens[-1] in _STOP or (tokens[-1] in _PARTICLES and (
        len(tokens) < 2 or not raw_tokens[-1][:1].isupper()))
    if ends_in_a_word and not surname_word:
        return None  # "Liberty St", "ZBA Case", "Número de"; "Hung Quoc Le" ends in a surname
    segments = [seg.split() for seg in span.split(",")]
    if any(len(seg) > 1 and _word(seg[-1]) in _STREET_WORDS for seg in segments[:-1]):
        # "Orchard Lane, Millbrook": a street and its town (its words would otherwise be taken for
        # parts of a name and redacted wherever the town is named).
        return None
    if len(tokens) > 1 and tokens[0] in _PLACE_PREFIXES:
        return None  # "North Adams", "West Springfield"
    if _PLACE_BEFORE.search(text[max(0, start - 10):start]):
        return None  # "North Carolina Rule of Appellate Procedure"
    if len(tokens) == 1 and span.isupper() and len(span) <= 4:
        return None
    if all(t in CALENDAR_ABBREVIATIONS for t in tokens) and _DATE_AFTER.match(text, end) \
            and not _HONORIFIC_BEFORE.search(text, max(0, start - 8), start):
        return None  # "Thu, 13 Jun 2019" in a Date header, "Thu Sep 12 10:00:00" in an mbox From_ line
    if _AFTER_NOT_PERSON.match(text[end:end + 24]) or _PARTY_AFTER.match(text, end):
        return None
    if PUBLIC_TITLES.search(text[max(0, start - 30):start]) or TITLE_AFTER.match(text, end):
        return None
    if _ANIMAL_CONTEXT.search(text[max(0, start - 40):start]):
        return None  # "Dog name: Murphy", "a brindle pit mix, 'Rocco'"
    if _ANIMAL_AFTER.match(text[end:end + 40]):
        return None  # "tag no. 2026-0118: Rocco, beagle"
    return start, end


def _no_name(span: str) -> bool:
    """A model's tag of several words, none a name in any list, that are a heading or a term of art
    far more often than a person: long capitalised words ("Airworthiness Directive"), or English
    words ("Logarithmic Equations", "Six Arrow Styles")."""
    words = span.split()
    if len(words) < 2:
        return False
    english = [is_english_word(_word(w)) for w in words]
    if all(english) and not _is_any_name(words[0]):
        # A name starts with a given name or a surname; English words that do not are a term even
        # when a later one is a surname ("Aircraft Maintenance Manual", "United States Code").
        return True
    if any(_is_any_name(w) for w in words):
        return False
    if all(english):
        return True
    # Long words of no language this knows may be a name of another origin ("Temitope Oyelaran");
    # with an English word among them, or longer than names run, they are a term.
    return all(w[:1].isupper() and w[1:].islower() and len(w) > 7 for w in words) \
        and (any(english) or any(len(w) > _NAME_WORD_MAX for w in words))


_LAST_WORD_OF_TAG = regex.compile(r"[ \t,]+(\S+)$")


def _without_trailing_term(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A model's tag without a last word no name ends with: an English word of three letters or
    more on no list of given names or surnames ("Matthew P. Kralovec Counsel for ...", "Charles R.
    Goodwin Docket No."). A tag of two words ending so is a term, no name ("Iron Roughneck", "Wright
    Flyer", "Notice Thereof"; its other word lends nothing: the last word makes it a term), and so
    is a tag ending with a building's word ("Thomas F. Eagleton Courthouse"). A name of two words
    ends with a surname, and the Census lists hold the English words that are one ("Mark Banks",
    "Crane Crew"); an initial is no word ("Patrick H.")."""
    m = _LAST_WORD_OF_TAG.search(text, start, end)
    if m is None:
        return start, end
    last = m.group(1)
    word = _word(last)
    if word in _BUILDING_WORDS:
        return None
    if len(word) < 3 or not is_english_word(word) or _is_any_name(last):
        return start, end
    if len(text[start:m.start()].split()) < 2:
        return None
    return start, m.start()


_FIRST_WORD = regex.compile(r"(\S+)[ \t,]+")


def _without_leading_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A model's tag without the words before the name that no name holds ("Layoff Unknown",
    "Plaintiff Jane Roe"); a given name is kept ("Bill Johnson", though "bill" heads invoices)."""
    while True:
        m = _FIRST_WORD.match(text, start, end)
        if m is None or _word(m.group(1)) not in _STOP or _is_given(m.group(1)):
            return start, end
        start = m.end()
        if start >= end or not text[start].isupper():
            return None


_KIN_HOW = "name after a word for a relative"
_GREETING_HOW = "name after a greeting"
#: Given names of some list that a greeting uses as words ("Hi Honey", "Hello Sunshine").
_ENDEARMENTS = frozenset({"honey", "buddy", "sunshine", "love", "babe", "baby", "angel", "sweetie", "sweetheart",
                          "darling", "dude", "pal", "mate", "boss", "chief", "doc", "coach", "guy", "guys"})
#: A letter's or a message's greeting and the name it ends with ("Hi Temitope,", "Dear Ngozi Okafor:").
_GREETING = regex.compile(
    r"(?<![\p{L}])(?i:dear|hi|hey|hello|greetings|good[ \t]+(?:morning|afternoon|evening)|bonjour|buongiorno|hola|"
    rf"hallo|ciao)[ \t]+(?P<value>{_CAP}(?:[ \t]+{_CAP})?)(?=[ \t]*(?:[,:;!.\-–—]|\r?\n|$))")


def _greeted(words: list[str]) -> int:
    """How many of the words after a greeting are a name, not a group, a title or an endearment
    ("Hi Team", "Dear Sir", "Hi Honey"): a given name of any list, though it is a word or a town
    elsewhere ("Hi Will", "Hi Sharon"), or a word on no list; then a surname or such a word ("Hi
    Ibrahim Thanks!" greets Ibrahim). WordNet's index holds names ("Ibrahim"), so it is not asked."""
    first = words[0]
    if _LEADING_TITLE.match(f"{first} ") or not (
            _unknown(first) or (_is_given(first, wide=True) and _word(first) not in _ENDEARMENTS)):
        return 0  # "Hi Sgt. Roe": a title, and the name after it the title's (see TITLE_AFTER)
    return 2 if len(words) > 1 and (_unknown(words[1]) or _is_surname(words[1], wide=True)) else 1


class PersonRecognizer(EntityRecognizer):
    """PERSON from the spaCy NER pipeline, checked, and names found by shape."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="PersonRecognizer", supported_language="en")

    def load(self) -> None:
        pass

    def _candidates(self, text: str, nlp_artifacts: NlpArtifacts | None) -> list[tuple[int, int, float, str]]:
        found: list[tuple[int, int, float, str]] = []
        if nlp_artifacts is not None:
            for ent in nlp_artifacts.entities:
                if ent.label_ == "PERSON":
                    found.append((ent.start_char, ent.end_char, 0.6, _MODEL_HOW))
        for m in _HONORIFIC.finditer(text, timeout=regex_timeout()):
            found.append((m.start("value"), m.end("value"), 0.7, "name after honorific"))
        for m in _FORM_LABEL.finditer(text, timeout=regex_timeout()):
            label = text[m.start():m.start("value")].strip(" \t:#\"'")
            how = "name field" if _NAME_FIELD.match(label) else "name after form label"
            found.append((m.start("value"), m.end("value"), 0.65, how))
        for m in _AFTER_ROLE.finditer(text, timeout=regex_timeout()):
            # Capitalised words after "Applicant" may be a form's heading ("Applicant Information"):
            # a given name first or a surname last says they are a name.
            words = m.group("value").split()
            if _is_given(words[0]) or _is_surname(words[-1]):
                found.append((m.start("value"), m.end("value"), 0.65, "name after a role word"))
        for m in _AFTER_KIN.finditer(text, timeout=regex_timeout()):
            # A name, not a title or a word ("her father Officer Smith", "the mother Superior"):
            # a given name of any list (a word too: "my son Will"), a word of none, or a surname last.
            words = m.group("value").split()
            if _is_given(words[0], wide=True) or _unknown(words[0]) or (len(words) > 1 and _is_surname(words[-1])):
                found.append((m.start("value"), m.end("value"), 0.65, _KIN_HOW))
        for m in _GREETING.finditer(text, timeout=regex_timeout()):
            words = m.group("value").split()
            named = _greeted(words)
            if named:
                end = m.end("value") if named == len(words) else m.start("value") + len(words[0])
                found.append((m.start("value"), end, 0.65, _GREETING_HOW))
        for m in _TABLE_CELL.finditer(text, timeout=regex_timeout()):
            header = column_header(text, m.start("value"))
            if header and _PERSON_LABEL.match(header.strip(" *:")):
                how = "name field" if _NAME_FIELD.match(header.strip(" *:")) else "name column of a table"
                found.append((m.start("value"), m.end("value"), 0.65, how))
        for m in _SPEAKER.finditer(text, timeout=regex_timeout()):
            # A form label at a line start looks the same ("Federal Tax ID: ..."): without a chat
            # time stamp, the words must be a given name and a surname.
            words = m.group("value").split()
            if m.group("stamp") or _given_and_surname(words[0], words[-1]):
                found.append((m.start("value"), m.end("value"), 0.6, "speaker in a chat or transcript"))
        for m in _DISPLAY_NAME.finditer(text, timeout=regex_timeout()):
            if not _mailbox_name(m.group("value")):
                found.append((m.start("value"), m.end("value"), 0.65, "display name of an email address"))
        for m in _LOWER_DISPLAY_NAME.finditer(text, overlapped=True, timeout=regex_timeout()):
            if _spells_own_address(m.group("value"), m.group("local")):
                found.append((m.start("value"), m.end("value"), 0.65, _OWN_ADDRESS_HOW))
        keys = _address_keys(text)
        listed: list[tuple[int, int]] = []
        for m in _FIRST_LAST.finditer(text, overlapped=True, timeout=regex_timeout()):
            first, last = m.group("first"), m.group("last")
            if not _plausible_last(last):
                continue
            if _given_and_surname(first, last) and _word(first) not in WORD_NAMES:
                # Not "Johnson Controls", "Rose Garden": no surname, or a given name that is a word.
                found.append((m.start(), m.end(), 0.6, _PAIR_HOW))
            elif _given_and_surname(first, last) and not _is_word(last):
                listed.append((m.start(), m.end()))  # "Art Petrakis": a name in a list of names
            elif keys and (_is_given(first, wide=True) or (_is_surname(last, wide=True) and not _is_word(last))) \
                    and _word(first) not in _STOP and _in_address(first, last, keys):
                # One of the two a name, and the pair spelt out in an address beside it. A company
                # spells its name so too: "Animal Control", "Western Union" (a surname, but a word).
                found.append((m.start(), m.end(), 0.6, "name spelt out in an e-mail address"))
            elif _unlisted_half(text, m.start(), first, last):
                found.append((m.start(), m.end(), 0.6, _HALF_LISTED_HOW))
            elif _unknown_pair(first, last):
                if _among_english(text, m.start(), m.end()):
                    found.append((m.start(), m.end(), 0.6, _UNLISTED_PAIR_HOW))
                else:
                    listed.append((m.start(), m.end()))  # "Temitope Oyelaran, Ngozi Okafor"
        for m in _LAST_FIRST.finditer(text, overlapped=True, timeout=regex_timeout()):
            first, last = m.group("first"), m.group("last")
            before = text[max(0, m.start() - 30):m.start()].rstrip()
            word_before = _ENDS_IN_NAME.search(before)
            if word_before and not _PERSON_LABEL.match(word_before.group(0)):
                # "Angela Russo, Peter Szymanski" is two names, not "Russo, Peter"; a label
                # before ("NAME KRAUSE, DIETRICH") is no name.
                continue
            caps = last.isupper() and first.isupper() and len(_word(first)) >= 3
            if _plausible_last(last) and _word(first) not in _STOP and _word(first) not in WORD_NAMES and (
                    _given_and_surname(first, last) or (_is_given(first) and last.isupper())
                    or (caps and (_is_given(first) or _is_surname(last)))):
                found.append((m.start(), m.end(), 0.6, _LAST_FIRST_HOW))
        # A given name that is a word, or a pair on no list, is a name in a list beside another:
        # "Yvonne Leclair, Art Petrakis, and Kenji Watanabe", "Temitope Oyelaran, Ngozi Okafor".
        starts = {s for s, _, _, _ in found}
        ends = {e for _, e, _, _ in found}
        for start, end in listed:
            before = _LIST_BEFORE.search(text, max(0, start - 8), start)
            after = _LIST_AFTER.match(text, end)
            if (before and before.start() in ends) or (after and after.end() in starts):
                found.append((start, end, 0.6, _LISTED_HOW))
        # A list of names is several names: "Angela Russo, Peter Szymanski".
        split: list[tuple[int, int, float, str]] = []
        for start, end, score, how in found:
            parts = list(_LIST_ITEM.finditer(text[start:end]))
            if len(parts) > 1 and all(len(p.group(0).split()) >= 2 for p in parts):
                for p in parts:
                    split.append((start + p.start(), start + p.end(), score, how))
            else:
                split.append((start, end, score, how))
        return split

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                ) -> list[RecognizerResult]:
        """Clean every candidate; keep one-word names only with evidence (see module docstring)."""
        companies = company_names(text, timeout=regex_timeout())
        ballot: list[bool] = []  # whether the text is an election's results, read once if ever asked

        def candidate(end: int) -> bool:
            """A name followed by a count alone, on a page of an election's results."""
            if not _COUNT_AFTER.match(text, end):
                return False
            if not ballot:
                parties = _PARTY_COUNT.finditer(text, timeout=regex_timeout())
                ballot.append(sum(1 for _ in islice(parties, _BALLOT_FROM)) == _BALLOT_FROM)
            return ballot[0]

        cases = _cited_case_parties(text) if " v" in text else []
        cleaned: list[tuple[int, int, float, str]] = []
        terms: list[str] = []
        for start, end, score, how in self._candidates(text, nlp_artifacts):
            # A display name spelling its address is lower case by nature; its pattern bounds it.
            span = (start, end) if how == _OWN_ADDRESS_HOW else clean_person_span(
                text, start, end, named=how not in _BARE_HOWS and how != _GREETING_HOW)
            if span is not None and how == _MODEL_HOW:
                span = _without_leading_words(text, *span)
            if span is None:
                continue
            value = text[span[0]:span[1]]
            if names_a_company(value, companies) or (
                    how in _BARE_HOWS and (_names_a_place(value) or candidate(span[1])
                                           or any(s <= span[0] and span[1] <= e for s, e in cases))):
                continue
            if how == _MODEL_HOW:
                # After the company check: "Sandhill Amusements, Inc." is a firm, not a term.
                span = _without_trailing_term(text, *span)
                if span is None:
                    continue
                value = text[span[0]:span[1]]
                if _no_name(value):
                    terms.append(value)
                    continue
            cleaned.append((span[0], span[1], score, how))
        # Names lend their words to other mentions. So do the words of a tag dropped as a term
        # that are no English words ("Buongiorno Mariachiara" may be a greeting and a name); its
        # English words do not ("Regulatory Findings", "Flightcrew Training" make no name).
        multi = [text[s:e] for s, e, _, _ in cleaned if len(text[s:e].split()) > 1]
        lent = [w for term in terms for w in term.split() if not is_english_word(_word(w))]
        parts = [t for name in multi for t in name.replace(",", " ").split()] + lent
        multi_tokens = {_word(t) for t in parts}
        # Later mentions by one part of a name found here ("Jane Roe ... Roe called").
        for part in sorted({t.strip(",") for t in parts}):
            word = _word(part)
            if len(word) < 3 or word in WORD_NAMES or word in _STOP or not part[:1].isupper():
                continue
            for m in _mention(part).finditer(text):
                span = clean_person_span(text, m.start(), m.end())
                if span is not None:
                    cleaned.append((span[0], span[1], 0.6, "part of a name found nearby"))
        results = []
        for start, end, score, how in cleaned:
            words = text[start:end].split()
            if len(words) == 1 and how not in ("name after honorific", "name field", _KIN_HOW, _GREETING_HOW,
                                               _OWN_ADDRESS_HOW):
                # One word is a name only with evidence: a given name that is not an English
                # word, a surname under a name label, or part of a longer name found here.
                word = _word(words[0])
                evidence = word in multi_tokens or (word not in WORD_NAMES and (
                    _is_given(words[0]) or (how != _MODEL_HOW and _is_surname(words[0]))))
                if word in _SINGLE_STOP or not evidence:
                    continue
            results.append(make_result(self, "PERSON", start, end, score, how))
        return results


RECOGNIZERS = [PersonRecognizer]
