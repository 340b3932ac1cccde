"""Given names and surnames from the U.S. Census lists shipped in the ``names`` package (MIT).

Used to judge spaCy's one-word PERSON tags (is "Ludlow" a person or a town?) and
to find "First Last" and "LAST, First" names the small model misses.

The 1990 Census lists hold few names of other origins ("Kwame", "Haruto", "Owusu"), so a pair of
them went unfound. :func:`more_given_names` and :func:`more_surnames` add those of Faker's
locales (data/*_more.txt, see scripts/make_name_lists.py), without ordinary English words and
places; they are evidence only for a given name and a surname together, never for one word alone.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from nicknames import NickNamer

if TYPE_CHECKING:
    from spacy.lookups import Lookups


def _read(name: str) -> frozenset[str]:
    text = resources.files("names").joinpath(name).read_text(encoding="ascii")
    return frozenset(line.split()[0].casefold() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """About 5,000 given names, case-folded."""
    return _read("dist.male.first") | _read("dist.female.first")


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """About 89,000 surnames, case-folded."""
    return _read("dist.all.last")


def _read_data(name: str) -> frozenset[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def more_given_names() -> frozenset[str]:
    """About 16,000 given names of other origins than the Census lists', case-folded."""
    return _read_data("given_names_more.txt")


@lru_cache(maxsize=1)
def more_surnames() -> frozenset[str]:
    """About 11,000 surnames of other origins than the Census lists', case-folded."""
    return _read_data("surnames_more.txt")


@lru_cache(maxsize=1)
def word_surnames() -> frozenset[str]:
    """The Census surnames that are also ordinary English words ("Valley", "Union", "Math")."""
    return _read_data("surnames_words.txt")


@lru_cache(maxsize=1)
def us_places() -> frozenset[str]:
    """The names of two words or more of U.S. places of 15,000 people or more ("long beach",
    "chula vista"), case-folded (data/us_places.txt, see scripts/make_place_list.py)."""
    return _read_data("us_places.txt")


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=4096)
def nicknames_of(name: str) -> tuple[str, ...]:
    """The nicknames of a given name, capitalised as a signature writes them ("Raymond": "Ray"),
    from the ``nicknames`` package's hand-curated English list (Apache-2.0). The list comes from
    genealogy and is generous ("Will": "Fred"): use it only where the text around already says a
    name stands there."""
    return tuple(sorted(nick.capitalize() for nick in _nicknamer().nicknames_of(name)))


def on_a_name_list(word: str) -> bool:
    """Whether a case-folded word is a given name or a surname of the Census lists or of the lists
    of other origins."""
    return word in given_names() or word in surnames() or word in more_given_names() or word in more_surnames()


@lru_cache(maxsize=1)
def _lemmatizer_tables() -> Lookups:
    import spacy
    from spacy.lookups import Lookups

    from .settings import SPACY_MODEL

    found = sorted(spacy.util.get_package_path(SPACY_MODEL).glob("*/lemmatizer/lookups"))
    if not found:
        raise RuntimeError(f"the spaCy model {SPACY_MODEL} has no lemmatizer tables; reinstall it")
    return Lookups().from_disk(found[0])


@lru_cache(maxsize=1)
def irregular_forms() -> frozenset[str]:
    """English words' irregular forms ("met", "told", "children"), from WordNet's exceptions."""
    table = _lemmatizer_tables().get_table("lemma_exc")
    return frozenset(word for forms in table.values() for word in forms if word.isalpha())


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """About 82,000 English words (WordNet's nouns, verbs, adjectives and adverbs, and their
    irregular forms), from the lemmatizer tables the installed spaCy model ships (the engine loads
    it without them)."""
    index = _lemmatizer_tables().get_table("lemma_index")
    return frozenset(word for words in index.values() for word in words if word.isalpha()) | irregular_forms()


#: English words WordNet leaves out (it lists nouns, verbs, adjectives and adverbs only).
FUNCTION_WORDS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "and", "or", "but", "nor", "of", "in", "on", "at", "by",
    "for", "with", "from", "into", "onto", "upon", "about", "as", "if", "then", "than", "so", "not", "no", "yet",
    "i", "he", "she", "it", "we", "they", "you", "me", "him", "her", "us", "them", "my", "your", "his", "its", "our",
    "their", "who", "whom", "whose", "which", "what", "where", "when", "why", "how", "all", "any", "each",
    "every", "some", "such", "both", "either", "neither", "there", "here", "via", "per", "after", "before",
    "during", "since", "until", "while", "because", "although", "though", "whether", "among", "between",
    "within", "without", "against", "toward", "towards", "under", "over", "through", "throughout",
    "everyone", "everybody", "anyone", "anybody", "someone", "somebody", "nobody", "gentlemen",
})
#: Endings of inflected forms and what their stem may end in instead: "findings" -> "finding",
#: "policies" -> "policy", "removing" -> "remove", "planned" -> "plan".
_INFLECTIONS = (("ies", ("y",)), ("es", ("",)), ("s", ("",)), ("ing", ("", "e")), ("ied", ("y",)),
                ("ed", ("", "e")))


def is_english_word(word: str) -> bool:
    """Whether a case-folded word, or the stem of its inflected form, is English."""
    words = english_words()
    if word in words or word in FUNCTION_WORDS:
        return True
    for end, bases in _INFLECTIONS:
        if word.endswith(end) and len(word) > len(end) + 1:
            stem = word[:-len(end)]
            if any(stem + base in words for base in bases):
                return True
            if end in ("ing", "ed") and len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in words:
                return True  # "running", "planned"
    return False


#: Days' and months' abbreviations: "Thu" of a mail header's date, "Sat, Jun" of a quoted reply's
#: header (read as "Surname, Given"); no name list of other origins holds them.
CALENDAR_ABBREVIATIONS = frozenset({
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})


#: Given names that are also ordinary English words: alone, they are not evidence of a name.
WORD_NAMES = frozenset({
    "will", "mark", "bill", "art", "grant", "may", "june", "april", "august", "rose", "pat", "sue", "guy", "hope",
    "faith", "joy", "dawn", "page", "chase", "chance", "major", "price", "frank", "earnest", "ernest", "bob",
    "sunny", "summer", "autumn", "winter", "lane", "hunter", "carter", "mason", "miles", "royal", "ray", "rich",
    "sterling", "don", "jack", "jean", "gay", "lee", "bert", "dean", "penny", "ruby", "pearl", "iris", "ivy",
    "holly", "daisy", "violet", "amber", "crystal", "sky", "star", "angel", "christian", "justice", "harmony",
    "destiny", "trinity", "genesis", "march", "young", "king", "queen", "prince", "duke", "baron", "case",
    "wade", "drew", "reed", "rod", "gene", "cliff", "dale", "glen", "ferris", "buck", "colt", "sandy", "misty",
    "stormy", "bliss", "ace", "cash", "ma", "mo", "al", "ed", "in", "an", "so",
})


#: Capitalised words that are no part of a person's name, though a name's shape and the model
#: take them for one ("Select Board", "Dear Jane", "Johnson Controls").
NOT_NAME_WORDS = frozenset({
    # Greetings, headers and form words the model likes to tag.
    "dear", "re", "fw", "fwd", "subject", "from", "to", "cc", "bcc", "sent", "date", "thanks", "thank", "regards",
    "sincerely", "best", "hello", "hi", "hey", "bonjour", "buongiorno", "hola", "hallo", "ciao",
    "sir", "madam", "madame", "monsieur", "senor", "señor", "senora", "señora", "signora", "signore", "messrs", "attn",
    "attachment", "signature", "name", "signed", "page", "note",
    "notes", "memo", "memorandum", "minutes", "agenda", "item", "motion", "vote", "approved", "denied", "tel",
    "email", "e-mail", "voicemail", "fax", "phone", "cell", "mobile", "guest", "active", "inactive", "status",
    "case", "exemption", "bid", "bill", "invoice", "total", "balance", "duns", "wi-fi", "wifi", "ticket",
    # Word's built-in style names, which mail written in Word carries in its HTML ("Table Normal").
    "table", "normal", "heading", "paragraph", "font", "grid", "caption", "hyperlink", "emphasis",
    # Latin of the law reports, capitalised in captions ("Pro Se Appellant", "Amicus Curiae").
    "pro", "se", "curiam", "amicus", "curiae", "et", "al", "ex", "parte", "habeas", "corpus",
    # Months, days and holidays ("Sang Christmas songs": "Christmas" is also a surname).
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "christmas", "xmas", "easter", "thanksgiving", "halloween", "hanukkah", "chanukah", "kwanzaa", "passover",
    # German capitalises its polite pronouns and a letter's formulas mid-sentence ("Wenn Sie",
    # "Ihre Anmeldung", "Mit freundlichen Grüßen").
    "sie", "ihre", "ihr", "ihnen", "ihrer", "ihres", "wenn", "bitte", "sehr", "geehrte", "geehrter",
    "liebe", "lieber", "freundlichen", "grüßen", "grüssen",
    # Institutions, places and roles.
    "town", "city", "board", "department", "dept", "office", "police", "fire", "school", "committee",
    "commission", "authority", "council", "court", "county", "state", "commonwealth", "massachusetts", "hall",
    "street", "st", "road", "rd", "avenue", "ave", "lane", "drive", "way", "route", "selectmen", "select",
    "selectboard",
    "zoning", "planning", "housing", "health", "public", "works", "dpw", "it", "hr", "rmv", "ssn", "dob",
    "account", "routing", "password", "username", "login", "user", "id", "ein", "llc", "inc", "corp",
    "llp", "pllc", "plc", "ltd", "srl", "gmbh",
    "complainant", "applicant", "witness", "victim", "suspect", "owner", "resident", "tenant", "caller",
    "landlord", "officer", "chief", "sergeant", "detective", "clerk", "inspector", "commissioner", "director",
    "treasurer", "supervisor", "assessor", "assessors", "collector", "library", "trust", "realty", "plaza",
    "elementary", "academy", "registry", "liquor", "culvert", "bridge", "park", "center", "centre", "garage",
    "station", "village", "north", "south", "east", "west", "new", "old", "great", "hospital", "day",
    "first", "last", "middle", "mi", "initial", "request", "section", "sheet", "form", "report", "my", "our",
    "your", "his", "her", "their", "see", "per", "amount", "garden", "breed", "ip", "sender", "field",
    "support", "group", "class", "program", "club", "league", "team", "fund", "salt", "diner", "roofing",
    "co", "pantry", "bakery", "market", "farm", "farms", "store", "shop", "restaurant", "cafe", "museum",
    "desk", "help", "records", "visitor", "defendant", "defendants", "plaintiff", "plaintiffs", "petitioner",
    "respondent", "appellant", "appellee", "claimant", "layoff", "layoffs", "header", "footer", "gift",
    "official", "individual", "unknown",
    # A state's bar in a lawyer's signature ("Georgia Bar No. 462110").
    "bar",
    # Organisations the model takes for people ("Johnson Controls", "Fire Headquarters", "Animal Control").
    "control", "controls", "systems", "solutions", "industries", "technologies", "holdings", "enterprises",
    "construction", "electric", "plumbing", "landscaping", "paving", "motors", "insurance", "headquarters", "partners",
    "associates", "company", "corporation", "services", "consulting", "properties", "management",
    # File and document words ("Dummy PDF", "Sample Document").
    "pdf", "doc", "docx", "xlsx", "csv", "file", "files", "document", "documents", "dummy", "sample",
    "template", "draft", "example",
    # Banking words that head a column ("Bank account number").
    "bank", "banking", "payroll",
    # Software naming itself in a file's metadata or a message's headers ("Acrobat Distiller",
    # "Mail Delivery Subsystem").
    "acrobat", "distiller", "ghostscript", "outlook", "subsystem", "microsoft",
    # Law reports' abbreviations in citations ("N.C. App.", "Fed. R. Evid.", "F. Supp.").
    "app", "evid", "supp",
})
