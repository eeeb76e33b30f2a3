"""Dashboard logins in the database: failed attempts (for the backoff) and revoked sessions.

Both live in the database rather than in a server's memory, so that a restart resets neither
and every server of a deployment sees the same state.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from moderation.store import Store
from moderation.store.schema import login_failures, revoked_sessions

Scope = Literal["account", "address"]


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone; every one we store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def locked_until(store: Store, scope: Scope, subject: str) -> datetime | None:
    """Until when logins for this account or address are refused (None: not locked)."""
    query = select(login_failures.c.locked_until).where(
        login_failures.c.scope == scope, login_failures.c.subject == subject
    )
    with store.engine.connect() as conn:
        return utc(conn.execute(query).scalar_one_or_none())


def add_failure(
    store: Store, scope: Scope, subject: str, *, at: datetime, window: timedelta
) -> int:
    """Count one more failed login and return the count. Failures older than ``window`` are
    forgotten first. One upsert, so concurrent failures are all counted."""
    upsert = _insert(store).values(scope=scope, subject=subject, failures=1, last_failed_at=at)
    upsert = upsert.on_conflict_do_update(
        index_elements=[login_failures.c.scope, login_failures.c.subject],
        set_={
            "failures": case(
                (login_failures.c.last_failed_at < at - window, 1),
                else_=login_failures.c.failures + 1,
            ),
            "last_failed_at": at,
        },
    )
    with store.transaction() as conn:
        conn.execute(upsert)
        return int(
            conn.execute(
                select(login_failures.c.failures).where(
                    login_failures.c.scope == scope, login_failures.c.subject == subject
                )
            ).scalar_one()
        )


def lock(store: Store, scope: Scope, subject: str, *, until: datetime) -> None:
    with store.transaction() as conn:
        conn.execute(
            update(login_failures)
            .where(login_failures.c.scope == scope, login_failures.c.subject == subject)
            .values(locked_until=until)
        )


def clear_failures(store: Store, scope: Scope, subject: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            delete(login_failures).where(
                login_failures.c.scope == scope, login_failures.c.subject == subject
            )
        )


def revoke(
    store: Store, session_id: str, *, username: str, at: datetime, expires_at: datetime
) -> None:
    """End a session for good; also forgets revocations whose cookies have expired anyway."""
    with store.transaction() as conn:
        conn.execute(delete(revoked_sessions).where(revoked_sessions.c.expires_at < at))
        if not _is_revoked(conn, session_id):
            conn.execute(
                revoked_sessions.insert().values(
                    session_id=session_id, username=username, revoked_at=at, expires_at=expires_at
                )
            )


def is_revoked(store: Store, session_id: str) -> bool:
    with store.engine.connect() as conn:
        return _is_revoked(conn, session_id)


def _is_revoked(conn: Connection, session_id: str) -> bool:
    query = select(revoked_sessions.c.session_id).where(revoked_sessions.c.session_id == session_id)
    return conn.execute(query).first() is not None


def _insert(store: Store) -> Any:
    # INSERT … ON CONFLICT DO UPDATE: the same statement on both databases.
    dialect = postgresql if store.dialect == "postgresql" else sqlite
    return dialect.insert(login_failures)
