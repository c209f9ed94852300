"""Shared paths for the tests, and helpers more than one test module needs.

Helpers only one module uses live in that module's test file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from align.evaluate import parse_beads, read_lines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "A_77_L.107"
SHARED = ROOT.parent / "shared"
TMX_DTD = SHARED / "spec" / "tmx14.dtd"
BENCH = SHARED / "bench"


@pytest.fixture
def zh_seed_text() -> str:
    return (CORPUS / "zh.txt").read_text(encoding="utf-8")


@pytest.fixture
def en_text() -> str:
    return (CORPUS / "en.txt").read_text(encoding="utf-8")


def bench_start(
    bench_set: str, doc: str, first_src: int
) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The start of a gold-aligned bench document, cut after the gold bead that reaches
    ``first_src`` source sentences: its zh and en sentences and its gold beads."""
    folder = BENCH / bench_set
    zh = read_lines(folder / "zh" / doc)
    en = read_lines(folder / "en" / doc)
    kept = []
    for src, tgt in parse_beads((folder / "gold" / doc).read_text(encoding="utf-8")):
        kept.append((src, tgt))
        if src and src[-1] + 1 >= first_src:
            break
    n = 1 + max(i for s, _ in kept for i in s)
    m = 1 + max(j for _, t in kept for j in t)
    return zh[:n], en[:m], kept
