"""Mailbox files (.mbox): many messages, each read and redacted like an .eml.

Each message is read from the file at its offsets; what is kept of it between reading and writing
is its units and where they are in it (its attachments closed, with temporary copies to open them
from again); when writing, it is read again from the file, redacted and appended to the released
mbox. A large mailbox is read a run of messages at a time (:class:`MboxParts`), each run put aside
until written, so that memory holds one run. The released file is an mbox of the redacted
messages; a line in a message that starts with "From " is written as ">From ", so no reader takes
it for the start of a message. Attachments are written beside it in
``<name>.mbox.attachments/message <n>/``.

Messages are split at "From " lines that look like separators: "From -" (Thunderbird), a sender
followed by a date, or an address alone followed by a header line. The standard library's
``mailbox`` module splits at every line that starts with "From " (so "From Russia with love" in a
body would start a new message) and opens the file for writing, which a records tool must not do to
its inputs; so the split is done here.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, TextUnit, Withheld
from .attachments import beside_dir
from .base import FormatAdapter, OpenDocument, ReadOptions, atomic_writer, replace_spans
from .mime import MessageError, MessageText

_BOM = b"\xef\xbb\xbf"
#: A separator: "From -" (Thunderbird) or "From sender date", the date holding a time or a year.
_SEPARATOR = re.compile(rb"^From (?P<sender>\S+)(?:[ \t]+(?P<rest>.*?))?[ \t]*\r?\n?$")
_DATE_LIKE = re.compile(rb"\d{1,2}:\d{2}|\b(?:19|20)\d{2}\b")
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")


def _is_separator(line: bytes, next_line: bytes | None, first: bool) -> bool:
    """A line that starts a message, not a body line that happens to begin with "From "."""
    m = _SEPARATOR.match(line)
    if not m:
        return False
    sender, rest = m.group("sender"), m.group("rest") or b""
    if first or sender == b"-" or _DATE_LIKE.search(rest):
        return True
    # "From 1844347792267117879@xxx" (a mail export without dates): an address alone, then a header.
    return not rest.strip() and (b"@" in sender or sender.upper() == b"MAILER-DAEMON") \
        and (next_line is None or bool(_HEADER_LINE.match(next_line)))


#: How much of a file's start is looked at for its first "From " line before it is read line by line.
_LEAD = 1 << 16


def scan_mbox(path: Path) -> Iterator[tuple[int, int]]:
    """(start, end) byte offsets of each message, its "From " line included; read line by line."""
    with path.open("rb") as fh:
        # A file that does not start (after blank lines) with "From " is refused before it is read
        # a line at a time: a binary file named .mbox may hold no line break in gigabytes.
        lead = fh.read(_LEAD).removeprefix(_BOM).lstrip()
        if lead and not lead.startswith(b"From "[:len(lead)]):
            raise _not_an_mbox(path)
        fh.seek(0)
        start: int | None = None
        pos = 0
        line = fh.readline()
        if line.startswith(_BOM):
            pos = len(_BOM)
            line = line[len(_BOM):]
        while line:
            nxt = fh.readline()
            if _is_separator(line, nxt or None, start is None):
                if start is not None:
                    yield start, pos
                start = pos
            elif start is None and line.strip():
                raise _not_an_mbox(path)
            pos += len(line)
            line = nxt
        if start is None:
            raise UnreadableDocument(f"{path.name}: an empty mbox file (no messages)", reason="not an mbox")
        yield start, pos


def _not_an_mbox(path: Path) -> UnreadableDocument:
    return UnreadableDocument(f"{path.name}: not an mbox file (the first line is not a \"From \" separator)",
                              reason="not an mbox",
                              hint="save the mailbox in mbox format, or the messages as .eml files")


def _read_span(fh, start: int, end: int) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    fh.seek(start)
    data = fh.read(end - start)
    nl = data.find(b"\n")
    return (data, b"") if nl < 0 else (data[:nl + 1], data[nl + 1:])


def _escape_from(data: bytes) -> bytes:
    """Lines that start with "From " become ">From ", so the mbox splits only at separators."""
    return re.sub(rb"(?m)^From ", b">From ", data)


class MboxDocument(OpenDocument):
    """Every message of an mbox as units under ``m<n>/``; the file is re-read when writing.

    Given ``spans``, only those messages (numbered from ``first``): a part of a large mailbox (see
    :class:`MboxParts`), written with :meth:`write_messages` into the mailbox's one released file.
    """

    def __init__(self, path: Path, options: ReadOptions, spans: Sequence[tuple[int, int]] | None = None,
                 first: int = 1, seen: dict[bytes, int] | None = None) -> None:
        self.path = path
        self.units: list[TextUnit] = []
        self.notes: list[str] = []
        self._first = first
        self._spans: list[tuple[int, int]] = []
        self._messages: list[MessageText] = []
        self._refused: dict[int, str] = {}  # message number -> why it is withheld
        self._from_units: dict[str, int] = {}
        self._withheld: list[Withheld] = []
        seen = {} if seen is None else seen  # digest of a message -> its first number
        try:
            with path.open("rb") as fh:
                for n, (start, end) in enumerate(scan_mbox(path) if spans is None else spans, start=first):
                    self._spans.append((start, end))
                    from_line, data = _read_span(fh, start, end)
                    self._read_message(n, from_line, data, options)
                    key = hashlib.sha256(data.strip()).digest()
                    if seen.setdefault(key, n) != n:
                        self.notes.append(f"message {n} is a copy of message {seen[key]}; both are redacted alike")
        except BaseException:
            self.close()  # the attachments read so far have temporary copies
            raise
        if spans is None:
            self.notes.insert(0, f"{len(self._spans)} message(s) in the mbox")

    def _read_message(self, n: int, from_line: bytes, data: bytes, options: ReadOptions) -> None:
        label = f"message {n}: "
        sep = from_line.rstrip(b"\r\n")[5:].decode("utf-8", "replace")
        if sep.strip():
            uid = f"m{n}/from"
            self.units.append(TextUnit(unit_id=uid, text=sep, part=f"{label}mbox separator line"))
            self._from_units[uid] = n
        message = MessageText(f"m{n}/", label, self.path.name, options)
        try:
            message.read(data)
        except MessageError as exc:
            message.close()
            message = MessageText(f"m{n}/", label, self.path.name, options)
            self._refused[n] = exc.message
            self._withheld.append(Withheld(self.path.name, exc.reason,
                                           f"message {n}: {exc.message}; left out of the release for manual review"))
        self._messages.append(message)
        self.units.extend(message.units)
        self._withheld.extend(message.withheld)
        self.notes.extend(message.notes)

    def _message_of(self, unit_id: str) -> int:
        return int(unit_id[1:unit_id.index("/")])

    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """The message, then its header, body part and line, or attachment."""
        if unit_id in self._from_units:
            n = self._from_units[unit_id]
            return Location(part=f"message {n}: mbox separator line", unit_id=unit_id, start=start, end=end)
        return self._messages[self._message_of(unit_id) - self._first].locate(unit_id, start, end)

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """See OpenDocument.holds_own_text: the attachments' adapters say for theirs."""
        if unit_id in self._from_units:
            return True
        return self._messages[self._message_of(unit_id) - self._first].holds_own_text(unit_id, start, end)

    def adapter_detections(self) -> dict[str, list[Detection]]:
        """What the attachments' own adapters know must go."""
        out: dict[str, list[Detection]] = {}
        for message in self._messages:
            out.update(message.adapter_detections())
        return out

    def withheld_parts(self) -> list[Withheld]:
        """Messages that could not be read, and attachments left out."""
        return list(self._withheld)

    def write_redacted(self, redactions: Sequence[Redaction], out_path: Path) -> list[Path]:
        """Write the released mbox message by message, and each message's attachments beside it."""
        with atomic_writer(out_path) as out:
            written = self.write_messages(redactions, out, out_path)
        return [out_path, *written]

    def write_messages(self, redactions: Sequence[Redaction], out: BinaryIO, out_path: Path) -> list[Path]:
        """Append the redacted messages to ``out`` (the released mbox at ``out_path``); return the
        attachment files written beside it."""
        routed: dict[int, list[Redaction]] = defaultdict(list)
        for red in redactions:
            routed[self._message_of(red.unit_id)].append(red)
        written: list[Path] = []
        with self.path.open("rb") as src:
            for n, (start, end) in enumerate(self._spans, start=self._first):
                from_line, data = _read_span(src, start, end)
                reds = routed.get(n, [])
                out.write(self._separator(n, from_line, reds))
                if n in self._refused:
                    body = _refused_message(n, self._refused[n])
                else:
                    folder = beside_dir(out_path) / f"message {n}"
                    body, paths = self._messages[n - self._first].write(
                        data, [r for r in reds if r.unit_id not in self._from_units], out_path, folder)
                    written.extend(paths)
                body = _escape_from(body)
                out.write(body if body.endswith(b"\n") else body + b"\n")
                out.write(b"\n")
        return written

    def _separator(self, n: int, from_line: bytes, reds: list[Redaction]) -> bytes:
        uid = f"m{n}/from"
        mine = [r for r in reds if r.unit_id == uid]
        if not mine:
            return from_line if from_line.endswith(b"\n") else from_line + b"\n"
        text = from_line.rstrip(b"\r\n")[5:].decode("utf-8", "replace")
        return b"From " + replace_spans(text, mine).encode("utf-8") + b"\n"

    def put_away(self) -> list[Path]:
        """Close every attachment, keeping their temporary copies, so that the part can be pickled
        and taken up again to locate its findings and write its messages, without reading them
        again; return the folders of those copies (removed by :meth:`close`)."""
        folders = []
        for message in self._messages:
            if message.attached is not None:
                message.attached.put_away()
                if message.attached.temporary is not None:
                    folders.append(message.attached.temporary)
        return folders

    def close(self) -> None:
        """Remove the temporary copies of every message's attachments."""
        for message in self._messages:
            message.close()


class MboxParts:
    """A large mailbox read a run of ``size`` messages at a time (:meth:`open`), so that no more
    than one run is in memory. Its findings need the whole of it (ids count a value's occurrences
    from the first message; a value removed in one message is removed in every other), so they are
    built in passes over the runs, each run put aside between them (see api._in_parts and
    decide.FindingsBuilder)."""

    def __init__(self, path: Path, options: ReadOptions, size: int) -> None:
        self.path = path
        self.options = options
        spans = list(scan_mbox(path))
        self.messages = len(spans)
        self.runs = [spans[i:i + size] for i in range(0, len(spans), size)]
        self._seen: dict[bytes, int] = {}

    def __len__(self) -> int:
        return len(self.runs)

    @property
    def note(self) -> str:
        """The note an mbox read whole starts with."""
        return f"{self.messages} message(s) in the mbox"

    def open(self, k: int) -> MboxDocument:
        """Part ``k`` (from 0), read now; a message is noted a copy of the first one like it, in
        whichever part that one is."""
        first = 1 + sum(len(run) for run in self.runs[:k])
        return MboxDocument(self.path, self.options, self.runs[k], first, self._seen)


def _refused_message(n: int, why: str) -> bytes:
    text = (f"Subject: [message {n} withheld for manual review]\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\n"
            f"[This message was withheld for manual review by the records office: {why}]\n")
    return text.encode("utf-8")


class MboxAdapter(FormatAdapter):
    """Mailboxes in mbox format (one file, many messages), streamed message by message."""

    name = "mbox"
    suffixes = (".mbox",)

    def open(self, path: Path, options: ReadOptions | None = None) -> MboxDocument:
        """Find the messages and read each; refuse a file that is not an mbox."""
        return MboxDocument(path, options or ReadOptions())


ADAPTER = MboxAdapter()
