"""CUSTOM_TERM: request.yaml ``always_redact`` terms, found case- and whitespace-insensitively on word edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.detect.terms import find_terms, term_regex
from redactor.settings import Term

TERM = "CUSTOM_TERM"
CODE = "26(c)"


def terms(*texts: str) -> list[Term]:
    return [Term(t, CODE) for t in texts]


@pytest.mark.parametrize(
    ("text", "listed", "expected"),
    [
        ("Project Falcon and PROJECT FALCON and project falcon", ["Project Falcon"],
         [(TERM, "Project Falcon"), (TERM, "PROJECT FALCON"), (TERM, "project falcon")]),
        ("Re: Project   Falcon\nsee project\nfalcon budget", ["Project Falcon"],
         [(TERM, "Project   Falcon"), (TERM, "project\nfalcon")]),
        ("Lot 7B and lot 7b were sold.", ["Lot 7B"], [(TERM, "Lot 7B"), (TERM, "lot 7b")]),
        ("Re: 12-A. See 12-A's file.", ["12-A"], [(TERM, "12-A"), (TERM, "12-A")]),
        ("Contact Jane Roe about the Roe matter.", ["Jane Roe"], [(TERM, "Jane Roe")]),
        ("roe's house", ["Roe"], [(TERM, "roe")]),
        ("Shelter at 12 Oak Ln, Springfield", ["12 Oak Ln"], [(TERM, "12 Oak Ln")]),
        ("Ana María and ANA MARÍA", ["Ana María"], [(TERM, "Ana María"), (TERM, "ANA MARÍA")]),
        ("the #TeamRoe hashtag", ["#TeamRoe"], [(TERM, "#TeamRoe")]),
        ("Falcon and Osprey", ["Falcon", "Osprey"], [(TERM, "Falcon"), (TERM, "Osprey")]),
        # run together, the words still spell the term (a handle, a URL path): it is found
        ("github.com/ProjectFalcon/plans", ["Project Falcon"], [(TERM, "ProjectFalcon")]),
    ],
)
def test_when_always_redact_term_occurs_in_any_case_or_spacing_then_it_is_found(found, text, listed, expected):
    assert found(text, TERM, terms=terms(*listed)) == expected


@pytest.mark.parametrize(
    ("text", "listed", "expected"),
    [
        ("Falconer Road was repaved.", ["Falcon"], []),
        ("Lot 7BB and Lot 17B", ["Lot 7B"], []),
        ("Form X12-A and 12-AB", ["12-A"], []),
        ("Roebuck and Monroe", ["Roe"], []),
        ("the TeamRoe account", ["#TeamRoe"], []),
        ("Project Falcons", ["Project Falcon"], []),
        ("No terms listed here.", [], []),
    ],
)
def test_when_term_is_only_part_of_a_longer_word_then_it_is_not_found(found, text, listed, expected):
    assert found(text, TERM, terms=terms(*listed)) == expected


def test_when_a_term_sits_inside_a_longer_never_redact_term_then_that_occurrence_stays(found):
    text = "Meeting at Marsh Hall; Mr. Marsh objected."
    assert found(text, TERM, terms=terms("Marsh"), never_redact=["Marsh Hall"]) == [(TERM, "Marsh")]
    assert [m.start() for m in term_regex("Marsh").finditer(text)] == [11, 27]


def test_when_find_terms_finds_a_term_then_the_detection_carries_its_code_note_and_source():
    listed = [Term("Project Falcon", CODE, "deliberative"), Term("Lot 7B", "26(n)", None, source="decision")]
    found = find_terms("Project Falcon covers Lot 7B.", listed)
    assert [(d.entity, d.text, d.start, d.end, d.code, d.note, d.detector, d.score) for d in found] == [
        (TERM, "Project Falcon", 0, 14, CODE, "deliberative", "always_redact", 1.0),
        (TERM, "Lot 7B", 22, 28, "26(n)", None, "decision", 1.0),
    ]


words = st.lists(st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True), min_size=1, max_size=4)


@given(words, st.data())
def test_when_term_is_recased_and_respaced_then_term_regex_still_matches_it(parts, data):
    term = " ".join(parts)
    spaced = "".join(
        p + (data.draw(st.sampled_from([" ", "  ", "\n", "\t", " \n "])) if i < len(parts) - 1 else "")
        for i, p in enumerate(parts))
    recased = "".join(data.draw(st.sampled_from([ch.lower(), ch.upper()])) for ch in spaced)
    assert term_regex(term).fullmatch(recased)
    assert term_regex(term).search(f"Re: {recased}, see file.")


@given(words, st.sampled_from(list("abcXYZ019_")), st.booleans())
def test_when_term_is_glued_to_a_word_character_then_term_regex_does_not_match(parts, glue, before):
    term = " ".join(parts)
    text = glue + term if before else term + glue
    # The term is not found where a word character is glued to it. (Words run together elsewhere
    # may still spell the term: "A Aa" holds "Aa", an occurrence of "A A".)
    for m in term_regex(term).finditer(text):
        assert (m.start() != 1) if before else (m.end() != len(text) - 1)


def test_the_request_values_expressions_leave_the_regex_modules_own_cache_to_the_fixed_ones() -> None:
    # The regex module keeps the last 500 expressions it compiled, and the recognizers' fixed
    # expressions are looked up there by their text. The request's values (terms, removed values,
    # the verifier's needles, parts of names) are compiled into caches of their own: a request with
    # hundreds of them would otherwise push the fixed ones out, to be parsed again and again.
    import regex
    from regex import _main

    from redactor.decide import _alternation_matches, _number_regex
    from redactor.detect.recognizers.person import _mention
    from redactor.models import TextUnit
    from redactor.verify import secret_pattern

    _main._cache.clear()
    assert regex.search(r"(?i)fixed\s+expression", "A fixed expression.")  # as a recognizer looks one up
    for n in range(20):
        term_regex(f"Jane Roe{n}")
        _number_regex(f"61755501{n:02d}")
        secret_pattern(f"John Doe{n}")
        secret_pattern(f"219-09-99{n:02d}")
        _mention(f"Roe{n}")
    assert _alternation_matches([TextUnit("u", "Jane Roe1 at 617 555 0101")], ["Jane Roe1", "6175550101"],
                                [False, True]) == {0: [(0, 9), (13, 25)]}
    assert len(_main._cache) == 1
