"""A worker gives back the memory a finished document freed, so its size follows the document it is
on, not the largest one it has had (sizes themselves are measured by `make bench`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from redactor.api import _malloc_trim

# Run in a fresh interpreter: the heap of the test process has a history no assertion could allow for.
_PROBE = """
import gc, psutil
from redactor.api import _return_freed_memory
proc = psutil.Process()
base = proc.memory_info().rss
blocks = [bytes(2000) + bytes([i % 256]) for i in range(100_000)]  # 200 MB of malloc'ed blocks
last = blocks[-1]  # still held: the freed memory sits below it and cannot simply shrink the heap
del blocks
gc.collect()
freed = proc.memory_info().rss
_return_freed_memory()
print(freed - base, proc.memory_info().rss - base)
"""


@pytest.mark.skipif(_malloc_trim() is None, reason="not glibc: nothing to trim")
def test_memory_freed_by_a_document_goes_back_to_the_system() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    held, after = map(int, out.stdout.split())
    assert held > 150 * 2**20  # glibc kept what was freed ...
    assert after < held / 4  # ... and gives it back when asked
