"""Plain-text records (.txt, .md, .log): paragraphs in, fixed-width markers out."""

from __future__ import annotations

from array import array
from pathlib import Path

import regex

from ..models import TextUnit
from ..textutil import field_starts, table_header_row, table_separator
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


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of blank-line separated paragraphs, long ones cut at line ends."""
    spans = []
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while e - s > MAX_UNIT_CHARS:
            out.append((s, cut := _cut_point(text, s, s + MAX_UNIT_CHARS)))
            s = cut
        if text[s:e].strip():
            out.append((s, e))
    return out


def paragraph_units(text: str) -> list[tuple[int, int, str]]:
    """:func:`paragraph_spans`, each with the lead detection reads before it (see TextUnit.lead):
    where a long table was cut, its header row, so the numbers of the rows after the cut are read
    under their column's label as those before it are ("Account Number" over a column of digits)."""
    units = []
    for s, e in paragraph_spans(text):
        lead = ""
        if s and text[s - 1] == "\n":
            end = text.find("\n", s, e)
            line = text[s:end if end != -1 else e].rstrip("\r")
            sep = table_separator(line)
            header = table_header_row(text, s, sep, len(field_starts(line, sep))) if sep else None
            lead = header + "\n" if header is not None else ""
        units.append((s, e, lead))
    return units


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
