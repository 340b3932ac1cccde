"""Files carried inside a document (a PDF's embedded files, later an e-mail's attachments).

Each attachment is read by the adapter for its own format, as a part of the document that carries
it: its units join the container's (so a value found in the attachment is redacted in the
container too, and the other way round), its findings are logged against the container with the
attachment named in the location, and its redacted copy is written beside the container's output
as ``<container>.attachments/<name>``. An attachment no adapter reads, one that cannot be read
safely, or one nested too deep is left out of the release and listed for manual review.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, TextUnit, Withheld
from .base import OpenDocument, ReadOptions, replace_spans

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


@dataclass
class _Child:
    """One attachment: its name as the container gives it, and its document when it could be read."""

    index: int
    name: str
    where: str
    doc: OpenDocument | None = None
    units: dict[str, TextUnit] = field(default_factory=dict)  # prefixed unit id -> the child's unit

    @property
    def prefix(self) -> str:
        return f"att{self.index}/"

    @property
    def name_unit(self) -> str:
        return f"{self.prefix}name"


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
        try:
            child.doc = adapter.open(path, replace(self.options, depth=self.options.depth + 1))
        except UnreadableDocument as exc:
            self._withhold(child, f"{where} {name!r} could not be read ({exc.message}); "
                                  "left out of the release for manual review")
            return child.index
        except Exception as exc:  # a reader crash on a malformed attachment must not lose the container
            self._withhold(child, f"{where} {name!r} could not be read ({type(exc).__name__}); "
                                  "left out of the release for manual review")
            return child.index
        label = f"{shown} ({where})"
        for unit in child.doc.units:
            self._add_unit(child, replace(unit, unit_id=child.prefix + unit.unit_id,
                                          part=f"{label}: {unit.part}"))
        self.withheld.extend(replace(w, document=self.container, detail=f"in {label}: {w.detail}")
                             for w in child.doc.withheld_parts())
        self.notes.extend(f"{label}: {note}" for note in getattr(child.doc, "notes", []))
        return child.index

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
        if child.doc is None or unit_id == child.name_unit:
            return Location(part=unit.part, unit_id=unit_id, start=start, end=end)
        inner = child.doc.locate(unit_id[len(child.prefix):], start, end)
        return replace(inner, part=unit.part, unit_id=unit_id)

    def adapter_detections(self) -> dict[str, list[Detection]]:
        """What each attachment's own adapter knows must go, under the prefixed unit ids."""
        out: dict[str, list[Detection]] = {}
        for child in self._children:
            if child.doc is not None:
                for unit_id, dets in child.doc.adapter_detections().items():
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
            if child.doc is None:
                out.append(WrittenAttachment(child.index, name, []))
                continue
            if name.casefold() in used:
                name = f"{child.index}-{name}"
            used.add(name.casefold())
            inner = [replace(r, unit_id=r.unit_id[len(child.prefix):]) for uid, reds in routed.items()
                     if uid != child.name_unit and self._owner[uid] is child for r in reds]
            out.append(WrittenAttachment(child.index, name, child.doc.write_redacted(inner, folder / name)))
        return out

    def released_names(self) -> list[str]:
        """Names of the attachments that are released beside the container."""
        return [c.name for c in self._children if c.doc is not None]

    def close(self) -> None:
        """Close every attachment and remove the temporary copies."""
        for child in self._children:
            if child.doc is not None:
                child.doc.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

