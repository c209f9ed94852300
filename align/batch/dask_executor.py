"""``--executor dask``: the same batch on an existing Dask distributed cluster.

Workers need no shared disk with the client: each task carries its two input
files as bytes, the worker aligns them from a private temporary folder and
returns the TMX and JSONL as bytes, and the client writes them to OUTDIR and the
journal. When a worker dies, the scheduler runs its pairs again elsewhere; the
client still receives each pair once, so no pair is lost or written twice.

Each worker process keeps its encoder in a module global
(:func:`align.batch.task.worker_encoder`): loaded on its first pair, reused after.
The embedding cache is the worker machine's own (``ALIGN_CACHE_DIR`` there), or
the folder given as ``cache_dir`` when all workers share one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from align import __version__
from align.batch.executors import failed
from align.batch.task import PairOutcome, PairTask, run_task
from align.errors import AlignError

CONNECT_TIMEOUT = 30
WORKER_WAIT = 60


def _worker_version() -> str:
    from align import __version__ as version

    return version


def _connect(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError as exc:
        raise AlignError(
            f"--executor dask needs the 'distributed' package ({exc}): pip install 'un-align[dask]'"
        ) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError) as exc:
        raise AlignError(
            f"cannot reach the Dask scheduler at {address} ({exc}): start one with "
            "'dask scheduler' and give its tcp://HOST:PORT to --scheduler"
        ) from None


class DaskExecutor:
    """Runs pairs on the cluster behind ``address`` (``tcp://HOST:PORT``)."""

    name = "dask"
    needs_bytes = True

    def __init__(self, address: str) -> None:
        self.address = address
        self.client = _connect(address)
        try:
            self._check_workers()
        except BaseException:
            self.client.close()
            raise

    def _check_workers(self) -> None:
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT)
        except (TimeoutError, OSError):
            raise AlignError(
                f"no Dask worker joined the scheduler at {self.address} within {WORKER_WAIT} s: "
                f"start some with 'dask worker {self.address} --nthreads 1'"
            ) from None
        try:
            versions = self.client.run(_worker_version)
        except Exception as exc:
            raise AlignError(
                f"the Dask workers cannot run un-align ({type(exc).__name__}: {exc}): install "
                f"un-align {__version__} in the workers' Python environment"
            ) from None
        other = {w: v for w, v in versions.items() if v != __version__}
        if other:
            worker, version = next(iter(other.items()))
            raise AlignError(
                f"Dask worker {worker} runs un-align {version}, this client {__version__}: "
                "install the same version everywhere so results do not depend on the worker"
            )
        self.workers = max(1, sum(self.client.nthreads().values()))

    def run(self, tasks: Iterable[PairTask]) -> Iterator[PairOutcome]:
        from distributed import as_completed

        pending = iter(tasks)
        owners: dict[str, PairTask] = {}
        running = as_completed(loop=self.client.loop)
        batch = uuid.uuid4().hex[:12]

        def submit_next() -> None:
            task = next(pending, None)
            if task is not None:
                key = f"un-align-{batch}-{uuid.uuid4().hex[:12]}"
                future = self.client.submit(run_task, task, key=key, pure=False)
                owners[future.key] = task
                running.add(future)

        for _ in range(2 * self.workers):
            submit_next()
        for future in running:
            task = owners.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:
                outcome = failed(
                    task, f"the Dask cluster could not run it: {type(exc).__name__}: {exc}"
                )
            future.release()
            yield outcome
            submit_next()

    def close(self, abort: bool = False) -> None:
        self.client.close()
