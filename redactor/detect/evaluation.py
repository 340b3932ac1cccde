"""Precision and recall of the engine on a labelled snippet set (``make quality``).

The set marks gold spans inline as ``{{ENTITY:value}}`` (see tests/data/README.md).
A prediction counts when it overlaps a gold span of the same entity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import regex
import yaml

from ..settings import DetectionConfig
from .engine import DetectionEngine

_MARK = regex.compile(r"\{\{([A-Z_]+):(.*?)\}\}", regex.DOTALL)

#: Recall targets per entity; precision is judged over all entities together.
RECALL_TARGETS = {
    "US_SSN": 0.99, "US_ITIN": 0.99, "US_EIN": 0.99, "CREDIT_CARD": 0.99, "US_BANK_NUMBER": 0.99,
    "ABA_ROUTING_NUMBER": 0.99, "US_DRIVER_LICENSE": 0.99, "USERNAME": 0.99, "PASSWORD": 0.99,
    "EMAIL_ADDRESS": 0.95, "PHONE_NUMBER": 0.95, "DATE_OF_BIRTH": 0.95,
    "PERSON": 0.90, "HOME_ADDRESS": 0.90,
}
PRECISION_TARGET = 0.95


@dataclass(frozen=True)
class Snippet:
    """One labelled text: the plain text and its gold spans."""

    id: str
    text: str
    gold: tuple[tuple[str, int, int], ...]


@dataclass
class Score:
    """Counts for one entity."""

    tp_gold: int = 0
    fn: int = 0
    tp_pred: int = 0
    fp: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        total = self.tp_gold + self.fn
        return self.tp_gold / total if total else 1.0

    @property
    def precision(self) -> float:
        total = self.tp_pred + self.fp
        return self.tp_pred / total if total else 1.0


def parse_marked(text: str) -> tuple[str, list[tuple[str, int, int]]]:
    """Strip ``{{ENTITY:value}}`` marks; return the plain text and (entity, start, end) spans."""
    out, spans, pos = [], [], 0
    length = 0
    for m in _MARK.finditer(text):
        out.append(text[pos:m.start()])
        length += m.start() - pos
        value = m.group(2)
        spans.append((m.group(1), length, length + len(value)))
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def load_labelled(path: Path) -> tuple[DetectionConfig, list[Snippet]]:
    """The set's allow-lists and its snippets."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    config = DetectionConfig(public_names=tuple(data.get("public_names", [])),
                             public_domains=tuple(data.get("public_domains", [])))
    snippets = []
    for item in data["snippets"]:
        plain, spans = parse_marked(item["text"])
        snippets.append(Snippet(item["id"], plain, tuple(spans)))
    return config, snippets


def evaluate(engine: DetectionEngine, path: Path) -> dict[str, Score]:
    """Per-entity scores of ``engine`` on the labelled set at ``path``."""
    config, snippets = load_labelled(path)
    scores: dict[str, Score] = defaultdict(Score)
    predictions = engine.detect_many([s.text for s in snippets], config)
    for snippet, preds in zip(snippets, predictions, strict=True):
        for entity, start, end in snippet.gold:
            hit = any(p.entity == entity and p.start < end and start < p.end for p in preds)
            score = scores[entity]
            if hit:
                score.tp_gold += 1
            else:
                score.fn += 1
                score.misses.append(f"{snippet.id}: {snippet.text[start:end]!r}")
        for p in preds:
            if p.entity == "CUSTOM_TERM":
                continue
            hit = any(entity == p.entity and p.start < end and start < p.end for entity, start, end in snippet.gold)
            score = scores[p.entity]
            if hit:
                score.tp_pred += 1
            else:
                score.fp += 1
                score.false_alarms.append(f"{snippet.id}: {p.text!r}")
    return dict(scores)


def overall_precision(scores: dict[str, Score]) -> float:
    """Share of all predictions that hit a gold span of their entity."""
    tp = sum(s.tp_pred for s in scores.values())
    total = tp + sum(s.fp for s in scores.values())
    return tp / total if total else 1.0


def report(scores: dict[str, Score], verbose: bool = False) -> tuple[str, bool]:
    """A table of precision and recall per entity against the targets, and whether all targets are met."""
    lines = [f"{'entity':<20} {'gold':>5} {'recall':>7} {'target':>7} {'pred':>5} {'precision':>9}"]
    ok = True
    for entity in sorted(scores):
        s = scores[entity]
        target = RECALL_TARGETS.get(entity)
        met = target is None or s.recall >= target
        ok &= met
        lines.append(f"{entity:<20} {s.tp_gold + s.fn:>5} {s.recall:>7.3f} "
                     f"{(f'{target:.2f}' if target else '-'):>7} {s.tp_pred + s.fp:>5} {s.precision:>9.3f}"
                     f"{'' if met else '  <-- below target'}")
    prec = overall_precision(scores)
    ok &= prec >= PRECISION_TARGET
    lines.append(f"{'overall precision':<20} {prec:.3f} (target {PRECISION_TARGET:.2f})"
                 f"{'' if prec >= PRECISION_TARGET else '  <-- below target'}")
    if verbose:
        for entity in sorted(scores):
            for miss in scores[entity].misses:
                lines.append(f"  missed {entity}: {miss}")
            for fa in scores[entity].false_alarms:
                lines.append(f"  false {entity}: {fa}")
    return "\n".join(lines), ok
