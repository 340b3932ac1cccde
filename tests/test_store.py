"""Results kept on disk: the parent holds light copies, and the package is written from the spool."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.api import BatchOptions, run_batch
from redactor.formats.docx import DocxLocation
from redactor.models import Action, DocumentResult, Finding, Location
from redactor.report.context import Snippet
from redactor.store import ResultStore, run_file, sweep_run_files, sweep_task_folders, task_folder


def _finding(doc: str, n: int, action: Action = Action.REDACT) -> Finding:
    return Finding(id=f"{doc}-{n}", document=doc, location=Location(part="body", unit_id="u", start=n, end=n + 3),
                   entity="PERSON", text=f"Jane Roe {n}", action=action, code="26(c)", confidence=0.9,
                   detector="test", justification="private person")


def test_a_store_gives_back_what_it_was_given_and_keeps_only_light_copies_in_memory(tmp_path: Path) -> None:
    results = [DocumentResult(document=f"d{i}", input_sha256="0" * 64, format="txt", status="released",
                              findings=[_finding(f"d{i}", n, Action.KEEP if n == 0 else Action.REDACT)
                                        for n in range(i + 1)])
               for i in range(4)]
    store = ResultStore(results, folder=tmp_path)
    assert len(store) == 4 and [r.document for r in store] == ["d0", "d1", "d2", "d3"]
    assert [len(r.findings) for r in store] == [1, 2, 3, 4]
    assert store[2].findings[1].text == "Jane Roe 1"
    assert all(r.findings == [] for r in store.light)
    assert store.findings_with(Action.REDACT) == 6 and store.findings_with(Action.KEEP) == 4
    updated = store[1]
    updated.findings[0].log_id = "LOG-0001"
    store[1] = updated
    assert store[1].findings[0].log_id == "LOG-0001" and store[0].findings[0].log_id is None
    spool = next(tmp_path.glob("*.spool"))
    store.close()
    assert not spool.exists()


def test_a_store_notes_which_watched_ids_its_results_hold_as_they_arrive_and_are_replaced(tmp_path: Path) -> None:
    def result(doc: str, *numbers: int) -> DocumentResult:
        return DocumentResult(document=doc, input_sha256="0" * 64, format="txt", status="released",
                              findings=[_finding(doc, n) for n in numbers])
    store = ResultStore([result("a", 0, 1), result("b", 0)], folder=tmp_path, watch={"a-1", "b-0", "c-0"})
    assert store.watched_present() == {"a-1", "b-0"}
    store.append(result("c", 0))
    assert store.watched_present() == {"a-1", "b-0", "c-0"}
    store[1] = result("b", 5)  # redone without the finding: no longer present
    assert store.watched_present() == {"a-1", "c-0"}
    assert ResultStore([result("a", 1)], folder=tmp_path).watched_present() == set()  # nothing watched
    store.close()


def test_a_batch_returns_its_results_through_the_store_and_leaves_no_spool(make_request, tmp_path: Path) -> None:
    folder = make_request({f"files/n{i}.txt": f"Complainant Jane Roe{'x' * i}, cell (413) 555-014{i}.\n"
                           for i in range(3)})
    out = tmp_path / "out"
    result = run_batch(folder, BatchOptions(out_dir=out))
    assert isinstance(result.results, ResultStore)
    assert all(r.findings == [] for r in result.results.light)
    loaded = [f for r in result.results for f in r.findings]
    written = [json.loads(line) for line in (out / "review/findings.jsonl").read_text().splitlines()]
    assert [f.id for f in loaded] == [f["id"] for f in written] and loaded
    # Log ids given while the log was written reach findings.jsonl and the stored results alike.
    assert all(f.log_id for f in loaded if f.action.removes)
    assert [f.log_id for f in loaded] == [f["log_id"] for f in written]
    result.results.close()
    assert not list(out.parent.glob("*.spool"))


def test_a_documents_log_rows_written_in_slices_are_the_rows_written_at_once(make_request, tmp_path: Path,
                                                                              monkeypatch) -> None:
    # The public log is made a slice of rows at a time (one mailbox has tens of thousands): rows,
    # their numbers, the ids the findings get and what the log's check changes must not depend on it.
    from redactor import api

    lines = [f"Caller {i}: SSN 219-09-{9990 + i}, cell (413) 555-01{40 + i}, login jroe{70 + i}." for i in range(5)]
    folder = make_request({"a/calls.txt": "\n".join(lines) + "\n", "b/one.txt": "Call Jane Roe at (617) 555-0142.\n"},
                          request={"request_id": "R-5"})

    def package(out: Path, slice_rows: int) -> dict[str, object]:
        monkeypatch.setattr(api, "_LOG_SLICE", slice_rows)
        run_batch(folder, BatchOptions(out_dir=out))
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return {"log": (out / "release/redaction_log.csv").read_text(encoding="utf-8"),
                "findings": (out / "review/findings.jsonl").read_text(encoding="utf-8"),
                "log_changes": manifest["log_changes"]}

    whole, sliced = package(tmp_path / "whole", 10_000), package(tmp_path / "sliced", 4)
    assert sliced == whole
    # The log's free text searched a few lines at a time, and the scrub's answers forgotten often.
    monkeypatch.setattr(api, "_FREE_LINES", 2)
    monkeypatch.setattr(api, "_SEEN_TEXTS", 1)
    assert package(tmp_path / "searched", 4) == whole
    assert whole["log"].count("\n") > 3 * 4  # several slices in the first document alone
    assert "R-5-0017" in whole["log"]


@pytest.mark.parametrize("lines", [1, 2, 10_000])
def test_a_value_the_scrub_left_in_the_log_is_found_in_whichever_lines_hold_it(make_request, tmp_path: Path,
                                                                                 monkeypatch, lines: int) -> None:
    # The log's free text is searched a slice of lines at a time; what the scrub misses (here a scrub
    # that does nothing: it has no such gap to produce one) is a leak of the log, wherever it is.
    from redactor import api

    folder = make_request({"a/Jane Roe.txt": "Call Jane Roe at (617) 555-0142.\n",
                           "b/calls.txt": "Call John Doe at (413) 555-0177.\n",
                           "c/John Doe.txt": "John Doe called (413) 555-0177.\n"}, request={"request_id": "R-6"})
    monkeypatch.setattr(api, "scrub_log", lambda rows, *args, **kwargs: [])
    monkeypatch.setattr(api, "_FREE_LINES", lines)
    res = run_batch(folder, BatchOptions(out_dir=tmp_path / "out"))
    log_leaks = [leak for leak in res.leaks if leak.file.endswith("redaction_log.csv")]
    texts = {f.text for r in res.results for f in r.findings if f.id in {leak.finding_id for leak in log_leaks}}
    assert {"Jane Roe", "John Doe"} <= texts
    assert len(log_leaks) == len(set(log_leaks))


_TEXT = st.text(max_size=20)
_NUMBER = st.none() | st.integers(0, 10_000)


@settings(max_examples=200, deadline=None)
@given(part=_TEXT, unit=_TEXT, start=st.integers(0, 10_000), end=st.integers(0, 10_000), page=_NUMBER,
       line=_NUMBER, place=st.none() | _TEXT, before=_TEXT, value=_TEXT, after=_TEXT,
       action=st.sampled_from(list(Action)), code=st.none() | _TEXT, confidence=st.floats(0, 1),
       note=st.none() | _TEXT, decided=st.booleans(), log_id=st.none() | _TEXT)
def test_a_finding_its_place_and_its_context_come_back_from_a_stored_result_as_they_went_in(
        part: str, unit: str, start: int, end: int, page: int | None, line: int | None, place: str | None,
        before: str, value: str, after: str, action: Action, code: str | None, confidence: float,
        note: str | None, decided: bool, log_id: str | None) -> None:
    # They are pickled by their own reduction (field by field, in order), not the dataclass's; a
    # format's place (a Word paragraph) keeps its class and its own field.
    location = Location(part, unit, start, end, page, line)
    in_word = DocxLocation(part, unit, start, end, page, line, place=place)
    context = Snippet(before, value, after)
    finding = Finding(id=unit, document=part, location=in_word, entity=before, text=value, action=action, code=code,
                      confidence=confidence, detector=after, justification=before + after, source=value,
                      note=note, decided=decided, log_id=log_id)
    for item in (location, in_word, context, finding):
        back = pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == item and type(back) is type(item)
    assert type(pickle.loads(pickle.dumps(finding)).location) is DocxLocation


def test_the_files_a_killed_run_left_are_swept_and_those_of_runs_going_are_not(tmp_path: Path) -> None:
    # A run killed outright (or a power cut) leaves its spool and values files, the request's
    # values in them, beside the output; the next run deletes those no live run holds.
    live = ResultStore([DocumentResult(document="d0", input_sha256="0" * 64, format="txt", status="released",
                                       findings=[_finding("d0", 1)])], folder=tmp_path)
    fd, held_values = run_file(".redact-values-", ".pickle", tmp_path)
    os.write(fd, b"values")
    left = [tmp_path / ".redact-results-killed.spool", tmp_path / ".redact-values-killed.pickle"]
    for path in left:
        path.write_bytes(b"Jane Roe 123-45-6789")
    empty_old = tmp_path / ".redact-values-empty.pickle"
    empty_old.touch()
    os.utime(empty_old, (time.time() - 3600, time.time() - 3600))
    # A run file is locked before it has its name: one found unlocked, however young and empty,
    # was left by a stopped run (a kill between making the spool and writing to it). Under the
    # name it is made with, it may not be locked yet: left alone while young.
    empty_young = tmp_path / ".redact-results-new.spool"
    empty_young.touch()
    making_young, making_old = tmp_path / ".redact-making-young.spool", tmp_path / ".redact-making-old.pickle"
    making_young.touch()
    making_old.touch()
    os.utime(making_old, (time.time() - 3600, time.time() - 3600))
    other = tmp_path / "redact-results-not-ours.spool"
    other.write_bytes(b"x")
    (tmp_path / ".redact-values-link.pickle").symlink_to(other)

    assert sweep_run_files(tmp_path) == 5
    assert not any(path.exists() for path in [*left, empty_old, empty_young, making_old])
    assert making_young.exists() and other.exists() and (tmp_path / ".redact-values-link.pickle").is_symlink()
    # The held values file was made under the making name: it has its own name only now.
    assert [path.name for path in tmp_path.glob(".redact-making-*")] == [making_young.name]
    assert Path(held_values).name.startswith(".redact-values-")
    assert Path(held_values).read_bytes() == b"values" and live[0].findings[0].text == "Jane Roe 1"
    os.close(fd)
    live.close()
    assert sweep_run_files(tmp_path) == 1  # the values file, no longer held (the store deleted its own)
    assert not Path(held_values).exists()


def test_the_scratch_folders_of_killed_tasks_are_swept_and_those_of_tasks_going_are_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A Dask task writes its outputs into a scratch folder of the worker's temporary folder and
    # sends them back; a worker killed in the middle leaves the folder (redacted files, not all
    # verified yet). The next task on that machine deletes the folders no live task holds.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    held_fd, held = task_folder()
    (held / "report.pdf").write_bytes(b"being written")
    killed = tmp_path / "redact-task-killed"
    killed.mkdir()
    (killed / ".lock").touch()
    (killed / "letter.txt").write_text("Jane Roe 219-09-9998", encoding="utf-8")
    stopped_making = tmp_path / ".redact-making-task-old"  # killed between making and locking
    stopped_making.mkdir()
    os.utime(stopped_making, (time.time() - 3600, time.time() - 3600))
    young_making = tmp_path / ".redact-making-task-young"  # perhaps made an instant ago
    young_making.mkdir()
    not_ours = tmp_path / "redact-task-not-ours"  # no lock file: no task folder of ours
    not_ours.mkdir()

    fd, folder = task_folder()
    assert folder.name.startswith("redact-task-") and folder.is_dir() and folder != held
    assert not killed.exists() and not stopped_making.exists()
    assert young_making.exists() and not_ours.exists() and (held / "report.pdf").exists()
    os.close(held_fd)
    shutil.rmtree(held)
    os.close(fd)
    assert sweep_task_folders(tmp_path) == 1  # the folder whose task ended without deleting it
    assert not folder.exists()


def test_where_files_cannot_be_linked_a_run_file_is_renamed_to_its_name_still_locked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Some network shares have no hard links: a file system this machine's does not imitate.
    def no_links(src: str, dst: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    fd, name = run_file(".redact-results-", ".spool", tmp_path)
    assert Path(name).name.startswith(".redact-results-") and not list(tmp_path.glob(".redact-making-*"))
    assert sweep_run_files(tmp_path) == 0  # held
    os.close(fd)
    assert sweep_run_files(tmp_path) == 1
