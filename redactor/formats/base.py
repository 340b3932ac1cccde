"""What a format adapter is: it reads a document into text units and writes the redacted copy.

Adapters never decide what to redact; they are told (``Redaction``) and they
report where things are (``Location``).
"""

from __future__ import annotations

import os
import tempfile
from abc import ABC, abstractmethod
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, ClassVar

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, TextUnit, Withheld


@dataclass(frozen=True)
class ReadOptions:
    """How adapters read: ``ocr`` is auto (pages that need it), always, or never (withhold such pages)."""

    ocr: str = "auto"
    #: How many containers deep the document sits (0: a file of the request; 1: its attachment).
    depth: int = 0
    #: Told the pages of a PDF (an attached one too) before they are read: reading them can take
    #: seconds a page (OCR), and the run gives a document time by its size.
    on_pages: Callable[[int], None] | None = field(default=None, compare=False)


class OpenDocument(ABC):
    """A document read into units, able to write its redacted copy."""

    units: list[TextUnit]

    def adapter_detections(self) -> dict[str, list[Detection]]:
        """Spans the format itself knows must go (text hidden under a box in the record as received)."""
        return {}

    def withhold_pages(self, pages: dict[int, str]) -> None:
        """Remove whole pages (1-based page -> marker shown in their place); only paged formats can."""
        raise NotImplementedError(f"{type(self).__name__} has no pages")

    def withheld_parts(self) -> list[Withheld]:
        """Parts left out of the released copy for manual review (attachments the tool cannot read)."""
        return []

    @abstractmethod
    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """Where a span of a unit is in the document (page, line, part)."""

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """Whether a span of a unit holds any of the document's own characters, rather than only a
        label the adapter read before a value (a column header before each cell of a table)."""
        return True

    @abstractmethod
    def write_redacted(self, redactions: Sequence[Redaction], out_path: Path) -> list[Path]:
        """Write the redacted document at ``out_path`` (and any companions); return the paths."""

    def close(self) -> None:  # noqa: B027 - optional hook: most formats hold no handle
        """Release file handles."""


class FormatAdapter(ABC):
    """One document format; a module in ``formats/`` exposes an instance as ``ADAPTER``."""

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    @abstractmethod
    def open(self, path: Path, options: ReadOptions | None = None) -> OpenDocument:
        """Read ``path``; raise :class:`UnreadableDocument` when it cannot be read safely."""


def replace_spans(text: str, reds: Sequence[Redaction]) -> str:
    """``text`` with each redacted span replaced by its marker; a span starting inside an earlier one
    is part of it."""
    out, pos = [], 0
    for red in sorted(reds, key=lambda r: r.start):
        if red.start < pos:
            continue
        out.append(text[pos:red.start])
        out.append(red.label)
        pos = red.end
    out.append(text[pos:])
    return "".join(out)


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A file handle whose content replaces ``path`` in one rename when the block ends without an
    error; otherwise nothing is left behind (no half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; give the file the permissions any new file gets (umask).
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename, so no half file is left."""
    with atomic_writer(path) as fh:
        fh.write(data)


def decode_text(data: bytes, what: str) -> tuple[str, str, bool]:
    """Decode a text record: UTF-8 (with or without BOM), else Windows-1252. Returns text, encoding, bom.

    A file with NUL bytes is binary whatever its name says, and is refused.
    """
    if b"\x00" in data[:65536]:
        raise UnreadableDocument(f"{what}: contains binary data (NUL bytes); not a plain-text record",
                                 reason="binary")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8-sig"), "utf-8", bom
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252", False
    except UnicodeDecodeError:
        raise UnreadableDocument(f"{what}: text is neither UTF-8 nor Windows-1252", reason="encoding") from None


def encode_text(text: str, encoding: str, bom: bool) -> bytes:
    """Encode as the input was encoded; the markers are ASCII so this cannot fail."""
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


class MappedTextDocument(OpenDocument):
    """A document whose units are built from one decoded text, each unit char mapped to a text offset.

    Text files map units one to one onto paragraphs; CSV files build "Header: value"
    units whose label characters map nowhere (-1). Redaction replaces the mapped
    ranges of the decoded text with markers and re-encodes it.
    """

    def __init__(self, text: str, encoding: str, bom: bool) -> None:
        self.text = text
        self.encoding = encoding
        self.bom = bom
        self.units = []
        self._maps: dict[str, array] = {}
        self._units: dict[str, TextUnit] = {}

    def add_unit(self, unit: TextUnit, offsets: array) -> None:
        """Register a unit and the text offset of each of its characters (-1 for synthetic ones)."""
        self.units.append(unit)
        self._units[unit.unit_id] = unit
        self._maps[unit.unit_id] = offsets

    def text_ranges(self, unit_id: str, start: int, end: int) -> list[tuple[int, int]]:
        """Contiguous ranges of the decoded text covered by a unit span."""
        offsets = [o for o in self._maps[unit_id][start:end] if o >= 0]
        ranges: list[tuple[int, int]] = []
        for off in offsets:
            if ranges and off <= ranges[-1][1] + 2:  # +2 bridges a doubled quote in CSV
                ranges[-1] = (ranges[-1][0], off + 1)
            else:
                ranges.append((off, off + 1))
        return ranges

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """A "Header: " label's characters map nowhere (-1)."""
        return any(o >= 0 for o in self._maps[unit_id][start:end])

    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """Line of the span in the file."""
        unit = self._units[unit_id]
        ranges = self.text_ranges(unit_id, start, end)
        first = ranges[0][0] if ranges else 0
        line = self.text.count("\n", 0, first) + 1
        return Location(part=unit.part, unit_id=unit_id, start=start, end=end, page=None, line=line)

    def redacted_text(self, redactions: Sequence[Redaction]) -> str:
        """The text with every redacted range replaced by its marker (overlaps merged)."""
        spans: list[tuple[int, int, str]] = []
        for red in redactions:
            for s, e in self.text_ranges(red.unit_id, red.start, red.end):
                spans.append((s, e, red.label))
        spans.sort()
        merged: list[tuple[int, int, str]] = []
        for s, e, label in spans:
            if merged and s <= merged[-1][1]:
                ps, pe, plabel = merged[-1]
                merged[-1] = (ps, max(pe, e), plabel)
            else:
                merged.append((s, e, label))
        out, pos = [], 0
        for s, e, label in merged:
            out.append(self.text[pos:s])
            out.append(label)
            pos = e
        out.append(self.text[pos:])
        return "".join(out)

    def write_redacted(self, redactions: Sequence[Redaction], out_path: Path) -> list[Path]:
        """Write the redacted text in the input's encoding."""
        write_atomically(out_path, encode_text(self.redacted_text(redactions), self.encoding, self.bom))
        return [out_path]
