"""Reads behind the Threads page: per-article counts, one article's header, a page of its
thread, and the data of its charts. Counting happens in SQL (GROUP BY, LIMIT/OFFSET), so a page
stays fast with 100,000 comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import and_, func, select

from moderation.records import CommentKind, PolicyClause, Status
from moderation.store import Store
from moderation.store.aggregates import READER, count_if, flagged_ids, top_category
from moderation.store.queries import article_clauses, max_severity
from moderation.store.schema import articles, comments, flags, scores


class ThreadCounts(NamedTuple):
    """One article: its reader comments in all and per status (the fields named as the
    Status values, in their order), and how many of them are flagged."""

    article_id: str
    title: str
    source: str
    comments: int
    unmoderated: int
    pending: int
    escalated: int
    approved: int
    rejected: int
    flagged: int


# The per-status fields of ThreadCounts are the statuses: a new status must get its field.
if ThreadCounts._fields[4:9] != tuple(Status):
    raise RuntimeError("ThreadCounts' status fields differ from moderation.records.Status")


@dataclass(frozen=True, slots=True)
class ArticleHeader:
    """An article's own fields and its discussion-policy clauses, without its comments."""

    id: str
    title: str
    source: str
    url: str | None
    published_at: str | None
    body: str
    policy: tuple[PolicyClause, ...]


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One entry of a thread (a reader comment or a pingback) with its top flag."""

    id: str
    parent_id: str | None
    position: int
    number: str | None
    depth: int
    kind: CommentKind
    author: str | None
    text: str
    status: str
    decided_by: str | None
    posted_at: str | None
    category: str  # NO_CATEGORY when unflagged
    severity: int | None  # None when unflagged


class ThreadScore(NamedTuple):
    position: int
    comment_id: str
    author: str | None
    label: str
    value: float
    category: str


class DepthFlags(NamedTuple):
    depth: int
    category: str
    flags: int


def thread_counts(store: Store, *, rule_set_version: int | None) -> list[ThreadCounts]:
    """Every article, busiest first; articles without comments come with zeros."""
    flagged = flagged_ids(rule_set_version)
    query = (
        select(
            articles.c.id,
            articles.c.title,
            articles.c.source,
            func.count(comments.c.id),
            *[count_if(comments.c.status == status) for status in Status],
            func.count(flagged.c.comment_id),
        )
        .select_from(articles)
        .outerjoin(
            comments, and_(comments.c.article_id == articles.c.id, comments.c.kind == READER)
        )
        .outerjoin(flagged, flagged.c.comment_id == comments.c.id)
        .group_by(articles.c.id, articles.c.title, articles.c.source)
        .order_by(func.count(comments.c.id).desc(), articles.c.title)
    )
    with store.engine.connect() as conn:
        return [ThreadCounts(*row) for row in conn.execute(query)]


def article_header(store: Store, article_id: str) -> ArticleHeader | None:
    """An article's fields and policy, or None when there is no such article (a thread can be
    long; its comments are read a page at a time)."""
    query = select(
        articles.c.id,
        articles.c.title,
        articles.c.source,
        articles.c.url,
        articles.c.published_at,
        articles.c.body,
    ).where(articles.c.id == article_id)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
        if row is None:
            return None
        return ArticleHeader(*row, policy=article_clauses(conn, article_id))


def thread_entries(
    store: Store, article_id: str, *, rule_set_version: int | None, offset: int, limit: int
) -> tuple[list[ThreadEntry], int]:
    """One page of a thread in thread order (pingbacks included, as in the source); plus the
    number of entries in the thread."""
    query = (
        select(
            comments.c.id,
            comments.c.parent_id,
            comments.c.position,
            comments.c.number,
            comments.c.depth,
            comments.c.kind,
            comments.c.author,
            comments.c.text,
            comments.c.status,
            comments.c.decided_by,
            comments.c.posted_at,
            top_category(rule_set_version).label("category"),
            max_severity(rule_set_version).label("severity"),
        )
        .where(comments.c.article_id == article_id)
        .order_by(comments.c.position)
        .offset(offset)
        .limit(limit)
    )
    total_query = select(func.count()).where(comments.c.article_id == article_id)
    with store.engine.connect() as conn:
        total = conn.execute(total_query).scalar_one()
        entries = [ThreadEntry(**row._mapping) for row in conn.execute(query)]
    return entries, total


def thread_scores(
    store: Store, article_id: str, *, model_id: str | None, rule_set_version: int | None
) -> list[ThreadScore]:
    """Every score of every reader comment in the thread, in thread order."""
    query = (
        select(
            comments.c.position,
            comments.c.id,
            comments.c.author,
            scores.c.label,
            scores.c.value,
            top_category(rule_set_version),
        )
        .join(
            scores,
            and_(scores.c.text_hash == comments.c.text_hash, scores.c.model_id == model_id),
        )
        .where(comments.c.article_id == article_id, comments.c.kind == READER)
        .order_by(comments.c.position, scores.c.label)
    )
    with store.engine.connect() as conn:
        return [ThreadScore(*row) for row in conn.execute(query)]


def flags_by_depth(
    store: Store, article_id: str, *, rule_set_version: int | None
) -> list[DepthFlags]:
    """Flags per reply depth and category in one thread."""
    query = (
        select(comments.c.depth, flags.c.category, func.count())
        .join(flags, flags.c.comment_id == comments.c.id)
        # ``+ 0``: without statistics SQLite took the version's index and walked every flag of
        # the version (2.7 s at one million comments); from the thread's comments it is 1 ms.
        .where(
            comments.c.article_id == article_id, flags.c.rule_set_version + 0 == rule_set_version
        )
        .group_by(comments.c.depth, flags.c.category)
        .order_by(comments.c.depth, flags.c.category)
    )
    with store.engine.connect() as conn:
        return [DepthFlags(*row) for row in conn.execute(query)]
