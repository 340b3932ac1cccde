"""From detections to findings: the rule set's action and code, overlaps, consistency, ids, decisions."""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import pairwise

import regex
from regex import _regex

from .decisions import FindingDecision
from .detect.allowlist import name_tokens, public_addresses
from .detect.companies import company_names, names_a_company
from .detect.gazetteer import NOT_NAME_WORDS, given_names, nicknames_of, on_a_name_list, surnames
from .detect.terms import term_regex
from .detect.titles import OFFICIAL_DETECTOR
from .formats.base import OpenDocument
from .models import ENTITY_PRIORITY, Action, Detection, Finding, Location, Redaction, TextUnit
from .rules import RuleDecision, RuleSet
from .textutil import NUMBER_SEPARATORS, digits_regex, read_by_case, reads_as_name

log = logging.getLogger(__name__)

_RANK = {e: i for i, e in enumerate(ENTITY_PRIORITY)}
#: Entities whose values are numbers: compared by their digits.
NUMERIC = {"US_SSN", "US_ITIN", "US_EIN", "CREDIT_CARD", "US_BANK_NUMBER", "ABA_ROUTING_NUMBER", "PHONE_NUMBER"}
#: Values shorter than this are not propagated to other occurrences (too likely to hit other words).
MIN_PROPAGATE = 3


def normalize_value(entity: str, text: str) -> str:
    """The form two occurrences share: digits for numbers, folded case and spacing otherwise."""
    if entity in NUMERIC:
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits:
            return digits
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def finding_id(document: str, entity: str, norm: str, occurrence: int) -> str:
    """Stable id: document, entity, normalised value and occurrence; never run order."""
    key = "\x1f".join((document, entity, norm, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Draft:
    unit: TextUnit
    start: int
    end: int
    entity: str
    action: Action
    code: str | None
    score: float
    detector: str
    justification: str
    source: str
    note: str | None = None


@dataclass(frozen=True)
class CarriedValue:
    """A value removed in another document of the request: removed wherever it appears here too,
    the same way (entity, action, code), so the release is consistent across documents."""

    entity: str
    text: str
    action: Action
    code: str | None
    justification: str
    #: The document (and finding) it was first removed in.
    document: str
    finding_id: str

    def __reduce__(self) -> tuple[type[CarriedValue], tuple[object, ...]]:
        # Pickled as its fields alone: a document is sent the request's values so far, thousands of
        # them, and the default form repeats every field name and costs three times the time.
        return CarriedValue, (self.entity, self.text, self.action, self.code, self.justification, self.document,
                              self.finding_id)


def _row(v: CarriedValue) -> tuple[object, ...]:
    return v.entity, v.text, v.action, v.code, v.justification, v.document, v.finding_id


class CarriedList(Sequence[CarriedValue]):
    """Values carried to a document held field by field: the request's values so far, as each
    document of the first round is given them.

    A task is pickled with them, thousands of them: a list per field pickles and unpickles several
    times faster than as many objects, and a document that holds few of them (:func:`_occurring_at`)
    never has the others made into objects. Equal to, and shown as, the tuple of its values, so a
    task's cache key does not depend on which form it carries them in."""

    __slots__ = ("_columns", "_file")

    def __init__(self, values: Iterable[CarriedValue] = ()) -> None:
        rows = list(map(_row, values))
        columns = zip(*rows, strict=True) if rows else ((),) * 7
        self._columns: tuple[list, ...] = tuple(map(list, columns))
        self._file: str | None = None

    @classmethod
    def _of(cls, *columns: list) -> CarriedList:
        made = cls.__new__(cls)
        made._columns = columns
        made._file = None
        return made

    def share(self, path: str) -> None:
        """Write the values to ``path`` (a new file), and pickle the list from now on as that file's
        name: a worker process that sees the file reads it once and keeps it for the tasks after.

        Each task of the first round is sent the request's values: thousands of them for thousands
        of tasks, pickled by this process and unpickled by a worker for each. The file must stay
        until every task sent with the list is done, and the list must not grow after."""
        with open(path, "wb") as file:
            pickle.dump(self._columns, file, protocol=pickle.HIGHEST_PROTOCOL)
        self._file = path

    def append(self, value: CarriedValue) -> None:
        """Add a value (to a list being built: one a task was given is not changed after)."""
        for column, cell in zip(self._columns, _row(value), strict=True):
            column.append(cell)

    def copy(self) -> CarriedList:
        return CarriedList._of(*(column[:] for column in self._columns))

    def __reduce__(self) -> tuple[Callable[..., CarriedList], tuple[object, ...]]:
        if self._file is not None:
            return _shared_list, (self._file,)
        return CarriedList._of, self._columns

    def __len__(self) -> int:
        return len(self._columns[1])

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return tuple(self)[index]
        return CarriedValue(*(column[index] for column in self._columns))

    def __iter__(self) -> Iterator[CarriedValue]:
        return map(CarriedValue, *self._columns)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, CarriedList) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    @property
    def texts(self) -> list[str]:
        return self._columns[1]

    @property
    def entities(self) -> list[str]:
        return self._columns[0]


#: In a worker process, the values file it read last (see CarriedList.share): name and values.
_shared: tuple[str, CarriedList] | None = None


def _shared_list(path: str) -> CarriedList:
    """The values written to ``path`` by :meth:`CarriedList.share`, read once per worker.

    No values when the file cannot be read (a Dask worker on a machine that does not see it): the
    document is then processed as it would be alone, and the request-wide check gives it the values
    it needs; the package is the same, only the work more."""
    global _shared
    if _shared is None or _shared[0] != path:
        try:
            with open(path, "rb") as file:
                _shared = (path, CarriedList._of(*pickle.load(file)))
        except OSError as exc:
            log.warning("cannot read the request's values from %s (%s); the document is processed without "
                        "them, and again with those it needs after the others", path, exc.strerror or exc)
            return CarriedList()
    return _shared[1]


#: Entities not carried to other documents: text a record hid under a box is that record's own
#: matter, and it may be any word at all; officer's terms are searched in every document already.
NOT_CARRIED = {"PRIOR_REDACTION", "CUSTOM_TERM"}
_WORD = regex.compile(r"[^\W\d_]{2,}")


def identifies(entity: str, text: str) -> bool:
    """True when a value says who or what it is on its own, wherever it appears: a number of 7 or
    more digits, an address with its number, a login with a digit or sign, a name of two or more
    capitalised words. A one-word name ("Rule", "Beach") or a plain word is only a finding in its
    own context; carried into other records it would remove ordinary words."""
    text = text.strip()
    digits = sum(ch.isdigit() for ch in text)
    if entity in NUMERIC or entity == "DATE_OF_BIRTH":
        return digits >= 7 or (entity == "DATE_OF_BIRTH" and digits >= 6)
    if entity == "PERSON":
        words = _WORD.findall(text)
        return len(words) >= 2 and all(w[0].isupper() for w in words)
    if entity in ("USERNAME", "PASSWORD"):
        return len(text) >= 6 and any(not ch.isalpha() for ch in text)
    if entity == "EMAIL_ADDRESS":
        return "@" in text
    if entity == "HOME_ADDRESS":
        return digits >= 1 and len(_WORD.findall(text)) >= 2
    return len(text) >= 6


def carried_values(findings: Iterable[Finding]) -> list[CarriedValue]:
    """The removed values of ``findings`` that other documents must remove too (first finding wins)."""
    out: dict[str, CarriedValue] = {}
    for f in findings:
        if f.action.removes and f.entity not in NOT_CARRIED and identifies(f.entity, f.text):
            out.setdefault(_fold(f.text), CarriedValue(f.entity, f.text, f.action, f.code, f.justification,
                                                       f.document, f.id))
    return list(out.values())


def _draft(unit: TextUnit, det: Detection, rules: RuleSet) -> _Draft:
    if det.entity == "CUSTOM_TERM":
        return _Draft(
            unit,
            det.start,
            det.end,
            det.entity,
            Action.REDACT,
            det.code or rules.custom_term_code,
            det.score,
            det.detector,
            det.note or rules.decide("CUSTOM_TERM").justification,
            "request" if det.detector == "always_redact" else "decision",
            det.note,
        )
    rule = rules.decide(det.entity)
    return _Draft(
        unit,
        det.start,
        det.end,
        det.entity,
        rule.action,
        rule.code,
        det.score,
        det.detector,
        rule.justification,
        "rules",
    )


def _resolve_overlaps(drafts: list[_Draft]) -> list[_Draft]:
    """Overlapping removals merge into one span (nothing half-redacted); a keep under a removal goes."""
    drafts.sort(key=lambda d: (d.start, -d.end))
    groups: list[list[_Draft]] = []
    end = -1
    for d in drafts:
        if groups and d.start < end:
            groups[-1].append(d)
            end = max(end, d.end)
        else:
            groups.append([d])
            end = d.end
    out = []
    for group in groups:
        removing = [d for d in group if d.action.removes]
        if not removing:
            out.extend(sorted({(d.start, d.end, d.entity): d for d in group}.values(), key=lambda d: d.start))
            continue
        primary = min(removing, key=lambda d: (_RANK.get(d.entity, 99), -(d.end - d.start)))
        out.append(replace(
            primary,
            start=min(d.start for d in removing),
            end=max(d.end for d in removing),
            action=Action.REDACT if any(d.action is Action.REDACT for d in removing) else Action.REVIEW,
            score=max(d.score for d in removing),
        ))
    return out


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _fold(text: str) -> str:
    # Spacing is ignored as term_regex ignores it: "ShayHill" is an occurrence of "Shay Hill".
    return "".join(text.casefold().split())


def taken_from(values: Sequence[CarriedValue]) -> Callable[[Finding], bool]:
    """Whether a finding is an occurrence of one of ``values`` that :func:`_propagate` placed: the
    same text in its folded form or, for a number, the same digits in any spelling."""
    keys = {_fold(v.text) for v in values}
    numbers = {_digits(v.text) for v in values if v.entity in NUMERIC}

    def placed(f: Finding) -> bool:
        return f.detector == "consistency" and (_fold(f.text) in keys or (f.entity in NUMERIC and
                                                                          _digits(f.text) in numbers))
    return placed


def carried_note(value: CarriedValue) -> str:
    """The note of a finding placed from a value removed in another document."""
    return f"removed in {value.document} too (finding {value.finding_id})"


def _removal(v: CarriedValue) -> tuple[str, str, str, str, bool, str]:
    return v.entity, v.text, str(v.action), v.code or "", v.code is None, v.justification


def same_removals(a: Sequence[CarriedValue], b: Sequence[CarriedValue]) -> bool:
    """True when ``a`` and ``b`` remove the same values the same way (entity, spelling, action, code,
    justification), whatever documents they were first removed in: :func:`build_findings` then
    places the same findings with either, and only the notes naming those documents differ."""
    return sorted(map(_removal, a)) == sorted(map(_removal, b))


def move_carried_notes(findings: Sequence[Finding], before: Sequence[CarriedValue],
                       after: Sequence[CarriedValue]) -> None:
    """Make the notes of ``findings`` placed from ``before`` name where the same values of ``after``
    were first removed (``same_removals(before, after)`` must hold): the findings
    :func:`build_findings` gives with ``after``, without processing the document again."""
    by_value = {_fold(v.text): v for v in after}
    notes = {carried_note(v): carried_note(by_value[_fold(v.text)]) for v in before}
    for f in findings:
        if f.detector == "consistency" and f.note in notes:
            f.note = notes[f.note]


def value_key(text: str) -> str:
    """The form under which two spellings of a value are the same value (case and spacing ignored)."""
    return _fold(text)


def _propagate(units: Sequence[TextUnit], drafts: dict[str, list[_Draft]], protected: Sequence[str],
               carried: Sequence[CarriedValue] = (), used: set[str] | None = None) -> None:
    """Every other occurrence of a removed value in the document is removed too, the same way,
    except inside a ``never_redact`` term; so is every value other documents of the request removed.

    A carried value is placed when one of its occurrences stands clear of what the document does
    on its own (its findings, and its own values at their other occurrences): there the document
    alone would show it, which is where the request-wide check finds it. It is then placed at every
    occurrence, merging with what it overlaps. ``used`` receives the folded form of each value
    placed so; the others change nothing, so the findings are those the placed values alone give
    (a document given every value removed before it is what it is with just the ones it needs).

    The placements are added to ``drafts``; :class:`_Propagation` does it for a document in parts.
    """
    _Propagation(protected, carried, used).whole(units, drafts)


class _Propagation:
    """:func:`_propagate` over a document given in parts (a mailbox, a run of messages at a time),
    in three passes over the parts: its own values (:meth:`own_values`), the carried values shown
    alone somewhere (:meth:`offers`, only when values are carried), then the placements
    (:meth:`place`), each part's after :meth:`settle`. Only what spans parts is kept between the
    passes: the first finding of each value, and which carried values occur and show alone; the
    placements in each part are then those of the whole document read at once."""

    def __init__(self, protected: Sequence[str], carried: Sequence[CarriedValue], used: set[str] | None) -> None:
        self.carried = carried
        self.used = used
        self.shields = [term_regex(t) for t in protected]
        #: Folded value -> the document's first removal of it, as the origin of its placements.
        self.own: dict[str, _Draft] = {}
        self.spellings: set[str] = set()
        #: Positions in ``carried`` of the values occurring in the document / shown alone somewhere.
        self.occurring: set[int] = set()
        self.shown: set[int] = set()
        self.origins: dict[str, _Draft] = {}

    def whole(self, units: Sequence[TextUnit], drafts: dict[str, list[_Draft]]) -> None:
        """Every pass over a document given in one part."""
        self.own_values(units, drafts)
        text = _Text(units) if self.own or self.carried else None  # made once for both passes
        self.offers(units, drafts, text)
        self.settle()
        self.place(units, drafts, text)

    def own_values(self, units: Sequence[TextUnit], drafts: dict[str, list[_Draft]]) -> None:
        """First pass: the values the part removes on its own (after those of the parts before it)."""
        for unit in units:
            for d in drafts.get(unit.unit_id, []):
                value = unit.text[d.start : d.end]
                if not d.action.removes or len(value.strip()) < MIN_PROPAGATE:
                    continue
                self.spellings.add(value)
                if _fold(value) not in self.own:
                    # Only the value is kept of its unit: a placement takes the unit it is placed in.
                    self.own[_fold(value)] = replace(d, unit=TextUnit(unit_id="", text=value), start=0,
                                                     end=len(value))

    def offers(self, units: Sequence[TextUnit], drafts: dict[str, list[_Draft]], text: _Text | None = None) -> None:
        """Second pass (every part's own values known): the carried values the part holds, and
        those it would show where the document does nothing on its own."""
        if not self.carried:
            return
        text = text or _Text(units)
        here = [i for i in _occurring_at(units, self.carried, text)
                if _fold(self.carried[i].text) not in self.own]
        self.occurring.update(here)
        pending = [i for i in here if i not in self.shown]
        if not pending:
            return
        # What the part removes, or keeps, on its own: its findings and its own values' placements.
        blocked: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for n, start, end, _ in _placements(units, drafts, self.own, self.spellings, self.shields, text):
            blocked[n].append((start, end))
        for n, unit in enumerate(units):
            blocked[n].extend((d.start, d.end) for d in drafts.get(unit.unit_id, []))
        self.shown.update(i for i in pending
                          if _shows_alone(units, blocked, _carried_origin(self.carried[i]), text))

    def settle(self) -> None:
        """After the passes above over every part: the values to place, the document's own first."""
        # Of carried values with one folded form, the last in the request's order is the one offered.
        offered = {_fold(self.carried[i].text): i for i in sorted(self.occurring)}
        taken = {key: self.carried[i] for key, i in offered.items() if i in self.shown}
        if self.used is not None:
            self.used.update(taken)
        self.origins = {**self.own, **{key: _carried_origin(c) for key, c in taken.items()}}
        self.spellings |= {c.text for c in taken.values()}

    def place(self, units: Sequence[TextUnit], drafts: dict[str, list[_Draft]], text: _Text | None = None) -> None:
        """Last pass: add the part's placements to its drafts (the longest match wins at each place)."""
        if not self.origins:
            return
        for n, start, end, origin in _placements(units, drafts, self.origins, self.spellings, self.shields,
                                                 text or _Text(units)):
            unit = units[n]
            drafts.setdefault(unit.unit_id, []).append(
                replace(origin, unit=unit, start=start, end=end, detector="consistency", source="consistency"))


def _carried_origin(c: CarriedValue) -> _Draft:
    return _Draft(TextUnit(unit_id="", text=c.text), 0, len(c.text), c.entity, c.action, c.code, 1.0,
                  "consistency", c.justification, "consistency", carried_note(c))


def _is_number(origin: _Draft, value: str) -> bool:
    return origin.entity in NUMERIC and len(_digits(value)) >= 6


def _shows_alone(units: Sequence[TextUnit], blocked: dict[int, list[tuple[int, int]]], origin: _Draft,
                 text: _Text) -> bool:
    """Whether a value matches somewhere clear of the spans (per unit index) the document removes
    or keeps on its own: its findings, whatever their action (a decision may yet remove one), and
    its own values' other occurrences."""
    value = origin.unit.text
    matches = _value_matches(units, [value], [_is_number(origin, value)], text)
    return any(all(end <= s or e <= start for s, e in blocked.get(n, ()))
               for n, spans in matches.items() for start, end in spans)


def _placements(units: Sequence[TextUnit], drafts: dict[str, list[_Draft]], origins: dict[str, _Draft],
                spellings: set[str], shields: list[regex.Pattern], text: _Text | None,
                ) -> list[tuple[int, int, int, _Draft]]:
    """Where the values of ``origins`` are placed (unit index, start, end, origin): every match of
    one expression of them all, but inside a removal already made or a ``never_redact`` term."""
    if not origins:
        return []
    # Longest first; spellings of one length in a fixed order (a set's order follows the process's
    # string hashing, and the first of two spellings matching at one place is the one taken).
    values = sorted(spellings, key=lambda v: (-len(v), v))
    # Numbers match in any spelling ("737-27-1318" for "737–27–1318"), as the leak check reads them.
    numeric = [_is_number(origins[_fold(v)], v) for v in values]
    numbers = {_digits(v): origins[_fold(v)] for v in values if origins[_fold(v)].entity in NUMERIC}
    found = _value_matches(units, values, numeric, text)
    out = []
    for n, unit in enumerate(units):
        spans = found.get(n)
        if not spans:
            continue
        existing = drafts.get(unit.unit_id, [])
        kept = [(m.start(), m.end()) for shield in shields for m in shield.finditer(unit.text)]
        for start, end in spans:
            origin = origins.get(_fold(unit.text[start:end])) or numbers.get(_digits(unit.text[start:end]))
            if origin is None:
                continue
            if read_by_case(origin.entity, origin.unit.text[origin.start:origin.end]) and \
                    not reads_as_name(unit.text, start, end):
                continue  # "will", or "Will you …", is no mention of a "Will" removed elsewhere
            if start > 0 and unit.text[start - 1] == "(" and unit.text[start:end].count(")") > \
                    unit.text[start:end].count("("):
                start -= 1  # a number matched from its digits takes its area code's parenthesis: "(508) 555-0112"
            # Inside a removal already made: nothing to add. Overlapping one ("Jane" tagged alone,
            # "Jane Roe" carried here) it is added, and the two merge into one span.
            if any(d.start <= start and end <= d.end and d.action.removes for d in existing):
                continue
            if any(s <= start and end <= e for s, e in kept):
                continue
            out.append((n, start, end, origin))
    return out


# Case folding as the regex module's IGNORECASE compares letters, one character for one: its own
# simple folding, with the dotted and dotless i (which it matches to I and i) folded together.
_FOLD_FLAGS = regex.IGNORECASE | regex.UNICODE
_TURKISH_I = str.maketrans({"\u0131": "i", "\u0130": "i", "I": "i"})
_SPACES = regex.compile(r"\s+")
_SEPARATORS = regex.compile(NUMBER_SEPARATORS.removesuffix("*") + "+")


def _case_key(text: str) -> str:
    return _regex.fold_case(_FOLD_FLAGS, text).translate(_TURKISH_I)


# A number's expression weighs about 11 KB (a separator class between every two digits) and takes
# about 0.6 ms to compile: 512 are kept (6 MB), not every number of a large mailbox.
@lru_cache(maxsize=512)
def _number_regex(digits: str) -> regex.Pattern:
    return regex.compile(digits_regex(digits), regex.IGNORECASE, cache_pattern=False)  # see terms.term_regex


class _Text:
    """A document's letters (spacing removed) and digits (separators removed), case folded, one line
    per unit, as :func:`_value_matches` searches them: made once per document, not once per search."""

    def __init__(self, units: Sequence[TextUnit]) -> None:
        self.letters = "\n".join(_case_key(_SPACES.sub("", u.text)) for u in units)
        self.digits = "\n".join(_case_key(_SEPARATORS.sub("", u.text)) for u in units)

    @cached_property
    def letter_starts(self) -> list[int]:
        return _line_starts(self.letters)

    @cached_property
    def digit_starts(self) -> list[int]:
        return _line_starts(self.digits)

    @cached_property
    def grams(self) -> tuple[set[str], set[str]]:
        return _grams(self.letters), _grams(self.digits)

    def lacks(self, key: str, is_number: bool) -> bool:
        """Whether a case-folded needle is certainly nowhere in the letters (or the digits): a gram
        of its start or of its end is not there. One look each, where a search scans the text."""
        grams = self.grams[is_number]
        return len(key) >= _GRAM and (key[:_GRAM] not in grams or key[-_GRAM:] not in grams)


def _occurring_at(units: Sequence[TextUnit], carried: Sequence[CarriedValue], text: _Text) -> list[int]:
    """The positions in ``carried`` of the values that can match in ``units``: their letters (case
    folded, spacing removed) or, for a number, its digits (separators removed) stand together
    somewhere, as :func:`_value_matches` requires of every match. A document given the request's
    values so far holds few of them; the others are dropped here at one look each, or, for the
    request's values so far, not looked at at all (see :class:`_ValueIndex`)."""
    many = len(carried) >= _GRAM_FILTER_FROM

    def holds(key: str, is_number: bool) -> bool:
        return not (many and text.lacks(key, is_number)) and key in (text.digits if is_number else text.letters)

    def occurs(value: str, entity: str) -> bool:
        _, letter_key = _needle(value, False)
        return not letter_key or holds(letter_key, False) or \
            (entity in NUMERIC and bool(digit_key := _needle(value, True)[1]) and holds(digit_key, True))

    if isinstance(carried, CarriedList) and many:
        index = _ValueIndex.of(carried)
        if index.cheaper_than_all(text, len(carried)):
            texts, entities = carried.texts, carried.entities
            return [i for i in index.candidates(text, len(carried)) if occurs(texts[i], entities[i])]
    return [i for i, c in enumerate(carried) if occurs(c.text, c.entity)]


class _ValueIndex:
    """The request's values so far by the first gram of what :func:`_occurring_at` looks for of each
    (its letters, and a number's digits): a document's candidates are those filed under one of its
    own grams, found at one look per gram of the document, not one per value.

    Each document of the first round is given the values of the documents before it; without this
    every document looked at every value once, and a request of 10,000 short documents, each with a
    value of its own, spent more time there than in detection. The values only grow during a run,
    so a worker keeps one index and adds to it the values a task has beyond those it holds (a task
    sent earlier has fewer: it uses the first of them); a task whose values do not start as those
    do (another run in the same process) gets a new one."""

    _current: _ValueIndex | None = None
    #: Dask workers run tasks in threads: one adds to the index at a time.
    _adding = threading.Lock()

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.entities: list[str] = []
        self.letters: dict[str, list[int]] = defaultdict(list)
        self.digits: dict[str, list[int]] = defaultdict(list)
        #: Values with a key shorter than a gram (or none): candidates in every document.
        self.always: list[int] = []

    @classmethod
    def of(cls, carried: CarriedList) -> _ValueIndex:
        with cls._adding:
            index = cls._current
            n = 0 if index is None else min(len(index.texts), len(carried))
            if index is None or carried.texts[:n] != index.texts[:n] or carried.entities[:n] != index.entities[:n]:
                index = cls._current = cls()
            index._extend(carried)
            return index

    def _extend(self, carried: CarriedList) -> None:
        for i in range(len(self.texts), len(carried)):
            value, entity = carried.texts[i], carried.entities[i]
            self.texts.append(value)
            self.entities.append(entity)
            letter_key = _needle(value, False)[1]
            digit_key = _needle(value, True)[1] if entity in NUMERIC else ""
            if len(letter_key) < _GRAM or (entity in NUMERIC and 0 < len(digit_key) < _GRAM):
                self.always.append(i)
                continue
            self.letters[letter_key[:_GRAM]].append(i)
            if digit_key:
                self.digits[digit_key[:_GRAM]].append(i)

    def cheaper_than_all(self, text: _Text, count: int) -> bool:
        """Whether looking up the document's grams costs less than looking at ``count`` values."""
        letter_grams, digit_grams = text.grams
        return len(letter_grams) + len(digit_grams) < count

    def candidates(self, text: _Text, count: int) -> list[int]:
        """Of the first ``count`` values, those (by position) that may occur in ``text``, in order;
        the others certainly do not."""
        letter_grams, digit_grams = text.grams
        found = set(self.always)
        for grams, filed in ((letter_grams, self.letters), (digit_grams, self.digits)):
            for gram in grams:
                found.update(filed.get(gram, ()))
        return sorted(i for i in found if i < count)


@lru_cache(maxsize=1 << 16)
def _needle(value: str, is_number: bool) -> tuple[str, str]:
    """What :func:`_value_matches` looks for of a value, and its case-folded form. Cached: a worker
    sees the request's carried values again with every document it is given them for."""
    needle = _digits(value) if is_number else "".join(value.split())
    return needle, _case_key(needle)


def _value_matches(units: Sequence[TextUnit], values: list[str], numeric: list[bool], text: _Text | None = None,
                   ) -> dict[int, list[tuple[int, int]]]:
    """Per unit (by index), the spans one regular expression of every value (``values`` in order, longest first)
    would match: at each place the first value that matches wins and the scan goes on after it.

    One alternation of every value scanned over every unit costs units x values (an mbox of 1,000
    messages took minutes). Here each value is looked for only in the units that can hold it: a value
    can only match where its letters (case folded, spacing removed) or its digits (separators
    removed) stand together, which a plain substring search over the whole document finds; then
    each candidate value's own expression runs on those units, at every start position, and the
    alternation's leftmost-first choice is replayed from those matches.
    """
    needles, keys = zip(*map(_needle, values, numeric), strict=True) if values else ((), ())
    if not all(needles):  # a value that could match empty text: the plain alternation decides
        return _alternation_matches(units, values, numeric)
    # One line per unit in each key; no needle holds a line break (spaces and separators are removed).
    text = text or _Text(units)
    letters, digit_text = text.letters, text.digits
    letter_starts, digit_starts = text.letter_starts, text.digit_starts
    candidates: dict[int, list[int]] = defaultdict(list)
    # With many values (a document given the request's values so far) most are nowhere in it: a
    # set of the text's short grams rules those out at one look each, not one scan of the text each.
    many = len(keys) >= _GRAM_FILTER_FROM
    for i, (needle, is_number) in enumerate(zip(keys, numeric, strict=True)):
        haystack, line_starts = (digit_text, digit_starts) if is_number else (letters, letter_starts)
        if many and text.lacks(needle, is_number):
            continue
        pos = haystack.find(needle)
        while pos != -1:
            line = bisect_right(line_starts, pos) - 1
            candidates[line].append(i)
            nxt = line_starts[line + 1] if line + 1 < len(line_starts) else len(haystack)
            pos = haystack.find(needle, nxt)
    found: dict[int, list[tuple[int, int]]] = {}
    for line, indices in candidates.items():
        text = units[line].text
        first: dict[int, int] = {}  # start -> end of the first value (in order) matching there
        for i in indices:  # ascending: the order of the alternation
            rx = _number_regex(needles[i]) if numeric[i] else term_regex(values[i])
            for m in rx.finditer(text, overlapped=True):
                first.setdefault(m.start(), m.end())
        spans, pos = [], 0
        for start in sorted(first):
            if start >= pos:
                spans.append((start, first[start]))
                pos = first[start]
        if spans:
            found[line] = spans
    return found


#: Values from which a search first rules out, by the text's grams, those certainly nowhere in it (:meth:`_Text.lacks`).
_GRAM_FILTER_FROM = 32
_GRAM = 4


def _grams(text: str) -> set[str]:
    return {text[i:i + _GRAM] for i in range(len(text) - _GRAM + 1)}


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _alternation_matches(units: Sequence[TextUnit], values: list[str], numeric: list[bool],
                         ) -> dict[int, list[tuple[int, int]]]:
    """What :func:`_value_matches` computes, by one alternation of every value over every unit."""
    parts = [digits_regex(_digits(v)) if is_number else term_regex(v).pattern
             for v, is_number in zip(values, numeric, strict=True)]
    pattern = regex.compile("|".join(f"(?:{p})" for p in parts), regex.IGNORECASE,
                            cache_pattern=False)  # see terms.term_regex
    return {n: [m.span() for m in pattern.finditer(u.text)] for n, u in enumerate(units)}


_LOWER_WORD = regex.compile(r"(?<![\w@./-])([a-z][a-z]{2,})(?![\w@/-])")


def _common_words(units: Sequence[TextUnit]) -> frozenset[str]:
    """Words the document itself writes in lower case, as ordinary words."""
    return frozenset(m.group(1) for unit in units for m in _LOWER_WORD.finditer(unit.text))


def _companies(units: Sequence[TextUnit]) -> set[tuple[str, ...]]:
    """The companies the document writes with their legal form, on any page or part: the name
    recognizer sees one text at a time ("Crazie Overstock, LLC" on page 1, "Crazie Overstock
    appealed" on page 4)."""
    return {name for unit in units for name in company_names(unit.text)}


def _is_company_tag(det: Detection, companies: set[tuple[str, ...]]) -> bool:
    return bool(companies) and det.entity == "PERSON" and det.detector == "PersonRecognizer" \
        and names_a_company(det.text, companies)


_LETTERS = regex.compile(r"[^\W\d_]+")


def _is_common_word_tag(det: Detection, common: frozenset[str]) -> bool:
    """A model's PERSON tag on capitalised ordinary words ("Runaway Stabilizer" in a manual that
    speaks of "the stabilizer"): every word appears in lower case elsewhere in the document and
    none is a given name or surname on the Census lists ("Mark Rose" stays a name)."""
    if det.entity != "PERSON" or det.detector != "PersonRecognizer" or det.text.islower():
        return False  # a tag in lower case is its address's own name ("tgordon <tgordon@…>")
    words = [w.casefold() for w in _LETTERS.findall(det.text)]
    if not words:
        return False
    return all(w in common and w not in given_names() and w not in surnames() for w in words)


def build_findings(
    document: str,
    doc: OpenDocument,
    detections: Sequence[Sequence[Detection]],
    rules: RuleSet,
    protected: Sequence[str] = (),
    carried: Sequence[CarriedValue] = (),
    used: set[str] | None = None,
    public_domains: Sequence[str] = (),
) -> list[Finding]:
    """Findings for one document, in document order, with stable ids (``protected``: never_redact terms;
    ``carried``: values other documents of the request removed; ``used``: see :func:`_propagate`;
    ``public_domains``: the agency's, see :func:`_signed_names`)."""
    builder = FindingsBuilder(document, rules, protected, carried, used, public_domains)
    return builder.whole(doc.units, detections, doc.locate, doc.holds_own_text)


def _officials(detections: Iterable[Sequence[Detection]]) -> set[frozenset[str]]:
    """The words of each name a document writes in office (see detect.settings.in_office)."""
    return {name_tokens(d.text) for dets in detections for d in dets if d.detector == OFFICIAL_DETECTOR}


def _is_name(words: frozenset[str]) -> bool:
    """Whether the words read in office are a person's name: one of them a given name or surname
    of the Census lists or of other origins', and none a word no name holds. The title patterns
    also take what follows "Chief" in "Chief Executive Officer", or "Detective" in "the Detective
    Unit": not a person, though its words still judge the model's tags (see _is_official_tag)."""
    return bool(words) and not words & NOT_NAME_WORDS and any(on_a_name_list(w) for w in words)


def _is_official_tag(det: Detection, officials: set[frozenset[str]]) -> bool:
    """A model's PERSON tag on an official the document names in office elsewhere: "Mr. Smith" in
    minutes that name "Vice Chair John Smith". A longer name ("Jane Smith") is another person."""
    if det.entity != "PERSON" or det.detector != "PersonRecognizer" or not officials:
        return False
    words = name_tokens(det.text)
    return bool(words) and any(words <= official for official in officials)


#: Said of an official's name when the rule set has no rule for a public employee's.
_OFFICIAL_JUSTIFICATION = "Name of a public official, written in office in this record; it is public."


def _official_rule(rules: RuleSet) -> RuleDecision:
    """What an official's name written in office gets: the rule set's rule for a public employee's
    name, or kept when it has none."""
    if "public_employee" in rules.spec.entities["PERSON"].roles:
        return rules.decide("PERSON", "public_employee")
    return RuleDecision(Action.KEEP, None, _OFFICIAL_JUSTIFICATION)


def _official_draft(unit: TextUnit, start: int, end: int, rule: RuleDecision) -> _Draft:
    return _Draft(unit, start, end, "PERSON", rule.action, rule.code, 1.0, OFFICIAL_DETECTOR,
                  rule.justification, "rules")


#: A message's own header and body units (``m3/`` of a mailbox, ``att1/`` of an attached message).
_MESSAGE_UNIT = regex.compile(r"(?P<message>.*/)?[\d.]*:(?P<kind>[hb])\d+")
#: Said of a sender's or a recipient's name signing or greeted in the message.
_SIGNED_DETECTOR = "name from the message's headers, signed or greeted in its body"
#: The headers whose names sign a message or are greeted in it; of these, the recipients'.
_NAMING_HEADERS = ("header From", "header To", "header Cc")
_RECIPIENT_HEADERS = ("header To", "header Cc")
_SIGN_OFF = r"(?:thanks|thank you|regards|best|cheers|sincerely|respectfully|best regards|kind regards)"


@lru_cache(maxsize=4096)
def _signature(word: str) -> regex.Pattern:
    """The word as a line's signature or greeting: alone on its line ("Temitope,"; a quoted line
    is read without its "> "), after a dash ("... 6 feet. - Mark") or a sign-off ("Thanks,
    Temitope"). Kept here, not in the regex module's cache (see terms.term_regex): a mailbox's
    senders write to it again and again."""
    return regex.compile(
        rf"(?:^[ \t]*(?:[-–—~]+[ \t]*|(?i:{_SIGN_OFF})[,!]?[ \t]+)?|[ \t][-–—~]+[ \t]*)"
        rf"(?P<name>{regex.escape(word)})[ \t]*[.,:!]?[ \t]*$", regex.MULTILINE, cache_pattern=False)


@lru_cache(maxsize=4096)
def _greeting(word: str) -> regex.Pattern:
    """The word greeting the reader at the head of a paragraph, the letter going on after it on
    the same line ("Temitope, your permit is approved.")."""
    return regex.compile(rf"\A[ \t]*(?P<name>{regex.escape(word)}),[ \t]+\S", cache_pattern=False)


def _given_name(name: str) -> str | None:
    """The given name of a header's name: its first word, or the first after a comma
    ("Oyelaran, Temitope")."""
    words = _LETTERS.findall(name.partition(",")[2]) or _LETTERS.findall(name)
    return words[0] if words else None


def _header_forms(name: str, recipient: bool) -> Iterator[tuple[str, bool]]:
    """The forms a header's name signs or is greeted with: each of its words, and the nicknames of
    its given name ("Raymond Szeto": "Ray"); each with whether it greets from the head of a
    paragraph (a recipient's given name or its nicknames)."""
    given = _given_name(name)
    for word in _LETTERS.findall(name):
        yield word, recipient and word == given
    if given:
        for nick in nicknames_of(given):
            yield nick, recipient


def _signed_at(word: str, text: str, greeted: bool) -> Iterator[regex.Match]:
    if word in text:  # most of a message's paragraphs: no pattern run
        yield from _signature(word).finditer(text)
        if greeted:
            yield from _greeting(word).finditer(text)


#: What may stand between two words of a name written together: a comma, an initial or a title
#: ("ROE, JANE", "Jane Q. Roe", "GERONAZZO Dott.ssa  MARIACHIARA"); not other words ("Ann Street
#: and Wood Street" under "From: Ann Wood").
_BETWEEN_NAME_WORDS = regex.compile(r"[ \t]*,?[ \t]*(?:\p{L}{1,4}\.(?:\p{L}{1,4})?[ \t]*)*")


@lru_cache(maxsize=4096)
def _any_word_of(words: tuple[str, ...]) -> regex.Pattern:
    """Any of a name's words, whole, in any case."""
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}'’\-])(?i:{alternatives})(?![\p{{L}}'’\-])", cache_pattern=False)


def _written_together(words: tuple[str, ...], text: str) -> list[tuple[int, int]]:
    """Where two different words of a name stand capitalised side by side, in any order and case,
    only a comma, an initial or a title between: a signature block's "GERONAZZO Dott.ssa
    MARIACHIARA" under "From: Mariachiara Geronazzo", which the recognizer reads as no name (a
    word in capitals before a title). One span from the first word to the last: its words are
    no value of their own, which the document would remove wherever it writes one capitalised
    ("Grant applications are due" under "From: Grant Wood" over "GRANT WOOD")."""
    found = [m for m in _any_word_of(words).finditer(text) if m.group()[0].isupper()]
    spans: list[tuple[int, int]] = []
    for a, b in pairwise(found):
        if a.group().casefold() != b.group().casefold() and _BETWEEN_NAME_WORDS.fullmatch(text, a.end(), b.start()):
            if spans and spans[-1][1] == a.end():
                spans[-1] = (spans[-1][0], b.end())
            else:
                spans.append((a.start(), b.end()))
    return spans


@dataclass
class _MessageNames:
    """What one message's From, To and Cc headers name, read once for all its paragraphs."""

    #: Each form of a removed name (its words, its given name's nicknames), the name's draft, and
    #: whether it greets from a paragraph's head.
    forms: list[tuple[str, _Draft, bool]] = field(default_factory=list)
    #: Each removed name of two words or more: its words, case-folded, and its draft.
    names: list[tuple[tuple[str, ...], _Draft]] = field(default_factory=list)
    #: The forms of the names before the agency's public addresses (staff).
    staff: list[tuple[str, bool]] = field(default_factory=list)

    def add_removed(self, draft: _Draft, name: str, recipient: bool) -> None:
        self.forms += [(word, draft, greeted) for word, greeted in _header_forms(name, recipient)]
        words = tuple(sorted({w.casefold() for w in _LETTERS.findall(name) if len(w) > 1}))
        if len(words) > 1:
            self.names.append((words, draft))

    @cached_property
    def removed_words(self) -> frozenset[str]:
        return frozenset(word for word, _, _ in self.forms)


def _message_names(parsed: list[tuple[TextUnit, regex.Match | None]], drafts: dict[str, list[_Draft]],
                   public_domains: tuple[str, ...]) -> dict[str, _MessageNames]:
    """Each message's header names (by the unit ids' message prefix)."""
    messages: dict[str, _MessageNames] = defaultdict(_MessageNames)
    for unit, m in parsed:
        if m and m.group("kind") == "h" and unit.part.endswith(_NAMING_HEADERS):
            names, recipient = messages[m.group("message") or ""], unit.part.endswith(_RECIPIENT_HEADERS)
            for d in drafts.get(unit.unit_id, ()):
                if d.entity == "PERSON" and d.action.removes:
                    names.add_removed(d, unit.text[d.start:d.end], recipient)
            for _, name in public_addresses(unit.text, public_domains):
                if name:
                    names.staff += _header_forms(name, recipient)
    return messages


def _signed_names(units: Sequence[TextUnit], drafts: dict[str, list[_Draft]],
                  public_domains: tuple[str, ...] = ()) -> None:
    """A message's sender signs with a part of the name its From header gives ("From: Mark Will"
    over "- Mark") or with its nickname ("From: Raymond Szeto" over "Ray"), and greets its
    recipients by their given names ("To: Temitope Oyelaran" and "Temitope," on the first line, or
    "Temitope, your permit ..."): the body is read apart from the headers, and one word alone is no
    name to the recognizer. A part of a name the From, To or Cc header removes, or a nickname of its
    given name, is removed where it stands alone on a line, after a dash or after a sign-off in the
    same message's body; a recipient's given name also where it opens a paragraph before a comma.
    Two words of such a name written together on a line are removed in any order and case (see
    :func:`_written_together`).

    Staff write from the agency's public domains, and their names there are public (see
    detect.allowlist): where such a header's name signs or is greeted the same way ("Linda" under
    "From: Linda Castellano <lcastellano@town.gov>"), a name tag there is dropped, unless the word
    is also a part of a name the message's headers remove."""
    parsed = [(unit, _MESSAGE_UNIT.fullmatch(unit.unit_id)) for unit in units]
    messages = _message_names(parsed, drafts, public_domains)
    if not messages:
        return
    for unit, m in parsed:
        names = messages.get(m.group("message") or "") if m and m.group("kind") == "b" else None
        if names is None:
            continue
        made: list[_Draft] = []
        for word, origin, greeted in names.forms:
            made += [replace(origin, unit=unit, start=one.start("name"), end=one.end("name"),
                             detector=_SIGNED_DETECTOR) for one in _signed_at(word, unit.text, greeted)]
        if names.names:
            folded = unit.text.casefold()  # only to see whether two of a name's words are there
            for words, origin in names.names:
                if sum(w in folded for w in words) > 1:
                    value = origin.unit.text[origin.start:origin.end]
                    # The name as the header writes it is the document's consistency's to place.
                    made += [replace(origin, unit=unit, start=start, end=end, detector=_SIGNED_DETECTOR)
                             for start, end in _written_together(words, unit.text)
                             if unit.text[start:end] != value]
        if made:
            drafts.setdefault(unit.unit_id, []).extend(made)
        public = {(one.start("name"), one.end("name")) for word, greeted in names.staff
                  if word not in names.removed_words for one in _signed_at(word, unit.text, greeted)}
        if public and unit.unit_id in drafts:
            drafts[unit.unit_id] = [d for d in drafts[unit.unit_id]
                                    if not (d.entity == "PERSON" and (d.start, d.end) in public)]


def _has_name_tag(detections: Iterable[Sequence[Detection]]) -> bool:
    return any(d.entity == "PERSON" and d.detector == "PersonRecognizer" for dets in detections for d in dets)


class FindingsBuilder:
    """:func:`build_findings` for a document given in parts (a mailbox, a run of messages at a
    time), so that it is never all in memory at once.

    Some of what a finding is depends on the whole document: a value removed anywhere is removed
    everywhere, a name tag made of words the document also writes in lower case is dropped, and
    ids count a value's occurrences from the start. So each part is given again at each of four
    passes, in document order every time: :meth:`read_words`, :meth:`read_values`,
    :meth:`read_offers` (only when :attr:`needs_offers`), then :meth:`findings`, which gives the
    part's findings. Only what spans parts is kept between passes (the document's lower-case words,
    the first finding of each removed value, which carried values it takes, the occurrence counts):
    the findings are those of the document given whole (:meth:`whole`).
    """

    def __init__(self, document: str, rules: RuleSet, protected: Sequence[str] = (),
                 carried: Sequence[CarriedValue] = (), used: set[str] | None = None,
                 public_domains: Sequence[str] = ()) -> None:
        self.document = document
        self.rules = rules
        #: The agency's public e-mail domains (request.yaml): their staff sign in public.
        self.public_domains = tuple(public_domains)
        self._spread = _Propagation(protected, carried, used)
        self._tagged = False
        self._words: set[str] = set()
        self._common: frozenset[str] | None = None
        self._companies: set[tuple[str, ...]] = set()
        self._officials: set[frozenset[str]] = set()
        #: Of those, the ones that are a person's name (_is_name, judged once each): findings of
        #: their own (see _drafts).
        self._named: set[frozenset[str]] = set()
        self._official = _official_rule(rules)
        self._settled = False
        self._occurrences: dict[tuple[str, str], int] = defaultdict(int)

    @property
    def needs_offers(self) -> bool:
        """Whether the pass of :meth:`read_offers` is needed: values of other documents are carried."""
        return bool(self._spread.carried)

    def whole(self, units: Sequence[TextUnit], detections: Sequence[Sequence[Detection]],
              locate: Callable[[str, int, int], Location],
              owns: Callable[[str, int, int], bool] | None = None) -> list[Finding]:
        """The findings of a document given in one part (``owns``: see :meth:`_number`)."""
        # The lower-case word list is a pass over the whole document: only made when a name tag
        # needs it (it only judges the model's PERSON tags).
        tagged = _has_name_tag(detections)
        self._common = _common_words(units) if tagged else frozenset()
        self._companies = _companies(units) if tagged else set()
        self._officials = _officials(detections)
        self._named = {words for words in self._officials if _is_name(words)}
        drafts = self._drafts(units, detections)
        self._spread.whole(units, drafts)
        self._settled = True
        return self._number(units, drafts, locate, owns)

    def read_words(self, units: Sequence[TextUnit], detections: Sequence[Sequence[Detection]]) -> None:
        """First pass over a part: its name tags, the words it writes in lower case, the companies
        and the officials it names."""
        self._tagged = self._tagged or _has_name_tag(detections)
        self._words.update(_common_words(units))
        self._companies.update(_companies(units))
        officials = _officials(detections)
        self._officials.update(officials)
        self._named.update(words for words in officials if _is_name(words))

    def read_values(self, units: Sequence[TextUnit], detections: Sequence[Sequence[Detection]]) -> None:
        """Second pass over a part: the values it removes on its own."""
        if self._common is None:
            self._common = frozenset(self._words) if self._tagged else frozenset()
            self._words = set()
        self._spread.own_values(units, self._drafts(units, detections))

    def read_offers(self, units: Sequence[TextUnit], detections: Sequence[Sequence[Detection]]) -> None:
        """Third pass over a part: the carried values it holds and would show on its own."""
        self._spread.offers(units, self._drafts(units, detections))

    def findings(self, units: Sequence[TextUnit], detections: Sequence[Sequence[Detection]],
                 locate: Callable[[str, int, int], Location],
                 owns: Callable[[str, int, int], bool] | None = None) -> list[Finding]:
        """Last pass over a part: its findings, in document order (``owns``: see :meth:`_number`)."""
        if not self._settled:
            self._spread.settle()
            self._settled = True
        drafts = self._drafts(units, detections)
        self._spread.place(units, drafts)
        return self._number(units, drafts, locate, owns)

    def _drafts(self, units: Sequence[TextUnit], detections: Sequence[Sequence[Detection]],
                ) -> dict[str, list[_Draft]]:
        """The part's drafts. An official's name written in office, and the shorter mentions of
        it the model tagged, are findings of their own, kept (by the rule set's rule for a public
        employee's name): that shows the officer why they stay, and they stand where the same name
        removed in another document of the request would be placed (see _Propagation)."""
        common = self._common if self._common is not None else frozenset()
        drafts: dict[str, list[_Draft]] = {}
        for unit, dets in zip(units, detections, strict=True):
            made = []
            for d in dets:
                if d.detector == OFFICIAL_DETECTOR:
                    if name_tokens(d.text) in self._named:  # not "Unit" of "the Detective Unit"
                        made.append(_official_draft(unit, d.start, d.end, self._official))
                elif _is_common_word_tag(d, common) or _is_company_tag(d, self._companies):
                    continue
                elif not _is_official_tag(d, self._officials):
                    made.append(_draft(unit, d, self.rules))
                elif _is_official_tag(d, self._named):
                    made.append(_official_draft(unit, d.start, d.end, self._official))
            drafts[unit.unit_id] = made
        _signed_names(units, drafts, self.public_domains)
        return {uid: _resolve_overlaps(made) for uid, made in drafts.items()}

    def _number(self, units: Sequence[TextUnit], drafts: dict[str, list[_Draft]],
                locate: Callable[[str, int, int], Location],
                owns: Callable[[str, int, int], bool] | None = None) -> list[Finding]:
        """The drafts as findings, numbered. A draft that lies wholly in a label the adapter read
        before a value (``owns`` says it holds none of the document's own text) is not one: it would
        be logged as a redaction that changes nothing. Its value is the text of another cell, which
        the document's own removal of it (:class:`_Propagation`) has covered there."""
        findings = []
        for unit in units:
            for d in sorted(_resolve_overlaps(drafts.get(unit.unit_id, [])), key=lambda d: (d.start, d.end)):
                if owns is not None and not owns(unit.unit_id, d.start, d.end):
                    continue
                text = unit.text[d.start : d.end]
                norm = normalize_value(d.entity, text)
                occ = self._occurrences[(d.entity, norm)]
                self._occurrences[(d.entity, norm)] += 1
                findings.append(
                    Finding(
                        id=finding_id(self.document, d.entity, norm, occ),
                        document=self.document,
                        location=locate(unit.unit_id, d.start, d.end),
                        entity=d.entity,
                        text=text,
                        action=d.action,
                        code=d.code,
                        confidence=round(d.score, 3),
                        detector=d.detector,
                        justification=d.justification,
                        source=d.source,
                        note=d.note,
                    )
                )
        return findings


def apply_finding_decisions(
    findings: list[Finding], decided: dict[str, tuple[FindingDecision, int]], rules: RuleSet
) -> None:
    """Apply the officer's per-finding decisions in place."""
    for f in findings:
        item = decided.get(f.id)
        if item is None:
            continue
        decision = item[0]
        f.decided = True
        f.source = "decision"
        f.note = decision.note
        if decision.action == "release":
            f.action = Action.KEEP
            f.justification = decision.note or "Released by the records access officer's decision."
        else:
            f.action = Action.REDACT
            code = decision.code or f.code or rules.decide(f.entity).code or rules.custom_term_code
            if code != f.code:
                f.justification = rules.code(code).title
            f.code = code
            if decision.note:
                f.justification = decision.note


def redactions_for(findings: Sequence[Finding], rules: RuleSet) -> list[Redaction]:
    """What the adapter must remove: every finding whose action removes it."""
    return [
        Redaction(f.id, f.location.unit_id, f.location.start, f.location.end, f.code, rules.marker(f.code))
        for f in findings
        if f.action.removes and f.code is not None
    ]
