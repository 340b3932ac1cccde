"""Exemption rule sets: codes, citations, and what each entity type maps to.

A rule set is a YAML file in ``exemption_rules/`` (installed with the package)
or any path. Validation is strict: a bad file stops the run with a message
naming the file, the line and the problem. There is no fallback.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import RulesError
from .models import ENTITY_TYPES, SUBJECT_ROLES, Action
from .yamlfile import YamlDocument, load_yaml, validate

RULES_PACKAGE = "redactor.exemption_rules"
DEFAULT_RULES = "massachusetts"
MARKER_TEMPLATE = "[REDACTED {label}]"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeSpec(_Strict):
    """One exemption code as written in a rule file."""

    citation: str = Field(min_length=1)
    title: str = Field(min_length=1)
    overlay: str = Field(min_length=1, max_length=16)
    aliases: list[str] = []
    discretionary: bool
    parent: str | None = None
    statute: str | None = None
    verification: Literal["V", "P", "R"]
    uncertain: bool = False
    notes: str | None = None
    explanation: str = Field(min_length=1)


class RoleRule(_Strict):
    """What to do with an entity when the subject's role is known."""

    action: Action
    code: str | None = None
    justification: str = Field(min_length=1)


class EntityRule(RoleRule):
    """What to do with an entity type by default."""

    alternatives: list[str] = []
    confidence: Literal["high", "medium", "low"]
    uncertain: bool = False
    roles: dict[str, RoleRule] = {}


class RuleSetFile(_Strict):
    """The whole rule file."""

    schema_version: Literal[1]
    name: str = Field(pattern=r"^[a-z0-9_\-]+$")
    title: str
    jurisdiction: str
    law: str
    version: str
    status: Literal["draft", "reviewed"]
    legal_review_required: bool
    notice: str
    custom_term_code: str
    codes: dict[str, CodeSpec] = Field(min_length=1)
    entities: dict[str, EntityRule]


def _norm_code(text: str) -> str:
    """Fold case and spacing so ``26 (c)``, ``26(C)`` and `` 26(c) `` are one code."""
    return re.sub(r"\s+", "", text).casefold()


@dataclass(frozen=True)
class RuleDecision:
    """The rule set's answer for one entity (and role)."""

    action: Action
    code: str | None
    justification: str


class RuleSet:
    """A validated rule set, with code look-up by key or alias."""

    def __init__(self, spec: RuleSetFile, path: Path, sha256: str) -> None:
        self.spec = spec
        self.path = path
        self.sha256 = sha256
        self._lookup: dict[str, str] = {}
        for key, code in spec.codes.items():
            self._lookup[_norm_code(key)] = key
            for alias in code.aliases:
                self._lookup[_norm_code(alias)] = key

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def version(self) -> str:
        return self.spec.version

    @property
    def codes(self) -> dict[str, CodeSpec]:
        return self.spec.codes

    def resolve_code(self, text: str, where: str = "") -> str:
        """Return the canonical code for ``text`` (a key or an alias), or raise RulesError."""
        key = self._lookup.get(_norm_code(str(text)))
        if key is None:
            prefix = f"{where}: " if where else ""
            raise RulesError(
                f"{prefix}unknown exemption code {text!r} for rule set {self.name!r}. "
                f"Known codes: {', '.join(self.codes)}",
                hint="write the code as in `redact rules show " + self.name + "`",
            )
        return key

    def has_code(self, text: str) -> bool:
        """True when ``text`` names a code of this rule set."""
        return _norm_code(str(text)) in self._lookup

    def code(self, key: str) -> CodeSpec:
        """The spec of a canonical code."""
        return self.codes[key]

    def marker(self, key: str) -> str:
        """The fixed-width text marker for a code, e.g. ``[REDACTED 26(c)]``."""
        return MARKER_TEMPLATE.format(label=self.codes[key].overlay)

    def decide(self, entity: str, role: str | None = None) -> RuleDecision:
        """The default action, code and justification for an entity type."""
        rule = self.spec.entities[entity]
        chosen: RoleRule = rule.roles.get(role, rule) if role else rule
        return RuleDecision(chosen.action, chosen.code, chosen.justification)

    @property
    def custom_term_code(self) -> str:
        return self.spec.custom_term_code


def _cross_check(doc: YamlDocument, spec: RuleSetFile, stem: str | None) -> list[str]:
    """Checks a schema cannot express: references, completeness, uniqueness."""
    problems: list[tuple[tuple, str]] = []
    codes = spec.codes
    if stem is not None and spec.name != stem:
        problems.append((("name",), f"name {spec.name!r} must equal the file name {stem!r}"))
    seen: dict[str, str] = {}
    for key, code in codes.items():
        for i, alias in enumerate([key, *code.aliases]):
            norm = _norm_code(alias)
            if norm in seen and seen[norm] != key:
                loc = ("codes", key) if i == 0 else ("codes", key, "aliases", i - 1)
                problems.append((loc, f"{alias!r} is already used by code {seen[norm]!r}"))
            seen.setdefault(norm, key)
        if code.parent is not None:
            if code.parent not in codes:
                problems.append((("codes", key, "parent"), f"unknown parent code {code.parent!r}"))
            if not code.statute:
                problems.append((("codes", key, "statute"), "a code with a parent must name its statute"))

    def check_ref(ref: str | None, loc: tuple) -> None:
        if ref is not None and ref not in codes:
            problems.append((loc, f"unknown code {ref!r}; known codes: {', '.join(codes)}"))

    check_ref(spec.custom_term_code, ("custom_term_code",))
    missing = [e for e in ENTITY_TYPES if e not in spec.entities]
    if missing:
        problems.append((("entities",), f"missing entity types: {', '.join(missing)}"))
    for entity, rule in spec.entities.items():
        if entity not in ENTITY_TYPES:
            problems.append((("entities", entity),
                             f"unknown entity type {entity!r}; known: {', '.join(ENTITY_TYPES)}"))
            continue
        subs: list[tuple[tuple[str, ...], RoleRule]] = [((), rule)]
        subs += [(("roles", r), rr) for r, rr in rule.roles.items()]
        for sub_loc, sub in subs:
            loc = ("entities", entity, *sub_loc)
            if sub_loc and sub_loc[1] not in SUBJECT_ROLES:
                problems.append((loc, f"unknown role {sub_loc[1]!r}; known: {', '.join(SUBJECT_ROLES)}"))
            if sub.action is not Action.KEEP and sub.code is None:
                problems.append((loc, f"action {sub.action} needs a code"))
            check_ref(sub.code, (*loc, "code"))
        for i, alt in enumerate(rule.alternatives):
            check_ref(alt, ("entities", entity, "alternatives", i))
    return [f"  {doc.path}:{doc.line_of(loc)}: {'.'.join(map(str, loc))}: {msg}" for loc, msg in problems]


def load_rule_file(path: Path, expect_name: bool = True) -> RuleSet:
    """Load and validate one rule file, or raise RulesError naming file and line."""
    doc = load_yaml(path, RulesError)
    spec = validate(doc, RuleSetFile, RulesError, what="rule set")
    problems = _cross_check(doc, spec, path.stem if expect_name else None)
    if problems:
        raise RulesError(f"{path}: invalid rule set ({len(problems)} problem(s)):\n" + "\n".join(problems))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return RuleSet(spec, path, sha)


def _builtin_dir() -> Path:
    return Path(str(resources.files(RULES_PACKAGE)))


def available_rule_sets() -> list[str]:
    """Names of the rule sets installed with the package."""
    return sorted(p.stem for p in _builtin_dir().glob("*.yaml"))


def portable_spec(rules: RuleSet) -> str:
    """How another process, possibly on another machine with redact installed elsewhere, loads
    ``rules``: an installed rule set by its name, any other by its path."""
    return rules.path.stem if rules.path.parent == _builtin_dir() else str(rules.path)


@lru_cache(maxsize=8)
def load_rules(spec: str | None = None) -> RuleSet:
    """Load a rule set by installed name (``massachusetts``) or by path to a YAML file."""
    spec = spec or DEFAULT_RULES
    candidate = Path(spec)
    if candidate.suffix in {".yaml", ".yml"} or "/" in spec or "\\" in spec:
        if not candidate.is_file():
            raise RulesError(f"rule file not found: {spec}")
        return load_rule_file(candidate.resolve(), expect_name=False)
    path = _builtin_dir() / f"{spec}.yaml"
    if not path.is_file():
        raise RulesError(
            f"unknown rule set {spec!r}; installed: {', '.join(available_rule_sets())}",
            hint="pass an installed name or a path to a YAML rule file",
        )
    return load_rule_file(path)
