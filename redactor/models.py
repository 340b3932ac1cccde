"""The things that flow through a run: units, detections, findings, results."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from operator import attrgetter
from typing import Any


class Action(StrEnum):
    """What happens to a finding in the release."""

    REDACT = "redact"
    #: Redacted in the draft release, but flagged for the officer's decision.
    REVIEW = "review"
    KEEP = "keep"

    @property
    def removes(self) -> bool:
        """True when the value is taken out of the release."""
        return self is not Action.KEEP


#: Every entity type the detection engine can emit, with a short description.
#: Rule sets must map exactly these (validated), so a new detector cannot slip
#: through without a legal mapping.
ENTITY_TYPES: dict[str, str] = {
    "US_SSN": "U.S. Social Security number",
    "US_ITIN": "U.S. Individual Taxpayer Identification Number",
    "US_EIN": "U.S. Employer Identification Number",
    "CREDIT_CARD": "credit or debit card number",
    "US_BANK_NUMBER": "bank account number",
    "ABA_ROUTING_NUMBER": "ABA bank routing number",
    "US_DRIVER_LICENSE": "driver's license or state ID number",
    "USERNAME": "user name or login",
    "PASSWORD": "password or passphrase",
    "HOME_ADDRESS": "home street address",
    "DATE_OF_BIRTH": "date of birth",
    "PHONE_NUMBER": "personal phone number",
    "EMAIL_ADDRESS": "personal email address",
    "PERSON": "name of a private individual",
    "IP_ADDRESS": "IP address",
    "CUSTOM_TERM": "term listed by the officer (always_redact or a decision)",
    "PRIOR_REDACTION": "text the record as received hid under a black box or highlight without removing it",
}

#: When detections overlap, the finding takes the entity (and code) of the first in this list,
#: and a detection inside a higher-ranked one is part of it ("0412" inside a password).
ENTITY_PRIORITY: tuple[str, ...] = (
    "CUSTOM_TERM", "PRIOR_REDACTION", "US_SSN", "US_ITIN", "CREDIT_CARD", "US_BANK_NUMBER", "PASSWORD", "USERNAME",
    "US_DRIVER_LICENSE", "DATE_OF_BIRTH", "EMAIL_ADDRESS", "PHONE_NUMBER", "HOME_ADDRESS", "PERSON", "US_EIN",
    "ABA_ROUTING_NUMBER", "IP_ADDRESS",
)

#: Roles a rule set may key overrides on.
SUBJECT_ROLES: tuple[str, ...] = (
    "public_employee",
    "public_safety_or_legislative_staff",
    "public_employee_family",
    "private_individual",
    "firearms_licensee",
)


@dataclass(frozen=True, slots=True)
class TextUnit:
    """A piece of a document's text that detection sees, with where it came from.

    ``offset`` is the adapter's own anchor (for text files: the character offset
    of the unit in the decoded file), so the adapter can map spans back.
    """

    unit_id: str
    text: str
    part: str = "body"
    page: int | None = None
    offset: int = 0
    line: int | None = None
    #: Read from an image by OCR: the verifier reads a released file's text, not its pixels, so
    #: this text is the only reading of what the released image shows.
    ocr: bool = False
    #: Text detection reads just before the unit, which is not the unit's own, so a value at the
    #: unit's start keeps its label: a cut table's header row, the words before a cut paragraph,
    #: a short Word paragraph before, the end of the PDF page before. What is found only in it is
    #: not the unit's (see api._detections).
    lead: str = ""


@dataclass(frozen=True, slots=True)
class Detection:
    """One span the engine found in one text unit."""

    entity: str
    start: int
    end: int
    text: str
    score: float
    detector: str
    explanation: str = ""
    #: Set when the source of the detection fixes the code (an always_redact term).
    code: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding sits in its document."""

    part: str
    unit_id: str
    start: int
    end: int
    page: int | None = None
    line: int | None = None

    def __reduce__(self) -> tuple[type[Location], tuple[object, ...]]:
        # Pickled as its fields alone: a frozen slotted dataclass's own state methods look its fields
        # up (dataclasses.fields) for every object, and every finding has one: storing and reading
        # back results spent a fifth of a rerun there. By its own class's fields: a format's
        # location (DocxLocation) adds some.
        cls = type(self)
        return cls, _init_values(cls)(self)

    def describe(self) -> str:
        """A short human description, e.g. ``line 12`` or ``page 3``; never the value."""
        bits = []
        if self.part != "body":
            bits.append(self.part)
        if self.page is not None:
            bits.append(f"page {self.page}")
        if self.line is not None:
            bits.append(f"line {self.line}")
        if not bits:
            bits.append(self.unit_id)
        return ", ".join(bits)


@dataclass(slots=True)
class Finding:
    """A detection after the rules and decisions have said what to do with it."""

    id: str
    document: str
    location: Location
    entity: str
    text: str
    action: Action
    code: str | None
    confidence: float
    detector: str
    justification: str
    #: rules | request (always_redact) | decision | consistency (another occurrence)
    source: str = "rules"
    note: str | None = None
    #: The decision (by finding id) that set the action, if any.
    decided: bool = False
    log_id: str | None = None

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        # Pickled as its fields alone (see Location): results are stored, cached and read back with
        # every finding, and a slotted dataclass's own state methods look its fields up each time.
        return Finding, _finding_values(self)

    def to_json(self) -> dict[str, Any]:
        """The findings.jsonl record (internal: it holds the value)."""
        # Built by hand: dataclasses.asdict deep-copies field by field and cost more than the JSON
        # encoding itself over a large request's findings.
        data = dict(zip(_FINDING_FIELDS, _finding_values(self), strict=True))
        data["location"] = dict(zip(_LOCATION_FIELDS, _location_values(self.location), strict=True))
        data["action"] = str(self.action)
        return data


@functools.cache
def _init_values(cls: type) -> Callable[[object], tuple[object, ...]]:
    """The values of a dataclass's constructor arguments, in order, for objects of ``cls``."""
    names = [f.name for f in fields(cls) if f.init]
    get = attrgetter(*names)
    return get if len(names) > 1 else lambda obj: (get(obj),)


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_finding_values = attrgetter(*_FINDING_FIELDS)
_LOCATION_FIELDS = tuple(f.name for f in fields(Location))
_location_values = attrgetter(*_LOCATION_FIELDS)


@dataclass(frozen=True, slots=True)
class Redaction:
    """One span an adapter must remove, with the code to show in its place."""

    finding_id: str
    unit_id: str
    start: int
    end: int
    code: str
    label: str


@dataclass(frozen=True)
class Withheld:
    """A document (or part) kept out of release/ and why."""

    document: str
    reason: str
    detail: str
    #: The exemption code when an officer's decision withholds the document in full.
    code: str | None = None
    #: The page (1-based) when a decision withholds one page of a PDF rather than the document.
    page: int | None = None


@dataclass
class DocumentResult:
    """What processing one document returns to the parent: small and picklable."""

    document: str
    input_sha256: str
    format: str
    status: str  # released | withheld
    findings: list[Finding] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    withheld: Withheld | None = None
    units: int = 0
    #: Page units: a PDF's pages, an mbox's messages, otherwise about one per document.
    pages: int = 0
    leaks: list[str] = field(default_factory=list)
    #: Parts of a released document left out for manual review (e.g. a PDF's attachments).
    parts_withheld: list[Withheld] = field(default_factory=list)
    #: Pages of a released PDF withheld in full by the officer's decision (each with its code).
    pages_withheld: list[Withheld] = field(default_factory=list)
    #: What the reader noticed (pages read by OCR, bad redactions in the input).
    notes: list[str] = field(default_factory=list)
