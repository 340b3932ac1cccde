"""DATE_OF_BIRTH: a date whose nearest label is about birth; every other date is public."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DOB = "DATE_OF_BIRTH"
ENGINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NEXT_YEAR = dt.date.today().year + 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB: 03/15/1985", [(DOB, "03/15/1985")]),
        ("Date of Birth: March 15, 1985", [(DOB, "March 15, 1985")]),
        ("The child was born on 15 March 2012 at Baystate.", [(DOB, "15 March 2012")]),
        ("Suspect: John Poe, D.O.B. 3-15-85, of Springfield", [(DOB, "3-15-85")]),
        ("Birthdate 1985-03-15", [(DOB, "1985-03-15")]),
        ("| Name | DOB | Phone |\n|---|---|---|\n| Jane Roe | 04/02/1990 | 413-555-0142 |", [(DOB, "04/02/1990")]),
        ("Roe, Jane (b. 04/02/1990)", [(DOB, "04/02/1990")]),
        ("Her birthday is July 4th, 1976.", [(DOB, "July 4th, 1976")]),
        ("DOB 03/15/1985; spouse DOB 04/22/1987", [(DOB, "03/15/1985"), (DOB, "04/22/1987")]),
        ("Date of birth\n11.23.1979", [(DOB, "11.23.1979")]),
        ("Born: Sept. 9, 1948", [(DOB, "Sept. 9, 1948")]),
        ("DOB: 3/5/62 Age: 62", [(DOB, "3/5/62")]),
        # A database's export: the month's abbreviation between hyphens, a year of two digits too.
        ("Date of Birth 15-Mar-1985", [(DOB, "15-Mar-1985")]),
        ("DOB 15-MAR-85", [(DOB, "15-MAR-85")]),
        ("DOB: Mar-15-1985", [(DOB, "Mar-15-1985")]),
        ("DOB: 15 Mar 1985", [(DOB, "15 Mar 1985")]),
        ("Date of birth: 3rd of June, 1990", [(DOB, "3rd of June, 1990")]),
        ("W/M, DOB 07/04/1976, 5'10\", 180 lbs", [(DOB, "07/04/1976")]),
        ("Date of Birth (MM/DD/YYYY): 07/04/1976", [(DOB, "07/04/1976")]),
        ("Spouse: Jane Roe, born April 2, 1990, employed by the Town since 2015.", [(DOB, "April 2, 1990")]),
        # Only the birth date of the record, not the dates after it.
        ("DOB: 03/15/1985 (age 39), arrested 04/01/2024", [(DOB, "03/15/1985")]),
        ("Date of birth: 12/31/1999, hired on 01/02/2020.", [(DOB, "12/31/1999")]),
        ("DOB 03/15/1985. Incident date 04/01/2024.", [(DOB, "03/15/1985")]),
        ("DOB: 1985/03/15", [(DOB, "1985/03/15")]),
    ],
)
def test_when_date_follows_a_birth_label_then_it_is_detected(found, text, expected):
    assert found(text, DOB) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date of incident: 03/15/2024", []),
        ("Hired 06/01/2010 as a laborer.", []),
        ("Date: 01/05/2024", []),
        (f"DOB: 03/15/{NEXT_YEAR}", []),  # a birth date is in the past
        ("DOB: 01/01/1850", []),
        ("Birthday party at the senior center on May 5, 2024.", []),
        ("The Memorial Day parade is May 27, 2024.", []),
        ("Date of death: 02/11/2023", []),
        ("License issued 04/02/2019, expires 04/02/2027.", []),
        ("The meeting of March 4, 2024 was adjourned at 9:10 PM.", []),
        ("Received 10/02/2023 by the Records Access Officer.", []),
        ("Born in 1985 in Holyoke.", []),  # a year alone is not a date of birth
        ("Veterans Day, November 11, 2023, Town Hall closed.", []),
        ("Effective July 1, 2024, the fee is $25.", []),
        ("Report dated 1/9/2024 regarding the DOB field on the form.", []),
        ("Date of hire: 06/01/2010", []),
        ("Invoice date 02/14/2024, due 03/15/2024", []),
        ("Deceased: John Poe, died 02/11/2023", []),
    ],
)
def test_when_date_is_not_a_birth_date_then_no_date_of_birth_is_detected(found, text, expected):
    assert found(text, DOB) == expected


@ENGINE
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()),
       st.sampled_from(["DOB: ", "Date of birth: ", "D.O.B. ", "Born on "]),
       st.sampled_from(["%m/%d/%Y", "%Y-%m-%d", "%B %d, %Y", "%d %B %Y", "%d-%b-%Y", "%b-%d-%Y"]))
def test_when_past_date_follows_a_birth_label_then_it_is_detected(found, date, label, fmt):
    value = date.strftime(fmt)
    assert found(f"Subject: John Poe, {label}{value}", DOB) == [(DOB, value)]


@ENGINE
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["Date of incident: ", "Hired ", "Received ", "Meeting of ", "Date of death: ", "Effective "]))
def test_when_date_follows_a_non_birth_label_then_it_is_never_a_date_of_birth(found, date, label):
    assert found(f"{label}{date.strftime('%m/%d/%Y')}", DOB) == []
