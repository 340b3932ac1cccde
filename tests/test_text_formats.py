"""Text and CSV adapters: units map back to the file exactly, and redaction touches nothing else."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.api import BatchOptions, run_batch
from redactor.errors import ExitCode
from redactor.formats import adapter_for
from redactor.formats.delimited import split_fields
from redactor.formats.text import LEAD_CHARS, MAX_UNIT_CHARS, paragraph_spans
from redactor.models import Redaction
from redactor.textutil import looks_like_header

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
               max_size=3000)


@given(TEXT)
def test_when_text_is_cut_into_paragraphs_then_every_non_blank_character_is_in_one_unit(text: str) -> None:
    spans = paragraph_spans(text)
    covered = set()
    for s, e in spans:
        assert 0 <= s < e <= len(text) and e - s <= MAX_UNIT_CHARS
        covered.update(range(s, e))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert spans == sorted(spans)


@settings(max_examples=60, deadline=None)
@given(TEXT, st.data())
def test_when_spans_are_redacted_then_only_those_characters_change(tmp_path_factory, text: str, data) -> None:
    path = tmp_path_factory.mktemp("t") / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = adapter_for(path).open(path)
    reds, expected_cut = [], []
    for unit in doc.units:
        if len(unit.text) < 2:
            continue
        a = data.draw(st.integers(0, len(unit.text) - 1))
        b = data.draw(st.integers(a + 1, len(unit.text)))
        reds.append(Redaction("f", unit.unit_id, a, b, "26(c)", "[X]"))
        expected_cut.append((unit.offset + a, unit.offset + b))
    out = doc.redacted_text(reds)
    expected, pos = [], 0
    for s, e in sorted(expected_cut):
        expected.append(doc.text[pos:s] + "[X]")
        pos = e
    expected.append(doc.text[pos:])
    assert out == "".join(expected)


ROWS = st.lists(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",),
                                                         exclude_characters="\x00\r"), max_size=20),
                         min_size=1, max_size=5), min_size=1, max_size=8)


@given(ROWS)
def test_when_csv_is_split_then_fields_match_the_csv_module(rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    text = buf.getvalue()
    parsed = [["".join(text[o] for o in chars) for _, _, chars in row] for row in split_fields(text, ",")]
    assert parsed == list(csv.reader(io.StringIO(text)))


def test_when_a_first_row_is_labels_then_it_is_a_header() -> None:
    assert looks_like_header(["Name", "SSN", "DOB", "Amount"])
    assert not looks_like_header(["Roe, Jane", "219099998", "03/15/1985"])
    assert not looks_like_header(["Name", "Name"])


def test_when_a_csv_cell_is_quoted_then_the_marker_lands_inside_the_quotes(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('Name,Note\n"Roe, Jane","said ""hi"" twice"\n', encoding="utf-8")
    doc = adapter_for(path).open(path)
    unit = doc.units[1]
    assert unit.text == 'Name: Roe, Jane\nNote: said "hi" twice'
    start = unit.text.index("Roe")
    out = doc.redacted_text([Redaction("f", unit.unit_id, start, start + len("Roe, Jane"), "26(c)", "[R]")])
    assert list(csv.reader(io.StringIO(out))) == [["Name", "Note"], ["[R]", 'said "hi" twice']]


def test_when_a_single_line_is_very_long_then_units_end_between_words(tmp_path: Path) -> None:
    line = " ".join(f"Resident Jane Roe SSN 219-09-{i:04d} paid." for i in range(1, 400))
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="utf-8")
    doc = adapter_for(path).open(path)
    assert len(doc.units) > 1
    for unit in doc.units[:-1]:
        assert unit.text.endswith(" ") and len(unit.text) <= MAX_UNIT_CHARS


def _payments(rows: int, header: str = "| Payee | Bank | Account Number | Amount |",
              first: int = 40_000_000) -> tuple[str, list[str]]:
    """A Markdown table of payments, longer than one unit: its accounts, and the table's text."""
    accounts = [f"{first + 7_919 * i}" for i in range(rows)]
    lines = ["Vendor payments, fiscal year 2026", "", header, "|---|---|---|---|"]
    lines += [f"| Vendor {i} | Berkshire Bank | {account} | {i % 900 + 10}.00 |" for i, account in enumerate(accounts)]
    return "\n".join(lines) + "\n", accounts


def test_when_a_long_table_is_cut_into_units_then_each_is_read_under_the_tables_header(tmp_path: Path) -> None:
    text, _ = _payments(200)
    path = tmp_path / "payments.md"
    path.write_text(text, encoding="utf-8")
    doc = adapter_for(path).open(path)
    assert len(doc.units) > 3  # the table is cut
    assert doc.units[0].lead == "" and doc.units[1].lead == ""  # the title, and the table's first unit
    assert all(u.lead == "| Payee | Bank | Account Number | Amount |\n" for u in doc.units[2:])
    # Cut elsewhere than in a table, a unit is read after the words just before it.
    prose = tmp_path / "prose.txt"
    prose.write_text("The account, the bank, the amount were discussed. " * 300, encoding="utf-8")
    units = adapter_for(prose).open(prose).units
    assert len(units) > 2 and units[0].lead == ""
    for before, unit in itertools.pairwise(units):
        assert before.text.endswith(unit.lead) and 0 < len(unit.lead) <= LEAD_CHARS
        assert unit.lead.startswith("The account") or unit.lead[0] != " "  # from a word's start


def test_when_a_cut_falls_between_a_label_and_its_value_then_the_value_is_still_read_under_it(
        make_request, tmp_path) -> None:
    # The label ends a line, the number starts the next, and the paragraph is cut between the two.
    filler = "Routine note about the fence permit and nothing else.\n"
    head = filler * ((MAX_UNIT_CHARS - 40) // len(filler)) + "Direct deposit account number:\n"
    text = head + "4400918273 was confirmed with the payroll office on Monday afternoon.\n" + filler * 3
    folder = make_request({"files/note.txt": text})
    doc = adapter_for(folder / "files/note.txt").open(folder / "files/note.txt")
    assert doc.units[1].text.startswith("4400918273") and doc.units[1].lead.endswith("account number:\n")
    result = run_batch(folder, BatchOptions(out_dir=tmp_path / "out", jobs=1))
    assert result.exit_code == ExitCode.OK
    released = (tmp_path / "out/release/files/note.txt").read_text(encoding="utf-8")
    assert "4400918273" not in released and "account number:\n[REDACTED 26(" in released


def test_when_a_long_table_of_accounts_is_redacted_then_every_row_loses_its_account(make_request, tmp_path) -> None:
    # Past the first unit's 4,000 characters, the rows were read without their header, and their
    # account numbers, bare digits, were released. The header's own value (a cell phone number) is
    # found once, where it is.
    text, accounts = _payments(200, header="| Payee | Bank | Account Number | Amount (cell 617-555-0142) |")
    body, mailed = _payments(150, first=70_000_000)  # other accounts: each document finds its own
    mail = ("From: Town Treasurer <treasurer@town.example.gov>\nTo: Records <records@town.example.gov>\n"
            "Subject: Payments\nDate: Mon, 3 Nov 2025 10:00:00 -0500\nContent-Type: text/plain; charset=utf-8\n\n"
            + body)
    folder = make_request({"files/payments.md": text, "files/payments.eml": mail})
    result = run_batch(folder, BatchOptions(out_dir=tmp_path / "out", jobs=1))
    assert result.exit_code == ExitCode.OK
    for name, values in (("payments.md", accounts), ("payments.eml", mailed)):
        released = (tmp_path / "out/release/files" / name).read_text(encoding="utf-8")
        assert [a for a in values if a in released] == [], name
        assert released.count("[REDACTED 26(") >= len(values)
    findings = [json.loads(line) for line in (tmp_path / "out/review/findings.jsonl").read_text().splitlines()]
    header = [f for f in findings if f["text"] == "617-555-0142" and f["document"] == "files/payments.md"]
    assert len(header) == 1 and header[0]["location"]["line"] == 3
    banks = [f for f in findings if f["entity"] == "US_BANK_NUMBER" and f["document"] == "files/payments.md"]
    assert sorted(f["text"] for f in banks) == sorted(accounts)
    assert sorted(f["location"]["line"] for f in banks) == list(range(5, 5 + len(accounts)))
    assert all(text.splitlines()[f["location"]["line"] - 1].count(f["text"]) == 1 for f in banks)
