"""Small images of released PDF pages with each redaction box outlined, for the review report.

Pages are rendered from the released file (what the requester will see), so the
image shows exactly what was removed where. Images are embedded as data: URIs to
keep report.html one self-contained file.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf

log = logging.getLogger(__name__)

#: Rendered width of a page image in pixels: enough to see the layout and the boxes, small in the file.
WIDTH_PX = 420
#: The report stops adding page images after this many (a big request would make the file unwieldy).
MAX_PAGES = 60
#: A box outline that stands out against black boxes and page text alike.
_OUTLINE = (1.0, 0.45, 0.0)

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageImage:
    """One rendered page: its number, how many boxes it shows, and the image as a data: URI."""

    page: int
    boxes: int
    data_uri: str


def render_pages(pdf: Path, pages: Sequence[int], boxes: dict[int, list[Box]]) -> list[PageImage]:
    """Render ``pages`` (1-based) of ``pdf`` with ``boxes`` (per 1-based page, PDF coordinates) outlined.

    A file that cannot be rendered yields no images (the report says so); it never fails the run.
    """
    images: list[PageImage] = []
    try:
        doc = pymupdf.open(pdf)
    except Exception:
        log.debug("cannot render %s for the report", pdf, exc_info=True)
        return images
    try:
        for number in pages:
            if not 1 <= number <= doc.page_count:
                continue
            page = doc[number - 1]
            drawn = boxes.get(number, [])
            # The outlines go on the in-memory copy only; the released file is never written to.
            for x0, y0, x1, y1 in drawn:
                page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=_OUTLINE, width=2.5)
            zoom = WIDTH_PX / max(page.rect.width, 1.0)
            pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
            data = base64.b64encode(pix.tobytes("jpeg", jpg_quality=70)).decode("ascii")
            images.append(PageImage(number, len(drawn), f"data:image/jpeg;base64,{data}"))
    except Exception:
        log.debug("rendering %s for the report failed", pdf, exc_info=True)
    finally:
        doc.close()
        # MuPDF keeps what it decoded (a scan's page image: tens of MB) in a store of up to 256 MB,
        # for reuse by the same document only; in the parent, which renders the report's pages
        # document after document, it would only grow with the request.
        pymupdf.TOOLS.store_shrink(100)
    return images
