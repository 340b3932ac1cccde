"""A budget's account codes are public; a bank's account numbers in the same layout are not.

A municipal budget or ledger lists the accounts sums are charged to under an "Account" column
("01-122-5110 | Selectmen Salaries | 45,000"): withholding them as bank account numbers would
withhold a public record's content without an exemption. Each format reads a table its own way
(tabs for text, PDF and mail; each field after its column's name for CSV; a Word cell after its
table's header row), so each is run whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from builders import word_tables

from redactor.api import BatchOptions, run_batch
from redactor.errors import ExitCode
from redactor.verify_docx import read_docx_text
from redactor.verify_email import read_eml_text
from redactor.verify_pdf import read_pdf_text

_CODES = ["01-122-5110", "01-122-5300", "01-210-5110", "10012205110", "1000-51100", "0119254200"]
_NAMES = ["Selectmen Salaries", "Professional Services", "Police Salaries", "Town Manager Salary", "Clerk Wages",
          "Office Supplies"]

Table = list[list[str]]


def _txt(rows: Table) -> bytes:
    return ("Town of Westford\n\n" + "".join("\t".join(r) + "\n" for r in rows)).encode()


def _csv(rows: Table) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _pdf(rows: Table) -> bytes:
    with pymupdf.open() as pdf:
        page = pdf.new_page()
        page.insert_text((72, 72), "Town of Westford", fontsize=11)
        for n, cells in enumerate(rows):
            for x, cell in zip((72, 170, 330, 440), cells, strict=False):
                page.insert_text((x, 110 + 16 * n), cell, fontsize=9)
        return pdf.tobytes()


def _eml(rows: Table) -> bytes:
    html = ("<p>Town of Westford</p><table>" + "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
    return ("From: finance@example.gov\nTo: records@example.gov\nSubject: Accounts\n"
            "Date: Mon, 3 Mar 2025 10:00:00 -0500\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
            + html + "\n").encode()


_FORMATS: dict[str, tuple[Callable[[Table], bytes], Callable[[Path], str]]] = {
    "accounts.txt": (_txt, lambda p: p.read_text(encoding="utf-8")),
    "accounts.csv": (_csv, lambda p: p.read_text(encoding="utf-8")),
    "accounts.pdf": (_pdf, read_pdf_text),
    "accounts.docx": (word_tables, read_docx_text),
    "accounts.eml": (_eml, read_eml_text),
}


def _released(make_request: Callable[..., Path], name: str, rows: Table) -> str:
    make, read = _FORMATS[name]
    result = run_batch(make_request({name: make(rows)}, name=name), BatchOptions())
    assert result.exit_code == ExitCode.OK
    return read(result.out_dir / "release" / name)


@pytest.mark.parametrize("name", list(_FORMATS))
def test_when_a_budget_lists_its_accounts_then_their_codes_are_released(make_request, name: str) -> None:
    rows = [["Account", "Description", "FY26 Budget", "FY27 Request"],
            *([code, what, "45,000", "46,350"] for code, what in zip(_CODES, _NAMES, strict=True))]
    text = _released(make_request, name, rows)
    assert [code for code in _CODES if code not in text] == []


@pytest.mark.parametrize("name", list(_FORMATS))
def test_when_the_same_table_lists_bank_accounts_then_no_number_is_released(make_request, name: str) -> None:
    # The same codes, under a bank's column beside the amounts: no budget's field names them.
    rows = [["Account", "Vendor", "Bank", "Amount"],
            *([code, what, "Citizens Bank", "$412.20"] for code, what in zip(_CODES, _NAMES, strict=True))]
    text = _released(make_request, name, rows)
    assert "Vendor" in text
    assert [code for code in _CODES if code in text] == []
