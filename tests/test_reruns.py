"""The officer's loop on the shipped sample: batch, decide, rerun, rerun again; versions and change lists."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from redactor.api import BatchOptions, BatchResult, run_batch
from redactor.cli import cli
from redactor.report import CHANGE_COLUMNS
from redactor.verify import Secret, find_leaks

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"
#: A permit application number the sample prints in two records; public until a decision says otherwise.
TERM = "BP-2026-0561"


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def findings(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "review/findings.jsonl").read_text(encoding="utf-8").splitlines()]


def changes(out: Path) -> list[dict[str, str]]:
    text = (out / "review/changes.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(CHANGE_COLUMNS)
    return list(csv.DictReader(text.splitlines()))


@dataclass
class Loop:
    out: Path
    first: BatchResult
    second: BatchResult
    third: BatchResult
    released: list[dict]
    release_v1: dict[str, str]
    release_v2: dict[str, str]
    findings_v1: list[dict]


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Loop:
    root = tmp_path_factory.mktemp("loop")
    request = root / "request-001"
    shutil.copytree(SAMPLE, request)
    out = root / "request-001-disclosure"
    first = run_batch(request, BatchOptions(out_dir=out))
    release_v1 = tree_hashes(out / "release")
    findings_v1 = findings(out)
    where: dict[str, set[str]] = {}
    for f in findings_v1:
        where.setdefault(f["text"].casefold(), set()).add(f["document"])
    # Two values the officer decides are public, in two plain-text records (so the test can read
    # them back), each found in that record only (so releasing it touches no other record).
    candidates = [f for f in findings_v1
                  if f["action"] in ("redact", "review") and len(where[f["text"].casefold()]) == 1
                  and f["document"].endswith((".txt", ".md"))
                  and f["entity"] in ("PERSON", "PHONE_NUMBER", "DATE_OF_BIRTH")]
    released = [candidates[0], next(f for f in candidates if f["document"] != candidates[0]["document"])]
    decisions = root / "decisions-1.yaml"
    decisions.write_text(
        f"- {{finding: {released[0]['id']}, action: release, note: \"Public official acting in office\"}}\n"
        f"- {{finding: {released[1]['id']}, action: release, note: \"Requester's own contact details\"}}\n"
        f"- {{text: \"{TERM}\", action: redact, code: \"26(c)\", note: \"Permit number identifies the owner\"}}\n",
        encoding="utf-8")
    second = run_batch(request, BatchOptions(out_dir=out, decisions=decisions))
    release_v2 = tree_hashes(out / "release")
    third = run_batch(request, BatchOptions(out_dir=out, decisions=decisions))
    return Loop(out, first, second, third, released, release_v1, release_v2, findings_v1)


def _readable(path: Path, text: str) -> bool:
    """True when the verifier's own reader finds ``text`` in a released file (any format)."""
    return bool(find_leaks(path, [Secret("t", "d", "CUSTOM_TERM", text)], label=path.name))


def test_when_decisions_release_two_findings_and_add_a_term_then_the_release_follows_them(loop: Loop) -> None:
    release = loop.out / "versions/2/release"
    for f in loop.released:
        assert _readable(release / f["document"], f["text"])
        assert not _readable(loop.out / "versions/1/release" / f["document"], f["text"])
    term_docs = {f["document"] for f in findings(loop.out) if f["text"] == TERM}
    assert len(term_docs) >= 2
    assert any(_readable(loop.out / "versions/1/release" / d, TERM) for d in term_docs)
    assert not any(_readable(p, TERM) for p in release.rglob("*") if p.is_file())
    complaint_log = (release / "files/complaint_log.txt").read_text(encoding="utf-8")
    assert "(from permit application [REDACTED 26(c)])" in complaint_log


def test_when_decisions_change_three_things_then_everything_else_is_unchanged(loop: Loop) -> None:
    touched = {f["document"] for f in loop.released} | {f["document"] for f in findings(loop.out) if f["text"] == TERM}
    untouched = {rel: h for rel, h in loop.release_v1.items()
                 if rel.split(".attachments/")[0] not in touched and rel != "redaction_log.csv"}
    assert untouched and all(loop.release_v2[rel] == h for rel, h in untouched.items())
    # Every other finding kept its action and code.
    decided = {f["id"] for f in loop.released}
    after = {f["id"]: f for f in findings(loop.out / "versions/2")}
    for f in loop.findings_v1:
        if f["id"] not in decided and f["text"] != TERM:
            assert (after[f["id"]]["action"], after[f["id"]]["code"]) == (f["action"], f["code"]), f["id"]


def test_when_decisions_change_three_things_then_changes_csv_lists_exactly_those_three(loop: Loop) -> None:
    rows = changes(loop.out / "versions/2")
    assert [(r["change"], r["note"]) for r in rows] == [
        ("released", "Public official acting in office"),
        ("released", "Requester's own contact details"),
        ("redacted", "Permit number identifies the owner"),
    ]
    assert rows[0]["finding_ids"] == loop.released[0]["id"] and rows[1]["finding_ids"] == loop.released[1]["id"]
    assert rows[2]["exemption_code"] == "26(c)" and "BP-2026-0561" not in rows[2]["value_hint"]
    assert int(rows[2]["occurrences"]) >= 2
    # The report shows the same list.
    html = (loop.out / "versions/2/review/report.html").read_text(encoding="utf-8")
    assert "Permit number identifies the owner" in html and "Compared with version 1" in html


def test_when_nothing_changes_then_the_third_release_is_identical_and_the_change_list_empty(loop: Loop) -> None:
    assert tree_hashes(loop.out / "release") == loop.release_v2
    assert changes(loop.out) == []
    assert loop.third.changes == [] and loop.third.version == 3
    assert "Nothing in the release changed since version 2" in (loop.out / "review/report.html").read_text()


def test_when_a_package_is_rerun_then_earlier_versions_are_kept_and_chained(loop: Loop) -> None:
    assert sorted(p.name for p in (loop.out / "versions").iterdir()) == ["1", "2"]
    assert tree_hashes(loop.out / "versions/1/release") == loop.release_v1
    manifest = json.loads((loop.out / "manifest.json").read_text())
    kept = loop.out / "versions/2/manifest.json"
    assert manifest["run"]["version"] == 3
    assert manifest["run"]["previous_manifest_sha256"] == hashlib.sha256(kept.read_bytes()).hexdigest()
    assert manifest["settings"]["decisions"]["sha256"]
    assert json.loads(kept.read_text())["run"]["version"] == 2
    # Kept versions are not part of the release the verifier checks.
    assert not any(o["path"].startswith("versions/") for o in manifest["outputs"])


def test_when_report_is_asked_for_a_package_then_it_summarises_withheld_counts_and_changes(loop: Loop) -> None:
    result = CliRunner().invoke(cli, ["report", str(loop.out)])
    assert result.exit_code == 0, result.output
    assert "Request PRR-2026-0142" in result.output and "Package version 3" in result.output
    assert "Changes since version 2: none." in result.output
    assert "earlier versions kept: 1, 2" in result.output
    v2 = CliRunner().invoke(cli, ["report", str(loop.out / "versions/2")])
    assert "Changes since version 1: 3" in v2.output and "Permit number identifies the owner" in v2.output


def test_when_report_is_given_a_folder_that_is_not_a_package_then_it_exits_4(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", str(tmp_path)])
    assert result.exit_code == 4 and "is not a disclosure package" in result.output


def test_when_a_decision_recodes_one_finding_then_changes_csv_lists_it_and_nothing_else(make_request, tmp_path: Path
                                                                                       ) -> None:
    """Documents whose findings did not change are not compared finding by finding; a change of code
    alone must still reach the list."""
    folder = make_request({f"files/note_{n}.txt": f"Complainant Jane Roe{n}x, cell (413) 555-014{n}.\n"
                           for n in range(3)})
    out = tmp_path / "out"
    run_batch(folder, BatchOptions(out_dir=out))
    phone = next(f for f in findings(out) if f["entity"] == "PHONE_NUMBER" and f["document"] == "files/note_1.txt")
    assert phone["code"] == "26(c)"
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(f'- {{finding: {phone["id"]}, action: redact, code: "26(n)", note: "security"}}\n',
                         encoding="utf-8")
    run_batch(folder, BatchOptions(out_dir=out, decisions=decisions))
    rows = changes(out)
    assert [(r["change"], r["document"], r["exemption_code"], r["previous_code"], r["finding_ids"]) for r in rows] \
        == [("re-coded", "files/note_1.txt", "26(n)", "26(c)", phone["id"])]
