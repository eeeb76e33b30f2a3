"""Combinators, directed attacks, model thresholds, priorities and human decisions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from moderation.rules import CommentContext, RuleSet

Make = Callable[..., RuleSet]

COMBINATORS = """\
rules:
  - id: insult-at-you
    description: Insult aimed at a person
    category: personal_attack
    clause: no-personal-attacks
    action: hold
    priority: 20
    match:
      all:
        - words: [idiot, moron]
        - directed: true
  - id: swear-unless-quoted
    description: Swearing outside a quotation marker
    category: profanity
    clause: no-profanity
    action: flag
    priority: 10
    match:
      all:
        - any: [{words: [darn]}, {regex: 'dang+it'}]
        - not: {words: [quote]}
  - id: toxic
    description: Toxic
    category: other
    clause: no-profanity
    action: reject
    priority: 30
    match: {model: "toxicity >= 0.9"}
  - id: not-toxic-but-repeat
    description: Repeat offender, model says clean
    category: other
    clause: no-profanity
    action: flag
    priority: 1
    match:
      all:
        - author: {min_prior_rejections: 2}
        - not: {model: "toxicity >= 0.5"}
"""


@pytest.fixture(scope="module")
def rules(make_rules: Make) -> RuleSet:
    return make_rules(COMBINATORS)


CASES = [
    # (context, expected rule ids, status)
    (CommentContext("You are an idiot"), ["insult-at-you"], "held"),
    (CommentContext("The idiot policy"), [], "unmoderated"),
    (CommentContext("@gary moron"), ["insult-at-you"], "held"),
    (CommentContext("what a moron, said gary"), [], "unmoderated"),
    (CommentContext("Gary is a moron", parent_author="Gary"), ["insult-at-you"], "held"),
    (CommentContext("the commenter above is an idiot"), ["insult-at-you"], "held"),
    (CommentContext("darn"), ["swear-unless-quoted"], "flagged"),
    (CommentContext("danggggit"), ["swear-unless-quoted"], "flagged"),
    (CommentContext("quote: darn"), [], "unmoderated"),
    (
        CommentContext("darn", scores={"toxicity": 0.95}),
        ["toxic", "swear-unless-quoted"],
        "rejected",
    ),
    (
        CommentContext("hi", prior_rejections=3, scores={"toxicity": 0.1}),
        ["not-toxic-but-repeat"],
        "flagged",
    ),
    (CommentContext("hi", prior_rejections=3, scores={"toxicity": 0.7}), [], "unmoderated"),
    # No score: "not toxic" is unknown, so the rule does not fire (and is reported undecided).
    (CommentContext("hi", prior_rejections=3), [], "unmoderated"),
    # A human decision is kept whatever the rules say.
    (CommentContext("You idiot", human_status="approved"), ["insult-at-you"], "approved"),
]


@pytest.mark.parametrize(("item", "rule_ids", "status"), CASES)
def test_verdict(rules: RuleSet, item: CommentContext, rule_ids: list[str], status: str) -> None:
    (verdict,) = rules.evaluate([item])
    assert [hit.rule_id for hit in verdict.hits] == rule_ids  # highest priority first
    assert verdict.status == status
    assert verdict.flagged == bool(rule_ids)


def test_batch_equals_one_by_one(rules: RuleSet) -> None:
    items = [case[0] for case in CASES]
    assert rules.evaluate(items) == [rules.evaluate([item])[0] for item in items]


def test_undecided_rules_are_reported(rules: RuleSet) -> None:
    (verdict,) = rules.evaluate([CommentContext("hi", prior_rejections=3)])
    assert set(verdict.undecided) == {"toxic", "not-toxic-but-repeat"}
    assert rules.unavailable_rules(["insult"]) == [
        ("toxic", ("toxicity",)),
        ("not-toxic-but-repeat", ("toxicity",)),
    ]
    assert rules.unavailable_rules(["toxicity"]) == []


def test_hit_details(rules: RuleSet) -> None:
    text = "Hey @gary, you are an IDIOT"
    (verdict,) = rules.evaluate([CommentContext(text, scores={"toxicity": 0.97})])
    toxic, insult = verdict.hits
    assert (toxic.rule_id, toxic.scores, toxic.evidence) == ("toxic", {"toxicity": 0.97}, ())
    assert "toxicity=0.97" in toxic.reason
    assert insult.clause_id == "no-personal-attacks"
    assert insult.category == "personal_attack"
    assert [s.text for s in insult.evidence] == ["@gary", "you", "IDIOT"]
    assert all(text[s.start : s.end] == s.text for s in insult.evidence)
    assert '"IDIOT"' in insult.reason
    assert verdict.categories == ("other", "personal_attack")


def test_model_id_selectors(make_rules: Make) -> None:
    rules = make_rules(
        """\
        rules:
          - id: detox
            description: d
            category: other
            clause: no-profanity
            action: flag
            match: {model: {label: toxicity, gte: 0.8, not_model_id: "alt-profanity-check*"}}
          - id: fallback
            description: f
            category: other
            clause: no-profanity
            action: flag
            match: {model: {label: toxicity, gte: 0.95, model_id: "alt-profanity-check*"}}
        """
    )
    item = CommentContext("x", scores={"toxicity": 0.9})
    assert [h.rule_id for h in rules.evaluate([item], model_id="detoxify-unbiased")[0].hits] == [
        "detox"
    ]
    assert rules.evaluate([item], model_id="alt-profanity-check-1.9.1")[0].hits == ()
    assert rules.unavailable_rules([], model_id="alt-profanity-check-1.9.1") == [
        ("fallback", ("toxicity",))
    ]


# A bare "^" (it matches every comment) is refused by the loader now; "^$" and "^a" keep the
# anchors-in-a-batch case covered.
@pytest.mark.parametrize("pattern", [r"\s+", r"^$", r"^a", "a\\s*$", "x|\\n"])
def test_regex_on_a_batch_equals_one_by_one(make_rules: Make, pattern: str) -> None:
    rules = make_rules(
        f"""\
        rules:
          - id: odd
            description: d
            category: other
            clause: no-profanity
            action: flag
            match: {{regex: '{pattern}'}}
        """
    )
    items = [CommentContext(t) for t in ["abc", "a", "a b", "", "xa", "abc a"] * 10]
    assert rules.evaluate(items) == [rules.evaluate([item])[0] for item in items]
