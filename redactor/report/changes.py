"""What changed since the previous version of a package: review/changes.csv and the report's section.

The previous version is read from the package being replaced (its manifest and
review/findings.jsonl); the comparison is between states, not decisions files, so
a rerun with nothing new lists nothing. Each change is attributed to the decision
that caused it, and the changes one decision causes (a term redacted in many
places, a released value no longer carried into other records) form one row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..decide import value_key
from ..decisions import Decisions
from ..formats.base import write_atomically
from ..models import Action, DocumentResult, Finding, Location, Withheld
from ..store import NO_FINDINGS, ResultStore, signed

CHANGE_COLUMNS = ("change", "document", "location", "entity_type", "exemption_code", "previous_code",
                  "occurrences", "finding_ids", "value_hint", "cause", "note")

#: Where a finding came from, in the officer's words.
_SOURCES = {
    "rules": "detection rules",
    "request": "request.yaml (always_redact)",
    "decision": "decisions file",
    "consistency": "the same value removed in another record of the request",
}


@dataclass(frozen=True)
class PreviousVersion:
    """The package a run replaces: its version number, manifest and findings."""

    version: int
    manifest_sha256: str
    manifest: dict[str, Any]
    #: review/findings.jsonl of that version, read one document at a time (see :meth:`findings_of`).
    findings_path: Path | None = None
    #: Per document, the byte ranges of its lines in ``findings_path``.
    index: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: Per document, the removal signature of its findings (see redactor.store.ResultStore._summaries;
    #: None when a line of the document could not be read: it is then compared finding by finding).
    signatures: dict[str, tuple[int, int] | None] = field(default_factory=dict)

    def findings_of(self, document: str, only: Container[int] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
        """The previous version's findings in ``document``, each with its place among them, read one
        at a time (unreadable lines are skipped); with ``only``, just those at these places."""
        if self.findings_path is None or document not in self.index:
            return
        with self.findings_path.open("rb") as fh:
            for n, (start, size) in enumerate(self.index[document]):
                if only is not None and n not in only:
                    continue
                fh.seek(start)
                try:
                    yield n, json.loads(fh.read(size).decode("utf-8", errors="replace"))
                except ValueError:
                    continue

    @property
    def withheld(self) -> dict[str, dict[str, Any]]:
        """Documents the previous version withheld, by path."""
        return {w["document"]: w for w in self.manifest.get("withheld", [])}

    @property
    def inputs(self) -> dict[str, str]:
        """sha256 of each input document of the previous version."""
        return {i["path"]: i["sha256"] for i in self.manifest.get("inputs", [])}


def load_previous(out_dir: Path) -> PreviousVersion | None:
    """The package in ``out_dir``, if there is one; an unreadable one counts as version 0 with no findings."""
    manifest_path = out_dir / "manifest.json"
    if not manifest_path.is_file():
        return None
    raw = manifest_path.read_bytes()
    try:
        manifest = json.loads(raw)
        version = int(manifest.get("run", {}).get("version", 0))
    except (ValueError, AttributeError):
        manifest, version = {}, 0
    path = out_dir / "review" / "findings.jsonl"
    index: dict[str, list[tuple[int, int]]] = {}
    signatures: dict[str, tuple[int, int] | None] = {}
    if path.is_file():
        # Only where each document's findings are, and their signature, is kept: a large request's
        # findings are never all in memory at once.
        with path.open("rb") as fh:
            offset = 0
            for line in fh:
                if line.strip():
                    try:
                        finding = json.loads(line.decode("utf-8", errors="replace"))
                        document = finding.get("document")
                    except (ValueError, AttributeError):
                        finding, document = None, None
                    if isinstance(document, str):
                        index.setdefault(document, []).append((offset, len(line)))
                        signature = signatures.get(document, NO_FINDINGS)
                        if signature is not None:
                            try:
                                signatures[document] = signed(signature, finding["id"], _removes(finding["action"]),
                                                              finding.get("code"))
                            except (KeyError, TypeError, ValueError):
                                signatures[document] = None
                offset += len(line)
    return PreviousVersion(version, hashlib.sha256(raw).hexdigest(), manifest,
                           path if path.is_file() else None, index, signatures)


@dataclass
class Change:
    """One row of review/changes.csv: what changed, where, and why."""

    change: str  # released | redacted | re-coded | withheld in full | no longer withheld | document ...
    documents: list[str]
    locations: list[str]
    entity: str
    code: str
    previous_code: str
    finding_ids: list[str] = field(default_factory=list)
    hint: str = ""
    cause: str = ""
    note: str = ""

    def row(self) -> dict[str, str]:
        """The CSV row."""
        where = self.locations[0] if len(self.locations) == 1 else f"{len(self.locations)} places"
        return {"change": self.change, "document": "; ".join(self.documents), "location": where,
                "entity_type": self.entity, "exemption_code": self.code, "previous_code": self.previous_code,
                "occurrences": str(len(self.finding_ids)) if self.finding_ids else "",
                "finding_ids": " ".join(self.finding_ids), "value_hint": self.hint, "cause": self.cause,
                "note": self.note}


def _removes(action: str) -> bool:
    return Action(action).removes


def _where(location: dict[str, Any]) -> str:
    return Location(**location).describe()


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["unit_id"] == b["unit_id"] and a["start"] < b["end"] and b["start"] < a["end"]


def diff_versions(previous: PreviousVersion, results: Sequence[DocumentResult], decisions: Decisions,
                  mask: Callable[[str], str]) -> list[Change]:
    """Every change in the release since ``previous``, grouped by the decision that caused it.

    ``mask`` turns a value into the hint shown instead of it (the decisions template's masking).
    """
    changes: list[Change] = []
    where_file = decisions.path.name if decisions.path else "decisions"
    prev_inputs, prev_withheld = previous.inputs, previous.withheld
    light = results.light if isinstance(results, ResultStore) else results
    now_withheld: dict[str, Withheld] = {r.document: r.withheld for r in light if r.withheld is not None}
    current_docs = {r.document for r in light}

    for doc in sorted(set(prev_inputs) - current_docs):
        changes.append(Change("document removed", [doc], ["whole document"], "", "", "",
                              cause="no longer in the request folder"))
    for r in light:
        if r.document not in prev_inputs:
            changes.append(Change("document added", [r.document], ["whole document"], "", "", "",
                                  cause="new in the request folder"))
        elif prev_inputs[r.document] != r.input_sha256:
            changes.append(Change("document changed", [r.document], ["whole document"], "", "", "",
                                  cause="the record in the request folder was modified"))
    for doc, w in sorted(now_withheld.items()):
        if doc in prev_inputs and doc not in prev_withheld:
            cause = "decisions file" if w.reason == "decision" else f"manual review needed ({w.reason})"
            changes.append(Change("withheld in full", [doc], ["whole document"], "", w.code or "", "",
                                  cause=cause, note=w.detail))
    for doc, w in sorted(prev_withheld.items()):
        if doc in current_docs and doc not in now_withheld:
            changes.append(Change("no longer withheld", [doc], ["whole document"], "", "", w.get("code") or "",
                                  cause="released, redacted where needed", note=f"previously: {w.get('detail', '')}"))

    # Findings are compared only in documents processed in both versions, one document at a time.
    compared = [i for i, r in enumerate(light)
                if r.document in prev_inputs and r.document not in prev_withheld and r.document not in now_withheld]

    decided = decisions.findings
    releases = {fid for fid, (item, _) in decided.items() if item.action == "release"}
    released_by: dict[str, str] = {}
    if releases:
        for i in compared:
            if isinstance(results, ResultStore) and releases <= results.watching and \
                    not releases & results.watched_in(i):
                continue  # noted as the results arrived: none of the released findings is here
            released_by.update((value_key(f.text), f.id) for f in results[i].findings if f.id in releases)
    terms = {value_key(t.text): t for t in decisions.terms}

    def cause_of(fid: str, entity: str, text: str, source: str) -> tuple[tuple[str, str], str, str]:
        if fid in decided:
            item, line = decided[fid]
            return ("finding", fid), f"decision ({where_file}, line {line})", item.note or ""
        key = value_key(text)
        if entity == "CUSTOM_TERM" and key in terms:
            term = terms[key]
            return ("term", key), f"decision ({where_file}): redact a term everywhere", term.note or ""
        if key in released_by:
            item, line = decided[released_by[key]]
            return (("finding", released_by[key]),
                    f"decision ({where_file}, line {line})", item.note or "")
        return ("own", fid), _SOURCES.get(source, source), ""

    groups: dict[tuple[str, tuple[str, str]], Change] = {}

    def add(kind: str, fid: str, document: str, where: str, entity: str, code: str, previous_code: str,
            text: str, source: str) -> None:
        key, cause, note = cause_of(fid, entity, text, source)
        group = groups.get((kind, key))
        if group is None:
            group = groups[(kind, key)] = Change(kind, [], [], entity, code, previous_code, hint=mask(text),
                                                 cause=cause, note=note)
        if document not in group.documents:
            group.documents.append(document)
        group.locations.append(where)
        group.finding_ids.append(fid)

    for i in compared:
        if isinstance(results, ResultStore) and \
                previous.signatures.get(light[i].document) == results.removals[i]:
            continue  # the same findings remove the same values under the same codes: nothing to list
        result = results[i]
        _diff_document(previous, result.document, result.findings, add)
    order = {"released": 0, "redacted": 1, "re-coded": 2}
    changes.extend(sorted(groups.values(), key=lambda c: (order[c.change], c.documents, c.locations)))
    return changes


def _diff_document(previous: PreviousVersion, document: str, findings: Iterable[Finding],
                   add: Callable[..., None]) -> None:
    """The changes between one document's findings in two versions, passed to ``add``.

    A large mailbox has tens of thousands of findings in each version. Of the previous ones only what
    tells a change is held (id, place, whether it removed, code), the current ones are met in turn
    (a compressed slice at a time), and only the findings that changed are held whole. A finding's
    id is unique in its document (the log's id)."""
    # id -> (place in the previous version, removed, code); taken out as the current findings meet it.
    prev: dict[str, tuple[int, bool, str | None]] = {}
    for n, old in previous.findings_of(document):
        prev[old["id"]] = (n, _removes(old["action"]), old.get("code"))
    only_cur: list[Finding] = []
    both: list[tuple[Any, ...]] = []  # changes of findings in both versions, in the current order
    for f in findings:
        seen = prev.pop(f.id, None)
        if seen is None:
            if f.action.removes:
                only_cur.append(f)
            continue
        _, was, previous_code = seen
        now = f.action.removes
        kind = ("released" if was and not now else "redacted" if now and not was
                else "re-coded" if now and f.code != previous_code else None)
        if kind is not None:
            # A code is shown for the versions that removed it.
            both.append((kind, f.id, f.document, f.location.describe(), f.entity, (f.code or "") if now else "",
                         (previous_code or "") if was else "", f.text, f.source))
    # What the previous version removed and the current one has no finding for, read whole again.
    only_prev = [old for _, old in previous.findings_of(document, {n for n, was, _ in prev.values() if was})]
    _removed_in_one_version(only_prev, only_cur, add)
    for change in both:
        add(*change)


def _removed_in_one_version(only_prev: list[dict[str, Any]], only_cur: list[Finding], add: Callable[..., None]) -> None:
    """The changes of removals whose id is in one version only (previous records, current findings),
    passed to ``add``: released, redacted, or re-coded where the id alone changed."""
    # A removal that only changed its id (a new term merged with the value around it) is the same removal.
    matched_cur: set[str] = set()
    for old in only_prev:
        twin = next((f for f in only_cur if f.document == old["document"] and f.id not in matched_cur
                     and _overlaps(old["location"], f.to_json()["location"])), None)
        if twin is not None:
            matched_cur.add(twin.id)
            if twin.code != old.get("code"):
                add("re-coded", twin.id, twin.document, twin.location.describe(), twin.entity, twin.code or "",
                    old.get("code") or "", twin.text, twin.source)
            continue
        add("released", old["id"], old["document"], _where(old["location"]), old["entity"], "",
            old.get("code") or "", old["text"], old.get("source", "rules"))
    for f in only_cur:
        if f.id not in matched_cur:
            add("redacted", f.id, f.document, f.location.describe(), f.entity, f.code or "", "", f.text, f.source)


def write_changes(path: Path, changes: Sequence[Change]) -> None:
    """review/changes.csv (a header and nothing else when nothing changed)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CHANGE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for change in changes:
        writer.writerow(change.row())
    write_atomically(path, buf.getvalue().encode("utf-8"))
