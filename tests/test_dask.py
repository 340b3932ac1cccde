"""``--executor dask``: per-document tasks on a dask.distributed cluster (here a LocalCluster on
loopback), the parent alone writing the package; the result is the same as on one core."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_consistency import _rounds, _shared

from redactor.api import BatchOptions, run_batch
from redactor.cli import cli
from redactor.errors import ExitCode

distributed = pytest.importorskip("distributed")

SAMPLE = Path(__file__).resolve().parent.parent / "sample_records" / "request-001"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scheduler() -> str:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_when_documents_run_on_a_dask_cluster_then_the_package_is_the_one_of_a_single_core(scheduler, tmp_path,
                                                                                            monkeypatch):
    folder = tmp_path / "request"
    shutil.copytree(SAMPLE, folder)
    rounds = _rounds(monkeypatch)
    one = run_batch(folder, BatchOptions(out_dir=tmp_path / "one", jobs=1))
    rounds_one = list(rounds)
    rounds.clear()
    shared = _shared(monkeypatch)
    dask = run_batch(folder, BatchOptions(out_dir=tmp_path / "dask", executor="dask", scheduler=scheduler))
    # The workers saw the run's folder (they read its cache ahead): the request's values went to
    # them as a file, read there (no document needed processing again for want of them), and gone
    # with the run.
    assert len(shared) == 1 and rounds == rounds_one
    assert not list(tmp_path.glob(".redact-values-*"))
    assert [r.document for r in dask.results] == [r.document for r in one.results]
    assert tree(tmp_path / "dask/release") == tree(tmp_path / "one/release")
    for name in ("findings.jsonl", "decisions.template.yaml"):
        assert (tmp_path / "dask/review" / name).read_bytes() == (tmp_path / "one/review" / name).read_bytes()
    assert dask.exit_code == one.exit_code
    # A rerun on the cluster reuses what did not change, as on one machine.
    again = run_batch(folder, BatchOptions(out_dir=tmp_path / "dask", executor="dask", scheduler=scheduler))
    assert again.cache["documents_reused"] == len(again.results)
    assert tree(tmp_path / "dask/release") == tree(tmp_path / "one/release")


def test_when_the_scheduler_is_missing_or_unreachable_then_the_command_says_so(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["batch", str(SAMPLE), "--out", str(tmp_path / "a"), "--executor", "dask"])
    assert missing.exit_code == ExitCode.USAGE, missing.output
    assert "--scheduler" in missing.output
    # Port 9 (discard) on loopback: nothing listens there.
    gone = runner.invoke(cli, ["batch", str(SAMPLE), "--out", str(tmp_path / "b"), "--executor", "dask",
                               "--scheduler", "tcp://127.0.0.1:9"])
    assert gone.exit_code == ExitCode.USAGE, gone.output
    assert "tcp://127.0.0.1:9" in gone.output and "dask scheduler" in gone.output
    assert not (tmp_path / "b").exists()
