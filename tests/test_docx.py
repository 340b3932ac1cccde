"""Word adapter end to end on the generated fixtures (tests/fixtures/docx, see its README) and on real
third-party files (tests/fixtures/docx/real): every value gone from every part of the package, public
text intact, hidden parts handled, bad input refused with a reason."""

from __future__ import annotations

import csv
import io
import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytesseract
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from redactor.api import BatchOptions, run_batch
from redactor.decide import build_findings, redactions_for
from redactor.detect import get_engine
from redactor.errors import ExitCode, UnreadableDocument
from redactor.formats import adapter_for
from redactor.formats.base import ReadOptions
from redactor.formats.docx import profile_accounts
from redactor.rules import load_rules
from redactor.settings import DetectionConfig
from redactor.verify import Secret, find_leaks, normalise
from redactor.verify_docx import read_docx_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docx"
REAL = FIXTURES / "real"
STAFF = {"public_domains": ["millbrook.ma.gov"],
         "public_names": ["Linda Castellano", "Raymond Dufresne", "Donna Pike"]}
CONFIG = DetectionConfig(public_domains=tuple(STAFF["public_domains"]), public_names=tuple(STAFF["public_names"]))
MARKER = "[REDACTED 26(c)]"

#: Every exempt value planted in the generated fixtures (README lists them per file).
EXEMPT = {
    "split_runs.docx": ["078-05-1120", "(413) 555-0142"],
    "nested_tables.docx": ["Jane Roe", "219-09-9998", "jane.roe77@gmail.com"],
    "headers_footers.docx": ["42 Elm Street", "(413) 555-0142", "jane.roe77@gmail.com", "Harold Whittingham",
                             "(774) 555-0119"],
    "notes.docx": ["219-09-9998", "jane.roe77@gmail.com"],
    "comments.docx": ["(413) 555-0142", "Harold Whittingham", "hwhittingham@comcast.net"],
    "tracked_changes.docx": ["219-09-9998", "(413) 555-0142", "Jane Roe", "Tiffany Duffield"],
    "text_box.docx": ["219-09-9998", "(413) 555-0142"],
    "content_control.docx": ["jane.roe77@gmail.com", "(413) 555-0142", "Harold Whittingham", "03/15/1985"],
    "hyperlinks.docx": ["jane.roe77@gmail.com", "hwhittingham@comcast.net", "Jane Roe"],
    "alt_text.docx": ["Jane Roe", "42 Elm Street", "Harold Whittingham"],
    "hidden_text.docx": ["219-09-9998"],
    "custom_xml.docx": ["Jane Roe", "219-09-9998", "jane.roe77@gmail.com"],
    "properties.docx": ["Jane Roe", "jdoe", "Harold Whittingham", "219-09-9998"],
    "image_ssn.docx": [],  # the SSN is only in the picture's pixels: checked by OCR below
    "ole_embedding.docx": ["219-09-9998", "Jane Roe"],
    "public_only.docx": [],
}
#: Public values in the same files (over-redaction if one goes).
PUBLIC = {
    "split_runs.docx": ["BC-2026-0318", "(508) 555-0100", "Linda Castellano", "lcastellano@millbrook.ma.gov"],
    "nested_tables.docx": ["BP-2026-0561", "Raymond Dufresne"],
    "headers_footers.docx": ["Town of Millbrook - Building Department - BC-2026-0318", "(508) 555-0100"],
    "comments.docx": ["Linda Castellano"],
    "tracked_changes.docx": ["on file with the Building Department", "(508) 555-0100", "Millbrook Town Hall"],
    "hyperlinks.docx": ["lcastellano@millbrook.ma.gov", "write to the neighbor"],
    "hidden_text.docx": ["The board heard the complaint.", "The hearing closed at 8 p.m."],
    "custom_xml.docx": ["BC-2026-0318"],
    "properties.docx": ["Town of Millbrook", "BC-2026-0318", "Resident Letter.dotm", "Dear resident"],
    "public_only.docx": ["Linda Castellano", "Raymond Dufresne", "(508) 555-0105", "(508) 555-0100",
                         "BP-2026-0561", "https://www.millbrook.ma.gov"],
}
REFUSED = {
    "macro.docm": "macro-enabled", "macro_in_docx.docx": "macro-enabled", "legacy.doc": "unsupported format",
    "encrypted.docx": "encrypted", "corrupt_zip.docx": "corrupt", "missing_document.docx": "corrupt",
    "bad_xml.docx": "corrupt",
}
REAL_FILES = sorted(p.name for p in REAL.glob("*.docx"))


def _request(root: Path, sources: list[Path]) -> Path:
    files = root / "files"
    files.mkdir(parents=True)
    for src in sources:
        shutil.copy(src, files / src.name)
    (root / "request.yaml").write_text(yaml.safe_dump(STAFF), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory: pytest.TempPathFactory):
    """All generated fixtures through one batch (read, detect, decide, write, verify, package)."""
    work = tmp_path_factory.mktemp("docx")
    sources = [p for p in sorted(FIXTURES.iterdir()) if p.is_file() and p.name != "README.md"]
    return run_batch(_request(work / "request", sources), BatchOptions(out_dir=work / "out"))


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory):
    """The real third-party Word files through one batch."""
    work = tmp_path_factory.mktemp("docx_real")
    return run_batch(_request(work / "request", [REAL / n for n in REAL_FILES]), BatchOptions(out_dir=work / "out"))


def result_for(run, name: str):
    return next(r for r in run.results if r.document == f"files/{name}")


def released(run, name: str) -> Path:
    return run.out_dir / "release" / "files" / name


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def xml(path: Path, name: str) -> etree._Element:
    return etree.fromstring(parts(path)[name])


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def paragraphs(path: Path) -> dict[str, list[str]]:
    """Per XML part, the text of every paragraph (w:t and w:delText, across runs), read with lxml."""
    out = {}
    for name, data in parts(path).items():
        if not name.endswith(".xml") or b":p>" not in data:
            continue
        root = etree.fromstring(data)
        texts = []
        for p in root.iter():
            if local(p) == "p":
                texts.append("".join(t.text or "" for t in p.iter() if local(t) in ("t", "delText")
                                     and next(a for a in t.iterancestors() if local(a) == "p") is p))
        out[name] = texts
    return out


def flat(text: str) -> str:
    return normalise(text)


# Outcomes ---------------------------------------------------------------------------------------------

def test_when_fixtures_are_processed_then_refused_files_are_withheld_with_a_reason_and_the_rest_released(
        fixture_run) -> None:
    assert fixture_run.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    for name, reason in REFUSED.items():
        result = result_for(fixture_run, name)
        assert result.status == "withheld" and result.withheld.reason == reason, name
        assert not released(fixture_run, name).exists()
    for name in EXEMPT:
        assert result_for(fixture_run, name).status == "released", (name, result_for(fixture_run, name).withheld)
    assert not any(r.leaks for r in fixture_run.results)


@pytest.mark.parametrize(("name", "hint"), [
    ("macro.docm", "save a copy as .docx"), ("legacy.doc", "save it as .docx"),
    ("encrypted.docx", "remove the password"), ("bad_xml.docx", "save a new copy"),
    ("missing_document.docx", "save a new copy"), ("corrupt_zip.docx", "save a new copy"),
])
def test_when_a_word_file_cannot_be_released_then_the_message_says_what_to_do(name: str, hint: str) -> None:
    path = FIXTURES / name
    with pytest.raises(UnreadableDocument) as err:
        adapter_for(path).open(path, ReadOptions())
    assert hint in str(err.value)


@pytest.mark.parametrize("name", [n for n, values in EXEMPT.items() if values])
def test_when_a_fixture_is_released_then_no_planted_value_is_recoverable_from_any_part(fixture_run, name) -> None:
    text = flat(read_docx_text(released(fixture_run, name)))
    # Numbers are looked for by their digits in any spelling, words in any spacing.
    for value in EXEMPT[name]:
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 6:
            assert digits not in re.sub(r"\D", "", text.replace("|", "x")), value
        else:
            assert flat(value) not in text, value
    if name != "ole_embedding.docx":  # its values were only in the removed parts
        assert "[redacted 26(" in text


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_when_a_fixture_is_released_then_public_values_stay(fixture_run, name: str) -> None:
    text = flat(read_docx_text(released(fixture_run, name)))
    for value in PUBLIC[name]:
        assert flat(value) in text, value


@pytest.mark.parametrize("name", [n for n in EXEMPT])
def test_when_a_paragraph_has_no_finding_then_its_text_is_unchanged(fixture_run, name: str) -> None:
    values = [f.text for f in result_for(fixture_run, name).findings if f.action.removes]
    before, after = paragraphs(FIXTURES / name), paragraphs(released(fixture_run, name))
    changed = 0
    for part, texts in before.items():
        kept = after.get(part, [])
        for text in texts:
            if any(v in text for v in values) or any(re.sub(r"\D", "", v) and len(re.sub(r"\D", "", v)) >= 6
                                                     and re.sub(r"\D", "", v) in re.sub(r"\D", "", text)
                                                     for v in values):
                changed += 1
                assert text not in kept or not text.strip(), (part, text)
            else:
                assert text in kept or text + "[embedded object withheld for review]" in kept, (part, text)
    if name == "public_only.docx":
        assert changed == 0


def test_when_the_public_agenda_is_processed_then_nothing_is_redacted(fixture_run) -> None:
    assert [f.text for f in result_for(fixture_run, "public_only.docx").findings if f.action.removes] == []


# Where values hide ---------------------------------------------------------------------------------------

def test_when_an_ssn_is_split_across_runs_then_the_marker_takes_the_first_runs_formatting(fixture_run) -> None:
    out = docx.Document(str(released(fixture_run, "split_runs.docx")))
    para = next(p for p in out.paragraphs if p.text.startswith("Complainant SSN"))
    runs = [(r.text, bool(r.bold)) for r in para.runs]
    assert runs == [("Complainant SSN: ", False), (MARKER, False), ("", True), ("", False),
                    (" (verified by the clerk).", False)]
    phone = next(p for p in out.paragraphs if p.text.startswith("Complainant cell"))
    assert [r.text for r in phone.runs] == ["Complainant cell: " + MARKER, "", ". Main office: (508) 555-0100."]
    assert phone.runs[1].italic and phone.runs[1].underline


def test_when_values_are_in_nested_tables_then_the_inner_cells_are_redacted(fixture_run) -> None:
    out = docx.Document(str(released(fixture_run, "nested_tables.docx")))
    inner = out.tables[0].cell(1, 1).tables[0]
    assert [inner.cell(r, 1).text for r in range(3)] == [MARKER, "[REDACTED 26(c)]", MARKER]
    assert [inner.cell(r, 0).text for r in range(3)] == ["Name", "SSN", "E-mail"]


def test_when_headers_and_footers_hold_values_then_each_kind_is_redacted_and_logged(fixture_run) -> None:
    result = result_for(fixture_run, "headers_footers.docx")
    where = {f.location.describe().split(",")[0] for f in result.findings if f.action.removes}
    assert {"header (first page)", "header (even pages)", "footer", "footer (even pages)"} <= where
    out = docx.Document(str(released(fixture_run, "headers_footers.docx")))
    section = out.sections[0]
    assert section.header.paragraphs[0].text == "Town of Millbrook - Building Department - BC-2026-0318"
    assert section.first_page_header.paragraphs[0].text == f"Resident cell {MARKER}"


def test_when_footnotes_and_endnotes_hold_values_then_they_are_redacted(fixture_run) -> None:
    parts_out = paragraphs(released(fixture_run, "notes.docx"))
    assert any(MARKER in t for t in parts_out["word/footnotes.xml"])
    assert any(MARKER in t for t in parts_out["word/endnotes.xml"])
    where = {f.location.part for f in result_for(fixture_run, "notes.docx").findings if f.action.removes}
    assert {"footnote", "endnote"} <= where


def test_when_comments_hold_values_then_text_and_private_authors_go_and_anchors_stay(fixture_run) -> None:
    src, out = FIXTURES / "comments.docx", released(fixture_run, "comments.docx")
    comments = xml(out, "word/comments.xml")
    authors = [c.get(f"{{{comments.nsmap['w']}}}author") for c in comments if local(c) == "comment"]
    assert authors == ["Linda Castellano", MARKER]
    assert "(413) 555-0142" not in etree.tostring(comments, encoding="unicode")
    anchors = ("commentRangeStart", "commentRangeEnd", "commentReference")
    count = {n: sum(1 for e in xml(src, "word/document.xml").iter() if local(e) == n) for n in anchors}
    assert count == {n: sum(1 for e in xml(out, "word/document.xml").iter() if local(e) == n) for n in anchors}
    assert count["commentReference"] == 2
    people = parts(out)["word/people.xml"].decode()
    assert "Whittingham" not in people and "hwhittingham" not in people and "lcastellano@millbrook.ma.gov" not in people
    parts_logged = {f.location.part for f in result_for(fixture_run, "comments.docx").findings if f.action.removes}
    assert {"comment", "comment author", "comment author account"} <= parts_logged


def test_when_a_value_is_only_in_a_tracked_deletion_then_it_is_found_and_redacted_inside_it(fixture_run) -> None:
    src, out = FIXTURES / "tracked_changes.docx", released(fixture_run, "tracked_changes.docx")
    kinds = ("ins", "del", "delText", "rPrChange")
    count = {k: sum(1 for e in xml(src, "word/document.xml").iter() if local(e) == k) for k in kinds}
    assert count == {k: sum(1 for e in xml(out, "word/document.xml").iter() if local(e) == k) for k in kinds}
    deleted = [e.text for e in xml(out, "word/document.xml").iter() if local(e) == "delText"]
    assert deleted == [f"SSN {MARKER}", MARKER]
    findings = result_for(fixture_run, "tracked_changes.docx").findings
    ssn = next(f for f in findings if f.entity == "US_SSN")
    assert "tracked deletion" in ssn.location.part
    # Neither reading glues the deleted number to the inserted words.
    assert not any("9998on" in f.text.replace(" ", "") for f in findings)
    authors = {v for e in xml(out, "word/document.xml").iter() for k, v in e.attrib.items() if k.endswith("}author")}
    assert authors == {MARKER}


def test_when_a_text_box_has_a_drawingml_and_a_vml_copy_then_both_are_redacted(fixture_run) -> None:
    boxes = [t for t in paragraphs(released(fixture_run, "text_box.docx"))["word/document.xml"] if "Owner SSN" in t]
    assert boxes == [f"Owner SSN {MARKER}", f"Owner SSN {MARKER}"]
    assert any(f.location.part == "text box" for f in result_for(fixture_run, "text_box.docx").findings)


def test_when_content_controls_and_form_fields_hold_values_then_they_are_redacted(fixture_run) -> None:
    out = parts(released(fixture_run, "content_control.docx"))["word/document.xml"].decode()
    assert f'w:displayText="{MARKER}"' in out and f'w:val="{MARKER}"' in out  # list item, form default
    assert "Applicant e-mail" in out  # the control's title is a label, not a value


def test_when_links_point_to_private_addresses_then_targets_and_field_codes_are_redacted(fixture_run) -> None:
    out = released(fixture_run, "hyperlinks.docx")
    rels = parts(out)["word/_rels/document.xml.rels"].decode()
    assert "mailto:%5BREDACTED%2026(c)%5D?subject=Complaint" in rels
    instr = "".join(e.text or "" for e in xml(out, "word/document.xml").iter() if local(e) == "instrText")
    assert "comcast" not in instr and MARKER in instr
    doc = parts(out)["word/document.xml"].decode()
    assert "mailto:lcastellano@millbrook.ma.gov&quot;" in doc  # the public address stays in its field
    assert "Write to [REDACTED" in doc
    assert docx.Document(str(out)).paragraphs  # Word-compatible relationship targets


def test_when_alt_text_describes_a_private_person_then_it_is_redacted(fixture_run) -> None:
    doc = xml(released(fixture_run, "alt_text.docx"), "word/document.xml")
    descr = {e.get("descr") for e in doc.iter() if local(e) in ("docPr", "cNvPr")}
    assert descr == {f"Driveway of {MARKER} at {MARKER}"}
    assert any(f.location.part == "alt text" for f in result_for(fixture_run, "alt_text.docx").findings)


def test_when_hidden_text_holds_a_value_then_it_is_redacted_and_stays_hidden(fixture_run) -> None:
    out = docx.Document(str(released(fixture_run, "hidden_text.docx")))
    para = next(p for p in out.paragraphs if p.text.startswith("The board"))
    hidden = [r for r in para.runs if r.font.hidden]
    assert [r.text for r in hidden] == [f" Complainant SSN {MARKER}."]
    ssn = next(f for f in result_for(fixture_run, "hidden_text.docx").findings if f.entity == "US_SSN")
    assert "hidden text" in ssn.location.part


def test_when_custom_xml_holds_values_then_they_are_redacted_and_the_case_number_kept(fixture_run) -> None:
    item = parts(released(fixture_run, "custom_xml.docx"))["customXml/item1.xml"].decode()
    assert "<ssn>[REDACTED 26(c)]</ssn>" in item and "<case>BC-2026-0318</case>" in item


def test_when_properties_name_a_person_or_account_then_they_are_cleared(fixture_run) -> None:
    out = released(fixture_run, "properties.docx")
    core = xml(out, "docProps/core.xml")
    values = {local(e): (e.text or "") for e in core}
    assert values["creator"] == "" and values["lastModifiedBy"] == "" and values["title"] == ""
    app = {local(e): (e.text or "") for e in xml(out, "docProps/app.xml")}
    assert app["Manager"] == "" and app["Company"] == "Town of Millbrook"
    assert app["Template"] == ""  # a property holding a finding (the account in the path) is cleared
    custom = parts(out)["docProps/custom.xml"].decode()
    assert "219-09-9998" not in custom and "BC-2026-0318" in custom
    rels = parts(out)["word/_rels/settings.xml.rels"].decode()
    assert "jdoe" not in rels and "%5BREDACTED" in rels
    user = [f for f in result_for(fixture_run, "properties.docx").findings if f.entity == "USERNAME"]
    assert "DocxAdapter" in {f.detector for f in user}
    assert {f.location.part for f in user} >= {"document properties", "template path"}


def test_when_a_picture_shows_an_ssn_then_its_pixels_are_blacked_out_in_its_own_format(fixture_run) -> None:
    before = Image.open(io.BytesIO(parts(FIXTURES / "image_ssn.docx")["word/media/image1.png"]))
    after = Image.open(io.BytesIO(parts(released(fixture_run, "image_ssn.docx"))["word/media/image1.png"]))
    assert (after.format, after.size) == (before.format, before.size)
    read = pytesseract.image_to_string(after)
    assert "9998" not in read and "219-09" not in read
    assert "BP-2026-0561" in read.replace(" ", "")
    ssn = next(f for f in result_for(fixture_run, "image_ssn.docx").findings if f.entity == "US_SSN")
    assert ssn.location.part == "picture (OCR)"


def test_when_embedded_objects_are_present_then_they_are_removed_listed_and_marked(fixture_run) -> None:
    out = released(fixture_run, "ole_embedding.docx")
    names = parts(out)
    assert not any(n.startswith("word/embeddings/") for n in names) and "word/afchunk.mht" not in names
    rels = names["word/_rels/document.xml.rels"].decode()
    assert "oleObject" not in rels and "aFChunk" not in rels
    doc = names["word/document.xml"].decode()
    assert doc.count("[embedded object withheld for review]") == 2 and "altChunk" not in doc and "OLEObject" not in doc
    assert names["word/media/image2.emf"] != parts(FIXTURES / "ole_embedding.docx")["word/media/image2.emf"]
    reasons = sorted(w.reason for w in result_for(fixture_run, "ole_embedding.docx").parts_withheld)
    assert reasons == ["embedded object", "embedded object", "unread picture"]
    log = list(csv.DictReader((fixture_run.out_dir / "release" / "redaction_log.csv").open(encoding="utf-8")))
    assert sum(1 for row in log if row["document"] == "files/ole_embedding.docx"
               and row["disposition"] == "withheld in full" and row["location"] in ("embedded object",
                                                                                    "unread picture")) == 3


# The package ------------------------------------------------------------------------------------------------

def test_when_a_document_is_released_then_the_log_rows_carry_document_part_entity_and_code(fixture_run) -> None:
    rows = list(csv.DictReader((fixture_run.out_dir / "release" / "redaction_log.csv").open(encoding="utf-8")))
    docx_rows = [r for r in rows if r["document"].endswith(".docx") and r["disposition"] == "redacted"]
    assert docx_rows
    for row in docx_rows:
        assert row["location"] and row["entity_type"] and row["exemption_code"], row
    locations = {r["location"].split(",")[0] for r in docx_rows}
    assert {"comment", "comment author", "footnote", "header (first page)", "alt text", "document properties",
            "hyperlink target", "text box", "custom XML", "picture (OCR)"} <= locations
    assert not any("219-09-9998" in v for r in rows for v in r.values())


@pytest.mark.parametrize("name", [n for n in EXEMPT])
def test_when_a_document_is_released_then_it_opens_in_python_docx(fixture_run, name: str) -> None:
    assert docx.Document(str(released(fixture_run, name))).paragraphs


def test_when_a_document_is_written_twice_then_the_bytes_are_identical_and_untouched_parts_kept(tmp_path) -> None:
    path = FIXTURES / "split_runs.docx"
    outs = []
    for i in range(2):
        doc = adapter_for(path).open(path, ReadOptions())
        findings = build_findings("d", doc, get_engine().detect_many([u.text for u in doc.units], CONFIG),
                                  load_rules())
        outs.append(doc.write_redacted(redactions_for(findings, load_rules()), tmp_path / f"{i}.docx")[0])
    assert outs[0].read_bytes() == outs[1].read_bytes()
    before, after = parts(path), parts(outs[0])
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(outs[0]) as b:
        assert [i.filename for i in a.infolist() if i.filename in after] == [i.filename for i in b.infolist()]
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in b.infolist())
    for name in ("word/styles.xml", "word/settings.xml", "word/theme/theme1.xml", "word/fontTable.xml"):
        assert before[name] == after[name], name
    assert "docProps/thumbnail.jpeg" not in after


def test_when_ocr_is_off_then_a_picture_that_may_hold_text_is_blanked_and_listed(tmp_path) -> None:
    path = FIXTURES / "image_ssn.docx"
    doc = adapter_for(path).open(path, ReadOptions(ocr="never"))
    assert [w.reason for w in doc.withheld_parts()] == ["unread picture"]
    out = doc.write_redacted([], tmp_path / "out.docx")[0]
    picture = Image.open(io.BytesIO(parts(out)["word/media/image1.png"]))
    assert picture.size == (900, 220) and picture.getcolors(1) is not None  # one colour


def test_when_a_template_is_given_then_it_is_read_and_released_as_a_template(tmp_path, make_request) -> None:
    data = parts(FIXTURES / "split_runs.docx")
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(b"document.main+xml", b"template.main+xml")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    root = make_request({"files/form.dotx": buf.getvalue()}, request=STAFF)
    result = run_batch(root, BatchOptions(out_dir=tmp_path / "out"))
    assert result.results[0].status == "released"
    assert "0780" not in re.sub(r"\D", "", read_docx_text(result.out_dir / "release" / "files" / "form.dotx"))


# The independent check -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [n for n, values in EXEMPT.items() if values and n != "ole_embedding.docx"])
def test_when_the_verifier_reads_an_unredacted_fixture_then_it_finds_every_planted_value(name: str) -> None:
    secrets = [Secret(str(i), name, "X", v) for i, v in enumerate(EXEMPT[name])]
    assert sorted(leak.finding_id for leak in find_leaks(FIXTURES / name, secrets)) == sorted(s.finding_id
                                                                                             for s in secrets)


def test_when_a_released_docx_cannot_be_unzipped_then_the_verifier_reports_it(tmp_path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    leaks = find_leaks(bad, [Secret("1", "d", "US_SSN", "219-09-9998")])
    assert leaks and "unverifiable" in leaks[0].entity


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=1, max_value=27), max_size=5, unique=True),
       bold=st.lists(st.booleans(), min_size=6, max_size=6))
def test_when_a_value_is_split_at_any_run_boundaries_then_it_is_found_and_removed(tmp_path, cuts, bold) -> None:
    text = "Resident SSN 219-09-9998 on file."
    document = docx.Document()
    para = document.add_paragraph()
    edges = [0, *sorted(cuts), len(text)]
    for i, (s, e) in enumerate(itertools.pairwise(edges)):
        para.add_run(text[s:e]).bold = bold[i % len(bold)]
    src = tmp_path / "split.docx"
    document.save(str(src))
    doc = adapter_for(src).open(src, ReadOptions())
    findings = build_findings("d", doc, get_engine().detect_many([u.text for u in doc.units], CONFIG), load_rules())
    assert [f.text for f in findings if f.entity == "US_SSN"] == ["219-09-9998"]
    out = doc.write_redacted(redactions_for(findings, load_rules()), tmp_path / "out.docx")[0]
    body = docx.Document(str(out)).paragraphs[0].text
    assert body == f"Resident SSN {MARKER} on file."


def test_profile_paths_name_their_account() -> None:
    text = r"C:\Users\jdoe\AppData\x.dotm; /home/kim/doc; C:\Users\Public\x; file:///C:/Users/a.b/x"
    assert [text[s:e] for s, e in profile_accounts(text)] == ["jdoe", "kim", "a.b"]


# Real files ---------------------------------------------------------------------------------------------------

def test_when_real_word_files_are_processed_then_all_are_released_without_leaks(real_run) -> None:
    assert real_run.exit_code == ExitCode.OK, [(r.document, r.withheld) for r in real_run.results]
    assert {r.document for r in real_run.results if r.status == "released"} == {f"files/{n}" for n in REAL_FILES}
    assert real_run.leaks == []


@pytest.mark.parametrize("name", REAL_FILES)
def test_when_a_real_file_is_released_then_paragraphs_without_findings_are_unchanged(real_run, name: str) -> None:
    values = [f.text for f in result_for(real_run, name).findings if f.action.removes]
    before, after = paragraphs(REAL / name), paragraphs(released(real_run, name))
    for part, texts in before.items():
        for text in texts:
            if not any(v.casefold() in text.casefold() or "".join(v.split()).casefold() in text.casefold()
                       for v in values):
                assert text in after.get(part, []), (part, text)


def test_when_real_tracked_changes_and_comments_are_processed_then_they_are_kept_and_authors_redacted(
        real_run) -> None:
    out = released(real_run, "expected_redline.docx")
    src_doc, out_doc = xml(REAL / "expected_redline.docx", "word/document.xml"), xml(out, "word/document.xml")
    for kind in ("ins", "del", "delText"):
        assert sum(1 for e in src_doc.iter() if local(e) == kind) == sum(1 for e in out_doc.iter() if local(e) == kind)
    assert "what happened here" in " ".join(e.text or "" for e in out_doc.iter() if local(e) == "delText")
    assert "John Scrudato" not in read_docx_text(out)
    comments = read_docx_text(released(real_run, "comments.docx"))
    assert "Randy Bartels" not in comments and "r.bartels@kirkpatrickprice.com" not in comments


def test_when_strict_ooxml_is_processed_then_it_is_read_and_its_author_cleared(real_run) -> None:
    result = result_for(real_run, "strict.docx")
    assert result.units > 3 and "Shay Hill" not in read_docx_text(released(real_run, "strict.docx"))


def test_when_real_files_are_released_then_python_docx_opens_them(real_run) -> None:
    for name in REAL_FILES:
        if name != "strict.docx":  # python-docx cannot open ISO Strict packages at all
            assert docx.Document(str(released(real_run, name))) is not None, name


def test_when_libreoffice_is_installed_then_released_files_convert_to_pdf(fixture_run, real_run, tmp_path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed; the conversion check needs it")
    outputs = [released(fixture_run, n) for n in EXEMPT] + [released(real_run, n) for n in REAL_FILES]
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, outputs)],
                   check=True, capture_output=True, timeout=600)
    assert {p.stem for p in tmp_path.glob("*.pdf")} == {p.stem for p in outputs}
