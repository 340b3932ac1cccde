"""Print throughput and peak memory of `redact batch` on a generated request of text records.

Usage: .venv/bin/python scripts/bench.py [--docs N] [--jobs J]

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


def main(argv: list[str]) -> int:
    """Generate, run, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
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
