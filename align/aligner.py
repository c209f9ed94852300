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
   scored by the weighted signals of :mod:`align.signals`: the cosine of its
   runs' vectors (each mostly its *joined* text's embedding, blended with the
   mean of its sentences'), local margins, a length term,
   a size penalty, numbers that must match. Omissions (0-1 and 1-0 beads) cost
   like gaps in sequence alignment: ``gap_open`` once per run of them plus
   ``gap_extend`` per sentence, so a paragraph missing on one side is skipped as
   a block instead of being spread over its neighbours' beads.
3. **Confidence.** The same programme with sums in place of maxima, forwards
   and backwards (each path weighted ``exp(gain / T)``), gives every bead of
   the best path its posterior: its share of all paths, so a bead with close
   rivals, one or many, is unsure. That and the bead's signals go through a
   logistic fitted on gold beads (:class:`align.signals.Calibration`).

Each distinct text is encoded once per document: the sentences in one encoder
call, then the runs (joined texts of consecutive sentences) that the beads of a
first lattice, which takes each run as the mean of its sentences, make likely;
a path or a stray test that needs another run encodes it in a call of its own.
Runs go to the encoder as their sentences (:func:`align.encoders.base.encode_joined`),
so USE-m3 builds most of them from its sentences' token rows instead of reading the
joined text again (:mod:`align.encoders.use_runs`; the same vectors).

This module encodes, scores and reads the path into beads; pass 1 is
:mod:`align.anchors`, the lattice, its band and the dynamic programme
:mod:`align.lattice`, every setting :mod:`align.config`.
Shapes: ``n``/``m`` source/target sentences, ``d`` embedding size; bands and flat
cell indices as in :mod:`align.lattice`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from align import lexicon, quotes, signals
from align.anchors import anchor_band
from align.config import AlignConfig, AlignStats
from align.encoders.base import encodable, encode_joined, normalise_rows
from align.errors import ModelNotAvailable
from align.hanzi import as_simplified
from align.lattice import (
    Band,
    Edges,
    Lattice,
    best_path,
    pair_cells,
    path_gains,
    ranges,
    type_cells,
    widen,
)
from align.segmenters.base import shortest_piece
from align.types import Bead, BeadIds, join_texts, separator

__all__ = ["AlignConfig", "AlignStats", "align_texts", "align_with_evidence"]

T = TypeVar("T")

if TYPE_CHECKING:
    from align.encoders.base import Encoder

_CHUNK = 4096
"""Beads scored per batch: keeps the arrays of their signals small."""

Runs = dict[tuple[int, int], np.ndarray]
"""``(side, size)`` → the first sentences of runs of ``size`` sentences of ``side``
(0 source, 1 target), ``(k,)`` int64."""


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
    return align_with_evidence(src, tgt, encoder, config, src_lang, tgt_lang, stats=stats)[0]


def align_with_evidence(
    src: Sequence[str],
    tgt: Sequence[str],
    encoder: Encoder,
    config: AlignConfig = AlignConfig(),
    src_lang: str = "zh",
    tgt_lang: str = "en",
    *,
    stats: AlignStats | None = None,
) -> tuple[list[Bead], list[dict[str, float]]]:
    """:func:`align_texts`, plus each bead's evidence (what its confidence is computed from).

    The evidence is what ``benchmarks/fit_confidence.py`` calibrates on.
    """
    stats = stats if stats is not None else AlignStats()
    src, tgt = as_simplified(src, src_lang), as_simplified(tgt, tgt_lang)
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        beads = [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
        return beads, [{} for _ in beads]

    windows = _Windows(
        src, tgt, src_lang, tgt_lang, config.max_bead, encoder, stats, bool(config.weights.leak)
    )
    around = anchor_band(windows.src[1], windows.tgt[1], config, stats)
    band = widen(around, config.band, m)
    if config.weights.leak:
        windows.boundary_matches(band)
    if config.weights.lexicon:
        windows.lexical_pairs(band)
    edges = windows.encode_for(band, config, stats)
    path = best_path(band, edges, config, stats)
    while fresh := windows.encode_runs(_path_runs(path, config), config):
        edges = _rescored(edges, fresh, windows, band, config, stats)
        path = best_path(band, edges, config, stats)
    windows.encode_runs(_path_runs(path, config, ends=True), config)
    gains = path_gains(band, edges, path)
    lattice = Lattice.of(band, edges, config)
    posterior = lattice.posteriors(path)
    rivals = lattice.alternatives(path, config.alternative)
    beads, evidence = _beads(path, gains, posterior, rivals, windows, config)
    beads, evidence = _grow(beads, evidence, windows, config)
    return _pair_moved(beads, evidence, windows, config)


class _Windows:
    """Embeddings of every run of up to ``max_bead`` consecutive sentences per side.

    ``src[a]`` is ``(n - a + 1, d)``: row ``s`` embeds ``join(src[s : s + a])``
    where ``joined[0][a][s]`` (``tgt`` and ``joined[1]`` likewise), else holds the
    mean of its sentences (a run that no likely bead joins), or zero (one that no
    bead in the band joins). ``clauses[side]`` is ``(2, n, d)``:
    the first (0) and last (1) clause of each sentence, where ``has_clause[side]``
    (``(2, n)``) says it has one (:func:`align.signals.edge_clauses`). Texts are
    deduplicated and encoded in as few calls as possible (one for sentences and
    clauses, one per side for the likely runs).
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
        clauses: bool = False,
    ) -> None:
        self.texts = (list(src), list(tgt))
        self._readable = tuple([encodable(t) for t in side] for side in self.texts)
        self.langs = (src_lang, tgt_lang)
        self.encoder = encoder
        self.stats = stats
        self.max_bead = max_bead
        self.chars = tuple(
            np.concatenate(([0], np.cumsum([len(t) for t in side]))).astype(np.float64)
            for side in self.texts
        )
        self.ratio = signals.length_ratio(
            [len(t) for t in self.texts[0]],
            [len(t) for t in self.texts[1]],
            floors=(shortest_piece(src_lang), shortest_piece(tgt_lang)),
        )
        self.lex: np.ndarray | None = None
        self._quotes: dict[tuple[int, int], np.ndarray] = {}
        self.tokens = (signals.token_counts(self.texts[0]), signals.token_counts(self.texts[1]))
        edges = [self._edge_texts(side) if clauses else [] for side in (0, 1)]
        readable = [*self._readable[0], *self._readable[1]]
        readable += [encodable(text) for side in edges for _, _, text in side]
        self._width: int | None = None
        single = self._once(readable, readable, self.encoder.encode)
        d = single.shape[1]
        n, m = len(src), len(tgt)
        self.src = {1: single[:n]}
        self.tgt = {1: single[n : n + m]}
        self.clauses = [np.zeros((2, size, d), np.float32) for size in (n, m)]
        self.has_clause = [np.zeros((2, size), bool) for size in (n, m)]
        row = n + m
        for side in (0, 1):
            for i, end, _ in edges[side]:
                self.clauses[side][end, i] = single[row]
                self.has_clause[side][end, i] = True
                row += 1
        self.joined: tuple[dict[int, np.ndarray], dict[int, np.ndarray]] = ({}, {})
        for a in range(2, max_bead + 1):
            self.src[a] = np.zeros((max(n - a + 1, 0), d), np.float32)
            self.tgt[a] = np.zeros((max(m - a + 1, 0), d), np.float32)
            self.joined[0][a] = np.zeros(len(self.src[a]), bool)
            self.joined[1][a] = np.zeros(len(self.tgt[a]), bool)

    def _edge_texts(self, side: int) -> list[tuple[int, int, str]]:
        """``(sentence, 0 for the first clause or 1 for the last, clause)`` of ``side``."""
        out = []
        for i, text in enumerate(self.texts[side]):
            for end, clause in enumerate(signals.edge_clauses(text, self.langs[side])):
                if clause is not None:
                    out.append((i, end, clause))
        return out

    def boundary_matches(self, band: Band) -> None:
        """``across``, ``(cells, 4)``: at each cell ``(i, j)`` of ``band``, the cosine of the
        edge clauses next to its cut (source ``i``'s first, source ``i - 1``'s last, target
        ``j``'s first, target ``j - 1``'s last) with the other side's sentence across the
        cut, or with that sentence's clause facing the cut, whichever is higher; NaN
        where there is no such clause or sentence. A bead reads its first and third
        column at its start cell and the other two at its end cell, whatever its size."""
        self.band = band
        counts = band.hi - band.lo + 1
        i = np.repeat(np.arange(len(counts)), counts)
        j = ranges(band.lo, counts)
        self.across = np.full((band.cells, 4), np.nan)
        for col, (side, end, idx, nb) in enumerate(
            ((0, 0, i, j - 1), (0, 1, i - 1, j), (1, 0, j, i - 1), (1, 1, j - 1, i))
        ):
            n, other = len(self.texts[side]), self.tgt[1] if side == 0 else self.src[1]
            ok = (idx >= 0) & (idx < n) & (nb >= 0) & (nb < len(other))
            ok[ok] = self.has_clause[side][end, idx[ok]]
            cells = np.flatnonzero(ok)
            mine, near = idx[cells], nb[cells]
            clauses, facing_clauses = self.clauses[side][end], self.clauses[1 - side][1 - end]
            whole = signals.pair_similarity(clauses, other, mine, near)
            facing = signals.pair_similarity(clauses, facing_clauses, mine, near)
            faces = self.has_clause[1 - side][1 - end, near]
            self.across[cells, col] = np.where(faces, np.maximum(whole, facing), whole)

    def edge_matches(
        self, a: int, b: int, s0: np.ndarray, t0: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cosines of the ``a``-``b`` beads' edge clauses with what lies across the bead's
        boundary (:meth:`boundary_matches`, read at its start and end cells) and with the
        bead's own other side (its run vector): two ``(k, 4)`` arrays, NaN where there is
        no clause or no such sentence (see :func:`align.signals.leak`)."""
        off, lo = self.band.off, self.band.lo
        start = off[s0] + t0 - lo[s0]
        stop = off[s0 + a] + t0 + b - lo[s0 + a]
        across = np.stack(
            [
                self.across[start, 0],
                self.across[stop, 1],
                self.across[start, 2],
                self.across[stop, 3],
            ],
            axis=1,
        )
        own = np.empty((len(s0), 4))
        for cols, (side, first, last, runs, mine) in (
            (slice(0, 2), (0, s0, s0 + a - 1, self.tgt[b], t0)),
            (slice(2, 4), (1, t0, t0 + b - 1, self.src[a], s0)),
        ):
            clauses = self.clauses[side]
            n = clauses.shape[1]
            cosine = signals.pair_similarity(
                clauses.reshape(2 * n, clauses.shape[2]),
                runs,
                np.concatenate((first, n + last)),
                np.tile(mine, 2),
            )
            own[:, cols] = cosine.reshape(2, -1).T
        return across, np.where(np.isnan(across), np.nan, own)

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts`` (made :func:`~align.encoders.base.encodable` first)."""
        readable = [encodable(t) for t in texts]
        return self._once(readable, readable, self.encoder.encode)

    def _encode_runs(self, side: int, runs: list[list[int]]) -> np.ndarray:
        """Vectors of the joined texts of ``runs`` (sentence indices of ``side``, made
        encodable once in ``__init__``); the encoder may build them from its sentences'
        work (:func:`align.encoders.base.encode_joined`)."""
        sep, sentences = separator(self.langs[side]), self._readable[side]
        parts = [[sentences[i] for i in run] for run in runs]
        joined = [sep.join(p) for p in parts]
        return self._once(joined, parts, lambda unique: encode_joined(self.encoder, unique, sep))

    def _once(
        self, texts: list[str], items: list[T], encode: Callable[[list[T]], np.ndarray]
    ) -> np.ndarray:
        """Vectors of ``texts`` from one ``encode`` call on the items of the distinct
        ones, counted in :attr:`stats`."""
        where: dict[str, int] = {}
        unique: list[T] = []
        for text, item in zip(texts, items, strict=True):
            if text not in where:
                where[text] = len(unique)
                unique.append(item)
        self.stats.encoder_calls += 1
        self.stats.texts_encoded += len(unique)
        vecs = self._checked(encode(unique), len(unique))
        return vecs[[where[t] for t in texts]]

    def _checked(self, output: object, count: int) -> np.ndarray:
        """The encoder's ``output`` for ``count`` texts as float32, refused as
        ``ModelNotAvailable`` unless it is one finite row a text, every call as wide as the
        first: a user's own encoder that got it wrong failed with an IndexError, or aligned
        on NaN, deep inside the lattice."""
        width = self._width
        if count == 0:  # nothing asked: whatever shape an encoder gives for no texts
            return np.zeros((0, width or 0), dtype=np.float32)
        expected = f"({count}, {width if width is not None else 'dim'})"
        name = getattr(self.encoder, "name", type(self.encoder).__name__)
        fix = "its encode(texts) must return one finite row a text, every row one width"
        try:
            vecs = np.asarray(output, dtype=np.float32)
        except (TypeError, ValueError) as err:
            raise ModelNotAvailable(
                f"encoder {name} returned rows of unequal width or not numbers for {count} "
                f"texts, expected an array of shape {expected}: {fix}"
            ) from err
        wide = vecs.ndim == 2 and vecs.shape[1] > 0 and vecs.shape[1] == (width or vecs.shape[1])
        if not wide or len(vecs) != count:
            earlier = ", as wide as its earlier rows" if width is not None else ""
            raise ModelNotAvailable(
                f"encoder {name} returned shape {vecs.shape} for {count} texts, expected "
                f"{expected}{earlier}: {fix}"
            )
        bad = int(np.count_nonzero(~np.isfinite(vecs).all(axis=1)))
        if bad:
            raise ModelNotAvailable(
                f"encoder {name} returned {bad} of {count} rows with NaN or infinite values, "
                f"expected finite numbers: {fix}"
            )
        self._width = vecs.shape[1]
        return vecs

    def encode_for(self, band: Band, config: AlignConfig, stats: AlignStats) -> list[Edges]:
        """Embed the runs the beads inside ``band`` join, and score those beads: all
        the runs, or, with ``config.prune``, those of the beads a first lattice finds likely.

        That first lattice takes every run as the mean of its sentences (what
        :func:`_run_vectors` blends with the joined text), which costs no encoding;
        the other runs keep that mean. Joined runs are most of the encoder's work
        (a five-sentence run is five sentences' worth of text), and all but a few
        of them belong to beads no path comes near. On the three gold sets, also with
        sentences cut, 1e-5 gives the same beads as encoding every run, confidences
        within 0.006, for 3.5 texts encoded per sentence instead of 6.25 (1e-6: within
        0.0011; 1e-4: within 0.05, in 13% less time than 1e-6).
        """
        need = _runs_of(band, config)
        if config.prune is None:
            self.encode_runs(need, config)
            return _bead_edges(self, band, config, stats)
        for (side, size), starts in need.items():
            runs = self.src if side == 0 else self.tgt
            runs[size][starts] = _sentence_means(runs[1], starts, size)
        edges = _bead_edges(self, band, config, stats)
        fresh = self.encode_runs(_likely_runs(band, edges, config), config)
        return _rescored(edges, fresh, self, band, config, stats)

    def encode_runs(self, runs: Runs, config: AlignConfig) -> Runs:
        """Embed the joined text of every run in ``runs`` not embedded yet, in one encoder
        call, and blend it into the run's vector (:func:`_run_vectors`): the runs that were."""
        todo: Runs = {}
        for (side, size), starts in runs.items():
            fresh = starts[~self.joined[side][size][starts]]
            if len(fresh):
                todo[side, size] = fresh
        for side in (0, 1):
            mine = [(size, starts) for (s, size), starts in todo.items() if s == side]
            if not mine:
                continue
            vecs = self._encode_runs(
                side, [list(range(k, k + size)) for size, starts in mine for k in starts.tolist()]
            )
            row, target = 0, self.src if side == 0 else self.tgt
            for size, starts in mine:
                target[size][starts] = _run_vectors(
                    vecs[row : row + len(starts)], target[1], starts, size, config.joined
                )
                self.joined[side][size][starts] = True
                row += len(starts)
        return todo

    def quote_states(self, side: int, size: int) -> np.ndarray:
        """``(n - size + 1,)`` :data:`align.signals.QUOTE_STATES` of every run of ``size``
        sentences of ``side``; only runs with a quotation mark are read."""
        key = (side, size)
        if key not in self._quotes:
            texts, lang = self.texts[side], self.langs[side]
            marked = np.concatenate(([0], np.cumsum([quotes.has_quote(t) for t in texts])))
            states = np.zeros(max(len(texts) - size + 1, 0), np.int8)
            for s in np.flatnonzero(marked[size:] - marked[: len(states)]):
                state = quotes.quotation_state(join_texts(texts[s : s + size], lang))
                states[s] = signals.QUOTE_STATES[state]
            self._quotes[key] = states
        return self._quotes[key]

    def run_chars(self, side: int, start: np.ndarray, size: int) -> np.ndarray:
        c = self.chars[side]
        return c[start + size] - c[start]

    def lexical_pairs(self, band: Band) -> None:
        """Dictionary matches of every sentence pair whose 1-1 bead ends inside ``band``."""
        self.band = band
        bags = lexicon.sentence_bags(self.texts[0], self.texts[1], *self.langs)
        self.lex = None
        if bags is None:
            return
        src_bags, tgt_bags, src_words, tgt_words = bags
        n, m = len(self.texts[0]), len(self.texts[1])
        rows, cols = pair_cells(band, n, m)
        flat = np.zeros(band.cells)
        off = band.off
        flat[off[rows + 1] + cols + 1 - band.lo[rows + 1]] = [
            len(src_bags[i] & tgt_bags[j])
            for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        ]
        self.lex = flat
        self.lex_words = (
            np.concatenate(([0], np.cumsum(src_words))).astype(np.float64),
            np.concatenate(([0], np.cumsum(tgt_words))).astype(np.float64),
        )

    def lexical_matches(self, s0: np.ndarray, t0: np.ndarray, a: int, b: int) -> np.ndarray:
        """Dictionary matches summed over the sentence pairs of each ``a``-``b`` bead."""
        band, off = self.band, self.band.off
        total = np.zeros(len(s0))
        assert self.lex is not None
        for k in range(a):
            r = s0 + k + 1
            for q in range(b):
                c = t0 + q + 1
                inside = (c >= band.lo[r]) & (c <= band.hi[r])
                idx = np.where(inside, off[r] + c - band.lo[r], 0)
                total += np.where(inside, self.lex[idx], 0.0)
        return total

    def skip_gain(self, side: int, index: np.ndarray, config: AlignConfig) -> np.ndarray:
        """Gain of leaving sentences ``index`` of ``side`` unaligned: ``gap_extend`` plus tokens."""
        gain = np.full(len(index), config.gap_extend)
        if config.weights.tokens:
            counts = self.tokens[side][index + 1] - self.tokens[side][index]
            gain += config.weights.tokens * signals.tokens(counts, np.zeros_like(counts))
        return gain


def _run_vectors(
    joined: np.ndarray, single: np.ndarray, starts: np.ndarray, size: int, share: float
) -> np.ndarray:
    """Unit blend of each run's joined-text embedding ``(k, d)`` (weight ``share``) with
    the unit mean of its ``size`` sentences' rows of ``single`` ``(n, d)`` (the rest).

    Neither alone scores best: F1 strict on MAC-Dev / pol-dev / Text+Berg is
    0.921 / 0.989 / 0.916 with the joined text alone, 0.898 / 0.986 / 0.901 with
    the mean alone and 0.920 / 0.993 / 0.922 with ``share`` 0.7 (the ablation in
    BENCHMARKS.md; 0.65 to 0.75 score the same, 0.55 and 0.8 lower).
    """
    if share >= 1.0 or not len(starts):
        return joined
    return normalise_rows(share * joined + (1.0 - share) * _sentence_means(single, starts, size))


def _sentence_means(single: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """Unit mean of the ``size`` sentence vectors of ``single`` from each of ``starts``."""
    return normalise_rows(sum(single[starts + k] for k in range(size)))


def _bead_edges(
    windows: _Windows, band: Band, config: AlignConfig, stats: AlignStats
) -> list[Edges]:
    """Pass 2 scores: every bead of every type whose start and end lie in ``band``."""
    edges = []
    for a, b in config.bead_types():
        r, c, cell, pred = type_cells(band, a, b)
        if a == 0:
            gain = windows.skip_gain(1, c - 1, config)
        elif b == 0:
            gain = windows.skip_gain(0, r - 1, config)
        else:
            gain = _gains(windows, a, b, r - a, c - b, config, stats)
        edges.append(Edges(cell, pred, gain))
    return edges


def _gains(
    w: _Windows,
    a: int,
    b: int,
    s0: np.ndarray,
    t0: np.ndarray,
    config: AlignConfig,
    stats: AlignStats,
) -> np.ndarray:
    """The gain of the ``a``-``b`` beads starting at sentences ``s0``/``t0`` (each (k,))."""
    gain = np.empty(len(s0))
    for lo in range(0, len(s0), _CHUNK):
        part = slice(lo, lo + _CHUNK)
        gain[part] = config.weights.combine(_bead_signals(w, a, b, s0[part], t0[part], config))
    stats.sims_pass2 += len(s0)
    return gain


def _rescored(
    edges: list[Edges],
    fresh: Runs,
    windows: _Windows,
    band: Band,
    config: AlignConfig,
    stats: AlignStats,
) -> list[Edges]:
    """``edges`` with the beads that join a run of ``fresh`` (just encoded) scored anew."""
    out = list(edges)
    for t, (a, b) in enumerate(config.bead_types()):
        if not _joins_runs(a, b):
            continue
        r, c = type_cells(band, a, b)[:2]
        s0, t0 = r - a, c - b
        hit = np.zeros(len(s0), bool)
        for side, size, starts in ((0, a, s0), (1, b, t0)):
            if (side, size) in fresh:
                hit |= np.isin(starts, fresh[side, size])
        if hit.any():
            gain = edges[t].gain.copy()
            gain[hit] = _gains(windows, a, b, s0[hit], t0[hit], config, stats)
            out[t] = Edges(edges[t].cell, edges[t].pred, gain)
    return out


def _bead_signals(
    w: _Windows, a: int, b: int, s0: np.ndarray, t0: np.ndarray, config: AlignConfig
) -> dict[str, np.ndarray]:
    """Every signal of the ``a``-``b`` beads starting at sentences ``s0``/``t0`` (each (k,))."""
    neighbours = np.empty((len(s0), 4))
    for cols, (runs, mine, other, before, after) in (
        (slice(0, 2), (w.src[a], s0, w.tgt[1], t0 - 1, t0 + b)),
        (slice(2, 4), (w.tgt[b], t0, w.src[1], s0 - 1, s0 + a)),
    ):
        idx = np.stack((before, after), axis=1)
        ok = (idx >= 0) & (idx < len(other))
        sims = signals.pair_similarity(
            runs, other, np.repeat(mine, 2), np.clip(idx, 0, len(other) - 1).ravel()
        )
        neighbours[:, cols] = np.where(ok, sims.reshape(-1, 2), np.nan)
    weights = config.weights
    values = {
        "similarity": signals.pair_similarity(w.src[a], w.tgt[b], s0, t0),
        "margin": signals.margin(neighbours),
        "nearest": signals.nearest(neighbours),
        "length": signals.length(
            w.run_chars(0, s0, a), w.run_chars(1, t0, b), w.ratio, config.length_var
        ),
        "size": np.full(len(s0), signals.size(a, b)),
    }
    if weights.tokens:
        values["tokens"] = signals.tokens(
            w.tokens[0][s0 + a] - w.tokens[0][s0], w.tokens[1][t0 + b] - w.tokens[1][t0]
        )
    if weights.lexicon and w.lex is not None:
        values["lexicon"] = signals.lexicon(
            w.lexical_matches(s0, t0, a, b),
            w.lex_words[0][s0 + a] - w.lex_words[0][s0],
            w.lex_words[1][t0 + b] - w.lex_words[1][t0],
        )
    elif weights.lexicon:
        values["lexicon"] = np.zeros(len(s0))
    if weights.leak:
        values["leak"] = signals.leak(*w.edge_matches(a, b, s0, t0))
    if weights.quotes:
        values["quotes"] = signals.quotes(w.quote_states(0, a)[s0], w.quote_states(1, b)[t0])
    return values


def _runs_of(band: Band, config: AlignConfig, keep: list[np.ndarray] | None = None) -> Runs:
    """The runs that the beads inside ``band`` join; with ``keep`` (per bead type, a mask
    over its beads in :func:`type_cells` order), only the kept beads'."""
    found: dict[tuple[int, int], list[np.ndarray]] = {}
    for t, (a, b) in enumerate(config.bead_types()):
        if not _joins_runs(a, b):
            continue
        rows, cols = type_cells(band, a, b)[:2]
        if keep is not None:
            rows, cols = rows[keep[t]], cols[keep[t]]
        for side, size, starts in ((0, a, rows - a), (1, b, cols - b)):
            if size > 1:
                found.setdefault((side, size), []).append(starts)
    return {key: np.unique(np.concatenate(parts)).astype(np.int64) for key, parts in found.items()}


def _likely_runs(band: Band, edges: list[Edges], config: AlignConfig) -> Runs:
    """The runs of the many-sentence beads with at least ``config.prune`` of the paths."""
    lattice = Lattice.of(band, edges, config)
    least = math.log(config.prune) if config.prune else -math.inf
    return _runs_of(band, config, [lattice.log_shares(e) >= least for e in lattice.edges])


def _joins_runs(a: int, b: int) -> bool:
    """Whether an ``a``-``b`` bead has both sides and two or more sentences on one."""
    return a >= 1 and b >= 1 and a + b > 2


def _path_runs(path: list[tuple[int, int, int]], config: AlignConfig, ends: bool = False) -> Runs:
    """The runs of the path's many-sentence beads, or (``ends``) those runs less their
    first or their last sentence, which the stray test reads (:func:`_stray`)."""
    types = config.bead_types()
    found: dict[tuple[int, int], set[int]] = {}
    for t, i, j in path:
        a, b = types[t]
        if not (a and b):
            continue
        for side, size, start in ((0, a, i - a), (1, b, j - b)):
            if ends and size > 2:
                found.setdefault((side, size - 1), set()).update((start, start + 1))
            elif not ends and size > 1:
                found.setdefault((side, size), set()).add(start)
    return {key: np.array(sorted(starts), dtype=np.int64) for key, starts in found.items()}


def _beads(
    path: list[tuple[int, int, int]],
    gains: list[float],
    posterior: list[float],
    rivals: list[BeadIds | None],
    windows: _Windows,
    config: AlignConfig,
) -> tuple[list[Bead], list[dict[str, float]]]:
    """Beads with their evidence, calibrated confidence and likeliest alternative."""
    types = config.bead_types()
    beads: list[Bead] = []
    evidence: list[dict[str, float]] = []
    for (t, i, j), gain, prob, rival in zip(path, gains, posterior, rivals, strict=True):
        a, b = types[t]
        facts = {
            "gain": gain,
            "posterior": signals.log_odds(prob),
            "omission": float(a == 0 or b == 0),
            "many": float(a + b > 2),
        }
        if a and b:
            one = _bead_signals(windows, a, b, np.array([i - a]), np.array([j - b]), config)
            facts.update({k: float(v[0]) for k, v in one.items()})
        beads.append(
            Bead(
                tuple(range(i - a, i)),
                tuple(range(j - b, j)),
                config.calibration.confidence(facts),
                facts.get("similarity"),
                _stray(windows, a, b, i - a, j - b, config) if a and b else None,
                rival,
            )
        )
        evidence.append(facts)
    return beads, evidence


def _stray(
    w: _Windows, a: int, b: int, s0: int, t0: int, config: AlignConfig
) -> tuple[str, int] | None:
    """The end sentence of a many-sentence side that the bead is better off without.

    For the first and the last sentence of each side with two or more: how much
    the rest of that side gains in similarity to the other side by dropping it,
    minus the sentence's own similarity to the other side, all on the joined
    texts' own embeddings (:func:`_joined_vector`). The highest score above
    ``config.stray`` names the sentence. On the three gold sets, -0.1 names the
    omitted sentence in 8 of the 25 many-sentence beads that swallowed a gold
    omission, and names something in 50 of the 792 right many-sentence beads
    (7 and 58 on the blended run vectors).
    """
    share = config.joined
    whole = (_joined_vector(w.src, a, s0, share), _joined_vector(w.tgt, b, t0, share))
    base = float(whole[0] @ whole[1])
    best, found = config.stray, None
    for side, size, start, runs, other in (
        (0, a, s0, w.src, whole[1]),
        (1, b, t0, w.tgt, whole[0]),
    ):
        if size < 2:
            continue
        for drop, rest_start in ((start, start + 1), (start + size - 1, start)):
            rest = _joined_vector(runs, size - 1, rest_start, share)
            score = float(rest @ other) - base - float(runs[1][drop] @ other)
            if score > best:
                best, found = score, ("src" if side == 0 else "tgt", drop)
    return found


def _joined_vector(runs: dict[int, np.ndarray], size: int, start: int, share: float) -> np.ndarray:
    """A run's joined-text embedding, taken back out of its blended vector.

    ``runs[size][start]`` is ``B = (share·J + (1 - share)·M) / c``, ``J`` the joined
    text's unit embedding and ``M`` the unit mean of its sentences
    (:func:`_run_vectors`). ``‖J‖ = 1`` fixes the lost norm ``c``, so ``J`` comes
    back exactly without a second copy of every run vector: the stray test asks
    what one sentence adds to the joined text, which the mean blurs. The root is
    unique for ``share`` over 1/2; at or under it the blend is returned as it is.
    """
    vec = runs[size][start].astype(np.float64)
    if size == 1 or not 0.5 < share < 1.0 or not vec.any():
        return vec
    mean = _sentence_means(runs[1], np.array([start]), size)[0].astype(np.float64)
    rest = 1.0 - share
    cos = float(vec @ mean)
    norm = rest * cos + math.sqrt(max(rest * rest * (cos * cos - 1.0) + share * share, 0.0))
    joined = (norm * vec - rest * mean) / share
    return joined / max(float(np.linalg.norm(joined)), 1e-12)


def _grow(
    beads: list[Bead], evidence: list[dict[str, float]], windows: _Windows, config: AlignConfig
) -> tuple[list[Bead], list[dict[str, float]]]:
    """Beads the size limit cut short: a sentence translated by more than a bead holds.

    The path's beads have ``a + b <= max_bead + 1`` sentences; where a sentence is
    translated by more, the path leaves the rest unaligned next to a bead at the
    limit. Such a bead, if it reads as a translation already (similarity at least
    ``config.grow_min_sim``), takes in the part of the run of omissions beside it
    (one side, before or after it) that goes beyond the limit and raises its
    similarity most, if by at least ``config.grow``. In pol-dev one Chinese
    sentence is nine English ones: the path made a 1-5 bead and four omissions,
    and growing takes its similarity from 0.66 to 0.76. The floor keeps poor beads
    from reaching for untranslated sentences: next to blocks cut from MAC-Dev and
    Text+Berg, beads at 0.14–0.40 rose by 0.05–0.21 taking in sentences that had
    lost their translation.
    A grown bead's ``similarity`` and ``length`` are measured anew, its ``leak``
    is not (0); its ``posterior`` is that of the bead it grew from.
    """
    if config.grow is None:
        return beads, evidence
    sure = [b.similarity is not None and b.similarity >= config.grow_min_sim for b in beads]
    candidates = [c for c in _growth_candidates(beads, config.max_bead) if sure[c[0]]]
    if not candidates:
        return beads, evidence
    texts = [
        join_texts([windows.texts[side][i] for i in ids], windows.langs[side])
        for _, side, ids, _ in candidates
    ]
    joined = windows._encode(texts)
    best: dict[int, tuple[float, int, tuple[int, ...], list[int]]] = {}
    for (k, side, ids, absorbed), vec in zip(candidates, joined, strict=True):
        bead = beads[k]
        mine = _growth_vector(windows, side, ids, vec, config.joined)
        other = bead.tgt if side == 0 else bead.src
        theirs = (windows.tgt if side == 0 else windows.src)[len(other)][other[0]]
        rise = float(mine @ theirs) - (bead.similarity or 0.0)
        if rise >= config.grow and rise > best.get(k, (-math.inf,))[0]:
            best[k] = (rise, side, ids, absorbed)
    beads, evidence = list(beads), list(evidence)
    taken: set[int] = set()
    for k, (rise, side, ids, absorbed) in sorted(best.items(), key=lambda kv: -kv[1][0]):
        if taken & set(absorbed):
            continue
        taken.update(absorbed)
        beads[k], evidence[k] = _grown_bead(beads[k], evidence[k], side, ids, rise, windows, config)
    keep = [k for k in range(len(beads)) if k not in taken]
    return [beads[k] for k in keep], [evidence[k] for k in keep]


def _growth_candidates(
    beads: list[Bead], max_bead: int
) -> list[tuple[int, int, tuple[int, ...], list[int]]]:
    """``(bead, side, that side's sentences once grown, the omission beads it takes in)`` for
    every way a bead can grow past the limit, by at most ``max_bead`` sentences, into the
    omissions of one side beside it."""
    out = []
    for k, bead in enumerate(beads):
        if not bead.src or not bead.tgt:
            continue
        size = len(bead.src) + len(bead.tgt)
        for step in (-1, 1):
            q = k + step
            side = 0 if 0 <= q < len(beads) and beads[q].src else 1
            run: list[int] = []
            while 0 <= q < len(beads) and _only(beads[q], side):
                run.append(q)
                q += step
            mine = bead.src if side == 0 else bead.tgt
            for r in range(max(max_bead + 2 - size, 1), min(len(run), max_bead) + 1):
                added = [(beads[q].src or beads[q].tgt)[0] for q in run[:r]]
                out.append((k, side, tuple(sorted(mine + tuple(added))), run[:r]))
    return out


def _only(bead: Bead, side: int) -> bool:
    return bool(bead.src) and not bead.tgt if side == 0 else bool(bead.tgt) and not bead.src


def _growth_vector(
    windows: _Windows, side: int, ids: tuple[int, ...], joined: np.ndarray, share: float
) -> np.ndarray:
    """The run vector of sentences ``ids`` of ``side``, blended as :func:`_run_vectors` does."""
    single = windows.src[1] if side == 0 else windows.tgt[1]
    return _run_vectors(joined[None, :], single, np.array([ids[0]]), len(ids), share)[0]


def _grown_bead(
    bead: Bead,
    facts: dict[str, float],
    side: int,
    ids: tuple[int, ...],
    rise: float,
    windows: _Windows,
    config: AlignConfig,
) -> tuple[Bead, dict[str, float]]:
    src, tgt = (ids, bead.tgt) if side == 0 else (bead.src, ids)
    return _resized_bead(bead, facts, src, tgt, (bead.similarity or 0.0) + rise, windows, config)


def _resized_bead(
    bead: Bead,
    facts: dict[str, float],
    src: tuple[int, ...],
    tgt: tuple[int, ...],
    similarity: float,
    windows: _Windows,
    config: AlignConfig,
) -> tuple[Bead, dict[str, float]]:
    """``bead`` holding other sentences (grown past the size limit, or without one it
    gave up): ``similarity`` as measured for them, its length measured anew, its
    ``leak`` unknown (0), its ``posterior`` the old bead's; a stray sentence that is no
    longer at an end of it is forgotten."""
    src_chars = windows.run_chars(0, np.array([src[0]]), len(src))
    tgt_chars = windows.run_chars(1, np.array([tgt[0]]), len(tgt))
    facts = facts | {
        "similarity": similarity,
        "length": float(signals.length(src_chars, tgt_chars, windows.ratio, config.length_var)[0]),
        "leak": 0.0,
        "many": float(len(src) + len(tgt) > 2),
    }
    ends = {("src", src[0]), ("src", src[-1]), ("tgt", tgt[0]), ("tgt", tgt[-1])}
    stray = bead.stray if bead.stray in ends else None
    return (
        replace(
            bead,
            src=src,
            tgt=tgt,
            confidence=config.calibration.confidence(facts),
            similarity=similarity,
            stray=stray,
        ),
        facts,
    )


def _pair_moved(
    beads: list[Bead], evidence: list[dict[str, float]], windows: _Windows, config: AlignConfig
) -> tuple[list[Bead], list[dict[str, float]]]:
    """Pairs of sentences that translate each other out of order.

    A monotone path cannot pair a caption, a box or a footnote that the layout put
    elsewhere in one version: the path leaves a sentence unaligned on one side and
    its translation, a few beads away, unaligned too or taken in at the end of a
    neighbour's bead. An unaligned sentence and such a partner within
    ``config.moved_within`` beads become one bead (``Bead.moved``, at the unaligned
    sentence's place) where each is the other's most similar candidate there,
    their cosine is ``config.moved`` or more, and it beats the cosine of either
    with every other sentence of the other side within that distance by
    ``config.moved_margin`` (the partner's own bead included): a sentence whose
    own translation was cut from the other version matches its neighbours' as
    well. A bead that gives up an end sentence is scored anew
    (:func:`_shrunk_bead`); the next round may take its next one.
    On Text+Berg this makes 4 beads: 2 gold ones, 1 inside a gold bead and 1
    caption the gold pairs otherwise. On MAC-Dev and pol-dev it makes none, also
    with blocks cut from both sides a few sentences apart, where a cosine of 0.4
    and a margin of 0.05 would pair sentences that only tell the same story.
    The lattice has no path through a moved bead, so its ``posterior`` is even (0);
    its evidence ``moved`` is the margin it won by.
    """
    if config.moved is None:
        return beads, evidence
    for _ in range(2 * config.max_bead):
        pairs = _moved_pairs(beads, windows, config)
        if not pairs:
            break
        here: list[tuple[Bead, dict[str, float]] | None] = list(zip(beads, evidence, strict=True))
        before: dict[int, list[tuple[Bead, dict[str, float]]]] = {}
        after: dict[int, list[tuple[Bead, dict[str, float]]]] = {}
        for k, (q, y, ahead) in pairs.items():
            x = (beads[k].src or beads[k].tgt)[0]
            i, j = (x, y) if beads[k].src else (y, x)
            moved = _moved_bead(i, j, ahead, windows, config)
            here[k] = None
            if len(beads[q].src) + len(beads[q].tgt) == 1:
                here[q] = None
            else:
                gives = 1 if beads[k].src else 0
                here[q] = _shrunk_bead(beads[q], evidence[q], gives, y, windows, config)
            # where the source sentence was, so the beads stay in source order
            at = k if beads[k].src else q
            slot = after if beads[at].src and i == beads[at].src[-1] and here[at] else before
            slot.setdefault(at, []).append(moved)
        out = [
            made
            for k, kept in enumerate(here)
            for made in (*before.get(k, []), *([kept] if kept else []), *after.get(k, []))
        ]
        beads, evidence = [b for b, _ in out], [e for _, e in out]
    return beads, evidence


def _moved_pairs(
    beads: list[Bead], windows: _Windows, config: AlignConfig
) -> dict[int, tuple[int, int, float]]:
    """``{omission bead: (partner's bead, partner sentence, margin)}`` for one round of
    :func:`_pair_moved`: each bead gives at most one sentence."""
    least, near = config.moved, config.moved_within
    if least is None:
        return {}
    single = (windows.src[1], windows.tgt[1])

    def ids(b: Bead, side: int) -> tuple[int, ...]:
        return b.src if side == 0 else b.tgt

    def partners(side: int, k: int) -> list[tuple[int, int]]:
        """``(bead, sentence)`` of the other side near omission ``k``: omissions, and the
        end sentences of beads with two or more there."""
        out = []
        for q in range(max(k - near, 0), min(k + near + 1, len(beads))):
            theirs = ids(beads[q], 1 - side)
            if _only(beads[q], 1 - side):
                out.append((q, theirs[0]))
            elif len(theirs) > 1:
                out += [(q, theirs[0]), (q, theirs[-1])]
        return out

    def lead(side: int, k: int, x: int, partner: int, sim: float) -> float:
        """How far ``partner`` beats every other sentence of the other side near bead ``k``."""
        others = [
            y
            for b in beads[max(k - near, 0) : k + near + 1]
            for y in ids(b, 1 - side)
            if y != partner
        ]
        if not others:
            return 1.0
        return sim - float(np.max(single[1 - side][others] @ single[side][x]))

    found: dict[int, tuple[int, int, float]] = {}
    for side in (0, 1):
        for k in range(len(beads)):
            if not _only(beads[k], side):
                continue
            x = ids(beads[k], side)[0]
            options = partners(side, k)
            if not options:
                continue
            sims = single[1 - side][[y for _, y in options]] @ single[side][x]
            best = int(np.argmax(sims))
            (q, y), sim = options[best], float(sims[best])
            back = [(p, z) for p, z in partners(1 - side, q) if _only(beads[p], side)]
            rival = max(back, key=lambda pz: float(single[side][pz[1]] @ single[1 - side][y]))
            if rival[0] != k or sim < least:
                continue
            ahead = min(lead(side, k, x, y, sim), lead(1 - side, q, y, x, sim))
            if ahead >= config.moved_margin:
                found.setdefault(k, (q, y, ahead))
    taken: set[int] = set()
    out = {}
    for k, (q, y, ahead) in sorted(found.items(), key=lambda kv: -kv[1][2]):
        if k in taken or q in taken:
            continue
        taken.update((k, q))
        out[k] = (q, y, ahead)
    return out


def _moved_bead(
    i: int, j: int, ahead: float, windows: _Windows, config: AlignConfig
) -> tuple[Bead, dict[str, float]]:
    """The 1-1 bead of source ``i`` and target ``j``, paired out of order, won by ``ahead``."""
    facts = {"posterior": 0.0, "omission": 0.0, "moved": ahead}
    similarity = float(windows.src[1][i] @ windows.tgt[1][j])
    bead, facts = _resized_bead(Bead((i,), (j,)), facts, (i,), (j,), similarity, windows, config)
    return replace(bead, moved=True), facts


def _shrunk_bead(
    bead: Bead,
    facts: dict[str, float],
    side: int,
    gone: int,
    windows: _Windows,
    config: AlignConfig,
) -> tuple[Bead, dict[str, float]]:
    """``bead`` without sentence ``gone`` of ``side`` (an end one, where it has two or
    more), its similarity and length measured anew; its ``posterior`` is the whole bead's."""
    src = tuple(i for i in bead.src if i != gone) if side == 0 else bead.src
    tgt = tuple(j for j in bead.tgt if j != gone) if side == 1 else bead.tgt
    vecs = []
    for s, run in ((0, src), (1, tgt)):
        if len(run) == 1:
            vecs.append((windows.src if s == 0 else windows.tgt)[1][run[0]])
            continue
        text = join_texts([windows.texts[s][k] for k in run], windows.langs[s])
        vecs.append(_growth_vector(windows, s, run, windows._encode([text])[0], config.joined))
    shrunk, facts = _resized_bead(bead, facts, src, tgt, float(vecs[0] @ vecs[1]), windows, config)
    return replace(shrunk, alternative=None), facts
