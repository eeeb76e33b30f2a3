"""Queue page in AppTest: decisions change the database and move comments between queues."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from moderation import review
from moderation.scoring.offline import offline_model_id
from moderation.store import Store
from moderation.store.rulesets import active_version
from moderation.store.schema import audit_log, comments
from tests.app.helpers import log_in


def statuses(url: str) -> dict[str, str]:
    with Store.open(url).engine.connect() as conn:
        return dict(conn.execute(select(comments.c.author, comments.c.status)).all())


def counts(url: str) -> dict[str, int]:
    return review.queue_counts(Store.open(url))


def current_author(app: AppTest) -> str:
    return (
        next(m.value for m in app.markdown if m.value.startswith("**")).strip("*").replace("\\", "")
    )


def test_pending_queue_lists_flagged_comments_with_evidence(app_env: str) -> None:
    app = log_in()
    assert not app.exception
    assert counts(app_env)["pending"] >= 3
    text = " ".join(m.value for m in app.markdown)
    assert "red-background" in text  # evidence highlighted
    assert "Policy" in text  # clause quoted


def test_approve_moves_the_comment_to_approved(app_env: str) -> None:
    app = log_in()
    before = counts(app_env)
    author = current_author(app)
    app.button(key="queue_approve").click().run()
    assert not app.exception
    after = counts(app_env)
    assert after["pending"] == before["pending"] - 1
    assert after["approved"] == before["approved"] + 1
    assert statuses(app_env)[author] == "approved"
    assert any("Approved comment" in s.value for s in app.success)


def test_reject_with_reason_then_undo(app_env: str) -> None:
    app = log_in()
    author = current_author(app)
    app.selectbox(key="queue_reject_clause").select("no-personal-attacks")
    app.text_input(key="queue_reject_note").input("name-calling")
    app.button[[b.label for b in app.button].index("Reject")].click().run()
    assert not app.exception
    assert statuses(app_env)[author] == "rejected"
    with Store.open(app_env).engine.connect() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert row is not None
    assert (row.actor, row.action, row.details["clause"]) == (
        "moderator",
        "reject",
        "no-personal-attacks",
    )
    assert row.rule_set_version is not None and row.model_id == offline_model_id()
    app.button(key="queue_undo").click().run()
    assert statuses(app_env)[author] == "pending"


def test_escalate_then_find_it_in_the_escalated_queue(app_env: str) -> None:
    app = log_in()
    author = current_author(app)
    app.button(key="queue_escalate").click().run()
    assert statuses(app_env)[author] == "escalated"
    app.session_state["queue_name"] = "escalated"
    app.run()
    assert current_author(app) == author


def test_stale_card_reports_who_decided_first(app_env: str) -> None:
    app = log_in()
    author = current_author(app)
    store = Store.open(app_env)
    items, _ = review.queue_page(
        store,
        review.QueueFilter(queue="pending"),
        model_id=None,
        rule_set_version=active_version(store),
    )
    item = next(i for i in items if i.author == author)
    review.decide(
        store, item.comment_id, "approve", moderator="someone-else", expected_version=item.version
    )
    app.button(key="queue_escalate").click().run()
    assert any("already approved by someone-else" in w.value for w in app.warning)
    assert statuses(app_env)[author] == "approved"


def test_bulk_reject_by_score_band_needs_confirmation(app_env: str) -> None:
    app = log_in()
    app.session_state["queue_name"] = "all"
    app.run()
    app.toggle(key="queue_bulk_open").set_value(True).run()
    app.slider(key="queue_bulk_band").set_range(0.0, 1.0).run()
    apply = app.button(key="queue_bulk_apply")
    assert apply.disabled
    app.radio(key="queue_bulk_action").set_value("reject").run()
    app.checkbox(key="queue_bulk_confirm").check().run()
    label = app.checkbox(key="queue_bulk_confirm").label
    assert "all 30 comments" in label
    app.button(key="queue_bulk_apply").click().run()
    assert not app.exception
    assert counts(app_env)["rejected"] == 30


def test_empty_database_shows_an_empty_queue(
    app_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-samples"
    empty.mkdir()
    monkeypatch.setenv("THREADWATCH_SAMPLE_DATA", str(empty))
    app = log_in()
    assert not app.exception
    assert any("Nothing in Pending" in i.value for i in app.info)
    assert counts(app_env)["all"] == 0
