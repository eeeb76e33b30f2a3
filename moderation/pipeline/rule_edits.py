"""Editors' work on the rules: impact preview, versions, history, rollback, calibration.

A draft rule set is never applied blind: ``preview`` evaluates it on every stored comment with
cached scores only (no model runs) and compares it with the flags the active version wrote.
Saving writes rules.yaml atomically and records a new *pending* version; rollback is itself a
new version. A pending version becomes active only when its re-flag has finished
(``reflag.apply_pending``, run by the background worker or any CLI run), so the queues never
show a version without its flags.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from moderation.errors import InvalidRequestError, NotFoundError
from moderation.pipeline.reflag import STATUS_OF_VERDICT, load_contexts
from moderation.pipeline.versions import ActiveRules, register_rule_set
from moderation.records import InForce, Status
from moderation.rules import RuleSet, Verdict, parse_rules, sandbox
from moderation.store import Store, rulesets
from moderation.store import articles as articles_store
from moderation.store import flags as flags_store
from moderation.store import scores as scores_store
from moderation.store.audit import record_event
from moderation.store.rulesets import RuleStats, VersionInfo

EXAMPLES_PER_KIND = 5
# The audit action of a rollback (itself a new version, audited as a save too).
ROLLBACK_ACTION = "rules.rollback"


@dataclass(frozen=True)
class Change:
    comment_id: str
    article_title: str
    author: str | None
    text: str
    before: tuple[str, ...]  # rule ids of the active version
    after: tuple[str, ...]  # rule ids of the draft


@dataclass
class Impact:
    """What the draft would change, compared with the active version's stored flags."""

    evaluated: int = 0
    flagged_before: int = 0
    flagged_after: int = 0
    newly_flagged: int = 0
    newly_cleared: int = 0
    changed: int = 0  # flagged by both, but a different category or action
    drift: int = 0  # stored flags gone stale since the last re-flag, not caused by the edit
    queue_moves: Counter[str] = field(default_factory=Counter)  # "pending -> unmoderated": n
    per_thread: dict[str, Counter[str]] = field(default_factory=dict)
    examples: dict[str, list[Change]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_changed(self) -> int:
        return self.newly_flagged + self.newly_cleared + self.changed


def parse_draft(text: str, rules_path: Path) -> RuleSet:
    """Validate a draft exactly as `moderation rules validate` does (RuleValidationError).
    Bounded in work and memory by the loader; drafts typed in the dashboard go through
    ``rules.sandbox.check_draft`` first (a separate process with a time and memory budget)."""
    return parse_rules(text, base_dir=rules_path.parent, name=str(rules_path))


def check_draft(text: str, rules_path: Path) -> RuleSet:
    """Validate a draft from the dashboard's editor: first in a separate process under a time
    and memory budget (rules/sandbox.py), then compiled here. RuleValidationError if invalid or
    over budget."""
    sandbox.check_draft(text, rules_path.parent, name=rules_path.name)
    return parse_draft(text, rules_path)


def preview(store: Store, draft: RuleSet, active: ActiveRules, *, model_id: str | None) -> Impact:
    """Evaluate ``draft`` on every stored comment (cached scores only) and compare it with the
    active version. The stored flags are the fast reference; where they disagree with the draft,
    the active rules are re-run on just those comments so that differences the edit did not
    cause (flags gone stale since the last re-flag, e.g. repeat offenders who were rejected
    since) are counted apart, as ``drift``, rather than blamed on the edit."""
    started = time.perf_counter()
    rows, contexts = load_contexts(store, model_id=model_id)
    # Which rules fire is all a preview needs: evidence spans are skipped.
    verdicts = draft.evaluate(contexts, model_id=model_id, evidence=False)
    with store.engine.connect() as conn:
        found = flags_store.signatures(conn, active.version)
        titles = articles_store.titles(conn)
    stored = {
        comment_id: tuple(sorted((category, action) for _, category, action in hits))
        for comment_id, hits in found.items()
    }
    suspects = [
        i
        for i, (row, verdict) in enumerate(zip(rows, verdicts, strict=True))
        if stored.get(row.id, ()) != _signature(verdict)
    ]
    current = active.ruleset.evaluate(
        [contexts[i] for i in suspects], model_id=model_id, evidence=False
    )
    impact = Impact(evaluated=len(rows))
    impact.flagged_before = sum(1 for row in rows if row.id in stored)
    impact.flagged_after = sum(1 for v in verdicts if v.flagged)
    for row, verdict in zip(rows, verdicts, strict=True):
        if not row.decided_by:
            after_status = STATUS_OF_VERDICT.get(verdict.status, Status.PENDING)
            if after_status != row.status:
                impact.queue_moves[f"{row.status} → {after_status}"] += 1
    for i, now in zip(suspects, current, strict=True):
        row, verdict = rows[i], verdicts[i]
        before, after = _signature(now), _signature(verdict)
        if before == after:
            impact.drift += 1
            continue
        if bool(before) != bool(after):
            kind = "newly flagged" if after else "newly cleared"
        else:
            kind = "changed"
        setattr(impact, kind.replace(" ", "_"), getattr(impact, kind.replace(" ", "_")) + 1)
        title = titles.get(row.article_id, "?")
        impact.per_thread.setdefault(title, Counter())[kind] += 1
        examples = impact.examples.setdefault(kind, [])
        if len(examples) < EXAMPLES_PER_KIND:
            examples.append(
                Change(
                    row.id,
                    title,
                    row.author,
                    row.text,
                    tuple(sorted(h.rule_id for h in now.hits)),
                    tuple(sorted(h.rule_id for h in verdict.hits)),
                )
            )
    impact.seconds = time.perf_counter() - started
    return impact


def _signature(verdict: Verdict) -> tuple[tuple[str, str], ...]:
    """What a moderator would see change: the (category, action) of each hit."""
    return tuple(sorted((h.category, h.action) for h in verdict.hits))


def write_rules_file(path: Path, content: str) -> None:
    """Atomic replace: a crash leaves the old file or the new one, never half of each."""
    fd, staged = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staged, path)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise


def save_version(
    store: Store,
    content: str,
    rules_path: Path,
    *,
    actor: str,
    message: str,
    model_id: str | None = None,
) -> ActiveRules:
    """Validate, write rules.yaml, record the version (author, message, time) and audit it.
    When the compiled rules changed this is a new pending version, which the caller applies
    (``reflag.apply_pending`` on the background worker); a change of comments or layout only
    keeps the version and updates its text."""
    ruleset = parse_draft(content, rules_path)
    write_rules_file(rules_path, content)
    version = register_rule_set(
        store, content, ruleset.content_hash, actor=actor, note=message, model_id=model_id
    )
    return ActiveRules(ruleset, version, content, base_dir=rules_path.parent)


def rollback(
    store: Store, version: int, rules_path: Path, *, actor: str, model_id: str | None = None
) -> ActiveRules:
    """Make an old version active again, as a new version (history only grows)."""
    content = version_content(store, version)
    active = save_version(
        store,
        content,
        rules_path,
        actor=actor,
        message=f"rollback to v{version}",
        model_id=model_id,
    )
    record_event(
        store,
        actor=actor,
        action=ROLLBACK_ACTION,
        target_type="rule_set",
        target_id=str(active.version),
        details={"to": version},
        in_force=InForce(active.version, model_id),
    )
    return active


def rollout(store: Store) -> tuple[int, int, int] | None:
    """(pending version, comments evaluated under it, reader comments) while a saved version
    is being applied; None when none is pending."""
    with store.engine.connect() as conn:
        pending = rulesets.read_pointer(conn).pending
        if pending is None:
            return None
        done, total = rulesets.evaluated_count(conn, pending)
    return pending, min(done, total), total


def versions(store: Store) -> list[VersionInfo]:
    """Every version, newest first, with ``state`` "active", "pending" or ""."""
    with store.engine.connect() as conn:
        return rulesets.history(conn)


def version_content(store: Store, version: int) -> str:
    with store.engine.connect() as conn:
        content = rulesets.content_of(conn, version)
    if content is None:
        raise NotFoundError("no such rule-set version", subject=f"v{version}")
    return str(content)


def diff(store: Store, old: int, new: int) -> str:
    """A unified diff of two versions' YAML."""
    return "".join(
        difflib.unified_diff(
            version_content(store, old).splitlines(keepends=True),
            version_content(store, new).splitlines(keepends=True),
            fromfile=f"v{old}",
            tofile=f"v{new}",
        )
    )


def rule_stats(store: Store, version: int) -> dict[str, RuleStats]:
    """Per rule of ``version``: hits on stored comments, and how moderators ruled on them."""
    with store.engine.connect() as conn:
        return rulesets.rule_stats(conn, version)


# -- calibration ----------------------------------------------------------------------------


def labelled_scores(store: Store, label: str, model_id: str) -> list[tuple[float, bool | None]]:
    """(score, moderators' ruling) per reader comment: True rejected, False approved, None
    undecided."""
    with store.engine.connect() as conn:
        return scores_store.labelled_scores(conn, label, model_id)


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    flagged: int
    precision: float | None
    recall: float | None


def calibration_curve(
    points: list[tuple[float, bool | None]], thresholds: list[float] | None = None
) -> list[CurvePoint]:
    """For each threshold: how many comments score at or above it, and precision / recall of
    "score >= threshold" against moderators' decisions (rejected = positive)."""
    thresholds = thresholds or [round(i / 100, 2) for i in range(101)]
    positives = sum(1 for _, r in points if r is True)
    curve = []
    for t in thresholds:
        flagged = tp = fp = 0
        for value, ruling in points:
            if value >= t:
                flagged += 1
                tp += ruling is True
                fp += ruling is False
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / positives if positives else None
        curve.append(CurvePoint(t, flagged, precision, recall))
    return curve


def set_threshold(content: str, rule_id: str, label: str, value: float) -> str:
    """The YAML with ``rule_id``'s threshold on ``label`` set to ``value``; comments and layout
    are kept, so the edit diffs cleanly and goes through preview and save like any other."""
    start = re.search(rf"^(\s*)- id:\s*{re.escape(rule_id)}\s*$", content, re.MULTILINE)
    if start is None:
        raise NotFoundError("no such rule in the YAML", subject=rule_id)
    following = re.compile(rf"^{start.group(1)}- id:", re.MULTILINE).search(content, start.end())
    end = following.start() if following else len(content)
    block = content[start.end() : end]
    number = f"{value:g}"
    patterns = (
        rf"(label:\s*{re.escape(label)}\b[^}}\n]*?\b(?:gte|gt|lte|lt):\s*)[0-9]*\.?[0-9]+",
        rf"(\b(?:gte|gt|lte|lt):\s*)[0-9]*\.?[0-9]+(?=[^}}\n]*label:\s*{re.escape(label)}\b)",
        rf"({re.escape(label)}\s*(?:>=|>|<=|<)\s*)[0-9]*\.?[0-9]+",
    )
    for pattern in patterns:
        edited, count = re.subn(pattern, rf"\g<1>{number}", block, count=1)
        if count:
            return content[: start.end()] + edited + content[end:]
    raise InvalidRequestError(f"rule has no threshold on {label!r}", subject=rule_id)
