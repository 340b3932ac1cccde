"""review/response_letter.md: a draft of the written response G.L. c. 66, § 10(b) requires.

Filled from request.yaml and the public redaction log of the run, never from the
findings: the log is already free of redacted values, so the letter is too. It cites
exactly the exemption codes the log uses, each with its citation and the rule set's
explanation; what the tool cannot know is left as a marked ``[[FILL IN: ...]]``.

The log is read once, as it comes (one row per redaction: millions for a large request), and
counted rather than kept; of the results only the light copies are used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from string import Template

from ..formats.base import write_atomically
from ..models import ENTITY_TYPES, DocumentResult
from ..rules import RuleSet
from ..settings import RequestSettings
from ..store import ResultStore

_TEMPLATES = "redactor.report"


def fill_in(what: str) -> str:
    """A placeholder the officer must complete, marked the same way everywhere."""
    return f"[[FILL IN: {what}]]"


_APPEAL_MA = """\
## Your right to appeal

If you believe this response does not comply with the Public Records Law, you may petition the
Supervisor of Records to review it, under G.L. c. 66, § 10A(a) and 950 CMR 32.08, within 90 calendar
days of this response. The petition should include a copy of your request and of this response and
explain why you believe the records or portions withheld are public; please send a copy of it to the
Records Access Officer named below. The address is: Supervisor of Records, Public Records Division,
One Ashburton Place, Room 1719, Boston, MA 02108; pre@sec.state.ma.us. You may also seek judicial
review of this response by commencing a civil action in the Superior Court under G.L. c. 66, § 10A."""


#: How the letter names what was redacted, where the detector's own description would read oddly.
_PLAIN = {"CUSTOM_TERM": "other information identified by the records access officer",
          "PRIOR_REDACTION": "text the record as received had covered but not removed"}


def _what(entity: str) -> str:
    return _PLAIN.get(entity) or ENTITY_TYPES.get(entity, entity.replace("_", " ").lower())


def _date(value: dt.date | None) -> str:
    return f"{value:%B} {value.day}, {value.year}" if value else fill_in("date the request was received")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def codes_cited(text: str, rules: RuleSet) -> set[str]:
    """The codes a letter cites: those with their own heading (``### 26(c): ...``)."""
    found = set(re.findall(r"^### (\S+): ", text, flags=re.MULTILINE))
    return {code for code in found if code in rules.codes}


def render_letter(request: RequestSettings, rules: RuleSet, rows: Iterable[Mapping[str, str]],
                  results: Sequence[DocumentResult], version: int, finished_at: str) -> str:
    """The letter as Markdown, from the log's ``rows`` (read once) and the run's ``results`` (a
    :class:`ResultStore` or any sequence; only statuses, documents and outputs are used)."""
    # Per code, redacted rows counted by (document, entity type): all the letter says about them.
    redacted: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    # Rows withheld in full are one per withheld document, page or part: few enough to keep.
    in_full: list[Mapping[str, str]] = []
    pending: list[Mapping[str, str]] = []
    for row in rows:
        if row["disposition"] == "redacted":
            redacted[row["exemption_code"]][row["document"], row["entity_type"]] += 1
        elif row["disposition"] == "withheld in full":
            (in_full if row["exemption_code"] else pending).append(row)
    per_doc: Counter[str] = Counter()
    for used in redacted.values():
        for (document, _), n in used.items():
            per_doc[document] += n
    light = results.light if isinstance(results, ResultStore) else results
    released = [r for r in light if r.status == "released"]

    if released:
        intro = (f"We are providing {_plural(len(released), 'record')}. Where a record contained information "
                 "that is exempt from disclosure, that information has been redacted and the rest of the record "
                 "released:")
        lines = []
        for r in released:
            n = per_doc.get(r.document, 0)
            what = f"{_plural(n, 'portion')} redacted" if n else "released in full"
            extra = len(r.outputs) - 1
            attached = f"; with {_plural(extra, 'attached file')}, provided beside it" if extra > 0 else ""
            lines.append(f"- {r.document} ({what}{attached})")
        listing = "\n".join(lines)
    else:
        intro, listing = "No record is provided with this response.", ""

    codes = sorted(set(redacted) | {row["exemption_code"] for row in in_full},
                   key=lambda c: list(rules.codes).index(c) if c in rules.codes else 999)
    portions = ""
    if codes:
        out = ["## Portions withheld",
               "",
               "We have released every part of these records that is not exempt and redacted only the portions "
               "that are. Each redaction is marked in the record with the exemption that applies (for example "
               f"\"{rules.marker(codes[0])}\") and listed, one line per redaction, in the enclosed redaction log. "
               "The exemptions applied, and why each applies, are:"]
        for code in codes:
            spec = rules.code(code)
            used = redacted.get(code, Counter())
            docs: Counter[str] = Counter()
            kinds: Counter[str] = Counter()
            for (document, kind), n in used.items():
                docs[document] += n
                if kind:
                    kinds[kind] += n
            whole = [row["document"] for row in in_full if row["exemption_code"] == code]
            applied = []
            if used:
                applied.append(f"{_plural(used.total(), 'portion')} redacted in "
                               + ", ".join(f"{d} ({n})" for d, n in sorted(docs.items())))
            if whole:
                applied.append("withheld in full: " + ", ".join(whole))
            out += ["", f"### {code}: {spec.title}", "", f"*{spec.citation}*. Applied to: {'; '.join(applied)}.", "",
                    " ".join(spec.explanation.split())]
            if kinds:
                out += ["", "Information redacted under it: " + "; ".join(
                    f"{_what(k)} ({n})" for k, n in sorted(kinds.items()))
                    + "."]
            if spec.parent is None and code.startswith("26(a)"):
                out += ["", fill_in("the statute that exempts this information, and how it applies")]
        portions = "\n".join(out)

    full = []
    if in_full:
        full += ["## Records withheld in full", ""]
        full += [f"- {row['document']}: withheld under {row['exemption_code']} ({row['citation']}). "
                 f"{row['justification']}" for row in in_full]
    if pending:
        by_doc: dict[str, list[str]] = defaultdict(list)
        for row in pending:
            by_doc[row["document"]].append(row["location"])
        full += ["", "## Records still under review", "",
                 "The following records (or parts of records) need further review and are not included in this "
                 "response:", ""]
        full += [f"- {doc}" + ("" if parts == ["whole document"] else f" ({', '.join(parts)})")
                 + ": " + fill_in("release it after review, or withhold it citing the specific exemption and "
                                  "explaining how it applies; or give the date by which it will be provided")
                 for doc, parts in by_doc.items()]

    appeal = (_APPEAL_MA if rules.spec.jurisdiction == "US-MA" else
              "## Your right to appeal\n\n" + fill_in("the requester's appeal rights under the law that governs "
                                                      "this request"))
    requester = request.requester or fill_in("requester's name")
    template = Template(resources.files(_TEMPLATES).joinpath("templates/response_letter.md")
                        .read_text(encoding="utf-8"))
    return template.substitute(
        request_id=request.request_id or fill_in("request reference"),
        version=version, finished_at=finished_at,
        agency=request.agency or fill_in("agency or municipality"),
        agency_short=request.agency.split(",")[0] if request.agency else "this office",
        officer=fill_in("Records Access Officer's name, title, address and telephone"),
        date=fill_in("date of this response"),
        requester=requester, salutation=requester.split(",")[0],
        received=_date(request.received),
        law=("the Massachusetts Public Records Law, G.L. c. 66, § 10" if rules.spec.jurisdiction == "US-MA"
             else f"the {rules.spec.title}"),
        released_intro=intro, released_list=listing,
        withheld_portions=portions, withheld_full="\n".join(full), appeal=appeal,
    ).replace("\n\n\n\n", "\n\n").replace("\n\n\n", "\n\n")


def write_response_letter(path: Path, request: RequestSettings, rules: RuleSet, rows: Iterable[Mapping[str, str]],
                          results: Sequence[DocumentResult], version: int, finished_at: str) -> None:
    """Write review/response_letter.md (``rows`` is read once; see :func:`render_letter`)."""
    text = render_letter(request, rules, rows, results, version, finished_at)
    write_atomically(path, text.encode("utf-8"))
