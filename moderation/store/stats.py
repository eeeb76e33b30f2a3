"""Reads behind the Stats page and the score charts: score bins, rule hits, decisions per day
or per moderator, and the headline totals; all counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from sqlalchemy import and_, func, select

from moderation.records import Status
from moderation.store import Store
from moderation.store.aggregates import READER, count_if, flagged_ids, score_bucket, utc_day
from moderation.store.authors import is_restricted
from moderation.store.schema import comments, decisions, flags, scores

DecisionsBy = Literal["day", "moderator"]


class ScoreBin(NamedTuple):
    """How many comments (or distinct texts) of one label fall in bin ``bin`` (0-based; a
    score of exactly 1.0 comes back as bin ``bins``: the caller folds it into the last)."""

    label: str
    bin: int
    tally: int


class RuleHits(NamedTuple):
    rule_id: str
    category: str
    action: str
    hits: int
    rejected: int  # flagged comments a moderator went on to reject


class DecisionCount(NamedTuple):
    key: str  # the UTC day ('YYYY-MM-DD') or the moderator
    action: str
    decisions: int


@dataclass(frozen=True, slots=True)
class Totals:
    """Headline numbers: reader comments, flagged comments, standing decisions, blocked
    (or still suspended) authors."""

    comments: int
    flagged: int
    decisions: int
    blocked: int


def score_bins(
    store: Store,
    *,
    model_id: str | None,
    bins: int,
    per_comment: bool,
    article_id: str | None = None,
    label: str | None = None,
) -> list[ScoreBin]:
    """Non-empty score bins per label: of reader comments (``per_comment``, optionally in one
    thread), or of distinct scored texts, which reads only the scores table (several times
    cheaper across 100,000 comments)."""
    bucket = score_bucket(store.dialect, scores.c.value, bins)
    query = select(scores.c.label, bucket, func.count())
    if per_comment:
        # The model in the join, not in WHERE: SQLite then drives the join from the thread's
        # comments instead of scanning every score of the model.
        query = (
            query.select_from(comments)
            .join(
                scores,
                and_(scores.c.text_hash == comments.c.text_hash, scores.c.model_id == model_id),
            )
            .where(comments.c.kind == READER)
        )
        if article_id is not None:
            query = query.where(comments.c.article_id == article_id)
    else:
        query = query.where(scores.c.model_id == model_id)
    if label is not None:
        query = query.where(scores.c.label == label)
    with store.engine.connect() as conn:
        return [ScoreBin(*row) for row in conn.execute(query.group_by(scores.c.label, bucket))]


def rule_hits(store: Store, *, rule_set_version: int | None) -> list[RuleHits]:
    """Flags per rule under one rule-set version, most hits first."""
    query = (
        select(
            flags.c.rule_id,
            flags.c.category,
            flags.c.action,
            func.count(),
            count_if(comments.c.status == Status.REJECTED),
        )
        .join(comments, comments.c.id == flags.c.comment_id)
        .where(flags.c.rule_set_version == rule_set_version)
        .group_by(flags.c.rule_id, flags.c.category, flags.c.action)
        .order_by(func.count().desc(), flags.c.rule_id)
    )
    with store.engine.connect() as conn:
        return [RuleHits(*row) for row in conn.execute(query)]


def decision_counts(
    store: Store, *, by: DecisionsBy, include_undone: bool = False
) -> list[DecisionCount]:
    """Decisions per UTC day or per moderator, and action. Undone decisions are left out
    unless asked for: they no longer stand."""
    key = utc_day(store.dialect, decisions.c.created_at) if by == "day" else decisions.c.moderator
    query = select(key, decisions.c.action, func.count())
    if not include_undone:
        query = query.where(decisions.c.undone_at.is_(None))
    query = query.group_by(key, decisions.c.action).order_by(key, decisions.c.action)
    with store.engine.connect() as conn:
        return [DecisionCount(*row) for row in conn.execute(query)]


def totals(store: Store, *, rule_set_version: int | None) -> Totals:
    """The headline numbers of the Stats page."""
    flagged = flagged_ids(rule_set_version)
    with store.engine.connect() as conn:
        return Totals(
            comments=conn.execute(
                select(func.count()).where(comments.c.kind == READER)
            ).scalar_one(),
            flagged=conn.execute(select(func.count()).select_from(flagged)).scalar_one(),
            decisions=conn.execute(
                select(func.count()).where(decisions.c.undone_at.is_(None))
            ).scalar_one(),
            blocked=conn.execute(
                select(func.count()).where(is_restricted(datetime.now(UTC)))
            ).scalar_one(),
        )
