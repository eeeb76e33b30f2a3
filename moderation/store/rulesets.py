"""Rule-set versions and the pointer to the one in force.

Readers never take ``max(version)``: a version is saved (and becomes *pending*) before its
flags exist, and only ``switch`` makes it *active*, in the same transaction that moves every
undecided comment to the queue the new version suggests. Everything here takes a Connection
inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sqlalchemy import Connection, case, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from moderation.records import Status
from moderation.store.schema import comments, evaluations, flags, rule_set_pointer, rule_sets

if TYPE_CHECKING:  # the Store class imports this module's package
    from moderation.store import Store

_POINTER_ID = 1


class Pointer(NamedTuple):
    active: int | None
    pending: int | None


def read_pointer(conn: Connection, *, share: bool = False) -> Pointer:
    """(active, pending). ``share`` holds a shared lock on PostgreSQL to the end of the
    transaction, so a switch cannot commit between this read and the caller's writes (SQLite
    serialises writers anyway). A database from before the pointer: the newest version."""
    query = select(rule_set_pointer.c.active_version, rule_set_pointer.c.pending_version).where(
        rule_set_pointer.c.id == _POINTER_ID
    )
    if share:
        query = query.with_for_update(read=True)
    row = conn.execute(query).first()
    if row is None:
        return Pointer(conn.execute(select(func.max(rule_sets.c.version))).scalar(), None)
    return Pointer(row.active_version, row.pending_version)


def current_pointer(store: Store) -> Pointer:
    """(active, pending) read in one query: read apart, a background switch landing between
    the two reads shows neither the old nor the new state."""
    with store.engine.connect() as conn:
        return read_pointer(conn)


def active_version(store: Store) -> int | None:
    """The rule-set version in force: the pointer, not max(version) (a newer version is
    pending until its flags exist)."""
    return current_pointer(store).active


def lock_pointer(conn: Connection, now: datetime) -> Pointer:
    """Take the pointer's write lock for the rest of the transaction and read it. The first
    statement writes, so on SQLite the transaction holds the write lock before it reads."""
    touched = conn.execute(
        update(rule_set_pointer).where(rule_set_pointer.c.id == _POINTER_ID).values(updated_at=now)
    ).rowcount
    if not touched:
        legacy = conn.execute(select(func.max(rule_sets.c.version))).scalar()
        insert: Any = (
            postgresql.insert(rule_set_pointer)
            if conn.dialect.name == "postgresql"
            else sqlite.insert(rule_set_pointer)
        )
        conn.execute(
            insert.values(
                id=_POINTER_ID, active_version=legacy, pending_version=None, updated_at=now
            ).on_conflict_do_nothing()
        )
        conn.execute(
            update(rule_set_pointer)
            .where(rule_set_pointer.c.id == _POINTER_ID)
            .values(updated_at=now)
        )
    return read_pointer(conn)


def _set(conn: Connection, **values: int | None) -> None:
    conn.execute(
        update(rule_set_pointer).where(rule_set_pointer.c.id == _POINTER_ID).values(**values)
    )


def register(
    conn: Connection,
    *,
    content: str,
    content_hash: str,
    actor: str,
    note: str | None,
    now: datetime,
) -> tuple[int, bool]:
    """(version, created) for compiled rules ``content_hash``.

    The newest version asked for (pending, else active) with the same fingerprint is reused and
    keeps ``content`` as its text (a comment-only edit is no new version); otherwise a new
    version is recorded as pending. The very first version is active at once: there is no
    version whose flags it could replace."""
    pointer = lock_pointer(conn, now)
    current = pointer.pending if pointer.pending is not None else pointer.active
    if current is not None:
        row = conn.execute(
            select(rule_sets.c.content_hash, rule_sets.c.content).where(
                rule_sets.c.version == current
            )
        ).first()
        if row is not None and row.content_hash == content_hash:
            if row.content != content:
                conn.execute(
                    update(rule_sets).where(rule_sets.c.version == current).values(content=content)
                )
            return int(current), False
    version = int(
        conn.execute(
            rule_sets.insert()
            .values(
                content_hash=content_hash,
                content=content,
                created_by=actor,
                note=note,
                created_at=now,
            )
            .returning(rule_sets.c.version)
        ).scalar_one()
    )
    if pointer.active is None:
        _set(conn, active_version=version, pending_version=None)
    else:
        _set(conn, pending_version=version)
    return version, True


def missing_evaluations(conn: Connection, version: int) -> bool:
    """Whether some reader comment has not been evaluated under ``version`` at all."""
    evaluated = exists().where(
        evaluations.c.comment_id == comments.c.id,
        evaluations.c.rule_set_version == version,
    )
    return bool(
        conn.execute(select(exists().where(comments.c.kind == "comment", ~evaluated))).scalar()
    )


def switch(conn: Connection, version: int, now: datetime) -> int | None:
    """Make pending ``version`` active, moving every undecided comment to the status it
    suggests, in this one transaction. None (nothing changed) when ``version`` is no longer the
    pending one (a newer save superseded it) or some comment still lacks its evaluation."""
    pointer = lock_pointer(conn, now)
    if pointer.pending != version:
        return None
    if missing_evaluations(conn, version):
        return None
    suggested = (
        select(evaluations.c.status)
        .where(
            evaluations.c.comment_id == comments.c.id,
            evaluations.c.rule_set_version == version,
        )
        .scalar_subquery()
    )
    moved = conn.execute(
        update(comments)
        .where(
            comments.c.kind == "comment",
            comments.c.decided_by.is_(None),
            comments.c.status != suggested,
        )
        .values(status=suggested, version=comments.c.version + 1)
    ).rowcount
    _set(conn, active_version=version, pending_version=None)
    return int(moved)


def drop_pending(conn: Connection, version: int, now: datetime) -> bool:
    """Forget pending ``version`` (its flags stay, as history); True if it was pending."""
    pointer = lock_pointer(conn, now)
    if pointer.pending != version:
        return False
    _set(conn, pending_version=None)
    return True


def content_of(conn: Connection, version: int) -> str | None:
    return conn.execute(
        select(rule_sets.c.content).where(rule_sets.c.version == version)
    ).scalar_one_or_none()


class VersionInfo(NamedTuple):
    """One saved rule-set version, as the history lists it."""

    version: int
    created_at: datetime
    created_by: str | None
    note: str | None
    content_hash: str
    state: Literal["active", "pending", ""]


def history(conn: Connection) -> list[VersionInfo]:
    """Every version, newest first, with its state: active, pending or earlier ("")."""
    pointer = read_pointer(conn)
    rows = conn.execute(
        select(
            rule_sets.c.version,
            rule_sets.c.created_at,
            rule_sets.c.created_by,
            rule_sets.c.note,
            rule_sets.c.content_hash,
        ).order_by(rule_sets.c.version.desc())
    )
    return [
        VersionInfo(
            *row,
            state="active"
            if row.version == pointer.active
            else "pending"
            if row.version == pointer.pending
            else "",
        )
        for row in rows
    ]


class RuleStats(NamedTuple):
    """One rule's hits on stored comments, and how moderators ruled on the ones they decided."""

    hits: int = 0
    upheld: int = 0  # rejected by a moderator
    overturned: int = 0  # approved by a moderator


def rule_stats(conn: Connection, version: int) -> dict[str, RuleStats]:
    """Per rule of ``version`` that hit something: its RuleStats."""
    upheld = func.sum(case((comments.c.status == Status.REJECTED, 1), else_=0))
    overturned = func.sum(case((comments.c.status == Status.APPROVED, 1), else_=0))
    query = (
        select(flags.c.rule_id, func.count(), upheld, overturned)
        .join(comments, comments.c.id == flags.c.comment_id)
        .where(flags.c.rule_set_version == version)
        .group_by(flags.c.rule_id)
    )
    decided = query.where(comments.c.decided_by.is_not(None))
    hits = {r[0]: int(r[1]) for r in conn.execute(query)}
    rulings = {r[0]: (int(r[2] or 0), int(r[3] or 0)) for r in conn.execute(decided)}
    return {rule_id: RuleStats(n, *rulings.get(rule_id, (0, 0))) for rule_id, n in hits.items()}


def evaluated_count(conn: Connection, version: int) -> tuple[int, int]:
    """(reader comments evaluated under ``version``, reader comments): progress of a re-flag."""
    total = conn.execute(
        select(func.count()).select_from(comments).where(comments.c.kind == "comment")
    ).scalar_one()
    done = conn.execute(
        select(func.count())
        .select_from(evaluations)
        .where(evaluations.c.rule_set_version == version)
    ).scalar_one()
    return int(done), int(total)


__all__ = [
    "Pointer",
    "RuleStats",
    "VersionInfo",
    "active_version",
    "content_of",
    "current_pointer",
    "drop_pending",
    "evaluated_count",
    "history",
    "lock_pointer",
    "missing_evaluations",
    "read_pointer",
    "register",
    "rule_stats",
    "switch",
]
