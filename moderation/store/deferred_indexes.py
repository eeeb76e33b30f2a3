"""The comments' secondary indexes set aside while a bulk load fills most of the table (SQLite).

Keeping six secondary indexes up to date row by row is most of a large load's cost on SQLite:
each batch of random keys (text hashes, article ids) dirties nearly every page of those indexes,
so at a million comments a batch wrote several times its own size. Building all six once, from
one sorted scan each, took 8-10 s for a million rows: the load stored 1M comments in 41.6 s
with this against 60.3 s keeping them (benchmarks/bench_ingest.py, side by side). So when a
bulk ingest's own rows come to outnumber what the table held before it,
the indexes are dropped (inside that batch's transaction: SQLite's DDL commits or rolls back
with the rows) and built again when the load ends, before anything reads the table at scale.

A load killed in between leaves the table without them: every query still gives the same
answers, only slower. The next bulk ingest ends by building what is missing (a re-run of the
killed one, as always), and so does ``moderation db upgrade``; ``missing`` names them for
``moderation db current``. Never on PostgreSQL: there a DROP INDEX locks every dashboard out of
the table until its transaction ends, and leaves every team member's query without its index.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, Engine, Index, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from moderation.errors import StoreError
from moderation.store.database import WRITE_OPTIONS, first_line
from moderation.store.schema import comments
from moderation.store.sqlite_bulk import bulk_settings


def deferrable() -> list[Index]:
    """The comments' secondary indexes, by name (unique ones keep guarding their rows)."""
    return sorted((i for i in comments.indexes if not i.unique), key=lambda i: str(i.name))


def missing(conn: Connection) -> list[str]:
    """Names of the deferrable indexes the database lacks (none on PostgreSQL)."""
    if conn.dialect.name != "sqlite":
        return []
    present = set(
        conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
            {"t": comments.name},
        ).scalars()
    )
    return [str(i.name) for i in deferrable() if i.name not in present]


def build_missing(engine: Engine) -> list[str]:
    """Build the deferrable indexes the database lacks, in one write transaction with a bulk
    load's page cache (it holds each build's sort); their names. A StoreError if it fails."""
    if engine.dialect.name != "sqlite":
        return []
    try:
        with engine.connect() as conn:
            if not missing(conn):
                return []
            conn.rollback()  # the look ended; the build takes the write lock and looks again
            with bulk_settings(conn), conn.execution_options(**WRITE_OPTIONS).begin():
                names = missing(conn)
                for index in deferrable():
                    if index.name in names:
                        index.create(conn)
                return names
    except SQLAlchemyError as exc:
        raise StoreError(f"building the comment indexes failed: {first_line(exc)}") from exc


class DeferredIndexes:
    """One bulk ingest's decision. ``batch(conn, incoming)``, in each batch's transaction, drops
    the indexes once the comments this run has written (``written``, which the caller adds to
    after each commit) and the batch's ``incoming`` ones exceed what the table held when the run
    began; ``finish()`` builds whatever is missing, whoever dropped it, and returns its seconds
    (0.0 when nothing was missing)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.stored = 0
        self.written = 0
        self.deferring = False
        if engine.dialect.name == "sqlite":
            try:
                with engine.connect() as conn:
                    count = select(func.count()).select_from(comments)
                    self.stored = conn.execute(count).scalar_one()
            except SQLAlchemyError as exc:
                raise StoreError(f"cannot count the stored comments: {first_line(exc)}") from exc

    def batch(self, conn: Connection, incoming: int) -> None:
        if conn.dialect.name != "sqlite":
            return
        self.deferring = self.deferring or self.written + incoming > self.stored
        if self.deferring:
            # IF EXISTS: idempotent, so a batch rolled back with its DROPs changes nothing here.
            quote = conn.dialect.identifier_preparer.quote
            for index in deferrable():
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {quote(str(index.name))}")

    def finish(self) -> float:
        started = time.perf_counter()
        built = build_missing(self.engine)
        return time.perf_counter() - started if built else 0.0


__all__ = ["DeferredIndexes", "build_missing", "deferrable", "missing"]
