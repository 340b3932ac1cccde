"""Independent leak check of released files.

The verifier never uses the adapters that wrote the output: it reads each
released file with its own, separate code path, normalises the text and looks
for every value that was meant to be removed. Any hit is a leak.
"""

from __future__ import annotations

import csv
import json
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

import ahocorasick
import regex

from .rules import RuleSet, load_rules
from .textutil import DIGIT_RUNS, NUMBER_SEPARATORS, digits_regex, read_by_case, reads_as_name

_MIN_VALUE = 3


@dataclass(frozen=True)
class Secret:
    """A value that must not appear in the release (the finding id says which)."""

    finding_id: str
    document: str
    entity: str
    text: str
    #: The values released in the same document (normalised). Where the value is read inside one of
    #: them ("Fatima" in a released "Fatima Kearney") it is released with it, by decision, and is no
    #: leak there; read anywhere else, it is.
    released: tuple[str, ...] = field(default=(), compare=False)

    def named_in(self, haystack: Haystack, by_case: bool) -> bool:
        """For a value the caller already found in ``haystack`` case-folded: whether it is read
        there as what it is. A one-word name (see textutil.read_by_case) only capitalised, unless
        ``by_case`` is off (file names and paths); any other value, always."""
        return not (by_case and read_by_case(self.entity, self.text)) or haystack.capitalised(self.text)

    def shown(self, haystack: Haystack) -> bool:
        """Whether the value is read in ``haystack`` outside every released value that holds it
        (for a value the caller already found there)."""
        if not self.released:
            return True
        norm = normalise(self.text)
        spaceless = norm.replace(" ", "")
        digits = "".join(ch for ch in norm if ch.isdigit()) if _is_numeric(norm) else None
        around = [v for v in self.released
                  if spaceless in v.replace(" ", "") or (digits and digits in "".join(ch for ch in v if ch.isdigit()))]
        return not around or haystack.readable_apart(self.text, around)


@dataclass(frozen=True)
class Leak:
    """A secret found in a released file."""

    file: str
    finding_id: str
    entity: str


def normalise(text: str) -> str:
    """Compatibility forms folded (ligatures, full-width), case folded, whitespace collapsed."""
    return _fold(text) if len(text) <= _PIECE else _normalise_in_pieces(text, _PIECE)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


#: Longer texts (a released mailbox reads as millions of characters) are normalised a piece at a
#: time: the list of every word that ``split`` makes of the whole would weigh ten times the text.
_PIECE = 1 << 20
_BREAK = regex.compile(r"[ \n]")


def _normalise_in_pieces(text: str, size: int) -> str:
    # Cut only at a plain space or line break: nothing composes across one, and the whitespace is
    # collapsed anyway, so the pieces joined by a space are the whole text normalised.
    pieces = []
    start = 0
    while start < len(text):
        cut = _BREAK.search(text, start + size) if start + size < len(text) else None
        end = cut.start() if cut else len(text)
        piece = _fold(text[start:end])
        if piece:
            pieces.append(piece)
        start = end + 1 if cut else end
    return " ".join(pieces)


def _is_numeric(norm: str) -> bool:
    digits = [ch for ch in norm if ch.isdigit()]
    return len(digits) >= 6 and len(digits) >= 0.5 * len(norm.replace(" ", ""))


# Cached (not in the regex module's cache: see detect.terms.term_regex): a value readable in a
# released file (released by a decision there, kept under a never-redact term) is looked for again
# in every document. Up to 512 (a number's expression weighs about 11 KB).
@lru_cache(maxsize=512)
def secret_pattern(value: str) -> regex.Pattern | None:
    """How to look for a value: its digits with any separators for numbers; the words otherwise."""
    norm = normalise(value)
    if len(norm) < _MIN_VALUE:
        return None
    if _is_numeric(norm):
        return regex.compile(digits_regex("".join(ch for ch in norm if ch.isdigit())),
                             cache_pattern=False)  # see terms.term_regex
    body = r"\s*".join(regex.escape(part) for part in norm.split(" "))
    left = r"(?<!\w)" if norm[0].isalnum() else ""
    right = r"(?!\w)" if norm[-1].isalnum() else ""
    return regex.compile(left + body + right, cache_pattern=False)  # see terms.term_regex


@lru_cache(maxsize=512)
def _capitalised_pattern(value: str) -> regex.Pattern:
    word = unicodedata.normalize("NFKC", value.strip())
    return regex.compile(rf"(?<!\w){regex.escape(word[0])}(?fi:{regex.escape(word[1:])})(?!\w)",
                         cache_pattern=False)  # see terms.term_regex


_RUN = regex.compile(r"\d(?:" + NUMBER_SEPARATORS + r"\d)*")
# Compiled once: regex.findall(str, ...) looks its pattern up in the module's cache on every call,
# which cost more than the search itself over a document's thousands of number runs.
_LONGEST_NUMBER = 19


class Haystack:
    """A released text prepared for many look-ups: its normalised text and every digit sequence
    that :func:`secret_pattern` could match, so each secret costs a set look-up or a substring test
    instead of a regular-expression scan."""

    def __init__(self, text: str) -> None:
        self.text = normalise(text)
        self._raw = text
        self._cased: str | None = None
        self._spaceless: str | None = None
        self.numbers: set[str] = set()
        # Each distinct run once: a PDF's readings repeat its page text several times over.
        for run in set(_RUN.findall(self.text)):
            groups = DIGIT_RUNS.findall(run)
            for i in range(len(groups)):
                acc = ""
                for group in groups[i:]:
                    acc += group
                    if len(acc) > _LONGEST_NUMBER:
                        break
                    self.numbers.add(acc)

    @property
    def spaceless(self) -> str:
        """The normalised text without its spaces (made once, not once per secret)."""
        if self._spaceless is None:
            self._spaceless = self.text.replace(" ", "")
        return self._spaceless

    def contains(self, value: str) -> bool:
        """True when ``value`` can be read in the text (same rules as :func:`secret_pattern`)."""
        norm = normalise(value)
        if len(norm) < _MIN_VALUE:
            return False
        if _is_numeric(norm):
            digits = "".join(ch for ch in norm if ch.isdigit())
            if len(digits) <= _LONGEST_NUMBER:
                return digits in self.numbers
        elif norm.replace(" ", "") not in self.spaceless:
            return False  # cheap rejection: the letters are not there in any spacing
        return self.readable(value)

    def readable(self, value: str) -> bool:
        """The full pattern's search alone, for a caller that already knows the cheap tests pass."""
        pattern = secret_pattern(value)
        return pattern is not None and bool(pattern.search(self.text))

    def capitalised(self, value: str) -> bool:
        """True when a one-word name (see textutil.read_by_case) is read capitalised, as a name:
        "Will" or "WILL", not "will". Its compatibility forms are folded, not its case (made once,
        when a first such value is looked for)."""
        if self._cased is None:
            self._cased = unicodedata.normalize("NFKC", self._raw)
        return any(reads_as_name(self._cased, m.start(), m.end())
                   for m in _capitalised_pattern(value).finditer(self._cased))

    def readable_apart(self, value: str, around: Iterable[str]) -> bool:
        """True when ``value`` can be read somewhere not inside a reading of one of ``around``."""
        pattern = secret_pattern(value)
        if pattern is None:
            return False
        spans = [m.span() for other in around if (p := secret_pattern(other)) is not None
                 for m in p.finditer(self.text)]
        return any(not any(a <= m.start() and m.end() <= b for a, b in spans) for m in pattern.finditer(self.text))


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
    from .verify_docx import read_docx_text  # zipfile and regular expressions: never the adapter's lxml walk
    from .verify_email import read_eml_text, read_mbox_text  # compat32 parsing: never the adapter's walk
    from .verify_pdf import read_pdf_text  # pypdf and pdfminer: never the engine that wrote the PDF

    plain = read_released_text
    return {".txt": plain, ".md": plain, ".markdown": plain, ".text": plain, ".log": plain, ".csv": plain,
            ".tsv": plain, ".pdf": read_pdf_text, ".docx": read_docx_text, ".dotx": read_docx_text,
            ".eml": read_eml_text, ".mbox": read_mbox_text}


@dataclass(frozen=True)
class ReleasedText:
    """What the verifier read in one released file, kept (compressed) so the same reading can be
    searched again for other values without opening the file a second time."""

    label: str
    #: Everything the readers saw, zlib-compressed UTF-8.
    packed: bytes = b""
    #: For a PDF, its text sources only (short values are looked for there alone); None: ``packed``.
    packed_text_only: bytes | None = None
    #: Problems found whatever the values: text under a dark box, a file no reader could open.
    problems: tuple[Leak, ...] = ()
    #: No reader could read it: it counts as a leak of every value.
    unreadable: bool = False
    #: A long reading's further pieces (a mailbox's, a group of whole messages each), each searched
    #: alone so that only one is ever held unpacked; no value is read across two pieces.
    more: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        # A PDF's reading is searched as its text and its text sources, and has no further pieces:
        # pieces given beside those would never be searched, and a value in them would go unseen.
        if self.packed_text_only is not None and self.more:
            raise ValueError("a reading with separate text sources (a PDF's) cannot have further pieces")

    def leaks(self, secrets: Iterable[Secret] | PreparedSecrets) -> list[Leak]:
        """The secrets this reading shows, and its problems. Secrets searched for in many readings
        are best prepared once (:class:`PreparedSecrets`)."""
        prepared = secrets if isinstance(secrets, PreparedSecrets) else PreparedSecrets(secrets)
        if self.unreadable:
            return [Leak(self.label, s.finding_id, s.entity) for s in prepared.secrets] or list(self.problems)
        if not self.packed:  # the reader failed: that failure is the finding
            return list(self.problems)
        if self.packed_text_only is None:
            found: list[Leak] = []
            for piece in (self.packed, *self.more):
                found += prepared.every.find(zlib.decompress(piece).decode("utf-8", "surrogatepass"), self.label)
            # A value shown in two pieces is one leak, as it is in the whole.
            return list(dict.fromkeys(found)) + list(self.problems)
        text = zlib.decompress(self.packed).decode("utf-8", "surrogatepass")
        text_only = zlib.decompress(self.packed_text_only).decode("utf-8", "surrogatepass")
        return prepared.long.find(text, self.label) + prepared.short.find(text_only, self.label) + list(self.problems)


def text_reading(label: str, text: str) -> ReleasedText:
    """A reading of ``text`` that no reader here can take from the file (the text of an image)."""
    return ReleasedText(label, _pack(text))


def _pack(text: str) -> bytes:
    # Level 1: the text is read back at most once more; speed matters more than size.
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def read_released(path: Path, label: str | None = None) -> ReleasedText:
    """Read ``path`` with the independent reader for its kind (never the adapter that wrote it)."""
    reader = _readers().get(path.suffix.lower())
    name = label or str(path)
    if reader is None:
        return ReleasedText(name, problems=(Leak(name, "-", "unverifiable file"),), unreadable=True)
    try:
        if path.suffix.lower() == ".pdf":
            from .verify_pdf import read_pdf_sources_and_covers

            sources, covered = read_pdf_sources_and_covers(path)
            text_only = "\n".join(t for label_, t in sources.sources if not label_.startswith(_PDF_SYNTAX_SOURCES))
            return ReleasedText(name, _pack(sources.text), _pack(text_only),
                                tuple(Leak(name, "-", f"text hidden under a {c.kind} on page {c.page}")
                                      for c in covered))
        if path.suffix.lower() == ".mbox":
            from .verify_email import read_mbox_pieces

            pieces = [_pack(piece) for piece in read_mbox_pieces(path)] or [_pack("")]
            return ReleasedText(name, pieces[0], more=tuple(pieces[1:]))
        return ReleasedText(name, _pack(reader(path)))
    except Exception as exc:  # what the verifier cannot read, it cannot vouch for
        return ReleasedText(name, problems=(Leak(name, "-", f"unverifiable file ({type(exc).__name__})"),))


def find_leaks(path: Path, secrets: Iterable[Secret], label: str | None = None) -> list[Leak]:
    """Secrets present in ``path``. A file the verifier cannot read counts as a leak of everything."""
    return read_released(path, label).leaks(secrets)


#: PDF sources that are file syntax rather than text: font programs and CMaps are full of short
#: words ("def", "end") that would match a short value by chance.
_PDF_SYNTAX_SOURCES = ("every object", "raw decompressed streams", "raw file bytes")
#: Values shorter than this are looked for in the PDF's text sources only.
_SHORT_VALUE = 5


def find_leaks_in_text(text: str, secrets: Iterable[Secret], label: str, by_case: bool = True) -> list[Leak]:
    """Secrets present in ``text``. ``by_case=False`` for file names and paths, which are often
    written in lower case: a one-word name is read there in any case ("roe_complaint.txt")."""
    haystack = Haystack(text)
    return [Leak(label, s.finding_id, s.entity) for s in secrets if haystack.contains(s.text)
            and s.named_in(haystack, by_case) and s.shown(haystack)]


class SecretIndex:
    """Many secrets prepared once for many texts (the log's paths and notes, every released file of
    a request): each secret's normal form is computed once, numbers are found by set intersection,
    and word values by one pass of a multi-pattern matcher over the text before the full pattern
    (same answers as :func:`find_leaks_in_text`)."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        self._numbers: dict[str, list[tuple[int, Secret]]] = defaultdict(list)
        # Word values by their spaceless form, each form once (a request's secrets repeat the same
        # few thousand names and streets document after document).
        self._words: dict[str, list[tuple[int, Secret]]] = defaultdict(list)
        self._long: dict[str, list[tuple[int, Secret]]] = defaultdict(list)
        for n, secret in enumerate(secrets):
            norm = normalise(secret.text)
            if len(norm) < _MIN_VALUE:
                continue
            if _is_numeric(norm):
                digits = "".join(ch for ch in norm if ch.isdigit())
                if len(digits) <= _LONGEST_NUMBER:
                    self._numbers[digits].append((n, secret))
                else:
                    self._long[secret.text].append((n, secret))
            else:
                self._words[norm.replace(" ", "")].append((n, secret))
        # Aho-Corasick: every form that occurs in a text, in one pass over the text whatever the
        # number of forms. A substring search per form cost forms x text: quadratic in a large
        # mailbox searched for its own values (both grow with its messages).
        self._matcher: ahocorasick.Automaton | None = None
        if self._words:
            self._matcher = ahocorasick.Automaton()
            for key in self._words:
                self._matcher.add_word(key, key)
            self._matcher.make_automaton()

    def find(self, text: str, label: str, by_case: bool = True) -> list[Leak]:
        """The secrets present in ``text``, in the order they were given (``by_case``: see
        :func:`find_leaks_in_text`)."""
        haystack = Haystack(text)
        found = [hit for digits in haystack.numbers & self._numbers.keys() for hit in self._numbers[digits]]
        readable: dict[str, bool] = {}  # value text -> readable in the text, each text tested once

        def present(value: str) -> bool:
            # Straight to the full pattern: a word value's letters were found by the matcher, and a
            # long number has no cheaper test (Haystack.contains would repeat both).
            if value not in readable:
                readable[value] = haystack.readable(value)
            return readable[value]
        if self._matcher is not None:
            # The letters in any spacing: the cheap test before each candidate's full pattern.
            keys = {key for _, key in self._matcher.iter(haystack.spaceless)}
            found += [(n, s) for key in keys for n, s in self._words[key]
                      if present(s.text) and s.named_in(haystack, by_case)]
        found += [(n, s) for value, hits in self._long.items() if present(value) for n, s in hits]
        return [Leak(label, s.finding_id, s.entity) for _, s in sorted(found, key=lambda hit: hit[0])
                if s.shown(haystack)]


class PreparedSecrets:
    """Secrets indexed once (:class:`SecretIndex`) for the readings of many files: all of them for a
    plain text; for a PDF the long ones, and apart the short ones, which are looked for in its text
    sources only. The indexes are made when first needed.

    The request-wide check searches every released document for the values removed in the others
    (thousands, on a large request): a plain search per value is a scan of the document's text per
    value, and grew with the square of the request's size."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        self.secrets = list(secrets)

    @cached_property
    def every(self) -> SecretIndex:
        return SecretIndex(self.secrets)

    @cached_property
    def long(self) -> SecretIndex:
        return SecretIndex(self._by_length[0])

    @cached_property
    def short(self) -> SecretIndex:
        return SecretIndex(self._by_length[1])

    @cached_property
    def _by_length(self) -> tuple[list[Secret], list[Secret]]:
        """The long secrets and the short ones, each normalised once for the split."""
        long: list[Secret] = []
        short: list[Secret] = []
        for s in self.secrets:
            (short if len(normalise(s.text).replace(" ", "")) < _SHORT_VALUE else long).append(s)
        return long, short


def secrets_from_findings(findings: Iterable[dict]) -> dict[str, list[Secret]]:
    """Per document, the removed values that were not also released in that document, each knowing
    the values released there (see :attr:`Secret.released`)."""
    removed: dict[str, dict[str, Secret]] = defaultdict(dict)
    released: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        norm = normalise(f["text"])
        if f["action"] == "keep":
            released[f["document"]].add(norm)
        else:
            removed[f["document"]].setdefault(norm, Secret(f["id"], f["document"], f["entity"], f["text"]))
    out = {}
    for doc, values in removed.items():
        kept = tuple(sorted(released[doc]))  # one tuple shared by the document's secrets
        out[doc] = [replace(s, released=kept) if kept else s for norm, s in values.items() if norm not in released[doc]]
    return out


_PATH_SEPARATORS = regex.compile(r"[/\\_.\-]+")


@lru_cache(maxsize=4096)
def path_words(path: str) -> str:
    """A path as words: "inbox/Jane_Roe-complaint.txt" -> "inbox Jane Roe complaint txt"."""
    # Cached: the log asks for the same few paths and locations on every one of a document's rows.
    return _PATH_SEPARATORS.sub(" ", path)


def rule_texts(rules: RuleSet) -> set[str]:
    """The rule set's fixed prose: safe in the log whatever common words it holds ("a private person")."""
    fixed = {code.title for code in rules.codes.values()} | {code.explanation for code in rules.codes.values()}
    for rule in rules.spec.entities.values():
        fixed.add(rule.justification)
        fixed.update(role.justification for role in rule.roles.values())
    return fixed


def log_free_text(rows: list[dict[str, str]], rules: RuleSet) -> tuple[tuple[str, bool], tuple[str, bool]]:
    """The parts of the log that can carry words from the records, each with how it is read
    (``by_case``, see :func:`find_leaks_in_text`): its document paths and locations, in any case;
    and any justification not taken word for word from the rule set (an officer's note, an error
    detail), by case."""
    fixed = rule_texts(rules)
    paths = "\n".join(f"{path_words(row['document'])}\t{path_words(row['location'])}" for row in rows)
    notes = "\n".join(row["justification"] for row in rows if row["justification"] not in fixed)
    return (paths, False), (notes, True)


def verify_package(out_dir: Path) -> list[Leak]:
    """Re-check a finished disclosure package (``redact verify``): every released file for the
    values its findings removed; and release/ against the manifest, so a file put there or changed
    after the run (which nothing checked) is named too."""
    from .package import sha256_file  # package imports this module

    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    findings = [json.loads(line) for line in
                (out_dir / "review" / "findings.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    per_doc = secrets_from_findings(findings)
    every = [s for values in per_doc.values() for s in values]
    leaks: list[Leak] = []
    rules_spec = manifest["settings"]["rules"]
    rules = load_rules(rules_spec.get("path") or rules_spec["name"])
    # The values searched for come from the findings file: one cut short after the run would make
    # this check pass over whatever it no longer lists.
    recorded = {entry["path"]: entry.get("sha256") for entry in manifest.get("review", [])}
    if recorded.get("review/findings.jsonl") not in (None, sha256_file(out_dir / "review" / "findings.jsonl")):
        leaks.append(Leak("review/findings.jsonl", "-", "changed since the run, so the values searched for may "
                                                        "not be all the run removed"))
    listed = {entry["path"] for entry in manifest["outputs"]}
    release = out_dir / "release"
    leaks += [Leak(rel, "-", "not written by the run (not in the manifest), so never checked") for rel in
              sorted(f"release/{p.relative_to(release).as_posix()}" for p in release.rglob("*") if not p.is_dir())
              if rel not in listed]
    for entry in manifest["outputs"]:
        rel = entry["path"]
        path = out_dir / rel
        document = entry.get("document")
        if not path.is_file():
            leaks.append(Leak(rel, "-", "in the manifest but missing from the package"))
            continue
        if entry.get("sha256") and sha256_file(path) != entry["sha256"]:
            # Still searched below: whoever changed it may have put a value back.
            leaks.append(Leak(rel, "-", "changed since the run (not the content the manifest records)"))
        if document is None and path.name == "redaction_log.csv":
            # As at release: the rule set's fixed prose is not record content.
            rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
            leaks.extend(dict.fromkeys(leak for text, by_case in log_free_text(rows, rules)
                                       for leak in find_leaks_in_text(text, every, rel, by_case)))
            continue
        secrets = every if document is None else per_doc.get(document, [])
        leaks.extend(find_leaks(path, secrets, label=rel))
    return leaks


def scan_folder(folder: Path) -> list[Leak]:
    """Any folder (not a package): every PDF checked for live text under a dark box or an unapplied
    redaction. Without findings there are no values to look for; this catches bad redactions."""
    from .verify_pdf import UnverifiablePdfError, find_covered_text

    problems: list[Leak] = []
    for path in sorted(folder.rglob("*.pdf")):
        if not path.is_file() or path.is_symlink():
            continue
        label = path.relative_to(folder).as_posix()
        try:
            covered = find_covered_text(path)
        except UnverifiablePdfError as exc:
            problems.append(Leak(label, "-", f"cannot be checked: {exc}"))
            continue
        problems += [Leak(label, "-", f"page {c.page}: live text under a {c.kind} ({len(c.text.strip())} characters)")
                     for c in covered]
    return problems
