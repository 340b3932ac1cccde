"""E-mail messages saved as files (.eml): headers, bodies, nested messages and attachments.

The released copy is the same message, redacted part by part (see :mod:`.mime`); each attachment
is also written beside it as ``<message>.eml.attachments/<name>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import UnreadableDocument
from ..models import Detection, Location, Redaction, Withheld
from .base import FormatAdapter, OpenDocument, ReadOptions, write_atomically
from .mime import MessageText

#: A message file larger than this is not read (a message is held in memory while it is read).
MAX_MESSAGE_BYTES = 200 * 1024 * 1024


class MessageDocument(OpenDocument):
    """One message read from bytes; written back redacted at the output path (or ``suffix`` added)."""

    def __init__(self, name: str, data: bytes, options: ReadOptions, out_suffix: str = "") -> None:
        self.name = name
        self._data = data
        self._out_suffix = out_suffix
        self.notes: list[str] = []
        #: Parts the container's conversion could not carry (an Outlook body stored only as RTF).
        self.extra_withheld: list[Withheld] = []
        self._message = MessageText("", "", name, options)
        try:
            self._message.read(data)
        except BaseException:
            self._message.close()
            raise
        self.units = self._message.units
        self.notes.extend(self._message.notes)
        attached = self._message.attached
        if attached is not None and attached.released_names():
            self.notes.append(f"{len(attached.released_names())} attachment(s) released, redacted, in the message "
                              "and beside it in <message>.attachments/")

    @property
    def message_id(self) -> str | None:
        """The Message-ID header, for recognising the same message in another file."""
        return self._message.message_id

    def locate(self, unit_id: str, start: int, end: int) -> Location:
        """The header, body part and line, or the attachment, of a span."""
        return self._message.locate(unit_id, start, end)

    def holds_own_text(self, unit_id: str, start: int, end: int) -> bool:
        """See OpenDocument.holds_own_text: the attachments' adapters say for theirs."""
        return self._message.holds_own_text(unit_id, start, end)

    def adapter_detections(self) -> dict[str, list[Detection]]:
        """What attachments' own adapters know must go (a PDF's hidden text)."""
        return self._message.adapter_detections()

    def withheld_parts(self) -> list[Withheld]:
        """Attachments and uuencoded files left out of the release."""
        return self.extra_withheld + self._message.withheld

    def write_redacted(self, redactions: Sequence[Redaction], out_path: Path) -> list[Path]:
        """Write the redacted message and its attachments beside it."""
        out_path = out_path.with_name(out_path.name + self._out_suffix)
        data, written = self._message.write(self._data, redactions, out_path)
        write_atomically(out_path, data)
        return [out_path, *written]

    def close(self) -> None:
        """Remove the temporary copies of attachments."""
        self._message.close()


class EmlAdapter(FormatAdapter):
    """RFC 5322 messages (.eml), read with the standard library's e-mail parser."""

    name = "email"
    suffixes = (".eml",)

    def open(self, path: Path, options: ReadOptions | None = None) -> MessageDocument:
        """Read the message; refuse one that is not a message, is cut short or is encrypted."""
        size = path.stat().st_size
        if size > MAX_MESSAGE_BYTES:
            raise UnreadableDocument(f"{path.name}: {size // (1024 * 1024)} MiB is larger than the "
                                     f"{MAX_MESSAGE_BYTES // (1024 * 1024)} MiB this version reads as one message",
                                     reason="too large")
        if size == 0:
            raise UnreadableDocument(f"{path.name}: the file is empty, not an e-mail message", reason="not a message")
        return MessageDocument(path.name, path.read_bytes(), options or ReadOptions())


ADAPTER = EmlAdapter()
