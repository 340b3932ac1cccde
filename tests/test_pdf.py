"""PDF adapter end to end on the generated fixtures (tests/fixtures/pdf, see its README): every value gone
from every channel, public text intact, hidden channels cleared, bad input refused."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pymupdf
import pytesseract
import pytest
from click.testing import CliRunner
from PIL import Image

from redactor.api import BatchOptions, run_batch
from redactor.cli import cli
from redactor.decide import build_findings, redactions_for
from redactor.detect import get_engine
from redactor.errors import ExitCode
from redactor.formats import adapter_for, ocr
from redactor.formats.base import ReadOptions
from redactor.rules import load_rules
from redactor.settings import DetectionConfig
from redactor.verify_pdf import find_covered_text, read_pdf_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
STAFF = {"public_domains": ["millbrook.ma.gov"],
         "public_names": ["Raymond Dufresne", "Linda Castellano", "Eleanor Whitfield", "Sandra Lyle"]}
EXEMPT = ["219-09-9998", "2190999998", "Jane Roe", "jane.roe77@gmail.com", "555-0142", "03/15/1985", "42 Elm Street"]
PUBLIC = ["Millbrook Town Hall", "100 Common Street", "(508) 555-0100", "BC-2026-0318"]


#: Documents redact_fixture opened, closed after each test (an attachment's copy lives in a
#: temporary folder until its document is closed).
_OPENED: list = []


@pytest.fixture(autouse=True)
def _close_opened_documents():
    yield
    while _OPENED:
        _OPENED.pop().close()


def redact_fixture(name: str, tmp_path: Path, config: DetectionConfig | None = None):
    """Read, detect, decide and write one fixture with the real engine; returns the adapter doc and output."""
    path = FIXTURES / name
    doc = adapter_for(path).open(path, ReadOptions())
    _OPENED.append(doc)
    dets = get_engine().detect_many([u.text for u in doc.units],
                                    config or DetectionConfig(public_domains=tuple(STAFF["public_domains"]),
                                                              public_names=tuple(STAFF["public_names"])))
    known = doc.adapter_detections()
    dets = [d + known.get(u.unit_id, []) for u, d in zip(doc.units, dets, strict=True)]
    rules = load_rules()
    findings = build_findings(name, doc, dets, rules)
    out = tmp_path / name
    doc.write_redacted(redactions_for(findings, rules), out)
    return doc, findings, out


def words(path: Path) -> list[tuple[int, pymupdf.Rect, str]]:
    with pymupdf.open(path) as doc:
        return [(p.number, pymupdf.Rect(w[:4]), w[4]) for p in doc for w in p.get_text("words")]


def ocr_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        texts = []
        for page in doc:
            pix = page.get_pixmap(dpi=300)
            texts.append(pytesseract.image_to_string(Image.frombytes("RGB", (pix.width, pix.height), pix.samples)))
        return "\n".join(texts)


TEXT_FIXTURES = ["text_letter.pdf", "split_values.pdf", "rotated.pdf", "two_column.pdf", "tiny_font.pdf",
                 "ligatures.pdf", "form.pdf", "annotations.pdf", "encrypted_open.pdf", "corrupt_repairable.pdf",
                 "incremental_update.pdf", "attachment.pdf", "attachments_nested.pdf", "bad_redaction.pdf"]


@pytest.mark.parametrize("name", TEXT_FIXTURES)
def test_when_a_text_pdf_is_redacted_then_no_exempt_value_is_recoverable_by_another_engine(
        name: str, tmp_path: Path) -> None:
    _, findings, out = redact_fixture(name, tmp_path)
    recovered = read_pdf_text(out)
    flat = " ".join(recovered.split())
    for value in EXEMPT:
        assert value not in flat, value
    for finding in findings:
        if finding.action.removes and len(finding.text) >= 4:
            assert " ".join(finding.text.split()) not in flat, (finding.entity, finding.text)
    assert find_covered_text(out) == []


@pytest.mark.parametrize("name", ["text_letter.pdf", "split_values.pdf", "rotated.pdf", "two_column.pdf",
                                  "tiny_font.pdf", "ligatures.pdf", "public_only.pdf", "bad_redaction.pdf"])
def test_when_a_pdf_is_redacted_then_every_word_outside_the_boxes_survives(name: str, tmp_path: Path) -> None:
    doc, _, out = redact_fixture(name, tmp_path)
    before = words(FIXTURES / name)
    after = Counter(text for _, _, text in words(out))
    for pno, rect, text in before:
        if any(rect.intersects(box) for box in doc.applied_boxes.get(pno, [])):
            continue
        assert after[text] > 0, (pno, text)
    with pymupdf.open(FIXTURES / name) as a, pymupdf.open(out) as b:
        assert a.page_count == b.page_count
        assert [p.rect for p in a] == [p.rect for p in b]


def test_when_the_public_agenda_is_processed_with_the_staff_list_then_nothing_is_redacted(tmp_path: Path) -> None:
    doc, findings, _ = redact_fixture("public_only.pdf", tmp_path)
    assert [f for f in findings if f.action.removes and f.location.part == "body"] == []
    assert not doc.applied_boxes


def test_when_hidden_channels_exist_then_the_release_has_no_metadata_attachments_or_scripts(tmp_path: Path) -> None:
    _, _, out = redact_fixture("text_letter.pdf", tmp_path)
    _, _, out2 = redact_fixture("attachment.pdf", tmp_path)
    with pymupdf.open(out) as doc:
        assert {k: v for k, v in doc.metadata.items() if v and k not in ("format", "producer")} == {}
        assert doc.get_xml_metadata() == ""
        assert all("Roe" not in title for _, title, *_ in doc.get_toc())
    with pymupdf.open(out2) as doc:
        assert doc.embfile_count() == 0
        raw = doc.tobytes().decode("latin-1")
    # A key set to null is absent; no JavaScript action or script may remain.
    assert not re.search(r"/S\s*/JavaScript", raw) and not re.search(r"/JS\s*[(<\[0-9]", raw)
    assert not re.search(r"/JavaScript\s*<<", raw)


def test_when_annotations_and_fields_hold_values_then_they_are_redacted_in_place(tmp_path: Path) -> None:
    _, _, out = redact_fixture("annotations.pdf", tmp_path)
    with pymupdf.open(out) as doc:
        infos = [a.info for p in doc for a in p.annots()]
        links = [link.get("uri", "") for p in doc for link in p.get_links()]
    assert infos and all("219-09-9998" not in i["content"] and "Roe" not in i["title"] for i in infos)
    assert all("jane.roe77" not in uri for uri in links)
    assert any("mass.gov" in uri for uri in links)
    _, _, form = redact_fixture("form.pdf", tmp_path)
    with pymupdf.open(form) as doc:
        values = {w.field_name: w.field_value for p in doc for w in p.widgets()}
    assert "219-09-9998" not in str(values) and values.get("case_no") == "BC-2026-0318"


def test_when_a_page_is_a_scan_then_ocr_finds_the_values_and_their_pixels_are_removed(tmp_path: Path) -> None:
    _doc, findings, out = redact_fixture("scanned.pdf", tmp_path)
    assert {f.entity for f in findings} >= {"US_SSN", "DATE_OF_BIRTH"}
    assert all(f.location.part == "scanned image (OCR)" for f in findings)
    text = ocr_text(out)
    assert "219-09-9998" not in text and "03/15/1985" not in text
    assert "BP-2026-0561" in text


@pytest.mark.parametrize(("preset", "expected"), [(None, "1"), ("3", "3")])
def test_when_a_page_is_read_by_ocr_then_tesseract_runs_on_one_thread_unless_the_officer_set_a_limit(
        monkeypatch, preset: str | None, expected: str) -> None:
    # Tesseract's threads contend with the batch's workers for the same cores; pytesseract hands
    # this process's environment to Tesseract.
    if preset is None:
        monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    else:
        monkeypatch.setenv("OMP_THREAD_LIMIT", preset)
    with pymupdf.open(FIXTURES / "scanned.pdf") as doc:
        png = doc[0].get_pixmap(dpi=ocr.OCR_DPI).tobytes("png")
    read = " ".join(w.text for w in ocr.ocr_words(png))
    assert "BP-2026-0561" in read
    assert os.environ["OMP_THREAD_LIMIT"] == expected


def test_when_an_image_is_shown_on_two_pages_then_both_lose_the_value(tmp_path: Path) -> None:
    _, _, out = redact_fixture("shared_image.pdf", tmp_path)
    assert "9998" not in ocr_text(out)


@pytest.mark.parametrize("name", ["pasted_scan.pdf", "vector_text.pdf"])
def test_when_a_value_is_only_pixels_or_outlines_then_it_is_read_and_removed(name: str, tmp_path: Path) -> None:
    _, findings, out = redact_fixture(name, tmp_path)
    assert any(f.entity == "US_SSN" for f in findings)
    assert "219-09-9998" not in ocr_text(out)


def test_when_the_input_hid_text_under_boxes_then_the_text_is_removed_and_the_report_says_so(tmp_path: Path) -> None:
    doc, findings, out = redact_fixture("bad_redaction.pdf", tmp_path)
    assert sum("hid text" in note for note in doc.notes) == 3
    assert any(f.entity == "PRIOR_REDACTION" or f.detector == "PdfAdapter" for f in findings)
    with pymupdf.open(out) as released:
        assert not [a for p in released for a in p.annots()]
    assert find_covered_text(out) == []


def test_when_the_output_is_made_twice_then_the_bytes_are_the_same(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, _, one = redact_fixture("text_letter.pdf", tmp_path / "a")
    _, _, two = redact_fixture("text_letter.pdf", tmp_path / "b")
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize(("name", "reason", "words_in_message"), [
    ("encrypted_locked.pdf", "encrypted", "qpdf --decrypt"),
    ("corrupt.pdf", "corrupt", "not a readable PDF"),
])
def test_when_a_pdf_cannot_be_read_then_it_is_withheld_with_a_clear_reason(
        make_request, name: str, reason: str, words_in_message: str) -> None:
    folder = make_request({})
    shutil.copy(FIXTURES / name, folder / name)
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    withheld = result.withheld[0]
    assert withheld.reason == reason
    assert not (result.out_dir / "release" / name).exists()


def test_when_ocr_is_off_then_a_scanned_pdf_is_withheld_not_released(make_request) -> None:
    folder = make_request({})
    shutil.copy(FIXTURES / "scanned.pdf", folder / "scanned.pdf")
    result = run_batch(folder, BatchOptions(ocr="never"))
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert result.withheld[0].reason == "unread page"


XRAY = FIXTURES / "xray"


def test_when_verify_scans_the_xray_originals_then_exactly_the_bad_redactions_are_flagged() -> None:
    result = CliRunner().invoke(cli, ["verify", str(XRAY)])
    assert result.exit_code == ExitCode.LEAK_DETECTED
    flagged = {line.split(":")[1].strip() for line in result.output.splitlines() if line.startswith("LEAK:")}
    assert flagged == {"rectangles_yes.pdf", "rectangles_yes_2.pdf", "bad_cross_hatched_redactions.pdf",
                       "hidden_text_on_visible_text.pdf"}


def test_when_the_xray_originals_are_batched_then_the_hidden_text_is_gone_and_verify_is_clean(
        make_request) -> None:
    folder = make_request({})
    for pdf in XRAY.glob("*.pdf"):
        shutil.copy(pdf, folder / pdf.name)
    hidden = {pdf.name: [c.text for c in find_covered_text(pdf)] for pdf in XRAY.glob("*.pdf")}
    result = run_batch(folder, BatchOptions())
    assert result.exit_code in (ExitCode.OK, ExitCode.WITHHELD_FOR_REVIEW)
    assert not result.leaks and not result.withheld
    assert CliRunner().invoke(cli, ["verify", str(result.out_dir)]).exit_code == 0
    for name, texts in hidden.items():
        released = " ".join(read_pdf_text(result.out_dir / "release" / name).split())
        for text in texts:
            if len(text.strip()) >= 12:
                assert " ".join(text.split()) not in released, (name, text)
        notes = next(r.notes for r in result.results if r.document == name)
        assert bool(texts) == any("hid text" in note for note in notes), name


def test_when_tesseract_is_missing_then_a_scanned_pdf_is_withheld(make_request, monkeypatch) -> None:
    # Fault injection: Tesseract cannot be uninstalled inside a test run.
    monkeypatch.setattr("redactor.formats.ocr.tesseract_version", lambda: None)
    folder = make_request({})
    shutil.copy(FIXTURES / "scanned.pdf", folder / "scanned.pdf")
    result = run_batch(folder, BatchOptions())
    assert result.withheld[0].reason == "ocr unavailable"
    assert "tesseract-ocr" in result.withheld[0].detail
    assert not (result.out_dir / "release/scanned.pdf").exists()


def test_when_a_page_label_or_bookmark_names_a_person_then_it_is_redacted(tmp_path: Path) -> None:
    src = tmp_path / "labels.pdf"
    doc = pymupdf.open()
    for _ in range(2):
        doc.new_page().insert_text((72, 100), "Complainant: Jane Roe, SSN 219-09-9998.", fontsize=11)
    doc.set_page_labels([{"startpage": 0, "prefix": "Jane Roe-", "style": "D", "firstpagenum": 1}])
    doc.set_toc([[1, "Statement of Jane Roe", 1]])
    doc.save(src)
    adapter_doc = adapter_for(src).open(src)
    dets = get_engine().detect_many([u.text for u in adapter_doc.units], DetectionConfig())
    rules = load_rules()
    findings = build_findings("labels.pdf", adapter_doc, dets, rules)
    assert {f.location.part for f in findings} >= {"page label", "bookmark"}
    out = tmp_path / "out.pdf"
    adapter_doc.write_redacted(redactions_for(findings, rules), out)
    assert "Jane Roe" not in read_pdf_text(out)


def test_when_a_comment_has_a_vendor_private_copy_then_the_author_is_gone_from_the_release(make_request) -> None:
    # Apple Preview stores a second copy of each comment under AAPL:AKExtras; the page never shows it.
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Meeting notes for the culvert repair.", fontsize=11)
    note = page.add_text_annot((300, 72), "Please review")
    note.set_info(title="Jane Roe")
    note.update()
    private = doc.get_new_xref()
    doc.update_object(private, "<< /AAPL:AKPDFAnnotationDictionary << /Type /Annot /T (Jane Roe) >> >>")
    doc.xref_set_key(note.xref, "AAPL:AKExtras", f"{private} 0 R")
    folder = make_request({"notes.pdf": doc.tobytes()})
    result = run_batch(folder, BatchOptions())
    released = (result.out_dir / "release/notes.pdf").read_bytes()
    assert b"Jane Roe" not in released
    assert b"AKPDFAnnotationDictionary" not in released
    with pymupdf.open(stream=released) as out:
        assert "culvert repair" in out[0].get_text()
        assert [a.info["content"] for a in out[0].annots()] == ["Please review"]


@pytest.mark.parametrize("lines", [("Contact: jane.roe77@", "gmail.com for the file."),
                                   ("Contact: jane.roe77@gmail.", "com for the file."),
                                   ("Call her cell, 413-555-", "0142, after noon.")])
@pytest.mark.parametrize("leading", [14.0, 12.5])
def test_when_a_value_is_broken_over_a_line_end_then_it_is_found_and_removed(lines, leading, make_request) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    # Trailing blanks on the first line, as typesetting programs leave them.
    page.insert_text((72, 72), lines[0] + "  ", fontsize=11)
    page.insert_text((72, 72 + leading), lines[1], fontsize=11)
    folder = make_request({"letter.pdf": doc.tobytes()})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.OK, result.results
    with pymupdf.open(result.out_dir / "release/letter.pdf") as out:
        text = out[0].get_text()
    assert "jane.roe77" not in text and "0142" not in text
    # Only the value goes: the words around it, on both lines, stay.
    assert lines[0].split()[0] in text
    assert lines[1].split(" ", 1)[1] in text


def test_when_a_damaged_pdf_is_repaired_then_the_note_says_so_and_stderr_stays_quiet(make_request, capfd) -> None:
    folder = make_request({})
    shutil.copy(FIXTURES / "corrupt_repairable.pdf", folder / "damaged.pdf")
    result = run_batch(folder, BatchOptions())
    notes = [n for r in result.results for n in r.notes]
    assert any("read after repair" in n for n in notes), notes
    assert "MuPDF error" not in capfd.readouterr().err
