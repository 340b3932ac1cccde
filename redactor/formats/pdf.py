"""PDF records: every place text hides is read; findings are removed for real, with the code on the box.

Reading: page text with a box for every character (rotated pages, columns, tiny fonts, invisible OCR
layers and text outside the visible page included), scanned pages and pasted images by OCR, annotation
texts and authors, form field values, link targets, bookmarks, page labels, metadata and XMP.
Text already hidden under a black box or a dark highlight in the record as received, and unapplied
Redact annotations, are reported so the text under them is removed for real.

Writing: a Redact annotation per finding (black, with the exemption code shrunk to fit), applied so
the text, the image pixels under the box and touched line art are gone; every image shown on several
pages is cleaned on each of them. Then the hidden channels are cleared (metadata, XMP, attachments,
JavaScript, thumbnails), and the file is written as one full revision with garbage collection.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, TextUnit, Withheld
from ..textutil import table_header_row, table_row, words_before
from .attachments import AttachedDocuments, beside_dir
from .base import FormatAdapter, OpenDocument, ReadOptions, replace_spans, write_atomically
from .ocr import OCR_DPI, OcrUnavailable, OcrWord, ocr_words

# Ligatures come out as their letters ("ﬁ" -> "f", "i"); text outside the visible page box is kept,
# because it is in the file whether or not a viewer shows it.
_TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_CID_FOR_UNKNOWN_UNICODE
#: A page with fewer visible characters than this, but with images or drawings, is read by OCR.
_SCANNED_PAGE_CHARS = 20
#: Images smaller than this share of the page (logos, signatures) are not OCR'd on a text page.
_MIN_IMAGE_SHARE = 0.02
#: Luminance below which a fill or highlight hides what is under it.
_DARK = 0.25
#: The code drawn on a box is never smaller than this; below it the box stays plain black.
_MIN_LABEL_SIZE = 3.0
_MAX_LABEL_SIZE = 10.0
PRIOR_REDACTION = "PRIOR_REDACTION"


#: Characters that, ending a line, continue the value on the next one (hyphen, en dash in
#: telephone numbers, the at sign of an e-mail address broken after it).
_JOINING = frozenset("-\u2013@")
#: At most this many characters from the end of a page are read before the next page's text.
_PAGE_LEAD = 60


def _page_lead(previous: str) -> str:
    """What detection reads before a page (see TextUnit.lead), given the text of the page before:
    the header row of a table that page ends in, so a table running on without its header is read
    under its columns' labels; else its last words (a label at the foot of one page names the value
    at the top of the next: "Account number:" / "4400918273")."""
    row = table_row(previous, len(previous))
    if row is not None and row[1] == "\t":
        # The walk up starts at the line above "line_start": one past the end is the last line.
        header = table_header_row(previous, len(previous) + 1, "\t", len(row[2]))
        if header is not None:
            return header + "\n"
    return words_before(previous, len(previous), _PAGE_LEAD) + "\n"


def _address_continues(chars: list[str], next_char: str) -> bool:
    """An e-mail address broken after a dot of its domain ("jroe@gmail." + "com")."""
    if not chars or chars[-1] != "." or not next_char.isalpha():
        return False
    tail: list[str] = []
    for ch in reversed(chars[:-1]):
        if ch.isspace():
            break
        tail.append(ch)
    return "@" in tail and len(tail) > 2


@dataclass
class _Source:
    """Where a unit's text lives in the PDF, so a redaction can be written back there."""

    kind: str  # page | ocr | annot | widget | link | toc | label | metadata
    page: int | None = None
    ref: object = None
    key: str = ""
    boxes: list[pymupdf.Rect | None] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    _by_line: list[tuple[int, pymupdf.Rect, list[pymupdf.Rect]]] | None = field(default=None, repr=False,
                                                                                 compare=False)

    def line_boxes(self) -> list[tuple[int, pymupdf.Rect, list[pymupdf.Rect]]]:
        """Each line's character boxes with the box around them all, made once: a page with many
        values to redact looked at every character of the page for each value's box."""
        if self._by_line is None:
            groups: dict[int, list[pymupdf.Rect]] = {}
            for box, line in zip(self.boxes, self.lines, strict=True):
                if box is not None and line != -1:
                    groups.setdefault(line, []).append(box)
            self._by_line = [(line, pymupdf.Rect(min(b.x0 for b in boxes), min(b.y0 for b in boxes),
                                                 max(b.x1 for b in boxes), max(b.y1 for b in boxes)), boxes)
                             for line, boxes in groups.items()]
        return self._by_line


#: Line dicts of PyMuPDF's "rawdict" (a line's characters, in reading order, with their boxes).
_Chars = list[dict]


def _line_chars(line: dict) -> _Chars:
    return [c for span in line.get("spans", []) for c in span.get("chars", [])]


def _box(cell: _Chars) -> tuple[float, float, float, float]:
    return (min(c["bbox"][0] for c in cell), min(c["bbox"][1] for c in cell),
            max(c["bbox"][2] for c in cell), max(c["bbox"][3] for c in cell))


def _extent(cell: _Chars) -> tuple[float, float]:
    x0, _, x1, _ = _box(cell)
    return x0, x1


def _rows(lines: list[dict]) -> list[list[_Chars]]:
    """A block's lines (those with characters) as the rows they make: a horizontal line on the same
    baseline as the one before it, and further from it than half its height (more than a space),
    is the next cell of its row, as in a table or a form ("Account number" / "004512345678")."""
    rows: list[list[_Chars]] = []
    before: tuple[float, float, float, float] | None = None
    for line in lines:
        cell = _line_chars(line)
        if all(c["c"].isspace() for c in cell):
            continue  # nothing to read, and not a cell: it would make a row of a line of prose
        box = _box(cell)
        if before is not None and tuple(line.get("dir", (1, 0))) == (1, 0):
            height = min(before[3] - before[1], box[3] - box[1])
            overlap = min(before[3], box[3]) - max(before[1], box[1])
            if height > 0 and overlap >= height / 2 and box[0] - before[2] > height / 2:
                rows[-1].append(cell)
                before = box
                continue
        rows.append([cell])
        before = box if tuple(line.get("dir", (1, 0))) == (1, 0) else None
    return rows


def _column_of(x0: float, x1: float, columns: list[tuple[float, float]]) -> int:
    """The one of ``columns`` a text from ``x0`` to ``x1`` stands in: the one its start is in, or
    else the one whose middle is nearest its own (a centred header, a right-aligned amount)."""
    inside = [j for j, (c0, c1) in enumerate(columns) if c0 <= x0 <= c1]
    return inside[0] if inside else min(range(len(columns)), key=lambda j: abs(columns[j][0] + columns[j][1] - x0 - x1))


def _fields(cells: list[tuple[float, float]], columns: list[tuple[float, float]]) -> list[int]:
    """The column each of a row's ``cells`` (their extents) stands in (:func:`_column_of`;
    ``columns`` are the extents of the table's fullest row's cells); in order, one column per cell
    at least."""
    if len(columns) < 2:
        return list(range(len(cells)))
    out: list[int] = []
    for x0, x1 in cells:
        column = _column_of(x0, x1, columns)
        out.append(max(column, out[-1] + 1) if out else column)
    return out


def _tabs(fields: list[int]) -> list[int]:
    """The tabs before each cell of a row whose cells stand in ``fields`` (:func:`_fields`): one
    per column passed, so an empty cell keeps its column."""
    return [f - (fields[k - 1] if k else 0) for k, f in enumerate(fields)]


#: Words of a scanned row further apart than this many times their height are in different cells.
_OCR_CELL_GAP = 1.0
#: A scanned table's cells hold at most this many words (a line of a column of prose holds more).
_OCR_CELL_WORDS = 4


def _ocr_tables(boxes: list[pymupdf.Rect], texts: list[str]) -> list[list[list[int]]]:
    """The tables among a scanned page's words (``boxes`` and ``texts``, in the order Tesseract read
    them). Tesseract reads a table's columns as blocks of their own, one after the other, so a
    number low in a column is read far from its header. A table here is a run of two rows or more
    of three cells or more, a row being the words on one baseline and its cells split by gaps wider
    than the words' height, each cell of a few words, with a column of numbers (a cell of four
    digits or more in two rows of one column): columns of prose read side by side are not (their
    lines, read across, would part a value broken over a line end from its other half). Each table
    as its rows, each row as its cells, each cell as the indices of its words."""
    rows: list[list[int]] = []
    band = (0.0, -1.0)
    for i in sorted(range(len(boxes)), key=lambda i: boxes[i].y0 + boxes[i].y1):
        middle = (boxes[i].y0 + boxes[i].y1) / 2
        if band[0] <= middle <= band[1]:
            rows[-1].append(i)
        else:
            rows.append([i])
            band = (boxes[i].y0, boxes[i].y1)
    tables: list[list[list[int]]] = []
    run: list[list[list[int]]] = []
    for row in [*rows, []]:
        row.sort(key=lambda i: boxes[i].x0)
        cells: list[list[int]] = []
        for i in row:
            gap = boxes[i].x0 - boxes[cells[-1][-1]].x1 if cells else None
            if gap is None or gap > _OCR_CELL_GAP * max(boxes[i].height, boxes[cells[-1][-1]].height):
                cells.append([i])
            else:
                cells[-1].append(i)
        if len(cells) >= 3 and all(len(cell) <= _OCR_CELL_WORDS for cell in cells):
            run.append(cells)
            continue
        if len(run) >= 2 and _has_number_column(run, boxes, texts):
            tables.append(run)
        run = []
    return tables


def _cell_extents(rows: list[list[list[int]]], boxes: list[pymupdf.Rect]) -> list[list[tuple[float, float]]]:
    """Where each cell of a scanned table's ``rows`` (of word indices into ``boxes``) starts and ends."""
    return [[(boxes[cell[0]].x0, max(boxes[i].x1 for i in cell)) for cell in row] for row in rows]


def _has_number_column(rows: list[list[list[int]]], boxes: list[pymupdf.Rect], texts: list[str]) -> bool:
    """Whether one column of the scanned ``rows`` holds a number (four digits or more) in two rows."""
    extents = _cell_extents(rows, boxes)
    columns = max(extents, key=len)
    numbers: dict[int, int] = defaultdict(int)
    for row, cells in zip(rows, extents, strict=True):
        for cell, column in zip(row, _fields(cells, columns), strict=True):
            if sum(ch.isdigit() for i in cell for ch in texts[i]) >= 4:
                numbers[column] += 1
    return max(numbers.values(), default=0) >= 2


def _at_column_start(before: Sequence[float], after: Sequence[float], start: float) -> bool:
    """Whether a blank between the characters boxed ``before`` and ``after`` (x0, y0, x1, y1) is
    where a column starts: the word after it begins at the column's start (within a quarter of
    its height)."""
    return before[2] < start and abs(after[0] - start) <= (after[3] - after[1]) / 4


def _split_at_columns(row: list[_Chars], columns: list[tuple[float, float]]) -> list[_Chars]:
    """``row`` with a cell that ran into the next column's split there, when what runs in is a
    number ("Ana Ruiz 310045678812" over the columns "Payee" and "Account number"): cells set
    close together are read by MuPDF as one line. Only numbers: a word of prose or of a name that
    happens to start where a column does stays where it is."""
    if len(columns) < 2:
        return row
    out: list[_Chars] = []
    for cell in row:
        own = _column_of(*_extent(cell), columns)
        for start, _ in columns[own + 1:]:
            at = next((i for i in range(1, len(cell) - 1) if cell[i]["c"] == " " and cell[i + 1]["c"].isdigit()
                       and _at_column_start(cell[i - 1]["bbox"], cell[i + 1]["bbox"], start)), None)
            if at is not None:
                out.append(cell[:at])
                cell = cell[at + 1:]
        out.append(cell)
    return out


class _Text:
    """A unit's text being read into ``source``: each character with its box and line number;
    separators put between them have neither."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.chars: list[str] = []

    def put(self, sep: str) -> None:
        self.chars.extend(sep)
        self.source.boxes.extend([None] * len(sep))
        self.source.lines.extend([-1] * len(sep))

    def add(self, ch: str, box: pymupdf.Rect, line: int) -> None:
        self.chars.append(ch)
        self.source.boxes.append(box)
        self.source.lines.append(line)


class _PageReading(_Text):
    """A page's text built from its lines, with a box for every character read.

    Cells of one row are split by tabs and the rows of a table by line ends, so a value is read
    under its column's header as in a text table ("Account number" above "004512345678"); other
    lines of a block join with a space, blocks with a blank line.
    """

    def __init__(self, source: _Source) -> None:
        super().__init__(source)
        self.visible = 0  # characters that are not blanks
        self._line_no = 0
        self._cells_before = 0  # cells of the row the text's last line holds
        self._columns: list[tuple[float, float]] = []  # the table's: the extents of its fullest row's cells
        self._header: list[tuple[int, int]] = []  # where the cells of the table's first row are in chars

    def add_block(self, rows: list[list[_Chars]]) -> None:
        chars = self.chars
        for r, row in enumerate(rows):
            inline = False  # whether the row goes on the text's last line
            if not chars:
                pass
            elif len(row) > 1 and self._cells_before > 1:
                self.put("\n")  # the table's next row, in this block or the next
            elif r == 0:
                self.put("\n\n")
            else:
                self._drop_trailing_blanks()
                if len(row) > 1:
                    self.put("\n")
                else:
                    # A value broken over a line end must read as one value: "219-09-" + "9998"
                    # and "Inquiry@" + "faa.gov" join with nothing; other lines join with a
                    # space (a cell's text wrapped onto lines of its own goes on its row).
                    inline = True
                    if not (chars and chars[-1] in _JOINING) and row[0][0]["c"] != "@" \
                            and not _address_continues(chars, row[0][0]["c"]):
                        self.put(" ")
            starts_table = not inline and len(row) > 1 and self._cells_before < 2
            if not inline and not starts_table and len(row) > 1:
                row = _split_at_columns(row, self._columns)
            if not inline:
                if len(row) < 2 or starts_table:
                    self._end_table()
                if len(row) > 1 and len(row) > len(self._columns):
                    # A header whose cells ran together ("Account number Routing") has fewer
                    # cells than the rows under it: the columns are those of the fullest row.
                    self._columns = [_extent(cell) for cell in row]
                self._cells_before = len(row)
            # (A line of prose, one cell, needs no placing: its extent is not computed.)
            tabs_before = [0] if len(row) < 2 else _tabs(_fields([_extent(c) for c in row], self._columns))
            for cell, tabs in zip(row, tabs_before, strict=True):
                if tabs:
                    self._drop_trailing_blanks()
                    self.put("\t" * tabs)
                self._line_no += 1
                begin = len(chars)
                for c in cell:
                    self.add(c["c"], pymupdf.Rect(c["bbox"]), self._line_no)
                    if not c["c"].isspace():
                        self.visible += 1
                if starts_table:
                    self._header.append((begin, len(chars)))

    def finish(self) -> list[str]:
        self._end_table()
        return self.chars

    def _drop_trailing_blanks(self) -> None:
        # A line's trailing blanks would hide the character it breaks after (and end a cell).
        chars, source = self.chars, self.source
        while chars and chars[-1].isspace() and source.lines[-1] >= 0:
            chars.pop()
            source.boxes.pop()
            source.lines.pop()

    def _end_table(self) -> None:
        """Split the header cells of the table read last that ran into the next column's: at the
        blank before a word that starts where a column of a fuller row starts ("Account number
        Routing" over "004512345678" and "011000138" is two headers). Only the header row: there
        the words of a cell are labels, and a word exactly at a column's start is that column's."""
        chars, boxes = self.chars, self.source.boxes
        columns = self._columns
        for begin, end in self._header if len(self._header) < len(columns) else ():
            end = min(end, len(chars))
            if begin >= end or boxes[begin] is None or boxes[end - 1] is None:
                continue
            own = _column_of(boxes[begin].x0, boxes[end - 1].x1, columns)
            for column_start, _ in columns[own + 1:]:
                for i in range(begin + 1, end - 1):
                    after, before = boxes[i + 1], boxes[i - 1]
                    if chars[i] == " " and not chars[i + 1].isspace() and after is not None and before is not None \
                            and _at_column_start(before, after, column_start):
                        chars[i] = "\t"
                        break
        self._header = []
        self._columns = []


def _luminance(color: Sequence[float] | None) -> float | None:
    if not color:
        return None
    if len(color) == 1:
        return float(color[0])
    if len(color) == 3:
        r, g, b = color
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    if len(color) == 4:  # CMYK
        c, m, y, k = color
        return (1 - min(1, c + k)) * 0.2126 + (1 - min(1, m + k)) * 0.7152 + (1 - min(1, y + k)) * 0.0722
    return None


def _renders_solid(page: pymupdf.Page, rect: pymupdf.Rect) -> bool:
    """True when the area renders as one dark colour: nothing under it can be seen (x-ray's test)."""
    # The edges are left out: anti-aliasing greys them whatever lies beneath.
    clip = pymupdf.Rect(rect.x0 + 1, rect.y0 + 1, rect.x1 - 1, rect.y1 - 1) & page.rect
    if clip.is_empty or clip.width < 1 or clip.height < 1:
        return False
    pix = page.get_pixmap(clip=clip, dpi=150, colorspace=pymupdf.csGRAY, annots=True)
    samples = pix.samples
    if not samples:
        return False
    dark = sum(1 for value in samples if value < 128)
    return dark >= 0.6 * len(samples)


def _is_dark(color: Sequence[float] | None) -> bool:
    lum = _luminance(color)
    return lum is not None and lum < _DARK


class PdfDocument(OpenDocument):
    """A PDF read into units; writes its redacted copy."""

    def __init__(self, path: Path, doc: pymupdf.Document, options: ReadOptions) -> None:
        self.path = path
        self.doc = doc
        self.options = options
        self.units = []
        self._sources: dict[str, _Source] = {}
        self._covered: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._covering_annots: dict[int, list[int]] = defaultdict(list)  # page -> annot xrefs hiding text
        self._parts_withheld: list[Withheld] = []
        self.notes: list[str] = []
        #: Page number -> the boxes redacted on it (tests check nothing outside them changed).
        self.applied_boxes: dict[int, list[pymupdf.Rect]] = defaultdict(list)
        self._attached = AttachedDocuments(path.name, options)
        self._pages_withheld: dict[int, str] = {}
        if options.on_pages is not None:
            options.on_pages(doc.page_count)
        try:
            self._read()
        except BaseException:
            self._attached.close()  # the temporary copies of attachments already read
            raise

    # Reading ---------------------------------------------------------------------------------------
    def _add(self, unit_id: str, text: str, part: str, source: _Source, page: int | None = None,
             lead: str = "") -> None:
        if not text.strip():
            return
        self.units.append(TextUnit(unit_id=unit_id, text=text, part=part, page=page, ocr=source.kind == "ocr",
                                   lead=lead))
        self._sources[unit_id] = source

    def _read(self) -> None:
        doc = self.doc
        lead = ""
        for pno in range(doc.page_count):
            page = doc[pno]
            # Each page is read after the end of the one before (see _page_lead); the lead read
            # before that one counts, so a table's header reaches every page the table runs on.
            text = self._read_page(page, pno, lead)
            lead = _page_lead(lead + text) if text.strip() else ""
            self._read_annotations(page, pno)
            self._read_widgets(page, pno)
            self._read_links(page, pno)
        for i, entry in enumerate(doc.get_toc(simple=False)):
            self._add(f"toc{i}", entry[1], "bookmark", _Source("toc", ref=i))
        try:
            labels = doc.get_page_labels()
        except Exception:  # a malformed label tree is not worth failing the read over; it is dropped on save
            labels = []
        for i, rule in enumerate(labels):
            self._add(f"label{i}", rule.get("prefix", ""), "page label", _Source("label", ref=i))
        for key, value in sorted((doc.metadata or {}).items()):
            if isinstance(value, str) and key not in ("format", "encryption"):
                self._add(f"meta:{key}", value, "metadata", _Source("metadata", key=key))
        xmp = doc.get_xml_metadata()
        # The packet wrapper's fixed id ("W5M0MpCehiHzreSzNTczkc9d") reads like a secret; it is
        # the same in every XMP packet. The XMP is cleared whole on save either way.
        xmp = re.sub(r"<\?xpacket[^>]*\?>", "", xmp or "")
        if xmp.strip():
            self._add("meta:xmp", xmp, "metadata (XMP)", _Source("metadata", key="xmp"))
        for name in doc.embfile_names():
            try:
                info, data = doc.embfile_info(name), doc.embfile_get(name)
            except Exception as exc:  # a damaged file stream: nothing to read, so nothing to release
                self._parts_withheld.append(Withheld(self.path.name, "attachment",
                                                     f"embedded file {name!r} could not be read ({exc}); removed "
                                                     "from the released PDF for manual review"))
                continue
            self._attach(info.get("ufilename") or info.get("filename") or name, data, "embedded file")
        self.units.extend(self._attached.units)
        self.notes.extend(self._attached.notes)

    def _attach(self, name: str, data: bytes, where: str) -> None:
        # The released PDF never carries files: each readable one is released, redacted, beside it.
        self._attached.add(name, data, where)
        if name in self._attached.released_names():
            self.notes.append(f"{where} {name!r} is released, redacted, in {beside_dir(self.path).name}/ "
                              "(the released PDF itself carries no attachments)")

    def _read_page(self, page: pymupdf.Page, pno: int, lead: str) -> str:
        """Read the page's text (after ``lead``, see TextUnit.lead) and what hides on it; its text."""
        raw = page.get_text("rawdict", flags=_TEXT_FLAGS)
        reading = _PageReading(_Source("page", page=pno))
        for block in raw.get("blocks", []):
            if block.get("type") == 0:
                reading.add_block(_rows(block.get("lines", [])))
        chars, source, visible = reading.finish(), reading.source, reading.visible
        text = "".join(chars)
        self._add(f"page{pno + 1}", text, "body", source, page=pno + 1, lead=lead)
        self._find_covered(page, pno, f"page{pno + 1}", source)
        self._maybe_ocr(page, pno, visible, source)
        return text

    def _ocr_regions(self, page: pymupdf.Page, visible: int, text_boxes: list[pymupdf.Rect]) -> list[pymupdf.Rect]:
        """Areas of the page whose text only OCR can read."""
        mode = self.options.ocr
        area = abs(page.rect)
        images = [pymupdf.Rect(info["bbox"]) & page.rect for info in page.get_image_info()]
        images = [r for r in images if not r.is_empty and abs(r) >= _MIN_IMAGE_SHARE * area]
        if mode == "always":
            return [page.rect]
        drawings = page.get_drawings()
        if visible < _SCANNED_PAGE_CHARS and (images or len(drawings) > 20):
            return [page.rect]  # a scan, or text drawn as outlines
        # A scanned form pasted into a typed letter: an image with no text over it.
        regions = [r for r in images if sum(1 for b in text_boxes if b is not None and r.contains(b)) < 5]
        # Type converted to outlines: filled shapes made of many curves, with no text over them.
        glyphs = [pymupdf.Rect(d["rect"]) for d in drawings
                  if d.get("fill") is not None and sum(1 for item in d["items"] if item[0] in ("c", "l")) >= 4]
        glyphs = [r for r in glyphs if not any(b is not None and r.intersects(b) for b in text_boxes)]
        if len(glyphs) >= 5:
            outline = pymupdf.Rect(glyphs[0])
            for r in glyphs[1:]:
                outline |= r
            regions.append(outline)
        return regions

    def _maybe_ocr(self, page: pymupdf.Page, pno: int, visible: int, text_source: _Source) -> None:
        regions = self._ocr_regions(page, visible, text_source.boxes)
        if not regions:
            return
        if self.options.ocr == "never":
            raise UnreadableDocument(
                f"{self.path.name}: page {pno + 1} holds a scanned image or text drawn as shapes, and OCR is off "
                "(--ocr never)", reason="unread page", hint="run with --ocr auto so the page can be read")
        try:
            pix = page.get_pixmap(dpi=OCR_DPI)
            words = ocr_words(pix.tobytes("png"))
        except OcrUnavailable as exc:
            raise UnreadableDocument(f"{self.path.name}: page {pno + 1} needs OCR and it failed: {exc}",
                                     reason="ocr unavailable") from None
        # Pixels of the rendered (rotated) page back to the page's own coordinates.
        to_page = pymupdf.Matrix(72 / OCR_DPI, 72 / OCR_DPI) * page.derotation_matrix
        existing = [b for b in text_source.boxes if b is not None]
        kept: list[tuple[OcrWord, pymupdf.Rect]] = []
        for word in words:
            rect = pymupdf.Rect(word.x0, word.y0, word.x1, word.y1) * to_page
            rect.normalize()
            if not any(region.intersects(rect) for region in regions):
                continue
            centre = pymupdf.Point((rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2)
            if any(b.contains(centre) for b in existing):
                continue  # already in the text layer
            kept.append((word, rect))
        out = _Text(_Source("ocr", page=pno))
        line_ids: dict[object, int] = {}

        def put_word(word: OcrWord, rect: pymupdf.Rect, line: object) -> None:
            line_id = line_ids.setdefault(line, len(line_ids))  # one box per line of a value
            for ch in word.text:
                out.add(ch, rect, line_id)

        # A table is read a row a line, its cells split by tabs (as on a text page), where
        # Tesseract read its first word; its other words are not read again where Tesseract did.
        boxes = [rect for _, rect in kept]
        tables = _ocr_tables(boxes, [word.text for word, _ in kept])
        table_of = {i: t for t, table in enumerate(tables) for row in table for cell in row for i in cell}
        last_line: object = None
        done: set[int] = set()
        for n, (word, rect) in enumerate(kept):
            t = table_of.get(n)
            if t is None:
                if out.chars:
                    out.put(" " if word.line == last_line else "\n")
                put_word(word, rect, word.line)
                last_line = word.line
                continue
            if t in done:
                continue
            done.add(t)
            rows = tables[t]
            extents = _cell_extents(rows, boxes)
            columns = max(extents, key=len)
            for r, (row, cells) in enumerate(zip(rows, extents, strict=True)):
                if out.chars:
                    out.put("\n")
                for cell, tabs in zip(row, _tabs(_fields(cells, columns)), strict=True):
                    out.put("\t" * tabs)
                    for k, i in enumerate(cell):
                        out.put(" " if k else "")
                        put_word(*kept[i], ("table", t, r))
            last_line = None
        self._add(f"ocr{pno + 1}", "".join(out.chars), "scanned image (OCR)", out.source, page=pno + 1)
        self.notes.append(f"page {pno + 1} read by OCR")

    def _find_covered(self, page: pymupdf.Page, pno: int, unit_id: str, source: _Source) -> None:
        """Text under a dark filled box, a dark highlight, or an unapplied Redact annotation."""
        covers: list[tuple[pymupdf.Rect, str]] = []
        spans = page.get_texttrace()
        for drawing in page.get_drawings():
            if drawing.get("fill") is None or not _is_dark(drawing.get("fill")) or \
                    (drawing.get("fill_opacity") or 1) <= 0.5:
                continue
            # Only rectangles: the bounding box of a polygon or of a glyph outline covers far more
            # than the shape does.
            rects = [pymupdf.Rect(item[1]) for item in drawing["items"] if item[0] == "re"]
            rects += [item[1].rect for item in drawing["items"] if item[0] == "qu"]
            for rect in rects:
                # A dark box hides the text painted before it, and dark text painted on top of it
                # (black on black). Light text on a dark band is a heading in reverse type.
                under = [s for s in spans if rect.intersects(pymupdf.Rect(s["bbox"]))]
                if under and all(s["seqno"] < drawing["seqno"] or _is_dark(s.get("color")) for s in under) \
                        and _renders_solid(page, rect):
                    covers.append((rect, "dark box drawn over text"))
        for annot in page.annots():
            kind = annot.type[0]
            colors = annot.colors or {}
            if kind == pymupdf.PDF_ANNOT_REDACT:
                covers.append((annot.rect, "unapplied Redact annotation"))
                self._covering_annots[pno].append(annot.xref)
            elif kind == pymupdf.PDF_ANNOT_HIGHLIGHT and _is_dark(colors.get("stroke") or colors.get("fill")):
                covers.append((annot.rect, "dark highlight over text"))
                self._covering_annots[pno].append(annot.xref)
            elif kind in (pymupdf.PDF_ANNOT_SQUARE, pymupdf.PDF_ANNOT_POLYGON) and colors.get("fill") and \
                    (annot.opacity is None or annot.opacity < 0 or annot.opacity > 0.5):
                # Any opaque filled box hides what is under it: black, or white "correction tape"
                # with different text typed on top.
                covers.append((annot.rect, "filled box annotation over text"))
                self._covering_annots[pno].append(annot.xref)
        if not covers or unit_id not in self._sources:
            return
        text = next(u.text for u in self.units if u.unit_id == unit_id)
        for rect, kind in covers:
            idx = [i for i, b in enumerate(source.boxes)
                   if b is not None and not text[i].isspace()
                   and rect.contains(pymupdf.Point((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2))]
            if idx:
                self._covered[unit_id].append((min(idx), max(idx) + 1, kind))
                self.notes.append(f"page {pno + 1}: the record as received hid text under a {kind}")

    def _read_annotations(self, page: pymupdf.Page, pno: int) -> None:
        for annot in page.annots():
            info = annot.info or {}
            for key, part in (("content", "annotation"), ("title", "annotation author"),
                              ("subject", "annotation subject")):
                value = info.get(key) or ""
                self._add(f"annot{pno + 1}:{annot.xref}:{key}", value, part,
                          _Source("annot", page=pno, ref=annot.xref, key=key), page=pno + 1)
            if annot.type[0] == pymupdf.PDF_ANNOT_FILE_ATTACHMENT:
                where = f"file attached to a comment on page {pno + 1}"
                try:
                    name, data = (annot.file_info or {}).get("filename") or "attachment", annot.get_file()
                except Exception as exc:  # a damaged file stream: nothing to read, so nothing to release
                    self._parts_withheld.append(Withheld(self.path.name, "attachment",
                                                         f"{where} could not be read ({exc}); removed from the "
                                                         "released PDF for manual review"))
                    continue
                self._attach(name, data, where)

    def _read_widgets(self, page: pymupdf.Page, pno: int) -> None:
        for widget in page.widgets() or []:
            value = widget.field_value
            if isinstance(value, str) and widget.field_type not in (pymupdf.PDF_WIDGET_TYPE_CHECKBOX,
                                                                    pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON):
                self._add(f"field{pno + 1}:{widget.xref}", value, f"form field {widget.field_name or ''}".strip(),
                          _Source("widget", page=pno, ref=widget.xref), page=pno + 1)

    def _read_links(self, page: pymupdf.Page, pno: int) -> None:
        for i, link in enumerate(page.get_links()):
            target = link.get("uri") or link.get("file") or ""
            self._add(f"link{pno + 1}:{i}", target, "link target", _Source("link", page=pno, ref=i), page=pno + 1)

    # Interface ---------------------------------------------------------------------------------------
    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """Page and part of a span (PDF findings have no line numbers)."""
        if self._attached.owns(unit_id):
            return self._attached.locate(unit_id, start, end)
        unit = next(u for u in self.units if u.unit_id == unit_id)
        return Location(part=unit.part, unit_id=unit_id, start=start, end=end, page=unit.page)

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """See OpenDocument.holds_own_text: the attachments' adapters say for theirs."""
        return not self._attached.owns(unit_id) or self._attached.holds_own_text(unit_id, start, end)

    def adapter_detections(self) -> dict[str, list[Detection]]:
        """Text the record itself had hidden under boxes: it goes, whatever the detectors say."""
        out = self._attached.adapter_detections()
        for unit_id, spans in self._covered.items():
            text = next(u.text for u in self.units if u.unit_id == unit_id)
            out[unit_id] = [Detection(PRIOR_REDACTION, s, e, text[s:e], 1.0, "PdfAdapter", kind)
                            for s, e, kind in spans]
        return out

    def withhold_pages(self, pages: dict[int, str]) -> None:
        """Pages (1-based) an officer's decision withholds in full: everything on them goes."""
        for number in pages:
            if not 1 <= number <= self.doc.page_count:
                raise ValueError(f"page {number} is not in the document ({self.doc.page_count} pages)")
        self._pages_withheld = dict(pages)

    def withheld_parts(self) -> list[Withheld]:
        """Attachments (or parts of them) left out of the release, for manual review."""
        return self._parts_withheld + self._attached.withheld

    def _rects(self, source: _Source, start: int, end: int) -> list[pymupdf.Rect]:
        """One rectangle per line of a span (a value broken over two lines gets two boxes)."""
        by_line: dict[int, pymupdf.Rect] = {}
        for box, line in zip(source.boxes[start:end], source.lines[start:end], strict=True):
            if box is None:
                continue
            by_line[line] = (by_line[line] | box) if line in by_line else pymupdf.Rect(box)
        return [self._clear_of_neighbours(source, line, rect) for line, rect in by_line.items()]

    @staticmethod
    def _clear_of_neighbours(source: _Source, line: int, rect: pymupdf.Rect) -> pymupdf.Rect:
        """Trim a box so it does not reach into the line above or below.

        Character boxes run from ascender to descender, so in tightly set text they overlap the
        next line's; MuPDF removes every character a redaction box overlaps, and the words above
        and below the value would go with it.
        """
        top, bottom = rect.y0, rect.y1
        for other, around, boxes in source.line_boxes():
            # Only a box that overlaps the value's height can move its edges; a line whose boxes
            # all lie above, below or beside it has none.
            if other == line or around.y1 <= rect.y0 or around.y0 >= rect.y1 or around.x1 <= rect.x0 \
                    or around.x0 >= rect.x1:
                continue
            for box in boxes:
                if box.x1 <= rect.x0 or box.x0 >= rect.x1:
                    continue
                middle = (box.y0 + box.y1) / 2
                if middle < rect.y0 and box.y1 > top:
                    top = box.y1
                elif middle > rect.y1 and box.y0 < bottom:
                    bottom = box.y0
        if bottom - top < rect.height * 0.5:  # not a neighbour but a collision: keep the value covered
            return rect
        return pymupdf.Rect(rect.x0, top, rect.x1, bottom)

    def write_redacted(self, redactions: Sequence[Redaction], out_path: Path) -> list[Path]:
        """Apply every redaction, clear the hidden channels, and save one clean revision."""
        doc = self.doc
        boxes: dict[int, list[tuple[pymupdf.Rect, str]]] = defaultdict(list)
        edits: dict[str, list[Redaction]] = defaultdict(list)
        attached = [red for red in redactions if self._attached.owns(red.unit_id)]
        for red in redactions:
            if self._attached.owns(red.unit_id):
                continue
            source = self._sources[red.unit_id]
            if source.kind in ("page", "ocr"):
                boxes[source.page].extend((r, red.label) for r in self._rects(source, red.start, red.end))
            else:
                edits[red.unit_id].append(red)
        self._edit_texts(edits)
        for pno, xrefs in self._covering_annots.items():
            page = doc[pno]
            for annot in list(page.annots()):
                if annot.xref in xrefs and annot.type[0] != pymupdf.PDF_ANNOT_REDACT:
                    page.delete_annot(annot)  # the dark highlight goes; the text under it is redacted
        # An annotation over a redacted spot (a watermark, a stamp, a text box) shows its own copy
        # of what is under it, from its appearance stream: it goes, or the box would cover nothing.
        for pno, items in boxes.items():
            page = doc[pno]
            for annot in list(page.annots()):
                if annot.type[0] in (pymupdf.PDF_ANNOT_LINK, pymupdf.PDF_ANNOT_WIDGET, pymupdf.PDF_ANNOT_REDACT,
                                     pymupdf.PDF_ANNOT_POPUP):
                    continue
                if any(annot.rect.intersects(rect) for rect, _ in items):
                    self.notes.append(f"page {pno + 1}: a {annot.type[1]} annotation over a redacted value removed")
                    page.delete_annot(annot)
        shared = self._shared_image_boxes(boxes)
        for pno, items in sorted(boxes.items()):
            self._apply(doc[pno], items)
        for pno, items in sorted(shared.items()):
            self._apply(doc[pno], items)
        for number, label in sorted(self._pages_withheld.items()):
            self._withhold_page(doc[number - 1], label)
        # Redact annotations already in the record are applied too (their text goes with them).
        for page in doc:
            if any(a.type[0] == pymupdf.PDF_ANNOT_REDACT for a in page.annots()):
                page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                                      graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED)
        _scrub(doc)
        doc.set_metadata({"producer": "redact", "creator": "", "author": "", "title": "", "subject": "",
                          "keywords": "", "creationDate": "", "modDate": ""})
        data = doc.tobytes(garbage=4, deflate=True, clean=True, no_new_id=True,
                           encryption=pymupdf.PDF_ENCRYPT_NONE)
        write_atomically(out_path, data)
        return [out_path, *self._attached.write(attached, out_path)]

    def _apply(self, page: pymupdf.Page, items: list[tuple[pymupdf.Rect, str]]) -> None:
        for rect, label in items:
            # Pad a little sideways: a glyph's ink can reach past its advance. Not up or down: a
            # character box already spans ascender to descender, and MuPDF removes the characters a
            # box overlaps, so reaching into the next line would take its words too.
            box = pymupdf.Rect(rect.x0 - 0.5, rect.y0, rect.x1 + 0.5, rect.y1)
            self.applied_boxes[page.number].append(box)
            size = min(_MAX_LABEL_SIZE, box.height * 0.7)
            width = pymupdf.get_text_length(label, fontname="helv", fontsize=size)
            if width > box.width - 1:
                size = size * (box.width - 1) / width if width else size
            text = label if size >= _MIN_LABEL_SIZE else None
            page.add_redact_annot(box, text=text, fontname="helv", fontsize=max(size, _MIN_LABEL_SIZE),
                                  align=pymupdf.TEXT_ALIGN_CENTER, fill=(0, 0, 0), text_color=(1, 1, 1),
                                  cross_out=False)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)

    def _withhold_page(self, page: pymupdf.Page, label: str) -> None:
        """Everything on the page goes: text, images, drawings, comments, form fields and links; one
        box with the code is left, so the page count and the page's place in the record stay."""
        for annot in list(page.annots()):
            page.delete_annot(annot)
        for widget in list(page.widgets()):
            page.delete_widget(widget)
        for link in page.get_links():
            page.delete_link(link)
        box = pymupdf.Rect(page.rect)
        self.applied_boxes[page.number].append(box)
        page.add_redact_annot(box, text=f"{label} page withheld", fontname="helv", fontsize=_MAX_LABEL_SIZE,
                              align=pymupdf.TEXT_ALIGN_CENTER, fill=(0, 0, 0), text_color=(1, 1, 1))
        # Images are taken off the page, not painted over: one shown on other pages too (a letterhead
        # logo) must stay there as it is.
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_REMOVE,
                              graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                              text=pymupdf.PDF_REDACT_TEXT_REMOVE)

    def _shared_image_boxes(self, boxes: dict[int, list[tuple[pymupdf.Rect, str]]],
                            ) -> dict[int, list[tuple[pymupdf.Rect, str]]]:
        """Redacting an image's pixels makes a new image for that page only; every other page that
        shows the same image gets the same boxes, placed on its copy of the image."""
        doc = self.doc
        placements: dict[int, list[tuple[int, pymupdf.Rect]]] = defaultdict(list)
        for pno in range(doc.page_count):
            for info in doc[pno].get_image_info(xrefs=True):
                if info.get("xref"):
                    placements[info["xref"]].append((pno, pymupdf.Rect(info["bbox"])))
        extra: dict[int, list[tuple[pymupdf.Rect, str]]] = defaultdict(list)
        for shown in placements.values():
            if len(shown) < 2:
                continue
            for pno, bbox in shown:
                for rect, label in boxes.get(pno, []):
                    hit = rect & bbox
                    if hit.is_empty or bbox.width == 0 or bbox.height == 0:
                        continue
                    fx0, fy0 = (hit.x0 - bbox.x0) / bbox.width, (hit.y0 - bbox.y0) / bbox.height
                    fx1, fy1 = (hit.x1 - bbox.x0) / bbox.width, (hit.y1 - bbox.y0) / bbox.height
                    for other, obox in shown:
                        if other == pno:
                            continue
                        extra[other].append((pymupdf.Rect(obox.x0 + fx0 * obox.width, obox.y0 + fy0 * obox.height,
                                                          obox.x0 + fx1 * obox.width, obox.y0 + fy1 * obox.height),
                                             label))
        return extra

    def _edit_texts(self, edits: dict[str, list[Redaction]]) -> None:
        """Annotations, form fields, links, bookmarks and labels: the value is replaced by its marker."""
        doc = self.doc
        toc = doc.get_toc(simple=False)
        labels = doc.get_page_labels() if any(self._sources[u].kind == "label" for u in edits) else []
        for unit_id, reds in edits.items():
            source = self._sources[unit_id]
            text = next(u.text for u in self.units if u.unit_id == unit_id)
            new = replace_spans(text, reds)
            if source.kind == "annot":
                page = doc[source.page]
                for annot in page.annots():
                    if annot.xref == source.ref:
                        annot.set_info(**{source.key: new})
                        annot.update()
                        # The comment's pop-up window keeps its own copy of the text and author.
                        popup = annot.popup_xref if annot.has_popup else 0
                        pdf_key = {"content": "Contents", "title": "T", "subject": "Subj"}[source.key]
                        if popup and doc.xref_get_key(popup, pdf_key)[0] == "string":
                            doc.xref_set_key(popup, pdf_key, pymupdf.get_pdf_str(new))
            elif source.kind == "widget":
                for widget in doc[source.page].widgets() or []:
                    if widget.xref == source.ref:
                        widget.field_value = new
                        widget.update()
            elif source.kind == "link":
                links = doc[source.page].get_links()
                if isinstance(source.ref, int) and source.ref < len(links):
                    doc[source.page].delete_link(links[source.ref])
            elif source.kind == "toc" and isinstance(source.ref, int):
                toc[source.ref][1] = new
            elif source.kind == "label" and isinstance(source.ref, int):
                labels[source.ref]["prefix"] = new
            # metadata: cleared whole on save
        if any(self._sources[u].kind == "toc" for u in edits):
            doc.set_toc(toc)
        if labels:
            doc.set_page_labels(labels)

    def close(self) -> None:
        """Close the PyMuPDF document and any attachments read from it."""
        self._attached.close()
        self.doc.close()


def _scrub(doc: pymupdf.Document) -> None:
    """Clear the channels nobody looks at: attachments, file-attachment comments, JavaScript, Info
    and XMP metadata (the document's and any object's), page thumbnails and vendor-private keys.

    Done by hand rather than with Document.scrub(), which stops at the first object a repaired
    file's cross-reference table points to but does not hold, and which leaves the catalog's
    /Names /JavaScript tree in place.
    """
    for name in list(doc.embfile_names()):
        doc.embfile_del(name)
    for page in doc:
        for annot in list(page.annots()):
            if annot.type[0] == pymupdf.PDF_ANNOT_FILE_ATTACHMENT:
                page.delete_annot(annot)
        if doc.xref_get_key(page.xref, "Thumb")[0] != "null":
            doc.xref_set_key(page.xref, "Thumb", "null")
    catalog = doc.pdf_catalog()
    for key in ("Names/JavaScript", "Names/EmbeddedFiles", "OpenAction", "AA"):
        if doc.xref_get_key(catalog, key)[0] != "null":
            doc.xref_set_key(catalog, key, "null")
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True)
        except Exception:  # a free or missing object: nothing to clear
            continue
        if "/JS" in obj or "/JavaScript" in obj:
            for key in ("JS", "AA", "OpenAction"):
                if doc.xref_get_key(xref, key)[0] != "null":
                    doc.xref_set_key(xref, key, "null")
            if "/S/JavaScript" in obj.replace(" ", ""):
                doc.xref_set_key(xref, "S", "null")
        if "/Metadata" in obj and xref != catalog:
            doc.xref_set_key(xref, "Metadata", "null")
        # Vendor-private keys (Apple Preview's AAPL:AKExtras keeps a second copy of every comment,
        # author included, and an encoded one besides) are outside the standard; no reader needs them.
        if ":" in obj:
            for key in doc.xref_get_keys(xref):
                if ":" in key:
                    doc.xref_set_key(xref, key, "null")
    doc.del_xml_metadata()


# MuPDF prints the problems it repairs ("cannot find object in xref") to stderr, between the
# run's own lines where an officer cannot tell which file they belong to; they go to the
# document's notes instead (PyMuPDF still keeps them in its warnings store).
pymupdf.TOOLS.mupdf_display_errors(False)


class PdfAdapter(FormatAdapter):
    """PDF documents through PyMuPDF."""

    name = "pdf"
    suffixes = (".pdf",)

    def open(self, path: Path, options: ReadOptions | None = None) -> PdfDocument:
        """Open (and repair, where PyMuPDF can) the PDF; refuse encrypted, broken and XFA-only files."""
        options = options or ReadOptions()
        pymupdf.TOOLS.reset_mupdf_warnings()
        try:
            doc = pymupdf.open(path, filetype="pdf")
        except Exception as exc:
            raise UnreadableDocument(f"{path.name}: not a readable PDF ({exc})", reason="corrupt",
                                     hint="open it in a PDF reader and save a new copy") from None
        if doc.needs_pass and not doc.authenticate(""):
            doc.close()
            raise UnreadableDocument(
                f"{path.name}: the PDF is encrypted and needs a password", reason="encrypted",
                hint="decrypt a copy (qpdf --decrypt --password=PASSWORD in.pdf out.pdf), put the copy in the "
                     "request folder, and run again")
        if doc.page_count == 0:
            doc.close()
            raise UnreadableDocument(f"{path.name}: the PDF has no readable pages", reason="corrupt")
        catalog = doc.pdf_catalog()
        if doc.xref_get_key(catalog, "AcroForm/XFA")[0] != "null":
            doc.close()
            raise UnreadableDocument(f"{path.name}: an XFA (LiveCycle) form; its content is not in the page text",
                                     reason="unsupported form",
                                     hint="print it to a flat PDF and put that copy in the request folder")
        try:
            opened = PdfDocument(path, doc, options)
        except BaseException:
            doc.close()
            raise
        # MuPDF's messages can quote raw bytes from the file (a font name), which arrive as lone surrogates.
        problems = [line.encode("utf-8", "replace").decode("utf-8")
                    for line in pymupdf.TOOLS.mupdf_warnings(reset=True).splitlines() if line.strip()]
        if problems:
            opened.notes.append(f"the file is damaged and was read after repair ({problems[0].rstrip('.')}"
                                + (f", and {len(problems) - 1} more" if len(problems) > 1 else "") + ")")
        return opened


ADAPTER = PdfAdapter()
