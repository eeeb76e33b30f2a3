"""The store on both databases: schema, idempotent saves, round trips, append-only audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from moderation.errors import ConfigError, StoreError
from moderation.parsing import parse_file
from moderation.store import Store, migrate
from moderation.store.schema import audit_log, comments, schema_info


def test_schema_is_created_at_the_newest_revision(store: Store) -> None:
    assert store.schema_revision == migrate.head()
    assert store.counts() == {
        "articles": 0,
        "comments": 0,
        "authors": 0,
        "scores": 0,
        "flags": 0,
        "decisions": 0,
        "audit_log": 0,
    }


def test_reopening_keeps_data_and_version(database_url: str, seed_000: Path) -> None:
    first = Store.open(database_url)
    first.save_article(*parse_file(seed_000))
    first.close()
    again = Store.open(database_url)
    assert again.counts()["comments"] == 31
    assert again.schema_revision == migrate.head()
    again.close()


def test_newer_schema_is_refused(database_url: str) -> None:
    store = Store.open(database_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match=r"9999 is not one this Threadwatch knows.*upgrade"):
        Store.open(database_url)


def test_save_is_idempotent_and_round_trips(store: Store, seeds: list[Path]) -> None:
    parsed = [a for p in seeds for a in parse_file(p)]
    assert [store.save_article(a) for a in parsed] == ["new"] * 5
    assert [store.save_article(a) for a in parsed] == ["unchanged"] * 5
    counts = store.counts()
    assert (counts["articles"], counts["comments"]) == (5, 31)
    assert counts["authors"] == 27  # distinct reader names; pingback sites are not readers
    for article in parsed:
        loaded = store.load_article(article.id)
        assert loaded is not None
        assert loaded.to_json() == article.to_json()


def test_changed_article_updates_in_place(store: Store, seed_000: Path) -> None:
    [article] = parse_file(seed_000)
    store.save_article(article)
    edited = replace(
        article,
        comments=(replace(article.comments[0], text="edited text"), *article.comments[1:]),
    )
    assert store.save_article(edited) == "updated"
    assert store.counts()["comments"] == 31
    loaded = store.load_article(article.id)
    assert loaded is not None and loaded.comments[0].text == "edited text"


def test_comments_missing_from_a_rescrape_are_kept(store: Store, seed_000: Path) -> None:
    [article] = parse_file(seed_000)
    store.save_article(article)
    store.save_article(replace(article, comments=article.comments[:5]))
    assert store.counts()["comments"] == 31


def test_score_cache_round_trip(store: Store) -> None:
    store.put_many("model-a", {"h1": {"toxicity": 0.25, "insult": 0.5}, "h2": {"toxicity": 0.75}})
    store.put_many("model-a", {"h1": {"toxicity": 0.99}})  # first score wins: no overwrite
    store.put_many("model-b", {"h1": {"toxicity": 0.1}})
    assert store.get_many("model-a", ["h1", "h2", "h3"]) == {
        "h1": {"toxicity": 0.25, "insult": 0.5},
        "h2": {"toxicity": 0.75},
    }
    assert store.get_many("model-b", ["h1"]) == {"h1": {"toxicity": 0.1}}


def test_score_cache_handles_more_keys_than_one_batch(store: Store) -> None:
    many = {f"h{i}": {"toxicity": i / 2000} for i in range(1200)}
    store.put_many("m", many)
    assert store.get_many("m", list(many)) == many


def test_audit_log_is_append_only(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            audit_log.insert().values(
                at=datetime.now(UTC),
                actor="ann",
                action="test",
                target_type="comment",
                target_id="c1",
                details={"why": "test"},
            )
        )
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(update(audit_log).values(actor="mallory"))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(audit_log.delete())
    assert store.counts()["audit_log"] == 1


def test_foreign_keys_are_enforced(store: Store) -> None:
    now = datetime.now(UTC)
    with pytest.raises(DBAPIError), store.engine.begin() as conn:
        conn.execute(
            comments.insert().values(
                id="x",
                article_id="missing",
                position=0,
                kind="comment",
                depth=0,
                text="",
                text_hash="",
                created_at=now,
                updated_at=now,
            )
        )


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'sub' / 'dir' / 'tw.db'}")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("mysql://u@h/db", ConfigError),
        ("not a url", ConfigError),
        ("postgresql://nobody:secret@127.0.0.1:1/none", StoreError),
    ],
)
def test_bad_database_urls_fail_clearly(url: str, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        Store.open(url)
    assert "secret" not in str(info.value)


def test_unique_schema_row(store: Store) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(select(schema_info)).all()
    # The marker of the release before migrations, still written: an older Threadwatch opening
    # this database sees version 1 (its own) rather than an empty database it would fill.
    assert [(r.key, r.value) for r in rows] == [("schema_version", "1")]
