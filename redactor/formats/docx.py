"""Word (.docx) records: every part of the package is read, findings are removed for real, the rest
is copied byte for byte.

Reading walks the package's relationships from its root and reads each part by what it is:

* story parts (body, headers, footers, footnotes, endnotes, comments, the glossary): one unit per
  paragraph, read across runs, so a value split over runs with different formatting is one value.
  A paragraph in a table cell is read after its column header or row label ("Account number:
  ..."); text boxes are paragraphs of their own. A paragraph with tracked changes is
  read twice: as it now stands (without deletions) and as it was (without insertions), so neither
  reading glues deleted and inserted words together and a value kept only in ``w:delText`` is found.
  Field instructions (``w:instrText``) are a unit of their own per paragraph.
* attributes that carry words: authors and initials of comments and revisions (``people.xml`` too),
  image alt text and names, field instructions of simple fields, tooltips, content-control list
  items, legacy form-field values, document variables, mail-merge queries.
* external relationship targets (``mailto:`` links, linked pictures, the attached template's path).
* document properties (``docProps/core.xml``, ``app.xml``, ``custom.xml``) as labelled units
  ("Author: ..."); custom XML data and charts or diagrams as their element texts.
* pictures (PNG, JPEG, GIF, BMP, TIFF) by OCR. A Windows profile path (``C:\\Users\\jdoe\\...``) in any
  of these is reported as a USERNAME by the adapter itself.

Writing: each value is replaced by its marker in the first text node of its span (that run's
formatting is kept), and the other nodes of the span lose only the redacted characters. Attributes
and targets get the marker in place of the value; a document property holding a finding is
cleared, and the author and last-modified-by properties are always cleared. Pictures with findings
are blacked out where the words are and re-encoded in their own format. Embedded objects
(OLE, packages, ActiveX controls, alt-chunks) are removed with their relationships and replaced by
a visible placeholder; pictures that cannot be read (vector formats with text, or OCR off or
unavailable) are replaced by a blank picture of the same size; the thumbnail goes. All of these are
listed for manual review. Untouched parts keep their bytes; the zip keeps its entry order and
compression, with fixed timestamps, so a rerun writes the same bytes.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from lxml import etree

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, TextUnit, Withheld
from ..textutil import looks_like_header
from .base import FormatAdapter, OpenDocument, ReadOptions, write_atomically
from .ocr import OcrUnavailable, ocr_words

# XML is read with entity resolution, DTD loading and network access off: a record is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=False, remove_pis=False)

#: Relationship attribute namespaces (r:id, r:embed, r:link): Transitional and ISO 29500 Strict.
_REL_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "http://purl.oclc.org/ooxml/officeDocument/relationships")
_W_NS = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
         "http://purl.oclc.org/ooxml/wordprocessingml/main")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A package larger than this once unpacked is refused (a zip bomb must not exhaust the run).
MAX_UNPACKED = 1 << 30
#: Fixed zip timestamp of every entry written, so a rerun gives identical bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Pictures smaller than this (pixels) cannot hold readable text: bullets, rules, spacers.
_MIN_OCR_SIDE = (16, 8)
_MIN_OCR_AREA = 1500
#: Pictures narrower than this are enlarged before OCR: Tesseract reads screen-resolution text poorly.
_OCR_UPSCALE_BELOW = 1600
_RASTER = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff"}
_VECTOR_EXT = {".emf", ".wmf", ".svg", ".emz", ".wmz", ".eps"}
_PLACEHOLDER = "[embedded object withheld for review]"

#: Story parts (read paragraph by paragraph), by the last segment of their relationship type.
_STORIES = {"officeDocument": "body", "glossaryDocument": "glossary", "header": "header", "footer": "footer",
            "footnotes": "footnote", "endnotes": "endnote", "comments": "comment"}
#: Parts that hold formatting only; their attributes are still scanned for authors and alt text.
_FORMATTING = {"styles", "stylesWithEffects", "fontTable", "theme", "numbering", "webSettings", "settings",
               "people", "commentsExtended", "commentsIds", "commentsExtensible", "customXmlProps",
               "themeOverride", "diagramLayout", "diagramQuickStyle", "diagramColors", "chartStyle", "chartColorStyle",
               "keyMapCustomizations"}
#: Parts that are carried as they are (fonts) or dropped without review (printer settings, thumbnail).
_KEEP_BINARY = {"font", "fontTable"}
_DROP_QUIETLY = {"printerSettings": "printer settings", "thumbnail": "thumbnail picture of the first page"}
#: Embedded content that cannot be read here: removed and listed for review.
_EMBEDDED = {"oleObject", "package", "control", "activeXControlBinary", "aFChunk", "vbaProject", "attachedToolbars",
             "vbaData"}
_PROPS = {"core-properties": "core", "extended-properties": "app", "extendedProperties": "app",
         "custom-properties": "custom", "customProperties": "custom"}

#: Core and app properties: the label shown to detection, and whether the value is always cleared.
_PROP_LABELS = {
    "creator": ("Author", True), "lastModifiedBy": ("Last modified by", True), "title": ("Title", False),
    "subject": ("Subject", False), "description": ("Comments", False), "keywords": ("Keywords", False),
    "category": ("Category", False), "contentStatus": ("Status", False), "identifier": ("Identifier", False),
    "version": ("Version", False), "Template": ("Template", False), "Manager": ("Manager", True),
    "Company": ("Company", False), "HyperlinkBase": ("Hyperlink base", False), "lpstr": ("Title of part", False),
}
_PROP_SKIP = {"created", "modified", "lastPrinted", "revision", "language", "TotalTime", "Pages", "Words",
              "Characters", "Application", "DocSecurity", "Lines", "Paragraphs", "ScaleCrop", "LinksUpToDate",
              "CharactersWithSpaces", "SharedDoc", "HyperlinksChanged", "AppVersion", "Notes", "Slides",
              "HiddenSlides", "MMClips", "PresentationFormat", "DigSig", "i4", "variant", "HeadingPairs"}

#: Attributes that carry words: (element local name or "*", attribute local name) -> part label.
_TEXT_ATTRS = {
    ("comment", "author"): "comment author", ("comment", "initials"): "comment author",
    ("person", "author"): "comment author", ("presenceInfo", "userId"): "comment author account",
    ("*", "author"): "tracked change author",
    ("docPr", "descr"): "alt text", ("docPr", "title"): "alt text", ("docPr", "name"): "picture name",
    ("cNvPr", "descr"): "alt text", ("cNvPr", "title"): "alt text", ("cNvPr", "name"): "picture name",
    ("*", "alt"): "alt text", ("imagedata", "title"): "picture name", ("shape", "title"): "alt text",
    ("fldSimple", "instr"): "field instruction", ("*", "tooltip"): "hyperlink tooltip",
    ("listItem", "displayText"): "content control", ("listItem", "value"): "content control",
    ("docVar", "val"): "document variable", ("default", "val"): "form field", ("listEntry", "val"): "form field",
    ("statusText", "val"): "form field", ("helpText", "val"): "form field",
    ("query", "val"): "mail merge", ("connectString", "val"): "mail merge", ("odso", "udl"): "mail merge",
    ("attachedSchema", "val"): "settings",
}
#: The local names of _TEXT_ATTRS, for a quick first test of each attribute.
_TEXT_ATTR_NAMES = frozenset(a for _, a in _TEXT_ATTRS)
#: Attribute labels shown to detection before the value, so NER sees "Author: Jane Roe" in context.
_ATTR_PREFIX = {"comment author": "Author: ", "tracked change author": "Author: "}

#: A Windows or Unix user-profile folder in a path: the segment after it is an account name.
_PROFILE = re.compile(r"(?i)(?:^|[\\/:]|%5c|%2f)(?:users|documents and settings|home)(?:[\\/]|%5c|%2f)+"
                      r"([^\\/:*?\"<>|%\s][^\\/:*?\"<>|%]*?)(?=[\\/]|%5c|%2f|$)")
_NOT_ACCOUNTS = {"public", "default", "default user", "all users", "shared", "administrator"}


def _local(tag: object) -> str:
    """Local name of an element tag (comments and processing instructions have none)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _is_w(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and el.tag.startswith("{") and el.tag[1:].split("}")[0] in _W_NS


def _attr_local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an attribute name in Clark notation."""
    if name.startswith("{"):
        ns, local = name[1:].split("}", 1)
        return ns, local
    return "", name


def _falsy(value: str | None) -> bool:
    return value is not None and value.lower() in ("0", "false", "off")


def profile_accounts(text: str) -> list[tuple[int, int]]:
    """Spans of account names in user-profile paths (``C:\\Users\\jdoe\\...``, ``/home/jdoe/...``)."""
    spans = []
    for m in _PROFILE.finditer(text):
        name = m.group(1).strip()
        if name and name.lower() not in _NOT_ACCOUNTS:
            spans.append((m.start(1), m.start(1) + len(name)))
    return spans


@dataclass(frozen=True)
class DocxLocation(Location):
    """A place in a Word package: its part (header, comment, alt text, ...) and paragraph or table row."""

    place: str | None = None

    def describe(self) -> str:
        """E.g. ``header (first page), paragraph 2`` or ``body, table 1, row 3``; never the value."""
        return f"{self.part}, {self.place}" if self.place else self.part


@dataclass
class _Slot:
    """A place text lives: an element's text, an attribute value, or a character element (tab, break)."""

    part: str
    elem: etree._Element
    attr: str | None = None
    kind: str = "text"  # text | attr | char | prop

    def get(self) -> str:
        if self.attr is not None:
            return self.elem.get(self.attr) or ""
        return self.elem.text or ""

    def set(self, value: str) -> None:
        if self.attr is not None:
            self.elem.set(self.attr, value)
            return
        self.elem.text = value
        if _is_w(self.elem) and _local(self.elem.tag) in ("t", "delText", "instrText", "delInstrText"):
            self.elem.set(_XML_SPACE, "preserve")


@dataclass
class _Piece:
    text: str
    slot: int
    start: int
    end: int
    flags: int  # bit 1 deleted, 2 inserted, 4 hidden


_DELETED, _INSERTED, _HIDDEN = 1, 2, 4

#: A paragraph at most this long may be the label of the value in the next one ("Account number:"
#: above "4400918273", common in forms typed in Word): the next one is read after it.
_LABEL_PARAGRAPH = 60


@dataclass
class _UnitInfo:
    part: str
    #: "paragraph 3", "table 1, row 2", or "" for units outside the text flow.
    place: str
    #: Per unit character: (slot, start, end) in the slot's own text, or None for label characters.
    chars: list[tuple[int, int, int] | None]
    flags: bytes = b""
    before: bool = False  # the "as it was" reading of a paragraph with tracked changes
    image: str | None = None  # OCR units: the picture's part name
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # per char (OCR units)


@dataclass
class _Rel:
    source: str  # the part the relationship belongs to ("" for the package root)
    rels_part: str
    elem: etree._Element
    rid: str
    kind: str  # last segment of the relationship type
    target: str  # resolved part name (internal) or the raw target (external)
    external: bool


class _Package:
    """The zip: entries in order, their bytes, parsed XML parts, relationships and content types."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
            raise _corrupt(path, f"not a readable zip package ({exc})") from None
        names = [i.filename for i in self.infos]
        folded = [n.casefold() for n in names]
        if len(set(folded)) != len(folded):
            # Two entries with one name: readers disagree on which one is the part.
            raise _corrupt(path, "the package holds two parts with the same name")
        if sum(i.file_size for i in self.infos) > MAX_UNPACKED:
            raise UnreadableDocument(f"{path.name}: the package unpacks to more than 1 GB", reason="too large",
                                     hint="review the file by hand")
        self.by_fold = {n.casefold(): n for n in names}
        self.raw: dict[str, bytes] = {}
        for info in self.infos:
            if info.is_dir():
                continue
            try:
                self.raw[info.filename] = self.zip.read(info)
            except Exception as exc:  # CRC errors, unsupported compression, truncated data
                raise _corrupt(path, f"part {info.filename} cannot be unpacked ({exc})") from None
        self.xml: dict[str, etree._Element] = {}
        self.dirty: set[str] = set()
        self.removed: set[str] = set()
        self.replaced: dict[str, bytes] = {}

    def find(self, name: str) -> str | None:
        """The entry name of a part (part names compare without case, as OPC says)."""
        return self.by_fold.get(name.lstrip("/").casefold())

    def parse(self, name: str) -> etree._Element:
        """The parsed XML of a part (cached)."""
        if name not in self.xml:
            try:
                self.xml[name] = etree.fromstring(self.raw[name], _PARSER)
            except etree.XMLSyntaxError as exc:
                raise _corrupt(self.path, f"part {name} is not well-formed XML ({exc})") from None
        return self.xml[name]

    def content_type(self, name: str) -> str:
        """The part's content type from [Content_Types].xml (an Override, else the extension's Default)."""
        types = self.parse("[Content_Types].xml")
        for el in types:
            if _local(el.tag) == "Override" and (el.get("PartName") or "").lstrip("/").casefold() == name.casefold():
                return el.get("ContentType") or ""
        ext = posixpath.splitext(name)[1].lstrip(".").casefold()
        for el in types:
            if _local(el.tag) == "Default" and (el.get("Extension") or "").casefold() == ext:
                return el.get("ContentType") or ""
        return ""

    def rels(self, source: str) -> list[_Rel]:
        """Relationships of a part ("" for the package root)."""
        folder, base = posixpath.split(source)
        rels_name = self.find(posixpath.join(folder, "_rels", base + ".rels"))
        if rels_name is None:
            return []
        out = []
        for el in self.parse(rels_name):
            if _local(el.tag) != "Relationship":
                continue
            target = el.get("Target") or ""
            external = (el.get("TargetMode") or "").lower() == "external"
            kind = (el.get("Type") or "").rstrip("/").rsplit("/", 1)[-1]
            if (el.get("Type") or "").endswith("metadata/core-properties"):
                kind = "core-properties"
            if not external:
                resolved = unquote(target.split("#", 1)[0])
                resolved = posixpath.normpath(resolved.lstrip("/") if resolved.startswith("/")
                                              else posixpath.join(folder, resolved))
                target = self.find(resolved) or resolved
            out.append(_Rel(source, rels_name, el, el.get("Id") or "", kind, target, external))
        return out

    def serialise(self, name: str) -> bytes:
        """A changed XML part, with its original declaration (standalone flag included)."""
        root = self.xml[name]
        tree = root.getroottree()
        return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone)


def _corrupt(path: Path, why: str) -> UnreadableDocument:
    return UnreadableDocument(f"{path.name}: {why}", reason="corrupt",
                              hint="open it in Word, save a new copy as .docx, and run again")


class DocxDocument(OpenDocument):
    """A Word package read into units; writes its redacted copy."""

    def __init__(self, path: Path, package: _Package, options: ReadOptions) -> None:
        self.path = path
        self.pkg = package
        self.options = options
        self.units: list[TextUnit] = []
        self.notes: list[str] = []
        self._slots: list[_Slot] = []
        self._twins: dict[int, list[int]] = defaultdict(list)
        self._info: dict[str, _UnitInfo] = {}
        self._known: dict[str, list[Detection]] = defaultdict(list)
        self._parts_withheld: list[Withheld] = []
        self._attr_units: dict[tuple[str, str], str] = {}
        self._hf_kind: dict[str, str] = {}
        self._to_remove: dict[str, str] = {}  # part -> why (embedded objects, thumbnail, ...)
        self._unread_images: dict[str, str] = {}  # picture part -> why it could not be read
        self._ocr_images: list[str] = []
        self._cleared_props: list[_Slot] = []
        self._reached: set[str] = set()
        self._read()

    # Reading ---------------------------------------------------------------------------------------
    def _slot(self, slot: _Slot) -> int:
        self._slots.append(slot)
        return len(self._slots) - 1

    def _add_unit(self, unit_id: str, text: str, info: _UnitInfo, scan_paths: bool = False, lead: str = "") -> None:
        if not text.strip():
            return
        self.units.append(TextUnit(unit_id=unit_id, text=text, part=info.part, ocr=info.image is not None,
                                   lead=lead))
        self._info[unit_id] = info
        if scan_paths:
            for s, e in profile_accounts(text):
                if self.holds_own_text(unit_id, s, e):
                    self._known[unit_id].append(Detection("USERNAME", s, e, text[s:e], 0.9, "DocxAdapter",
                                                          "account name in a user-profile path"))

    def _read(self) -> None:
        pkg = self.pkg
        if pkg.find("[Content_Types].xml") is None:
            raise _corrupt(self.path, "no [Content_Types].xml: not an Office Open XML package")
        root_rels = pkg.rels("")
        main = next((r for r in root_rels if r.kind == "officeDocument" and not r.external), None)
        if main is None or pkg.find(main.target) is None:
            raise _corrupt(self.path, "the main document part (word/document.xml) is missing")
        main_name = pkg.find(main.target)
        assert main_name is not None
        self._main = main_name
        pkg.parse(main_name)
        self._header_footer_kinds(main_name)
        queue: list[_Rel] = list(root_rels)
        seen_rel_files: set[str] = set()
        while queue:
            rel = queue.pop(0)
            if rel.external:
                self._read_target(rel)
                continue
            name = pkg.find(rel.target)
            if name is None or name in self._reached:
                continue
            self._reached.add(name)
            self._read_part(name, rel.kind)
            if name not in self._to_remove and name not in seen_rel_files:
                seen_rel_files.add(name)
                queue.extend(pkg.rels(name))
        unreached = [n for n in pkg.raw if n not in self._reached and n != pkg.find("[Content_Types].xml")
                     and "/_rels/" not in "/" + n and not n.endswith(".rels") and not n.endswith("/")]
        if unreached:
            # Nothing points to them, so no reader shows them; they are left out of the release.
            self.notes.append(f"{len(unreached)} part(s) no relationship points to left out of the release: "
                              + ", ".join(sorted(unreached)[:5]))
            for n in unreached:
                self._to_remove.setdefault(n, "unreferenced")

    def _header_footer_kinds(self, main: str) -> None:
        """Which header or footer part is the first-page, even-page or default one."""
        ids = {r.rid: r.target for r in self.pkg.rels(main)}
        for el in self.pkg.xml[main].iter():
            name = _local(el.tag)
            if name in ("headerReference", "footerReference"):
                rid = next((v for k, v in el.attrib.items() if _attr_local(k) == (_REL_NS[0], "id")
                            or _attr_local(k) == (_REL_NS[1], "id")), None)
                kind = next((v for k, v in el.attrib.items() if _attr_local(k)[1] == "type"), "default")
                target = ids.get(rid or "")
                if target:
                    label = {"first": "first page", "even": "even pages"}.get(kind, "")
                    self._hf_kind.setdefault(self.pkg.find(target) or target, label)

    def _read_part(self, name: str, kind: str) -> None:
        pkg = self.pkg
        lowered = name.casefold()
        if kind in _EMBEDDED or lowered.startswith(("word/embeddings/", "word/activex/")) \
                or (lowered.endswith(".bin") and kind not in _DROP_QUIETLY):
            self._to_remove[name] = "embedded"
            what = {"oleObject": "embedded OLE object", "package": "embedded package", "control": "ActiveX control",
                    "activeXControlBinary": "ActiveX control", "aFChunk": "imported content (alt-chunk)"}.get(
                kind, "embedded object")
            self._parts_withheld.append(Withheld(self.path.name, "embedded object",
                                                 f"{what} {name} removed from the released copy (a placeholder "
                                                 "marks its place); review the original separately"))
            return
        if kind in _DROP_QUIETLY:
            self._to_remove[name] = "dropped"
            self.notes.append(f"{_DROP_QUIETLY[kind]} ({name}) left out of the release")
            return
        if kind == "image" or pkg.content_type(name).startswith("image/"):
            self._read_image(name)
            return
        if kind in _KEEP_BINARY or lowered.endswith((".odttf", ".ttf", ".otf", ".fntdata")):
            return
        if not self._is_xml(name):
            self._to_remove[name] = "embedded"
            self._parts_withheld.append(Withheld(self.path.name, "unreadable part",
                                                 f"part {name} ({pkg.content_type(name) or 'unknown type'}) cannot "
                                                 "be read; removed from the released copy; review the original"))
            return
        root = pkg.parse(name)
        if kind in _PROPS:
            self._read_props(name, root, _PROPS[kind])
        elif kind in _STORIES:
            base = _STORIES[kind]
            if base in ("header", "footer") and self._hf_kind.get(name):
                base = f"{base} ({self._hf_kind[name]})"
            self._read_story(name, root, base)
        elif kind not in _FORMATTING:
            label = {"customXml": "custom XML", "chart": "chart"}.get(kind, "diagram" if kind.startswith("diagram")
                                                                      else f"other part ({name})")
            self._read_story(name, root, label)
            self._read_leaves(name, root, label)
        self._read_attributes(name, root)
        self._read_xml_comments(name, root)

    def _is_xml(self, name: str) -> bool:
        ctype = self.pkg.content_type(name)
        if ctype.endswith("+xml") or ctype.endswith("/xml") or name.casefold().endswith((".xml", ".rels", ".vml")):
            return True
        head = self.pkg.raw[name][:64].lstrip(b"\xef\xbb\xbf \r\n\t")
        return head.startswith(b"<?xml")

    def _read_story(self, name: str, root: etree._Element, base: str) -> None:
        """One unit per paragraph. A paragraph in a table cell is read after its column header or row
        label ("Account number: ..."), since a bare number in a cell has its meaning there."""
        number = 0
        tables: dict[etree._Element, int] = {}
        labels: dict[etree._Element, tuple[list[str], bool]] = {}
        lead = ""  # the paragraph before, when it is short enough to be a label (see _LABEL_PARAGRAPH)
        for p in root.iter():
            if _local(p.tag) != "p":
                continue
            pieces: list[_Piece] = []
            instr: list[_Piece] = []
            self._walk(name, p, 0, pieces, instr)
            if not pieces and not instr:
                continue
            number += 1
            part, place = base, f"paragraph {number}"
            holder = next((a for a in p.iterancestors() if _local(a.tag) in ("tc", "txbxContent", "txbx")), None)
            if holder is not None and _local(holder.tag) != "tc":
                part = "text box" if base == "body" else f"text box in {base}"
            if instr:
                self._pieces_unit(f"{name}#p{number}~field", instr, "field instruction" if base == "body"
                                  else f"field instruction in {base}", place, scan_paths=True)
            if not pieces:
                continue
            read_after = lead
            if holder is not None and _local(holder.tag) == "tc":
                label, place, header = self._cell_label(holder, tables, labels)
                if label:
                    pieces.insert(0, _Piece(f"{label}: ", -1, 0, 0, 0))
                if header and any(ch.isdigit() for pc in pieces for ch in pc.text):
                    # A cell of a grid that holds a number is read after its table's header row,
                    # as a CSV row is read with all its columns' names: what the other columns are
                    # tells what the number is ("Account" beside "FY26 Budget" is a ledger's, not a
                    # bank's). Not every cell: the row would be analysed again with each one.
                    read_after = header + "\n" + lead
            self._readings(f"{name}#p{number}", pieces, part, place, read_after)
            shown = "".join(pc.text for pc in pieces if pc.slot >= 0 and not pc.flags & _DELETED).strip()
            lead = shown + "\n" if len(shown) <= _LABEL_PARAGRAPH else ""

    @staticmethod
    def _cell_label(cell: etree._Element, tables: dict[etree._Element, int],
                    labels: dict[etree._Element, tuple[list[str], bool]]) -> tuple[str, str, str]:
        """The label a cell's text is read after (its column header, or in a two-column form its row's
        first cell), the place ("table 1, row 3") and, in a grid under a header row, that row (its
        cells split by tabs)."""
        row = next((a for a in cell.iterancestors() if _local(a.tag) == "tr"), None)
        table = next((a for a in cell.iterancestors() if _local(a.tag) == "tbl"), None)
        if row is None or table is None:
            return "", "table", ""
        t = tables.setdefault(table, len(tables) + 1)

        def nearest(el: etree._Element, kind: str) -> etree._Element | None:
            return next((a for a in el.iterancestors() if _local(a.tag) == kind), None)

        rows = [r for r in table.iter() if _local(r.tag) == "tr" and nearest(r, "tbl") is table]
        cells = [c for c in row.iter() if _local(c.tag) == "tc" and nearest(c, "tr") is row]
        if table not in labels:
            first = [c for c in rows[0].iter() if _local(c.tag) == "tc" and nearest(c, "tr") is rows[0]]
            header = [_cell_text(c) for c in first]
            labels[table] = (header, looks_like_header(header))
        header, is_header = labels[table]
        r, c = rows.index(row), cells.index(cell)
        place = f"table {t}, row {r + 1}"
        if len(cells) != 2:
            # A grid: the header row names the columns (when the first row reads as one).
            if not (is_header and r > 0):
                return "", place, ""
            return (header[c] if c < len(header) else ""), place, "\t".join(" ".join(h.split()) for h in header)
        # Two columns: a form of label and value rows ("Account number | 4400918273"), or a list
        # under a header row ("Employee | Account"), which look alike: the value is read after its
        # column's header and then its row's first cell, the nearer ("Account, Maria Lopez: ...",
        # "Jane Doe, Account number: ..." in a form whose first row reads as a header).
        label = _cell_text(cells[0]) if c > 0 else ""
        if len(label) > 60 or not any(ch.isalpha() for ch in label):
            label = ""
        column = header[c] if is_header and r > 0 and c > 0 and c < len(header) else ""
        if column and len(column) <= 60:
            label = f"{column}, {label}" if label else column
        return label, place, ""

    def _readings(self, uid: str, pieces: list[_Piece], part: str, place: str, lead: str = "") -> None:
        """The text as it now stands and, when something was deleted, as it was before the changes
        (each read after ``lead``, see TextUnit.lead)."""
        now = [pc for pc in pieces if not pc.flags & _DELETED]
        self._pieces_unit(uid, now, part, place, lead=lead)
        if len(now) < len(pieces):
            # Deleted text in, inserted text out: neither reading glues the two together.
            before = [pc for pc in pieces if not pc.flags & _INSERTED]
            if "".join(pc.text for pc in before) != "".join(pc.text for pc in now):
                self._pieces_unit(uid + "~before", before, part, place, before=True, lead=lead)

    def _pieces_unit(self, uid: str, pieces: list[_Piece], part: str, place: str, before: bool = False,
                     scan_paths: bool = False, lead: str = "") -> None:
        chars: list[tuple[int, int, int] | None] = []
        flags = bytearray()
        text = []
        for pc in pieces:
            text.append(pc.text)
            if pc.slot < 0:
                chars.extend([None] * len(pc.text))
            elif self._slots[pc.slot].kind == "char":
                chars.extend([(pc.slot, 0, 1)] * len(pc.text))
            else:
                chars.extend((pc.slot, pc.start + i, pc.start + i + 1) for i in range(len(pc.text)))
            flags.extend([pc.flags] * len(pc.text))
        self._add_unit(uid, "".join(text), _UnitInfo(part, place, chars, bytes(flags), before), scan_paths, lead)

    def _walk(self, name: str, el: etree._Element, flags: int, out: list[_Piece], instr: list[_Piece]) -> None:
        """Text of a paragraph in reading order, nested paragraphs (text boxes) left to their own units."""
        for child in el:
            local = _local(child.tag)
            if not local or local in ("p", "pPr", "rPr", "sdtPr", "sdtEndPr", "tblPr", "sectPr", "drawing", "pict",
                                      "object", "txbxContent", "fldData", "ffData", "customXmlPr", "smartTagPr"):
                continue
            f = flags
            if local in ("del", "moveFrom"):
                f |= _DELETED
            elif local in ("ins", "moveTo"):
                f |= _INSERTED
            elif local == "r":
                rpr = next((c for c in child if _local(c.tag) == "rPr"), None)
                if rpr is not None and any(_local(c.tag) in ("vanish", "specVanish")
                                           and not _falsy(next((v for k, v in c.attrib.items()
                                                                if _attr_local(k)[1] == "val"), None))
                                           for c in rpr):
                    f |= _HIDDEN
            if local in ("t", "delText"):
                if child.text:
                    slot = self._slot(_Slot(name, child))
                    out.append(_Piece(child.text, slot, 0, len(child.text),
                                      f | (_DELETED if local == "delText" else 0)))
            elif local in ("instrText", "delInstrText"):
                if child.text:
                    slot = self._slot(_Slot(name, child))
                    instr.append(_Piece(child.text, slot, 0, len(child.text), f))
            elif local == "fldChar":
                if instr and any(v == "begin" for k, v in child.attrib.items() if _attr_local(k)[1] == "fldCharType"):
                    instr.append(_Piece("\n", -1, 0, 0, f))
            elif local in ("tab", "ptab", "br", "cr", "noBreakHyphen"):
                text = {"tab": "\t", "ptab": "\t", "noBreakHyphen": "-"}.get(local, "\n")
                out.append(_Piece(text, self._slot(_Slot(name, child, kind="char")), 0, 1, f))
            else:
                self._walk(name, child, f, out, instr)

    def _read_leaves(self, name: str, root: etree._Element, label: str) -> None:
        """Element texts outside paragraphs (custom XML data, chart values), each labelled by its element."""
        n = 0
        for el in root.iter():
            if not isinstance(el.tag, str) or not (el.text or "").strip() or _local(el.tag) in ("t", "delText"):
                continue
            if any(_local(a.tag) == "p" for a in el.iterancestors()):
                continue
            n += 1
            prefix = f"{_local(el.tag)}: "
            slot = self._slot(_Slot(name, el))
            chars = [None] * len(prefix) + [(slot, i, i + 1) for i in range(len(el.text))]
            self._add_unit(f"{name}#e{n}", prefix + el.text, _UnitInfo(label, "", chars), scan_paths=True)

    def _read_xml_comments(self, name: str, root: etree._Element) -> None:
        """XML comments are invisible in Word but readable in the file."""
        for n, el in enumerate(root.iter(etree.Comment), 1):
            if (el.text or "").strip():
                slot = self._slot(_Slot(name, el))
                self._add_unit(f"{name}#c{n}", el.text, _UnitInfo("XML comment", "",
                                                                  [(slot, i, i + 1) for i in range(len(el.text))]))

    def _read_attributes(self, name: str, root: etree._Element) -> None:
        """Attribute values that hold words; one unit per distinct value and label, mapped to every copy."""
        for el in root.iter():
            if not isinstance(el.tag, str) or not el.attrib:
                continue
            local = _local(el.tag)
            for attr, value in el.attrib.items():
                # Most attributes (rsids, sizes, styles) can hold no words: skip them before any work.
                if attr.rsplit("}", 1)[-1] not in _TEXT_ATTR_NAMES:
                    continue
                _, alocal = _attr_local(attr)
                label = _TEXT_ATTRS.get((local, alocal)) or _TEXT_ATTRS.get(("*", alocal))
                if label is None or not value.strip() or value.strip().isdigit():
                    continue
                slot = self._slot(_Slot(name, el, attr=attr, kind="attr"))
                key = (label, value)
                if key in self._attr_units:
                    first = self._info[self._attr_units[key]].chars[-1]
                    if first is not None:
                        self._twins[first[0]].append(slot)
                    continue
                prefix = _ATTR_PREFIX.get(label, "")
                uid = f"attr{len(self._attr_units) + 1}"
                chars = [None] * len(prefix) + [(slot, i, i + 1) for i in range(len(value))]
                self._add_unit(uid, prefix + value, _UnitInfo(label, "", chars), scan_paths=True)
                if uid in self._info:
                    self._attr_units[key] = uid
                    if label == "comment author account":
                        self._known[uid].append(Detection("USERNAME", len(prefix), len(prefix) + len(value), value,
                                                          0.9, "DocxAdapter", "user account of a comment author"))

    def _read_target(self, rel: _Rel) -> None:
        """An external relationship target (hyperlink, linked picture, template path), percent-decoded."""
        raw = rel.elem.get("Target") or ""
        if not raw.strip():
            return
        slot = self._slot(_Slot(rel.rels_part, rel.elem, attr="Target", kind="attr"))
        text, chars = [], []
        i = 0
        while i < len(raw):
            # Decode %XX runs (UTF-8) so "jane%40mail.com" reads as an address.
            m = re.match(r"(?:%[0-9A-Fa-f]{2})+", raw[i:])
            if m:
                decoded = unquote(m.group(0), errors="replace")
                for ch in decoded:
                    text.append(ch)
                    chars.append((slot, i, i + m.end()))
                i += m.end()
            else:
                text.append(raw[i])
                chars.append((slot, i, i + 1))
                i += 1
        label = {"hyperlink": "hyperlink target", "attachedTemplate": "template path", "image": "linked picture path",
                 "mailMergeSource": "mail merge data source", "oleObject": "linked object path",
                 "subDocument": "subdocument path"}.get(rel.kind, "external link")
        self._add_unit(f"rel{len(self._info) + 1}", "".join(text), _UnitInfo(label, "", chars), scan_paths=True)

    def _read_props(self, name: str, root: etree._Element, which: str) -> None:
        """Document properties as labelled units; author-type values are always cleared on write."""
        if which == "custom":
            for n, prop in enumerate((p for p in root if _local(p.tag) == "property"), 1):
                label = prop.get("name") or "custom property"
                for value in prop:
                    if isinstance(value.tag, str) and (value.text or "").strip():
                        self._prop_unit(name, f"{name}#{n}", value, label, clear=False)
            return
        for n, el in enumerate(root.iter(), 1):
            local = _local(el.tag)
            if not isinstance(el.tag, str) or not (el.text or "").strip() or local in _PROP_SKIP:
                continue
            if any(_local(a.tag) == "HeadingPairs" for a in el.iterancestors()):
                continue
            label, clear = _PROP_LABELS.get(local, (local, False))
            self._prop_unit(name, f"{name}#{n}", el, label, clear)

    def _prop_unit(self, name: str, uid: str, el: etree._Element, label: str, clear: bool) -> None:
        slot_obj = _Slot(name, el, kind="prop")
        slot = self._slot(slot_obj)
        if clear:
            self._cleared_props.append(slot_obj)
            self.notes.append(f"document property {label!r} cleared (it names who wrote or saved the file)")
        prefix = f"{label}: "
        chars = [None] * len(prefix) + [(slot, i, i + 1) for i in range(len(el.text or ""))]
        self._add_unit(uid, prefix + (el.text or ""), _UnitInfo("document properties", "", chars), scan_paths=True)

    # Pictures ---------------------------------------------------------------------------------------
    def _read_image(self, name: str) -> None:
        from PIL import Image, UnidentifiedImageError

        data = self.pkg.raw[name]
        ext = posixpath.splitext(name)[1].casefold()
        if ext in _VECTOR_EXT or not data:
            if _vector_may_hold_text(data, ext):
                self._unread_images[name] = f"a vector picture ({ext.lstrip('.').upper()}) that may hold text"
            return
        try:
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format or ""
                frames = getattr(img, "n_frames", 1)
                size = img.size
                if fmt not in _RASTER or frames > 1:
                    why = "an animated or multi-page picture" if frames > 1 else f"a {fmt or 'unknown'} picture"
                    self._unread_images[name] = why
                    return
                small = size[0] < _MIN_OCR_SIDE[0] or size[1] < _MIN_OCR_SIDE[1] or size[0] * size[1] < _MIN_OCR_AREA
                if small and self.options.ocr != "always":
                    return  # too small to hold readable text
                if self.options.ocr == "never":
                    self._unread_images[name] = "a picture that may hold text, and OCR is off (--ocr never)"
                    return
                scale = 2 if size[0] < _OCR_UPSCALE_BELOW else 1
                rgb = _flatten(img).resize((size[0] * scale, size[1] * scale), Image.Resampling.LANCZOS)
                buf = io.BytesIO()
                rgb.save(buf, format="PNG")
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
            self._unread_images[name] = f"a picture that cannot be decoded ({type(exc).__name__})"
            return
        try:
            words = ocr_words(buf.getvalue())
        except OcrUnavailable as exc:
            self._unread_images[name] = f"a picture that may hold text, and OCR failed ({exc})"
            return
        self._ocr_images.append(name)
        text: list[str] = []
        chars: list[tuple[int, int, int] | None] = []
        boxes: list[tuple[float, float, float, float]] = []
        last_line = None
        for w in words:
            if text:
                text.append(" " if w.line == last_line else "\n")
                chars.append(None)
                boxes.append((0, 0, 0, 0))
            last_line = w.line
            box = (w.x0 / scale, w.y0 / scale, w.x1 / scale, w.y1 / scale)
            for ch in w.text:
                text.append(ch)
                chars.append((-1, 0, 0))
                boxes.append(box)
        info = _UnitInfo("picture (OCR)", "", chars, image=name, boxes=boxes)
        self._add_unit(f"img:{name}", "".join(text), info)
        if words:
            self.notes.append(f"picture {name} read by OCR")

    # Interface --------------------------------------------------------------------------------------
    def adapter_detections(self) -> dict[str, list[Detection]]:
        """Account names in user-profile paths and comment authors' account ids, known from the format."""
        return {k: list(v) for k, v in self._known.items()}

    def withheld_parts(self) -> list[Withheld]:
        """Embedded objects and pictures left out of the released copy, for manual review."""
        out = list(self._parts_withheld)
        for name, why in sorted(self._unread_images.items()):
            out.append(Withheld(self.path.name, "unread picture",
                                f"picture {name} is {why}; replaced by a blank picture in the released copy; "
                                "review the original"))
        return out

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """A table cell's label (its column header, or its row's first cell) maps nowhere (None)."""
        return any(c is not None for c in self._info[unit_id].chars[start:end])

    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """The part (with what the span is: hidden text, a tracked deletion or insertion) and paragraph."""
        info = self._info[unit_id]
        part = info.part
        flags = info.flags[start:end]
        qualifiers = []
        if flags and all(f & _HIDDEN for f in flags):
            qualifiers.append("hidden text")
        if any(f & _DELETED for f in flags):
            qualifiers.append("tracked deletion")
        elif any(f & _INSERTED for f in flags):
            qualifiers.append("tracked insertion")
        elif info.before:
            qualifiers.append("as before tracked changes")
        if qualifiers:
            part = f"{part} ({', '.join(qualifiers)})"
        return DocxLocation(part=part, unit_id=unit_id, start=start, end=end, place=info.place or None)

    # Writing ----------------------------------------------------------------------------------------
    def write_redacted(self, redactions: Sequence[Redaction], out_path: Path) -> list[Path]:
        """Apply every redaction in place, remove what cannot be released, and write the package."""
        edits: dict[int, list[tuple[int, int, str | None]]] = defaultdict(list)
        drop_chars: set[int] = set()
        image_boxes: dict[str, list[tuple[tuple[float, float, float, float], str]]] = defaultdict(list)
        for red in redactions:
            info = self._info.get(red.unit_id)
            if info is None:
                continue
            if info.image is not None:
                for i in range(red.start, red.end):
                    if info.chars[i] is not None:
                        image_boxes[info.image].append((info.boxes[i], red.label))
                continue
            positions = [c for c in info.chars[red.start:red.end] if c is not None]
            label: str | None = red.label
            groups: list[list[tuple[int, int, int]]] = []
            for pos in positions:
                if groups and groups[-1][-1][0] == pos[0]:
                    groups[-1].append(pos)
                else:
                    groups.append([pos])
            for group in groups:
                slot = group[0][0]
                if self._slots[slot].kind == "char":
                    drop_chars.add(slot)
                    continue
                s, e = min(p[1] for p in group), max(p[2] for p in group)
                for target in (slot, *self._twins.get(slot, [])):
                    edits[target].append((s, e, label))
                label = None
        for slot_id, items in edits.items():
            slot = self._slots[slot_id]
            self.pkg.dirty.add(slot.part)
            if slot.kind == "prop":
                slot.set("")  # a property holding a finding is cleared, not marked
                continue
            if slot.attr == "Target":
                # A relationship target is a URI: the marker goes in percent-encoded, so Word accepts it.
                items = [(s, e, quote(lab, safe="()") if lab else lab) for s, e, lab in items]
            slot.set(_apply_edits(slot.get(), items))
        for slot_id in drop_chars:
            slot = self._slots[slot_id]
            parent = slot.elem.getparent()
            if parent is not None:
                parent.remove(slot.elem)
                self.pkg.dirty.add(slot.part)
        for slot in self._cleared_props:
            slot.set("")
            self.pkg.dirty.add(slot.part)
        for name, boxes in image_boxes.items():
            self.pkg.replaced[name] = _black_out(self.pkg.raw[name], boxes)
        for name in self._unread_images:
            self.pkg.replaced[name] = _blank_picture(self.pkg.raw[name], posixpath.splitext(name)[1].casefold())
        self._remove_parts()
        data = self._zip_bytes()
        write_atomically(out_path, data)
        _self_check(out_path, self.path, self.pkg.content_type(self._main))
        return [out_path]

    def _remove_parts(self) -> None:
        """Drop embedded objects and unreferenced parts: the part, its relationships, its content-type
        override, and the elements that pointed to it (replaced by a visible placeholder)."""
        pkg = self.pkg
        if not self._to_remove:
            return
        gone = {n.casefold() for n in self._to_remove}
        dangling: dict[str, set[str]] = defaultdict(set)  # source part -> relationship ids removed
        for rels_name in [n for n in pkg.raw if n.endswith(".rels")]:
            folder = posixpath.dirname(posixpath.dirname(rels_name))
            source = posixpath.join(folder, posixpath.basename(rels_name)[:-5]) if rels_name != "_rels/.rels" else ""
            if source.casefold() in gone:
                continue
            for rel in pkg.rels(source):
                if not rel.external and rel.target.casefold() in gone:
                    rel.elem.getparent().remove(rel.elem)
                    pkg.dirty.add(rel.rels_part)
                    dangling[source].add(rel.rid)
        for source, ids in dangling.items():
            if source and pkg.find(source) and self._is_xml(pkg.find(source) or ""):
                _drop_references(pkg.parse(pkg.find(source) or source), ids)
                pkg.dirty.add(pkg.find(source) or source)
        types = pkg.parse("[Content_Types].xml")
        for el in list(types):
            if _local(el.tag) == "Override" and (el.get("PartName") or "").lstrip("/").casefold() in gone:
                types.remove(el)
                pkg.dirty.add(pkg.find("[Content_Types].xml") or "[Content_Types].xml")
        for name in self._to_remove:
            pkg.removed.add(name)
            folder, base = posixpath.split(name)
            rels = pkg.find(posixpath.join(folder, "_rels", base + ".rels"))
            if rels:
                pkg.removed.add(rels)

    def _zip_bytes(self) -> bytes:
        pkg = self.pkg
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for info in pkg.infos:
                name = info.filename
                if name in pkg.removed or info.is_dir():
                    continue
                if name in pkg.replaced:
                    data = pkg.replaced[name]
                elif name in pkg.dirty:
                    data = pkg.serialise(name)
                else:
                    data = pkg.raw[name]
                entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                entry.compress_type = info.compress_type if info.compress_type in (zipfile.ZIP_STORED,
                                                                                   zipfile.ZIP_DEFLATED) \
                    else zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                entry.create_system = 0
                zf.writestr(entry, data)
        return out.getvalue()


def _cell_text(cell: etree._Element) -> str:
    """A table cell's plain text (for labels): its w:t texts, paragraphs joined by spaces."""
    paras = [p for p in cell.iter() if _local(p.tag) == "p"]
    text = " ".join("".join(t.text or "" for t in p.iter() if _local(t.tag) == "t") for p in paras)
    return " ".join(text.split())


def _apply_edits(value: str, items: list[tuple[int, int, str | None]]) -> str:
    """Replace ranges of one text node: overlapping ranges merge, and keep a marker if any had one."""
    merged: list[list] = []
    for s, e, label in sorted(items, key=lambda x: (x[0], x[1])):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2] = merged[-1][2] or label
        else:
            merged.append([s, e, label])
    out, pos = [], 0
    for s, e, label in merged:
        out.append(value[pos:s])
        if label:
            out.append(label)
        pos = max(pos, e)
    out.append(value[pos:])
    return "".join(out)


def _drop_references(root: etree._Element, ids: set[str]) -> None:
    """Elements that point to removed relationships go; an object or alt-chunk leaves a placeholder."""
    hits = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if any(_attr_local(k)[0] in _REL_NS and v in ids for k, v in el.attrib.items()):
            hits.append(el)
    for el in hits:
        top = el
        while top.getparent() is not None:
            top = top.getparent()
        if top is not root:
            continue  # already removed with an ancestor
        target = el
        for anc in el.iterancestors():
            if _local(anc.tag) in ("object", "pict") and _is_w(anc):
                target = anc
        parent = target.getparent()
        if parent is None:
            continue
        local = _local(target.tag)
        ns = target.tag[1:].split("}")[0] if target.tag.startswith("{") else _W_NS[0]
        if local in ("object", "pict") and _is_w(target):
            t = etree.Element(f"{{{ns}}}t")
            t.text = _PLACEHOLDER
            parent.replace(target, t)
        elif local == "altChunk":
            p = etree.Element(f"{{{ns}}}p")
            r = etree.SubElement(p, f"{{{ns}}}r")
            etree.SubElement(r, f"{{{ns}}}t").text = _PLACEHOLDER
            parent.replace(target, p)
        else:
            parent.remove(target)


def _flatten(img: object) -> object:
    """An RGB copy on white (transparent pictures read as black text on black otherwise)."""
    from PIL import Image

    assert isinstance(img, Image.Image)
    frame = img.convert("RGBA")
    white = Image.new("RGBA", frame.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, frame).convert("RGB")


def _black_out(data: bytes, boxes: list[tuple[tuple[float, float, float, float], str]]) -> bytes:
    """Black boxes over the words, the code in white where it fits, re-encoded in the picture's format."""
    from PIL import Image, ImageDraw, ImageFont

    with Image.open(io.BytesIO(data)) as img:
        fmt = img.format or "PNG"
        mode = img.mode
        work = img.convert("RGBA" if "A" in mode or mode == "P" else "RGB")
    draw = ImageDraw.Draw(work)
    by_line: dict[tuple[float, float], list[tuple[float, float, float, float]]] = defaultdict(list)
    labels: dict[tuple[float, float], str] = {}
    for box, label in boxes:
        by_line[(round(box[1]), round(box[3]))].append(box)
        labels[(round(box[1]), round(box[3]))] = label
    for key, group in by_line.items():
        pad = max(2.0, (key[1] - key[0]) * 0.15)
        x0 = min(b[0] for b in group) - pad
        y0 = min(b[1] for b in group) - pad
        x1 = max(b[2] for b in group) + pad
        y1 = max(b[3] for b in group) + pad
        draw.rectangle((x0, y0, x1, y1), fill="black")
        size = int((y1 - y0) * 0.6)
        if size >= 8:
            try:
                font = ImageFont.load_default(size=size)
                if draw.textlength(labels[key], font=font) <= x1 - x0 - 2:
                    draw.text(((x0 + x1) / 2, (y0 + y1) / 2), labels[key], fill="white", font=font, anchor="mm")
            except (OSError, ValueError):  # a build of Pillow without FreeType: the box stays plain
                pass
    out = io.BytesIO()
    if fmt == "JPEG":
        work.convert("RGB").save(out, format="JPEG", quality=95)
    elif fmt in ("GIF", "BMP") and work.mode == "RGBA":
        work.convert("RGB").save(out, format=fmt)
    else:
        work.save(out, format=fmt)
    return out.getvalue()


def _blank_picture(data: bytes, ext: str) -> bytes:
    """A blank picture in the same format (and size, for raster pictures) to stand in for one not read."""
    if ext in (".svg",):
        return b'<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    if ext in (".emf", ".emz"):
        return _MIN_EMF
    if ext in (".wmf", ".wmz"):
        return _MIN_WMF
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt, size = img.format or "PNG", img.size
    except Exception:
        fmt, size = "PNG", (10, 10)
    out = io.BytesIO()
    Image.new("RGB", size, (230, 230, 230)).save(out, format=fmt if fmt in _RASTER else "PNG")
    return out.getvalue()


def _emf_minimal() -> bytes:
    header = struct.pack("<II4i4iIIIIHHIIIii ii", 1, 88, 0, 0, 1, 1, 0, 0, 100, 100, 0x464D4520, 0x10000,
                         108, 2, 1, 0, 0, 0, 0, 1024, 768, 320, 240)
    eof = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    return header + eof


_MIN_EMF = _emf_minimal()
# A WMF header (9 words) and the end-of-file record (3 words): an empty picture.
_MIN_WMF = struct.pack("<HHHIHIH", 1, 9, 0x0300, 12, 0, 3, 0) + struct.pack("<IH", 3, 0)


def _vector_may_hold_text(data: bytes, ext: str) -> bool:
    """Whether a vector picture draws text (EMF/WMF text records, SVG text); unknown formats may."""
    if ext == ".svg":
        return bool(re.search(rb"<(?:\w+:)?(?:text|foreignObject)\b", data))
    if ext == ".emf":
        pos = 0
        while pos + 8 <= len(data):
            kind, size = struct.unpack_from("<II", data, pos)
            if kind in (83, 84, 96, 97, 108):  # EXTTEXTOUTA/W, POLYTEXTOUTA/W, SMALLTEXTOUT
                return True
            if kind == 70 and data[pos + 12:pos + 16] == b"EMF+":  # GDI+ records may draw strings
                return True
            if size < 8:
                return True  # malformed: cannot tell
            pos += size
        return False
    if ext == ".wmf":
        pos = 22 if data[:4] == b"\xd7\xcd\xc6\x9a" else 0  # placeable header
        if len(data) < pos + 18:
            return True
        pos += struct.unpack_from("<H", data, pos + 2)[0] * 2
        while pos + 6 <= len(data):
            size, func = struct.unpack_from("<IH", data, pos)
            if func in (0x0521, 0x0A32):  # TEXTOUT, EXTTEXTOUT
                return True
            if func == 0 or size < 3:
                return func != 0
            pos += size * 2
        return False
    return True


def _self_check(path: Path, source: Path, main_type: str) -> None:
    """The written package must open in python-docx (a second, unrelated reader of the structure),
    when the record as received did."""
    if "wordprocessingml.document.main" not in main_type:
        return  # templates are not python-docx's to open
    import docx

    try:
        docx.Document(str(path))
    except Exception:
        try:
            docx.Document(str(source))
        except Exception:
            return  # python-docx cannot read this kind of package at all (ISO Strict, for one)
        raise


def _sniff_ole(path: Path, data: bytes) -> None:
    """Refuse an OLE compound file: a password-protected .docx, or a legacy binary .doc."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise UnreadableDocument(f"{path.name}: the Word file is password-protected (encrypted)", reason="encrypted",
                                 hint="open it in Word with the password, remove the password (File > Info > "
                                      "Protect Document > Encrypt with Password, clear it), save, and run again")
    raise UnreadableDocument(f"{path.name}: a legacy binary Word file (.doc), which this tool does not read",
                             reason="unsupported format",
                             hint="open it in Word and save it as .docx (Word Document), then run again")


class DocxAdapter(FormatAdapter):
    """Word packages (.docx, .dotx); macro-enabled and legacy binary files are refused with a reason."""

    name = "docx"
    suffixes = (".docx", ".dotx", ".docm", ".dotm", ".doc", ".dot")

    def open(self, path: Path, options: ReadOptions | None = None) -> DocxDocument:
        """Read the package; refuse macros, encryption, legacy .doc and broken packages."""
        options = options or ReadOptions()
        suffix = path.suffix.lower()
        if suffix in (".docm", ".dotm"):
            raise _macro(path)
        data = path.read_bytes()
        if data.startswith(_OLE_MAGIC):
            _sniff_ole(path, data)
        if suffix in (".doc", ".dot"):
            kind = "an Office Open XML package" if data.startswith(b"PK") else "not a Word binary file"
            raise UnreadableDocument(f"{path.name}: a .doc name on {kind}", reason="unsupported format",
                                     hint="open it in Word and save it as .docx, then run again")
        package = _Package(path, data)
        if any(n.casefold().endswith("vbaproject.bin") for n in package.raw) or \
                "macroenabled" in package.raw.get(package.find("[Content_Types].xml") or "", b"").decode(
                    "utf-8", "replace").casefold():
            raise _macro(path)
        return DocxDocument(path, package, options)


def _macro(path: Path) -> UnreadableDocument:
    return UnreadableDocument(f"{path.name}: a macro-enabled Word file; macros are never released as they are",
                              reason="macro-enabled",
                              hint="open it in Word, save a copy as .docx (Word Document, which drops the macros), "
                                   "put the copy in the request folder, and run again")


ADAPTER = DocxAdapter()
