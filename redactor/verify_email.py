"""Independent leak check of released e-mail (.eml, and .mbox files of messages).

Never imports the adapter that wrote the file: messages are parsed with the standard library's
``compat32`` policy (the adapter uses the modern one), every header is read both as written and
with its encoded words decoded by hand, every part's transfer encoding is undone here, text is
read in its declared charset and in the usual fall-backs, HTML is read as markup, as text with the
tags removed and with character references decoded, and quoted lines are read with their ``>``
markers taken off. Attachments are written to a temporary file and read by the verifier's reader
for their type (PDF, Word, text, or this module again for a message); an attachment no reader
can check makes the whole file unverifiable, which counts as a leak.

Readings are joined with ``|``, which is neither a word character nor a number separator, so text
from two unrelated places never runs together into a false match.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.header
import email.utils
import html
import quopri
import re
import tempfile
from collections.abc import Iterator
from email import policy
from email.message import Message
from pathlib import Path
from urllib.parse import unquote

#: Messages inside messages are read this deep; deeper is unverifiable (the writer stops earlier).
MAX_NESTING = 8
_TAG = re.compile(r"<[^>]*>")
_QUOTE_MARKERS = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")


class UnverifiableMessage(ValueError):
    """A part of a released message that no independent reader can check."""


def _decodings(data: bytes, declared: str | None) -> list[str]:
    """Every plausible reading of ``data`` as text: the declared charset, UTF-8, Windows-1252."""
    texts = []
    for enc in (declared, "utf-8", "cp1252", "latin-1"):
        if not enc:
            continue
        try:
            texts.append(data.decode(enc))
        except (LookupError, UnicodeDecodeError):
            continue
    return list(dict.fromkeys(texts))


def _decode_words(value: str) -> str:
    """Encoded words decoded one by one, by this module's own reading of RFC 2047."""
    def word(m: re.Match) -> str:
        charset, kind, text = m.group(1).split("*")[0], m.group(2).lower(), m.group(3)
        try:
            if kind == "b":
                raw = base64.b64decode(text + "=" * (-len(text) % 4))
            else:
                raw = quopri.decodestring(text.replace("_", " ").encode("ascii", "replace"), header=True)
        except (binascii.Error, ValueError):
            return m.group(0)
        return " ".join(_decodings(raw, charset)[:1])
    # Whitespace between two encoded words is not part of the text.
    joined = re.sub(r"(\?=)\s+(?==\?)", r"\1", value)
    return _ENCODED_WORD.sub(word, joined)


def _header_texts(msg: Message) -> list[str]:
    texts = []
    for name, value in msg.items():
        raw = str(value)
        raw8 = raw.encode("ascii", "surrogateescape") if any("\udc80" <= c <= "\udcff" for c in raw) else None
        unfolded = re.sub(r"\r?\n[ \t]+", " ", raw)
        texts += [name, raw, unfolded, _decode_words(unfolded), unquote(_decode_words(unfolded))]
        if raw8 is not None:
            texts += _decodings(raw8, None)
    for header in ("content-type", "content-disposition"):
        for _key, val in msg.get_params(header=header, failobj=[]) or []:
            if isinstance(val, tuple):  # RFC 2231: (charset, language, value)
                val = email.utils.collapse_rfc2231_value(val)
            texts.append(_decode_words(str(val)))
    filename = msg.get_filename()
    if filename:
        texts.append(_decode_words(str(filename)))
    return texts


def _body_bytes(part: Message) -> bytes:
    """The part's content with its transfer encoding undone (uuencode included)."""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _text_readings(text: str, is_html: bool) -> list[str]:
    readings = [text, _QUOTE_MARKERS.sub("", text)]
    if is_html:
        readings += [html.unescape(text), html.unescape(_TAG.sub("", text)), html.unescape(_TAG.sub(" ", text)),
                     unquote(html.unescape(text))]
    return readings


def _attachment_text(data: bytes, name: str, depth: int) -> list[str]:
    from .verify import _readers  # the verifier's own readers, one per released suffix

    suffix = Path(name).suffix.lower()
    if suffix == ".eml":
        return message_texts(data, depth + 1)
    reader = _readers().get(suffix)
    if reader is None:
        # A part that is text whatever its label says (a multipart whose boundary this parser reads
        # differently, a mislabelled body) is read as text; anything else cannot be checked.
        if not data.strip():
            return []
        texts = _decodings(data, None)
        if sum(ch.isprintable() or ch.isspace() for ch in texts[0]) >= 0.95 * len(texts[0]):
            return texts
        raise UnverifiableMessage(f"attachment {name!r} ({suffix or 'no extension'}) has no independent reader")
    with tempfile.TemporaryDirectory(prefix="redact-verify-mail-") as tmp:
        path = Path(tmp) / f"attachment{suffix}"
        path.write_bytes(data)
        return [reader(path)]


def message_texts(data: bytes, depth: int = 0) -> list[str]:
    """Every reading of one message's headers, parts and attachments."""
    if depth > MAX_NESTING:
        raise UnverifiableMessage("messages nested too deep to verify")
    msg = email.message_from_bytes(data, policy=policy.compat32)
    texts: list[str] = []
    for part in msg.walk():
        texts += _header_texts(part)
        if part.is_multipart():
            for extra in (part.preamble, part.epilogue):
                if extra:
                    texts.append(extra)
            continue
        ctype = part.get_content_type()
        body = _body_bytes(part)
        filename = part.get_filename()
        disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
        if ctype.startswith("text/") and not filename and disposition != "attachment":
            for text in _decodings(body, part.get_content_charset()):
                texts += _text_readings(text, ctype == "text/html")
            continue
        if ctype == "message/rfc822":  # only when compat32 did not parse it as a sub-message
            texts += message_texts(body, depth + 1)
            continue
        name = _decode_words(str(filename)) if filename else f"part{_suffix_for(ctype)}"
        texts += _attachment_text(body, name, depth)
    return texts


def _suffix_for(ctype: str) -> str:
    return {"application/pdf": ".pdf", "text/plain": ".txt", "text/csv": ".csv", "message/rfc822": ".eml",
            "text/html": ".html"}.get(ctype, "")


def read_eml_text(path: Path) -> str:
    """Everything recoverable from a released message, as text."""
    return "|".join(message_texts(path.read_bytes()))


def read_mbox_text(path: Path) -> str:
    """Everything recoverable from a released mbox: each message, and each "From " separator line."""
    return "|".join(read_mbox_pieces(path))


#: A released mailbox's reading is cut into pieces of about this many characters, whole messages
#: each, so the leak check holds one piece at a time (a mailbox of thousands of messages reads as
#: tens of millions of characters, several times over once normalised).
PIECE_CHARS = 1 << 20


def _from_chunks(path: Path) -> Iterator[bytes]:
    """The file cut before every line that starts with "From ", read a line at a time (a released
    mailbox can be hundreds of MB). What comes before the first such line is a chunk of its own
    unless it is only a byte order mark and line breaks."""
    with path.open("rb") as fh:
        lines: list[bytes] = []
        after_from = False  # a "From " line has been met
        for line in fh:
            if line.startswith(b"From "):
                chunk = b"".join(lines)
                if after_from or chunk.strip(b"\xef\xbb\xbf\r\n"):
                    yield chunk
                lines, after_from = [], True
            lines.append(line)
        if lines:
            yield b"".join(lines)


def read_mbox_pieces(path: Path) -> Iterator[str]:
    """:func:`read_mbox_text` in pieces of whole messages, each about :data:`PIECE_CHARS` characters
    or one message. Joined with ``|`` they are the whole reading, and since no
    value's pattern reads across a ``|``, a value is found in the pieces exactly when it is found in
    the whole.

    The file is split at every line that starts with "From " (the loosest reading, as the standard
    library's mailbox module does), so a message hidden after an unescaped separator is read too.
    """
    texts: list[str] = []
    held = 0
    for chunk in _from_chunks(path):
        if chunk.startswith(b"From "):
            line, _, chunk = chunk.partition(b"\n")
            texts.append(line.decode("utf-8", "replace"))
        # Escaped body lines (">From ") are read as written and as they were.
        chunk = re.sub(rb"^>(>*From )", rb"\1", chunk, flags=re.M)
        message = message_texts(chunk)
        texts += message
        held += sum(len(t) for t in message)
        if held >= PIECE_CHARS:
            yield "|".join(texts)
            texts, held = [], 0
    if texts:
        yield "|".join(texts)
