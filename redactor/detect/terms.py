"""Literal terms the officer asked to redact everywhere (request.yaml ``always_redact``, decisions)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from ..models import Detection
from ..settings import Term


# Cached: the same terms are looked for in every unit of every document, and the consistency pass
# asks again for each removed value; compiling is what costs, not matching. A compiled term weighs
# about 3 KB and takes about 0.1 ms: 1,024 of them (3 MB) keep the terms in use; a mailbox of
# thousands of distinct names would otherwise keep thousands (10 MB at 5,000 messages).
@lru_cache(maxsize=1024)
def term_regex(term: str) -> regex.Pattern:
    """Case-insensitive, any whitespace (or none: "ShayHill" spells "Shay Hill") for a space, whole
    words where the term has word edges. The verifier reads values the same way, so what it would
    call a leak is redacted here first."""
    parts = [regex.escape(p) for p in term.split()]
    body = r"\s*".join(parts)
    left = r"(?<!\w)" if term[:1].isalnum() else ""
    right = r"(?!\w)" if term[-1:].isalnum() else ""
    # Not also kept in the regex module's own cache (500 expressions): compiling the request's
    # values there pushed out the fixed expressions the recognizers look up by their text, which
    # were then parsed again, thousands of times over a request (a fortieth of its time).
    return regex.compile(left + body + right, regex.IGNORECASE, cache_pattern=False)


def find_terms(text: str, terms: Iterable[Term]) -> list[Detection]:
    """Every occurrence of every term, as CUSTOM_TERM detections carrying the term's code."""
    found = []
    for term in terms:
        for m in term_regex(term.text).finditer(text):
            found.append(Detection(
                entity="CUSTOM_TERM", start=m.start(), end=m.end(), text=m.group(0), score=1.0,
                detector="always_redact" if term.source == "request" else "decision",
                explanation=f"listed term ({term.source})", code=term.code, note=term.note,
            ))
    return found
