"""Threadwatch: parse, score, flag and review reader comment threads."""

from moderation.errors import (
    ConfigError,
    ConflictError,
    InputTooLargeError,
    ModerationError,
    ParseError,
    RuleConfigError,
    ScoringError,
    StoreError,
)
from moderation.records import Article, Comment, Policy, PolicyClause

__all__ = [
    "Article",
    "Comment",
    "ConfigError",
    "ConflictError",
    "InputTooLargeError",
    "ModerationError",
    "ParseError",
    "Policy",
    "PolicyClause",
    "RuleConfigError",
    "ScoringError",
    "StoreError",
]
