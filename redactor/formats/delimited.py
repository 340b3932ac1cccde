"""CSV and TSV records: each row is read as "Header: value" lines, so a bare number in an
"SSN" or "DOB" column has the context a detector needs; markers go back into the cells.
"""

from __future__ import annotations

import csv
from array import array
from pathlib import Path

from ..errors import UnreadableDocument
from ..models import TextUnit
from ..textutil import looks_like_header
from .base import FormatAdapter, MappedTextDocument, ReadOptions, decode_text


def split_fields(text: str, delimiter: str) -> list[list[tuple[int, int, list[int]]]]:
    """Rows of fields; each field is (raw start, raw end, offsets of its value characters).

    An RFC 4180 reader that keeps offsets: the csv module gives values but not
    where they are, and a marker must land inside the right cell.
    """
    rows: list[list[tuple[int, int, list[int]]]] = []
    row: list[tuple[int, int, list[int]]] = []
    i, n = 0, len(text)
    while i < n or row:
        start = i
        chars: list[int] = []
        if i < n and text[i] == '"':
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        chars.append(i)
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(i)
                i += 1
            while i < n and text[i] not in (delimiter, "\n", "\r"):
                chars.append(i)  # text after a closing quote: keep it, malformed but seen
                i += 1
        else:
            while i < n and text[i] not in (delimiter, "\n", "\r"):
                chars.append(i)
                i += 1
        row.append((start, i, chars))
        if i < n and text[i] == delimiter:
            i += 1
            continue
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        rows.append(row)
        row = []
        if i >= n:
            break
    return rows


class DelimitedAdapter(FormatAdapter):
    """Comma, tab, semicolon or pipe separated values with an optional header row."""

    name = "delimited"
    suffixes = (".csv", ".tsv")

    def open(self, path: Path, options: ReadOptions | None = None) -> MappedTextDocument:
        """Decode, sniff the dialect, and build one unit per data row."""
        text, encoding, bom = decode_text(path.read_bytes(), path.name)
        sample = text[:8192]
        if path.suffix.lower() == ".tsv":
            delimiter = "\t"
        else:
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
            except csv.Error:
                delimiter = ","
        try:
            rows = split_fields(text, delimiter)
        except IndexError as exc:  # pragma: no cover - defensive: the reader indexes within bounds
            raise UnreadableDocument(f"{path.name}: cannot split into fields: {exc}", reason="corrupt") from None
        doc = MappedTextDocument(text, encoding, bom)
        headers: list[str] = []
        if rows:
            first = ["".join(text[o] for o in chars).strip() for _, _, chars in rows[0]]
            has_header = looks_like_header(first)
            if has_header:
                headers = first
        for r, row in enumerate(rows, start=1):
            unit_chars: list[str] = []
            offsets = array("i")
            is_header = has_header and r == 1
            for c, (_, _, chars) in enumerate(row):
                label = "" if is_header or c >= len(headers) or not headers[c] else f"{headers[c]}: "
                if c:
                    unit_chars.append("\n")
                    offsets.append(-1)
                unit_chars.append(label)
                offsets.extend([-1] * len(label))
                unit_chars.append("".join(text[o] for o in chars))
                offsets.extend(chars)
            unit_text = "".join(unit_chars)
            if not unit_text.strip():
                continue
            line = text.count("\n", 0, row[0][0]) + 1
            doc.add_unit(TextUnit(unit_id=f"row{r}", text=unit_text, part="header row" if is_header else "body",
                                  line=line, offset=row[0][0]), offsets)
        return doc


ADAPTER = DelimitedAdapter()
