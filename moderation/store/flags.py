"""Flags and evaluations of one rule-set version: what re-flagging reads and writes.

A re-flag reads the stored reader comments (plain named tuples: an impact preview reads 100,000
of them several times), writes each batch's flags and evaluations in the caller's transaction,
and moves undecided comments to the queue their verdict suggests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select

from moderation.records import Status
from moderation.store.bulk import driver_json, driver_time, for_ids, insert_rows
from moderation.store.schema import comments, evaluations, flags
from moderation.store.work import current_evaluation


class StoredComment(NamedTuple):
    """The columns of a stored reader comment that evaluating rules needs."""

    id: str
    article_id: str
    text: str
    text_hash: str
    author: str | None
    status: str
    decided_by: str | None
    parent_author: str | None


class FlagRow(NamedTuple):
    """One rule hit on one comment under one version."""

    comment_id: str
    rule_id: str
    category: str
    clause_id: str
    action: str
    severity: int
    evidence: list[dict[str, Any]]
    scores: dict[str, float]


class EvaluationRow(NamedTuple):
    """That a comment was evaluated, under which scores, and the status its verdict suggests."""

    comment_id: str
    model_id: str | None
    status: Status


def stored_comments(
    conn: Connection,
    *,
    article_ids: Sequence[str] | None = None,
    unevaluated: tuple[int, str | None] | None = None,
) -> list[StoredComment]:
    """Reader comments (of ``article_ids``; without a current evaluation under ``unevaluated``
    = (version, model id)), with the author of the comment each one answers."""
    parent = comments.alias("parent")
    query = (
        select(
            comments.c.id,
            comments.c.article_id,
            comments.c.text,
            comments.c.text_hash,
            comments.c.author,
            comments.c.status,
            comments.c.decided_by,
            parent.c.author.label("parent_author"),
        )
        .join(parent, parent.c.id == comments.c.parent_id, isouter=True)
        # No ORDER BY: each comment is evaluated on its own, and sorting 100,000 rows by their
        # text primary key costs a preview about a third of a second.
        .where(comments.c.kind == "comment")
    )
    if article_ids is not None:
        query = query.where(comments.c.article_id.in_(list(article_ids)))
    if unevaluated is not None:
        query = query.where(~current_evaluation(*unevaluated))
    # Plain named tuples from the driver's rows (every column is text: nothing to convert):
    # SQLAlchemy Rows are slow to read field by field, and building them costs a million-comment
    # re-flag seconds.
    result = conn.execute(query)
    try:
        return list(map(StoredComment._make, result.cursor.fetchall()))
    finally:
        result.close()


def prior_rejections(conn: Connection) -> Counter[str]:
    """Per author: comments a moderator rejected."""
    rows = conn.execute(
        select(comments.c.author, func.count())
        .where(comments.c.status == Status.REJECTED, comments.c.decided_by.is_not(None))
        .group_by(comments.c.author)
    ).all()
    return Counter({author: count for author, count in rows if author})


def clear(conn: Connection, version: int, comment_ids: Sequence[str]) -> None:
    """Forget ``version``'s flags and evaluations of these comments (they are written again)."""
    for table in (flags, evaluations):
        for_ids(
            conn,
            f"DELETE FROM {table.name} WHERE rule_set_version = {{p}} AND comment_id {{ids}}",
            (version,),
            comment_ids,
        )


def write(
    conn: Connection,
    version: int,
    model_id: str | None,
    hits: Sequence[FlagRow],
    evaluated: Sequence[EvaluationRow],
    now: datetime,
) -> None:
    """Insert ``version``'s flags (by ``model_id``'s scores) and evaluations: the same rows a
    Core ``insert()`` writes, as one driver-level statement each (store/bulk.py), since a
    re-flag of a million comments spent most of its writing time in per-row parameter
    processing."""
    if hits:
        at = driver_time(conn, flags, "created_at", now)
        insert_rows(
            conn,
            flags,
            _FLAG_COLUMNS,
            [
                (
                    h.comment_id,
                    version,
                    h.rule_id,
                    h.category,
                    h.clause_id,
                    h.action,
                    h.severity,
                    driver_json(conn, h.evidence),
                    driver_json(conn, h.scores),
                    model_id,
                    at,
                )
                for h in hits
            ],
        )
    if evaluated:
        at = driver_time(conn, evaluations, "evaluated_at", now)
        insert_rows(
            conn,
            evaluations,
            _EVALUATION_COLUMNS,
            [(e.comment_id, version, e.model_id, str(e.status), at) for e in evaluated],
        )


_FLAG_COLUMNS = (
    "comment_id",
    "rule_set_version",
    "rule_id",
    "category",
    "clause_id",
    "action",
    "severity",
    "evidence",
    "scores",
    "model_id",
    "created_at",
)
_EVALUATION_COLUMNS = ("comment_id", "rule_set_version", "model_id", "status", "evaluated_at")


def move_undecided(conn: Connection, status: Status, comment_ids: Sequence[str]) -> None:
    """Move these comments to ``status``, unless a moderator decided one meanwhile (a human
    decision wins over the rules)."""
    for_ids(
        conn,
        "UPDATE comments SET status = {p}, version = version + 1"
        " WHERE decided_by IS NULL AND id {ids}",
        (str(status),),
        comment_ids,
    )


def signatures(conn: Connection, version: int) -> dict[str, list[tuple[str, str, str]]]:
    """Per comment: (rule id, category, action) of each of ``version``'s flags on it."""
    rows = conn.execute(
        select(flags.c.comment_id, flags.c.rule_id, flags.c.category, flags.c.action).where(
            flags.c.rule_set_version == version
        )
    ).all()
    found: dict[str, list[tuple[str, str, str]]] = {}
    for comment_id, rule_id, category, action in rows:
        found.setdefault(comment_id, []).append((rule_id, category, action))
    return found


__all__ = [
    "EvaluationRow",
    "FlagRow",
    "StoredComment",
    "clear",
    "move_undecided",
    "prior_rejections",
    "signatures",
    "stored_comments",
    "write",
]
