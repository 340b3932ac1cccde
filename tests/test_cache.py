"""The run's cache: a rerun redoes only what changed, and a cached answer is always the fresh one."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from redactor import cache as cache_module
from redactor.api import BatchOptions, run_batch
from redactor.cache import CACHE_DIR, DB_NAME, decisions_digest
from redactor.formats import ocr

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"

NOTE = ("Intake note, Building Department, received 10/02/2026.\n\n"
        "Complainant: Jane Roe, DOB 04/12/1961, cell (413) 555-0147, jane.roe1961@gmail.com.\n\n"
        "Fee paid by card 4111 1111 1111 1111.\n\n"
        "Questions: Building Department, (508) 555-0100.\n")
# The second paragraph repeats in every copy: analysed once per run, then taken from the cache.
THREAD = ("From the clerk: the permit is approved.\n\n"
          "> Complainant: Jane Roe, DOB 04/12/1961, cell (413) 555-0147, jane.roe1961@gmail.com.\n")


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def package(out: Path) -> dict[str, object]:
    """What must be the same whether or not the cache answered: release/ and the findings."""
    return {"release": tree(out / "release"), "findings": (out / "review/findings.jsonl").read_text()}


def findings(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "review/findings.jsonl").read_text().splitlines()]


def forget() -> None:
    """Empty this process's memory of analysed units, so the next run starts from nothing."""
    cache_module._memo.clear()


@pytest.fixture(autouse=True)
def _fresh_memory():
    forget()
    yield
    forget()


@pytest.fixture
def request_dir(make_request) -> Path:
    files = {f"files/note{i}.txt": NOTE.replace("Jane Roe", f"Jane Roe{'x' * i}") for i in range(3)}
    files |= {f"files/thread{i}.txt": THREAD for i in range(2)}
    return make_request(files)


def test_when_nothing_changed_then_a_rerun_reuses_every_document_and_analyses_nothing(request_dir, tmp_path):
    out = tmp_path / "out"
    first = run_batch(request_dir, BatchOptions(out_dir=out))
    assert first.cache["documents_reused"] == 0 and first.cache["units_analysed"] > 0
    second = run_batch(request_dir, BatchOptions(out_dir=out))
    assert second.cache["documents_reused"] == len(second.results) == 5
    assert second.cache["units_analysed"] == 0
    assert package(out) == package(out / "versions/1")


def test_when_a_paragraph_repeats_then_it_is_analysed_once(request_dir, tmp_path):
    result = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "out"))
    # thread1.txt is the same text as thread0.txt: both of its units come from the first.
    assert result.cache["units_from_cache"] >= 2


def test_when_a_decision_releases_a_finding_then_only_its_document_is_processed_again(request_dir, tmp_path):
    out = tmp_path / "out"
    run_batch(request_dir, BatchOptions(out_dir=out))
    target = next(f for f in findings(out) if f["document"] == "files/note1.txt" and f["action"] == "redact")
    decisions = tmp_path / "appeal.yaml"
    decisions.write_text(yaml.safe_dump([{"finding": target["id"], "action": "release", "note": "public"}]))
    rerun = run_batch(request_dir, BatchOptions(out_dir=out, decisions=decisions))
    assert rerun.cache["documents_reused"] == 4
    assert rerun.cache["units_analysed"] == 0  # the one document processed again took its detections from the cache
    released = next(f for f in findings(out) if f["id"] == target["id"])
    assert released["action"] == "keep"
    # The same as a run that never had a cache.
    forget()
    fresh = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "fresh", decisions=decisions))
    assert fresh.cache["documents_reused"] == 0
    assert package(out) == package(tmp_path / "fresh")


def test_when_every_unit_is_cached_then_a_rerun_never_loads_the_detection_engine(request_dir, tmp_path):
    # Importing spaCy and presidio takes seconds: a rerun that analyses nothing must not pay for
    # them. A fresh interpreter, so what this test process imported does not count.
    out = tmp_path / "out"
    run_batch(request_dir, BatchOptions(out_dir=out, jobs=1))
    target = next(f for f in findings(out) if f["document"] == "files/note1.txt" and f["action"] == "redact")
    decisions = tmp_path / "appeal.yaml"
    decisions.write_text(yaml.safe_dump([{"finding": target["id"], "action": "release", "note": "public"}]))
    script = ("import sys\n"
              "from pathlib import Path\n"
              "from redactor.api import BatchOptions, run_batch\n"
              f"r = run_batch(Path({str(request_dir)!r}), BatchOptions(out_dir=Path({str(out)!r}), jobs=1, "
              f"decisions=Path({str(decisions)!r})))\n"
              "loaded = sorted(m for m in ('spacy', 'presidio_analyzer') if m in sys.modules)\n"
              "print(r.cache['units_analysed'], loaded)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[-2] == "0 []"
    assert next(f for f in findings(out) if f["id"] == target["id"])["action"] == "keep"


def test_when_an_input_or_a_setting_changes_then_what_it_touches_is_analysed_again(request_dir, tmp_path):
    out = tmp_path / "out"
    run_batch(request_dir, BatchOptions(out_dir=out))
    (request_dir / "files/note0.txt").write_text(NOTE.replace("Jane Roe", "John Doe"))
    rerun = run_batch(request_dir, BatchOptions(out_dir=out))
    assert rerun.cache["documents_reused"] == 4
    assert 0 < rerun.cache["units_analysed"] <= 2  # only the changed paragraph (and nothing else) is new
    # A public name changes what detection keeps, so every unit is analysed again.
    (request_dir / "request.yaml").write_text(yaml.safe_dump({"public_names": ["Jane Roe"]}))
    forget()
    again = run_batch(request_dir, BatchOptions(out_dir=out))
    assert again.cache["documents_reused"] == 0
    forget()
    fresh = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "fresh"))
    assert fresh.cache["documents_reused"] == 0
    assert again.cache["units_analysed"] == fresh.cache["units_analysed"] > 0  # nothing came from the old entries
    assert package(out) == package(tmp_path / "fresh")


def test_when_a_released_file_was_altered_then_it_is_not_reused(request_dir, tmp_path):
    out = tmp_path / "out"
    run_batch(request_dir, BatchOptions(out_dir=out))
    (out / "release/files/note0.txt").write_text("tampered")
    rerun = run_batch(request_dir, BatchOptions(out_dir=out))
    assert rerun.cache["documents_reused"] == 4
    assert (out / "release/files/note0.txt").read_text() != "tampered"
    assert package(out)["release"] == package(out / "versions/1")["release"] | {
        "files/note0.txt": tree(out / "release")["files/note0.txt"]}
    assert "tampered" not in (out / "release/files/note0.txt").read_text()


def test_when_the_cache_is_damaged_or_deleted_then_the_run_recomputes_the_same_package(request_dir, tmp_path):
    out = tmp_path / "out"
    run_batch(request_dir, BatchOptions(out_dir=out))
    (out / CACHE_DIR / DB_NAME).write_bytes(b"not a database" * 100)
    forget()
    damaged = run_batch(request_dir, BatchOptions(out_dir=out))
    assert damaged.cache["documents_reused"] == 0
    shutil.rmtree(out / CACHE_DIR)
    forget()
    deleted = run_batch(request_dir, BatchOptions(out_dir=out))
    assert deleted.cache["documents_reused"] == 0
    assert (out / CACHE_DIR / DB_NAME).is_file()
    assert package(out) == package(out / "versions/1") == package(out / "versions/2")


def test_the_cache_stays_out_of_release_and_of_kept_versions(request_dir, tmp_path):
    out = tmp_path / "out"
    run_batch(request_dir, BatchOptions(out_dir=out))
    run_batch(request_dir, BatchOptions(out_dir=out))
    assert (out / CACHE_DIR / DB_NAME).is_file()
    assert not any(CACHE_DIR in p.parts for p in (out / "release").rglob("*"))
    assert not any(CACHE_DIR in p.parts for p in (out / "versions").rglob("*"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert not any(CACHE_DIR in o["path"] for o in manifest["outputs"])


def test_when_a_dry_run_follows_then_it_writes_no_cache(request_dir, tmp_path):
    out = tmp_path / "out"
    run_batch(request_dir, BatchOptions(out_dir=out, dry_run=True))
    assert not out.exists()


def test_when_jobs_differ_then_a_cached_rerun_gives_the_same_bytes(request_dir, tmp_path):
    run_batch(request_dir, BatchOptions(out_dir=tmp_path / "one", jobs=1))
    run_batch(request_dir, BatchOptions(out_dir=tmp_path / "two", jobs=2))
    rerun = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "two", jobs=2))
    assert rerun.cache["documents_reused"] == 5
    assert package(tmp_path / "one") == package(tmp_path / "two")


@pytest.mark.skipif(ocr.tesseract_version() is None, reason="Tesseract is not installed")
def test_when_a_scanned_page_is_processed_again_then_ocr_comes_from_the_cache(tmp_path, ocr_reads):
    folder = tmp_path / "req"
    (folder / "files").mkdir(parents=True)
    shutil.copy(SAMPLE / "files/scanned_permit_form.pdf", folder / "files")
    out = tmp_path / "out"
    reads = ocr_reads
    run_batch(folder, BatchOptions(out_dir=out))
    assert reads, "the scan was not read by OCR"
    first_reads = len(reads)
    target = next(f for f in findings(out) if f["action"] == "redact")
    decisions = tmp_path / "appeal.yaml"
    decisions.write_text(yaml.safe_dump([{"finding": target["id"], "action": "release"}]))
    rerun = run_batch(folder, BatchOptions(out_dir=out, decisions=decisions))
    assert rerun.cache["documents_reused"] == 0  # the decision touches this document: processed again
    assert len(reads) == first_reads  # ...without reading the page again
    fresh_out = tmp_path / "fresh"
    run_batch(folder, BatchOptions(out_dir=fresh_out, decisions=decisions))
    assert package(out) == package(fresh_out)


def test_a_document_entry_of_many_pieces_is_stored_and_read_back_whole(tmp_path):
    # A large mailbox's entry is copied into and out of the database in pieces of a megabyte: each
    # piece must land where it belongs, and a damaged entry must read as a miss.
    from redactor.cache import CachedDocument, RunCache
    from redactor.models import Action, DocumentResult, Finding, Location

    findings = [Finding(id=f"{n:016x}", document="inbox/big.mbox",
                        location=Location(part=f"message {n}: body", unit_id=f"m{n}/b", start=0, end=8),
                        entity="PERSON", text=f"Name {n:07d} " + "x" * (n % 97), action=Action.REDACT,
                        code="26(c)", confidence=0.85, detector="ner", justification="private individual")
                for n in range(30_000)]
    entry = CachedDocument(DocumentResult("inbox/big.mbox", "0" * 64, "mbox", "released", findings=findings),
                           "digest", {"inbox/big.mbox": "1" * 64})
    path = tmp_path / DB_NAME
    cache = RunCache(path)
    cache.put_document("big", entry)
    cache.put_document("small", CachedDocument(DocumentResult("a.txt", "2" * 64, "text", "released"), "d", {}))
    size = cache._conn.execute("SELECT length(value) FROM documents WHERE key = 'big'").fetchone()[0]
    assert size > 3 * cache_module._PIECE  # several pieces each way
    assert cache.get_document("big") == entry
    assert cache.get_document("small").result.document == "a.txt"
    assert cache.get_document("missing") is None
    with cache._conn:  # the entry's last bytes lost: unreadable, so a miss
        cache._conn.execute("UPDATE documents SET value = substr(value, 1, ?) WHERE key = 'big'", (size - 10,))
    assert cache.get_document("big") is None
    cache.close()


def test_when_a_document_has_many_new_units_then_every_one_is_stored(make_request, tmp_path, monkeypatch):
    # A worker keeps its new entries compressed a batch at a time (a large mailbox has tens of
    # thousands): batches of two here, so there are several and a last one left open.
    monkeypatch.setattr(cache_module, "_ENTRIES_PACKED", 2)
    text = "\n\n".join(f"Item {i}: call Jane Roe at (413) 555-01{i:02d} about permit {i}." for i in range(7))
    folder = make_request({"files/a.txt": text})
    out = tmp_path / "out"
    first = run_batch(folder, BatchOptions(out_dir=out))
    analysed = first.cache["units_analysed"]
    assert analysed >= 7
    conn = sqlite3.connect(out / CACHE_DIR / DB_NAME)
    assert conn.execute("SELECT count(*) FROM detections").fetchone()[0] == analysed
    conn.close()
    # Under another name the document is processed again, and each unit's answer read from the cache.
    (folder / "files/a.txt").rename(folder / "files/b.txt")
    forget()
    second = run_batch(folder, BatchOptions(out_dir=out))
    assert second.cache["documents_reused"] == 0
    assert second.cache["units_analysed"] == 0 and second.cache["units_from_cache"] == analysed
    assert [{k: v for k, v in f.items() if k not in ("id", "document")} for f in findings(out)] == \
           [{k: v for k, v in f.items() if k not in ("id", "document")} for f in findings(out / "versions/1")]


@pytest.mark.parametrize("count", range(8))
def test_new_entries_come_back_in_the_order_added_whatever_their_batches(count, monkeypatch):
    monkeypatch.setattr(cache_module, "_ENTRIES_PACKED", 3)
    entries = cache_module.CacheEntries()
    added = [(f"{n:064x}", f'[{{"start":{n}}}]') for n in range(count)]
    for key, value in added:
        entries.add_detection(key, value)
    assert [e for batch in entries.detection_batches() for e in batch] == added
    assert bool(entries) == (count > 0)  # an entry only in a batch is still one to store


def test_a_process_answers_again_from_its_memory_only_under_the_same_settings(request_dir, tmp_path):
    # --jobs 1 works in this process: what it analysed stays in its memory between runs.
    first = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "a", jobs=1))
    assert first.cache["units_analysed"] > 0
    again = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "b", jobs=1))  # a new folder: no cache on disk
    assert again.cache["units_analysed"] == 0
    assert package(tmp_path / "b") == package(tmp_path / "a")
    # A public name changes what detection keeps: nothing remembered may answer.
    (request_dir / "request.yaml").write_text(yaml.safe_dump({"public_names": ["Jane Roe"]}))
    other = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "c", jobs=1))
    forget()
    fresh = run_batch(request_dir, BatchOptions(out_dir=tmp_path / "d", jobs=1))
    assert other.cache["units_analysed"] == fresh.cache["units_analysed"] > 0
    assert package(tmp_path / "c") == package(tmp_path / "d")


def test_without_decisions_a_documents_findings_are_not_read_for_the_decisions_digest() -> None:
    # A large mailbox's findings are unpacked a slice at a time by each pass: on a first run (no
    # decisions) the digest needs none of them.
    def unread() -> Iterator[str]:
        raise AssertionError("the findings were read")
        yield ""

    assert decisions_digest(unread(), {}) == decisions_digest(["F1", "F2"], {})
    decided = {"F2": "release"}
    assert decisions_digest(iter(["F1", "F2"]), decided) != decisions_digest(iter(["F1"]), decided)
