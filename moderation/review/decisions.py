"""Moderators' decisions on comments: one (``decide``) or many at once (``decide_many``).

Every change of a comment's status is one transaction that (1) updates the comment only if its
``version`` is the one the moderator saw, (2) appends a decision row and (3) appends an audit row.
A moderator who loses a race gets a ConflictError naming who decided first; nothing is written.
Every moderator action (a decision, a bulk decision, a block, an unblock, an undo) is also one
``moderator_actions`` row: "Undo my last" follows that order, whatever the action's kind.

Every write runs through Store.write (retried when the database was locked, never on a
conflict) and takes the audit chain's lock first, so it cannot deadlock against another writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection

from moderation.errors import ConflictError, InvalidRequestError, NotFoundError
from moderation.records import ACTION_STATUS, Action, InForce
from moderation.review.words import comment_ref, said
from moderation.store import Store, audit
from moderation.store import decisions as decision_store

__all__ = ["BulkResult", "DecisionResult", "decide", "decide_in", "decide_many"]

_CHUNK = 200  # comments per transaction in bulk work: other writers get the lock in between


@dataclass(frozen=True)
class DecisionResult:
    comment_id: str
    action: Action
    status: str
    version: int


@dataclass
class BulkResult:
    done: int = 0
    conflicts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Why:
    """Who decides, why, and under which versions (shared by every comment of one action)."""

    moderator: str
    clause_id: str | None
    note: str | None
    in_force: InForce
    now: datetime
    action_id: int | None


def _checked(action: Action | str, clause_id: str | None, subject: str | None = None) -> Action:
    if action not in ACTION_STATUS:
        raise InvalidRequestError(f"unknown action {action!r}", subject=subject)
    if action == Action.REJECT and not clause_id:
        raise InvalidRequestError("a rejection needs a reason (a policy clause)", subject=subject)
    return Action(action)


def _decide(
    conn: Connection, comment_id: str, action: Action, expected_version: int, why: _Why
) -> DecisionResult:
    current = decision_store.comment_state(conn, comment_id)
    if current is None:
        raise NotFoundError("no such comment", subject=comment_id)
    status = ACTION_STATUS[action]
    if not decision_store.set_comment_status(
        conn,
        comment_id,
        expected_version=expected_version,
        status=status,
        decided_by=why.moderator,
        now=why.now,
    ):
        who = current.decided_by or "the rules"
        raise ConflictError(
            f"already {said(current.status)} by {who}; reload before deciding", subject=comment_id
        )
    decision_store.insert_decision(
        conn,
        comment_id=comment_id,
        action=action,
        clause_id=why.clause_id,
        note=why.note,
        moderator=why.moderator,
        previous_status=current.status,
        previous_decided_by=current.decided_by,
        resulting_version=expected_version + 1,
        rule_set_version=why.in_force.rule_set_version,
        model_id=why.in_force.model_id,
        created_at=why.now,
        action_id=why.action_id,
    )
    details = {"from": current.status, "to": status, "clause": why.clause_id, "note": why.note}
    audit.append(
        conn,
        actor=why.moderator,
        action=action,
        target_type="comment",
        target_id=comment_id,
        details={**details, **comment_ref(current)},
        in_force=why.in_force,
        at=why.now,
    )
    return DecisionResult(comment_id, action, status, expected_version + 1)


def decide_in(
    conn: Connection,
    targets: Sequence[tuple[str, int]],
    action: Action,
    *,
    moderator: str,
    clause_id: str | None,
    note: str | None,
    in_force: InForce,
    now: datetime,
    action_id: int,
) -> tuple[int, list[str]]:
    """Decide (comment id, version seen) pairs inside the caller's transaction, each in its own
    savepoint: (how many were decided, the ids somebody else changed first, left as they are)."""
    why = _Why(moderator, clause_id, note, in_force, now, action_id)
    done, conflicts = 0, []
    for comment_id, version in targets:
        try:
            with conn.begin_nested():
                _decide(conn, comment_id, action, version, why)
        except ConflictError:
            conflicts.append(comment_id)
        else:
            done += 1
    decision_store.add_to_count(conn, action_id, done)
    return done, conflicts


def decide(
    store: Store,
    comment_id: str,
    action: Action | str,
    *,
    moderator: str,
    expected_version: int,
    clause_id: str | None = None,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> DecisionResult:
    """One moderator's decision on one comment, if it is still as they saw it."""

    def work(conn: Connection) -> DecisionResult:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        action_id = decision_store.new_action(
            conn, moderator, action, "comment", comment_id, now, count=1
        )
        checked = _checked(action, clause_id, comment_id)
        why = _Why(moderator, clause_id, note, in_force, now, action_id)
        return _decide(conn, comment_id, checked, expected_version, why)

    return store.write(work)


def decide_many(
    store: Store,
    targets: Sequence[tuple[str, int]],
    action: Action | str,
    *,
    moderator: str,
    clause_id: str | None = None,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> BulkResult:
    """Bulk action over (comment id, version seen) pairs: one moderator action (one Undo), written
    a chunk at a time so other moderators' writes are not held up; comments another moderator
    changed meanwhile are skipped and listed, not overwritten."""
    if action == Action.REJECT and not clause_id:
        raise InvalidRequestError("a rejection needs a reason (a policy clause)")
    result = BulkResult()
    action_id: int | None = None
    for start in range(0, len(targets), _CHUNK):
        chunk = targets[start : start + _CHUNK]

        def work(
            conn: Connection,
            chunk: Sequence[tuple[str, int]] = chunk,
            known: int | None = action_id,
        ) -> tuple[int, int, list[str]]:
            audit.lock_chain(conn)
            now = datetime.now(UTC)
            own_id = known
            if own_id is None:
                own_id = decision_store.new_action(conn, moderator, action, "comments", None, now)
            checked = _checked(action, clause_id, chunk[0][0] if chunk else None)
            done, conflicts = decide_in(
                conn,
                chunk,
                checked,
                moderator=moderator,
                clause_id=clause_id,
                note=note,
                in_force=in_force,
                now=now,
                action_id=own_id,
            )
            return own_id, done, conflicts

        action_id, done, conflicts = store.write(work)
        result.done += done
        result.conflicts.extend(conflicts)
    if action_id is not None and result.done == 0:
        # Nothing was decided: leave no empty action for Undo to find.
        empty_id = action_id
        store.write(lambda conn: decision_store.delete_action(conn, empty_id))
    return result
