"""Companies written with their legal form ("Sandhill Amusements, Inc.", "Gift Surplus, LLC"): the
same words elsewhere in a text or a document name the company, not a person.

Kept apart from the name recognizer, which needs presidio: the findings stage asks it too, over a
whole document, and a rerun served from the cache must not import the detection libraries.
"""

from __future__ import annotations

from collections.abc import Collection

import regex

from .gazetteer import on_a_name_list

_COMPANY = regex.compile(r"(?<![\p{L}'’\-])(?P<value>\p{Lu}[\p{L}'’\-]*\.?"
                         r"(?:[ \t]+(?:&[ \t]+)?\p{Lu}[\p{L}'’\-]*\.?){0,5}),?[ \t]+"
                         r"(?:Inc|LLC|L\.L\.C|Corp|Ltd|LLP|PLLC|INC|CORP|LTD)\b")
_FORMS = ("Inc", "LLC", "L.L.C", "Corp", "Ltd", "LLP", "INC", "CORP", "LTD")


def _words_of(span: str) -> tuple[str, ...]:
    """The case-folded words of a name, without the periods and commas around them."""
    return tuple(w.strip(".,").casefold() for w in span.split())


def company_names(text: str, timeout: float | None = None) -> frozenset[tuple[str, ...]]:
    """The words of each company's name written with its legal form in ``text``, and each run of
    its last ones: "Sandhill Amusements, Inc." makes "Sandhill Amusements" a company's name."""
    if not any(form in text for form in _FORMS):
        return frozenset()
    out: set[tuple[str, ...]] = set()
    for m in _COMPANY.finditer(text, timeout=timeout):
        # The name's last words: "Ana Ruiz Acme Roofing LLC" in a signature is a person and her firm.
        words = _words_of(m.group("value"))
        out.update(words[i:] for i in range(len(words) - 1))
    return frozenset(out)


def _is_name_word(word: str) -> bool:
    """On a name list of any origin, as written or without apostrophes ("o'brien"), or each part of
    a double-barrelled name ("reyes-lindgren")."""
    if on_a_name_list(word) or on_a_name_list(word.replace("'", "").replace("’", "")):
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(part and _is_name_word(part) for part in parts)


def names_a_company(span: str, companies: Collection[tuple[str, ...]]) -> bool:
    """Whether ``span`` names a company of ``companies`` rather than a person: some of its words
    are no name ("Sandhill Amusements"); "Jane Roe" of "Jane Roe, LLC" is still a person's name."""
    words = _words_of(span)
    return words in companies and not all(_is_name_word(w) for w in words)
