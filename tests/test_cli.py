"""The command line: every command documented, help and version work, README covers the commands."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from redactor import __version__
from redactor.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append(((*prefix, name), cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, (*prefix, name)))
    return out


COMMANDS = _commands(cli)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_when_a_command_exists_then_it_has_help_text_and_is_in_the_readme(path, command) -> None:
    assert command.help and len(command.help.strip()) > 20
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert f"redact {' '.join(path)}" in README.read_text(encoding="utf-8")


def test_when_version_is_asked_then_it_is_printed() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_when_an_unknown_command_is_given_then_click_usage_error_code_is_kept() -> None:
    result = CliRunner().invoke(cli, ["frobnicate"])
    assert result.exit_code == 2


def test_when_a_document_timeout_is_given_then_it_must_be_minutes_from_zero(make_request, tmp_path: Path) -> None:
    folder = make_request({"a.txt": "Call Jane Roe at (413) 555-0142.\n", "b.txt": "The permit was issued.\n"})
    bad = CliRunner().invoke(cli, ["batch", str(folder), "--document-timeout", "-5"])
    assert bad.exit_code == 2 and "--document-timeout" in bad.output
    # 0: no limit at all (the run goes as it would without one).
    none = CliRunner().invoke(cli, ["batch", str(folder), "-j", "2", "-q", "--document-timeout", "0",
                                    "--out", str(tmp_path / "out")])
    assert none.exit_code == 0, none.output
    assert "[REDACTED 26(c)]" in (tmp_path / "out/release/a.txt").read_text(encoding="utf-8")
