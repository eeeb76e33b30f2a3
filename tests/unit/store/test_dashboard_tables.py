"""The dashboard's own tables on both databases: rules drafts per user, and the stored-scores
model the pages use while the scoring model loads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from moderation.store import Store
from moderation.store.drafts import delete_draft, load_draft, save_draft
from moderation.store.schema import scores
from moderation.store.scores import latest_model


def test_a_draft_per_user_replaced_and_deleted(store: Store) -> None:
    assert load_draft(store, "editor") is None
    save_draft(store, "editor", "rules: []\n", base_version=1)
    save_draft(store, "editor", "rules: [x]\n", base_version=2)  # an upsert, not a second row
    save_draft(store, "admin", "other\n", base_version=None)
    draft = load_draft(store, "editor")
    assert draft is not None and (draft.content, draft.base_version) == ("rules: [x]\n", 2)
    assert draft.updated_at.tzinfo is not None
    delete_draft(store, "editor")
    assert load_draft(store, "editor") is None
    assert load_draft(store, "admin") is not None


def test_latest_model_is_the_one_that_scored_last(store: Store) -> None:
    assert latest_model(store) is None
    now = datetime.now(UTC)
    rows = [
        ("a", "old-model", "toxicity", now - timedelta(days=2)),
        ("a", "old-model", "insult", now - timedelta(days=2)),
        ("b", "new-model", "toxicity", now),
    ]
    with store.transaction() as conn:
        conn.execute(
            scores.insert(),
            [
                {"text_hash": h, "model_id": m, "label": label, "value": 0.5, "created_at": at}
                for h, m, label, at in rows
            ],
        )
    assert latest_model(store) == ("new-model", ("toxicity",))
