"""Quality measures used by training, the model card and the benchmarks (numpy only)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np


def roc_auc(scores: np.ndarray, truth: np.ndarray) -> float | None:
    """Area under the ROC curve (ties count half); None when one class is absent."""
    truth = truth.astype(bool)
    positives = int(truth.sum())
    negatives = len(truth) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    # Average ranks over ties.
    boundaries = np.r_[0, np.flatnonzero(np.diff(sorted_scores)) + 1, len(scores)]
    for start, end in itertools.pairwise(boundaries):
        ranks[order[start:end]] = (start + end + 1) / 2
    return float((ranks[truth].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def average_precision(scores: np.ndarray, truth: np.ndarray) -> float | None:
    truth = truth.astype(bool)
    if not truth.any():
        return None
    order = np.argsort(-scores, kind="mergesort")
    hits = truth[order]
    precision_at = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision_at[hits].mean())


def prf(
    pred: Sequence[bool] | np.ndarray, gold: Sequence[bool] | np.ndarray
) -> tuple[float, float, float]:
    """(precision, recall, F1); 0.0 where undefined."""
    p = np.asarray(pred, dtype=bool)
    g = np.asarray(gold, dtype=bool)
    tp = int((p & g).sum())
    fp = int((p & ~g).sum())
    fn = int((~p & g).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_f1_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of ``scores >= threshold``."""
    truth = truth.astype(bool)
    if not truth.any():
        return 1.0, 0.0
    order = np.argsort(-scores, kind="mergesort")
    s = scores[order]
    hits = np.cumsum(truth[order])
    flagged = np.arange(1, len(s) + 1)
    f1 = 2 * hits / (flagged + truth.sum())
    # Only cut between distinct scores.
    last_of_tie = np.r_[np.diff(s) != 0, True]
    f1 = np.where(last_of_tie, f1, -1)
    best = int(np.argmax(f1))
    return float(s[best]), float(f1[best])
