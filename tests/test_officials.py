"""Officials named in office are public wherever the document mentions them again.

Minutes name a public body's members with their office once ("Vice Chair John Smith") and then by
surname ("Motion by Mr. Smith"). The shorter mention is the same official: redacted, it would be
removed wherever it stands (a value removed once is removed everywhere in its document), the
official's own mention too, and the minutes would read "Vice Chair John [REDACTED]".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import pytest
from builders import word_file

from redactor import api
from redactor.api import BatchOptions, run_batch
from redactor.decide import _official_rule
from redactor.detect.titles import OFFICIAL_DETECTOR
from redactor.errors import ExitCode
from redactor.models import Action
from redactor.rules import load_rules
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


def _findings(out_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (out_dir / "review" / "findings.jsonl").read_text().splitlines()]


_PAYROLL = ("Name | Department | Annual Salary\n"
            "Maria Lopez | Library | 58,200\n"
            "Peter Brown | Highway | 61,900\n")


@pytest.mark.parametrize("payroll", ["a-payroll.txt", "z-payroll.txt"])
def test_when_another_record_removes_an_officials_name_then_the_minutes_keep_it_in_office(make_request,
                                                                                           payroll: str) -> None:
    # The payroll's names are a private person's for the officer to review, and removed in the
    # draft; a value removed in one record is removed wherever the request shows it, but the minutes
    # name her in office: there her name is public, and kept as a finding of its own. The payroll
    # comes before the minutes (its values are given to them as they are read) or after (the
    # request-wide check finds them).
    result = run_batch(make_request({payroll: _PAYROLL, "minutes.txt": "\n\n".join(_MINUTES) + "\n"}),
                       BatchOptions())
    assert result.exit_code == ExitCode.OK
    release = result.out_dir / "release"
    assert "Maria Lopez" not in (release / payroll).read_text(encoding="utf-8")
    _check((release / "minutes.txt").read_text(encoding="utf-8"))
    kept = [f for f in _findings(result.out_dir) if f["document"] == "minutes.txt" and f["action"] == "keep"]
    assert {f["text"] for f in kept} >= {"Maria Lopez", "John Smith", "Wei Chen", "Peter Brown", "Smith", "Lopez"}
    assert all(f["entity"] == "PERSON" and f["detector"] == OFFICIAL_DETECTOR for f in kept)
    assert "public employee" in kept[0]["justification"]
    report = (result.out_dir / "review" / "report.html").read_text(encoding="utf-8")
    assert report.count("Name of a public official, written in office") == len(kept)


def test_when_an_official_has_a_name_the_census_lists_lack_then_the_minutes_keep_it_in_office(make_request) -> None:
    # The payroll's name is found by the lists of other origins and removed there; in the minutes
    # the same words after "Chair" are an official's name, not a title's stray words.
    payroll = "Name | Department | Annual Salary\nChiamaka Okonkwo | Library | 58,200\n"
    minutes = "Select Board minutes\n\nPresent: Chair Chiamaka Okonkwo, Selectman Wei Chen.\n"
    result = run_batch(make_request({"payroll.txt": payroll, "minutes.txt": minutes}), BatchOptions())
    assert result.exit_code == ExitCode.OK
    release = result.out_dir / "release"
    assert "Okonkwo" not in (release / "payroll.txt").read_text(encoding="utf-8")
    assert "Chair Chiamaka Okonkwo" in (release / "minutes.txt").read_text(encoding="utf-8")


def test_when_the_officer_decides_an_officials_mention_is_private_then_it_is_redacted(make_request, tmp_path) -> None:
    request = make_request({"minutes.txt": "\n\n".join(_MINUTES) + "\n"})
    first = run_batch(request, BatchOptions())
    chair = next(f for f in _findings(first.out_dir) if f["text"] == "Maria Lopez")
    assert chair["action"] == "keep"
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(f"- {{finding: {chair['id']}, action: redact, code: 26(c), note: named as a patient}}\n")
    second = run_batch(request, BatchOptions(decisions=decisions))
    assert second.exit_code == ExitCode.OK
    text = (second.out_dir / "release" / "minutes.txt").read_text(encoding="utf-8")
    assert "Maria Lopez" not in text and "Chair [REDACTED 26(c)]" in text


@pytest.mark.parametrize(("rules", "expected"), [
    ("massachusetts", "public employee"),
    ("federal_foia", "government employee"),
])
def test_when_a_rule_set_names_a_public_employees_rule_then_officials_take_it(rules: str, expected: str) -> None:
    rule = _official_rule(load_rules(rules))
    assert rule.action is Action.KEEP and expected in rule.justification


def test_when_a_rule_set_has_no_public_employees_rule_then_officials_are_kept(tmp_path: Path) -> None:
    source = (files("redactor.exemption_rules") / "federal_foia.yaml").read_text(encoding="utf-8")
    start = source.index("    roles:\n      public_employee:")
    end = source.index("\n\n", start)
    assert "public_employee" not in source[:start] + source[end:]
    path = tmp_path / "federal_foia.yaml"
    path.write_text(source[:start] + source[end + 1:], encoding="utf-8")
    rule = _official_rule(load_rules(str(path)))
    assert rule.action is Action.KEEP and "public official" in rule.justification


def test_when_a_title_is_followed_by_no_person_then_no_official_is_kept(make_request) -> None:
    # The title patterns read "Executive Officer" after "Chief", "Unit" after "Detective", "Box"
    # after "P.O." and "Zoning Board" (a surname and a board) after "Chair"; none is a person, and
    # none is listed as an official's name.
    memo = ("To: Sgt. Maria Delgado\nFrom: Eleanor Whitfield, Chair\nZoning Board of Appeals\n"
            "cc: Chair Zoning Board of Appeals\n\n"
            "The Chief Executive Officer of the vendor wrote to P.O. Box 992, Millbrook.\n"
            "The Detective Unit advises that the case stays open.\n")
    result = run_batch(make_request({"memo.txt": memo}), BatchOptions())
    assert result.exit_code == ExitCode.OK
    kept = [f["text"] for f in _findings(result.out_dir) if f["detector"] == OFFICIAL_DETECTOR]
    assert kept == ["Maria Delgado", "Eleanor Whitfield"]
    assert (result.out_dir / "release" / "memo.txt").read_text(encoding="utf-8") == memo


def test_when_the_request_lists_an_official_as_public_then_her_name_is_no_finding(make_request) -> None:
    request = make_request({"minutes.txt": "\n\n".join(_MINUTES) + "\n"}, request={"public_names": ["Maria Lopez"]})
    result = run_batch(request, BatchOptions())
    assert result.exit_code == ExitCode.OK
    _check((result.out_dir / "release" / "minutes.txt").read_text(encoding="utf-8"))
    texts = {f["text"] for f in _findings(result.out_dir)}
    assert "Maria Lopez" not in texts and "Lopez" not in texts
    assert {"John Smith", "Wei Chen"} <= texts
