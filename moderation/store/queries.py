"""SQL pieces shared by several readers (the queue, comment cards, threads, authors): each one
written once here, so the queue and the statistics cannot disagree on what they mean."""

from __future__ import annotations

from sqlalchemy import Connection, ScalarSelect, func, select

from moderation.records import PolicyClause
from moderation.store.schema import comments, decisions, flags, policy_clauses

# A decision as a moderator reads it back (a comment's history, an author's record).
DECISION_SHOWN = (
    decisions.c.created_at,
    decisions.c.moderator,
    decisions.c.action,
    decisions.c.clause_id,
    decisions.c.note,
)


def max_severity(rule_set_version: int | None) -> ScalarSelect[int]:
    """The severity of a comment's most severe flag under ``rule_set_version`` (NULL when it has
    none), as a scalar subquery correlated on ``comments.c.id``: put it in a select on comments
    (``.label("severity")``) or order by it."""
    return (
        select(func.max(flags.c.severity))
        .where(flags.c.comment_id == comments.c.id, flags.c.rule_set_version == rule_set_version)
        .scalar_subquery()
    )


def article_clauses(conn: Connection, article_id: str) -> tuple[PolicyClause, ...]:
    """An article's discussion-policy clauses in the policy's order (empty without a policy)."""
    rows = conn.execute(
        select(policy_clauses.c.clause_id, policy_clauses.c.text)
        .where(policy_clauses.c.article_id == article_id)
        .order_by(policy_clauses.c.position)
    )
    return tuple(PolicyClause(r.clause_id, r.text) for r in rows)
