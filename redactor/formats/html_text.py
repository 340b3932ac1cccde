"""The text of an HTML document with the place of every character in the source, so that text found
in it can be replaced in the source while the markup stays as it was.

Two texts come out of one HTML source: what a reader sees (text nodes, with a line break for each
block element) and what a reader does not see but the file still carries (attribute values such
as ``mailto:`` links, ``alt`` and ``title``, and comments). Style sheets are markup, not record
text, and are left out. The standard library's tolerant parser reads the source; nothing here
matches HTML with regular expressions of its own.
"""

from __future__ import annotations

import html
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant
from itertools import pairwise

from ..textutil import looks_like_header

#: Elements whose start or end breaks a line in what a reader sees.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "title",
    "tr", "ul",
})
#: Attributes that hold layout, never record text: not read (their values would only add noise).
_LAYOUT_ATTRIBUTES = frozenset({
    "style", "class", "id", "width", "height", "align", "valign", "border", "cellpadding", "cellspacing",
    "bgcolor", "color", "face", "size", "lang", "dir", "type", "rel", "target", "shape", "coords", "colspan",
    "rowspan", "nowrap", "charset", "http-equiv", "span", "frame", "rules", "background", "clear",
    "hspace", "vspace", "start", "tabindex", "role", "cid",
})
#: Elements whose content is not text: style sheets (markup); script is kept (it can hold anything).
_SKIPPED = frozenset({"style"})
#: The cells of a table's row.
_CELLS = frozenset({"td", "th"})
#: A cell spans at most this many columns (a larger colspan is a layout trick, not a column count).
_MAX_SPAN = 50


@dataclass
class _Table:
    """A table being read: its open row's cells, so the row can be read as one line at its end."""

    row_start: int = -1  # where the open row's text starts (-1: no row open)
    cells: list[int] = field(default_factory=list)  # where each cell's text starts (its tabs included)
    tabs: set[int] = field(default_factory=set)  # where the tabs between the row's cells are
    span: int = 1  # the columns the row's last cell spans
    nested: bool = False  # a table inside the open row (the row is layout, not a record's row)
    #: The cells of the table's first row when it was read as a header row of three or more (0:
    #: none; -1: no row ended yet): a row of as many cells is a record's, even with a cell of
    #: several lines.
    header: int = -1


@dataclass
class MappedText:
    """A text and, for each of its characters, the source range it came from ((-1, -1): synthetic)."""

    text: list[str] = field(default_factory=list)
    starts: array = field(default_factory=lambda: array("i"))
    ends: array = field(default_factory=lambda: array("i"))

    def add(self, chars: str, start: int, end: int) -> None:
        """Characters that all stand for one source range (an entity decodes to one or two)."""
        for ch in chars:
            self.text.append(ch)
            self.starts.append(start)
            self.ends.append(end)

    def add_raw(self, raw: str, start: int) -> None:
        """Source characters taken one for one."""
        for i, ch in enumerate(raw):
            self.add(ch, start + i, start + i + 1)

    def add_break(self) -> None:
        """A line break that stands for no source character."""
        if self.text and self.text[-1] != "\n":
            self.add("\n", -1, -1)

    def tail(self, start: int) -> list[tuple[str, int, int]]:
        """The characters from ``start`` on, with their source ranges, taken off the text."""
        out = list(zip(self.text[start:], self.starts[start:], self.ends[start:], strict=True))
        del self.text[start:], self.starts[start:], self.ends[start:]
        return out

    def string(self) -> str:
        """The text as one string."""
        return "".join(self.text)

    def sources(self, start: int = 0, end: int | None = None) -> SourceMap:
        """The source ranges of characters ``start`` to ``end``, kept compactly (:class:`SourceMap`)."""
        return SourceMap(self.starts, self.ends, start, len(self.starts) if end is None else end)


class SourceMap:
    """The source range of each character of a text, kept as runs: characters that stand one for one
    for consecutive source characters (most of a message's text), or for nothing, take three numbers
    a run instead of two a character. A mailbox's units are held from reading to writing; two
    numbers a character weighed eight times its text."""

    __slots__ = ("_ends", "_length", "_positions", "_starts")

    def __init__(self, starts: array, ends: array, first: int, last: int) -> None:
        self._positions = array("i")  # where each run starts in the text
        self._starts = array("i")  # its first character's source range
        self._ends = array("i")
        self._length = max(0, last - first)
        prev_s = prev_e = -2
        for i in range(first, last):
            s, e = starts[i], ends[i]
            step = 1 if s >= 0 else 0
            if not (s - prev_s == step and e - prev_e == step) or i == first:
                self._positions.append(i - first)
                self._starts.append(s)
                self._ends.append(e)
            prev_s, prev_e = s, e

    def __len__(self) -> int:
        return self._length

    def range_of(self, i: int) -> tuple[int, int]:
        """The source range (start, end) of character ``i``; (-1, -1) when it stands for nothing."""
        if not 0 <= i < self._length:
            raise IndexError(i)
        run = bisect_right(self._positions, i) - 1
        s, e = self._starts[run], self._ends[run]
        if s < 0:
            return s, e
        offset = i - self._positions[run]
        return s + offset, e + offset


def _add_decoded(out: MappedText, raw: str, start: int) -> None:
    """``raw`` source text with character references decoded, each mapped to its source range."""
    pos = 0
    while pos < len(raw):
        amp = raw.find("&", pos)
        if amp < 0:
            out.add_raw(raw[pos:], start + pos)
            return
        out.add_raw(raw[pos:amp], start + pos)
        end = amp + 1
        while end < len(raw) and (raw[end].isalnum() or raw[end] == "#") and end - amp < 40:
            end += 1
        if end < len(raw) and raw[end] == ";":
            end += 1
        decoded = html.unescape(raw[amp:end])
        if decoded == raw[amp:end]:  # not a reference: a plain ampersand
            out.add_raw("&", start + amp)
            pos = amp + 1
            continue
        out.add(decoded, start + amp, start + end)
        pos = end


class _Reader(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.visible = MappedText()
        self.hidden = MappedText()
        self._line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self._line_starts.append(i + 1)
        self._skip: str | None = None
        self._tables: list[_Table] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        if tag == "table" or (self._tables and tag in ("tr", *_CELLS)):
            self._table_tag(tag, attrs)
        elif tag in _BLOCKS:
            self.visible.add_break()
        if tag in _SKIPPED:
            self._skip = tag
        # The values' places in the source, found the way the parser itself splits a start tag.
        match = tagfind_tolerant.match(raw, 1)
        k = match.end() if match else len(raw)
        while k < len(raw):
            m = attrfind_tolerant.match(raw, k)
            if not m:
                break
            name, value = m.group(1).lower(), m.group(3)
            k = m.end()
            if value is None or name in _LAYOUT_ATTRIBUTES or name.startswith("xmlns"):
                continue
            v_start = m.start(3)
            if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) >= 2:
                value, v_start = value[1:-1], v_start + 1
            if value.strip():
                _add_decoded(self.hidden, value, start + v_start)
                self.hidden.add_break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._skip:
            self._skip = None
        if self._tables and tag in ("table", "tr"):
            self._end_row()
            if tag == "table":
                self._tables.pop()
            self.visible.add_break()
        elif tag in _BLOCKS and not (self._tables and tag in _CELLS):
            self.visible.add_break()

    # A table's row is read as one line, its cells split by tabs (one per column a cell spans), so a
    # value is read under its column's header as in a text table: "Account number" above
    # "004512345678", an empty cell keeping its column. A row with a cell of several lines (a
    # signature, a layout cell) or with a table inside is read as before, each cell on lines of its
    # own: its lines are the record's. Not in a table whose first row is a header of three columns
    # or more: there a cell of several lines (an address over two) is a record's cell, its lines
    # read as one, and a row of as many cells one line still.
    def _table_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        visible = self.visible
        if tag == "table":
            if self._tables and self._tables[-1].row_start >= 0:
                self._tables[-1].nested = True
            visible.add_break()
            self._tables.append(_Table())
            return
        table = self._tables[-1]
        if tag == "tr" or table.row_start < 0:  # a cell outside any row starts one
            self._end_row()
            visible.add_break()
            table.row_start, table.cells, table.tabs, table.nested = len(visible.text), [], set(), False
        if tag in _CELLS:
            table.cells.append(len(visible.text))
            if len(table.cells) > 1:
                table.tabs.update(range(len(visible.text), len(visible.text) + table.span))
                visible.add("\t" * table.span, -1, -1)
            span = (next((v for k, v in attrs if k == "colspan"), None) or "1").strip()
            # ASCII digits only: int() takes other scripts' digits, and "²" is a digit it refuses.
            table.span = min(max(int(span), 1), _MAX_SPAN) if span.isascii() and span.isdigit() else 1

    def _end_row(self) -> None:
        table = self._tables[-1]
        if table.row_start < 0:
            return
        start, table.row_start = table.row_start, -1
        visible = self.visible
        bounds = [*table.cells, len(visible.text)]
        cells = ["".join(visible.text[a:b]).strip() for a, b in pairwise(bounds)]
        lines = any("\n" in c or "\r" in c for c in cells)
        as_row = len(cells) > 1 and not table.nested and (not lines or len(cells) == table.header)
        if table.header < 0:
            table.header = len(cells) if as_row and not lines and len(cells) >= 3 and looks_like_header(cells) else 0
        for i, (ch, s, e) in enumerate(visible.tail(start), start):
            if not as_row and i in table.tabs:  # (a table inside the row keeps its own)
                visible.add_break()
            elif as_row and (ch in "\r\n" or (ch == "\t" and s >= 0)):
                visible.add(" ", s, e)  # within a cell: a space (a tab of the record's own included)
            else:
                visible.add(ch, s, e)

    def handle_data(self, data: str) -> None:
        start = self._offset()
        table = self._tables[-1] if self._tables else None
        if table is not None and (table.row_start < 0 or not table.cells) and not data.strip():
            return  # the source's line breaks between rows: layout of the markup, not of the text
        if self._skip is None:
            self.visible.add_raw(data, start)
        elif self.source[start:start + len(data)] != data:  # pragma: no cover - parser contract
            raise ValueError("HTML parser offsets do not match the source")

    def _reference(self) -> None:
        start = self._offset()
        end = start + 1
        while end < len(self.source) and (self.source[end].isalnum() or self.source[end] == "#"):
            end += 1
        if end < len(self.source) and self.source[end] == ";":
            end += 1
        if self._skip is None:
            _add_decoded(self.visible, self.source[start:end], start)

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def handle_comment(self, data: str) -> None:
        start = self._offset() + 4  # after "<!--"
        if data.strip():
            self.hidden.add_raw(data, start)
            self.hidden.add_break()

    def unknown_decl(self, data: str) -> None:
        # <![CDATA[...]]> and Outlook's <![if ...]>: their text is in the file, so it is read.
        start = self._offset() + 3
        if data.strip():
            self.hidden.add_raw(data, start)
            self.hidden.add_break()


def html_texts(source: str) -> tuple[MappedText, MappedText]:
    """What a reader sees and what the markup carries besides (attribute values, comments)."""
    reader = _Reader(source)
    reader.feed(source)
    reader.close()
    while reader._tables:  # a table the source never closed: its last row is read as a closed one
        reader._end_row()
        reader._tables.pop()
    return reader.visible, reader.hidden


def escape_marker(label: str) -> str:
    """A marker as HTML text or attribute value."""
    return html.escape(label, quote=True)
