"""The persistent job queue: background work (re-flags, scoring backfills, training, finishing
interrupted work) as rows that any process can claim, so a job outlives the process that queued
it and the one that ran it.

A job row says what to do (``kind`` + ``payload``: everything a worker in another process needs)
and how far it got. Claiming: one transaction picks the oldest claimable row and marks it
``running`` with a lease. On PostgreSQL the pick is ``FOR UPDATE SKIP LOCKED``, so concurrent
workers never pick the same row and never wait on each other; on SQLite the write transaction
(``BEGIN IMMEDIATE``) serialises claims. A worker that stops renewing its lease (killed) leaves
the row ``running`` with a lease in the past: claimable again, and the work resumes from what the
database holds (every job's steps are idempotent).

Jobs of the ordered kinds (re-flags and what also applies rule-set versions) run one at a time
in queue order: a younger one is not claimed while an older one is unfinished, so v2's re-flag
can never land after v3's.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    Row,
    String,
    Table,
    Text,
    and_,
    case,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from moderation.store.database import inserted_id
from moderation.store.schema import metadata

JobState = Literal["queued", "running", "done", "failed"]
UNFINISHED: tuple[JobState, ...] = ("queued", "running")
# Kinds that apply rule-set versions (or whatever is pending): one at a time, in queue order.
# An import applies a pending version too, as `moderation ingest` does.
ORDERED_KINDS = ("reflag", "finish-interrupted", "score", "import")
DEFAULT_MAX_ATTEMPTS = 3
# Finished jobs kept for the dashboard's list and for `moderation worker` logs to be read
# against; a finished job that found nothing to do (no result) goes sooner.
KEEP_FINISHED = timedelta(days=30)
KEEP_EMPTY = timedelta(hours=1)
ERROR_CHARS = 500

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),  # see moderation/pipeline/job_kinds.py
    Column("name", String(255), nullable=False),  # what the dashboard lists
    Column("dedupe_key", String(255)),  # an unfinished job of one key is queued once
    Column("payload", JSON, nullable=False),
    Column("state", String(16), nullable=False),  # JobState
    Column("attempts", Integer, nullable=False),  # claims so far (a lost worker's included)
    Column("max_attempts", Integer, nullable=False),
    Column("progress_done", Integer, nullable=False),
    Column("progress_total", Integer, nullable=False),
    Column("result", Text),  # one line; NULL on a done job: it found nothing to do
    Column("error", Text),  # the last failure, one line
    Column("claimed_by", String(255)),  # worker id: host:pid:uuid
    Column("lease_until", DateTime(timezone=True)),  # running and not renewed by then: lost
    Column("heartbeat_at", DateTime(timezone=True)),
    Column("not_before", DateTime(timezone=True), nullable=False),  # retry backoff
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),  # of the latest attempt
    Column("finished_at", DateTime(timezone=True)),
    Index("ix_jobs_state_id", "state", "id"),
)
# The dedupe rule held by the database itself: two servers queueing one key at once cannot both
# insert (the loser reads the winner's row).
Index(
    "ux_jobs_unfinished_key",
    jobs.c.dedupe_key,
    unique=True,
    sqlite_where=jobs.c.state.in_(UNFINISHED),
    postgresql_where=jobs.c.state.in_(UNFINISHED),
)


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone; every one we store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)


def new_worker_id() -> str:
    """host:pid:uuid: which machine and process holds a job, unique across restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class Job:
    """One job as stored (a snapshot: read again for later states)."""

    id: int
    kind: str
    name: str
    key: str | None
    payload: Mapping[str, Any]
    state: JobState
    attempts: int
    max_attempts: int
    done: int
    total: int
    result: str | None
    error: str | None
    claimed_by: str | None
    lease_until: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def fraction(self) -> float:
        if self.state == "done":
            return 1.0
        return min(self.done / self.total, 1.0) if self.total else 0.0

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def _job(row: Row[Any]) -> Job:
    created = utc(row.created_at)
    assert created is not None
    return Job(
        id=row.id,
        kind=row.kind,
        name=row.name,
        key=row.dedupe_key,
        payload=row.payload or {},
        state=row.state,
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        done=row.progress_done,
        total=row.progress_total,
        result=row.result,
        error=row.error,
        claimed_by=row.claimed_by,
        lease_until=utc(row.lease_until),
        created_at=created,
        started_at=utc(row.started_at),
        finished_at=utc(row.finished_at),
    )


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    return (lines[0] if lines else "")[:ERROR_CHARS]


def get(conn: Connection, job_id: int) -> Job | None:
    row = conn.execute(select(jobs).where(jobs.c.id == job_id)).one_or_none()
    return _job(row) if row is not None else None


def _unfinished_with_key(conn: Connection, key: str) -> Job | None:
    row = conn.execute(
        select(jobs).where(jobs.c.dedupe_key == key, jobs.c.state.in_(UNFINISHED))
    ).first()
    return _job(row) if row is not None else None


def enqueue(
    conn: Connection,
    kind: str,
    name: str,
    payload: Mapping[str, Any],
    *,
    key: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    at: datetime | None = None,
) -> Job:
    """Queue a job; with ``key``, the unfinished job of that key instead when there is one."""
    at = at or now()
    if key is not None:
        existing = _unfinished_with_key(conn, key)
        if existing is not None:
            return existing
    _prune(conn, at)
    values = {
        "kind": kind,
        "name": name,
        "dedupe_key": key,
        "payload": dict(payload),
        "state": "queued",
        "attempts": 0,
        "max_attempts": max_attempts,
        "progress_done": 0,
        "progress_total": 0,
        "not_before": at,
        "created_at": at,
    }
    try:
        # A savepoint: on PostgreSQL a failed insert would otherwise abort the transaction.
        with conn.begin_nested():
            job_id = inserted_id(conn.execute(jobs.insert().values(**values)))
    except IntegrityError:
        # Another process queued the same key between our look and our insert.
        existing = _unfinished_with_key(conn, key) if key is not None else None
        if existing is None:
            raise
        return existing
    found = get(conn, job_id)
    assert found is not None
    return found


def _prune(conn: Connection, at: datetime) -> None:
    conn.execute(
        delete(jobs).where(
            jobs.c.state.in_(("done", "failed")),
            or_(
                jobs.c.finished_at < at - KEEP_FINISHED,
                and_(jobs.c.result.is_(None), jobs.c.finished_at < at - KEEP_EMPTY),
            ),
        )
    )


def _claimable(at: datetime) -> Any:
    older = jobs.alias("older")
    blocked = and_(
        jobs.c.kind.in_(ORDERED_KINDS),
        exists(
            select(older.c.id).where(
                older.c.kind.in_(ORDERED_KINDS),
                older.c.id < jobs.c.id,
                older.c.state.in_(UNFINISHED),
            )
        ),
    )
    ready = or_(
        and_(jobs.c.state == "queued", jobs.c.not_before <= at),
        and_(jobs.c.state == "running", jobs.c.lease_until < at),  # its worker is gone
    )
    return and_(ready, ~blocked)


def claim(
    conn: Connection,
    worker_id: str,
    *,
    lease: timedelta,
    kinds: Sequence[str] | None = None,
    at: datetime | None = None,
) -> Job | None:
    """Take the oldest claimable job (queued and due, or running with an expired lease) for
    ``worker_id``, marked running with a lease until ``at + lease``; None when there is none.
    Run it in a write transaction (Store.write): on SQLite that serialises claims. A lost job
    that has used up its attempts is marked failed here instead of being run again."""
    at = at or now()
    while True:
        query = select(jobs.c.id, jobs.c.state, jobs.c.attempts, jobs.c.max_attempts).where(
            _claimable(at)
        )
        if kinds is not None:
            query = query.where(jobs.c.kind.in_(kinds))
        # SQLite ignores FOR UPDATE: its BEGIN IMMEDIATE already holds the write lock.
        picked = conn.execute(
            query.order_by(jobs.c.id).limit(1).with_for_update(skip_locked=True, of=jobs)
        ).first()
        if picked is None:
            return None
        if picked.state == "running" and picked.attempts >= picked.max_attempts:
            conn.execute(
                update(jobs)
                .where(jobs.c.id == picked.id)
                .values(
                    state="failed",
                    error=f"its worker stopped without finishing it {picked.attempts} times",
                    claimed_by=None,
                    lease_until=None,
                    finished_at=at,
                )
            )
            continue
        conn.execute(
            update(jobs)
            .where(jobs.c.id == picked.id)
            .values(
                state="running",
                attempts=jobs.c.attempts + 1,
                claimed_by=worker_id,
                lease_until=at + lease,
                heartbeat_at=at,
                started_at=at,
            )
        )
        claimed = get(conn, picked.id)
        assert claimed is not None
        return claimed


def _mine(job_id: int, worker_id: str) -> Any:
    return and_(jobs.c.id == job_id, jobs.c.claimed_by == worker_id, jobs.c.state == "running")


def heartbeat(
    conn: Connection,
    job_id: int,
    worker_id: str,
    *,
    lease: timedelta,
    progress: tuple[int, int] | None = None,
    at: datetime | None = None,
) -> bool:
    """Renew the lease (and store progress); False when the job is no longer this worker's
    (its lease expired and another worker took it)."""
    at = at or now()
    values: dict[str, Any] = {"lease_until": at + lease, "heartbeat_at": at}
    if progress is not None:
        values["progress_done"], values["progress_total"] = progress
    return conn.execute(update(jobs).where(_mine(job_id, worker_id)).values(**values)).rowcount > 0


def finish(
    conn: Connection, job_id: int, worker_id: str, result: str | None, *, at: datetime | None = None
) -> bool:
    """Mark the job done; False when it was no longer this worker's."""
    values = {
        "state": "done",
        "result": one_line(result) if result is not None else None,
        "error": None,
        "lease_until": None,
        "finished_at": at or now(),
    }
    return conn.execute(update(jobs).where(_mine(job_id, worker_id)).values(**values)).rowcount > 0


def fail(
    conn: Connection,
    job_id: int,
    worker_id: str,
    error: str,
    *,
    retry_after: timedelta,
    permanent: bool = False,
    at: datetime | None = None,
) -> Job | None:
    """Record a failed attempt: queued again after ``retry_after`` while attempts are left,
    else (or when ``permanent``: no retry can help) failed for good. The job as it is now;
    None when it was no longer this worker's."""
    at = at or now()
    current = get(conn, job_id)
    if current is None or current.claimed_by != worker_id or current.state != "running":
        return None
    values: dict[str, Any] = {"error": one_line(error), "claimed_by": None, "lease_until": None}
    if permanent or current.attempts >= current.max_attempts:
        values.update(state="failed", finished_at=at)
    else:
        values.update(state="queued", not_before=at + retry_after)
    conn.execute(update(jobs).where(_mine(job_id, worker_id)).values(**values))
    return get(conn, job_id)


def release(conn: Connection, job_id: int, worker_id: str) -> bool:
    """Give a running job back unfinished (its worker is shutting down): queued at once, and the
    interrupted attempt does not count."""
    values = {
        "state": "queued",
        "claimed_by": None,
        "lease_until": None,
        "attempts": case((jobs.c.attempts > 0, jobs.c.attempts - 1), else_=0),
        "not_before": now(),
    }
    return conn.execute(update(jobs).where(_mine(job_id, worker_id)).values(**values)).rowcount > 0


def recent(conn: Connection, *, limit: int = 20) -> list[Job]:
    """Jobs newest first, unfinished ones and the latest finished ones."""
    rows = conn.execute(select(jobs).order_by(jobs.c.id.desc()).limit(limit))
    return [_job(r) for r in rows]


def unfinished(conn: Connection) -> int:
    """How many jobs are queued or running (any worker's)."""
    return int(
        conn.execute(
            select(func.count()).select_from(jobs).where(jobs.c.state.in_(UNFINISHED))
        ).scalar_one()
    )
