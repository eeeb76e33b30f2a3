"""Authors: their block status as it stands now (a suspension past its end date reads as active,
so suspensions expire by themselves, without a job to lift them), and the reads behind the
Authors page (per-author counts, one author's comments and the decisions on them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
)

from moderation.records import AuthorStatus, Status
from moderation.store import Store
from moderation.store.aggregates import READER, count_if, top_category
from moderation.store.queries import DECISION_SHOWN, max_severity
from moderation.store.schema import articles, authors, comments, decisions, flags

AuthorSort = Literal["flagged", "rejected", "comments", "name"]
AUTHOR_SORTS: tuple[AuthorSort, ...] = ("flagged", "rejected", "comments", "name")


def _aware(at: datetime | None) -> datetime | None:
    # SQLite hands timestamps back without a zone; they are stored in UTC.
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def effective_status(status: str | None, until: datetime | None, now: datetime) -> str | None:
    """``status`` as it applies at ``now`` (None for comments without an author row)."""
    if status == AuthorStatus.SUSPENDED:
        end = _aware(until)
        if end is not None and end <= now:
            return AuthorStatus.ACTIVE
    return status


def effective_status_column(now: datetime, table: Any = authors) -> ColumnElement[str]:
    """The same in SQL, for queries that filter or show many authors."""
    return case(
        (
            and_(table.c.status == AuthorStatus.SUSPENDED, table.c.suspended_until <= now),
            AuthorStatus.ACTIVE,
        ),
        else_=table.c.status,
    )


def is_restricted(now: datetime, table: Any = authors) -> ColumnElement[bool]:
    """Blocked, or suspended and the suspension not over yet."""
    return or_(
        table.c.status == AuthorStatus.BLOCKED,
        and_(
            table.c.status == AuthorStatus.SUSPENDED,
            or_(table.c.suspended_until.is_(None), table.c.suspended_until > now),
        ),
    )


def restricted_names(conn: Connection, names: Iterable[str | None], now: datetime) -> set[str]:
    """Which of ``names`` are blocked or suspended at ``now``: their new comments wait for a
    moderator whatever the rules say."""
    wanted = sorted({n for n in names if n})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            conn.execute(
                select(authors.c.name).where(
                    authors.c.name.in_(wanted[start : start + 500]), is_restricted(now)
                )
            ).scalars()
        )
    return found


# -- the Authors page -----------------------------------------------------------------------


class AuthorCounts(NamedTuple):
    """One author's standing and counts over their reader comments."""

    author: str
    status: str  # an AuthorStatus value, as it applies now
    comments: int
    threads: int
    flagged: int
    rejected: int


class AuthorComment(NamedTuple):
    comment_id: str
    article: str
    position: int
    status: str
    decided_by: str | None
    category: str
    severity: int | None
    text: str


class AuthorDecision(NamedTuple):
    at: datetime
    moderator: str
    action: str
    clause: str | None
    note: str | None
    undone: bool
    article: str


def _author_counts(
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
        count_if(is_flagged).label("flagged"),
        count_if(comments.c.status == Status.REJECTED).label("rejected"),
    ).where(comments.c.kind == READER, comments.c.author_id.is_not(None))
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


# ORDER BY the select-list labels: portable across SQLite and PostgreSQL.
_ORDER: dict[AuthorSort, tuple[str, ...]] = {
    "flagged": ("flagged", "rejected"),
    "rejected": ("rejected", "flagged"),
    "comments": ("comments",),
    "name": (),
}


def author_page(
    store: Store,
    *,
    rule_set_version: int | None,
    search: str | None,
    blocked_only: bool,
    sort: AuthorSort,
    offset: int,
    limit: int,
) -> tuple[list[AuthorCounts], int]:
    """One page of authors; plus how many authors match. ``search`` matches part of the name,
    case-insensitively (LIKE wildcards in it are literal)."""
    conditions: list[ColumnElement[bool]] = []
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(authors.c.name.ilike(f"%{escaped}%", escape="\\"))
    if blocked_only:
        conditions.append(is_restricted(datetime.now(UTC)))
    order: list[ColumnElement[Any]] = [literal_column(label).desc() for label in _ORDER[sort]]
    query = (
        _author_counts(rule_set_version, conditions)
        .order_by(*order, authors.c.name)
        .offset(offset)
        .limit(limit)
    )
    total_query = select(func.count()).select_from(authors).where(*conditions)
    with store.engine.connect() as conn:
        total = conn.execute(total_query).scalar_one()
        return [AuthorCounts(*row) for row in conn.execute(query)], total


def author_standing(
    store: Store, name: str, *, rule_set_version: int | None
) -> tuple[AuthorCounts, dict[str, int]] | None:
    """One author's counts and the standing decisions on their comments per action; None when
    there is no such author."""
    decided = (
        select(decisions.c.action, func.count())
        .join(comments, comments.c.id == decisions.c.comment_id)
        .join(authors, authors.c.id == comments.c.author_id)
        .where(authors.c.name == name, decisions.c.undone_at.is_(None))
        .group_by(decisions.c.action)
    )
    with store.engine.connect() as conn:
        row = conn.execute(_author_counts(rule_set_version, [authors.c.name == name])).first()
        if row is None:
            return None
        by_action = {action: count for action, count in conn.execute(decided).all()}
    return AuthorCounts(*row), by_action


def author_comments(
    store: Store, name: str, *, rule_set_version: int | None, offset: int, limit: int
) -> tuple[list[AuthorComment], int]:
    """One page of an author's reader comments across threads, by article title and thread
    order; plus how many there are."""
    condition = and_(
        comments.c.author_id
        == select(authors.c.id).where(authors.c.name == name).scalar_subquery(),
        comments.c.kind == READER,
    )
    query = (
        select(
            comments.c.id,
            articles.c.title,
            comments.c.position,
            comments.c.status,
            comments.c.decided_by,
            top_category(rule_set_version),
            max_severity(rule_set_version),
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
        return [AuthorComment(*row) for row in conn.execute(query)], total


def author_decisions(store: Store, name: str, *, limit: int) -> list[AuthorDecision]:
    """Moderators' decisions on an author's comments, newest first, undone ones included."""
    query = (
        select(
            *DECISION_SHOWN,
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
        return [AuthorDecision(*row) for row in conn.execute(query)]
