"""review/report.html and `redact scan`: what the officer sees, in a real browser too."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from redactor.api import BatchOptions, BatchResult, run_batch
from redactor.cli import cli
from redactor.errors import ExitCode
from redactor.report import html as report_html

NOTE = """\
Complaint intake, received 10/05/2026 by Kevin Doyle <kdoyle@millbrook.ma.gov>.
Complainant: Jane Roe, SSN 219-09-9998, cell (413) 555-0142, home address 42 Elm Street, Millbrook.
"""
SECRETS = ["219-09-9998", "(413) 555-0142", "42 Elm Street", "Jane Roe", "737-27-1318"]
REQUEST = {"request_id": "PRR-T-9", "agency": "Town of Millbrook", "public_domains": ["millbrook.ma.gov"],
           "public_names": ["Kevin Doyle"]}


def _pdf(path: Path) -> None:
    """Three pages: an SSN on page 1, nothing on page 2, a cell phone on page 3."""
    doc = pymupdf.open()
    for text in ("Applicant SSN: 737-27-1318", "Permit conditions apply to the garage.",
                 "Applicant cell phone: (413) 555-0142"):
        page = doc.new_page()
        page.insert_text((72, 100), text, fontsize=12)
    doc.save(path)
    doc.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    root = tmp_path_factory.mktemp("report")
    request = root / "request"
    (request / "files").mkdir(parents=True)
    (request / "files/intake_note.txt").write_text(NOTE, encoding="utf-8")
    (request / "files/legacy_memo.wpd").write_bytes(b"WordPerfect document")
    _pdf(request / "files/permit.pdf")
    import yaml

    (request / "request.yaml").write_text(yaml.safe_dump(REQUEST), encoding="utf-8")
    return run_batch(request, BatchOptions())


def _report(run: BatchResult) -> str:
    return (run.out_dir / "review/report.html").read_text(encoding="utf-8")


def test_when_a_batch_runs_then_the_report_puts_withheld_documents_first_and_review_items_apart(
        run: BatchResult) -> None:
    html = _report(run)
    order = [html.index(h) for h in ('id="withheld"', 'id="changes"', 'id="counts"', 'id="review"',
                                     'id="findings"')]
    assert order == sorted(order)
    withheld = html[order[0]:order[1]]
    assert "files/legacy_memo.wpd" in withheld and "Review the record by hand" in withheld
    review = html[order[3]:order[4]]
    assert 'class="f review"' in review and "<mark>Jane Roe</mark>" in review
    assert "For review (redacted for now)" in review
    # Every finding in its document's table, with context, code and id.
    findings = html[order[4]:]
    for f in (f for r in run.results for f in r.findings):
        assert f.id in findings
    assert "<mark>219-09-9998</mark>" in findings and "26(c)" in findings


def test_when_a_batch_runs_then_the_report_counts_each_code_as_its_findings_do(run: BatchResult) -> None:
    """The counts come from tallies kept as results arrived, not from the findings: they must agree."""
    html = _report(run)
    counts = html[html.index('id="counts"'):html.index("<h3>By document</h3>")]
    shown: dict[str, list[str]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", counts):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        if cells:
            shown[cells[0]] = [cells[3], cells[4], cells[6]]
    expected: dict[str, list[int]] = {}
    for r in run.results:
        if r.withheld is not None:
            continue
        for f in r.findings:
            if f.code and f.action.removes:
                tally = expected.setdefault(f.code, [0, 0, 0])
                tally[0 if f.action.value == "redact" else 1] += 1
        for code in {f.code for f in r.findings if f.code and f.action.removes}:
            expected[code][2] += 1
    assert shown == {code: [str(n) for n in tally] for code, tally in expected.items()}
    assert any(t[0] > 1 or t[1] > 1 for t in expected.values())  # a code counted more than once


def test_when_the_report_is_written_then_it_is_one_file_with_no_network_assets(run: BatchResult) -> None:
    html = _report(run)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert all(src.startswith("data:image/") for src in re.findall(r'<img[^>]*src="([^"]+)"', html))


def test_when_a_pdf_has_redactions_then_the_report_shows_those_pages_with_the_boxes_outlined(
        run: BatchResult) -> None:
    html = _report(run)
    captions = re.findall(r"<figcaption>Page (\d+) as released: (\d+) redaction box", html)
    assert captions == [("1", "1"), ("3", "1")]  # page 2 has nothing to show
    data = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)[0]
    pix = pymupdf.Pixmap(base64.b64decode(data))
    orange = sum(1 for y in range(0, pix.height, 2) for x in range(0, pix.width, 2)
                 if (lambda p: p[0] > 200 and 60 < p[1] < 160 and p[2] < 80)(pix.pixel(x, y)))
    assert orange > 20  # the outline, drawn where the black box is


def test_when_many_pages_have_redactions_then_page_images_are_capped_with_a_note(
        run: BatchResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_html, "MAX_PAGES", 1)
    out = run.out_dir.parent / "capped"
    capped = run_batch(run.input_dir, BatchOptions(out_dir=out))
    html = (capped.out_dir / "review/report.html").read_text(encoding="utf-8")
    assert len(re.findall("<figcaption>", html)) == 1
    assert "Images of 1 more page(s)" in html


def test_when_the_report_and_letter_are_written_then_release_holds_neither_and_no_value_leaves_review(
        run: BatchResult) -> None:
    release = run.out_dir / "release"
    assert not list(release.rglob("report.html")) and not list(release.rglob("response_letter.md"))
    log = (release / "redaction_log.csv").read_text(encoding="utf-8")
    letter = (run.out_dir / "review/response_letter.md").read_text(encoding="utf-8")
    changes = (run.out_dir / "review/changes.csv").read_text(encoding="utf-8")
    manifest = (run.out_dir / "manifest.json").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in log and secret not in letter and secret not in changes and secret not in manifest


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None,
                    reason="chromium not found: `make install` installs the Debian chromium package")
def test_when_the_report_opens_in_headless_chromium_then_the_withheld_list_and_findings_table_render(
        run: BatchResult, tmp_path: Path) -> None:
    report = run.out_dir / "review/report.html"
    # --dump-dom prints the document after the browser has parsed it and run its script.
    proc = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)
    dom = proc.stdout
    assert proc.returncode == 0 and "<table>" in dom, proc.stderr[-2000:]
    withheld = dom[dom.index('id="withheld"'):dom.index('id="changes"')]
    assert "files/legacy_memo.wpd" in withheld
    findings = dom[dom.index('id="findings"'):]
    rows = re.findall(r'<tr class="f (redact|review|keep|released)"', findings)
    assert len(rows) == sum(len(r.findings) for r in run.results if r.withheld is None)
    assert 'id="only-review"' in dom


def test_when_scan_runs_then_review_is_written_and_nothing_is_released(run: BatchResult, tmp_path: Path) -> None:
    out = tmp_path / "scanned"
    result = CliRunner().invoke(cli, ["scan", str(run.input_dir), "--out", str(out)])
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW, result.output  # the .wpd file
    assert "Review package:" in result.output
    assert not (out / "release").exists()
    assert {p.name for p in (out / "review").iterdir()} == {"report.html", "findings.jsonl",
                                                            "decisions.template.yaml", "changes.csv"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["kind"] == "scan" and manifest["outputs"] == []
    assert "scan only (nothing released)" in (out / "review/report.html").read_text()
    # The release that follows is version 2; the scan is kept as version 1.
    second = run_batch(run.input_dir, BatchOptions(out_dir=out))
    assert second.version == 2 and (out / "release/files/intake_note.txt").is_file()
    assert (out / "versions/1/review/report.html").is_file() and not (out / "versions/1/release").exists()
