"""Rule-set versions follow rules.yaml on disk; an invalid file never replaces a good version."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.errors import RuleConfigError
from moderation.flagging import load_active_rules
from moderation.store import Store

ROOT = Path(__file__).resolve().parents[2]


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
