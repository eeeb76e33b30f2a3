"""Values longer than their column are stored the same on SQLite and PostgreSQL: shortened with
a mark and reported, never the cause of a lost article (issue 11, point 14)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from moderation.pipeline.ingest import Source, ingest_sources
from moderation.records import Article, Comment, Policy, PolicyClause
from moderation.store import Store
from moderation.store.bounds import MARK
from moderation.store.schema import authors, comments, policy_clauses

LONG_A = "a" * 300 + "-first"
LONG_B = "a" * 300 + "-second"  # the same first 300 characters: still another author


def hostile_article() -> Article:
    thread = (
        Comment("c1", None, "1" * 20, LONG_A, "long author", status="x" * 20),
        Comment("c2", "c1", "2", LONG_B, "another long author, same prefix"),
        Comment("c3", None, "3", "nul\x00name", "text with a NUL \x00 and a lone \ud800"),
        Comment("c4", None, "4", "bo", "fine", posted_at="2024-01-01T00:00:00Z" + "0" * 50),
    )
    policy = Policy("No profanity.", (PolicyClause("c" * 200, "No profanity."),))
    return Article("art1", "upload.csv", "T" * 500, "body", policy, thread)


def test_long_values_are_shortened_with_a_mark_on_both_databases(store: Store) -> None:
    sources: list[Source] = [("upload.csv", lambda: [hostile_article()])]
    report = ingest_sources(sources, store)
    assert report.ok and report.new == 1, report.failed  # PostgreSQL lost the whole article
    assert "values shortened to fit" in report.summary()
    assert any(
        "comments.author shortened from 306 to 255 characters" in s for s in report.shortened
    )
    with store.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(comments))}
        names = set(conn.execute(select(authors.c.name)).scalars())
        clause = conn.execute(select(policy_clauses.c.clause_id)).scalar_one()
    first, second = rows["c1"], rows["c2"]
    assert len(first.author) == 255 and first.author.startswith("a" * 200)
    assert MARK in first.author and first.author != second.author
    assert {first.author, second.author} <= names  # the author rows match the comments
    assert first.platform_status == "x" * 15 + MARK and first.number == "1" * 15 + MARK
    assert len(rows["c4"].posted_at) == 40 and rows["c4"].posted_at.endswith(MARK)
    assert len(clause) == 128 and MARK in clause
    assert "\x00" not in rows["c3"].text and "\ufffd" in rows["c3"].text
    assert rows["c3"].author == "nul\ufffdname"


def test_the_same_article_twice_is_unchanged(store: Store) -> None:
    sources: list[Source] = [("upload.csv", lambda: [hostile_article()])]
    ingest_sources(sources, store)
    again = ingest_sources(sources, store)
    assert (again.new, again.unchanged) == (0, 1)
    assert store.counts()["comments"] == 4


def test_shortened_values_are_the_same_on_sqlite_and_postgresql(
    tmp_path: Path, postgres_admin_url: str
) -> None:
    from tests.conftest import fresh_postgres_database

    stored = []
    with fresh_postgres_database(postgres_admin_url) as pg_url:
        for url in (f"sqlite:///{tmp_path / 'a.db'}", pg_url):
            store = Store.open(url)
            ingest_sources([("upload.csv", lambda: [hostile_article()])], store)
            with store.engine.connect() as conn:
                stored.append(
                    sorted(
                        tuple(r)
                        for r in conn.execute(
                            select(
                                comments.c.id,
                                comments.c.author,
                                comments.c.number,
                                comments.c.platform_status,
                                comments.c.text,
                            )
                        )
                    )
                )
            store.close()
    assert stored[0] == stored[1]
