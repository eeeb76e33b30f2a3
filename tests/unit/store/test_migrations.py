"""Schema migrations (moderation/store/migrate.py, `moderation db current|upgrade`).

The chain of revisions must build exactly the tables the code declares; a database of the release
before migrations (a real one, ``data/release_b65c75a.sql``: that release's own SQLite dump of two
seed articles with their scores, flags and decisions) is refused until upgraded, and keeps every
row and its audit chain through the upgrade; a failed upgrade changes nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from moderation.cli.main import main
from moderation.errors import StoreError
from moderation.store import Store, create_db_engine, migrate
from moderation.store.audit import verify_chain
from moderation.store.schema import metadata

RELEASE_DUMP = Path(__file__).with_name("data") / "release_b65c75a.sql"
# What that dump holds (counted when it was written; Store.counts' tables).
RELEASE_COUNTS = {
    "articles": 2,
    "comments": 31,
    "authors": 27,
    "scores": 180,
    "flags": 9,
    "decisions": 2,
    "audit_log": 3,
}


def _release_database(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.executescript(RELEASE_DUMP.read_text(encoding="utf-8"))
    return f"sqlite:///{path}"


def _as_release_before_migrations(engine: Engine) -> None:
    """Take a database of this release back to what the release before migrations wrote: its
    tables (revision 0001's, through every downgrade) and no alembic_version."""
    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), migrate.LEGACY_REVISION)
        conn.execute(text("DROP TABLE alembic_version"))


def _cli(url: str, *args: str) -> int:
    return main(["--db", url, "db", *args])


def test_the_revisions_build_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_a_release_before_migrations_is_refused_then_upgraded_with_its_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _release_database(tmp_path / "release.db")
    with pytest.raises(StoreError, match=r"release before migrations.*moderation db upgrade"):
        Store.open(url)
    assert _cli(url, "current") == 2
    assert "0001 (written by the release before migrations)" in capsys.readouterr().out
    assert _cli(url, "upgrade") == 0
    assert f"to {migrate.head()}" in capsys.readouterr().out
    store = Store.open(url)
    try:
        assert store.counts() == RELEASE_COUNTS
        assert verify_chain(store).ok
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        store.close()
    assert _cli(url, "current") == 0
    assert _cli(url, "upgrade") == 0
    assert "already at" in capsys.readouterr().out


def test_upgrade_keeps_data_on_both_databases(database_url: str, seed_000: Path) -> None:
    from moderation.parsing import parse_file

    store = Store.open(database_url)
    store.save_article(*parse_file(seed_000))
    counts = store.counts()
    _as_release_before_migrations(store.engine)
    store.close()
    with pytest.raises(StoreError, match="moderation db upgrade"):
        Store.open(database_url)
    assert _cli(database_url, "upgrade") == 0
    again = Store.open(database_url)
    try:
        assert again.counts() == counts
        assert again.schema_revision == migrate.head()
    finally:
        again.close()


def test_a_failed_upgrade_changes_nothing(database_url: str) -> None:
    store = Store.open(database_url)
    _as_release_before_migrations(store.engine)
    later = set(metadata.tables) - set(inspect(store.engine).get_table_names())
    assert later, "the newest revision adds no table to clash with"
    clash = sorted(later)[0]
    with store.engine.begin() as conn:  # a table of that name, made by hand meanwhile
        conn.execute(text(f"CREATE TABLE {clash} (x INTEGER)"))
    before = set(inspect(store.engine).get_table_names())
    store.close()
    engine = create_db_engine(database_url)
    try:
        assert _cli(database_url, "upgrade") == 2
        assert set(inspect(engine).get_table_names()) == before  # no alembic_version either
        assert migrate.current(engine).legacy
    finally:
        engine.dispose()


def test_a_newer_database_is_not_upgraded(database_url: str, store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert _cli(database_url, "upgrade") == 2
    assert _cli(database_url, "current") == 2


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="not a Threadwatch database"):
        Store.open(url)
    assert _cli(url, "upgrade") == 2
