"""Per-request settings from ``request.yaml`` (every key optional)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import SettingsError
from .rules import RuleSet
from .yamlfile import YamlDocument, load_yaml, validate

REQUEST_FILE = "request.yaml"


class CustomTerm(BaseModel):
    """An ``always_redact`` item in its long form."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=1)
    code: str | None = None
    note: str | None = None


class RequestSettings(BaseModel):
    """The contents of request.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    request_id: str | None = None
    agency: str | None = None
    requester: str | None = None
    received: dt.date | None = None
    rules: str | None = None
    public_domains: list[str] = []
    public_names: list[str] = []
    always_redact: list[str | CustomTerm] = []
    never_redact: list[str] = []

    @field_validator("public_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        cleaned = []
        for item in value:
            dom = item.strip().lower().lstrip("@").rstrip(".")
            if not dom or "." not in dom or " " in dom:
                raise ValueError(f"{item!r} is not a domain name (e.g. springfield.ma.gov)")
            cleaned.append(dom)
        return cleaned

    @field_validator("public_names", "never_redact")
    @classmethod
    def _non_blank(cls, value: list[str]) -> list[str]:
        for item in value:
            if not item.strip():
                raise ValueError("blank entries are not allowed")
        return [item.strip() for item in value]


@dataclass(frozen=True)
class Term:
    """A literal term to redact everywhere, with its code and why."""

    text: str
    code: str
    note: str | None = None
    source: str = "request"  # request | decision


@dataclass(frozen=True)
class DetectionConfig:
    """Everything detection needs from the request: picklable, no file handles."""

    public_names: tuple[str, ...] = ()
    public_domains: tuple[str, ...] = ()
    never_redact: tuple[str, ...] = ()
    terms: tuple[Term, ...] = field(default_factory=tuple)


def load_request(folder: Path) -> tuple[RequestSettings, YamlDocument | None]:
    """Read ``folder/request.yaml`` if present; defaults otherwise."""
    path = folder / REQUEST_FILE
    if not path.exists():
        return RequestSettings(), None
    doc = load_yaml(path, SettingsError)
    return validate(doc, RequestSettings, SettingsError, what="request settings"), doc


def request_terms(settings: RequestSettings, doc: YamlDocument | None, rules: RuleSet) -> list[Term]:
    """The ``always_redact`` terms with codes resolved against ``rules`` (errors name the line)."""
    terms = []
    for i, item in enumerate(settings.always_redact):
        if isinstance(item, str):
            terms.append(Term(item, rules.custom_term_code))
            continue
        code = rules.custom_term_code
        if item.code is not None:
            where = f"{doc.path}:{doc.line_of(('always_redact', i, 'code'))}" if doc else REQUEST_FILE
            try:
                code = rules.resolve_code(item.code, where=where)
            except SettingsError as exc:
                raise SettingsError(exc.message, exc.hint) from None
        terms.append(Term(item.text, code, item.note))
    return terms
