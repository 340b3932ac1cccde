"""A few words either side of a finding, so the officer can judge it without opening the record."""

from __future__ import annotations

from dataclasses import dataclass

#: Characters of context kept on each side of a value.
CONTEXT_CHARS = 70


@dataclass(frozen=True, slots=True)
class Snippet:
    """The text before a value, the value, and the text after it (internal: holds the value)."""

    before: str
    value: str
    after: str

    def __reduce__(self) -> tuple[type[Snippet], tuple[str, str, str]]:
        # Pickled as its fields alone (see models.Location): one per finding in every stored result.
        return Snippet, (self.before, self.value, self.after)


def _squeeze(text: str) -> str:
    # Line breaks and runs of spaces in a record's layout would only stretch the report's table.
    return " ".join(text.split())


def snippet(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> Snippet:
    """The context of ``text[start:end]``, cut at word boundaries where possible."""
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    if start - width > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1:]
    if end + width < len(text) and " " in after:
        after = after[:after.rindex(" ")] + "…"
    lead = " " if before[-1:].isspace() else ""
    trail = " " if after[:1].isspace() else ""
    return Snippet(_squeeze(before) + lead, text[start:end], trail + _squeeze(after))
