"""A large document's findings and their contexts kept compressed, a slice at a time in memory.

A mailbox of thousands of messages has tens of thousands of findings; as objects they are most of
what a worker holds at the end of it, and the parent holds them again while it stores the result
and writes the log, the findings file and the report from it. Kept as compressed pickles, one per
run of messages (see api._in_parts), they weigh a few per cent of that, and each pass over them
unpickles one slice at a time. Other documents keep plain lists and dicts: the two forms read alike.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator, Mapping, MutableSequence, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar, overload

from .models import Finding
from .report.context import Snippet

T = TypeVar("T")


def pack(item: object) -> bytes:
    """``item`` pickled and compressed (fast: level 1; each is unpacked a few times at most)."""
    return zlib.compress(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(data: bytes) -> Any:
    """What :func:`pack` packed."""
    return pickle.loads(zlib.decompress(data))


class _Sliced(Generic[T]):
    """Slices of items, each pickled and compressed."""

    def __init__(self) -> None:
        self._slices: list[bytes] = []
        self._sizes: list[int] = []

    def _add(self, items: object, size: int) -> None:
        if size:
            self._slices.append(pack(items))
            self._sizes.append(size)

    def __len__(self) -> int:
        return sum(self._sizes)

    def __getstate__(self) -> dict[str, object]:
        return {"_slices": self._slices, "_sizes": self._sizes}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        self._slices, self._sizes = state["_slices"], state["_sizes"]


class FindingSlices(_Sliced[Finding], Sequence[Finding]):
    """A document's findings, in order, a slice at a time (see :func:`editing` to change them)."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        super().__init__()
        self._writing = 0
        self.add(list(findings))

    def add(self, findings: list[Finding]) -> None:
        """Append ``findings`` as one slice."""
        self._add(findings, len(findings))

    def __iter__(self) -> Iterator[Finding]:
        for k in range(len(self._slices)):
            items: list[Finding] = unpack(self._slices[k])
            yield from items
            if self._writing:  # what the caller changed in them is kept
                self._slices[k] = pack(items)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return list(self)[index]
        n = index + len(self) if index < 0 else index
        for data, size in zip(self._slices, self._sizes, strict=True):
            if 0 <= n < size:
                item: Finding = unpack(data)[n]
                return item
            n -= size
        raise IndexError(index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FindingSlices | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FindingSlices({len(self)} findings in {len(self._slices)} slices)"


@contextmanager
def editing(findings: Sequence[Finding] | MutableSequence[Finding]) -> Iterator[None]:
    """While the block runs, what is changed in the findings met by iterating ``findings`` is kept
    (a :class:`FindingSlices` otherwise unpickles new objects at each pass; a list needs nothing)."""
    if not isinstance(findings, FindingSlices):
        yield
        return
    findings._writing += 1
    try:
        yield
    finally:
        findings._writing -= 1


class ContextSlices(_Sliced[dict[str, Snippet]], Mapping[str, Snippet]):
    """The contexts of a :class:`FindingSlices`' findings (finding id -> snippet), one slice per
    slice of findings. Looked up in the findings' order, as the report does, each slice is
    unpickled once: a look-up starts at the slice of the one before."""

    def __init__(self) -> None:
        super().__init__()
        self._at = -1
        self._current: dict[str, Snippet] = {}

    def add(self, contexts: dict[str, Snippet]) -> None:
        """Append the contexts of one slice of findings."""
        self._add(contexts, len(contexts))

    def __getitem__(self, key: str) -> Snippet:
        if key in self._current:
            return self._current[key]
        for step in range(1, len(self._slices) + 1):
            k = (self._at + step) % len(self._slices)
            if k == self._at:
                break  # back at the slice already looked in
            found: dict[str, Snippet] = unpack(self._slices[k])
            if key in found:
                self._at, self._current = k, found
                return found[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        for data in self._slices:
            yield from unpack(data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ContextSlices({len(self)} contexts in {len(self._slices)} slices)"
