"""Bulk loads on SQLite: a batch's commit leaves its checkpoint to the Checkpointer thread, which
copies it into the database file while the next batch is built; the block's end leaves the file
complete. On PostgreSQL (its own checkpointer) the Checkpointer does nothing."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from moderation.store import Store
from moderation.store.bulk import insert_rows
from moderation.store.schema import articles
from moderation.store.sqlite_bulk import Checkpointer

_COLUMNS = ("id", "source", "title", "body", "content_hash", "created_at", "updated_at")


def _write_batch(store: Store, first: int, n: int) -> None:
    now = datetime.now(UTC).isoformat(sep=" ")
    rows = [
        (f"a{i}", f"bulk://{i}", f"Article {i}", "body " * 400, f"h{i}", now, now)
        for i in range(first, first + n)
    ]
    with store.transaction(bulk=True) as conn:
        insert_rows(conn, articles, _COLUMNS, rows)


def _file_size(store: Store) -> int:
    database = store.engine.url.database
    assert database is not None
    return os.path.getsize(database)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_committed_batches_are_checkpointed_in_the_background_and_at_the_end(
    store: Store, tmp_path: Path
) -> None:
    empty = _file_size(store)
    with Checkpointer(store.engine) as checkpoints:
        _write_batch(store, 0, 2_000)  # ~4 MB: past the default checkpoint, not the bulk one
        assert _file_size(store) == empty  # the commit left its pages in the WAL
        checkpoints.committed()
        deadline = time.monotonic() + 30
        while _file_size(store) == empty and time.monotonic() < deadline:
            time.sleep(0.05)
        copied = _file_size(store)
        assert copied > empty  # the thread copied the batch while this one went on
        _write_batch(store, 2_000, 2_000)
    assert _file_size(store) > copied  # the last batch, checkpointed as the block ended
    assert checkpoints.error is None
    assert store.counts()["articles"] == 4_000


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_on_postgresql_the_checkpointer_does_nothing(store: Store) -> None:
    with Checkpointer(store.engine) as checkpoints:
        _write_batch(store, 0, 10)
        checkpoints.committed()
    assert checkpoints.error is None and store.counts()["articles"] == 10
