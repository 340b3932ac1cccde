"""review/report.html: the records officer's view of a run, in one self-contained file.

Order follows what the officer must act on first: documents withheld for manual
review, what changed since the previous version, counts, the items waiting for a
decision, then every finding per document with its context (and, for PDFs, the
released pages with the boxes outlined). The report is internal: it shows the
values the release removes.

A request can have millions of findings, so the report is written as it is built: the
sections are generators of HTML chunks, and the results are read from their store one
document at a time (three passes: counts, items for review, findings by document).
Everything that needs no individual finding comes from the store's light copies and
per-document counts.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from ..detect.titles import OFFICIAL_DETECTOR
from ..errors import DETECTION_TIMED_OUT, DOCUMENT_TIMED_OUT, WORKER_STOPPED
from ..formats.base import atomic_writer, write_atomically
from ..models import ENTITY_TYPES, Action, DocumentResult, Finding, Withheld
from ..rules import RuleSet
from ..settings import REQUEST_FILE, RequestSettings
from ..store import ResultStore, as_store
from .changes import Change
from .context import Snippet
from .thumbnails import MAX_PAGES, WIDTH_PX, Box, PageImage, render_pages

log = logging.getLogger(__name__)

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
    DETECTION_TIMED_OUT: "Run the batch again when the computer is less busy (only the records withheld this way "
                           "are analysed again). If it is withheld again, redact it by hand or withhold it, and "
                           "report the problem.",
    DOCUMENT_TIMED_OUT: "If the record is only very large, run the batch again with a longer --document-timeout "
                        "(or 0 for none); otherwise the tool cannot read it: redact it by hand or withhold it, "
                        "and report the problem.",
    WORKER_STOPPED: "Run the batch again (it is processed again); if it is withheld again, the tool cannot read "
                    "the file or the computer runs out of memory on it: redact it by hand or withhold it, and "
                    "report the problem.",
}
_DEFAULT_STEP = ("Review the record by hand; then release a copy you have redacted yourself, or withhold it "
                 "with a decision item.")


@dataclass
class ReportInput:
    """Everything the report shows, gathered by the run."""

    request: RequestSettings
    rules: RuleSet
    #: The results in document order, best as a ResultStore (any other sequence is put in one).
    results: Sequence[DocumentResult]
    version: int
    finished_at: str
    scan: bool = False
    previous_version: int | None = None
    changes: Sequence[Change] = ()
    ignored: Sequence[tuple[str, str]] = ()
    #: Context of each finding, by finding id, for results that do not carry their own ``contexts``.
    contexts: dict[str, Snippet] = field(default_factory=dict)
    #: Redaction boxes per document, per 1-based page, in PDF coordinates, for results that do not
    #: carry their own ``boxes``.
    boxes: dict[str, dict[int, list[Box]]] = field(default_factory=dict)
    #: Where the released files are (for page images); None when nothing was released.
    release_dir: Path | None = None
    #: Files the release-time leak check flagged (beyond documents already withheld).
    leak_files: Sequence[str] = ()
    #: Where page images are kept between runs (the run's cache); None: always drawn.
    image_cache: Path | None = None


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


def finding_label(f: Finding) -> str:
    """What a finding is: its entity's label, but for an official's name written in office."""
    return "Name of a public official, written in office" if f.detector == OFFICIAL_DETECTOR else entity_label(f.entity)


def _snippet(data: ReportInput, r: DocumentResult, finding_id: str) -> Snippet | None:
    own: dict[str, Snippet] = getattr(r, "contexts", None) or {}
    return own.get(finding_id) or data.contexts.get(finding_id)


def _boxes(data: ReportInput, r: DocumentResult) -> dict[int, list[Box]]:
    return getattr(r, "boxes", None) or data.boxes.get(r.document, {})


def _context(snip: Snippet | None, fallback: str) -> str:
    if snip is None:
        return f"<mark>{_e(fallback)}</mark>"
    return f"{_e(snip.before)}<mark>{_e(snip.value)}</mark>{_e(snip.after)}"


def _table_start(headers: Sequence[str], numeric: Sequence[int] = ()) -> str:
    head = "".join(f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
                   for i, h in enumerate(headers))
    return f"<table><thead><tr>{head}</tr></thead><tbody>"


_TABLE_END = "</tbody></table>"


def _table(headers: Sequence[str], rows: Sequence[str], numeric: Sequence[int] = ()) -> str:
    return _table_start(headers, numeric) + "".join(rows) + _TABLE_END


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


def _withheld_section(data: ReportInput, light: Sequence[DocumentResult], withheld: list[Withheld]) -> Iterator[str]:
    yield '<h2 id="withheld">Documents withheld</h2>'
    pending = [w for w in withheld if w.reason != "decision"]
    decided = [w for w in withheld if w.reason == "decision"]
    if not withheld and not data.leak_files:
        yield '<p class="empty">No document was withheld: every record is in the release.</p>'
    if pending:
        yield ('<p class="lead">These records are <b>not</b> in release/. The tool could not process them '
               'safely; each needs your manual review.</p>')
        yield _table_start(["Document", "Why", "What to do"])
        for w in pending:
            yield f'<tr class="withheld">{_cells([w.document, w.detail, _NEXT_STEP.get(w.reason, _DEFAULT_STEP)])}</tr>'
        yield _TABLE_END
    if decided:
        yield "<h3>Withheld in full by your decisions</h3>"
        yield _table_start(["Document", "Exemption", "Reason given"])
        for w in decided:
            yield f"<tr>{_cells([w.document, w.code or '', w.detail])}</tr>"
        yield _TABLE_END
    if any(r.parts_withheld for r in light):
        yield ("<h3>Parts left out of released documents</h3>"
               '<p class="lead">The document is released; these parts of it are not, and need manual '
               "review.</p>")
        yield _table_start(["Document", "Part", "Why"])
        for r in light:
            for p in r.parts_withheld:
                yield f"<tr>{_cells([r.document, p.reason, p.detail])}</tr>"
        yield _TABLE_END
    if data.leak_files:
        yield "<h3>Files where the final check found a removed value</h3>"
        yield "<ul>" + "".join(f"<li>{_e(f)}</li>" for f in data.leak_files) + "</ul>"
    # request.yaml is the run's own settings file: listing it would only be noise here.
    ignored = [(p, why) for p, why in data.ignored if p != REQUEST_FILE]
    if ignored:
        yield "<h3>Files that are not records</h3>"
        yield _table(["File", "Why it was not processed"], [f"<tr>{_cells([p, why])}</tr>" for p, why in ignored])


def _changes_section(data: ReportInput) -> Iterator[str]:
    yield '<h2 id="changes">Changes since the previous version</h2>'
    if data.previous_version is None:
        yield '<p class="empty">This is the first version of this package.</p>'
        return
    if not data.changes:
        yield f'<p class="empty">Nothing in the release changed since version {data.previous_version}.</p>'
        return
    yield (f'<p class="lead">Compared with version {data.previous_version} (kept in '
           f"<code>versions/{data.previous_version}/</code>); also in <code>review/changes.csv</code>.</p>")
    yield _table_start(["Change", "Document", "Where", "What", "Code now", "Code before", "Value (masked)", "Why",
                        "Note"])
    for c in data.changes:
        row = c.row()
        yield f"<tr>{_cells([row['change'], row['document'], row['location'], row['entity_type'] and entity_label(row['entity_type']), row['exemption_code'], row['previous_code'], row['value_hint'], row['cause'], row['note']])}</tr>"  # noqa: E501
    yield _TABLE_END


def _counts_section(data: ReportInput, store: ResultStore) -> Iterator[str]:
    rules, light = data.rules, store.light
    yield '<h2 id="counts">Counts</h2>'
    yield "<h3>By exemption</h3>"
    per_code: dict[str, Counter[str]] = {}
    docs_per_code: Counter[str] = Counter()
    # From the store's tallies: no document's findings are read back for the counts.
    for r, tally in zip(light, store.by_code, strict=True):
        if r.withheld is not None:
            continue
        for (code, action), n in tally.items():
            per_code.setdefault(code, Counter())[str(action)] += n
        docs_per_code.update({code for code, _ in tally})
    for r in light:
        if r.withheld is not None and r.withheld.code:
            per_code.setdefault(r.withheld.code, Counter())["withheld"] += 1
            docs_per_code[r.withheld.code] += 1
    if per_code:
        yield _table_start(["Code", "What it covers", "Citation", "Redacted", "For review", "Documents withheld",
                            "Documents"], numeric=(3, 4, 5, 6))
        for code in sorted(per_code, key=lambda c: list(rules.codes).index(c) if c in rules.codes else 999):
            spec = rules.codes.get(code)
            counts = per_code[code]
            yield f"<tr>{_cells([code, spec.title if spec else '', spec.citation if spec else '', counts['redact'], counts['review'], counts['withheld'], docs_per_code[code]], numeric=(3, 4, 5, 6))}</tr>"  # noqa: E501
        yield _TABLE_END
    else:
        yield '<p class="empty">No exemption was applied.</p>'
    yield "<h3>By document</h3>"
    yield _table_start(["Document", "Format", "Status", "Redacted", "For review", "Kept: public",
                        "Released by decision"], numeric=(3, 4, 5, 6))
    for i, r in enumerate(light):
        acts = store.counts[i]
        status = ("withheld" if r.withheld else "scanned" if data.scan else "released")
        decided = store.decided_keeps[i]
        yield f"<tr>{_cells([r.document, r.format, status, acts[Action.REDACT], acts[Action.REVIEW], acts[Action.KEEP] - decided, decided], numeric=(3, 4, 5, 6))}</tr>"  # noqa: E501
    yield _TABLE_END


def _finding_row(i: int, f: Finding, snip: Snippet | None, with_doc: bool = False) -> str:
    label, cls = action_label(f)
    note = f'<span class="note">{_e(f.note)}</span>' if f.note else ""
    doc = f"<td>{_e(f.document)}</td>" if with_doc else f'<td class="num">{i}</td>'
    return (f'<tr class="f {cls}">{doc}<td>{_e(f.location.describe())}</td><td>{_e(finding_label(f))}</td>'
            f"<td>{_e(f.code or '')}</td><td><span class=\"badge {cls}\">{_e(label)}</span>{note}</td>"
            f'<td class="num">{f.confidence:.0%}</td><td>{_e(f.detector)}</td>'
            f'<td class="ctx">{_context(snip, f.text)}</td><td class="id">{_e(f.id)}</td></tr>')


_FINDING_HEADERS = ["#", "Where", "What", "Code", "Action", "Confidence", "Found by", "Context", "Finding id"]


def _review_head(total: int) -> Iterator[str]:
    yield '<h2 id="review">Items waiting for your decision</h2>'
    if not total:
        yield '<p class="empty">No item is waiting for a decision.</p>'
        return
    yield (f'<p class="lead">{total} items are redacted in this draft until you decide: names, home '
           "addresses and e-mail addresses may belong to people acting in a public role, whose details are "
           "public. To release one, add <code>{finding: &lt;id&gt;, action: release, note: ...}</code> to a "
           "decisions file (review/decisions.template.yaml lists every finding) and run again with "
           "<code>--decisions</code>.</p>")
    yield _table_start(["Document", *_FINDING_HEADERS[1:]], numeric=(5,))


def _review_rows(data: ReportInput, r: DocumentResult) -> Iterator[str]:
    for f in r.findings:
        if f.action is Action.REVIEW:
            yield _finding_row(0, f, _snippet(data, r, f.id), with_doc=True)


def _cached_pages(data: ReportInput, r: DocumentResult, shown: list[int], boxes: dict[int, list[Box]]
                  ) -> list[PageImage]:
    """Page images from ``data.image_cache`` when the same released file, pages and boxes were drawn
    before (a rerun redraws only what changed), else rendered and stored there."""
    assert data.release_dir is not None
    sha = (getattr(r, "output_sha256", None) or {}).get(r.document)
    if data.image_cache is None or sha is None:
        return render_pages(data.release_dir / r.document, shown, boxes)
    key = hashlib.sha256(json.dumps([sha, shown, {str(p): boxes.get(p, []) for p in shown}, WIDTH_PX])
                         .encode()).hexdigest()
    path = data.image_cache / f"{key}.json"
    try:
        return [PageImage(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    images = render_pages(data.release_dir / r.document, shown, boxes)
    try:
        data.image_cache.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps([asdict(im) for im in images]).encode("utf-8"))
    except OSError:
        log.debug("page images not cached", exc_info=True)
    return images


def _pages(data: ReportInput, r: DocumentResult, budget: list[int]) -> str:
    if data.release_dir is None or r.withheld is not None or r.format != "pdf":
        return ""
    boxes = _boxes(data, r)
    pages = sorted({f.location.page for f in r.findings if f.action.removes and f.location.page is not None}
                   | set(boxes))
    if not pages:
        return ""
    room = max(0, budget[0])
    shown = pages[:room]
    budget[0] -= len(shown)
    images = _cached_pages(data, r, shown, boxes)
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


def _findings_head() -> Iterator[str]:
    yield '<h2 id="findings">All findings, by document</h2>'
    yield ('<p class="lead">Every value the tool found, with the words around it. Redacted values appear in the '
           "release as <code>[REDACTED code]</code> (a black box with the code in PDFs).</p>")


def _document_section(data: ReportInput, r: DocumentResult, budget: list[int]) -> Iterator[str]:
    has_review = any(f.action is Action.REVIEW for f in r.findings)
    status = "scanned" if data.scan else "released"
    yield (f'<section class="doc{" has-review" if has_review else ""}">'
           f"<h3>{_e(r.document)} <span class=\"note\">{_e(r.format)}, {status}, "
           f"{len(r.findings)} finding{'s' if len(r.findings) != 1 else ''}</span></h3>")
    if r.notes:
        yield "<ul>" + "".join(f'<li class="note">{_e(n)}</li>' for n in r.notes) + "</ul>"
    if r.findings:
        yield _table_start(_FINDING_HEADERS, numeric=(0, 5))
        for n, f in enumerate(r.findings, 1):
            yield _finding_row(n, f, _snippet(data, r, f.id))
        yield _TABLE_END
    else:
        yield '<p class="empty">Nothing found.</p>'
    yield _pages(data, r, budget)
    yield "</section>"


def _review_and_findings(data: ReportInput, store: ResultStore, shown: list[int], total: int) -> Iterator[str]:
    """The items waiting for a decision, then every finding by document, from one read of each
    document: the second section waits in a temporary file while the first is written (each read
    unpickles a document's findings, which a large request pays per pass)."""
    yield from _review_head(total)
    budget = [MAX_PAGES]
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as later:
        later.writelines(_findings_head())
        for i in shown:
            r = store[i]
            if store.counts[i][Action.REVIEW]:
                yield from _review_rows(data, r)
            later.writelines(_document_section(data, r, budget))
        if total:
            yield _TABLE_END
        later.seek(0)
        while chunk := later.read(1 << 20):
            yield chunk


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


#: Stands in for the body while the page template is filled, so the page can be cut around it; no
#: filled-in value can contain it, as they are all escaped ("<" becomes "&lt;").
_BODY = "<!--report body-->"


def _frame(data: ReportInput) -> tuple[str, str]:
    """The page before the body and after it."""
    template = Template(resources.files(_TEMPLATES).joinpath("templates/report.html").read_text(encoding="utf-8"))
    title = f"Review report — {data.request.request_id or 'request'}"
    page = template.substitute(title=_e(title), heading=_e(title), subtitle=_subtitle(data), body=_BODY)
    head, _, tail = page.partition(_BODY)
    return head, tail


def _chunks(data: ReportInput, store: ResultStore) -> Iterator[str]:
    """The report, piece by piece, holding one document's findings at a time."""
    light = store.light
    shown = [i for i, r in enumerate(light) if r.withheld is None]
    withheld = [r.withheld for r in light if r.withheld is not None]
    review = sum(store.counts[i][Action.REVIEW] for i in shown)
    redacted = sum(store.counts[i][Action.REDACT] for i in shown)
    head, tail = _frame(data)
    yield head
    yield _cards(data, withheld, review, redacted)
    yield from _withheld_section(data, light, withheld)
    yield from _changes_section(data)
    yield from _counts_section(data, store)
    yield from _review_and_findings(data, store, shown, review)
    yield _next_steps(data)
    yield tail


@contextmanager
def _store_of(results: Sequence[DocumentResult]) -> Iterator[ResultStore]:
    store = as_store(results)
    try:
        yield store
    finally:
        # A store made here from a plain sequence is this call's own spool file; a caller's stays open.
        if store is not results:
            store.close()


def render_report(data: ReportInput) -> str:
    """The report as an HTML string (the same bytes :func:`write_report` writes)."""
    with _store_of(data.results) as store:
        return "".join(_chunks(data, store))


def write_report(path: Path, data: ReportInput) -> None:
    """Write review/report.html piece by piece: memory holds one document's findings, not the request's."""
    with _store_of(data.results) as store, atomic_writer(path) as fh:
        for chunk in _chunks(data, store):
            fh.write(chunk.encode("utf-8"))
