"""Independent leak check of released PDFs.

The redaction itself is done with PyMuPDF. This module never imports it: a second, unrelated engine
(pypdf for the object graph, pdfplumber/pdfminer.six for the page layout) reads the released file, so
a blind spot or bug in one library cannot both create and hide a leak.

Two questions are answered:

* :func:`read_pdf_text` - everything a reader could recover from the file, as one text, so that
  :mod:`redactor.verify` can search it for every value that was meant to be removed (guarantees G1,
  G4 and G5 of the project's reference: page text of any colour or render mode, content streams,
  annotations, form fields, outlines, labels, metadata, attachments, JavaScript and earlier
  revisions).
* :func:`find_covered_text` - live text that is only hidden under something drawn over it (G2): dark
  boxes, dark highlights, unapplied Redact annotations, hatched boxes. Method after Free Law
  Project's x-ray, re-implemented on pdfplumber's objects and their drawing order.
"""

from __future__ import annotations

import html
import io
import logging
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from unicodedata import normalize as normalize_unicode

import pdfplumber
import pypdf
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTFigure, LTItem
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import ALL_ATTRS, PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import resolve_all, resolve_and_decode
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

log = logging.getLogger(__name__)


class UnverifiablePdfError(Exception):
    """The PDF cannot be read by the independent engines, so nothing about it can be vouched for."""


class EncryptedPdfError(UnverifiablePdfError):
    """The PDF is encrypted and needs a password the verifier does not have."""


# ------------------------------------------------------------------------------------------------
# Opening
# ------------------------------------------------------------------------------------------------

def _open_pypdf(data: bytes) -> pypdf.PdfReader:
    """pypdf's view of the file; an encrypted file is opened with the empty user password or refused."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise UnverifiablePdfError(f"pypdf cannot parse the file: {exc}") from exc
    if reader.is_encrypted:
        # An owner-password-only file opens with the empty user password and is fully readable;
        # anything else is a file whose content we cannot see, so it cannot be verified.
        try:
            ok = reader.decrypt("")
        except Exception as exc:
            raise EncryptedPdfError(f"encrypted PDF that pypdf cannot decrypt: {exc}") from exc
        if ok == pypdf.PasswordType.NOT_DECRYPTED:
            raise EncryptedPdfError("encrypted PDF that needs a password")
    return reader


def _open_plumber(data: bytes) -> pdfplumber.PDF:
    """pdfplumber's view of the file (pdfminer.six underneath)."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # force the page tree to be read now, so a broken file fails here
    except Exception as exc:
        # pdfplumber wraps pdfminer's error; look at the whole chain for the encryption errors.
        chain, cause = [], exc
        while isinstance(cause, BaseException) and len(chain) < 5:
            chain.append(cause)
            cause = cause.__cause__ or (cause.args[0] if cause.args else None)
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in chain):
            raise EncryptedPdfError(f"encrypted PDF that pdfminer cannot open: {chain[-1]!r}") from exc
        raise UnverifiablePdfError(f"pdfminer cannot parse the file: {chain[-1]!r}") from exc
    return pdf


# ------------------------------------------------------------------------------------------------
# Decoding helpers
# ------------------------------------------------------------------------------------------------

def _decode_bytes(raw: bytes) -> list[str]:
    """The plausible readings of a byte string: by BOM, else latin-1 (close to PDFDocEncoding and
    WinAnsi), plus UTF-8 and UTF-16BE when the bytes look like them. More readings = fewer misses."""
    if raw[:2] == b"\xfe\xff":
        return [raw[2:].decode("utf-16-be", "replace")]
    if raw[:2] == b"\xff\xfe":
        return [raw[2:].decode("utf-16-le", "replace")]
    if raw[:3] == b"\xef\xbb\xbf":
        return [raw[3:].decode("utf-8", "replace")]
    out = [raw.decode("latin-1")]
    if any(b > 0x7F for b in raw[:4096]):
        with suppress(UnicodeDecodeError):
            out.append(raw.decode("utf-8"))
    # Two-byte text without a BOM (0x00 high bytes): some producers write hex strings this way.
    if 4 <= len(raw) <= 65536 and len(raw) % 2 == 0 and raw[0::2].count(0) * 2 >= len(raw[0::2]):
        out.append(raw.decode("utf-16-be", "replace"))
    return out


_TAG = re.compile(r"<[^>]*>")


def _xml_text(text: str) -> str:
    """Markup removed and entities decoded, so "<b>Jane</b> Roe" and "Jane&#32;Roe" read as words."""
    return html.unescape(_TAG.sub(" ", text))


def _looks_xml(text: str) -> bool:
    head = text[:2048].lstrip()
    return head.startswith("<") and ("</" in text or "/>" in text)


def _looks_textual(data: bytes) -> bool:
    """Content streams, object streams and XML are mostly printable ASCII; fonts, images and
    cross-reference streams are not (and scanning them for strings is slow and yields noise)."""
    sample = data[:65536]
    if not sample:
        return False
    printable = sum(1 for b in sample if 32 <= b < 127 or b in (9, 10, 13))
    return printable >= 0.85 * len(sample)


# A content stream's string operands: literal strings (up to three levels of nested parentheses),
# hex strings, and TJ arrays; inline image data is skipped so its bytes cannot open a false string.
_INLINE = rb"(?P<inline>\bBI\b.*?\bID\s.*?\sEI\b)"
_LITERAL = rb"(?P<lit>\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\))"
_HEX = rb"(?P<hex><[0-9A-Fa-f\s]*>)"
_TOKENS = re.compile(_INLINE + rb"|" + _LITERAL + rb"|" + _HEX + rb"|(?P<open>\[)|(?P<close>\])", re.S)
# Numbers of PDF syntax (operands, coordinates, object numbers, offsets), outside strings.
_NUMBERS = re.compile(
    _INLINE + rb"|" + _LITERAL + rb"|" + _HEX + rb"|(?P<num>(?<![\w.#/\\])[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?![\w.]))", re.S)
# Operators that mark a stream as a content stream (page, form, appearance, pattern, Type 3 glyph):
# text and marked-content operators, and path operators after their numeric operands.
_CONTENT_OPS = re.compile(
    rb"(?<![^\s\])>])(?:BT|ET|Tf|Tj|TJ|Td|TD|Tm|cm|Do|BDC|BMC|EMC)(?=[\s\[(</]|$)"
    rb"|(?:[-+]?[\d.]+\s+){2}(?:m|l|re|d0|d1|c|v|y)(?=\s|$)")


def _string_token(m: re.Match[bytes]) -> bytes:
    """The bytes a literal or hex string token stands for."""
    token = m.group(0)
    if m.lastgroup == "lit":
        return _unescape(token[1:-1])
    digits = re.sub(rb"\s", b"", token[1:-1])
    return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode("ascii"))


def _read_syntax(data: bytes) -> str:
    """PDF syntax as text, with its numbers replaced by "#" and its strings by what they say.

    Coordinates, operands and offsets ("123.456 700 Td", "0000012345 00000 n") carry no text, but
    read as digit groups they would match short numeric secrets: a case number 123456 "appears" in
    "123.456 l". Escapes and hex digits inside strings are the same kind of noise ("\\226" is a
    dash). Text only ever lives in strings, and those are kept, decoded."""
    out: list[str] = []
    pos = 0
    for m in _NUMBERS.finditer(data):
        out.append(data[pos:m.start()].decode("latin-1"))
        if m.lastgroup == "num":
            out.append("#")
        elif m.lastgroup == "inline":
            out.append("BI # EI")  # image samples
        else:
            out.append("(" + "\n".join(_decode_bytes(_string_token(m))) + ")")
        pos = m.end()
    out.append(data[pos:].decode("latin-1"))
    return "".join(out)


def _is_syntax(data: bytes) -> bool:
    """A content or object stream (PDF operators and operands), as opposed to XML, JavaScript or a
    plain-text attachment, whose numbers may be the very values searched for."""
    if not _looks_textual(data) or (data.lstrip()[:1] == b"<" and b"</" in data[:65536]):
        return False
    ops = {m.group(0).split()[-1] for m in _CONTENT_OPS.finditer(data[:65536])}
    return len(ops) >= 2


def _mask_file(data: bytes) -> str:
    """The file's bytes as latin-1 text, its PDF syntax (dictionaries, cross-reference tables,
    content streams) read by :func:`_read_syntax`; other stream bodies (compressed data, XML,
    scripts) are left as they are."""
    parts: list[str] = []
    pos = 0
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        if m.start() < pos:
            continue
        parts.append(_read_syntax(data[pos:m.end()]))
        body = data[m.end():end]
        syntax = b"/ObjStm" in _stream_head(data, m.start()) or _is_syntax(body)
        parts.append(_read_syntax(body) if syntax else body.decode("latin-1"))
        pos = end
    parts.append(_read_syntax(data[pos:]))
    return "".join(parts)


_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|\r|\n)|(.))", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(body: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        if m.group(1):
            return bytes([int(m.group(1), 8) & 0xFF])
        if m.group(2):
            return b""  # a backslash at the end of a line continues the string
        return _ESCAPES.get(m.group(3), m.group(3))

    return _ESCAPE.sub(one, body)


def _string_operands(data: bytes) -> list[str]:
    """Every string in PDF syntax (Tj, TJ, ', " operands, marked-content /ActualText, dictionary
    values in object streams), decoded; the strings of one TJ array are joined, since the array
    is one run of text split only for kerning."""
    out: list[str] = []
    array: list[bytes] | None = None
    for m in _TOKENS.finditer(data):
        kind = m.lastgroup
        if kind == "inline":
            continue
        if kind == "open":
            array = []
            continue
        if kind == "close":
            if array:
                out.extend(_decode_bytes(b"".join(array)))
            array = None
            continue
        raw = _string_token(m)
        if array is not None:
            array.append(raw)
        elif raw:
            out.extend(_decode_bytes(raw))
    if array:
        out.extend(_decode_bytes(b"".join(array)))
    return [s for s in out if s.strip()]


def _stream_readings(data: bytes, syntax: bool | None = None) -> list[str]:
    """A decoded stream as text: the raw bytes (latin-1, UTF-8), its string operands joined both by
    line and without separators (a producer may write "2", "1", "9" as separate operators), and, for
    XML such as XMP or XFA, its text without markup. A content or object stream is read with its
    numeric operands masked (see :func:`_read_syntax`)."""
    syntax = _is_syntax(data) if syntax is None else syntax
    out = [_read_syntax(data)] if syntax else _decode_bytes(data)
    if syntax or _looks_textual(data):
        strings = _string_operands(data)
        if strings:
            out.append("\n".join(strings))
            out.append("".join(strings))
    return _with_xml_text(out)


_XMLNS = re.compile(r"\sxmlns(?::[\w.-]+)?\s*=\s*(?:\"[^\"]*\"|'[^']*')")


def _with_xml_text(readings: list[str]) -> list[str]:
    """Readings that are XML (XMP, XFA, rich text) get their text without markup added; their
    namespace declarations are dropped, since "http://www.w3.org/1999/02/22-rdf-syntax-ns" in every
    XMP packet would otherwise read as the date 1999-02-22."""
    out = []
    for text in readings:
        if _looks_xml(text):
            text = _XMLNS.sub(" ", text)
            out.extend((text, _xml_text(text)))
        else:
            out.append(text)
    return out


def _file_readings(data: bytes, depth: int) -> list[str]:
    """An embedded file's content as text: PDFs recursively, zip containers (DOCX, XLSX) member by
    member, anything else in its plausible encodings."""
    if data.lstrip()[:5] == b"%PDF-" and depth < 2:
        try:
            return [part for _, part in _read_sources(data, depth + 1).sources]
        except UnverifiablePdfError:
            pass  # fall through to the raw readings
    out = _decode_bytes(data)
    if zipfile.is_zipfile(io.BytesIO(data)):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist()[:500]:
                    if info.file_size > 50_000_000:
                        continue
                    member = zf.read(info)
                    out.append(info.filename)
                    out.extend(_decode_bytes(member))
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            log.debug("embedded zip unreadable: %s", exc)
    return _with_xml_text(out)


# ------------------------------------------------------------------------------------------------
# Text sources
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PdfText:
    """What :func:`read_pdf_sources` recovered: labelled texts and the sources that failed."""

    sources: tuple[tuple[str, str], ...]
    failures: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """All recovered text, joined by newlines."""
        return "\n".join(text for _, text in self.sources)

    def labelled(self, prefix: str) -> str:
        """The texts whose label contains ``prefix`` (for inspecting one source)."""
        return "\n".join(text for label, text in self.sources if prefix in label)


@dataclass
class _Collector:
    sources: list[tuple[str, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    structured_ok: int = 0  # sources other than the raw file bytes that ran to completion

    def add(self, label: str, texts: str | Iterable[str]) -> None:
        for text in [texts] if isinstance(texts, str) else texts:
            if text and text.strip():
                self.sources.append((label, text))

    @contextmanager
    def guard(self, label: str) -> Iterator[None]:
        """Run one source; its failure is recorded and the other sources still run, because one
        broken annotation or stream must not hide everything else in the file."""
        try:
            yield
        except Exception as exc:
            log.warning("PDF verification: %s could not be read: %s: %s", label, type(exc).__name__, exc)
            self.failures.append(f"{label}: {type(exc).__name__}: {exc}")
        else:
            self.structured_ok += 1


# Dictionaries a walk must not enter: pages are read page by page (a /P or /Dest link would
# otherwise drag the whole document into an annotation's text), fonts carry no document text.
_WALK_SKIP_TYPES = {"/Page", "/Pages", "/Font", "/FontDescriptor"}
_FONT_PROGRAM_KEYS = {"/Length1", "/Length2", "/Length3"}
_FONT_PROGRAM_SUBTYPES = {"/Type1C", "/CIDFontType0C", "/OpenType"}


class _Walker:
    """Collects every string and every decoded stream reachable from some objects.

    ``follow`` decides whether indirect references are followed (a targeted walk from an annotation
    or the outline) or not (the pass over every object in the file, which visits each one anyway).
    """

    def __init__(self, follow: bool, depth: int, max_nodes: int = 200_000) -> None:
        self.follow = follow
        self.depth = depth
        self.max_nodes = max_nodes
        self.seen: set[tuple[int, int]] = set()
        self.out: list[str] = []
        self.failures: list[str] = []

    def walk(self, root: Any) -> list[str]:
        stack: list[tuple[Any, bool]] = [(root, True)]
        nodes = 0
        while stack and nodes < self.max_nodes:
            obj, top = stack.pop()
            nodes += 1
            if isinstance(obj, IndirectObject):
                if not (self.follow or top):
                    continue
                key = (obj.idnum, obj.generation)
                if key in self.seen:
                    continue
                self.seen.add(key)
                try:
                    obj = obj.get_object()
                except Exception as exc:
                    self.failures.append(f"object {key}: {exc}")
                    continue
            if isinstance(obj, NameObject):
                continue  # names are structure (/Helv, /XYZ), not content
            if isinstance(obj, ByteStringObject):
                self.out.extend(_decode_bytes(bytes(obj)))
            elif isinstance(obj, str):
                self.out.extend(_with_xml_text([str(obj)]))  # /RC rich text is XHTML
            elif isinstance(obj, DictionaryObject):
                if obj.get("/Type") in _WALK_SKIP_TYPES and not top:
                    continue
                if isinstance(obj, StreamObject):
                    self._stream(obj)
                children = [v for k, v in obj.items() if k not in ("/Parent", "/P")]
                stack.extend((child, False) for child in reversed(children))
            elif isinstance(obj, ArrayObject):
                stack.extend((child, False) for child in reversed(obj))
        if stack:
            self.failures.append(f"walk stopped after {self.max_nodes} objects")
        return self.out

    def _stream(self, stream: StreamObject) -> None:
        if stream.get("/Subtype") == "/Image":
            return  # pixel data; OCR of images is outside this checker
        if _FONT_PROGRAM_KEYS & set(stream.keys()) or stream.get("/Subtype") in _FONT_PROGRAM_SUBTYPES:
            return
        try:
            data = stream.get_data()
        except Exception as exc:
            self.failures.append(f"stream: {type(exc).__name__}: {exc}")
            return
        if stream.get("/Type") == "/EmbeddedFile":
            self.out.extend(_file_readings(data, self.depth))
        elif "/Alternate" in stream or data[36:40] == b"acsp":
            return  # an ICC colour profile
        else:
            # Forms, patterns and object streams are PDF syntax whatever they contain.
            syntax = stream.get("/Type") == "/ObjStm" or "/BBox" in stream or "/PatternType" in stream
            self.out.extend(_stream_readings(data, True if syntax else None))


def _walk(root: Any, depth: int, follow: bool = True) -> tuple[list[str], list[str]]:
    walker = _Walker(follow=follow, depth=depth)
    return walker.walk(root), walker.failures


def _chars_text(chars: list[dict]) -> str:
    """pdfplumber's characters in drawing order, spaced by their positions. Drawing order keeps an
    invisible OCR layer apart from the visible text it sits on (sorting by position would interleave
    the two layers letter by letter), and every character counts, whatever its colour."""
    parts: list[str] = []
    prev: dict | None = None
    for c in chars:
        if prev is not None:
            parts.append(_separator(prev, c))
        parts.append(c.get("text") or "")
        prev = c
    return "".join(parts)


def _separator(prev: dict, c: dict) -> str:
    """What stands between two consecutive characters: nothing, a space (a gap of more than a
    sixth of the font size) or a line break. Text on a rotated page runs leftwards, down or up the
    page, so the gap is measured in whichever direction the run goes."""
    size = max(float(c.get("size") or 0), float(prev.get("size") or 0), 1.0)
    if prev.get("upright", True) and c.get("upright", True):
        if abs(c["top"] - prev["top"]) > 0.5 * size:
            return "\n"
        gap = max(c["x0"] - prev["x1"], prev["x0"] - c["x1"])
    else:
        if abs(c["x0"] - prev["x0"]) > 0.5 * size:
            return "\n"
        gap = max(c["top"] - prev["bottom"], prev["top"] - c["bottom"])
    if gap < -0.5 * size:
        return "\n"  # on top of the previous character: a new run drawn over the old one
    return " " if gap > 0.15 * size else ""


@dataclass
class _CoverCheck:
    """:func:`find_covered_text`'s answer, made in the same pdfminer pass as the text sources."""

    found: list[CoveredText] = field(default_factory=list)
    error: UnverifiablePdfError | None = None


def _plumber_sources(col: _Collector, data: bytes, covers: _CoverCheck | None = None) -> None:
    try:
        pdf = _open_plumber(data)
    except EncryptedPdfError:
        raise
    except UnverifiablePdfError as exc:
        col.failures.append(str(exc))
        if covers is not None:
            covers.error = exc
        return
    with pdf:
        for number, page in enumerate(pdf.pages, 1):
            objects: list[_Obj] | None = None
            try:
                with col.guard(f"page {number}: pdfplumber"):
                    # One pdfminer pass per page serves the text and the cover check: interpreting the
                    # page and converting its objects was half of a PDF's verification, done twice.
                    objects = list(_iter_objects(page))
                    # The same characters, in the same order, that page.chars would convert again;
                    # extract_text reads them from here.
                    page._objects = {"char": [obj for _, _, obj in objects if obj["object_type"] == "char"]}
                    col.add(f"page {number}: pdfplumber chars", _chars_text(page.chars))
                    col.add(f"page {number}: pdfplumber text", page.extract_text() or "")
                if covers is not None and covers.error is None:
                    _page_covers(page, number, objects, covers)
            finally:
                page.close()  # drop the page's cached layout: memory stays flat on long files


def _page_covers(page: pdfplumber.page.Page, number: int, objects: list[_Obj] | None, covers: _CoverCheck) -> None:
    """:func:`find_covered_text` on one page; the first page that cannot be analysed stops it."""
    try:
        if objects is None:
            objects = list(_iter_objects(page))
        covers.found.extend(_content_covers(objects, page, number))
        covers.found.extend(_annotation_covers(objects, page, number))
    except UnverifiablePdfError as exc:
        covers.error = exc
    except Exception as exc:
        covers.error = UnverifiablePdfError(f"page {number} cannot be analysed: {exc}")
        covers.error.__cause__ = exc


def _content_streams(page: Any) -> Iterator[tuple[str, StreamObject | bytes]]:
    """The page's content and every Form XObject and tiling pattern it can draw, recursively."""
    contents = page.get_contents()
    if contents is not None:
        yield "content", contents.get_data()
    seen: set[int] = set()
    stack = [page.get("/Resources")]
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
        if not isinstance(resources, DictionaryObject):
            continue
        for category in ("/XObject", "/Pattern"):
            entries = resources.get(category)
            entries = entries.get_object() if isinstance(entries, IndirectObject) else entries
            if not isinstance(entries, DictionaryObject):
                continue
            for name, ref in entries.items():
                obj = ref.get_object()
                if not isinstance(obj, StreamObject) or id(obj) in seen or obj.get("/Subtype") == "/Image":
                    continue
                seen.add(id(obj))
                yield f"{category[1:]} {name}", obj
                stack.append(obj.get("/Resources"))


def _page_sources(col: _Collector, reader: pypdf.PdfReader, depth: int) -> None:
    for number, page in enumerate(reader.pages, 1):
        with col.guard(f"page {number}: pypdf text"):
            col.add(f"page {number}: pypdf text", page.extract_text() or "")
        with col.guard(f"page {number}: content streams"):
            for label, stream in _content_streams(page):
                data = stream if isinstance(stream, bytes) else stream.get_data()
                col.add(f"page {number}: {label} stream", _stream_readings(data, syntax=True))
        with col.guard(f"page {number}: annotations"):
            annots = page.get("/Annots")
            annots = annots.get_object() if isinstance(annots, IndirectObject) else annots
            for i, annot in enumerate(annots or []):
                # Each annotation on its own, so one broken annotation does not hide the next one.
                with col.guard(f"page {number}: annotation {i}"):
                    texts, failures = _walk(annot, depth)
                    col.add(f"page {number}: annotation {i}", texts)
                    col.failures.extend(f"page {number}: annotation {i}: {f}" for f in failures)
        with col.guard(f"page {number}: actions"):
            for key in ("/AA", "/Metadata", "/PieceInfo"):
                if key in page:
                    texts, failures = _walk(page[key], depth)
                    col.add(f"page {number}: {key[1:]}", texts)
                    col.failures.extend(f"page {number}: {key[1:]}: {f}" for f in failures)


def _document_sources(col: _Collector, reader: pypdf.PdfReader, depth: int) -> None:
    root = reader.trailer["/Root"]

    def walk_key(label: str, parent: Any, key: str) -> None:
        with col.guard(label):
            parent = parent.get_object() if isinstance(parent, IndirectObject) else parent
            if isinstance(parent, DictionaryObject) and key in parent:
                texts, failures = _walk(parent[key], depth)
                col.add(label, texts)
                col.failures.extend(f"{label}: {f}" for f in failures)

    walk_key("forms (AcroForm fields, values, widgets, XFA)", root, "/AcroForm")
    walk_key("outline", root, "/Outlines")
    walk_key("page labels", root, "/PageLabels")
    walk_key("javascript and actions: OpenAction", root, "/OpenAction")
    walk_key("javascript and actions: document AA", root, "/AA")
    walk_key("names (JavaScript, EmbeddedFiles, Dests)", root, "/Names")
    walk_key("XMP metadata", root, "/Metadata")
    walk_key("structure tree (Alt, ActualText)", root, "/StructTreeRoot")
    with col.guard("outline titles"):
        col.add("outline titles", _outline_titles(reader.outline))
    if "/PageLabels" in root:  # without it the labels are just 1, 2, 3...
        with col.guard("page labels (computed)"):
            col.add("page labels (computed)", "\n".join(reader.page_labels))
    with col.guard("info dictionary"):
        info = reader.trailer.get("/Info")
        info = info.get_object() if isinstance(info, IndirectObject) else info
        if isinstance(info, DictionaryObject):
            # Every key, custom ones included: a key's name can itself carry a value, and so can a
            # number (the walk below collects strings only).
            col.add("info dictionary", [str(k)[1:] for k in info])
            col.add("info dictionary", [str(v) for v in (info.get(k) for k in info)
                                        if isinstance(v, (int, float)) and not isinstance(v, bool)])
            texts, failures = _walk(info, depth)
            col.add("info dictionary", texts)
            col.failures.extend(f"info dictionary: {f}" for f in failures)
    with col.guard("attachments"):
        for name, contents in reader.attachments.items():
            col.add("attachments", name)
            for data in contents:
                col.add(f"attachment {name}", _file_readings(data, depth))


def _outline_titles(outline: Any) -> list[str]:
    titles: list[str] = []
    stack = [outline]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict) and "/Title" in item:
            titles.append(str(item["/Title"]))
    return titles


def _every_object(col: _Collector, reader: pypdf.PdfReader, label: str, depth: int) -> None:
    """Every object the cross-reference table lists, reachable or not: strings and streams that no
    page, form or outline points to are still in the file."""
    numbers: set[int] = set(reader.xref_objStm)
    for table in reader.xref.values():
        numbers.update(table)
    texts: list[str] = []
    for num in sorted(numbers):
        try:
            obj = reader.get_object(num)
        except Exception as exc:
            col.failures.append(f"{label}: object {num}: {type(exc).__name__}: {exc}")
            continue
        if obj is None:
            continue
        found, failures = _walk(obj, depth, follow=False)
        texts.extend(found)
        col.failures.extend(f"{label}: object {num}: {f}" for f in failures)
    col.add(label, texts)


_EOF = re.compile(rb"%%EOF")


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's warnings while it reads something expected to be broken."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _earlier_revisions(col: _Collector, data: bytes, depth: int, limit: int = 16) -> None:
    """Each earlier revision of an incrementally updated file, read as the complete PDF it was:
    text "deleted" by an appended update is still in the bytes, and its fonts still map it."""
    ends = [m.end() for m in _EOF.finditer(data)]
    earlier = [end for end in ends if data[end:].strip()]  # an %%EOF with more bytes after it
    for n, end in enumerate(earlier[-limit:], 1):
        label = f"revision {n} of {len(earlier) + 1}"
        try:
            with _quiet("pypdf"):
                reader = _open_pypdf(data[:end])
                pages = list(reader.pages)
        except Exception as exc:
            # e.g. the first part of a linearized file, which is not a whole PDF (and is expected to
            # fail); the raw-stream pass below still decompresses its streams.
            log.debug("%s not readable on its own: %s", label, exc)
            continue
        with col.guard(label):
            for number, page in enumerate(pages, 1):
                with col.guard(f"{label}: page {number}"):
                    col.add(f"{label}: page {number}: pypdf text", page.extract_text() or "")
            _every_object(col, reader, f"{label}: every object", depth)


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# Stream dictionaries of data that holds no text: images, font programs, colour profiles.
_NOT_TEXT_STREAMS = (b"/Image", b"/Length1", b"/Length2", b"/Length3", b"/Type1C", b"/CIDFontType0C",
                     b"/OpenType", b"/Alternate")


def _stream_head(data: bytes, stream_at: int) -> bytes:
    """The dictionary in front of a stream keyword (from its "obj" on)."""
    head = data[max(0, stream_at - 2048):stream_at]
    obj_at = head.rfind(b" obj")
    return head[obj_at:] if obj_at >= 0 else head


def _raw_streams(col: _Collector, data: bytes, max_out: int = 64_000_000) -> None:
    """Every Flate stream in the file's bytes, decompressed, whichever revision or object stream it
    belongs to - a safety net below the parsers, which only see the newest version of each object."""
    texts: list[str] = []
    produced = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        head = _stream_head(data, m.start())
        if b"/FlateDecode" not in head or any(marker in head for marker in _NOT_TEXT_STREAMS):
            continue
        end = data.find(b"endstream", start)
        if end < 0:
            continue
        try:
            out = zlib.decompressobj().decompress(data[start:end], 20_000_000)
        except zlib.error:
            continue
        produced += len(out)
        if produced > max_out:
            col.failures.append("raw streams: stopped after 64 MB of decompressed data")
            break
        syntax = any(marker in head for marker in (b"/ObjStm", b"/BBox", b"/PatternType"))
        texts.extend(_stream_readings(out, True if syntax else None))
    col.add("raw decompressed streams", texts)


def _read_sources(data: bytes, depth: int = 0, covers: _CoverCheck | None = None) -> PdfText:
    col = _Collector()
    reader: pypdf.PdfReader | None = None
    try:
        reader = _open_pypdf(data)
    except EncryptedPdfError:
        raise
    except UnverifiablePdfError as exc:
        col.failures.append(str(exc))
    if reader is not None:
        # Touch the page tree now: a file pypdf "opens" but cannot walk is as good as unparsed.
        try:
            _ = len(reader.pages)
        except Exception as exc:
            col.failures.append(f"pypdf page tree: {exc}")
            reader = None
    _plumber_sources(col, data, covers)
    if reader is None and not col.sources:
        raise UnverifiablePdfError("neither pypdf nor pdfminer can parse the file: " + "; ".join(col.failures))
    if reader is not None:
        _page_sources(col, reader, depth)
        _document_sources(col, reader, depth)
        with col.guard("every object"):
            _every_object(col, reader, "every object", depth)
    with col.guard("earlier revisions"):
        _earlier_revisions(col, data, depth)
    with col.guard("raw decompressed streams"):
        _raw_streams(col, data)
    if not col.structured_ok:
        raise UnverifiablePdfError("no part of the PDF could be read: " + "; ".join(col.failures))
    # Last, the file's bytes: uncompressed objects of any revision, even ones no cross-reference
    # table lists any more (numbers of PDF syntax masked, strings and other data kept).
    col.add("raw file bytes", _mask_file(data))
    unique = tuple(dict.fromkeys(col.sources))
    return PdfText(unique, tuple(col.failures))


def read_pdf_sources(path: Path) -> PdfText:
    """Everything a reader could recover from the PDF, labelled by where it was found.

    Raises :class:`EncryptedPdfError` when a password is needed and :class:`UnverifiablePdfError`
    when neither engine can parse the file. Sources that fail individually are listed in
    ``failures`` and the rest are still returned.
    """
    return _read_sources(Path(path).read_bytes())


def read_pdf_sources_and_covers(path: Path) -> tuple[PdfText, list[CoveredText]]:
    """:func:`read_pdf_sources` and :func:`find_covered_text` at once, each page interpreted once.

    Raises what either would raise: the sources' errors first, then the cover check's."""
    covers = _CoverCheck()
    sources = _read_sources(Path(path).read_bytes(), covers=covers)
    if covers.error is not None:
        raise covers.error
    return sources, covers.found


def read_pdf_text(path: Path) -> str:
    """Everything a reader could recover from the PDF, as text, joined by newlines."""
    return read_pdf_sources(path).text


def withheld_page_leftovers(path: Path, page: int, marker: str) -> list[str]:
    """What is still on a page that was to be withheld in full (1-based page): words other than the
    marker (pdfplumber's and pypdf's text, annotations) and images. Empty when the page is clean."""
    data = Path(path).read_bytes()
    found: list[str] = []
    allowed = set(re.findall(r"\w+", f"{marker} page withheld".casefold()))
    with _open_plumber(data) as pdf:
        plumber = pdf.pages[page - 1]
        texts = [plumber.extract_text() or ""]
        if plumber.images:
            found.append(f"{len(plumber.images)} image(s)")
    reader = _open_pypdf(data)
    pypdf_page = reader.pages[page - 1]
    texts.append(pypdf_page.extract_text() or "")
    if pypdf_page.get("/Annots"):
        found.append("annotations")
    words = {w for text in texts for w in re.findall(r"\w+", text.casefold())} - allowed
    if words:
        found.append(f"{len(words)} word(s) of text")
    return found


# ------------------------------------------------------------------------------------------------
# Covered text (x-ray style)
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CoveredText:
    """Live text hidden under something drawn over it."""

    page: int  # 1-based
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom in pdfplumber's coordinates
    text: str  # the live text under the cover
    kind: str  # "dark rectangle" | "dark highlight" | "unapplied redaction" | "hatched pattern" | "covering annotation"


#: Below this luminance (0 = black, 1 = white) a fill hides black text and reads as a redaction box.
DARK = 0.2
#: Text drawn on a box in a colour this close to the box's is invisible too.
SAME_COLOUR = 0.05
#: A filled subpath counts as a box when its area is at least this share of its bounding box
#: (rectangles and rounded rectangles pass; circles, diamonds and glyph outlines do not).
RECTANGLE_LIKE = 0.85
#: Smaller than this (points) in either direction is a rule or a line, not a box.
MIN_SIDE = 3.0
#: A character is covered when its centre is inside and at least this share of it is under the box;
#: a box that only clips the edge of a letter hides nothing (x-ray's partial_intersections_ok case).
MIN_OVERLAP = 0.5

Point = tuple[float, float]


def _luminance(colour: Any, space: str | None = None) -> float | None:
    """Perceived brightness (ITU-R BT.601; 0 black, 1 white) of a colour as pdfminer records it,
    read in its colour space: gray, RGB and CMYK (device, calibrated or ICC-based) by their number
    of components; a Separation or DeviceN colour is an amount of ink, so a tint of 0 is white
    paper and 1 is full ink (assumed dark: most are "Black" or "All"). None when it cannot be
    judged (a pattern, an indexed colour, a malformed value)."""
    if isinstance(colour, (int, float)):
        values = [float(colour)]
    elif isinstance(colour, (tuple, list)) and colour and all(isinstance(v, (int, float)) for v in colour):
        values = [float(v) for v in colour]
    else:
        return None
    if space in ("Indexed", "Pattern"):
        return None
    if space == "Lab":
        return min(1.0, max(0.0, values[0] / 100))
    values = [min(1.0, max(0.0, v)) for v in values]
    if space in ("Separation", "DeviceN"):
        return 1 - max(values)
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        r, g, b = values
    elif len(values) == 4:
        c, m, y, k = values
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    else:
        return None
    return 0.299 * r + 0.587 * g + 0.114 * b


def _edges(points: list[Point]) -> Iterator[tuple[Point, Point]]:
    """The sides of a closed polygon."""
    return zip(points, points[1:] + points[:1], strict=True)


def _polygon_area(points: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in _edges(points))) / 2


def _winding(points: list[Point], p: Point) -> int:
    """Winding number of a closed polygon around ``p`` (Sunday's algorithm)."""
    px, py = p
    wn = 0
    for (x0, y0), (x1, y1) in _edges(points):
        cross = (x1 - x0) * (py - y0) - (px - x0) * (y1 - y0)
        if y0 <= py < y1 and cross > 0:
            wn += 1
        elif y1 <= py < y0 and cross < 0:
            wn -= 1
    return wn


@dataclass
class _Shape:
    """One filled path (all its subpaths), as pdfminer drew it."""

    seq: int  # drawing order on the page
    form: int | None  # the small Form XObject it was drawn in, if any
    colour: Any
    evenodd: bool
    polygons: list[list[Point]]
    bbox: tuple[float, float, float, float]
    lum: float | None = None
    kind: str = "dark rectangle"
    #: Each polygon's bounding box, in the order of ``polygons``.
    boxes: list[tuple[float, float, float, float]] = field(init=False)
    #: Page cells -> the polygons whose boxes reach them, for shapes of many polygons (see contains);
    #: made when first asked, after the shape is whole (add() drops it).
    _cells: dict[tuple[int, int], list[int]] | None = field(init=False, default=None, repr=False, compare=False)
    _everywhere: list[int] = field(init=False, repr=False, compare=False)  # looked at for every point

    CELL: ClassVar[float] = 24.0
    #: Below this many polygons, every one is looked at.
    FEW: ClassVar[int] = 8
    MANY_CELLS: ClassVar[int] = 400

    def __post_init__(self) -> None:
        self.boxes = [_bbox_of(points) for points in self.polygons]

    def add(self, points: list[Point], bbox: tuple[float, float, float, float]) -> None:
        """Another subpath of the same path: part of the shape, or a hole in it."""
        self.polygons.append(points)
        self.boxes.append(bbox)
        self._cells = None
        x0, top, x1, bottom = self.bbox
        self.bbox = (min(x0, bbox[0]), min(top, bbox[1]), max(x1, bbox[2]), max(bottom, bbox[3]))

    def contains(self, p: Point) -> bool:
        x, y = p
        x0, top, x1, bottom = self.bbox
        if not (x0 <= x <= x1 and top <= y <= bottom):
            return False
        # A polygon winds zero times around a point outside its box. PyMuPDF draws all of a page's
        # redaction boxes as one path, so most of its subpaths are far from any one character:
        # only those whose boxes reach the point's cell are looked at.
        wn = 0
        for i in self._near(x, y):
            bx0, btop, bx1, bbottom = self.boxes[i]
            if bx0 <= x <= bx1 and btop <= y <= bbottom:
                wn += _winding(self.polygons[i], p)
        return wn % 2 == 1 if self.evenodd else wn != 0

    def _near(self, x: float, y: float) -> Iterable[int]:
        if len(self.polygons) <= self.FEW:
            return range(len(self.polygons))
        if self._cells is None:
            self._cells, self._everywhere = {}, []
            for i, (bx0, btop, bx1, bbottom) in enumerate(self.boxes):
                if not all(math.isfinite(v) for v in (bx0, btop, bx1, bbottom)):
                    self._everywhere.append(i)
                    continue
                columns = range(int(bx0 // self.CELL), int(bx1 // self.CELL) + 1)
                rows = range(int(btop // self.CELL), int(bbottom // self.CELL) + 1)
                if len(columns) * len(rows) > self.MANY_CELLS:  # a page-sized box (or a far larger one)
                    self._everywhere.append(i)
                    continue
                for ci in columns:
                    for cj in rows:
                        self._cells.setdefault((ci, cj), []).append(i)
        if not (math.isfinite(x) and math.isfinite(y)):
            return range(len(self.polygons))
        return [*self._cells.get((int(x // self.CELL), int(y // self.CELL)), ()), *self._everywhere]


def _vertices(obj: dict) -> list[Point]:
    """The path's on-curve points in pdfplumber coordinates (control points of curves dropped)."""
    path = obj.get("path")
    if path:
        return [(float(seg[-1][0]), float(seg[-1][1])) for seg in path if len(seg) > 1]
    return [(float(x), float(y)) for x, y in obj.get("pts", [])]


def _bbox_of(points: Iterable[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


#: A Form XObject smaller than this share of the page is a stamp or a flattened annotation, whose
#: own label may sit on its own box; a bigger one just wraps page content.
SMALL_FORM = 0.5

_Obj = tuple[int, int | None, dict]  # drawing order, the small form it was drawn in, pdfplumber's object


def _iter_objects(page: pdfplumber.page.Page) -> Iterator[_Obj]:
    """pdfplumber's characters and paths in drawing order, each with the innermost Form XObject it
    was drawn in when that form is small (see :data:`SMALL_FORM`), else None."""
    seq = 0
    page_area = float(page.width) * float(page.height)
    device = _ColourSpaceDevice(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    PDFPageInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    convert = _char_converter(page)

    def walk(items: Iterable[LTItem], form: int | None) -> Iterator[_Obj]:
        nonlocal seq
        for item in items:
            if isinstance(item, LTFigure):
                seq += 1
                small = item.width * item.height < SMALL_FORM * page_area
                yield from walk(item, seq if small else None)
            elif isinstance(item, LTContainer):
                yield from walk(item, form)
            elif isinstance(item, (LTChar, LTCurve)):
                seq += 1
                obj = convert(item) if isinstance(item, LTChar) else page.process_object(item)
                obj["fill_space"] = getattr(item, "fill_space", None)
                yield seq, form, obj

    yield from walk(device.get_result(), None)


#: Attribute values pdfplumber's ``resolve_all`` returns as they are.
_PLAIN = frozenset({float, int, str, bool, type(None)})


def _char_converter(page: pdfplumber.page.Page) -> Callable[[LTChar], dict]:
    """``page.process_object`` for characters, made lean: the page's constants are looked up once,
    and only values that could hold a PDF reference go through ``resolve_all``. pdfplumber's
    generic conversion was a third of a released PDF's verification. The result is the same
    dictionary (tests/test_verify_pdf.py compares the two on every character of its fixtures);
    paths, which are few, still use ``process_object``."""
    page_number = page.page_number
    mb_x0, mb_top = page.mediabox[:2]
    height = page.height
    doctop = page.initial_doctop
    norm = page.pdf.unicode_norm
    names: dict[str, Any] = {}  # colour space name -> decoded (a pure function of the string)

    def resolved(v: Any) -> Any:
        """A value that is not plain: the matrix (a tuple of numbers) as it is, others resolved."""
        if type(v) is tuple and _PLAIN.issuperset(map(type, v)):  # one C call, not a generator a character
            return v
        return resolve_all(v)

    def space(name: Any) -> Any:
        if type(name) is not str:
            return resolve_and_decode(name)
        if name not in names:
            names[name] = resolve_and_decode(name)
        return names[name]

    def convert(item: LTChar) -> dict:
        # Most values are plain: kept here, not by a call each (a dozen a character).
        attr = {k: v if type(v) in _PLAIN else resolved(v) for k, v in item.__dict__.items() if k in ALL_ATTRS}
        attr["object_type"] = "char"
        attr["page_number"] = page_number
        for cs in ("ncs", "scs"):
            if hasattr(item, cs):
                attr[cs] = space(getattr(item, cs).name)
        text = item.get_text()
        attr["text"] = normalize_unicode(norm, text) if norm is not None else text
        gs = item.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
        if "y0" in attr:
            attr["top"] = (height - attr["y1"]) + mb_top  # in pdfplumber's order of operations
            attr["bottom"] = (height - attr["y0"]) + mb_top
            attr["doctop"] = doctop + attr["top"]
        if "x0" in attr and mb_x0 != 0:
            attr["x0"] = attr["x0"] + mb_x0
            attr["x1"] = attr["x1"] + mb_x0
        return attr

    return convert


class _ColourSpaceDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device that also records the colour space of each path's fill.

    pdfminer keeps the colour space for characters only, and a fill colour means nothing without
    it: 0 is black in DeviceGray but no ink at all (white) in a Separation space."""

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        start = len(self.cur_item._objs)
        super().paint_path(gstate, stroke, fill, evenodd, path)
        for item in self.cur_item._objs[start:]:
            item.fill_space = getattr(gstate.ncs, "name", None)


def _pattern_luminances(page: pdfplumber.page.Page) -> dict[str, float | None]:
    """For each tiling pattern name in the page's resources (and its forms'), how dark it paints:
    an estimate from the colours its cell sets before filling. None when it cannot be judged."""
    found: dict[str, float | None] = {}
    stack = [page.page_obj.resources]
    seen: set[int] = set()
    while stack:
        resources = resolve1(stack.pop())
        if not isinstance(resources, dict) or id(resources) in seen:
            continue
        seen.add(id(resources))
        for name, ref in (resolve1(resources.get("Pattern")) or {}).items():
            pattern = resolve1(ref)
            if isinstance(pattern, PDFStream):
                found.setdefault(name, _pattern_luminance(pattern))
        for ref in (resolve1(resources.get("XObject")) or {}).values():
            xobj = resolve1(ref)
            if isinstance(xobj, PDFStream) and "Resources" in xobj.attrs:
                stack.append(xobj.attrs["Resources"])
    return found


_FILL_COLOUR_OP = re.compile(rb"((?:[-+]?[\d.]+\s+){1,4})(rg|g|k|sc|scn)\b")
_FILL_OP = re.compile(rb"(?<![\w/])(?:f\*?|F|B\*?|b\*?)(?![\w*])")


def _pattern_luminance(pattern: PDFStream) -> float | None:
    """How dark a coloured tiling pattern's cell is painted: the lightest fill colour it sets
    (a cell that sets none fills in the initial colour, black). A cell that only strokes lines
    leaves the page visible between them, so it hides nothing and gets None."""
    if resolve1(pattern.attrs.get("PaintType")) == 2:
        return None  # uncoloured: the colour comes with the fill, handled by the caller
    try:
        data = pattern.get_data()
    except Exception:
        return None
    if not _FILL_OP.search(data):
        return None
    values = []
    for m in _FILL_COLOUR_OP.finditer(data):
        lum = _luminance(tuple(float(v) for v in m.group(1).split()))
        if lum is not None:
            values.append(lum)
    return max(values) if values else 0.0


def _shape_luminance(colour: Any, space: str | None, patterns: dict[str, float | None]) -> tuple[float | None, bool]:
    """(luminance, is a pattern) of a fill colour as pdfminer records it."""
    if isinstance(colour, str):
        return patterns.get(colour), True  # coloured tiling pattern, by name
    if isinstance(colour, tuple) and len(colour) == 2 and isinstance(colour[1], str):
        return _luminance(colour[0]), True  # uncoloured pattern: (base colour, name)
    return _luminance(colour, space), False


def _shapes(objects: list[_Obj], page: pdfplumber.page.Page) -> list[_Shape]:
    """Filled, box-like paths. pdfminer splits a path with several subpaths into one object per
    subpath; consecutive objects with the same fill are joined back, so a frame drawn as an outer and
    an inner rectangle (even-odd or opposite winding) keeps its hole and does not hide what is in it."""
    patterns: dict[str, float | None] | None = None
    shapes: list[_Shape] = []
    current: _Shape | None = None  # the shape the previous filled object was part of
    prev_seq = -2
    for seq, form, obj in objects:
        if obj["object_type"] not in ("rect", "curve") or not obj.get("fill"):
            continue
        colour = obj.get("non_stroking_color")
        evenodd = bool(obj.get("evenodd"))
        same_path = (current is not None and seq == prev_seq + 1
                     and (current.form, repr(current.colour), current.evenodd) == (form, repr(colour), evenodd))
        prev_seq = seq
        points = _vertices(obj)
        boxy = False
        if len(points) >= 3:
            x0, top, x1, bottom = _bbox_of(points)
            boxy = (x1 - x0 >= MIN_SIDE and bottom - top >= MIN_SIDE
                    and _polygon_area(points) >= RECTANGLE_LIKE * (x1 - x0) * (bottom - top))
        if same_path:
            assert current is not None
            if boxy:  # another subpath of the same path: part of the shape (or a hole in it)
                current.add(points, (x0, top, x1, bottom))
            continue
        if not boxy:
            current = None
            continue
        if patterns is None and (isinstance(colour, str) or (isinstance(colour, tuple) and len(colour) == 2)):
            patterns = _pattern_luminances(page)
        lum, is_pattern = _shape_luminance(colour, obj.get("fill_space"), patterns or {})
        current = _Shape(seq, form, colour, evenodd, [points], (x0, top, x1, bottom), lum,
                         "hatched pattern" if is_pattern else "dark rectangle")
        shapes.append(current)
    return shapes


def _hatched(shape: _Shape, lines: list[tuple[int, dict]]) -> bool:
    """A box with diagonal strokes drawn over it (a cross-hatched redaction)."""
    x0, top, x1, bottom = shape.bbox
    diagonals = 0
    for seq, line in lines:
        if seq <= shape.seq:
            continue
        overlaps = line["x0"] < x1 and line["x1"] > x0 and line["top"] < bottom and line["bottom"] > top
        if overlaps and line["x1"] - line["x0"] > 1 and line["bottom"] - line["top"] > 1:
            diagonals += 1
            if diagonals >= 2:
                return True
    return False


def _centre(c: dict) -> Point:
    return (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2


def _overlap(c: dict, bbox: tuple[float, float, float, float]) -> float:
    """Share of the character's box inside ``bbox``."""
    w = min(c["x1"], bbox[2]) - max(c["x0"], bbox[0])
    h = min(c["bottom"], bbox[3]) - max(c["top"], bbox[1])
    area = (c["x1"] - c["x0"]) * (c["bottom"] - c["top"])
    if w <= 0 or h <= 0 or area <= 0:
        return 0.0
    return w * h / area


def _joined(chars: list[dict]) -> str:
    return " ".join(_chars_text(chars).split())


def _worth_reporting(text: str) -> bool:
    """Whitespace or lone punctuation under a box discloses nothing (x-ray's whitespace cases)."""
    return any(ch.isalnum() for ch in text)


def _is_dark(lum: float | None) -> bool:
    return lum is not None and lum < DARK


class _Grid:
    """Shapes bucketed by the page cells they overlap, so each character is tested only against
    the few shapes near it (a form page can hold thousands of cell boxes)."""

    CELL = 48.0

    def __init__(self, shapes: list[_Shape], page: pdfplumber.page.Page) -> None:
        self.cells: dict[tuple[int, int], list[_Shape]] = {}
        # Clipped to the page: characters off the page are not visible anyway.
        px0, ptop, px1, pbottom = (float(v) for v in page.bbox)
        for shape in shapes:
            x0, top, x1, bottom = shape.bbox
            x0, top, x1, bottom = max(x0, px0), max(top, ptop), min(x1, px1), min(bottom, pbottom)
            for i in range(int(x0 // self.CELL), int(x1 // self.CELL) + 1):
                for j in range(int(top // self.CELL), int(bottom // self.CELL) + 1):
                    self.cells.setdefault((i, j), []).append(shape)

    def near(self, p: Point) -> list[_Shape]:
        return self.cells.get((int(p[0] // self.CELL), int(p[1] // self.CELL)), [])


def _content_covers(objects: list[_Obj], page: pdfplumber.page.Page, number: int) -> list[CoveredText]:
    shapes = _shapes(objects, page)
    if not shapes:
        return []
    grid = _Grid(shapes, page)
    under: dict[int, list[dict]] = {}
    by_seq = {s.seq: s for s in shapes}
    for seq, form, char in objects:
        if char["object_type"] != "char" or not (char.get("text") or "").strip():
            continue
        p = _centre(char)
        holders = [s for s in grid.near(p) if s.contains(p) and _overlap(char, s.bbox) >= MIN_OVERLAP]
        if not holders:
            continue
        later = [s for s in holders if s.seq > seq]
        if later:
            # Painted over the character: the topmost paint decides what the reader sees. A light
            # box on top (white-out, form backgrounds) is not reported; a dark one is.
            top = max(later, key=lambda s: s.seq)
            if _is_dark(top.lum):
                under.setdefault(top.seq, []).append(char)
            continue
        # Drawn after every box under it: hidden only when it is the box's own colour (black text
        # on a black box) - unless box and text belong to one small Form XObject, which is how a
        # flattened redaction or stamp draws its own label ("Privilege", a date) on its box.
        below = max(holders, key=lambda s: s.seq)
        char_lum = _luminance(char.get("non_stroking_color"), char.get("ncs"))
        if (_is_dark(below.lum) and char_lum is not None and abs(char_lum - below.lum) < SAME_COLOUR
                and not (below.form is not None and below.form == form)):
            under.setdefault(below.seq, []).append(char)
    lines = [(seq, obj) for seq, _, obj in objects if obj["object_type"] == "line" and obj.get("stroke")]
    found = []
    for seq, chars in under.items():
        text = _joined(chars)
        if not _worth_reporting(text):
            continue
        shape = by_seq[seq]
        kind = "hatched pattern" if shape.kind == "hatched pattern" or _hatched(shape, lines) else shape.kind
        found.append(CoveredText(number, tuple(round(v, 2) for v in shape.bbox), text, kind))
    return found


def _to_plumber(page: pdfplumber.page.Page) -> Callable[[float, float], Point]:
    """Map PDF user space (where annotation rectangles live) to pdfplumber's coordinates, the way
    pdfminer maps page content (its rotation matrix) and pdfplumber then flips it."""
    x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)
    rotate = page.rotation
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    height = float(page.height)

    def convert(x: float, y: float) -> Point:
        if rotate == 90:
            u, v = y - y0, x1 - x
        elif rotate == 180:
            u, v = x1 - x, y1 - y
        elif rotate == 270:
            u, v = y1 - y, x - x0
        else:
            u, v = x - x0, y - y0
        return u + mb_x0, height - v + mb_top

    return convert


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value) if value is not None else ""


def _numbers(value: Any) -> list[float]:
    value = resolve1(value)
    if not isinstance(value, (list, tuple)):
        return []
    out = []
    for v in value:
        v = resolve1(v)
        if isinstance(v, (int, float)):
            out.append(float(v))
    return out


def _annotation_regions(annot: dict, convert: Callable[[float, float], Point]) -> list[list[Point]]:
    """The areas an annotation paints, as polygons in pdfplumber coordinates: its quadrilaterals
    (a highlight over three lines paints three strips, not its whole bounding rectangle), the polygon
    of a Polygon annotation, or else its rectangle."""
    subtype = _name(annot.get("Subtype"))
    quads = _numbers(annot.get("QuadPoints"))
    if subtype in ("Highlight", "Redact") and len(quads) >= 8:
        regions = []
        for i in range(0, len(quads) - 7, 8):
            pts = [convert(quads[i + j], quads[i + j + 1]) for j in (0, 2, 4, 6)]
            regions.append([(b[0], b[1]) for b in _rect_corners(_bbox_of(pts))])
        return regions
    vertices = _numbers(annot.get("Vertices"))
    if subtype == "Polygon" and len(vertices) >= 6:
        return [[convert(vertices[i], vertices[i + 1]) for i in range(0, len(vertices) - 1, 2)]]
    rect = _numbers(annot.get("Rect"))
    if len(rect) != 4:
        return []
    pts = [convert(rect[0], rect[1]), convert(rect[2], rect[3])]
    return [_rect_corners(_bbox_of(pts))]


def _rect_corners(bbox: tuple[float, float, float, float]) -> list[Point]:
    x0, top, x1, bottom = bbox
    return [(x0, top), (x1, top), (x1, bottom), (x0, bottom)]


def _annotation_kind(annot: dict) -> str | None:
    """What an annotation does to the text under it, or None when it leaves it readable."""
    subtype = _name(annot.get("Subtype"))
    if subtype == "Redact":
        # Marked but never applied: the text is all still there, whatever colour the mark has.
        return "unapplied redaction"
    flags = resolve1(annot.get("F")) or 0
    if isinstance(flags, int) and flags & (2 | 32):  # Hidden, NoView: not drawn at all
        return None
    opacity = resolve1(annot.get("CA"))
    if isinstance(opacity, (int, float)) and opacity < 0.5:
        return None  # see-through
    if subtype == "Highlight":
        # Highlights are drawn in multiply mode: a yellow one leaves the text readable, a black one
        # is the Manafort-filing failure.
        return "dark highlight" if _is_dark(_luminance(tuple(_numbers(annot.get("C"))))) else None
    if subtype in ("Square", "Circle", "Polygon"):
        interior = _numbers(annot.get("IC"))
        if not interior:
            return None  # outline only
        # An opaque filled shape lying on top of the page hides what is under it whatever its colour
        # (white-out). Unlike a white box in the page content - form and layout backgrounds - a
        # filled shape annotation over text has no layout role.
        return "dark rectangle" if _is_dark(_luminance(tuple(interior))) else "covering annotation"
    return None


def _annotation_covers(objects: list[_Obj], page: pdfplumber.page.Page, number: int) -> list[CoveredText]:
    annots = resolve1(page.page_obj.annots) or []
    if not annots:
        return []
    convert = _to_plumber(page)
    chars = [c for _, _, c in objects if c["object_type"] == "char" and (c.get("text") or "").strip()]
    found = []
    for ref in annots:
        try:
            annot = resolve1(ref)
            if not isinstance(annot, dict):
                continue
            kind = _annotation_kind(annot)
            if kind is None:
                continue
            regions = _annotation_regions(annot, convert)
        except Exception as exc:
            log.warning("page %d: annotation not understood (%s); skipped by the cover check", number, exc)
            continue
        circle = _name(annot.get("Subtype")) == "Circle"
        covered = []
        for c in chars:
            p = _centre(c)
            for poly in regions:
                bbox = _bbox_of(poly)
                inside = _in_ellipse(bbox, p) if circle else _winding(poly, p) != 0
                if inside and _overlap(c, bbox) >= MIN_OVERLAP:
                    covered.append(c)
                    break
        text = _joined(covered)
        if regions and _worth_reporting(text):
            bbox = _bbox_of([pt for poly in regions for pt in poly])
            found.append(CoveredText(number, tuple(round(v, 2) for v in bbox), text, kind))
    return found


def _in_ellipse(bbox: tuple[float, float, float, float], p: Point) -> bool:
    x0, top, x1, bottom = bbox
    rx, ry = (x1 - x0) / 2, (bottom - top) / 2
    if rx <= 0 or ry <= 0:
        return False
    return ((p[0] - (x0 + rx)) / rx) ** 2 + ((p[1] - (top + ry)) / ry) ** 2 <= 1


def find_covered_text(path: Path) -> list[CoveredText]:
    """Live text hidden under a dark box, a dark highlight or an unapplied Redact annotation (x-ray style).

    For each page: filled box-like paths are taken in drawing order; a character is covered by the
    topmost dark box painted after it whose area holds its centre and most of its body, or by a dark
    box it was itself painted on in the same colour. Dark Highlight, filled Square/Circle/Polygon and
    still-present Redact annotations lie over everything and are checked separately. Covers with no
    letter or digit under them are not reported. Raises :class:`EncryptedPdfError` /
    :class:`UnverifiablePdfError` when the file cannot be analysed.
    """
    found: list[CoveredText] = []
    with _open_plumber(Path(path).read_bytes()) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            try:
                objects = list(_iter_objects(page))
                found.extend(_content_covers(objects, page, number))
                found.extend(_annotation_covers(objects, page, number))
            except UnverifiablePdfError:
                raise
            except Exception as exc:
                # A page we cannot analyse is a page we cannot vouch for.
                raise UnverifiablePdfError(f"page {number} cannot be analysed: {exc}") from exc
            finally:
                page.close()
    return found
