"""Rules meet the store: rule-set versions, and (re-)flagging stored comments.

Flags are written per rule-set version, so an old version's flags stay as they were (history,
rollback) while the new version's are computed. Only comments without a human decision change
status: the rules suggest, moderators decide.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, and_, func, select, update

from moderation.errors import RuleConfigError
from moderation.review import InForce, record_event
from moderation.rules import CommentContext, RuleSet, Verdict, parse_rules
from moderation.store import Store
from moderation.store.authors import restricted_names
from moderation.store.schema import comments, flags, rule_sets

log = logging.getLogger(__name__)

# The engine's suggested statuses -> the queues' statuses.
STATUS_OF_VERDICT = {
    "flagged": "pending",
    "held": "pending",
    "rejected": "rejected",
    "approved": "approved",
    "unmoderated": "unmoderated",
}
_BATCH = 2000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ActiveRules:
    ruleset: RuleSet
    version: int
    content: str
    # Set when rules.yaml on disk is invalid and the last good version stayed active.
    error: str | None = None


@dataclass
class ReflagReport:
    evaluated: int = 0
    flagged: int = 0
    status_changed: int = 0
    kept_human: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    undecided_rules: set[str] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"{self.evaluated} comments evaluated, {self.flagged} flagged, "
            f"{self.status_changed} changed queue, {self.kept_human} human decisions kept"
        )


def register_rule_set(
    store: Store,
    content: str,
    content_hash: str,
    *,
    actor: str,
    note: str | None = None,
    model_id: str | None = None,
) -> int:
    """The version number of ``content``: the latest one if unchanged, else a new version."""
    with store.transaction() as conn:
        latest = conn.execute(
            select(rule_sets.c.version, rule_sets.c.content_hash)
            .order_by(rule_sets.c.version.desc())
            .limit(1)
        ).first()
        if latest is not None and latest.content_hash == content_hash:
            return int(latest.version)
        version = conn.execute(
            rule_sets.insert()
            .values(
                content_hash=content_hash,
                content=content,
                created_by=actor,
                note=note,
                created_at=datetime.now(UTC),
            )
            .returning(rule_sets.c.version)
        ).scalar_one()
    record_event(
        store,
        actor=actor,
        action="rules.save",
        target_type="rule_set",
        target_id=str(version),
        details={"note": note, "hash": content_hash},
        in_force=InForce(rule_set_version=version, model_id=model_id),
    )
    return int(version)


def latest_rule_set(store: Store) -> tuple[int, str] | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(rule_sets.c.version, rule_sets.c.content)
            .order_by(rule_sets.c.version.desc())
            .limit(1)
        ).first()
    return (int(row.version), row.content) if row else None


def load_version(store: Store, version: int, rules_path: Path) -> ActiveRules:
    """A stored version, compiled (list files resolve next to rules.yaml)."""
    with store.engine.connect() as conn:
        content = conn.execute(
            select(rule_sets.c.content).where(rule_sets.c.version == version)
        ).scalar_one()
    return ActiveRules(parse_rules(content, base_dir=rules_path.parent), version, content)


def load_active_rules(store: Store, rules_path: Path, *, actor: str = "rules.yaml") -> ActiveRules:
    """rules.yaml on disk becomes the active version when valid and changed; when it is invalid
    the last good version stays active and the error is returned for display."""
    base_dir = rules_path.parent
    try:
        content = rules_path.read_text(encoding="utf-8")
        ruleset = parse_rules(content, base_dir=base_dir, name=str(rules_path))
    except (OSError, RuleConfigError) as exc:
        previous = latest_rule_set(store)
        if previous is None:
            raise RuleConfigError(f"no valid rules: {exc}", subject=str(rules_path)) from exc
        version, old = previous
        log.error("rules.yaml is invalid; keeping rule set v%s active: %s", version, exc)
        return ActiveRules(parse_rules(old, base_dir=base_dir), version, old, error=str(exc))
    version = register_rule_set(
        store, content, ruleset.content_hash, actor=actor, note=f"loaded from {rules_path}"
    )
    return ActiveRules(ruleset, version, content)


def _prior_rejections(conn: Connection) -> Counter[str]:
    rows = conn.execute(
        select(comments.c.author, func.count())
        .where(comments.c.status == "rejected", comments.c.decided_by.is_not(None))
        .group_by(comments.c.author)
    ).all()
    return Counter({author: count for author, count in rows if author})


class StoredComment(NamedTuple):
    """The columns of a stored reader comment that evaluating rules needs."""

    id: str
    article_id: str
    text: str
    text_hash: str
    author: str | None
    status: str
    decided_by: str | None
    parent_author: str | None


def load_contexts(
    store: Store,
    *,
    model_id: str | None,
    comment_ids: Sequence[str] | None = None,
    article_ids: Sequence[str] | None = None,
) -> tuple[list[StoredComment], list[CommentContext]]:
    """Stored reader comments with their cached scores, ready for RuleSet.evaluate."""
    parent = comments.alias("parent")
    query = (
        select(
            comments.c.id,
            comments.c.article_id,
            comments.c.text,
            comments.c.text_hash,
            comments.c.author,
            comments.c.status,
            comments.c.decided_by,
            parent.c.author.label("parent_author"),
        )
        .join(parent, parent.c.id == comments.c.parent_id, isouter=True)
        # No ORDER BY: each comment is evaluated on its own, and sorting 100,000 rows by their
        # text primary key costs a preview about a third of a second.
        .where(comments.c.kind == "comment")
    )
    if comment_ids is not None:
        query = query.where(comments.c.id.in_(list(comment_ids)))
    if article_ids is not None:
        query = query.where(comments.c.article_id.in_(list(article_ids)))
    with store.engine.connect() as conn:
        # Plain named tuples: SQLAlchemy Rows (and dicts or mappings) are slow to read field by
        # field, and an impact preview reads 100,000 of them several times.
        rows = list(map(StoredComment._make, conn.execute(query)))
        prior = _prior_rejections(conn)
    cached = store.get_many(model_id, [r.text_hash for r in rows]) if model_id else {}
    contexts = []
    for row in rows:
        own = 1 if row.status == "rejected" and row.decided_by else 0
        contexts.append(
            CommentContext(
                text=row.text,
                author=row.author,
                parent_author=row.parent_author,
                scores=cached.get(row.text_hash, {}),
                prior_rejections=prior.get(row.author or "", 0) - own,
                human_status=row.status if row.decided_by else None,
            )
        )
    return rows, contexts


def reflag(
    store: Store,
    active: ActiveRules,
    *,
    model_id: str | None,
    article_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ReflagReport:
    """Evaluate stored comments with cached scores only (never runs a model), write this
    version's flags and move undecided comments to the queue their verdict suggests."""
    rows, contexts = load_contexts(store, model_id=model_id, article_ids=article_ids)
    report = ReflagReport()
    now = datetime.now(UTC)
    total = len(rows)
    for start in range(0, total, _BATCH):
        chunk_rows = rows[start : start + _BATCH]
        verdicts = active.ruleset.evaluate(contexts[start : start + _BATCH], model_id=model_id)
        with store.transaction() as conn:
            _write(conn, active.version, model_id, chunk_rows, verdicts, report, now)
        if progress:
            progress(min(start + _BATCH, total), total)
    return report


def _write(
    conn: Connection,
    version: int,
    model_id: str | None,
    rows: list[StoredComment],
    verdicts: list[Verdict],
    report: ReflagReport,
    now: datetime,
) -> None:
    ids = [r.id for r in rows]
    conn.execute(
        flags.delete().where(and_(flags.c.rule_set_version == version, flags.c.comment_id.in_(ids)))
    )
    flag_rows = []
    moves: dict[str, list[str]] = {}
    blocked = restricted_names(conn, (r.author for r in rows), now)
    for row, verdict in zip(rows, verdicts, strict=True):
        report.evaluated += 1
        report.undecided_rules.update(verdict.undecided)
        if verdict.flagged:
            report.flagged += 1
        for hit in verdict.hits:
            flag_rows.append(
                {
                    "comment_id": row.id,
                    "rule_set_version": version,
                    "rule_id": hit.rule_id,
                    "category": hit.category,
                    "clause_id": hit.clause_id,
                    "action": hit.action,
                    "severity": hit.severity,
                    "model_id": model_id,
                    "created_at": now,
                    "evidence": [
                        {"start": s.start, "end": s.end, "text": s.text} for s in hit.evidence
                    ],
                    "scores": dict(hit.scores),
                }
            )
        if row.decided_by:
            report.kept_human += 1
            report.by_status[row.status] += 1
            continue
        status = STATUS_OF_VERDICT.get(verdict.status, "pending")
        if row.author in blocked and status in ("unmoderated", "approved"):
            status = "pending"  # a blocked author's comments wait for a moderator
        report.by_status[status] += 1
        if status != row.status:
            moves.setdefault(status, []).append(row.id)
    if flag_rows:
        conn.execute(flags.insert(), flag_rows)
    for status, moved in moves.items():
        report.status_changed += len(moved)
        # decided_by IS NULL again here: a moderator deciding meanwhile wins over the rules.
        conn.execute(
            update(comments)
            .where(comments.c.id.in_(moved), comments.c.decided_by.is_(None))
            .values(status=status, version=comments.c.version + 1)
        )
