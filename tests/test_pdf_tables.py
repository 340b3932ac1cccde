"""Tables in PDFs: a row's cells are read side by side, split by tabs, and the rows of a table one
under another, so a value is read under its column's header as in a text table. A column of
account numbers headed "Account number" is removed; the routing numbers beside it stay."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pymupdf

from redactor.api import BatchOptions, run_batch
from redactor.formats.ocr import ocr_words
from redactor.formats.pdf import PdfAdapter, _ocr_tables

HEADER = ("Payee", "Account number", "Routing", "Amount")
ROWS = [("Maria Lopez", "004512345678", "011000138", "$120.00"),
        ("Kevin Tran", "", "021000021", "$75.50"),  # no account on file: the cell is empty
        ("Ana Ruiz", "310045678812", "011000138", "$310.00")]
WIDE = (72, 200, 340, 460)
#: "Account number" runs into the next column, and MuPDF reads it and "Routing" as one line.
NARROW = (72, 140, 220, 280)


def _table_pdf(path: Path, columns: tuple[int, ...], pages: list[list[tuple[str, ...]]]) -> Path:
    """A PDF of a table drawn as a word processor or a report writer does: each cell's text placed
    at its column, no separators. The first page has a title and the header row; the rows of each
    further page run on without a header."""
    doc = pymupdf.open()
    for number, rows in enumerate(pages):
        page = doc.new_page()
        y = 72
        if number == 0:
            page.insert_text((72, y), "Vendor payments, fiscal 2025", fontsize=12)
            y += 38
            rows = [HEADER, *rows]
        for row in rows:
            for x, value in zip(columns, row, strict=True):
                if value:
                    page.insert_text((x, y), value, fontsize=10)
            y += 18
        if number == len(pages) - 1:
            page.insert_text((72, y + 20), "Approved by the Treasurer.", fontsize=10)
    doc.save(path)
    return path


def _page_texts(path: Path) -> list[str]:
    document = PdfAdapter().open(path)
    try:
        return [u.text for u in document.units if u.part == "body"]
    finally:
        document.close()


def test_a_tables_cells_are_split_by_tabs_and_an_empty_cell_keeps_its_column(tmp_path) -> None:
    [text] = _page_texts(_table_pdf(tmp_path / "payments.pdf", WIDE, [ROWS]))
    assert text == ("Vendor payments, fiscal 2025\n\n"
                    "Payee\tAccount number\tRouting\tAmount\n"
                    "Maria Lopez\t004512345678\t011000138\t$120.00\n"
                    "Kevin Tran\t\t021000021\t$75.50\n"
                    "Ana Ruiz\t310045678812\t011000138\t$310.00\n\n"
                    "Approved by the Treasurer.")


def test_when_header_cells_run_together_then_the_rows_keep_their_columns(tmp_path) -> None:
    # MuPDF reads "Account number" and "Routing" as one line: the header is split where the
    # column of the rows under it starts.
    [text] = _page_texts(_table_pdf(tmp_path / "payments.pdf", NARROW, [ROWS]))
    assert "Payee\tAccount number\tRouting\tAmount\n" in text
    assert "\nKevin Tran\t\t021000021\t$75.50\n" in text


def _story_pdf(path: Path) -> Path:
    """The table laid out by MuPDF's own HTML engine, cells close together: a long name and the
    account number beside it are read as one line."""
    rows = "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in row)}</tr>" for row in [
        ("Maria Lopez", "004512345678", "011000138", "$120.00"),
        ("Ana Ruiz de la Fuente Montoya", "310045678812", "011000138", "$310.00")])
    story = pymupdf.Story(html="<p>Vendor payments, fiscal 2025</p><table border='1'><tr>"
                          + "".join(f"<th>{h}</th>" for h in HEADER) + f"</tr>{rows}</table>")
    writer = pymupdf.DocumentWriter(str(path))
    more = True
    while more:
        device = writer.begin_page(pymupdf.paper_rect("letter"))
        more, _ = story.place(pymupdf.Rect(72, 72, 540, 720))  # letter, one-inch margins
        story.draw(device)
        writer.end_page()
    writer.close()
    return path


def test_a_number_run_into_the_cell_before_it_is_read_in_its_own_column(tmp_path) -> None:
    [text] = _page_texts(_story_pdf(tmp_path / "payments.pdf"))
    assert "\nAna Ruiz de la Fuente Montoya\t310045678812\t" in text


def _released(make_request, pdf: Path) -> tuple[str, list[str]]:
    folder = make_request({"payments.pdf": pdf.read_bytes()}, request={"request_id": "R-T"}, name=pdf.stem)
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == 0, result
    with pdfplumber.open(result.out_dir / "release" / "payments.pdf") as released:
        text = "\n".join(page.extract_text() or "" for page in released.pages)
    log = (result.out_dir / "release" / "redaction_log.csv").read_text(encoding="utf-8")
    return text, [line for line in log.splitlines() if "US_BANK_NUMBER" in line]


def test_account_numbers_in_a_pdf_table_are_removed_and_routing_numbers_kept(make_request, tmp_path) -> None:
    for columns in (WIDE, NARROW):
        text, banks = _released(make_request, _table_pdf(tmp_path / f"{columns[1]}.pdf", columns, [ROWS]))
        assert "004512345678" not in text and "310045678812" not in text
        assert text.count("011000138") == 2 and "021000021" in text and "$75.50" in text
        assert len(banks) == 2
    text, banks = _released(make_request, _story_pdf(tmp_path / "story.pdf"))
    assert "004512345678" not in text and "310045678812" not in text and text.count("011000138") == 2
    assert len(banks) == 2


def test_a_table_running_over_pages_without_its_header_is_read_under_it_on_each(make_request, tmp_path) -> None:
    pages = [[("Maria Lopez", "004512345678", "011000138", "$120.00")],
             [("Kevin Tran", "778812340091", "021000021", "$75.50")],
             [("Ana Ruiz", "310045678812", "011000138", "$310.00")]]
    text, banks = _released(make_request, _table_pdf(tmp_path / "payments.pdf", WIDE, pages))
    for account in ("004512345678", "778812340091", "310045678812"):
        assert account not in text
    assert "021000021" in text and "$310.00" in text
    assert len(banks) == 3


def test_prose_and_a_label_beside_its_value_read_as_before(tmp_path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Claimant SSN: 219-09-", fontsize=10)
    page.insert_text((72, 84), "9998 was given at intake.", fontsize=10)
    page.insert_text((72, 120), "Case number:", fontsize=10)
    page.insert_text((200, 120), "2025-0412", fontsize=10)
    doc.save(tmp_path / "form.pdf")
    [text] = _page_texts(tmp_path / "form.pdf")
    assert "Claimant SSN: 219-09-9998 was given at intake." in text
    assert "Case number:\t2025-0412" in text


def _scanned(pdf: Path, out: Path) -> Path:
    """``pdf``'s first page as a scan: a grey image of it, no text layer."""
    page = pymupdf.open(pdf)[0]
    image = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY).tobytes("png")
    scan = pymupdf.open()
    scan.new_page(width=page.rect.width, height=page.rect.height).insert_image(page.rect, stream=image)
    scan.save(out)
    return out


def _ocr_text(path: Path) -> str:
    document = PdfAdapter().open(path)
    try:
        [text] = [u.text for u in document.units if u.ocr]
        return text
    finally:
        document.close()


def test_a_scanned_table_is_read_a_row_a_line(make_request, tmp_path) -> None:
    # Tesseract reads the table's columns one after the other: the second account number would be
    # read three lines below "Account number", under another row's name.
    scan = _scanned(_table_pdf(tmp_path / "typed.pdf", WIDE, [ROWS]), tmp_path / "payments.pdf")
    text = _ocr_text(scan)
    assert "\nKevin Tran\t\t021000021\t$75.50\nAna Ruiz\t310045678812\t011000138\t$310.00\n" in text
    folder = make_request({"payments.pdf": scan.read_bytes()}, request={"request_id": "R-T"})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == 0
    released = pymupdf.open(result.out_dir / "release" / "payments.pdf")[0]
    seen = " ".join(w.text for w in ocr_words(released.get_pixmap(dpi=300).tobytes("png")))
    assert "004512345678" not in seen and "310045678812" not in seen
    assert seen.count("011000138") == 2 and "021000021" in seen


def _words(*rows: tuple[str, ...], x: tuple[int, ...] = (72, 250, 428), height: float = 10) -> tuple[list, list]:
    """Word boxes as Tesseract gives them, a row of cells per line, each cell's words 4 points apart."""
    boxes, texts = [], []
    for n, row in enumerate(rows):
        for left, cell in zip(x, row, strict=True):
            at = left
            for word in cell.split():
                width = 5.5 * len(word)
                boxes.append(pymupdf.Rect(at, 100 + 16 * n, at + width, 100 + 16 * n + height))
                texts.append(word)
                at += width + 4
    return boxes, texts


def test_only_short_cells_over_a_column_of_numbers_make_a_scanned_table() -> None:
    table = _words(("Payee", "Account number", "Amount"), ("Maria Lopez", "004512345678", "$120.00"),
                   ("Ana Ruiz", "310045678812", "$310.00"))
    assert [[len(row)] for row in _ocr_tables(*table)[0]] == [[3], [3], [3]]
    # Columns of prose side by side: lines of more than a few words; or short, with no numbers.
    prose = _words(("The board met on Tuesday", "Residents may call 413-555-0100 or", "Minutes are posted on the"),
                   ("to review the budget for", "write to PO Box 2210 in", "town site within two weeks"),
                   ("the coming fiscal year.", "the week of the hearing.", "of each meeting of it."), x=(72, 320, 568))
    assert _ocr_tables(*prose) == []
    short = _words(("The board met", "Residents may", "Minutes are"), ("on Tuesday.", "call (413)", "posted"),
                   ("Budget next", "555-0100 today", "weekly."))
    assert _ocr_tables(*short) == []


#: Real public records, pdfplumber's examples (MIT; see their README).
PDFPLUMBER = Path(__file__).parent / "fixtures" / "pdf" / "pdfplumber"


def _released_text(tmp_path: Path, source: Path) -> str:
    """The text pdfplumber reads in the released copy of a request's one PDF."""
    folder = tmp_path / "request"
    folder.mkdir()
    (folder / source.name).write_bytes(source.read_bytes())
    result = run_batch(folder, BatchOptions(out_dir=tmp_path / "out"))
    with pdfplumber.open(result.out_dir / "release" / source.name) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_when_a_public_table_lists_cities_then_they_stay(tmp_path: Path) -> None:
    # A city's name reads as a given name and a surname ("Beverly Hills") or a name to the model
    # ("Chula Vista"); in California's table of layoffs it is the place, and the report is public.
    seen = _released_text(tmp_path, PDFPLUMBER / "ca-warn-report.pdf")
    for city in ("Long Beach", "Huntington Beach", "Chula Vista", "Beverly Hills", "Mission Viejo", "Dana Point"):
        assert city in seen, city


def test_when_an_election_s_results_name_candidates_with_their_party_then_they_stay(tmp_path: Path) -> None:
    seen = _released_text(tmp_path, PDFPLUMBER / "la-precinct-bulletin-2014-p1.pdf")
    for line in ("GAVIN NEWSOM DEM 64", "RON NEHRING REP 247", "EDMUND G BROWN DEM 69", "KAMALA D HARRIS DEM 68",
                 "SECRETARY OF STATE NO 108", "JACQUELINE H LEWIS 64", "JIM MCDONNELL 219"):
        assert line in seen, line

