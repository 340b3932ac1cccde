"""Outlook messages (.msg): converted to a MIME message, then read and redacted like an .eml.

The release of ``memo.msg`` is ``memo.msg.eml`` (a requester can open it in any mail program or
text editor; Outlook's compound-file format cannot be redacted in place), with the attachments
beside it in ``memo.msg.eml.attachments/``. The conversion keeps the message's transport headers
when Outlook stored them (else it builds From, To, Cc, Bcc, Subject, Date and Message-ID from the
message's properties), its plain-text and HTML bodies and its attachments; a message attached to
the message is converted the same way. Outlook items that are not mail (contacts, calendar items,
tasks, notes) and S/MIME-signed or encrypted messages are withheld for review: their content lives
in properties this conversion does not carry.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
from email.message import EmailMessage
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from ..errors import UnreadableDocument
from ..models import Withheld
from .base import FormatAdapter, ReadOptions
from .email import MAX_MESSAGE_BYTES, MessageDocument
from .mime import _EXTENSIONS, POLICY, encode_unstructured, parse_message, serialize

# extract-msg logs every odd property it meets as a warning; what matters reaches the notes.
logging.getLogger("extract_msg").setLevel(logging.ERROR)

#: Headers that describe the stored message's own MIME structure, which the conversion replaces.
_STRUCTURE = frozenset({"content-type", "content-transfer-encoding", "mime-version", "content-disposition"})
_BY_EXTENSION = {ext: ctype for ctype, ext in _EXTENSIONS.items()}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _set_header(msg: EmailMessage, name: str, value: str) -> None:
    value = " ".join(str(value).split())
    if not value:
        return
    try:
        msg[name] = value
    except Exception:  # a value the structured header parser refuses is kept as plain text
        msg._headers.append((name, encode_unstructured(name, value)))  # type: ignore[attr-defined]


def _headers(item: Any, msg: EmailMessage) -> None:
    raw = item.headerText
    present: set[str] = set()
    if raw:
        if raw.startswith("Microsoft Mail Internet Headers Version 2.0"):
            raw = raw[len("Microsoft Mail Internet Headers Version 2.0"):].lstrip()
        for name, value in HeaderParser(policy=POLICY).parsestr(raw).items():
            if name.lower() not in _STRUCTURE:
                _set_header(msg, name, str(value))
                present.add(name.lower())
    # Properties fill in what the transport headers lack (a sent item has none; Bcc is never in them).
    date = item.date
    for name, value in (("From", item.sender), ("To", item.to), ("Cc", item.cc), ("Bcc", item.bcc),
                        ("Subject", item.subject),
                        ("Date", email.utils.format_datetime(date) if date is not None and date.tzinfo else None),
                        ("Message-ID", item.messageId)):
        if value and name.lower() not in present:
            _set_header(msg, name, value)


def _html(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _attachment_name(att: Any, index: int) -> str:
    for attr in ("longFilename", "shortFilename", "displayName", "name"):
        try:
            value = getattr(att, attr, None)
        except Exception:
            value = None
        if value:
            return str(value).strip("\x00 ")
    return f"attachment {index}"


def _text_part(text: str, subtype: str = "plain") -> EmailMessage:
    part = EmailMessage(policy=POLICY)
    part.set_content(text, subtype=subtype, charset="utf-8", cte="quoted-printable")
    del part["MIME-Version"]
    return part


def _attachments(item: Any, notes: list[str]) -> list[EmailMessage]:
    from extract_msg.enums import AttachmentType

    parts = []
    for i, att in enumerate(item.attachments, start=1):
        name = _attachment_name(att, i)
        data: bytes | None = None
        ctype = None
        if att.type == AttachmentType.MSG:
            try:
                data = att.data.exportBytes()
                ctype = "application/vnd.ms-outlook"
                if not name.lower().endswith(".msg"):
                    name += ".msg"
            except Exception as exc:
                notes.append(f"withheld: attached Outlook item {i} could not be extracted ({type(exc).__name__})")
        elif isinstance(att.data, bytes):
            data = att.data
        if data is None:
            # A link to a file elsewhere, an OLE object, a signed blob: nothing here to redact.
            parts.append(_text_part(f"[An attachment could not be taken out of the Outlook message and is "
                                    f"withheld for manual review by the records office: {name}]\n"))
            notes.append(f"withheld: attachment {i} ({att.type.name.lower()}) could not be taken out of the "
                         "Outlook message")
            continue
        suffix = Path(name).suffix.lower()
        ctype = ctype or att.mimetype or _BY_EXTENSION.get(suffix) or "application/octet-stream"
        maintype, _, subtype = ctype.partition("/")
        part = EmailMessage(policy=POLICY)
        disposition = "inline" if att.hidden else "attachment"
        if ctype == "message/rfc822":  # an .eml file attached: carried as the message it is
            part.set_content(parse_message(data), disposition=disposition, filename=name)
        else:
            part.set_content(data, maintype=maintype or "application", subtype=subtype or "octet-stream",
                             disposition=disposition, filename=name,
                             cid=f"<{att.contentId}>" if att.contentId else None)
        del part["MIME-Version"]
        parts.append(part)
    return parts


def convert(item: Any, seed: bytes, notes: list[str]) -> bytes:
    """An Outlook mail item as RFC 5322 bytes, with boundaries derived from ``seed`` (reruns match)."""
    msg = EmailMessage(policy=POLICY)
    _headers(item, msg)
    msg["MIME-Version"] = "1.0"
    bodies = []
    if item.body:
        bodies.append(_text_part(item.body))
    try:
        html = item.htmlBody
    except Exception as exc:  # an HTML body rebuilt from RTF in a code page extract-msg cannot decode
        html = None
        notes.append(f"withheld: the HTML body could not be decoded ({type(exc).__name__})"
                     + ("; the plain-text body is released" if item.body else ""))
    if html:
        bodies.append(_text_part(_html(html), "html"))
    if not bodies and item.rtfBody:
        bodies.append(_text_part("[The message body is stored only as RTF, which this version of redact does "
                                 "not convert; it is withheld for manual review by the records office.]\n"))
        notes.append("withheld: the body is stored only as RTF, which this version of redact does not convert")
    attachments = _attachments(item, notes)
    body: EmailMessage | None
    if len(bodies) > 1:
        body = EmailMessage(policy=POLICY)
        body.make_alternative()
        for part in bodies:
            body.attach(part)
    else:
        body = bodies[0] if bodies else None
    if attachments:
        msg.make_mixed()
        if body is not None:
            msg.attach(body)
        for part in attachments:
            msg.attach(part)
    elif body is not None and body.is_multipart():
        msg.make_alternative()
        for part in bodies:
            msg.attach(part)
    elif body is not None:
        msg.set_content(body.get_content(), subtype=body.get_content_subtype(), charset="utf-8",
                        cte="quoted-printable")
    else:
        msg.set_content("", charset="utf-8")
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary("=_redact_" + hashlib.sha256(seed + str(n).encode()).hexdigest()[:32])
    return serialize(msg)


class MsgAdapter(FormatAdapter):
    """Outlook .msg files, read with extract-msg and released as .eml."""

    name = "outlook-msg"
    suffixes = (".msg",)

    def open(self, path: Path, options: ReadOptions | None = None) -> MessageDocument:
        """Convert the Outlook message to MIME and read it; refuse what is not an Outlook mail item."""
        import extract_msg
        from extract_msg.msg_classes import Message, MessageSignedBase, Post

        data = path.read_bytes()
        if len(data) > MAX_MESSAGE_BYTES:
            raise UnreadableDocument(f"{path.name}: too large to read as one message", reason="too large")
        if not data.startswith(_OLE_MAGIC):
            raise UnreadableDocument(f"{path.name}: not an Outlook .msg file (no compound-file signature)",
                                     reason="not a message",
                                     hint="save the message from Outlook as 'Outlook Message Format (.msg)'")
        try:
            item = extract_msg.openMsg(data, strict=False)
        except Exception as exc:
            raise UnreadableDocument(f"{path.name}: not a readable Outlook .msg file ({type(exc).__name__}: {exc})",
                                     reason="corrupt") from None
        notes: list[str] = []
        try:
            if isinstance(item, MessageSignedBase):
                raise UnreadableDocument(f"{path.name}: an S/MIME signed or encrypted Outlook message; its content "
                                         "is inside the signature blob and cannot be redacted", reason="encrypted")
            if not isinstance(item, Message | Post):
                kind = getattr(item, "classType", None) or type(item).__name__
                raise UnreadableDocument(f"{path.name}: an Outlook {kind} item, not a mail message; its fields are "
                                         "not converted by this version of redact", reason="unsupported item",
                                         hint="export the item as text or PDF and add that to the request")
            try:
                converted = convert(item, hashlib.sha256(data).digest(), notes)
            except UnreadableDocument:
                raise
            except Exception as exc:
                raise UnreadableDocument(f"{path.name}: the Outlook message could not be converted "
                                         f"({type(exc).__name__}: {exc})", reason="corrupt") from None
        finally:
            item.close()
        doc = MessageDocument(path.name, converted, options or ReadOptions(), out_suffix=".eml")
        doc.notes.insert(0, f"Outlook .msg converted to MIME and released as {path.name}.eml")
        for note in notes:
            # What the conversion could not carry is a part withheld for review, not a remark.
            doc.extra_withheld.append(Withheld(path.name, "attachment" if "attach" in note else "body",
                                               note.removeprefix("withheld: ")
                                               + "; left out of the release for manual review"))
        return doc


ADAPTER = MsgAdapter()
