"""A decision may withhold one page of a PDF in full: the page stays (so the record's pagination does),
holding only a box with the code, and every other page is as the run left it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pdfplumber
import pytest

from redactor.api import BatchOptions, run_batch
from redactor.errors import DecisionsError, ExitCode

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
STAFF = {"request_id": "R-8", "public_domains": ["millbrook.ma.gov"],
         "public_names": ["Raymond Dufresne", "Linda Castellano", "Eleanor Whitfield", "Sandra Lyle"]}


def _run(make_request, tmp_path: Path, name: str, decision: str):
    folder = make_request({}, request=STAFF)
    shutil.copy(FIXTURES / name, folder / name)
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(decision, encoding="utf-8")
    return run_batch(folder, BatchOptions(decisions=decisions))


def _pages(path: Path) -> list[tuple[str, int]]:
    with pdfplumber.open(path) as pdf:
        return [((page.extract_text() or ""), len(page.images)) for page in pdf.pages]


def test_when_a_decision_withholds_a_page_then_only_its_code_is_left_on_it(make_request, tmp_path) -> None:
    before = _pages(FIXTURES / "public_only.pdf")
    result = _run(make_request, tmp_path, "public_only.pdf",
                  '- {document: public_only.pdf, page: 2, action: withhold, code: "26(d)", note: draft minutes}\n')
    assert result.exit_code == ExitCode.OK
    after = _pages(result.out_dir / "release/public_only.pdf")
    assert len(after) == len(before) == 2
    assert after[0] == before[0]
    assert " ".join(after[1][0].split()) == "[REDACTED 26(d)] page withheld"
    with (result.out_dir / "release/redaction_log.csv").open(encoding="utf-8") as fh:
        [row] = [r for r in csv.DictReader(fh) if r["disposition"] == "withheld in full"]
    assert (row["document"], row["page"], row["exemption_code"], row["justification"]) == (
        "public_only.pdf", "2", "26(d)", "draft minutes")
    assert row["citation"]
    letter = (result.out_dir / "review/response_letter.md").read_text(encoding="utf-8")
    assert "26(d)" in letter


def test_when_a_withheld_page_shows_an_image_used_elsewhere_then_the_other_page_keeps_it(
        make_request, tmp_path) -> None:
    result = _run(make_request, tmp_path, "shared_image.pdf",
                  '- {document: shared_image.pdf, page: 1, action: withhold, code: "26(c)"}\n')
    after = _pages(result.out_dir / "release/shared_image.pdf")
    assert after[0][1] == 0 and after[1][1] == 1


@pytest.mark.parametrize(("name", "page", "message"), [
    ("public_only.pdf", 3, "has 2 page(s); there is no page 3"),
])
def test_when_a_withheld_page_does_not_exist_then_the_run_stops(make_request, tmp_path, name, page, message) -> None:
    with pytest.raises(DecisionsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _run(make_request, tmp_path, name, f'- {{document: {name}, page: {page}, action: withhold, code: "26(d)"}}\n')


def test_when_a_page_of_a_text_file_is_withheld_then_the_run_stops(make_request, tmp_path) -> None:
    folder = make_request({"notes.txt": "Minutes.\n"}, request=STAFF)
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text('- {document: notes.txt, page: 1, action: withhold, code: "26(d)"}\n', encoding="utf-8")
    with pytest.raises(DecisionsError, match="has no pages"):
        run_batch(folder, BatchOptions(decisions=decisions))


def test_when_a_withheld_page_still_shows_text_then_the_document_is_withheld_as_a_leak(
        make_request, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A writer fault that no real file produces: the page is left as it was.
    from redactor.formats.pdf import PdfDocument

    monkeypatch.setattr(PdfDocument, "_withhold_page", lambda self, page, label: None)
    result = _run(make_request, tmp_path, "public_only.pdf",
                  '- {document: public_only.pdf, page: 2, action: withhold, code: "26(d)"}\n')
    assert result.exit_code == ExitCode.LEAK_DETECTED
    assert result.results[0].withheld.reason == "leak detected"
    assert not (result.out_dir / "release/public_only.pdf").exists()
