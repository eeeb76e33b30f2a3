"""SQL pieces the dashboard's counts share (threads, authors, stats): counts are of reader
comments, "flagged" means at least one flag under the rule-set version asked for, and a
comment's category is that of its most severe flag."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, Subquery, case, cast, func, select

from moderation.records import CommentKind
from moderation.store.schema import comments, flags

NO_CATEGORY = "none"  # the category of a comment no rule flagged
READER: CommentKind = "comment"  # pingbacks are listed in threads but never counted


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    # SUM over no rows is NULL; COALESCE keeps empty groups at 0.
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def flagged_ids(rule_set_version: int | None) -> Subquery:
    """Subquery of the comment ids with at least one flag under ``rule_set_version``."""
    return (
        select(flags.c.comment_id)
        .where(flags.c.rule_set_version == rule_set_version)
        .group_by(flags.c.comment_id)
        .subquery("flagged")
    )


def top_category(rule_set_version: int | None) -> ColumnElement[str]:
    """The category of the comment's most severe flag, or NO_CATEGORY (ties: alphabetical);
    correlated on ``comments.c.id``."""
    top = (
        select(flags.c.category)
        .where(flags.c.comment_id == comments.c.id, flags.c.rule_set_version == rule_set_version)
        .order_by(flags.c.severity.desc(), flags.c.category)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(top, NO_CATEGORY)


def utc_day(dialect: str, column: Any) -> ColumnElement[str]:
    """'YYYY-MM-DD' (UTC) of a timestamp column, on either database."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.date(column)  # SQLite stores UTC timestamps as ISO text


def score_bucket(dialect: str, value: Any, bins: int) -> ColumnElement[int]:
    """Histogram bin of a score in [0, 1]: floor(value * bins). PostgreSQL rounds when casting
    a float to an integer, SQLite truncates (and has no floor() on every build)."""
    if dialect == "postgresql":
        return cast(func.floor(value * bins), Integer)
    return cast(value * bins, Integer)
