"""Blocking and suspending authors (and lifting it), citing the policy clause that allows it;
a block may also reject the pending comments the moderator was shown, as one action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection

from moderation.errors import InvalidRequestError
from moderation.records import BLOCK_CLAUSE, Action, AuthorStatus, InForce
from moderation.review.decisions import decide_in
from moderation.review.reading import reads
from moderation.store import Store, audit
from moderation.store import decisions as decision_store
from moderation.store.authors import effective_status

__all__ = [
    "BlockResult",
    "block_author",
    "pending_of_author",
    "set_author_status",
    "unblock_author",
]


@dataclass(frozen=True)
class BlockResult:
    author: str
    status: AuthorStatus
    until: datetime | None
    rejected: int = 0
    conflicts: list[str] = field(default_factory=list)


# (comment id, version) of the author's comments waiting in Pending, for the block dialog's
# "also reject them" (the moderator confirms this very list).
pending_of_author = reads(decision_store.pending_of_author)


def _block_details(
    until: datetime | None, note: str | None, reject_clause: str | None, rejecting: int
) -> dict[str, Any]:
    details: dict[str, Any] = {"clause": BLOCK_CLAUSE, "note": note}
    if until is not None:
        details["until"] = until.astimezone(UTC).isoformat(timespec="seconds")
    if rejecting:
        details["reject_clause"] = reject_clause
        details["rejecting"] = rejecting
    return details


def _restrict(
    conn: Connection, author: str, until: datetime | None, moderator: str, now: datetime
) -> tuple[int, AuthorStatus]:
    """Block (or suspend until ``until``) the author: (the new action's id, the new status)."""
    if until is not None and until <= now:
        raise InvalidRequestError("a suspension must end in the future", subject=author)
    row = decision_store.author_state(conn, author)
    status = AuthorStatus.SUSPENDED if until else AuthorStatus.BLOCKED
    if effective_status(row.status, row.suspended_until, now) == status and (
        status == AuthorStatus.BLOCKED or row.suspended_until == until
    ):
        raise InvalidRequestError(f"{author} is already {status}")
    action_id = decision_store.new_action(conn, moderator, Action.BLOCK, "author", author, now)
    decision_store.change_author(
        conn,
        row.id,
        action_id=action_id,
        previous=(row.status, row.suspended_until),
        status=status,
        until=until,
        now=now,
    )
    return action_id, status


def block_author(
    store: Store,
    author: str,
    *,
    moderator: str,
    until: datetime | None = None,
    note: str | None = None,
    reject_clause: str | None = None,
    reject: Sequence[tuple[str, int]] = (),
    in_force: InForce = InForce(),
) -> BlockResult:
    """Block ``author`` (suspend them when ``until`` is given), citing the policy clause that
    allows it; optionally reject the pending comments the moderator was shown, ``reject``
    as (id, version) pairs, for ``reject_clause``. One action: one Undo reverts all of it."""
    if reject and not reject_clause:
        raise InvalidRequestError("rejecting their comments needs a reason (a policy clause)")

    def work(conn: Connection) -> BlockResult:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        action_id, status = _restrict(conn, author, until, moderator, now)
        audit.append(
            conn,
            actor=moderator,
            action=Action.BLOCK,
            target_type="author",
            target_id=author,
            details=_block_details(until, note, reject_clause, len(reject)),
            in_force=in_force,
            at=now,
        )
        rejected, conflicts = decide_in(
            conn,
            reject,
            Action.REJECT,
            moderator=moderator,
            clause_id=reject_clause,
            note=note,
            in_force=in_force,
            now=now,
            action_id=action_id,
        )
        return BlockResult(author, status, until, rejected, conflicts)

    return store.write(work)


def unblock_author(
    store: Store,
    author: str,
    *,
    moderator: str,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> None:
    """Lift a block or a suspension (the author's comments then follow the rules again)."""

    def work(conn: Connection) -> None:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        row = decision_store.author_state(conn, author)
        if effective_status(row.status, row.suspended_until, now) == AuthorStatus.ACTIVE:
            raise InvalidRequestError(f"{author} is not blocked")
        action_id = decision_store.new_action(
            conn, moderator, Action.UNBLOCK, "author", author, now
        )
        decision_store.change_author(
            conn,
            row.id,
            action_id=action_id,
            previous=(row.status, row.suspended_until),
            status=AuthorStatus.ACTIVE,
            until=None,
            now=now,
        )
        audit.append(
            conn,
            actor=moderator,
            action=Action.UNBLOCK,
            target_type="author",
            target_id=author,
            details={"note": note},
            in_force=in_force,
            at=now,
        )

    store.write(work)


def set_author_status(
    store: Store,
    author: str,
    status: Literal[AuthorStatus.ACTIVE, AuthorStatus.BLOCKED] | Literal["active", "blocked"],
    *,
    moderator: str,
    clause_id: str | None = BLOCK_CLAUSE,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> None:
    """Block (or unblock) an author; blocking cites the policy clause that allows it."""
    if status == AuthorStatus.BLOCKED:
        block_author(store, author, moderator=moderator, note=note, in_force=in_force)
    else:
        unblock_author(store, author, moderator=moderator, note=note, in_force=in_force)
