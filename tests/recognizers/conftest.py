"""Fixtures for the recognizer tests: ``detect`` restricted to the entities under test."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def found(detect: Callable[..., list[tuple[str, str]]]) -> Callable[..., list[tuple[str, str]]]:
    """found(text, *entities, **config) -> the (entity, text) detections of those entities, in order."""

    def run(text: str, *entities: str, **config: object) -> list[tuple[str, str]]:
        return [(entity, value) for entity, value in detect(text, **config) if entity in entities]

    return run
