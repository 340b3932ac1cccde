"""The run: collect documents, process each (read, detect, decide, apply, verify), package.

Per-document work takes only picklable inputs (:class:`DocumentTask`) and
returns a small :class:`DocumentResult`, so it runs the same in this process,
in a process pool, or on a distributed executor. The parent alone writes the
package.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import functools
import itertools
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, ClassVar, Protocol

from . import __version__
from .cache import (
    CACHE_DIR,
    DB_NAME,
    CachedDocument,
    CacheEntries,
    CacheRef,
    CacheSession,
    RunCache,
    code_fingerprint,
    decisions_digest,
    digest,
    files_match,
)
from .decide import (
    CarriedList,
    CarriedValue,
    FindingsBuilder,
    apply_finding_decisions,
    build_findings,
    carried_values,
    move_carried_notes,
    redactions_for,
    same_removals,
    taken_from,
    value_key,
)
from .decisions import Decisions, load_decisions
from .detect.settings import analysis_settings, in_office, model_versions, with_terms
from .errors import (
    DETECTION_TIMED_OUT,
    DOCUMENT_TIMED_OUT,
    WORKER_STOPPED,
    DecisionsError,
    ExitCode,
    InputError,
    UnreadableDocument,
)
from .executors import ExecutorSpec, Fault, WorkerPool, default_jobs, extend_time_limit, map_ordered
from .formats import adapter_for
from .formats.attachments import beside_dir
from .formats.base import FormatAdapter, OpenDocument, ReadOptions, atomic_writer
from .formats.mbox import MboxParts
from .formats.ocr import ocr_settings
from .models import Action, Detection, DocumentResult, Finding, TextUnit, Withheld
from .package import (
    LOG_NAME,
    MANIFEST,
    RELEASE,
    RESUMED,
    REVIEW,
    abandon_stage,
    check_output_location,
    commit,
    findings_writer,
    keep_previous_version,
    log_rows,
    log_writer,
    mask,
    read_log,
    restore_interrupted_commit,
    scrub_log,
    sha256_file,
    staging_dir,
    take_over_stopped_runs,
    write_manifest,
)
from .package import _link_or_copy as link_or_copy
from .report import (
    Change,
    PreviousVersion,
    ReportInput,
    Snippet,
    diff_versions,
    load_previous,
    snippet,
    write_changes,
    write_report,
    write_response_letter,
)
from .rules import RuleSet, load_rules, portable_spec
from .settings import REQUEST_FILE, DetectionConfig, RequestSettings, load_request, request_terms
from .sliced import ContextSlices, FindingSlices, editing, pack, unpack
from .store import ResultStore, run_file, sweep_run_files, task_folder
from .verify import (
    Leak,
    PreparedSecrets,
    ReleasedText,
    Secret,
    SecretIndex,
    find_leaks_in_text,
    log_free_text,
    normalise,
    path_words,
    read_released,
    secrets_from_findings,
    text_reading,
)

log = logging.getLogger(__name__)


#: Operating-system files that are not records; listed in the manifest, never released.
SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini", ".localized"}


@dataclass(frozen=True)
class TimeLimit:
    """How long one document may be processed in a worker process: ``base`` seconds, plus
    ``per_page`` for each page of a PDF (an attached one too; OCR takes seconds a page), or ``per_mb``
    for each MB of any other file (a mailbox takes about 40 s a MB on a 2-core machine).

    A parser caught in a loop on a malformed file would otherwise hold the batch forever (results are
    handed on in order). Applies in a pool of workers (two jobs or more; a request of one document
    gets one worker for it), not with one job, where everything runs in the ``redact`` process."""

    base: float = 1800.0
    per_page: float = 60.0
    per_mb: float = 180.0


@dataclass(frozen=True)
class BatchOptions:
    """Options of ``redact batch``."""

    out_dir: Path | None = None
    rules: str | None = None
    decisions: Path | None = None
    #: Worker processes on this machine (1: all in this process); with ``executor="dask"``, unused.
    jobs: int = 1
    #: "local" (this machine) or "dask" (a dask.distributed cluster at ``scheduler``).
    executor: str = "local"
    scheduler: str | None = None
    dry_run: bool = False
    ocr: str = "auto"
    #: Detect only: write review/ (report, findings, decisions template) and no release/.
    scan: bool = False
    #: How long a document may take before its worker is stopped and it is withheld (None: no limit).
    time_limit: TimeLimit | None = TimeLimit()


@dataclass(frozen=True)
class DocumentTask:
    """Everything one document needs, picklable."""

    source: Path
    document: str
    release_dir: Path | None
    rules_spec: str
    config: DetectionConfig
    decisions: Decisions
    withhold: Withheld | None = None
    ocr: str = "auto"
    #: Values other documents of the request removed and this one shows (see _make_consistent).
    #: A tuple, or in the first round the request's values so far (see decide.CarriedList).
    carried: Sequence[CarriedValue] = ()
    #: Pages an officer's decision withholds in full (a PDF's), each with its code.
    withhold_pages: tuple[Withheld, ...] = ()
    #: Where the worker may read cached detections and OCR (None: no cache).
    cache: CacheRef | None = None
    #: Return the released files' bytes instead of writing them to ``release_dir`` (a worker on
    #: another machine: the parent alone writes the package).
    ship_outputs: bool = False
    #: How long the worker may take over it (see TimeLimit), when it has a limit.
    time_limit: TimeLimit | None = None


@dataclass
class BatchResult:
    """What a run produced and how it ends."""

    input_dir: Path
    out_dir: Path
    request: RequestSettings
    rules: RuleSet
    #: In document order; full results are read from disk one at a time (see :mod:`redactor.store`).
    results: ResultStore
    ignored: list[tuple[str, str]]
    leaks: list[Leak] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK
    dry_run: bool = False
    ocr: str = "auto"
    scan: bool = False
    #: This package's version number (1 for a new output folder; 0 for a dry run, which writes nothing).
    version: int = 0
    #: What changed in the release since the previous version.
    changes: list[Change] = field(default_factory=list)
    #: What the cache saved: documents reused, text units analysed and taken from the cache.
    cache: dict[str, int] = field(default_factory=dict)

    @property
    def withheld(self) -> list[Withheld]:
        """Documents kept out of release/."""
        return [r.withheld for r in self.results.light if r.withheld is not None]

    def count(self, action: Action) -> int:
        """Findings with ``action``."""
        return self.results.findings_with(action)


def default_out_dir(input_dir: Path) -> Path:
    """``./request-123`` -> ``./request-123-disclosure``."""
    resolved = input_dir.resolve()
    return resolved.parent / f"{resolved.name}-disclosure"


def collect_documents(input_dir: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Every record under ``input_dir`` in a stable order, and what is not a record and why."""
    documents, ignored = [], []
    paths: list[Path] = []
    # os.walk does not descend into linked folders, so nothing outside the request is read.
    for folder, dirnames, filenames in os.walk(input_dir, followlinks=False):
        base = Path(folder)
        paths.extend(base / d for d in dirnames if (base / d).is_symlink())
        paths.extend(base / f for f in filenames)
    for path in sorted(paths, key=lambda p: p.relative_to(input_dir).as_posix()):
        rel = path.relative_to(input_dir).as_posix()
        if path.is_symlink():
            ignored.append((rel, "symbolic link: not followed; copy the record itself into the folder"))
        elif not path.is_file():
            ignored.append((rel, "not a regular file"))
        elif rel == REQUEST_FILE:
            ignored.append((rel, "request settings (not a record)"))
        elif path.name.casefold() in SYSTEM_FILES or path.name.startswith("~$"):
            ignored.append((rel, "operating-system or lock file (not a record)"))
        else:
            documents.append((path, rel))
    return documents, ignored


@dataclass
class DocumentOutcome(DocumentResult):
    """A document's result with what only the review report needs: each finding's context and, for a
    PDF, the redaction boxes placed on each page (1-based page -> boxes in PDF coordinates)."""

    contexts: dict[str, Snippet] = field(default_factory=dict)
    boxes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    #: Released path (relative to release/) -> sha256, as verified.
    output_sha256: dict[str, str] = field(default_factory=dict)
    #: What the verifier read in each released file: the request-wide consistency check searches
    #: these instead of reading every released file again.
    readings: list[ReleasedText] = field(default_factory=list)
    #: New cache entries for the parent to store (emptied once stored).
    entries: CacheEntries | None = None
    #: The released files' bytes when the task shipped them (emptied once written).
    payload: dict[str, bytes] = field(default_factory=dict)
    #: Text units whose detections came from the cache / were analysed (for the run's log line).
    units_cached: int = 0
    units_analysed: int = 0
    #: The folded forms of the carried values the document took (see decide._propagate).
    carried_used: list[str] = field(default_factory=list)


def _contexts(units: dict[str, str], findings: list[Finding]) -> dict[str, Snippet]:
    out = {}
    for f in findings:
        text = units.get(f.location.unit_id)
        if text is not None and text[f.location.start:f.location.end] == f.text:
            out[f.id] = snippet(text, f.location.start, f.location.end)
    return out


def _placed_boxes(doc: object) -> dict[int, list[tuple[float, float, float, float]]]:
    # The PDF adapter records each box it applied; other formats have none. Plain tuples travel
    # back from a worker process more cheaply than PyMuPDF objects.
    applied = getattr(doc, "applied_boxes", None) or {}
    return {pno + 1: [(r.x0, r.y0, r.x1, r.y1) for r in rects] for pno, rects in sorted(applied.items()) if rects}


def _page_units(doc: object, fmt: str) -> int:
    """Pages as the progress bar and the benchmarks count them: a PDF page, a message of a mailbox,
    about 3,000 characters of a Word file, otherwise one per document."""
    if fmt == "pdf":
        return int(getattr(getattr(doc, "doc", None), "page_count", 1) or 1)
    if fmt == "mbox":
        return max(1, len(getattr(doc, "_spans", ()) or ()))
    if fmt == "docx":
        return max(1, -(-sum(len(u.text) for u in getattr(doc, "units", ())) // 3000))
    return 1


def process_document(task: DocumentTask) -> DocumentResult:
    """Read, detect, decide, apply and verify one document. Never raises for a bad document."""
    if task.ship_outputs and task.release_dir is not None:
        # Locked while the task runs: a worker killed in the middle leaves it, for the next task
        # on that machine to delete (its files are redacted, but not all verified yet).
        lock, scratch = task_folder()
        try:
            result = _process(replace(task, release_dir=scratch))
            assert isinstance(result, DocumentOutcome)
            result.payload = {rel: (scratch / rel).read_bytes() for rel in result.outputs}
            return result
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            os.close(lock)
    return _process(task)


def _process(task: DocumentTask) -> DocumentResult:
    with CacheSession(task.cache) as session:
        result = _process_in(task, session)
    if isinstance(result, DocumentOutcome):
        result.entries = session.entries or None
        result.units_cached, result.units_analysed = session.hits, session.misses
    _return_freed_memory()
    return result


def _return_freed_memory() -> None:
    """Give the memory a finished document freed back to the system (glibc's malloc_trim).

    glibc keeps freed memory for the process's next allocations; a worker that once held a large
    mailbox would stay that size for the rest of the run, and its memory would follow the largest
    documents it happened to get rather than the one it is working on. Elsewhere (another C
    library, another system) the trim does nothing.

    MuPDF keeps what it decoded (page images, fonts) in a store of up to 256 MB for reuse by the
    same document; across documents it is only growth (a worker kept about 10 MB of every scan it
    had read), so the store is emptied first. Items still in use stay."""
    pymupdf = sys.modules.get("pymupdf")
    if pymupdf is not None:
        pymupdf.TOOLS.store_shrink(100)
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def _process_in(task: DocumentTask, session: CacheSession) -> DocumentResult:
    digest = sha256_file(task.source)
    adapter = adapter_for(task.source)
    fmt = _format_name(task.source, adapter)
    result = DocumentOutcome(document=task.document, input_sha256=digest, format=fmt, status="withheld")
    if task.withhold is not None:
        result.withheld = task.withhold
        return result
    if adapter is None:
        suffix = task.source.suffix.lower() or "(no extension)"
        result.withheld = Withheld(task.document, "unsupported format",
                                   f"{suffix} files are not processed by this version of redact; "
                                   "withheld for manual review")
        return result
    rules = load_rules(task.rules_spec)
    options = _read_options(task, fmt)
    doc: OpenDocument | None = None
    try:
        parts = MboxParts(task.source, options, MBOX_PART) if fmt == "mbox" else None
        if parts is None or len(parts) <= 1:
            parts = None
            doc = adapter.open(task.source, options)
    except UnreadableDocument as exc:
        result.withheld = Withheld(task.document, exc.reason, exc.message)
        return result
    except Exception as exc:  # a reader crash on a malformed file must not stop the batch
        log.debug("reader failed on %s", task.document, exc_info=True)
        result.withheld = Withheld(task.document, "unreadable", f"could not be read: {type(exc).__name__}: {exc}")
        return result
    out_path = task.release_dir / task.document if task.release_dir is not None else None
    written: list[Path] | None = None
    try:
        findings: Sequence[Finding]
        contexts: Mapping[str, Snippet]
        if parts is not None:
            findings, contexts, written, shown = _in_parts(task, session, result, parts, rules, out_path)
        else:
            assert doc is not None
            result.units = len(doc.units)
            result.pages = _page_units(doc, fmt)
            detections = _detections(task, session, doc)
            result.parts_withheld = doc.withheld_parts()
            result.notes = list(getattr(doc, "notes", []))
            used: set[str] = set()
            findings = _decided_findings(task, doc, detections, rules, task.carried, used)
            result.carried_used = sorted(used)
            contexts = _contexts({u.unit_id: u.text for u in doc.units}, findings)
        result.findings = findings
        result.contexts = contexts
        if task.release_dir is None or out_path is None:
            result.status = "dry-run"
            return result
        secrets = secrets_from_findings(f.to_json() for f in findings).get(task.document, [])
        named = find_leaks_in_text(path_words(task.document), secrets, task.document, by_case=False)
        if named:
            # A released file keeps its name: a name or number in it would be released too.
            if written:
                _remove_outputs(written, task.release_dir)
            result.withheld = Withheld(task.document, "file name",
                                       "the file name contains a value redacted in the document (findings "
                                       f"{', '.join(sorted({leak.finding_id for leak in named}))}); rename the "
                                       "file in the request folder and run again")
            return result
        pages = {w.page: rules.marker(w.code) for w in task.withhold_pages if w.page is not None and w.code}
        if doc is not None:
            if pages:
                doc.withhold_pages(pages)
                result.pages_withheld = list(task.withhold_pages)
            written = doc.write_redacted(redactions_for(findings, rules), out_path)
            result.boxes = _placed_boxes(doc)
            shown = _images_shown(doc.units, findings, task.document)
        elif pages:
            raise NotImplementedError("MboxDocument has no pages")  # as a mailbox read whole says
        assert written is not None
        readings = [read_released(path, task.document) for path in written]
        leaks = [leak for reading in readings for leak in reading.leaks(secrets)]
        leaks += _page_leftovers(written[0], pages, task.document)
        # Attachments are released under their own names, which must hold no redacted value either.
        leaks += [leak for path in written[1:]
                  for leak in find_leaks_in_text(path_words(path.relative_to(task.release_dir).as_posix()),
                                                 secrets, task.document, by_case=False)]
        if leaks:
            _remove_outputs(written, task.release_dir)
            result.leaks = sorted({leak.finding_id for leak in leaks})
            result.withheld = Withheld(task.document, "leak detected",
                                       "verification found redacted values in the output "
                                       f"(findings {', '.join(result.leaks)}); withheld")
            return result
        result.outputs = [p.relative_to(task.release_dir).as_posix() for p in written]
        result.output_sha256 = {rel: sha256_file(task.release_dir / rel) for rel in result.outputs}
        result.readings = readings + shown
        result.status = "released"
        return result
    except Exception as exc:
        if out_of_space(exc):
            raise  # not this document's fault: every one after it would fail the same way (run_batch says so)
        if isinstance(exc, UnreadableDocument):  # refused on the way: its text cannot be analysed
            reason, detail = exc.reason, exc.message
        else:
            log.error("internal error on %s:\n%s", task.document, traceback.format_exc())
            reason = "internal error"
            detail = f"processing failed ({type(exc).__name__}: {exc}); withheld for manual review"
        result.findings = []
        if task.release_dir is not None and out_path is not None:
            # Whatever the writer had put down: the copy (an Outlook file is released as .msg.eml)
            # and the attachments beside it.
            outputs = [out_path, out_path.with_name(out_path.name + ".eml")]
            _remove_outputs([*outputs, *(p for o in outputs for p in beside_dir(o).glob("**/*"))], task.release_dir)
        result.withheld = Withheld(task.document, reason, detail)
        return result
    finally:
        if doc is not None:
            doc.close()


def _read_options(task: DocumentTask, fmt: str) -> ReadOptions:
    """How the document is read; with a time limit, more time for a larger document: by its PDF
    pages (attached ones too) when they are known, before they are read; by its size for any
    other file."""
    grow = None
    if task.time_limit is not None:
        grow = functools.partial(_more_time, task.time_limit.per_page)
        if fmt != "pdf":
            extend_time_limit(task.time_limit.per_mb * task.source.stat().st_size / 1e6)
    return ReadOptions(ocr=task.ocr, on_pages=grow)


#: Messages of a mailbox read at a time: a larger one is processed in parts of this many (see
#: :func:`_in_parts`), so a worker holds one part's text and parsed messages, not the mailbox's.
MBOX_PART = 250


@dataclass
class LookAhead:
    """A first look at a document (see :meth:`_Run._look_ahead`): the values it removes by itself,
    and what the look added to the cache (its processing then finds its detections there)."""

    values: list[CarriedValue]
    entries: CacheEntries | None
    units_cached: int
    units_analysed: int


def look_ahead(task: DocumentTask) -> LookAhead | None:
    """Read and detect only: the values ``task``'s document removes by itself, as its processing
    would find them with nothing carried to it. None when that is not worth telling ahead or cannot
    be told: no cache to pass the detections on to its processing (a Dask worker that does not see
    the output folder would analyse the document twice), a mailbox read in parts, a file the
    readers refuse (its processing withholds it, with the reason)."""
    adapter = adapter_for(task.source)
    if adapter is None or task.withhold is not None:
        return None
    fmt = _format_name(task.source, adapter)
    with CacheSession(task.cache) as session:
        if not session.readable:
            return None
        doc: OpenDocument | None = None
        try:
            options = _read_options(task, fmt)
            if fmt == "mbox" and len(MboxParts(task.source, options, MBOX_PART)) > 1:
                return None
            doc = adapter.open(task.source, options)
            findings = _decided_findings(task, doc, _detections(task, session, doc), load_rules(task.rules_spec),
                                         (), set())
        except Exception as exc:
            if out_of_space(exc):
                raise
            log.debug("no look ahead at %s", task.document, exc_info=True)
            return None
        finally:
            if doc is not None:
                doc.close()
        seen = LookAhead(carried_values(findings), session.entries or None, session.hits, session.misses)
    _return_freed_memory()
    return seen


def _decided_findings(task: DocumentTask, doc: OpenDocument, detections: list[list[Detection]], rules: RuleSet,
                      carried: Sequence[CarriedValue], used: set[str]) -> list[Finding]:
    """A document read whole: its findings with the officer's decisions applied. One function for
    its processing and its look ahead, so the values the look learns are those processing removes."""
    findings = build_findings(task.document, doc, detections, rules, task.config.never_redact, carried, used,
                              task.config.public_domains)
    apply_finding_decisions(findings, task.decisions.findings, rules)
    return findings


def _detections(task: DocumentTask, session: CacheSession, doc: OpenDocument) -> list[list[Detection]]:
    """Each unit's detections: the engine's (cached), the request's terms, the officials named in office,
    and what the format knows."""
    texts = [u.text for u in doc.units]
    analysed = session.detections([u.lead + u.text for u in doc.units], lambda todo: _analyze(todo, task.config))
    analysed = [_after_lead(dets, u) if u.lead else dets for u, dets in zip(doc.units, analysed, strict=True)]
    detections = [with_terms(text, dets, task.config) + in_office(text, task.config)
                  for text, dets in zip(texts, analysed, strict=True)]
    known = doc.adapter_detections()
    return [dets + known.get(unit.unit_id, []) for unit, dets in zip(doc.units, detections, strict=True)]


def _in_parts(task: DocumentTask, session: CacheSession, result: DocumentOutcome, parts: MboxParts,
              rules: RuleSet, out_path: Path | None,
              ) -> tuple[FindingSlices, ContextSlices, list[Path] | None, list[ReleasedText]]:
    """A large mailbox's findings, a part (a run of messages) at a time; with ``out_path``, its
    released copy written part by part. Returns the findings and their contexts (compressed, a
    slice a part: see sliced.py), the files written (the mailbox first) and what its released
    images show.

    Findings depend on the whole document (see decide.FindingsBuilder), so the parts are gone over
    in passes. Each part is read and analysed once, then put aside in temporary files (pickled and
    compressed, its attachments closed with their temporary copies kept): its units and detections
    for the passes that need only them, and the part as read for the last pass, which locates its
    findings and writes its messages. Only one part is in memory at a time."""
    builder = FindingsBuilder(task.document, rules, task.config.never_redact, task.carried,
                              used := set(), task.config.public_domains)
    result.pages = parts.messages
    result.notes = [parts.note]
    result.units = 0
    copies: list[Path] = []  # the parts' attachments' temporary copies, removed whatever happens
    try:
        with tempfile.TemporaryFile(prefix="redact-units-") as texts, \
                tempfile.TemporaryFile(prefix="redact-parts-") as read:
            for k in range(len(parts)):
                doc = parts.open(k)
                try:
                    detections = _detections(task, session, doc)
                    result.units += len(doc.units)
                    result.parts_withheld.extend(doc.withheld_parts())
                    result.notes.extend(doc.notes)
                    builder.read_words(doc.units, detections)
                    _put_aside(texts, (doc.units, detections))
                    copies.extend(doc.put_away())
                    _put_aside(read, doc)
                except BaseException:
                    doc.close()
                    raise
                del doc
                # What the part freed goes back to the system now, not at the end of the mailbox:
                # glibc keeps it otherwise, and the passes after hold more than it can reuse.
                _return_freed_memory()
            for units, detections in _taken_up(texts, len(parts)):
                builder.read_values(units, detections)
            if builder.needs_offers:
                for units, detections in _taken_up(texts, len(parts)):
                    builder.read_offers(units, detections)
            findings = FindingSlices()
            contexts = ContextSlices()
            shown: list[ReleasedText] = []
            written: list[Path] = []
            with contextlib.ExitStack() as stack:
                out = stack.enter_context(atomic_writer(out_path)) if out_path is not None else None
                # Not zip(): it keeps its last pair, so the part before would still be held.
                taken = _taken_up(read, len(parts))
                for units, detections in _taken_up(texts, len(parts)):
                    doc = next(taken)
                    try:
                        found = builder.findings(units, detections, doc.locate, doc.holds_own_text)
                        apply_finding_decisions(found, task.decisions.findings, rules)
                        contexts.add(_contexts({u.unit_id: u.text for u in units}, found))
                        findings.add(found)
                        if out is not None and out_path is not None:
                            written.extend(doc.write_messages(redactions_for(found, rules), out, out_path))
                            shown.extend(_images_shown(units, found, task.document))
                    finally:
                        doc.close()
                    del doc  # before the next part is taken up
                    _return_freed_memory()
    finally:
        for folder in copies:
            shutil.rmtree(folder, ignore_errors=True)
    result.carried_used = sorted(used)
    return findings, contexts, ([out_path, *written] if out_path is not None else None), shown


def _after_lead(detections: list[Detection], unit: TextUnit) -> list[Detection]:
    """Detections in ``unit.lead + unit.text`` as detections in the unit's text: those within the
    lead are dropped (it is another unit's text, found there), one running into the unit keeps
    the unit's part of it."""
    lead = len(unit.lead)
    kept = []
    for d in detections:
        if d.end > lead:
            start, end = max(d.start - lead, 0), d.end - lead
            kept.append(replace(d, start=start, end=end, text=unit.text[start:end]))
    return kept


def _put_aside(fh: IO[bytes], item: object) -> None:
    data = pack(item)
    fh.write(len(data).to_bytes(8, "little"))
    fh.write(data)


def _taken_up(fh: IO[bytes], count: int) -> Iterator[Any]:
    """The items :func:`_put_aside` wrote, from the first."""
    fh.seek(0)
    for _ in range(count):
        size = int.from_bytes(fh.read(8), "little")
        yield unpack(fh.read(size))


def _images_shown(units: Iterable[TextUnit], findings: list[Finding], document: str) -> list[ReleasedText]:
    """What the released images of a document show, as OCR read them: the text of its OCR units
    without the spans removed from them.

    The verifier reads a released file's text, not its pixels: without this, a value removed in
    another document would never be looked for on a scanned page, and would stay there. Only the
    request-wide search uses it (the document's own values are checked by their boxes)."""
    images = [u for u in units if u.ocr]
    if not images:
        return []
    removed: dict[str, list[tuple[int, int]]] = {}
    for f in findings:
        if f.action.removes:
            removed.setdefault(f.location.unit_id, []).append((f.location.start, f.location.end))
    shown = []
    for unit in images:
        pos = 0
        for start, end in sorted(removed.get(unit.unit_id, ())):
            shown.append(unit.text[pos:start] if start > pos else "")
            pos = max(pos, end)
        shown.append(unit.text[pos:])
    # A line break where a span was cut, so the text either side does not join into a value.
    return [text_reading(f"{document}: text read by OCR", "\n".join(shown))]


def _analyze(texts: list[str], config: DetectionConfig) -> list[list[Detection]]:
    """The engine's analysis; imported here, when a text is not in the cache (see detect.settings)."""
    from .detect.engine import get_engine

    return get_engine().analyze_many(texts, config)


def _remove_outputs(paths: list[Path], release_dir: Path) -> None:
    """Delete a withheld document's outputs, and the folders they leave empty (never release/ itself)."""
    for path in paths:
        if path.is_file() or path.is_symlink():
            path.unlink()
    for folder in sorted({p.parent for p in paths}, key=lambda p: len(p.parts), reverse=True):
        while folder != release_dir and release_dir in folder.parents:
            try:
                folder.rmdir()
            except OSError:  # not empty: it holds other documents' outputs
                break
            folder = folder.parent


def _page_leftovers(path: Path, pages: dict[int, str], document: str) -> list[Leak]:
    """A page withheld by decision must come out empty but for its marker, read by another engine."""
    from .verify_pdf import withheld_page_leftovers

    return [Leak(document, f"page {number}", f"withheld page still shows {', '.join(left)}")
            for number, marker in sorted(pages.items())
            if (left := withheld_page_leftovers(path, number, marker))]


def _format_name(source: Path, adapter: FormatAdapter | None) -> str:
    """The format a result records: its adapter's, or for a file none reads, its suffix."""
    return adapter.name if adapter else (source.suffix.lower().lstrip(".") or "unknown")


def _more_time(per_page: float, pages: int) -> None:
    extend_time_limit(per_page * pages)


def _page_count(path: Path) -> int | None:
    """Pages of a PDF, or None when it cannot be opened here (the worker will say why)."""
    import pymupdf

    try:
        with pymupdf.open(path, filetype="pdf") as doc:
            return None if doc.needs_pass else doc.page_count
    except Exception:
        return None


def _plan_withholds(decisions: Decisions, documents: list[tuple[Path, str]], rules: RuleSet,
                    ) -> tuple[dict[str, Withheld], dict[str, tuple[Withheld, ...]]]:
    """Documents withheld in full by decision, and pages of PDFs withheld in full."""
    names = {rel for _, rel in documents}
    plan: dict[str, Withheld] = {}
    pages: dict[str, list[Withheld]] = {}
    for item, line in decisions.withholds:
        if item.document not in names:
            raise DecisionsError(f"{decisions.where(line)}: no document {item.document!r} in the request",
                                 hint="use the path relative to the request folder, as in findings.jsonl")
        detail = item.note or f"Withheld in full under {item.code}: {rules.code(item.code).title}."
        if item.page is not None:
            path = next(p for p, rel in documents if rel == item.document)
            adapter = adapter_for(path)
            if adapter is not None and adapter.name == "pdf":
                count = _page_count(path)
                if count is not None and item.page > count:
                    raise DecisionsError(f"{decisions.where(line)}: {item.document} has {count} page(s); "
                                         f"there is no page {item.page}")
                pages.setdefault(item.document, []).append(
                    Withheld(item.document, "decision", detail, code=item.code, page=item.page))
                continue
            if adapter is not None:
                raise DecisionsError(f"{decisions.where(line)}: {item.document} has no pages "
                                     f"({adapter.name} format); withhold the whole document (omit 'page')")
        plan[item.document] = Withheld(item.document, "decision", detail, code=item.code)
    return plan, {doc: tuple(sorted(ws, key=lambda w: w.page or 0)) for doc, ws in pages.items()}


def _check_decided_ids(decisions: Decisions, results: ResultStore) -> None:
    # The run's stores watch the decided ids: which results hold them was noted as they arrived.
    unknown = set(decisions.findings) - results.watched_present()
    withheld = any(r.withheld is not None for r in results.light)
    for fid, (_, line) in decisions.findings.items():
        if fid in unknown:
            maybe = " (it may belong to a document withheld in this run)" if withheld else ""
            raise DecisionsError(f"{decisions.where(line)}: unknown finding id {fid!r}{maybe}",
                                 hint="copy ids from review/findings.jsonl or review/decisions.template.yaml")


def _exit_code(store: ResultStore, leaks: list[Leak]) -> ExitCode:
    results = store.light
    if leaks or any(r.leaks for r in results):
        return ExitCode.LEAK_DETECTED
    if any(r.withheld and r.withheld.reason == "internal error" for r in results):
        return ExitCode.INTERNAL_ERROR
    if any(r.withheld and r.withheld.reason != "decision" for r in results) or any(r.parts_withheld
                                                                                  for r in results):
        return ExitCode.WITHHELD_FOR_REVIEW
    return ExitCode.OK


class Progress(Protocol):
    """What a caller (the CLI's progress bar) is told while documents are processed."""

    def start(self, documents: int) -> None:
        """``documents`` are about to be processed."""

    def done(self, result: DocumentResult) -> None:
        """One document finished (in completion order)."""

    # Optional (looked up, so a caller may leave it out):
    # ``looked(done: int, of: int)``: before the documents are processed, ``done`` of the ``of``
    # documents read ahead for their values (see _Run._look_ahead).


def run_batch(input_dir: Path, options: BatchOptions, progress: Progress | None = None) -> BatchResult:
    """Process a request folder into a disclosure package (or, with dry_run, only report)."""
    if not input_dir.is_dir():
        raise InputError(f"input folder not found: {input_dir}")
    input_dir = input_dir.resolve()
    out_dir = (options.out_dir or default_out_dir(input_dir)).resolve()
    check_output_location(input_dir, out_dir)
    request, request_doc = load_request(input_dir)
    rules = load_rules(options.rules or request.rules)
    decisions = load_decisions(options.decisions, rules) if options.decisions else Decisions.empty()
    terms = tuple(request_terms(request, request_doc, rules)) + decisions.terms
    config = DetectionConfig(public_names=tuple(request.public_names), public_domains=tuple(request.public_domains),
                             never_redact=tuple(request.never_redact), terms=terms)
    documents, ignored = collect_documents(input_dir)
    if not documents:
        raise InputError(f"no records found in {input_dir}",
                         hint="put the emails, PDFs, Word and text files that answer the request in that folder")
    for warning in large_mailboxes(documents):
        log.warning("%s", warning)
    withholds, page_withholds = _plan_withholds(decisions, documents, rules)
    input_hashes_before = {rel: sha256_file(p) for p, rel in documents}

    stage = None if options.dry_run else staging_dir(out_dir, release=not options.scan)
    if stage is not None and (restored := restore_interrupted_commit(out_dir)) is not None:
        log.warning("the last run was stopped while it replaced the package: the package before it was put "
                    "back from %s", restored.name)
    taken = take_over_stopped_runs(out_dir, stage) if stage is not None else None
    if out_dir.parent.is_dir():
        sweep_run_files(out_dir.parent)
    if taken is not None:
        log.info("taking over what a stopped run had done (%s)", taken.name)
    release_dir = None if stage is None or options.scan else stage / RELEASE
    run = _Run(out_dir, stage, release_dir, options, decisions, input_hashes_before,
               _cache_ref(out_dir, stage, rules, config))
    tasks = [DocumentTask(p, rel, release_dir, portable_spec(rules), config, decisions, withholds.get(rel), options.ocr,
                          withhold_pages=page_withholds.get(rel, ()), cache=run.ref,
                          ship_outputs=options.executor == "dask",
                          time_limit=options.time_limit)
             for p, rel in documents]
    try:
        if progress is not None:
            progress.start(len(tasks))
        results = run.process(tasks, progress)
        if release_dir is not None:
            results = _make_consistent(run, tasks, results, config.never_redact)
        # No worker is needed any more: their memory (the model, each) goes back before the package
        # is written, the parent's largest step on a large request.
        run.pool.close()
        stats = run.stats(results)
        _check_decided_ids(decisions, results)
        batch = BatchResult(input_dir, out_dir, request, rules, results, ignored, dry_run=options.dry_run,
                            ocr=options.ocr, scan=options.scan, cache=stats)
        if stage is not None:
            previous = load_previous(out_dir)
            _write_package(batch, stage, decisions, input_hashes_before, previous,
                           run.ref.path.parent / "pages" if run.ref.path is not None else None)
            if previous is not None:
                keep_previous_version(out_dir, stage, previous.version)
            run.close()
            _carry_cache(out_dir, stage)
            commit(stage, out_dir)
            stage = None
        batch.exit_code = _exit_code(results, batch.leaks)
        return batch
    except BaseException as exc:
        run.close()
        if stage is not None and stage.exists():
            # A failed run keeps what it learnt: the cache goes back where the next run looks (the
            # output folder, or for a first run this staging folder, which the next run takes over),
            # and the files it had released stay here for the next run to take over.
            _carry_cache(stage, out_dir)
            kept = abandon_stage(stage, out_dir)
            if kept is not None:
                exc.add_note(f"what was done so far is kept in {kept}: the same command picks up from there")
        if out_of_space(exc):
            full = InputError(f"the disk holding {out_dir.parent} ran out of space while the package was written; "
                              "nothing was released",
                              hint="free some space there, or write the package to another disk with --out "
                                   "(it takes about as much space as the records, and as much again while a "
                                   "previous version is kept)")
            for note in getattr(exc, "__notes__", ()):
                full.add_note(note)
            raise full from exc
        raise
    finally:
        run.close()  # a dry run's pool and cache (the other ways out closed them already)


#: An mbox is one document, processed by one worker a run of messages at a time (MBOX_PART), its
#: findings kept compressed. Measured with `make bench` (mailbox phase): about 270 MB plus 3 MB per MB
#: of mailbox; reckoned at 4, for mail with more to find than the benchmark's.
_MBOX_MB_BASE, _MBOX_MB_PER_MB = 270, 4
#: A mailbox expected to need more than this (the memory a run is meant to stay within) is pointed out.
_MBOX_WARN_MB = 1500


def large_mailboxes(documents: Iterable[tuple[Path, str]]) -> list[str]:
    """Warnings for .mbox files so large that one worker would need more memory than a run is meant to
    use: before the run, when the officer can still split the export, not hours in."""
    warnings = []
    for path, rel in documents:
        if path.suffix.lower() != ".mbox":
            continue
        size_mb = path.stat().st_size / 1e6
        need = _MBOX_MB_BASE + _MBOX_MB_PER_MB * size_mb
        if need > _MBOX_WARN_MB:
            warnings.append(f"{rel} is a {size_mb:,.0f} MB mailbox: an .mbox is one document, processed by one "
                            f"worker on one core, which would need about {need / 1000:,.1f} GB of memory for it; "
                            "exported as several smaller .mbox files (by month, say), or as .eml files, it is "
                            "spread over the cores and memory stays bounded")
    return warnings


def out_of_space(exc: BaseException) -> bool:
    """A write failed because the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _cache_ref(out_dir: Path, stage: Path | None, rules: RuleSet, config: DetectionConfig) -> CacheRef:
    """Where this run's cache is and the contexts its entries are keyed by.

    The cache lives in the output folder; a new output folder's cache starts in the staging folder
    and moves with it. A dry run reads an existing cache and writes nothing.
    """
    existing = out_dir / CACHE_DIR / DB_NAME
    if existing.is_file() or stage is None:
        path: Path | None = existing if existing.is_file() else None
    else:
        path = stage / CACHE_DIR / DB_NAME
    code = code_fingerprint()
    return CacheRef(path,
                    detection=digest({"code": code, "models": model_versions(), "rules": rules.sha256,
                                      "settings": analysis_settings(config)}),
                    ocr=digest({"code": code, "ocr": ocr_settings()}))


def _carry_cache(src_dir: Path, dst_dir: Path) -> None:
    """Move ``src_dir/.cache`` to ``dst_dir/.cache`` when only the former exists."""
    src, dst = src_dir / CACHE_DIR, dst_dir / CACHE_DIR
    if src.is_dir() and not dst.exists() and dst_dir.is_dir():
        try:
            src.rename(dst)
        except OSError:
            log.debug("could not move the cache to %s", dst, exc_info=True)


class _Lazy(Sequence[DocumentTask]):
    """Tasks made when asked for: a task sent to a worker can then carry what the results before
    it taught (the executors ask for each item once, when they send it)."""

    def __init__(self, count: int, make: Callable[[int], DocumentTask]) -> None:
        self._count = count
        self._make = make

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> DocumentTask:  # type: ignore[override]
        if not 0 <= index < self._count:
            raise IndexError(index)
        return self._make(index)


#: Withheld for a reason the next run may not have (a bug fixed, a machine less busy): processed again.
_NOT_REMEMBERED = ("internal error", DETECTION_TIMED_OUT, DOCUMENT_TIMED_OUT, WORKER_STOPPED)

#: At most this many values files a run (see _Run._share); the values learnt after are sent inline.
_VALUES_FILES = 8


class _Run:
    """A run's moving parts: the executor, the cache, and the parent's writes of shipped files."""

    def __init__(self, out_dir: Path, stage: Path | None, release_dir: Path | None, options: BatchOptions,
                 decisions: Decisions, input_sha256: dict[str, str], ref: CacheRef) -> None:
        self.previous_release = out_dir / RELEASE
        #: What a stopped run had released, when this run took it over (see take_over_stopped_runs).
        self.resumed_release = stage / RESUMED if stage is not None and (stage / RESUMED).is_dir() else None
        self.release_dir = release_dir
        self.options = options
        self.spec = ExecutorSpec(kind=options.executor, jobs=options.jobs, scheduler=options.scheduler)
        # One pool of this machine's workers for every round of the run (documents, documents again
        # with carried values, searches): started at first use, its workers load the model once. No
        # more workers than documents: no round has more items than that.
        self.pool = WorkerPool(max(1, min(options.jobs if options.executor == "local" else default_jobs(),
                                          len(input_sha256))))
        self.decided = {fid: item for fid, (item, _) in decisions.findings.items()}
        self.input_sha256 = input_sha256
        self.ref = ref
        # A dry run writes nothing, so it keeps no cache either (it still reads one).
        self.cache = RunCache(ref.path) if ref.path is not None and stage is not None else None
        self.reused = self.units_analysed = self.units_cached = 0
        #: Documents reused with the values carried to them last time (document -> those values).
        self.hinted: dict[str, tuple[CarriedValue, ...]] = {}
        #: Whether a document may be taken with last time's carried values, or given those the
        #: documents before it removed (the first round only).
        self.hints = True
        #: The values the documents so far removed, as the request-wide check would carry them (the
        #: first finding of each, in task order), as the tasks are given them (a copy each time they
        #: grew), and the place of each in it (by folded value).
        self._known_list = CarriedList()
        self._known_at: dict[str, int] = {}
        self._known_now: CarriedList | None = None
        #: Documents read ahead (see _look_ahead): the units their look found cached and analysed.
        self._looked: dict[str, tuple[int, int]] = {}
        #: The files the values handed to tasks were written to (see _share), and whether the look
        #: ahead brought values back (they then rarely grow after the first tasks are sent).
        self._values_files: list[tuple[int, str]] = []
        self._read_ahead = False
        #: Per earlier carried set (by key): the ids of this run's carried values not in it.
        self._new_since: dict[str, set[str] | None] = {}
        # The results spool sits beside the output (the file system the officer chose for the records).
        self.spool_dir = out_dir.parent if out_dir.parent.is_dir() else None

    def close(self) -> None:
        self.pool.close()
        for fd, name in self._values_files:
            Path(name).unlink(missing_ok=True)
            os.close(fd)
        self._values_files.clear()
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    def _key(self, task: DocumentTask) -> str:
        return digest({"ref": [self.ref.detection, self.ref.ocr], "document": task.document,
                       "input": self.input_sha256.get(task.document), "terms": repr(task.config.terms),
                       "withhold": repr(task.withhold), "pages": repr(task.withhold_pages),
                       "carried": repr(task.carried), "ocr": task.ocr,
                       "mode": "scan" if task.release_dir is None else "release"})

    def _reuse(self, task: DocumentTask) -> tuple[DocumentTask, DocumentResult | None]:
        """The task as it is to run, and the document as the last run left it when nothing it
        depends on has changed since (None otherwise).

        A document the last run processed again with values carried from other documents runs (or
        is taken as it was released) with those values, so it is not processed twice:
        :func:`_make_consistent` then checks that they are still the request's."""
        if self.cache is None or task.withhold is not None:
            return task, None
        result = self._reuse_as(task)
        hint = self._hint(task) if result is None else ()
        if not hint:
            return task, result
        self.hinted[task.document] = hint
        task = replace(task, carried=hint)
        return task, self._reuse_as(task)

    def _hint(self, task: DocumentTask) -> tuple[CarriedValue, ...]:
        """The values other documents gave this one last time (first round only)."""
        if self.cache is None or task.carried or not self.hints:
            return ()
        return tuple(self.cache.get_hint(self._key(task)) or ())  # type: ignore[arg-type]

    def _reuse_as(self, task: DocumentTask) -> DocumentResult | None:
        assert self.cache is not None
        entry = self.cache.get_document(self._key(task))
        if entry is None or not isinstance(entry.result, DocumentOutcome):
            return None
        result = entry.result
        if decisions_digest((f.id for f in result.findings), self.decided) != entry.decisions:
            return None
        if self.release_dir is not None:
            source = next((folder for folder in (self.previous_release, self.resumed_release)
                           if folder is not None and files_match(folder, entry.outputs, sha256_file)), None)
            if source is None:
                return None
            for rel in entry.outputs:
                self._place(rel, lambda target, rel=rel, source=source: link_or_copy(str(source / rel), str(target)))
        self.reused += 1
        result.units_cached = result.units_analysed = 0  # nothing was looked at this time
        return result

    def _place(self, rel: str, write: Callable[[Path], object]) -> None:
        """Put a released file at ``rel`` in the staged release, replacing one an earlier round left."""
        assert self.release_dir is not None
        target = self.release_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        write(target)

    def _arrived(self, task: DocumentTask, result: DocumentResult) -> None:
        """Write what the worker shipped and store what it learnt (the parent alone writes)."""
        if not isinstance(result, DocumentOutcome):
            return
        if result.payload and self.release_dir is not None:
            for rel, data in result.payload.items():
                self._place(rel, lambda target, data=data: target.write_bytes(data))
        result.payload = {}
        entries, result.entries = result.entries, None
        if self.cache is not None and entries:
            self.cache.add(self.ref, entries)
        self.remember(task, result)

    def remember(self, task: DocumentTask, result: DocumentResult) -> None:
        """Keep ``result`` as what ``task`` gives, for the next run to reuse."""
        if self.cache is None:
            return
        if task.withhold is None and not (result.withheld and result.withheld.reason in _NOT_REMEMBERED):
            # Stored as it arrived, before the run adds anything to it, so a reuse is exactly what
            # processing the same task again would return.
            self.cache.put_document(self._key(task), CachedDocument(
                result, decisions_digest((f.id for f in result.findings), self.decided), result.output_sha256))
            if task.carried:
                # Next time, start from the values this document needed from the others.
                self.cache.put_hint(self._key(replace(task, carried=())), task.carried)

    def process(self, tasks: list[DocumentTask], progress: Progress | None = None) -> ResultStore:
        """Each task's result in task order: reused from the cache where possible, else processed.
        Results go to a store on disk as they arrive, so memory holds only those in flight."""
        store = ResultStore(folder=self.spool_dir, watch=self.decided)
        done = progress.done if progress is not None else None
        reused: dict[int, DocumentResult] = {}
        todo: list[int] = []
        tasks = list(tasks)
        for i, task in enumerate(tasks):
            tasks[i], result = self._reuse(task)
            if result is None:
                todo.append(i)
            else:
                reused[i] = result
                if done is not None:
                    done(result)
        learning = self.hints and self.release_dir is not None
        given: set[int] = set()
        stopped = self._look_ahead(tasks, todo, reused, progress) if learning else {}
        if stopped:
            reused.update(stopped)
            todo = [i for i in todo if i not in stopped]
            for result in stopped.values():
                if done is not None:
                    done(result)

        def handed(j: int) -> DocumentTask:
            """The ``j``-th task to process, made as it is sent: in the first round, with the values
            the documents before it removed (see :meth:`_given`)."""
            i = todo[j]
            if learning and self._known_list and not tasks[i].carried and tasks[i].withhold is None:
                if self._known_now is None:  # one list for the tasks sent between two results
                    self._known_now = self._known_list.copy()
                    self._share(self._known_now)
                tasks[i] = replace(tasks[i], carried=self._known_now)
                given.add(i)
            return tasks[i]
        fresh = zip(todo, map_ordered(process_document, _Lazy(len(todo), handed), self.spec, done, pool=self.pool,
                                      **self._guarded), strict=True)
        pending = next(fresh, None)
        slow: list[int] = []
        for i, task in enumerate(tasks):
            processed = i not in reused
            if not processed:
                result = reused.pop(i)
            else:
                assert pending is not None and pending[0] == i
                result = pending[1]
                if len(self.input_sha256) == 1:
                    # The request's only document: no later round needs the workers, and the one
                    # that processed it (the model, and what the document left it) would otherwise
                    # sit beside this process while it stores the result and writes the package.
                    self.pool.close()
                if i in given:
                    # Held from here with the values it used only (the memory a task holds stays small).
                    task = tasks[i] = self._given(tasks[i], result)
                self._arrived(task, result)
                if result.withheld is not None and result.withheld.reason == DETECTION_TIMED_OUT:
                    slow.append(i)
            if learning and processed:  # (those reused were learnt ahead)
                self._learn(result)  # before the next result is asked for, which may send another task
            if processed:
                pending = next(fresh, None)
            store.append(result)
            self._count(result)
        if slow:
            self._again_alone(tasks, slow, store)
        return store

    def _share(self, values: CarriedList) -> None:
        """Have ``values`` sent to the workers as a file beside the output that they read once (see
        CarriedList.share), when the documents were read ahead: every task of the round is then
        sent the same list, the request's values, which a task would otherwise carry whole.

        Only when the look brought values back, which its workers could only do reading the run's
        cache beside the output (a Dask worker that does not see this folder processes its
        documents without the values, and the request-wide check gives them those they need); not
        without the look (the list grows with each result, and each would be written again), nor
        past a few files (values learnt after the look: documents whose look failed), nor in this
        process (one job: nothing is pickled)."""
        if (not self._read_ahead or (self.spec.kind == "local" and self.pool.jobs < 2)
                or len(self._values_files) >= _VALUES_FILES):
            return
        fd, name = run_file(".redact-values-", ".pickle", self.spool_dir)
        # The descriptor stays open, holding the file's lock, until the run closes.
        self._values_files.append((fd, name))
        values.share(name)

    def _again_alone(self, tasks: list[DocumentTask], slow: list[int], store: ResultStore) -> None:
        """Process the documents whose detection ran over its time limit again, one at a time, now
        that the others are done.

        The limit is run over on a machine too busy to keep up (the engine has already tried once
        more with a longer limit); with the rest of the batch finished, the run's own work no longer
        competes, and an overnight run need not leave them withheld until the next one. Those that
        run over again stay withheld, for the next run to process again."""
        log.warning("%d document(s) withheld because detection ran over its time limit; processing them again, "
                    "one at a time", len(slow))
        again = map_ordered(process_document, [tasks[i] for i in slow], self.spec, window=1, pool=self.pool,
                            **self._guarded)
        for i, result in zip(slow, again, strict=True):
            self._arrived(tasks[i], result)
            store[i] = result
            self._count(result)

    @property
    def _guarded(self) -> dict[str, Any]:
        """map_ordered's arguments for documents: what a document that stops its worker gives, and
        how long one may take."""
        limit = self.options.time_limit
        return {"on_fault": self._stopped, "time_limit": limit.base if limit else None}

    def _stopped(self, task: DocumentTask, fault: Fault) -> DocumentResult:
        """A document whose worker was stopped on it: withheld (and processed again by the next run)."""
        result = DocumentOutcome(document=task.document, input_sha256=self.input_sha256.get(task.document, ""),
                                 format=_format_name(task.source, adapter_for(task.source)), status="withheld")
        if fault.kind == "timed out":
            limit = self.options.time_limit or TimeLimit()
            log.warning("%s: still being processed after its time limit; its worker was stopped and it is withheld",
                        task.document)
            result.withheld = Withheld(task.document, DOCUMENT_TIMED_OUT, (
                f"still being processed after the time limit ({limit.base / 60:g} min, plus {limit.per_page:g} s a "
                f"PDF page or {limit.per_mb:g} s a MB of other files: --document-timeout); stopped and withheld "
                "for manual review"))
        else:
            log.warning("%s: the worker process handling it stopped abruptly, also when it was processed alone; "
                        "withheld", task.document)
            result.withheld = Withheld(task.document, WORKER_STOPPED, (
                "the worker process handling it stopped abruptly, twice (a library crashed on the file, or the "
                "computer ran out of memory); withheld for manual review"))
        return result

    def _look_ahead(self, tasks: list[DocumentTask], todo: list[int], reused: dict[int, DocumentResult],
                    progress: Progress | None) -> dict[int, DocumentResult]:
        """Learn, before any document is processed, the values of the documents reused and those
        each document to process removes by itself, so that every document is given the values of
        all the others (see :meth:`_given`).

        Otherwise a document knows only the values of the documents before it whose results are
        back, and one that shows a value first removed by a later document (or by one still in
        flight) is processed a second time by the request-wide check: a fifth of the documents of
        the bench's request. The look reads and detects each document; its detections go to the
        cache, where the document's processing finds them, so reading twice is all it adds. It is
        not taken for one document alone (nothing else is processed that could use its values), nor
        without a cache to keep what it found.

        Returns the documents whose worker was stopped on them in the look (twice, or past their
        time limit), withheld as their processing would leave them, without a second try."""
        ahead = [i for i in todo if not tasks[i].carried and tasks[i].withhold is None]
        if self.cache is None or len(ahead) < 2:
            ahead = []
        told = getattr(progress, "looked", None)
        count = itertools.count(1)

        def looked(_: object) -> None:
            if told is not None:
                told(next(count), len(ahead))

        seen_all = zip(ahead, map_ordered(look_ahead, [tasks[i] for i in ahead], self.spec, looked, pool=self.pool,
                                          on_fault=lambda task, fault: fault,
                                          time_limit=self._guarded["time_limit"]), strict=True)
        stopped: dict[int, DocumentResult] = {}
        pending = next(seen_all, None)
        # In task order: the values are then listed as the request-wide check orders them, and a
        # document given some holds them in that order.
        for i in range(len(tasks)):
            if i in reused:
                self._learn(reused[i])
            elif pending is not None and pending[0] == i:
                seen = pending[1]
                if isinstance(seen, Fault):
                    stopped[i] = self._stopped(tasks[i], seen)
                elif seen is not None:
                    if self.cache is not None and seen.entries:
                        self.cache.add(self.ref, seen.entries)
                    self._learn_values(seen.values)
                    self._looked[tasks[i].document] = (seen.units_cached, seen.units_analysed)
                pending = next(seen_all, None)
        self._read_ahead = bool(self._looked)
        return stopped

    def _given(self, task: DocumentTask, result: DocumentResult) -> DocumentTask:
        """The task ``result`` stands for, of one processed with the values the documents before it
        removed: with only those it took (see decide._propagate).

        The others changed nothing, so the result is the one this task gives.
        A document given none of them is as it would be alone; one given some is a hinted document,
        as one given last run's values is: :func:`_make_consistent` keeps it when its values are
        exactly those the request-wide check finds it needs, and processes it again otherwise. Most
        documents that show a value removed elsewhere are then processed once, not twice."""
        used = set(getattr(result, "carried_used", ()))
        carried = task.carried
        if isinstance(carried, CarriedList):  # the values so far: found by key, not by a look at each
            at = sorted(i for key in used if (i := self._known_at.get(key, len(carried))) < len(carried))
            took = tuple(carried[i] for i in at)
        else:
            took = tuple(v for v in carried if value_key(v.text) in used)
        if took:
            self.hinted[task.document] = took
        return replace(task, carried=took)

    def _learn(self, result: DocumentResult) -> None:
        """Add the values ``result`` removed of its own to those handed to the documents after it."""
        hint = self.hinted.get(result.document)
        placed = taken_from(hint) if hint else _placed_nothing
        self._learn_values(carried_values(f for f in result.findings if not placed(f)))

    def _learn_values(self, values: list[CarriedValue]) -> None:
        for value in values:
            if (key := value_key(value.text)) not in self._known_at:
                # Shared strings: pickled once per task, not once per value (justifications are long).
                self._known_at[key] = len(self._known_list)
                self._known_list.append(replace(
                    value, entity=sys.intern(value.entity), justification=sys.intern(value.justification),
                    document=sys.intern(value.document)))
                self._known_now = None

    def _count(self, result: DocumentResult) -> None:
        analysed = getattr(result, "units_analysed", 0)
        if (looked := self._looked.pop(result.document, None)) is not None:
            # Its units were counted when they were looked at: its processing found them cached.
            self.units_cached += looked[0]
            self.units_analysed += looked[1] + analysed
            return
        self.units_analysed += analysed
        self.units_cached += getattr(result, "units_cached", 0)

    def check_presence(self, checks: list[tuple[_PresenceCheck, str, list[CarriedValue]]], carried: _CarriedSet,
                       ) -> list[list[CarriedValue]]:
        """:func:`_present` over ``checks`` on this machine: each searches the verifier's readings of
        a document for its values; the values an earlier run already found there (third item) are
        added. Each answer is recorded under the key of the document's released bytes."""
        todo = [n for n, (check, _, _) in enumerate(checks) if check.values]
        searched = self._search({n: checks[n][0] for n in todo})
        out = [prior + searched.get(n, []) for n, (_, _, prior) in enumerate(checks)]
        if self.cache is not None:
            self.cache.put_presence((key, carried.key, {v.finding_id for v in found})
                                    for (_, key, _), found in zip(checks, out, strict=True) if key)
        return out

    def _search(self, checks: dict[int, _PresenceCheck]) -> dict[int, list[CarriedValue]]:
        """:func:`_present` over ``checks`` on this machine, on the run's pool only when there is
        enough to share (shipping the readings to the workers costs more than a few searches).

        The checks go in a few groups (two per worker), each with the values of its documents listed
        once: the documents of a request are searched for nearly the same thousands of values, which
        are then sent and indexed once per group instead of once per document."""
        if not checks:
            return {}
        jobs = self.pool.jobs if len(checks) >= 4 * self.pool.jobs else 1
        items = list(checks.items())
        size = -(-len(items) // (2 * jobs)) if jobs > 1 else len(items)
        groups = [_PresenceGroup.of([check for _, check in items[start:start + size]])
                  for start in range(0, len(items), size)]
        found = (answer for group in map_ordered(_present, groups, ExecutorSpec(jobs=jobs), pool=self.pool)
                 for answer in group)
        return dict(zip(checks, found, strict=True))

    def check_placed(self, checks: list[tuple[_PresenceCheck, tuple[CarriedValue, ...], dict[str, str] | None]],
                     ) -> list[list[CarriedValue]]:
        """Which carried values can still be read in each document they were carried to (each check
        with the values and the sha256 of the released files): the same released bytes and values as
        in an earlier run give that run's answer."""
        keys = [digest(["placed", check.document, shas, [repr(v) for v in values]])
                if self.cache is not None and shas else "" for check, values, shas in checks]
        earlier = [self.cache.get_presence(key) if self.cache is not None and key else None for key in keys]
        todo = [n for n, known in enumerate(earlier) if known is None]
        searched = self._search({n: checks[n][0] for n in todo})
        out = [searched[n] if known is None else [v for v in values if v.finding_id in known[1]]
               for n, ((_, values, _), known) in enumerate(zip(checks, earlier, strict=True))]
        if self.cache is not None:
            self.cache.put_presence((keys[n], "placed", (v.finding_id for v in searched[n])) for n in todo if keys[n])
        return out

    def _earlier_check(self, key: str, carried: _CarriedSet) -> tuple[set[str], set[str]] | None:
        """For released bytes checked in an earlier run: the normal forms of the values found then,
        and the ids of this run's values whose normal form was not looked for then (the others were;
        the document's own values, part of ``key``, decided which). None when there is no usable
        earlier check.

        Compared by normal form, not finding id: the search reads only that form, and when the
        finding that first removed a value is released, the same value is carried under another
        finding's id."""
        if self.cache is None or not key:
            return None
        known = self.cache.get_presence(key)
        if known is None:
            return None
        if known[0] not in self._new_since:
            before = self.cache.get_carried(known[0])
            if before is None or any(len(item) != len(_CarriedSet.FIELDS) for item in before):
                self._new_since[known[0]] = None  # not recorded, or by a version that kept less
            else:
                looked_for = {item[3] for item in before}
                self._new_since[known[0]] = ({item[0]: item[3] for item in before},
                                             {item[0] for item in carried.items if item[3] not in looked_for})
        earlier = self._new_since[known[0]]
        if earlier is None:
            return None
        norm_of, new_ids = earlier
        return {norm_of[fid] for fid in known[1] if fid in norm_of}, new_ids

    def stats(self, results: ResultStore) -> dict[str, int]:
        """How much of the work the cache saved (logged, and kept on the result for tests and callers)."""
        stats = {"documents": len(results), "documents_reused": self.reused,
                 "units_analysed": self.units_analysed, "units_from_cache": self.units_cached}
        log.info("%d of %d document(s) unchanged since the last run reused; text units: %d analysed, "
                 "%d repeated or cached", stats["documents_reused"], stats["documents"], stats["units_analysed"],
                 stats["units_from_cache"])
        return stats


#: Documents whose readings are searched together in the request-wide check.
_CHECK_BATCH = 64


@dataclass(frozen=True, slots=True)
class _AllBut(Sequence[CarriedValue]):
    """The request's carried values but a few (by position): what a document is searched for in
    the request-wide check (all but its own), held without a copy of the thousands of others. A
    tuple of them per document, each made by a look at every value, cost documents x values in the
    parent and in what was shipped to the workers."""

    base: tuple[CarriedValue, ...]
    skip: frozenset[int]

    def __len__(self) -> int:
        return len(self.base) - len(self.skip)

    def __iter__(self) -> Iterator[CarriedValue]:
        return (v for n, v in enumerate(self.base) if n not in self.skip)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return tuple(self)[index]


@dataclass(frozen=True)
class _PresenceCheck:
    """Which of ``values`` can still be read in a document's released files (picklable)."""

    document: str
    readings: tuple[ReleasedText, ...]
    values: Sequence[CarriedValue]


@dataclass(frozen=True)
class _CarriedSet:
    """The request's carried values as the cache records them (see FIELDS)."""

    FIELDS: ClassVar[tuple[str, ...]] = ("finding id", "document", "value key", "normal form")

    key: str
    items: tuple[tuple[str, str, str, str], ...]


def _placed_nothing(finding: Finding) -> bool:
    """For a document given no values from others: none of its findings came from them."""
    return False


@dataclass(frozen=True)
class _PresenceGroup:
    """Several documents' presence checks (picklable): the values any of them looks for, once, and
    per document its name, its readings and the positions of its own values in that list (or,
    for one searched for all the request's values but a few, the positions it is not)."""

    values: tuple[CarriedValue, ...]
    checks: tuple[tuple[str, tuple[ReleasedText, ...], tuple[int, ...] | _Except], ...]

    @classmethod
    def of(cls, checks: list[_PresenceCheck]) -> _PresenceGroup:
        position: dict[str, int] = {}
        values: list[CarriedValue] = []

        def add(v: CarriedValue) -> None:
            if v.finding_id not in position:
                position[v.finding_id] = len(values)
                values.append(v)
        bases = {id(c.values.base): c.values.base for c in checks if isinstance(c.values, _AllBut)}
        # One request's values, each once, first: a document searched for all but a few is told
        # which few, not every other. (Anything else is listed value by value.)
        base = next(iter(bases.values())) if len(bases) == 1 else None
        if base is not None:
            for v in base:
                add(v)
            if len(values) != len(base):
                base, values, position = None, [], {}
        wanted: list[tuple[int, ...] | _Except] = []
        for check in checks:
            if base is not None and isinstance(check.values, _AllBut) and check.values.base is base:
                wanted.append(_Except(len(base), check.values.skip))
            else:
                for v in check.values:
                    add(v)
                wanted.append(tuple(position[v.finding_id] for v in check.values))
        return cls(tuple(values), tuple((check.document, check.readings, w)
                                        for check, w in zip(checks, wanted, strict=True)))


@dataclass(frozen=True, slots=True)
class _Except:
    """The first ``count`` values of a presence group but those at ``skip``."""

    count: int
    skip: frozenset[int]


def _present(group: _PresenceGroup) -> list[list[CarriedValue]]:
    """For each check of ``group``: which of its values its readings show, in its order. A value
    shows or not whatever else is looked for, so all of the group's values are searched at once,
    indexed once."""
    secrets = PreparedSecrets(Secret(v.finding_id, v.document, v.entity, v.text) for v in group.values)
    at = {v.finding_id: n for n, v in enumerate(group.values)}
    out = []
    for _, readings, wanted in group.checks:
        found = {leak.finding_id for reading in readings for leak in reading.leaks(secrets)}
        if isinstance(wanted, _Except):
            out.append([group.values[n] for n in sorted(at[f] for f in found)
                        if n < wanted.count and n not in wanted.skip])
        else:
            out.append([group.values[n] for n in wanted if group.values[n].finding_id in found])
    return out


def _make_consistent(run: _Run, tasks: list[DocumentTask], results: ResultStore,
                     protected: tuple[str, ...]) -> ResultStore:
    """A value removed in one document is removed wherever else in the request it appears.

    Each document was redacted on its own; the independent reader then looks for the other
    documents' removed values in each released copy, and a document that shows one is processed
    again with those values carried over (same entity, action and code). A value that still shows
    after that sits where the adapter reads no text (a Word style name); it is noted for review.
    """
    run.hints = False  # what is processed from here on gets exactly the carried values it is given
    hint_keys = {doc: {value_key(v.text) for v in hint} for doc, hint in run.hinted.items()}
    hint_placed = {doc: taken_from(hint) for doc, hint in run.hinted.items()}
    # What a document got from the others last time does not count as its own removal: the set is the
    # one a fresh run would find.
    carried = carried_values(f for r in results for f in r.findings
                             if not hint_placed.get(r.document, _placed_nothing)(f))
    if run.release_dir is None or not (carried or run.hinted):
        return results
    release_dir = run.release_dir
    keyed = [(value_key(v.text), v) for v in carried]  # normalised once, not once per document
    key_of = {v.finding_id: key for key, v in keyed}
    rank = {v.finding_id: n for n, v in enumerate(carried)}
    every = tuple(carried)
    by_document: dict[str, list[int]] = {}
    for n, v in enumerate(carried):
        by_document.setdefault(v.document, []).append(n)

    def in_order(values: Iterable[CarriedValue]) -> tuple[CarriedValue, ...]:
        """``values`` once each, in the request's order of carried values."""
        return tuple(sorted({v.finding_id: v for v in values}.values(), key=lambda v: rank[v.finding_id]))
    by_key: dict[str, list[CarriedValue]] = {}
    for key, v in keyed:
        by_key.setdefault(key, []).append(v)
    items = tuple((v.finding_id, v.document, key, normalise(v.text)) for key, v in keyed)
    by_norm: dict[str, list[CarriedValue]] = {}
    for (_, _, _, norm), (_, v) in zip(items, keyed, strict=True):
        by_norm.setdefault(norm, []).append(v)
    carried_set = _CarriedSet(digest([repr(v) for v in carried]), items)
    if run.cache is not None:
        run.cache.put_carried(carried_set.key, list(items))

    def own_values(result: DocumentResult, placed: Callable[[Finding], bool]) -> set[str]:
        """The document's own findings of a value, removed or released by a decision (they stand);
        not what it took from other documents (the findings ``placed`` from their values)."""
        return {value_key(f.text) for f in result.findings if not placed(f)}

    def presence_key(result: DocumentResult, own: set[str]) -> str:
        # Keyed by the released bytes: what was found in them before stands (see check_presence).
        shas = getattr(result, "output_sha256", None)
        # The document's own values are part of the key: they decide which values were looked for.
        return digest([result.document, shas, sorted(own)]) if shas else ""

    def check(light: DocumentResult, readings: list[ReleasedText], own: set[str],
              values: tuple[CarriedValue, ...]) -> tuple[_PresenceCheck, str]:
        key = presence_key(light, own)
        if not readings and light.outputs:  # a result from before readings were kept: read the files
            readings = [read_released(release_dir / rel, light.document) for rel in light.outputs]
        return _PresenceCheck(light.document, tuple(readings), values), key

    hinted = {i: run.hinted[light.document] for i, light in enumerate(results.light)
              if light.document in run.hinted}
    found_in: dict[int, tuple[CarriedValue, ...]] = {}
    # In batches, so only a batch's readings are in memory at a time.
    released = [i for i, light in enumerate(results.light) if light.status == "released"]
    for start in range(0, len(released), _CHECK_BATCH):
        checks: list[tuple[int, tuple[_PresenceCheck, str, list[CarriedValue]]]] = []
        for i in released[start:start + _CHECK_BATCH]:
            full = results[i]
            from_hint = hint_keys.get(full.document, set())
            own = own_values(full, hint_placed.get(full.document, _placed_nothing))

            def wanted(v: CarriedValue, doc: str = full.document, own: set[str] = own) -> bool:
                return v.document != doc and key_of[v.finding_id] not in own

            # Values it took from last run's hint were in its release before them: they are found.
            known = [v for k in from_hint for v in by_key.get(k, ()) if wanted(v)]
            known_ids = {v.finding_id for v in known}
            presence, key = check(full, getattr(full, "readings", []), own, ())
            earlier = run._earlier_check(key, carried_set)
            values: Sequence[CarriedValue]
            if earlier is None:
                # Every value but its own, those of values it removes itself and those known: found
                # by key and by document, not by a look at each of the request's values.
                skip = {rank[v.finding_id] for k in own for v in by_key.get(k, ())}
                skip.update(by_document.get(full.document, ()), (rank[i] for i in known_ids))
                values = _AllBut(every, frozenset(skip))
                prior: list[CarriedValue] = []
            else:  # searched only for what is new since: O(new values), not O(request)
                found_before, new_ids = earlier
                values = tuple(v for v in (every[n] for n in sorted(rank[i] for i in new_ids if i in rank))
                               if v.finding_id not in known_ids and wanted(v))
                prior = [v for norm in found_before for v in by_norm.get(norm, ())
                         if v.finding_id not in known_ids and wanted(v)]
            if known:
                found_in[i] = tuple(known)
            if values or prior or earlier is None:
                checks.append((i, (replace(presence, values=values), key, prior)))
        found = run.check_presence([c for _, c in checks], carried_set)
        for (i, _), values in zip(checks, found, strict=True):
            if values:
                found_in[i] = in_order([*found_in.get(i, ()), *values])
    redo: list[tuple[int, DocumentTask]] = []
    # Taken with last run's carried values: kept as they are when those are still the request's
    # and nothing new shows, so the rerun does what a fresh run would do without doing it twice.
    kept: list[tuple[int, DocumentTask]] = []
    for i in sorted(set(found_in) | set(hinted)):
        hint = hinted.get(i, ())
        wanted = in_order(found_in.get(i, ()))
        if i in hinted and wanted == hint:
            kept.append((i, replace(tasks[i], carried=hint)))
        elif i in hinted and results.light[i].status == "released" and same_removals(wanted, hint):
            # The same values, first removed elsewhere now (a decision released the first finding
            # of a value that other documents remove too): the document is what processing it again
            # would give but for the notes that name those documents, so only they are changed.
            task = replace(tasks[i], carried=wanted)
            result = results[i]
            with editing(result.findings):
                move_carried_notes(result.findings, hint, wanted)
            run.remember(task, result)
            results[i] = result
            kept.append((i, task))
        else:
            redo.append((i, replace(tasks[i], carried=wanted)))
    if not redo and not kept:
        return results
    shielded = {value_key(t) for t in protected}
    redone = {i for i, _ in redo}
    again = run.process([t for _, t in redo])
    # Each finished document: where it is now (redone, or kept in place).
    finished = [(i, task, again, n) for n, (i, task) in enumerate(redo)] + \
               [(i, task, results, i) for i, task in kept]
    for start in range(0, len(finished), _CHECK_BATCH):
        batch = [(i, task, store[n]) for i, task, store, n in finished[start:start + _CHECK_BATCH]]
        shown = iter(run.check_placed([(check(r, getattr(r, "readings", []), set(), task.carried)[0], task.carried,
                                        getattr(r, "output_sha256", None))
                                       for _, task, r in batch if r.status == "released"]))
        for i, task, result in batch:
            if result.status == "released":
                _note_carried(result, task.carried, next(shown), shielded)
            results[i] = result
        if run.cache is not None:
            # A redone copy was made from one that was searched for every carried value: it removes
            # what that copy showed, so of this carried set it shows nothing beyond what it was
            # given (and those are known to the next run from its hint). Recorded as checked, the
            # next run looks in it only for values new since, as it does for the documents that
            # were not redone.
            run.cache.put_presence((key, carried_set.key, ()) for i, task, result in batch
                                   if i in redone and result.status == "released"
                                   and (key := presence_key(result, own_values(result, taken_from(task.carried)))))
    again.close()
    return results


def _note_carried(result: DocumentResult, carried: tuple[CarriedValue, ...], shown: list[CarriedValue],
                  shielded: set[str]) -> None:
    """Tell the officer what values from other documents did to ``result``."""
    left = [v for v in shown if not any(value_key(v.text) in term for term in shielded)]
    placed = len(carried) - len(left)
    if placed:
        result.notes.append(f"{placed} value(s) removed in other documents of the request also appear here "
                            "and were removed the same way")
    if left:
        # Found by the reader in the file but in no text the adapter reads (a Word style name, a
        # font table): not this document's own finding, so it is released, and the officer told.
        result.notes.append("needs review: value(s) removed elsewhere in the request are still readable in this "
                            "file outside its text (findings "
                            f"{', '.join(sorted(v.finding_id for v in left))} of "
                            f"{', '.join(sorted({v.document for v in left}))})")


#: Log rows made, checked and written at a time.
_LOG_SLICE = 2000
#: Distinct free-text lines of the log searched for redacted values at a time, and texts whose
#: answer the scrub keeps: both grow with a large mailbox's messages (each has locations of its own).
_FREE_LINES = 10_000
_SEEN_TEXTS = 50_000


def _write_log(batch: BatchResult, path: Path, add_findings: Callable[[Iterable[Finding]], None]) -> list[str]:
    """Write the public log document by document, give each logged finding its row's id (kept in the
    store), hand each document's findings, ids given, to ``add_findings``, and check the log's free
    text for redacted values. Returns the log's scrub notes."""
    store, rules = batch.results, batch.rules
    # Every removed value of the request: a path or a note in one document's rows may hold another's.
    secrets = [s for doc in secrets_from_findings(f.to_json() for r in store for f in r.findings).values()
               for s in doc]
    changes: list[str] = []
    seen: dict[tuple[str, bool], bool] = {}
    index = SecretIndex(secrets)
    # Distinct free-text lines of the log not yet searched, in order, by how they are read (paths in
    # any case, notes by case; see verify.log_free_text).
    free: dict[bool, dict[str, None]] = {False: {}, True: {}}
    found: dict[Leak, None] = {}

    def search_free() -> None:
        # A slice of lines at a time: the search holds several forms of the text it is given.
        for by_case, lines in free.items():
            found.update(dict.fromkeys(index.find("\n".join(lines), f"{RELEASE}/{LOG_NAME}", by_case)))
            lines.clear()

    count = 0
    with log_writer(path) as write:
        for i, result in enumerate(store):
            with editing(result.findings):  # the rows' ids are given to the findings
                made = log_rows([result], rules, batch.request.request_id, first=count + 1)
                # A slice of rows at a time: one mailbox can have tens of thousands.
                while rows := list(itertools.islice(made, _LOG_SLICE)):
                    count += len(rows)
                    changes += scrub_log(rows, secrets, rules, seen, index)
                    write(rows)
                    for text, by_case in log_free_text(rows, rules):
                        free[by_case].update(dict.fromkeys(text.splitlines()))
                    if sum(map(len, free.values())) >= _FREE_LINES:
                        search_free()
                    if len(seen) >= _SEEN_TEXTS:
                        seen.clear()  # answers kept to spare a search; any can be found again
            if any(f.log_id for f in result.findings):
                store[i] = result  # the ids link review/ to the public log
            add_findings(result.findings)
    search_free()
    batch.leaks.extend(found)
    return changes


def _keep_only_released(release: Path, outputs: set[str]) -> None:
    """Remove from the staged release every file no document released: release/ holds the verified
    outputs and nothing else. What else can be there is what a worker stopped in the middle of a
    document had begun to write (a temporary file beside an output)."""
    for path in sorted(release.rglob("*"), reverse=True):  # files before the folders holding them
        rel = path.relative_to(release).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif rel not in outputs:
            log.warning("removed from the release a file no document released: %s", rel)
            path.unlink()


def _write_package(batch: BatchResult, stage: Path, decisions: Decisions,
                   input_hashes_before: dict[str, str], previous: PreviousVersion | None = None,
                   image_cache: Path | None = None) -> None:
    rules, request, store = batch.rules, batch.request, batch.results
    log_changes: list[str] = []
    if not batch.scan:
        _keep_only_released(stage / RELEASE, {rel for r in store.light for rel in r.outputs})
    # One document's findings at a time, from the store: a request's findings are never all in memory.
    with findings_writer(stage / REVIEW / "findings.jsonl", stage / REVIEW / "decisions.template.yaml",
                         request.request_id, rules) as add_findings:
        if batch.scan:
            for r in store:
                add_findings(r.findings)
        else:
            log_changes = _write_log(batch, stage / RELEASE / LOG_NAME, add_findings)

    changed = [rel for rel, before in input_hashes_before.items()
               if sha256_file(batch.input_dir / rel) != before]
    if changed:
        raise InputError(f"input files changed while the run was reading them: {', '.join(changed)}",
                         hint="let whatever is writing to the request folder finish, then run again")
    prev_version = previous.version if previous is not None else 0
    prev_hash = previous.manifest_sha256 if previous is not None else None
    batch.version = prev_version + 1
    finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if previous is not None:
        batch.changes = diff_versions(previous, batch.results, decisions, mask)
    write_changes(stage / REVIEW / "changes.csv", batch.changes)
    if not batch.scan:
        write_response_letter(stage / REVIEW / "response_letter.md", request, rules,
                              read_log(stage / RELEASE / LOG_NAME), store, batch.version, finished_at)
    write_report(stage / REVIEW / "report.html", ReportInput(
        request=request, rules=rules, results=batch.results, version=batch.version, finished_at=finished_at,
        scan=batch.scan, previous_version=previous.version if previous is not None else None,
        changes=batch.changes, ignored=batch.ignored,
        release_dir=None if batch.scan else stage / RELEASE, image_cache=image_cache,
        leak_files=sorted({leak.file for leak in batch.leaks})))
    outputs: list[dict[str, str | None]] = [{"path": f"{RELEASE}/{rel}", "document": r.document,
                "sha256": sha256_file(stage / RELEASE / rel)} for r in store.light for rel in r.outputs]
    if not batch.scan:
        outputs.append({"path": f"{RELEASE}/{LOG_NAME}", "document": None,
                        "sha256": sha256_file(stage / RELEASE / LOG_NAME)})
    engine_versions = model_versions() if any(r.units for r in store.light) else {}
    manifest = {
        "tool": {"name": "redact", "version": __version__, "python": platform.python_version()},
        "run": {"version": batch.version, "previous_manifest_sha256": prev_hash,
                "kind": "scan" if batch.scan else "batch",
                "finished_at": finished_at,
                "exit_code": int(_exit_code(store, batch.leaks)),
                "changes": len(batch.changes),
                "previous_version_kept": None if previous is None else f"versions/{prev_version}/"},
        "settings": {
            "ocr": batch.ocr,
            "rules": {"name": rules.name, "version": rules.version, "sha256": rules.sha256, "path": str(rules.path),
                      "status": rules.spec.status},
            "request": json.loads(request.model_dump_json()),
            "decisions": None if decisions.path is None else {"path": str(decisions.path),
                                                             "sha256": decisions.sha256},
            "input_dir": str(batch.input_dir),
        },
        "detection": engine_versions,
        "inputs": [{"path": r.document, "sha256": r.input_sha256, "format": r.format, "status": r.status,
                    "findings": sum(counts.values())} for r, counts in zip(store.light, store.counts, strict=True)],
        "ignored": [{"path": rel, "reason": why} for rel, why in batch.ignored],
        "outputs": outputs,
        # Internal files, hashed so a kept version can be checked; never part of the release.
        "review": [{"path": f"{REVIEW}/{p.name}", "sha256": sha256_file(p)}
                   for p in sorted((stage / REVIEW).iterdir()) if p.is_file()],
        "withheld": [{"document": w.document, "reason": w.reason, "detail": w.detail, "code": w.code}
                     for w in batch.withheld],
        "parts_withheld": [{"document": r.document, "reason": w.reason, "detail": w.detail}
                           for r in store.light for w in r.parts_withheld],
        "notes": {r.document: r.notes for r in store.light if r.notes},
        "counts": {"documents": len(store),
                   "released": sum(1 for r in store.light if r.status == "released"),
                   "withheld": len(batch.withheld),
                   "redacted": batch.count(Action.REDACT), "review": batch.count(Action.REVIEW),
                   "kept": batch.count(Action.KEEP)},
        "leaks": [{"file": leak.file, "finding": leak.finding_id, "entity": leak.entity} for leak in batch.leaks],
        "log_changes": log_changes,
    }
    write_manifest(stage / MANIFEST, manifest)
