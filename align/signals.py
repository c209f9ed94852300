"""What a bead is worth: one small function per signal, and their weights in one place.

The aligner scores every candidate bead (``a`` source and ``b`` target
sentences) by a weighted sum of these signals, each oriented so that higher
is better; :class:`Weights` holds the weights, so an ablation is a
``Weights`` with one of them set to zero. Every function works on arrays of
``k`` candidate beads at once, because a document has hundreds of thousands.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import Field, dataclass, fields

import numpy as np

from align.languages import base_language

TOKEN_BUCKETS = 64


@dataclass(frozen=True)
class Weights:
    """The weight of each signal in a bead's gain (see the function of the same name).

    ``similarity``: cosine of the two sides' run vectors (``AlignConfig.joined``);
    ``margin``: how much better the bead is than its neighbours on average,
    ``nearest``: than its closest neighbour; ``length``: Gale–Church length
    agreement; ``size``: preference for small beads; ``tokens``: numbers and
    symbols that must match across sides; ``lexicon``: words a bilingual
    dictionary pairs up; ``leak``: a clause at the bead's edge that belongs
    to the sentence just across its boundary; ``quotes``: a quotation that
    opens or closes inside the bead on one side only.
    """

    similarity: float = 1.0
    margin: float = 0.3
    nearest: float = 0.12
    length: float = 0.1
    size: float = 0.1
    tokens: float = 0.05
    lexicon: float = 0.2
    leak: float = 0.12
    quotes: float = 0.1

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]

    def combine(self, values: dict[str, np.ndarray]) -> np.ndarray:
        """The weighted sum of the signals in ``values`` (one ``(k,)`` array each)."""
        total = np.zeros(len(next(iter(values.values()))))
        for name in self.names():
            w = getattr(self, name)
            if w:
                total += w * values[name]
        return total


@dataclass(frozen=True)
class Calibration:
    """A bead's confidence from its evidence: a logistic fitted on MAC-Dev beads.

    ``benchmarks/fit_confidence.py`` refits these constants (and prints them);
    ``omission`` is fitted on the omissions of all three gold sets, since the
    aligner leaves only one or two of MAC-Dev's sentences unaligned.
    The evidence is the bead's ``similarity``, ``margin``, ``length`` and
    ``leak`` signals (0 for omissions), the :func:`log_odds` of its ``posterior`` (its
    share of all paths, see :mod:`align.aligner`) and whether it is an
    ``omission`` or has ``many`` sentences on some side. A signal whose fitted
    weight comes out negative is left out (``margin`` and ``similarity``, at
    present, which the posterior carries): standing out from the neighbours, or
    reading more alike, must not make a bead less sure.
    """

    intercept: float = 0.685
    similarity: float = 0.0
    margin: float = 0.0
    length: float = 0.658
    posterior: float = 0.917
    omission: float = -1.738
    many: float = 0.01
    leak: float = 1.267

    def confidence(self, evidence: dict[str, float]) -> float:
        """The probability that the bead is exactly right, in [0, 1]."""
        return 1.0 / (1.0 + math.exp(-max(min(self.logit(evidence), 50.0), -50.0)))

    def logit(self, evidence: dict[str, float]) -> float:
        """The logistic's linear part: intercept plus each term times its evidence."""
        return self.intercept + sum(value * evidence.get(f.name, 0.0) for f, value in self._terms())

    def _terms(self) -> list[tuple[Field[float], float]]:
        return [(f, getattr(self, f.name)) for f in fields(self) if f.name != "intercept"]


def log_odds(probability: float) -> float:
    """``log(p / (1 - p))``, kept within ±10 so a certain bead is merely very sure."""
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return max(min(math.log(p / (1 - p)), 10.0), -10.0)


def similarity(src_vecs: np.ndarray, tgt_vecs: np.ndarray) -> np.ndarray:
    """Cosine of unit rows ``(k, d)`` × ``(k, d)`` → ``(k,)``: the embedding's verdict."""
    return np.einsum("kd,kd->k", src_vecs, tgt_vecs).astype(np.float64)


PAIR_BLOCK = 8
"""Rows of ``a`` per matrix product in :func:`pair_similarity`: small enough that BLAS
keeps each product on one thread. At 16 rows OpenBLAS spread them over both cores and
spent a third more CPU time for the same wall time; at 4 the products are too many."""
PAIR_CHUNK = 4096
"""Pairs per gathered batch where a block's pairs are too scattered for a product."""


def pair_similarity(a: np.ndarray, b: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """:func:`similarity` of rows ``a[ia[k]]`` and ``b[ib[k]]`` for each ``k`` → ``(k,)``.

    The pairs a banded lattice asks for lie a few columns around each row, so each
    block of :data:`PAIR_BLOCK` rows of ``a`` is multiplied with the span of ``b`` its
    pairs meet: one small matrix product instead of gathering both ``(k, d)`` sides,
    many times faster than gathering in a band 17 columns wide. A block whose pairs
    fill less than a quarter of that span (a wide stretch between anchors) is gathered.
    """
    if not len(ia):
        return np.empty(0)
    order = np.argsort(ia, kind="stable") if np.any(ia[1:] < ia[:-1]) else None
    rows, cols = (ia, ib) if order is None else (ia[order], ib[order])
    found = np.empty(len(rows))
    starts = np.arange(int(rows[-1]) // PAIR_BLOCK + 2) * PAIR_BLOCK
    bounds = np.searchsorted(rows, starts)
    for r0, s, e in zip(
        starts[:-1].tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True
    ):
        if s == e:
            continue
        block_rows, block_cols = rows[s:e], cols[s:e]
        c0, c1 = int(block_cols.min()), int(block_cols.max()) + 1
        if (c1 - c0) * PAIR_BLOCK <= 4 * (e - s):
            product = a[r0 : r0 + PAIR_BLOCK] @ b[c0:c1].T
            found[s:e] = product[block_rows - r0, block_cols - c0]
        else:
            for lo in range(s, e, PAIR_CHUNK):
                hi = min(lo + PAIR_CHUNK, e)
                found[lo:hi] = similarity(a[rows[lo:hi]], b[cols[lo:hi]])
    if order is None:
        return found
    out = np.empty_like(found)
    out[order] = found
    return out


def margin(neighbour_sims: np.ndarray) -> np.ndarray:
    """Minus the mean cosine of each side with the sentences just outside the other side.

    ``neighbour_sims`` is ``(k, 4)`` with NaN where a neighbour does not exist.
    Subtracting it from the cosine turns "similar" into "more similar than the
    alternatives", which is what stops a bead from sliding by one sentence
    when neighbouring sentences look alike (Bertalign's local margin).
    """
    present = ~np.isnan(neighbour_sims)
    total = np.where(present, neighbour_sims, 0.0).sum(axis=1)
    return -total / np.maximum(present.sum(axis=1), 1)


def nearest(neighbour_sims: np.ndarray) -> np.ndarray:
    """Minus the highest cosine of either side with a sentence just outside the other side.

    The mean in :func:`margin` lets one look-alike neighbour hide among
    unrelated ones; this catches it. 0 where no neighbour exists.
    """
    present = ~np.isnan(neighbour_sims)
    best = np.where(present, neighbour_sims, -np.inf).max(axis=1)
    return -np.where(present.any(axis=1), best, 0.0)


OUTLIER_LENGTH = 20.0
"""A sentence ``OUTLIER_LENGTH`` times its side's median length, and longer than its
side's floor, is left out of the document's length ratio: a table or a text block run
together on one side would otherwise skew every bead's length score. The gold sets'
longest sentence is 9.5 times its median."""


def length_ratio(
    src_lengths: Sequence[int], tgt_lengths: Sequence[int], floors: tuple[int, int] = (0, 0)
) -> float:
    """The document's target characters per source character, over the sentences of
    ordinary length (:data:`OUTLIER_LENGTH`). ``floors`` are the lengths under which no
    sentence of each side is left out: the size of the pieces a run-together block is cut
    into (:data:`align.segmenters.base.MAX_SENTENCE`, halved), so that a long sentence
    among short lines of dialogue, and its translation, both stay in."""

    def total(lengths: Sequence[int], floor: int) -> float:
        if not len(lengths):
            return 0.0
        cap = max(OUTLIER_LENGTH * float(np.median(lengths)), floor)
        return float(sum(n for n in lengths if n <= cap))

    return max(total(tgt_lengths, floors[1]), 1.0) / max(total(src_lengths, floors[0]), 1.0)


def length(src_chars: np.ndarray, tgt_chars: np.ndarray, ratio: float, var: float) -> np.ndarray:
    """Minus δ²/2, δ the Gale–Church deviation of one side's length from the other's.

    ``ratio`` is the document's own target characters per source character, so
    it fits any language pair. Both lengths are counted in the characters of the
    side that writes more of them (English's for zh–en, whichever side it is on),
    with variance ``var`` per such character: the score of a bead is then the
    same whichever document is the source.
    """
    if ratio >= 1.0:
        src, tgt = src_chars * ratio, tgt_chars
    else:
        src, tgt = src_chars, tgt_chars / ratio
    delta2 = (tgt - src) ** 2 / (var * (src + tgt + 2) / 2)
    return -delta2 / 2


def size(a: int, b: int) -> float:
    """Minus log((a + b) / 2): 0 for a 1-1 bead; larger beads must earn their place."""
    return -math.log((a + b) / 2)


_TOKEN = re.compile(r"[A-Z]{1,5}(?:[-./][A-Z0-9]+)+|\d+(?:[.,/:-]\d+)*")
_THOUSANDS = re.compile(r"(?<=\d)[,' \u00a0\u2009](?=\d{3}\b)")
_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of another script


def sentence_tokens(text: str) -> list[str]:
    """Numbers and document symbols in a sentence: what a translation must carry over.

    ``59/48``, ``S-30/1``, ``A/77/L.107``, ``2004``. Width-normalised, digits of
    any script read as ASCII ones (Arabic ``٥٩/٤٨`` is ``59/48``), thousands
    separators removed, and split at the separators into their digit runs as
    well, so ``4.45`` still meets ``4 h 45`` half-way.
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), text)
    text = _THOUSANDS.sub("", text)
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        out.append(token)
        parts = re.findall(r"\d+", token)
        if len(parts) > 1:
            out.extend(parts)
    return out


def token_counts(texts: Sequence[str]) -> np.ndarray:
    """Cumulative hashed token counts ``(n + 1, TOKEN_BUCKETS)``: row ``i`` covers ``texts[:i]``.

    A run's counts are the difference of two rows, so any bead costs O(1) rows.
    """
    counts = np.zeros((len(texts) + 1, TOKEN_BUCKETS), np.float32)
    for i, text in enumerate(texts, 1):
        for token in sentence_tokens(text):
            counts[i, zlib.crc32(token.encode()) % TOKEN_BUCKETS] += 1
    return np.cumsum(counts, axis=0, out=counts)


def tokens(src_counts: np.ndarray, tgt_counts: np.ndarray) -> np.ndarray:
    """Minus the tokens found on one side of the bead only: ``(k, B)`` × ``(k, B)`` → ``(k,)``.

    Every token is in exactly one bead of any path, so a token that has no
    counterpart costs every path the same; only where the beads cut between
    a token and its counterpart does the path pay (twice).
    """
    return -np.abs(src_counts - tgt_counts).sum(axis=1).astype(np.float64)


def lexicon(matches: np.ndarray, src_words: np.ndarray, tgt_words: np.ndarray) -> np.ndarray:
    """Dictionary matches over the geometric mean of the word counts: ``m / √(s × t)``.

    Evidence independent of the encoder: a bilingual dictionary (CC-CEDICT for
    zh–en) finds the words a sentence and its translation share.
    """
    return matches / np.sqrt(np.maximum(src_words * tgt_words, 1.0))


_CLAUSE_BREAK = re.compile(r"(?<=[，；：])\s*|(?<=[,;:،؛])\s+")
_CLAUSE_BREAK_JA = re.compile(r"(?<=[，；：、])\s*|(?<=[,;:])\s+")
_CLAUSE_MIN_CHARS = {"zh": 3, "ja": 3, "ko": 3}


def edge_clauses(text: str, lang: str) -> tuple[str | None, str | None]:
    """A sentence's first and last clause (cut at commas, semicolons and colons:
    full-width ones, Arabic ones, Japanese 、 but not the Chinese enumeration comma).

    None for a sentence of one clause, and for a clause too short to mean
    anything on its own (under 3 characters in Chinese, Japanese or Korean,
    8 elsewhere). Translators often cut sentences elsewhere than the original
    did: then an edge clause is the translation of the neighbouring sentence.
    """
    base = base_language(lang)
    breaks = _CLAUSE_BREAK_JA if base == "ja" else _CLAUSE_BREAK
    parts = [p for p in breaks.split(text.strip()) if p.strip()]
    if len(parts) < 2:
        return None, None
    least = _CLAUSE_MIN_CHARS.get(base, 8)
    head, tail = parts[0], parts[-1]
    return (head if len(head) >= least else None), (tail if len(tail) >= least else None)


def leak(across: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Minus how much better the bead's edge clauses match the sentences across its
    boundary than the bead's other side: ``(k, 4)`` × ``(k, 4)`` → ``(k,)``.

    The four columns are the cosines of the first and last clause of each side
    with the other side's sentence just before or after the bead, or with that
    sentence's clause facing the boundary where it matches better (``across``),
    and with the bead's own other side (``own``); NaN where there is no such
    clause or sentence. A clause that reads as the neighbour's translation
    says the sentences cross the bead's boundary: the 1-1 beads of a 2-2
    that translators cut differently each lose, the 2-2 bead does not.
    """
    excess = np.nan_to_num(across - own, nan=0.0)
    return -np.maximum(excess, 0.0).sum(axis=1)


QUOTE_STATES = {None: 0, "open": 1, "close": 2}
""":func:`align.quotes.quotation_state` as a number, so runs of sentences fit in an array."""


def quotes(src_states: np.ndarray, tgt_states: np.ndarray) -> np.ndarray:
    """Minus 1 where the two sides' quotations disagree: ``(k,)`` × ``(k,)`` → ``(k,)``.

    Each side's state (:data:`QUOTE_STATES`) says whether a quotation opens and does
    not close in its run of sentences, closes unopened, or balances. Dialogue is
    where beads go wrong in novels: Chinese quotes a speech in one sentence that
    English cuts in two ('Well,' he said. 'That's it!'), and a bead that ends
    inside the quotation on one side only has cut at the wrong sentence.
    A quotation cut on both sides (a long speech over several sentences) costs
    nothing, nor does a whole quotation that one side marks and the other not;
    a cut one, marked on one side only, does cost (states ``open`` against ``None``).
    """
    return -(src_states != tgt_states).astype(np.float64)
