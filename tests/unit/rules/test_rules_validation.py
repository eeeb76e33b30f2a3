"""Every kind of rules.yaml problem is reported with its rule id and YAML line, all at once."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from moderation.errors import RuleConfigError
from moderation.rules import RuleSet, RuleValidationError, parse_rules

HEADER = textwrap.dedent(
    """\
    version: 1
    clauses:
      - {id: no-profanity, text: No profanity.}
    categories: {profanity: Swearing}
    rules:
    """
)  # the first rule starts on line 6


def rule(**overrides: str) -> str:
    fields = {
        "id": "r1",
        "description": "d",
        "category": "profanity",
        "clause": "no-profanity",
        "action": "flag",
        "match": "{words: [darn]}",
    }
    fields.update(overrides)
    lines = [f"  - id: {fields.pop('id')}"] + [f"    {k}: {v}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


CASES = [
    # (rules section, rule id, line, words in the message)
    (rule(colour="red"), "r1", 12, "unknown key 'colour'"),
    (rule(action="delete"), "r1", 10, "action"),
    (rule(severity="high"), "r1", 12, "severity"),
    (rule(match="{regex: '(a)\\1'}"), "r1", 11, "RE2"),
    (rule(match="{regex: '(?<=a)b'}"), "r1", 11, "lookarounds"),
    (rule(match="{regex: '(unclosed'}"), "r1", 11, "cannot run on RE2"),
    (rule() + rule(), "r1", 12, "duplicate rule id"),
    (rule(clause="no-spam"), "r1", 9, "unknown clause 'no-spam'"),
    (rule(category="spam"), "r1", 8, "unknown category 'spam'"),
    (rule(match="{words: [darn], regex: x}"), "r1", 11, "exactly one"),
    (rule(match="{model: 'insult => 0.8'}"), "r1", 11, "label >= 0.8"),
    (rule(match="{model: {label: insult, gte: 1.5}}"), "r1", 11, "less than or equal"),
    (rule(match="{words: {file: missing.txt}}"), "r1", 11, "cannot read list file"),
    (rule(match="{words: {list: nope}}"), "r1", 11, "unknown list 'nope'"),
    (rule(examples="{should_flag: [all clean here]}"), "r1", 12, "should_flag[0] fails"),
    (rule(examples="{should_pass: [darn it]}"), "r1", 12, "should_pass[0] fails"),
    (rule(match="{all: []}"), "r1", 11, "at least 1"),
]


@pytest.mark.parametrize(("body", "rule_id", "line", "words"), CASES)
def test_problem_names_rule_and_line(body: str, rule_id: str, line: int, words: str) -> None:
    with pytest.raises(RuleValidationError) as caught:
        parse_rules(HEADER + body, base_dir=Path("."))
    assert isinstance(caught.value, RuleConfigError)
    found = [(p.rule_id, p.line) for p in caught.value.problems if words in p.message]
    assert (rule_id, line) in found, caught.value.problems


def test_invalid_yaml_names_the_line() -> None:
    with pytest.raises(RuleValidationError) as caught:
        parse_rules(HEADER + "  - id: [unclosed\n", base_dir=Path("."))
    (problem,) = caught.value.problems
    assert problem.line == 7
    assert "invalid YAML" in problem.message


def test_every_problem_is_collected() -> None:
    body = rule(id="a", clause="nope") + rule(id="b", category="nope") + rule(id="c")
    body = body.replace("match: {words: [darn]}", "match: {regex: '(?=x)'}", 1)
    with pytest.raises(RuleValidationError) as caught:
        parse_rules(HEADER + body, base_dir=Path("."))
    assert {p.rule_id for p in caught.value.problems} == {"a", "b"}
    assert len(caught.value.problems) == 3


def test_top_level_problems() -> None:
    with pytest.raises(RuleValidationError) as caught:
        parse_rules("version: 1\nrules: []\nextra: 1\n", base_dir=Path("."))
    messages = [p.message for p in caught.value.problems]
    assert any("clauses" in m for m in messages)
    assert any("unknown key 'extra'" in m for m in messages)


def test_examples_with_scores_check_model_rules(make_rules: Callable[..., RuleSet]) -> None:
    rules = make_rules(
        """\
        rules:
          - id: insulting
            description: Insult
            category: personal_attack
            clause: no-personal-attacks
            action: flag
            match: {model: "insult >= 0.8"}
            examples:
              should_flag: [{text: x, scores: {insult: 0.9}}]
              should_pass: [{text: x, scores: {insult: 0.1}}, no scores at all]
        """
    )
    assert rules.labels_used == {"insult"}


def test_schema_and_semantic_problems_together() -> None:
    body = rule(id="a", colour="red") + rule(id="b", clause="nope") + rule(id="c")
    with pytest.raises(RuleValidationError) as caught:
        parse_rules(HEADER + body, base_dir=Path("."))
    found = [(p.rule_id, p.line, p.message) for p in caught.value.problems]
    assert found == [
        ("a", 12, "unknown key 'colour'"),
        ("b", 16, "unknown clause 'nope' (no-profanity)"),
    ]
