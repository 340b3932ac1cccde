"""Allow-lists from request.yaml: public_names, public_domains (staff names, signature phones), never_redact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.detect.allowlist import local_part_forms, name_tokens

PERSON, EMAIL, PHONE = "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"
ENTITIES = (PERSON, EMAIL, PHONE)
DOMAINS = ["springfield.ma.gov"]


@pytest.mark.parametrize(
    ("text", "public_names", "expected"),
    [
        ("Kevin Doyle approved the permit. Doyle signed it.", ["Kevin Doyle"], []),
        ("Chief Reilly said Thomas Reilly would attend.", ["Chief Thomas Reilly"], []),
        ("DOYLE, KEVIN and Jane Roe attended.", ["Kevin Doyle"], [(PERSON, "Jane Roe")]),
        ("Ms. Alvarez and Maria Alvarez reviewed the file.", ["Maria Alvarez"], []),
        ("Mary Doyle complained about Kevin Doyle.", ["Kevin Doyle"], [(PERSON, "Mary Doyle")]),
        ("Complainant: Jane Roe", ["Kevin Doyle"], [(PERSON, "Jane Roe")]),
        ("Complainant: Jane Roe", [], [(PERSON, "Jane Roe")]),
    ],
)
def test_when_public_names_are_listed_then_only_those_people_are_released(found, text, public_names, expected):
    assert found(text, *ENTITIES, public_names=public_names) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("From: Kevin Doyle <kdoyle@springfield.ma.gov>\nTo: Jane Roe <jroe@gmail.com>",
         [(PERSON, "Jane Roe"), (EMAIL, "jroe@gmail.com")]),
        ("From: \"Doyle, Kevin\" <kdoyle@springfield.ma.gov>\nKevin Doyle wrote back.", []),
        ("From: Kevin Doyle <KDoyle@Springfield.MA.gov>", []),
        ("Kevin Doyle <kdoyle@springfield.ma.gov> forwarded the complaint from Jane Roe.", [(PERSON, "Jane Roe")]),
        # The local part names the owner: kdoyle is Kevin Doyle, in any order and with trailing digits.
        ("kdoyle@springfield.ma.gov wrote:\n> Kevin Doyle will inspect the site.", []),
        ("kdoyle2@springfield.ma.gov: Kevin Doyle will call Jane Roe.", [(PERSON, "Jane Roe")]),
        ("Sent by kdoyle@springfield.ma.gov on behalf of Doyle, Kevin.", []),
        ("kdoyle@springfield.ma.gov wrote: Mary Doyle called about her fence.", [(PERSON, "Mary Doyle")]),
        # Subdomains of a public domain are public; look-alike domains are not.
        ("Reply from kevin.doyle@police.springfield.ma.gov re: Kevin Doyle", []),
        ("kdoyle@springfield.ma.gov.evil.com and kdoyle@notspringfield.ma.gov",
         [(EMAIL, "kdoyle@springfield.ma.gov.evil.com"), (EMAIL, "kdoyle@notspringfield.ma.gov")]),
        ("From: Jane Roe <jroe@gmail.com>", [(PERSON, "Jane Roe"), (EMAIL, "jroe@gmail.com")]),
    ],
)
def test_when_address_is_on_a_public_domain_then_its_owner_is_public_staff(found, text, expected):
    assert found(text, *ENTITIES, public_domains=DOMAINS) == expected


@pytest.mark.parametrize("local_part", ["jsmith", "john.smith", "john_smith", "john-smith", "smithj", "johns",
                                        "j.smith", "johnsmith", "jsmith2", "JSmith"])
def test_when_local_part_is_a_form_of_a_name_then_that_name_is_released(found, local_part):
    text = f"{local_part}@springfield.ma.gov wrote: John Smith will attend the hearing."
    assert found(text, *ENTITIES, public_domains=DOMAINS) == []


FILLER = ("The inspection found the porch railing loose and the smoke detectors missing; the owner was told to "
          "correct both items within thirty days of this notice and to call for a re-inspection. ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kevin Doyle\nBuilding Commissioner\nkdoyle@springfield.ma.gov\n413-555-0100", []),
        ("Kevin Doyle, Building Commissioner\nkdoyle@springfield.ma.gov | 413-555-0100\n", []),
        # A role mailbox on the public domain marks a staff signature too.
        ("Records Access Officer\nrecords@springfield.ma.gov\n413-555-0100", []),
        # A number the signature labels as a cell phone is not the office line.
        ("Kevin Doyle\nBuilding Commissioner\nkdoyle@springfield.ma.gov\nCell: 413-555-0187",
         [(PHONE, "413-555-0187")]),
        ("Jane Roe\njroe@gmail.com\n413-555-0142",
         [(PERSON, "Jane Roe"), (EMAIL, "jroe@gmail.com"), (PHONE, "413-555-0142")]),
        ("Kevin Doyle\nkdoyle@springfield.ma.gov\n\nThe resident's number is 413-555-0142.", [(PHONE, "413-555-0142")]),
        ("Questions? Email kdoyle@springfield.ma.gov. " + FILLER + "The tenant gave 413-555-0142.",
         [(PHONE, "413-555-0142")]),
        ("Patricia Lemieux, Town Clerk\nplemieux@springfield.ma.gov\nTel. 413-555-0108", []),
        ("Jim, the tenant can be reached at 413-555-0142 after 5.\nThanks,\nKevin Doyle\nBuilding Commissioner\n"
            "kdoyle@springfield.ma.gov", [(PERSON, "Jim"), (PHONE, "413-555-0142")]),
    ],
)
def test_when_unlabelled_phone_is_in_a_public_staff_signature_then_it_is_released(found, text, expected):
    assert found(text, *ENTITIES, public_domains=DOMAINS) == expected


@pytest.mark.parametrize(
    ("text", "never_redact", "expected"),
    [
        ("Main line 413-555-0142 call. Cell: 413-555-0142", ["413-555-0142"], []),
        ("Complainant: Jane Roe", ["JANE ROE"], []),
        ("Witness statement by Jane Roe", ["jane roe"], []),
        ("Complainant: Jane Roe", ["Complainant: Jane Roe"], []),  # a detection inside a protected term
        # A shorter protected term does not release a longer detection that contains it.
        ("Kevin Malloy called.", ["Kevin"], [(PERSON, "Kevin Malloy")]),
        ("Cell: 413-555-0142, home 413-555-0199", ["413-555-0142"], [(PHONE, "413-555-0199")]),
    ],
)
def test_when_never_redact_lists_a_term_then_detections_of_it_are_released(found, text, never_redact, expected):
    assert found(text, *ENTITIES, never_redact=never_redact) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Chief Thomas Reilly", {"thomas", "reilly"}),
        ("Doyle, Kevin", {"doyle", "kevin"}),
        ("Mr. Kevin O'Doyle", {"kevin", "o'doyle"}),
        ("Sgt. Ortega", {"ortega"}),
        ("Mr.", set()),
    ],
)
def test_when_name_tokens_reads_a_name_then_titles_and_punctuation_go(name, expected):
    assert name_tokens(name) == frozenset(expected)


def test_when_local_part_forms_builds_logins_then_common_agency_schemes_are_covered():
    assert local_part_forms(["kevin", "doyle"]) >= {"kdoyle", "kevin.doyle", "kevin_doyle", "kevin-doyle", "doylek",
                                                    "kevindoyle", "kevind", "k.doyle", "doyle"}
    assert local_part_forms(["cher"]) == {"cher"}
    assert local_part_forms([]) == set()


@given(st.lists(st.from_regex(r"[a-z]{2,10}", fullmatch=True), min_size=2, max_size=4))
def test_when_a_name_has_several_parts_then_first_initial_plus_last_is_always_a_form(parts):
    assert parts[0][0] + parts[-1] in local_part_forms(parts)


def test_when_a_never_redact_term_ends_a_sentence_then_its_full_stop_does_not_expose_it(detect) -> None:
    text = ("> The next public hearing is October 9, 2026 at 7:00 PM at Millbrook Town\n> Hall, 100 Common Street.\n"
            ">\n> For your file, from our records: Receipt R-2026-58829, 08/10/2026:\n> copies, $63.00, paid by "
            "Teresa Ferreira,\n> 19 Brook Street, Millbrook, MA 01994, telephone (774) 555-0166, card\n")
    assert ("HOME_ADDRESS", "100 Common Street.") in detect(text)
    found = detect(text, never_redact=["100 Common Street"])
    assert [d for d in found if d[0] == "HOME_ADDRESS"] == [("HOME_ADDRESS", "19 Brook Street, Millbrook, MA 01994")]
