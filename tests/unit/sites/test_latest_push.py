"""store.pushes.latest_push_of_comment: what the comment card's conflict note reads."""

from __future__ import annotations

from datetime import UTC, datetime

from moderation.records import Action
from moderation.review import decide
from moderation.sites.records import PushKind, PushState
from moderation.store import Store
from moderation.store.pushes import latest_push_of_comment, plan_decision_pushes
from tests.unit.sites.pulled_comment import pull_held_comment


def test_the_latest_push_of_a_comment_comes_with_its_sites_name(store: Store) -> None:
    now = datetime.now(UTC)
    site = pull_held_comment(store, "blog", now)
    with store.engine.connect() as conn:
        assert latest_push_of_comment(conn, "wp1-c7") is None

    decide(store, "wp1-c7", Action.REJECT, moderator="m", expected_version=1, clause_id="c")
    store.write(lambda conn: plan_decision_pushes(conn, site.id, site.reject_as, now))
    decide(store, "wp1-c7", Action.APPROVE, moderator="m", expected_version=2, clause_id="c")
    store.write(lambda conn: plan_decision_pushes(conn, site.id, site.reject_as, now))

    with store.engine.connect() as conn:
        found = latest_push_of_comment(conn, "wp1-c7")
    assert found is not None
    assert found.site_name == "blog"
    assert (found.push.kind, found.push.target_status, found.push.state) == (
        PushKind.DECISION,
        "approved",
        PushState.PENDING,  # the earlier push, to spam, was superseded
    )
