"""The aligner's settings and work counters, shared by the search and the lattice."""

from __future__ import annotations

from dataclasses import dataclass

from align.errors import InputError
from align.signals import Calibration, Weights

MAX_BEAD_LIMIT = 10
"""The largest ``max_bead``: 55 bead shapes against the default's 15. The search's time and
memory grow with it, past any use (at 100, a page of 20 sentences took 20 GB)."""


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
    costs there (see :class:`align.lattice.Lattice`).
    ``stray`` is how far a many-sentence bead may favour dropping an end
    sentence before that sentence is named as likely untranslated (``Bead.stray``);
    an overlapping bead with at least ``alternative`` of the posterior's paths is
    recorded as the bead's likeliest alternative (``Bead.alternative``).
    A bead at the size limit with a similarity of ``grow_min_sim`` or more takes
    in unaligned sentences beside it where that raises its similarity by ``grow``
    or more (``grow`` ``None``: never; see :func:`align.aligner._grow`).
    A source and a target sentence left unaligned within ``moved_within`` beads of
    each other are paired out of order where their cosine is ``moved`` or more and
    beats every other sentence of the other side near them by ``moved_margin``
    (``moved`` ``None``: never; see :func:`align.aligner._pair_moved`).
    Only the runs of beads with at least ``prune`` of the paths, in a first lattice
    that takes every run as the mean of its sentences, have their joined text
    encoded (``prune`` ``None``: every run in the band; see
    :meth:`align.aligner._Windows.encode_for`).

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

    def __post_init__(self) -> None:
        if not (isinstance(self.max_bead, int) and 1 <= self.max_bead <= MAX_BEAD_LIMIT):
            raise InputError(
                f"--max-bead {self.max_bead}: give a whole number from 1 to {MAX_BEAD_LIMIT} "
                "(the search's cost grows with its square; a bead at the limit still grows "
                "past it)"
            )

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
