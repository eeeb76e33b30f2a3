"""SQLite for bulk loads: a bulk transaction's settings, and WAL checkpoints in the background.

At SQLite's defaults a bulk ingest spent a quarter of its time in checkpoints: the default page
cache (2 MB) thrashes on the comments' random index keys, and every batch's commit copied the
WAL back into the database file (``wal_autocheckpoint`` = 1,000 pages), in the writer's own
thread. Here a bulk transaction gets a large cache and never checkpoints at its commit; a
``Checkpointer`` thread copies each committed batch back while the writer builds the next one
(a checkpoint is one call into SQLite, which releases the GIL for its whole length), and one
last checkpoint at the end leaves the database file complete. PostgreSQL has its own
background checkpointer: there all of this does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

# Page cache of a bulk transaction (KiB, negative = size): the comments' random text keys touch
# index pages all over the file, and the default 2 MB cache thrashes past a few hundred thousand
# rows.
CACHE_KIB = 262_144
# WAL pages (4 KiB) at which a bulk transaction's commit would still checkpoint: 256 MiB bounds
# the WAL should the checkpointer fall behind (a reader holding an old snapshot stops it).
CHECKPOINT_PAGES = 65_536


@contextmanager
def bulk_settings(conn: Connection) -> Iterator[None]:
    """Settings for one bulk transaction on ``conn``, in force through its commit and put back
    afterwards (the pooled connection serves ordinary work next). Set on the driver's
    connection: a PRAGMA through SQLAlchemy would begin its transaction before ``begin`` does."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    before = [
        (name, raw.execute(f"PRAGMA {name}").fetchone()[0])
        for name in ("cache_size", "wal_autocheckpoint")
    ]
    raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    raw.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        for name, value in before:
            raw.execute(f"PRAGMA {name}={int(value)}")


def checkpoint(conn: Connection) -> None:
    """Copy the WAL's committed pages into the database file now. PASSIVE: readers and the
    writer go on; what a reader's snapshot still needs is left to a later checkpoint."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()
        conn.rollback()  # SQLAlchemy began a transaction for the PRAGMA; SQLite did not


class Checkpointer:
    """``with Checkpointer(engine) as c:`` a thread that checkpoints after each ``c.committed()``
    (at most one run behind), and a last checkpoint when the block ends. A failed checkpoint
    loses nothing (the WAL still holds every commit, and the next one copies it): it is kept in
    ``error`` and the checkpoints go on."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.error: str | None = None
        self._wanted = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Checkpointer:
        if self.engine.dialect.name == "sqlite":
            self._thread = threading.Thread(
                target=self._run, name="threadwatch-checkpoint", daemon=True
            )
            self._thread.start()
        return self

    def committed(self) -> None:
        self._wanted.set()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        self._stopping = True
        self._wanted.set()
        self._thread.join()
        self._checkpoint()  # what the last batch left

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping:
                return
            self._checkpoint()

    def _checkpoint(self) -> None:
        try:
            with self.engine.connect() as conn:
                checkpoint(conn)
        except SQLAlchemyError as exc:
            self.error = f"checkpoint failed: {exc.__class__.__name__}: {exc}".splitlines()[0]


__all__ = ["CACHE_KIB", "CHECKPOINT_PAGES", "Checkpointer", "bulk_settings", "checkpoint"]
