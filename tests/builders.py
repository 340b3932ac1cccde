"""Small documents made for tests: a Word file of paragraphs, a one-page PDF of text.

Not a test module: imported by the tests that attach such files (tests/ is on the path: pytest puts
it there)."""

from __future__ import annotations

import io

import docx
import pymupdf


def word_file(*paragraphs: str) -> bytes:
    """A .docx with one paragraph per argument."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_file(text: str) -> bytes:
    """A one-page PDF showing ``text`` in a standard font."""
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), text, fontsize=11)
        return doc.tobytes()


def word_tables(*tables: list[list[str]]) -> bytes:
    """A .docx holding each table given (rows of cell texts)."""
    document = docx.Document()
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for cells, texts in zip(table.rows, rows, strict=True):
            for cell, text in zip(cells.cells, texts, strict=True):
                cell.text = text
        document.add_paragraph("")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
