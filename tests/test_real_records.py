"""Every real third-party document in ../shared/real_records goes through a batch without a crash:
text records are released with no leak, everything else is withheld and listed, nothing is copied
through. The files are read where they are (some are GPL or share-alike and are not copied into the
project); the test is skipped when the folder is absent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from redactor.api import BatchOptions, run_batch
from redactor.errors import ExitCode
from redactor.formats import adapter_for
from redactor.verify import find_leaks, secrets_from_findings

REAL = Path(__file__).resolve().parents[2] / "shared" / "real_records"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real_records is not present")


@pytest.fixture(scope="module", params=[
    pytest.param("without PDFs", id="fast"),
    # The 86 PDFs include many scanned pages: Tesseract takes a few seconds a page.
    pytest.param("everything", id="all", marks=pytest.mark.slow),
])
def real_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("real")
    if request.param == "everything":
        source = REAL
    else:
        source = work / "records"
        for path in REAL.rglob("*"):
            if path.is_file() and path.suffix.lower() != ".pdf":
                target = source / path.relative_to(REAL)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    result = run_batch(source, BatchOptions(out_dir=work / "out", jobs=2))
    result.source = source
    return result


def test_when_real_records_are_processed_then_nothing_crashes(real_run) -> None:
    assert real_run.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert not [w for w in real_run.withheld if w.reason == "internal error"]
    files = {p.relative_to(real_run.source).as_posix() for p in real_run.source.rglob("*") if p.is_file()}
    accounted = {r.document for r in real_run.results} | {rel for rel, _ in real_run.ignored}
    assert accounted == files


def test_when_real_records_are_released_then_only_supported_formats_are_in_release(real_run) -> None:
    released = {p.relative_to(real_run.out_dir / "release").as_posix()
                for p in (real_run.out_dir / "release").rglob("*") if p.is_file()}
    released.discard("redaction_log.csv")
    assert released
    assert all(adapter_for(Path(rel)) is not None for rel in released)
    # PDFs are supported: one may be withheld only for a reason of its own (encrypted, broken, XFA,
    # no OCR), never because its output leaked.
    unsupported = {".eml", ".msg", ".mbox", ".json", ".odt", ".toml", ".rst"}
    assert all(Path(w.document).suffix in unsupported or w.reason in ("file name", "encrypted", "corrupt",
                                                                      "unsupported form", "ocr unavailable")
               for w in real_run.withheld)


def test_when_real_records_are_released_then_the_verifier_finds_no_leak(real_run) -> None:
    findings = [json.loads(line) for line in
                (real_run.out_dir / "review/findings.jsonl").read_text(encoding="utf-8").splitlines()]
    secrets = secrets_from_findings(findings)
    for result in real_run.results:
        for rel in result.outputs:
            assert find_leaks(real_run.out_dir / "release" / rel, secrets.get(result.document, [])) == []
