"""Rule-set versions, compiled: the active one, a stored one, and rules.yaml registered.

A version saved from rules.yaml or the editor is *pending* until every reader comment has been
evaluated under it (``reflag.apply_pending``); readers keep using the active version, which is
complete. The pointer to both is read from the store, never ``max(version)``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from moderation.errors import RuleConfigError
from moderation.records import InForce
from moderation.rules import RuleSet, parse_rules
from moderation.rules.loader import read_rules_text
from moderation.store import Store
from moderation.store import rulesets as versions_store
from moderation.store.audit import record_event

log = logging.getLogger(__name__)

# The audit actions of rule-set versions.
SAVE_ACTION = "rules.save"


@dataclass(frozen=True)
class ActiveRules:
    """One rule-set version, compiled. From ``load_active_rules`` it is the active version."""

    ruleset: RuleSet
    version: int
    content: str
    # Set when rules.yaml on disk is invalid and the last good version stayed active.
    error: str | None = None
    # A newer version saved but not active yet: its re-flag has not finished.
    pending: int | None = None
    # Where its list files are (the rules folder), to compile other versions alike.
    base_dir: Path | None = None


def register_rule_set(
    store: Store,
    content: str,
    content_hash: str,
    *,
    actor: str,
    note: str | None = None,
    model_id: str | None = None,
) -> int:
    """The version of the compiled rules ``content_hash``: the newest one asked for when its
    rules are the same (its text becomes ``content``), else a new *pending* version (the first
    version ever is active at once). Audited when a version is created."""
    with store.transaction() as conn:
        version, created = versions_store.register(
            conn,
            content=content,
            content_hash=content_hash,
            actor=actor,
            note=note,
            now=datetime.now(UTC),
        )
    if created:
        record_event(
            store,
            actor=actor,
            action=SAVE_ACTION,
            target_type="rule_set",
            target_id=str(version),
            details={"note": note, "hash": content_hash},
            in_force=InForce(rule_set_version=version, model_id=model_id),
        )
    return version


def load_version(store: Store, version: int, rules_path: Path) -> ActiveRules:
    """A stored version, compiled (list files resolve in the rules folder)."""
    return _load(store, version, rules_path.parent)


def in_force(store: Store, rules: ActiveRules) -> ActiveRules:
    """``rules``, or the version that became active since they were loaded (a long ingest
    must not flag its comments under a version that is no longer in force)."""
    current = versions_store.active_version(store)
    if current is None or current == rules.version or rules.base_dir is None:
        return rules
    return _load(store, current, rules.base_dir)


def _load(store: Store, version: int, base_dir: Path) -> ActiveRules:
    with store.engine.connect() as conn:
        content = versions_store.content_of(conn, version)
        pointer = versions_store.read_pointer(conn)
    if content is None:
        raise RuleConfigError("no such rule-set version", subject=f"v{version}")
    ruleset = parse_rules(content, base_dir=base_dir, name=f"rule set v{version}")
    pending = pointer.pending if pointer.pending != version else None
    return ActiveRules(ruleset, version, content, pending=pending, base_dir=base_dir)


def load_active_rules(store: Store, rules_path: Path, *, actor: str = "rules.yaml") -> ActiveRules:
    """The active version, after registering rules.yaml on disk: when its compiled rules
    changed it becomes a pending version (``.pending``), applied by ``apply_pending``; when it
    is invalid the active version stays and the error is returned for display."""
    base_dir = rules_path.parent
    try:
        content = read_rules_text(rules_path)
        ruleset = parse_rules(content, base_dir=base_dir, name=str(rules_path))
    except RuleConfigError as exc:
        current = versions_store.active_version(store)
        if current is None:
            raise RuleConfigError(f"no valid rules: {exc}", subject=str(rules_path)) from exc
        log.error("rules.yaml is invalid; keeping rule set v%s active: %s", current, exc)
        return replace(load_version(store, current, rules_path), error=str(exc))
    version = register_rule_set(
        store, content, ruleset.content_hash, actor=actor, note=f"loaded from {rules_path}"
    )
    with store.transaction() as conn:
        pointer = versions_store.read_pointer(conn)
        # With nothing to evaluate (no comments yet) the switch is immediate; else it waits.
        now = datetime.now(UTC)
        if pointer.pending == version and versions_store.switch(conn, version, now) is not None:
            pointer = versions_store.read_pointer(conn)
    if pointer.active == version:
        return ActiveRules(ruleset, version, content, pending=pointer.pending, base_dir=base_dir)
    assert pointer.active is not None  # register() activates the first version
    return load_version(store, pointer.active, rules_path)


__all__ = [
    "SAVE_ACTION",
    "ActiveRules",
    "in_force",
    "load_active_rules",
    "load_version",
    "register_rule_set",
]
