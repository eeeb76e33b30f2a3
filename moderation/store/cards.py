"""A comment card's reads: the comment with its parent and thread size, its flags with the
policy clauses they cite, its scores and its decision history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select

from moderation.records import PolicyClause
from moderation.store.queries import DECISION_SHOWN, article_clauses, max_severity
from moderation.store.queue import ITEM_COLUMNS, QueueItem, item_of
from moderation.store.schema import articles, authors, comments, decisions, flags, scores


@dataclass(frozen=True)
class CardHit:
    """One flag on the card: the rule that fired and the policy clause it cites (rules.Hit is
    the engine's own verdict record; this one is read back from the store)."""

    rule_id: str
    category: str
    clause_id: str
    clause_text: str | None
    action: str
    severity: int
    evidence: list[dict[str, Any]]
    scores: dict[str, float]


class HistoryEntry(NamedTuple):
    """One decision on the comment, oldest first (undone ones carry ``undone_at``)."""

    created_at: datetime
    moderator: str
    action: str
    clause_id: str | None
    note: str | None
    undone_at: datetime | None


@dataclass(frozen=True)
class Card:
    """Everything a moderator needs to decide one comment."""

    item: QueueItem
    kind: str
    parent_author: str | None
    parent_text: str | None
    hits: list[CardHit]
    scores: dict[str, float]
    model_id: str | None
    rule_set_version: int | None
    author_status: str | None
    history: list[HistoryEntry] = field(default_factory=list)
    policy_clauses: tuple[PolicyClause, ...] = ()  # the article's policy
    thread_entries: int = 0  # entries in the thread, pingbacks included (positions count them)
    author_until: datetime | None = None


def _comment_row(conn: Connection, comment_id: str, rule_set_version: int | None) -> Any:
    parent = comments.alias("parent")
    entry = comments.alias("entry")
    return conn.execute(
        select(
            *ITEM_COLUMNS,
            comments.c.text_hash,
            max_severity(rule_set_version).label("severity"),
            parent.c.author.label("parent_author"),
            parent.c.text.label("parent_text"),
            select(func.count())
            .where(entry.c.article_id == comments.c.article_id)
            .scalar_subquery()
            .label("thread_entries"),
        )
        .join(articles, articles.c.id == comments.c.article_id)
        .join(parent, parent.c.id == comments.c.parent_id, isouter=True)
        .join(authors, authors.c.id == comments.c.author_id, isouter=True)
        .where(comments.c.id == comment_id)
    ).first()


def _hits(
    conn: Connection, comment_id: str, rule_set_version: int | None, clause_text: dict[str, str]
) -> list[CardHit]:
    rows = conn.execute(
        select(flags)
        .where(flags.c.comment_id == comment_id, flags.c.rule_set_version == rule_set_version)
        .order_by(flags.c.severity.desc(), flags.c.rule_id)
    )
    return [
        CardHit(
            rule_id=f.rule_id,
            category=f.category,
            clause_id=f.clause_id,
            clause_text=clause_text.get(f.clause_id),
            action=f.action,
            severity=f.severity,
            evidence=list(f.evidence or []),
            scores=dict(f.scores or {}),
        )
        for f in rows
    ]


def _history(conn: Connection, comment_id: str) -> list[HistoryEntry]:
    rows = conn.execute(
        select(
            *DECISION_SHOWN,
            decisions.c.undone_at,
        )
        .where(decisions.c.comment_id == comment_id)
        .order_by(decisions.c.id)
    )
    return [HistoryEntry(*r) for r in rows]


def comment_card(
    conn: Connection, comment_id: str, *, model_id: str | None, rule_set_version: int | None
) -> Card | None:
    row = _comment_row(conn, comment_id, rule_set_version)
    if row is None:
        return None
    clauses = article_clauses(conn, row.article_id)
    label_scores = select(scores.c.label, scores.c.value).where(
        scores.c.text_hash == row.text_hash, scores.c.model_id == model_id
    )
    item = item_of(row)
    return Card(
        item=item,
        kind=row.kind,
        parent_author=row.parent_author,
        parent_text=row.parent_text,
        hits=_hits(conn, comment_id, rule_set_version, {c.id: c.text for c in clauses}),
        scores={r.label: r.value for r in conn.execute(label_scores)},
        model_id=model_id,
        rule_set_version=rule_set_version,
        author_status=item.author_status,
        history=_history(conn, comment_id),
        policy_clauses=clauses,
        thread_entries=int(row.thread_entries),
        author_until=item.author_until,
    )
