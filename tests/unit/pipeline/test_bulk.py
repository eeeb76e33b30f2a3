"""ingest --bulk: the same stored rows as the ordinary ingest, idempotent, all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from moderation.fingerprint import stable_id
from moderation.parsing import parse_file
from moderation.pipeline.bulk import ingest_sources_bulk
from moderation.pipeline.ingest import Source, ingest_sources
from moderation.records import Article, Comment, Policy, PolicyClause
from moderation.store import Store
from moderation.store.schema import articles, authors, comments, policy_clauses
from tests.conftest import fresh_postgres_database

_TIMES = {"created_at", "updated_at"}  # when a row was written: differs between two runs


def _text(a: int, p: int, edit: str) -> str:
    if p == 1:
        return f"comment {a}/{p}{edit} \x00 NUL"
    if p == 8:
        return f"a lone surrogate \ud83d in {a}{edit}"  # not UTF-8: stored as U+FFFD
    return f"t\\{a}\t{p}\n{edit}é"


def synthetic(n_articles: int, per_article: int, *, edit: str = "") -> list[Article]:
    """Articles sharing authors (so author ids depend on insertion order), with replies,
    pingbacks, a policy, and values too long for their columns."""
    policy = Policy(
        "Be civil.", (PolicyClause("be-civil", "Be civil."), PolicyClause("x" * 200, "y"))
    )
    out = []
    for a in range(n_articles):
        article_id = stable_id("bulk-test", a)
        thread: list[Comment] = []
        for p in range(per_article):
            cid = stable_id(article_id, p)
            pingback = p % 7 == 6
            author = f"reader {(a * 3 + p * 5) % 11}" if p % 5 else "z" * 300  # long: shortened
            thread.append(
                Comment(
                    id=cid,
                    parent_id=thread[-1].id if p % 3 == 2 else None,
                    number=str(p) if p % 3 != 2 else None,
                    author=None if p == 4 else author,
                    text=_text(a, p, edit),
                    kind="pingback" if pingback else "comment",
                    depth=1 if p % 3 == 2 else 0,
                    posted_at=f"2024-01-0{1 + p % 9}T10:00:00+00:00",
                    status="approved",
                )
            )
        out.append(
            Article(
                id=article_id,
                source=f"bulk://{a}",
                title=f"Article {a}" + "!" * (a % 2),
                body="body " * 10,
                policy=policy if a % 2 else None,
                comments=tuple(thread),
                url=f"https://example.test/{a}",
                published_at="2024-01-01T00:00:00+00:00",
            )
        )
    return out


def sources(seeds: list[Path], extra: list[Article]) -> list[Source]:
    found: list[Source] = [(str(p), lambda p=p: parse_file(p)) for p in seeds]
    found.append(("synthetic", lambda: extra))
    return found


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with store.engine.connect() as conn:
        for table in (articles, policy_clauses, authors, comments):
            cols = [c for c in table.c if c.name not in _TIMES]
            out[table.name] = sorted(tuple(r) for r in conn.execute(select(*cols)))
    return out


@contextmanager
def other_database(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Store]:
    if database_url.startswith("sqlite"):
        store = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
        try:
            yield store
        finally:
            store.close()
        return
    with fresh_postgres_database(request.getfixturevalue("postgres_admin_url")) as url:
        store = Store.open(url)
        try:
            yield store
        finally:
            store.close()


def test_bulk_stores_the_same_rows_as_ingest_and_is_idempotent(
    store: Store,
    database_url: str,
    seeds: list[Path],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    extra = synthetic(12, 9)
    with other_database(database_url, tmp_path, request) as plain:
        normal = ingest_sources(sources(seeds, extra), plain)
        # Small batches: several transactions, and authors shared across them.
        bulk = ingest_sources_bulk(sources(seeds, extra), store, batch_comments=25)
        assert (bulk.new, bulk.updated, bulk.unchanged) == (normal.new, 0, 0) == (17, 0, 0)
        assert bulk.comments == normal.comments
        assert sorted(bulk.shortened) == sorted(normal.shortened) != []
        assert dump(store) == dump(plain)

        again = ingest_sources_bulk(sources(seeds, extra), store, batch_comments=25)
        assert (again.new, again.updated, again.unchanged) == (0, 0, 17)
        assert dump(store) == dump(plain)

        # Changed articles (and an article met twice in one batch) go the one-by-one way.
        edited = synthetic(3, 9, edit=" (edited)") + synthetic(14, 9)[12:]
        twice = [*edited, edited[0]]
        ingest_sources([("edit", lambda: twice)], plain)
        report = ingest_sources_bulk([("edit", lambda: twice)], store, batch_comments=1000)
        assert (report.new, report.updated, report.unchanged) == (2, 3, 1)
        assert dump(store) == dump(plain)


def test_a_refused_batch_is_stored_article_by_article(store: Store, seeds: list[Path]) -> None:
    good = synthetic(3, 4)
    # Another article reusing a stored comment's id: the database refuses it, and only it.
    thief = Article(
        id="thief",
        source="x",
        title="Thief",
        body="b",
        policy=None,
        comments=(good[0].comments[0],),
    )
    report = ingest_sources_bulk([("all", lambda: [*good, thief])], store, batch_comments=1000)
    assert report.new == 3
    assert [name for name, _reason in report.failed] == ["all [Thief]"]
    counts = store.counts()
    assert (counts["articles"], counts["comments"]) == (3, 12)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_bulk_transaction_sets_sqlite_up_for_it_and_puts_the_connection_back(
    store: Store,
) -> None:
    def settings(conn: Any) -> tuple[int, int]:
        raw = conn.connection.driver_connection
        return raw.execute("PRAGMA cache_size").fetchone()[0], raw.execute(
            "PRAGMA wal_autocheckpoint"
        ).fetchone()[0]

    with store.engine.connect() as conn:
        before, raw = settings(conn), conn.connection.driver_connection
    with store.transaction(bulk=True) as conn:
        assert conn.connection.driver_connection is raw  # the pool's one connection
        inside = settings(conn)
    with store.engine.connect() as conn:
        assert settings(conn) == before != inside
    # Through the commit: a big page cache, and no checkpoint below 256 MiB of WAL.
    assert inside == (-262_144, 65_536)
