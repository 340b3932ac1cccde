"""Plain-text records (.txt, .md, .log): paragraphs in, fixed-width markers out."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from pathlib import Path

import regex

from ..models import TextUnit
from ..textutil import table_header_row, table_row, words_before
from .base import FormatAdapter, MappedTextDocument, ReadOptions, decode_text

#: Paragraphs longer than this are split at line ends, so one unit stays a sensible NER input.
MAX_UNIT_CHARS = 4000
_BLANK_LINES = regex.compile(r"\n[ \t]*\n")


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to end a unit that would be too long: a line end, else a sentence end, else a space.
    A value cut in two would be read as two harmless halves, so never cut inside a word if avoidable."""
    for sep in ("\n", ". ", "; ", ", ", " "):
        cut = text.rfind(sep, start, limit)
        if cut > start:
            return cut + len(sep)
    return limit


#: At most this many characters before a cut are read with the unit after it (see :func:`_lead`):
#: more than a recognizer looks back for a value's label.
LEAD_CHARS = 120


def _pieces(text: str) -> Iterator[tuple[int, int, int]]:
    """Each unit's start and end, and where its paragraph starts."""
    bounds = []
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    for paragraph, e in bounds:
        s = paragraph
        while e - s > MAX_UNIT_CHARS:
            cut = _cut_point(text, s, s + MAX_UNIT_CHARS)
            yield s, cut, paragraph
            s = cut
        if text[s:e].strip():
            yield s, e, paragraph


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of blank-line separated paragraphs, long ones cut at line ends."""
    return [(s, e) for s, e, _ in _pieces(text)]


def paragraph_units(text: str) -> list[tuple[int, int, str]]:
    """:func:`paragraph_spans`, each with the lead detection reads before it (see TextUnit.lead)
    when it was cut from a longer paragraph (:func:`_lead`)."""
    return [(s, e, _lead(text, paragraph, s) if s > paragraph else "") for s, e, paragraph in _pieces(text)]


def _lead(text: str, paragraph: int, cut: int) -> str:
    """What detection reads before the unit that starts at ``cut``: inside a table, the table's
    header row, so the rows after the cut are read under their column's label as those before it
    are ("Account Number" over a column of digits); elsewhere the words just before the cut, so a
    value at the start of the unit keeps its label ("Account number:" at the end of a line, the
    number on the next)."""
    row = table_row(text, cut) if text[cut - 1] == "\n" else None
    if row is not None:
        header = table_header_row(text, cut, row[1], len(row[2]))
        if header is not None:
            return header + "\n"
    return words_before(text, cut, LEAD_CHARS, paragraph)


class TextAdapter(FormatAdapter):
    """UTF-8 or Windows-1252 text; the output keeps the encoding, line endings and layout."""

    name = "text"
    suffixes = (".txt", ".md", ".markdown", ".text", ".log")

    def open(self, path: Path, options: ReadOptions | None = None) -> MappedTextDocument:
        """Decode the file and cut it into paragraph units."""
        text, encoding, bom = decode_text(path.read_bytes(), path.name)
        doc = MappedTextDocument(text, encoding, bom)
        for i, (s, e, lead) in enumerate(paragraph_units(text), start=1):
            unit = TextUnit(unit_id=f"p{i}", text=text[s:e], part="body", offset=s,
                            line=text.count("\n", 0, s) + 1, lead=lead)
            doc.add_unit(unit, array("i", range(s, e)))
        return doc


ADAPTER = TextAdapter()
