"""The site's own model, learned from its moderators' decisions.

``learn(store, …)`` fits small logistic heads on the comments people approved or rejected:
rejected with a clause -> positive for the categories that clause covers in the rules (and for
"reject"), approved -> negative. Features: the offline model's sentence embedding, its six label
scores, and the rule hits (highest severity per category under the active rule set).

What it never does:

* train on rule-only outcomes: only comments whose status a person set (``decided_by``) count,
  and only that person's standing decision (undone or overridden ones are left out);
* act: it writes predictions to ``learned_predictions`` for sorting and display; nothing in the
  pipeline reads them, and no function here changes a comment's status. Moderators decide.

Each training is a new version (``learned_models``) with an audit row (``record_event``). The
setting ``learned_model = false`` (env ``THREADWATCH_LEARNED_MODEL=false``) turns it off: learn
refuses and predictions are neither made nor returned.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moderation.errors import ModerationError
from moderation.records import Action, InForce, Status
from moderation.rules import RuleSet
from moderation.scoring.learned_heads import (
    MIN_PER_CLASS,
    Embedder,
    FeatureBuilder,
    LearnedHeads,
    clause_categories,
    fit_heads,
)
from moderation.scoring.offline import MiniLMHeadsScorer
from moderation.scoring.types import Scorer
from moderation.store import Store, rulesets
from moderation.store import learned as db
from moderation.store.audit import record_event

#: Fewest standing human decisions before the model is trained (each head: MIN_PER_CLASS).
MIN_DECISIONS = 20
LEARN_ACTION = "learn_model"


class LearnError(ModerationError):
    """The site's model cannot be trained (too few decisions, turned off)."""


@dataclass(frozen=True)
class Prediction:
    reject_probability: float
    categories: dict[str, float]
    version: int


@dataclass(frozen=True)
class LearnResult:
    version: int
    decisions: int
    rejections: int
    heads: tuple[str, ...]
    predicted: int
    metrics: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"learned model v{self.version}: {self.decisions} human decisions "
            f"({self.rejections} rejections), heads {', '.join(self.heads)}; "
            f"{self.predicted} queued comments predicted"
        )


def _enabled(enabled: bool) -> None:
    if not enabled:
        raise LearnError(
            "the site's learned model is turned off (learned_model = false in the settings)"
        )


def _decisions_to_learn(
    store: Store, enabled: bool, until_decision_id: int | None, min_decisions: int
) -> list[db.HumanDecision]:
    _enabled(enabled)
    with store.engine.connect() as conn:
        decided = db.human_decisions(conn, until_decision_id=until_decision_id)
    rejections = sum(d.action == Action.REJECT for d in decided)
    approvals = len(decided) - rejections
    if len(decided) < min_decisions or min(rejections, approvals) < MIN_PER_CLASS:
        raise LearnError(
            f"not enough human decisions to learn from: {len(decided)} "
            f"({rejections} rejections, {approvals} approvals); need {min_decisions} "
            f"with at least {MIN_PER_CLASS} of each"
        )
    return decided


def check_can_learn(
    store: Store, *, enabled: bool = True, min_decisions: int = MIN_DECISIONS
) -> int:
    """The number of human decisions ``learn`` would train on now, or the LearnError it would
    raise (turned off, too few decisions): one query, no model, so a page can say it at once."""
    return len(_decisions_to_learn(store, enabled, None, min_decisions))


def learn(
    store: Store,
    *,
    rules: RuleSet,
    rule_set_version: int | None,
    scorer: MiniLMHeadsScorer,
    actor: str,
    enabled: bool = True,
    until_decision_id: int | None = None,
    predict_queue: bool = True,
    embedder: Embedder | None = None,
    min_decisions: int = MIN_DECISIONS,
) -> LearnResult:
    """Train a new version on the standing human decisions; audit it; predict the queue."""
    decided = _decisions_to_learn(store, enabled, until_decision_id, min_decisions)
    rejections = sum(d.action == Action.REJECT for d in decided)
    categories = sorted(rules.categories)
    builder = FeatureBuilder(
        store,
        scorer,
        rule_set_version=rule_set_version,
        categories=categories,
        embedder=embedder,
    )
    features = builder.build([d.comment_id for d in decided])
    heads, metrics = fit_heads(
        features, decided, clause_categories(rules), categories, scorer.labels
    )
    metrics["moderators"] = len({d.moderator for d in decided})
    in_force = InForce(rule_set_version=rule_set_version, model_id=scorer.model_id)
    version = _save_version(store, heads, decided, metrics, actor=actor, in_force=in_force)
    predicted = 0
    if predict_queue:
        queued = _queued_ids(store)
        predicted = len(predict(store, queued, scorer=scorer, version=version, builder=builder))
    return LearnResult(version, len(decided), rejections, heads.heads, predicted, metrics)


def _save_version(
    store: Store,
    heads: LearnedHeads,
    decided: Sequence[db.HumanDecision],
    metrics: dict[str, Any],
    *,
    actor: str,
    in_force: InForce,
) -> int:
    """The new version's number: stored with its audit row, or neither."""
    data = heads.to_bytes()
    sha = hashlib.sha256(data).hexdigest()
    rejections = sum(d.action == Action.REJECT for d in decided)
    last_id = max(d.decision_id for d in decided)
    with store.transaction() as conn:
        version = db.insert_model(
            conn,
            {
                "created_at": datetime.now(UTC),
                "created_by": actor,
                "base_model_id": in_force.model_id,
                "rule_set_version": in_force.rule_set_version,
                "decisions": len(decided),
                "rejections": rejections,
                "last_decision_id": last_id,
                "weights": data,
                "weights_sha256": sha,
                "metrics": metrics,
            },
        )
    details = {
        "version": version,
        "decisions": len(decided),
        "rejections": rejections,
        "last_decision_id": last_id,
        "heads": list(heads.heads),
        "weights_sha256": sha,
        "base_model_id": in_force.model_id,
    }
    try:
        record_event(
            store,
            actor=actor,
            action=LEARN_ACTION,
            target_type="learned_model",
            target_id=str(version),
            details=details,
            in_force=in_force,
        )
    except ModerationError:
        # No unaudited model: take the version back out before reporting the failure.
        with store.transaction() as conn:
            db.delete_model(conn, version)
        raise
    return version


def _queued_ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return db.comment_ids_with_status(conn, (Status.PENDING, Status.ESCALATED))


def predict_missing(store: Store, scorer: Scorer, *, enabled: bool = True) -> int:
    """Predict, with the newest learned version, the queued comments it has not predicted yet
    (new arrivals after an ingest or import); the number predicted. Nothing without a version,
    when turned off, or when the version was trained on another base model than the bundled
    one (it predicts again after the next ``learn``)."""
    if not enabled:
        return 0
    with store.engine.connect() as conn:
        row = db.latest_model(conn)
    if row is None:
        return 0
    offline = offline_for(scorer)
    if offline.model_id != row.base_model_id:
        return 0
    queued = _queued_ids(store)
    with store.engine.connect() as conn:
        present = set(db.stored_predictions(conn, row.version, queued))
    missing = [cid for cid in queued if cid not in present]
    if not missing:
        return 0
    return len(predict(store, missing, scorer=offline, version=row.version))


_offline_lock = threading.Lock()
_offline: list[MiniLMHeadsScorer] = []


def offline_for(scorer: Scorer | None) -> MiniLMHeadsScorer:
    """The bundled offline scorer the learned model's features come from: the active scorer
    when it is that model, else one loaded once per process (Detoxify gives no embeddings)."""
    if isinstance(scorer, MiniLMHeadsScorer):
        return scorer
    with _offline_lock:
        if not _offline:
            _offline.append(MiniLMHeadsScorer())
        return _offline[0]


def latest_model(store: Store) -> db.LearnedModelRow | None:
    """The newest learned version's row (what it was trained on, by whom), if any."""
    with store.engine.connect() as conn:
        return db.latest_model(conn)


def active_version(store: Store) -> int | None:
    """The newest learned model's version (the one predictions come from), if any."""
    with store.engine.connect() as conn:
        row = db.latest_model(conn)
    return row.version if row is not None else None


def load_version(
    store: Store, version: int | None = None
) -> tuple[db.LearnedModelRow, LearnedHeads] | None:
    with store.engine.connect() as conn:
        row = db.latest_model(conn) if version is None else db.get_model(conn, version)
    if row is None:
        return None
    return row, LearnedHeads.from_bytes(row.weights)


def predict(
    store: Store,
    comment_ids: Sequence[str],
    *,
    scorer: MiniLMHeadsScorer | None = None,
    version: int | None = None,
    enabled: bool = True,
    builder: FeatureBuilder | None = None,
) -> dict[str, Prediction]:
    """Predictions of a learned version (default: the newest) for these comments.

    Stored predictions are read back; the rest are computed when a ``scorer`` is given (and
    stored), otherwise left out. Empty when turned off or before any training.
    """
    if not enabled or not comment_ids:
        return {}
    loaded = load_version(store, version)
    if loaded is None:
        return {}
    row, heads = loaded
    with store.engine.connect() as conn:
        stored = db.stored_predictions(conn, row.version, comment_ids)
    out = {cid: Prediction(p, cats, row.version) for cid, (p, cats) in stored.items()}
    missing = [cid for cid in dict.fromkeys(comment_ids) if cid not in stored]
    if missing and scorer is not None:
        if scorer.model_id != row.base_model_id:
            raise LearnError(
                f"learned model v{row.version} was trained on {row.base_model_id}, "
                f"not on {scorer.model_id}; run `moderation model learn` again"
            )
        # Rule hits as the queue shows them now: flags are written per rule-set version, and
        # comments that arrived after a rules change are flagged under the new one only.
        current = rulesets.active_version(store)
        builder = builder or FeatureBuilder(
            store,
            scorer,
            rule_set_version=current if current is not None else row.rule_set_version,
            categories=heads.categories,
        )
        probs = heads.probabilities(builder.build(missing))
        fresh = {
            cid: (
                float(p[0]),
                {name: float(v) for name, v in zip(heads.heads[1:], p[1:], strict=True)},
            )
            for cid, p in zip(missing, probs, strict=True)
        }
        with store.transaction() as conn:
            db.put_predictions(conn, row.version, fresh)
        out.update({cid: Prediction(p, cats, row.version) for cid, (p, cats) in fresh.items()})
    return out


def reject_probability(
    store: Store,
    comment_ids: Sequence[str],
    *,
    scorer: MiniLMHeadsScorer | None = None,
    enabled: bool = True,
) -> dict[str, tuple[float, int]]:
    """comment id -> (probability a moderator rejects it, learned model version)."""
    return {
        cid: (p.reject_probability, p.version)
        for cid, p in predict(store, comment_ids, scorer=scorer, enabled=enabled).items()
    }


def rank_by_rejection(
    store: Store, comment_ids: Sequence[str], *, scorer: MiniLMHeadsScorer | None = None
) -> list[str]:
    """Comment ids, most likely to be rejected first; those without a prediction keep their
    order at the end (the queue's "most likely to be rejected" sort)."""
    probs = reject_probability(store, comment_ids, scorer=scorer)
    position = {cid: i for i, cid in enumerate(comment_ids)}
    return sorted(
        comment_ids,
        key=lambda cid: (
            (0, -probs[cid][0], position[cid]) if cid in probs else (1, 0.0, position[cid])
        ),
    )


__all__ = [
    "LEARN_ACTION",
    "LearnError",
    "LearnResult",
    "Prediction",
    "active_version",
    "check_can_learn",
    "latest_model",
    "learn",
    "offline_for",
    "predict",
    "predict_missing",
    "rank_by_rejection",
    "reject_probability",
]
