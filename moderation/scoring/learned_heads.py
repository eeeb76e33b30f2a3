"""The learned model's parts: its features, its logistic heads and how they are fitted.

Pure computation over arrays, plus ``FeatureBuilder`` reading a comment's text, model scores and
rule hits from the store; ``learned`` decides when to train and where the results go.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from moderation.errors import NotFoundError, StoreError
from moderation.records import Action
from moderation.rules import RuleSet
from moderation.scoring.heads import npz_bytes
from moderation.scoring.offline import MiniLMHeadsScorer
from moderation.store import Store
from moderation.store import learned as db

#: Fewest positives (and negatives) a head is fitted on.
MIN_PER_CLASS = 5
#: L2 strength of the heads (per standardised feature); small data wants a firm prior.
L2 = 3.0
REJECT = "reject"
FORMAT = "threadwatch-learned-v1"

Embedder = Callable[[list[str], list[str]], np.ndarray]  # (texts, text hashes) -> vectors


@dataclass(frozen=True)
class LearnedHeads:
    """Standardised features -> logistic heads; ``heads[0]`` is "reject"."""

    heads: tuple[str, ...]
    categories: tuple[str, ...]  # rule-hit feature order
    labels: tuple[str, ...]  # model-score feature order
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features, heads)
    bias: np.ndarray  # (heads,)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        z = (features - self.mean) / self.scale
        return 1 / (1 + np.exp(-np.clip(z @ self.weights + self.bias, -500, 500)))

    def to_bytes(self) -> bytes:
        return npz_bytes(
            {
                "format": np.array(FORMAT),
                "heads": np.array(self.heads),
                "categories": np.array(self.categories, dtype=str),
                "labels": np.array(self.labels, dtype=str),
                "mean": self.mean,
                "scale": self.scale,
                "weights": self.weights,
                "bias": self.bias,
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedHeads:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                if str(npz["format"]) != FORMAT:
                    raise StoreError("stored learned model has an unknown format")
                return cls(
                    heads=tuple(str(x) for x in npz["heads"]),
                    categories=tuple(str(x) for x in npz["categories"]),
                    labels=tuple(str(x) for x in npz["labels"]),
                    mean=npz["mean"],
                    scale=npz["scale"],
                    weights=npz["weights"],
                    bias=npz["bias"],
                )
        except (KeyError, ValueError, OSError) as exc:
            raise StoreError(f"stored learned model is damaged: {exc}") from exc


def clause_categories(rules: RuleSet) -> dict[str, set[str]]:
    """Policy clause -> the rule categories filed under it (what a rejection for it means)."""
    out: dict[str, set[str]] = {}
    for rule in rules.rules:
        out.setdefault(rule.clause, set()).add(rule.category)
    return out


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 50
) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton steps (deterministic; bias unpenalised)."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(design @ w, -500, 500)))
        grad = design.T @ (p - y) + penalty * w
        hess = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


class FeatureBuilder:
    """Rows of [embedding, model scores, rule-hit severities / 5] for comments in the store."""

    def __init__(
        self,
        store: Store,
        scorer: MiniLMHeadsScorer,
        *,
        rule_set_version: int | None,
        categories: Sequence[str],
        embedder: Embedder | None = None,
    ) -> None:
        self.store = store
        self.scorer = scorer
        self.rule_set_version = rule_set_version
        self.categories = tuple(categories)
        self.labels = tuple(scorer.labels)
        self._embed = embedder or (lambda texts, _hashes: scorer.embed(texts))

    def build(self, comment_ids: Sequence[str]) -> np.ndarray:
        with self.store.engine.connect() as conn:
            texts = db.comment_texts(conn, comment_ids)
            missing = [cid for cid in comment_ids if cid not in texts]
            if missing:
                raise NotFoundError(f"{len(missing)} comments not found", subject=missing[0])
            hashes = [texts[cid][1] for cid in comment_ids]
            cached = db.model_scores(conn, self.scorer.model_id, hashes)
            hits = db.rule_hits(conn, self.rule_set_version, comment_ids)
        bodies = [texts[cid][0] for cid in comment_ids]
        embeddings = self._embed(bodies, hashes) if comment_ids else np.zeros((0, 384))
        unscored = [i for i, h in enumerate(hashes) if set(self.labels) - set(cached.get(h, {}))]
        if unscored:
            fresh = self.scorer.score_embedded([bodies[i] for i in unscored], embeddings[unscored])
            for i, s in zip(unscored, fresh, strict=True):
                cached[hashes[i]] = s
        model_part = np.array(
            [[cached[h].get(label, 0.0) for label in self.labels] for h in hashes]
        ).reshape(len(hashes), len(self.labels))
        rule_part = np.array(
            [[hits.get(cid, {}).get(c, 0) / 5 for c in self.categories] for cid in comment_ids]
        ).reshape(len(comment_ids), len(self.categories))
        return np.hstack([embeddings.astype(np.float64), model_part, rule_part])


def fit_heads(
    features: np.ndarray,
    decided: Sequence[db.HumanDecision],
    clause_map: Mapping[str, set[str]],
    categories: Sequence[str],
    labels: Sequence[str],
) -> tuple[LearnedHeads, dict[str, Any]]:
    """Heads for "reject" and for every category with enough positives."""
    rejected = np.array([d.action == Action.REJECT for d in decided])
    approved = ~rejected
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (features - mean) / scale
    names, weights, biases = [REJECT], [], []
    w, b = fit_logistic(z, rejected.astype(float))
    weights.append(w)
    biases.append(b)
    metrics: dict[str, Any] = {"heads": {REJECT: {"positives": int(rejected.sum())}}}
    for category in categories:
        positive = np.array(
            [
                d.action == Action.REJECT and category in clause_map.get(d.clause_id or "", set())
                for d in decided
            ]
        )
        rows = positive | approved  # rejections for other clauses say nothing about this one
        if positive.sum() < MIN_PER_CLASS or approved.sum() < MIN_PER_CLASS:
            continue
        w, b = fit_logistic(z[rows], positive[rows].astype(float))
        names.append(category)
        weights.append(w)
        biases.append(b)
        metrics["heads"][category] = {"positives": int(positive.sum())}
    heads = LearnedHeads(
        heads=tuple(names),
        categories=tuple(categories),
        labels=tuple(labels),
        mean=mean,
        scale=scale,
        weights=np.column_stack(weights),
        bias=np.asarray(biases),
    )
    train_p = heads.probabilities(features)[:, 0]
    metrics["train_accuracy"] = round(float(((train_p >= 0.5) == rejected).mean()), 4)
    return heads, metrics
