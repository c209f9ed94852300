"""Where pairs run: in this process, in a pool of local processes, or on a Dask cluster.

Each executor takes tasks lazily and yields outcomes as they finish, keeping
only a small window of pairs in flight, so memory does not grow with the
number of pairs. Results come back to the caller, which alone writes OUTDIR.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from align.batch.task import EncoderSpec, PairOutcome, PairTask, init_worker, run_task

POOL_ATTEMPTS = 2
"""A pair in flight when a worker process died is run again, this many times in all."""


class Executor(Protocol):
    """Runs tasks; ``needs_bytes`` when workers may not see the client's files."""

    name: str
    workers: int
    needs_bytes: bool

    def run(self, tasks: Iterable[PairTask]) -> Iterator[PairOutcome]: ...

    def close(self, abort: bool = False) -> None: ...


def failed(task: PairTask, reason: str) -> PairOutcome:
    return PairOutcome(id=task.id, ok=False, reason=" ".join(reason.split()))


class LocalExecutor:
    """One pair after the other in this process (``--jobs 1``)."""

    name = "local"
    workers = 1
    needs_bytes = False

    def run(self, tasks: Iterable[PairTask]) -> Iterator[PairOutcome]:
        for task in tasks:
            yield run_task(task)

    def close(self, abort: bool = False) -> None:
        pass


class PoolExecutor:
    """``--jobs N``: N worker processes, each loading the encoder once in its initializer.

    Workers are spawned, not forked: the parent may be running a progress bar
    thread and holding an SQLite connection, neither of which survives a fork.
    """

    name = "process pool"
    needs_bytes = False

    def __init__(self, jobs: int, spec: EncoderSpec) -> None:
        self.workers = jobs
        self.spec = spec
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(self.spec, max(1, (os.cpu_count() or 1) // self.workers)),
        )

    def run(self, tasks: Iterable[PairTask]) -> Iterator[PairOutcome]:
        pending = iter(tasks)
        flight: dict[Future[PairOutcome], tuple[PairTask, int]] = {}
        retry: list[tuple[PairTask, int]] = []
        window = 2 * self.workers
        exhausted = False
        while True:
            while len(flight) < window and (retry or not exhausted):
                if retry:
                    task, attempt = retry.pop()
                else:
                    nxt = next(pending, None)
                    if nxt is None:
                        exhausted = True
                        break
                    task, attempt = nxt, 1
                flight[self._pool.submit(run_task, task)] = (task, attempt)
            if not flight:
                return
            done, _ = wait(flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task, attempt = flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    retry.append((task, attempt))
                except Exception as exc:
                    yield failed(task, f"could not run in a worker process: {exc}")
            if broken:
                retry += flight.values()
                flight.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                again = []
                for task, attempt in retry:
                    if attempt >= POOL_ATTEMPTS:
                        yield failed(
                            task,
                            "the worker process died while aligning this pair "
                            f"({attempt} times; out of memory?)",
                        )
                    else:
                        again.append((task, attempt + 1))
                retry = again

    def close(self, abort: bool = False) -> None:
        """With ``abort`` stop at once: pairs still running are dropped (not in the journal)."""
        if not abort:
            self._pool.shutdown(wait=True)
            return
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=10)
