"""Helpers of the BENCHMARKS.md tables (benchmarks/run.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
_spec = importlib.util.spec_from_file_location("bench_run", _PATH)
assert _spec and _spec.loader
bench_run = importlib.util.module_from_spec(_spec)
sys.modules["bench_run"] = bench_run  # its dataclasses look themselves up there
_spec.loader.exec_module(bench_run)


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
