"""Score calibration: raw head outputs -> probabilities that mean what they say.

A calibrator is a monotone piecewise-linear map stored as knots ``(x, y)`` and applied with
``np.interp`` (flat beyond the ends), so it loads from plain arrays and runs in numpy.

* ``isotonic``: pool-adjacent-violators on held-out (out-of-fold) scores; each pooled block
  becomes one knot at its mean raw score and its positive rate, so the map is strictly increasing
  between blocks (no flat steps that would tie comments in a sorted queue).
* ``platt``: a logistic fit ``sigmoid(a * x + b)`` for labels with few positives, where isotonic
  steps would follow noise; tabulated as knots over the observed score range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Method = Literal["isotonic", "platt"]
# Below this many positives, isotonic blocks follow noise: use Platt scaling instead.
MIN_ISOTONIC_POSITIVES = 30
_PLATT_KNOTS = 65
# Keep probabilities off exactly 0 and 1: a held-out set of a few thousand cannot show certainty.
_FLOOR = 1e-4


@dataclass(frozen=True)
class Calibrator:
    method: Method
    x: np.ndarray  # raw scores, strictly increasing
    y: np.ndarray  # probabilities, non-decreasing

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(raw, self.x, self.y)


def pav_blocks(raw: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pool adjacent violators: (mean raw score, positive rate) of each pooled block, in order."""
    order = np.argsort(raw, kind="stable")
    xs = raw[order].astype(np.float64)
    ys = truth[order].astype(np.float64)
    # Each block: [sum_x, sum_y, count]; merge while the previous rate exceeds the new one.
    sum_x: list[float] = []
    sum_y: list[float] = []
    count: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        sum_x.append(x)
        sum_y.append(y)
        count.append(1.0)
        while len(count) > 1 and sum_y[-2] * count[-1] >= sum_y[-1] * count[-2]:
            sx, sy, n = sum_x.pop(), sum_y.pop(), count.pop()
            sum_x[-1] += sx
            sum_y[-1] += sy
            count[-1] += n
    n_arr = np.asarray(count)
    return np.asarray(sum_x) / n_arr, np.asarray(sum_y) / n_arr


def fit_isotonic(raw: np.ndarray, truth: np.ndarray) -> Calibrator:
    x, y = pav_blocks(raw, truth)
    # ">=" pooling leaves rates strictly increasing; block means of sorted scores can still tie
    # when many scores are equal: keep the last (highest-rate) knot of a tie.
    keep = np.r_[np.diff(x) > 0, True]
    x, y = x[keep], y[keep]
    if len(x) == 1:  # one block: a constant; two knots keep np.interp well-defined
        x = np.array([x[0] - 1.0, x[0] + 1.0])
        y = np.array([y[0], y[0]])
    return Calibrator("isotonic", x, np.clip(y, _FLOOR, 1 - _FLOOR))


def fit_platt(raw: np.ndarray, truth: np.ndarray, *, iterations: int = 200) -> Calibrator:
    """Logistic fit of truth on the raw score (Newton steps, Platt's target smoothing)."""
    positives = float(truth.sum())
    negatives = float(len(truth) - positives)
    # Platt (1999): targets pulled off 0/1 so a separable set does not send a to infinity.
    target = np.where(truth > 0, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    a, b = 1.0, 0.0
    x = raw.astype(np.float64)
    for _ in range(iterations):
        p = _sigmoid(a * x + b)
        w = p * (1 - p) + 1e-12
        grad = np.array([np.sum((p - target) * x), np.sum(p - target)])
        hess = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        hess += np.eye(2) * 1e-9
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-10:
            break
    if not a > 0:
        # A head whose held-out scores fall as the label rises is useless, not inverted: a
        # calibrator must keep the order, so the best monotone fit is the base rate.
        rate = float(np.clip(target.mean(), _FLOOR, 1 - _FLOOR))
        a, b = 0.0, float(np.log(rate / (1 - rate)))
    lo, hi = float(x.min()), float(x.max())
    if hi <= lo:
        hi = lo + 1.0
    grid = np.linspace(lo, hi, _PLATT_KNOTS)
    probs = _sigmoid(a * grid + b)
    return Calibrator("platt", grid, np.clip(probs, _FLOOR, 1 - _FLOOR))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(z, -500, 500)))


def fit_calibrator(raw: np.ndarray, truth: np.ndarray) -> Calibrator:
    """Isotonic where the held-out data has enough positives, else Platt."""
    if (
        truth.sum() >= MIN_ISOTONIC_POSITIVES
        and (len(truth) - truth.sum()) >= MIN_ISOTONIC_POSITIVES
    ):
        return fit_isotonic(raw, truth)
    return fit_platt(raw, truth)


def reliability(
    probs: np.ndarray, truth: np.ndarray, bins: int = 10
) -> list[tuple[float, float, int]]:
    """(mean predicted, observed rate, count) per equal-width probability bin with members."""
    out = []
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    for b in range(bins):
        members = which == b
        if members.any():
            out.append(
                (float(probs[members].mean()), float(truth[members].mean()), int(members.sum()))
            )
    return out


def expected_calibration_error(probs: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    total = len(probs)
    return float(
        sum(n / total * abs(p - o) for p, o, n in reliability(probs, truth, bins)) if total else 0.0
    )
