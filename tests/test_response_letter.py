"""review/response_letter.md: filled from request.yaml and the run; cites exactly the codes used."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from redactor.api import BatchOptions, run_batch
from redactor.report import codes_cited
from redactor.rules import load_rules

NOTE = """\
Helpdesk ticket 4471, opened 09/14/2026 by Kevin Doyle <kdoyle@millbrook.ma.gov>.
Caller: Jane Roe, SSN 219-09-9998, cell (413) 555-0142.
Login: jroe77 password: Tr0ub4dor&3
"""
SECRETS = ["219-09-9998", "(413) 555-0142", "jroe77", "Tr0ub4dor&3", "Jane Roe"]
REQUEST = {"request_id": "PRR-2026-0199", "agency": "Town of Millbrook, Massachusetts",
           "requester": "Jordan Reyes, The Millbrook Ledger", "received": "2026-10-05",
           "public_domains": ["millbrook.ma.gov"], "public_names": ["Kevin Doyle"]}
#: Any Massachusetts clause or federal FOIA code written the way a letter would write it.
CODE_TOKEN = re.compile(r"26\([a-u]\)(?:-[A-Za-z0-9]+)?|\(b\)\(\d\)(?:\([A-F]\))?")


def _letter(out: Path) -> str:
    return (out / "review/response_letter.md").read_text(encoding="utf-8")


def _log_codes(out: Path) -> set[str]:
    rows = csv.DictReader((out / "release/redaction_log.csv").read_text(encoding="utf-8").splitlines())
    return {row["exemption_code"] for row in rows if row["exemption_code"]}


def test_when_a_run_uses_three_codes_then_the_letter_cites_those_three_and_no_other(make_request, tmp_path) -> None:
    folder = make_request({"files/ticket.txt": NOTE, "files/draft_policy.txt": "Draft, under discussion.\n"},
                          request=REQUEST)
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text('- {document: files/draft_policy.txt, action: withhold, code: "26(d)", '
                         'note: "Policy still being developed"}\n', encoding="utf-8")
    result = run_batch(folder, BatchOptions(decisions=decisions))
    letter = _letter(result.out_dir)
    used = _log_codes(result.out_dir)
    assert used == {"26(c)", "26(n)", "26(d)"}
    assert codes_cited(letter, load_rules("massachusetts")) == used
    assert set(CODE_TOKEN.findall(letter)) == used
    # Each cited with its citation and the rule set's explanation, in plain words.
    rules = load_rules("massachusetts")
    for code in used:
        assert rules.code(code).citation in letter
        assert " ".join(rules.code(code).explanation.split())[:80] in letter
    assert "files/draft_policy.txt: withheld under 26(d)" in letter and "Policy still being developed" in letter
    assert "- files/ticket.txt (" in letter


def test_when_request_yaml_has_the_details_then_the_letter_is_filled_from_it(make_request) -> None:
    result = run_batch(make_request({"files/ticket.txt": NOTE}, request=REQUEST), BatchOptions())
    letter = _letter(result.out_dir)
    assert "Re: Public records request PRR-2026-0199, received October 5, 2026" in letter
    assert "Town of Millbrook, Massachusetts" in letter and "Dear Jordan Reyes:" in letter
    # What the tool cannot know is marked, the same way everywhere.
    assert "[[FILL IN: date of this response]]" in letter
    assert "[[FILL IN: Records Access Officer's name, title, address and telephone]]" in letter
    # Appeal rights under G.L. c. 66, § 10A and 950 CMR 32.08.
    for phrase in ("Supervisor of Records", "90 calendar", "950 CMR 32.08", "Superior Court", "One Ashburton Place"):
        assert phrase in letter.replace("\n", " ")
    for secret in SECRETS:
        assert secret not in letter


def test_when_there_is_no_request_yaml_then_the_letter_marks_what_is_missing(make_request) -> None:
    result = run_batch(make_request({"files/ticket.txt": NOTE}), BatchOptions())
    letter = _letter(result.out_dir)
    for placeholder in ("[[FILL IN: request reference]]", "[[FILL IN: date the request was received]]",
                        "[[FILL IN: requester's name]]", "[[FILL IN: agency or municipality]]"):
        assert placeholder in letter


def test_when_a_document_is_withheld_for_manual_review_then_the_letter_names_it_without_a_code(make_request) -> None:
    folder = make_request({"files/notes.txt": "Meeting notes: nothing personal.\n",
                           "files/legacy.wpd": b"WordPerfect"}, request=REQUEST)
    result = run_batch(folder, BatchOptions())
    letter = _letter(result.out_dir)
    assert "## Records still under review" in letter
    line = next(ln for ln in letter.splitlines() if ln.startswith("- files/legacy.wpd"))
    assert "[[FILL IN:" in line and not CODE_TOKEN.search(line)
    assert "## Portions withheld" not in letter and not CODE_TOKEN.search(letter)
    assert "- files/notes.txt (released in full)" in letter


def test_when_the_federal_rules_are_used_then_the_appeal_section_is_left_to_the_officer(make_request) -> None:
    result = run_batch(make_request({"files/ticket.txt": NOTE}, request=REQUEST),
                       BatchOptions(rules="federal_foia"))
    letter = _letter(result.out_dir)
    assert "[[FILL IN: the requester's appeal rights" in letter and "Supervisor of Records" not in letter
    assert set(CODE_TOKEN.findall(letter)) == _log_codes(result.out_dir)
