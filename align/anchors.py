"""Pass 1 of the aligner: anchors, the 1-1 pairs sure enough to guide the search.

Cosines of 1-1 pairs are computed inside a band only. Each sentence's ratio margin
(its cosine over the mean of its ``k`` nearest neighbours both ways, Artetxe &
Schwenk 2019) picks pairs that are each other's best match and stand out; the
longest chain of them increasing on both sides is the anchor path. Small documents
compare all against all; larger ones halve both sides (averaging neighbouring
sentence vectors), find the anchors there, and widen the projected path, so the
work stays linear in document length and a long omission on one side cannot fall
outside. ``es`` (n, d) and ``et`` (m, d) are unit sentence vectors.
"""

from __future__ import annotations

import numpy as np

from align.config import AlignConfig, AlignStats
from align.encoders.base import normalise_rows
from align.lattice import Band, corridor, full_band, guide, pair_cells, upscale, widen
from align.signals import pair_similarity


def _halve(vecs: np.ndarray) -> np.ndarray:
    """Unit mean of each pair of consecutive rows: ``(k, d)`` → ``(ceil(k / 2), d)``."""
    if len(vecs) % 2:
        vecs = np.vstack([vecs, vecs[-1:]])
    return normalise_rows(vecs[0::2] + vecs[1::2])


def _group_topk_mean(groups: np.ndarray, values: np.ndarray, size: int, k: int) -> np.ndarray:
    """Mean of the ``k`` largest ``values`` per group id in ``[0, size)``; 0 for empty groups."""
    order = np.lexsort((-values, groups))
    g, v = groups[order], values[order]
    first = np.searchsorted(g, np.arange(size))
    rank = np.arange(len(g)) - first[g]
    keep = rank < k
    sums = np.bincount(g[keep], weights=v[keep], minlength=size)
    counts = np.bincount(g[keep], minlength=size)
    return sums / np.maximum(counts, 1)


def _group_argmax(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Index into ``values`` of each group's maximum, -1 for empty groups."""
    order = np.lexsort((-values, groups))
    g = groups[order]
    first = np.searchsorted(g, np.arange(size))
    present = np.zeros(size, bool)
    present[g] = True
    out = np.full(size, -1, np.int64)
    out[present] = order[first[present]]
    return out


def _longest_chain(pairs: np.ndarray) -> np.ndarray:
    """Longest chain of pairs increasing in both coordinates; ``pairs`` sorted by row."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = np.full(len(pairs), -1, np.int64)
    for k, (_, j) in enumerate(pairs):
        pos = int(np.searchsorted(tails, j, side="left"))
        if pos > 0:
            prev[k] = tail_idx[pos - 1]
        if pos == len(tails):
            tails.append(int(j))
            tail_idx.append(k)
        else:
            tails[pos] = int(j)
            tail_idx[pos] = k
    chain: list[int] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append(k)
        k = int(prev[k])
    return pairs[chain[::-1]] if chain else pairs[:0]


def anchor_band(es: np.ndarray, et: np.ndarray, config: AlignConfig, stats: AlignStats) -> Band:
    """Pass 1: the lattice between consecutive anchors, coarse-to-fine.

    ``es`` (n, d) and ``et`` (m, d) are unit sentence vectors. Returns a band
    on the ``(n + 1) × (m + 1)`` lattice that the true path is expected to follow.
    """
    n, m = len(es), len(et)
    stats.levels += 1
    if max(n, m) <= config.full_grid:
        band = full_band(n, m)
    else:
        coarse = anchor_band(_halve(es), _halve(et), config, stats)
        band = widen(upscale(coarse, n, m), config.anchor_band, m)
    rows, cols = pair_cells(band, n, m)
    sims = pair_similarity(es, et, rows, cols)
    stats.sims_pass1 += len(sims)
    knn_src = _group_topk_mean(rows, sims, n, config.margin_k)
    knn_tgt = _group_topk_mean(cols, sims, m, config.margin_k)
    prior = sims - config.diagonal_prior * np.abs(rows / n - cols / m)
    best_r = _group_argmax(rows, prior, n)
    best_c = _group_argmax(cols, prior, m)
    cand = best_r[best_r >= 0]
    mutual = cand[best_c[cols[cand]] == cand]
    hub = (knn_src[rows[mutual]] + knn_tgt[cols[mutual]]) / 2
    ratio = sims[mutual] / np.maximum(hub, 1e-6)
    keep = mutual[(ratio >= config.anchor_margin) & (sims[mutual] >= config.anchor_min_sim)]
    pairs = np.stack([rows[keep], cols[keep]], axis=1)
    anchors = _longest_chain(pairs[np.argsort(pairs[:, 0], kind="stable")])
    stats.anchors = len(anchors)
    if len(anchors) < config.min_anchors * min(n, m):
        return corridor(band, config.corridor, config.anchor_band)
    return guide(anchors, band, n, m)
