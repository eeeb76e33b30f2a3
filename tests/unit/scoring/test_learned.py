"""The site's learned model on both databases: trained on people's standing decisions only,
versioned and audited, ranks the queue, and never changes a comment by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation import review
from moderation.pipeline.ingest import ingest
from moderation.pipeline.reflag import reflag
from moderation.pipeline.versions import load_active_rules
from moderation.records import Action, Status
from moderation.scoring import MiniLMHeadsScorer
from moderation.scoring.learned import (
    LEARN_ACTION,
    LearnError,
    active_version,
    check_can_learn,
    learn,
    predict,
    predict_missing,
    rank_by_rejection,
    reject_probability,
)
from moderation.store import Store, rulesets
from moderation.store.learned import (
    comment_ids_with_status,
    human_decisions,
    learned_models,
    learned_predictions,
)
from moderation.store.schema import audit_log, comments, decisions

# The seed thread's policy violations, by author, with the clause a moderator cites.
VIOLATIONS = {
    "Aram": "no-inappropriate-material",
    "Vacheh": "no-personal-attacks",
    "Alex Postallian": "no-inappropriate-material",
    "immortal Souls of western Armenia risen": "no-inappropriate-material",
    "zohrab": "no-profanity",
    "Mihran": "no-inappropriate-material",
    "Lusik": "no-inappropriate-material",
    "Fred": "no-inappropriate-material",  # the first of Fred's two comments ("barbarians")
    "facts": "no-inappropriate-material",  # the second ("I hope ... the same")
}
# A rule that rejects on its own (no human): its outcomes must never become training data.
AUTO_REJECT = """
  - id: auto-reject-hehehe
    description: test rule that rejects without a moderator
    category: other
    clause: no-inappropriate-material
    action: reject
    severity: 1
    match:
      words: [hehehe]
    examples:
      should_flag: [hehehe]
"""


def snapshot(store: Store) -> tuple[dict[str, tuple[str, str | None, int]], int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(comments.c.id, comments.c.status, comments.c.decided_by, comments.c.version)
        ).all()
        count = conn.execute(select(func.count()).select_from(decisions)).scalar_one()
    return {r.id: (r.status, r.decided_by, r.version) for r in rows}, count


@pytest.fixture
def decided(
    store: Store, seed_000: Path, rules_path: Path, offline_scorer: MiniLMHeadsScorer
) -> tuple[Store, Path]:
    """Seed 000 scored and flagged, one comment rejected by a rule alone, every other comment
    decided by a moderator: violations rejected with their clause, the rest approved."""
    with rules_path.open("a", encoding="utf-8") as fh:
        fh.write(AUTO_REJECT)
    ingest([seed_000], store, scorer=offline_scorer, rules=load_active_rules(store, rules_path))
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(comments.c.id, comments.c.author, comments.c.status, comments.c.version)
            .where(comments.c.kind == "comment")
            .order_by(comments.c.position)
        ).all()
    seen: dict[str, int] = {}
    for row in rows:
        if row.status == Status.REJECTED:  # the rule's own rejection: left to the rule
            continue
        seen[row.author] = seen.get(row.author, 0) + 1
        clause = VIOLATIONS.get(row.author)
        if (row.author == "Fred" and seen["Fred"] == 2) or (
            row.author == "facts" and seen["facts"] == 1
        ):
            clause = None
        review.decide(
            store,
            row.id,
            Action.REJECT if clause else Action.APPROVE,
            moderator="mo",
            expected_version=row.version,
            clause_id=clause,
        )
    return store, rules_path


def audit_rows(store: Store) -> list:  # type: ignore[type-arg]
    with store.engine.connect() as conn:
        return list(conn.execute(select(audit_log).order_by(audit_log.c.id)))


def _learn(store: Store, rules_path: Path, scorer: MiniLMHeadsScorer, **kw: object):  # type: ignore[no-untyped-def]
    active = load_active_rules(store, rules_path)
    return learn(
        store,
        rules=active.ruleset,
        rule_set_version=active.version,
        scorer=scorer,
        actor="editor",
        **kw,  # type: ignore[arg-type]
    )


def test_trains_on_standing_human_decisions_only(
    decided: tuple[Store, Path], offline_scorer: MiniLMHeadsScorer
) -> None:
    store, rules_path = decided
    with store.engine.connect() as conn:
        rule_rejected = (
            conn.execute(
                select(comments.c.id).where(
                    comments.c.status == Status.REJECTED, comments.c.decided_by.is_(None)
                )
            )
            .scalars()
            .all()
        )
    assert len(rule_rejected) == 1
    # A moderator's decision that was undone no longer counts.
    with store.engine.connect() as conn:
        target = conn.execute(
            select(comments.c.id, comments.c.version).where(comments.c.author == "Armanen")
        ).one()
    review.decide(
        store,
        target.id,
        Action.REJECT,
        moderator="mo2",
        expected_version=target.version,
        clause_id="no-profanity",
    )
    review.undo_last(store, moderator="mo2")
    with store.engine.connect() as conn:
        used = human_decisions(conn)
    ids = [d.comment_id for d in used]
    assert rule_rejected[0] not in ids
    assert len(ids) == len(set(ids)) == 29
    armanen = [d for d in used if d.comment_id == target.id]
    assert [d.action for d in armanen] == [Action.APPROVE]  # the standing decision, not the undone

    result = _learn(store, rules_path, offline_scorer)
    assert (result.version, result.decisions, result.rejections) == (1, 29, 9)
    assert result.heads[0] == "reject"
    assert {"identity_attack", "threat"} <= set(result.heads)  # clause -> its rules' categories
    with store.engine.connect() as conn:
        audit = conn.execute(select(audit_log).where(audit_log.c.action == LEARN_ACTION)).one()
        row = conn.execute(select(learned_models)).one()
    assert (audit.actor, audit.target_id, audit.details["decisions"]) == ("editor", "1", 29)
    assert audit.details["weights_sha256"] == row.weights_sha256
    assert row.base_model_id == offline_scorer.model_id
    # A second training is a new version; predictions come from the newest.
    assert _learn(store, rules_path, offline_scorer).version == 2
    assert active_version(store) == 2


def test_learned_sort_puts_likely_rejections_first(
    decided: tuple[Store, Path], offline_scorer: MiniLMHeadsScorer, tmp_path: Path
) -> None:
    store, rules_path = decided
    _learn(store, rules_path, offline_scorer)
    new = tmp_path / "new.txt"
    new.write_text(
        "Fresh article\n\nBody.\n\n"
        "  1. kind said:\n\n    Thank you for the clear report on the ceasefire talks.\n\n"
        "  2. rude said:\n\n    These people are animals, they are simply very primitive.\n\n"
        "  3. calm said:\n\n    Russia and the EU should help Armenia with military aid.\n",
        encoding="utf-8",
    )
    ingest([new], store, scorer=offline_scorer, rules=load_active_rules(store, rules_path))
    with store.engine.connect() as conn:
        by_author = dict(
            conn.execute(
                select(comments.c.author, comments.c.id).where(
                    comments.c.author.in_(("kind", "rude", "calm"))
                )
            ).all()
        )
    ids = [by_author["kind"], by_author["calm"], by_author["rude"]]
    assert rank_by_rejection(store, ids) == ids  # nothing predicted yet: order kept
    ranked = rank_by_rejection(store, ids, scorer=offline_scorer)
    assert ranked[0] == by_author["rude"]
    probs = reject_probability(store, ids)  # now stored: read back without a scorer
    assert set(probs) == set(ids) and {v for _, v in probs.values()} == {1}
    assert probs[by_author["rude"]][0] > 0.5 > probs[by_author["kind"]][0]
    # On the decided comments themselves the learned order finds every rejection first.
    with store.engine.connect() as conn:
        used = human_decisions(conn)
    ranked_decided = rank_by_rejection(store, [d.comment_id for d in used], scorer=offline_scorer)
    rejected = {d.comment_id for d in used if d.action == Action.REJECT}
    assert set(ranked_decided[: len(rejected)]) == rejected


def test_never_acts_without_a_human(
    decided: tuple[Store, Path], offline_scorer: MiniLMHeadsScorer, seed_000: Path
) -> None:
    store, rules_path = decided
    review.undo_last(store, moderator="mo")  # one comment back in a queue for predictions
    before = snapshot(store)
    audit_before = audit_rows(store)
    result = _learn(store, rules_path, offline_scorer)
    assert result.predicted >= 0
    every = list(before[0])
    predict(store, every, scorer=offline_scorer)
    reject_probability(store, every, scorer=offline_scorer)
    rank_by_rejection(store, every, scorer=offline_scorer)
    predict_missing(store, offline_scorer)
    version = rulesets.active_version(store)
    review.queue_page(
        store,
        review.QueueFilter(queue="all", sort=review.LEARNED_SORT),
        model_id=offline_scorer.model_id,
        rule_set_version=version,
        learned_version=result.version,
    )
    # Learning and predicting wrote one audit row, the learn's, and changed no comment.
    new_rows = audit_rows(store)[len(audit_before) :]
    assert audit_rows(store)[: len(audit_before)] == audit_before
    assert [(r.action, r.actor, r.target_id) for r in new_rows] == [
        (LEARN_ACTION, "editor", str(result.version))
    ]
    assert snapshot(store) == before
    # The pipeline runs again, with a learned model and its predictions in the database.
    active = load_active_rules(store, rules_path)
    reflag(store, active, model_id=offline_scorer.model_id)
    ingest([seed_000], store, scorer=offline_scorer, rules=active)
    assert snapshot(store) == before  # no status, decider, version or decision changed
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(learned_predictions)).scalar_one()
    assert stored == len(every)


def test_newly_ingested_queued_comments_are_predicted_when_a_version_exists(
    decided: tuple[Store, Path], offline_scorer: MiniLMHeadsScorer, tmp_path: Path
) -> None:
    store, rules_path = decided
    new = tmp_path / "new.txt"
    new.write_text(
        "Fresh article\n\nBody.\n\n"
        "  1. kind said:\n\n    Thank you for the clear report on the ceasefire talks.\n\n"
        "  2. rude said:\n\n    You are an idiot and a moron, shut up.\n",
        encoding="utf-8",
    )
    # Before any training there is nothing to predict with.
    report = ingest([new], store, scorer=offline_scorer, rules=load_active_rules(store, rules_path))
    assert (report.learned_version, report.predicted) == (None, 0)
    result = _learn(store, rules_path, offline_scorer)
    newer = tmp_path / "newer.txt"
    newer.write_text(
        "Another article\n\nBody.\n\n"
        "  1. loud said:\n\n    You are an idiot and a moron, shut up.\n\n"
        "  2. quiet said:\n\n    Thanks for this report.\n",
        encoding="utf-8",
    )
    active = load_active_rules(store, rules_path)
    off = ingest([newer], store, scorer=offline_scorer, rules=active)  # the setting's default
    assert off.predicted == 0
    with store.engine.connect() as conn:
        queued = set(comment_ids_with_status(conn, (Status.PENDING, Status.ESCALATED)))
        loud = conn.execute(select(comments.c.id).where(comments.c.author == "loud")).scalar_one()
    assert loud in queued and loud not in reject_probability(store, [loud])
    report = ingest([newer], store, scorer=offline_scorer, rules=active, learned_model=True)
    assert report.learned_version == result.version
    assert report.predicted >= 1
    assert f"comments predicted by learned model v{result.version}" in report.summary()
    assert set(reject_probability(store, list(queued))) == queued  # every queued one now
    # A re-run predicts nothing twice; turned off, nothing at all.
    again = ingest([newer], store, scorer=offline_scorer, rules=active, learned_model=True)
    assert again.predicted == 0
    assert predict_missing(store, offline_scorer, enabled=False) == 0


def test_refuses_when_off_or_with_too_few_decisions(
    store: Store, seed_000: Path, rules_path: Path, offline_scorer: MiniLMHeadsScorer
) -> None:
    ingest([seed_000], store, scorer=offline_scorer, rules=load_active_rules(store, rules_path))
    with pytest.raises(LearnError, match="not enough human decisions"):
        _learn(store, rules_path, offline_scorer)
    with pytest.raises(LearnError, match="not enough human decisions to learn from: 0"):
        check_can_learn(store)
    with pytest.raises(LearnError, match="turned off"):
        check_can_learn(store, enabled=False)
    with pytest.raises(LearnError, match="turned off"):
        _learn(store, rules_path, offline_scorer, enabled=False)
    assert predict(store, ["x"], enabled=False) == {}
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(learned_models)).scalar_one() == 0
