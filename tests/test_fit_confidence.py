"""The calibration fit behind ``align.signals.Calibration`` (benchmarks/fit_confidence.py)."""

from __future__ import annotations

import math

import numpy as np
from benchmark_scripts import load

from align.signals import Calibration

fit_confidence = load("fit_confidence", "fit_confidence")


def test_the_omission_term_makes_omissions_as_sure_as_they_are_right() -> None:
    """60 of 100 omissions right: the fitted confidence of an omission is 0.6; the
    aligned beads, all wrong here, do not move it."""
    base = Calibration(intercept=0.5, posterior=1.0, omission=3.0)
    evidence = [{"omission": 1.0, "posterior": 0.0} for _ in range(100)]
    evidence += [{"omission": 0.0, "posterior": 2.0} for _ in range(50)]
    correct = np.array([k < 60 for k in range(100)] + [False] * 50)
    w = fit_confidence.fit_omission(evidence, correct, base)
    assert w == round(math.log(0.6 / 0.4) - 0.5, 3)
    fitted = Calibration(intercept=0.5, posterior=1.0, omission=w)
    assert abs(fitted.confidence(evidence[0]) - 0.6) < 1e-3


def test_without_omissions_the_term_is_left_as_it_was() -> None:
    base = Calibration(omission=0.25)
    evidence = [{"omission": 0.0, "posterior": 1.0}] * 3
    assert fit_confidence.fit_omission(evidence, np.array([True, False, True]), base) == 0.25


def test_a_signal_fitted_against_its_meaning_is_left_out() -> None:
    """The margin goes with wrong beads here: it gets weight 0, and the similarity,
    which goes with right ones, keeps a positive weight."""
    rng = np.random.default_rng(1)
    correct = rng.random(400) < 0.7
    evidence = [
        {"similarity": float(ok) + rng.normal(0, 0.5), "margin": -float(ok) + rng.normal(0, 0.5)}
        for ok in correct
    ]
    fitted = fit_confidence.fit(evidence, correct)
    assert fitted.margin == 0.0
    assert fitted.similarity > 1.0
    free = fit_confidence._logistic(evidence, correct, ["similarity", "margin"], 1.0)
    assert free[2] < 0


def test_a_calibrated_confidence_cannot_put_more_errors_under_half_than_the_order_allows() -> None:
    """Six beads by rising confidence, right or wrong: F F T F T T. Isotonic groups:
    [F F] at 0, [T F] at 0.5, [T T] at 1. Only the first two wrong beads can be
    under 0.5 in any calibrated score of that order: 2 of 3."""
    confidence = np.array([0.1, 0.2, 0.6, 0.7, 0.8, 0.9])
    correct = np.array([False, False, True, False, True, True])
    assert fit_confidence.calibrated_below(confidence, correct) == 2 / 3
    # a better order: every wrong bead first
    better = np.array([0.1, 0.2, 0.75, 0.3, 0.8, 0.9])
    assert fit_confidence.calibrated_below(better, correct) == 1.0
    # equal confidences are one group: right 1 of 2 is not under 0.5
    tied = np.array([0.5, 0.5, 0.9, 0.9, 0.9, 0.9])
    tie_right = np.array([False, True, True, True, True, True])
    assert fit_confidence.calibrated_below(tied, tie_right) == 0.0


def _labelled(evidence: list[dict[str, float]], correct: list[bool]) -> object:
    n = len(correct)
    return fit_confidence.Labelled(
        evidence, np.zeros(n), np.array(correct), np.zeros(n, bool), [[]] * n, np.zeros(n, bool)
    )


def test_a_set_beside_the_development_sets_is_never_fitted_on() -> None:
    """The omission term is fitted on the development sets' omissions: a test set
    whose omissions are all wrong, put in ../shared/bench, must not move it."""
    rng = np.random.default_rng(0)
    beads = [{"posterior": float(p), "omission": 0.0} for p in rng.normal(size=200)]
    right = [bool(e["posterior"] + rng.normal() > 0) for e in beads]
    omissions = [{"omission": 1.0}] * 10
    dev = _labelled(beads + omissions, right + [True] * 6 + [False] * 4)
    test_set = _labelled(omissions * 5, [False] * 50)
    alone = fit_confidence.calibrate({"mac-dev": dev})
    beside = fit_confidence.calibrate({"mac-dev": dev, "news-test": test_set})
    assert beside == alone
    both_dev = fit_confidence.calibrate({"mac-dev": dev, "pol-dev": test_set})
    assert both_dev.omission < alone.omission  # a development set's omissions do count
