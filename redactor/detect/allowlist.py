"""Allow-lists from request.yaml: public names, public email domains, never_redact terms.

Public staff acting in office are part of the public record. A person whose
email address is on one of the agency's public domains is treated as public
staff: the display name before the address, names matching its local part
("kdoyle" for Kevin Doyle) and the unlabelled phone number in the same
signature block are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..models import Detection
from ..settings import DetectionConfig
from .terms import term_regex

_TITLE = regex.compile(r"(?i)^(?:mr|mrs|ms|miss|mx|dr|prof|chief|officer|sgt|det|lt|capt|hon|atty)\.?$")
_DISPLAY_NAME = regex.compile(r"[\"']?(?P<name>\p{L}[\p{L}.,'’\- ]{1,60}?)[\"']?\s*[<(\[]\s*$")
_SIGNATURE_LINE = 90
_SIGNATURE_GAP = 12
_ADDRESS = regex.compile(r"[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)+")


_NAME_GAPS = regex.compile(r"[\s,]+")


def name_tokens(name: str) -> frozenset[str]:
    """Case-folded name tokens without titles or punctuation."""
    tokens = [t.strip(".,'’\"()") for t in _NAME_GAPS.split(name)]
    return frozenset(t.casefold() for t in tokens if t and not _TITLE.match(t))


def local_part_forms(tokens: list[str]) -> set[str]:
    """The local parts an agency would give this person: jsmith, john.smith, smithj, ..."""
    if len(tokens) < 2:
        return {tokens[0]} if tokens else set()
    first, last = tokens[0], tokens[-1]
    return {first + last, first[0] + last, f"{first}.{last}", f"{first}_{last}", f"{first}-{last}",
            last + first[0], first + last[0], f"{first[0]}.{last}", last}


def _domain_is_public(address: str, domains: tuple[str, ...]) -> bool:
    domain = address.rsplit("@", 1)[-1].casefold().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in domains)


def public_addresses(text: str, domains: tuple[str, ...]) -> Iterator[tuple[regex.Match, str | None]]:
    """Each address on one of the agency's public domains, with the display name before it on its
    line ("Linda Castellano <lcastellano@town.gov>", "\"Castellano, Linda\" <...>"), if any."""
    if not domains:
        return
    for m in _ADDRESS.finditer(text):
        if _domain_is_public(m.group(0), domains):
            line_start = text.rfind("\n", 0, m.start()) + 1
            name = _DISPLAY_NAME.search(text[line_start:m.start()])
            yield m, name.group("name") if name else None


def protected_spans(text: str, never_redact: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the ``never_redact`` terms occur in ``text``."""
    return [(m.start(), m.end()) for t in never_redact for m in term_regex(t).finditer(text)]


def drop_terms_inside_protected(text: str, terms: list[Detection], config: DetectionConfig) -> list[Detection]:
    """A listed term inside a longer never_redact term stays ("Marsh" in "Marsh Hall")."""
    spans = protected_spans(text, config.never_redact)
    return [t for t in terms if not any(s <= t.start and t.end <= e and e - s > t.end - t.start for s, e in spans)]


def apply_allow_lists(text: str, detections: list[Detection], config: DetectionConfig) -> list[Detection]:
    """Drop detections the request declares public."""
    public_sets = [name_tokens(n) for n in config.public_names]
    public_locals: set[str] = set()
    public_email_spans: list[tuple[int, int]] = []
    # Every address on a public domain, role mailboxes (records@) included: the email
    # recognizer does not report those, but they still mark a staff signature block.
    for m, name in public_addresses(text, config.public_domains):
        public_email_spans.append((m.start(), m.end()))
        public_locals.add(regex.sub(r"\d+$", "", m.group(0).split("@", 1)[0].casefold()))
        if name and (tokens := name_tokens(name)):
            public_sets.append(tokens)
    kept = [det for det in detections
            if not (det.entity == "EMAIL_ADDRESS" and _domain_is_public(det.text, config.public_domains))]

    never = protected_spans(text, config.never_redact)
    never_texts = {t.casefold() for t in config.never_redact}

    def is_public_person(det: Detection) -> bool:
        tokens = name_tokens(det.text)
        if not tokens:
            return False
        if any(tokens <= s for s in public_sets):
            return True
        ordered = [t.casefold() for t in _NAME_GAPS.split(det.text) if t and not _TITLE.match(t)]
        if "," in det.text:  # "Doyle, Kevin"
            ordered = ordered[1:] + ordered[:1]
        return bool(local_part_forms(ordered) & public_locals)

    def line_no(pos: int) -> int:
        return text.count("\n", 0, pos)

    def in_public_signature(det: Detection) -> bool:
        # A staff signature block: the number sits on a short line within two lines of a
        # public address, with no "cell"/"home" label. A number inside a sentence further up
        # ("the tenant can be reached at ...") is not part of it.
        if "personal label" in det.explanation:
            return False
        # Right beside the address on its own line: "Linda Castellano, lcastellano@town.gov, (508) 555-0105".
        if any(line_no(s) == line_no(det.start) and min(abs(det.start - e), abs(s - det.end)) <= _SIGNATURE_GAP
               for s, e in public_email_spans):
            return True
        line_start = text.rfind("\n", 0, det.start) + 1
        line_end = text.find("\n", det.end)
        if (line_end if line_end != -1 else len(text)) - line_start > _SIGNATURE_LINE:
            return False
        return any(abs(line_no(s) - line_no(det.start)) <= 2
                   and "\n\n" not in text[min(s, det.start):max(s, det.start)].replace("\r", "")
                   for s, _ in public_email_spans)

    result = []
    for det in kept:
        # Trailing punctuation is no part of the value: "100 Common Street." is the listed term.
        core_end = det.start + len(det.text.rstrip(".,;:!?"))
        if det.text.rstrip(".,;:!?").casefold() in never_texts or any(s <= det.start and core_end <= e
                                                                      for s, e in never):
            continue
        if det.entity == "PERSON" and is_public_person(det):
            continue
        if det.entity == "PHONE_NUMBER" and in_public_signature(det):
            continue
        result.append(det)
    return result
