"""The run's document results, kept on disk as they come and read back one at a time.

A request of 100,000 pages has millions of findings, each with its text and context: holding them
all would make memory grow with the request. The parent appends each result to a spool file as it
arrives and keeps only a light copy (no findings, contexts or boxes) plus per-document counts; the
package is then written by passes that read one full result at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import shutil
import tempfile
import time
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import overload

from .models import Action, DocumentResult

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: Fields that grow with the number of findings; the light copy leaves them out.
_HEAVY = ("findings", "contexts", "boxes", "payload", "readings")


def _light(result: DocumentResult) -> DocumentResult:
    names = {f.name for f in fields(result)}
    return replace(result, **{name: type(getattr(result, name))() for name in _HEAVY if name in names})


#: The removal signature (see ResultStore._summaries) of a document with no findings.
NO_FINDINGS = (0, 0)


def signed(signature: tuple[int, int], fid: str, removes: bool, code: str | None) -> tuple[int, int]:
    """``signature`` with one finding more (the number of findings, and the sum of their digests, so
    a signature can be taken line by line from a findings file)."""
    item = f"{fid}\x00{int(removes)}\x00{code if removes and code else ''}"
    digest = hashlib.blake2b(item.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return signature[0] + 1, signature[1] + int.from_bytes(digest)


class ResultStore(Sequence[DocumentResult]):
    """Results in document order; ``store[i]`` and iteration read full results from the spool file.

    ``light``, ``counts``, ``by_code`` and ``decided_keeps`` answer what most of the package needs
    (statuses, outputs, withheld documents, numbers of findings) without reading the file.
    """

    def __init__(self, results: Iterable[DocumentResult] = (), folder: Path | None = None,
                 watch: Iterable[str] = ()) -> None:
        fd, name = run_file(".redact-results-", ".spool", folder)
        self._file = os.fdopen(fd, "w+b")
        self._path = Path(name)
        self._finalizer = weakref.finalize(self, _discard, self._file, self._path)
        self._where: list[int] = []  # where each result starts in the file
        self.light: list[DocumentResult] = []
        #: Per document, findings by action.
        self.counts: list[Counter[Action]] = []
        #: Per document, findings that remove a value by (exemption code, action), and the number
        #: of findings released by a decision (what the report's counts need).
        self.by_code: list[Counter[tuple[str, Action]]] = []
        self.decided_keeps: list[int] = []
        #: Per document, the removal signature of its findings (see :meth:`_summaries`).
        self.removals: list[tuple[int, int]] = []
        #: Finding ids whose presence the store notes as results arrive (the ids an officer's
        #: decisions name), so that checking them needs no pass over the file.
        self.watching = frozenset(watch)
        self._watched: list[frozenset[str]] = []
        for result in results:
            self.append(result)

    def _write(self, result: DocumentResult) -> int:
        self._file.seek(0, os.SEEK_END)
        start = self._file.tell()
        # Pickled into the file, not into one bytes object first: a large mailbox's result (tens of
        # thousands of findings with their contexts) would be held twice while it is written.
        pickle.dump(result, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        return start

    def append(self, result: DocumentResult) -> None:
        """Keep ``result`` (the caller may drop its own reference)."""
        self._where.append(self._write(result))
        for column, value in self._summaries(result):
            column.append(value)

    def __setitem__(self, index: int, result: DocumentResult) -> None:
        # Appended, not overwritten: a result's size changes when it is updated.
        self._where[index] = self._write(result)
        for column, value in self._summaries(result):
            column[index] = value

    def _summaries(self, result: DocumentResult) -> list[tuple[list, object]]:
        """Each per-document list the store keeps in memory, with ``result``'s entry in it; one pass
        over the findings (a large mailbox's are unpacked a slice at a time at each pass)."""
        counts: Counter[Action] = Counter()
        by_code: Counter[tuple[str, Action]] = Counter()
        decided_keeps = 0
        signature = NO_FINDINGS
        watched = set()
        for f in result.findings:
            counts[f.action] += 1
            if f.action is not Action.KEEP and f.code:
                by_code[(f.code, f.action)] += 1
            decided_keeps += f.action is Action.KEEP and f.decided
            # The removal signature: an order-free digest of, for each id, whether it removes its
            # value and under which code. Two versions of a document whose signatures are equal have
            # nothing between them for review/changes.csv, so neither needs reading to say so.
            signature = signed(signature, f.id, f.action.removes, f.code)
            if f.id in self.watching:
                watched.add(f.id)
        return [(self.light, _light(result)), (self.counts, counts), (self.by_code, by_code),
                (self.decided_keeps, decided_keeps), (self.removals, signature), (self._watched, frozenset(watched))]

    def watched_present(self) -> set[str]:
        """The watched finding ids that some stored result has."""
        return set().union(*self._watched)

    def watched_in(self, index: int) -> frozenset[str]:
        """The watched finding ids that the result at ``index`` has."""
        return self._watched[index]

    @overload
    def __getitem__(self, index: int) -> DocumentResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[DocumentResult]: ...

    def __getitem__(self, index: int | slice) -> DocumentResult | list[DocumentResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        self._file.seek(self._where[index])
        # Read from the file frame by frame (the same reason as in _write).
        return pickle.load(self._file)  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(self._where)

    def __iter__(self) -> Iterator[DocumentResult]:
        for i in range(len(self)):
            yield self[i]

    def findings_with(self, action: Action) -> int:
        """Findings with ``action`` across all documents."""
        return sum(c[action] for c in self.counts)

    def close(self) -> None:
        """Delete the spool file (the store is unusable afterwards)."""
        self._finalizer()


#: The names :func:`run_file` gives: the results spool, and the values files handed to the workers
#: (see api._Run._share). Both hold the request's values, which are not public.
_RUN_FILE_PREFIXES = (".redact-results-", ".redact-values-")
#: The name a run file has from its making until it is locked: a file under one of the names above
#: is locked from the moment it has that name, so one found unlocked is always a stopped run's.
_MAKING_PREFIX = ".redact-making-"
#: Seconds within which a file still being made may not be locked yet: only one older is swept.
_MAKING = 60.0


def run_file(prefix: str, suffix: str, folder: Path | str | None) -> tuple[int, str]:
    """A new temporary file of the run (as :func:`tempfile.mkstemp`), locked for as long as the
    returned descriptor stays open, so that the file a run stopped by a kill or a power cut leaves
    behind (with the request's values in it) is deleted by the next run (:func:`sweep_run_files`)."""
    if fcntl is None:
        return tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    while True:
        fd, making = tempfile.mkstemp(prefix=_MAKING_PREFIX, suffix=suffix, dir=folder)
        fcntl.flock(fd, fcntl.LOCK_EX)
        head, tail = os.path.split(making)
        name = os.path.join(head, prefix + tail.removeprefix(_MAKING_PREFIX))
        try:
            _take_name(making, name)
        except FileExistsError:
            os.close(fd)
            os.unlink(making)
            continue
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(making)
            raise
        return fd, name


def _take_name(making: str, name: str) -> None:
    """Give the file at ``making`` the name ``name``, never over another file (FileExistsError)."""
    try:
        os.link(making, name)  # a rename would replace a file of that name
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network shares): a rename, onto no file seen there.
        if os.path.lexists(name):
            raise FileExistsError(name) from None
        os.rename(making, name)
    else:
        os.unlink(making)


def sweep_run_files(folder: Path) -> int:
    """Delete the run files (:func:`run_file`) in ``folder`` whose run has ended without deleting
    them: a run ends by deleting its own, so one left unlocked was left by a run that was killed.
    Files of runs still going (their lock is held) and files still being made are left alone, as is
    everything when locks cannot be asked (not POSIX). Returns how many were deleted."""
    return _sweep(folder, _RUN_FILE_PREFIXES, _MAKING_PREFIX, folders=False)


def _sweep(base: Path, prefixes: tuple[str, ...], making_prefix: str, folders: bool) -> int:
    """Delete the files (or folders, each locked by a lock file in it) named with one of
    ``prefixes`` in ``base`` that no live process holds locked, and those still named with
    ``making_prefix`` once they are a minute old (one younger may be made but not locked yet)."""
    if fcntl is None:
        return 0
    swept = 0
    try:
        entries = list(os.scandir(base))
    except OSError:
        return 0
    for entry in entries:
        making = entry.name.startswith(making_prefix)
        if not (making or entry.name.startswith(prefixes)):
            continue
        fd = None
        try:
            if not (entry.is_dir if folders else entry.is_file)(follow_symlinks=False):
                continue
            if making and time.time() - entry.stat(follow_symlinks=False).st_mtime < _MAKING:
                continue  # perhaps made an instant ago and not locked yet
            fd = os.open(os.path.join(entry.path, _TASK_LOCK) if folders else entry.path,
                         os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            if not (folders and making):
                continue  # a folder under its own name always has its lock file: not one of ours
        except OSError:
            continue
        try:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if folders:
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            swept += 1
        except OSError:
            continue  # held: its run is still going (or it is not this user's to delete)
        finally:
            if fd is not None:
                os.close(fd)
    if swept:
        log.info("deleted %d temporary %s that stopped runs had left in %s", swept,
                 "folder(s)" if folders else "file(s)", base)
    return swept


#: The scratch folders of tasks that send their outputs back (see api.process_document), in the
#: system's temporary folder: redacted files, not yet verified while the task runs.
_TASK_PREFIX = "redact-task-"
_TASK_MAKING = ".redact-making-task-"
_TASK_LOCK = ".lock"


def task_folder() -> tuple[int, Path]:
    """A new scratch folder for one task in the system's temporary folder, locked (a lock file in
    it) for as long as the returned descriptor stays open, and made under another name until it
    is, as run files are (:func:`run_file`). The folders that tasks of killed workers left behind
    are deleted first (:func:`sweep_task_folders`)."""
    base = Path(tempfile.gettempdir())
    if fcntl is None:
        return os.open(os.devnull, os.O_RDONLY), Path(tempfile.mkdtemp(prefix=_TASK_PREFIX, dir=base))
    sweep_task_folders(base)
    while True:
        making = Path(tempfile.mkdtemp(prefix=_TASK_MAKING, dir=base))
        fd = os.open(making / _TASK_LOCK, os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        folder = base / (_TASK_PREFIX + making.name.removeprefix(_TASK_MAKING))
        try:
            os.rename(making, folder)  # never onto another task's: it holds a lock file, and is not empty
        except OSError:
            os.close(fd)
            shutil.rmtree(making, ignore_errors=True)
            if folder.exists():
                continue
            raise
        return fd, folder


def sweep_task_folders(base: Path) -> int:
    """Delete the task folders (:func:`task_folder`) in ``base`` whose lock no live task holds; a
    folder still being made only once it is a minute old. Returns how many were deleted."""
    return _sweep(base, (_TASK_PREFIX,), _TASK_MAKING, folders=True)

def _discard(file: object, path: Path) -> None:
    try:
        file.close()  # type: ignore[attr-defined]
    finally:
        path.unlink(missing_ok=True)


def as_store(results: Sequence[DocumentResult] | ResultStore) -> ResultStore:
    """``results`` as a store (tests and callers may pass a plain list)."""
    return results if isinstance(results, ResultStore) else ResultStore(results)
