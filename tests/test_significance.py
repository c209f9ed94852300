"""Block-bootstrap intervals and paired tests: they add up to the scorer's counts, and
they tell a real difference from chance."""

from __future__ import annotations

import random

import numpy as np
import pytest

from align.evaluate import DocumentResult, score
from align.significance import block_counts, compare, compare_sets, f1_strict, interval
from align.types import BeadIds


def doc(name: str, gold: list[BeadIds], test: list[BeadIds]) -> DocumentResult:
    n = 1 + max((i for s, _ in gold + test for i in s), default=-1)
    m = 1 + max((j for _, t in gold + test for j in t), default=-1)
    return DocumentResult(name, n, m, gold, test, score([gold], [test]))


def random_cut(rng: random.Random, n: int, m: int) -> list[BeadIds]:
    """A monotone alignment of n by m sentences, with 1-1 … 2-3 beads and omissions."""
    beads: list[BeadIds] = []
    i = j = 0
    while i < n or j < m:
        a = min(n - i, rng.choice([0, 1, 1, 1, 1, 2, 2, 3]))
        b = min(m - j, rng.choice([0, 1, 1, 1, 1, 2, 3]))
        if a == b == 0:
            a, b = (1, 0) if i < n else (0, 1)
        beads.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return beads


def ones(k: int, shift: int = 0) -> list[BeadIds]:
    return [((i,), (i + shift,)) for i in range(k)]


@pytest.mark.parametrize("block", [1, 3, 20])
def test_the_blocks_add_up_to_the_scorers_counts(block: int) -> None:
    rng = random.Random(block)
    for _ in range(40):
        docs = []
        for k in range(rng.randint(1, 3)):
            n, m = rng.randint(1, 60), rng.randint(1, 60)
            gold, test = random_cut(rng, n, m), random_cut(rng, n, m)
            if rng.random() < 0.3:
                test.append(((), ()))
            docs.append(doc(f"d{k}", gold, test))
        counts = block_counts(docs, block)
        want = score([d.gold for d in docs], [d.test for d in docs])
        assert float(f1_strict(counts.sum(axis=0))) == pytest.approx(want.f1_strict, abs=1e-12)
        tp_p, fp_p, tp_l, fp_l = counts.sum(axis=0)[:4]
        assert (
            tp_p + fp_p
            == tp_l + fp_l
            == sum(1 for s, t in (b for d in docs for b in d.test) if s or t)
        )
        assert len(counts) == sum(max(1, -(-len(d.gold) // block)) for d in docs)


def test_a_test_bead_falls_in_the_block_of_the_gold_bead_it_matches() -> None:
    gold = ones(40)
    test = ones(20) + [((i,), (i + 1,)) for i in range(20, 39)] + [((39,), ())]
    counts = block_counts([doc("a", gold, test)], block=20)
    assert counts[0, :2].tolist() == [20, 0] and counts[0, 4:6].tolist() == [20, 0]
    assert counts[1, :2].tolist() == [0, 20] and counts[1, 4:6].tolist() == [0, 20]
    # a target sentence the gold leaves out belongs with the sentence before it
    left_out = [((0,), (0,)), ((1,), (1,)), ((2,), (3,))]
    test = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,))]
    counts = block_counts([doc("b", left_out, test)], block=1)
    assert counts[:, 0].tolist() == [1, 1, 1] and counts[:, 1].tolist() == [0, 1, 0]


def test_an_interval_holds_its_score_and_narrows_with_more_documents() -> None:
    rng = random.Random(7)
    docs = []
    for k in range(6):
        gold = ones(60)
        test = [b if rng.random() < 0.9 else (b[0], ()) for b in gold]
        docs.append(doc(f"d{k:02}", gold, test))
    again = [doc(f"{d.name}-{r}", d.gold, d.test) for r in range(4) for d in docs]
    few, many = interval(docs), interval(again)
    for iv, part in ((few, docs), (many, again)):
        assert iv.low < iv.score < iv.high
        want = score([d.gold for d in part], [d.test for d in part]).f1_strict
        assert iv.score == pytest.approx(want)
    assert many.score == pytest.approx(few.score)
    assert 0.35 < (many.high - many.low) / (few.high - few.low) < 0.65  # about 1/sqrt(4)
    assert interval(docs, seed=3) == interval(docs, seed=3)
    perfect = interval([doc("p", ones(50), ones(50))])
    assert (perfect.low, perfect.score, perfect.high) == (1.0, 1.0, 1.0)


def test_a_paired_test_tells_a_real_difference_from_chance() -> None:
    rng = random.Random(1)
    golds = [random_cut(rng, 200, 200) for _ in range(3)]
    worse = []
    for g in golds:  # every fifth bead cut in two where it can be
        test: list[BeadIds] = []
        for k, (s, t) in enumerate(g):
            if k % 5 == 0 and len(s) > 1 and t:
                test += [(s[:1], t), (s[1:], ())]
            elif k % 5 == 0 and s and t:
                test += [(s, ()), ((), t)]
            else:
                test.append((s, t))
        worse.append(test)
    base = [doc(f"d{k}", g, w) for k, (g, w) in enumerate(zip(golds, worse, strict=True))]
    fixed = [doc(f"d{k}", g, g) for k, g in enumerate(golds)]
    better = compare(base, fixed)
    assert better.delta.score == pytest.approx(1 - base_f1(base))
    assert better.p_value < 0.01 and better.delta.low > 0
    assert better.system.score == 1.0

    same = compare(base, base)
    assert same.p_value == 1.0 and same.delta.score == same.delta.low == same.delta.high == 0

    one_fix = [doc(d.name, d.gold, list(d.test)) for d in base]
    first = one_fix[0]
    one_fix[0] = doc(first.name, first.gold, fix_one(first.gold, first.test))
    small = compare(base, one_fix)
    assert 0 < small.delta.score < 0.01 and small.p_value > 0.2


def base_f1(docs: list[DocumentResult]) -> float:
    return score([d.gold for d in docs], [d.test for d in docs]).f1_strict


def fix_one(gold: list[BeadIds], test: list[BeadIds]) -> list[BeadIds]:
    """The test with its first wrong stretch replaced by the gold's beads there."""
    for g in gold:
        if g not in test and g[0] and g[1]:
            keep = [b for b in test if not set(b[0]) & set(g[0]) and not set(b[1]) & set(g[1])]
            return sorted([*keep, g], key=lambda b: (b[0][:1] or b[1][:1], b[1][:1]))
    raise AssertionError("nothing to fix")


def test_sets_compared_together_weigh_each_set_the_same() -> None:
    short = [doc("s", ones(20), ones(20))]
    short_worse = [doc("s", ones(20), [((i,), ()) if i < 10 else ((i,), (i,)) for i in range(20)])]
    long = [doc("l", ones(400), ones(400))]
    both = compare_sets([(short_worse, short), (long, long)])
    alone = compare(short_worse, short)
    assert both.delta.score == pytest.approx(alone.delta.score / 2)
    assert both.baseline.score == pytest.approx((base_f1(short_worse) + 1.0) / 2)


def test_a_paired_test_refuses_alignments_of_different_documents_or_gold() -> None:
    a = [doc("a", ones(10), ones(10))]
    with pytest.raises(ValueError, match="not the same documents"):
        compare(a, [doc("b", ones(10), ones(10))])
    with pytest.raises(ValueError, match="different gold"):
        compare(a, [doc("a", ones(10, 0)[:9] + [((9,), ())], ones(10))])
    with pytest.raises(ValueError, match="no documents"):
        compare([], [])
    assert np.all(block_counts([]) == 0)
