"""Format adapters, discovered: each module that defines ``ADAPTER`` handles its suffixes.

Adding a format means adding one module here; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from .base import FormatAdapter


@lru_cache(maxsize=1)
def adapters() -> dict[str, FormatAdapter]:
    """Suffix (lower case, with dot) -> adapter."""
    table: dict[str, FormatAdapter] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        adapter = getattr(module, "ADAPTER", None)
        if isinstance(adapter, FormatAdapter):
            for suffix in adapter.suffixes:
                table[suffix] = adapter
    return table


def adapter_for(path: Path) -> FormatAdapter | None:
    """The adapter for ``path``, or None when the format is not supported yet."""
    return adapters().get(path.suffix.lower())
