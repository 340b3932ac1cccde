"""IPv4 and IPv6 addresses (presidio's recognizer). Found and logged; kept by the default rules."""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IpRecognizer as PresidioIpRecognizer

#: A dotted number right after one of these words is a version or a section, not an address.
_NOT_AN_ADDRESS = regex.compile(
    r"(?i)\b(?:release|version|ver\.?|v|build|firmware|patch|update|section|sec\.?|§|chapter|article|item|rule|"
    r"step|figure|fig\.?|table|appendix|paragraph|para\.?|clause|policy|oid|mib|standard)"
    r"(?:\s+(?:to|of|is|was))?\s*[:#]?\s*$")


class IpRecognizer(PresidioIpRecognizer):
    """Presidio's IP patterns, minus pieces of longer dotted numbers (SNMP OIDs, version strings)."""

    def __init__(self) -> None:
        super().__init__(name="IpRecognizer")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        """Addresses not glued to more dotted digits ("1.3.6.1.4.1" is an OID)."""
        kept = []
        for r in super().analyze(text, entities, nlp_artifacts, regex_flags):
            if _NOT_AN_ADDRESS.search(text[max(0, r.start - 25):r.start]):
                continue
            before, after = text[max(0, r.start - 2):r.start], text[r.end:r.end + 2]
            if (len(before) == 2 and before[1] == "." and before[0].isdigit()) or \
                    (len(after) == 2 and after[0] == "." and after[1].isdigit()):
                continue
            kept.append(r)
        return kept


RECOGNIZERS = [IpRecognizer]
