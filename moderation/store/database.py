"""Engines for SQLite (embedded default) and PostgreSQL, and the schema check at open.

SQLite writes: a write transaction (Store.transaction, Store.write) begins ``BEGIN IMMEDIATE``,
emitted by SQLAlchemy's ``begin`` event as in the pysqlite recipe of SQLAlchemy's SQLite docs: it
takes the write lock first, waiting up to the busy timeout, instead of reading under a snapshot
and failing at once with "database is locked" when it then writes after another connection did.
Other connections keep the driver's own handling (reads never wait for writers in WAL mode, and
statements that cannot run in a transaction, such as VACUUM, still work).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, CursorResult, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from moderation.errors import ConfigError, StoreError
from moderation.store import connection_loss, migrate

T = TypeVar("T")

# Execution option naming how a SQLite transaction begins (see _sqlite_begin).
SQLITE_BEGIN = "threadwatch_sqlite_begin"
WRITE_OPTIONS: dict[str, Any] = {SQLITE_BEGIN: "IMMEDIATE"}
_BEGIN_MODES = ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")
SQLITE_BUSY_TIMEOUT_S = 30
# Lock errors are retried a few times (never conflicts: those are answers, not accidents).
WRITE_ATTEMPTS = 4
_RETRY_PAUSE_S = (0.05, 0.2, 0.8)
# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
_PG_LOCK_STATES = {"40001", "40P01", "55P03"}
GENESIS_HASH = "0" * 64  # the "previous hash" of the first audit entry


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def create_db_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"not a database URL: {exc}", subject=redact(url)) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":  # plain postgresql:// means psycopg 3 here
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True)
        connection_loss.watch(engine, redact(url))
        return engine
    raise ConfigError(
        f"unsupported database {backend!r}: use sqlite:///… or postgresql://…",
        subject=redact(url),
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the dashboard read while an ingest writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # REPLACE then fires DELETE triggers too (the audit log refuses deletes).
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN)
    if mode is None:
        return  # the driver begins (lazily, before the first write) as it always has
    if mode not in _BEGIN_MODES:
        raise StoreError(f"unknown SQLite BEGIN mode {mode!r}")
    # With a transaction open, the driver's own implicit BEGIN is skipped; COMMIT, ROLLBACK and
    # SAVEPOINTs then apply to this one.
    conn.exec_driver_sql(f"BEGIN {mode}")


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the one row an INSERT wrote (SQLAlchemy reports it for every
    single-row insert; None only for executemany)."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def is_lock_error(exc: BaseException) -> bool:
    """True for "the database is busy, try again" (SQLite locked/busy, PostgreSQL deadlock,
    serialization or lock-timeout failures); False for everything else."""
    while exc is not None and not isinstance(exc, DBAPIError):
        exc = exc.__cause__  # type: ignore[assignment]
    if exc is None:
        return False
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        message = str(orig).lower()
        return "locked" in message or "busy" in message
    return getattr(orig, "sqlstate", None) in _PG_LOCK_STATES


def retry_locked(work: Callable[[], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
    """Run ``work`` (one whole transaction) again when it failed on a lock, a few times."""
    for attempt in range(attempts):
        try:
            return work()
        except (StoreError, DBAPIError) as exc:
            if attempt == attempts - 1 or not is_lock_error(exc):
                raise
            time.sleep(_RETRY_PAUSE_S[min(attempt, len(_RETRY_PAUSE_S) - 1)])
    raise AssertionError("unreachable")  # pragma: no cover


def ensure_schema(engine: Engine) -> str:
    """The database's schema revision once it is this release's: an empty database gets every
    migration; one behind or ahead is refused with what to do (moderation.store.migrate)."""
    url = redact(engine.url.render_as_string(hide_password=False))
    try:
        state = migrate.current(engine)
        if state.empty:
            state = migrate.create_empty(engine) or migrate.current(engine)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database: {first_line(exc)}", subject=url) from exc
    if state.up_to_date:
        return state.head
    if state.foreign:
        raise StoreError(
            "the database has tables but no Threadwatch schema revision: not a Threadwatch "
            "database (use an empty one)",
            subject=url,
        )
    if not state.known:
        raise StoreError(
            f"database schema revision {state.current} is not one this Threadwatch knows "
            f"(its newest is {state.head}); upgrade Threadwatch",
            subject=url,
        )
    written = " (written by the release before migrations)" if state.legacy else ""
    raise StoreError(
        f"database schema is at revision {state.current}{written}, this Threadwatch needs "
        f"{state.head}: back it up, then run `moderation db upgrade`",
        subject=url,
    )


def first_line(exc: BaseException) -> str:
    """The first line of a database error's message (the driver's own, when it has one): the
    one-line reason a StoreError gives."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["?"])[0]
