"""Authors' block status as it stands now: a suspension past its end date reads as active, so
suspensions expire by themselves, without a job to lift them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, or_, select

from moderation.records import AuthorStatus
from moderation.store.schema import authors


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
