"""Officials named in office are public wherever the document mentions them again.

Minutes name a public body's members with their office once ("Vice Chair John Smith") and then by
surname ("Motion by Mr. Smith"). The shorter mention is the same official: redacted, it would be
removed wherever it stands (a value removed once is removed everywhere in its document), the
official's own mention too, and the minutes would read "Vice Chair John [REDACTED]".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from builders import word_file

from redactor import api
from redactor.api import BatchOptions, run_batch
from redactor.errors import ExitCode
from redactor.verify_docx import read_docx_text

_MINUTES = [
    "Select Board - Minutes of March 3, 2025",
    "Present: Chair Maria Lopez, Vice Chair John Smith, Selectman Wei Chen. Town Manager Peter Brown.",
    "Public comment: Resident Ana Silva of Elm Street spoke against the parking plan; Ms. Silva asked "
    "that Jane Smith, her neighbor, be heard next.",
    "Motion by Mr. Smith to approve the FY27 budget, seconded by Ms. Chen; approved 3-0.",
    "Ms. Lopez adjourned the meeting at 9:10 PM.",
]


def _check(text: str) -> None:
    for official in ("Chair Maria Lopez", "Vice Chair John Smith", "Selectman Wei Chen", "Mr. Smith", "Ms. Chen",
                     "Ms. Lopez"):
        assert official in text
    # The resident and her neighbor (whose surname an official shares) are private people.
    assert "Silva" not in text
    assert "Jane Smith" not in text


def _released_text(make_request: Callable[..., Path], name: str, content: str) -> str:
    """``content`` run alone as ``name``; its released text."""
    result = run_batch(make_request({name: content}), BatchOptions())
    assert result.exit_code == ExitCode.OK
    return (result.out_dir / "release" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["minutes.txt", "minutes.docx"])
def test_when_minutes_name_officials_then_their_later_mentions_stay(make_request, name: str) -> None:
    content = "\n\n".join(_MINUTES) + "\n" if name.endswith(".txt") else word_file(*_MINUTES)
    result = run_batch(make_request({name: content}), BatchOptions())
    assert result.exit_code == ExitCode.OK
    path = result.out_dir / "release" / name
    _check(path.read_text(encoding="utf-8") if name.endswith(".txt") else read_docx_text(path))


def test_when_a_mailbox_in_parts_names_an_official_then_later_parts_keep_him(make_request, monkeypatch) -> None:
    # The official is named in office in the first message only; the mailbox is read two
    # messages at a time, so "Mr. Smith" and "Jane Smith" stand in later parts.
    messages = [f"From clerk@example.gov Mon Mar  3 10:0{n}:00 2025\nFrom: clerk@example.gov\n"
                f"Subject: Minutes, part {n}\n\n{line}\n" for n, line in enumerate(_MINUTES, start=1)]
    monkeypatch.setattr(api, "MBOX_PART", 2)
    result = run_batch(make_request({"minutes.mbox": "\n".join(messages)}), BatchOptions())
    assert result.exit_code == ExitCode.OK
    _check((result.out_dir / "release" / "minutes.mbox").read_text(encoding="utf-8"))


def test_when_a_contract_is_signed_in_office_then_the_officials_stay(make_request) -> None:
    contract = (
        "AGREEMENT between the Town of Westford and Acme Paving, Inc.\n\n"
        "Notices to the Town: Jodi Ross, Town Manager. Notices to the Contractor: Michael Tran, its President.\n"
        "Ms. Ross shall approve each payment.\n\n"
        "Signed: Jodi Ross, Town Manager        Michael Tran, President, Acme Paving, Inc.\n"
        "Witness: Patricia Lemieux, Town Clerk\n")
    text = _released_text(make_request, "contract.txt", contract)
    assert text.count("Jodi Ross, Town Manager") == 2
    assert "Ms. Ross" in text
    assert "Patricia Lemieux, Town Clerk" in text
    # The contractor's officer is a private person's name, for the officer to review.
    assert "Tran" not in text


def test_when_minutes_list_the_members_present_then_they_stay(make_request) -> None:
    minutes = ("Conservation Commission - Minutes of April 2, 2025\n\n"
               "Members present: Maria Lopez, John Smith and Wei Chen.\n"
               "Also present: Ana Silva, the applicant.\n\n"
               "Ms. Lopez opened the hearing. Mr. Smith moved to continue it; Ana Silva agreed.\n")
    text = _released_text(make_request, "minutes.txt", minutes)
    assert "Members present: Maria Lopez, John Smith and Wei Chen." in text
    assert "Ms. Lopez" in text and "Mr. Smith" in text
    assert "Silva" not in text
