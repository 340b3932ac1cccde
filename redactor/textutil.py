"""Small text helpers shared by the format adapters and the detectors."""

from __future__ import annotations

import regex

#: Each run of digits in a text (compiled once: numbers are split into their groups everywhere).
DIGIT_RUNS = regex.compile(r"\d+")


def looks_like_header(cells: list[str]) -> bool:
    """A row of short, distinct labels with letters and no digits-only cells is a header.

    csv.Sniffer.has_header guesses from column types and misses ordinary record
    layouts ("Name,SSN,DOB"); a header is what gives bare numbers their meaning.
    """
    labels = [c for c in cells if c]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        return False
    return all(len(c) <= 60 and any(ch.isalpha() for ch in c) and sum(ch.isdigit() for ch in c) <= 2
               and "@" not in c for c in labels)


def field_starts(line: str, sep: str) -> list[int]:
    """Offsets where each field of a delimited line starts; a comma inside double quotes does not split."""
    starts, quoted = [0], False
    for i, ch in enumerate(line):
        if ch == '"' and sep == ",":
            quoted = not quoted
        elif ch == sep and not quoted:
            starts.append(i + 1)
    return starts


def split_fields_simple(line: str, sep: str) -> list[str]:
    """The fields of one delimited line (quotes stripped), for header checks."""
    starts = field_starts(line, sep)
    ends = [s - 1 for s in starts[1:]] + [len(line)]
    return [line[s:e].strip().strip('"').strip() for s, e in zip(starts, ends, strict=True)]


#: Separators a number may be written with: "219-09-9998", "219 09 9998", "219.09.9998", "737–27–1318".
NUMBER_SEPARATORS = r"[\s\-‐‑–—.()/]*"


def digits_regex(digits: str) -> str:
    """A pattern for a number written with any separators between its digits, not inside a longer number.

    The leak check and the consistency pass both use it, so any spelling the check would call a
    leak is one the consistency pass redacts first.
    """
    return r"(?<!\d)" + NUMBER_SEPARATORS.join(digits) + r"(?!\d)"
