"""The independent PDF leak check: it recovers text from every place a PDF can hide it, and it finds
live text left under boxes, dark highlights and unapplied redactions.

The PDFs are made here with PyMuPDF (the tool's own PDF engine); only the tests use it. The module
under test reads them with pypdf and pdfplumber alone.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.verify import Haystack
from redactor.verify_pdf import (
    CoveredText,
    EncryptedPdfError,
    PdfText,
    UnverifiablePdfError,
    _Shape,
    _winding,
    find_covered_text,
    read_pdf_sources,
    read_pdf_text,
)

XRAY = Path(__file__).resolve().parents[2] / "shared" / "real_records" / "x-ray"
needs_xray = pytest.mark.skipif(not XRAY.is_dir(), reason=f"x-ray fixtures not present at {XRAY}")

SSN = "219-09-9998"


def _new_page(doc: pymupdf.Document, rotate: int = 0) -> pymupdf.Page:
    page = doc.new_page(width=612, height=792)
    if rotate:
        page.set_rotation(rotate)
    return page


def _save(doc: pymupdf.Document, path: Path, **options: object) -> Path:
    # Compressed streams and object streams: nothing is readable in the raw bytes, so a value can
    # only be found by the source meant to find it.
    doc.save(path, deflate=True, use_objstms=True, **options)
    doc.close()
    return path


def _text_rect(page: pymupdf.Page, text: str) -> pymupdf.Rect:
    hits = page.search_for(text)
    assert hits, text
    return hits[0]


def _found(text: str, value: str) -> bool:
    return Haystack(text).contains(value)


# ------------------------------------------------------------------------------------------------
# A PDF with a value in every hiding place
# ------------------------------------------------------------------------------------------------

# value -> part of the label of the source that must find it
HIDDEN = {
    "Body text Aldous Featherstonehaugh": "pdfplumber chars",
    "White text Millicent Oyelaran": "pdfplumber chars",
    "Invisible text Barnabas Quixley": "pdfplumber chars",
    "Form XObject text Evander Holloway": "XObject",
    "Comment Cordelia Vantongeren": "annotation",
    "Author Bartholomew Ashdown": "annotation",
    "Subject Ptolemy Grisewood": "annotation",
    "https://example.org/records/Zebulon-Marchetti": "annotation",
    "Attached note Wilhelmina Castellanos": "annotation",
    "Field value Quentin Abernathy": "forms",
    "Tooltip Ursula Pennington": "forms",
    "Outline Horatio Blackwood": "outline",
    "Nested outline Ignatius Fairweather": "outline titles",
    "Meta author Persephone Latchford": "info dictionary",
    "Keywords Lucius Thornbury": "info dictionary",
    "Xmp creator Leopold Strathmore": "XMP metadata",
    "Embedded-Octavia-Rensselaer.txt": "attachments",
    "Embedded body Evangelina Morcombe": "attachment Embedded-Octavia-Rensselaer.txt",
    "Label-Cornelius-1": "page labels (computed)",
    "Script Seraphina Delacroix": "OpenAction",
    "Document script Augustin Pemberton": "names",
    "617-555-0142": "names",  # a number in a JavaScript stream is text, not PDF syntax
    "Orphan object Griselda Thornquist": "every object",  # in the file, referenced by nothing
}

XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator><rdf:Seq><rdf:li>Xmp creator Leopold Strathmore</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""


def _js_action(doc: pymupdf.Document, script: str) -> int:
    xref = doc.get_new_xref()
    doc.update_object(xref, f"<< /S /JavaScript /JS ({script}) >>")
    return xref


@pytest.fixture(scope="module")
def kitchen_sink(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One page with a value in each place a reader can recover text from."""
    folder = tmp_path_factory.mktemp("sink")
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Body text Aldous Featherstonehaugh")
    page.insert_text((72, 92), "White text Millicent Oyelaran", color=(1, 1, 1))
    page.insert_text((72, 112), "Invisible text Barnabas Quixley", render_mode=3)

    # Text that lives only inside a Form XObject (another page placed as a form).
    src = pymupdf.open()
    src.new_page(width=300, height=100).insert_text((10, 50), "Form XObject text Evander Holloway")
    page.show_pdf_page(pymupdf.Rect(72, 130, 372, 230), src, 0)
    src.close()

    note = page.add_text_annot((400, 300), "Comment Cordelia Vantongeren")
    note.set_info(title="Author Bartholomew Ashdown", subject="Subject Ptolemy Grisewood")
    note.set_popup(pymupdf.Rect(420, 300, 560, 380))
    note.update()
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 400, 200, 420),
                      "uri": "https://example.org/records/Zebulon-Marchetti"})
    page.add_file_annot((400, 500), b"Attached note Wilhelmina Castellanos", "annot-note.txt")

    field = pymupdf.Widget()
    field.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    field.field_name = "claimant"
    field.field_value = "Field value Quentin Abernathy"
    field.field_label = "Tooltip Ursula Pennington"
    field.rect = pymupdf.Rect(72, 600, 372, 620)
    page.add_widget(field)

    doc.set_toc([[1, "Outline Horatio Blackwood", 1], [2, "Nested outline Ignatius Fairweather", 1]])
    doc.set_metadata({"author": "Meta author Persephone Latchford", "keywords": "Keywords Lucius Thornbury"})
    doc.set_xml_metadata(XMP)
    doc.embfile_add("Embedded-Octavia-Rensselaer.txt", b"Embedded body Evangelina Morcombe")
    doc.set_page_labels([{"startpage": 0, "prefix": "Label-Cornelius-", "style": "D", "firstpagenum": 1}])
    catalog = doc.pdf_catalog()
    doc.xref_set_key(catalog, "OpenAction", f"{_js_action(doc, 'app.alert(1); // Script Seraphina Delacroix')} 0 R")
    script = doc.get_new_xref()
    doc.update_object(script, "<< >>")
    doc.update_stream(script, b"var note = 'Document script Augustin Pemberton'; var phone = 6175550142;")
    js = doc.get_new_xref()
    doc.update_object(js, f"<< /S /JavaScript /JS {script} 0 R >>")
    doc.xref_set_key(catalog, "Names/JavaScript", f"<< /Names [(doc-script) {js} 0 R] >>")
    doc.update_object(doc.get_new_xref(), "<< /Note (Orphan object Griselda Thornquist) >>")
    return _save(doc, folder / "sink.pdf")


@pytest.fixture(scope="module")
def sink_sources(kitchen_sink: Path) -> PdfText:
    return read_pdf_sources(kitchen_sink)


def test_when_values_hide_in_every_part_of_a_pdf_then_the_text_contains_each(kitchen_sink: Path) -> None:
    text = read_pdf_text(kitchen_sink)
    assert text == read_pdf_sources(kitchen_sink).text
    missing = [value for value in HIDDEN if not _found(text, value)]
    assert not missing


@pytest.mark.parametrize("value", list(HIDDEN))
def test_when_a_value_hides_in_one_place_then_the_source_for_that_place_finds_it(
        sink_sources: PdfText, value: str) -> None:
    # The every-object and raw-stream passes would find most values anyway; this pins each
    # dedicated source, so a regression in one of them shows.
    result = sink_sources
    assert _found(result.labelled(HIDDEN[value]), value), [label for label, _ in result.sources]
    assert not result.failures


def test_when_the_raw_bytes_are_compressed_then_the_values_are_not_readable_in_them(kitchen_sink: Path) -> None:
    # Guards the test above: the sink really hides its values from a plain byte search (PyMuPDF leaves
    # only the Info dictionary, the XMP stream and the attachment's name uncompressed).
    raw = kitchen_sink.read_bytes().decode("latin-1")
    readable = [value for value in HIDDEN if _found(raw, value)]
    assert readable == ["Meta author Persephone Latchford", "Keywords Lucius Thornbury",
                        "Xmp creator Leopold Strathmore", "Embedded-Octavia-Rensselaer.txt"]


def test_when_text_was_removed_by_an_incremental_update_then_the_earlier_revision_still_yields_it(
        tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Revision secret Theodora Winterbourne")
    page.insert_text((72, 100), "Kept text")
    first = _save(doc, tmp_path / "update.pdf")

    doc = pymupdf.open(first)
    page = doc[0]
    page.add_redact_annot(_text_rect(page, "Revision secret Theodora Winterbourne"))
    page.apply_redactions()
    doc.saveIncr()
    doc.close()

    result = read_pdf_sources(first)
    assert not _found(result.labelled("pdfplumber"), "Theodora Winterbourne")  # gone from the page...
    assert _found(result.labelled("revision"), "Theodora Winterbourne")  # ...but not from the file
    assert _found(result.labelled("raw decompressed streams"), "Theodora Winterbourne")
    assert _found(result.text, "Theodora Winterbourne")


def test_when_text_operators_use_kerned_arrays_hex_and_escapes_then_the_strings_are_decoded(
        tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "x")  # gives the page a font resource /helv
    xref = page.get_contents()[0]
    doc.update_stream(xref, b"BT /helv 11 Tf 72 700 Td [(21) -120 (9-09) 5 (-9998)] TJ ET\n"
                            b"BT /helv 11 Tf 72 680 Td <4a616e6520526f65> Tj ET\n"
                            b"BT /helv 11 Tf 72 660 Td (Olive \\(Marlowe\\)\\051) Tj ET\n")
    result = read_pdf_sources(_save(doc, tmp_path / "ops.pdf"))
    streams = result.labelled("content stream")
    assert _found(streams, SSN)
    assert _found(streams, "Jane Roe")
    assert "Olive (Marlowe))" in streams


def test_when_coordinates_look_like_a_number_then_they_are_not_read_as_that_number(tmp_path: Path) -> None:
    # "123.456 700 Td" is a position, not text; read as digit groups it would "contain" 123456.
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "x")
    xref = page.get_contents()[0]
    doc.update_stream(xref, b"BT /helv 11 Tf 123.456 700 Td (Case 987654) Tj ET\n"
                            b"q 1 0 0 1 219.09 9998 cm Q\n")
    text = read_pdf_text(_save(doc, tmp_path / "coords.pdf"))
    assert _found(text, "987654")
    assert not _found(text, "123456")
    assert not _found(text, SSN)


def test_when_one_annotation_is_broken_then_the_rest_of_the_file_is_still_read(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Page text Rosalind Pettigrew")
    broken = page.add_text_annot((100, 200), "first note")
    broken.update()
    page.add_text_annot((100, 300), "Second note Cassius Winterbottom").update()
    ap = doc.xref_get_key(broken.xref, "AP/N")[1]
    ap_xref = int(ap.split()[0])
    # An appearance stream compressed with a filter no reader knows: decoding it fails.
    doc.update_stream(ap_xref, b"this is not decodable", compress=False)
    doc.xref_set_key(ap_xref, "Filter", "/BogusDecode")
    path = tmp_path / "broken.pdf"
    doc.save(path)
    doc.close()

    result = read_pdf_sources(path)
    assert result.failures  # the broken stream is reported...
    assert _found(result.labelled("annotation"), "Cassius Winterbottom")  # ...and the rest is read
    assert _found(result.text, "Rosalind Pettigrew")


def test_when_the_pdf_needs_a_user_password_then_reading_and_checking_raise(tmp_path: Path) -> None:
    doc = pymupdf.open()
    _new_page(doc).insert_text((72, 72), f"SSN {SSN}")
    path = tmp_path / "locked.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="user-secret", owner_pw="owner-secret")
    doc.close()
    with pytest.raises(EncryptedPdfError):
        read_pdf_text(path)
    with pytest.raises(EncryptedPdfError):
        find_covered_text(path)


def test_when_only_an_owner_password_is_set_then_the_text_is_read(tmp_path: Path) -> None:
    doc = pymupdf.open()
    _new_page(doc).insert_text((72, 72), f"SSN {SSN}")
    path = tmp_path / "owner.pdf"
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner-secret",
             permissions=pymupdf.PDF_PERM_PRINT)
    doc.close()
    assert _found(read_pdf_text(path), SSN)


@pytest.mark.parametrize("content", [b"this is not a PDF at all\n" * 50, b"%PDF-1.7\n" + zlib.compress(b"junk" * 500)])
def test_when_the_file_is_not_a_parsable_pdf_then_reading_and_checking_raise(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(content)
    with pytest.raises(UnverifiablePdfError):
        read_pdf_text(path)
    with pytest.raises(UnverifiablePdfError):
        find_covered_text(path)


# ------------------------------------------------------------------------------------------------
# Covered text
# ------------------------------------------------------------------------------------------------

def _black_box_pdf(path: Path, rotate: int = 0) -> Path:
    doc = pymupdf.open()
    page = _new_page(doc, rotate)
    page.insert_text((72, 72), f"SSN {SSN}")
    page.insert_text((72, 120), "Visible line Octavius Brandt")
    ssn = _text_rect(page, f"SSN {SSN}")
    page.draw_rect(pymupdf.Rect(ssn.x0 - 2, ssn.y0 - 2, ssn.x1 + 2, ssn.y1 + 2), color=None, fill=(0, 0, 0))
    return _save(doc, path)


def test_when_a_black_rectangle_is_drawn_over_live_text_then_it_is_flagged_with_that_text(tmp_path: Path) -> None:
    covers = find_covered_text(_black_box_pdf(tmp_path / "box.pdf"))
    assert [(c.page, c.kind) for c in covers] == [(1, "dark rectangle")]
    assert covers[0].text == f"SSN {SSN}"
    assert "Octavius" not in covers[0].text


_MARGIN = pymupdf.Rect(-2, -2, 2, 2)  # added to a text's rectangle: a box a little larger


def test_when_one_path_draws_many_boxes_then_only_text_under_a_box_is_flagged(tmp_path: Path) -> None:
    # PyMuPDF draws all of a page's redaction boxes as one path: the path's extent spans text that
    # no box covers (between boxes, inside a frame's hole), which must not be reported.
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Left box Ambrose")
    page.insert_text((72, 100), "Between Cosima")
    page.insert_text((300, 100), "Hole Philippa")
    page.insert_text((300, 160), "Right box Leopoldina")
    shape = page.new_shape()
    shape.draw_rect(_text_rect(page, "Left box Ambrose") + _MARGIN)
    shape.draw_rect(pymupdf.Rect(280, 80, 420, 120))  # a frame: this outer edge, and the inner one below
    shape.draw_rect(_text_rect(page, "Hole Philippa") + _MARGIN)
    shape.draw_rect(_text_rect(page, "Right box Leopoldina") + _MARGIN)
    shape.finish(color=None, fill=(0, 0, 0), even_odd=True)
    shape.commit()
    path = _save(doc, tmp_path / "boxes.pdf")

    # One path, one report: the characters under any of its boxes.
    assert [c.text for c in find_covered_text(path)] == ["Left box Ambrose Right box Leopoldina"]


def test_when_characters_are_converted_then_they_match_pdfplumbers_own_conversion(
        kitchen_sink: Path, tmp_path: Path) -> None:
    # The verifier converts characters itself (pdfplumber's generic conversion was a third of its
    # time); any difference from pdfplumber's objects would change what is read and checked.
    import pdfplumber
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    from redactor.verify_pdf import _char_converter

    doc = pymupdf.open()
    page = _new_page(doc, rotate=90)
    page.set_mediabox(pymupdf.Rect(36, 18, 576, 774))  # an origin off zero moves every coordinate
    page.insert_text((80, 80), "Shifted page Theodosia 617-555-0199")
    shifted = _save(doc, tmp_path / "shifted.pdf")
    files = [kitchen_sink, shifted, _black_box_pdf(tmp_path / "box.pdf")]
    if XRAY.is_dir():
        files += [XRAY / "rectangles_yes.pdf", XRAY / "bad_cross_hatched_redactions.pdf"]
    compared = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for plumber_page in pdf.pages:
                device = PDFPageAggregatorWithMarkedContent(pdf.rsrcmgr, pageno=plumber_page.page_number,
                                                            laparams=pdf.laparams)
                PDFPageInterpreter(pdf.rsrcmgr, device).process_page(plumber_page.page_obj)
                convert = _char_converter(plumber_page)
                stack = [device.get_result()]
                while stack:
                    for item in stack.pop():
                        if isinstance(item, LTChar):
                            assert convert(item) == plumber_page.process_object(item)
                            compared += 1
                        elif isinstance(item, LTContainer):
                            stack.append(item)
    assert compared > 200


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_when_the_page_is_rotated_then_the_box_still_finds_the_text_under_it(tmp_path: Path, rotate: int) -> None:
    covers = find_covered_text(_black_box_pdf(tmp_path / "box.pdf", rotate=rotate))
    assert [c.text for c in covers] == [f"SSN {SSN}"]


def test_when_the_text_is_really_redacted_then_nothing_is_flagged_and_the_digits_are_gone(tmp_path: Path) -> None:
    boxed = _black_box_pdf(tmp_path / "box.pdf")
    doc = pymupdf.open(boxed)
    page = doc[0]
    page.add_redact_annot(_text_rect(page, f"SSN {SSN}"), fill=(0, 0, 0))
    page.apply_redactions()
    redacted = tmp_path / "redacted.pdf"
    doc.save(redacted, garbage=4, deflate=True)
    doc.close()

    assert find_covered_text(redacted) == []
    result = read_pdf_sources(redacted)
    assert not _found(result.text, SSN)
    assert _found(result.text, "Octavius Brandt")


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_when_a_redact_annotation_is_never_applied_then_it_is_flagged_whatever_its_colour(
        tmp_path: Path, rotate: int) -> None:
    # White fill, on a rotated page: the annotation's rectangle must land on the characters.
    doc = pymupdf.open()
    page = _new_page(doc, rotate=rotate)
    page.insert_text((72, 72), f"SSN {SSN}")
    page.add_redact_annot(_text_rect(page, SSN), fill=(1, 1, 1))
    covers = find_covered_text(_save(doc, tmp_path / "unapplied.pdf"))
    assert [(c.kind, c.text) for c in covers] == [("unapplied redaction", SSN)]


@pytest.mark.parametrize(("colour", "flagged"), [((0, 0, 0), True), ((1, 1, 0), False)])
def test_when_text_is_highlighted_then_only_a_dark_highlight_is_flagged(
        tmp_path: Path, colour: tuple[float, ...], flagged: bool) -> None:
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Highlighted Lavinia Hargreaves")
    page.insert_text((72, 100), "Next line Gideon Pryce")
    highlight = page.add_highlight_annot(_text_rect(page, "Lavinia Hargreaves"))
    highlight.set_colors(stroke=colour)
    highlight.update()
    covers = find_covered_text(_save(doc, tmp_path / "highlight.pdf"))
    assert [(c.kind, c.text) for c in covers] == ([("dark highlight", "Lavinia Hargreaves")] if flagged else [])


def _draw_raw(doc: pymupdf.Document, page: pymupdf.Page, category: str, name: str, value: str, ops: bytes) -> None:
    """Append raw drawing operators to the page, with one extra resource (a pattern, a colour space)."""
    page.clean_contents()
    kind, resources = doc.xref_get_key(page.xref, "Resources")
    if kind == "xref":
        doc.xref_set_key(int(resources.split()[0]), f"{category}/{name}", value)
    else:
        doc.xref_set_key(page.xref, f"Resources/{category}/{name}", value)
    contents = page.get_contents()[0]
    doc.update_stream(contents, doc.xref_stream(contents) + b"\n" + ops + b"\n")


def test_when_a_box_is_filled_with_a_dark_hatch_pattern_then_it_is_flagged_as_hatched(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Hatched secret Ottoline Brackenbury")
    pattern = doc.get_new_xref()
    doc.update_object(pattern, "<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 8 8] "
                               "/XStep 8 /YStep 8 /Resources << >> >>")
    # Black cells crossed by gray diagonals, as in bad_cross_hatched_redactions.pdf.
    doc.update_stream(pattern, b"0 g 0 0 8 8 re f 0.3 G 0 0 m 8 8 l 0 8 m 8 0 l S")
    _draw_raw(doc, page, "Pattern", "P1", f"{pattern} 0 R", b"q /Pattern cs /P1 scn 60 710 300 22 re f Q")
    covers = find_covered_text(_save(doc, tmp_path / "hatched.pdf"))
    assert [(c.kind, c.text) for c in covers] == [("hatched pattern", "Hatched secret Ottoline Brackenbury")]


@pytest.mark.parametrize(("tint", "flagged"), [(b"1", True), (b"0", False)])
def test_when_a_box_is_filled_with_a_spot_colour_then_its_tint_decides(
        tmp_path: Path, tint: bytes, flagged: bool) -> None:
    # In a Separation space a tint is an amount of ink: 1 is black, 0 is the white paper (the
    # opposite of DeviceGray), as in court filings printed with a "Black"/"All" separation.
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Spot colour Eudora Blackwell")
    _draw_raw(doc, page, "ColorSpace", "CsK",
              "[/Separation /Black /DeviceGray << /FunctionType 2 /Domain [0 1] /C0 [1] /C1 [0] /N 1 >>]",
              b"q /CsK cs " + tint + b" scn 60 710 300 22 re f Q")
    covers = find_covered_text(_save(doc, tmp_path / "spot.pdf"))
    assert [c.text for c in covers] == (["Spot colour Eudora Blackwell"] if flagged else [])


@pytest.mark.parametrize(("label_colour", "flagged"), [((1, 1, 1), False), ((0, 0, 0), True)])
def test_when_text_is_drawn_on_top_of_a_black_box_then_it_is_flagged_only_in_the_box_colour(
        tmp_path: Path, label_colour: tuple[float, ...], flagged: bool) -> None:
    doc = pymupdf.open()
    page = _new_page(doc)
    page.draw_rect(pymupdf.Rect(70, 58, 300, 78), color=None, fill=(0, 0, 0))
    page.insert_text((72, 72), "Label Philippa Ormsby", color=label_colour)
    covers = find_covered_text(_save(doc, tmp_path / "label.pdf"))
    assert [c.text for c in covers] == (["Label Philippa Ormsby"] if flagged else [])


@pytest.mark.parametrize(("placed_at", "flagged"), [((0, 0, 612, 792), True), ((400, 700, 520, 730), False)])
def test_when_box_and_black_text_share_a_form_then_only_a_stamp_sized_form_is_taken_as_a_label(
        tmp_path: Path, placed_at: tuple[float, ...], flagged: bool) -> None:
    # A page-sized form just wraps page content (black text on a black box is hidden text); a small
    # one is a stamp or a flattened redaction mark carrying its own label (x-ray's ok_words case).
    src = pymupdf.open()
    stamp = src.new_page(width=612, height=792)
    stamp.draw_rect(pymupdf.Rect(70, 58, 300, 78), color=None, fill=(0, 0, 0))
    stamp.insert_text((72, 72), "Wrapped Ambrose Kettleworth", color=(0, 0, 0))
    doc = pymupdf.open()
    page = _new_page(doc)
    page.show_pdf_page(pymupdf.Rect(*placed_at), src, 0, clip=pymupdf.Rect(60, 50, 310, 85) if not flagged else None)
    src.close()
    covers = find_covered_text(_save(doc, tmp_path / "form.pdf"))
    assert [c.text for c in covers] == (["Wrapped Ambrose Kettleworth"] if flagged else [])


def test_when_a_box_only_touches_the_edge_of_the_letters_then_nothing_is_flagged(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = _new_page(doc)
    page.insert_text((72, 72), "Edge case Marguerite Fenwick")
    line = _text_rect(page, "Edge case Marguerite Fenwick")
    # A black bar over the bottom fifth of the line, and one ending just left of the text.
    page.draw_rect(pymupdf.Rect(line.x0, line.y1 - line.height / 5, line.x1, line.y1 + 4), color=None, fill=(0, 0, 0))
    page.draw_rect(pymupdf.Rect(line.x0 - 60, line.y0, line.x0 + 1, line.y1), color=None, fill=(0, 0, 0))
    assert find_covered_text(_save(doc, tmp_path / "edge.pdf")) == []


# ------------------------------------------------------------------------------------------------
# Free Law Project's x-ray fixtures (real court filings)
# ------------------------------------------------------------------------------------------------

XRAY_BAD = {
    "rectangles_yes.pdf": ["“No”", "“Yes”, but did not disclose all relevant medical history"],
    "rectangles_yes_2.pdf": ["def"],
    "bad_cross_hatched_redactions.pdf": ["Yuriy Lutsenko", "Rudolph Giuliani and Victoria Toensing"],
    # White Square annotations over the page text, corrected words typed over them in FreeText
    # annotations: the misspelt original is still there underneath (x-ray misses it).
    "hidden_text_on_visible_text.pdf": ["TROOPPER"],
}

XRAY_OK = sorted(
    [p.name for p in XRAY.glob("no_bad_redactions.*.pdf")] + [p.name for p in XRAY.glob("rect_ordering_*.pdf")]
    + [p.name for p in XRAY.glob("whitespace_redaction*.pdf")]
    + ["unfilled_rect.pdf", "ok_words.pdf", "multi_line_redaction_ok.pdf", "partial_intersections_ok.pdf",
       "rectangles_no.pdf"]
) if XRAY.is_dir() else []


@needs_xray
@pytest.mark.parametrize("name", sorted(XRAY_BAD))
def test_when_an_xray_file_has_a_bad_redaction_then_the_hidden_text_is_flagged(name: str) -> None:
    covers = find_covered_text(XRAY / name)
    texts = " | ".join(c.text for c in covers)
    assert covers
    for expected in XRAY_BAD[name]:
        assert expected in texts


@needs_xray
def test_when_the_rectangles_yes_file_is_checked_then_its_three_boxes_are_reported() -> None:
    covers = find_covered_text(XRAY / "rectangles_yes.pdf")
    assert [c.kind for c in covers] == ["dark rectangle"] * 3
    assert all(isinstance(c, CoveredText) and c.page == 1 for c in covers)


@needs_xray
def test_when_the_cross_hatched_file_is_checked_then_every_hatched_box_is_reported() -> None:
    covers = find_covered_text(XRAY / "bad_cross_hatched_redactions.pdf")
    assert len(covers) == 17
    assert {c.kind for c in covers} == {"hatched pattern"}


@needs_xray
@pytest.mark.parametrize("name", XRAY_OK or ["(x-ray folder absent)"])
def test_when_an_xray_file_has_no_bad_redaction_then_nothing_is_flagged(name: str) -> None:
    assert find_covered_text(XRAY / name) == []


@needs_xray
@pytest.mark.parametrize("name", ["rectangles_yes.pdf", "no_bad_redactions.7.1.pdf"])
def test_when_an_xray_file_is_read_then_its_hidden_text_and_metadata_are_in_the_text(name: str) -> None:
    text = read_pdf_text(XRAY / name)
    expected = {"rectangles_yes.pdf": "did not disclose all relevant medical history",
                "no_bad_redactions.7.1.pdf": "IleneBernal"}[name]
    assert _found(text, expected)


def _rectangle(x0: float, top: float, x1: float, bottom: float) -> list[tuple[float, float]]:
    return [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]


_coordinate = st.floats(min_value=-2_000, max_value=2_000, allow_nan=False)


@st.composite
def _boxes(draw: st.DrawFn) -> list[tuple[float, float, float, float]]:
    boxes = []
    for _ in range(draw(st.integers(min_value=1, max_value=40))):
        x0, top = draw(_coordinate), draw(_coordinate)
        # Mostly small boxes (a redacted word), some page-sized or larger.
        width = draw(st.one_of(st.floats(min_value=0, max_value=120), st.floats(min_value=0, max_value=1e7)))
        height = draw(st.one_of(st.floats(min_value=0, max_value=14), st.floats(min_value=0, max_value=1e7)))
        boxes.append((x0, top, x0 + width, top + height))
    return boxes


@given(boxes=_boxes(), points=st.lists(st.tuples(_coordinate, _coordinate), min_size=1, max_size=30),
       evenodd=st.booleans())
def test_a_shape_of_many_boxes_holds_a_point_as_the_walk_over_all_of_them_says(boxes, points, evenodd) -> None:
    # PyMuPDF draws a page's redaction boxes as one path: the cover check looks only at the boxes
    # near each character, and must answer as if it had looked at every one.
    polygons = [_rectangle(*box) for box in boxes]
    shape = _Shape(seq=1, form=None, colour=(0,), evenodd=evenodd, polygons=[polygons[0]], bbox=boxes[0])

    def check(count: int) -> None:  # the shape made of the first ``count`` boxes
        for point in [*points, (boxes[count - 1][0], boxes[count - 1][1]), (boxes[0][2], boxes[0][3])]:
            x0, top, x1, bottom = shape.bbox
            inside = x0 <= point[0] <= x1 and top <= point[1] <= bottom
            wn = sum(_winding(polygon, point) for polygon in polygons[:count]) if inside else 0
            assert shape.contains(point) is (wn % 2 == 1 if evenodd else wn != 0)

    for count, (polygon, box) in enumerate(zip(polygons[1:], boxes[1:], strict=True), 2):
        shape.add(polygon, box)
        if count == len(boxes) // 2:
            check(count)  # asked before the shape is whole: the boxes added after count too
    check(len(boxes))
