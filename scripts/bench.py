"""Print throughput and peak memory of `redact batch` on a generated request of text records.

Usage: .venv/bin/python scripts/bench.py [--docs N] [--jobs J]
       .venv/bin/python scripts/bench.py --pdf [--pages N] [--scans N]
       .venv/bin/python scripts/bench.py --mbox N      # one mbox of N generated messages

Figures, not assertions: record them in docs/benchmarks.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from redactor.api import BatchOptions, run_batch

FIRST = ["Maria", "James", "Aisha", "Wei", "Carlos", "Fatima", "Sean", "Thi", "Olga", "Kwame"]
LAST = ["Santos", "O'Brien", "Nguyen", "Kowalski", "Haddad", "Murphy", "Okafor", "Silva", "Chen", "Levesque"]


def record(i: int, rng: random.Random) -> str:
    """One fictitious intake record with a mix of exempt and public values."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return (
        f"Complaint intake BC-2026-{i:04d}, received 10/{rng.randint(1, 28):02d}/2026 by the Building Department.\n"
        f"\nComplainant: {name}, DOB {rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1940, 2000)},\n"
        f"cell (413) 555-01{rng.randint(0, 99):02d}, email {name.split()[0].lower()}{i}@gmail.com,\n"
        f"home address {rng.randint(1, 999)} Elm Street, Millbrook, MA 01994.\n"
        f"\nThe complainant reports noise from the garage at {rng.randint(1, 99)} Alder Lane most nights.\n"
        f"Inspection on 09/10/2026 by the Building Commissioner found five vehicles. {name} asked that the\n"
        f"name not be shared. Fee paid by card 4111 1111 1111 1111; receipt R-2026-{i:05d}.\n"
        f"\nQuestions: Building Department, Millbrook Town Hall, 100 Common Street, (508) 555-0100.\n"
    )


def _page_text(i: int, rng: random.Random) -> str:
    return record(i, rng).replace("\n\n", "\n")


def bench_pdf(pages: int, scans: int, jobs: int) -> int:
    """Text PDFs (4 pages each) and image-only scans (1 page each), timed separately."""
    import pymupdf

    from redactor.formats.ocr import OCR_DPI, ocr_words

    rng = random.Random(11)
    work = Path(tempfile.mkdtemp(prefix="redact-bench-pdf-"))
    try:
        text_dir, scan_dir = work / "text" / "files", work / "scans" / "files"
        text_dir.mkdir(parents=True)
        scan_dir.mkdir(parents=True)
        for d in range((pages + 3) // 4):
            doc = pymupdf.open()
            for p in range(4):
                page = doc.new_page()
                page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), _page_text(d * 4 + p, rng), fontsize=11)
            doc.save(text_dir / f"letter_{d:04d}.pdf")
        tesseract = []
        for i in range(scans):
            src = pymupdf.open()
            page = src.new_page()
            page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), _page_text(10_000 + i, rng), fontsize=12)
            pix = page.get_pixmap(dpi=OCR_DPI, colorspace=pymupdf.csGRAY)
            start = time.perf_counter()
            ocr_words(pix.tobytes("png"))
            tesseract.append(time.perf_counter() - start)
            doc = pymupdf.open()
            doc.new_page().insert_image(pymupdf.Rect(0, 0, 612, 792), pixmap=pix)
            doc.save(scan_dir / f"scan_{i:04d}.pdf")
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, jobs {jobs}")
        for name, folder, n in (("text PDF pages", text_dir.parent, pages), ("scanned pages", scan_dir.parent, scans)):
            start = time.perf_counter()
            result = run_batch(folder, BatchOptions(out_dir=work / f"{folder.name}-out", jobs=jobs))
            wall = time.perf_counter() - start
            print(f"{name}: {n} pages in {wall:.1f} s = {n / wall:.2f} pages/s (exit {int(result.exit_code)}, "
                  f"{sum(len(r.findings) for r in result.results)} findings, verification on)")
        print(f"Tesseract alone, one 300 dpi page: {sum(tesseract) / len(tesseract):.1f} s on average")
        print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (this process), "
              f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MiB (largest worker)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _message(i: int, rng: random.Random) -> str:
    """One fictitious message for the mbox benchmark; every twentieth one quotes the one before."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    user = f"{name.split()[0].lower()}{i}"
    body = record(i, rng)
    if i % 20 == 19:
        body += "\n" + "".join(f"> {line}\n" for line in record(i - 1, rng).splitlines())
    return (f"From {user}@gmail.com Mon Oct 12 09:{i % 60:02d}:00 2026\n"
            f"From: {name} <{user}@gmail.com>\nTo: Building Department <building@millbrook.ma.gov>\n"
            f"Subject: Complaint BC-2026-{i:04d}\nDate: Mon, 12 Oct 2026 09:{i % 60:02d}:00 -0400\n"
            f"Message-ID: <bench.{i}@example.net>\nMIME-Version: 1.0\n"
            f"Content-Type: text/plain; charset=\"utf-8\"\n\n{body}\n")


def bench_mbox(messages: int, jobs: int) -> int:
    """One mbox of ``messages`` generated messages through `redact batch` (as a child process, so
    its peak memory is measured alone)."""
    import subprocess

    rng = random.Random(5)
    work = Path(tempfile.mkdtemp(prefix="redact-bench-mbox-"))
    try:
        folder = work / "request"
        (folder / "inbox").mkdir(parents=True)
        (folder / "request.yaml").write_text("public_domains: [millbrook.ma.gov]\n", encoding="utf-8")
        with (folder / "inbox" / "mailbox.mbox").open("w", encoding="utf-8") as fh:
            for i in range(messages):
                fh.write(_message(i, rng))
        size = (folder / "inbox" / "mailbox.mbox").stat().st_size
        cmd = [sys.executable, "-c", "from redactor.cli import run; run()", "batch", str(folder),
               "--out", str(work / "out"), "--jobs", str(jobs)]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")
        print(f"mbox: {messages} messages, {size / 1024:.0f} KiB, exit code {proc.returncode}")
        print(f"wall: {wall:.1f} s (includes loading the spaCy model), {messages / wall:.1f} messages/s")
        print(f"peak RSS: {children:.0f} MiB (redact batch and its workers)")
        if proc.returncode not in (0, 3):
            print(proc.stderr[-2000:], file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main(argv: list[str]) -> int:
    """Generate, run, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--pdf", action="store_true", help="text PDFs and scanned pages instead of text files")
    parser.add_argument("--pages", type=int, default=40, help="with --pdf: text pages (one PDF of 4 pages each)")
    parser.add_argument("--scans", type=int, default=4, help="with --pdf: scanned pages (one per PDF)")
    parser.add_argument("--mbox", type=int, metavar="N", help="one mbox of N generated messages instead")
    args = parser.parse_args(argv)
    if args.mbox:
        return bench_mbox(args.mbox, args.jobs)
    if args.pdf:
        return bench_pdf(args.pages, args.scans, args.jobs)
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="redact-bench-"))
    try:
        folder = work / "request"
        (folder / "files").mkdir(parents=True)
        for i in range(args.docs):
            (folder / "files" / f"intake_{i:05d}.txt").write_text(record(i, rng), encoding="utf-8")
        size = sum(p.stat().st_size for p in (folder / "files").iterdir())
        start = time.perf_counter()
        result = run_batch(folder, BatchOptions(out_dir=work / "out", jobs=args.jobs))
        wall = time.perf_counter() - start
        units = sum(r.units for r in result.results)
        findings = sum(len(r.findings) for r in result.results)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")
        print(f"documents: {args.docs} text records, {size / 1024:.0f} KiB, {units} text units, jobs {args.jobs}")
        print(f"exit code: {int(result.exit_code)}, findings: {findings}")
        print(f"wall: {wall:.1f} s (includes loading the spaCy model once per process)")
        print(f"throughput: {args.docs / wall:.1f} documents/s, {units / wall:.1f} units/s, "
              f"{size / 1024 / wall:.1f} KiB/s")
        print(f"peak RSS: {peak:.0f} MiB (this process), {children:.0f} MiB (largest worker)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
