"""Files carried inside a document (a PDF's embedded files, later an e-mail's attachments).

Each attachment is read by the adapter for its own format, as a part of the document that carries
it: its units join the container's (so a value found in the attachment is redacted in the
container too, and the other way round), its findings are logged against the container with the
attachment named in the location, and its redacted copy is written beside the container's output
as ``<container>.attachments/<name>``. An attachment no adapter reads, one that cannot be read
safely, or one nested too deep is left out of the release and listed for manual review.

Memory: an opened attachment can weigh far more than its file (a 40 kB Word file is about 11 MB of
parsed XML), and a mailbox carries hundreds. So the attachments of a request's own files are kept
open one at a time per thread: once read, an attachment is closed and its units and findings kept;
it is opened again from its temporary copy when a finding in it is located or its copy written, and
must read exactly as it did the first time (else the container is not released). Attachments
inside attachments stay open with the attachment that carries them.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, TextUnit, Withheld
from .base import FormatAdapter, OpenDocument, ReadOptions, replace_spans

#: Attachments inside attachments are followed this deep; a deeper one is withheld for review
#: (a zip-bomb-like chain of containers must not exhaust the run).
MAX_DEPTH = 3
#: Characters that cannot be in a released file name on the systems requesters use.
_UNSAFE = set('<>:"/\\|?*')


def beside_dir(out_path: Path) -> Path:
    """Where a document's attachments are released: ``report.pdf`` -> ``report.pdf.attachments/``."""
    return out_path.with_name(out_path.name + ".attachments")


def safe_file_name(name: str, fallback: str) -> str:
    """A file name that stays inside its folder: no path, no control or reserved characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join("_" if ch in _UNSAFE or unicodedata.category(ch)[0] == "C" else ch for ch in name)
    name = name.strip(" .")
    return name[:150] if name else fallback


class AttachmentReadDifferently(RuntimeError):
    """An attachment opened again did not read as it did the first time: the findings placed in
    its first reading could land on the wrong text, so its container must not be released."""


def _fingerprint(units: Sequence[TextUnit]) -> bytes:
    digest = hashlib.sha256()
    for unit in units:
        for piece in (unit.unit_id, unit.part, unit.text):
            digest.update(piece.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
    return digest.digest()


@dataclass(eq=False)
class _Child:
    """One attachment: its name as the container gives it, and, when it could be read, how to
    open it again and its document while it is open."""

    index: int
    name: str
    where: str
    doc: OpenDocument | None = None
    units: dict[str, TextUnit] = field(default_factory=dict)  # prefixed unit id -> the child's unit
    adapter: FormatAdapter | None = None  # None: not read (withheld)
    path: Path | None = None  # its temporary copy
    options: ReadOptions | None = None
    known: dict[str, list[Detection]] = field(default_factory=dict)  # its adapter's own detections
    fingerprint: bytes = b""  # of its units as first read

    @property
    def prefix(self) -> str:
        return f"att{self.index}/"

    @property
    def name_unit(self) -> str:
        return f"{self.prefix}name"

    @property
    def readable(self) -> bool:
        return self.adapter is not None

    def document(self) -> OpenDocument:
        """The open document, opened again from the temporary copy when it was put away."""
        if self.doc is None:
            assert self.adapter is not None and self.path is not None
            doc = self.adapter.open(self.path, self.options)
            if _fingerprint(doc.units) != self.fingerprint:
                doc.close()
                raise AttachmentReadDifferently(f"attachment {self.name!r} read differently when opened again")
            self.doc = doc
        return self.doc

    def put_away(self) -> None:
        """Close the document (its units, findings and temporary copy are kept)."""
        if self.doc is not None:
            self.doc.close()
            self.doc = None


class _Held(threading.local):
    """The one attachment of a request's own file this thread keeps open."""

    child: _Child | None = None


_held = _Held()


@dataclass(frozen=True)
class WrittenAttachment:
    """One attachment after writing: its index (as ``add`` returned it), its released name (values
    in it replaced by markers) and the files written for it (none when it was withheld)."""

    index: int
    name: str
    paths: list[Path]


class AttachedDocuments:
    """The attachments of one container document, read, redacted and written by their own adapters."""

    def __init__(self, container: str, options: ReadOptions) -> None:
        self.container = container
        self.options = options
        self.units: list[TextUnit] = []
        self.withheld: list[Withheld] = []
        self.notes: list[str] = []
        self._children: list[_Child] = []
        self._owner: dict[str, _Child] = {}
        self._tmp: Path | None = None

    def add(self, name: str, data: bytes, where: str, withhold: str | None = None) -> int:
        """Read one attachment (``where`` says where it sat, e.g. "embedded file"); return its index.

        ``withhold`` leaves it unread and out of the release for that reason (a signature, an
        encrypted blob): its name is still read, since the container shows it.
        """
        from . import adapter_for  # the registry imports every adapter, this module's users included

        child = _Child(len(self._children) + 1, name, where)
        self._children.append(child)
        shown = safe_file_name(name, f"attachment-{child.index}")
        # The name is text of the record too ("Jane Roe SSN card.pdf"); it is read like any other.
        # Underscores read as the spaces they stand for ("Fairbanks_noise_log.pdf"): same length, so
        # spans map back onto the name unchanged.
        self._add_unit(child, TextUnit(unit_id=child.name_unit, text=name.replace("_", " "), part=f"{where} name"))
        if withhold is not None:
            self._withhold(child, f"{where} {name!r}: {withhold}; left out of the release for manual review")
            return child.index
        adapter = adapter_for(PurePosixPath(shown))
        if adapter is None:
            self._withhold(child, f"{where} {name!r}: its format is not processed by this version of redact; "
                                  "left out of the release for manual review")
            return child.index
        if self.options.depth >= MAX_DEPTH:
            self._withhold(child, f"{where} {name!r} is nested more than {MAX_DEPTH} levels deep; "
                                  "left out of the release for manual review")
            return child.index
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="redact-attachments-"))
        path = self._tmp / str(child.index) / shown
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        options = replace(self.options, depth=self.options.depth + 1)
        try:
            doc = adapter.open(path, options)
        except UnreadableDocument as exc:
            # The reader's message may quote the temporary copy's path: the log names the attachment
            # (and a rerun writes the same log).
            message = exc.message.replace(str(path), shown)
            self._withhold(child, f"{where} {name!r} could not be read ({message}); "
                                  "left out of the release for manual review")
            return child.index
        except Exception as exc:  # a reader crash on a malformed attachment must not lose the container
            self._withhold(child, f"{where} {name!r} could not be read ({type(exc).__name__}); "
                                  "left out of the release for manual review")
            return child.index
        child.doc, child.adapter, child.path, child.options = doc, adapter, path, options
        child.known = doc.adapter_detections()
        child.fingerprint = _fingerprint(doc.units)
        label = f"{shown} ({where})"
        for unit in doc.units:
            self._add_unit(child, replace(unit, unit_id=child.prefix + unit.unit_id,
                                          part=f"{label}: {unit.part}"))
        self.withheld.extend(replace(w, document=self.container, detail=f"in {label}: {w.detail}")
                             for w in doc.withheld_parts())
        self.notes.extend(f"{label}: {note}" for note in getattr(doc, "notes", []))
        self._hold(child)
        return child.index

    def _hold(self, child: _Child) -> None:
        """Keep ``child`` open, putting away the attachment held before it: only for the attachments
        of a request's own file; deeper ones live and go with the attachment that carries them."""
        if self.options.depth != 0:
            return
        held = _held.child
        if held is not None and held is not child:
            held.put_away()
        _held.child = child

    def _open(self, child: _Child) -> OpenDocument:
        doc = child.document()
        self._hold(child)
        return doc

    def _add_unit(self, child: _Child, unit: TextUnit) -> None:
        if not unit.text.strip():
            return
        self.units.append(unit)
        self._owner[unit.unit_id] = child
        child.units[unit.unit_id] = unit

    def _withhold(self, child: _Child, detail: str) -> None:
        self.withheld.append(Withheld(self.container, "attachment", detail))

    def owns(self, unit_id: str) -> bool:
        """True when the unit is an attachment's (or an attachment's name)."""
        return unit_id in self._owner

    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """Where a span is, in the attachment's own terms, under the attachment's label."""
        child = self._owner[unit_id]
        unit = child.units[unit_id]
        if not child.readable or unit_id == child.name_unit:
            return Location(part=unit.part, unit_id=unit_id, start=start, end=end)
        inner = self._open(child).locate(unit_id[len(child.prefix):], start, end)
        return replace(inner, part=unit.part, unit_id=unit_id)

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """As the attachment's own adapter says (see OpenDocument.holds_own_text)."""
        child = self._owner[unit_id]
        if not child.readable or unit_id == child.name_unit:
            return True
        return self._open(child).holds_own_text(unit_id[len(child.prefix):], start, end)

    def adapter_detections(self) -> dict[str, list[Detection]]:
        """What each attachment's own adapter knows must go, under the prefixed unit ids."""
        out: dict[str, list[Detection]] = {}
        for child in self._children:
            for unit_id, dets in child.known.items():
                out[child.prefix + unit_id] = dets
        return out

    def write(self, redactions: Sequence[Redaction], out_path: Path) -> list[Path]:
        """Write every readable attachment's redacted copy beside ``out_path``; return the paths."""
        return [path for each in self.write_each(redactions, out_path) for path in each.paths]

    def write_each(self, redactions: Sequence[Redaction], out_path: Path,
                   folder: Path | None = None) -> list[WrittenAttachment]:
        """Write each readable attachment's redacted copy into ``folder`` (default: beside
        ``out_path``); return every attachment, withheld ones included, with its released name."""
        routed: dict[str, list[Redaction]] = defaultdict(list)
        for red in redactions:
            routed[red.unit_id].append(red)
        out: list[WrittenAttachment] = []
        used: set[str] = set()
        folder = beside_dir(out_path) if folder is None else folder
        for child in self._children:
            name_reds = routed.get(child.name_unit, [])
            name = safe_file_name(replace_spans(child.name, name_reds), f"attachment-{child.index}")
            if not child.readable:
                out.append(WrittenAttachment(child.index, name, []))
                continue
            if name.casefold() in used:
                name = f"{child.index}-{name}"
            used.add(name.casefold())
            inner = [replace(r, unit_id=r.unit_id[len(child.prefix):]) for uid, reds in routed.items()
                     if uid != child.name_unit and self._owner[uid] is child for r in reds]
            out.append(WrittenAttachment(child.index, name, self._open(child).write_redacted(inner, folder / name)))
        return out

    def released_names(self) -> list[str]:
        """Names of the attachments that are released beside the container."""
        return [c.name for c in self._children if c.readable]

    def put_away(self) -> None:
        """Close every attachment, keeping the temporary copies to open them again from: what
        is left holds no open document, and can be pickled and taken up later (mbox.MboxParts)."""
        for child in self._children:
            child.put_away()
            if _held.child is child:
                _held.child = None

    @property
    def temporary(self) -> Path | None:
        """The folder of the temporary copies (removed by :meth:`close`)."""
        return self._tmp

    def close(self) -> None:
        """Close every attachment and remove the temporary copies."""
        self.put_away()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

