"""The progress bar: on a terminal's stderr it shows documents, pages, rate and time left; never in a
pipe or a log file, and never with -q."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

NOTE = "Complainant: Jane Roe, cell (413) 555-0147.\n\nQuestions: Building Department, (508) 555-0100.\n"


def _run(args: list[str], tty: bool, sized: bool = True) -> tuple[int, str]:
    """Run the real command with stderr on a pseudo-terminal (or a pipe); return the exit code and stderr."""
    cmd = [sys.executable, "-m", "redactor", *args]
    if not tty:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        return done.returncode, done.stderr
    leader, follower = pty.openpty()
    if sized:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress") / "request"
    (root / "files").mkdir(parents=True)
    for i in range(3):
        (root / "files" / f"note{i}.txt").write_text(NOTE)
    return root


def test_when_stderr_is_a_terminal_then_a_bar_shows_documents_and_pages(folder: Path, tmp_path: Path) -> None:
    code, err = _run(["batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1"], tty=True)
    assert code == 0, err
    assert "3/3 documents" in err and "3 pages" in err
    assert "/s" in err  # the rate
    assert "reading ahead 3/3" in err  # the documents are first read for their values
    # A terminal that reports no size still gets a bar.
    code, err = _run(["batch", str(folder), "--out", str(tmp_path / "unsized"), "--jobs", "1"], tty=True, sized=False)
    assert code == 0, err
    assert "3/3 documents" in err


def test_when_quiet_or_not_a_terminal_then_there_is_no_bar(folder: Path, tmp_path: Path) -> None:
    code, err = _run(["batch", str(folder), "--out", str(tmp_path / "q"), "--jobs", "1", "-q"], tty=True)
    assert code == 0, err
    assert "documents" not in err
    code, err = _run(["batch", str(folder), "--out", str(tmp_path / "pipe"), "--jobs", "1"], tty=False)
    assert code == 0, err
    assert "documents," not in err and "pages" not in err
