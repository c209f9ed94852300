"""The align stage: sentence beads by dynamic programming, banded around anchors.

Two passes, in the spirit of Vecalign and Bertalign, kept linear in document
length so a 10,000-sentence document costs ten times a 1,000-sentence one:

1. **Anchors.** 1-1 cosine similarities are computed only inside a band of the
   ``(n + 1) × (m + 1)`` lattice. Each sentence's ratio margin (cosine over the
   mean of its ``k`` nearest neighbours both ways, Artetxe & Schwenk 2019) picks
   confident pairs that are each other's best match; the longest increasing
   chain of them is the anchor path. The band is found coarse-to-fine: small
   documents use the whole grid, larger ones halve both sides (averaging
   neighbouring sentence vectors), find anchors there and widen the projected
   path by ``anchor_band``, so a long omission on one side cannot fall outside.
2. **Beads.** The lattice between consecutive anchors, plus ``band`` cells
   around it, is searched by dynamic programming over every bead type. A bead is
   scored on the embedding of its *joined* text (not an average), margin
   adjusted, plus a length-ratio term, minus a size penalty; 0-1 and 1-0 beads
   cost ``skip``.

Shapes: ``n``/``m`` source/target sentences, ``d`` embedding size. A band is one
column interval ``[lo[i], hi[i]]`` per lattice row ``i = 0..n``; its cells are
stored flat, row by row (``off[i]`` is the flat index of ``(i, lo[i])``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from align.types import Bead, join_texts

if TYPE_CHECKING:
    from align.encoders.base import Encoder

_CHUNK = 4096  # pairs per similarity batch: keeps the gathered (chunk, d) arrays small


@dataclass(frozen=True)
class AlignConfig:
    """Every knob of the aligner, in one place.

    Bead shapes: ``max_bead`` is the most sentences on one side; a bead has
    ``a`` source and ``b`` target sentences with ``a, b >= 1`` and
    ``a + b <= max_bead + 1`` (4 → 1-1 … 1-4, 2-3, 3-2, 4-1), or is a 0-1/1-0
    omission. Gains are summed over beads and the best-scoring path wins. A
    bead's gain is

        cos(joined source, joined target)
        - margin_weight × mean cos of each side with the sentences just
          outside the other side (a local margin: how much better this bead is
          than its neighbours)
        - length_weight × δ² / 2, with δ the Gale–Church deviation of the target
          length from the source length × the document's own character ratio,
          at ``length_var`` variance per character
        - bead_penalty × log((a + b) / 2)

    and each 0-1 or 1-0 bead gains ``skip`` (negative).

    Search: ``anchor_margin``/``anchor_min_sim`` are the ratio margin (over the
    ``margin_k`` nearest neighbours both ways) and cosine a mutual-best 1-1
    pair needs to become an anchor; ``anchor_band`` is the half-width
    (sentences) of the pass-1 band around the coarser level's anchor path,
    ``band`` the half-width of the pass-2 band around the anchors; sides up to
    ``full_grid`` sentences are compared all against all.

    ``confidence_slope``/``confidence_mid``: the logistic mapping a gain to a
    confidence in [0, 1].
    """

    max_bead: int = 4
    margin_weight: float = 0.8
    length_weight: float = 0.1
    length_var: float = 30.0
    bead_penalty: float = 0.1
    skip: float = -0.2
    margin_k: int = 4
    anchor_margin: float = 1.1
    anchor_min_sim: float = 0.3
    anchor_band: int = 12
    band: int = 6
    full_grid: int = 64
    confidence_slope: float = 5.0
    confidence_mid: float = -0.1

    def bead_types(self) -> list[tuple[int, int]]:
        """The (source, target) sizes of every bead allowed, omissions first."""
        pairs = [
            (a, b)
            for a in range(1, self.max_bead + 1)
            for b in range(1, self.max_bead + 1)
            if a + b <= self.max_bead + 1
        ]
        return [(1, 0), (0, 1), *pairs]


@dataclass
class AlignStats:
    """Work counters, for checking that the cost grows linearly with the input."""

    sims_pass1: int = 0
    sims_pass2: int = 0
    dp_cells: int = 0
    dp_edges: int = 0
    texts_encoded: int = 0
    encoder_calls: int = 0
    levels: int = 0
    anchors: int = 0


@dataclass
class _Band:
    """Column interval ``[lo[i], hi[i]]`` of lattice row ``i``, both ``(n + 1,)`` int64."""

    lo: np.ndarray
    hi: np.ndarray

    @property
    def off(self) -> np.ndarray:
        """``(n + 2,)`` flat index of each row's first cell, then the cell count."""
        return np.concatenate(([0], np.cumsum(self.hi - self.lo + 1)))

    @property
    def cells(self) -> int:
        return int((self.hi - self.lo + 1).sum())


@dataclass
class _Edges:
    """The beads of one type inside the band, each ``(k,)``, in row-major cell order.

    ``cell``/``pred``: flat index of the bead's end and start cell; ``gain``:
    its score (float64).
    """

    cell: np.ndarray
    pred: np.ndarray
    gain: np.ndarray


def align_texts(
    src: Sequence[str],
    tgt: Sequence[str],
    encoder: Encoder,
    config: AlignConfig = AlignConfig(),
    src_lang: str = "zh",
    tgt_lang: str = "en",
    *,
    stats: AlignStats | None = None,
) -> list[Bead]:
    """Beads covering every source and target sentence once, in order.

    ``src``/``tgt`` are sentences; ``stats``, if given, receives work counters.
    """
    stats = stats if stats is not None else AlignStats()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]

    windows = _Windows(src, tgt, src_lang, tgt_lang, config.max_bead, encoder, stats)
    guide = _anchor_path(windows.src[1], windows.tgt[1], config, stats)
    band = _widen(guide, config.band, m)
    windows.encode_for(band, config)
    edges = _bead_edges(windows, band, config, stats)
    path = _best_path(band, edges, config, stats)
    return _beads(path, edges, band, config)


class _Windows:
    """Embeddings of every run of up to ``max_bead`` consecutive sentences per side.

    ``src[a]`` is ``(n - a + 1, d)``: row ``s`` embeds ``join(src[s : s + a])``;
    rows no bead in the band can use stay zero. Texts are deduplicated and
    encoded in as few calls as possible (one for single sentences, one for runs).
    """

    def __init__(
        self,
        src: Sequence[str],
        tgt: Sequence[str],
        src_lang: str,
        tgt_lang: str,
        max_bead: int,
        encoder: Encoder,
        stats: AlignStats,
    ) -> None:
        self.texts = (list(src), list(tgt))
        self.langs = (src_lang, tgt_lang)
        self.encoder = encoder
        self.stats = stats
        self.max_bead = max_bead
        self.chars = tuple(
            np.concatenate(([0], np.cumsum([len(t) for t in side]))).astype(np.float64)
            for side in self.texts
        )
        single = self._encode(list(src) + list(tgt))
        d = single.shape[1]
        self.src = {1: single[: len(src)]}
        self.tgt = {1: single[len(src) :]}
        for a in range(2, max_bead + 1):
            self.src[a] = np.zeros((max(len(src) - a + 1, 0), d), np.float32)
            self.tgt[a] = np.zeros((max(len(tgt) - a + 1, 0), d), np.float32)

    @property
    def single_src(self) -> np.ndarray:
        return self.src[1]

    @property
    def single_tgt(self) -> np.ndarray:
        return self.tgt[1]

    def _encode(self, texts: list[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        self.stats.encoder_calls += 1
        self.stats.texts_encoded += len(unique)
        vecs = np.asarray(self.encoder.encode(unique), dtype=np.float32)
        where = {t: k for k, t in enumerate(unique)}
        return vecs[[where[t] for t in texts]]

    def encode_for(self, band: _Band, config: AlignConfig) -> None:
        """Embed the runs that some bead inside ``band`` joins, in one encoder call."""
        need_src = {a: np.zeros(len(self.src[a]), bool) for a in range(2, self.max_bead + 1)}
        need_tgt = {b: np.zeros(len(self.tgt[b]), bool) for b in range(2, self.max_bead + 1)}
        for a, b in config.bead_types():
            if a < 1 or b < 1 or (a == 1 and b == 1):
                continue
            rows, cols = _type_cells(band, a, b)[:2]
            if a > 1:
                need_src[a][rows - a] = True
            if b > 1:
                need_tgt[b][cols - b] = True
        jobs: list[tuple[dict[int, np.ndarray], int, int]] = []
        texts: list[str] = []
        for side, need in ((0, need_src), (1, need_tgt)):
            target = self.src if side == 0 else self.tgt
            for size, mask in need.items():
                for start in np.flatnonzero(mask):
                    run = self.texts[side][start : start + size]
                    texts.append(join_texts(run, self.langs[side]))
                    jobs.append((target, size, int(start)))
        if not texts:
            return
        vecs = self._encode(texts)
        for (target, size, start), vec in zip(jobs, vecs, strict=True):
            target[size][start] = vec

    def run_chars(self, side: int, start: np.ndarray, size: int) -> np.ndarray:
        c = self.chars[side]
        return c[start + size] - c[start]


def _pair_sims(a: np.ndarray, b: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Cosine of rows ``a[ia[k]]`` and ``b[ib[k]]`` for each k, as float64 ``(len(ia),)``."""
    out = np.empty(len(ia), np.float64)
    for s in range(0, len(ia), _CHUNK):
        e = s + _CHUNK
        out[s:e] = np.einsum("kd,kd->k", a[ia[s:e]], b[ib[s:e]])
    return out


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + c)`` for each start/count pair."""
    counts = np.maximum(counts, 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(ends - counts, counts)
    return np.repeat(starts, counts) + np.arange(total) - offsets


def _full_band(n: int, m: int) -> _Band:
    return _Band(np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64))


def _finalise(band: _Band, m: int) -> _Band:
    """Clip to the grid and make the band monotone and connected from (0, 0) to (n, m)."""
    lo = np.clip(band.lo, 0, m)
    hi = np.clip(band.hi, 0, m)
    lo[0], hi[-1] = 0, m
    hi = np.maximum.accumulate(hi)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    return _Band(lo, hi)


def _widen(band: _Band, w: int, m: int) -> _Band:
    """Every cell within ``w`` rows and ``w`` columns of ``band``."""
    n = len(band.lo) - 1
    rows = np.arange(n + 1)
    lo = band.lo[np.maximum(rows - w, 0)] - w
    hi = band.hi[np.minimum(rows + w, n)] + w
    return _finalise(_Band(lo, hi), m)


def _upscale(band: _Band, n: int, m: int) -> _Band:
    """A band on the half-resolution lattice projected onto the full one."""
    rows = np.arange(n + 1)
    lo = 2 * band.lo[rows // 2]
    hi = 2 * band.hi[np.minimum((rows + 1) // 2, len(band.hi) - 1)] + 1
    return _finalise(_Band(lo, hi), m)


def _halve(vecs: np.ndarray) -> np.ndarray:
    """Unit mean of each pair of consecutive rows: ``(k, d)`` → ``(ceil(k / 2), d)``."""
    if len(vecs) % 2:
        vecs = np.vstack([vecs, vecs[-1:]])
    out = vecs[0::2] + vecs[1::2]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms > 0, norms, 1)).astype(np.float32)


def _pair_cells(band: _Band, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Sentence pairs ``(i, j)`` whose 1-1 bead ends inside ``band``: ``(k,)`` each."""
    lo = np.maximum(band.lo[1:] - 1, 0)
    hi = np.minimum(band.hi[1:] - 1, m - 1)
    counts = hi - lo + 1
    rows = np.repeat(np.arange(n), np.maximum(counts, 0))
    return rows, _ranges(lo, counts)


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


def _guide(anchors: np.ndarray, band: _Band, n: int, m: int) -> _Band:
    """The lattice cells between consecutive anchors that lie inside ``band``.

    Between anchor ``(i0, j0)`` and the next ``(i1, j1)`` the true path can be
    anywhere in the rectangle rows ``i0+1..i1`` × columns ``j0+1..j1``;
    intersected with the (connected) band this stays linear in size.
    """
    starts = np.vstack([[0, 0], anchors + 1])
    ends = np.vstack([anchors, [n, m]])
    lo = np.empty(n + 1, np.int64)
    hi = np.empty(n + 1, np.int64)
    for (r0, c0), (r1, c1) in zip(starts, ends, strict=True):
        lo[r0 : r1 + 1] = c0
        hi[r0 : r1 + 1] = c1
    lo = np.maximum(lo, band.lo)
    hi = np.minimum(hi, band.hi)
    return _finalise(_Band(lo, np.maximum(hi, lo)), m)


def _anchor_path(
    es: np.ndarray, et: np.ndarray, config: AlignConfig, stats: AlignStats
) -> _Band:
    """Pass 1: the lattice between consecutive anchors, coarse-to-fine.

    ``es`` (n, d) and ``et`` (m, d) are unit sentence vectors. Returns a band
    on the ``(n + 1) × (m + 1)`` lattice that the true path is expected to follow.
    """
    n, m = len(es), len(et)
    stats.levels += 1
    if max(n, m) <= config.full_grid:
        band = _full_band(n, m)
    else:
        coarse = _anchor_path(_halve(es), _halve(et), config, stats)
        band = _widen(_upscale(coarse, n, m), config.anchor_band, m)
    rows, cols = _pair_cells(band, n, m)
    sims = _pair_sims(es, et, rows, cols)
    stats.sims_pass1 += len(sims)
    knn_src = _group_topk_mean(rows, sims, n, config.margin_k)
    knn_tgt = _group_topk_mean(cols, sims, m, config.margin_k)
    best_r = _group_argmax(rows, sims, n)
    best_c = _group_argmax(cols, sims, m)
    cand = best_r[best_r >= 0]
    mutual = cand[best_c[cols[cand]] == cand]
    hub = (knn_src[rows[mutual]] + knn_tgt[cols[mutual]]) / 2
    ratio = sims[mutual] / np.maximum(hub, 1e-6)
    keep = mutual[(ratio >= config.anchor_margin) & (sims[mutual] >= config.anchor_min_sim)]
    pairs = np.stack([rows[keep], cols[keep]], axis=1)
    anchors = _longest_chain(pairs[np.argsort(pairs[:, 0], kind="stable")])
    stats.anchors = len(anchors)
    return _guide(anchors, band, n, m)


def _type_cells(band: _Band, a: int, b: int) -> tuple[np.ndarray, ...]:
    """Cells ``(i, j)`` of ``band`` reachable by an ``a``-``b`` bead from a band cell.

    Returns rows, columns, the flat cell index and the predecessor's flat index.
    """
    n = len(band.lo) - 1
    off = band.off
    rows = np.arange(a, n + 1)
    lo = np.maximum(band.lo[rows], band.lo[rows - a] + b)
    hi = np.minimum(band.hi[rows], band.hi[rows - a] + b)
    counts = np.maximum(hi - lo + 1, 0)
    r = np.repeat(rows, counts)
    c = _ranges(lo, counts)
    cell = off[r] + c - band.lo[r]
    pred = off[r - a] + (c - b) - band.lo[r - a]
    return r, c, cell, pred


def _bead_edges(
    windows: _Windows, band: _Band, config: AlignConfig, stats: AlignStats
) -> list[_Edges]:
    """Pass 2 scores: every bead of every type whose start and end lie in ``band``."""
    ratio = windows.chars[1][-1] / max(windows.chars[0][-1], 1.0)
    edges = []
    for a, b in config.bead_types():
        r, c, cell, pred = _type_cells(band, a, b)
        if a == 0 or b == 0:
            edges.append(_Edges(cell, pred, np.full(len(cell), config.skip)))
            continue
        s0, t0 = r - a, c - b
        sim, hub = _similarities(windows, a, b, s0, t0)
        stats.sims_pass2 += len(sim)
        ls = windows.run_chars(0, s0, a) * ratio
        lt = windows.run_chars(1, t0, b)
        delta2 = (lt - ls) ** 2 / (config.length_var * (ls + lt + 2) / 2)
        gain = (
            sim
            - config.margin_weight * hub
            - config.length_weight * delta2 / 2
            - config.bead_penalty * math.log((a + b) / 2)
        )
        edges.append(_Edges(cell, pred, gain))
    return edges


def _similarities(
    w: _Windows, a: int, b: int, s0: np.ndarray, t0: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and local margin of ``a``-``b`` beads starting at sentences ``s0``/``t0`` (k,).

    The margin is Bertalign's: the mean cosine of each side's joined vector with
    the single sentences just before and just after the other side.
    """
    sim = np.empty(len(s0))
    hub = np.empty(len(s0))
    for lo in range(0, len(s0), _CHUNK):
        s, t = s0[lo : lo + _CHUNK], t0[lo : lo + _CHUNK]
        sv, tv = w.src[a][s], w.tgt[b][t]
        sim[lo : lo + _CHUNK] = np.einsum("kd,kd->k", sv, tv)
        total = np.zeros(len(s))
        count = np.zeros(len(s))
        for vec, other, idx in (
            (sv, w.tgt[1], t - 1),
            (sv, w.tgt[1], t + b),
            (tv, w.src[1], s - 1),
            (tv, w.src[1], s + a),
        ):
            ok = (idx >= 0) & (idx < len(other))
            total[ok] += np.einsum("kd,kd->k", vec[ok], other[idx[ok]])
            count[ok] += 1
        hub[lo : lo + _CHUNK] = total / np.maximum(count, 1)
    return sim, hub


def _best_path(
    band: _Band, edges: list[_Edges], config: AlignConfig, stats: AlignStats
) -> list[tuple[int, int, int]]:
    """The highest-gain monotone path from (0, 0) to (n, m) inside ``band``.

    Rows are filled in order; within a row, 0-1 beads (a constant ``skip`` each)
    are folded in with one running maximum. Returns ``(type, end row, end col)``
    per bead, in order.
    """
    types = config.bead_types()
    skip_t = types.index((0, 1))
    n = len(band.lo) - 1
    off = band.off
    score = np.full(int(off[-1]), -np.inf)
    back = np.full(int(off[-1]), -1, np.int8)
    bounds = [np.searchsorted(e.cell, off) for e in edges]
    stats.dp_cells += int(off[-1])
    stats.dp_edges += sum(len(e.cell) for e in edges)
    for i in range(n + 1):
        s, e = int(off[i]), int(off[i + 1])
        best = np.full(e - s, -np.inf)
        arg = np.full(e - s, -1, np.int8)
        if i == 0:
            best[0] = 0.0
        for t, (a, _) in enumerate(types):
            k0, k1 = bounds[t][i], bounds[t][i + 1]
            if a == 0 or k0 == k1:
                continue
            ed = edges[t]
            cand = score[ed.pred[k0:k1]] + ed.gain[k0:k1]
            loc = ed.cell[k0:k1] - s
            better = cand > best[loc]
            best[loc[better]] = cand[better]
            arg[loc[better]] = t
        steps = np.arange(e - s) * config.skip
        run = np.maximum.accumulate(best - steps) + steps
        moved = run > best + 1e-9
        arg[moved] = skip_t
        score[s:e] = np.where(moved, run, best)
        back[s:e] = arg
    path: list[tuple[int, int, int]] = []
    i, j = n, int(band.hi[n])
    while i > 0 or j > 0:
        t = int(back[off[i] + j - band.lo[i]])
        path.append((t, i, j))
        a, b = types[t]
        i, j = i - a, j - b
    return path[::-1]


def _beads(
    path: list[tuple[int, int, int]], edges: list[_Edges], band: _Band, config: AlignConfig
) -> list[Bead]:
    """Beads with confidences; an omission is as sure as its best 1-1 alternative is bad."""
    types = config.bead_types()
    off = band.off
    n, m = len(band.lo) - 1, int(band.hi[-1])
    one = edges[types.index((1, 1))]
    rows = np.searchsorted(off, one.cell, side="right") - 1
    cols = one.cell - off[rows] + band.lo[rows]
    best_src = np.full(n + 1, -np.inf)
    best_tgt = np.full(m + 1, -np.inf)
    np.maximum.at(best_src, rows, one.gain)
    np.maximum.at(best_tgt, cols, one.gain)
    out: list[Bead] = []
    for t, i, j in path:
        a, b = types[t]
        if a and b:
            ed = edges[t]
            gain = float(ed.gain[np.searchsorted(ed.cell, off[i] + j - band.lo[i])])
            conf = confidence(gain, config)
        else:
            alt = best_src[i] if a else best_tgt[j]
            conf = 1.0 - confidence(float(alt), config) if np.isfinite(alt) else 1.0
        out.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), conf))
    return out


def confidence(gain: float, config: AlignConfig) -> float:
    """A bead's gain mapped to [0, 1] by a logistic; to be calibrated on gold data."""
    x = config.confidence_slope * (gain - config.confidence_mid)
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))
