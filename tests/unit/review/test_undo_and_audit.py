"""Undo undoes exactly the moderator's last action, whatever its kind, and every action writes the
audit rows it should: on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from moderation import review
from moderation.errors import ConflictError, ModerationError
from moderation.pipeline.ingest import ingest
from moderation.pipeline.reflag import reflag
from moderation.pipeline.versions import load_active_rules
from moderation.records import BLOCK_CLAUSE, InForce
from moderation.review import QueueFilter
from moderation.review.authors import authors_overview
from moderation.review.totals import totals
from moderation.store import Store
from moderation.store.schema import audit_log, authors, comments

IN_FORCE = InForce(rule_set_version=None, model_id="test-model")
HEX_ID = re.compile(r"\b[0-9a-f]{12,}\b")


@pytest.fixture
def seeded(store: Store, seeds: list[Path]) -> Store:
    ingest(seeds, store)
    return store


def thread(store: Store) -> list[review.QueueItem]:
    items, _ = review.queue_page(
        store,
        QueueFilter(queue="all", sort="thread"),
        model_id=None,
        rule_set_version=None,
        limit=None,
    )
    return items


def status_of(store: Store, comment_id: str) -> str:
    with store.engine.connect() as conn:
        return conn.execute(
            select(comments.c.status).where(comments.c.id == comment_id)
        ).scalar_one()


def author_status(store: Store, name: str) -> str:
    with store.engine.connect() as conn:
        return conn.execute(select(authors.c.status).where(authors.c.name == name)).scalar_one()


def audit_rows(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [
            {
                "actor": r.actor,
                "action": r.action,
                "target_type": r.target_type,
                "target_id": r.target_id,
                "details": r.details,
                "rule_set_version": r.rule_set_version,
                "model_id": r.model_id,
            }
            for r in conn.execute(select(audit_log).order_by(audit_log.c.id))
        ]


def test_undo_after_block_undoes_the_block_not_an_earlier_decision(seeded: Store) -> None:
    """Issue 10 point 2: approve A, block B, Undo -> B is active again and A stays approved."""
    a, b = thread(seeded)[:2]
    review.decide(seeded, a.comment_id, "approve", moderator="mo", expected_version=a.version)
    review.set_author_status(seeded, str(b.author), "blocked", moderator="mo")
    review.undo_last(seeded, moderator="mo")
    assert author_status(seeded, str(b.author)) == "active"
    assert status_of(seeded, a.comment_id) == "approved"
    assert [r["action"] for r in audit_rows(seeded)] == ["approve", "block", "undo"]


def test_second_undo_says_what_it_would_undo_and_why_not(seeded: Store) -> None:
    a, b = thread(seeded)[:2]
    review.decide(seeded, a.comment_id, "approve", moderator="mo", expected_version=a.version)
    review.set_author_status(seeded, str(b.author), "blocked", moderator="mo")
    review.undo_last(seeded, moderator="mo")
    with pytest.raises(ModerationError) as caught:
        review.undo_last(seeded, moderator="mo")
    message = caught.value.reason
    assert "nothing to undo" in message
    assert f"blocking {b.author}" in message and "already undone" in message
    assert not HEX_ID.search(str(caught.value))
    assert status_of(seeded, a.comment_id) == "approved"  # still: the approval is not touched
    assert len(audit_rows(seeded)) == 3


def test_undo_of_unblock_blocks_again(seeded: Store) -> None:
    name = str(thread(seeded)[0].author)
    review.set_author_status(seeded, name, "blocked", moderator="lead")
    review.set_author_status(seeded, name, "active", moderator="mo")
    review.undo_last(seeded, moderator="mo")
    assert author_status(seeded, name) == "blocked"


def test_undo_of_a_block_refused_when_someone_changed_the_author_since(seeded: Store) -> None:
    name = str(thread(seeded)[0].author)
    review.set_author_status(seeded, name, "blocked", moderator="mo")
    review.set_author_status(seeded, name, "active", moderator="lead")
    with pytest.raises(ConflictError, match=f"cannot undo blocking {name}: lead unblocked"):
        review.undo_last(seeded, moderator="mo")
    assert author_status(seeded, name) == "active"


def test_undo_is_per_moderator(seeded: Store) -> None:
    a, b = thread(seeded)[:2]
    review.decide(seeded, a.comment_id, "escalate", moderator="mo", expected_version=a.version)
    review.decide(seeded, b.comment_id, "approve", moderator="other", expected_version=b.version)
    result = review.undo_last(seeded, moderator="mo")
    assert result.status == "unmoderated"
    assert status_of(seeded, b.comment_id) == "approved"


def test_undo_of_a_bulk_action_reverts_all_of_it(seeded: Store) -> None:
    items = thread(seeded)[:5]
    review.decide(
        seeded, items[0].comment_id, "escalate", moderator="mo", expected_version=items[0].version
    )
    current = thread(seeded)[:5]
    result = review.decide_many(
        seeded,
        [(i.comment_id, i.version) for i in current[1:]],
        "reject",
        moderator="mo",
        clause_id="no-profanity",
    )
    assert result.done == 4
    undone = review.undo_last(seeded, moderator="mo")
    assert undone.count == 4
    assert [status_of(seeded, i.comment_id) for i in items] == ["escalated", *["unmoderated"] * 4]


def test_audit_rows_of_reject_next_reject_block_undo_are_exactly_these(seeded: Store) -> None:
    """Issue 10 point 3: each row names the comment (article, position, author), the clause, the
    note, the moderator and the versions in force; nothing more is written."""
    items = thread(seeded)
    a, b, d = items[0], items[3], items[6]
    review.decide(
        seeded,
        a.comment_id,
        "reject",
        moderator="mo",
        expected_version=a.version,
        clause_id="no-profanity",
        note="swearing",
        in_force=IN_FORCE,
    )
    # "next": the card moves on; nothing is written.
    review.decide(
        seeded,
        b.comment_id,
        "reject",
        moderator="mo",
        expected_version=b.version,
        clause_id="no-personal-attacks",
        in_force=IN_FORCE,
    )
    review.set_author_status(
        seeded, str(d.author), "blocked", moderator="mo", note="repeat", in_force=IN_FORCE
    )
    review.undo_last(seeded, moderator="mo", in_force=IN_FORCE)

    def where(item: review.QueueItem) -> dict[str, Any]:
        return {
            "article_id": item.article_id,
            "article": item.article_title,
            "position": item.position + 1,
            "author": item.author,
        }

    versions = {"rule_set_version": None, "model_id": "test-model"}
    assert audit_rows(seeded) == [
        {
            "actor": "mo",
            "action": "reject",
            "target_type": "comment",
            "target_id": a.comment_id,
            "details": {
                "from": "unmoderated",
                "to": "rejected",
                "clause": "no-profanity",
                "note": "swearing",
                **where(a),
            },
            **versions,
        },
        {
            "actor": "mo",
            "action": "reject",
            "target_type": "comment",
            "target_id": b.comment_id,
            "details": {
                "from": "unmoderated",
                "to": "rejected",
                "clause": "no-personal-attacks",
                "note": None,
                **where(b),
            },
            **versions,
        },
        {
            "actor": "mo",
            "action": "block",
            "target_type": "author",
            "target_id": d.author,
            "details": {"clause": BLOCK_CLAUSE, "note": "repeat"},
            **versions,
        },
        {
            "actor": "mo",
            "action": "undo",
            "target_type": "author",
            "target_id": d.author,
            "details": {"undid": "block", "from": "blocked", "to": "active"},
            **versions,
        },
    ]
    assert status_of(seeded, a.comment_id) == status_of(seeded, b.comment_id) == "rejected"
    assert author_status(seeded, str(d.author)) == "active"


def test_suspension_ends_by_itself(seeded: Store) -> None:
    name = str(thread(seeded)[0].author)
    until = datetime.now(UTC) + timedelta(days=7)
    result = review.block_author(seeded, name, moderator="mo", until=until, note="cool off")
    assert result.status == "suspended"
    [entry] = review.audit_entries(seeded, action="block")
    assert entry.details["until"] == until.isoformat(timespec="seconds")
    overview, _ = authors_overview(seeded, rule_set_version=None, blocked_only=True)
    assert list(overview["author"]) == [name]
    with seeded.engine.begin() as conn:  # a week later
        conn.execute(
            update(authors)
            .where(authors.c.name == name)
            .values(suspended_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    overview, _ = authors_overview(seeded, rule_set_version=None, blocked_only=True)
    assert overview.empty
    assert totals(seeded, rule_set_version=None).blocked == 0
    assert thread(seeded)[0].author_status == "active"
    with pytest.raises(ModerationError, match="is not blocked"):
        review.unblock_author(seeded, name, moderator="mo")


def test_block_rejecting_pending_comments_is_one_undoable_action(seeded: Store) -> None:
    items = [i for i in thread(seeded) if i.author == "Fred"]
    assert len(items) == 2
    result = review.block_author(
        seeded,
        "Fred",
        moderator="mo",
        reject=[(i.comment_id, i.version) for i in items],
        reject_clause="no-personal-attacks",
        note="spam",
    )
    assert (result.status, result.rejected) == ("blocked", 2)
    assert {status_of(seeded, i.comment_id) for i in items} == {"rejected"}
    assert [r["action"] for r in audit_rows(seeded)] == ["block", "reject", "reject"]
    assert review.last_action(seeded, "mo") == review.LastAction(
        "blocking Fred and rejecting 2 pending comments", undoable=True
    )
    undone = review.undo_last(seeded, moderator="mo")
    assert (undone.undid, undone.count) == ("block", 2)
    assert author_status(seeded, "Fred") == "active"
    assert {status_of(seeded, i.comment_id) for i in items} == {"unmoderated"}
    assert [r["action"] for r in audit_rows(seeded)][3:] == ["undo"] * 3


def test_bulk_in_chunks_is_still_one_action(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review.decisions, "_CHUNK", 7)  # 30 comments: five transactions
    items = thread(seeded)
    result = review.decide_many(
        seeded, [(i.comment_id, i.version) for i in items], "approve", moderator="mo"
    )
    assert (result.done, result.conflicts) == (30, [])
    assert review.last_action(seeded, "mo") == review.LastAction(
        "approving 30 comments at once", undoable=True
    )
    assert review.undo_last(seeded, moderator="mo").count == 30
    assert review.queue_counts(seeded)["unflagged"] == 30


def test_undo_refuses_all_of_a_bulk_when_one_comment_changed(seeded: Store) -> None:
    items = thread(seeded)[:3]
    review.decide_many(
        seeded, [(i.comment_id, i.version) for i in items], "escalate", moderator="mo"
    )
    changed = thread(seeded)[1]
    review.decide(
        seeded, changed.comment_id, "approve", moderator="lead", expected_version=changed.version
    )
    with pytest.raises(ConflictError, match="1 of the comments changed after your decision"):
        review.undo_last(seeded, moderator="mo")
    assert [status_of(seeded, i.comment_id) for i in items] == [
        "escalated",
        "approved",
        "escalated",
    ]


def test_blocked_authors_comments_wait_in_pending(seeded: Store, rules_path: Path) -> None:
    """The rules leave gary's comment unflagged; blocked, they wait for a moderator, and the
    other authors' comments are not touched."""
    rules = load_active_rules(seeded, rules_path)
    reflag(seeded, rules, model_id=None)
    before = {i.comment_id: i.status for i in thread(seeded)}
    gary_ = {i.comment_id for i in thread(seeded) if i.author == "gary"}
    assert {before[c] for c in gary_} == {"unmoderated"}
    review.block_author(seeded, "gary", moderator="mo")
    reflag(seeded, rules, model_id=None)
    after = {i.comment_id: i.status for i in thread(seeded)}
    assert {after[c] for c in gary_} == {"pending"}
    assert {c: s for c, s in after.items() if c not in gary_} == {
        c: s for c, s in before.items() if c not in gary_
    }
