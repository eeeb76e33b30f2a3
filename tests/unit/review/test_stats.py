"""moderation.review's threads, charts, totals, authors and audit modules on both databases:
the numbers behind the Threads, Authors, Stats and Audit pages, checked against the seed articles
(scored, flagged) and a few decisions."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation import review
from moderation.pipeline.ingest import ingest
from moderation.pipeline.versions import load_active_rules
from moderation.records import InForce
from moderation.review import QueueFilter
from moderation.review import audit as stats_audit
from moderation.review import authors as stats_authors
from moderation.review import charts as stats_charts
from moderation.review import threads as stats_threads
from moderation.review.audit import AuditFilter
from moderation.review.totals import Totals, totals
from moderation.scoring import FALLBACK_LABELS, MiniLMHeadsScorer
from moderation.store import Store
from moderation.store.schema import comments, flags, scores

ROOT = Path(__file__).resolve().parents[3]
TODAY = datetime.now(UTC).date()
# Seed comments rules.yaml flags: the four of the first policy rules (Aram, Vacheh, Alex
# Postallian, Mihran) and five of issue 14's (immortal Souls, zohrab, Lusik, Fred, facts).
SEED_FLAGGED = 9


@pytest.fixture
def scorer(offline_scorer: MiniLMHeadsScorer) -> MiniLMHeadsScorer:
    return offline_scorer


@pytest.fixture
def seeded(store: Store, seeds: list[Path], scorer: MiniLMHeadsScorer) -> tuple[Store, int, str]:
    """The seed articles, scored and flagged: (store, rule-set version, model id)."""
    rules = load_active_rules(store, ROOT / "rules.yaml")
    ingest(seeds, store, scorer=scorer, rules=rules)
    return store, rules.version, scorer.model_id


def flagged_items(store: Store, version: int) -> list[review.QueueItem]:
    items, _ = review.queue_page(
        store, QueueFilter(queue="pending", sort="thread"), model_id=None, rule_set_version=version
    )
    return items


def decide(store: Store, item: review.QueueItem, action: review.Action, who: str) -> None:
    review.decide(
        store,
        item.comment_id,
        action,
        moderator=who,
        expected_version=item.version,
        clause_id="no-personal-attacks" if action == "reject" else None,
        in_force=InForce(rule_set_version=1, model_id="m"),
    )


def test_empty_database_gives_empty_frames(store: Store) -> None:
    assert stats_threads.thread_table(store, rule_set_version=None).empty
    assert stats_charts.score_histogram(store, model_id="m").empty
    assert stats_charts.text_score_histogram(store, model_id="m").empty
    assert stats_charts.rule_hits(store, rule_set_version=None).empty
    assert stats_charts.decisions_over_time(store).empty
    assert totals(store, rule_set_version=None) == Totals(
        comments=0, flagged=0, decisions=0, blocked=0
    )
    assert stats_authors.authors_overview(store, rule_set_version=None)[1] == 0
    assert stats_authors.author_profile(store, "nobody", rule_set_version=None) is None


def test_thread_table_counts_statuses_and_flagged_rate(seeded: tuple[Store, int, str]) -> None:
    store, version, _ = seeded
    table = stats_threads.thread_table(store, rule_set_version=version)
    assert len(table) == 5 and table["comments"].sum() == 30
    assert (table[list(stats_threads.STATUSES)].sum(axis=1) == table["comments"]).all()
    assert table["flagged"].sum() == SEED_FLAGGED and table["pending"].sum() == SEED_FLAGGED
    busiest = table.iloc[0]
    # Every seed reader comment is under one article; the other four list zeros.
    assert busiest["title"].startswith("Turkey") and busiest["comments"] == 30
    assert busiest["flagged_rate"] == pytest.approx(SEED_FLAGGED / 30, abs=1e-4)
    assert (table.iloc[1:]["flagged_rate"] == 0).all()
    item = flagged_items(store, version)[0]
    decide(store, item, "reject", "mo")
    after = stats_threads.thread_table(store, rule_set_version=version).set_index("article_id")
    assert after.loc[item.article_id, "rejected"] == 1
    # Flags are per rule-set version: under another version nothing is flagged.
    assert stats_threads.thread_table(store, rule_set_version=version + 1)["flagged"].sum() == 0


def test_thread_comments_are_paged_in_thread_order_with_top_category(
    seeded: tuple[Store, int, str],
) -> None:
    store, version, _ = seeded
    article_id = stats_threads.thread_table(store, rule_set_version=version).iloc[0]["article_id"]
    first, total = stats_threads.thread_comments(
        store, article_id, rule_set_version=version, limit=10
    )
    rest, _ = stats_threads.thread_comments(
        store, article_id, rule_set_version=version, offset=10, limit=100
    )
    rows = first + rest
    assert len(first) == 10 and len(rows) == total
    assert [r.position for r in rows] == sorted(r.position for r in rows)
    with store.engine.connect() as conn:
        top = dict(
            conn.execute(
                select(flags.c.comment_id, flags.c.category)
                .where(flags.c.rule_set_version == version)
                .order_by(flags.c.severity)  # the last (most severe) wins in the dict
            ).all()
        )
    for row in rows:
        assert row.category == top.get(row.id, stats_threads.NO_CATEGORY)
        assert (row.severity is None) == (row.id not in top)
    header = stats_threads.article_header(store, article_id)
    assert header is not None and header.title.startswith("Turkey")
    assert stats_threads.article_header(store, "missing") is None


def test_thread_charts_data(seeded: tuple[Store, int, str]) -> None:
    store, version, model_id = seeded
    table = stats_threads.thread_table(store, rule_set_version=version)
    article_id = table.iloc[0]["article_id"]
    thread = stats_threads.thread_scores(
        store, article_id, model_id=model_id, rule_set_version=version
    )
    assert set(thread["label"]) == set(FALLBACK_LABELS)
    assert list(thread["position"]) == sorted(thread["position"])
    assert thread["value"].between(0, 1).all()
    toxicity = thread[thread["label"] == "toxicity"]  # one row per comment and label
    assert (toxicity["category"] != stats_threads.NO_CATEGORY).sum() == table.iloc[0]["flagged"]
    depth = stats_threads.flags_by_depth(store, article_id, rule_set_version=version)
    with store.engine.connect() as conn:
        in_thread = conn.execute(
            select(func.count())
            .select_from(flags.join(comments, comments.c.id == flags.c.comment_id))
            .where(comments.c.article_id == article_id, flags.c.rule_set_version == version)
        ).scalar_one()
    assert depth["flags"].sum() == in_thread > 0
    histogram = stats_charts.score_histogram(store, model_id=model_id, article_id=article_id)
    assert histogram["comments"].sum() == len(thread)
    assert histogram["bin"].between(0, 19).all()


def test_histograms_put_a_score_of_one_in_the_last_bin(seeded: tuple[Store, int, str]) -> None:
    store, _, model_id = seeded
    everything = stats_charts.score_histogram(store, model_id=model_id)
    assert everything["comments"].sum() == 30 * len(FALLBACK_LABELS)  # every label of each
    toxicity = stats_charts.score_histogram(store, model_id=model_id, label="toxicity")
    assert toxicity["comments"].sum() == 30
    with store.transaction() as conn:
        conn.execute(
            scores.insert().values(
                text_hash="f" * 64,
                model_id=model_id,
                label="toxicity",
                value=1.0,
                created_at=datetime.now(UTC),
            )
        )
        distinct = conn.execute(
            select(func.count()).where(scores.c.model_id == model_id, scores.c.label == "toxicity")
        ).scalar_one()
    texts = stats_charts.text_score_histogram(store, model_id=model_id, label="toxicity")
    assert texts["texts"].sum() == distinct
    last = texts[texts["bin"] == 19]
    assert last["texts"].sum() >= 1 and last["bin_end"].iloc[0] == 1.0
    assert stats_charts.text_score_histogram(store, model_id=model_id, label="nope").empty


def test_rule_hits_and_decisions(seeded: tuple[Store, int, str]) -> None:
    store, version, _ = seeded
    hits = stats_charts.rule_hits(store, rule_set_version=version)
    assert hits.set_index("rule_id")["hits"].to_dict() == {
        "dehumanising-group": 2,
        "personal-attack": 1,
        "threat": 2,
        "dehumanising-people": 2,
        "nation-denial": 1,
        "profanity-armenian": 1,
    }
    items = flagged_items(store, version)
    decide(store, items[0], "reject", "alice")
    decide(store, items[1], "approve", "alice")
    decide(store, items[2], "escalate", "bob")
    review.undo_last(store, moderator="bob")
    assert stats_charts.rule_hits(store, rule_set_version=version)["rejected"].sum() == 1
    per_moderator = stats_charts.decisions_per_moderator(store)
    assert sorted(map(tuple, per_moderator.to_numpy().tolist())) == [
        ("alice", "approve", 1),
        ("alice", "reject", 1),
    ]
    assert len(stats_charts.decisions_per_moderator(store, include_undone=True)) == 3
    over_time = stats_charts.decisions_over_time(store)
    assert set(over_time["day"].dt.date) == {TODAY}
    assert over_time["decisions"].sum() == 2
    assert totals(store, rule_set_version=version).decisions == 2


def test_authors_overview_search_sort_and_paging(seeded: tuple[Store, int, str]) -> None:
    store, version, _ = seeded
    page, total = stats_authors.authors_overview(store, rule_set_version=version, limit=5)
    assert total == 27 and len(page) == 5
    assert list(page["flagged"]) == sorted(page["flagged"], reverse=True)
    by_name, _ = stats_authors.authors_overview(
        store, rule_set_version=version, sort="name", limit=100
    )
    assert list(by_name["author"]) == sorted(by_name["author"])
    assert by_name["comments"].sum() == 30
    found, count = stats_authors.authors_overview(store, rule_set_version=version, search="FRE")
    assert count == 1 and list(found["author"]) == ["Fred"]
    # LIKE wildcards in the search are literal characters.
    assert stats_authors.authors_overview(store, rule_set_version=version, search="%")[1] == 0
    review.set_author_status(store, "Fred", "blocked", moderator="mo")
    blocked, count = stats_authors.authors_overview(
        store, rule_set_version=version, blocked_only=True
    )
    assert count == 1 and blocked.iloc[0]["status"] == "blocked"
    assert totals(store, rule_set_version=version).blocked == 1


def test_author_profile_comments_decisions_and_history(seeded: tuple[Store, int, str]) -> None:
    store, version, _ = seeded
    item = flagged_items(store, version)[0]
    author = str(item.author)
    decide(store, item, "reject", "mo")
    profile = stats_authors.author_profile(store, author, rule_set_version=version)
    assert profile is not None
    assert profile.flagged >= 1 and profile.rejected == 1
    assert profile.rejection_rate == pytest.approx(1 / profile.comments, abs=1e-4)
    assert profile.decisions == {"reject": 1}
    written, total = stats_authors.author_comments(store, author, rule_set_version=version)
    assert total == profile.comments == len(written)
    assert item.comment_id in set(written["comment_id"])
    assert (
        written.set_index("comment_id").loc[item.comment_id, "category"]
        != stats_threads.NO_CATEGORY
    )
    decided = stats_authors.author_decisions(store, author)
    assert list(decided["moderator"]) == ["mo"] and not decided["undone"].any()
    review.set_author_status(store, author, "blocked", moderator="mo")
    review.set_author_status(store, author, "active", moderator="mo", clause_id=None)
    history = stats_authors.author_status_history(store, author)
    assert list(history["action"]) == ["unblock", "block"]
    assert history.iloc[1]["clause"] == "may-block-violators"


def test_audit_filters_paging_and_csv(seeded: tuple[Store, int, str]) -> None:
    store, version, _ = seeded
    items = flagged_items(store, version)
    decide(store, items[0], "reject", "alice")
    decide(store, items[1], "approve", "bob")
    review.set_author_status(store, str(items[0].author), "blocked", moderator="alice")
    options = stats_audit.audit_options(store)
    assert {"alice", "bob"} <= set(options.actor)
    assert {"author", "comment", "rule_set"} <= set(options.target_type)
    everything, total = stats_audit.audit_page(store, AuditFilter())
    assert total == len(everything) >= 4
    assert list(everything["id"]) == sorted(everything["id"], reverse=True)
    by_alice, count = stats_audit.audit_page(store, AuditFilter(actor="alice"))
    assert count == 2 and set(by_alice["action"]) == {"reject", "block"}
    assert stats_audit.audit_page(store, AuditFilter(actor="alice", target_type="author"))[1] == 1
    assert stats_audit.audit_page(store, AuditFilter(action="approve"))[1] == 1
    assert stats_audit.audit_page(store, AuditFilter(since=TODAY, until=TODAY))[1] == total
    yesterday = TODAY - timedelta(days=1)
    assert stats_audit.audit_page(store, AuditFilter(until=yesterday))[1] == 0
    assert stats_audit.audit_page(store, AuditFilter(since=date.max - timedelta(days=2)))[1] == 0
    first, _ = stats_audit.audit_page(store, AuditFilter(), offset=1, limit=2)
    assert list(first["id"]) == list(everything["id"][1:3])
    rows = list(
        csv.DictReader(io.StringIO(stats_audit.audit_csv(store, AuditFilter(actor="alice"))))
    )
    assert [r["action"] for r in rows] == ["block", "reject"]
    assert '"clause": "no-personal-attacks"' in rows[1]["details"]
