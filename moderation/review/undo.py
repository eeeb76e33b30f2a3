"""Undo: a moderator reverts exactly their most recent action (a decision, a bulk decision, a
block with the rejections it made, an unblock), all of it or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from moderation.errors import ConflictError, InvalidRequestError
from moderation.records import Action, AuthorStatus, InForce
from moderation.review.words import DOING, DONE, comment_ref, comment_words, said
from moderation.store import Store, audit
from moderation.store import decisions as decision_store
from moderation.store.decisions import AuthorChange, DecidedComment, ModeratorAction

__all__ = ["LastAction", "UndoResult", "last_action", "undo_last"]


@dataclass(frozen=True)
class UndoResult:
    undid: str  # the action undone (records.Action)
    description: str  # what was undone, in words ("rejecting comment #4 by Fred in “…”")
    status: str | None  # the status put back (of the comment, or the author)
    count: int  # comments put back
    comment_id: str | None = None


@dataclass(frozen=True)
class LastAction:
    description: str  # in words: "blocking Fred", "rejecting comment #4 by Fred in “…”"
    undoable: bool  # False when it is an undo (only the most recent action can be undone)


@dataclass(frozen=True)
class _Target:
    """What one moderator action changed, and how to say it."""

    description: str
    change: AuthorChange | None
    decided: list[DecidedComment]


def _describe(
    action: ModeratorAction, change: AuthorChange | None, decided: Sequence[DecidedComment]
) -> str:
    verb = DOING.get(action.action, str(action.action))
    if change is not None:
        if change.status == AuthorStatus.SUSPENDED and change.until is not None:
            until = change.until.strftime("%Y-%m-%d %H:%M UTC")
            words = f"suspending {change.name} until {until}"
        else:
            words = f"{verb} {change.name}"
        if decided:
            plural = "comment" if len(decided) == 1 else "comments"
            words += f" and rejecting {len(decided)} pending {plural}"
        return words
    if action.target_type == "comment" and decided:
        d = decided[0]
        return f"{verb} {comment_words(d.position, d.author, d.title)}"
    count = len(decided)
    return f"{verb} {count} {'comment' if count == 1 else 'comments'} at once"


def _target(conn: Connection, action: ModeratorAction) -> _Target:
    change = decision_store.author_change_of(conn, action.id)
    decided = decision_store.decided_by_action(conn, action.id)
    return _Target(_describe(action, change, decided), change, decided)


def _undone_words(conn: Connection, undo: ModeratorAction) -> str:
    """What an undo action undid, in words."""
    undone = decision_store.action_by_id(conn, undo.undoes)
    return _target(conn, undone).description if undone else "your last action"


def last_action(store: Store, moderator: str) -> LastAction | None:
    """What "Undo my last" would undo; None when the moderator has done nothing yet. After an
    undo, the action it undid, marked not undoable."""
    with store.engine.connect() as conn:
        action = decision_store.last_action(conn, moderator)
        if action is None:
            return None
        if action.action == Action.UNDO:
            return LastAction(_undone_words(conn, action), undoable=False)
        return LastAction(_target(conn, action).description, undoable=True)


def _undoable(conn: Connection, moderator: str) -> tuple[ModeratorAction, _Target]:
    """The moderator's last action and what it changed, if nobody changed that since."""
    action = decision_store.last_action(conn, moderator)
    if action is None:
        raise InvalidRequestError("nothing to undo: you have not decided or blocked anything yet")
    if action.action == Action.UNDO:
        raise InvalidRequestError(
            f"nothing to undo: your last action, {_undone_words(conn, action)}, is already undone "
            "(Undo reverts only your most recent action)"
        )
    target = _target(conn, action)
    if target.change is not None:
        later = decision_store.later_author_change(conn, target.change)
        if later is not None:
            raise ConflictError(
                f"cannot undo {target.description}: {later.moderator} "
                f"{DONE.get(later.action, later.action)} {target.change.name} since"
            )
    moved = [d for d in target.decided if d.current_version != d.resulting_version]
    if moved:
        first = moved[0]
        some = "the comment" if len(target.decided) == 1 else f"{len(moved)} of the comments"
        raise ConflictError(
            f"cannot undo {target.description}: {some} changed after your decision "
            f"(now {said(first.current_status)} by {first.current_by or 'the rules'})"
        )
    return action, target


def _restore_author(
    conn: Connection,
    change: AuthorChange,
    *,
    undid: str,
    undo_id: int,
    moderator: str,
    in_force: InForce,
    now: datetime,
) -> str:
    decision_store.change_author(
        conn,
        change.author_id,
        action_id=undo_id,
        previous=(change.status, change.until),
        status=change.previous_status,
        until=change.previous_until,
        now=now,
    )
    audit.append(
        conn,
        actor=moderator,
        action=Action.UNDO,
        target_type="author",
        target_id=change.name,
        details={"undid": undid, "from": change.status, "to": change.previous_status},
        in_force=in_force,
        at=now,
    )
    return change.previous_status


def _restore_comment(
    conn: Connection,
    d: DecidedComment,
    *,
    description: str,
    moderator: str,
    in_force: InForce,
    now: datetime,
) -> None:
    if not decision_store.set_comment_status(
        conn,
        d.comment_id,
        expected_version=d.resulting_version,
        status=d.previous_status,
        decided_by=d.previous_decided_by,
        now=now,
    ):  # cannot happen under the chain lock; never undo half
        raise ConflictError(f"cannot undo {description}: a comment changed meanwhile")
    decision_store.mark_decision_undone(conn, d.id, now)
    audit.append(
        conn,
        actor=moderator,
        action=Action.UNDO,
        target_type="comment",
        target_id=d.comment_id,
        details={
            "undid": d.action,
            "from": d.current_status,
            "to": d.previous_status,
            **comment_ref(d),
        },
        in_force=in_force,
        at=now,
    )


def undo_last(store: Store, *, moderator: str, in_force: InForce = InForce()) -> UndoResult:
    """Undo exactly ``moderator``'s most recent action, whatever its kind (a decision, a bulk
    decision, a block with the rejections it made, an unblock), all of it or nothing: when
    anybody changed what it touched since, say so and write nothing. Only the most recent
    action can be undone: a second Undo explains what it would undo and why it cannot."""

    def work(conn: Connection) -> UndoResult:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        action, target = _undoable(conn, moderator)
        change, decided, description = target.change, target.decided, target.description
        undo_id = decision_store.new_action(
            conn,
            moderator,
            Action.UNDO,
            action.target_type,
            action.target_id,
            now,
            count=len(decided),
            undoes=action.id,
        )
        restored: str | None = None
        if change is not None:
            restored = _restore_author(
                conn,
                change,
                undid=action.action,
                undo_id=undo_id,
                moderator=moderator,
                in_force=in_force,
                now=now,
            )
        for d in decided:
            _restore_comment(
                conn, d, description=description, moderator=moderator, in_force=in_force, now=now
            )
            if change is None:
                restored = d.previous_status
        decision_store.mark_action_undone(conn, action.id, now)
        single = decided[0].comment_id if len(decided) == 1 and change is None else None
        return UndoResult(action.action, description, restored, len(decided), single)

    return store.write(work)
