"""Rules meet the store: rule-set versions, and (re-)flagging stored comments.

Flags and evaluations are written per rule-set version, so an old version's flags stay as they
were (history, rollback) while a new version's are computed. A new version is *pending* until
every reader comment has been evaluated under it; then ``apply_pending`` switches the pointer
and moves the undecided comments to their new queues in one transaction. Until then every
reader (queues, cards, stats) keeps using the active version, which is complete.

Which comments need evaluating is read from the database (see store/work.py), never from what a
run remembers, so any run (ingest, score, reflag, dashboard start) finishes what an interrupted
one left. Only comments without a human decision change status: the rules suggest, moderators
decide.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import ColumnElement, Connection, and_, func, select, update

from moderation import faults
from moderation.errors import RuleConfigError, StoreError
from moderation.review import InForce, record_event
from moderation.rules import CommentContext, RuleSet, Verdict, parse_rules
from moderation.rules.loader import read_rules_text
from moderation.store import Store
from moderation.store import rulesets as versions_store
from moderation.store.authors import restricted_names
from moderation.store.schema import comments, evaluations, flags
from moderation.store.work import current_evaluation

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
_SWITCH_ATTEMPTS = 5  # comments stored while a re-flag runs are evaluated, then it tries again

Progress = Callable[[int, int], None]


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


@dataclass
class ReflagReport:
    evaluated: int = 0
    flagged: int = 0
    status_changed: int = 0
    kept_human: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    undecided_rules: set[str] = field(default_factory=set)
    activated: int | None = None  # the version this run made active, if any

    def summary(self) -> str:
        line = (
            f"{self.evaluated} comments evaluated, {self.flagged} flagged, "
            f"{self.status_changed} changed queue, {self.kept_human} human decisions kept"
        )
        if self.activated is not None:
            line += f"; rule set v{self.activated} is active"
        return line

    def add(self, other: ReflagReport) -> None:
        self.evaluated += other.evaluated
        self.flagged += other.flagged
        self.status_changed += other.status_changed
        self.kept_human += other.kept_human
        self.by_status.update(other.by_status)
        self.undecided_rules |= other.undecided_rules
        self.activated = other.activated if other.activated is not None else self.activated


# -- versions -----------------------------------------------------------------------------------


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
            action="rules.save",
            target_type="rule_set",
            target_id=str(version),
            details={"note": note, "hash": content_hash},
            in_force=InForce(rule_set_version=version, model_id=model_id),
        )
    return version


def active_version(store: Store) -> int | None:
    """The rule-set version in force (the pointer, never ``max(version)``)."""
    with store.engine.connect() as conn:
        return versions_store.read_pointer(conn).active


def pending_version(store: Store) -> int | None:
    return pointer(store).pending


def pointer(store: Store) -> versions_store.Pointer:
    """(active, pending) read in one query: read apart, a background switch landing between
    the two reads shows neither the old nor the new state."""
    with store.engine.connect() as conn:
        return versions_store.read_pointer(conn)


def load_version(store: Store, version: int, rules_path: Path) -> ActiveRules:
    """A stored version, compiled (list files resolve in the rules folder)."""
    return _load(store, version, rules_path.parent)


def in_force(store: Store, rules: ActiveRules) -> ActiveRules:
    """``rules``, or the version that became active since they were loaded (a long ingest
    must not flag its comments under a version that is no longer in force)."""
    current = active_version(store)
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
        current = active_version(store)
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


# -- evaluating stored comments -----------------------------------------------------------------


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
    prior: Counter[str] | None = None,
    where: ColumnElement[bool] | None = None,
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
    if where is not None:
        query = query.where(where)
    with store.engine.connect() as conn:
        # Plain named tuples: SQLAlchemy Rows (and dicts or mappings) are slow to read field by
        # field, and an impact preview reads 100,000 of them several times.
        rows = list(map(StoredComment._make, conn.execute(query)))
        if prior is None:
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


def _evaluate(
    store: Store,
    rules: ActiveRules,
    rows: list[StoredComment],
    contexts: list[CommentContext],
    *,
    model_id: str | None,
    report: ReflagReport,
    progress: Progress | None,
    done: int = 0,
    total: int | None = None,
) -> int:
    """Evaluate ``rows`` under ``rules`` in batches, each batch one transaction (flags,
    evaluations and, for the active version, statuses). Returns how many were done."""
    total = len(rows) if total is None else total
    size = faults.batch_size(_BATCH)
    for start in range(0, len(rows), size):
        chunk_rows, chunk = rows[start : start + size], contexts[start : start + size]
        verdicts = rules.ruleset.evaluate(chunk, model_id=model_id)
        # Which texts had scores: an evaluation without them is done again once they exist.
        scored = {r.text_hash for r, c in zip(chunk_rows, chunk, strict=True) if c.scores}
        _write_batch(store, rules.version, model_id, chunk_rows, verdicts, scored, report)
        done += len(chunk_rows)
        faults.checkpoint("flag")
        if progress:
            progress(min(done, total), total)
    return done


def _write_batch(
    store: Store,
    version: int,
    model_id: str | None,
    rows: list[StoredComment],
    verdicts: list[Verdict],
    scored: set[str],
    report: ReflagReport,
) -> None:
    # Two workers on one version (the dashboard's and a CLI run) may race on a batch: the
    # loser's insert hits the primary key; its rows were written by the winner, so a second
    # attempt only rewrites them the same way.
    for attempt in (1, 2):
        partial = ReflagReport()
        try:
            with store.transaction() as conn:
                _write(conn, version, model_id, rows, verdicts, partial, datetime.now(UTC), scored)
        except StoreError:
            if attempt == 2:
                raise
            continue
        report.add(partial)
        return


def flag_missing(
    store: Store,
    rules: ActiveRules,
    *,
    model_id: str | None,
    progress: Progress | None = None,
) -> ReflagReport:
    """Evaluate the reader comments that have no current evaluation under ``rules.version``
    (new, changed, killed mid-run, evaluated before their scores existed), and nothing else."""
    report = ReflagReport()
    done = 0
    seen: set[str] = set()
    while True:  # comments stored meanwhile are picked up by the next round
        rows, contexts = load_contexts(
            store, model_id=model_id, where=~current_evaluation(rules.version, model_id)
        )
        fresh = [i for i, row in enumerate(rows) if row.id not in seen]
        if not fresh:
            break
        seen.update(rows[i].id for i in fresh)
        done = _evaluate(
            store,
            rules,
            [rows[i] for i in fresh],
            [contexts[i] for i in fresh],
            model_id=model_id,
            report=report,
            progress=progress,
            done=done,
            total=done + len(fresh),
        )
    return report


def reflag(
    store: Store,
    active: ActiveRules,
    *,
    model_id: str | None,
    article_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> ReflagReport:
    """Evaluate every stored reader comment (or those of ``article_ids``) under ``active``
    again with cached scores only (never runs a model): this version's flags and evaluations
    are rewritten, and undecided comments move to the queue their verdict suggests. When the
    version is the pending one, it becomes active once every comment is evaluated."""
    rows, contexts = load_contexts(store, model_id=model_id, article_ids=article_ids)
    report = ReflagReport()
    _evaluate(store, active, rows, contexts, model_id=model_id, report=report, progress=progress)
    if pending_version(store) == active.version:
        report.add(_finish(store, active, model_id=model_id, progress=progress))
    return report


def _finish(
    store: Store, rules: ActiveRules, *, model_id: str | None, progress: Progress | None
) -> ReflagReport:
    """Evaluate what ``rules`` (the pending version) still lacks, then make it active."""
    report = ReflagReport()
    for _ in range(_SWITCH_ATTEMPTS):
        report.add(flag_missing(store, rules, model_id=model_id, progress=progress))
        faults.checkpoint("switch")
        with store.transaction() as conn:
            moved = versions_store.switch(conn, rules.version, datetime.now(UTC))
            pointer = versions_store.read_pointer(conn)
        if moved is not None:
            report.status_changed += moved
            report.activated = rules.version
            record_event(
                store,
                actor="threadwatch",
                action="rules.activate",
                target_type="rule_set",
                target_id=str(rules.version),
                details={"moved": moved, "evaluated": report.evaluated},
                in_force=InForce(rule_set_version=rules.version, model_id=model_id),
            )
            return report
        if pointer.pending != rules.version:
            log.info("rule set v%s was superseded by v%s", rules.version, pointer.pending)
            return report
    raise StoreError(
        f"rule set v{rules.version} could not be made active: comments kept arriving while it "
        "was applied; the next run finishes it"
    )


def apply_pending(
    store: Store,
    rules_path: Path,
    *,
    model_id: str | None,
    progress: Progress | None = None,
) -> ReflagReport | None:
    """Finish a pending version (a save or an edit of rules.yaml whose re-flag has not run,
    or was interrupted): evaluate the comments it lacks, then switch to it atomically. None
    when nothing is pending."""
    version = pending_version(store)
    if version is None:
        return None
    rules = load_version(store, version, rules_path)
    return _finish(store, rules, model_id=model_id, progress=progress)


def complete(
    store: Store,
    rules_path: Path,
    *,
    model_id: str | None,
    progress: Progress | None = None,
) -> ReflagReport:
    """Everything a rule-set version still lacks: the active version's evaluations of new or
    unfinished comments, then a pending version, which becomes active."""
    report = ReflagReport()
    current = active_version(store)
    if current is not None:
        active = load_version(store, current, rules_path)
        report.add(flag_missing(store, active, model_id=model_id, progress=progress))
    finished = apply_pending(store, rules_path, model_id=model_id, progress=progress)
    if finished is not None:
        report.add(finished)
    return report


def _write(
    conn: Connection,
    version: int,
    model_id: str | None,
    rows: list[StoredComment],
    verdicts: list[Verdict],
    report: ReflagReport,
    now: datetime,
    scored: set[str] | None = None,
) -> None:
    ids = [r.id for r in rows]
    # Writing first takes SQLite's write lock before the pointer is read below.
    conn.execute(
        flags.delete().where(and_(flags.c.rule_set_version == version, flags.c.comment_id.in_(ids)))
    )
    conn.execute(
        evaluations.delete().where(
            and_(evaluations.c.rule_set_version == version, evaluations.c.comment_id.in_(ids))
        )
    )
    # Statuses follow the active version only; a pending one records what it suggests, and
    # the switch applies it. Shared lock: a switch cannot commit in between (PostgreSQL).
    is_active = versions_store.read_pointer(conn, share=True).active == version
    flag_rows = []
    evaluation_rows = []
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
        status = STATUS_OF_VERDICT.get(verdict.status, "pending")
        if row.author in blocked and status in ("unmoderated", "approved"):
            status = "pending"  # a blocked author's comments wait for a moderator
        evaluation_rows.append(
            {
                "comment_id": row.id,
                "rule_set_version": version,
                "model_id": model_id if scored is None or row.text_hash in scored else None,
                "status": status,
                "evaluated_at": now,
            }
        )
        if row.decided_by:
            report.kept_human += 1
            report.by_status[row.status] += 1
            continue
        report.by_status[status] += 1
        if status != row.status and is_active:
            moves.setdefault(status, []).append(row.id)
    if flag_rows:
        conn.execute(flags.insert(), flag_rows)
    if evaluation_rows:
        conn.execute(evaluations.insert(), evaluation_rows)
    for status, moved in moves.items():
        report.status_changed += len(moved)
        # decided_by IS NULL again here: a moderator deciding meanwhile wins over the rules.
        conn.execute(
            update(comments)
            .where(comments.c.id.in_(moved), comments.c.decided_by.is_(None))
            .values(status=status, version=comments.c.version + 1)
        )
