"""Print per-entity precision and recall of the detection engine on tests/data/labelled_snippets.yaml.

Usage: .venv/bin/python scripts/quality.py [--verbose] [PATH]
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from redactor.detect import get_engine
from redactor.detect.evaluation import evaluate, report

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "labelled_snippets.yaml"


def main(argv: list[str]) -> int:
    """Evaluate and print; non-zero when a target is missed."""
    verbose = "--verbose" in argv or "-v" in argv
    paths = [a for a in argv if not a.startswith("-")]
    path = Path(paths[0]) if paths else DEFAULT
    text, ok = report(evaluate(get_engine(), path), verbose=verbose)
    print(f"Labelled set: {path}")
    print(text)
    print("All targets met." if ok else "Some targets are missed.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
