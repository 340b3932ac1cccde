"""The run's cache, kept in the output folder (``<out>/.cache/``) so a rerun redoes only what changed.

Four kinds of entries, each keyed by content and by everything that could change the answer:

- detections of one text unit: the sha256 of the text plus a *context* (the versions of the
  detection code, model and rules, and the request settings detection reads). A paragraph quoted
  down a thread is analysed once; a rerun re-detects nothing it has seen. Entries hold offsets,
  entity types and scores, never the text, which is rebuilt from the unit itself.
- OCR of one image: the sha256 of the rendered page image plus the Tesseract version and settings.
- a request-wide consistency check of one released document: the sha256 of its released files and
  the values looked for.
- a processed document: the sha256 of the input plus all a task's inputs except the officer's
  finding decisions; the entry records which decisions it saw and the sha256 of what it released,
  and is reused only when those decisions and the released files are the same (see
  :meth:`RunCache.reusable`).

Workers read the database (read-only, so any number of processes can); only the parent writes,
from the new entries each document's result carries back. Deleting ``.cache/`` only costs time.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import pickle
import sqlite3
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .models import Detection
from .sliced import pack, unpack

log = logging.getLogger(__name__)

CACHE_DIR = ".cache"
DB_NAME = "redact-cache.sqlite3"
#: Seconds a reader waits for the parent's write to finish before treating the cache as missing.
_BUSY_TIMEOUT = 30.0
#: Unit detections a worker process keeps in memory between documents: about 460 bytes an entry
#: (key and answer as the cache stores it; measured on a large mailbox), so about 9 MB when full.
_MEMO_SIZE = 20_000

#: Bytes copied at a time between a document's pickle and its row.
_PIECE = 1 << 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS detections (context TEXT, unit TEXT, value TEXT, PRIMARY KEY (context, unit));
CREATE TABLE IF NOT EXISTS ocr (context TEXT, image TEXT, value TEXT, PRIMARY KEY (context, image));
CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS checks (key TEXT PRIMARY KEY, carried TEXT, found TEXT);
CREATE TABLE IF NOT EXISTS carried (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS hints (key TEXT PRIMARY KEY, value BLOB);
"""


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` in UTF-8 (surrogates kept, so every str has one)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def digest(value: object) -> str:
    """A stable hex sha256 of a JSON-able value (dict keys sorted)."""
    return sha256_text(json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The sha256 of this installation's own code and data (rules, name lists): any change to the
    program invalidates the cache (a version number is not bumped for every fix, and a stale answer
    here could be a leak)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".yaml", ".txt"} and p.is_file()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True)
class CacheRef:
    """What a worker needs to read the cache: picklable, no open handles."""

    path: Path | None
    #: Context of detection entries (code, model, rules and the settings detection reads).
    detection: str = ""
    #: Context of OCR entries (code and Tesseract version).
    ocr: str = ""


#: New detection entries are compressed this many at a time (see :class:`CacheEntries`).
_ENTRIES_PACKED = 2_000


@dataclass
class CacheEntries:
    """New entries a worker found, carried back to the parent to be written.

    Detection entries are kept compressed a batch at a time: a mailbox of thousands of messages
    has tens of thousands of new units (11 MB of keys and answers at 5,000 messages, 17 MB as
    objects), held from its first message until the parent has stored them."""

    ocr: list[tuple[str, str]] = field(default_factory=list)
    #: The detection entries not yet in a batch, and the batches (sliced.pack of a list of them).
    _latest: list[tuple[str, str]] = field(default_factory=list)
    _packed: list[bytes] = field(default_factory=list)

    def add_detection(self, key: str, value: str) -> None:
        """Keep the detection entry ``value`` of the unit whose sha256 is ``key``."""
        self._latest.append((key, value))
        if len(self._latest) >= _ENTRIES_PACKED:
            self._packed.append(pack(self._latest))
            self._latest = []

    def detection_batches(self) -> Iterator[list[tuple[str, str]]]:
        """The detection entries (unit sha256, answer), a batch at a time, in the order added."""
        for data in self._packed:
            yield unpack(data)
        if self._latest:
            yield self._latest

    def __bool__(self) -> bool:
        return bool(self._latest or self._packed or self.ocr)


def _connect_ro(path: Path | None) -> sqlite3.Connection | None:
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT)
        conn.execute("SELECT 1 FROM detections LIMIT 1")
        return conn
    except sqlite3.Error as exc:
        # A damaged or foreign file is no reason to stop: everything is recomputed.
        log.warning("cache %s not readable (%s); working without it", path, exc)
        return None


# Detections by (context, unit sha256 as bytes) across the documents one worker process handles:
# the same quoted paragraph in consecutive messages is analysed once even before the parent has
# stored it. Kept encoded as the cache keeps them (see _encode), which is half the memory of the
# objects; a hit is decoded again, in microseconds. The context is in the key, not kept beside the
# entries: a worker thread of another run (another context) must never be answered from them.
_memo: OrderedDict[tuple[str, bytes], str] = OrderedDict()


def _recall(context: str, key: str) -> str | None:
    return _memo.get((context, bytes.fromhex(key))) if context else None


def _remember(context: str, key: str, value: str) -> None:
    if not context:
        return
    _memo[(context, bytes.fromhex(key))] = value
    if len(_memo) > _MEMO_SIZE:
        _memo.popitem(last=False)


def _encode(dets: Sequence[Detection]) -> str:
    # The value text is left out (it is rebuilt from the unit): the cache holds no redacted values.
    return json.dumps([{k: v for k, v in asdict(d).items() if k != "text"} for d in dets], separators=(",", ":"))


def _decode(value: str, text: str) -> list[Detection]:
    return [Detection(text=text[d["start"]:d["end"]], **d) for d in json.loads(value)]


class CacheSession:
    """One document's use of the cache in a worker: look-ups, and the new entries to send back."""

    def __init__(self, ref: CacheRef | None) -> None:
        self.ref = ref
        self._conn = _connect_ro(ref.path) if ref is not None else None
        self.entries = CacheEntries()
        self.hits = 0
        self.misses = 0
        # Page images read in this document: an attachment opened again (see formats.attachments)
        # is not read by Tesseract twice, with or without a cache.
        self._ocr_read: dict[str, list[dict[str, object]]] = {}

    @property
    def readable(self) -> bool:
        """Whether this process reads the run's cache (a Dask worker may not see the output folder)."""
        return self._conn is not None

    def close(self) -> None:
        """Release the database handle."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> CacheSession:
        global _current
        _current = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _current
        _current = None
        self.close()

    def _lookup(self, table: str, column: str, context: str, key: str) -> str | None:
        if self._conn is None:
            return None
        try:
            row = self._conn.execute(f"SELECT value FROM {table} WHERE context = ? AND {column} = ?",
                                     (context, key)).fetchone()
        except sqlite3.Error:
            log.debug("cache look-up failed", exc_info=True)
            return None
        return row[0] if row else None

    def detections(self, texts: Sequence[str],
                   analyze: Callable[[list[str]], list[list[Detection]]]) -> list[list[Detection]]:
        """``analyze(texts)``, with each distinct text analysed at most once and cached answers reused."""
        context = self.ref.detection if self.ref is not None else ""
        keys = [sha256_text(t) for t in texts]
        found: dict[str, list[Detection]] = {}
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key in found or key in todo:
                continue
            memo = _recall(context, key)
            if memo is not None:
                found[key] = _decode(memo, text)
                continue
            stored = self._lookup("detections", "unit", context, key) if context else None
            if stored is not None:
                found[key] = _decode(stored, text)
                _remember(context, key, stored)
            else:
                todo[key] = text
        self.hits += len(found)
        self.misses += len(todo)
        if todo:
            for key, dets in zip(todo, analyze(list(todo.values())), strict=True):
                found[key] = dets
                if context:
                    encoded = _encode(dets)
                    _remember(context, key, encoded)
                    self.entries.add_detection(key, encoded)
        return [found[k] for k in keys]

    def ocr(self, image: bytes, read: Callable[[], list[dict[str, object]]]) -> list[dict[str, object]]:
        """``read()`` of a page image (words as dicts), cached by the image's sha256."""
        context = self.ref.ocr if self.ref is not None else ""
        key = hashlib.sha256(image).hexdigest()
        if key in self._ocr_read:
            return self._ocr_read[key]
        stored = self._lookup("ocr", "image", context, key) if context else None
        if stored is not None:
            words = self._ocr_read[key] = json.loads(stored)
            return words
        words = self._ocr_read[key] = read()
        if context:
            self.entries.ocr.append((key, json.dumps(words, separators=(",", ":"))))
        return words


_current: CacheSession | None = None


def current() -> CacheSession | None:
    """The session of the document this process is working on (for OCR deep in an adapter)."""
    return _current


@dataclass
class CachedDocument:
    """A processed document as the cache keeps it."""

    #: The document's result (a :class:`~redactor.models.DocumentResult`, picklable).
    result: object
    #: Digest of the finding decisions that applied to its findings when it was processed.
    decisions: str
    #: Released path (relative to release/) -> sha256.
    outputs: dict[str, str]


class RunCache:
    """The parent's handle: writes entries, and finds documents a rerun need not process again.

    Entries are pickled; the file is the tool's own, in the output folder the officer controls,
    like everything else the run reads back (manifest, previous versions).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._carried: dict[str, list[tuple[str, ...]] | None] = {}
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT)
        try:
            self._conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError:
            # Not a database (damaged, or another program's file of that name): start again.
            self._conn.close()
            path.unlink()
            self._conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT)
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database (before the output folder is moved)."""
        self._conn.close()

    def _read(self, sql: str, params: tuple[object, ...]) -> tuple[object, ...] | None:
        try:
            return self._conn.execute(sql, params).fetchone()
        except sqlite3.Error:
            # Damaged since it was opened: treated as a miss, so the work is simply done again.
            log.warning("cache %s not readable", self.path, exc_info=True)
            return None

    def _write(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        """Write ``rows`` in one transaction, committed at once: a write transaction left open would
        lock out the workers reading the cache."""
        if not rows:
            return
        try:
            with self._conn:
                self._conn.executemany(sql, rows)
        except sqlite3.Error:
            # A full disk or a damaged file: the run goes on without remembering this.
            log.warning("cache %s not written", self.path, exc_info=True)

    def add(self, ref: CacheRef, entries: CacheEntries) -> None:
        """Store what a worker found."""
        if not entries:
            return
        for batch in entries.detection_batches():
            self._write("INSERT OR IGNORE INTO detections VALUES (?, ?, ?)",
                        [(ref.detection, k, v) for k, v in batch])
        self._write("INSERT OR IGNORE INTO ocr VALUES (?, ?, ?)", [(ref.ocr, k, v) for k, v in entries.ocr])

    def _load(self, table: str, key: str, kind: type) -> Any:
        """The object pickled under ``key`` in ``table`` when it is there, readable and a ``kind``.

        Unpickled from the database in pieces: a large mailbox's document entry is tens of
        megabytes, which would otherwise be held as one bytes object beside the objects made from it."""
        row = self._read(f"SELECT rowid FROM {table} WHERE key = ?", (key,))
        if row is None:
            return None
        try:
            with self._conn.blobopen(table, "value", row[0], readonly=True) as blob:
                value = pickle.load(io.BufferedReader(_BlobFile(blob), _PIECE))
        except Exception:  # damaged, unreadable, or of another version's classes: a miss
            log.debug("cache entry %s unreadable", key, exc_info=True)
            return None
        return value if isinstance(value, kind) else None

    def _store(self, table: str, key: str, value: object) -> None:
        """Pickle ``value`` under ``key`` in ``table``: to a temporary file first, copied into the row
        in pieces, not to one bytes object that sqlite then copies again (at the end of a large
        mailbox those two copies were the run's peak)."""
        try:
            with tempfile.TemporaryFile(dir=self.path.parent) as tmp:
                pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
                size = tmp.tell()
                tmp.seek(0)
                with self._conn:  # one transaction: a half-written entry is never committed
                    rowid = self._conn.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, zeroblob(?))",
                                               (key, size)).lastrowid
                    with self._conn.blobopen(table, "value", rowid) as blob:
                        while piece := tmp.read(_PIECE):
                            blob.write(piece)
        except (sqlite3.Error, OSError):
            # A full disk or a damaged file: the run goes on without remembering this.
            log.warning("cache %s not written", self.path, exc_info=True)

    def get_document(self, key: str) -> CachedDocument | None:
        """The entry stored under ``key``, if any and readable."""
        return self._load("documents", key, CachedDocument)

    def put_document(self, key: str, entry: CachedDocument) -> None:
        """Store a processed document."""
        self._store("documents", key, entry)

    def get_presence(self, key: str) -> tuple[str, set[str]] | None:
        """The last request-wide check of a released document: the key of the carried set it was
        checked against and the finding ids it found."""
        row = self._read("SELECT carried, found FROM checks WHERE key = ?", (key,))
        return None if row is None else (row[0], set(json.loads(row[1])))

    def put_presence(self, answers: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        """Remember request-wide checks' answers (key, carried set's key, finding ids found), in one
        transaction: a commit per document costs more than the check it records."""
        self._write("INSERT OR REPLACE INTO checks VALUES (?, ?, ?)",
                    [(key, carried, json.dumps(sorted(found))) for key, carried, found in answers])

    def get_hint(self, key: str) -> tuple[object, ...] | None:
        """The values carried to a document the last time (see :meth:`put_hint`)."""
        return self._load("hints", key, tuple)

    def put_hint(self, key: str, carried: tuple[object, ...]) -> None:
        """Remember the values a document (its task without them under ``key``) needed from others."""
        self._store("hints", key, carried)

    def get_carried(self, key: str) -> list[tuple[str, ...]] | None:
        """A carried set recorded by :meth:`put_carried`."""
        if key not in self._carried:
            row = self._read("SELECT value FROM carried WHERE key = ?", (key,))
            self._carried[key] = None if row is None else [tuple(item) for item in json.loads(row[0])]
        return self._carried[key]

    def put_carried(self, key: str, items: list[tuple[str, ...]]) -> None:
        """Record a run's carried values once (see api._CarriedSet.FIELDS)."""
        self._carried[key] = items
        self._write("INSERT OR IGNORE INTO carried VALUES (?, ?)", [(key, json.dumps(items))])


class _BlobFile(io.RawIOBase):
    """A sqlite blob read as a file (for :func:`pickle.load`, through a buffer)."""

    def __init__(self, blob: sqlite3.Blob) -> None:
        self._blob = blob

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._blob.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def files_match(folder: Path, outputs: dict[str, str], sha256_file: Callable[[Path], str]) -> bool:
    """Whether every file of ``outputs`` is in ``folder`` with the recorded sha256."""
    for rel, expected in outputs.items():
        path = folder / rel
        if not path.is_file() or path.is_symlink() or sha256_file(path) != expected:
            return False
    return True


def decisions_digest(finding_ids: Iterable[str], decided: dict[str, object]) -> str:
    """Digest of the finding decisions (id -> decision) that concern ``finding_ids``."""
    if not decided:
        # The ids are not even looked at: a large mailbox's findings would all be unpacked for it.
        return digest([])
    return digest(sorted((fid, repr(decided[fid])) for fid in set(finding_ids) if fid in decided))
