"""Paragraph units: sentence beads joined until each side holds whole paragraphs.

A CAT tool looks a segment up in the TM as it segments the document. A project
that keeps paragraphs whole (OmegaT with sentence segmentation off, or any tool
whose segmentation rules do) finds little in a sentence TM: its paragraphs of two
sentences match no unit. :func:`by_paragraph` turns an alignment into one whose
units are the smallest groups of whole paragraphs on both sides, built from the
beads alone.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import replace

from align.types import Alignment, Bead


def by_paragraph(alignment: Alignment) -> Alignment:
    """The same alignment with its beads joined into paragraph units.

    Beads that share a paragraph on either side fall into one unit, so a paragraph the
    other version splits differently takes its neighbours with it, and a sentence left
    unaligned stays inside its paragraph's unit. A paragraph no bead pairs stays a unit
    with one empty side, as the sentence beads had it. A unit keeps its lowest bead's
    confidence: a paragraph is right only where every bead in it is. Every sentence
    stays in exactly one unit. The signature records ``units: paragraph``.
    """
    groups = paragraph_groups(alignment)
    return joined_units(alignment, [[alignment.beads[i] for i in group] for group in groups])


def joined_units(alignment: Alignment, groups: list[list[Bead]]) -> Alignment:
    """``alignment`` with a unit per group of its beads (a group of one is that bead)."""
    units = [group[0] if len(group) == 1 else _joined(group) for group in groups]
    signature = {**alignment.signature, "units": "paragraph"}
    return replace(alignment, beads=units, signature=signature)


def paragraph_groups(alignment: Alignment) -> list[list[int]]:
    """The beads of each paragraph unit of :func:`by_paragraph`, as indices, in order."""
    return connected(
        [
            [("src", alignment.src[i].paragraph) for i in bead.src]
            + [("tgt", alignment.tgt[j].paragraph) for j in bead.tgt]
            for bead in alignment.beads
        ]
    )


def connected(members: Sequence[Sequence[Hashable]]) -> list[list[int]]:
    """Indices of ``members`` grouped where they share an element, directly or through
    others (each member names at least one): groups in order of their first member."""
    parent: dict[Hashable, Hashable] = {}

    def root(node: Hashable) -> Hashable:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for first, *rest in members:
        for node in rest:
            parent[root(node)] = root(first)
    groups: dict[Hashable, list[int]] = {}
    for i, nodes in enumerate(members):
        groups.setdefault(root(nodes[0]), []).append(i)
    return list(groups.values())


def _joined(beads: list[Bead]) -> Bead:
    return Bead(
        src=tuple(sorted(i for b in beads for i in b.src)),
        tgt=tuple(sorted(j for b in beads for j in b.tgt)),
        confidence=min(b.confidence for b in beads)
        if all(math.isfinite(b.confidence) for b in beads)
        else math.nan,  # a bead a reviewer cut makes its paragraph's score unknown
        moved=any(b.moved for b in beads),
    )
