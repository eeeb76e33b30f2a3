"""Replay the site's decisions in time order: would the learned model have helped?

For each step, heads are fitted on the decisions before it (exactly as ``learn`` fits them, but
nothing is written) and predict the next ``window`` decided comments. Reported:

* precision / recall / F1 of "reject" at probability 0.5 over all predicted comments;
* reviews needed: a moderator works through each window in an order and stops at the last
  rejection in it. The learned order (most likely rejected first) against the queue's severity
  order (highest rule severity first, then thread order: ``review.queue_page``'s default).
  Also the reviews to reach 80 % of the window's rejections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from moderation.records import Action
from moderation.rules import RuleSet
from moderation.scoring.learned import LearnError
from moderation.scoring.learned_heads import (
    MIN_PER_CLASS,
    Embedder,
    FeatureBuilder,
    clause_categories,
    fit_heads,
)
from moderation.scoring.metrics import average_precision, prf
from moderation.scoring.offline import MiniLMHeadsScorer
from moderation.store import Store
from moderation.store import learned as db


@dataclass(frozen=True)
class ReplayStep:
    trained_on: int
    predicted: int
    rejections: int
    true_positives: int
    false_positives: int
    reviews_learned: int
    reviews_severity: int
    reviews80_learned: int
    reviews80_severity: int


@dataclass
class ReplayReport:
    window: int
    start: int
    steps: list[ReplayStep] = field(default_factory=list)
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    average_precision_learned: float | None = None
    average_precision_severity: float | None = None

    @property
    def predicted(self) -> int:
        return sum(s.predicted for s in self.steps)

    @property
    def rejections(self) -> int:
        return sum(s.rejections for s in self.steps)

    def total(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.steps)

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "start": self.start,
            "steps": len(self.steps),
            "predicted": self.predicted,
            "rejections": self.rejections,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "reviews_to_all_rejections": {
                "learned": self.total("reviews_learned"),
                "severity": self.total("reviews_severity"),
            },
            "reviews_to_80pct_rejections": {
                "learned": self.total("reviews80_learned"),
                "severity": self.total("reviews80_severity"),
            },
            "average_precision": {
                "learned": self.average_precision_learned,
                "severity": self.average_precision_severity,
            },
            "per_step": [asdict(s) for s in self.steps],
        }

    def summary(self) -> str:
        d = self.as_dict()
        return (
            f"replayed {d['predicted']} decisions in {d['steps']} steps of {self.window} "
            f"(first {self.start} as the initial past): {d['rejections']} rejections\n"
            f"learned 'reject' at 0.5: precision {d['precision']:.3f}, recall {d['recall']:.3f}, "
            f"F1 {d['f1']:.3f}\n"
            f"reviews to find every rejection of each window: learned sort "
            f"{d['reviews_to_all_rejections']['learned']}, severity sort "
            f"{d['reviews_to_all_rejections']['severity']}\n"
            f"reviews to find 80 % of them: learned {d['reviews_to_80pct_rejections']['learned']}, "
            f"severity {d['reviews_to_80pct_rejections']['severity']}\n"
            f"average precision of the order: learned {d['average_precision']['learned']}, "
            f"severity {d['average_precision']['severity']}"
        )


def reviews_needed(order: Sequence[int], rejected: np.ndarray, share: float = 1.0) -> int:
    """Reviews, in ``order``, until ``share`` of the rejections are found (0 when none)."""
    goal = int(np.ceil(share * rejected.sum()))
    if goal == 0:
        return 0
    found = 0
    for reviews, i in enumerate(order, start=1):
        found += int(rejected[i])
        if found >= goal:
            return reviews
    return len(order)


def replay(
    store: Store,
    *,
    rules: RuleSet,
    rule_set_version: int | None,
    scorer: MiniLMHeadsScorer,
    start: int = 200,
    window: int = 100,
    embedder: Embedder | None = None,
) -> ReplayReport:
    with store.engine.connect() as conn:
        decided = db.human_decisions(conn)
        ids = [d.comment_id for d in decided]
        hits = db.rule_hits(conn, rule_set_version, ids)
        places = db.thread_positions(conn, ids)
    if len(decided) <= start:
        raise LearnError(
            f"{len(decided)} human decisions: need more than --start {start} to replay"
        )
    categories = sorted(rules.categories)
    builder = FeatureBuilder(
        store, scorer, rule_set_version=rule_set_version, categories=categories, embedder=embedder
    )
    features = builder.build(ids)
    rejected = np.array([d.action == Action.REJECT for d in decided])
    clause_map = clause_categories(rules)
    severity = np.array([max(hits.get(cid, {}).values(), default=-1) for cid in ids])
    report = ReplayReport(window=window, start=start)
    all_p: list[np.ndarray] = []
    all_truth: list[np.ndarray] = []
    all_severity_rank: list[np.ndarray] = []
    for t in range(start, len(decided), window):
        past = slice(0, t)
        if min(rejected[past].sum(), (~rejected[past]).sum()) < MIN_PER_CLASS:
            continue
        heads, _ = fit_heads(features[past], decided[past], clause_map, categories, scorer.labels)
        rows = np.arange(t, min(t + window, len(decided)))
        p = heads.probabilities(features[rows])[:, 0]
        truth = rejected[rows]
        order_key = [(-severity[r], places[ids[r]]) for r in rows]  # thread order breaks ties
        step, rank = _window(t, p, truth, order_key)
        report.steps.append(step)
        all_p.append(p)
        all_truth.append(truth)
        all_severity_rank.append(rank)
    if report.steps:
        _summarise(report, all_p, all_truth, all_severity_rank)
    return report


def _window(
    trained_on: int, p: np.ndarray, truth: np.ndarray, severity_key: Sequence[tuple[Any, ...]]
) -> tuple[ReplayStep, np.ndarray]:
    """One window's step, and severity as a score: its rank within the window."""
    size = len(truth)
    learned_order = sorted(range(size), key=lambda i: (-p[i], i))
    severity_order = sorted(range(size), key=lambda i: severity_key[i])
    pred = p >= 0.5
    step = ReplayStep(
        trained_on=trained_on,
        predicted=size,
        rejections=int(truth.sum()),
        true_positives=int((pred & truth).sum()),
        false_positives=int((pred & ~truth).sum()),
        reviews_learned=reviews_needed(learned_order, truth),
        reviews_severity=reviews_needed(severity_order, truth),
        reviews80_learned=reviews_needed(learned_order, truth, 0.8),
        reviews80_severity=reviews_needed(severity_order, truth, 0.8),
    )
    rank = np.empty(size)
    rank[severity_order] = np.arange(size, 0, -1) / size
    return step, rank


def _summarise(
    report: ReplayReport,
    all_p: list[np.ndarray],
    all_truth: list[np.ndarray],
    all_severity_rank: list[np.ndarray],
) -> None:
    p_all = np.concatenate(all_p)
    truth_all = np.concatenate(all_truth)
    report.precision, report.recall, report.f1 = prf(p_all >= 0.5, truth_all)
    # Per-window orders are what a moderator sees; AP over the concatenated windows.
    ap_l = [average_precision(p, t) for p, t in zip(all_p, all_truth, strict=True)]
    ap_s = [average_precision(r, t) for r, t in zip(all_severity_rank, all_truth, strict=True)]
    report.average_precision_learned = _mean(ap_l)
    report.average_precision_severity = _mean(ap_s)


def _mean(values: Sequence[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(float(np.mean(kept)), 4) if kept else None
