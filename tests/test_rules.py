"""Exemption rule sets: the shipped mappings, code look-up, and strict validation with file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from redactor.cli import cli
from redactor.errors import ExitCode, RulesError
from redactor.models import ENTITY_TYPES, Action
from redactor.rules import available_rule_sets, load_rule_file, load_rules

MA_FILE = Path(load_rules("massachusetts").path)


def test_when_listing_installed_rule_sets_then_massachusetts_and_federal_are_there() -> None:
    assert {"massachusetts", "federal_foia"} <= set(available_rule_sets())


@pytest.mark.parametrize("name", ["massachusetts", "federal_foia"])
def test_when_a_shipped_rule_set_loads_then_every_entity_type_is_mapped(name: str) -> None:
    rules = load_rules(name)
    assert set(rules.spec.entities) == set(ENTITY_TYPES)
    for entity in ENTITY_TYPES:
        decision = rules.decide(entity)
        assert decision.action is Action.KEEP or decision.code in rules.codes


@pytest.mark.parametrize(("entity", "action", "code"), [
    ("US_SSN", Action.REDACT, "26(c)"),
    ("DATE_OF_BIRTH", Action.REDACT, "26(c)"),
    ("CREDIT_CARD", Action.REDACT, "26(c)"),
    ("US_BANK_NUMBER", Action.REDACT, "26(c)"),
    ("PASSWORD", Action.REDACT, "26(n)"),
    ("USERNAME", Action.REDACT, "26(n)"),
    ("PERSON", Action.REVIEW, "26(c)"),
    ("US_EIN", Action.KEEP, None),
    ("ABA_ROUTING_NUMBER", Action.KEEP, None),
    ("IP_ADDRESS", Action.KEEP, None),
])
def test_when_massachusetts_maps_an_entity_then_it_follows_the_legal_groundwork(
        ma_rules, entity: str, action: Action, code: str | None) -> None:
    decision = ma_rules.decide(entity)
    assert (decision.action, decision.code) == (action, code)


def test_when_a_public_employee_is_the_subject_then_home_contact_moves_to_clause_o(ma_rules) -> None:
    assert ma_rules.decide("HOME_ADDRESS", role="public_employee").code == "26(o)"
    assert ma_rules.decide("EMAIL_ADDRESS", role="public_employee_family").code == "26(p)"


def test_when_looking_at_massachusetts_codes_then_k_is_absent_and_only_a_is_mandatory(ma_rules) -> None:
    assert "26(k)" not in ma_rules.codes
    assert {f"26({c})" for c in "abcdefghijlmnopqrstu"} <= set(ma_rules.codes)
    mandatory = {k for k, c in ma_rules.codes.items() if not c.discretionary}
    assert mandatory and all(k.startswith("26(a)") for k in mandatory)


@pytest.mark.parametrize("typed", ["26(c)", "26 (c)", "26(C)", "MA-26c", "26c"])
def test_when_a_code_is_typed_the_practitioners_way_then_it_resolves(ma_rules, typed: str) -> None:
    assert ma_rules.resolve_code(typed) == "26(c)"


def test_when_a_federal_code_is_typed_with_an_alias_then_it_resolves() -> None:
    rules = load_rules("federal_foia")
    assert rules.resolve_code("b6") == "(b)(6)"
    assert rules.resolve_code("(b)(7)(C)") == "(b)(7)(C)"


def test_when_a_code_is_unknown_then_the_error_lists_the_known_codes(ma_rules) -> None:
    with pytest.raises(RulesError) as err:
        ma_rules.resolve_code("26(z)")
    assert "26(z)" in str(err.value) and "26(c)" in str(err.value) and "26(n)" in str(err.value)


def test_when_a_marker_is_made_then_it_carries_the_code_and_not_the_length(ma_rules) -> None:
    assert ma_rules.marker("26(c)") == "[REDACTED 26(c)]"


def _broken(tmp_path: Path, old: str, new: str, name: str = "massachusetts") -> tuple[Path, int]:
    text = MA_FILE.read_text(encoding="utf-8")
    assert old in text
    index = text.index(old)
    line = text.count("\n", 0, index) + 1
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, line


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('  "26(c)":\n', '  "26(c)":\n    bogus_key: 1\n', "unknown key"),
    ('    citation: "G.L. c. 4, § 7, cl. 26(n)"\n', "", "citation"),
    ("    code: \"26(n)\"", "    code: \"26(zz)\"", "unknown code '26(zz)'"),
    ("  US_SSN:", "  US_SNN:", "unknown entity type 'US_SNN'"),
    ("    discretionary: true", "    discretionary: maybe", "boolean"),
])
def test_when_a_rule_file_is_wrong_then_the_error_names_file_line_and_problem(
        tmp_path: Path, old: str, new: str, problem: str) -> None:
    path, line = _broken(tmp_path, old, new)
    with pytest.raises(RulesError) as err:
        load_rule_file(path)
    message = str(err.value)
    assert problem in message
    assert f"{path}:" in message
    # the reported line is the edited one or the mapping that holds it (within a few lines)
    reported = [int(part.split(":")[1]) for part in message.split() if part.startswith(f"{path}:")
                and part.split(":")[1].isdigit()]
    assert any(abs(n - line) <= 12 for n in reported), message


def test_when_a_rule_file_is_not_yaml_then_the_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "massachusetts.yaml"
    path.write_text("name: massachusetts\ncodes: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"massachusetts\.yaml:\d+: YAML error"):
        load_rule_file(path)


def test_when_a_code_is_defined_twice_then_the_duplicate_is_an_error(tmp_path: Path) -> None:
    path, _line = _broken(tmp_path, '  "26(d)":\n', '  "26(c)":\n')
    with pytest.raises(RulesError, match="duplicate key '26\\(c\\)'"):
        load_rule_file(path)


def test_when_an_entity_is_missing_then_the_error_says_which(tmp_path: Path) -> None:
    text = MA_FILE.read_text(encoding="utf-8")
    # drop the IP_ADDRESS block: its line and every deeper-indented line after it
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  IP_ADDRESS:"))
    end = start + 1
    while end < len(lines) and (lines[end].startswith("   ") or not lines[end].strip()):
        end += 1
    path = tmp_path / "massachusetts.yaml"
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    with pytest.raises(RulesError, match="missing entity types: IP_ADDRESS"):
        load_rule_file(path)


def test_when_the_name_differs_from_the_file_then_it_is_an_error(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "name: massachusetts", "name: massachusets")
    with pytest.raises(RulesError, match="must equal the file name"):
        load_rule_file(path)


def test_when_rules_show_runs_then_codes_and_mappings_are_printed() -> None:
    result = CliRunner().invoke(cli, ["rules", "show", "massachusetts"])
    assert result.exit_code == 0, result.output
    assert "26(c)" in result.output and "G.L. c. 4, § 7, cl. 26(n)" in result.output
    assert "US_SSN" in result.output and "redact 26(c)" in result.output


def test_when_rules_list_runs_then_each_set_has_a_line() -> None:
    result = CliRunner().invoke(cli, ["rules", "list"])
    assert result.exit_code == 0
    assert "massachusetts" in result.output and "federal_foia" in result.output


def test_when_rules_show_gets_an_unknown_name_then_it_exits_with_the_settings_code() -> None:
    result = CliRunner().invoke(cli, ["rules", "show", "atlantis"])
    assert result.exit_code == ExitCode.BAD_SETTINGS
    assert "unknown rule set 'atlantis'" in result.output
