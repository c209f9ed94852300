"""`align batch --executor dask` on a real Dask cluster: two worker processes on loopback.

The outputs must equal a local ``--jobs 1`` run byte for byte (TMX creation dates
aside), and a worker killed mid-batch must cost neither a pair nor a duplicate.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_corpus import journal_ids, outputs, write_tiny_corpus
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from align.batch import (
    BatchListener,
    BatchOptions,
    BatchResult,
    PairResult,
    dask_executor,
    run_batch,
)
from align.cli import app
from align.errors import AlignError


@pytest.fixture(scope="module")
def cluster(warm: Path) -> Iterator[LocalCluster]:
    """Its workers' own embedding cache (ALIGN_CACHE_DIR) is ``warm``, as on a real cluster."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ALIGN_CACHE_DIR", str(warm))
        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as running:
            yield running


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_tiny_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedding cache filled by the first test's local run."""
    return tmp_path_factory.mktemp("warm-cache")


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, corpus: Path, warm: Path) -> BatchResult:
    return run_batch(corpus, tmp_path_factory.mktemp("local"), BatchOptions(cache_dir=warm))


def test_dask_run_equals_local_run(
    cluster: LocalCluster, corpus: Path, local: BatchResult, tmp_path: Path
) -> None:
    options = BatchOptions(
        executor="dask", scheduler=cluster.scheduler_address, cache_dir=tmp_path / "cold"
    )
    result = run_batch(corpus, tmp_path / "out", options)
    assert result.ok, [(r.id, r.reason) for r in result.failed]
    assert result.executor == "dask" and result.workers == 2
    assert outputs(tmp_path / "out") == outputs(local.outdir)
    assert result.cache_misses > 0  # the workers really encoded
    workers = {r.worker for r in result.results}
    assert 1 <= len(workers) <= 2 and all(r.encoder_loads == 1 for r in result.results)
    assert sorted(journal_ids(tmp_path / "out")) == [r.id for r in local.results]


class KillOneWorker(BatchListener):
    """On the first finished pair, SIGKILL a worker process, mid-batch.

    Preferably one running a pair, else one holding a result the client has not
    fetched yet, else the one that ran the first pair (its next pair is queued).
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self.killed: int | None = None
        self.finished_after_kill = 0

    def finished(self, result: PairResult) -> None:
        if self.killed is not None:
            self.finished_after_kill += 1
            return
        pids = self.client.run(os.getpid)
        running = [w for w, keys in self.client.processing().items() if keys]
        holding = [w for ws in self.client.who_has().values() for w in ws]
        first = [w for w, pid in pids.items() if result.worker.endswith(f":{pid}")]
        victim = (running + holding + first)[0]
        self.killed = pids[victim]
        os.kill(self.killed, signal.SIGKILL)


def test_killed_worker_loses_and_duplicates_no_pair(
    cluster: LocalCluster, corpus: Path, warm: Path, local: BatchResult, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    for part in ("a", "b"):
        shutil.copytree(corpus, src / part)
    expected = run_batch(src, tmp_path / "jobs1", BatchOptions(cache_dir=warm))
    options = BatchOptions(executor="dask", scheduler=cluster.scheduler_address, cache_dir=warm)
    out = tmp_path / "out"

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        listener = KillOneWorker(client)
        result = run_batch(src, out, options, listener=listener)

    assert listener.killed is not None and listener.finished_after_kill == 11
    assert [r.status for r in result.results] == ["done"] * 12, [r.reason for r in result.failed]
    ids = journal_ids(out)
    assert sorted(ids) == sorted(set(ids)) == [r.id for r in expected.results]
    assert outputs(out) == outputs(tmp_path / "jobs1")
    assert not list(out.rglob("*.tmp"))


def test_cli_runs_on_the_cluster(
    cluster: LocalCluster, corpus: Path, warm: Path, local: BatchResult, tmp_path: Path
) -> None:
    merged = tmp_path / "corpus.tmx"
    args = ["batch", str(corpus), "-o", str(tmp_path / "out"), "--merge", str(merged)]
    args += ["--executor", "dask", "--scheduler", cluster.scheduler_address]
    r = CliRunner().invoke(app, args, env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["executor"] == "dask" and summary["counts"]["done"] == 6
    assert summary["merge"]["units_out"] == 18 and merged.exists()
    assert outputs(tmp_path / "out") == outputs(local.outdir)


def test_unreachable_scheduler_is_one_line(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 1)
    options = BatchOptions(executor="dask", scheduler="tcp://127.0.0.1:1", use_cache=False)
    with pytest.raises(AlignError) as exc:
        run_batch(corpus, tmp_path / "out", options)
    message = str(exc.value)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in message
    assert "'dask scheduler'" in message and "\n" not in message
