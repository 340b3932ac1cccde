"""Detection quality on the labelled snippet set meets the targets (the same figures `make quality` prints)."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactor.detect.evaluation import PRECISION_TARGET, RECALL_TARGETS, evaluate, overall_precision, parse_marked

DATA = Path(__file__).resolve().parent / "data"


def test_when_marks_are_parsed_then_spans_point_at_the_values() -> None:
    plain, spans = parse_marked("SSN {{US_SSN:219-09-9998}} of {{PERSON:Jane Roe}}.")
    assert plain == "SSN 219-09-9998 of Jane Roe."
    assert [(e, plain[s:t]) for e, s, t in spans] == [("US_SSN", "219-09-9998"), ("PERSON", "Jane Roe")]


@pytest.fixture(scope="module")
def scores(engine):
    return evaluate(engine, DATA / "labelled_snippets.yaml")


@pytest.mark.parametrize("entity", sorted(RECALL_TARGETS))
def test_when_the_labelled_set_is_run_then_recall_meets_the_target(scores, entity: str) -> None:
    score = scores[entity]
    assert score.tp_gold + score.fn >= 15, "too few labelled examples to judge"
    assert score.recall >= RECALL_TARGETS[entity], score.misses


def test_when_the_labelled_set_is_run_then_overall_precision_meets_the_target(scores) -> None:
    assert overall_precision(scores) >= PRECISION_TARGET, {e: s.false_alarms for e, s in scores.items()}
