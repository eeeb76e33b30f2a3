"""What is left to do, read from the database (never from what one run remembers).

An ingest killed after storing, a scoring run that died, a re-flag stopped by a restart: each
leaves rows without their scores or evaluations, and these queries find exactly those, so any
later run (ingest, score, reflag, dashboard start) completes the work.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, and_, delete, exists, or_, select

from moderation.store.schema import comments, evaluations, scores


def _scored(model_id: str) -> ColumnElement[bool]:
    # Correlated to the comments row of the enclosing query, however deep this is nested.
    return (
        exists()
        .where(scores.c.text_hash == comments.c.text_hash, scores.c.model_id == model_id)
        .correlate(comments)
    )


def unscored_texts(conn: Connection, model_id: str) -> list[tuple[str, str]]:
    """(text hash, text) of reader comments the model has not scored, each text once, in hash
    order: the same texts reach the scorer in the same chunks whichever run stored them (an int8
    model's scores depend on the batch a text shares)."""
    query = (
        select(comments.c.text_hash, comments.c.text)
        .where(comments.c.kind == "comment", ~_scored(model_id))
        .distinct()
        .order_by(comments.c.text_hash)
    )
    return [(h, t) for h, t in conn.execute(query)]


def current_evaluation(version: int, model_id: str | None) -> ColumnElement[bool]:
    """True for a comment whose evaluation under ``version`` is still good: it exists, and it saw
    ``model_id``'s scores, or there were none (and still are none) for its text. An evaluation
    made before the text was scored, or under another model, is done again."""
    conditions: list[ColumnElement[bool]] = [
        evaluations.c.comment_id == comments.c.id,
        evaluations.c.rule_set_version == version,
    ]
    if model_id is not None:
        conditions.append(
            or_(
                evaluations.c.model_id == model_id,
                and_(evaluations.c.model_id.is_(None), ~_scored(model_id)),
            )
        )
    return exists().where(*conditions)


def unevaluated_ids(conn: Connection, version: int, model_id: str | None) -> list[str]:
    """Ids of reader comments without a current evaluation under ``version``."""
    query = select(comments.c.id).where(
        comments.c.kind == "comment", ~current_evaluation(version, model_id)
    )
    return list(conn.execute(query).scalars())


def any_unscored(conn: Connection, model_id: str) -> bool:
    query = exists().where(comments.c.kind == "comment", ~_scored(model_id))
    return bool(conn.execute(select(query)).scalar())


def any_unevaluated(conn: Connection, version: int, model_id: str | None) -> bool:
    query = exists().where(comments.c.kind == "comment", ~current_evaluation(version, model_id))
    return bool(conn.execute(select(query)).scalar())


def reader_comment_ids(conn: Connection, article_ids: Sequence[str] | None = None) -> list[str]:
    query = select(comments.c.id).where(comments.c.kind == "comment")
    if article_ids is not None:
        query = query.where(comments.c.article_id.in_(list(article_ids)))
    return list(conn.execute(query).scalars())


def forget_evaluations(conn: Connection, comment_ids: Sequence[str]) -> None:
    """A comment whose text, parent or position changed must be evaluated again, under every
    version that may still be in force (the active one and a pending one)."""
    for start in range(0, len(comment_ids), 500):
        conn.execute(
            delete(evaluations).where(
                evaluations.c.comment_id.in_(list(comment_ids[start : start + 500]))
            )
        )


__all__ = [
    "any_unevaluated",
    "any_unscored",
    "current_evaluation",
    "forget_evaluations",
    "reader_comment_ids",
    "unevaluated_ids",
    "unscored_texts",
]
