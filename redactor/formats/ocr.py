"""OCR of page images with Tesseract (the Debian ``tesseract-ocr`` package, through pytesseract).

Adapters call :func:`ocr_words` on a rendered image and get words with pixel boxes back. When
Tesseract is missing or fails, :class:`OcrUnavailable` is raised: the caller withholds the
document, because a page nobody has read must never be released.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import asdict, dataclass
from functools import lru_cache

from .. import cache

#: Resolution of the renders Tesseract reads: its documented sweet spot for body text.
OCR_DPI = 300
#: Words Tesseract is less sure of than this (0-100) are still kept: a doubtful word may be a name.
MIN_CONFIDENCE = 10
#: Seconds Tesseract may spend on one page before the document is withheld instead.
OCR_TIMEOUT = 180
#: Tesseract's OpenMP threads per process (see :func:`_one_thread_each`).
THREAD_LIMIT = "1"


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed, or it failed on a page."""


@dataclass(frozen=True)
class OcrWord:
    """One word read from an image, with its box in image pixels and its line."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    line: tuple[int, int, int]  # (block, paragraph, line) as Tesseract numbers them


@lru_cache(maxsize=1)
def tesseract_version() -> str | None:
    """The installed Tesseract's version, or None when it is not installed."""
    if shutil.which("tesseract") is None:
        return None
    try:
        import pytesseract

        return str(pytesseract.get_tesseract_version())
    except Exception:
        return None


def ocr_words(png: bytes, lang: str = "eng") -> list[OcrWord]:
    """Words in a PNG image, in reading order (from the run's cache when this image was read before)."""
    if tesseract_version() is None:
        raise OcrUnavailable("Tesseract is not installed (Debian package tesseract-ocr); run `make install`")
    session = cache.current() if lang == "eng" else None
    if session is None:
        return _read(png, lang)
    words = session.ocr(png, lambda: [asdict(w) for w in _read(png, lang)])
    return [OcrWord(**{**w, "line": tuple(w["line"])}) for w in words]  # type: ignore[arg-type]


def ocr_settings() -> dict[str, object]:
    """What OCR results depend on besides the image (part of the cache's key)."""
    return {"tesseract": tesseract_version(), "dpi": OCR_DPI, "min_confidence": MIN_CONFIDENCE, "lang": "eng"}


def _read(png: bytes, lang: str) -> list[OcrWord]:
    import pytesseract
    from PIL import Image

    _one_thread_each()
    try:
        image = Image.open(io.BytesIO(png))
        data = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT,
                                         timeout=OCR_TIMEOUT)
    except Exception as exc:  # pytesseract raises its own error types and RuntimeError on timeout
        raise OcrUnavailable(f"Tesseract failed: {type(exc).__name__}: {exc}") from exc
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if not text:
            continue
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        if conf < MIN_CONFIDENCE and conf != -1.0:
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        words.append(OcrWord(text, x, y, x + w, y + h,
                             (data["block_num"][i], data["par_num"][i], data["line_num"][i])))
    return words


def _one_thread_each() -> None:
    """Tesseract runs on one thread (OMP_THREAD_LIMIT, which the Tesseract processes inherit), unless
    the officer set a limit of their own.

    A batch already runs one worker per core, and Tesseract's OpenMP threads then contend with them
    for the same cores and spin while they wait: on 2 cores a 300 dpi page took several times longer
    with Tesseract's default threads than with one, alone on the machine as well as two at once, and
    the words and boxes read were the same (docs/benchmarks.md). pytesseract passes this process's
    environment on to Tesseract, so the limit is set there."""
    os.environ.setdefault("OMP_THREAD_LIMIT", THREAD_LIMIT)
