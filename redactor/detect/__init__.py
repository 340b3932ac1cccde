"""Detection: text in, typed spans out. Detection never sees files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import DetectionEngine, get_engine

__all__ = ["DetectionEngine", "get_engine"]


def __getattr__(name: str) -> Any:
    # The engine imports spaCy and presidio (seconds); the package's light modules (terms,
    # gazetteer, settings) are used where nothing is analysed.
    if name in __all__:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
