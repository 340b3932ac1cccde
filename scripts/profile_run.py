"""Profile ``process_document`` in-process over a small mixed request and print the top costs.

The request (generated, deterministic): text PDFs of intake records plus text PDF fixtures, .eml
threads with quoted replies, .docx files with paragraphs and tables, and .txt records; or any
folder given with ``--input``. Each document goes through the real per-document flow (read, detect,
decide, apply, verify) with pyinstrument sampling, and the profile is grouped by stage:

    read     adapter.open, reading the units, the file's sha256
    detect   spaCy | presidio recognizers | presidio overhead | our post-processing
    decide   build_findings, decisions
    apply    write_redacted
    verify   find_leaks (and the file-name checks)

Page units as scripts/naive_pipeline.py counts them: a PDF page, an e-mail message (an mbox counts
its messages), a Word page (explicit page breaks + 1), a text file.

Usage: .venv/bin/python scripts/profile_run.py [--input DIR] [--out DIR] [--mbox N] [--scale K]
       [--no-profile] [--findings FILE]

``--findings FILE`` writes every finding (document, entity, span, text, code, action) as JSON, so
two runs can be compared: a speed-up must not change one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
sys.path.insert(0, str(REPO_ROOT / "scripts"))

from bench import FIRST, LAST, _message, _page_text, record  # noqa: E402

from redactor.api import DocumentTask, process_document  # noqa: E402
from redactor.decisions import Decisions  # noqa: E402
from redactor.rules import load_rules  # noqa: E402
from redactor.settings import DetectionConfig  # noqa: E402

#: Text PDF, e-mail and Word fixtures with no pictures (OCR would swamp the text pipeline).
PDF_FIXTURES = ("form.pdf", "annotations.pdf", "two_column.pdf", "rotated.pdf", "split_values.pdf",
                "public_only.pdf", "tiny_font.pdf")
EMAIL_FIXTURES = ("thread.eml", "nested_forward.eml", "html_only.eml", "encoded_headers.eml", "base64_qp.eml")
DOCX_FIXTURES = ("split_runs.docx", "nested_tables.docx", "headers_footers.docx", "comments.docx",
                 "tracked_changes.docx", "notes.docx")


def _thread(i: int, rng: random.Random) -> str:
    """A reply quoting a reply quoting the original: the same values three times, re-wrapped."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    user = f"{name.split()[0].lower()}{i}"
    first = record(i, rng)
    second = "Thank you, we will look into it.\n\n" + "".join(f"> {line}\n" for line in first.splitlines())
    third = ("The inspection is set for 10/22/2026.\nRaymond Dufresne\nBuilding Commissioner\n\n"
             f"On Mon, Oct 12, 2026 at 9:15 AM {name} <{user}@gmail.com> wrote:\n"
             + "".join(f"> {line}\n" for line in second.splitlines()))
    return (f"From: Raymond Dufresne <rdufresne@millbrook.ma.gov>\nTo: {name} <{user}@gmail.com>\n"
            f"Subject: Re: Re: Complaint BC-2026-{i:04d}\nDate: Tue, 13 Oct 2026 10:{i % 60:02d}:00 -0400\n"
            f"Message-ID: <thread.{i}@millbrook.ma.gov>\nMIME-Version: 1.0\n"
            f"Content-Type: text/plain; charset=\"utf-8\"\n\n{third}")


def _docx(path: Path, i: int, rng: random.Random, records: int) -> None:
    import docx

    document = docx.Document()
    document.add_heading(f"Building Department case file {i}", level=1)
    for r in range(records):
        if r and r % 2 == 0:
            document.add_page_break()  # two records a page
        for para in record(i * 100 + r, rng).split("\n\n"):
            document.add_paragraph(para.replace("\n", " "))
    table = document.add_table(rows=1, cols=4)
    for cell, label in zip(table.rows[0].cells, ("Name", "Phone", "Email", "Address"), strict=True):
        cell.text = label
    for r in range(8):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        row = table.add_row().cells
        row[0].text, row[1].text = name, f"(413) 555-01{rng.randint(0, 99):02d}"
        row[2].text, row[3].text = f"{name.split()[0].lower()}{r}@gmail.com", f"{rng.randint(1, 999)} Oak Street"
    document.save(path)


def generate(folder: Path, scale: int = 1, mbox: int = 0) -> None:
    """The mixed request (``scale`` multiplies the generated documents; ``mbox`` adds one mailbox)."""
    import pymupdf

    rng = random.Random(17)
    for sub in ("pdf", "mail", "word", "text"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for d in range(10 * scale):
        doc = pymupdf.open()
        for p in range(4):
            page = doc.new_page()
            page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), _page_text(d * 4 + p, rng), fontsize=11)
        doc.save(folder / "pdf" / f"letter_{d:04d}.pdf")
    for name in PDF_FIXTURES:
        shutil.copy(FIXTURES / "pdf" / name, folder / "pdf" / name)
    for i in range(20 * scale):
        (folder / "mail" / f"thread_{i:04d}.eml").write_text(_thread(1000 + i, rng), encoding="utf-8")
    for name in EMAIL_FIXTURES:
        shutil.copy(FIXTURES / "email" / name, folder / "mail" / name)
    for i in range(5 * scale):
        _docx(folder / "word" / f"case_{i:04d}.docx", i, rng, records=6)
    for name in DOCX_FIXTURES:
        shutil.copy(FIXTURES / "docx" / name, folder / "word" / name)
    for i in range(20 * scale):
        (folder / "text" / f"intake_{i:04d}.txt").write_text(record(2000 + i, rng), encoding="utf-8")
    if mbox:
        with (folder / "mail" / "mailbox.mbox").open("w", encoding="utf-8") as fh:
            mrng = random.Random(5)
            for i in range(mbox):
                fh.write(_message(i, mrng))


def page_units(path: Path) -> int:
    """Page units of one document, counted as scripts/naive_pipeline.py counts them: a PDF page, a
    message (an mbox counts its messages), a Word page (explicit page breaks + 1), a text file."""
    import re
    import zipfile

    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pymupdf

        with pymupdf.open(path) as doc:
            return doc.page_count
    if suffix == ".mbox":
        return sum(1 for line in path.read_bytes().splitlines() if line.startswith(b"From "))
    if suffix == ".docx":
        with zipfile.ZipFile(path) as zf:
            return len(re.findall(rb"<w:br\b[^>]*\bw:type=\"page\"", zf.read("word/document.xml"))) + 1
    return 1


def tasks_for(folder: Path, release: Path) -> list[DocumentTask]:
    """One task per file, configured like ``redact batch`` with no request.yaml but the town's domain."""
    rules = load_rules(None)
    config = DetectionConfig(public_domains=("millbrook.ma.gov",))
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    return [DocumentTask(p, p.relative_to(folder).as_posix(), release, str(rules.path), config, Decisions.empty())
            for p in paths]


# Grouping of the profile -----------------------------------------------------------------------

_STAGE_CALLS = {
    "sha256_file": "read", "adapter_detections": "read", "withheld_parts": "read",
    "analyze_many": "detect", "detect_many": "detect", "with_terms": "detect", "get_engine": "detect",
    "build_findings": "decide", "apply_finding_decisions": "decide", "redactions_for": "decide",
    "secrets_from_findings": "decide", "_contexts": "decide",
    "write_redacted": "apply", "withhold_pages": "apply", "_placed_boxes": "apply",
    "find_leaks": "verify", "find_leaks_in_text": "verify", "_page_leftovers": "verify",
}


def _stage_of(function: str, file: str) -> str | None:
    """The stage a call starts, by the function called (an adapter's ``open`` is reading)."""
    if "/redactor/" not in file:
        return None
    if function == "open" and "/redactor/formats/" in file:
        return "read"
    return _STAGE_CALLS.get(function)


def _detect_part(path: list[str]) -> str:
    """Which part of detection a sample under detect_many is in, from the files on its stack."""
    for file in reversed(path):  # innermost first: spaCy inside presidio's NLP engine is spaCy
        if "/spacy/" in file or "/thinc/" in file or "/spacy_" in file or "/en_core_web" in file:
            return "detect: spaCy"
        if "/redactor/detect/recognizers/" in file or file.endswith("/redactor/detect/base.py"):
            return "detect: recognizers (ours)"
        if "/presidio_analyzer/predefined_recognizers/" in file:
            return "detect: recognizers (presidio)"
    for file in reversed(path):
        if "/presidio_analyzer/" in file:
            return "detect: presidio overhead"
    return "detect: post-processing (ours)"


def group(root: object) -> tuple[dict[str, float], dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Seconds per stage; own time per function; cumulative time per function (counted once per stack)."""
    stages: dict[str, float] = defaultdict(float)
    own: dict[tuple[str, str], float] = defaultdict(float)
    cumulative: dict[tuple[str, str], float] = defaultdict(float)

    def walk(frame: object, stage: str, files: list[str], seen: frozenset) -> None:
        if frame.is_synthetic:  # pyinstrument's "[self]" leaves: counted in the parent's total_self_time
            return
        function = getattr(frame, "function", "") or ""
        file = getattr(frame, "file_path", "") or ""
        key = (function, _short(file, getattr(frame, "line_no", 0)))
        if stage == "other":
            stage = _stage_of(function, file) or stage
        files = [*files, file]
        if key not in seen:
            cumulative[key] += frame.time
        self_time = frame.total_self_time
        if self_time > 0:
            own[key] += self_time
            label = _detect_part(files) if stage == "detect" else stage
            stages[label] += self_time
        for child in frame.children:
            walk(child, stage, files, seen | {key})

    walk(root, "other", [], frozenset())
    return dict(stages), dict(own), dict(cumulative)


def callers(root: object, name: str) -> dict[tuple[str, str], float]:
    """Total time of the frames named ``name``, per caller and the caller's caller."""
    out: dict[tuple[str, str], float] = defaultdict(float)

    def walk(frame: object, up: list[object]) -> None:
        if frame.function == name and up:
            chain = up[-2:]
            out[(" < ".join(f.function for f in reversed(chain)),
                 " < ".join(_short(f.file_path or "", f.line_no or 0) for f in reversed(chain)))] += frame.time
            return
        for child in frame.children:
            walk(child, [*up, frame])

    walk(root, [])
    return dict(out)


def _short(file: str, line: int) -> str:
    for marker in ("/site-packages/", "/work/main/", "/lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{file}:{line}"


def run(tasks: list[DocumentTask], spent: dict[str, float] | None = None) -> tuple[float, float, list]:
    """Every task in turn: (wall seconds, CPU seconds of this process, results); ``spent`` gets each
    document's CPU seconds. CPU time is what compares runs on a machine other work shares."""
    start, cpu = time.perf_counter(), time.process_time()
    results = []
    for task in tasks:
        t0 = time.process_time()
        results.append(process_document(task))
        if spent is not None:
            spent[task.document] = time.process_time() - t0
    return time.perf_counter() - start, time.process_time() - cpu, results


def main(argv: list[str]) -> int:
    """Generate (or take) the request, time it, profile it, print the top costs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="a folder of records instead of the generated request")
    parser.add_argument("--out", type=Path, default=Path("/tmp/profile-helper/run"),
                        help="work folder (generated request, release, profile.html, summary.json)")
    parser.add_argument("--scale", type=int, default=1, help="multiply the generated documents")
    parser.add_argument("--mbox", type=int, default=0, help="add one mbox of N messages (bench.py's)")
    parser.add_argument("--only", help="profile only files whose path contains this")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", action="store_true", help="time only")
    parser.add_argument("--repeat", type=int, default=1, help="unprofiled runs (the fastest is reported)")
    parser.add_argument("--findings", type=Path, help="write every finding as JSON to this file")
    parser.add_argument("--callers", action="append", metavar="FUNCTION",
                        help="also print who calls FUNCTION (repeatable)")
    args = parser.parse_args(argv)

    from redactor.detect import get_engine

    out = args.out
    if args.input is None:
        folder = out / "request"
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, args.scale, args.mbox)
    else:
        folder = args.input.resolve()
    release = out / "release"
    shutil.rmtree(release, ignore_errors=True)
    release.mkdir(parents=True)
    tasks = tasks_for(folder, release)
    if args.only:
        tasks = [t for t in tasks if args.only in t.document]
    units = {t.document: page_units(t.source) for t in tasks}
    total_units = sum(units.values())
    get_engine()
    # Warm-up: the first document pays for lazy imports and the rules' parsing, not for its pages.
    run(tasks[:1] + [t for t in tasks if t.source.suffix == ".docx"][:1] + [t for t in tasks if t.source.suffix
                                                                           == ".eml"][:1])
    walls, cpus, best = [], [], {}
    for _ in range(args.repeat):
        shutil.rmtree(release)
        release.mkdir()
        spent: dict[str, float] = {}
        wall, cpu, results = run(tasks, spent)
        if not cpus or cpu < min(cpus):
            best = spent
        walls.append(wall)
        cpus.append(cpu)
    wall, cpu = min(walls), min(cpus)  # the least disturbed by other work on the machine
    by_kind: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"request: {len(tasks)} documents, {total_units} page units, "
          f"{sum(len(r.findings) for r in results)} findings, "
          f"statuses {dict(sorted(_count(r.status for r in results).items()))}")
    print(f"unprofiled: CPU {cpu:.2f} s = {total_units / cpu:.1f} page units/s per core (verification on; "
          f"fastest of {', '.join(f'{c:.2f}' for c in cpus)}); wall {wall:.2f} s = {total_units / wall:.1f} "
          "page units/s")
    kinds: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for task in tasks:
        kinds[task.source.suffix.lower()][0] += best[task.document]
        kinds[task.source.suffix.lower()][1] += units[task.document]
    for kind, (spent_s, n) in sorted(kinds.items()):
        print(f"  {kind:6} {spent_s:7.2f} s  {n:4.0f} units  {n / spent_s:6.1f} units/s")
    if args.findings:
        rows = sorted((r.document, f.entity, f.location.unit_id, f.location.start, f.location.end, f.text, f.code,
                       str(f.action), r.status) for r in results for f in r.findings)
        args.findings.write_text(json.dumps(rows, indent=0), encoding="utf-8")
        print(f"findings written to {args.findings}")
    if args.no_profile:
        return 0

    from pyinstrument import Profiler

    shutil.rmtree(release)
    release.mkdir()
    per_doc: list[tuple[float, str]] = []
    profiler = Profiler(interval=0.001)
    profiler.start()
    for task in tasks:
        t0 = time.perf_counter()
        process_document(task)
        spent = time.perf_counter() - t0
        per_doc.append((spent, task.document))
        kind = task.source.suffix.lower()
        by_kind[kind][0] += spent
        by_kind[kind][1] += units[task.document]
    profiler.stop()
    session = profiler.last_session
    (out / "profile.html").write_text(profiler.output_html(), encoding="utf-8")
    root = session.root_frame()
    profiled = root.time if root is not None else 0.0
    stages, own, cumulative = group(root)
    print(f"profiled: {profiled:.2f} s sampled, {total_units / max(profiled, 1e-9):.1f} page units/s")
    print("\nby format (profiled):")
    for kind, (spent, n) in sorted(by_kind.items()):
        print(f"  {kind:6} {spent:7.2f} s  {n:4.0f} units  {n / spent:6.1f} units/s")
    print("\nby stage (own time of every sample, attributed to the stage process_document called):")
    for label, spent in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {label:34} {spent:7.2f} s  {100 * spent / profiled:5.1f} %")
    print(f"\ntop {args.top} by own time:")
    for (function, where), spent in sorted(own.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"  {spent:7.3f} s  {100 * spent / profiled:5.1f} %  {function}  {where}")
    print(f"\ntop {args.top} by cumulative time (functions of this project and its libraries):")
    skip = {"process_document", "<module>", "main", "run"}
    ranked = [(k, v) for k, v in cumulative.items() if k[0] not in skip and not k[0].startswith("[")]
    for (function, where), spent in sorted(ranked, key=lambda kv: -kv[1])[:args.top]:
        print(f"  {spent:7.3f} s  {100 * spent / profiled:5.1f} %  {function}  {where}")
    for name in args.callers or ():
        print(f"\ncallers of {name} (two frames up):")
        for (caller, where), spent in sorted(callers(root, name).items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {spent:7.3f} s  {caller}  {where}")
    print("\nslowest documents:")
    for spent, document in sorted(per_doc, reverse=True)[:8]:
        print(f"  {spent:6.2f} s  {document} ({units[document]} units)")
    summary = {"documents": len(tasks), "page_units": total_units, "wall_unprofiled": wall, "cpu_unprofiled": cpu,
               "units_per_cpu_s": total_units / cpu, "stages": stages,
               "own": {f"{k[0]} {k[1]}": v for k, v in sorted(own.items(), key=lambda kv: -kv[1])[:60]}}
    (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"\nprofile: {out / 'profile.html'}")
    return 0


def _count(items: object) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:  # type: ignore[attr-defined]
        counts[item] += 1
    return counts


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
