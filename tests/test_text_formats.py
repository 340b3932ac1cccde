"""Text and CSV adapters: units map back to the file exactly, and redaction touches nothing else."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.formats import adapter_for
from redactor.formats.delimited import split_fields
from redactor.formats.text import MAX_UNIT_CHARS, paragraph_spans
from redactor.models import Redaction
from redactor.textutil import looks_like_header

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
               max_size=3000)


@given(TEXT)
def test_when_text_is_cut_into_paragraphs_then_every_non_blank_character_is_in_one_unit(text: str) -> None:
    spans = paragraph_spans(text)
    covered = set()
    for s, e in spans:
        assert 0 <= s < e <= len(text) and e - s <= MAX_UNIT_CHARS
        covered.update(range(s, e))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert spans == sorted(spans)


@settings(max_examples=60, deadline=None)
@given(TEXT, st.data())
def test_when_spans_are_redacted_then_only_those_characters_change(tmp_path_factory, text: str, data) -> None:
    path = tmp_path_factory.mktemp("t") / "a.txt"
    path.write_bytes(text.encode("utf-8"))
    doc = adapter_for(path).open(path)
    reds, expected_cut = [], []
    for unit in doc.units:
        if len(unit.text) < 2:
            continue
        a = data.draw(st.integers(0, len(unit.text) - 1))
        b = data.draw(st.integers(a + 1, len(unit.text)))
        reds.append(Redaction("f", unit.unit_id, a, b, "26(c)", "[X]"))
        expected_cut.append((unit.offset + a, unit.offset + b))
    out = doc.redacted_text(reds)
    expected, pos = [], 0
    for s, e in sorted(expected_cut):
        expected.append(doc.text[pos:s] + "[X]")
        pos = e
    expected.append(doc.text[pos:])
    assert out == "".join(expected)


ROWS = st.lists(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",),
                                                         exclude_characters="\x00\r"), max_size=20),
                         min_size=1, max_size=5), min_size=1, max_size=8)


@given(ROWS)
def test_when_csv_is_split_then_fields_match_the_csv_module(rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    text = buf.getvalue()
    parsed = [["".join(text[o] for o in chars) for _, _, chars in row] for row in split_fields(text, ",")]
    assert parsed == list(csv.reader(io.StringIO(text)))


def test_when_a_first_row_is_labels_then_it_is_a_header() -> None:
    assert looks_like_header(["Name", "SSN", "DOB", "Amount"])
    assert not looks_like_header(["Roe, Jane", "219099998", "03/15/1985"])
    assert not looks_like_header(["Name", "Name"])


def test_when_a_csv_cell_is_quoted_then_the_marker_lands_inside_the_quotes(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('Name,Note\n"Roe, Jane","said ""hi"" twice"\n', encoding="utf-8")
    doc = adapter_for(path).open(path)
    unit = doc.units[1]
    assert unit.text == 'Name: Roe, Jane\nNote: said "hi" twice'
    start = unit.text.index("Roe")
    out = doc.redacted_text([Redaction("f", unit.unit_id, start, start + len("Roe, Jane"), "26(c)", "[R]")])
    assert list(csv.reader(io.StringIO(out))) == [["Name", "Note"], ["[R]", 'said "hi" twice']]


def test_when_a_single_line_is_very_long_then_units_end_between_words(tmp_path: Path) -> None:
    line = " ".join(f"Resident Jane Roe SSN 219-09-{i:04d} paid." for i in range(1, 400))
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="utf-8")
    doc = adapter_for(path).open(path)
    assert len(doc.units) > 1
    for unit in doc.units[:-1]:
        assert unit.text.endswith(" ") and len(unit.text) <= MAX_UNIT_CHARS
