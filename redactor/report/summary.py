"""``redact report``: a terminal summary of a finished package, read from its files alone."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Action

_WIDTH = 100


def _read_jsonl(path: Path) -> Iterator[dict]:
    # Line by line: a large request's findings file is far bigger than what the summary keeps.
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def package_summary(out_dir: Path) -> str:
    """A plain-text summary of the package in ``out_dir``: withheld documents first, then counts and changes."""
    manifest_path = out_dir / "manifest.json"
    if not manifest_path.is_file():
        raise InputError(f"{out_dir} is not a disclosure package (no manifest.json)",
                         hint="pass the folder `redact batch` or `redact scan` wrote, e.g. request-123-disclosure")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{manifest_path} cannot be read: {exc}") from None
    run = manifest.get("run", {})
    req = manifest.get("settings", {}).get("request", {})
    rules = manifest.get("settings", {}).get("rules", {})
    withheld = manifest.get("withheld", [])
    withheld_docs = {w["document"] for w in withheld}
    inputs = manifest.get("inputs", [])
    kind = run.get("kind", "batch")
    lines = [
        f"Request {req.get('request_id') or '(no request id)'}"
        + (f", {req['agency']}" if req.get("agency") else "")
        + (f"; received {req['received']}" if req.get("received") else ""),
        f"Package version {run.get('version', '?')} ({'scan only: nothing released' if kind == 'scan' else 'release'})"
        f", finished {run.get('finished_at', '?')}, exit code {run.get('exit_code', '?')}; "
        f"rules {rules.get('name', '?')} {rules.get('version', '')}",
        "",
    ]
    released = sum(1 for i in inputs if i.get("status") == "released")
    lines.append(f"Documents: {len(inputs)}; {released} released, {len(withheld)} withheld.")
    pending = [w for w in withheld if w.get("reason") != "decision"]
    if pending:
        lines.append("Withheld for manual review:")
        lines += [f"  {w['document']}: {w['reason']}: {w['detail']}" for w in pending]
    decided = [w for w in withheld if w.get("reason") == "decision"]
    if decided:
        lines.append("Withheld in full by decision:")
        lines += [f"  {w['document']}: {w.get('code') or ''} {w['detail']}" for w in decided]
    parts = manifest.get("parts_withheld", [])
    if parts:
        lines.append("Parts left out of released documents:")
        lines += [f"  {p['document']}: {p['reason']}: {p['detail']}" for p in parts]

    actions: Counter[str] = Counter()
    released_by_decision = 0
    per_code: Counter[str] = Counter()
    per_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for f in _read_jsonl(out_dir / "review" / "findings.jsonl"):
        if f["document"] in withheld_docs:
            continue
        actions[f["action"]] += 1
        per_doc[f["document"]][f["action"]] += 1
        if f["action"] == Action.KEEP:
            if f.get("decided"):
                released_by_decision += 1
        elif f.get("code"):
            per_code[f["code"]] += 1
    lines += ["", f"Findings: {actions[Action.REDACT]} redacted, {actions[Action.REVIEW]} waiting for your decision "
                  f"(redacted for now), {actions[Action.KEEP] - released_by_decision} kept as public, "
                  f"{released_by_decision} released by decision."]
    if per_code:
        lines.append("By exemption:")
        lines += [f"  {code:<12} {n:>5}" for code, n in sorted(per_code.items())]
    if per_doc:
        lines.append("By document (redacted / for review / kept):")
        width = min(60, max(len(d) for d in per_doc))
        for doc in sorted(per_doc):
            counts = per_doc[doc]
            lines.append(f"  {doc:<{width}} {counts[Action.REDACT]:>4} {counts[Action.REVIEW]:>4} "
                         f"{counts[Action.KEEP]:>4}")

    changes_path = out_dir / "review" / "changes.csv"
    previous = run.get("version", 1) - 1 if isinstance(run.get("version"), int) else 0
    if changes_path.is_file() and previous >= 1:
        rows = list(csv.DictReader(changes_path.read_text(encoding="utf-8").splitlines()))
        lines.append("")
        if rows:
            lines.append(f"Changes since version {previous}: {len(rows)}")
            for row in rows:
                note = f" ({row['note']})" if row.get("note") else ""
                lines.append(f"  {row['change']}: {row['document']}, {row['location']}"
                             + (f", {row['entity_type']}" if row.get("entity_type") else "") + note)
        else:
            lines.append(f"Changes since version {previous}: none.")
    versions = sorted((p.name for p in (out_dir / "versions").iterdir() if p.is_dir()),
                      key=lambda n: int(n) if n.isdigit() else 0) if (out_dir / "versions").is_dir() else []
    lines.append("")
    for rel, what in (("review/report.html", "review report (open in a browser)"),
                      ("review/response_letter.md", "draft response letter"),
                      ("review/decisions.template.yaml", "decisions template"),
                      ("release/redaction_log.csv", "redaction log (public)")):
        if (out_dir / rel).is_file():
            lines.append(f"  {rel:<32} {what}")
    if versions:
        lines.append(f"  {'versions/':<32} earlier versions kept: {', '.join(versions)}")
    return "\n".join(line[:_WIDTH * 3] for line in lines)
