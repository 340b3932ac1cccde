"""Generate the Word test fixtures in ``tests/fixtures/docx/`` for the .docx adapter (issue 4).

Each fixture is a small package that puts exempt values in one of the places where Word redaction
goes wrong: a value split across runs with different formatting, nested tables, first/even/default
headers and footers, footnotes and endnotes, comments and their authors (``people.xml`` too),
tracked insertions and deletions (a value only in ``w:delText``), text boxes (DrawingML and VML),
content controls and legacy form fields, hyperlink targets and HYPERLINK fields, image alt text,
hidden text, custom XML, document properties (with a ``C:\\Users\\jdoe\\...`` template path), a
picture with an SSN drawn in it, an embedded OLE object and an alt-chunk, and a vector picture
that draws text. Files the tool must refuse come too: macro-enabled, legacy ``.doc``,
password-protected and corrupt packages. ``tests/fixtures/docx/README.md`` lists every planted value
per file and the expected outcome.

ALL PEOPLE, NUMBERS AND ADDRESSES ARE FICTITIOUS (the cast of the PDF fixtures). 219-09-9998 is an
invented number in valid SSN format; 078-05-1120 is the number printed on a 1938 wallet insert,
which the SSN recognizer accepts; phone numbers are in the 555-01XX range kept for fiction.

Determinism: python-docx builds each base document, lxml and plain string edits add the rest, and
every package is zipped with fixed timestamps in a fixed entry order. The encrypted file's salts and
keys come from ``random.Random`` with a fixed seed (msoffcrypto-tool draws them from ``secrets``,
which is replaced while that file is written). Running the script twice gives byte-identical files
with the same python-docx, lxml, Pillow, msoffcrypto-tool and zlib versions.

Usage::

    .venv/bin/python scripts/make_docx_fixtures.py [OUTDIR]   # default: tests/fixtures/docx
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import random
import re
import struct
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
from docx.shared import Pt
from PIL import Image, ImageDraw, ImageFont

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTDIR = REPO_ROOT / "tests" / "fixtures" / "docx"
ZIP_DATE = (2026, 9, 21, 12, 0, 0)

# Exempt (private residents).
NAME = "Jane Roe"
SSN = "219-09-9998"
SSN_SPLIT = "078-05-1120"
DOB = "03/15/1985"
CELL = "(413) 555-0142"
EMAIL = "jane.roe77@gmail.com"
HOME = "42 Elm Street"
NEIGHBOR = "Harold Whittingham"
NEIGHBOR_CELL = "(774) 555-0119"
NEIGHBOR_EMAIL = "hwhittingham@comcast.net"
TYPIST = "Tiffany Duffield"
ACCOUNT = "jdoe"
# Public (the town and its officials acting in their official capacity).
TOWN_HALL = "Millbrook Town Hall, 100 Common Street, Millbrook, MA 01994"
MAIN_PHONE = "(508) 555-0100"
CASE_NO = "BC-2026-0318"
PERMIT_NO = "BP-2026-0561"
RAO = ("Linda Castellano", "lcastellano@millbrook.ma.gov", "(508) 555-0105")
COMMISSIONER = "Raymond Dufresne"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = (f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
          'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"')
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# ---------------------------------------------------------------------------------------------
# Package helpers
# ---------------------------------------------------------------------------------------------

class Package:
    """A .docx as an ordered dict of parts, with helpers to add parts, relationships and XML."""

    def __init__(self, document: docx.document.Document) -> None:
        core = document.core_properties
        core.author = RAO[0]
        core.last_modified_by = RAO[0]
        core.title = "Town of Millbrook record"
        core.comments = ""
        core.revision = 1
        core.created = dt.datetime(2026, 9, 18, 9, 30, 0)
        core.modified = dt.datetime(2026, 9, 21, 14, 5, 0)
        core.last_printed = dt.datetime(2026, 9, 18, 9, 45, 0)
        raw = io.BytesIO()
        document.save(raw)
        with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zf:
            self.parts = {name: zf.read(name) for name in zf.namelist()}
        self.next_id = 100

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def set_text(self, name: str, text: str) -> None:
        self.parts[name] = text.encode("utf-8")

    def body(self, xml: str) -> None:
        """Append block-level XML to the body (before the final sectPr)."""
        doc = self.text("word/document.xml")
        at = doc.rindex("<w:sectPr")
        self.set_text("word/document.xml", doc[:at] + xml + doc[at:])

    def ensure_ns(self, name: str) -> None:
        """Declare the namespaces the snippets use on the part's root element."""
        text = self.text(name)
        start = text.index("<", text.index("?>") + 2)
        end = text.index(">", start)
        root = text[start:end]
        extra = " ".join(d for d in NSDECL.split(" ") if d.split("=")[0] not in root)
        self.set_text(name, text[:end] + " " + extra + text[end:])

    def content_type(self, part: str | None = None, ctype: str = "", ext: str | None = None) -> None:
        ct = self.text("[Content_Types].xml")
        if ext is not None:
            if f'Extension="{ext}"' in ct:
                return
            entry = f'<Default Extension="{ext}" ContentType="{ctype}"/>'
        else:
            entry = f'<Override PartName="/{part}" ContentType="{ctype}"/>'
        self.set_text("[Content_Types].xml", ct.replace("</Types>", entry + "</Types>"))

    def rel(self, source: str, rtype: str, target: str, external: bool = False) -> str:
        folder, base = source.rsplit("/", 1) if "/" in source else ("", source)
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if rels not in self.parts:
            self.parts[rels] = (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                'relationships"></Relationships>').encode()
        self.next_id += 1
        rid = f"rId{self.next_id}"
        mode = ' TargetMode="External"' if external else ""
        entry = f'<Relationship Id="{rid}" Type="{rtype}" Target="{escape(target)}"{mode}/>'
        self.set_text(rels, self.text(rels).replace("</Relationships>", entry + "</Relationships>"))
        return rid

    def add(self, name: str, data: bytes | str, ctype: str | None = None, source: str | None = None,
            rtype: str | None = None, target: str | None = None) -> str | None:
        self.parts[name] = data.encode("utf-8") if isinstance(data, str) else data
        if ctype:
            self.content_type(name, ctype)
        if source is not None and rtype:
            return self.rel(source, rtype, target or name.split("/", 1)[1])
        return None

    def bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name, data in self.parts.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 0
                zf.writestr(info, data)
        return out.getvalue()


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def run(text: str, props: str = "", tag: str = "t") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:{tag} xml:space="preserve">{escape(text)}</w:{tag}></w:r>'


def para(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def new_document(heading: str, intro: str) -> docx.document.Document:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    document.add_heading(heading, level=1)
    document.add_paragraph(intro)
    return document


def png(lines: list[str], size: tuple[int, int] = (900, 220), font_size: int = 40) -> bytes:
    """A white PNG with black text (DejaVu when installed, else Pillow's own font)."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", font_size)
    except OSError:
        font = ImageFont.load_default(size=font_size)
    y = 20
    for line in lines:
        draw.text((20, y), line, fill="black", font=font)
        y += int(font_size * 1.4)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


def inline_picture(rid: str, pid: int, descr: str, title: str, name: str, cx: int = 3000000, cy: int = 730000) -> str:
    return (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{pid}" name="{escape(name)}" descr="{escape(descr)}" title="{escape(title)}"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{pid}" name="{escape(name)}" descr="{escape(descr)}"/>'
            '<pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            '</wp:inline></w:drawing></w:r>')


IMAGE_REL = f"{REL}/image"


# ---------------------------------------------------------------------------------------------
# The fixtures
# ---------------------------------------------------------------------------------------------

def split_runs() -> bytes:
    """An SSN whose digits sit in three runs, the middle one bold; a phone split across italics."""
    pkg = Package(new_document("Building complaint intake", f"Complaint {CASE_NO} received at {TOWN_HALL}."))
    pkg.body(para(run("Complainant SSN: "), run("078-0"), run("5-11", "<w:b/>"), run("20"),
                  run(" (verified by the clerk).")))
    pkg.body(para(run("Complainant cell: (413) 55", "<w:i/>"),
                  run("5-0142", '<w:i/><w:u w:val="single"/>'), run(f". Main office: {MAIN_PHONE}.")))
    pkg.body(para(run(f"Records Access Officer: {RAO[0]}, {RAO[1]}, {RAO[2]}.")))
    return pkg.bytes()


def nested_tables() -> bytes:
    """A table inside a table cell holding an SSN and an e-mail address."""
    document = new_document("Permit applicants", f"Applicants for permit {PERMIT_NO}.")
    outer = document.add_table(rows=2, cols=2)
    outer.style = "Table Grid"
    outer.cell(0, 0).text = "Permit"
    outer.cell(0, 1).text = PERMIT_NO
    outer.cell(1, 0).text = "Applicant"
    inner = outer.cell(1, 1).add_table(rows=3, cols=2)
    for row, (label, value) in enumerate([("Name", NAME), ("SSN", SSN), ("E-mail", EMAIL)]):
        inner.cell(row, 0).text = label
        inner.cell(row, 1).text = value
    document.add_paragraph(f"Reviewed by Building Commissioner {COMMISSIONER}.")
    return Package(document).bytes()


def headers_footers() -> bytes:
    """Different first page and even pages: each header or footer holds its own value."""
    document = new_document("Inspection notes", f"Notes for complaint {CASE_NO}.")
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = f"Town of Millbrook - Building Department - {CASE_NO}"
    section.footer.paragraphs[0].text = f"Resident home: {HOME}, Millbrook"
    section.first_page_header.paragraphs[0].text = f"Resident cell {CELL}"
    section.first_page_footer.paragraphs[0].text = f"{TOWN_HALL} - {MAIN_PHONE}"
    section.even_page_header.paragraphs[0].text = f"Resident e-mail {EMAIL}"
    section.even_page_footer.paragraphs[0].text = f"Neighbor {NEIGHBOR}, {NEIGHBOR_CELL}"
    for i in range(3):
        document.add_paragraph(f"Inspection visit {i + 1} at the property; no violation observed.")
    return Package(document).bytes()


FOOTNOTES_XML = (DECL + f'<w:footnotes {NSDECL}>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                 '</w:p></w:footnote>'
                 '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
                 + run(f" Resident's SSN on file: {SSN}.") + '</w:p></w:footnote></w:footnotes>')
ENDNOTES_XML = (DECL + f'<w:endnotes {NSDECL}>'
                '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
                '<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                '</w:p></w:endnote>'
                '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>'
                + run(f" Reply sent to {EMAIL} on 09/22/2026.") + '</w:p></w:endnote></w:endnotes>')


def notes() -> bytes:
    """A footnote with an SSN and an endnote with an e-mail address."""
    pkg = Package(new_document("Hearing summary", f"Hearing on complaint {CASE_NO}."))
    pkg.add("word/footnotes.xml", FOOTNOTES_XML,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            "word/document.xml", f"{REL}/footnotes", "footnotes.xml")
    pkg.add("word/endnotes.xml", ENDNOTES_XML,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
            "word/document.xml", f"{REL}/endnotes", "endnotes.xml")
    pkg.body(para(run("The resident testified in person."), '<w:r><w:rPr><w:vertAlign w:val="superscript"/>'
                  '</w:rPr><w:footnoteReference w:id="1"/></w:r>', run(" The board voted 3-0."),
                  '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:endnoteReference w:id="1"/></w:r>'))
    return pkg.bytes()


def comments() -> bytes:
    """Two comments: the officer's (text with a resident's cell) and a private neighbor's (author redacted)."""
    document = new_document("Draft response", f"Draft response to records request PRR-2026-0142 ({CASE_NO}).")
    p1 = document.add_paragraph("The complaint was received by phone and logged the same day.")
    p2 = document.add_paragraph("The neighbor's statement is attached to the file.")
    document.add_comment(p1.runs, text=f"Caller was the resident; her cell is {CELL}.", author=RAO[0],
                         initials="LC")
    document.add_comment(p2.runs, text="I do not want my statement released.", author=NEIGHBOR, initials="HW")
    pkg = Package(document)
    # python-docx stamps each comment with the current time.
    pkg.set_text("word/comments.xml", re.sub(r'w:date="[^"]*"', 'w:date="2026-09-21T10:00:00Z"',
                                             pkg.text("word/comments.xml")))
    people = (DECL + f'<w15:people {NSDECL}>'
              f'<w15:person w15:author="{RAO[0]}"><w15:presenceInfo w15:providerId="AD" '
              f'w15:userId="S::{RAO[1]}::4f1c2b7e-0000-4000-8000-000000000001"/></w15:person>'
              f'<w15:person w15:author="{NEIGHBOR}"><w15:presenceInfo w15:providerId="AD" '
              f'w15:userId="S::{NEIGHBOR_EMAIL}::4f1c2b7e-0000-4000-8000-000000000002"/></w15:person>'
              '</w15:people>')
    pkg.add("word/people.xml", people, "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
            "word/document.xml", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml")
    return pkg.bytes()


def tracked_changes() -> bytes:
    """Tracked deletions and insertions by a private typist; one SSN lives only in w:delText."""
    pkg = Package(new_document("Amended complaint", f"Amended complaint {CASE_NO}."))
    by = f'w:author="{TYPIST}" w:date="2026-09-20T10:00:00Z"'
    pkg.body(para(run("Complainant identification: "),
                  f'<w:del w:id="11" {by}>' + run(f"SSN {SSN}", tag="delText") + "</w:del>",
                  f'<w:ins w:id="12" {by}>' + run("on file with the Building Department") + "</w:ins>",
                  run(".")))
    pkg.body(para(run("Contact: "),
                  f'<w:del w:id="13" {by}>' + run(CELL, tag="delText") + "</w:del>",
                  f'<w:ins w:id="14" {by}>' + run(f"Building Department, {MAIN_PHONE}") + "</w:ins>",
                  run(" (weekdays).")))
    pkg.body(para(run("Reported by "), f'<w:ins w:id="15" {by}>' + run(NAME) + "</w:ins>",
                  run(f" at the counter of {TOWN_HALL}.")))
    pkg.body(para(f'<w:r><w:rPr><w:b/><w:rPrChange w:id="16" {by}><w:rPr/></w:rPrChange></w:rPr>'
                  '<w:t>Status: open.</w:t></w:r>'))
    settings = pkg.text("word/settings.xml")
    pkg.set_text("word/settings.xml", settings.replace("<w:defaultTabStop", "<w:trackRevisions/><w:defaultTabStop", 1))
    return pkg.bytes()


def text_box() -> bytes:
    """A DrawingML text box with its VML fallback (the value twice), and a VML-only text box."""
    pkg = Package(new_document("Site sketch", f"Sketch for complaint {CASE_NO}."))
    pkg.ensure_ns("word/document.xml")
    box_text = para(run(f"Owner SSN {SSN}"))
    drawing = ('<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
               'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
               '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
               '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
               '<wp:extent cx="2400000" cy="500000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare '
               'wrapText="bothSides"/><wp:docPr id="5" name="Text Box 5"/><wp:cNvGraphicFramePr/><a:graphic>'
               '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
               '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2400000" '
               'cy="500000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
               f'<wps:txbx><w:txbxContent>{box_text}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
               '</a:graphicData></a:graphic></wp:anchor></w:drawing>')
    vml = ('<w:pict><v:shape id="TextBox5" type="#_x0000_t202" style="width:189pt;height:39pt">'
           f'<v:textbox><w:txbxContent>{box_text}</w:txbxContent></v:textbox></v:shape></w:pict>')
    pkg.body(para(run("See the note on the sketch: "), '<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
                  f'{drawing}</mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>'))
    pkg.body(para(run("Second note: "), '<w:r><w:pict><v:shape id="TextBox6" type="#_x0000_t202" '
                  'style="width:189pt;height:39pt"><v:textbox><w:txbxContent>'
                  + para(run(f"Resident cell {CELL}")) + '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    return pkg.bytes()


def content_control() -> bytes:
    """Block and inline content controls, a drop-down list item, and a legacy form field's value."""
    pkg = Package(new_document("Permit application form", f"Application for permit {PERMIT_NO}."))
    pkg.body('<w:sdt><w:sdtPr><w:alias w:val="Applicant e-mail"/><w:tag w:val="email"/></w:sdtPr><w:sdtContent>'
             + para(run(f"E-mail: {EMAIL}")) + "</w:sdtContent></w:sdt>")
    pkg.body(para(run("Phone: "), '<w:sdt><w:sdtPr><w:alias w:val="Phone"/></w:sdtPr><w:sdtContent>'
                  + run(CELL) + "</w:sdtContent></w:sdt>"))
    pkg.body(para(run("Co-applicant: "), '<w:sdt><w:sdtPr><w:alias w:val="Co-applicant"/><w:dropDownList>'
                  f'<w:listItem w:displayText="{NEIGHBOR}" w:value="{NEIGHBOR}"/>'
                  '<w:listItem w:displayText="None" w:value="None"/></w:dropDownList></w:sdtPr><w:sdtContent>'
                  + run("None") + "</w:sdtContent></w:sdt>"))
    pkg.body(para(run("Date of birth: "),
                  '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>'
                  f'<w:textInput><w:default w:val="{DOB}"/></w:textInput></w:ffData></w:fldChar></w:r>',
                  run(" FORMTEXT ", tag="instrText"), '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                  run(DOB), '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
    return pkg.bytes()


def hyperlinks() -> bytes:
    """A mailto hyperlink whose text is harmless, a HYPERLINK field split over instrText runs, a
    simple field, and a tooltip."""
    pkg = Package(new_document("Correspondence log", f"Correspondence on complaint {CASE_NO}."))
    rid = pkg.rel("word/document.xml", f"{REL}/hyperlink", f"mailto:{EMAIL}?subject=Complaint", external=True)
    pkg.body(para(run("The resident asked to be contacted by "),
                  f'<w:hyperlink r:id="{rid}" w:tooltip="Write to {NAME}">'
                  + run("e-mail", '<w:rStyle w:val="Hyperlink"/>') + "</w:hyperlink>", run(".")))
    pkg.body(para(run("Neighbor: "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                  run(' HYPERLINK "mailto:hwhitt', tag="instrText"),
                  run('ingham@comcast.net" ', tag="instrText"),
                  '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("write to the neighbor"),
                  '<w:r><w:fldChar w:fldCharType="end"/></w:r>', run(".")))
    pkg.body(para(run("Office: "), f'<w:fldSimple w:instr=" HYPERLINK &quot;mailto:{RAO[1]}&quot; ">'
                  + run(RAO[1]) + "</w:fldSimple>", run(" (public).")))
    pkg.body(para(run("Resident (fallback): "), f'<w:fldSimple w:instr=" HYPERLINK &quot;mailto:{EMAIL}&quot; ">'
                  + run("contact form") + "</w:fldSimple>"))
    return pkg.bytes()


def alt_text() -> bytes:
    """A plain picture whose alt text (wp:docPr and pic:cNvPr) and name describe a private person."""
    pkg = Package(new_document("Photo log", f"Photos for complaint {CASE_NO}."))
    pkg.ensure_ns("word/document.xml")
    img = Image.new("RGB", (120, 60), (180, 200, 220))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pkg.content_type(ctype="image/png", ext="png")
    rid = pkg.add("word/media/photo1.png", buf.getvalue(), None, "word/document.xml", IMAGE_REL, "media/photo1.png")
    assert rid
    pkg.body(para(inline_picture(rid, 7, f"Driveway of {NAME} at {HOME}", f"Photo sent by {NEIGHBOR}",
                                 "roe_driveway.png", 1143000, 571500)))
    pkg.body(para(run("Photo 1: the driveway as seen from the street.")))
    return pkg.bytes()


def hidden_text() -> bytes:
    """A hidden run (w:vanish) holding an SSN inside an otherwise public paragraph."""
    pkg = Package(new_document("Meeting minutes", f"Minutes of the hearing on {CASE_NO}."))
    pkg.body(para(run("The board heard the complaint."), run(f" Complainant SSN {SSN}.", "<w:vanish/>"),
                  run(" The hearing closed at 8 p.m.")))
    pkg.body(para(run("This run is not hidden: ", ), run("visible text", '<w:vanish w:val="0"/>'), run(".")))
    return pkg.bytes()


def custom_xml() -> bytes:
    """A custom XML data part (a form's bound data) holding a name, SSN and e-mail."""
    pkg = Package(new_document("Form with bound data", f"Intake form for {CASE_NO}."))
    item = (DECL + '<intake xmlns="urn:millbrook:intake"><case>' + CASE_NO + '</case><resident><name>' + NAME
            + '</name><ssn>' + SSN + '</ssn><email>' + EMAIL + '</email></resident></intake>')
    props = (DECL + '<ds:datastoreItem ds:itemID="{6D2D1F3A-0000-4000-8000-000000000001}" '
             'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
             '<ds:schemaRefs/></ds:datastoreItem>')
    pkg.add("customXml/item1.xml", item)
    pkg.content_type(ctype="application/xml", ext="xml")
    pkg.add("customXml/itemProps1.xml", props,
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    pkg.rel("customXml/item1.xml", f"{REL}/customXmlProps", "itemProps1.xml")
    pkg.rel("word/document.xml", f"{REL}/customXml", "../customXml/item1.xml")
    pkg.body(para(run("The intake data is stored with the form.")))
    return pkg.bytes()


def properties() -> bytes:
    """Core, app and custom properties naming a private person, and template paths with an account."""
    document = new_document("Letter to a resident", f"Regarding complaint {CASE_NO}.")
    document.add_paragraph("Dear resident, the Building Department has closed your complaint.")
    pkg = Package(document)
    core = pkg.text("docProps/core.xml")
    core = core.replace(f"<dc:creator>{RAO[0]}</dc:creator>", f"<dc:creator>{NAME}</dc:creator>")
    core = core.replace(f"<cp:lastModifiedBy>{RAO[0]}</cp:lastModifiedBy>", f"<cp:lastModifiedBy>{ACCOUNT}"
                        "</cp:lastModifiedBy>")
    core = core.replace("<dc:title>Town of Millbrook record</dc:title>",
                        f"<dc:title>Letter to {NAME}</dc:title>")
    pkg.set_text("docProps/core.xml", core)
    template = f"C:\\Users\\{ACCOUNT}\\AppData\\Roaming\\Microsoft\\Templates\\Resident Letter.dotm"
    app = pkg.text("docProps/app.xml")
    app = app.replace("<Template>Normal.dotm</Template>", f"<Template>{escape(template)}</Template>")
    if "<Template>" not in app:
        app = app.replace("</Properties>", f"<Template>{escape(template)}</Template></Properties>")
    app = app.replace("</Properties>", f"<Manager>{NEIGHBOR}</Manager><Company>Town of Millbrook</Company>"
                      "</Properties>")
    pkg.set_text("docProps/app.xml", app)
    custom = (DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Case number">'
              f'<vt:lpwstr>{CASE_NO}</vt:lpwstr></property>'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Applicant SSN">'
              f'<vt:lpwstr>{SSN}</vt:lpwstr></property></Properties>')
    pkg.add("docProps/custom.xml", custom, "application/vnd.openxmlformats-officedocument.custom-properties+xml",
            "", f"{REL}/custom-properties", "docProps/custom.xml")
    rid = pkg.rel("word/settings.xml", f"{REL}/attachedTemplate",
                  "file:///C:\\Users\\jdoe\\AppData\\Roaming\\Microsoft\\Templates\\Resident%20Letter.dotm",
                  external=True)
    settings = pkg.text("word/settings.xml")
    pkg.set_text("word/settings.xml", settings.replace("<w:defaultTabStop",
                                                       f'<w:attachedTemplate r:id="{rid}"/><w:defaultTabStop', 1))
    return pkg.bytes()


def image_ssn() -> bytes:
    """A picture (PNG) with an SSN drawn in it, and a public permit number beside it."""
    pkg = Package(new_document("Scanned ID attached", f"Attachment to complaint {CASE_NO}."))
    pkg.ensure_ns("word/document.xml")
    pkg.content_type(ctype="image/png", ext="png")
    data = png([f"SSN {SSN}", f"Permit {PERMIT_NO}"])
    rid = pkg.add("word/media/image1.png", data, None, "word/document.xml", IMAGE_REL, "media/image1.png")
    assert rid
    pkg.body(para(inline_picture(rid, 8, "Scanned card", "", "Picture 1")))
    return pkg.bytes()


def _emf_with_text(text: str) -> bytes:
    """A minimal EMF that draws one string (EMR_EXTTEXTOUTW)."""
    chars = text.encode("utf-16-le")
    chars += b"\0" * (-len(chars) % 4)
    emrtext = struct.pack("<iiIIi4iI", 10, 10, len(text), 76, 0, 0, 0, 500, 50, 0)
    record_body = struct.pack("<4iIff", 0, 0, 500, 50, 1, 1.0, 1.0) + emrtext + chars
    record = struct.pack("<II", 84, 8 + len(record_body)) + record_body
    eof = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    total = 88 + len(record) + len(eof)
    header = struct.pack("<II4i4iIIIIHHIII2i2i", 1, 88, 0, 0, 500, 50, 0, 0, 13229, 1323, 0x464D4520, 0x10000,
                         total, 3, 1, 0, 0, 0, 0, 1024, 768, 320, 240)
    return header + record + eof


def ole_embedding() -> bytes:
    """An embedded OLE object (with its preview picture), an alt-chunk, and a vector picture with text."""
    pkg = Package(new_document("Exhibits", f"Exhibits for complaint {CASE_NO}."))
    pkg.ensure_ns("word/document.xml")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 24 + f"Applicant {NAME} SSN {SSN}".encode("utf-16-le")
    pkg.content_type(ctype="application/vnd.openxmlformats-officedocument.oleObject", ext="bin")
    pkg.content_type(ctype="image/x-emf", ext="emf")
    pkg.content_type(ctype="image/png", ext="png")
    ole_rid = pkg.add("word/embeddings/oleObject1.bin", ole, None, "word/document.xml", f"{REL}/oleObject",
                      "embeddings/oleObject1.bin")
    preview = Image.new("RGB", (64, 32), (230, 230, 230))
    buf = io.BytesIO()
    preview.save(buf, format="PNG")
    prev_rid = pkg.add("word/media/preview1.png", buf.getvalue(), None, "word/document.xml", IMAGE_REL,
                       "media/preview1.png")
    pkg.body(para(run("Exhibit A (spreadsheet): "),
                  '<w:r><w:object w:dxaOrig="1440" w:dyaOrig="720"><v:shape id="_x0000_i1025" '
                  f'style="width:72pt;height:36pt" o:ole=""><v:imagedata r:id="{prev_rid}" o:title=""/></v:shape>'
                  f'<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Content" '
                  f'ObjectID="_1700000000" r:id="{ole_rid}"/></w:object></w:r>'))
    chunk = ("MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<html><body><p>Resident " + NAME
             + " SSN " + SSN + "</p></body></html>").encode()
    pkg.content_type(ctype="message/rfc822", ext="mht")
    chunk_rid = pkg.add("word/afchunk.mht", chunk, None, "word/document.xml", f"{REL}/aFChunk", "afchunk.mht")
    pkg.body(f'<w:altChunk r:id="{chunk_rid}"/>')
    emf_rid = pkg.add("word/media/image2.emf", _emf_with_text(f"Cell {CELL}"), None, "word/document.xml",
                      IMAGE_REL, "media/image2.emf")
    assert emf_rid
    pkg.body(para(run("Exhibit B (drawing): "), inline_picture(emf_rid, 9, "", "", "Picture 2")))
    pkg.body(para(run(f"Exhibits received at {TOWN_HALL}.")))
    return pkg.bytes()


def public_only() -> bytes:
    """Only public content: the town, its officials and record numbers. Nothing may be redacted."""
    document = new_document("Zoning Board of Appeals - Agenda",
                            f"Hearing on case ZBA 2026-17 at {TOWN_HALL}, 10/22/2026 at 7:00 p.m.")
    document.add_paragraph(f"Records Access Officer {RAO[0]} ({RAO[1]}, {RAO[2]}) will take questions.")
    document.add_paragraph(f"Building Commissioner {COMMISSIONER} presents permit {PERMIT_NO}.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Main office"
    table.cell(0, 1).text = MAIN_PHONE
    table.cell(1, 0).text = "Web"
    table.cell(1, 1).text = "https://www.millbrook.ma.gov"
    document.sections[0].header.paragraphs[0].text = "Town of Millbrook"
    return Package(document).bytes()


def macro_docm() -> bytes:
    """A macro-enabled document: a vbaProject.bin part and the macro-enabled content type."""
    pkg = Package(new_document("Macro form", "Press the button to fill the form."))
    ct = pkg.text("[Content_Types].xml").replace("wordprocessingml.document.main+xml",
                                                  "document.macroEnabled.main+xml")
    pkg.set_text("[Content_Types].xml", ct)
    pkg.content_type(ctype="application/vnd.ms-office.vbaProject", ext="bin")
    pkg.add("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 56, None, "word/document.xml",
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")
    return pkg.bytes()


def macro_in_docx() -> bytes:
    """A .docx name on a package that carries a macro project."""
    pkg = Package(new_document("Renamed macro form", "Saved as .docx by renaming."))
    pkg.add("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 56, None, "word/document.xml",
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")
    return pkg.bytes()


def legacy_doc() -> bytes:
    """The first bytes of a Word 97-2003 file: the OLE2 signature and a WordDocument directory entry
    (enough for the tool's sniffing; not a complete binary document)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HH", 0x3E, 3) + b"\xfe\xff"
    header += b"\0" * (512 - len(header))
    entry = "WordDocument".encode("utf-16-le")
    directory = (entry + b"\0" * (64 - len(entry))) + struct.pack("<H", len(entry) + 2) + b"\x02"
    return header + directory + b"\0" * (1024 - len(directory))


@contextlib.contextmanager
def seeded_secrets(seed: int) -> Iterator[None]:
    """msoffcrypto-tool draws salts and keys from ``secrets`` and stamps the time: both are fixed here."""
    import msoffcrypto.method.container.ecma376_encrypted as container
    import msoffcrypto.method.ecma376_agile as agile

    class FixedClock(dt.datetime):
        """The compound file's directory timestamps come from datetime.now()."""

        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> FixedClock:
            return cls(2026, 9, 21, 12, 0, 0)

    rng = random.Random(seed)
    original, clock = agile._random_buffer, container.datetime
    agile._random_buffer = lambda size: rng.randbytes(size)
    container.datetime = FixedClock
    try:
        yield
    finally:
        agile._random_buffer, container.datetime = original, clock


def encrypted() -> bytes:
    """A password-protected .docx (agile encryption, password "records"): an OLE file, not a zip."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = Package(new_document("Protected", f"Resident SSN {SSN}.")).bytes()
    out = io.BytesIO()
    with seeded_secrets(4):
        OOXMLFile(io.BytesIO(plain)).encrypt("records", out)
    return out.getvalue()


def corrupt_zip() -> bytes:
    """A .docx cut off half way (a failed download)."""
    data = split_runs()
    return data[: len(data) // 2]


def missing_document() -> bytes:
    """A zip without word/document.xml."""
    pkg = Package(new_document("Broken", "No main part."))
    del pkg.parts["word/document.xml"]
    return pkg.bytes()


def bad_xml() -> bytes:
    """word/document.xml that is not well-formed XML."""
    pkg = Package(new_document("Broken", "Bad XML."))
    pkg.set_text("word/document.xml", pkg.text("word/document.xml").replace("</w:body>", "</w:bod>"))
    return pkg.bytes()


FIXTURES: dict[str, Callable[[], bytes]] = {
    "split_runs.docx": split_runs,
    "nested_tables.docx": nested_tables,
    "headers_footers.docx": headers_footers,
    "notes.docx": notes,
    "comments.docx": comments,
    "tracked_changes.docx": tracked_changes,
    "text_box.docx": text_box,
    "content_control.docx": content_control,
    "hyperlinks.docx": hyperlinks,
    "alt_text.docx": alt_text,
    "hidden_text.docx": hidden_text,
    "custom_xml.docx": custom_xml,
    "properties.docx": properties,
    "image_ssn.docx": image_ssn,
    "ole_embedding.docx": ole_embedding,
    "public_only.docx": public_only,
    "macro.docm": macro_docm,
    "macro_in_docx.docx": macro_in_docx,
    "legacy.doc": legacy_doc,
    "encrypted.docx": encrypted,
    "corrupt_zip.docx": corrupt_zip,
    "missing_document.docx": missing_document,
    "bad_xml.docx": bad_xml,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=DEFAULT_OUTDIR)
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for name, build in FIXTURES.items():
        (args.outdir / name).write_bytes(build())
        print(f"wrote {args.outdir / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
