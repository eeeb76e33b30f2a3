"""Drafts from the Rules editor are validated in a separate process under a time and a memory
budget (issue 11, point 8): an over-budget draft is a one-line problem, not a stalled server."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.pipeline import rule_edits
from moderation.rules import RuleValidationError
from moderation.rules.sandbox import check_draft
from tests.unit.rules.test_rules_limits import ALIAS_BOMB

ROOT = Path(__file__).resolve().parents[3]


def test_a_valid_draft_passes(rules_path: Path) -> None:
    check_draft(rules_path.read_text(), rules_path.parent)
    assert rule_edits.check_draft(rules_path.read_text(), rules_path).rules


def test_problems_come_back_with_their_lines(rules_path: Path) -> None:
    draft = rules_path.read_text() + "\n  - id: broken\n    colour: red\n"
    with pytest.raises(RuleValidationError) as caught:
        check_draft(draft, rules_path.parent)
    assert any(p.line and "colour" in p.message for p in caught.value.problems)


def test_the_alias_bomb_comes_back_as_one_problem(rules_path: Path) -> None:
    with pytest.raises(RuleValidationError) as caught:
        check_draft(ALIAS_BOMB, rules_path.parent)
    [problem] = caught.value.problems
    assert "more than 100,000 YAML values" in problem.message


def test_the_memory_budget_is_enforced(rules_path: Path) -> None:
    with pytest.raises(RuleValidationError) as caught:
        check_draft(rules_path.read_text(), rules_path.parent, memory=1024 * 1024)
    assert "needed more than 1 MB" in str(caught.value)


def test_the_time_budget_is_enforced(rules_path: Path) -> None:
    with pytest.raises(RuleValidationError) as caught:
        check_draft(rules_path.read_text(), rules_path.parent, seconds=0.001)
    assert "took longer than 0.001 s" in str(caught.value)
