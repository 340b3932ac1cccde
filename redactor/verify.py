"""Independent leak check of released files.

The verifier never uses the adapters that wrote the output: it reads each
released file with its own, separate code path, normalises the text and looks
for every value that was meant to be removed. Any hit is a leak.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import regex

#: Separators a number may be written with: "219-09-9998", "219 09 9998", "219.09.9998".
_NUM_SEP = r"[\s\-‐‑–—.()/]*"
_MIN_VALUE = 3


@dataclass(frozen=True)
class Secret:
    """A value that must not appear in the release (the finding id says which)."""

    finding_id: str
    document: str
    entity: str
    text: str


@dataclass(frozen=True)
class Leak:
    """A secret found in a released file."""

    file: str
    finding_id: str
    entity: str


def normalise(text: str) -> str:
    """Compatibility forms folded (ligatures, full-width), case folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _is_numeric(norm: str) -> bool:
    digits = [ch for ch in norm if ch.isdigit()]
    return len(digits) >= 6 and len(digits) >= 0.5 * len(norm.replace(" ", ""))


def secret_pattern(value: str) -> regex.Pattern | None:
    """How to look for a value: its digits with any separators for numbers; the words otherwise."""
    norm = normalise(value)
    if len(norm) < _MIN_VALUE:
        return None
    if _is_numeric(norm):
        return regex.compile(r"(?<!\d)" + _NUM_SEP.join(ch for ch in norm if ch.isdigit()) + r"(?!\d)")
    body = r"\s*".join(regex.escape(part) for part in norm.split(" "))
    left = r"(?<!\w)" if norm[0].isalnum() else ""
    right = r"(?!\w)" if norm[-1].isalnum() else ""
    return regex.compile(left + body + right)


_RUN = regex.compile(r"\d(?:" + _NUM_SEP + r"\d)*")
_LONGEST_NUMBER = 19


class Haystack:
    """A released text prepared for many look-ups: its normalised text and every digit sequence
    that :func:`secret_pattern` could match, so each secret costs a set look-up or a substring test
    instead of a regular-expression scan."""

    def __init__(self, text: str) -> None:
        self.text = normalise(text)
        self.numbers: set[str] = set()
        for run in _RUN.finditer(self.text):
            groups = regex.findall(r"\d+", run.group(0))
            for i in range(len(groups)):
                acc = ""
                for group in groups[i:]:
                    acc += group
                    if len(acc) > _LONGEST_NUMBER:
                        break
                    self.numbers.add(acc)

    def contains(self, value: str) -> bool:
        """True when ``value`` can be read in the text (same rules as :func:`secret_pattern`)."""
        norm = normalise(value)
        if len(norm) < _MIN_VALUE:
            return False
        if _is_numeric(norm):
            digits = "".join(ch for ch in norm if ch.isdigit())
            if len(digits) <= _LONGEST_NUMBER:
                return digits in self.numbers
        elif norm.replace(" ", "") not in self.text.replace(" ", ""):
            return False  # cheap rejection: the letters are not there in any spacing
        pattern = secret_pattern(value)
        return pattern is not None and bool(pattern.search(self.text))


def read_released_text(path: Path) -> str:
    """The text of a released file, read without the adapters (all plausible decodings joined)."""
    data = path.read_bytes()
    texts = []
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            texts.append(data.decode(enc))
        except UnicodeDecodeError:
            continue
    return "\n".join(dict.fromkeys(texts))


def _readers() -> dict[str, Callable[[Path], str]]:
    # One reader per released suffix. A file with no independent reader here counts as a leak of
    # everything: the verifier must never wave through what it cannot read.
    plain = read_released_text
    return {".txt": plain, ".md": plain, ".markdown": plain, ".text": plain, ".log": plain, ".csv": plain,
            ".tsv": plain}


def find_leaks(path: Path, secrets: Iterable[Secret], label: str | None = None) -> list[Leak]:
    """Secrets present in ``path``. A file the verifier cannot read counts as a leak of everything."""
    reader = _readers().get(path.suffix.lower())
    secrets = list(secrets)
    name = label or str(path)
    if reader is None:
        return [Leak(name, s.finding_id, s.entity) for s in secrets] or [Leak(name, "-", "unverifiable file")]
    return find_leaks_in_text(reader(path), secrets, name)


def find_leaks_in_text(text: str, secrets: Iterable[Secret], label: str) -> list[Leak]:
    """Secrets present in ``text``."""
    haystack = Haystack(text)
    return [Leak(label, s.finding_id, s.entity) for s in secrets if haystack.contains(s.text)]


def secrets_from_findings(findings: Iterable[dict]) -> dict[str, list[Secret]]:
    """Per document, the removed values that were not also released in that document."""
    removed: dict[str, dict[str, Secret]] = defaultdict(dict)
    released: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        norm = normalise(f["text"])
        if f["action"] == "keep":
            released[f["document"]].add(norm)
        else:
            removed[f["document"]].setdefault(norm, Secret(f["id"], f["document"], f["entity"], f["text"]))
    return {doc: [s for norm, s in values.items() if norm not in released[doc]]
            for doc, values in removed.items()}


def verify_package(out_dir: Path) -> list[Leak]:
    """Re-check a finished disclosure package (``redact verify``)."""
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    findings = [json.loads(line) for line in
                (out_dir / "review" / "findings.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    per_doc = secrets_from_findings(findings)
    every = [s for values in per_doc.values() for s in values]
    leaks: list[Leak] = []
    for entry in manifest["outputs"]:
        rel = entry["path"]
        path = out_dir / rel
        document = entry.get("document")
        secrets = every if document is None else per_doc.get(document, [])
        leaks.extend(find_leaks(path, secrets, label=rel))
    return leaks
