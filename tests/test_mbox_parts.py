"""A large mailbox is processed a run of messages at a time (api.MBOX_PART), so a worker's memory
does not grow with its messages; what it releases and finds must be what it is read whole: the
same bytes, the same findings with the same ids, the same notes. The findings' passes over the
parts (decide.FindingsBuilder) are checked against the whole document on generated text too."""

from __future__ import annotations

import gc
import json
import pickle
import re
import tempfile
import weakref
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
import yaml
from builders import pdf_file, word_file
from hypothesis import given, settings
from hypothesis import strategies as st

from redactor import api
from redactor.api import BatchOptions, run_batch
from redactor.decide import CarriedValue, FindingsBuilder, move_carried_notes
from redactor.detect.settings import in_office
from redactor.formats.mbox import MboxDocument
from redactor.models import Action, Detection, Finding, Location, TextUnit
from redactor.report.context import Snippet
from redactor.rules import load_rules
from redactor.settings import DetectionConfig
from redactor.sliced import ContextSlices, FindingSlices, editing

STAFF = {"request_id": "R-11", "public_domains": ["millbrook.ma.gov"], "public_names": ["Linda Castellano"]}


def _message(n: int, sender: str, subject: str, body: str, attachments: tuple[tuple[str, bytes, str], ...] = ()
             ) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Linda Castellano <lcastellano@millbrook.ma.gov>"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<parts{n}@example.net>"
    msg.set_content(body)
    for name, data, subtype in attachments:
        maintype, _, sub = subtype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=sub, filename=name)
    return msg.as_bytes(policy=default_policy)


def mailbox() -> bytes:
    """Thirteen messages whose findings reach across runs of messages: a neighbour named in full in
    the first is only in capitals in later subjects (removed there because it is removed in the
    first), a copy of a message several messages later, Word and PDF attachments, a message that
    cannot be read (encrypted), and a card number first given in the last message."""
    word = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    messages = [
        _message(1, "Resident <resident1@gmail.com>", "Noise complaint",
                 "My neighbor Harold Whittingham plays drums at night. My SSN is 219-09-9998.\n"),
        _message(2, "Linda Castellano <lcastellano@millbrook.ma.gov>", "Re: Noise complaint",
                 "We have opened case NC-2026-0002 about the noise.\n"),
        _message(3, "Resident <resident3@gmail.com>", "HAROLD WHITTINGHAM again",
                 "The drums started again at 11 pm.\n"),
        _message(4, "Resident <resident4@gmail.com>", "Permit application",
                 "My application is attached.\n",
                 (("form4.docx", word_file("Applicant SSN: 219-09-9104", "Cell (413) 555-0142"), word),
                  ("letter4.pdf", pdf_file("Applicant Jane Roe, SSN 219-09-9104."), "application/pdf"))),
        b"",  # message 5: a copy of message 2
        b"Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\n"
        b"From: resident6@gmail.com\nSubject: sealed\n\n--b\nContent-Type: application/pgp-encrypted\n\n"
        b"Version: 1\n--b\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n--b--\n",
        _message(7, "Resident <resident7@gmail.com>", "Whittingham, Harold",
                 "Call me at (413) 555-0142 about the permit.\n"),
        _message(8, "Resident <resident8@gmail.com>", "Re: Permit application",
                 "Jane Roe here again; please use jane.roe77@gmail.com.\n"),
        _message(9, "Resident <resident9@gmail.com>", "Payment",
                 "I paid the fee by card 4111 1111 1111 1111 on Monday.\n"),
        _message(10, "Resident <resident10@gmail.com>", "HAROLD WHITTINGHAM",
                 "He says card 4111 1111 1111 1111 was mine. It was not.\n"),
        _message(11, "Linda Castellano <lcastellano@millbrook.ma.gov>", "Re: Payment",
                 "Thank you, Jane Roe; the fee is recorded. cc: priscilla vanterpool\n"),
        _message(12, "Resident <resident12@gmail.com>", "Permit application",
                 "My application is attached.\n",
                 (("form4.docx", word_file("Applicant SSN: 219-09-9104", "Cell (413) 555-0142"), word),)),
        _message(13, "Resident <resident13@gmail.com>", "Last one",
                 "My other card is 5555 5555 5555 4444 and my neighbor is harold whittingham.\n"),
    ]
    messages[4] = messages[1]
    return b"".join(b"From resident@gmail.com Mon Oct 12 09:%02d:00 2026\n" % n + m.rstrip(b"\n") + b"\n\n"
                    for n, m in enumerate(messages, start=1))


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _findings(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "review" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple]:
    """The same request run with the mailbox read whole and in runs of 1, 4 and 5 messages; a note
    before it carries a value into it, and a decision releases a finding of its last message."""
    root = tmp_path_factory.mktemp("parts")
    folder = root / "request"
    (folder / "inbox").mkdir(parents=True)
    (folder / "inbox" / "box.mbox").write_bytes(mailbox())
    # Before the mailbox in the request's order: the clerk's note names a complainant whom the
    # mailbox only names in lower case, where no detector reads a name.
    (folder / "a_note.txt").write_text("Priscilla Vanterpool called again about the drums.\n", encoding="utf-8")
    (folder / "request.yaml").write_text(yaml.safe_dump(STAFF), encoding="utf-8")
    out: dict[int, tuple] = {}
    for size in (1_000_000, 1, 4, 5):
        patch = pytest.MonkeyPatch()
        patch.setattr(api, "MBOX_PART", size)
        try:
            first = run_batch(folder, BatchOptions(out_dir=root / f"first{size}"))
            # The rerun releases the mailbox's last finding by its id (decisions are applied per part).
            last = [f for f in _findings(root / f"first{size}") if f["document"] == "inbox/box.mbox"][-1]
            decisions = root / f"decisions{size}.yaml"
            decisions.write_text(yaml.safe_dump([{"finding": last["id"], "action": "release", "note": "public"}]),
                                 encoding="utf-8")
            again = run_batch(folder, BatchOptions(out_dir=root / f"again{size}", decisions=decisions))
        finally:
            patch.undo()
        out[size] = (first, again, root / f"first{size}", root / f"again{size}")
    return out


def test_when_a_mailbox_is_read_in_parts_then_it_releases_the_bytes_it_does_read_whole(runs) -> None:
    whole = runs[1_000_000]
    for size in (1, 4, 5):
        for k in (2, 3):  # the first run, then the rerun with a decision
            assert _files(runs[size][k] / "release") == _files(whole[k] / "release"), (size, k)


def _report(out: Path) -> str:
    # The same but for when the package was made.
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:]+\+00:00", "(time)", (out / "review" / "report.html").read_text("utf-8"))


def test_when_a_mailbox_is_read_in_parts_then_its_review_report_is_the_one_read_whole(runs) -> None:
    # The report shows each finding with the words around it: a large mailbox's contexts are
    # kept compressed a run of messages at a time, and looked up as its findings are listed.
    whole = runs[1_000_000]
    assert "Whittingham plays drums" in _report(whole[2])
    for size in (1, 4, 5):
        for k in (2, 3):
            assert _report(runs[size][k]) == _report(whole[k]), (size, k)


def test_when_a_mailbox_is_read_in_parts_then_its_findings_ids_and_notes_are_those_read_whole(runs) -> None:
    whole = runs[1_000_000]
    found = _findings(whole[2])
    # The request exercises what spans parts: a value of one message removed in later ones, a
    # value carried from the note, and a decision by id.
    mailbox_findings = [f for f in found if f["document"] == "inbox/box.mbox"]
    assert any(f["detector"] == "consistency" and f["text"] == "harold whittingham" for f in mailbox_findings)
    assert any(f["detector"] == "consistency" and "a_note.txt" in (f.get("note") or "") for f in mailbox_findings)
    for size in (1, 4, 5):
        assert _findings(runs[size][2]) == found, size
        assert _findings(runs[size][3]) == _findings(whole[3]), size
        for k in (0, 1):
            [box] = [r for r in runs[size][k].results if r.document == "inbox/box.mbox"]
            [ref] = [r for r in whole[k].results if r.document == "inbox/box.mbox"]
            assert (box.status, box.notes, box.parts_withheld, box.units, box.pages, box.carried_used,
                    box.outputs) == (ref.status, ref.notes, ref.parts_withheld, ref.units, ref.pages,
                                     ref.carried_used, ref.outputs), size
    [released] = [f for f in _findings(whole[3]) if f["document"] == "inbox/box.mbox" and f["action"] == "keep"
                  and f.get("decided")] or [None]
    assert released is not None


def test_when_a_mailbox_is_read_in_parts_then_one_part_is_in_memory_at_a_time(make_request, tmp_path,
                                                                                monkeypatch) -> None:
    # A part is read (MboxDocument.__init__) for the first pass and taken up again (unpickled)
    # for the last; neither may happen while another part is still held.
    folder = make_request({"box.mbox": mailbox()}, request=STAFF)
    alive: weakref.WeakSet = weakref.WeakSet()
    sizes: list[tuple[int, int]] = []  # (messages in the part, parts alive besides it)
    real_init = MboxDocument.__init__

    def arrived(doc: MboxDocument) -> None:
        gc.collect()
        sizes.append((len(doc._messages), len(alive)))
        alive.add(doc)

    def opened(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        real_init(self, *args, **kwargs)
        arrived(self)

    def taken_up(self, state) -> None:  # type: ignore[no-untyped-def]
        self.__dict__.update(state)
        arrived(self)

    monkeypatch.setattr(MboxDocument, "__init__", opened)
    monkeypatch.setattr(MboxDocument, "__setstate__", taken_up, raising=False)
    monkeypatch.setattr(api, "MBOX_PART", 4)
    res = run_batch(folder, BatchOptions(out_dir=tmp_path / "out"))
    assert res.results[0].status == "released"
    assert sizes == [(4, 0), (4, 0), (4, 0), (1, 0)] * 2


def test_when_a_part_fails_then_the_mailbox_is_withheld_and_nothing_of_it_is_left(make_request, tmp_path,
                                                                                   monkeypatch) -> None:
    # A failure while the parts are written (here an internal error in the second part's findings,
    # injected: the code has no such fault to produce) leaves no half mailbox in the release and no
    # temporary copy of any part's attachments: the third part's are still put aside with it.
    folder = make_request({"box.mbox": mailbox()}, request=STAFF)
    # A temporary folder of the test's own: another run on the machine puts its copies in /tmp.
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    real = FindingsBuilder.findings
    calls = [0]

    def findings(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] == 2:
            raise RuntimeError("injected")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(FindingsBuilder, "findings", findings)
    monkeypatch.setattr(api, "MBOX_PART", 4)
    res = run_batch(folder, BatchOptions(out_dir=tmp_path / "out"))
    [box] = res.results
    assert box.status == "withheld" and box.withheld.reason == "internal error" and "injected" in box.withheld.detail
    assert not [p for p in (res.out_dir / "release").rglob("*") if "box.mbox" in p.name]
    assert not list(temp.glob("redact-attachments-*"))


# -- the passes over parts, on generated text ---------------------------------------------------------

_VOCAB = ["Jane", "Roe", "jane", "roe", "Mark", "Rose", "rose", "Runaway", "Stabilizer", "stabilizer", "runaway",
          "219-09-9998", "(413) 555-0142", "413.555.0142", "the", "and", "permit", "Oak", "St.", "Officer", "Chair"]


@st.composite
def _document(draw):  # type: ignore[no-untyped-def]
    """Units of words from a small vocabulary, detections on some runs of words and on the names
    written in office, and carried values."""
    units, detections = [], []
    for n in range(draw(st.integers(1, 12))):
        words = draw(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=8))
        text = " ".join(words)
        units.append(TextUnit(unit_id=f"m{n}/b", text=text))
        starts = [0]
        for w in words[:-1]:
            starts.append(starts[-1] + len(w) + 1)
        dets = []
        for i in draw(st.lists(st.integers(0, len(words) - 1), max_size=3, unique=True)):
            j = min(len(words), i + draw(st.integers(1, 2)))
            start, end = starts[i], starts[j - 1] + len(words[j - 1])
            entity, detector = draw(st.sampled_from([("PERSON", "PersonRecognizer"), ("PERSON", "SpacyRecognizer"),
                                                     ("US_SSN", "UsSsnRecognizer"),
                                                     ("PHONE_NUMBER", "PhoneRecognizer")]))
            dets.append(Detection(entity=entity, start=start, end=end, text=text[start:end], score=0.85,
                                  detector=detector))
        # The officials named in office ("Officer Jane Roe"), as the run adds them to the detections.
        detections.append(dets + in_office(text, DetectionConfig()))
    carried = draw(st.lists(st.builds(
        lambda text, entity, n: CarriedValue(entity, text, Action.REDACT, "26(c)", "j", f"d{n}.txt", f"f{n}"),
        st.sampled_from(["Jane Roe", "Mark Rose", "413-555-0142", "Oak St.", "219-09-9998", "rose"]),
        st.sampled_from(["PERSON", "PHONE_NUMBER", "US_SSN"]), st.integers(0, 5)), max_size=4))
    cuts = sorted(draw(st.lists(st.integers(1, max(1, len(units) - 1)), max_size=4, unique=True)))
    return units, detections, carried, [c for c in cuts if c < len(units)]


def _locate(unit_id: str, start: int, end: int) -> Location:
    return Location(part=f"unit {unit_id}", unit_id=unit_id, start=start, end=end)


@settings(max_examples=150, deadline=None)
@given(_document())
def test_findings_built_over_parts_are_those_of_the_whole_document(doc) -> None:
    units, detections, carried, cuts = doc
    rules = load_rules()
    used_whole: set[str] = set()
    whole = FindingsBuilder("box.mbox", rules, ("Oak",), carried, used_whole).whole(units, detections, _locate)
    bounds = list(zip([0, *cuts], [*cuts, len(units)], strict=True))
    parts = [(units[a:b], detections[a:b]) for a, b in bounds]
    used_parts: set[str] = set()
    builder = FindingsBuilder("box.mbox", rules, ("Oak",), carried, used_parts)
    for part in parts:
        builder.read_words(*part)
    for part in parts:
        builder.read_values(*part)
    if builder.needs_offers:
        for part in parts:
            builder.read_offers(*part)
    in_parts = [f for part in parts for f in builder.findings(*part, _locate)]
    assert [f.to_json() for f in in_parts] == [f.to_json() for f in whole]
    assert used_parts == used_whole


# -- a large mailbox's findings, compressed ----------------------------------------------------------


def _finding(n: int) -> Finding:
    return Finding(id=f"{n:016x}", document="box.mbox", location=Location(part=f"message {n}: body", unit_id=f"m{n}/b1",
                                                                          start=0, end=8),
                   entity="PERSON", text="Jane Roe", action=Action.REVIEW, code="26(c)", confidence=0.85,
                   detector="PersonRecognizer", justification="j", source="rules",
                   note=f"removed in a{n}.txt too (finding f{n})")


def test_findings_kept_in_slices_read_as_the_list_and_keep_only_the_changes_made_while_editing() -> None:
    findings = [_finding(n) for n in range(7)]
    sliced = FindingSlices()
    for a, b in ((0, 3), (3, 3), (3, 7)):  # an empty slice is no slice
        sliced.add(findings[a:b])
    copy = pickle.loads(pickle.dumps(sliced))
    assert len(copy) == 7 and list(copy) == findings and copy == findings and copy[4] == findings[4]
    assert copy[-1] == findings[6] and copy[2:5] == findings[2:5] and bool(FindingSlices()) is False
    with pytest.raises(IndexError):
        copy[7]
    for f in copy:  # not kept: each pass reads the slices as stored
        f.log_id = "lost"
    assert not any(f.log_id for f in copy)
    with editing(copy):
        for f in copy:
            f.log_id = f"R-{f.id[-2:]}"
    assert [f.log_id for f in copy] == [f"R-{n:02x}" for n in range(7)]
    # The request-wide check renames the documents a carried value was first removed in, in place.
    before = [CarriedValue("PERSON", "Jane Roe", Action.REVIEW, "26(c)", "j", f"a{n}.txt", f"f{n}") for n in range(7)]
    after = [CarriedValue("PERSON", "Jane Roe", Action.REVIEW, "26(c)", "j", "b.txt", "g1")]
    with editing(copy):
        for f in copy:
            f.detector = "consistency"
        move_carried_notes(copy, before[:1], after)
    assert [f.note for f in copy][:2] == ["removed in b.txt too (finding g1)", "removed in a1.txt too (finding f1)"]


def test_contexts_kept_in_slices_are_found_in_any_order() -> None:
    contexts = ContextSlices()
    parts = [{f"{n:016x}": Snippet(f"before {n} ", "Jane Roe", " after") for n in range(a, b)}
             for a, b in ((0, 3), (3, 4), (4, 9))]
    for part in parts:
        contexts.add(part)
    whole = {k: v for part in parts for k, v in part.items()}
    copy = pickle.loads(pickle.dumps(contexts))
    assert len(copy) == 9 and dict(copy) == whole and copy == whole
    for key in [*reversed(whole), *whole, "0" * 15 + "x"]:  # in the report's order and against it
        assert copy.get(key) == whole.get(key)
    assert ContextSlices().get("x") is None and not ContextSlices()
