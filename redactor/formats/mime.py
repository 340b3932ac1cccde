"""One e-mail message read into text units and written back redacted, part by part.

Shared by the ``.eml``, ``.mbox`` and ``.msg`` adapters. A message is parsed with the standard
library (``policy.default``), every header is decoded (encoded words included), every text part
is decoded from its transfer encoding and charset, HTML is read for its text and its attribute
values, and every other part is handed to :class:`AttachedDocuments` (PDF, Word, text, CSV and
forwarded messages are read by their own adapters; anything else is withheld for review).

Writing re-parses the same bytes, so nothing but offsets is kept between reading and writing (an
mbox may hold tens of thousands of messages). Parts and headers that hold no redaction are written
back as they came; a changed text part is re-encoded in its own charset and transfer encoding
(UTF-8 and quoted-printable when those cannot carry the result), a changed header is encoded
again, and a withheld part becomes a short text part that says what was removed.
"""

from __future__ import annotations

import base64
import bisect
import codecs
import email.header
import email.utils
import quopri
import re
from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from email import policy
from email.errors import CloseBoundaryNotFoundDefect
from email.generator import BytesGenerator
from email.message import EmailMessage, Message
from email.parser import BytesParser
from io import BytesIO
from pathlib import Path

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, TextUnit, Withheld
from ..textutil import ID_HEADERS, MESSAGE_ID_HEADERS
from .attachments import AttachedDocuments, WrittenAttachment
from .base import ReadOptions
from .html_text import MappedText, SourceMap, escape_marker, html_texts
from .text import paragraph_units

#: Parse and write with the modern policy; headers nobody changed are written exactly as read.
POLICY = policy.default.clone(refold_source="none")

#: Headers that hold addresses: rewritten as address lists, so the result stays parseable.
ADDRESS_HEADERS = frozenset({
    "from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-cc", "resent-bcc",
    "resent-sender", "resent-reply-to", "delivered-to", "x-original-to", "errors-to", "mail-followup-to",
    "mail-reply-to", "disposition-notification-to", "return-receipt-to", "x-envelope-to", "x-envelope-from",
})
#: MIME structure headers: read through the part's type and name, never rewritten as text.
_STRUCTURE = frozenset({"content-type", "content-transfer-encoding", "mime-version", "content-disposition"})

#: Parts that are never readable, whatever their name says, and why.
_UNREADABLE_TYPES = {
    "application/pkcs7-signature": "an S/MIME signature (it carries the signer's certificate and cannot be redacted)",
    "application/x-pkcs7-signature": "an S/MIME signature (it carries the signer's certificate and cannot be "
                                     "redacted)",
    "application/pkcs7-mime": "S/MIME encrypted or opaque-signed content, which cannot be read",
    "application/x-pkcs7-mime": "S/MIME encrypted or opaque-signed content, which cannot be read",
    "application/pgp-signature": "a PGP signature",
    "application/pgp-encrypted": "PGP encrypted content, which cannot be read",
    "application/ms-tnef": "an Outlook TNEF container (winmail.dat), which this version of redact does not unpack",
    "application/vnd.ms-tnef": "an Outlook TNEF container (winmail.dat), which this version of redact does not "
                               "unpack",
}
#: A file name for a part that has none, from its type (a fixed table: the system's MIME table
#: differs between machines, and a rerun must give the same names).
_EXTENSIONS = {
    "application/pdf": ".pdf", "text/plain": ".txt", "text/csv": ".csv", "text/html": ".html",
    "message/rfc822": ".eml", "application/msword": ".doc", "application/rtf": ".rtf", "text/calendar": ".ics",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls", "application/zip": ".zip", "image/png": ".png", "image/jpeg": ".jpg",
    "image/gif": ".gif", "application/vnd.ms-outlook": ".msg",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
_UUENCODE_BEGIN = re.compile(r"^begin(?:-base64)? [0-7]{3,4} (.+?)\r?$")
_QUOTE = re.compile(r"[ \t]*(?:>[ \t]?)+")
_NAME_TOKEN = "redactedvalue{}x"


class MessageError(UnreadableDocument):
    """A message that cannot be read safely as a whole (not a message, truncated, encrypted)."""


@dataclass
class _Unit:
    """Where one unit's characters are: a header's decoded value, or ranges of a part's text."""

    kind: str  # header | text | html | name | fromline
    part: str  # the part's path ("1.2"; "" for the message itself)
    label: str
    header: int = -1  # index among the part's headers
    sources: SourceMap | None = None  # source range of each character ((-1, -1) for synthetic ones)
    lines: array | None = None  # where the part's source lines start, for locations


@dataclass(frozen=True)
class _Leaf:
    """How a part is treated, decided the same way when reading and when writing."""

    kind: str  # text | html | attachment | container
    name: str = ""
    withhold: str | None = None


def parse_message(data: bytes) -> EmailMessage:
    """The message parsed with the modern policy (never raises: defects are recorded on the parts)."""
    return BytesParser(policy=POLICY).parsebytes(data)  # type: ignore[return-value]


def _linesep(data: bytes) -> str:
    head = data[:4096]
    return "\r\n" if head.count(b"\r\n") * 2 >= head.count(b"\n") and b"\r\n" in head else "\n"


def serialize(msg: Message, linesep: str = "\n") -> bytes:
    """The message as bytes, without rewrapping headers that were not changed."""
    buf = BytesIO()
    BytesGenerator(buf, mangle_from_=False, policy=POLICY.clone(linesep=linesep)).flatten(msg, unixfrom=False)
    return buf.getvalue()


def _unsurrogate(value: str) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogates) as text: UTF-8, else Windows-1252."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    raw = value.encode("ascii", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset; when that is unknown or wrong, UTF-8, else Windows-1252."""
    for enc in (charset, "utf-8", "cp1252"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def decode_header_value(raw: str) -> str:
    """A raw header value unfolded, with encoded words and raw 8-bit text decoded."""
    value = re.sub(r"\r?\n(?=[ \t])", "", _unsurrogate(raw)).replace("\r", "").replace("\n", " ")
    if "=?" not in value:
        return value
    try:
        chunks = email.header.decode_header(value)
    except Exception:  # a malformed encoded word: the text as written is still the text
        return value
    try:
        return str(email.header.make_header(chunks))
    except Exception:  # an unknown or wrong charset in one word: decode each word as best we can
        return "".join(c if isinstance(c, str) else _decode_bytes(c, cs) for c, cs in chunks)


def _fold_plain(text: str) -> str:
    """An ASCII header value folded at spaces so that no line passes 78 characters where avoidable."""
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > 76:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n ".join(lines)


def encode_unstructured(name: str, text: str) -> str:
    """A header value for ``text``: plain ASCII when it is, else RFC 2047 encoded words in UTF-8."""
    if text.isascii() and "=?" not in text:
        return _fold_plain(text)
    return email.header.Header(text, "utf-8", header_name=name).encode(linesep="\n")


def encode_addresses(name: str, text: str, labels: dict[str, str]) -> str:
    """An address header for redacted ``text`` in which each marker stands as a token in ``labels``.

    Each mailbox keeps its form: a marker in a display name is a quoted string (or an encoded word),
    a redacted address becomes ``"<marker>"@redacted.invalid`` (a valid address at a domain that
    never exists). When the list cannot be parsed without losing words, the value is written as
    plain text instead: nothing is dropped.
    """
    pairs = email.utils.getaddresses([text])
    words_in = set(re.findall(r"\w+", text))
    words_out = set(re.findall(r"\w+", " ".join(f"{n} {a}" for n, a in pairs)))
    if not pairs or words_in - words_out or any(not a and not n for n, a in pairs):
        return encode_unstructured(name, _untoken(text, labels))
    out = []
    for display, addr in pairs:
        display = _untoken(display, labels)
        if any(token in addr for token in labels):
            label = next(labels[t] for t in labels if t in addr)
            addr = f'"{label}"@redacted.invalid'
        try:
            out.append(email.utils.formataddr((display, addr), charset="utf-8"))
        except Exception:
            return encode_unstructured(name, _untoken(text, labels))
    return ",\n ".join(out)


def _untoken(text: str, labels: dict[str, str]) -> str:
    for token, label in labels.items():
        text = text.replace(token, label)
    return text


def redact_header(name: str, value: str, reds: Sequence[tuple[int, int, str]]) -> str:
    """The raw header value of ``value`` (decoded) with each (start, end, label) span replaced."""
    address = name.lower() in ADDRESS_HEADERS or name.lower() in MESSAGE_ID_HEADERS
    labels: dict[str, str] = {}
    out, pos = [], 0
    for start, end, label in sorted(reds):
        if start < pos:
            continue
        out.append(value[pos:start])
        if address:
            token = _NAME_TOKEN.format(len(labels))
            labels[token] = label
            out.append(token)
        else:
            out.append(label)
        pos = end
    out.append(value[pos:])
    text = "".join(out)
    if name.lower() in MESSAGE_ID_HEADERS:
        # A redacted id is written as a valid id at a domain that never exists.
        def msg_id(m: re.Match) -> str:
            token = next((t for t in labels if t in m.group(0)), None)
            return m.group(0) if token is None else f'<"{labels[token]}"@redacted.invalid>'
        return encode_unstructured(name, _untoken(re.sub(r"<[^<>]*>", msg_id, text), labels))
    return encode_addresses(name, text, labels) if address else encode_unstructured(name, text)


def part_text(part: Message) -> tuple[str, str]:
    """A text part decoded: its text and the charset it was read in."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    try:
        return data.decode(charset), charset
    except UnicodeDecodeError:
        text = _decode_bytes(data, None)
        return text, "utf-8"


def set_part_text(part: Message, text: str, charset: str) -> None:
    """Replace a text part's content, keeping its charset and transfer encoding where they can carry it."""
    try:
        data = text.encode(charset)
    except (UnicodeEncodeError, LookupError):
        charset, data = "utf-8", text.encode("utf-8")
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if cte == "base64":
        payload = base64.encodebytes(data).decode("ascii")
    elif data.isascii() and max((len(line) for line in data.split(b"\n")), default=0) < 990 \
            and cte in ("", "7bit", "8bit", "binary"):
        payload = text
    else:
        cte = "quoted-printable"
        payload = quopri.encodestring(data.replace(b"\r\n", b"\n")).decode("ascii")
    if "Content-Transfer-Encoding" in part:
        part.replace_header("Content-Transfer-Encoding", cte)
    elif cte not in ("", "7bit"):
        part["Content-Transfer-Encoding"] = cte
    if part.get_content_charset() != charset.lower() and (part.get_content_charset() or not data.isascii()):
        part.set_param("charset", charset)
    part.set_payload(payload)


def placeholder(part: Message, text: str) -> None:
    """Turn ``part`` into a short UTF-8 text part saying what was removed from it."""
    for key in list(part.keys()):
        del part[key]
    part["Content-Type"] = 'text/plain; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "7bit" if text.isascii() else "quoted-printable"
    part["Content-Disposition"] = "inline"
    data = text.encode("utf-8")
    part.set_payload(text if text.isascii() else quopri.encodestring(data).decode("ascii"))


def _part_name(part: Message, path: str) -> str:
    """The part's file name (RFC 2231 and encoded words decoded), or one made from its type."""
    try:
        name = part.get_filename()
    except Exception:  # a malformed parameter: the part is still a part
        name = None
    name = decode_header_value(str(name)).strip() if name else ""
    ctype = part.get_content_type()
    ext = _EXTENSIONS.get(ctype, "")
    if not name:
        return f"part {path or '1'}{ext or '.bin'}"
    if ext and "." not in name.rsplit("/", 1)[-1]:
        name += ext  # "Bollettino" sent as application/pdf is read as the PDF it is
    return name


def classify(part: Message, path: str) -> _Leaf:
    """How a part is read: its own text, a container of parts, or an attachment (perhaps withheld)."""
    ctype = part.get_content_type()
    if isinstance(part.get_payload(), list) and ctype not in ("message/rfc822", "message/global"):
        return _Leaf("container")  # multipart/*, and the header blocks of a delivery report
    if ctype.startswith("multipart/") or ctype.startswith("message/delivery") or ctype == "message/partial":
        return _Leaf("text")  # a container whose parts could not be found: its text is still read
    disposition = part.get_content_disposition()
    try:
        has_name = bool(part.get_filename())
    except Exception:
        has_name = True
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if ctype in _UNREADABLE_TYPES:
        return _Leaf("attachment", _part_name(part, path), _UNREADABLE_TYPES[ctype])
    if ctype.startswith("text/") and disposition != "attachment" and not has_name and "uue" not in cte:
        return _Leaf("html" if ctype == "text/html" else "text")
    return _Leaf("attachment", _part_name(part, path))


def walk(msg: Message, path: str = "") -> Iterator[tuple[str, Message, _Leaf]]:
    """Every part in order with its path ("" the message, "1", "1.2" ...); message/rfc822 parts are
    leaves (they are read as attached messages), containers are listed before their parts."""
    leaf = classify(msg, path)
    yield path, msg, leaf
    if leaf.kind != "container":
        return
    for i, sub in enumerate(msg.get_payload(), start=1):
        if isinstance(sub, Message):
            yield from walk(sub, f"{path}.{i}" if path else str(i))


def _split_uuencoded(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Ranges of ``text`` outside uuencoded blocks, and the blocks (start, end, file name)."""
    keep, blocks = [], []
    pos = 0
    lines = text.splitlines(keepends=True)
    offset, i = 0, 0
    starts = []
    for line in lines:
        starts.append(offset)
        offset += len(line)
    starts.append(offset)
    while i < len(lines):
        m = _UUENCODE_BEGIN.match(lines[i])
        if m:
            j = i + 1
            while j < len(lines) and lines[j].strip() not in ("end", "===="):
                j += 1
            end = starts[min(j + 1, len(lines))]
            keep.append((pos, starts[i]))
            blocks.append((starts[i], end, m.group(1).strip()))
            pos = end
            i = j + 1
            continue
        i += 1
    keep.append((pos, len(text)))
    return [(s, e) for s, e in keep if e > s], blocks


def _line_starts(text: str) -> array:
    starts = array("i", [0])
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


#: A line at least this long that ends without punctuation was wrapped by the sender's mail program.
_WRAPPED = 40


def _table_row(line: str) -> bool:
    """A row of a table drawn with pipes or tabs: the line before it is not joined to it, or the
    rows would read as one line and a number in them would lose its column's header. (A row a mail
    program wrapped goes on in a line with fewer separators, which is joined; tabs that only indent
    a line do not make it a row.)"""
    inner = line.lstrip()
    return inner.count("|") >= 2 or inner.count("\t") >= 2


def _plain_mapped(text: str, ranges: list[tuple[int, int]]) -> MappedText:
    """The text of the given ranges as a reader takes it in: quotation markers ("> ", "> > ") taken
    off each line (they map nowhere), and a line the mail program wrapped joined to the next by a
    space (mapped to the line end it stands for), so a name or number quoted down a thread, or
    wrapped at a different place, reads as the same words as in the original."""
    out = MappedText()
    for s, e in ranges:
        pos = s
        lines: list[tuple[int, int, int, str]] = []  # text start, end (line end excluded), source end, depth
        while pos < e:
            nl = text.find("\n", pos, e)
            end = e if nl < 0 else nl + 1
            m = _QUOTE.match(text, pos, end)
            marker = m.group(0) if m else ""
            start = pos + len(marker)
            body_end = end - 1 if text[end - 1:end] == "\n" else end
            if text[body_end - 1:body_end] == "\r":
                body_end -= 1
            lines.append((start, body_end, end, marker.replace(" ", "").replace("\t", "")))
            pos = end
        for i, (start, body_end, end, depth) in enumerate(lines):
            out.add_raw(text[start:body_end], start)
            if body_end >= end:
                continue
            content = text[start:body_end].rstrip()
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            joined = (nxt is not None and nxt[3] == depth and len(content) >= _WRAPPED
                      and content[-1:] not in ".:;!?>" and text[nxt[0]:nxt[1]].strip() != ""
                      and not _table_row(text[nxt[0]:nxt[1]]))
            if joined:
                out.add(" ", body_end, end)
            else:
                out.add_raw(text[body_end:end], body_end)
    return out


def _source_pieces(sources: SourceMap, start: int, end: int, source: str, label: str) -> list[tuple[int, int, str]]:
    """The source ranges of a unit span: the first carries the marker, the rest are removed. Gaps of
    only spaces, line ends and quotation markers between ranges are taken with them."""
    runs: list[list[int]] = []
    for i in range(start, min(end, len(sources))):
        s, e = sources.range_of(i)
        if s < 0:
            continue
        if runs and s <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], e)
        elif runs and not source[runs[-1][1]:s].strip(" \t\r\n>"):
            runs[-1][1] = e
        else:
            runs.append([s, e])
    return [(s, e, label if k == 0 else "") for k, (s, e) in enumerate(runs)]


def apply_pieces(source: str, pieces: list[tuple[int, int, str]]) -> str:
    """``source`` with each (start, end) range replaced by its text; overlapping ranges merge."""
    merged: list[list] = []
    for s, e, text in sorted(pieces):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2] = merged[-1][2] or text
        else:
            merged.append([s, e, text])
    out, pos = [], 0
    for s, e, text in merged:
        out.append(source[pos:s])
        out.append(text)
        pos = e
    out.append(source[pos:])
    return "".join(out)


class MessageText:
    """One message's units (ids under ``prefix``) and how to write it back redacted."""

    def __init__(self, prefix: str, label: str, container: str, options: ReadOptions) -> None:
        self.prefix = prefix
        self.label = label  # "" for a file's only message; "message 17: " in an mbox
        self.container = container
        self.options = options
        self.units: list[TextUnit] = []
        self.withheld: list[Withheld] = []
        self.notes: list[str] = []
        self.attached: AttachedDocuments | None = None
        self.message_id: str | None = None
        self._units: dict[str, _Unit] = {}
        self._children: dict[str, int] = {}  # part path -> attachment index

    # -- reading ---------------------------------------------------------------------------------

    def read(self, data: bytes) -> None:
        """Read the message; raise :class:`MessageError` when it cannot be read safely."""
        msg = parse_message(data)
        check_readable(msg, self.container)
        self.message_id = str(msg.get("Message-ID", "") or "").strip() or None
        for path, part, leaf in walk(msg):
            where = self._where(path)
            self._read_headers(part, path, where)
            if leaf.kind == "container":
                self._read_extras(part, path, where)
            elif leaf.kind in ("text", "html"):
                self._read_text(part, path, where, leaf.kind)
            elif leaf.kind == "attachment":
                self._read_attachment(part, path, leaf)
        if self.attached is not None:
            self.withheld.extend(self.attached.withheld)
            self.notes.extend(self.attached.notes)

    def _where(self, path: str) -> str:
        return f"{self.label}part {path} " if path else self.label

    def _add(self, unit_id: str, text: str, info: _Unit, line: int | None = None, lead: str = "") -> None:
        if not text.strip():
            return
        uid = self.prefix + unit_id
        self.units.append(TextUnit(unit_id=uid, text=text, part=info.label, line=line, lead=lead))
        self._units[uid] = info

    def _read_headers(self, part: Message, path: str, where: str) -> None:
        for i, (name, raw) in enumerate(part.raw_items()):
            if name.lower() in _STRUCTURE:
                continue
            value = decode_header_value(str(raw))
            # The name tells detection that an id there is no one's mailbox (see ID_HEADERS).
            lead = f"{name}: " if name.lower() in ID_HEADERS else ""
            self._add(f"{path}:h{i}", value, _Unit("header", path, f"{where}header {name}", header=i), lead=lead)

    def _read_extras(self, part: Message, path: str, where: str) -> None:
        # The text before the first and after the last boundary is in the file too.
        for key in ("preamble", "epilogue"):
            text = getattr(part, key, None)
            if text and text.strip():
                text = _unsurrogate(text)
                mapped = MappedText()
                mapped.add_raw(text, 0)
                self._add(f"{path}:{key}", text, _Unit("extra", path, f"{where}MIME {key}", header=-1,
                                                       sources=mapped.sources()))

    def _read_text(self, part: Message, path: str, where: str, kind: str) -> None:
        text, _ = part_text(part)
        lines = _line_starts(text)
        if kind == "html":
            visible, hidden = html_texts(text)
            pieces = [("", visible, f"{where}body (HTML)"), ("attrs", hidden, f"{where}body (HTML links, "
                                                                               "attributes and comments)")]
        else:
            keep, blocks = _split_uuencoded(text)
            for _s, _e, name in blocks:
                self.withheld.append(Withheld(self.container, "attachment",
                                              f"{self.label}a uuencoded file {name!r} inside the text of "
                                              f"{'part ' + path if path else 'the body'}; removed from the "
                                              "release for manual review"))
            pieces = [("", _plain_mapped(text, keep), f"{where}body (text/{part.get_content_subtype()})")]
        for key, mapped, label in pieces:
            full = mapped.string()
            for k, (s, e, lead) in enumerate(paragraph_units(full), start=1):
                first = next((mapped.starts[j] for j in range(s, e) if mapped.starts[j] >= 0), 0)
                info = _Unit(kind if not key else "attrs", path, label, sources=mapped.sources(s, e), lines=lines)
                self._add(f"{path}:{key or 'b'}{k}", full[s:e], info, line=bisect.bisect_right(lines, first),
                          lead=lead)

    def _read_attachment(self, part: Message, path: str, leaf: _Leaf) -> None:
        if self.attached is None:
            self.attached = AttachedDocuments(self.container, self.options)
        where = f"{self.label}attachment" if part.get_content_type() != "message/rfc822" else \
            f"{self.label}attached message"
        if part.get_content_type() in ("message/rfc822", "message/global"):
            inner = part.get_payload()
            data = serialize(inner[0]) if isinstance(inner, list) and inner else b""
            name = leaf.name if leaf.name.lower().endswith(".eml") else leaf.name + ".eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            name = leaf.name
        before = len(self.attached.units)
        self._children[path] = self.attached.add(name, data, where, withhold=leaf.withhold)
        for unit in self.attached.units[before:]:
            self.units.append(replace(unit, unit_id=self.prefix + unit.unit_id))

    # -- locating --------------------------------------------------------------------------------

    def owns(self, unit_id: str) -> bool:
        """True when the unit is this message's (its attachments' included)."""
        return unit_id in self._units or (self.attached is not None
                                          and self.attached.owns(unit_id[len(self.prefix):]))

    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """The header, body part and line, or the attachment, of a span."""
        info = self._units.get(unit_id)
        if info is None:
            assert self.attached is not None
            inner = self.attached.locate(unit_id[len(self.prefix):], start, end)
            return replace(inner, unit_id=unit_id)
        line = None
        if info.sources is not None and info.lines is not None:
            first = next((s for s, _ in map(info.sources.range_of, range(start, min(end, len(info.sources))))
                          if s >= 0), -1)
            line = bisect.bisect_right(info.lines, first) if first >= 0 else None
        return Location(part=info.label, unit_id=unit_id, start=start, end=end, line=line)

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """A message's own text has no labels; an attachment's adapter says for its text."""
        if unit_id in self._units:
            return True
        assert self.attached is not None
        return self.attached.holds_own_text(unit_id[len(self.prefix):], start, end)

    def adapter_detections(self) -> dict[str, list[Detection]]:
        """What the attachments' own adapters know must go, under this message's unit ids."""
        if self.attached is None:
            return {}
        return {self.prefix + uid: dets for uid, dets in self.attached.adapter_detections().items()}

    def close(self) -> None:
        """Close the attachments and remove their temporary copies."""
        if self.attached is not None:
            self.attached.close()

    # -- writing ---------------------------------------------------------------------------------

    def write(self, data: bytes, redactions: Sequence[Redaction], out_path: Path,
              folder: Path | None = None) -> tuple[bytes, list[Path]]:
        """The redacted message and the attachment files written beside it."""
        msg = parse_message(data)
        own: dict[str, list[Redaction]] = defaultdict(list)
        attached: list[Redaction] = []
        for red in redactions:
            if red.unit_id in self._units:
                own[red.unit_id].append(red)
            else:
                attached.append(replace(red, unit_id=red.unit_id[len(self.prefix):]))
        written: dict[int, WrittenAttachment] = {}
        paths: list[Path] = []
        if self.attached is not None:
            for each in self.attached.write_each(attached, out_path, folder):
                written[each.index] = each
                paths.extend(each.paths)
        by_part: dict[str, list[tuple[_Unit, Redaction]]] = defaultdict(list)
        for uid, reds in own.items():
            info = self._units[uid]
            by_part[info.part].extend((info, r) for r in reds)
        for path, part, leaf in walk(msg):
            reds = by_part.get(path, [])
            self._write_headers(part, [(i, r) for i, r in reds if i.kind == "header"])
            if leaf.kind == "container":
                self._write_extras(part, [(i, r) for i, r in reds if i.kind == "extra"])
            elif leaf.kind in ("text", "html"):
                self._write_text(part, [(i, r) for i, r in reds if i.kind in ("text", "html", "attrs")], leaf.kind)
            elif leaf.kind == "attachment":
                self._write_attachment(part, path, written.get(self._children.get(path, -1)), leaf)
        return serialize(msg, _linesep(data)), paths

    def _write_headers(self, part: Message, reds: list[tuple[_Unit, Redaction]]) -> None:
        if not reds:
            return
        per_header: dict[int, list[Redaction]] = defaultdict(list)
        for info, red in reds:
            per_header[info.header].append(red)
        items = list(part.raw_items())
        for index, hreds in per_header.items():
            name, raw = items[index]
            value = decode_header_value(str(raw))
            new = redact_header(name, value, [(r.start, r.end, r.label) for r in hreds])
            items[index] = (name, new)
        # Headers are replaced in place, keeping their order and every other header byte for byte:
        # the message's header list takes raw values, which the policy writes as given.
        part._headers = items  # type: ignore[attr-defined]

    def _write_extras(self, part: Message, reds: list[tuple[_Unit, Redaction]]) -> None:
        for key in ("preamble", "epilogue"):
            mine = [(i, r) for i, r in reds if r.unit_id.endswith(f":{key}")]
            if mine:
                text = _unsurrogate(getattr(part, key))
                setattr(part, key, apply_pieces(text, [(r.start, r.end, r.label) for _i, r in mine]))

    def _write_text(self, part: Message, reds: list[tuple[_Unit, Redaction]], kind: str) -> None:
        text, charset = part_text(part)
        blocks = [] if kind == "html" else _split_uuencoded(text)[1]
        if not reds and not blocks:
            return
        pieces: list[tuple[int, int, str]] = []
        for info, red in reds:
            label = escape_marker(red.label) if kind == "html" else red.label
            assert info.sources is not None
            pieces.extend(_source_pieces(info.sources, red.start, red.end, text, label))
        for s, e, _name in blocks:
            pieces.append((s, e, "[uuencoded file removed for manual review]\n"))
        set_part_text(part, apply_pieces(text, pieces), charset)

    def _write_attachment(self, part: Message, path: str, written: WrittenAttachment | None, leaf: _Leaf) -> None:
        name = written.name if written is not None else "attachment"
        if written is None or not written.paths:
            reason = leaf.withhold or "its content could not be redacted by this version of redact"
            placeholder(part, f"[An attachment was removed from this message for manual review by the "
                              f"records office: \"{name}\" ({part.get_content_type()}). Reason: {reason}.]\n")
            return
        released = written.paths[0]
        data = released.read_bytes()
        if Path(name).suffix.lower() != released.suffix.lower():
            name = released.name  # converted on the way (an Outlook item released as .eml)
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "message/global") or released.suffix.lower() == ".eml":
            inner = parse_message(data)
            for key in list(part.keys()):
                if key.lower() not in ("content-type", "content-disposition", "content-description"):
                    del part[key]
            if ctype not in ("message/rfc822", "message/global"):
                part.replace_header("Content-Type", "message/rfc822")
            part.set_payload([inner])
        else:
            if "Content-Transfer-Encoding" in part:
                part.replace_header("Content-Transfer-Encoding", "base64")
            else:
                part["Content-Transfer-Encoding"] = "base64"
            part.set_payload(base64.encodebytes(data).decode("ascii"))
        try:
            original = part.get_filename()
        except Exception:
            original = None
        if original is not None and decode_header_value(str(original)).strip() != name:
            _rename(part, name)


def _rename(part: Message, name: str) -> None:
    """Give a part its released file name: both headers that can carry a name are written anew, so
    no piece of the old name (an RFC 2231 continuation) is left behind."""
    charset = None if name.isascii() else "utf-8"
    had_type_name = any(k.lower().startswith("name") for k, _ in (part.get_params() or [])[1:])
    disposition = part.get_content_disposition() or "attachment"
    ctype = part.get_content_type()
    del part["Content-Type"]
    part["Content-Type"] = ctype
    if had_type_name:
        part.set_param("name", name, charset=charset)
    del part["Content-Disposition"]
    part["Content-Disposition"] = disposition
    part.set_param("filename", name, header="Content-Disposition", charset=charset)


def check_readable(msg: Message, what: str) -> None:
    """Refuse what is not a message, a message cut short, or one whose content is encrypted."""
    if not msg.keys():
        raise MessageError(f"{what}: not an e-mail message (no header fields)", reason="not a message",
                           hint="check that the file is an e-mail saved as .eml / RFC 5322")
    names = {k.lower() for k in msg}
    if not names & {"from", "to", "subject", "date", "message-id", "received", "content-type", "sender",
                    "mime-version", "cc", "return-path", "delivered-to"}:
        raise MessageError(f"{what}: not an e-mail message (none of From, To, Subject, Date, "
                           "Message-ID or MIME headers)", reason="not a message")
    for part in msg.walk():
        if any(isinstance(d, CloseBoundaryNotFoundDefect) for d in part.defects):
            raise MessageError(f"{what}: the message ends before its last MIME part is closed (truncated or "
                               "damaged); a part cut short cannot be redacted reliably", reason="truncated",
                               hint="get a complete copy of the message from the mail system")
    ctype = msg.get_content_type()
    if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime", "multipart/encrypted"):
        kind = msg.get_param("smime-type") or ("PGP/MIME encrypted" if ctype == "multipart/encrypted" else
                                               "S/MIME")
        raise MessageError(f"{what}: the message body is encrypted or opaque-signed ({kind}); its content cannot "
                           "be read, so it cannot be redacted", reason="encrypted",
                           hint="decrypt the message in the mail client and save the decrypted copy")
