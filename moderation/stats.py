"""Aggregations behind the dashboard's tables and charts.

Every function does its counting in SQL (GROUP BY, LIMIT/OFFSET) so a page stays fast with
100,000 comments: Python only reshapes the few rows that come back. Counts are of reader
comments (``kind == "comment"``), as in the queues; "flagged" means at least one flag under the
rule-set version asked for, and a comment's category is that of its most severe flag.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    select,
)

from moderation.csv_cells import csv_text
from moderation.store import Store
from moderation.store import audit as audit_store
from moderation.store.authors import effective_status_column, is_restricted
from moderation.store.schema import (
    articles,
    audit_log,
    authors,
    comments,
    decisions,
    flags,
    policy_clauses,
    scores,
)

__all__ = [
    "AUTHOR_SORTS",
    "EXPORT_LIMIT",
    "NO_CATEGORY",
    "STATUSES",
    "AuditFilter",
    "article_header",
    "audit_csv",
    "audit_options",
    "audit_page",
    "audit_records",
    "author_comments",
    "author_decisions",
    "author_profile",
    "author_status_history",
    "authors_overview",
    "decisions_over_time",
    "decisions_per_moderator",
    "flags_by_depth",
    "rule_hits",
    "score_histogram",
    "text_score_histogram",
    "thread_comments",
    "thread_scores",
    "thread_table",
    "totals",
]

STATUSES: tuple[str, ...] = ("unmoderated", "pending", "escalated", "approved", "rejected")
NO_CATEGORY = "none"
AuthorSort = Literal["flagged", "rejected", "comments", "name"]
AUTHOR_SORTS: tuple[AuthorSort, ...] = ("flagged", "rejected", "comments", "name")
EXPORT_LIMIT = 100_000  # rows in one audit CSV: beyond that, narrow the filters


# -- shared SQL pieces ----------------------------------------------------------------------


def _flagged_ids(rule_set_version: int | None) -> Any:
    """Subquery of the comment ids with at least one flag under ``rule_set_version``."""
    return (
        select(flags.c.comment_id)
        .where(flags.c.rule_set_version == rule_set_version)
        .group_by(flags.c.comment_id)
        .subquery("flagged")
    )


def _top_category(rule_set_version: int | None) -> ColumnElement[str]:
    """The category of the comment's most severe flag, or "none" (ties: alphabetical)."""
    top = (
        select(flags.c.category)
        .where(flags.c.comment_id == comments.c.id, flags.c.rule_set_version == rule_set_version)
        .order_by(flags.c.severity.desc(), flags.c.category)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(top, NO_CATEGORY)


def _max_severity(rule_set_version: int | None) -> ColumnElement[int]:
    return (
        select(func.max(flags.c.severity))
        .where(flags.c.comment_id == comments.c.id, flags.c.rule_set_version == rule_set_version)
        .scalar_subquery()
    )


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    # SUM over no rows is NULL; COALESCE keeps empty groups at 0.
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _day(store: Store, column: Any) -> ColumnElement[str]:
    """'YYYY-MM-DD' (UTC) of a timestamp column, on either database."""
    if store.dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.date(column)  # SQLite stores UTC timestamps as ISO text


def _bucket(store: Store, value: Any, bins: int) -> ColumnElement[int]:
    """Histogram bin of a score in [0, 1]: floor(value * bins). PostgreSQL rounds when casting
    a float to an integer, SQLite truncates (and has no floor() on every build)."""
    if store.dialect == "postgresql":
        return cast(func.floor(value * bins), Integer)
    return cast(value * bins, Integer)


def _rate(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0)).fillna(0.0).round(4)


def _frame(rows: Sequence[Any], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


# -- threads --------------------------------------------------------------------------------


def thread_table(store: Store, *, rule_set_version: int | None) -> pd.DataFrame:
    """One row per article: comments per status, flagged comments and the flagged rate;
    busiest threads first. Articles without comments are listed with zeros."""
    flagged = _flagged_ids(rule_set_version)
    query = (
        select(
            articles.c.id,
            articles.c.title,
            articles.c.source,
            func.count(comments.c.id).label("comments"),
            *[_count_if(comments.c.status == status).label(status) for status in STATUSES],
            func.count(flagged.c.comment_id).label("flagged"),
        )
        .select_from(articles)
        .outerjoin(
            comments, and_(comments.c.article_id == articles.c.id, comments.c.kind == "comment")
        )
        .outerjoin(flagged, flagged.c.comment_id == comments.c.id)
        .group_by(articles.c.id, articles.c.title, articles.c.source)
        .order_by(func.count(comments.c.id).desc(), articles.c.title)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = ["article_id", "title", "source", "comments", *STATUSES, "flagged"]
    frame = _frame(rows, columns)
    frame["flagged_rate"] = _rate(frame["flagged"], frame["comments"])
    return frame


def article_header(store: Store, article_id: str) -> dict[str, Any] | None:
    """An article's own fields and its discussion-policy clauses, without its comments (a
    thread can be long; the page reads those a page at a time)."""
    query = select(
        articles.c.id,
        articles.c.title,
        articles.c.source,
        articles.c.url,
        articles.c.published_at,
        articles.c.body,
    ).where(articles.c.id == article_id)
    clauses = (
        select(policy_clauses.c.clause_id, policy_clauses.c.text)
        .where(policy_clauses.c.article_id == article_id)
        .order_by(policy_clauses.c.position)
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
        if row is None:
            return None
        header = dict(row)
        header["policy"] = [(c.clause_id, c.text) for c in conn.execute(clauses)]
    return header


def thread_comments(
    store: Store,
    article_id: str,
    *,
    rule_set_version: int | None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of a thread in thread order (pingbacks included, as in the source), with each
    comment's top flag category and severity; plus the number of entries in the thread."""
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
            _top_category(rule_set_version).label("category"),
            _max_severity(rule_set_version).label("severity"),
        )
        .where(comments.c.article_id == article_id)
        .order_by(comments.c.position)
        .offset(offset)
        .limit(limit)
    )
    total_query = select(func.count()).where(comments.c.article_id == article_id)
    with store.engine.connect() as conn:
        total = conn.execute(total_query).scalar_one()
        rows = [dict(r) for r in conn.execute(query).mappings()]
    return rows, total


def thread_scores(
    store: Store, article_id: str, *, model_id: str | None, rule_set_version: int | None
) -> pd.DataFrame:
    """Every score of every reader comment in the thread, in thread order, with the comment's
    category: columns position, comment_id, author, label, value, category."""
    query = (
        select(
            comments.c.position,
            comments.c.id,
            comments.c.author,
            scores.c.label,
            scores.c.value,
            _top_category(rule_set_version).label("category"),
        )
        .join(
            scores,
            and_(
                scores.c.text_hash == comments.c.text_hash,
                scores.c.model_id == model_id,
            ),
        )
        .where(comments.c.article_id == article_id, comments.c.kind == "comment")
        .order_by(comments.c.position, scores.c.label)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, ["position", "comment_id", "author", "label", "value", "category"])


def flags_by_depth(store: Store, article_id: str, *, rule_set_version: int | None) -> pd.DataFrame:
    """Flags per reply depth and category in one thread: columns depth, category, flags."""
    query = (
        select(comments.c.depth, flags.c.category, func.count().label("flags"))
        .join(flags, flags.c.comment_id == comments.c.id)
        .where(comments.c.article_id == article_id, flags.c.rule_set_version == rule_set_version)
        .group_by(comments.c.depth, flags.c.category)
        .order_by(comments.c.depth, flags.c.category)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, ["depth", "category", "flags"])


def score_histogram(
    store: Store,
    *,
    model_id: str | None,
    article_id: str | None = None,
    label: str | None = None,
    bins: int = 20,
) -> pd.DataFrame:
    """Reader comments per score bin and label, in one thread or all, for one label or all:
    columns label, bin, bin_start, bin_end, comments. Only non-empty bins come back. Across a
    whole large database prefer text_score_histogram: this joins every comment to its score."""
    bucket = _bucket(store, scores.c.value, bins).label("bucket")
    query = (
        select(scores.c.label, bucket, func.count().label("comments"))
        .select_from(comments)
        .join(
            scores,
            and_(scores.c.text_hash == comments.c.text_hash, scores.c.model_id == model_id),
        )
        .where(comments.c.kind == "comment")
        .group_by(scores.c.label, bucket)
    )
    if article_id is not None:
        query = query.where(comments.c.article_id == article_id)
    if label is not None:
        query = query.where(scores.c.label == label)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _binned(_frame(rows, ["label", "bin", "comments"]), bins, "comments")


def text_score_histogram(
    store: Store, *, model_id: str | None, label: str | None = None, bins: int = 20
) -> pd.DataFrame:
    """Scored texts per score bin and label across the whole database: columns label, bin,
    bin_start, bin_end, texts. Each distinct text counts once (scores are stored per text), which
    reads only the scores table: several times cheaper than joining 100,000 comments."""
    bucket = _bucket(store, scores.c.value, bins).label("bucket")
    query = (
        select(scores.c.label, bucket, func.count().label("texts"))
        .where(scores.c.model_id == model_id)
        .group_by(scores.c.label, bucket)
    )
    if label is not None:
        query = query.where(scores.c.label == label)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _binned(_frame(rows, ["label", "bin", "texts"]), bins, "texts")


def _binned(frame: pd.DataFrame, bins: int, count: str) -> pd.DataFrame:
    # A score of exactly 1.0 lands in bin ``bins``: it belongs to the last bin.
    frame["bin"] = frame["bin"].astype(int).clip(0, bins - 1)
    frame = frame.groupby(["label", "bin"], as_index=False)[count].sum()
    frame["bin_start"] = frame["bin"] / bins
    frame["bin_end"] = (frame["bin"] + 1) / bins
    return frame[["label", "bin", "bin_start", "bin_end", count]]


# -- rules and decisions --------------------------------------------------------------------


def rule_hits(store: Store, *, rule_set_version: int | None) -> pd.DataFrame:
    """Flags per rule under one rule-set version, most hits first: columns rule_id, category,
    action, hits, rejected (flagged comments a moderator went on to reject)."""
    query = (
        select(
            flags.c.rule_id,
            flags.c.category,
            flags.c.action,
            func.count().label("hits"),
            _count_if(comments.c.status == "rejected").label("rejected"),
        )
        .join(comments, comments.c.id == flags.c.comment_id)
        .where(flags.c.rule_set_version == rule_set_version)
        .group_by(flags.c.rule_id, flags.c.category, flags.c.action)
        .order_by(func.count().desc(), flags.c.rule_id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, ["rule_id", "category", "action", "hits", "rejected"])


def decisions_over_time(store: Store, *, include_undone: bool = False) -> pd.DataFrame:
    """Decisions per UTC day and action: columns day (datetime), action, decisions. Undone
    decisions are left out unless asked for: they no longer stand."""
    day = _day(store, decisions.c.created_at).label("day")
    query = select(day, decisions.c.action, func.count().label("decisions"))
    if not include_undone:
        query = query.where(decisions.c.undone_at.is_(None))
    query = query.group_by(day, decisions.c.action).order_by(day, decisions.c.action)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = _frame(rows, ["day", "action", "decisions"])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def decisions_per_moderator(store: Store, *, include_undone: bool = False) -> pd.DataFrame:
    """Decisions per moderator and action: columns moderator, action, decisions."""
    query = select(decisions.c.moderator, decisions.c.action, func.count().label("decisions"))
    if not include_undone:
        query = query.where(decisions.c.undone_at.is_(None))
    query = query.group_by(decisions.c.moderator, decisions.c.action).order_by(
        decisions.c.moderator, decisions.c.action
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, ["moderator", "action", "decisions"])


def totals(store: Store, *, rule_set_version: int | None) -> dict[str, int]:
    """Headline numbers: reader comments, flagged comments, decisions standing, blocked authors."""
    flagged = _flagged_ids(rule_set_version)
    with store.engine.connect() as conn:
        return {
            "comments": conn.execute(
                select(func.count()).where(comments.c.kind == "comment")
            ).scalar_one(),
            "flagged": conn.execute(select(func.count()).select_from(flagged)).scalar_one(),
            "decisions": conn.execute(
                select(func.count()).where(decisions.c.undone_at.is_(None))
            ).scalar_one(),
            "blocked": conn.execute(
                select(func.count()).where(is_restricted(datetime.now(UTC)))
            ).scalar_one(),
        }


# -- authors --------------------------------------------------------------------------------


def _author_metrics(
    rule_set_version: int | None, conditions: Sequence[ColumnElement[bool]] = ()
) -> Select[Any]:
    """Per-author counts over reader comments, for the authors matching ``conditions`` (on the
    authors table); callers add ORDER BY and paging. Comments are counted per author_id first
    and then joined to authors, and "flagged" is an EXISTS probe on the flags index: a plan that
    stays fast on PostgreSQL even before it has statistics on freshly loaded tables."""
    is_flagged = exists().where(
        flags.c.comment_id == comments.c.id, flags.c.rule_set_version == rule_set_version
    )
    per_author = select(
        comments.c.author_id,
        func.count().label("comments"),
        func.count(func.distinct(comments.c.article_id)).label("threads"),
        _count_if(is_flagged).label("flagged"),
        _count_if(comments.c.status == "rejected").label("rejected"),
    ).where(comments.c.kind == "comment", comments.c.author_id.is_not(None))
    if conditions:  # count only the matching authors' comments (a search, one profile)
        per_author = per_author.where(
            comments.c.author_id.in_(select(authors.c.id).where(*conditions))
        )
    counts = per_author.group_by(comments.c.author_id).subquery("per_author")
    return (
        select(
            authors.c.name,
            # A suspension past its end reads as active: no job has to lift it.
            effective_status_column(datetime.now(UTC)).label("status"),
            *[
                func.coalesce(counts.c[column], 0).label(column)
                for column in ("comments", "threads", "flagged", "rejected")
            ],
        )
        .outerjoin(counts, counts.c.author_id == authors.c.id)
        .where(*conditions)
    )


_AUTHOR_COLUMNS = ["author", "status", "comments", "threads", "flagged", "rejected"]


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    frame["flag_rate"] = _rate(frame["flagged"], frame["comments"])
    frame["rejection_rate"] = _rate(frame["rejected"], frame["comments"])
    return frame


def authors_overview(
    store: Store,
    *,
    rule_set_version: int | None,
    search: str | None = None,
    blocked_only: bool = False,
    sort: AuthorSort = "flagged",
    offset: int = 0,
    limit: int = 50,
) -> tuple[pd.DataFrame, int]:
    """One page of authors with comment, flag and rejection counts and rates; plus how many
    authors match. ``search`` matches part of the name, case-insensitively."""
    conditions: list[ColumnElement[bool]] = []
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(authors.c.name.ilike(f"%{escaped}%", escape="\\"))
    if blocked_only:
        conditions.append(is_restricted(datetime.now(UTC)))
    metrics = _author_metrics(rule_set_version, conditions)
    # ORDER BY the select-list labels: portable across SQLite and PostgreSQL.
    order: dict[str, list[Any]] = {
        "flagged": [literal_column("flagged").desc(), literal_column("rejected").desc()],
        "rejected": [literal_column("rejected").desc(), literal_column("flagged").desc()],
        "comments": [literal_column("comments").desc()],
        "name": [],
    }
    query = metrics.order_by(*order[sort], authors.c.name).offset(offset).limit(limit)
    total_query = select(func.count()).select_from(authors).where(*conditions)
    with store.engine.connect() as conn:
        total = conn.execute(total_query).scalar_one()
        rows = conn.execute(query).all()
    return _with_rates(_frame(rows, _AUTHOR_COLUMNS)), total


def author_profile(
    store: Store, name: str, *, rule_set_version: int | None
) -> dict[str, Any] | None:
    """One author's block status, counts and rates, and the standing decisions on their
    comments by action; None when there is no such author."""
    query = _author_metrics(rule_set_version, [authors.c.name == name])
    decided = (
        select(decisions.c.action, func.count())
        .join(comments, comments.c.id == decisions.c.comment_id)
        .join(authors, authors.c.id == comments.c.author_id)
        .where(authors.c.name == name, decisions.c.undone_at.is_(None))
        .group_by(decisions.c.action)
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
        if row is None:
            return None
        by_action = {action: count for action, count in conn.execute(decided).all()}
    profile = _with_rates(_frame([row], _AUTHOR_COLUMNS)).iloc[0].to_dict()
    profile["decisions"] = by_action
    return profile


def author_comments(
    store: Store,
    name: str,
    *,
    rule_set_version: int | None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[pd.DataFrame, int]:
    """One page of an author's comments across threads, newest article first: columns
    comment_id, article, position, status, decided_by, category, severity, text."""
    condition = and_(
        comments.c.author_id
        == select(authors.c.id).where(authors.c.name == name).scalar_subquery(),
        comments.c.kind == "comment",
    )
    query = (
        select(
            comments.c.id,
            articles.c.title,
            comments.c.position,
            comments.c.status,
            comments.c.decided_by,
            _top_category(rule_set_version).label("category"),
            _max_severity(rule_set_version).label("severity"),
            comments.c.text,
        )
        .join(articles, articles.c.id == comments.c.article_id)
        .where(condition)
        .order_by(articles.c.title, comments.c.position)
        .offset(offset)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).where(condition)).scalar_one()
        rows = conn.execute(query).all()
    columns = [
        "comment_id",
        "article",
        "position",
        "status",
        "decided_by",
        "category",
        "severity",
        "text",
    ]
    return _frame(rows, columns), total


def author_decisions(store: Store, name: str, *, limit: int = 100) -> pd.DataFrame:
    """Moderators' decisions on an author's comments, newest first (undone ones included and
    marked): columns at, moderator, action, clause, note, undone, article."""
    query = (
        select(
            decisions.c.created_at,
            decisions.c.moderator,
            decisions.c.action,
            decisions.c.clause_id,
            decisions.c.note,
            decisions.c.undone_at.is_not(None),
            articles.c.title,
        )
        .join(comments, comments.c.id == decisions.c.comment_id)
        .join(articles, articles.c.id == comments.c.article_id)
        .join(authors, authors.c.id == comments.c.author_id)
        .where(authors.c.name == name)
        .order_by(decisions.c.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, ["at", "moderator", "action", "clause", "note", "undone", "article"])


def author_status_history(store: Store, name: str, *, limit: int = 50) -> pd.DataFrame:
    """Blocks, suspensions, unblocks and their undos for one author from the audit log, newest
    first: columns at, actor, action, clause, note, until."""
    query = (
        select(audit_log.c.at, audit_log.c.actor, audit_log.c.action, audit_log.c.details)
        .where(audit_log.c.target_type == "author", audit_log.c.target_id == name)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = _frame(rows, ["at", "actor", "action", "details"])
    frame["clause"] = [(d or {}).get("clause") for d in frame["details"]]
    frame["note"] = [(d or {}).get("note") for d in frame["details"]]
    frame["until"] = [(d or {}).get("until") for d in frame["details"]]
    return frame.drop(columns="details")


# -- audit log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """Audit-log filters; ``since`` and ``until`` are inclusive UTC days."""

    actor: str | None = None
    action: str | None = None
    target_type: str | None = None
    since: date | None = None
    until: date | None = None


def _audit_conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for column, value in (
        (audit_log.c.actor, flt.actor),
        (audit_log.c.action, flt.action),
        (audit_log.c.target_type, flt.target_type),
    ):
        if value:
            conditions.append(column == value)
    if flt.since:
        conditions.append(audit_log.c.at >= datetime.combine(flt.since, time.min, UTC))
    if flt.until:
        end = datetime.combine(flt.until + timedelta(days=1), time.min, UTC)
        conditions.append(audit_log.c.at < end)
    return conditions


def audit_options(store: Store) -> dict[str, list[str]]:
    """The actors, actions and target types present in the log, for the filter choices."""
    with store.engine.connect() as conn:
        return {
            name: list(conn.execute(select(column).distinct().order_by(column)).scalars())
            for name, column in (
                ("actor", audit_log.c.actor),
                ("action", audit_log.c.action),
                ("target_type", audit_log.c.target_type),
            )
        }


_AUDIT_COLUMNS = [
    "id",
    "at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "details",
    "rule_set_version",
    "model_id",
]
# Fields of ``details`` shown as columns of their own (the rest stays in ``extra``).
AUDIT_FIELDS = ["article_id", "article", "position", "author", "from", "to", "clause", "note"]
# The CSV export: the stored columns, the readable fields, and the chain (for outside checks).
_CSV_COLUMNS = [*_AUDIT_COLUMNS, *AUDIT_FIELDS[1:], "seq", "row_hash"]


def _details_fields(details: Any) -> dict[str, Any]:
    details = details if isinstance(details, dict) else {}
    fields = {name: details.get(name) for name in AUDIT_FIELDS}
    fields["extra"] = {k: v for k, v in details.items() if k not in AUDIT_FIELDS}
    return fields


def audit_page(
    store: Store, flt: AuditFilter, *, offset: int = 0, limit: int = 100
) -> tuple[pd.DataFrame, int]:
    """One page of the audit log, newest first, with ``details`` as compact JSON text and its
    fields as columns (AUDIT_FIELDS, and ``extra`` for the rest); plus the number of matching
    rows. (review.audit_entries has no offset or end date.)"""
    conditions = _audit_conditions(flt)
    query = (
        select(*[audit_log.c[name] for name in _AUDIT_COLUMNS])
        .where(*conditions)
        .order_by(audit_log.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        total = conn.execute(
            select(func.count()).select_from(audit_log).where(*conditions)
        ).scalar_one()
        rows = conn.execute(query).all()
    frame = _frame(rows, _AUDIT_COLUMNS)
    fields = pd.DataFrame(
        [_details_fields(d) for d in frame["details"]], columns=[*AUDIT_FIELDS, "extra"]
    )
    frame["details"] = [json.dumps(d, sort_keys=True, default=str) for d in frame["details"]]
    frame = pd.concat([frame, fields], axis=1)
    # Nullable integers: a missing version must not turn the column into floats (1.0).
    frame["rule_set_version"] = frame["rule_set_version"].astype("Int64")
    frame["position"] = frame["position"].astype("Int64")
    return frame, total


def _csv_row(row: dict[str, Any]) -> list[Any]:
    fields = _details_fields(row["details"])
    at = row["at"]
    return [
        row["id"],
        at.isoformat(sep=" ") if isinstance(at, datetime) else at,
        row["actor"],
        row["action"],
        row["target_type"],
        row["target_id"],
        json.dumps(row["details"], sort_keys=True, default=str),
        row["rule_set_version"],
        row["model_id"],
        *[fields[name] for name in AUDIT_FIELDS[1:]],
        row["seq"],
        row["row_hash"],
    ]


def audit_csv(store: Store, flt: AuditFilter, *, limit: int | None = EXPORT_LIMIT) -> str:
    """The filtered audit log (newest first, at most ``limit`` rows; None: all) as CSV text.
    Every cell is neutralised against formula injection (moderation/csv_cells.py)."""
    entries = audit_store.iter_entries(store, _audit_conditions(flt))
    if limit is not None:
        entries = itertools.islice(entries, limit)
    return csv_text(_CSV_COLUMNS, map(_csv_row, entries))


def audit_records(store: Store, flt: AuditFilter) -> Iterator[dict[str, Any]]:
    """The filtered audit log, newest first, as JSON-ready dicts (``details`` as an object)."""
    for row in audit_store.iter_entries(store, _audit_conditions(flt)):
        at = row["at"]
        yield {
            **row,
            "at": (at.replace(tzinfo=UTC) if at.tzinfo is None else at).isoformat(),
        }
