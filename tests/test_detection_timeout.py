"""A detection pattern that runs over its time limit: the text is analysed again with a longer one
(a busy machine is slow, not wrong), and only when that runs over too is the document withheld,
with a reason that says so, and processed again by the next run."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from redactor import api
from redactor import cache as cache_module
from redactor.api import BatchOptions, run_batch
from redactor.detect import base
from redactor.errors import ExitCode

NOTE = "Complainant Jane Roe, SSN 219-09-9998, cell (413) 555-0142, login jroe77 password Tr0ub4dor&3.\n"
OTHER = "Call Kevin Doyle's office about the permit.\n"
# Far below one search step: every pattern search runs over it.
NO_TIME = 1e-9


@pytest.fixture
def request_dir(make_request) -> Path:
    return make_request({"files/note.txt": NOTE, "files/other.txt": OTHER})


def _run(folder: Path, out: Path):  # type: ignore[no-untyped-def]
    cache_module._memo.clear()  # analysed here, not remembered from an earlier run in this process
    return run_batch(folder, BatchOptions(out_dir=out, jobs=1))


def _package(out: Path) -> dict[str, object]:
    return {"release": {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "release").rglob("*"))
                        if p.is_file()},
            "findings": (out / "review/findings.jsonl").read_text(encoding="utf-8")}


def test_when_a_pattern_runs_over_its_limit_once_then_the_text_is_analysed_again_and_released(
        request_dir, tmp_path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    normal = _run(request_dir, tmp_path / "normal")
    monkeypatch.setattr(base, "REGEX_TIMEOUT", NO_TIME)
    with caplog.at_level(logging.WARNING, logger="redactor.detect.engine"):
        slow = _run(request_dir, tmp_path / "slow")
    assert slow.exit_code == normal.exit_code == ExitCode.OK
    assert _package(tmp_path / "slow") == _package(tmp_path / "normal")
    assert "219-09-9998" not in (tmp_path / "slow/release/files/note.txt").read_text(encoding="utf-8")
    assert "analysing it again with 60 s" in caplog.text


def test_when_a_pattern_runs_over_the_longer_limit_too_then_the_document_is_withheld_and_redone_next_time(
        request_dir, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(base, "REGEX_TIMEOUT", NO_TIME)
    monkeypatch.setattr(base, "REGEX_RETRY_TIMEOUT", NO_TIME)
    stuck = _run(request_dir, out)
    assert stuck.exit_code == ExitCode.WITHHELD_FOR_REVIEW  # not an internal error: nothing is broken
    assert [(w.document, w.reason) for w in stuck.withheld] == [("files/note.txt", "detection timed out"),
                                                                ("files/other.txt", "detection timed out")]
    assert all("withheld for manual review" in w.detail for w in stuck.withheld)
    assert not (out / "release/files").exists()  # neither note nor the other file went out unanalysed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {w["reason"] for w in manifest["withheld"]} == {"detection timed out"}
    assert "Run the batch again when the computer is less busy" in (out / "review/report.html").read_text()

    # The next run, on a machine that keeps up, processes them again instead of reusing the refusal.
    monkeypatch.setattr(base, "REGEX_TIMEOUT", 2.0)
    monkeypatch.setattr(base, "REGEX_RETRY_TIMEOUT", 60.0)
    again = _run(request_dir, out)
    assert again.exit_code == ExitCode.OK and not again.withheld
    assert again.cache["documents_reused"] == 0
    assert "219-09-9998" not in (out / "release/files/note.txt").read_text(encoding="utf-8")


def test_when_a_document_runs_over_both_limits_during_the_run_then_it_is_processed_again_alone_at_the_end(
        request_dir, tmp_path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    normal = _run(request_dir, tmp_path / "normal")
    process = api.process_document
    calls: list[str] = []

    def busy_the_first_time(task):  # type: ignore[no-untyped-def]
        # The machine is too busy for note.txt while the batch runs, and keeps up afterwards.
        calls.append(task.document)
        if task.document == "files/note.txt" and calls.count(task.document) == 1:
            with monkeypatch.context() as busy:
                busy.setattr(base, "REGEX_TIMEOUT", NO_TIME)
                busy.setattr(base, "REGEX_RETRY_TIMEOUT", NO_TIME)
                return process(task)
        return process(task)

    look = api.look_ahead
    looks: list[str] = []

    def busy_look(task):  # type: ignore[no-untyped-def]
        # Busy too when the documents are first read for their values: that look gives up on note.txt.
        looks.append(task.document)
        if task.document == "files/note.txt":
            with monkeypatch.context() as busy:
                busy.setattr(base, "REGEX_TIMEOUT", NO_TIME)
                busy.setattr(base, "REGEX_RETRY_TIMEOUT", NO_TIME)
                assert look(task) is None
                return None
        return look(task)

    monkeypatch.setattr(api, "process_document", busy_the_first_time)
    monkeypatch.setattr(api, "look_ahead", busy_look)
    with caplog.at_level(logging.WARNING, logger="redactor.api"):
        late = _run(request_dir, tmp_path / "late")
    assert looks == ["files/note.txt", "files/other.txt"]
    assert calls == ["files/note.txt", "files/other.txt", "files/note.txt"]  # after the others, not at once
    assert "1 document(s) withheld because detection ran over its time limit" in caplog.text
    assert late.exit_code == normal.exit_code == ExitCode.OK and not late.withheld
    assert _package(tmp_path / "late") == _package(tmp_path / "normal")
    assert "219-09-9998" not in (tmp_path / "late/release/files/note.txt").read_text(encoding="utf-8")

    # Its result is kept like any other: the next run reuses it.
    monkeypatch.setattr(api, "process_document", process)
    assert _run(request_dir, tmp_path / "late").cache["documents_reused"] == 2


#: process_document as the module has it, for the stand-in below (which replaces it there).
_PROCESS = api.process_document


def busy_once_in_a_worker(task: api.DocumentTask) -> api.DocumentResult:
    """process_document, on a machine too busy for the first attempt (in whichever worker process
    makes it: the flag file is shared). Module-level, so a process pool can be handed it."""
    flag = Path(task.source).parents[2] / "busy-once"  # beside the request folder, not in it
    if flag.exists():
        return _PROCESS(task)
    flag.touch()
    saved = base.REGEX_TIMEOUT, base.REGEX_RETRY_TIMEOUT
    base.REGEX_TIMEOUT = base.REGEX_RETRY_TIMEOUT = NO_TIME
    try:
        return _PROCESS(task)
    finally:
        base.REGEX_TIMEOUT, base.REGEX_RETRY_TIMEOUT = saved


def test_a_request_of_one_document_that_ran_over_both_limits_gets_a_worker_again(
        make_request, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its worker was stopped as its result arrived (no other document needs it); the second attempt
    # starts one again.
    folder = make_request({"files/note.txt": NOTE})
    cache_module._memo.clear()
    normal = run_batch(folder, BatchOptions(out_dir=tmp_path / "normal", jobs=2))
    cache_module._memo.clear()
    monkeypatch.setattr(api, "process_document", busy_once_in_a_worker)
    late = run_batch(folder, BatchOptions(out_dir=tmp_path / "late", jobs=2))
    assert (folder.parent / "busy-once").exists()
    assert late.exit_code == normal.exit_code == ExitCode.OK and not late.withheld
    assert _package(tmp_path / "late") == _package(tmp_path / "normal")
