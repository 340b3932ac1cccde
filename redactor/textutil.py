"""Small text helpers shared by the format adapters and the detectors."""

from __future__ import annotations

import regex

#: Each run of digits in a text (compiled once: numbers are split into their groups everywhere).
DIGIT_RUNS = regex.compile(r"\d+")

#: Mail headers that hold message ids ("In-Reply-To: <31C10324.41C6@netscape.com>").
MESSAGE_ID_HEADERS = frozenset({"message-id", "in-reply-to", "references", "resent-message-id", "content-id"})
#: Outlook's copy of its message id for a TNEF part: an id too.
_ID_ONLY_HEADERS = MESSAGE_ID_HEADERS | {"x-ms-tnef-correlator"}
#: A relay's trace, whose "id …" is the relay's ("with ESMTP id oBF6xAuc018214", "with SMTP id
#: <0IG600901LQ64I@mx.example.com>"); the rest of it names hosts and the recipient ("for <…>").
_TRACE_HEADERS = frozenset({"received", "x-received"})
#: Headers whose ids are no mailboxes or logins. Detection reads each header after its name (see
#: TextUnit.lead), as it reads a block of headers in a message's body (a delivery report's).
ID_HEADERS = _ID_ONLY_HEADERS | _TRACE_HEADERS
_HEADER_NAME = regex.compile(r"([A-Za-z][\w-]*)[ \t]*:")
_RELAY_ID_BEFORE = regex.compile(r"(?i)\bid\s+<?$")
#: A relay's own words before its queue id, wherever the trace stands: a malformed report runs its
#: quoted headers into one line ("…boundary=80874BE0 Received: from … with ESMTP id 0AC9F77EDD for …").
_RELAY_PHRASE = regex.compile(r"(?i)\bwith\s+(?:E?SMTPS?A?|LMTPS?A?|UTF8SMTPS?A?)\s+id\s+<?$")


def in_an_id(text: str, start: int) -> bool:
    """Whether ``text[start:]`` begins an id of a mail header rather than a mailbox or a login: it
    stands in a message-id header, or after "id" in a relay's trace (after "with ESMTP id" wherever
    it stands). The header is the field whose line (unfolded: a line starting with a space goes on the
    one before) holds ``start``."""
    if _RELAY_PHRASE.search(text, max(0, start - 40), start) is not None:
        return True
    line = text.rfind("\n", 0, start) + 1
    while line > 0 and text[line:line + 1] in (" ", "\t"):
        line = text.rfind("\n", 0, line - 1) + 1
    m = _HEADER_NAME.match(text, line)
    if m is None:
        return False
    name = m.group(1).lower()
    return name in _ID_ONLY_HEADERS or (
        name in _TRACE_HEADERS and _RELAY_ID_BEFORE.search(text, line, start) is not None)


def looks_like_header(cells: list[str]) -> bool:
    """A row of short, distinct labels with letters and no digits-only cells is a header.

    csv.Sniffer.has_header guesses from column types and misses ordinary record
    layouts ("Name,SSN,DOB"); a header is what gives bare numbers their meaning.
    """
    labels = [c for c in cells if c]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        return False
    return all(len(c) <= 60 and any(ch.isalpha() for ch in c) and sum(ch.isdigit() for ch in c) <= 2
               and "@" not in c for c in labels)


def field_starts(line: str, sep: str) -> list[int]:
    """Offsets where each field of a delimited line starts; a comma inside double quotes does not split."""
    starts, quoted = [0], False
    for i, ch in enumerate(line):
        if ch == '"' and sep == ",":
            quoted = not quoted
        elif ch == sep and not quoted:
            starts.append(i + 1)
    return starts


def split_fields_simple(line: str, sep: str) -> list[str]:
    """The fields of one delimited line (quotes stripped), for header checks."""
    starts = field_starts(line, sep)
    ends = [s - 1 for s in starts[1:]] + [len(line)]
    return [line[s:e].strip().strip('"').strip() for s, e in zip(starts, ends, strict=True)]


def table_row(text: str, pos: int, pairs: bool = False) -> tuple[int, str, list[int]] | None:
    """When the line of ``text`` at ``pos`` may be a row of a table (at least two of "|", a tab or
    ","): where the line starts, its separator, and where each of its fields starts in it.

    With ``pairs``, only a line of two fields split by one tab: a row of a two-column list
    ("Maria Lopez<tab>0627622301") or of a form ("Account:<tab>4400918273"), which only the line
    above can tell apart (see :func:`table_header_row`)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start:line_end if line_end != -1 else len(text)].rstrip("\r")
    if pairs:
        sep = "\t" if line.count("\t") == 1 else None
    else:
        sep = "|" if line.count("|") >= 2 else "\t" if line.count("\t") >= 2 else "," if line.count(",") >= 2 else None
    return None if sep is None else (line_start, sep, field_starts(line, sep))


#: A line of a table drawn with rules only ("---|---", "+----+"): not a header.
_RULE_LINE = regex.compile(r"[\s|:\-+]*")

#: The table :func:`table_header_row` last walked up: (text, separator, width, where its topmost
#: row starts, where the row asked about starts, where its header row starts or -1). The rows of a
#: table are asked about in turn, and each would otherwise walk up to the header again (a table of
#: thousands of rows in one text would take minutes).
_last_table: tuple[str, str, int, int, int, int] | None = None


def table_header_row(text: str, line_start: int, sep: str, width: int) -> str | None:
    """The header row of the table whose row (of ``width`` fields split by ``sep``) starts at
    ``line_start``: the topmost of the rows above it that is not a rule, the table ending at the
    first line above that is not a row of it (for commas, a line of another number of fields; for
    two fields split by a tab, a line without exactly one tab)."""
    global _last_table
    if sep != "," and not (sep == "\t" and width == 2):
        width = 0  # only comma rows and tab pairs must have the same number of fields to be rows of one table
    last = _last_table
    known = last is not None and last[0] is text and last[1] == sep and last[2] == width
    top, header_at = line_start, -1
    end = line_start - 1  # where the line above ends (its "\n"); the lines are read nearest first
    while end >= 0:
        begin = text.rfind("\n", 0, end) + 1
        if known and last[3] <= begin <= last[4]:  # type: ignore[index]
            # A row of the table walked last: the rows above it are known. (The row asked about
            # then was a row of it too, so it belongs here.)
            top = last[3]  # type: ignore[index]
            inner = last[5] if 0 <= last[5] < begin else -1  # type: ignore[index]
            if inner >= 0:
                header_at = inner
            elif not _RULE_LINE.fullmatch(text[begin:end].rstrip("\r")):
                header_at = begin
            break
        above = text[begin:end].rstrip("\r")
        if (len(field_starts(above, sep)) != width if sep == "," else above.count(sep) != 1 if width == 2
                else above.count(sep) < 2):
            break  # for commas, a line of another number of fields is prose with commas
        top = begin
        if not _RULE_LINE.fullmatch(above):
            header_at = begin
        end = begin - 1
    _last_table = (text, sep, width, top, line_start, header_at)
    if header_at < 0:
        return None
    header_end = text.find("\n", header_at)
    return text[header_at:header_end if header_end != -1 else len(text)].rstrip("\r")


def words_before(text: str, end: int, limit: int, start: int = 0) -> str:
    """At most ``limit`` characters of ``text`` before ``end`` (not before ``start``), from the
    start of a word: half a word would be read as another."""
    begin = max(start, end - limit)
    if begin > start:
        breaks = [i for i in (text.find(" ", begin, end), text.find("\n", begin, end)) if i != -1]
        begin = min(breaks) + 1 if breaks else end
    return text[begin:end]


#: Separators a number may be written with: "219-09-9998", "219 09 9998", "219.09.9998", "737–27–1318".
NUMBER_SEPARATORS = r"[\s\-‐‑–—.()/]*"


def digits_regex(digits: str) -> str:
    """A pattern for a number written with any separators between its digits, not inside a longer number.

    The leak check and the consistency pass both use it, so any spelling the check would call a
    leak is one the consistency pass redacts first.
    """
    return r"(?<!\d)" + NUMBER_SEPARATORS.join(digits) + r"(?!\d)"


def read_by_case(entity: str, value: str) -> bool:
    """Whether a removed value is one capitalised word of a name, which is that name only where it
    is written capitalised: "Will" signs a message, "will" is a verb ("Mark" and "mark", "Rose" and
    "rose"). The findings stage places such a value in the rest of its document, and the verifier
    looks for it in the release, capitalised only (in capitals too: "WILL")."""
    word = value.strip()
    return entity == "PERSON" and word[:1].isupper() and not any(ch.isspace() for ch in word)


# A sentence's start: after a sentence's end, or a line's (after quoting marks, bullets and spaces)
# unless the line before ends with a letter or a digit. That is a line wrapped mid-sentence
# ("... the dissenting opinion in\nSandhill that this Court adopted"), which another reading of the
# same page may join into one line: the findings stage and the verifier read the name alike.
_SENTENCE_START = r"""(?:(?<![\p{L}\p{N}]\s*)^|[.!?]["'”’)\]]*\s)[\s>"'“‘(\[*•-]*"""
# Words a name does not stand right before at a sentence's start, and a verb or wish does: "Will
# you send it?", "Hope this helps", "Mark the date", "May I ask". Lower case only ("Mark The
# Builder" is a heading), but "I".
_ORDINARY_AFTER = ("you|we|I|they|he|she|it|this|that|these|those|the|a|an|there|your|our|my|his|her|their"
                   "|its|us|them|me|him|be|not|all|everyone|everybody|everything|someone|somebody|anyone|anybody")
_ORDINARY_AT_START = regex.compile(rf"(?<={_SENTENCE_START})\w+[ \t]+(?:{_ORDINARY_AFTER})(?!\w)", regex.MULTILINE)


def reads_as_name(text: str, start: int, end: int) -> bool:
    """Whether a one-word name (see :func:`read_by_case`) written at ``text[start:end]`` is read there
    as the name: capitalised, and not the ordinary word it also is, starting a sentence ("Will you
    send it?" after "Hi Will,"). The findings stage places such a value only where this holds, and
    the verifier counts only such readings as leaks: one rule for both."""
    return text[start:start + 1].isupper() and not _ORDINARY_AT_START.match(text, start)
