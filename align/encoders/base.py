"""What the aligner needs from a sentence encoder, whatever the backend."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Turns sentences into unit vectors whose dot product is their similarity.

    ``name`` is a stable model id (``use-m3``, ``st:sentence-transformers/LaBSE``);
    ``version`` pins the package and model build so a TM can be reproduced and
    cached vectors are never mixed across models. ``encode`` returns a float32
    array of shape ``(len(texts), dim)`` with L2-normalised rows, ``(0, dim)``
    for no texts.
    """

    name: str
    version: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with each surrogate code point (a broken PDF extraction, a JSON escape of
    half a character) as U+FFFD: no tokenizer can read one, in C++, Rust or Python's own
    UTF-8, so a stray half would stop the alignment. Lengths stay as they are."""
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() else text


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Float32 copy with unit-length rows; all-zero rows stay zero instead of NaN."""
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1).astype(np.float32)


def encode_joined(encoder: Encoder, runs: Sequence[Sequence[str]], sep: str) -> np.ndarray:
    """``encoder.encode`` of each run's text ``sep.join(run)``: an encoder with its own
    ``encode_joined`` builds them from its sentences' work (USE-m3 does), any other
    encodes the joined texts."""
    own = getattr(encoder, "encode_joined", None)
    if own is not None:
        return np.asarray(own(runs, sep), dtype=np.float32)
    return encoder.encode([sep.join(run) for run in runs])
