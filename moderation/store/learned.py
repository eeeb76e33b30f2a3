"""The site's own model: its versions and its per-comment predictions (tables and queries).

Tables join the shared metadata; the migration revisions create them (store/migrations).

* ``learned_models``: one row per training (a version), with the head weights as ``.npz`` bytes
  (plain arrays, loaded without pickle), what it was trained on and its training metrics.
* ``learned_predictions``: per (version, comment) the probability that a moderator rejects the
  comment, and per policy category; the queue can sort by it in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
)

from moderation.records import Action, Status
from moderation.store.database import inserted_id
from moderation.store.schema import articles, comments, decisions, flags, metadata, scores

learned_models = Table(
    "learned_models",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(255), nullable=False),
    # The offline scorer whose embeddings and scores are the features (its id names its heads).
    Column("base_model_id", String(128), nullable=False),
    Column("rule_set_version", Integer),
    Column("decisions", Integer, nullable=False),  # human decisions trained on
    Column("rejections", Integer, nullable=False),
    Column("last_decision_id", Integer),  # newest decision row it saw
    Column("weights", LargeBinary, nullable=False),
    Column("weights_sha256", String(64), nullable=False),
    Column("metrics", JSON, nullable=False),
)

learned_predictions = Table(
    "learned_predictions",
    metadata,
    Column(
        "model_version",
        Integer,
        ForeignKey("learned_models.version", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "comment_id", String(32), ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("reject_probability", Float, nullable=False),
    Column("categories", JSON, nullable=False),  # category -> probability
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_learned_predictions_rank", "model_version", "reject_probability"),
)

# Rows per IN (...) batch: stays under SQLite's bound-parameter limit on old builds.
_BATCH = 500
# decided_by values that are not a person (rules and imports never write one today; refuse them
# anyway, so a future automatic decider cannot leak into training).
NON_HUMAN_DECIDERS = ("rules", "the rules", "system", "import")


@dataclass(frozen=True)
class HumanDecision:
    """A comment a person approved or rejected, as it stands now (undone decisions excluded)."""

    decision_id: int
    comment_id: str
    action: str  # approve | reject
    clause_id: str | None
    moderator: str
    decided_at: datetime
    text: str
    text_hash: str


@dataclass(frozen=True)
class LearnedModelRow:
    version: int
    created_at: datetime
    created_by: str
    base_model_id: str
    rule_set_version: int | None
    decisions: int
    rejections: int
    last_decision_id: int | None
    weights: bytes
    weights_sha256: str
    metrics: dict[str, Any]


def human_decisions(
    conn: Connection, *, until_decision_id: int | None = None
) -> list[HumanDecision]:
    """Each comment's standing human approve/reject, oldest decision first.

    Only comments whose current status was set by a person (``decided_by`` not NULL and not a
    rule) and equals that person's latest decision; a decision that was undone, or later
    overridden by another decision, does not count. ``until_decision_id`` replays the past:
    only decisions with an id up to it are considered.
    """
    query = _standing_decisions(until_decision_id)
    if until_decision_id is None:
        # As things stand now: the comment is still decided by a person, the way they decided.
        query = query.where(
            comments.c.decided_by.is_not(None),
            comments.c.decided_by.not_in(NON_HUMAN_DECIDERS),
            or_(
                and_(decisions.c.action == Action.APPROVE, comments.c.status == Status.APPROVED),
                and_(decisions.c.action == Action.REJECT, comments.c.status == Status.REJECTED),
            ),
        )
    return [
        HumanDecision(
            decision_id=row.id,
            comment_id=row.comment_id,
            action=row.action,
            clause_id=row.clause_id,
            moderator=row.moderator,
            decided_at=row.created_at,
            text=row.text,
            text_hash=row.text_hash,
        )
        for row in conn.execute(query)
    ]


def _standing_decisions(
    until_decision_id: int | None,
) -> Select[int, str, str, str | None, str, datetime, str, str]:
    """Each comment's latest human approve/reject not undone (up to ``until_decision_id``)."""
    latest = (
        select(decisions.c.comment_id, func.max(decisions.c.id).label("decision_id"))
        .where(decisions.c.undone_at.is_(None))
        .group_by(decisions.c.comment_id)
    )
    if until_decision_id is not None:
        latest = latest.where(decisions.c.id <= until_decision_id)
    sub = latest.subquery()
    return (
        select(
            decisions.c.id,
            decisions.c.comment_id,
            decisions.c.action,
            decisions.c.clause_id,
            decisions.c.moderator,
            decisions.c.created_at,
            comments.c.text,
            comments.c.text_hash,
        )
        .join(sub, sub.c.decision_id == decisions.c.id)
        .join(comments, comments.c.id == decisions.c.comment_id)
        .where(
            decisions.c.action.in_((Action.APPROVE, Action.REJECT)),
            comments.c.kind == "comment",
            decisions.c.moderator.not_in(NON_HUMAN_DECIDERS),
        )
        .order_by(decisions.c.id)
    )


def comment_ids_with_status(conn: Connection, statuses: Sequence[str]) -> list[str]:
    """Reader comments in these statuses (e.g. the queues a learned sort orders)."""
    return list(
        conn.execute(
            select(comments.c.id).where(
                comments.c.kind == "comment", comments.c.status.in_(list(statuses))
            )
        ).scalars()
    )


def comment_texts(conn: Connection, comment_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """comment id -> (text, text hash)."""
    out: dict[str, tuple[str, str]] = {}
    unique = list(dict.fromkeys(comment_ids))
    for start in range(0, len(unique), _BATCH):
        rows = conn.execute(
            select(comments.c.id, comments.c.text, comments.c.text_hash).where(
                comments.c.id.in_(unique[start : start + _BATCH])
            )
        )
        for cid, text, digest in rows:
            out[cid] = (text, digest)
    return out


def model_scores(
    conn: Connection, model_id: str, text_hashes: Sequence[str]
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    unique = list(dict.fromkeys(text_hashes))
    for start in range(0, len(unique), _BATCH):
        rows = conn.execute(
            select(scores.c.text_hash, scores.c.label, scores.c.value).where(
                scores.c.model_id == model_id,
                scores.c.text_hash.in_(unique[start : start + _BATCH]),
            )
        )
        for digest, label, value in rows:
            out.setdefault(digest, {})[label] = value
    return out


def rule_hits(
    conn: Connection, rule_set_version: int | None, comment_ids: Sequence[str]
) -> dict[str, dict[str, int]]:
    """comment id -> {category: highest severity of the flags in it} under that rule set."""
    out: dict[str, dict[str, int]] = {}
    if rule_set_version is None:
        return out
    unique = list(dict.fromkeys(comment_ids))
    for start in range(0, len(unique), _BATCH):
        rows = conn.execute(
            select(flags.c.comment_id, flags.c.category, func.max(flags.c.severity))
            .where(
                flags.c.rule_set_version == rule_set_version,
                flags.c.comment_id.in_(unique[start : start + _BATCH]),
            )
            .group_by(flags.c.comment_id, flags.c.category)
        )
        for cid, category, severity in rows:
            out.setdefault(cid, {})[category] = int(severity)
    return out


def thread_positions(conn: Connection, comment_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
    """comment id -> (article title, position): the queue's order after severity."""
    out: dict[str, tuple[str, int]] = {}
    unique = list(dict.fromkeys(comment_ids))
    for start in range(0, len(unique), _BATCH):
        rows = conn.execute(
            select(comments.c.id, articles.c.title, comments.c.position)
            .join(articles, articles.c.id == comments.c.article_id)
            .where(comments.c.id.in_(unique[start : start + _BATCH]))
        )
        for cid, title, position in rows:
            out[cid] = (title, int(position))
    return out


def insert_model(conn: Connection, values: Mapping[str, Any]) -> int:
    result = conn.execute(learned_models.insert().values(**values))
    return inserted_id(result)


def delete_model(conn: Connection, version: int) -> None:
    conn.execute(learned_models.delete().where(learned_models.c.version == version))


def latest_model(conn: Connection) -> LearnedModelRow | None:
    row = conn.execute(
        select(learned_models).order_by(learned_models.c.version.desc()).limit(1)
    ).first()
    return _model_row(row) if row is not None else None


def get_model(conn: Connection, version: int) -> LearnedModelRow | None:
    row = conn.execute(select(learned_models).where(learned_models.c.version == version)).first()
    return _model_row(row) if row is not None else None


def list_models(conn: Connection) -> list[LearnedModelRow]:
    rows = conn.execute(select(learned_models).order_by(learned_models.c.version)).all()
    return [_model_row(r) for r in rows]


def _model_row(row: Any) -> LearnedModelRow:
    return LearnedModelRow(
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        base_model_id=row.base_model_id,
        rule_set_version=row.rule_set_version,
        decisions=row.decisions,
        rejections=row.rejections,
        last_decision_id=row.last_decision_id,
        weights=bytes(row.weights),
        weights_sha256=row.weights_sha256,
        metrics=dict(row.metrics or {}),
    )


def stored_predictions(
    conn: Connection, version: int, comment_ids: Sequence[str]
) -> dict[str, tuple[float, dict[str, float]]]:
    out: dict[str, tuple[float, dict[str, float]]] = {}
    unique = list(dict.fromkeys(comment_ids))
    for start in range(0, len(unique), _BATCH):
        rows = conn.execute(
            select(
                learned_predictions.c.comment_id,
                learned_predictions.c.reject_probability,
                learned_predictions.c.categories,
            ).where(
                learned_predictions.c.model_version == version,
                learned_predictions.c.comment_id.in_(unique[start : start + _BATCH]),
            )
        )
        for cid, probability, categories in rows:
            out[cid] = (float(probability), dict(categories or {}))
    return out


def put_predictions(
    conn: Connection, version: int, predictions: Mapping[str, tuple[float, Mapping[str, float]]]
) -> None:
    """Insert predictions not stored yet (idempotent: a re-run skips what is there)."""
    if not predictions:
        return
    present = set(stored_predictions(conn, version, list(predictions)))
    now = datetime.now(UTC)
    rows = [
        {
            "model_version": version,
            "comment_id": cid,
            "reject_probability": float(p),
            "categories": {k: float(v) for k, v in cats.items()},
            "created_at": now,
        }
        for cid, (p, cats) in predictions.items()
        if cid not in present
    ]
    if rows:
        conn.execute(learned_predictions.insert(), rows)


def delete_predictions(conn: Connection, version: int) -> None:
    conn.execute(delete(learned_predictions).where(learned_predictions.c.model_version == version))


def probability_column(version: int, comment_id: Any) -> Any:
    """A scalar subquery: ``version``'s reject probability of the comment ``comment_id`` names
    (a column), NULL without a prediction; the queue sorts by it in SQL."""
    return (
        select(learned_predictions.c.reject_probability)
        .where(
            learned_predictions.c.model_version == version,
            learned_predictions.c.comment_id == comment_id,
        )
        .scalar_subquery()
    )


def ranked_comment_ids(
    conn: Connection, version: int, comment_ids: Sequence[str]
) -> list[tuple[str, float]]:
    """(comment id, reject probability) of those with a stored prediction, most likely first."""
    found = stored_predictions(conn, version, comment_ids)
    return sorted(((cid, p) for cid, (p, _) in found.items()), key=lambda x: (-x[1], x[0]))


__all__ = [
    "NON_HUMAN_DECIDERS",
    "HumanDecision",
    "LearnedModelRow",
    "comment_ids_with_status",
    "comment_texts",
    "delete_predictions",
    "get_model",
    "human_decisions",
    "insert_model",
    "latest_model",
    "learned_models",
    "learned_predictions",
    "list_models",
    "model_scores",
    "probability_column",
    "put_predictions",
    "ranked_comment_ids",
    "rule_hits",
    "stored_predictions",
    "thread_positions",
]
