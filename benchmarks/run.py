"""Regenerate BENCHMARKS.md: quality, what each signal adds, cost, scaling and confidence.

    .venv/bin/python benchmarks/run.py                      # every section, writes BENCHMARKS.md
    .venv/bin/python benchmarks/run.py --only quality --set pol-dev --stdout
    .venv/bin/python benchmarks/run.py --skip scaling --skip batch

Sections (in file order): ``quality`` (every gold set in ``../shared/bench``,
found there with its source and target by ``align.evaluate.bench_sets``, so a set
added later is run too; cold: cache off, each set in its own process),
``ablation`` (F1 with one signal's weight zeroed),
``gaps`` (F1 with a block of sentences cut from one side), ``moved`` (pairing
out of order, with sentences cut from both sides), ``traditional``
(the Chinese sets in Traditional characters), ``scaling``
(MAC-Dev concatenated 1×, 4×, 8×, each size in its own process, cache off),
``confidence`` (reliability by confidence bucket) and ``batch``
(``benchmarks/batch_scale.py``, when present). Running some sections
rewrites only those in BENCHMARKS.md and keeps the others, so the heavy ones
can be run separately. The ablation, gaps, moved and confidence sections use the
embedding cache (``--cache-dir``; quality and scaling never do).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # its siblings, however it is loaded
from machine import machine, machine_speed, speed_range  # noqa: E402

from align.encoders.base import encode_joined  # noqa: E402
from align.evaluate import WRONG_KINDS, bench_sets  # noqa: E402  (the checkout's, not an installed copy)
from align.significance import BLOCK, SAMPLES  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"
OUTPUT = ROOT / "BENCHMARKS.md"
SETS = bench_sets(BENCH)  # every gold set there, a set added later included
PUBLISHED = {"mac-dev": 0.861, "pol-dev": 0.972, "text+berg": 0.911}
SCALES = (1, 4, 8)
SECTIONS = (
    "quality",
    "ablation",
    "gaps",
    "moved",
    "traditional",
    "scaling",
    "confidence",
    "batch",
)
GAP_CUTS = (10, 40)  # sentences cut from one side of every document, at 40% of its length
BOTH_CUTS = ((3, 2, 0.4), (10, 5, 0.4), (3, 2, 0.7), (5, 5, 0.6))  # size, gap, where


@dataclass
class TimedEncoder:
    """Wraps an encoder to count its calls and texts and time them."""

    inner: object
    calls: int = 0
    texts: int = 0
    chars: int = 0
    seconds: float = 0.0
    name: str = field(init=False)
    version: str = field(init=False)
    dim: int = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.inner.name  # type: ignore[attr-defined]
        self.version = self.inner.version  # type: ignore[attr-defined]
        self.dim = self.inner.dim  # type: ignore[attr-defined]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._timed(list(texts), lambda: self.inner.encode(texts))  # type: ignore[attr-defined]

    def encode_joined(self, runs: Sequence[Sequence[str]], sep: str) -> np.ndarray:
        """Runs as the inner encoder builds them (USE-m3 from its sentences' rows), counted
        as the texts they are."""
        joined = [sep.join(r) for r in runs]
        return self._timed(joined, lambda: encode_joined(self.inner, runs, sep))  # type: ignore[arg-type]

    def _timed(self, texts: list[str], encode: Callable[[], np.ndarray]) -> np.ndarray:
        started = time.perf_counter()
        out = encode()
        self.seconds += time.perf_counter() - started
        self.calls += 1
        self.texts += len(texts)
        self.chars += sum(len(t) for t in texts)
        return out


def peak_mib() -> float:
    """This process's own peak resident memory, in MiB.

    ``/proc/self/status``'s VmHWM, where there is one: Linux carries ``ru_maxrss``
    across ``exec``, so a child started by this script after an in-process section
    (the ablation's 390 MiB) reported the parent's peak as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(*args: str) -> dict[str, object]:
    """Run this script with ``args`` in a fresh process; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- quality (cold) ------------------------------------------------------------------------


def run_quality(name: str, model: str) -> dict[str, object]:
    from align import __version__
    from align.aligner import AlignConfig
    from align.encoders import load_encoder
    from align.evaluate import evaluate, match_counts
    from align.significance import interval

    src_lang, tgt_lang = SETS[name]
    folder = BENCH / name
    speed_before = machine_speed()
    started = time.perf_counter()
    encoder = TimedEncoder(load_encoder(model))
    loaded = time.perf_counter()
    result = evaluate(
        folder / src_lang,
        folder / tgt_lang,
        folder / "gold",
        encoder,  # type: ignore[arg-type]
        AlignConfig(),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
    )
    done = time.perf_counter()
    speed_after = machine_speed()
    sentences = sum(d.src_sentences + d.tgt_sentences for d in result.documents)
    aligning = done - loaded
    spread = interval(result.documents)
    return {
        "set": name,
        "scores": result.scores.as_dict(),
        "interval": [round(spread.low, 4), round(spread.high, 4)],
        "ceiling": round(result.ceiling().f1_strict, 4),
        "by_type": {k: [n, round(share, 3)] for k, (n, share) in result.found_by_type().items()},
        "wrong_kinds": result.wrong_kinds(),
        "by_document": [
            {
                "document": d.name,
                "sentences": d.src_sentences + d.tgt_sentences,
                "f1_strict": round(d.scores.f1_strict, 4),
                "ceiling": round(ceiling.f1_strict, 4),
                "wrong": match_counts(d.gold, d.test).fp_strict,
            }
            for d, ceiling in zip(result.documents, result.document_ceilings(), strict=True)
        ],
        "documents": len(result.documents),
        "sentences": sentences,
        "seconds": round(done - started, 2),
        "sentences_per_second": round(sentences / (done - started), 1),
        "peak_mib": peak_mib(),
        "encoder_calls": encoder.calls,
        "texts_per_sentence": round(encoder.texts / sentences, 2),
        "chars_per_char": round(encoder.chars / input_chars(name), 2),
        "outside_encoder": round(1 - encoder.seconds / aligning, 3),
        "gflops_before": speed_before,
        "gflops_after": speed_after,
        "encoder": f"{encoder.name} ({encoder.version})",
        "tool": __version__,
    }


def input_chars(name: str) -> int:
    """The characters of a gold set's sentences, both sides."""
    return sum(len(line) for src, tgt, _ in documents(name) for line in src + tgt)


def quality_section(rows: list[dict[str, object]]) -> str:
    lines = [
        "## Quality",
        "",
        "Metric: strict and lax F1 over beads, micro-averaged (Vecalign's definition, "
        "`../shared/bench/README.md`). 'Bertalign (USE-m3)' is the published figure of "
        "Bertalign's algorithm with the same encoder on this machine. 'Ceiling' is the "
        "F1 strict of the best beads a monotone aligner could output "
        "(`align.evaluate.best_possible`: contiguous, in order, the default bead sizes), "
        "scored against the same gold; it is under 1 where a gold bead skips lines, "
        "crosses another or is larger than the sizes allow. Pairing out of order "
        "(`Bead.moved`) can get a crossing 1-1 gold bead right, so a document may score "
        "above it. '95% interval' is how far the same aligner could score on other "
        "documents of the same kind: a block bootstrap (`align.significance.interval`; "
        f"each document cut into blocks of {BLOCK} gold beads, blocks drawn with replacement, "
        f"{SAMPLES} draws), so a set of six documents is read with its spread, not to the "
        "fourth decimal. Cache off: every text is encoded. 'Machine GFLOP/s' is how fast "
        "this machine multiplied the encoder's commonest matrices just before and just "
        "after the set ran (`machine_speed`): a shared machine's speed moves by half from "
        "one minute to the next, and sentences per second move with it, so compare two "
        "versions of the code by timing them in turn (`farm-bench --vs`), not by two "
        "generations of this file.",
        "",
        "| set | docs | sentences | F1 strict | 95% interval | F1 lax | P strict | R strict "
        "| ceiling | Bertalign (USE-m3) | sentences/s | time (s) | peak MiB | machine GFLOP/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        s = r["scores"]
        assert isinstance(s, dict)
        low, high = r["interval"]  # type: ignore[misc]
        lines.append(
            f"| {r['set']} | {r['documents']} | {r['sentences']} | {s['f1_strict']:.4f} "
            f"| {low:.3f}–{high:.3f} | {s['f1_lax']:.3f} | {s['precision_strict']:.3f} "
            f"| {s['recall_strict']:.3f} "
            f"| {r['ceiling']:.3f} | {_published(str(r['set']))} "
            f"| {r['sentences_per_second']} | {r['seconds']} "
            f"| {r['peak_mib']} | {speed_range(r)} |"
        )
    lines += ["", *by_type_table(rows)]
    lines += ["", *wrong_kinds_table(rows)]
    lines += ["", *by_document_table(rows)]
    lines += [
        "",
        "Time is end to end in one process: encoder loading, encoding, alignment.",
        "",
        "Cost of one alignment. Each distinct text is encoded once per document: "
        "every sentence (and its first and last clause), and the runs of consecutive "
        "sentences that the likely beads join: a first lattice takes each run as the "
        "mean of its sentences, and only the runs of beads with at least "
        "`AlignConfig.prune` of its paths have their joined text encoded. Encoder calls "
        "are per document: one for the sentences, one for those runs, and one more where "
        "the path or its stray-sentence test needs a run that was not among them "
        "(a call per side for runs). 'Characters encoded per character' is the text the "
        "encoder is asked to embed against the input's length (a run of five sentences "
        "is five sentences' worth of text); USE-m3 builds most runs from the token rows "
        "of their sentences and of each pair of neighbours (`align.encoders.use_runs`), "
        "so a run costs a fraction of its characters; 'outside "
        "the encoder' is the share of the alignment time (after loading the model) spent "
        "in everything but the encoder's `encode`: anchors, scoring, dynamic "
        "programming, confidence.",
        "",
        "| set | docs | encoder calls | texts encoded per sentence "
        "| characters encoded per character | time outside the encoder |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        share = float(r["outside_encoder"])  # type: ignore[arg-type]
        lines.append(
            f"| {r['set']} | {r['documents']} | {r['encoder_calls']} "
            f"| {r['texts_per_sentence']} | {r.get('chars_per_char', '–')} | {share:.1%} |"
        )
    return "\n".join(lines) + "\n"


def _published(name: str) -> str:
    return f"{PUBLISHED[name]:.3f}" if name in PUBLISHED else "–"


def by_document_table(rows: list[dict[str, object]]) -> list[str]:
    """Each document's F1 beside its own ceiling: which documents hold a set's loss, and
    how much of it the gold leaves to the aligner."""
    out = [
        "By document: F1 strict, the document's own ceiling (as above), and the beads "
        "the aligner output that are not gold beads. A document far under its ceiling is "
        "the aligner's loss; a low ceiling is the gold's beads that skip or cross lines.",
        "",
        "| set | document | sentences | F1 strict | ceiling | wrong beads |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        for d in r.get("by_document", []):  # type: ignore[attr-defined]
            out.append(
                f"| {r['set']} | {d['document']} | {d['sentences']} | {d['f1_strict']:.4f} "
                f"| {d['ceiling']:.3f} | {d['wrong']} |"
            )
    return out


def by_type_table(rows: list[dict[str, object]], most: int = 8) -> list[str]:
    """Share of each gold bead shape found exactly, per set: the shapes F1 averages away."""
    counts: dict[str, int] = {}
    for r in rows:
        for shape, (n, _) in r["by_type"].items():  # type: ignore[attr-defined]
            counts[shape] = counts.get(shape, 0) + n
    shapes = sorted(counts, key=lambda k: (-counts[k], k))[:most]
    out = [
        f"Gold beads found exactly, by shape (source-target sentences; the {most} most "
        "common shapes): share found (gold beads of that shape).",
        "",
        "| set | " + " | ".join(shapes) + " |",
        "|---|" + "---|" * len(shapes),
    ]
    for r in rows:
        found = r["by_type"]
        cells = [
            f"{found[k][1]:.2f} ({found[k][0]})" if k in found else "–"  # type: ignore[index,operator]
            for k in shapes
        ]
        out.append(f"| {r['set']} | " + " | ".join(cells) + " |")
    return out


def wrong_kinds_table(rows: list[dict[str, object]]) -> list[str]:
    """The wrong beads of each set by kind (``align.evaluate.wrong_kind``)."""
    out = [
        "Wrong beads by kind (`align.evaluate.wrong_kind`): *finer* lies inside one gold "
        "bead on both sides (the gold joins it with a neighbour); *coarser* is whole gold "
        "beads joined, still a right pair for a translation memory, only a longer one; "
        "*shifted* has a boundary in the wrong place; *one-sided* leaves a line without the "
        "translation the gold pairs it with.",
        "",
        "| set | wrong beads | " + " | ".join(WRONG_KINDS) + " |",
        "|---|---|" + "---|" * len(WRONG_KINDS),
    ]
    for r in rows:
        kinds = r["wrong_kinds"]
        assert isinstance(kinds, dict)
        out.append(
            f"| {r['set']} | {sum(kinds.values())} | "
            + " | ".join(str(kinds[k]) for k in WRONG_KINDS)
            + " |"
        )
    return out


# --- ablation (cached) ---------------------------------------------------------------------


def cached_encoder(model: str, cache_dir: Path) -> object:
    from align.encoders import load_encoder

    return load_encoder(model, cache_dir=cache_dir)


def f1_strict_and_cost(
    name: str, encoder: object, config: object
) -> tuple[float, float, dict[str, float], list[object]]:
    """F1 strict of a set, the texts encoded per sentence to get it, each document's F1,
    and the documents' results (for a paired test against another setting's)."""
    from align.aligner import AlignStats
    from align.evaluate import evaluate

    src_lang, tgt_lang = SETS[name]
    folder = BENCH / name
    stats = AlignStats()
    result = evaluate(
        folder / src_lang,
        folder / tgt_lang,
        folder / "gold",
        encoder,  # type: ignore[arg-type]
        config,  # type: ignore[arg-type]
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        stats=stats,
    )
    sentences = sum(d.src_sentences + d.tgt_sentences for d in result.documents)
    per_document = {f"{name}/{d.name}": d.scores.f1_strict for d in result.documents}
    return result.scores.f1_strict, stats.texts_encoded / sentences, per_document, result.documents


def documents_moved(base: dict[str, float], variant: dict[str, float]) -> tuple[int, int]:
    """How many documents score lower, and how many higher, under ``variant`` than ``base``.

    A signal whose gain comes from one document (one novel's dialogue, one
    yearbook's captions) is a signal tuned to that document; the count shows
    whether a set's change is spread or concentrated.
    """
    lower = sum(variant[d] < base[d] - 1e-9 for d in base)
    higher = sum(variant[d] > base[d] + 1e-9 for d in base)
    return lower, higher


def ablation_variants() -> list[tuple[str, object]]:
    """The default settings, then each signal switched off, then the options not taken."""
    from align.aligner import AlignConfig

    base = AlignConfig()
    out: list[tuple[str, object]] = [("default", base)]
    for f in fields(base.weights):
        weight = getattr(base.weights, f.name)
        if weight and f.name != "similarity":
            out.append((f"without {f.name} ({weight:g})", _with_weight(base, f.name, 0.0)))
    flat = replace(base, gap_open=0.0, gap_extend=-0.2)
    out.append(("gaps: no opening cost, −0.2 a sentence", flat))
    out.append(("gaps: one omitted sentence −0.15, not −0.2", replace(base, gap_open=-0.13)))
    out.append(("runs: joined text only (joined 1)", replace(base, joined=1.0)))
    out.append(("runs: mean of their sentences only (joined 0)", replace(base, joined=0.0)))
    out.append(("no growing past max_bead (grow off)", replace(base, grow=None)))
    out.append(("no pairing out of order (moved off)", replace(base, moved=None)))
    out.append(("every run in the band encoded (prune off)", replace(base, prune=None)))
    loose = replace(base, moved=0.4, moved_margin=0.05)
    out.append(("pairing out of order at 0.4, margin 0.05", loose))
    out.append(("max_bead 4 instead of 5", replace(base, max_bead=4)))
    out.append(("max_bead 6 instead of 5", replace(base, max_bead=6)))
    return out


def _with_weight(config: object, name: str, value: float) -> object:
    weights = replace(config.weights, **{name: value})  # type: ignore[attr-defined]
    return replace(config, weights=weights)  # type: ignore[type-var]


def ablation_section(model: str, cache_dir: Path, sets: Sequence[str]) -> str:
    from align.signals import Weights
    from align.significance import compare_sets

    encoder = cached_encoder(model, cache_dir)
    rows = []
    for label, config in ablation_variants():
        got = {name: f1_strict_and_cost(name, encoder, config) for name in sets}
        rows.append((label, {name: f1 for name, (f1, *_) in got.items()}, got))
        print(f"ablation {label}: {rows[-1][1]}", file=sys.stderr)
    base = rows[0][1]
    base_docs = {d: f1 for _, _, docs, _ in rows[0][2].values() for d, f1 in docs.items()}
    lines = [
        "## What each signal adds",
        "",
        "A bead's gain is a weighted sum of the signals in `align/signals.py` "
        f"(`Weights`: {', '.join(f.name for f in fields(Weights))}); each row below "
        "sets one weight to zero (or changes one setting) and nothing else. F1 strict; "
        "the change from the default in brackets, in points (a set's F1 × 100). "
        f"'Documents lower / higher': of the {len(base_docs)} documents of the sets, how many "
        "score lower and how many higher than with the default settings, so a change that "
        "one document makes is told from one spread over many. "
        "'Mean change (95%), p' is a paired block bootstrap over the sets together "
        f"(`align.significance.compare_sets`: each set's documents cut into blocks of {BLOCK} "
        "gold beads, the same blocks drawn for both settings, each set weighing the same): "
        "the change in the sets' mean F1 strict in points, its 95% interval, and the "
        "chance of a change this large if the setting made none; under 0.05, the "
        "setting's effect is more than the documents' luck. "
        "The last column is the encoder's work: distinct texts encoded per sentence, "
        "the mean over the sets.",
        "",
        "| settings | "
        + " | ".join(sets)
        + " | documents lower / higher | mean change (95%), p | texts per sentence |",
        "|---|" + "---|" * (len(sets) + 3),
    ]
    for label, scores, got in rows:
        cells = []
        for name in sets:
            delta = (scores[name] - base[name]) * 100
            cells.append(f"{scores[name]:.4f}" + ("" if label == "default" else f" ({delta:+.2f})"))
        docs = {d: f1 for _, _, per, _ in got.values() for d, f1 in per.items()}
        lower, higher = documents_moved(base_docs, docs)
        moved = "–" if label == "default" else f"{lower} / {higher}"
        paired = "–"
        if label != "default":
            c = compare_sets([(rows[0][2][name][3], got[name][3]) for name in sets])
            paired = (
                f"{c.delta.score * 100:+.2f} ({c.delta.low * 100:+.2f} to "
                f"{c.delta.high * 100:+.2f}), p {c.p_value:.3f}"
            )
        per_sentence = sum(cost for _, cost, *_ in got.values()) / len(got)
        lines.append(
            f"| {label} | " + " | ".join(cells) + f" | {moved} | {paired} | {per_sentence:.2f} |"
        )
    return "\n".join(lines) + "\n"


# --- gaps (cached) -------------------------------------------------------------------------


def documents(name: str) -> list[tuple[list[str], list[str], list]]:
    """Each document of a gold set: its source and target lines and its gold beads."""
    from align.evaluate import bench_documents, parse_beads, read_lines

    src_lang, tgt_lang = SETS[name]
    folder = BENCH / name
    return [
        (
            read_lines(folder / src_lang / doc),
            read_lines(folder / tgt_lang / doc),
            parse_beads((folder / "gold" / doc).read_text(encoding="utf-8")),
        )
        for doc in bench_documents(folder / src_lang, folder / tgt_lang, folder / "gold")
    ]


def cut_scores(name: str, encoder: object, config: object, side: int, size: int) -> tuple:
    """F1 strict of a set with ``size`` lines cut from one side of every document at 40%
    of its length, against the gold with their partners as omissions; and the share of
    those new omissions found (the other side's: the cut side's own are only renumbered)."""
    from align.aligner import align_texts
    from align.evaluate import score, without_lines

    src_lang, tgt_lang = SETS[name]
    golds, tests, orphans, found = [], [], 0, 0
    for src, tgt, gold in documents(name):
        sides = [src, tgt]
        start = int(len(sides[side]) * 0.4)
        cut = range(start, min(start + size, len(sides[side])))
        sides[side] = [line for k, line in enumerate(sides[side]) if k not in cut]
        expected = without_lines(gold, side, cut)
        beads = align_texts(*sides, encoder, config, src_lang, tgt_lang)  # type: ignore[arg-type]
        test = {(b.src, b.tgt) for b in beads}
        kept = set(gold)
        new = [b for b in expected if b[1 - side] and not b[side] and b not in kept]
        orphans += len(new)
        found += sum(b in test for b in new)
        golds.append(expected)
        tests.append(list(test))
    return score(golds, tests).f1_strict, found / max(orphans, 1)


def gaps_section(model: str, cache_dir: Path, sets: Sequence[str]) -> str:
    from align.aligner import AlignConfig

    encoder = cached_encoder(model, cache_dir)
    variants = [
        ("default", AlignConfig()),
        ("no opening cost", AlignConfig(gap_open=0.0, gap_extend=-0.2)),
    ]
    lines = [
        "## A paragraph missing from one version",
        "",
        "Every document of a set with a block of sentences cut from one side at 40% of its "
        "length; their partners on the other side become omissions in the gold "
        "(`align.evaluate.without_lines`). F1 strict over the whole set, and in brackets the "
        "share of those new omissions the aligner finds. 'default' charges a run of omitted "
        "sentences `gap_open` (−0.18) once and `gap_extend` (−0.02) per sentence; 'no opening "
        "cost' charges −0.2 per sentence, so one omitted sentence costs the same in both. "
        "Charged per sentence only, a long omission is cheaper to spread over the "
        "neighbouring beads as extra sentences than to skip.",
        "",
        "| set | cut | " + " | ".join(label for label, _ in variants) + " |",
        "|---|---|" + "---|" * len(variants),
    ]
    for name in sets:
        base = [f"{f1_strict_and_cost(name, encoder, c)[0]:.4f}" for _, c in variants]
        lines.append(f"| {name} | none | " + " | ".join(base) + " |")
        for side, label in ((0, "source"), (1, "target")):
            for size in GAP_CUTS:
                cells = []
                for _, config in variants:
                    f1, share = cut_scores(name, encoder, config, side, size)
                    cells.append(f"{f1:.4f} ({share:.0%})")
                lines.append(f"| {name} | {size} {label} | " + " | ".join(cells) + " |")
                print(f"gaps {name} {size} {label}: {cells}", file=sys.stderr)
    return "\n".join(lines) + "\n"


# --- pairing out of order (cached) --------------------------------------------------------


def both_cut_scores(
    name: str, encoder: object, config: object, cut: tuple[int, int, float] | None
) -> tuple[float, list[str]]:
    """F1 strict of a set with ``size`` source sentences cut at ``where`` of each document
    and, ``gap`` sentences after them, the target of the next ``size`` (``cut`` None: as
    it is); and each moved bead as ``gold``, ``inside`` (one gold bead holds it) or
    ``wrong``. Both sides then have sentences whose translation is gone, near each other."""
    from align.aligner import align_texts
    from align.evaluate import score, without_lines

    src_lang, tgt_lang = SETS[name]
    golds, tests, verdicts = [], [], []
    for src, tgt, gold in documents(name):
        if cut is not None:
            size, gap, where = cut
            start = int(len(src) * where)
            src_cut = set(range(start, min(start + size, len(src))))
            after = start + size + gap
            next_targets = [t for s, t in gold if s and after <= min(s) and max(s) < after + size]
            tgt_cut = {j for t in next_targets for j in t}
            gold = without_lines(without_lines(gold, 0, src_cut), 1, tgt_cut)
            src = [line for i, line in enumerate(src) if i not in src_cut]
            tgt = [line for j, line in enumerate(tgt) if j not in tgt_cut]
        beads = align_texts(src, tgt, encoder, config, src_lang, tgt_lang)  # type: ignore[arg-type]
        for b in beads:
            if b.moved:
                holder = [g for g in gold if set(b.src) <= set(g[0]) and set(b.tgt) <= set(g[1])]
                verdicts.append(
                    "gold" if (b.src, b.tgt) in gold else "inside" if holder else "wrong"
                )
        golds.append(gold)
        tests.append([(b.src, b.tgt) for b in beads])
    return score(golds, tests).f1_strict, verdicts


def moved_section(model: str, cache_dir: Path, sets: Sequence[str]) -> str:
    from align.aligner import AlignConfig

    encoder = cached_encoder(model, cache_dir)
    variants = [
        ("off", AlignConfig(moved=None)),
        ("default", AlignConfig()),
        ("0.4, margin 0.05", AlignConfig(moved=0.4, moved_margin=0.05)),
    ]
    lines = [
        "## Sentences paired out of order",
        "",
        "A caption, box or footnote one version's layout put elsewhere leaves a sentence "
        "unaligned, and its translation a few beads away unaligned too or at the end of a "
        "neighbour's bead; the aligner pairs such two where each is the other's nearest "
        "candidate within `moved_within` beads, their similarity is at least "
        "`AlignConfig.moved` and it beats every other sentence near them by `moved_margin` "
        "(`Bead.moved`, flagged `moved`). Each set as it is, then with sentences cut from "
        "both sides near each other, so that both have sentences whose translation is gone "
        "(size source sentences at a share of each document, then, gap sentences on, the "
        "target of the next size): sentences that only tell the same story must stay apart. "
        "F1 strict, then the moved beads: gold / inside one gold bead / wrong.",
        "",
        "| set | cut | " + " | ".join(label for label, _ in variants) + " |",
        "|---|---|" + "---|" * len(variants),
    ]
    for name in sets:
        for cut in (None, *BOTH_CUTS):
            cells = []
            for _, config in variants:
                f1, verdicts = both_cut_scores(name, encoder, config, cut)
                tally = "/".join(str(verdicts.count(v)) for v in ("gold", "inside", "wrong"))
                cells.append(f"{f1:.4f} ({tally})")
            where = "none" if cut is None else f"{cut[0]}, gap {cut[1]}, at {cut[2]:.0%}"
            lines.append(f"| {name} | {where} | " + " | ".join(cells) + " |")
            print(f"moved {name} {where}: {cells}", file=sys.stderr)
    return "\n".join(lines) + "\n"


# --- Traditional Chinese (cached) ----------------------------------------------------------


def traditional_section(model: str, cache_dir: Path, sets: Sequence[str]) -> str:
    """The Chinese gold sets turned into Traditional characters (``benchmarks/traditional.py``),
    aligned with the Chinese compared as written and as Simplified (the default)."""
    import tempfile
    from unittest import mock

    from align.aligner import AlignConfig

    convert = _sibling("traditional")
    encoder = cached_encoder(model, cache_dir)
    lines = [
        "## Traditional Chinese",
        "",
        "No gold set is in Traditional characters, so the Chinese side of each Chinese set is "
        "turned into them (`benchmarks/traditional.py`: CC-CEDICT's words by longest match; "
        "the script changes, not the vocabulary). 'as written' is F1 strict with that text "
        "given to the encoder; 'as Simplified' (the default) compares a Traditional side as "
        "Simplified (`align.hanzi.as_simplified`), since the encoder knows Simplified Chinese "
        "far better. The TM keeps the text as written either way. Both conversions use "
        "CC-CEDICT, so the round trip is close to exact by construction: 'as Simplified' "
        "matching the original says the script costs nothing any more, not that Taiwan's "
        "or Hong Kong's own vocabulary (軟體 for 软件) aligns as well.",
        "",
        "| set | original (Simplified) | Traditional, as written | Traditional, as Simplified |",
        "|---|---|---|---|",
    ]
    for name in sets:
        src_lang, tgt_lang = SETS[name]
        chinese = next((lang for lang in (src_lang, tgt_lang) if lang.startswith("zh")), None)
        if chinese is None:
            continue
        original = f1_strict_and_cost(name, encoder, AlignConfig())[0]
        with tempfile.TemporaryDirectory() as tmp:
            folder = convert.traditional_set(BENCH / name, chinese, Path(tmp) / name)

            compared = _f1_of(folder, src_lang, tgt_lang, encoder)
            with mock.patch("align.aligner.as_simplified", lambda texts, lang: texts):
                written = _f1_of(folder, src_lang, tgt_lang, encoder)
        lines.append(f"| {name} | {original:.4f} | {written:.4f} | {compared:.4f} |")
        print(f"traditional {name}: {original:.4f} {written:.4f} {compared:.4f}", file=sys.stderr)
    return "\n".join(lines) + "\n"


def _f1_of(folder: Path, src_lang: str, tgt_lang: str, encoder: object) -> float:
    """F1 strict of a gold set laid out as ``../shared/bench``'s, default settings."""
    from align.evaluate import evaluate

    result = evaluate(
        folder / src_lang,
        folder / tgt_lang,
        folder / "gold",
        encoder,  # type: ignore[arg-type]
        src_lang=src_lang,
        tgt_lang=tgt_lang,
    )
    return result.scores.f1_strict


def _sibling(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as a module (this folder is no package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- scaling (cold, one process per size) --------------------------------------------------


def concatenated(times: int) -> tuple[list[str], list[str], list]:
    """All MAC-Dev chapters end to end, ``times`` over, with the gold shifted to match."""
    from align.evaluate import bench_documents, parse_beads, read_lines

    folder = BENCH / "mac-dev"
    src: list[str] = []
    tgt: list[str] = []
    gold: list = []
    names = bench_documents(folder / "zh", folder / "en", folder / "gold")
    for _ in range(times):
        for name in names:
            zh, en = read_lines(folder / "zh" / name), read_lines(folder / "en" / name)
            beads = parse_beads((folder / "gold" / name).read_text(encoding="utf-8"))
            gold += [
                (tuple(i + len(src) for i in s), tuple(j + len(tgt) for j in t)) for s, t in beads
            ]
            src += zh
            tgt += en
    return src, tgt, gold


def run_scaling(times: int, model: str) -> dict[str, object]:
    from align.aligner import AlignConfig, AlignStats, align_texts
    from align.encoders import load_encoder
    from align.evaluate import score

    src, tgt, gold = concatenated(times)
    encoder = TimedEncoder(load_encoder(model))
    stats = AlignStats()
    speed_before = machine_speed()
    started = time.perf_counter()
    beads = align_texts(src, tgt, encoder, AlignConfig(), "zh", "en", stats=stats)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    speed_after = machine_speed()
    return {
        "times": times,
        "sentences": len(src) + len(tgt),
        "seconds": round(seconds, 2),
        "encoder_seconds": round(encoder.seconds, 2),
        "peak_mib": peak_mib(),
        "f1_strict": round(score([gold], [[(b.src, b.tgt) for b in beads]]).f1_strict, 4),
        "texts_encoded": stats.texts_encoded,
        "dp_cells": stats.dp_cells,
        "gflops_before": speed_before,
        "gflops_after": speed_after,
    }


def scaling_section(model: str) -> str:
    rows = []
    for times in SCALES:
        rows.append(child("--scale", str(times), "--model", model))
        print(f"scaling {times}x: {rows[-1]}", file=sys.stderr)
    one = rows[0]
    lines = [
        "## Scaling with document length",
        "",
        "One long document: the six MAC-Dev chapters end to end, repeated 1×, 4× and 8×, "
        "aligned in one `align_texts` call, each size in its own process (peak memory is "
        "that process's, model included), cache off. Time is the alignment alone (the "
        "model is loaded first). A repeated text is encoded once per run, so the encoder "
        "time hardly grows; DP cells are the lattice cells searched. 'Machine GFLOP/s' "
        "is as in the quality table: a ratio read across rows run at different speeds "
        "is off by as much.",
        "",
        "| size | sentences | time (s) | of which encoder (s) | peak MiB | DP cells "
        "| F1 strict | time / 1× | memory / 1× | machine GFLOP/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        t_ratio = float(r["seconds"]) / float(one["seconds"])  # type: ignore[arg-type]
        m_ratio = float(r["peak_mib"]) / float(one["peak_mib"])  # type: ignore[arg-type]
        lines.append(
            f"| {r['times']}× | {r['sentences']} | {r['seconds']} | {r['encoder_seconds']} "
            f"| {r['peak_mib']} | {r['dp_cells']} | {r['f1_strict']:.3f} "
            f"| {t_ratio:.2f} | {m_ratio:.2f} | {speed_range(r)} |"
        )
    return "\n".join(lines) + "\n"


# --- confidence (cached) -------------------------------------------------------------------


def confidence_section(model: str, cache_dir: Path, sets: Sequence[str]) -> str:
    from fit_confidence import (
        FIT_ON,
        FIT_SETS,
        auc,
        calibrate,
        calibrated_below,
        collect,
        errors_below,
        reliability,
    )

    from align.aligner import AlignConfig

    encoder = cached_encoder(model, cache_dir)
    labelled = {name: collect(name, encoder, AlignConfig()) for name in sets}  # type: ignore[arg-type]
    results = {name: (got.confidence, got.correct) for name, got in labelled.items()}
    labels = [label for label, _, _ in reliability(np.zeros(0), np.zeros(0, bool))]
    lines = [
        "## Confidence",
        "",
        f"Every bead's confidence is a logistic of its evidence fitted on {FIT_ON} "
        "(`align.signals.Calibration`, refit with `benchmarks/fit_confidence.py`), except "
        f"the term for omissions, fitted on the omissions of {', '.join(FIT_SETS)} (the "
        "aligner leaves one or two MAC-Dev sentences unaligned); for every other term the "
        "other sets are out of sample. The evidence that tells right from wrong best is "
        "the bead's posterior, its share of all paths through the lattice "
        "(forward-backward; there each bead's gain is weighed by its size and gaps cost "
        "half, `AlignConfig.posterior_size` and `posterior_gap`, so that joining two "
        "sentences or leaving one out competes with the path's choice). Per confidence "
        "bucket: beads, and the share of "
        "them strictly right (a calibrated confidence has the share inside the bucket).",
        "",
        "| confidence | " + " | ".join(f"{name} beads | {name} right" for name in sets) + " |",
        "|---|" + "---|---|" * len(sets),
    ]
    tables = {name: reliability(conf, ok) for name, (conf, ok) in results.items()}
    for k, label in enumerate(labels):
        cells = []
        for name in sets:
            _, count, share = tables[name][k]
            cells.append(f"{count} | {'–' if math.isnan(share) else f'{share:.3f}'}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "What a reviewer who checks only the beads under a threshold finds: the share of "
        "all strictly wrong beads that are under it, and the share of all beads they must "
        "read. 'At best, calibrated' is the share under 0.5 of the confidence that orders "
        "the beads the same way and is exactly calibrated on this set "
        "(`fit_confidence.calibrated_below`: isotonic regression, in sample); no "
        "calibration of this order can put more of the errors under 0.5, only a better "
        "order can.",
        "",
        "| set | beads | strictly right | AUC | wrong under 0.5 | at best, calibrated "
        "| beads under 0.5 | wrong under 0.8 | beads under 0.8 | wrong under 0.9 "
        "| beads under 0.9 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (conf, ok) in results.items():
        cells = [f"{name}", f"{len(ok)}", f"{ok.mean():.3f}", f"{auc(conf, ok):.3f}"]
        for threshold in (0.5, 0.8, 0.9):
            cells.append(f"{errors_below(conf, ok, threshold):.0%}")
            if threshold == 0.5:
                cells.append(f"{calibrated_below(conf, ok, threshold):.0%}")
            cells.append(f"{(conf < threshold).mean():.0%}")
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "What a reviewer who checks every bead the report flags finds (`align.flags`: "
        "under 0.5, a close call (0.5 or over, with an `alternative`: another cut with "
        "at least `AlignConfig.alternative` of the paths), a stray sentence, numbers, "
        "quotes, length or one side empty): the share of the wrong beads flagged, the "
        "share of all beads flagged, the share of the flagged beads that are wrong, and "
        "the flags most often on wrong beads. Then how often a wrong bead's `alternative` "
        "(the likeliest other cut, which the low-confidence and close-call flags name) is "
        "the gold bead: for the wrong beads under 0.5, and for all of them.",
        "",
        "| set | wrong flagged | beads flagged | flagged that are wrong | on wrong beads "
        "| alternative is the gold, under 0.5 | alternative is the gold, all wrong |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, got in labelled.items():
        flagged = np.array([bool(codes) for codes in got.flags])
        wrong = ~got.correct
        on_wrong = Counter(c for codes, w in zip(got.flags, wrong, strict=True) if w for c in codes)
        top = ", ".join(f"{code} {count}" for code, count in on_wrong.most_common(4))
        low = wrong & (got.confidence < 0.5)
        lines.append(
            f"| {name} | {_share(flagged[wrong])} | {_share(flagged)} "
            f"| {_share(wrong[flagged])} | {top or '–'} "
            f"| {_count(got.rival_right[low])} | {_count(got.rival_right[wrong])} |"
        )
    lines += [
        "",
        "What the posterior's lattice adds: the confidence refitted as "
        "`benchmarks/fit_confidence.py` does, with the posterior computed on the path's "
        "own gains, then with each bead's gain weighed by its size "
        "(`AlignConfig.posterior_size`), then also with gaps at half cost "
        "(`posterior_gap`, the default). The beads are the same in every row; "
        "AUC, and the share of the wrong beads under 0.5.",
        "",
        "| posterior | "
        + " | ".join(f"{name} AUC | {name} wrong under 0.5" for name in sets)
        + " |",
        "|---|" + "---|---|" * len(sets),
    ]
    default = AlignConfig()
    variants = (
        {}
        if FIT_ON not in sets
        else {
            "the path's gains": replace(default, posterior_size=0.0, posterior_gap=1.0),
            "beads weighed by size": replace(default, posterior_gap=1.0),
            "weighed by size, gaps at half cost (default)": default,
        }
    )
    for label, config in variants.items():
        got = labelled if config == default else {n: collect(n, encoder, config) for n in sets}  # type: ignore[arg-type]
        calibration = calibrate(got)
        cells = []
        for name in sets:
            conf = np.array([calibration.confidence(e) for e in got[name].evidence])
            cells.append(
                f"{auc(conf, got[name].correct):.3f} | {errors_below(conf, got[name].correct):.0%}"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "What the wrong beads the confidence misses are: a bead is *finer* than the gold "
        "when it lies inside one gold bead on both sides (the gold joins it with a "
        "neighbour, typically two sentences whose translations cross), so every piece "
        "is laxly right.",
        "",
        "| set | wrong beads | of which finer than the gold | wrong at 0.5 or more "
        "| of which finer than the gold |",
        "|---|---|---|---|---|",
    ]
    for name, got in labelled.items():
        wrong = ~got.correct
        high = wrong & (got.confidence >= 0.5)
        lines.append(
            f"| {name} | {int(wrong.sum())} | {_share(got.finer[wrong])} "
            f"| {int(high.sum())} | {_share(got.finer[high])} |"
        )
    return "\n".join(lines) + "\n"


def _share(flags: np.ndarray) -> str:
    return f"{flags.mean():.0%}" if len(flags) else "–"


def _count(hits: np.ndarray) -> str:
    return f"{int(hits.sum())} of {len(hits)}" if len(hits) else "–"


# --- batch (another module) ----------------------------------------------------------------


def batch_section() -> str | None:
    """``benchmarks/batch_scale.py``'s own section, when that module is there."""
    if not Path(__file__).with_name("batch_scale.py").exists():
        return None
    section: Callable[[], str] = _sibling("batch_scale").section
    return section()


# --- the file ------------------------------------------------------------------------------

_MARK = re.compile(r"<!-- section: (\w+) -->\n(.*?)<!-- /section -->\n", re.S)


def header(model: str) -> str:
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "Generated by `.venv/bin/python benchmarks/run.py`; do not edit by hand "
            "(`--only`/`--skip SECTION` reruns some sections and keeps the others).",
            f"Date: {datetime.now(UTC):%Y-%m-%d}. Machine: {machine()}. "
            f"Encoder: {model}; default settings.",
            "",
        ]
    )


def merge(old: str, new: dict[str, str], model: str) -> str:
    """BENCHMARKS.md with ``new`` sections replacing their old versions, others kept."""
    kept = {name: body for name, body in _MARK.findall(old)}
    kept.update(new)
    if "quality" not in new and (found := re.search(r"Encoder: (.*?); default settings", old)):
        model = found.group(1)
    parts = [header(model)]
    for name in SECTIONS:
        if name in kept:
            parts.append(f"<!-- section: {name} -->\n{kept[name].rstrip()}\n\n<!-- /section -->\n")
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="only these sets")
    ap.add_argument("--only", choices=SECTIONS, action="append", help="only these sections")
    ap.add_argument("--skip", choices=SECTIONS, action="append", default=[], help="skip these")
    ap.add_argument("--model", default="use")
    ap.add_argument("--cache-dir", type=Path, help="embedding cache for ablation/confidence")
    ap.add_argument("--stdout", action="store_true", help="print instead of writing the file")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_quality(args.one, args.model)))
        return
    if args.scale:
        print(json.dumps(run_scaling(args.scale, args.model)))
        return
    from align.encoders import default_cache_dir

    cache_dir = args.cache_dir or default_cache_dir()
    sets = args.set or list(SETS)
    wanted = [s for s in (args.only or SECTIONS) if s not in args.skip]
    out: dict[str, str] = {}
    model_label = args.model
    for name in wanted:
        print(f"== {name}", file=sys.stderr)
        if name == "quality":
            rows = [child("--one", s, "--model", args.model) for s in sets]
            for r in rows:
                print(f"{r['set']}: {r['scores']}", file=sys.stderr)
            model_label = str(rows[0]["encoder"]) if rows else args.model
            out[name] = quality_section(rows)
        elif name == "ablation":
            out[name] = ablation_section(args.model, cache_dir, sets)
        elif name == "gaps":
            out[name] = gaps_section(args.model, cache_dir, sets)
        elif name == "moved":
            out[name] = moved_section(args.model, cache_dir, sets)
        elif name == "traditional":
            out[name] = traditional_section(args.model, cache_dir, sets)
        elif name == "scaling":
            out[name] = scaling_section(args.model)
        elif name == "confidence":
            out[name] = confidence_section(args.model, cache_dir, sets)
        elif name == "batch":
            text = batch_section()
            if text is not None:
                out[name] = text
    if args.stdout:
        print("\n".join(out.values()))
        return
    old = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    OUTPUT.write_text(merge(old, out, model_label), encoding="utf-8")


if __name__ == "__main__":
    main()
