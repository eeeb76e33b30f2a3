"""The data version the dashboard keys its caches by: one query, and each kind of write moves it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

from moderation.parsing import parse_file
from moderation.store import Store, audit, rulesets
from moderation.store.data_version import DataVersion, data_version
from moderation.store.schema import rule_set_pointer


def test_an_empty_database_has_the_empty_version(store: Store) -> None:
    assert data_version(store) == DataVersion(None, None, 0, None, 0)


def test_it_is_read_in_one_query(store: Store) -> None:
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    data_version(store)
    assert len(statements) == 1


def test_every_kind_of_write_moves_it(store: Store, seed_000: Path) -> None:
    store.save_article(*parse_file(seed_000))
    stored = data_version(store)
    assert stored.articles == 1

    now = datetime.now(UTC)
    first = store.write(
        lambda conn: rulesets.register(
            conn, content="a", content_hash="h1", actor="editor", note=None, now=now
        )
    )
    assert first == (1, True)
    assert data_version(store)[:2] == (1, None)  # the first version is active at once
    store.write(
        lambda conn: rulesets.register(
            conn, content="b", content_hash="h2", actor="editor", note=None, now=now
        )
    )
    assert data_version(store)[:2] == (1, 2)  # a save is pending until its flags exist

    before = data_version(store)
    audit.record_event(
        store, actor="alice", action="approve", target_type="comment", target_id="c", details={}
    )
    after = data_version(store)
    assert after.audit_seq is not None and after.audit_seq != before.audit_seq
    assert after._replace(audit_seq=before.audit_seq) == before


def test_a_database_from_before_the_pointer_counts_its_newest_version(store: Store) -> None:
    now = datetime.now(UTC)
    store.write(
        lambda conn: rulesets.register(
            conn, content="a", content_hash="h1", actor="editor", note=None, now=now
        )
    )
    with store.engine.begin() as conn:
        conn.execute(rule_set_pointer.delete())  # the legacy shape, made by hand
    assert data_version(store).active_rules == rulesets.active_version(store) == 1
