"""Issue 11 point 12: the audit log is a hash chain; tampering is refused by the database or found
by `moderation audit verify`, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from moderation.cli import main
from moderation.store import Store
from moderation.store.audit import record_event, verify_chain
from moderation.store.schema import audit_log
from tests.conftest import fresh_postgres_database


def write_events(store: Store, count: int, actor: str = "ann") -> None:
    for n in range(count):
        record_event(
            store,
            actor=actor,
            action="note",
            target_type="test",
            target_id=str(n),
            details={"n": n, "text": "é ✓ \u202e"},
        )


def raw(store: Store, sql: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql))


def test_rows_are_chained_and_verify_passes(store: Store) -> None:
    write_events(store, 5)
    report = verify_chain(store)
    assert report.ok and report.rows == 5
    with store.engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert all(r.prev_hash == p.row_hash for p, r in itertools.pairwise(rows))


def test_verify_command_exit_codes(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(database_url)
    write_events(store, 3)
    assert main(["--db", database_url, "audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    if store.dialect == "sqlite":
        raw(store, "DROP TRIGGER audit_log_no_update")
    else:
        raw(store, "DROP TRIGGER audit_log_append_only ON audit_log")
    raw(store, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    assert main(["--db", database_url, "audit", "verify"]) == 2
    out = capsys.readouterr().out
    assert "broken at entry 2" in out and "content does not match" in out
    store.close()


def test_deleted_row_and_cut_tail_are_detected(store: Store) -> None:
    write_events(store, 4)
    if store.dialect == "sqlite":
        raw(store, "DROP TRIGGER audit_log_no_delete")
    else:
        raw(store, "DROP TRIGGER audit_log_append_only ON audit_log")
    raw(store, "DELETE FROM audit_log WHERE seq = 4")
    report = verify_chain(store)
    assert not report.ok and report.broken_at == 4 and "missing" in report.reason
    raw(store, "DELETE FROM audit_log WHERE seq = 2")
    report = verify_chain(store)
    assert not report.ok and report.broken_at == 2


def test_sqlite_replace_is_refused(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'tw.db'}")
    write_events(store, 2)
    with store.engine.connect() as conn:
        first = conn.execute(select(audit_log).where(audit_log.c.seq == 1)).one()
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT OR REPLACE INTO audit_log (id, at, actor, action, target_type, "
                "target_id, details, seq, prev_hash, row_hash) VALUES (:id, :at, 'mallory', "
                "'note', 'test', '0', '{}', :seq, :prev, :hash)"
            ),
            {
                "id": first.id,
                "at": first.at,
                "seq": first.seq,
                "prev": first.prev_hash,
                "hash": first.row_hash,
            },
        )
    with store.engine.connect() as conn:
        assert conn.execute(select(audit_log.c.actor).where(audit_log.c.seq == 1)).scalar() == "ann"
    assert verify_chain(store).ok
    store.close()


@pytest.mark.postgres
def test_postgres_truncate_and_disabled_triggers(postgres_admin_url: str) -> None:
    with fresh_postgres_database(postgres_admin_url) as url:
        store = Store.open(url)
        write_events(store, 3)
        with pytest.raises(DBAPIError, match="append-only"):
            raw(store, "TRUNCATE audit_log")
        assert verify_chain(store).ok
        # A superuser can switch triggers off for a session; verify still sees the edit.
        with store.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text("UPDATE audit_log SET details = '{\"n\": 9}' WHERE seq = 3"))
        report = verify_chain(store)
        assert not report.ok and report.broken_at == 3
        store.close()


@pytest.mark.postgres
def test_postgres_application_role_from_the_readme(postgres_admin_url: str) -> None:
    """The README's role: the application can decide and append, but not TRUNCATE, ALTER or
    drop the audit log's triggers."""
    readme = (__import__("pathlib").Path(__file__).resolve().parents[3] / "README.md").read_text()
    block = readme.split("<!-- app-role-sql -->", 2)[1]
    sql = block.split("```sql", 1)[1].split("```", 1)[0]
    with fresh_postgres_database(postgres_admin_url) as owner_url:
        Store.open(owner_url).close()  # the owner creates the schema
        admin = create_engine(owner_url.replace("postgresql://", "postgresql+psycopg://", 1))
        database = owner_url.rsplit("/", 1)[1]
        with admin.begin() as conn:
            conn.execute(text("DROP ROLE IF EXISTS threadwatch_app"))
            for statement in sql.replace("threadwatch_db", f'"{database}"').split(";"):
                if statement.strip():
                    conn.execute(text(statement))
            conn.execute(text("ALTER ROLE threadwatch_app PASSWORD 'app'"))
        base = owner_url.split("://", 1)[1].split("@", 1)[1]
        app = Store.open(f"postgresql://threadwatch_app:app@{base}")
        write_events(app, 2, actor="app")
        for statement in (
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_log_append_only ON audit_log",
            "UPDATE audit_log SET actor = 'x'",
            "DELETE FROM audit_log",
        ):
            with pytest.raises(DBAPIError):
                raw(app, statement)
        assert verify_chain(app).ok and verify_chain(app).rows == 2
        app.close()
        with admin.begin() as conn:
            conn.execute(text(f'REASSIGN OWNED BY threadwatch_app TO "{admin.url.username}"'))
            conn.execute(text("DROP OWNED BY threadwatch_app"))
            conn.execute(text("DROP ROLE threadwatch_app"))
        admin.dispose()


def test_concurrent_appends_do_not_fork_the_chain(database_url: str) -> None:
    Store.open(database_url).close()
    barrier = threading.Barrier(4)
    errors: list[str] = []

    def writer(index: int) -> None:
        own = Store.open(database_url)
        barrier.wait()
        try:
            write_events(own, 15, actor=f"w{index}")
        except Exception as exc:
            errors.append(str(exc))
        finally:
            own.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = Store.open(database_url)
    report = verify_chain(store)
    assert report.ok and report.rows == 60
    store.close()


def test_rows_written_without_the_chain_are_reported(store: Store) -> None:
    write_events(store, 1)
    with store.engine.begin() as conn:
        conn.execute(
            audit_log.insert().values(
                at=datetime.now(UTC),
                actor="script",
                action="note",
                target_type="test",
                target_id="x",
                details={},
            )
        )
    report = verify_chain(store)
    assert not report.ok and "not chained" in report.reason
