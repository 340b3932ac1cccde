"""Independent leak check of released Word packages.

Never imports the adapter that wrote the file (nor lxml): the package is opened with ``zipfile`` and
every XML part is read with regular expressions over its raw text, so a blind spot in the adapter's
walk of the XML cannot also hide a leak. Each part gives several readings, because a value can
be recoverable in any of them:

* per paragraph, tags removed with nothing in their place, so text split across runs joins again;
* every element's text separated by spaces (values in properties and custom XML);
* the paragraph as it now stands (tracked deletions dropped) and as it was (insertions dropped), so a
  value broken by a tracked change is seen whole;
* every attribute value, XML-unescaped and percent-decoded (authors, alt text, link targets);
* XML comments and CDATA sections as text.

Readings are joined with ``|``, which is neither a word character nor a number separator, so
digits from two unrelated places never run together into a false match.
"""

from __future__ import annotations

import codecs
import html
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

_TAG = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_ATTR = re.compile(r"""\s[\w:.\-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PARA = re.compile(r"<(\w+:)?p\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*(?<!/)>.*?</\1?p>", re.S)
_INS = re.compile(r"<(\w+:)?(ins|moveTo)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*(?<!/)>.*?</\1?\2>", re.S)
_DEL = re.compile(r"<(\w+:)?(del|moveFrom)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*(?<!/)>.*?</\1?\2>", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_SEP = "\n|\n"


def _decode(data: bytes) -> str | None:
    """The text of an XML part by its byte-order mark, else UTF-8; None when it is not XML."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            text = data[len(bom):].decode(enc, "replace")
            break
    else:
        text = data.decode("utf-8", "replace")
    return text if text.lstrip().startswith("<") else None


def _strip(xml: str) -> str:
    return html.unescape(_TAG.sub("", xml))


def xml_readings(xml: str) -> list[str]:
    """Every reading of one XML part's text (see the module docstring)."""
    xml = _CDATA.sub(lambda m: html.escape(m.group(1)), xml)
    out = [html.unescape(m.group(1)) for m in _COMMENT.finditer(xml)]
    xml = _COMMENT.sub(" ", xml)
    paragraphs = [_strip(m.group(0)) for m in _PARA.finditer(xml)]
    out.extend(paragraphs)
    for variant in (_DEL.sub("", xml), _INS.sub("", xml)):
        # Without tracked changes the variant is the part itself: its paragraphs are read once.
        out.extend(paragraphs if variant == xml else [_strip(m.group(0)) for m in _PARA.finditer(variant)])
    out.append(html.unescape(_TAG.sub(" ", xml)))
    for m in _ATTR.finditer(xml):
        value = html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
        if value.strip() and not value.isdigit():
            out.append(value)
            if "%" in value:
                out.append(unquote(value, errors="replace"))
    return out


def read_docx_text(path: Path) -> str:
    """Everything a reader could recover from the text of a released Word package, as one text."""
    texts: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            texts.append(info.filename)
            text = _decode(zf.read(info))
            if text is not None:
                texts.extend(xml_readings(text))
    return _SEP.join(texts)
