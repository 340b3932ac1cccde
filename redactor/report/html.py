"""review/report.html: the records officer's view of a run, in one self-contained file.

Order follows what the officer must act on first: documents withheld for manual
review, what changed since the previous version, counts, the items waiting for a
decision, then every finding per document with its context (and, for PDFs, the
released pages with the boxes outlined). The report is internal: it shows the
values the release removes.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from ..formats.base import write_atomically
from ..models import ENTITY_TYPES, Action, DocumentResult, Finding, Withheld
from ..rules import RuleSet
from ..settings import REQUEST_FILE, RequestSettings
from .changes import Change
from .context import Snippet
from .thumbnails import MAX_PAGES, Box, render_pages

_TEMPLATES = "redactor.report"

#: What to do about a document withheld for each reason, in the officer's words.
_NEXT_STEP = {
    "decision": "Withheld in full by your decision; nothing to do unless the decision changes.",
    "unsupported format": "Review the record by hand: release a copy you have redacted yourself, or withhold it "
                          "with a decision item ({document: ..., action: withhold, code: ...}).",
    "leak detected": "The tool could not remove every value from its copy. Redact this record by hand or "
                     "withhold it; report the problem so the tool can be fixed.",
    "file name": "Rename the file in the request folder so its name holds no personal information, then run "
                 "again.",
    "internal error": "The tool failed on this record (a bug). Redact it by hand or withhold it, and report the "
                      "problem.",
}
_DEFAULT_STEP = ("Review the record by hand; then release a copy you have redacted yourself, or withhold it "
                 "with a decision item.")


@dataclass
class ReportInput:
    """Everything the report shows, gathered by the run."""

    request: RequestSettings
    rules: RuleSet
    results: Sequence[DocumentResult]
    version: int
    finished_at: str
    scan: bool = False
    previous_version: int | None = None
    changes: Sequence[Change] = ()
    ignored: Sequence[tuple[str, str]] = ()
    #: Context of each finding, by finding id.
    contexts: dict[str, Snippet] = field(default_factory=dict)
    #: Redaction boxes per document, per 1-based page, in PDF coordinates.
    boxes: dict[str, dict[int, list[Box]]] = field(default_factory=dict)
    #: Where the released files are (for page images); None when nothing was released.
    release_dir: Path | None = None
    #: Files the release-time leak check flagged (beyond documents already withheld).
    leak_files: Sequence[str] = ()


def _noun(n: int, word: str) -> str:
    return word if n == 1 else f"{word}s"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def action_label(f: Finding) -> tuple[str, str]:
    """The plain-words label of a finding's action, and its CSS class."""
    if f.action is Action.REDACT:
        return "Redacted", "redact"
    if f.action is Action.REVIEW:
        return "For review (redacted for now)", "review"
    if f.decided:
        return "Released by decision", "released"
    return "Kept: public", "keep"


def entity_label(entity: str) -> str:
    """``US_SSN`` -> "U.S. Social Security number"."""
    text = ENTITY_TYPES.get(entity, entity.replace("_", " ").lower())
    return text[:1].upper() + text[1:]


def _context(snip: Snippet | None, fallback: str) -> str:
    if snip is None:
        return f"<mark>{_e(fallback)}</mark>"
    return f"{_e(snip.before)}<mark>{_e(snip.value)}</mark>{_e(snip.after)}"


def _table(headers: Sequence[str], rows: Sequence[str], numeric: Sequence[int] = ()) -> str:
    head = "".join(f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
                   for i, h in enumerate(headers))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cells(values: Sequence[object], numeric: Sequence[int] = ()) -> str:
    return "".join(f'<td class="num">{_e(v)}</td>' if i in numeric else f"<td>{_e(v)}</td>"
                   for i, v in enumerate(values))


def _subtitle(data: ReportInput) -> str:
    req = data.request
    bits = [f"Request {req.request_id or '(no request id)'}"]
    if req.agency:
        bits.append(req.agency)
    if req.requester:
        bits.append(f"requested by {req.requester}")
    if req.received:
        bits.append(f"received {req.received.isoformat()}")
    run = (f"Version {data.version} of this package, {'scan only (nothing released)' if data.scan else 'release'}"
           f", {data.finished_at}; rules: {data.rules.spec.title} {data.rules.version} ({data.rules.spec.status})")
    return f"<p>{_e(' · '.join(bits))}</p><p>{_e(run)}</p>"


def _cards(data: ReportInput, withheld: list[Withheld], review: int, redacted: int) -> str:
    pending = [w for w in withheld if w.reason != "decision"]
    cards = [
        ("alert" if pending else "", "#withheld", len(pending),
         f"{_noun(len(pending), 'document')} withheld for manual review"),
        ("review" if review else "", "#review", review, f"{_noun(review, 'item')} waiting for your decision"),
        ("", "#counts", redacted, f"{_noun(redacted, 'value')} redacted"),
        ("", "#changes", len(data.changes), f"{_noun(len(data.changes), 'change')} since the previous version"),
    ]
    if data.leak_files:
        cards.insert(0, ("alert", "#withheld", len(data.leak_files),
                         f"{_noun(len(data.leak_files), 'file')} where the final check found a value"))
    return '<div class="cards">' + "".join(
        f'<a class="card {cls}" href="{href}"><b>{n}</b>{_e(label)}</a>' for cls, href, n, label in cards) + "</div>"


def _withheld_section(data: ReportInput, withheld: list[Withheld]) -> str:
    out = ['<h2 id="withheld">Documents withheld</h2>']
    pending = [w for w in withheld if w.reason != "decision"]
    decided = [w for w in withheld if w.reason == "decision"]
    if not withheld and not data.leak_files:
        out.append('<p class="empty">No document was withheld: every record is in the release.</p>')
    if pending:
        out.append('<p class="lead">These records are <b>not</b> in release/. The tool could not process them '
                   'safely; each needs your manual review.</p>')
        rows = [f'<tr class="withheld">{_cells([w.document, w.detail, _NEXT_STEP.get(w.reason, _DEFAULT_STEP)])}</tr>'
                for w in pending]
        out.append(_table(["Document", "Why", "What to do"], rows))
    if decided:
        out.append("<h3>Withheld in full by your decisions</h3>")
        rows = [f"<tr>{_cells([w.document, w.code or '', w.detail])}</tr>" for w in decided]
        out.append(_table(["Document", "Exemption", "Reason given"], rows))
    parts = [(r.document, p) for r in data.results for p in r.parts_withheld]
    if parts:
        out.append("<h3>Parts left out of released documents</h3>"
                   '<p class="lead">The document is released; these parts of it are not, and need manual '
                   "review.</p>")
        out.append(_table(["Document", "Part", "Why"], [f"<tr>{_cells([d, p.reason, p.detail])}</tr>"
                                                        for d, p in parts]))
    if data.leak_files:
        out.append("<h3>Files where the final check found a removed value</h3>")
        out.append("<ul>" + "".join(f"<li>{_e(f)}</li>" for f in data.leak_files) + "</ul>")
    # request.yaml is the run's own settings file: listing it would only be noise here.
    ignored = [(p, why) for p, why in data.ignored if p != REQUEST_FILE]
    if ignored:
        out.append("<h3>Files that are not records</h3>")
        out.append(_table(["File", "Why it was not processed"], [f"<tr>{_cells([p, why])}</tr>"
                                                                 for p, why in ignored]))
    return "".join(out)


def _changes_section(data: ReportInput) -> str:
    out = ['<h2 id="changes">Changes since the previous version</h2>']
    if data.previous_version is None:
        out.append('<p class="empty">This is the first version of this package.</p>')
        return "".join(out)
    if not data.changes:
        out.append(f'<p class="empty">Nothing in the release changed since version {data.previous_version}.</p>')
        return "".join(out)
    out.append(f'<p class="lead">Compared with version {data.previous_version} (kept in '
               f"<code>versions/{data.previous_version}/</code>); also in <code>review/changes.csv</code>.</p>")
    rows = []
    for c in data.changes:
        row = c.row()
        rows.append(f"<tr>{_cells([row['change'], row['document'], row['location'], row['entity_type'] and entity_label(row['entity_type']), row['exemption_code'], row['previous_code'], row['value_hint'], row['cause'], row['note']])}</tr>")  # noqa: E501
    out.append(_table(["Change", "Document", "Where", "What", "Code now", "Code before", "Value (masked)",
                       "Why", "Note"], rows))
    return "".join(out)


def _counts_section(data: ReportInput, shown: list[DocumentResult]) -> str:
    rules = data.rules
    out = ['<h2 id="counts">Counts</h2>', "<h3>By exemption</h3>"]
    per_code: dict[str, Counter[str]] = defaultdict(Counter)
    docs_per_code: dict[str, set[str]] = defaultdict(set)
    for r in shown:
        for f in r.findings:
            if f.action.removes and f.code:
                per_code[f.code][str(f.action)] += 1
                docs_per_code[f.code].add(r.document)
    for r in data.results:
        if r.withheld is not None and r.withheld.code:
            per_code[r.withheld.code]["withheld"] += 1
            docs_per_code[r.withheld.code].add(r.document)
    if per_code:
        rows = []
        for code in sorted(per_code, key=lambda c: list(rules.codes).index(c) if c in rules.codes else 999):
            spec = rules.codes.get(code)
            counts = per_code[code]
            rows.append(f"<tr>{_cells([code, spec.title if spec else '', spec.citation if spec else '', counts['redact'], counts['review'], counts['withheld'], len(docs_per_code[code])], numeric=(3, 4, 5, 6))}</tr>")  # noqa: E501
        out.append(_table(["Code", "What it covers", "Citation", "Redacted", "For review", "Documents withheld",
                           "Documents"], rows, numeric=(3, 4, 5, 6)))
    else:
        out.append('<p class="empty">No exemption was applied.</p>')
    out.append("<h3>By document</h3>")
    rows = []
    for r in data.results:
        acts = Counter(action_label(f)[1] for f in r.findings)
        status = ("withheld" if r.withheld else "scanned" if data.scan else "released")
        rows.append(f"<tr>{_cells([r.document, r.format, status, acts['redact'], acts['review'], acts['keep'], acts['released']], numeric=(3, 4, 5, 6))}</tr>")  # noqa: E501
    out.append(_table(["Document", "Format", "Status", "Redacted", "For review", "Kept: public",
                       "Released by decision"], rows, numeric=(3, 4, 5, 6)))
    return "".join(out)


def _finding_row(i: int, f: Finding, snip: Snippet | None, with_doc: bool = False) -> str:
    label, cls = action_label(f)
    note = f'<span class="note">{_e(f.note)}</span>' if f.note else ""
    doc = f"<td>{_e(f.document)}</td>" if with_doc else f'<td class="num">{i}</td>'
    return (f'<tr class="f {cls}">{doc}<td>{_e(f.location.describe())}</td><td>{_e(entity_label(f.entity))}</td>'
            f"<td>{_e(f.code or '')}</td><td><span class=\"badge {cls}\">{_e(label)}</span>{note}</td>"
            f'<td class="num">{f.confidence:.0%}</td><td>{_e(f.detector)}</td>'
            f'<td class="ctx">{_context(snip, f.text)}</td><td class="id">{_e(f.id)}</td></tr>')


_FINDING_HEADERS = ["#", "Where", "What", "Code", "Action", "Confidence", "Found by", "Context", "Finding id"]


def _review_section(data: ReportInput, shown: list[DocumentResult]) -> str:
    items = [f for r in shown for f in r.findings if f.action is Action.REVIEW]
    out = ['<h2 id="review">Items waiting for your decision</h2>']
    if not items:
        out.append('<p class="empty">No item is waiting for a decision.</p>')
        return "".join(out)
    out.append(f'<p class="lead">{len(items)} items are redacted in this draft until you decide: names, home '
               "addresses and e-mail addresses may belong to people acting in a public role, whose details are "
               "public. To release one, add <code>{finding: &lt;id&gt;, action: release, note: ...}</code> to a "
               "decisions file (review/decisions.template.yaml lists every finding) and run again with "
               "<code>--decisions</code>.</p>")
    rows = [_finding_row(0, f, data.contexts.get(f.id), with_doc=True) for f in items]
    out.append(_table(["Document", *_FINDING_HEADERS[1:]], rows, numeric=(5,)))
    return "".join(out)


def _pages(data: ReportInput, r: DocumentResult, budget: list[int]) -> str:
    if data.release_dir is None or r.withheld is not None or r.format != "pdf":
        return ""
    pages = sorted({f.location.page for f in r.findings if f.action.removes and f.location.page is not None}
                   | set(data.boxes.get(r.document, {})))
    if not pages:
        return ""
    room = max(0, budget[0])
    shown = pages[:room]
    budget[0] -= len(shown)
    images = render_pages(data.release_dir / r.document, shown, data.boxes.get(r.document, {}))
    figures = "".join(
        f'<figure><img alt="Page {im.page} as released" src="{im.data_uri}"><figcaption>Page {im.page} as '
        f"released: {im.boxes} redaction box{'es' if im.boxes != 1 else ''} outlined</figcaption></figure>"
        for im in images)
    note = ""
    if len(shown) < len(pages):
        note = (f'<p class="note">Images of {len(pages) - len(shown)} more page(s) with redactions are left out '
                f"to keep this report a manageable size (at most {MAX_PAGES} page images per report); open "
                f"release/{_e(r.document)} to see them.</p>")
    return f'<div class="pages">{figures}</div>{note}'


def _findings_section(data: ReportInput, shown: list[DocumentResult]) -> str:
    out = ['<h2 id="findings">All findings, by document</h2>',
           '<p class="lead">Every value the tool found, with the words around it. Redacted values appear in the '
           "release as <code>[REDACTED code]</code> (a black box with the code in PDFs).</p>"]
    budget = [MAX_PAGES]
    for r in shown:
        has_review = any(f.action is Action.REVIEW for f in r.findings)
        status = "scanned" if data.scan else "released"
        out.append(f'<section class="doc{" has-review" if has_review else ""}">'
                   f"<h3>{_e(r.document)} <span class=\"note\">{_e(r.format)}, {status}, "
                   f"{len(r.findings)} finding{'s' if len(r.findings) != 1 else ''}</span></h3>")
        if r.notes:
            out.append("<ul>" + "".join(f'<li class="note">{_e(n)}</li>' for n in r.notes) + "</ul>")
        if r.findings:
            rows = [_finding_row(i, f, data.contexts.get(f.id)) for i, f in enumerate(r.findings, 1)]
            out.append(_table(_FINDING_HEADERS, rows, numeric=(0, 5)))
        else:
            out.append('<p class="empty">Nothing found.</p>')
        out.append(_pages(data, r, budget))
        out.append("</section>")
    return "".join(out)


def _next_steps(data: ReportInput) -> str:
    letter = "" if data.scan else (" A draft of the written response is in <code>review/response_letter.md</code>; "
                                   "complete the marked placeholders before sending it.")
    return ('<h2 id="next">Next steps</h2><ol>'
            "<li>Settle each withheld document and each item waiting for your decision.</li>"
            "<li>Copy <code>review/decisions.template.yaml</code>, keep the items you change (release, redact "
            "under another code, redact a term everywhere, withhold a document), and run "
            "<code>redact batch FOLDER --decisions FILE</code>. The package becomes a new version; the previous "
            "one is kept under <code>versions/</code>.</li>"
            "<li>Send <code>release/</code> (and only it) to the requester." + letter + "</li></ol>"
            "<footer>This report is internal: it shows the values removed from the release. Do not send it to the "
            "requester. The public record of each redaction is <code>release/redaction_log.csv</code>.</footer>")


def render_report(data: ReportInput) -> str:
    """The report as an HTML string."""
    withheld = [r.withheld for r in data.results if r.withheld is not None]
    shown = [r for r in data.results if r.withheld is None]
    review = sum(1 for r in shown for f in r.findings if f.action is Action.REVIEW)
    redacted = sum(1 for r in shown for f in r.findings if f.action is Action.REDACT)
    body = "".join([
        _cards(data, withheld, review, redacted),
        _withheld_section(data, withheld),
        _changes_section(data),
        _counts_section(data, shown),
        _review_section(data, shown),
        _findings_section(data, shown),
        _next_steps(data),
    ])
    template = Template(resources.files(_TEMPLATES).joinpath("templates/report.html").read_text(encoding="utf-8"))
    title = f"Review report — {data.request.request_id or 'request'}"
    return template.substitute(title=_e(title), heading=_e(title), subtitle=_subtitle(data), body=body)


def write_report(path: Path, data: ReportInput) -> None:
    """Write review/report.html."""
    write_atomically(path, render_report(data).encode("utf-8"))
