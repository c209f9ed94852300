"""Helpers of the BENCHMARKS.md tables (benchmarks/run.py)."""

from __future__ import annotations

from benchmark_scripts import load

bench_run = load("run", "bench_run")


def test_documents_moved_counts_each_document_that_changed_either_way() -> None:
    base = {"mac-dev/001": 0.90, "mac-dev/002": 0.80, "pol-dev/002": 0.99, "text+berg/001": 0.5}
    variant = {"mac-dev/001": 0.85, "mac-dev/002": 0.80, "pol-dev/002": 0.98, "text+berg/001": 0.6}
    assert bench_run.documents_moved(base, variant) == (2, 1)
    assert bench_run.documents_moved(variant, base) == (1, 2)


def test_documents_moved_ignores_float_noise_but_not_one_bead() -> None:
    """One bead of a 300-bead document moves F1 by about 0.003; summing in another
    order moves it by 1e-16."""
    base = {"a": 0.1 + 0.2, "b": 0.9}
    assert bench_run.documents_moved(base, {"a": 0.3, "b": 0.9}) == (0, 0)
    assert bench_run.documents_moved(base, {"a": 0.3, "b": 0.897}) == (1, 0)
