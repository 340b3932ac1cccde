"""The run's document results, kept on disk as they come and read back one at a time.

A request of 100,000 pages has millions of findings, each with its text and context: holding them
all would make memory grow with the request. The parent appends each result to a spool file as it
arrives and keeps only a light copy (no findings, contexts or boxes) plus per-document counts; the
package is then written by passes that read one full result at a time.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import overload

from .models import Action, DocumentResult

#: Fields that grow with the number of findings; the light copy leaves them out.
_HEAVY = ("findings", "contexts", "boxes", "payload", "readings")


def _light(result: DocumentResult) -> DocumentResult:
    names = {f.name for f in fields(result)}
    return replace(result, **{name: type(getattr(result, name))() for name in _HEAVY if name in names})


class ResultStore(Sequence[DocumentResult]):
    """Results in document order; ``store[i]`` and iteration read full results from the spool file.

    ``light`` and ``counts`` answer what most of the package needs (statuses, outputs, withheld
    documents, numbers of findings) without reading the file.
    """

    def __init__(self, results: Iterable[DocumentResult] = (), folder: Path | None = None) -> None:
        fd, name = tempfile.mkstemp(prefix=".redact-results-", suffix=".spool", dir=folder)
        self._file = os.fdopen(fd, "w+b")
        self._path = Path(name)
        self._finalizer = weakref.finalize(self, _discard, self._file, self._path)
        self._where: list[tuple[int, int]] = []
        self.light: list[DocumentResult] = []
        #: Per document, findings by action.
        self.counts: list[Counter[Action]] = []
        for result in results:
            self.append(result)

    def _write(self, result: DocumentResult) -> tuple[int, int]:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, os.SEEK_END)
        start = self._file.tell()
        self._file.write(data)
        return start, len(data)

    def append(self, result: DocumentResult) -> None:
        """Keep ``result`` (the caller may drop its own reference)."""
        self._where.append(self._write(result))
        self.light.append(_light(result))
        self.counts.append(Counter(f.action for f in result.findings))

    def __setitem__(self, index: int, result: DocumentResult) -> None:
        # Appended, not overwritten: a result's size changes when it is updated.
        self._where[index] = self._write(result)
        self.light[index] = _light(result)
        self.counts[index] = Counter(f.action for f in result.findings)

    @overload
    def __getitem__(self, index: int) -> DocumentResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[DocumentResult]: ...

    def __getitem__(self, index: int | slice) -> DocumentResult | list[DocumentResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        start, size = self._where[index]
        self._file.seek(start)
        return pickle.loads(self._file.read(size))

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


def _discard(file: object, path: Path) -> None:
    try:
        file.close()  # type: ignore[attr-defined]
    finally:
        path.unlink(missing_ok=True)


def as_store(results: Sequence[DocumentResult] | ResultStore) -> ResultStore:
    """``results`` as a store (tests and callers may pass a plain list)."""
    return results if isinstance(results, ResultStore) else ResultStore(results)
