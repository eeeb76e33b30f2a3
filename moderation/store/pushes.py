"""Pushes of status changes to sites: one row per decision (its key is unique, so a decision is
never pushed twice), each attempt's outcome and the site's answer recorded on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from moderation.sites.records import (
    OPEN_PUSH_STATES,
    Push,
    PushKind,
    PushState,
    RemoteStatus,
    remote_status_for,
)
from moderation.store.schema import decisions
from moderation.store.schema_connect import remote_comments, site_pushes, sites


def _push(row: Any) -> Push:
    return Push(
        id=row.id,
        push_key=row.push_key,
        site_id=row.site_id,
        remote_id=row.remote_id,
        comment_id=row.comment_id,
        decision_id=row.decision_id,
        kind=PushKind(row.kind),
        target_status=RemoteStatus(row.target_status),
        state=PushState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        answer=row.answer,
        conflict=row.conflict,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def decision_key(decision_id: int) -> str:
    return f"decision:{decision_id}"


def premoderation_key(site_id: int, remote_id: int) -> str:
    return f"premoderation:{site_id}:{remote_id}"


def plan_decision_pushes(conn: Connection, site_id: int, reject_as: str, now: datetime) -> int:
    """A push row for each comment of the site whose latest decision has none yet; an older
    push of the same comment still open is superseded (the site gets the latest decision
    only). Returns how many rows were added."""
    latest = (
        select(decisions.c.comment_id, func.max(decisions.c.id).label("decision_id"))
        .group_by(decisions.c.comment_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            decisions.c.id,
            decisions.c.action,
            decisions.c.comment_id,
            remote_comments.c.remote_id,
        )
        .join(latest, latest.c.decision_id == decisions.c.id)
        .join(remote_comments, remote_comments.c.comment_id == decisions.c.comment_id)
        .where(remote_comments.c.site_id == site_id)
        .where(decisions.c.undone_at.is_(None))
        .where(
            ~select(site_pushes.c.id).where(site_pushes.c.decision_id == decisions.c.id).exists()
        )
    ).all()
    added = 0
    for row in rows:
        target = remote_status_for(row.action, reject_as)
        if target is None:
            continue
        conn.execute(
            update(site_pushes)
            .where(site_pushes.c.comment_id == row.comment_id)
            .where(site_pushes.c.state.in_(OPEN_PUSH_STATES))
            .values(state=PushState.SUPERSEDED, updated_at=now)
        )
        _insert_pending(
            conn,
            push_key=decision_key(row.id),
            site_id=site_id,
            remote_id=row.remote_id,
            comment_id=row.comment_id,
            decision_id=row.id,
            kind=PushKind.DECISION,
            target_status=target,
            now=now,
        )
        added += 1
    return added


def _insert_pending(
    conn: Connection,
    *,
    push_key: str,
    site_id: int,
    remote_id: int,
    comment_id: str,
    decision_id: int | None,
    kind: PushKind,
    target_status: str,
    now: datetime,
) -> None:
    """A new push, not tried yet."""
    conn.execute(
        site_pushes.insert().values(
            push_key=push_key,
            site_id=site_id,
            remote_id=remote_id,
            comment_id=comment_id,
            decision_id=decision_id,
            kind=kind,
            target_status=target_status,
            state=PushState.PENDING,
            attempts=0,
            created_at=now,
            updated_at=now,
        )
    )


def plan_premoderation(
    conn: Connection, site_id: int, targets: Sequence[tuple[int, str]], now: datetime
) -> int:
    """An approval push for each (remote id, comment id) pair not planned before."""
    added = 0
    for remote_id, comment_id in targets:
        key = premoderation_key(site_id, remote_id)
        if conn.execute(select(site_pushes.c.id).where(site_pushes.c.push_key == key)).first():
            continue
        _insert_pending(
            conn,
            push_key=key,
            site_id=site_id,
            remote_id=remote_id,
            comment_id=comment_id,
            decision_id=None,
            kind=PushKind.PREMODERATION,
            target_status=RemoteStatus.APPROVED,
            now=now,
        )
        added += 1
    return added


def due_pushes(conn: Connection, site_id: int, now: datetime) -> list[Push]:
    """Open pushes whose time has come, oldest first."""
    rows = conn.execute(
        select(site_pushes)
        .where(site_pushes.c.site_id == site_id)
        .where(site_pushes.c.state.in_(OPEN_PUSH_STATES))
        .where(or_(site_pushes.c.next_attempt_at.is_(None), site_pushes.c.next_attempt_at <= now))
        .order_by(site_pushes.c.id)
    )
    return [_push(r) for r in rows]


def begin_attempt(conn: Connection, push_id: int, now: datetime) -> bool:
    """Mark an attempt as begun (before anything is sent: a run killed mid-request leaves
    SENDING, and the next one asks the site whether it landed). False when the push was
    superseded or finished meanwhile."""
    return (
        conn.execute(
            update(site_pushes)
            .where(site_pushes.c.id == push_id)
            .where(site_pushes.c.state.in_(OPEN_PUSH_STATES))
            .values(state=PushState.SENDING, attempts=site_pushes.c.attempts + 1, updated_at=now)
        ).rowcount
        == 1
    )


def finish(
    conn: Connection,
    push_id: int,
    state: PushState,
    now: datetime,
    *,
    answer: dict[str, Any] | None = None,
    conflict: dict[str, Any] | None = None,
    error: str | None = None,
    next_attempt_at: datetime | None = None,
) -> None:
    conn.execute(
        update(site_pushes)
        .where(site_pushes.c.id == push_id)
        .where(site_pushes.c.state == PushState.SENDING)
        .values(
            state=state,
            answer=answer,
            conflict=conflict,
            last_error=error,
            next_attempt_at=next_attempt_at,
            updated_at=now,
        )
    )


def pushes_of_comment(conn: Connection, comment_id: str) -> list[Push]:
    rows = conn.execute(
        select(site_pushes).where(site_pushes.c.comment_id == comment_id).order_by(site_pushes.c.id)
    )
    return [_push(r) for r in rows]


@dataclass(frozen=True, slots=True)
class LatestPush:
    """A comment's latest push and the name of the site it went to."""

    push: Push
    site_name: str


def latest_push_of_comment(conn: Connection, comment_id: str) -> LatestPush | None:
    row = conn.execute(
        select(site_pushes, sites.c.name.label("site_name"))
        .join(sites, sites.c.id == site_pushes.c.site_id)
        .where(site_pushes.c.comment_id == comment_id)
        .order_by(site_pushes.c.id.desc())
        .limit(1)
    ).first()
    return LatestPush(_push(row), row.site_name) if row is not None else None
