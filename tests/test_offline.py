"""Records stay on the agency's machine: a whole batch runs with every network call refused."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from redactor.errors import ExitCode

BLOCKER = textwrap.dedent("""\
    # Loaded at interpreter start (sitecustomize): any attempt to reach the network fails loudly.
    import socket

    class NetworkBlocked(RuntimeError):
        pass

    def _refuse(*args, **kwargs):
        raise NetworkBlocked(f"network access attempted: {args!r}")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse
""")


def test_when_sockets_are_blocked_then_a_batch_still_runs_offline(make_request, tmp_path: Path) -> None:
    folder = make_request({"files/a.txt": "Resident jane.roe77@gmail.com (Jane Roe), DOB 03/15/1985, "
                                          "visited www.example.org.\n"},
                          request={"public_domains": ["millbrook.ma.gov"]})
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    env = {**os.environ, "PYTHONPATH": str(blocker), "HOME": str(tmp_path / "home")}
    proc = subprocess.run([sys.executable, "-c", "from redactor.cli import run; run()", "batch", str(folder)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert "network access attempted" not in proc.stderr, proc.stderr
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    released = (folder.parent / "request-1-disclosure/release/files/a.txt").read_text()
    assert "jane.roe77@gmail.com" not in released and "03/15/1985" not in released
    # tldextract did not try to cache a downloaded suffix list either
    assert not (tmp_path / "home/.cache/python-tldextract").exists()


def test_when_the_blocker_is_loaded_then_it_really_blocks(tmp_path: Path) -> None:
    # Guards the test above: a blocker that blocked nothing would make it pass vacuously.
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCKER)
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    proc = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "network access attempted" in proc.stderr
