"""The independent leak check: its fast look-up agrees with the plain pattern search, and it catches
values however they are spaced, cased or written."""

from __future__ import annotations

import json
import unicodedata
import zlib
from pathlib import Path

import docx
import pdfplumber
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from redactor import verify
from redactor.api import BatchOptions, BatchResult, run_batch
from redactor.errors import ExitCode
from redactor.verify import (
    Haystack,
    PreparedSecrets,
    ReleasedText,
    Secret,
    SecretIndex,
    _normalise_in_pieces,
    find_leaks,
    find_leaks_in_text,
    normalise,
    secret_pattern,
    verify_package,
)

SEPARATORS = st.sampled_from(["", " ", "-", ".", "/", "(", ")", "  ", "x", " and "])


@settings(max_examples=300)
@given(st.text(alphabet="0123456789", min_size=6, max_size=12),
       st.lists(st.tuples(st.text(alphabet="0123456789", min_size=1, max_size=5), SEPARATORS), max_size=6),
       st.booleans(), st.integers(min_value=1, max_value=11), SEPARATORS)
def test_when_numbers_are_looked_up_then_the_fast_path_agrees_with_the_pattern(
        digits: str, noise: list, plant: bool, cut: int, sep: str) -> None:
    text = "".join(a + b for a, b in noise)
    if plant:
        cut = min(cut, len(digits) - 1)
        text += digits[:cut] + sep + digits[cut:]
    assert Haystack(text).contains(digits) == bool(secret_pattern(digits).search(normalise(text)))


@given(st.sampled_from(["Jane Roe", "Blue Fox", "Tr0ub4dor&3", "jane.roe77@gmail.com", "O'Brien", "S12345678"]),
       st.text(max_size=80))
def test_when_words_are_looked_up_then_the_fast_path_agrees_with_the_pattern(value: str, text: str) -> None:
    pattern = secret_pattern(value)
    assert Haystack(text).contains(value) == bool(pattern and pattern.search(normalise(text)))


# Letters that change under NFKC or case folding, combining marks, and every kind of space.
_TRICKY = "aZß\ufb01\uff21\u0301\u0308\u00a8\u00b4\u00a0\u2003\u3000 \n\t\r\u0130\u03a3\u1e9e9-"


@given(st.text(alphabet=_TRICKY, max_size=60), st.integers(min_value=1, max_value=12))
def test_a_long_text_normalised_in_pieces_reads_as_the_whole_normalised_at_once(text: str, size: int) -> None:
    whole = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    assert _normalise_in_pieces(text, size) == whole


def test_when_a_value_is_respaced_recased_or_split_by_dashes_then_it_is_still_found(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("ssn 219 09 9998; name: JANE   roe; card 4111-1111-1111-1111\n", encoding="utf-8")
    secrets = [Secret("a", "d", "US_SSN", "219-09-9998"), Secret("b", "d", "PERSON", "Jane Roe"),
               Secret("c", "d", "CREDIT_CARD", "4111 1111 1111 1111"), Secret("e", "d", "PERSON", "Ann Lee")]
    assert [leak.finding_id for leak in find_leaks(path, secrets)] == ["a", "b", "c"]


def test_when_a_number_is_part_of_a_longer_number_then_it_is_not_a_leak(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("parcel 52190999981\n", encoding="utf-8")
    assert find_leaks(path, [Secret("a", "d", "US_SSN", "219-09-9998")]) == []


def test_when_a_file_has_no_independent_reader_then_everything_counts_as_leaked(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"\x00")
    assert [leak.finding_id for leak in find_leaks(path, [Secret("a", "d", "US_SSN", "219-09-9998")])] == ["a"]


def _rerun_with_a_note_on_the_ssn(make_request, tmp_path: Path, text: str, note: str) -> BatchResult:
    """The request of one text run, then run again with the officer's note on its SSN's finding."""
    folder = make_request({"a.txt": text})
    first = run_batch(folder, BatchOptions(out_dir=tmp_path / "one"))
    ssn = next(f for r in first.results for f in r.findings if f.entity == "US_SSN")
    decisions = tmp_path / "d.yaml"
    decisions.write_text(f'- {{finding: {ssn.id}, action: redact, note: "{note}"}}\n')
    result = run_batch(folder, BatchOptions(out_dir=tmp_path / "two", decisions=decisions))
    assert result.exit_code == ExitCode.OK
    return result


def test_when_an_officers_note_repeats_a_redacted_value_then_the_log_carries_the_rule_text_instead(
        make_request, tmp_path: Path) -> None:
    result = _rerun_with_a_note_on_the_ssn(make_request, tmp_path, "Complainant: Jane Roe, SSN 219-09-9998.\n",
                                           "SSN 219-09-9998 is hers")
    log = (result.out_dir / "release/redaction_log.csv").read_text()
    assert "219-09-9998" not in log and "is hers" not in log
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    assert any("note repeats a redacted value" in change for change in manifest["log_changes"])


def test_when_an_officers_note_holds_a_one_word_name_as_a_word_then_the_note_is_logged(
        make_request, tmp_path: Path) -> None:
    # "Will" is removed as a name; the note's "will" is a verb, in the log as in the record.
    result = _rerun_with_a_note_on_the_ssn(make_request, tmp_path, "Hi Will,\n\nYour SSN 219-09-9998 is on file.\n",
                                           "The requester will not get it")
    assert "The requester will not get it" in (result.out_dir / "release/redaction_log.csv").read_text()
    assert verify_package(result.out_dir) == []


def test_when_a_file_name_holds_a_redacted_value_then_the_document_is_withheld_and_the_log_masks_it(
        make_request) -> None:
    folder = make_request({"files/Jane_Roe_complaint.txt": "Complainant: Jane Roe, SSN 219-09-9998.\n"})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert result.withheld[0].reason == "file name"
    assert not (result.out_dir / "release/files/Jane_Roe_complaint.txt").exists()
    log = (result.out_dir / "release/redaction_log.csv").read_text()
    assert "Jane" not in log and "Roe" not in log and "files/[name withheld].txt" in log


def test_when_the_log_names_a_one_word_name_in_a_path_in_lower_case_then_verify_finds_it(
        make_request, tmp_path: Path) -> None:
    # `redact verify` reads the log's paths in any case, as the run reads file names.
    result = run_batch(make_request({"notes.txt": "Ms. Roe called about the fence.\n"}),
                       BatchOptions(out_dir=tmp_path / "out"))
    log = result.out_dir / "release/redaction_log.csv"
    assert "notes.txt" in log.read_text()
    log.write_text(log.read_text().replace("notes.txt", "roe_notes.txt"))
    roe = {f.id for r in result.results for f in r.findings if f.text == "Roe"}
    assert {leak.finding_id for leak in verify_package(result.out_dir)} & roe


def test_when_a_file_name_holds_a_one_word_name_in_lower_case_then_the_document_is_withheld(make_request) -> None:
    # Names are read by case in text ("will" is no "Will"), not in file names, written in lower case.
    folder = make_request({"files/roe_notes.txt": "Ms. Roe called about the fence.\n"})
    result = run_batch(folder, BatchOptions())
    assert result.exit_code == ExitCode.WITHHELD_FOR_REVIEW
    assert result.withheld[0].reason == "file name"


_WORDS = ["Jane", "Roe", "jane.roe@gmail.com", "4111 1111 1111 1111", "4111-1111-1111-1111", "(413) 555-0147",
          "413.555.0147", "Orchard Lane", "page 3", "line 12", "Millbrook", "123456789012345678901234",
          "roe", "JANE ROE", "Ｊａｎｅ", "555-0147", "14 Alder Lane", "a b", "Al", "ab c", "Jan", "Zoë",
          "\U0001d400lder", "Ro\udc80e", "janeroe", "Will", "will", "WILL", "Griﬃn", "Griffin"]


@pytest.mark.parametrize(("text", "entity", "value", "leaked"), [
    ("I will send the form.", "PERSON", "Will", False),   # a verb, not the name
    ("Will said he would come.", "PERSON", "Will", True),
    ("Thanks.\n> Will you come?", "PERSON", "Will", False),  # a verb starting a sentence,
    ("Is it done? Will you come?", "PERSON", "Will", False),
    ("Thanks,\n\nWill you come?", "PERSON", "Will", False),
    # A line wrapped mid-sentence is no sentence's start, as a reading joining the lines sees it.
    ("the dissenting opinion in \n\nWill that this Court adopted", "PERSON", "Will", True),
    ("the dissenting opinion in Will that this Court adopted", "PERSON", "Will", True),
    ("Ask Will you said?", "PERSON", "Will", True),       # not inside one
    ("Will Jane come?", "PERSON", "Will", True),          # nor before a name
    ("Will, you said so.", "PERSON", "Will", True),
    ("SIGNED: WILL", "PERSON", "Will", True),
    ("Griﬃn called.", "PERSON", "Griffin", True),         # a ligature is no hiding place,
    ("Ｗｉｌｌ said so.", "PERSON", "Will", True),          # nor full-width letters
    ("the griffin statue", "PERSON", "Griffin", False),
    ("We will meet at Will Rogers Park.", "PERSON", "Will Rogers", True),  # two words: any case
    ("will rogers", "PERSON", "Will Rogers", True),
    ("the sparrow file", "CUSTOM_TERM", "Sparrow", True),  # only names are read by case
])
def test_when_a_one_word_name_is_removed_then_only_its_capitalised_readings_are_leaks(
        text: str, entity: str, value: str, leaked: bool) -> None:
    secrets = [Secret("f1", "d", entity, value)]
    assert bool(find_leaks_in_text(text, secrets, "r")) is leaked
    assert bool(SecretIndex(secrets).find(text, "r")) is leaked


@given(texts=st.lists(st.lists(st.sampled_from(_WORDS), max_size=6).map(" ".join), min_size=1, max_size=5),
       values=st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(["X", "PERSON"])), min_size=1, max_size=8))
def test_a_secret_index_finds_exactly_what_the_plain_search_finds(texts, values) -> None:
    secrets = [Secret(f"f{n}", "d", entity, v) for n, (v, entity) in enumerate(values)]
    index = SecretIndex(secrets)
    for text in texts:
        assert index.find(text, "log") == find_leaks_in_text(text, secrets, "log")


_TEXTS = st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join)


@given(text=_TEXTS, text_only=st.none() | _TEXTS, values=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8))
# Either side of the short-value length (5 characters without spaces), in the full text only.
@example(text="page 3 Jane", text_only="", values=["page 3", "Jane"])
def test_a_reading_shows_exactly_what_the_plain_search_finds(text, text_only, values) -> None:
    # A PDF's reading (text_only given) looks for short values in its text sources only.
    secrets = [Secret(f"f{n}", "d", "X", v) for n, v in enumerate(values)]
    packed = verify._pack(text)
    reading = ReleasedText("r", packed, None if text_only is None else verify._pack(text_only))
    if text_only is None:
        expected = find_leaks_in_text(text, secrets, "r")
    else:
        short = [s for s in secrets if len(normalise(s.text).replace(" ", "")) < 5]
        expected = (find_leaks_in_text(text, [s for s in secrets if s not in short], "r")
                    + find_leaks_in_text(text_only, short, "r"))
    assert reading.leaks(secrets) == expected
    prepared = PreparedSecrets(secrets)
    assert reading.leaks(prepared) == expected
    assert ReleasedText("r", packed).leaks(prepared) == find_leaks_in_text(text, secrets, "r")  # the same, reused


@given(pieces=st.lists(_TEXTS, min_size=1, max_size=5),
       values=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8))
def test_a_reading_in_pieces_shows_what_the_whole_shows_once(pieces, values) -> None:
    # A mailbox's reading is kept as pieces joined by "|" in the whole; no value reads across one.
    secrets = [Secret(f"f{n}", "d", "X", v) for n, v in enumerate(values)]
    packed = [verify._pack(p) for p in pieces]
    found = ReleasedText("r", packed[0], more=tuple(packed[1:])).leaks(secrets)
    assert len(found) == len(set(found))
    assert set(found) == set(find_leaks_in_text("|".join(pieces), secrets, "r"))


def test_a_reading_with_text_sources_cannot_be_given_pieces_it_would_not_search() -> None:
    # A PDF's reading is searched as its text and its text sources only: further pieces beside them
    # would never be searched, so such a reading is refused when made, not silently half-checked.
    with pytest.raises(ValueError, match="cannot have further pieces"):
        ReleasedText("r", verify._pack("the text"), verify._pack("the text"), more=(verify._pack("Jane Roe"),))
    assert ReleasedText("r", verify._pack("Jane Roe"), more=(verify._pack("x"),)).more


def test_a_large_mailbox_is_read_in_pieces_and_a_value_in_its_last_message_is_found(tmp_path, monkeypatch) -> None:
    from redactor import verify_email

    box = tmp_path / "box.mbox"
    messages = [f"From resident{i}@example.net Mon Oct 12 09:15:00 2026\nFrom: r{i}@example.net\nSubject: Note {i}\n\n"
                f"Meeting notes number {i}.\n\n" for i in range(30)]
    messages[-1] = messages[-1].replace("Meeting notes", "Call Jane Roe at (413) 555-0147 about the notes")
    box.write_text("".join(messages), encoding="utf-8")
    monkeypatch.setattr(verify_email, "PIECE_CHARS", 200)
    reading = verify.read_released(box)
    assert len(reading.more) >= 5  # pieces, each of whole messages
    whole = verify_email.read_mbox_text(box)
    assert "|".join(zlib.decompress(p).decode() for p in (reading.packed, *reading.more)) == whole
    secrets = [Secret("f1", "box.mbox", "PERSON", "Jane Roe"), Secret("f2", "box.mbox", "PHONE_NUMBER", "413-555-0147"),
               Secret("f3", "box.mbox", "PERSON", "John Doe")]
    assert [leak.finding_id for leak in reading.leaks(secrets)] == ["f1", "f2"]
    assert [leak.finding_id for leak in find_leaks(box, secrets)] == ["f1", "f2"]


def _split_at_from_lines(data: bytes) -> list[bytes]:
    """How a released mailbox was cut when read whole: at every line starting with "From ", and at
    its start unless only a byte order mark and line breaks come before the first such line."""
    import re

    starts = [m.start() for m in re.finditer(rb"^From .*$", data, re.M)]
    if not starts or data[:starts[0]].strip(b"\xef\xbb\xbf\r\n"):
        starts.insert(0, 0)
    return [data[s:e] for s, e in zip(starts, [*starts[1:], len(data)], strict=True)]


@settings(max_examples=200, deadline=None)
@example(lines=["\ufeff", "\n", "From a@b Mon Oct 12 09:15:00 2026\n", "body\n"])
@example(lines=["preamble\r\n", "From a@b\r\n", "x"])
@given(lines=st.lists(st.sampled_from(["From a@b Mon Oct 12 09:15:00 2026\n", "From here on\n", ">From x\n",
                                        "Subject: s\n", "\n", "\r\n", "\ufeff", "body From the\n", "From", "x",
                                        "From y\r\n", " From z\n"]), max_size=12))
def test_a_released_mailbox_read_a_line_at_a_time_is_cut_where_it_was_read_whole(tmp_path_factory, lines) -> None:
    # The reader no longer holds the whole released mailbox: it reads it a line at a time.
    from redactor import verify_email

    data = "".join(lines).encode("utf-8")
    box = tmp_path_factory.mktemp("box") / "box.mbox"
    box.write_bytes(data)
    expected = [c for c in _split_at_from_lines(data) if c] if data else []
    assert list(verify_email._from_chunks(box)) == expected


# A name released by the officer holds a shorter value still removed in the same document: where the
# shorter value is read inside the released one, it is released with it; anywhere else it is a leak.
_CALLER = "Fatima"
_CALLER_FULL = "Fatima Kearney"


@pytest.mark.parametrize(("text", "leaked"), [
    ("Fatima Kearney called. Later Fatima wrote back.", True),
    ("Fatima Kearney called. Later [REDACTED 26(c)] wrote back.", False),
    ("FATIMA  KEARNEY called; fatima\nkearney wrote.", False),  # the released value in any case and spacing
    ("Fatima-Kearney called.", True),  # not the released value as the verifier reads it
    ("Fatima Kearneys called.", True),  # not the released value: a longer word
    ("Kearney, Fatima called.", True),
])
def test_when_a_removed_value_is_read_only_inside_a_released_one_then_it_is_no_leak(text: str, leaked: bool) -> None:
    [secret] = verify.secrets_from_findings([
        {"id": "a", "document": "d", "entity": "PERSON", "text": _CALLER_FULL, "action": "keep"},
        {"id": "b", "document": "d", "entity": "PERSON", "text": _CALLER, "action": "redact"},
    ])["d"]
    expected = [verify.Leak("r", "b", "PERSON")] if leaked else []
    assert find_leaks_in_text(text, [secret], "r") == expected
    assert SecretIndex([secret]).find(text, "r") == expected
    assert ReleasedText("r", verify._pack(text)).leaks([secret]) == expected
    # Released in another document only, the value is a leak wherever it is read.
    assert find_leaks_in_text(text, [Secret("b", "d", "PERSON", _CALLER)], "r") == [verify.Leak("r", "b", "PERSON")]


def test_when_a_removed_number_is_read_only_inside_a_released_one_then_it_is_no_leak() -> None:
    # The agency's main line released; a caller's extension number that is its last digits removed.
    [secret] = verify.secrets_from_findings([
        {"id": "a", "document": "d", "entity": "PHONE_NUMBER", "text": "(413) 555-0147", "action": "keep"},
        {"id": "b", "document": "d", "entity": "PHONE_NUMBER", "text": "555-0147", "action": "redact"},
    ])["d"]
    assert SecretIndex([secret]).find("Call (413) 555-0147 for the office.", "r") == []
    assert SecretIndex([secret]).find("Call (413) 555-0147, or 555 0147 at home.", "r") == [
        verify.Leak("r", "b", "PHONE_NUMBER")]


@given(text=_TEXTS, released=st.lists(_TEXTS, max_size=3),
       values=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6))
def test_a_secret_index_and_the_plain_search_agree_on_values_inside_released_ones(text, released, values) -> None:
    findings = ([{"id": f"k{n}", "document": "d", "entity": "X", "text": v, "action": "keep"}
                 for n, v in enumerate(released) if v]
                + [{"id": f"f{n}", "document": "d", "entity": "X", "text": v, "action": "redact"}
                   for n, v in enumerate(values)])
    secrets = verify.secrets_from_findings(findings).get("d", [])
    found = SecretIndex(secrets).find(text, "r")
    assert found == find_leaks_in_text(text, secrets, "r")
    # Never more than without the released values: they only ever take a reading away.
    bare = [Secret(s.finding_id, s.document, s.entity, s.text) for s in secrets]
    assert set(found) <= set(find_leaks_in_text(text, bare, "r"))


def test_when_the_officer_releases_a_name_then_a_shorter_name_still_removed_does_not_withhold_the_document(
        make_request, tmp_path: Path) -> None:
    from builders import pdf_file, word_file

    lines = ("Incident note, March 3, 2025.",
             f"{_CALLER_FULL} called the front desk about the noise complaint on Elm Street.",
             f"Officer Daly spoke with her. Later that day {_CALLER} wrote back to say the noise had stopped.")
    mail = ("From: Desk Clerk <clerk@example.gov>\nTo: records@example.gov\nSubject: Incident note\n"
            "Date: Mon, 3 Mar 2025 10:00:00 -0500\n\n" + "\n".join(lines) + "\n")
    folder = make_request({"files/note.txt": "\n".join(lines) + "\n", "files/note.pdf": pdf_file("\n".join(lines)),
                           "files/note.docx": word_file(*lines), "inbox/note.eml": mail,
                           "files/later.txt": f"Follow-up, March 5, 2025.\n\n{_CALLER} came to the counter again.\n"})
    first = run_batch(folder, BatchOptions())
    full = {f.document: f.id for r in first.results for f in r.findings if f.text == _CALLER_FULL}
    assert set(full) == {"files/note.txt", "files/note.pdf", "files/note.docx", "inbox/note.eml"}
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text("".join(f"- {{finding: {i}, action: release, note: she gave her name to the press}}\n"
                                 for i in full.values()), encoding="utf-8")
    second = run_batch(folder, BatchOptions(decisions=decisions))
    assert second.exit_code == ExitCode.OK and not second.withheld and not second.leaks
    release = second.out_dir / "release"
    with pdfplumber.open(release / "files/note.pdf") as pdf:
        pdf_text = pdf.pages[0].extract_text()
    texts = {"files/note.txt": (release / "files/note.txt").read_text(encoding="utf-8"), "files/note.pdf": pdf_text,
             "files/note.docx": "\n".join(p.text for p in docx.Document(release / "files/note.docx").paragraphs),
             "inbox/note.eml": (release / "inbox/note.eml").read_text(encoding="utf-8")}
    for document, text in texts.items():
        assert _CALLER_FULL in text, document
        assert "Later that day Fatima" not in text and "wrote back" in text, document
    assert _CALLER not in (release / "files/later.txt").read_text(encoding="utf-8")
