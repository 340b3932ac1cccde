"""The change list's comparison of one document's findings, held a finding at a time: the same
changes, in the same order, as comparing both versions held whole."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from redactor.models import Action, Finding, Location
from redactor.report.changes import _diff_document, _removed_in_one_version, _removes, load_previous
from redactor.sliced import FindingSlices

DOCUMENT = "inbox/year.mbox"


def _whole(prev: dict[str, dict[str, Any]], cur: dict[str, Finding], add: Callable[..., None]) -> None:
    """The comparison as first written: both versions' findings in memory, by id. The removals whose
    id is in one version only go through the code's own matching; what the test compares is how the
    code, holding a finding at a time, finds those removals and orders all the changes."""
    only_prev = [f for fid, f in prev.items() if fid not in cur and _removes(f["action"])]
    only_cur = [f for fid, f in cur.items() if fid not in prev and f.action.removes]
    _removed_in_one_version(only_prev, only_cur, add)
    for fid, f in cur.items():
        old = prev.get(fid)
        if old is None:
            continue
        was, now = _removes(old["action"]), f.action.removes
        if was and not now:
            add("released", fid, f.document, f.location.describe(), f.entity, "", old.get("code") or "", f.text,
                f.source)
        elif now and not was:
            add("redacted", fid, f.document, f.location.describe(), f.entity, f.code or "", "", f.text, f.source)
        elif now and was and f.code != old.get("code"):
            add("re-coded", fid, f.document, f.location.describe(), f.entity, f.code or "", old.get("code") or "",
                f.text, f.source)


def _finding(n: int, state: tuple[str, str | None, int, int]) -> Finding:
    action, code, unit, start = state
    return Finding(id=f"F{n:03d}", document=DOCUMENT, location=Location("body", f"m{unit}/body", start, start + 5),
                   entity="PERSON", text=f"Name{n}", action=Action(action), code=code, confidence=0.8,
                   detector="test", justification="", source="rules" if n % 2 else "consistency")


states = st.tuples(st.sampled_from(["redact", "review", "keep"]), st.sampled_from([None, "", "26(c)", "26(n)"]),
                   st.integers(0, 2), st.integers(0, 12))
#: Per finding id: its state in the previous version and in the current one (None: no such finding).
versions = st.lists(st.tuples(st.none() | states, st.none() | states), max_size=25)


@settings(max_examples=150, deadline=None)
@given(versions, st.randoms(use_true_random=False), st.integers(1, 4))
def test_one_documents_changes_are_those_of_both_versions_held_whole(pairs, rng, slice_size: int) -> None:
    prev = [_finding(n, old) for n, (old, _) in enumerate(pairs) if old is not None]
    cur = [_finding(n, new) for n, (_, new) in enumerate(pairs) if new is not None]
    rng.shuffle(prev)  # each version in an order of its own
    rng.shuffle(cur)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        (out / "review").mkdir()
        (out / "manifest.json").write_text(json.dumps({"run": {"version": 1}}), encoding="utf-8")
        lines = [json.dumps(f.to_json()) for f in prev]
        lines.insert(len(lines) // 2, "{not json")  # an unreadable line is skipped by both
        (out / "review/findings.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        previous = load_previous(out)
        assert previous is not None
        sliced = FindingSlices()
        for start in range(0, len(cur), slice_size):
            sliced.add(cur[start:start + slice_size])
        streamed: list[tuple[Any, ...]] = []
        _diff_document(previous, DOCUMENT, sliced, lambda *change: streamed.append(change))
        whole: list[tuple[Any, ...]] = []
        _whole({f.to_json()["id"]: f.to_json() for f in prev}, {f.id: f for f in cur},
               lambda *change: whole.append(change))
    assert streamed == whole


def test_a_removal_whose_id_alone_changed_is_the_same_removal() -> None:
    # A new term merged with the value around it gives the removal a new id at the same place.
    before = _finding(1, ("redact", "26(c)", 0, 10)).to_json()
    same_place = _finding(2, ("redact", "26(c)", 0, 12))  # overlaps 10-15
    recoded = _finding(3, ("review", "26(n)", 1, 0))
    recoded_before = _finding(4, ("redact", "26(c)", 1, 2)).to_json()
    elsewhere = _finding(5, ("redact", "26(c)", 2, 0))
    gone = _finding(6, ("redact", "26(c)", 0, 40)).to_json()
    changes: list[tuple[Any, ...]] = []
    _removed_in_one_version([before, recoded_before, gone], [same_place, recoded, elsewhere],
                            lambda *change: changes.append(change[:2]))
    assert changes == [("re-coded", "F003"), ("released", "F006"), ("redacted", "F005")]
