"""request.yaml and decisions files: valid forms load; every mistake names the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactor.decisions import load_decisions
from redactor.errors import DecisionsError, SettingsError
from redactor.settings import load_request, request_terms


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "request.yaml").write_text(text, encoding="utf-8")
    return folder


def test_when_there_is_no_request_yaml_then_defaults_apply(tmp_path: Path) -> None:
    settings, doc = load_request(tmp_path)
    assert doc is None and settings.public_names == [] and settings.request_id is None


def test_when_request_yaml_has_every_key_then_all_are_read(tmp_path: Path, ma_rules) -> None:
    folder = _write(tmp_path / "r", """\
request_id: PRR-1
agency: Town of Millbrook
requester: A. Reporter
received: 2026-10-05
rules: massachusetts
public_domains: ["@Millbrook.MA.gov"]
public_names: [Linda Castellano]
always_redact:
  - Sparrow
  - {text: CI-0417, code: "26 (f)", note: informant file}
never_redact: [Millbrook Town Hall]
""")
    settings, doc = load_request(folder)
    assert settings.public_domains == ["millbrook.ma.gov"]
    assert str(settings.received) == "2026-10-05"
    terms = request_terms(settings, doc, ma_rules)
    assert [(t.text, t.code) for t in terms] == [("Sparrow", "26(c)"), ("CI-0417", "26(f)")]


def test_when_a_key_is_misspelled_then_the_error_names_the_line(tmp_path: Path) -> None:
    folder = _write(tmp_path / "r", "request_id: X\npublic_name: [Jane]\n")
    with pytest.raises(SettingsError) as err:
        load_request(folder)
    assert "request.yaml:2: public_name: unknown key" in str(err.value)


def test_when_a_public_domain_is_not_a_domain_then_it_is_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path / "r", "public_domains:\n  - town hall\n")
    with pytest.raises(SettingsError, match="not a domain name"):
        load_request(folder)


def test_when_an_always_redact_code_is_unknown_then_the_error_names_its_line(tmp_path: Path, ma_rules) -> None:
    folder = _write(tmp_path / "r", "always_redact:\n  - Sparrow\n  - {text: X-1, code: '26(zz)'}\n")
    settings, doc = load_request(folder)
    with pytest.raises(SettingsError) as err:
        request_terms(settings, doc, ma_rules)
    assert "request.yaml:3" in str(err.value) and "26(zz)" in str(err.value)


def test_when_request_yaml_is_broken_yaml_then_the_error_names_the_line(tmp_path: Path) -> None:
    folder = _write(tmp_path / "r", "request_id: X\npublic_names: [unclosed\n")
    with pytest.raises(SettingsError, match=r"request\.yaml:\d+: YAML error"):
        load_request(folder)


def _decisions(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "decisions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_when_decisions_use_every_form_then_they_load(tmp_path: Path, ma_rules) -> None:
    path = _decisions(tmp_path, """\
- {finding: abc123, action: release, note: public official}
- {finding: def456, action: redact, code: MA-26n}
- {text: "Blue Fox", action: redact, code: "26(f)", note: informant}
- {document: files/memo.pdf, action: withhold, code: "26(d)", note: draft policy}
""")
    d = load_decisions(path, ma_rules)
    assert d.findings["abc123"][0].action == "release"
    assert d.findings["def456"][0].code == "26(n)"
    assert [(t.text, t.code, t.source) for t in d.terms] == [("Blue Fox", "26(f)", "decision")]
    assert d.withholds[0][0].document == "files/memo.pdf" and d.sha256


@pytest.mark.parametrize(("text", "problem"), [
    ("- {finding: a1, action: delete}\n", "action"),
    ("- {action: release}\n", "exactly one of 'finding', 'text' or 'document'"),
    ("- {finding: a1, text: x, action: redact}\n", "exactly one of"),
    ("- {finding: a1, action: redact, code: '26(zz)'}\n", "unknown exemption code '26(zz)'"),
    ("- {document: a.txt, action: withhold}\n", "code"),
    ("- {finding: a1, action: release}\n- {finding: a1, action: redact}\n", "decided twice"),
    ("finding: a1\n", "a YAML list"),
    ("- just a string\n", "not a mapping"),
])
def test_when_a_decision_item_is_malformed_then_the_run_stops_naming_it(
        tmp_path: Path, ma_rules, text: str, problem: str) -> None:
    path = _decisions(tmp_path, "# header\n" + text)
    with pytest.raises(DecisionsError) as err:
        load_decisions(path, ma_rules)
    assert problem in str(err.value)
    assert f"{path}:" in str(err.value)
