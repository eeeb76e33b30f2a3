"""Shared helpers: build small real rule sets from YAML text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from moderation.rules import RuleSet, parse_rules

HEADER = """\
version: 1
clauses:
  - {id: no-profanity, text: No profanity.}
  - {id: no-personal-attacks, text: No personal attacks.}
categories: {profanity: Swearing, personal_attack: Insults, other: Other}
"""


MakeRules = Callable[..., RuleSet]


def _make_rules(body: str, base_dir: Path | None = None) -> RuleSet:
    return parse_rules(HEADER + textwrap.dedent(body), base_dir=base_dir or Path("."))


@pytest.fixture(scope="session")
def make_rules() -> MakeRules:
    """Build a real RuleSet from a rules: section (the header gives clauses and categories)."""
    return _make_rules


@pytest.fixture(scope="session")
def default_rules() -> RuleSet:
    from moderation.rules import load_rules

    return load_rules(Path(__file__).resolve().parents[3] / "rules.yaml")
