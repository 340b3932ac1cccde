"""Detection: text in, typed spans out. Detection never sees files."""

from .engine import DetectionEngine, get_engine

__all__ = ["DetectionEngine", "get_engine"]
