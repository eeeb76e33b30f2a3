"""The Threads page's data: every article with its comments per status, and one thread at a
time (its header, a page of its comments, its scores and its flags by reply depth). The SQL is
in moderation/store/threads.py; this module shapes the rows for the tables and charts."""

from __future__ import annotations

import pandas as pd

from moderation.records import Status
from moderation.review.frames import frame, rate
from moderation.store import Store
from moderation.store import threads as threads_store
from moderation.store.aggregates import NO_CATEGORY
from moderation.store.threads import ArticleHeader, DepthFlags, ThreadEntry, ThreadScore

__all__ = [
    "NO_CATEGORY",
    "STATUSES",
    "ArticleHeader",
    "ThreadEntry",
    "article_header",
    "flags_by_depth",
    "thread_comments",
    "thread_scores",
    "thread_table",
]

# The per-status count columns of the thread table, in the order pages show them.
STATUSES: tuple[Status, ...] = tuple(Status)


def thread_table(store: Store, *, rule_set_version: int | None) -> pd.DataFrame:
    """One row per article: comments per status, flagged comments and the flagged rate;
    busiest threads first. Articles without comments are listed with zeros."""
    rows = threads_store.thread_counts(store, rule_set_version=rule_set_version)
    table = frame(rows, threads_store.ThreadCounts._fields)
    table["flagged_rate"] = rate(table["flagged"], table["comments"])
    return table


def article_header(store: Store, article_id: str) -> ArticleHeader | None:
    """An article's own fields and its discussion-policy clauses, without its comments."""
    return threads_store.article_header(store, article_id)


def thread_comments(
    store: Store,
    article_id: str,
    *,
    rule_set_version: int | None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[ThreadEntry], int]:
    """One page of a thread in thread order (pingbacks included, as in the source), with each
    comment's top flag category and severity; plus the number of entries in the thread."""
    return threads_store.thread_entries(
        store, article_id, rule_set_version=rule_set_version, offset=offset, limit=limit
    )


def thread_scores(
    store: Store, article_id: str, *, model_id: str | None, rule_set_version: int | None
) -> pd.DataFrame:
    """Every score of every reader comment in the thread, in thread order, with the comment's
    category: columns position, comment_id, author, label, value, category."""
    rows = threads_store.thread_scores(
        store, article_id, model_id=model_id, rule_set_version=rule_set_version
    )
    return frame(rows, ThreadScore._fields)


def flags_by_depth(store: Store, article_id: str, *, rule_set_version: int | None) -> pd.DataFrame:
    """Flags per reply depth and category in one thread: columns depth, category, flags."""
    rows = threads_store.flags_by_depth(store, article_id, rule_set_version=rule_set_version)
    return frame(rows, DepthFlags._fields)
