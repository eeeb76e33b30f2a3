"""Lock errors are retried a bounded number of times; conflicts and other errors never are."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from moderation.errors import ConflictError, StoreError
from moderation.store import Store
from moderation.store.database import WRITE_ATTEMPTS, is_lock_error, retry_locked


def locked() -> OperationalError:
    return OperationalError("UPDATE …", {}, sqlite3.OperationalError("database is locked"))


def test_lock_errors_are_recognised() -> None:
    assert is_lock_error(locked())
    wrapped = StoreError("database write failed")
    wrapped.__cause__ = locked()
    assert is_lock_error(wrapped)
    assert not is_lock_error(ConflictError("already approved by ann"))
    assert not is_lock_error(IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE")))


def test_a_locked_write_is_tried_again_and_succeeds() -> None:
    calls = []

    def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise locked()
        return "done"

    assert retry_locked(work) == "done" and len(calls) == 3


def test_retries_are_bounded() -> None:
    calls = []

    def work() -> None:
        calls.append(1)
        raise locked()

    with pytest.raises(OperationalError, match="locked"):
        retry_locked(work)
    assert len(calls) == WRITE_ATTEMPTS


@pytest.mark.parametrize(
    "error",
    [
        ConflictError("already approved by ann; reload before deciding"),
        IntegrityError("INSERT …", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
    ],
)
def test_conflicts_and_other_errors_are_not_retried(error: Exception) -> None:
    calls = []

    def work() -> None:
        calls.append(1)
        raise error

    with pytest.raises(type(error)):
        retry_locked(work)
    assert len(calls) == 1


def test_sqlite_writes_begin_immediate(tmp_path: object) -> None:
    """A write transaction holds the write lock from its first statement on, so a second
    writer waits instead of failing when the first one commits."""
    store = Store.open(f"sqlite:///{tmp_path}/tw.db")
    with store.transaction() as conn:
        other = sqlite3.connect(f"{tmp_path}/tw.db", timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
        conn.execute(text("SELECT 1"))
    store.close()
