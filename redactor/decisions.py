"""The officer's decisions file: release or re-code a finding, redact a term, withhold a document.

Validation is strict: a malformed item, an unknown code or (once findings are
known) an unknown finding id stops the run with a message naming the item.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import DecisionsError
from .rules import RuleSet
from .settings import Term
from .yamlfile import YamlDocument, format_validation_error, load_yaml


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    note: str | None = None


class FindingDecision(_Item):
    """Release one finding, or redact it (possibly under another code)."""

    finding: str = Field(min_length=1)
    action: Literal["release", "redact"]
    code: str | None = None


class TermDecision(_Item):
    """Redact a literal term everywhere in the request."""

    text: str = Field(min_length=1)
    action: Literal["redact"]
    code: str | None = None


class WithholdDecision(_Item):
    """Withhold a whole document, or one page of it, under a code."""

    document: str = Field(min_length=1)
    page: int | None = Field(default=None, ge=1)
    action: Literal["withhold"]
    code: str


@dataclass(frozen=True)
class Decisions:
    """A validated decisions file (codes resolved to the rule set's canonical keys)."""

    path: Path | None
    sha256: str | None
    findings: dict[str, tuple[FindingDecision, int]]
    terms: tuple[Term, ...]
    withholds: tuple[tuple[WithholdDecision, int], ...]

    @classmethod
    def empty(cls) -> Decisions:
        """No decisions."""
        return cls(None, None, {}, (), ())

    def where(self, line: int) -> str:
        """``file:line`` for messages."""
        return f"{self.path}:{line}"


_FORMS: dict[str, type[FindingDecision] | type[TermDecision] | type[WithholdDecision]] = {
    "finding": FindingDecision, "text": TermDecision, "document": WithholdDecision}


def _resolve(rules: RuleSet, code: str | None, where: str) -> str | None:
    if code is None:
        return None
    try:
        return rules.resolve_code(code, where=where)
    except DecisionsError:
        raise
    except Exception as exc:  # RulesError -> DecisionsError with the same text
        raise DecisionsError(getattr(exc, "message", str(exc)), getattr(exc, "hint", None)) from None


def load_decisions(path: Path, rules: RuleSet) -> Decisions:
    """Read and validate a decisions file against ``rules``."""
    doc: YamlDocument = load_yaml(path, DecisionsError)
    data = doc.data if doc.data is not None else []
    if not isinstance(data, list):
        raise DecisionsError(f"{path}:{doc.line_of(())}: a decisions file is a YAML list of items "
                             "(each starting with '- ')")
    findings: dict[str, tuple[FindingDecision, int]] = {}
    terms: list[Term] = []
    withholds: list[tuple[WithholdDecision, int]] = []
    for i, item in enumerate(data):
        line = doc.line_of((i,)) or 0
        where = f"{path}:{line}"
        if not isinstance(item, dict):
            raise DecisionsError(f"{where}: item {i + 1} is not a mapping (expected keys such as finding, action)")
        forms = [k for k in _FORMS if k in item]
        if len(forms) != 1:
            raise DecisionsError(
                f"{where}: item {i + 1} must have exactly one of 'finding', 'text' or 'document' "
                f"(found: {', '.join(forms) or 'none'})")
        try:
            parsed = _FORMS[forms[0]].model_validate(item)
        except ValidationError as exc:
            shifted = format_validation_error(doc, exc, f"decision item {i + 1}")
            # pydantic's locations are relative to the item; re-anchor them on the item's line.
            raise DecisionsError(shifted.replace(f"{path}:{doc.line_of(())}:", f"{where}:")) from None
        code = _resolve(rules, parsed.code, where)
        if isinstance(parsed, FindingDecision):
            if parsed.finding in findings:
                raise DecisionsError(f"{where}: finding {parsed.finding} is decided twice "
                                     f"(first at line {findings[parsed.finding][1]})")
            findings[parsed.finding] = (parsed.model_copy(update={"code": code}), line)
        elif isinstance(parsed, TermDecision):
            terms.append(Term(parsed.text, code or rules.custom_term_code, parsed.note, source="decision"))
        else:
            withholds.append((parsed.model_copy(update={"code": code}), line))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return Decisions(path, sha, findings, tuple(terms), tuple(withholds))
