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

Shapes: ``n``/``m`` source/target sentences, ``d`` embedding size. A band is one
column interval ``[lo[i], hi[i]]`` per lattice row ``i = 0..n``; its cells are
stored flat, row by row (``off[i]`` is the flat index of ``(i, lo[i])``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from align import lexicon, quotes, signals
from align.encoders.base import normalise_rows
from align.hanzi import as_simplified
from align.signals import Calibration, Weights
from align.types import Bead, BeadIds, join_texts

if TYPE_CHECKING:
    from align.encoders.base import Encoder

_CHUNK = 4096  # pairs per similarity batch: keeps the gathered (chunk, d) arrays small

Runs = dict[tuple[int, int], np.ndarray]
"""``(side, size)`` → the first sentences of runs of ``size`` sentences of ``side``
(0 source, 1 target), ``(k,)`` int64."""


@dataclass(frozen=True)
class AlignConfig:
    """Every knob of the aligner, in one place.

    Bead shapes: ``max_bead`` is the most sentences on one side; a bead has
    ``a`` source and ``b`` target sentences with ``a, b >= 1`` and
    ``a + b <= max_bead + 1`` (5 → 1-1 … 1-5, 2-4, 3-3, 4-2, 5-1), or is a 0-1/1-0
    omission. Gains are summed over beads and the best-scoring path wins. A
    bead's gain is the weighted sum of the signals in :mod:`align.signals`
    (``weights``); ``length_var`` is the length model's variance per character.
    A run of sentences is embedded as ``joined`` × its joined text's embedding
    plus the rest × the mean of its sentences' (then made unit length).
    Each 0-1 or 1-0 bead gains ``gap_extend`` (negative) plus its tokens' signal,
    and each run of them (0-1 beads in a row, or 1-0 beads) ``gap_open`` once:
    one omitted sentence costs their sum, forty cost far less than forty times it.
    ``calibration`` turns a bead's evidence into its confidence;
    ``temperature`` is the gain scale of the posterior (lower is peakier), and
    ``posterior_size`` weighs each ``a``-``b`` bead's gain there by
    ``((a + b) / 2) ** posterior_size`` and ``posterior_gap`` scales the gap
    costs there (see :class:`_Lattice`).
    ``stray`` is how far a many-sentence bead may favour dropping an end
    sentence before that sentence is named as likely untranslated (``Bead.stray``);
    an overlapping bead with at least ``alternative`` of the posterior's paths is
    recorded as the bead's likeliest alternative (``Bead.alternative``).
    A bead at the size limit with a similarity of ``grow_min_sim`` or more takes
    in unaligned sentences beside it where that raises its similarity by ``grow``
    or more (``grow`` ``None``: never; see :func:`_grow`).
    A source and a target sentence left unaligned within ``moved_within`` beads of
    each other are paired out of order where their cosine is ``moved`` or more and
    beats every other sentence of the other side near them by ``moved_margin``
    (``moved`` ``None``: never; see :func:`_pair_moved`).
    Only the runs of beads with at least ``prune`` of the paths, in a first lattice
    that takes every run as the mean of its sentences, have their joined text
    encoded (``prune`` ``None``: every run in the band; see :meth:`_Windows.encode_for`).

    Search: ``anchor_margin``/``anchor_min_sim`` are the ratio margin (over the
    ``margin_k`` nearest neighbours both ways) and cosine a mutual-best 1-1
    pair needs to become an anchor, ties going to the pair nearer the
    diagonal (``diagonal_prior`` per unit of relative offset); a level with
    fewer anchors than ``min_anchors`` per sentence trusts none of them and
    keeps to within ``corridor`` (share of the document) of the diagonal.
    ``anchor_band`` is the half-width (sentences) of the pass-1 band around
    the coarser level's anchor path, ``band`` the half-width of the pass-2 band
    around the anchors; sides up to ``full_grid`` sentences are compared all
    against all.
    """

    max_bead: int = 5
    weights: Weights = Weights()
    calibration: Calibration = Calibration()
    length_var: float = 30.0
    temperature: float = 0.05
    posterior_size: float = 0.4
    posterior_gap: float = 0.5
    alternative: float = 0.1
    stray: float = -0.1
    grow: float | None = 0.05
    grow_min_sim: float = 0.45
    moved: float | None = 0.6
    moved_margin: float = 0.1
    moved_within: int = 10
    prune: float | None = 1e-5
    gap_open: float = -0.18
    gap_extend: float = -0.02
    joined: float = 0.7
    margin_k: int = 4
    anchor_margin: float = 1.1
    anchor_min_sim: float = 0.3
    anchor_band: int = 12
    diagonal_prior: float = 0.01
    min_anchors: float = 0.1
    corridor: float = 0.05
    band: int = 6
    full_grid: int = 64

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
    guide = _anchor_path(windows.src[1], windows.tgt[1], config, stats)
    band = _widen(guide, config.band, m)
    if config.weights.leak:
        windows.boundary_matches(band)
    if config.weights.lexicon:
        windows.lexical_pairs(band)
    edges = windows.encode_for(band, config, stats)
    path = _best_path(band, edges, config, stats)
    while fresh := windows.encode_runs(_path_runs(path, config), config):
        edges = _rescored(edges, fresh, windows, band, config, stats)
        path = _best_path(band, edges, config, stats)
    windows.encode_runs(_path_runs(path, config, ends=True), config)
    gains = _path_gains(band, edges, path)
    lattice = _Lattice.of(band, edges, config)
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
    clauses, one for the likely runs).
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
        self.langs = (src_lang, tgt_lang)
        self.encoder = encoder
        self.stats = stats
        self.max_bead = max_bead
        self.chars = tuple(
            np.concatenate(([0], np.cumsum([len(t) for t in side]))).astype(np.float64)
            for side in self.texts
        )
        self.ratio = float(max(self.chars[1][-1], 1.0) / max(self.chars[0][-1], 1.0))
        self.lex: np.ndarray | None = None
        self._quotes: dict[tuple[int, int], np.ndarray] = {}
        self.tokens = (signals.token_counts(self.texts[0]), signals.token_counts(self.texts[1]))
        edges = [self._edge_texts(side) if clauses else [] for side in (0, 1)]
        single = self._encode(
            list(src) + list(tgt) + [text for side in edges for _, _, text in side]
        )
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

    def boundary_matches(self, band: _Band) -> None:
        """``across``, ``(cells, 4)``: at each cell ``(i, j)`` of ``band``, the cosine of the
        edge clauses next to its cut (source ``i``'s first, source ``i - 1``'s last, target
        ``j``'s first, target ``j - 1``'s last) with the other side's sentence across the
        cut, or with that sentence's clause facing the cut, whichever is higher; NaN
        where there is no such clause or sentence. A bead reads its first and third
        column at its start cell and the other two at its end cell, whatever its size."""
        self.band = band
        counts = band.hi - band.lo + 1
        i = np.repeat(np.arange(len(counts)), counts)
        j = _ranges(band.lo, counts)
        self.across = np.full((band.cells, 4), np.nan)
        for col, (side, end, idx, nb) in enumerate(
            ((0, 0, i, j - 1), (0, 1, i - 1, j), (1, 0, j, i - 1), (1, 1, j - 1, i))
        ):
            n, other = len(self.texts[side]), self.tgt[1] if side == 0 else self.src[1]
            ok = (idx >= 0) & (idx < n) & (nb >= 0) & (nb < len(other))
            ok[ok] = self.has_clause[side][end, idx[ok]]
            cells = np.flatnonzero(ok)
            for lo in range(0, len(cells), _CHUNK):
                part = cells[lo : lo + _CHUNK]
                clause, near = self.clauses[side][end, idx[part]], nb[part]
                whole = signals.similarity(clause, other[near])
                facing = signals.similarity(clause, self.clauses[1 - side][1 - end, near])
                faces = self.has_clause[1 - side][1 - end, near]
                self.across[part, col] = np.where(faces, np.maximum(whole, facing), whole)

    def edge_matches(
        self, a: int, b: int, s0: np.ndarray, t0: np.ndarray, sv: np.ndarray, tv: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cosines of the ``a``-``b`` beads' edge clauses with what lies across the bead's
        boundary (:meth:`boundary_matches`, read at its start and end cells) and with the
        bead's own other side (``sv``/``tv``, its run vectors): two ``(k, 4)`` arrays, NaN
        where there is no clause or no such sentence (see :func:`align.signals.leak`)."""
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
        own = np.full((len(s0), 4), np.nan)
        for col, (side, end, idx, mine) in enumerate(
            ((0, 0, s0, tv), (0, 1, s0 + a - 1, tv), (1, 0, t0, sv), (1, 1, t0 + b - 1, sv))
        ):
            cosine = signals.similarity(self.clauses[side][end, idx], mine)
            own[:, col] = np.where(np.isnan(across[:, col]), np.nan, cosine)
        return across, own

    def _encode(self, texts: list[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        self.stats.encoder_calls += 1
        self.stats.texts_encoded += len(unique)
        vecs = np.asarray(self.encoder.encode(unique), dtype=np.float32)
        where = {t: k for k, t in enumerate(unique)}
        return vecs[[where[t] for t in texts]]

    def encode_for(self, band: _Band, config: AlignConfig, stats: AlignStats) -> list[_Edges]:
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
        texts: list[str] = []
        for (side, size), starts in runs.items():
            fresh = starts[~self.joined[side][size][starts]]
            if len(fresh):
                todo[side, size] = fresh
                sentences, lang = self.texts[side], self.langs[side]
                texts += [join_texts(sentences[k : k + size], lang) for k in fresh.tolist()]
        if not texts:
            return {}
        vecs = self._encode(texts)
        row = 0
        for (side, size), starts in todo.items():
            target = self.src if side == 0 else self.tgt
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

    def lexical_pairs(self, band: _Band) -> None:
        """Dictionary matches of every sentence pair whose 1-1 bead ends inside ``band``."""
        self.band = band
        bags = lexicon.sentence_bags(self.texts[0], self.texts[1], *self.langs)
        self.lex = None
        if bags is None:
            return
        src_bags, tgt_bags, src_words, tgt_words = bags
        n, m = len(self.texts[0]), len(self.texts[1])
        rows, cols = _pair_cells(band, n, m)
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
    return normalise_rows(vecs[0::2] + vecs[1::2])


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


def _anchor_path(es: np.ndarray, et: np.ndarray, config: AlignConfig, stats: AlignStats) -> _Band:
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
        return _corridor(band, config.corridor, config.anchor_band)
    return _guide(anchors, band, n, m)


def _corridor(band: _Band, share: float, w: int) -> _Band:
    """``band`` cut to the cells within ``share`` of the diagonal (in relative position).

    The fallback of a level that finds too few anchors to trust (a document
    repeating itself, say): documents run in parallel, so the diagonal is the
    best guess, and it keeps the next level's band linear in size.
    """
    n, m = len(band.lo) - 1, int(band.hi[-1])
    rows = np.arange(n + 1) / max(n, 1)
    lo = np.floor((rows - share) * m).astype(np.int64) - w
    hi = np.ceil((rows + share) * m).astype(np.int64) + w
    return _finalise(_Band(np.maximum(lo, band.lo), np.minimum(hi, band.hi)), m)


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
    edges = []
    for a, b in config.bead_types():
        r, c, cell, pred = _type_cells(band, a, b)
        if a == 0:
            gain = windows.skip_gain(1, c - 1, config)
        elif b == 0:
            gain = windows.skip_gain(0, r - 1, config)
        else:
            gain = _gains(windows, a, b, r - a, c - b, config, stats)
        edges.append(_Edges(cell, pred, gain))
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
    edges: list[_Edges],
    fresh: Runs,
    windows: _Windows,
    band: _Band,
    config: AlignConfig,
    stats: AlignStats,
) -> list[_Edges]:
    """``edges`` with the beads that join a run of ``fresh`` (just encoded) scored anew."""
    out = list(edges)
    for t, (a, b) in enumerate(config.bead_types()):
        if not _joins_runs(a, b):
            continue
        r, c = _type_cells(band, a, b)[:2]
        s0, t0 = r - a, c - b
        hit = np.zeros(len(s0), bool)
        for side, size, starts in ((0, a, s0), (1, b, t0)):
            if (side, size) in fresh:
                hit |= np.isin(starts, fresh[side, size])
        if hit.any():
            gain = edges[t].gain.copy()
            gain[hit] = _gains(windows, a, b, s0[hit], t0[hit], config, stats)
            out[t] = _Edges(edges[t].cell, edges[t].pred, gain)
    return out


def _bead_signals(
    w: _Windows, a: int, b: int, s0: np.ndarray, t0: np.ndarray, config: AlignConfig
) -> dict[str, np.ndarray]:
    """Every signal of the ``a``-``b`` beads starting at sentences ``s0``/``t0`` (each (k,))."""
    sv, tv = w.src[a][s0], w.tgt[b][t0]
    neighbours = np.full((len(s0), 4), np.nan)
    for col, (vec, other, idx) in enumerate(
        (
            (sv, w.tgt[1], t0 - 1),
            (sv, w.tgt[1], t0 + b),
            (tv, w.src[1], s0 - 1),
            (tv, w.src[1], s0 + a),
        )
    ):
        ok = (idx >= 0) & (idx < len(other))
        sims = signals.similarity(vec, other[np.clip(idx, 0, len(other) - 1)])
        neighbours[:, col] = np.where(ok, sims, np.nan)
    weights = config.weights
    values = {
        "similarity": signals.similarity(sv, tv),
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
        values["leak"] = signals.leak(*w.edge_matches(a, b, s0, t0, sv, tv))
    if weights.quotes:
        values["quotes"] = signals.quotes(w.quote_states(0, a)[s0], w.quote_states(1, b)[t0])
    return values


def _skip_climb(band: _Band, edges: list[_Edges], types: list[tuple[int, int]]) -> np.ndarray:
    """``(m + 1,)`` cumulative gain of 0-1 beads: moving from column ``j`` to ``k`` in a row
    gains ``climb[k] - climb[j]`` (a 0-1 bead's gain depends on its column only)."""
    off = band.off
    skips = edges[types.index((0, 1))]
    rows = np.searchsorted(off, skips.cell, side="right") - 1
    step = np.zeros(int(band.hi[-1]) + 1)
    step[skips.cell - off[rows] + band.lo[rows]] = skips.gain
    return np.cumsum(step)


_ALIGNED, _SRC_GAP, _TGT_GAP = 0, 1, 2  # the states of the programme: the kind of the last bead


def _forward(
    band: _Band,
    edges: list[_Edges],
    types: list[tuple[int, int]],
    combine: np.ufunc,
    temperature: float = 1.0,
    gap_open: float = 0.0,
) -> np.ndarray:
    """``(3, cells)`` score of the paths from (0, 0) to each band cell, by the bead they end with.

    Row ``_ALIGNED`` holds the paths ending with a bead that has both sides (or the
    empty path at (0, 0)), ``_SRC_GAP`` those ending with a 1-0 bead, ``_TGT_GAP``
    with a 0-1 bead; a gap bead that does not continue a gap of its kind pays
    ``gap_open``. Gains are divided by ``temperature``. ``combine`` merges the paths
    that meet: ``np.maximum`` gives the best path's gain (Viterbi), ``np.logaddexp``
    the log of the summed ``exp(gain / T)`` (the forward pass). Rows are filled in
    order; within a row, 0-1 beads are folded in with one running ``combine``.
    """
    n = len(band.lo) - 1
    off = band.off
    opening = gap_open / temperature
    climb = _skip_climb(band, edges, types) / temperature
    score = np.full((3, int(off[-1])), -np.inf)
    bounds = [np.searchsorted(e.cell, off) for e in edges]
    for i in range(n + 1):
        s, e = int(off[i]), int(off[i + 1])
        row = score[:, s:e]
        if i == 0:
            row[_ALIGNED, 0] = 0.0
        for t, (a, b) in enumerate(types):
            k0, k1 = bounds[t][i], bounds[t][i + 1]
            if a == 0 or k0 == k1:
                continue
            ed = edges[t]
            loc, pred = ed.cell[k0:k1] - s, ed.pred[k0:k1]
            gain = ed.gain[k0:k1] / temperature
            if b:
                before = combine.reduce(score[:, pred], axis=0)
                row[_ALIGNED, loc] = combine(row[_ALIGNED, loc], before + gain)
            else:
                opened = combine(score[_ALIGNED, pred], score[_TGT_GAP, pred]) + opening
                row[_SRC_GAP, loc] = combine(score[_SRC_GAP, pred], opened) + gain
        steps = climb[band.lo[i] : band.hi[i] + 1]
        opened = combine(row[_ALIGNED], row[_SRC_GAP]) + opening - steps
        row[_TGT_GAP, 1:] = combine.accumulate(opened[:-1]) + steps[1:]
    return score


def _reversed(band: _Band, edges: list[_Edges]) -> tuple[_Band, list[_Edges]]:
    """The lattice read from (n, m) back to (0, 0): cell ``c`` becomes ``cells - 1 - c``.

    Row-major order reverses exactly, so a forward pass over it is the backward pass.
    """
    last, m = band.cells - 1, band.hi[-1]
    flipped = _Band(m - band.hi[::-1], m - band.lo[::-1])
    return flipped, [_Edges(last - e.pred[::-1], last - e.cell[::-1], e.gain[::-1]) for e in edges]


def _first_best(values: np.ndarray) -> int:
    """The first state within 1e-9 of the best: ties go to aligned, then 1-0, then 0-1."""
    return int(np.flatnonzero(values >= values.max() - 1e-9)[0])


def _best_path(
    band: _Band, edges: list[_Edges], config: AlignConfig, stats: AlignStats
) -> list[tuple[int, int, int]]:
    """The highest-gain monotone path from (0, 0) to (n, m) inside ``band``.

    Viterbi scores from :func:`_forward`, then a walk back from (n, m) that asks,
    cell by cell, which bead and which state reached it; ties go to the first bead
    type and to the first state (:func:`_first_best`). Returns ``(type, end row,
    end col)`` per bead, in order.
    """
    types = config.bead_types()
    gap_type = {_SRC_GAP: types.index((1, 0)), _TGT_GAP: types.index((0, 1))}
    stats.dp_cells += band.cells
    stats.dp_edges += sum(len(e.cell) for e in edges)
    score = _forward(band, edges, types, np.maximum, gap_open=config.gap_open)
    off = band.off
    path: list[tuple[int, int, int]] = []
    i, j = len(band.lo) - 1, int(band.hi[-1])
    state = _first_best(score[:, -1])
    while i > 0 or j > 0:
        cell = off[i] + j - band.lo[i]
        if state == _ALIGNED:
            best, t, pred = -np.inf, -1, -1
            for u, ed in enumerate(edges):
                k = int(np.searchsorted(ed.cell, cell))
                if all(types[u]) and k < len(ed.cell) and ed.cell[k] == cell:
                    cand = score[:, ed.pred[k]].max() + ed.gain[k]
                    if cand > best:
                        best, t, pred = cand, u, int(ed.pred[k])
            state = _first_best(score[:, pred])
        else:
            t = gap_type[state]
            if state == _TGT_GAP:
                pred = cell - 1
            else:
                ed = edges[t]
                pred = int(ed.pred[np.searchsorted(ed.cell, cell)])
            came = score[:, pred] + config.gap_open
            came[state] = score[state, pred]
            state = _first_best(came)
        path.append((t, i, j))
        a, b = types[t]
        i, j = i - a, j - b
    return path[::-1]


def _log_forward(band: _Band, edges: list[_Edges], config: AlignConfig) -> np.ndarray:
    """``(3, cells)`` log of the summed ``exp(gain / T)`` of the paths from (0, 0) to each
    band cell, by the bead they end with (see :func:`_forward`)."""
    types = config.bead_types()
    return _forward(band, edges, types, np.logaddexp, config.temperature, config.gap_open)


def _log_backward(band: _Band, edges: list[_Edges], config: AlignConfig) -> np.ndarray:
    """``(3, cells)`` log of the summed ``exp(gain / T)`` of the paths from each band cell
    to (n, m), by the bead they start with."""
    flipped, flipped_edges = _reversed(band, edges)
    return _log_forward(flipped, flipped_edges, config)[:, ::-1]


def _path_gains(band: _Band, edges: list[_Edges], path: list[tuple[int, int, int]]) -> list[float]:
    """The gain of each bead of ``path``, looked up in its type's edges."""
    off = band.off
    out = []
    for t, i, j in path:
        ed = edges[t]
        out.append(float(ed.gain[np.searchsorted(ed.cell, off[i] + j - band.lo[i])]))
    return out


@dataclass(frozen=True)
class _Lattice:
    """Where each path bead's posterior comes from: its share of the probability of all
    paths, ``exp(gain / T)`` each.

    Here an ``a``-``b`` bead counts ``((a + b) / 2) ** posterior_size`` times its
    gain. The path is found on the plain gains, where two beads collect two gains
    and one bead joining them only one; weighed by size, a merge the gold might
    well make competes with the split the path took, so the pieces of a split
    that is a close call are less sure. Refitted on MAC-Dev, the confidence's AUC
    goes from 0.880 to 0.902 and 28% of the wrong beads fall under 0.5, not 19%
    (pol-dev 0.930 to 0.938, Text+Berg 0.875 to 0.876). Exponent 0.4; in a quick
    refit 0.25 / 0.5 / 0.75 gave MAC-Dev AUC 0.898 / 0.901 / 0.878.

    Gaps cost ``posterior_gap`` (a half) of what they cost the path, so a bead that
    may have swallowed an untranslated sentence shares its mass with the omission:
    AUC 0.902 / 0.938 / 0.876 become 0.905 / 0.951 / 0.877, and the wrong beads
    under 0.5 28% / 36% / 27% become 31% / 43% / 32% (a quarter: 0.901 / 0.952 /
    0.877; the path's own costs kept: as above).

    A gap bead's share is that of the paths in its state at its end cell; where the
    gap goes on past that cell, both passes paid its opening, so one is given back.

    Kept: ``edges`` with their gains reweighed, ``config`` with the cheaper gap
    opening, the forward and backward passes (``alpha``, ``beta``, ``(3, cells)``),
    their log mass per cell whatever the state (``into``, less ``total``; ``out_of``).
    """

    band: _Band
    edges: list[_Edges]
    config: AlignConfig
    alpha: np.ndarray
    beta: np.ndarray
    total: float
    into: np.ndarray
    out_of: np.ndarray

    @classmethod
    def of(cls, band: _Band, edges: list[_Edges], config: AlignConfig) -> _Lattice:
        types = config.bead_types()
        relief = -config.gap_extend * (1.0 - config.posterior_gap)
        scale = [((a + b) / 2) ** config.posterior_size if a and b else 1.0 for a, b in types]
        shift = [0.0 if a and b else relief for a, b in types]
        edges = [_Edges(e.cell, e.pred, e.gain * scale[t] + shift[t]) for t, e in enumerate(edges)]
        lattice = replace(config, gap_open=config.gap_open * config.posterior_gap)
        alpha = _log_forward(band, edges, lattice)
        beta = _log_backward(band, edges, lattice)
        total = float(np.logaddexp.reduce(alpha[:, -1]))
        into = np.logaddexp.reduce(alpha, axis=0) - total
        out_of = np.logaddexp.reduce(beta, axis=0)
        return cls(band, edges, lattice, alpha, beta, total, into, out_of)

    def posteriors(self, path: list[tuple[int, int, int]]) -> list[float]:
        """Each path bead's share of all paths."""
        alpha, beta, off, config = self.alpha, self.beta, self.band.off, self.config
        types = config.bead_types()
        opening = config.gap_open / config.temperature
        out = []
        for (t, i, j), gain in zip(path, _path_gains(self.band, self.edges, path), strict=True):
            a, b = types[t]
            cell = off[i] + j - self.band.lo[i]
            if a and b:
                pred = off[i - a] + (j - b) - self.band.lo[i - a]
                log_p = self.into[pred] + gain / config.temperature + self.out_of[cell]
            else:
                state = _SRC_GAP if a else _TGT_GAP
                after = beta[:, cell].copy()
                after[state] -= opening
                log_p = alpha[state, cell] + np.logaddexp.reduce(after) - self.total
            out.append(float(np.exp(min(log_p, 0.0))))
        return out

    def log_shares(self, edges: _Edges) -> np.ndarray:
        """The log of each bead's share of the paths, for ``edges`` of one type with both
        sides (gap beads need :meth:`posteriors`' state bookkeeping)."""
        gain = edges.gain / self.config.temperature
        return self.into[edges.pred] + gain + self.out_of[edges.cell]

    def alternatives(self, path: list[tuple[int, int, int]], least: float) -> list[BeadIds | None]:
        """For each path bead, the likeliest other bead with both sides that shares a
        sentence with it, if that bead has at least ``least`` of the paths: the cut a
        reviewer should try first when the bead is wrong."""
        types = self.config.bead_types()
        off, lo = self.band.off, self.band.lo
        rivals: dict[tuple[int, int], list[tuple[float, BeadIds]]] = {}
        for t, e in enumerate(self.edges):
            a, b = types[t]
            if not (a and b):
                continue
            log_p = self.log_shares(e)
            keep = np.flatnonzero(log_p >= math.log(least))
            rows = np.searchsorted(off, e.cell[keep], side="right") - 1
            cols = e.cell[keep] - off[rows] + lo[rows]
            for k, i, j in zip(keep.tolist(), rows.tolist(), cols.tolist(), strict=True):
                bead = (tuple(range(i - a, i)), tuple(range(j - b, j)))
                share = math.exp(min(float(log_p[k]), 0.0))
                for side in (0, 1):
                    for index in bead[side]:
                        rivals.setdefault((side, index), []).append((share, bead))
        out: list[BeadIds | None] = []
        for t, i, j in path:
            a, b = types[t]
            own = (tuple(range(i - a, i)), tuple(range(j - b, j)))
            found = [
                rival
                for side in (0, 1)
                for index in own[side]
                for rival in rivals.get((side, index), [])
                if rival[1] != own
            ]
            out.append(max(found)[1] if found else None)
        return out


def _runs_of(band: _Band, config: AlignConfig, keep: list[np.ndarray] | None = None) -> Runs:
    """The runs that the beads inside ``band`` join; with ``keep`` (per bead type, a mask
    over its beads in :func:`_type_cells` order), only the kept beads'."""
    found: dict[tuple[int, int], list[np.ndarray]] = {}
    for t, (a, b) in enumerate(config.bead_types()):
        if not _joins_runs(a, b):
            continue
        rows, cols = _type_cells(band, a, b)[:2]
        if keep is not None:
            rows, cols = rows[keep[t]], cols[keep[t]]
        for side, size, starts in ((0, a, rows - a), (1, b, cols - b)):
            if size > 1:
                found.setdefault((side, size), []).append(starts)
    return {key: np.unique(np.concatenate(parts)).astype(np.int64) for key, parts in found.items()}


def _likely_runs(band: _Band, edges: list[_Edges], config: AlignConfig) -> Runs:
    """The runs of the many-sentence beads with at least ``config.prune`` of the paths."""
    lattice = _Lattice.of(band, edges, config)
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
    chars = [windows.run_chars(s, np.array([run[0]]), len(run)) for s, run in ((0, src), (1, tgt))]
    facts = facts | {
        "similarity": similarity,
        "length": float(signals.length(*chars, windows.ratio, config.length_var)[0]),
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
    near = config.moved_within
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
            if rival[0] != k or sim < config.moved:
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
