"""Threadwatch: parse, score, flag and review reader comment threads.

The public API, in the order the data flows (``parsing`` -> ``scoring`` -> ``rules`` ->
``store`` -> ``pipeline`` -> ``review``):

    from moderation import Store, build_scorer, ingest, load_rules, parse_file

``parse_file`` turns a file into Article records, ``build_scorer`` loads the toxicity model the
settings name, ``load_rules`` reads rules.yaml, ``Store`` opens a database and ``ingest`` runs the
whole pipeline over files (parse, store, score, flag). The errors and records are imported
eagerly; the functions on first use, so that ``import moderation`` (the CLI, a parse worker)
does not load SQLAlchemy, the rules engine or a model it does not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from moderation.errors import (
    ConfigError,
    ConflictError,
    InputTooLargeError,
    InvalidRequestError,
    ModerationError,
    NotFoundError,
    ParseError,
    RuleConfigError,
    ScoringError,
    StoreError,
)
from moderation.records import (
    Action,
    Article,
    AuthorStatus,
    Comment,
    InForce,
    Policy,
    PolicyClause,
    Queue,
    Status,
)

if TYPE_CHECKING:
    from moderation.parsing import parse_file
    from moderation.pipeline.ingest import ingest
    from moderation.rules import load_rules
    from moderation.scoring import build_scorer
    from moderation.store import Store

# name -> module that defines it, imported on first access (PEP 562).
_LAZY = {
    "parse_file": "moderation.parsing",
    "ingest": "moderation.pipeline.ingest",
    "load_rules": "moderation.rules",
    "build_scorer": "moderation.scoring",
    "Store": "moderation.store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'moderation' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


__all__ = [
    "Action",
    "Article",
    "AuthorStatus",
    "Comment",
    "ConfigError",
    "ConflictError",
    "InForce",
    "InputTooLargeError",
    "InvalidRequestError",
    "ModerationError",
    "NotFoundError",
    "ParseError",
    "Policy",
    "PolicyClause",
    "Queue",
    "RuleConfigError",
    "ScoringError",
    "Status",
    "Store",
    "StoreError",
    "build_scorer",
    "ingest",
    "load_rules",
    "parse_file",
]
