"""Shared fixtures: the detection engine (loaded once), rule sets, request folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from redactor.detect import get_engine
from redactor.detect.engine import DetectionEngine
from redactor.formats import ocr
from redactor.rules import RuleSet, load_rules
from redactor.settings import DetectionConfig

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def engine() -> DetectionEngine:
    """The process's detection engine (spaCy loads once per test session)."""
    return get_engine()


@pytest.fixture(scope="session")
def ma_rules() -> RuleSet:
    """The default Massachusetts rule set."""
    return load_rules("massachusetts")


@pytest.fixture
def detect(engine: DetectionEngine) -> Callable[..., list[tuple[str, str]]]:
    """detect(text, **config) -> [(entity, text), ...] in document order."""

    def run(text: str, **config: object) -> list[tuple[str, str]]:
        cfg = DetectionConfig(**{k: tuple(v) for k, v in config.items()})
        return [(d.entity, d.text) for d in engine.detect(text, cfg)]

    return run


@pytest.fixture
def make_request(tmp_path: Path) -> Callable[..., Path]:
    """make_request({"files/a.txt": "text", ...}, request={...}) -> the request folder."""

    def build(files: dict[str, str | bytes], request: dict | None = None, name: str = "request-1") -> Path:
        root = tmp_path / name
        root.mkdir()
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        if request is not None:
            (root / "request.yaml").write_text(yaml.safe_dump(request, sort_keys=False), encoding="utf-8")
        return root

    return build


@pytest.fixture
def ocr_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The page images Tesseract is run on from now on (their sizes), in order: Tesseract itself
    still reads each one."""
    reads: list[int] = []
    real = ocr._read

    def counting(png: bytes, lang: str) -> list[ocr.OcrWord]:
        reads.append(len(png))
        return real(png, lang)

    monkeypatch.setattr(ocr, "_read", counting)
    return reads
