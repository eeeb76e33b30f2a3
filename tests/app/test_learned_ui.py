"""The site's learned model in the dashboard (issue 14 point 2): editors train it from the
Calibrate tab, the queue sorts by it and each card says its estimate with the version, and
none of that changes a comment."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from moderation import review
from moderation.pipeline import jobs
from moderation.pipeline.versions import load_active_rules
from moderation.records import Action
from moderation.scoring import MiniLMHeadsScorer
from moderation.scoring.learned import LEARN_ACTION, learn, rank_by_rejection, reject_probability
from moderation.store import Store, rulesets
from moderation.store.learned import learned_models, learned_predictions
from moderation.store.schema import audit_log, comments, decisions
from tests.app.helpers import log_in

REJECTED = 5  # of the pending comments; the rest stay in the queue to be sorted
APPROVED = 16  # of the unflagged ones: 21 decisions, over learn's minimum of 20


def decide_enough(url: str) -> list[str]:
    """A moderator rejects the first pending comments and approves unflagged ones; returns the
    ids still pending, in the queue's severity order."""
    store = Store.open(url)
    version = rulesets.active_version(store)
    pending, _ = review.queue_page(
        store, review.QueueFilter(queue="pending"), model_id=None, rule_set_version=version
    )
    unflagged, _ = review.queue_page(
        store, review.QueueFilter(queue="unflagged"), model_id=None, rule_set_version=version
    )
    assert len(pending) > REJECTED and len(unflagged) >= APPROVED
    for item in pending[:REJECTED]:
        review.decide(
            store,
            item.comment_id,
            Action.REJECT,
            moderator="moderator",
            expected_version=item.version,
            clause_id="no-personal-attacks",
        )
    for item in unflagged[:APPROVED]:
        review.decide(
            store,
            item.comment_id,
            Action.APPROVE,
            moderator="moderator",
            expected_version=item.version,
        )
    return [item.comment_id for item in pending[REJECTED:]]


def snapshot(url: str) -> tuple[object, ...]:
    with Store.open(url).engine.connect() as conn:
        rows = conn.execute(
            select(comments.c.id, comments.c.status, comments.c.decided_by, comments.c.version)
        ).all()
        counted = [
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (decisions, audit_log, learned_models, learned_predictions)
        ]
    return sorted(tuple(r) for r in rows), counted


def button_keys(app: AppTest) -> set[str]:
    return {b.key for b in app.button if b.key}


def test_an_editor_trains_the_learned_model_from_the_calibrate_tab(
    app_env: str, rules_path: Path
) -> None:
    app = log_in("editor", "rules")
    assert not app.exception
    assert "rules_learn" in button_keys(app)
    assert any("No learned model yet" in c.value for c in app.caption)
    # Before any decision: the reason at once, and nothing queued.
    app.button(key="rules_learn").click().run()
    assert any("not enough human decisions to learn from: 0" in w.value for w in app.warning)
    jobs.runner.wait()
    store = Store.open(app_env)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(learned_models)).scalar_one() == 0

    still_pending = decide_enough(app_env)
    app.button(key="rules_learn").click().run()
    assert not app.exception
    assert any("Training on 21 human decisions" in i.value for i in app.info)
    jobs.runner.wait()  # trained on the job runner, not in the session's run
    app.run()
    assert any(
        c.value.startswith("In use: learned model v1, trained on 21 human decisions (5 rejections)")
        for c in app.caption
    )
    assert any("Learned model v1 trained on 21" in c.value for c in app.caption)  # the job list
    with store.engine.connect() as conn:
        audit = conn.execute(select(audit_log).where(audit_log.c.action == LEARN_ACTION)).one()
        model = conn.execute(select(learned_models)).one()
    assert (audit.actor, model.created_by, model.decisions) == ("editor", "editor", 21)
    # The comments still in the queue were estimated after the training.
    assert set(reject_probability(store, still_pending)) == set(still_pending)


def test_a_moderator_cannot_train_the_learned_model(app_env: str, rules_path: Path) -> None:
    app = log_in("moderator", "rules")
    assert not app.exception
    assert "rules_learn" not in button_keys(app)
    assert any(s.value == "The site's learned model" for s in app.subheader)


def test_the_queue_sorts_by_the_learned_model_and_cards_say_its_estimate(
    app_env: str,
    rules_path: Path,
    offline_scorer: MiniLMHeadsScorer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = log_in("moderator")  # the first run loads the sample data
    assert not app.exception
    options = app.selectbox(key="queue_sort").options
    assert "Most likely to be rejected" not in options  # no learned version yet
    still_pending = decide_enough(app_env)
    store = Store.open(app_env)
    active = load_active_rules(store, rules_path)
    result = learn(
        store,
        rules=active.ruleset,
        rule_set_version=active.version,
        scorer=offline_scorer,
        actor="editor",
    )
    assert result.version == 1 and result.predicted == len(still_pending)
    expected = rank_by_rejection(store, still_pending)
    probabilities = reject_probability(store, still_pending)
    before = snapshot(app_env)

    app.run()
    app.selectbox(key="queue_sort").select("learned").run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "rejection likelihood" in d.value.columns)
    shown = [float(p) for p in table["rejection likelihood"]]
    assert shown == [round(probabilities[cid][0], 2) for cid in expected]
    assert shown == sorted(shown, reverse=True)
    with store.engine.connect() as conn:
        positions = dict(
            conn.execute(
                select(comments.c.id, comments.c.position).where(comments.c.id.in_(expected))
            ).all()
        )
    assert list(table["comment"]) == [
        f"#{review.thread_position(positions[cid])}" for cid in expected
    ]
    top = probabilities[expected[0]][0]
    line = f"Rejection likelihood {top:.2f} (learned model v1)"
    assert line in [c.value for c in app.caption]  # the first card: the likeliest rejection
    # Sorting and showing only read: no status, decision, audit row or prediction changed.
    app.button(key="queue_next").click().run()
    assert snapshot(app_env) == before

    # Turned off: the sort is no longer offered and cards say nothing of it.
    monkeypatch.setenv("THREADWATCH_LEARNED_MODEL", "false")
    app.run()
    assert not app.exception
    assert "Most likely to be rejected" not in app.selectbox(key="queue_sort").options
    assert not [c for c in app.caption if c.value.startswith("Rejection likelihood")]
    app.switch_page("moderation/ui/pages/rules.py").run()
    assert any("turned off" in i.value for i in app.info)
    assert snapshot(app_env) == before
