"""ingest --bulk on SQLite sets the comments' secondary indexes aside while its own rows come to
outnumber the table's, and builds them when it ends: also when it fails, by the next bulk ingest
when it was killed, and by ``moderation db upgrade``. A small load into a larger table, and
every load on PostgreSQL, keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from moderation.cli import main
from moderation.pipeline.bulk import ingest_sources_bulk
from moderation.pipeline.ingest import Source
from moderation.store import Store
from moderation.store.deferred_indexes import deferrable, missing
from tests.unit.pipeline.test_bulk import synthetic

DECLARED = sorted(str(i.name) for i in deferrable())


def _indexes(store: Store) -> list[str]:
    """Names of the comments' indexes as the database reports them (another connection)."""
    with store.engine.connect() as conn:
        return sorted(str(i["name"]) for i in inspect(conn).get_indexes("comments"))


def _definitions(store: Store) -> set[tuple[str, str]]:
    with store.engine.connect() as conn:
        found = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
        return {(str(name), str(sql)) for name, sql in found if sql}


def _sources(count: int, first: int = 0) -> list[Source]:
    """``count`` sources of one article (9 comments) each, articles ``first``… onwards."""
    articles = synthetic(first + count, 9)[first:]
    return [(f"s{i}", lambda a=a: [a]) for i, a in enumerate(articles)]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_load_that_fills_the_table_builds_its_indexes_once_at_the_end(
    store: Store, tmp_path: Path
) -> None:
    assert DECLARED and _indexes(store) == DECLARED
    seen: list[list[str]] = []
    report = ingest_sources_bulk(
        _sources(6), store, batch_comments=20, progress=lambda *_: seen.append(_indexes(store))
    )
    assert report.new == 6 and report.comments == 54 and report.index_seconds > 0
    assert seen == [DECLARED] + [[]] * 5  # set aside with the first batch (after source 2)
    assert _indexes(store) == DECLARED
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert _definitions(store) == _definitions(fresh)  # built exactly as declared
    fresh.close()


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_small_load_into_a_larger_table_keeps_its_indexes(store: Store) -> None:
    ingest_sources_bulk(_sources(6), store)
    before = _indexes(store)
    seen: list[list[str]] = []
    report = ingest_sources_bulk(
        _sources(3, first=6),
        store,
        batch_comments=10,
        progress=lambda *_: seen.append(_indexes(store)),
    )
    assert report.new == 3 and report.index_seconds == 0.0
    assert seen and all(s == before for s in seen) and before == _indexes(store)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_on_postgresql_a_load_into_an_empty_table_keeps_its_indexes(store: Store) -> None:
    before = _indexes(store)
    seen: list[list[str]] = []
    report = ingest_sources_bulk(
        _sources(4), store, batch_comments=10, progress=lambda *_: seen.append(_indexes(store))
    )
    assert report.new == 4 and report.index_seconds == 0.0
    assert len(seen) == 4 and all(s == before for s in seen)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_load_that_fails_midway_still_builds_its_indexes(store: Store) -> None:
    def stop(done: int, _total: int, _name: str) -> None:
        if done == 2:
            raise RuntimeError("the source went away")

    with pytest.raises(RuntimeError, match="went away"):
        ingest_sources_bulk(_sources(4), store, batch_comments=5, progress=stop)
    assert _indexes(store) == DECLARED
    assert store.counts()["comments"] == 18  # the two committed batches


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_what_a_killed_load_left_unbuilt_is_named_and_built_by_db_upgrade(
    store: Store, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest_sources_bulk(_sources(2), store)
    unbuilt = DECLARED[:2]
    with store.engine.begin() as conn:  # what a load killed between two batches leaves
        for name in unbuilt:
            conn.execute(text(f'DROP INDEX "{name}"'))
        assert missing(conn) == unbuilt
    capsys.readouterr()
    assert main(["--db", database_url, "db", "current"]) == 0  # the schema itself is current
    assert f"2 comment indexes not built ({', '.join(unbuilt)})" in capsys.readouterr().out
    assert main(["--db", database_url, "db", "upgrade"]) == 0
    assert f"built 2 comment indexes: {', '.join(unbuilt)}" in capsys.readouterr().out
    assert _indexes(store) == DECLARED
    assert main(["--db", database_url, "db", "current"]) == 0
    assert "not built" not in capsys.readouterr().out
