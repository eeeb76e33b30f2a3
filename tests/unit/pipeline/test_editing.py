"""Editors' workflow on both databases: preview == reflag, save, rollback, history, calibration."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from moderation import review
from moderation.errors import ModerationError
from moderation.pipeline import rule_edits
from moderation.pipeline.ingest import ingest
from moderation.pipeline.reflag import reflag
from moderation.pipeline.versions import load_active_rules
from moderation.rules import RuleValidationError
from moderation.scoring import MiniLMHeadsScorer
from moderation.scoring.offline import offline_model_id
from moderation.store import Store
from moderation.store.schema import comments, flags

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def seeded(
    store: Store, seeds: list[Path], rules_path: Path, offline_scorer: MiniLMHeadsScorer
) -> Store:
    active = load_active_rules(store, rules_path)
    ingest(seeds, store, scorer=offline_scorer, rules=active)
    return store


MODEL = offline_model_id()


def flag_set(store: Store, version: int) -> set[tuple[str, str, str]]:
    with store.engine.connect() as conn:
        return {
            (r.comment_id, r.rule_id, str(r.evidence))
            for r in conn.execute(select(flags).where(flags.c.rule_set_version == version))
        }


def statuses(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(comments.c.id, comments.c.status)).all())


def test_preview_counts_match_reflag(seeded: Store, rules_path: Path, ww3_rule: str) -> None:
    active = load_active_rules(seeded, rules_path)
    draft_text = rules_path.read_text() + ww3_rule
    impact = rule_edits.preview(
        seeded, rule_edits.parse_draft(draft_text, rules_path), active, model_id=MODEL
    )
    assert impact.evaluated == 30
    assert impact.newly_flagged >= 3  # gary, Aram, ....... and others mention WW3
    assert impact.examples["newly flagged"][0].after == ("ww3-talk",)
    before = statuses(seeded)
    saved = rule_edits.save_version(seeded, draft_text, rules_path, actor="ed", message="ww3")
    assert saved.version == active.version + 1
    assert rules_path.read_text() == draft_text
    report = reflag(seeded, saved, model_id=MODEL)
    assert report.flagged == impact.flagged_after
    moved = sum(1 for cid, s in statuses(seeded).items() if before[cid] != s)
    assert moved == sum(impact.queue_moves.values())
    assert review.audit_entries(seeded, action="rules.save")[0].actor == "ed"


def test_save_then_rollback_restores_the_exact_previous_flags(
    seeded: Store, rules_path: Path, ww3_rule: str
) -> None:
    original = load_active_rules(seeded, rules_path)
    before = flag_set(seeded, original.version)
    edited = rule_edits.save_version(
        seeded, rules_path.read_text() + ww3_rule, rules_path, actor="ed", message="ww3"
    )
    reflag(seeded, edited, model_id=MODEL)
    assert flag_set(seeded, edited.version) != before
    back = rule_edits.rollback(seeded, original.version, rules_path, actor="ed")
    reflag(seeded, back, model_id=MODEL)
    assert back.version == edited.version + 1
    restored = {(c, r, e) for c, r, e in flag_set(seeded, back.version)}
    assert restored == before
    assert rules_path.read_text() == original.content
    assert [v.version for v in rule_edits.versions(seeded)][:3] == [
        back.version,
        edited.version,
        original.version,
    ]
    assert "+  - id: ww3-talk" in rule_edits.diff(seeded, original.version, edited.version)
    assert review.audit_entries(seeded, action="rules.rollback")[0].details["to"] == (
        original.version
    )


def test_human_decisions_survive_a_new_version(seeded: Store, rules_path: Path) -> None:
    items, _ = review.queue_page(
        seeded,
        review.QueueFilter(queue="pending"),
        model_id=MODEL,
        rule_set_version=load_active_rules(seeded, rules_path).version,
    )
    decided = items[0]
    review.decide(
        seeded, decided.comment_id, "approve", moderator="mo", expected_version=decided.version
    )
    emptied = rules_path.read_text().replace("action: flag", "action: approve")
    saved = rule_edits.save_version(seeded, emptied, rules_path, actor="ed", message="x")
    reflag(seeded, saved, model_id=MODEL)
    assert statuses(seeded)[decided.comment_id] == "approved"


def test_an_invalid_draft_is_refused_with_its_line(seeded: Store, rules_path: Path) -> None:
    bad = rules_path.read_text() + "\n  - id: broken\n    description: x\n    colour: red\n"
    with pytest.raises(RuleValidationError) as info:
        rule_edits.save_version(seeded, bad, rules_path, actor="ed", message="bad")
    assert any(p.line for p in info.value.problems)
    assert "colour" in str(info.value.problems)
    assert "broken" not in rules_path.read_text()  # the file was not touched


def test_rule_stats_count_hits_and_rulings(seeded: Store, rules_path: Path) -> None:
    version = load_active_rules(seeded, rules_path).version
    items, _ = review.queue_page(
        seeded, review.QueueFilter(queue="pending"), model_id=MODEL, rule_set_version=version
    )
    review.decide(
        seeded,
        items[0].comment_id,
        "reject",
        moderator="mo",
        expected_version=items[0].version,
        clause_id="no-personal-attacks",
    )
    stats = rule_edits.rule_stats(seeded, version)
    assert sum(s.hits for s in stats.values()) >= 4
    assert sum(s.upheld for s in stats.values()) >= 1
    assert sum(s.overturned for s in stats.values()) == 0


@pytest.mark.parametrize(
    ("label", "expected"),
    [("toxicity", "gte: 0.65,"), ("severe_toxicity", None)],
)
def test_set_threshold_edits_only_that_rule(
    rules_path: Path, label: str, expected: str | None
) -> None:
    content = rules_path.read_text()
    if expected is None:
        with pytest.raises(ModerationError, match="no threshold"):
            rule_edits.set_threshold(content, "offline-toxicity", label, 0.65)
        return
    edited = rule_edits.set_threshold(content, "offline-toxicity", label, 0.65)
    changed = [
        (a, b) for a, b in zip(content.splitlines(), edited.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 and expected in changed[0][1]
    rule_edits.parse_draft(edited, rules_path)  # still valid


def test_calibration_curve() -> None:
    points = [(0.9, True), (0.8, True), (0.7, False), (0.2, False), (0.6, None)]
    curve = {p.threshold: p for p in rule_edits.calibration_curve(points, [0.5, 0.75, 0.95])}
    assert (curve[0.5].flagged, curve[0.5].precision, curve[0.5].recall) == (4, 2 / 3, 1.0)
    assert (curve[0.75].flagged, curve[0.75].precision, curve[0.75].recall) == (2, 1.0, 1.0)
    assert (curve[0.95].flagged, curve[0.95].precision, curve[0.95].recall) == (0, None, 0.0)


def test_labelled_scores_carry_moderators_rulings(seeded: Store) -> None:
    items, _ = review.queue_page(
        seeded,
        review.QueueFilter(queue="unflagged"),
        model_id=MODEL,
        rule_set_version=None,
        limit=2,
    )
    review.decide(
        seeded, items[0].comment_id, "approve", moderator="mo", expected_version=items[0].version
    )
    points = rule_edits.labelled_scores(seeded, "toxicity", MODEL)
    assert len(points) == 30
    assert sum(1 for _, r in points if r is False) == 1
