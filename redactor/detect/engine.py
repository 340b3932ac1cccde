"""The detection engine: one presidio AnalyzerEngine per process, with this project's recognizers.

spaCy runs only the components NER needs (tok2vec and ner): the tagger, parser
and lemmatizer cost time and feed nothing here, because context is handled by
the recognizers themselves (see ``base.py``), not by presidio's lemma enhancer.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Sequence
from functools import lru_cache

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from ..errors import DETECTION_TIMED_OUT, UnreadableDocument
from ..models import ENTITY_PRIORITY, ENTITY_TYPES, Detection
from ..settings import DetectionConfig
from . import recognizers as recognizers_pkg
from .allowlist import apply_allow_lists
from .base import patient_regexes, regex_timeout
from .settings import SCORE_THRESHOLD, SPACY_MODEL, model_versions, with_terms

#: Components of en_core_web_sm that NER does not need.
SPACY_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_SPACY_LABELS = ("CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP",
                 "ORDINAL", "ORG", "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART")


class NerOnlySpacyEngine(SpacyNlpEngine):
    """presidio's spaCy engine, loading the installed model with NER only and never downloading."""

    def load(self) -> None:
        """Load the pipeline from site-packages (no network)."""
        self.nlp = {"en": spacy.load(SPACY_MODEL, exclude=list(SPACY_EXCLUDE))}


class RecognizerOwnedContext(ContextAwareEnhancer):
    """Leave scores as the recognizers set them: context is part of each recognizer's rules."""

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0.0, min_score_with_context_similarity=0.0,
                         context_prefix_count=0, context_suffix_count=0)

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult],
                              nlp_artifacts: NlpArtifacts, recognizers: list[EntityRecognizer],
                              context: list[str] | None = None) -> list[RecognizerResult]:
        """Return the results unchanged."""
        return raw_results


def discover_recognizers() -> list[EntityRecognizer]:
    """Instantiate the ``RECOGNIZERS`` of every module in ``detect/recognizers``."""
    found: list[EntityRecognizer] = []
    for info in sorted(pkgutil.iter_modules(recognizers_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{recognizers_pkg.__name__}.{info.name}")
        for cls in getattr(module, "RECOGNIZERS", []):
            found.append(cls())
    return found


def _merge_same_entity(detections: list[Detection]) -> list[Detection]:
    """Overlapping spans of one entity (NER and a pattern on the same name) become one span."""
    out: list[Detection] = []
    for det in sorted(detections, key=lambda d: (d.entity, d.start, -d.end)):
        last = out[-1] if out else None
        if last is not None and last.entity == det.entity and det.start < last.end:
            if det.end > last.end or det.score > last.score:
                best = det if det.score > last.score else last
                end = max(last.end, det.end)
                out[-1] = Detection(entity=last.entity, start=last.start, end=end, text="", score=best.score,
                                    detector=best.detector, explanation=best.explanation)
            continue
        out.append(det)
    return out


log = logging.getLogger(__name__)

_RANK = {e: i for i, e in enumerate(ENTITY_PRIORITY)}


def _drop_contained(detections: list[Detection]) -> list[Detection]:
    """A detection inside a longer one of another entity is part of it ("0412" in "Fenway#0412");
    of two on the same span, the higher-ranked entity stays."""

    def inside(d: Detection, o: Detection) -> bool:
        if o is d or o.entity == d.entity or not (o.start <= d.start and d.end <= o.end):
            return False
        if (o.start, o.end) == (d.start, d.end):
            return _RANK.get(o.entity, 99) < _RANK.get(d.entity, 99)
        return True

    return [d for d in detections if not any(inside(d, o) for o in detections)]


class DetectionEngine:
    """presidio-analyzer configured for records: built once per process (see :func:`get_engine`)."""

    def __init__(self) -> None:
        ner_config = NerModelConfiguration(model_to_presidio_entity_mapping={"PERSON": "PERSON"},
                                           labels_to_ignore=list(_SPACY_LABELS))
        self.nlp_engine = NerOnlySpacyEngine(models=[{"lang_code": "en", "model_name": SPACY_MODEL}],
                                             ner_model_configuration=ner_config)
        self.nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in discover_recognizers():
            registry.add_recognizer(recognizer)
        self.analyzer = AnalyzerEngine(registry=registry, nlp_engine=self.nlp_engine, supported_languages=["en"],
                                       context_aware_enhancer=RecognizerOwnedContext())
        emitted = set(self.analyzer.get_supported_entities("en")) | {"CUSTOM_TERM"}
        unknown = emitted - set(ENTITY_TYPES)
        if unknown:
            raise RuntimeError(f"recognizers emit entity types unknown to the rule sets: {sorted(unknown)}")

    @property
    def versions(self) -> dict[str, str]:
        """Versions that change detection results (recorded in the manifest)."""
        return model_versions()

    def detect(self, text: str, config: DetectionConfig) -> list[Detection]:
        """Detections in one text, after the request's allow-lists and with its listed terms."""
        return self.detect_many([text], config)[0]

    def detect_many(self, texts: Sequence[str], config: DetectionConfig) -> list[list[Detection]]:
        """Like :meth:`detect` for many texts, running spaCy over them in batches."""
        return [with_terms(text, dets, config) for text, dets in zip(texts, self.analyze_many(texts, config),
                                                                     strict=True)]

    def analyze_many(self, texts: Sequence[str], config: DetectionConfig) -> list[list[Detection]]:
        """The model's and the recognizers' detections after the allow-lists, without the request's
        listed terms: what depends only on the text, the model and :func:`analysis_settings`, so it
        can be cached (terms change with every decisions file and cost a regular expression)."""
        out: list[list[Detection]] = []
        # spaCy keeps every new string it sees (each name, number and address) in the model's
        # vocabulary for the life of the process: a worker's memory would grow with the request.
        # A memory zone frees them; nothing made inside it (Docs, tokens) is kept past it.
        with self.nlp_engine.nlp["en"].memory_zone():
            batch = self.nlp_engine.process_batch(list(texts), language="en", batch_size=32)
            for text, artifacts in batch:
                results = self._analyze(text, artifacts)
                dets = [Detection(entity=r.entity_type, start=r.start, end=r.end, text="", score=round(r.score, 3),
                                  detector=(r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY,
                                                                              "?"),
                                  explanation=(r.analysis_explanation.textual_explanation or ""
                                               if r.analysis_explanation else ""))
                        for r in results]
                dets = _drop_contained([_with_text(d, text) for d in _merge_same_entity(dets)])
                out.append(apply_allow_lists(text, dets, config))
        return out

    def _analyze(self, text: str, artifacts: NlpArtifacts) -> list[RecognizerResult]:
        """The recognizers' results on one text; once more with a longer limit when a pattern ran
        over :data:`~.base.REGEX_TIMEOUT` (a loaded machine is slow, not wrong), and the text's
        document withheld when it runs over that too."""
        def analyze() -> list[RecognizerResult]:
            return self.analyzer.analyze(text=text, language="en", nlp_artifacts=artifacts,
                                         score_threshold=SCORE_THRESHOLD, return_decision_process=True)
        try:
            return analyze()
        except TimeoutError:
            first = regex_timeout()
        with patient_regexes():
            log.warning("a detection pattern ran over its %g s limit on a text of %d characters; "
                        "analysing it again with %g s", first, len(text), regex_timeout())
            try:
                return analyze()
            except TimeoutError as exc:
                raise UnreadableDocument(
                    f"a detection pattern ran for more than {regex_timeout():g} s on one text of "
                    f"{len(text):,} characters, so the text could not be analysed; withheld for manual review",
                    reason=DETECTION_TIMED_OUT) from exc


def _with_text(det: Detection, text: str) -> Detection:
    return Detection(entity=det.entity, start=det.start, end=det.end, text=text[det.start:det.end],
                     score=det.score, detector=det.detector, explanation=det.explanation, code=det.code,
                     note=det.note)


@lru_cache(maxsize=1)
def get_engine() -> DetectionEngine:
    """The process's engine (loading spaCy takes a second or two; do it once)."""
    return DetectionEngine()
