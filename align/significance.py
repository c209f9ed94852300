"""How sure a score is: block-bootstrap intervals and paired tests for alignment F1.

A set's F1 comes from a few documents, and one novel's chapter can move it by a
point; whether 0.9219 clears 0.92, or a signal's +0.2 is more than chance, is a
question of spread. As sacrebleu's paired bootstrap does for BLEU (Koehn 2004),
the documents are cut into units, units are drawn with replacement, and the
micro-averaged F1 is recomputed on each draw.

The units are blocks of consecutive gold beads (``block`` of them, 20 by
default), not single beads: an aligner's errors come in runs (one wrong cut
shifts its neighbours), so beads are not independent draws, while a whole
document is too coarse a unit for a set of six. Every test bead goes to the block
of the gold bead that holds its first sentence, so a test bead and the gold
bead it matches always share a block, and the blocks' counts add up to exactly
:func:`align.evaluate.score`'s.

Shapes: ``counts`` is ``(blocks, 8)`` integers, the four :class:`Counts` fields
for precision (test beads) then for recall (gold beads with both sides); a
draw is ``(samples, blocks)`` row indices into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.evaluate import DocumentResult, bead_hits
from align.types import BeadIds

BLOCK = 20
"""Gold beads per bootstrap unit: a few paragraphs, long enough to hold a run of errors."""
SAMPLES = 1000
"""Draws per estimate: the interval's ends move by about 0.1 points between seeds."""


@dataclass(frozen=True)
class Interval:
    """A score and the range that holds it in ``level`` of the draws (percentile bootstrap)."""

    score: float
    low: float
    high: float
    level: float = 0.95


@dataclass(frozen=True)
class Comparison:
    """``system`` against ``baseline`` on the same gold: the difference in F1 strict
    (system − baseline), its interval over paired draws, and the two-sided p-value
    of a difference at least this large arising by chance."""

    baseline: Interval
    system: Interval
    delta: Interval
    p_value: float


def _sides(gold: Sequence[BeadIds], n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's gold bead (its index in ``gold``), per side; a sentence the gold
    leaves out gets the bead of the sentence before it, so it stays in its paragraph."""
    src, tgt = np.full(n, -1), np.full(m, -1)
    for k, (s, t) in enumerate(gold):
        src[[i for i in s if i < n]] = k
        tgt[[j for j in t if j < m]] = k
    for side in (src, tgt):
        side[:] = np.maximum.accumulate(np.maximum(side, 0)) if len(side) else side
    return src, tgt


def _place(bead: BeadIds, src: np.ndarray, tgt: np.ndarray) -> int:
    if bead[0] and bead[0][0] < len(src):
        return int(src[bead[0][0]])
    if bead[1] and bead[1][0] < len(tgt):
        return int(tgt[bead[1][0]])
    return 0


def block_counts(documents: Sequence[DocumentResult], block: int = BLOCK) -> np.ndarray:
    """The ``(blocks, 8)`` counts of a set, block by block, document after document."""
    rows: list[np.ndarray] = []
    for doc in documents:
        src, tgt = _sides(doc.gold, doc.src_sentences, doc.tgt_sentences)
        counts = np.zeros((max(1, -(-len(doc.gold) // block)), 8), dtype=np.int64)
        both = [b for b in doc.gold if b[0] and b[1]]
        tested = [b for b in doc.test if b[0] and b[1]]
        for col, beads, hits in (
            (0, doc.test, bead_hits(doc.gold, doc.test)),
            (4, both, bead_hits(tested, both)),
        ):
            for bead, hit in zip(beads, hits, strict=True):
                if hit is None:
                    continue
                strict, lax = hit
                row = counts[_place(bead, src, tgt) // block]
                row[col + (0 if strict else 1)] += 1
                row[col + (2 if lax else 3)] += 1
        rows.append(counts)
    return np.concatenate(rows) if rows else np.zeros((0, 8), dtype=np.int64)


def f1_strict(totals: np.ndarray) -> np.ndarray:
    """F1 strict of summed counts ``(..., 8)`` → ``(...)``, as :func:`align.evaluate.score`."""
    tp_p, fp_p, tp_r, fp_r = (totals[..., k].astype(np.float64) for k in (0, 1, 4, 5))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp_p + fp_p > 0, tp_p / (tp_p + fp_p), 0.0)
        r = np.where(tp_r + fp_r > 0, tp_r / (tp_r + fp_r), 0.0)
        return np.where(p + r > 0, 2 * p * r / (p + r), 0.0)


def _draws(blocks: int, samples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, blocks, size=(samples, blocks))


def _interval(score: float, drawn: np.ndarray, level: float) -> Interval:
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(drawn, [tail, 100 - tail])
    return Interval(score, float(low), float(high), level)


def interval(
    documents: Sequence[DocumentResult],
    *,
    block: int = BLOCK,
    samples: int = SAMPLES,
    seed: int = 0,
    level: float = 0.95,
) -> Interval:
    """F1 strict of a set and its bootstrap interval: how far another set of documents
    of the same kind could put it."""
    counts = block_counts(documents, block)
    score = float(f1_strict(counts.sum(axis=0)))
    if not len(counts):
        return Interval(score, score, score, level)
    drawn = f1_strict(counts[_draws(len(counts), samples, seed)].sum(axis=1))
    return _interval(score, drawn, level)


def compare(
    baseline: Sequence[DocumentResult],
    system: Sequence[DocumentResult],
    *,
    block: int = BLOCK,
    samples: int = SAMPLES,
    seed: int = 0,
    level: float = 0.95,
) -> Comparison:
    """Paired bootstrap of two alignments of the same documents against the same gold.

    Both are scored on the same draws of blocks. The p-value is that of the
    shifted test sacrebleu uses (after multeval): the share of draws whose
    difference lies as far from the draws' mean as the real difference lies from
    zero, so two identical alignments give 1.0.
    """
    return compare_sets([(baseline, system)], block=block, samples=samples, seed=seed, level=level)


def compare_sets(
    pairs: Sequence[tuple[Sequence[DocumentResult], Sequence[DocumentResult]]],
    *,
    block: int = BLOCK,
    samples: int = SAMPLES,
    seed: int = 0,
    level: float = 0.95,
) -> Comparison:
    """:func:`compare` over several sets at once, each ``(baseline, system)``: the score
    is the mean of the sets' F1 strict, and each draw resamples every set's own
    blocks (a stratified bootstrap), so a literary and a political set keep their
    weight whatever their lengths. Whether a signal helps across the board, where
    each set alone is too small to tell."""
    if not pairs or not all(base for base, _ in pairs):
        raise ValueError("nothing to compare: no documents")
    real_a, real_b = [], []
    drawn_a, drawn_b = np.zeros(samples), np.zeros(samples)
    for k, (baseline, system) in enumerate(pairs):
        _check_paired(baseline, system)
        a, b = block_counts(baseline, block), block_counts(system, block)
        real_a.append(float(f1_strict(a.sum(axis=0))))
        real_b.append(float(f1_strict(b.sum(axis=0))))
        rows = _draws(len(a), samples, seed + k)
        drawn_a += f1_strict(a[rows].sum(axis=1)) / len(pairs)
        drawn_b += f1_strict(b[rows].sum(axis=1)) / len(pairs)
    score_a, score_b = float(np.mean(real_a)), float(np.mean(real_b))
    real = score_b - score_a
    diffs = drawn_b - drawn_a
    beyond = int(np.sum(np.abs(diffs - diffs.mean()) >= abs(real) - 1e-12))
    return Comparison(
        _interval(score_a, drawn_a, level),
        _interval(score_b, drawn_b, level),
        _interval(real, diffs, level),
        (beyond + 1) / (samples + 1),
    )


def _check_paired(baseline: Sequence[DocumentResult], system: Sequence[DocumentResult]) -> None:
    """A paired test compares like with like: the same documents, read against the same gold."""
    names_a, names_b = [d.name for d in baseline], [d.name for d in system]
    if names_a != names_b:
        raise ValueError(f"not the same documents: {names_a} against {names_b}")
    for a, b in zip(baseline, system, strict=True):
        sizes_a, sizes_b = (a.src_sentences, a.tgt_sentences), (b.src_sentences, b.tgt_sentences)
        if a.gold != b.gold or sizes_a != sizes_b:
            raise ValueError(f"document {a.name}: the two alignments were scored on different gold")
