"""Engines for SQLite (embedded default) and PostgreSQL, and the schema-version check."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from moderation.errors import ConfigError, StoreError
from moderation.store.schema import SCHEMA_VERSION, metadata, schema_info

_SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
_POSTGRES_APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)


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
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":  # plain postgresql:// means psycopg 3 here
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise ConfigError(
        f"unsupported database {backend!r}: use sqlite:///… or postgresql://…",
        subject=redact(url),
    )


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL lets the dashboard read while an ingest writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def ensure_schema(engine: Engine) -> int:
    """Create tables on first use and refuse a database written by a newer Threadwatch."""
    url = redact(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                # Serialise first-time setup between processes racing to create the schema.
                conn.execute(text("SELECT pg_advisory_xact_lock(7265746)"))
            metadata.create_all(conn, checkfirst=True)
            statements = (
                _SQLITE_APPEND_ONLY if engine.dialect.name == "sqlite" else _POSTGRES_APPEND_ONLY
            )
            found = conn.execute(
                select(schema_info.c.value).where(schema_info.c.key == "schema_version")
            ).scalar_one_or_none()
            if found is None:
                for statement in statements:
                    conn.execute(text(statement))
                conn.execute(
                    schema_info.insert().values(key="schema_version", value=str(SCHEMA_VERSION))
                )
                return SCHEMA_VERSION
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database: {_first_line(exc)}", subject=url) from exc
    version = int(found)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema version {version} is newer than this Threadwatch supports "
            f"({SCHEMA_VERSION}); upgrade Threadwatch",
            subject=url,
        )
    # Older versions would be migrated here, one step at a time; version 1 is the first.
    return version


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
