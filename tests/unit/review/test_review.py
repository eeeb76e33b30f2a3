"""Decisions on both databases: status changes, audit rows, conflicts, undo, bulk, blocking."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from moderation import review
from moderation.errors import ConflictError, ModerationError
from moderation.pipeline.ingest import ingest
from moderation.records import InForce
from moderation.review import QueueFilter
from moderation.store import Store
from moderation.store.schema import authors, comments, decisions

IN_FORCE = InForce(rule_set_version=None, model_id="test-model")


@pytest.fixture
def seeded(store: Store, seeds: list[Path]) -> Store:
    ingest(seeds, store)
    return store


def first_unflagged(store: Store) -> review.QueueItem:
    items, _ = review.queue_page(
        store, QueueFilter(queue="unflagged", sort="thread"), model_id=None, rule_set_version=None
    )
    return items[0]


def test_counts_and_pages_of_reader_comments(seeded: Store) -> None:
    counts = review.queue_counts(seeded)
    assert counts["all"] == 30 and counts["unflagged"] == 30 and counts["pending"] == 0
    items, total = review.queue_page(
        seeded,
        QueueFilter(queue="all", sort="thread"),
        model_id=None,
        rule_set_version=None,
        limit=10,
        offset=10,
    )
    assert total == 30 and len(items) == 10
    assert all(i.article_title.startswith("Turkey") for i in items)
    by_author, total = review.queue_page(
        seeded, QueueFilter(queue="all", author="Fred"), model_id=None, rule_set_version=None
    )
    assert total == 2 and {i.author for i in by_author} == {"Fred"}


def test_decisions_move_comments_between_queues_and_are_audited(seeded: Store) -> None:
    item = first_unflagged(seeded)
    result = review.decide(
        seeded,
        item.comment_id,
        "reject",
        moderator="mo",
        expected_version=item.version,
        clause_id="no-personal-attacks",
        note="name-calling",
        in_force=IN_FORCE,
    )
    assert (result.status, result.version) == ("rejected", item.version + 1)
    counts = review.queue_counts(seeded)
    assert counts["rejected"] == 1 and counts["unflagged"] == 29
    [entry] = review.audit_entries(seeded)
    assert (entry.actor, entry.action, entry.target_id) == (
        "mo",
        "reject",
        item.comment_id,
    )
    assert entry.details["clause"] == "no-personal-attacks"
    assert entry.model_id == "test-model"
    card = review.comment_card(seeded, item.comment_id, model_id=None, rule_set_version=None)
    assert card is not None and card.item.decided_by == "mo"
    assert card.history[0].action == "reject"


def test_reject_needs_a_clause(seeded: Store) -> None:
    item = first_unflagged(seeded)
    with pytest.raises(ModerationError, match="needs a reason"):
        review.decide(
            seeded, item.comment_id, "reject", moderator="mo", expected_version=item.version
        )


def test_stale_version_is_a_conflict_naming_the_winner(seeded: Store) -> None:
    item = first_unflagged(seeded)
    review.decide(
        seeded, item.comment_id, "approve", moderator="ann", expected_version=item.version
    )
    with pytest.raises(ConflictError, match="already approved by ann"):
        review.decide(
            seeded,
            item.comment_id,
            "reject",
            moderator="bob",
            expected_version=item.version,
            clause_id="no-profanity",
        )
    with seeded.engine.connect() as conn:
        assert conn.execute(select(decisions.c.moderator)).scalars().all() == ["ann"]


def test_two_moderators_at_once_one_wins(seeded: Store) -> None:
    """Real threads racing on one comment: exactly one decision lands, the other is told."""
    item = first_unflagged(seeded)
    barrier = threading.Barrier(4)
    outcomes: dict[str, str] = {}

    def act(name: str) -> None:
        barrier.wait()
        try:
            review.decide(
                seeded, item.comment_id, "approve", moderator=name, expected_version=item.version
            )
            outcomes[name] = "won"
        except ConflictError as exc:
            outcomes[name] = str(exc)

    threads = [threading.Thread(target=act, args=(f"mod{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, o in outcomes.items() if o == "won"]
    assert len(winners) == 1
    assert all(f"by {winners[0]}" in o for o in outcomes.values() if o != "won")
    with seeded.engine.connect() as conn:
        assert len(conn.execute(select(decisions)).all()) == 1
        version = conn.execute(
            select(comments.c.version).where(comments.c.id == item.comment_id)
        ).scalar_one()
    assert version == item.version + 1
    assert len(review.audit_entries(seeded)) == 1


def test_undo_restores_the_previous_state(seeded: Store) -> None:
    item = first_unflagged(seeded)
    review.decide(
        seeded, item.comment_id, "escalate", moderator="mo", expected_version=item.version
    )
    result = review.undo_last(seeded, moderator="mo")
    assert result.status == "unmoderated"
    assert review.queue_counts(seeded)["escalated"] == 0
    with pytest.raises(ModerationError, match="nothing to undo"):
        review.undo_last(seeded, moderator="mo")
    assert [e.action for e in review.audit_entries(seeded)] == ["undo", "escalate"]


def test_undo_refuses_when_someone_acted_since(seeded: Store) -> None:
    item = first_unflagged(seeded)
    first = review.decide(
        seeded, item.comment_id, "escalate", moderator="mo", expected_version=item.version
    )
    review.decide(
        seeded, item.comment_id, "approve", moderator="lead", expected_version=first.version
    )
    with pytest.raises(ConflictError, match="changed after your decision"):
        review.undo_last(seeded, moderator="mo")


def test_bulk_skips_comments_changed_meanwhile(seeded: Store) -> None:
    items, _ = review.queue_page(
        seeded, QueueFilter(queue="unflagged"), model_id=None, rule_set_version=None, limit=5
    )
    review.decide(
        seeded, items[0].comment_id, "approve", moderator="other", expected_version=items[0].version
    )
    result = review.decide_many(
        seeded,
        [(i.comment_id, i.version) for i in items],
        "reject",
        moderator="mo",
        clause_id="no-profanity",
    )
    assert result.done == 4 and result.conflicts == [items[0].comment_id]
    assert review.queue_counts(seeded)["rejected"] == 4


def test_block_author_cites_the_policy_clause(seeded: Store) -> None:
    review.set_author_status(seeded, "Alex Postallian", "blocked", moderator="mo")
    with seeded.engine.connect() as conn:
        status = conn.execute(
            select(authors.c.status).where(authors.c.name == "Alex Postallian")
        ).scalar_one()
    assert status == "blocked"
    [entry] = review.audit_entries(seeded, action="block")
    assert entry.details["clause"] == "may-block-violators"
    with pytest.raises(ModerationError, match="no such author"):
        review.set_author_status(seeded, "nobody", "blocked", moderator="mo")
