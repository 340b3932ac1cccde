"""Given names and surnames from the U.S. Census lists shipped in the ``names`` package (MIT).

Used to judge spaCy's one-word PERSON tags (is "Ludlow" a person or a town?) and
to find "First Last" and "LAST, First" names the small model misses.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


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
