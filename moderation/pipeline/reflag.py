"""(Re-)flagging stored comments under a rule-set version, and switching a pending one in.

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

import gc
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection

from moderation.errors import StoreError
from moderation.pipeline import faults
from moderation.pipeline.versions import ActiveRules, load_version
from moderation.records import InForce, Status, Suggestion
from moderation.rules import CommentContext, Verdict
from moderation.store import Store
from moderation.store import flags as flags_store
from moderation.store import rulesets as versions_store
from moderation.store.audit import record_event
from moderation.store.authors import restricted_names
from moderation.store.flags import EvaluationRow, FlagRow, StoredComment

log = logging.getLogger(__name__)

# The engine's suggested statuses -> the queues' statuses.
STATUS_OF_VERDICT: dict[str, Status] = {
    Suggestion.FLAGGED: Status.PENDING,
    Suggestion.HELD: Status.PENDING,
    Suggestion.REJECTED: Status.REJECTED,
    Suggestion.APPROVED: Status.APPROVED,
    Suggestion.UNMODERATED: Status.UNMODERATED,
}
# The audit action of a pending version made active.
ACTIVATE_ACTION = "rules.activate"
_BATCH = 10_000  # comments per transaction: per-batch costs (commit, lookups) vanish at this size
_SWITCH_ATTEMPTS = 5  # comments stored while a re-flag runs are evaluated, then it tries again

Progress = Callable[[int, int], None]


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


# -- evaluating stored comments -----------------------------------------------------------------


def load_contexts(
    store: Store,
    *,
    model_id: str | None,
    article_ids: Sequence[str] | None = None,
    prior: Counter[str] | None = None,
    unevaluated_under: int | None = None,
) -> tuple[list[StoredComment], list[CommentContext]]:
    """Stored reader comments (of ``article_ids``; only those without a current evaluation
    under version ``unevaluated_under``) with their cached scores, ready for RuleSet.evaluate."""
    unevaluated = None if unevaluated_under is None else (unevaluated_under, model_id)
    with store.engine.connect() as conn:
        rows = flags_store.stored_comments(conn, article_ids=article_ids, unevaluated=unevaluated)
        if prior is None:
            prior = flags_store.prior_rejections(conn)
    cached = store.get_many(model_id, [r.text_hash for r in rows]) if model_id else {}
    contexts = []
    for row in rows:
        own = 1 if row.status == Status.REJECTED and row.decided_by else 0
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


@contextmanager
def _loaded_frozen() -> Iterator[None]:
    """Keep what is loaded now (a million comments and their contexts) out of the cyclic garbage
    collector's passes until the batches are written: they live until then, and every full
    collection re-traversed them for nothing (a fifth of a million-comment re-flag). New objects
    are still collected; gc.unfreeze hands the loaded ones back to it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
    # In id order: a batch then writes one stretch of each index keyed by comment id
    # (evaluations, flags, comments) instead of a page in every part of it. Unsorted, at a
    # million comments every batch dirtied nearly every leaf page of those indexes.
    order = sorted(range(len(rows)), key=lambda i: rows[i].id)
    rows, contexts = [rows[i] for i in order], [contexts[i] for i in order]
    with _loaded_frozen():
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
        rows, contexts = load_contexts(store, model_id=model_id, unevaluated_under=rules.version)
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
    if versions_store.current_pointer(store).pending == active.version:
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
                action=ACTIVATE_ACTION,
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
    version = versions_store.current_pointer(store).pending
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
    current = versions_store.active_version(store)
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
    # Writing first takes SQLite's write lock before the pointer is read below.
    flags_store.clear(conn, version, [r.id for r in rows])
    # Statuses follow the active version only; a pending one records what it suggests, and
    # the switch applies it. Shared lock: a switch cannot commit in between (PostgreSQL).
    is_active = versions_store.read_pointer(conn, share=True).active == version
    blocked = restricted_names(conn, (r.author for r in rows), now)
    hits: list[FlagRow] = []
    evaluated: list[EvaluationRow] = []
    moves: dict[Status, list[str]] = {}
    for row, verdict in zip(rows, verdicts, strict=True):
        report.evaluated += 1
        report.undecided_rules.update(verdict.undecided)
        report.flagged += verdict.flagged
        hits.extend(_flag_rows(row.id, verdict))
        status = _suggested(verdict, blocked=row.author in blocked)
        seen = model_id if scored is None or row.text_hash in scored else None
        evaluated.append(EvaluationRow(row.id, seen, status))
        if row.decided_by:
            report.kept_human += 1
            report.by_status[row.status] += 1
            continue
        report.by_status[status] += 1
        if status != row.status and is_active:
            moves.setdefault(status, []).append(row.id)
    flags_store.write(conn, version, model_id, hits, evaluated, now)
    for status, moved in moves.items():
        report.status_changed += len(moved)
        flags_store.move_undecided(conn, status, moved)


def _suggested(verdict: Verdict, *, blocked: bool) -> Status:
    status = STATUS_OF_VERDICT.get(verdict.status, Status.PENDING)
    if blocked and status in (Status.UNMODERATED, Status.APPROVED):
        return Status.PENDING  # a blocked author's comments wait for a moderator
    return status


def _flag_rows(comment_id: str, verdict: Verdict) -> list[FlagRow]:
    return [
        FlagRow(
            comment_id=comment_id,
            rule_id=hit.rule_id,
            category=hit.category,
            clause_id=hit.clause_id,
            action=hit.action,
            severity=hit.severity,
            evidence=[{"start": s.start, "end": s.end, "text": s.text} for s in hit.evidence],
            scores=dict(hit.scores),
        )
        for hit in verdict.hits
    ]


__all__ = [
    "ACTIVATE_ACTION",
    "STATUS_OF_VERDICT",
    "ReflagReport",
    "apply_pending",
    "complete",
    "flag_missing",
    "load_contexts",
    "reflag",
]
