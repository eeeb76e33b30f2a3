"""Rule-set versions follow rules.yaml on disk; an invalid file never replaces a good version,
and a new version is never in force before its flags exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation.errors import RuleConfigError
from moderation.pipeline.ingest import ingest
from moderation.pipeline.reflag import apply_pending
from moderation.pipeline.versions import load_active_rules
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store, rulesets
from moderation.store.schema import flags

ROOT = Path(__file__).resolve().parents[3]


def test_unchanged_file_keeps_its_version(store: Store, rules_path: Path) -> None:
    first = load_active_rules(store, rules_path)
    again = load_active_rules(store, rules_path)
    assert (first.version, again.version, again.error) == (1, 1, None)


def test_file_edited_on_disk_becomes_a_new_version(store: Store, rules_path: Path) -> None:
    load_active_rules(store, rules_path)
    rules_path.write_text(rules_path.read_text().replace('version: "', 'version: "edited-', 1))
    assert load_active_rules(store, rules_path).version == 2


def test_invalid_file_leaves_the_last_good_version_active(store: Store, rules_path: Path) -> None:
    good = load_active_rules(store, rules_path)
    rules_path.write_text(rules_path.read_text() + "\n  - id: broken\n    colour: red\n")
    active = load_active_rules(store, rules_path)
    assert active.version == good.version
    assert active.content == good.content
    assert active.error is not None and "colour" in active.error


def test_invalid_file_and_no_good_version_is_an_error(store: Store, rules_path: Path) -> None:
    rules_path.write_text("rules: [")
    with pytest.raises(RuleConfigError, match="no valid rules"):
        load_active_rules(store, rules_path)


# -- issue 11, point 6: a new version is never active before its flags exist ------------------


def _flag_count(store: Store, version: int | None) -> int:
    with store.engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(flags).where(flags.c.rule_set_version == version)
        ).scalar_one()


@pytest.fixture
def flagged(store: Store, seeds: list[Path], rules_path: Path) -> Store:
    ingest(seeds, store, scorer=MiniLMHeadsScorer(), rules=load_active_rules(store, rules_path))
    assert _flag_count(store, rulesets.active_version(store)) > 0
    return store


def test_a_comment_line_in_rules_yaml_is_no_new_version(flagged: Store, rules_path: Path) -> None:
    before = _flag_count(flagged, 1)
    rules_path.write_text("# reviewed on Monday\n" + rules_path.read_text())
    active = load_active_rules(flagged, rules_path)
    assert (active.version, active.pending) == (1, None)
    assert rulesets.active_version(flagged) == 1
    assert _flag_count(flagged, 1) == before  # every card keeps its hits
    assert active.content.startswith("# reviewed on Monday")  # the latest text, for display


def test_an_edit_on_disk_stays_pending_until_its_flags_exist(
    flagged: Store, rules_path: Path, ww3_rule: str
) -> None:
    before = _flag_count(flagged, 1)
    rules_path.write_text(rules_path.read_text() + ww3_rule)
    active = load_active_rules(flagged, rules_path)
    # Readers (queues, cards, stats) keep v1 and all of its flags while v2 is prepared.
    assert (active.version, active.pending) == (1, 2)
    assert rulesets.active_version(flagged) == 1
    assert _flag_count(flagged, 1) == before
    report = apply_pending(flagged, rules_path, model_id=MiniLMHeadsScorer().model_id)
    assert report is not None and report.activated == 2
    assert rulesets.active_version(flagged) == 2
    assert _flag_count(flagged, 2) > before  # ww3 talk is flagged too
    assert load_active_rules(flagged, rules_path).pending is None


def test_a_later_save_supersedes_a_pending_one(
    flagged: Store, rules_path: Path, ww3_rule: str
) -> None:
    rules_path.write_text(rules_path.read_text() + ww3_rule)
    assert load_active_rules(flagged, rules_path).pending == 2
    rules_path.write_text(rules_path.read_text().replace("ww3]", "ww3, wwiii]"))
    assert load_active_rules(flagged, rules_path).pending == 3
    apply_pending(flagged, rules_path, model_id=None)
    assert rulesets.active_version(flagged) == 3
