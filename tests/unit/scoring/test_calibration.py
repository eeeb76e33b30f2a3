"""Calibration: monotone maps that turn raw head outputs into honest probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.scoring.calibration import (
    MIN_ISOTONIC_POSITIVES,
    expected_calibration_error,
    fit_calibrator,
    fit_isotonic,
    fit_platt,
    pav_blocks,
)


def _synthetic(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Raw scores whose true probability is sigmoid(2x - 1): a miscalibrated head."""
    rng = np.random.default_rng(seed)
    raw = rng.normal(0, 2, n)
    truth = (rng.random(n) < 1 / (1 + np.exp(-(2 * raw - 1)))).astype(float)
    return raw, truth


@pytest.mark.parametrize("fit", [fit_isotonic, fit_platt])
def test_calibrated_probabilities_match_observed_rates(fit) -> None:  # type: ignore[no-untyped-def]
    raw, truth = _synthetic(20_000, seed=1)
    calibrator = fit(raw, truth)
    held_raw, held_truth = _synthetic(20_000, seed=2)
    probs = calibrator(held_raw)
    assert expected_calibration_error(probs, held_truth) < 0.02
    # "0.8 means about 80 %": the comments scored 0.75-0.85 carry the label ~80 % of the time.
    band = (probs >= 0.75) & (probs <= 0.85)
    assert band.sum() > 200
    assert abs(held_truth[band].mean() - 0.8) < 0.05


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-50, 50, allow_nan=False), st.booleans()), min_size=2, max_size=300
    )
)
def test_calibration_is_monotone(pairs: list[tuple[float, bool]]) -> None:
    raw = np.array([p[0] for p in pairs])
    truth = np.array([float(p[1]) for p in pairs])
    grid = np.linspace(-60, 60, 500)
    for calibrator in (fit_isotonic(raw, truth), fit_platt(raw, truth), fit_calibrator(raw, truth)):
        out = calibrator(grid)
        assert np.all(np.diff(out) >= -1e-12)
        assert np.all((out > 0) & (out < 1))
        assert np.all(np.diff(calibrator.x) > 0)


def test_pav_pools_violators() -> None:
    raw = np.array([1.0, 2.0, 3.0, 4.0])
    truth = np.array([0.0, 1.0, 0.0, 1.0])
    x, y = pav_blocks(raw, truth)
    assert list(y) == [0.0, 0.5, 1.0]
    assert list(x) == [1.0, 2.5, 4.0]


def test_isotonic_is_strictly_increasing_between_blocks() -> None:
    raw, truth = _synthetic(5_000, seed=3)
    calibrator = fit_isotonic(raw, truth)
    inner = np.linspace(calibrator.x[0], calibrator.x[-1], 1000)
    assert np.all(np.diff(calibrator(inner)) > 0)  # no flat steps: a sorted queue has no ties


def test_rare_labels_use_platt() -> None:
    raw, truth = _synthetic(2_000, seed=4)
    few = truth.copy()
    few[np.flatnonzero(few)[MIN_ISOTONIC_POSITIVES - 1 :]] = 0
    assert fit_calibrator(raw, few).method == "platt"
    assert fit_calibrator(raw, truth).method == "isotonic"
