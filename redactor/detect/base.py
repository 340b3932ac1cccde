"""A presidio recognizer for records text: patterns, a checksum hook, and context.

Presidio's own context enhancement works on lemmas within a few tokens and can
only raise a score. Records need more: some values are numbers that mean
nothing without a label nearby ("Acct #", "DOB"), so context must be able to
*require* a match, and some labels must veto one ("Invoice #"). Patterns may
name a ``value`` group so that only the value, not its label, is the span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ..textutil import looks_like_header, split_fields_simple, table_header_row, table_row

#: Seconds one search step of a detection pattern may take. Records text is short and the patterns
#: are written not to backtrack, so a step that takes longer is a pattern gone wrong on this text or
#: a machine too busy to run it (swapping, or a laptop doing other work overnight): the engine then
#: analyses that text once more with :data:`REGEX_RETRY_TIMEOUT` (see :func:`patient_regexes`).
REGEX_TIMEOUT = 2.0
#: The limit for that second attempt: past it, the document is withheld for manual review.
REGEX_RETRY_TIMEOUT = 60.0
_patient = False


def regex_timeout() -> float:
    """The time limit of one search step of a detection pattern, now."""
    return REGEX_RETRY_TIMEOUT if _patient else REGEX_TIMEOUT


@contextmanager
def patient_regexes() -> Iterator[None]:
    """Within the block, detection patterns have :data:`REGEX_RETRY_TIMEOUT` per search step."""
    global _patient
    before, _patient = _patient, True
    try:
        yield
    finally:
        _patient = before


def make_result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float, why: str,
                pattern: str | None = None, validation: bool | None = None) -> RecognizerResult:
    """A presidio result with its explanation (the "why" shown in the review and the log's detector)."""
    explanation = AnalysisExplanation(recognizer=recognizer.name, original_score=score, pattern_name=why,
                                      pattern=pattern, validation_result=validation, textual_explanation=why)
    explanation.score = score
    return RecognizerResult(entity_type=entity, start=start, end=end, score=score,
                            analysis_explanation=explanation,
                            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
                                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id})


def context_regex(words: tuple[str, ...]) -> regex.Pattern | None:
    """One case-insensitive alternation of context phrases, matched on word edges."""
    if not words:
        return None
    # Word labels match on word edges; symbol labels (the MICR ⑆ and ⑈) sit right against digits.
    symbols = [w for w in words if not (w[:1].isalnum() or w.startswith(("\\", "(")))]
    wordish = [w for w in words if w not in symbols]
    # Letters and digits only: "routing_number" and "account_no" in JSON keys still carry their labels.
    parts = [r"(?<![\p{L}\p{N}])(?:" + "|".join(wordish) + r")(?![\p{L}\p{N}])"] if wordish else []
    parts += symbols
    return regex.compile("|".join(parts), regex.IGNORECASE)


class RecordsRecognizer(EntityRecognizer):
    """Base for the project's pattern recognizers (one subclass per module).

    Subclasses set ``ENTITY`` and ``PATTERNS`` (name, regex, score) and may set
    context phrases (regex fragments), and override :meth:`validate`.
    """

    ENTITY: ClassVar[str]
    #: (name, regex, score) or (name, regex, score, method): the method, if named, is an
    #: extra check for matches of that pattern only (same signature as :meth:`validate`).
    PATTERNS: ClassVar[tuple[tuple, ...]]
    #: Phrases that raise the score when found near the match.
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    #: When True, a match without context is dropped.
    REQUIRE_CONTEXT: ClassVar[bool] = False
    #: Phrases that, near the match, show it is something else (dropped).
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ()
    CONTEXT_BEFORE: ClassVar[int] = 40
    CONTEXT_AFTER: ClassVar[int] = 0
    NEGATIVE_BEFORE: ClassVar[int] = 25
    NEGATIVE_AFTER: ClassVar[int] = 0
    CONTEXT_BOOST: ClassVar[float] = 0.35
    #: When True, only the label nearest before the match counts: "Routing: X Account: Y"
    #: makes Y an account number even though "Routing" is also in the window.
    NEAREST_LABEL: ClassVar[bool] = False
    FLAGS: ClassVar[int] = 0

    def __init__(self) -> None:
        self._compiled = [(p[0], regex.compile(p[1], self.FLAGS), p[2], getattr(self, p[3]) if len(p) > 3 else None)
                          for p in self.PATTERNS]
        self._context = context_regex(self.CONTEXT)
        self._negative = context_regex(self.NEGATIVE_CONTEXT)
        # POSIX (leftmost-longest) so "birthday party" beats "birthday" and "date of birth" beats "date".
        self._labels = (regex.compile(context_regex(self.CONTEXT + self.NEGATIVE_CONTEXT).pattern,
                                      regex.IGNORECASE | regex.POSIX) if self.NEAREST_LABEL else None)
        self._label_memo: tuple[str | None, int, str | None] = (None, -1, None)
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__, supported_language="en")

    def load(self) -> None:
        pass

    # Hooks -------------------------------------------------------------------------------
    def validate(self, value: str, text: str, start: int, end: int) -> bool | None:
        """Checksum or shape check: True confirms, False rejects, None is no opinion."""
        return None

    def has_context(self, text: str, start: int, end: int) -> bool:
        """True when a context phrase is near the match."""
        if self._context is None:
            return False
        if self._labels is not None:
            return self._nearest_label_is(self._context, text, start)
        window = text[max(0, start - self.CONTEXT_BEFORE):start]
        if self._context.search(window):
            return True
        if self.CONTEXT_AFTER:
            return bool(self._context.search(text[end:end + self.CONTEXT_AFTER]))
        return False

    def has_negative_context(self, text: str, start: int, end: int) -> bool:
        """True when a phrase near the match shows it is not this entity."""
        if self._negative is None:
            return False
        if self._labels is not None:
            return self._nearest_label_is(self._negative, text, start)
        before = text[max(0, start - self.NEGATIVE_BEFORE):start]
        after = text[end:end + self.NEGATIVE_AFTER] if self.NEGATIVE_AFTER else ""
        return bool(self._negative.search(before) or (after and self._negative.search(after)))

    def _nearest_label_is(self, kind: regex.Pattern, text: str, start: int) -> bool:
        label = self._nearest_label(text, start)
        return label is not None and bool(kind.fullmatch(label))

    def _nearest_label(self, text: str, start: int) -> str | None:
        # Asked twice for each match (the negative labels, then the others): the last answer is kept.
        memo = self._label_memo
        if memo[0] is text and memo[1] == start:
            return memo[2]
        assert self._labels is not None
        header = column_header(text, start)
        if header is not None:
            # In a table the column header is the label; rows above are other records.
            label = last_match(self._labels, header)
        else:
            # In a list of two columns the header names the column; in a form of two (its first
            # line is a label and a value) nothing above does, and the row's own label is nearest.
            pair = column_header(text, start, pairs=True)
            label = last_match(self._labels, pair) if pair is not None else None
            if label is None:
                label = last_match(self._labels,
                                   text[max(0, start - max(self.CONTEXT_BEFORE, self.NEGATIVE_BEFORE)):start])
        self._label_memo = (text, start, label)
        return label

    # Presidio interface -------------------------------------------------------------------
    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                ) -> list[RecognizerResult]:
        """Run every pattern and keep the matches that pass validation and context."""
        results: list[RecognizerResult] = []
        for name, rx, score, check in self._compiled:
            for match in rx.finditer(text, timeout=regex_timeout()):
                if "value" in rx.groupindex and match.group("value") is not None:
                    start, end = match.span("value")
                else:
                    start, end = match.span()
                if start == end:
                    continue
                value = text[start:end]
                valid = self.validate(value, text, start, end)
                if valid is False or (check is not None and check(value, text, start, end) is False):
                    continue
                if self.has_negative_context(text, start, end):
                    continue
                context = self.has_context(text, start, end)
                if self.REQUIRE_CONTEXT and not context:
                    continue
                final = min(1.0, score + (self.CONTEXT_BOOST if context else 0.0))
                why = f"{name}{' + context' if context else ''}{' + checksum' if valid else ''}"
                results.append(make_result(self, self.ENTITY, start, end, final, why, rx.pattern, valid))
        return EntityRecognizer.remove_duplicates(results)


def last_match(pattern: regex.Pattern, text: str, pos: int = 0, endpos: int | None = None,
               keep: Callable[[regex.Match], bool] | None = None) -> str | None:
    """The text of the last match of ``pattern`` in ``text[pos:endpos]`` (the label nearest the
    end), of those ``keep`` accepts if given (it may read the text around a match: ``m.string``)."""
    found = None
    for m in pattern.finditer(text, pos, len(text) if endpos is None else endpos):
        if keep is None or keep(m):
            found = m.group(0)
    return found


def column_header(text: str, pos: int, pairs: bool = False) -> str | None:
    """In a table (pipes, tabs, or comma-separated rows under a header row), the header cell above
    the cell at ``pos``.

    A value in a table row has its label in the header row, often far outside
    any character window.

    With ``pairs``, in a list of two columns split by one tab under a header row ("Employee<tab>
    Account"), as a text file, a mail's table and a PDF's are read. A form of two columns looks
    the same, so a caller reads the row's own label when the header cell holds none.
    """
    found = header_cells(text, pos, pairs)
    if found is None:
        return None
    cells, column = found
    return cells[column].strip() if 0 <= column < len(cells) else None


def header_cells(text: str, pos: int, pairs: bool = False) -> tuple[list[str], int] | None:
    """The header row of the table holding ``pos`` (see :func:`column_header`), split into its
    cells, and the column ``pos`` is in."""
    row = table_row(text, pos, pairs)
    if row is None:
        return None
    line_start, sep, starts = row
    column = sum(1 for s in starts if s <= pos - line_start) - 1
    header = table_header_row(text, line_start, sep, len(starts))
    if header is None:
        return None
    cells = split_fields_simple(header, sep)
    if (sep == "," or pairs) and not looks_like_header(cells):
        return None
    return cells, column


def digits(value: str) -> str:
    """The digits of ``value`` only."""
    return "".join(ch for ch in value if ch.isdigit())


def luhn_ok(number: str) -> bool:
    """The Luhn (mod 10) check used by card numbers."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
