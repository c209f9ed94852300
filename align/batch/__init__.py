"""Align whole corpora: find the pairs, run them on this machine or a Dask cluster, resume.

    from align.batch import BatchOptions, run_batch
    result = run_batch("corpus/", "out/", BatchOptions(jobs=2, merge=Path("corpus.tmx")))
    result.failed  # each with its reason

Modules: :mod:`~align.batch.discover` (layouts, manifest), :mod:`~align.batch.identify`
(pairing files by their text), :mod:`~align.batch.journal`
(what finished), :mod:`~align.batch.task` (one pair, run in a worker),
:mod:`~align.batch.executors` and :mod:`~align.batch.dask_executor` (where pairs run),
:mod:`~align.batch.run` (the whole batch).
"""

from align.batch.discover import Conflict, Discovery, Pair, Unpaired, discover, read_manifest
from align.batch.journal import Journal
from align.batch.run import (
    EXIT_SOME_FAILED,
    BatchListener,
    BatchOptions,
    BatchResult,
    PairResult,
    output_path,
    run_batch,
)

__all__ = [
    "EXIT_SOME_FAILED",
    "BatchListener",
    "BatchOptions",
    "BatchResult",
    "Conflict",
    "Discovery",
    "Journal",
    "Pair",
    "PairResult",
    "Unpaired",
    "discover",
    "output_path",
    "read_manifest",
    "run_batch",
]
