"""Helpers of the BENCHMARKS.md tables (benchmarks/run.py)."""

from __future__ import annotations

import sys

import pytest
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


def test_by_document_table_has_a_row_per_document_of_every_set() -> None:
    rows = [
        {
            "set": "text+berg",
            "by_document": [
                {
                    "document": "001",
                    "sentences": 292,
                    "f1_strict": 0.9114,
                    "ceiling": 0.9545,
                    "wrong": 12,
                },
                {
                    "document": "007",
                    "sentences": 396,
                    "f1_strict": 0.8579,
                    "ceiling": 0.9444,
                    "wrong": 33,
                },
            ],
        },
        {
            "set": "pol-dev",
            "by_document": [
                {
                    "document": "002",
                    "sentences": 2383,
                    "f1_strict": 0.9926,
                    "ceiling": 0.9961,
                    "wrong": 9,
                }
            ],
        },
    ]
    table = bench_run.by_document_table(rows)
    body = [line for line in table if line.startswith("| ") and "document |" not in line]
    assert body == [
        "| text+berg | 001 | 292 | 0.9114 | 0.955 | 12 |",
        "| text+berg | 007 | 396 | 0.8579 | 0.944 | 33 |",
        "| pol-dev | 002 | 2383 | 0.9926 | 0.996 | 9 |",
    ]


def test_input_chars_counts_every_sentence_of_both_sides_without_line_ends() -> None:
    folder = bench_run.BENCH / "text+berg"
    texts = [
        p.read_text(encoding="utf-8") for side in ("de", "fr") for p in (folder / side).iterdir()
    ]
    expected = sum(len(t) - t.count("\n") for t in texts)
    assert bench_run.input_chars("text+berg") == expected > 100_000


def test_cost_table_shows_the_characters_encoded_per_character() -> None:
    row = {
        "set": "pol-dev",
        "scores": {k: 0.99 for k in ("f1_strict", "f1_lax", "precision_strict", "recall_strict")},
        "interval": [0.9852, 0.9981],
        "ceiling": 0.996,
        "by_type": {"1-1": [770, 1.0]},
        "wrong_kinds": {"finer": 6, "coarser": 2, "shifted": 1, "one-sided": 0},
        "by_document": [],
        "documents": 1,
        "sentences": 2383,
        "seconds": 16.66,
        "sentences_per_second": 143.0,
        "peak_mib": 324.5,
        "encoder_calls": 4,
        "texts_per_sentence": 3.48,
        "chars_per_char": 4.26,
        "outside_encoder": 0.28,
    }
    section = bench_run.quality_section([row])
    assert "| pol-dev | 1 | 4 | 3.48 | 4.26 | 28.0% |" in section.splitlines()
    quality = next(line for line in section.splitlines() if line.startswith("| pol-dev | 1 | 2383"))
    assert quality.startswith("| pol-dev | 1 | 2383 | 0.9900 | 0.985–0.998 | 0.990 |")
    assert "| pol-dev | 9 | 6 | 2 | 1 | 0 |" in section.splitlines()


def test_a_child_process_reports_its_own_peak_memory_not_its_parents() -> None:
    """The quality and scaling rows run in children of a process that may be large."""
    import subprocess
    import sys

    ballast = bytearray(600 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(range(0, len(ballast), 4096))  # touch every page
    code = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('r', {bench_run.__file__!r}); "
        "m = importlib.util.module_from_spec(spec); sys.modules['r'] = m; "
        "spec.loader.exec_module(m); "
        "print(m.peak_mib())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    del ballast
    assert 5 < float(done.stdout.strip()) < 400


def test_rows_carry_the_machines_speed_before_and_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared machine's speed moves by half from minute to minute: each timed row says
    how fast the machine multiplied matrices around it, and a row without says so."""
    probe = sys.modules[bench_run.machine_speed.__module__]  # benchmarks/machine.py
    monkeypatch.setattr(probe, "PROBE_SECONDS", 0.05)
    speed = bench_run.machine_speed()
    assert 0.1 < speed < 100_000
    assert bench_run.speed_range({"gflops_before": 118.4, "gflops_after": 61.2}) == "118 / 61"
    assert bench_run.speed_range({}) == "–"
    row = {
        "times": 1,
        "sentences": 10,
        "seconds": 2.0,
        "encoder_seconds": 1.0,
        "peak_mib": 100.0,
        "dp_cells": 5,
        "f1_strict": 0.9,
        "gflops_before": 90.0,
        "gflops_after": 45.0,
    }
    monkeypatch.setattr(bench_run, "child", lambda *args: dict(row))
    lines = bench_run.scaling_section("use").splitlines()
    assert "| 1× | 10 | 2.0 | 1.0 | 100.0 | 5 | 0.900 | 1.00 | 1.00 | 90 / 45 |" in lines


def test_the_batch_table_reads_each_run_against_the_machines_speed() -> None:
    batch = load("batch_scale", "bench_batch_scale")
    configs = ["jobs1", "jobs1+rerun", "jobs2", "dask", "jobs1", "jobs1+default-threads"]
    rows = [
        {
            "config": config,
            "pairs": 200,
            "done": 200,
            "failed": 0,
            "pairs_per_second": 6.0,
            "sentences_per_second": 70.0,
            "cache_hit_rate": 0.08,
            "peak_mib": 300.0,
            "gflops_before": 120.0 + k,
            "gflops_after": 60.0,
        }
        for k, config in enumerate(configs)
    ]
    text = batch.render({"pairs": 200, "small": 50, "corpus_sentences": 2279, "rows": rows})
    assert "| `--jobs 2` | 200 | 6.0 | 70.0 | 8.0% | 300.0 MiB | 122 / 60 |" in text.splitlines()
