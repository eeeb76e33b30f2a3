"""Policy rules: rules.yaml -> compiled RuleSet -> verdicts with evidence spans.

>>> rules = load_rules(Path("rules.yaml"))
>>> [v.status for v in rules.evaluate([CommentContext("You are an idiot")])]
['flagged']
"""

from moderation.rules.engine import (
    CommentContext,
    Hit,
    RuleSet,
    Span,
    Verdict,
)
from moderation.rules.errors import Problem, RuleValidationError
from moderation.rules.loader import load_rules, parse_rules
from moderation.rules.normalize import Folded, fold, fold_with_offsets

__all__ = [
    "CommentContext",
    "Folded",
    "Hit",
    "Problem",
    "RuleSet",
    "RuleValidationError",
    "Span",
    "Verdict",
    "fold",
    "fold_with_offsets",
    "load_rules",
    "parse_rules",
]
