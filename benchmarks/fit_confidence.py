"""Refit the bead confidence on MAC-Dev and check it on the other gold sets.

    .venv/bin/python benchmarks/fit_confidence.py

Aligns the development gold sets with the default settings, labels every predicted bead
strictly right or wrong against the gold, fits a logistic regression of that
label on the bead's evidence (``align.aligner.align_with_evidence``) over
MAC-Dev's beads, then the ``omission`` term alone over the omissions of the
three development sets (MAC-Dev's aligner output has one or two, too few to fit it), prints the
constants to paste into ``align.signals.Calibration`` and the reliability of
the fitted confidence on every set (pol-dev and Text+Berg are out of sample
for every other term). Uses the embedding cache (``ALIGN_CACHE_DIR`` or the
default one).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.aligner import AlignConfig, align_with_evidence  # noqa: E402
from align.encoders import Encoder, default_cache_dir, load_encoder  # noqa: E402
from align.evaluate import (  # noqa: E402
    bench_documents,
    bench_sets,
    gold_homes,
    parse_beads,
    read_lines,
)
from align.flags import flag_bead  # noqa: E402
from align.signals import Calibration  # noqa: E402
from align.types import Alignment, Segment  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"
SETS = bench_sets(BENCH)  # every set there can be labelled and reported on
FIT_SETS = ("mac-dev", "pol-dev", "text+berg")  # the development sets; never fit on another
FIT_ON = "mac-dev"
FEATURES = [f.name for f in fields(Calibration) if f.name != "intercept"]
MORE_IS_SURER = {"similarity", "margin", "length", "posterior", "leak"}
BUCKETS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)


@dataclass
class Labelled:
    """Every predicted bead of a gold set, in order: what the calibration sees and the truth.

    ``finer``: the bead is wrong only because the gold joins it with its
    neighbours (it lies inside one gold bead, on both sides). ``flags``: the
    codes of the flags the report raises on it (``align.flags``), low confidence
    among them. ``rival_right``: its ``Bead.alternative`` is a gold bead.
    """

    evidence: list[dict[str, float]]
    confidence: np.ndarray
    correct: np.ndarray
    finer: np.ndarray
    flags: list[list[str]]
    rival_right: np.ndarray


def collect(name: str, encoder: Encoder, config: AlignConfig) -> Labelled:
    """Align a gold set and label every predicted bead strictly right or wrong."""
    src_lang, tgt_lang = SETS[name]
    folder = BENCH / name
    evidence: list[dict[str, float]] = []
    confidence: list[float] = []
    correct: list[bool] = []
    finer: list[bool] = []
    flags: list[list[str]] = []
    rival_right: list[bool] = []
    for doc in bench_documents(folder / src_lang, folder / tgt_lang, folder / "gold"):
        src = read_lines(folder / src_lang / doc)
        tgt = read_lines(folder / tgt_lang / doc)
        gold = parse_beads((folder / "gold" / doc).read_text(encoding="utf-8"))
        home = gold_homes(gold)
        beads, facts = align_with_evidence(
            src, tgt, encoder, config, src_lang=src_lang, tgt_lang=tgt_lang
        )
        evidence += facts
        confidence += [b.confidence for b in beads]
        correct += [(b.src, b.tgt) in set(gold) for b in beads]
        for b in beads:
            homes = {home.get((0, i)) for i in b.src} | {home.get((1, j)) for j in b.tgt}
            finer.append(len(homes) == 1 and None not in homes and (b.src, b.tgt) not in gold)
        alignment = Alignment(src_lang, tgt_lang, _segments(src), _segments(tgt), beads)
        flags += [[f.code for f in flag_bead(alignment, b)] for b in beads]
        rival_right += [b.alternative in gold for b in beads]
    return Labelled(
        evidence,
        np.array(confidence),
        np.array(correct),
        np.array(finer),
        flags,
        np.array(rival_right),
    )


def _segments(sentences: list[str]) -> list[Segment]:
    return [Segment(text, i, 0, len(text)) for i, text in enumerate(sentences)]


def fit(evidence: list[dict[str, float]], correct: np.ndarray, l2: float = 1.0) -> Calibration:
    """Logistic regression by Newton's method, with a small ridge so rare features stay tame.

    A signal of :data:`MORE_IS_SURER` that comes out with a negative weight (the
    margin does once the similarity and the posterior carry what it knows) is
    left out and the rest refitted: a bead that stands out more from its
    neighbours must never be less sure.
    """
    features = list(FEATURES)
    while True:
        w = _logistic(evidence, correct, features, l2)
        wrong = [f for f, v in zip(features, w[1:], strict=True) if f in MORE_IS_SURER and v < 0]
        if not wrong:
            break
        features.remove(min(wrong, key=lambda f: w[1 + features.index(f)]))
    weights = dict(zip(features, w[1:], strict=True))
    return Calibration(
        **{"intercept": round(float(w[0]), 3)},
        **{f: round(float(weights.get(f, 0.0)), 3) for f in FEATURES},
    )


def _logistic(
    evidence: list[dict[str, float]], correct: np.ndarray, features: list[str], l2: float
) -> np.ndarray:
    x = np.array([[1.0] + [e.get(f, 0.0) for f in features] for e in evidence])
    y = correct.astype(float)
    w = np.zeros(x.shape[1])
    ridge = np.eye(len(w)) * l2
    ridge[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + ridge @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit_omission(evidence: list[dict[str, float]], correct: np.ndarray, base: Calibration) -> float:
    """The ``omission`` term by maximum likelihood over the omissions alone, the other
    terms fixed at ``base``'s: it is the only term that moves an omission's confidence."""
    gap = np.array([e.get("omission", 0.0) == 1.0 for e in evidence])
    if not gap.any():
        return base.omission
    rest = replace(base, omission=0.0)
    x = np.array([rest.logit(e) for e, g in zip(evidence, gap, strict=True) if g])
    y = correct[gap].astype(float)
    w = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x + w)))
        step = (p - y).sum() / max(float((p * (1 - p)).sum()), 1e-9)
        w -= step
        if abs(step) < 1e-9:
            break
    return round(float(w), 3)


def calibrate(labelled: dict[str, Labelled]) -> Calibration:
    """Every term fitted on :data:`FIT_ON`'s beads, then the omission term on the
    omissions of the development sets (:data:`FIT_SETS`) in ``labelled``: a set put
    beside them to be measured is reported on, never fitted on."""
    fitted = fit(labelled[FIT_ON].evidence, labelled[FIT_ON].correct)
    dev = [got for name, got in labelled.items() if name in FIT_SETS]
    evidence = [e for got in dev for e in got.evidence]
    correct = np.concatenate([got.correct for got in dev])
    return replace(fitted, omission=fit_omission(evidence, correct, fitted))


def reliability(confidence: np.ndarray, correct: np.ndarray) -> list[tuple[str, int, float]]:
    """Per confidence bucket: its label, how many beads, and the share strictly correct."""
    rows = []
    for lo, hi in zip(BUCKETS, BUCKETS[1:], strict=False):
        last = hi == BUCKETS[-1]
        inside = (confidence >= lo) & ((confidence <= hi) if last else (confidence < hi))
        share = float(correct[inside].mean()) if inside.any() else float("nan")
        rows.append((f"[{lo:.2f}, {hi:.2f}{']' if last else ')'}", int(inside.sum()), share))
    return rows


def auc(confidence: np.ndarray, correct: np.ndarray) -> float:
    """The chance that a right bead has a higher confidence than a wrong one (ties count half)."""
    right, wrong = confidence[correct], confidence[~correct]
    if not len(right) or not len(wrong):
        return float("nan")
    order = np.sort(wrong)
    below = np.searchsorted(order, right, side="left")
    ties = np.searchsorted(order, right, side="right") - below
    return float((below + ties / 2).sum() / (len(right) * len(wrong)))


def errors_below(confidence: np.ndarray, correct: np.ndarray, threshold: float = 0.5) -> float:
    """Share of all wrong beads whose confidence is under ``threshold``."""
    wrong = ~correct
    return float((confidence[wrong] < threshold).mean()) if wrong.any() else 1.0


def calibrated_below(confidence: np.ndarray, correct: np.ndarray, threshold: float = 0.5) -> float:
    """The most of the wrong beads a calibrated confidence that orders the beads as
    ``confidence`` does can put under ``threshold``.

    The isotonic regression of right/wrong on ``confidence`` (pool adjacent
    violators; equal confidences are one group) is the calibrated score that keeps
    the order: in sample, each of its groups is exactly as often right as it says.
    A confidence that puts more of the errors under 0.5 while staying calibrated has
    to order the beads better, not map them differently.
    """
    wrong = ~correct
    if not wrong.any():
        return 1.0
    values, group = np.unique(confidence, return_inverse=True)
    right = np.bincount(group, weights=correct.astype(float), minlength=len(values))
    count = np.bincount(group, minlength=len(values)).astype(float)
    pools: list[list[float]] = []
    for r, c in zip(right, count, strict=True):
        pools.append([r, c, 1])
        while len(pools) > 1 and pools[-2][0] / pools[-2][1] > pools[-1][0] / pools[-1][1]:
            r2, c2, n2 = pools.pop()
            pools[-1][0] += r2
            pools[-1][1] += c2
            pools[-1][2] += n2
    fitted = np.repeat([r / c for r, c, _ in pools], [int(n) for _, _, n in pools])
    return float((fitted[group][wrong] < threshold).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="use")
    args = ap.parse_args()
    encoder = load_encoder(args.model, cache_dir=default_cache_dir())
    labelled = {name: collect(name, encoder, AlignConfig()) for name in FIT_SETS}
    calibration = calibrate(labelled)
    evidence = [e for got in labelled.values() for e in got.evidence]
    print(
        f"fitted on {FIT_ON} ({len(labelled[FIT_ON].correct)} beads), omission on all sets' "
        f"omissions ({sum(e.get('omission', 0.0) == 1.0 for e in evidence)}): {calibration!r}"
    )
    for name, got in labelled.items():
        conf = np.array([calibration.confidence(e) for e in got.evidence])
        ok = got.correct
        print(
            f"\n{name}: {len(ok)} beads, {ok.mean():.3f} strictly right, AUC {auc(conf, ok):.3f}; "
            f"{errors_below(conf, ok):.0%} of the wrong ones under 0.5"
        )
        for label, count, share in reliability(conf, ok):
            print(f"  {label:14} {count:5d}  {share:.3f}")


if __name__ == "__main__":
    main()
