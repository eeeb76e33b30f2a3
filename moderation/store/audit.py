"""The audit log as a hash chain: appending entries, verifying the chain, reading entries out.

Each entry stores its position ``seq``, the hash of the entry before it (``prev_hash``) and its
own hash over its content and ``prev_hash``. The triggers of store/database.py refuse edits; the
chain finds the edits that got past them (a dropped trigger, a superuser with triggers disabled,
a restored backup): `moderation audit verify` walks it and reports the first broken link.
Appends lock the one-row chain head first, so concurrent writers queue instead of forking it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select, update

from moderation.errors import StoreError
from moderation.records import InForce
from moderation.store import Store
from moderation.store.database import GENESIS_HASH
from moderation.store.schema import audit_head, audit_log

_READ_CHUNK = 1000


def _utc_text(at: datetime) -> str:
    # SQLite hands timestamps back without a zone (they are stored in UTC), PostgreSQL in the
    # session's zone: the same instant must hash the same on both.
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


# An entry's content: what its hash covers besides its position and the previous hash (and,
# with the entry's id, what the Audit page shows).
CONTENT_COLUMNS = (
    "at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "details",
    "rule_set_version",
    "model_id",
)


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: Any,
    rule_set_version: int | None,
    model_id: str | None,
) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the entry's content."""
    payload = json.dumps(
        [
            seq,
            _utc_text(at),
            actor,
            action,
            target_type,
            target_id,
            details,
            rule_set_version,
            model_id,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    data = f"{prev_hash}\n{payload}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def _lock_head(conn: Connection) -> Any:
    head = conn.execute(
        select(audit_head.c.seq, audit_head.c.row_hash)
        .where(audit_head.c.id == 1)
        .with_for_update()  # PostgreSQL: writers queue here; SQLite: BEGIN IMMEDIATE did it
    ).first()
    if head is None:
        raise StoreError("the audit chain's head row is missing; run `moderation audit verify`")
    return head


def lock_chain(conn: Connection) -> None:
    """Take the chain's lock at the start of a transaction that will append: taken first, it
    cannot deadlock against the comment rows the same transaction updates."""
    _lock_head(conn)


def append(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: dict[str, Any],
    in_force: InForce,
) -> int:
    """Append one entry in the caller's transaction; returns its position in the chain."""
    rule_set_version, model_id = in_force.rule_set_version, in_force.model_id
    head = _lock_head(conn)
    # Stored as JSON and read back as JSON: hash exactly what a reader will get back.
    details = json.loads(json.dumps(details, default=str))
    seq = int(head.seq) + 1
    content: dict[str, Any] = {
        "at": at,
        "actor": actor,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "details": details,
        "rule_set_version": rule_set_version,
        "model_id": model_id,
    }
    row_hash = entry_hash(head.row_hash, seq=seq, **content)
    conn.execute(
        audit_log.insert().values(**content, seq=seq, prev_hash=head.row_hash, row_hash=row_hash)
    )
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=seq, row_hash=row_hash))
    return seq


def record_event(
    store: Store,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: dict[str, Any],
    in_force: InForce = InForce(),
) -> None:
    """Append an audit entry, in a transaction of its own, for a change that is not a comment
    decision (rule-set versions, imports, learned models)."""

    def work(conn: Connection) -> None:
        lock_chain(conn)
        append(
            conn,
            at=datetime.now(UTC),
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            details=details,
            in_force=in_force,
        )

    store.write(work)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    head_seq: int | None
    broken_at: int | None = None  # the chain position (seq) of the first broken link
    reason: str | None = None

    def summary(self) -> str:
        if self.ok:
            return f"audit log intact: {self.rows} entries, chain head at entry {self.head_seq}"
        return f"audit log broken at entry {self.broken_at}: {self.reason}"


def _iter_rows(conn: Connection) -> Iterator[Any]:
    last_id = 0
    while True:
        chunk = conn.execute(
            select(audit_log)
            .where(audit_log.c.id > last_id)
            .order_by(audit_log.c.id)
            .limit(_READ_CHUNK)
        ).all()
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1].id


def verify_chain(store: Store) -> ChainReport:
    """Walk the whole log in order and check every link; stops at the first broken one."""
    with store.engine.connect() as conn:
        head = conn.execute(
            select(audit_head.c.seq, audit_head.c.row_hash).where(audit_head.c.id == 1)
        ).first()
        expected_seq, prev_hash, rows = 1, GENESIS_HASH, 0
        for row in _iter_rows(conn):
            rows += 1
            broken = _broken_link(row, expected_seq, prev_hash)
            if broken is not None:
                return ChainReport(False, rows, head.seq if head else None, *broken)
            expected_seq, prev_hash = row.seq + 1, row.row_hash
    last = expected_seq - 1
    if head is None:
        return ChainReport(False, rows, None, last + 1, "the chain's head row is missing")
    if head.seq != last or head.row_hash != prev_hash:
        if head.seq > last:
            reason = f"entries {last + 1}–{head.seq} are missing (the end of the log was cut)"
        else:
            reason = "the chain's head does not match the last entry"
        return ChainReport(False, rows, head.seq, last + 1, reason)
    return ChainReport(True, rows, head.seq)


# -- reading the log (the one reader: the Audit page, its CSV, the CLI export, authors' history)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Audit-log filters (None: any); ``since`` and ``until`` are inclusive UTC days."""

    actor: str | None = None
    action: str | None = None
    target_type: str | None = None
    since: date | None = None
    until: date | None = None
    target_id: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One stored entry, every column of it; ``details`` as stored (a JSON object)."""

    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    details: Any
    rule_set_version: int | None
    model_id: str | None
    seq: int | None
    prev_hash: str | None
    row_hash: str | None


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """The actors, actions and target types present in the log (the filters' choices)."""

    actor: tuple[str, ...]
    action: tuple[str, ...]
    target_type: tuple[str, ...]


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        column == value
        for column, value in (
            (audit_log.c.actor, flt.actor),
            (audit_log.c.action, flt.action),
            (audit_log.c.target_type, flt.target_type),
        )
        if value
    ]
    if flt.target_id is not None:
        conditions.append(audit_log.c.target_id == flt.target_id)
    if flt.since:
        conditions.append(audit_log.c.at >= datetime.combine(flt.since, time.min, UTC))
    if flt.until:
        end = datetime.combine(flt.until + timedelta(days=1), time.min, UTC)
        conditions.append(audit_log.c.at < end)
    return conditions


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(**row._mapping)


def read_entries(
    store: Store, flt: AuditFilter, *, offset: int = 0, limit: int = 100
) -> list[AuditEntry]:
    """One page of the matching entries, newest first."""
    query = (
        select(audit_log)
        .where(*_conditions(flt))
        .order_by(audit_log.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [_entry(row) for row in conn.execute(query)]


def count_entries(store: Store, flt: AuditFilter) -> int:
    query = select(func.count()).select_from(audit_log).where(*_conditions(flt))
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _broken_link(row: Any, expected_seq: int, prev_hash: str) -> tuple[int, str] | None:
    """Where and why ``row`` breaks the chain (None: it links on), given the entry before it."""
    if row.seq is None or row.row_hash is None:
        return expected_seq, (
            f"an entry ({row.action} by {row.actor} at {_utc_text(row.at)}) is not "
            "chained: it was written past Threadwatch's audit writer"
        )
    if row.seq != expected_seq:
        what = (
            f"entries {expected_seq}–{row.seq - 1} are missing"
            if row.seq > expected_seq
            else f"entry {row.seq} appears again after entry {expected_seq - 1}"
        )
        return expected_seq, what
    if row.prev_hash != prev_hash:
        return row.seq, "its link to the previous entry does not match (an entry was replaced)"
    recomputed = entry_hash(
        prev_hash, seq=row.seq, **{name: row._mapping[name] for name in CONTENT_COLUMNS}
    )
    if recomputed != row.row_hash:
        return row.seq, (
            f"its content does not match its hash (edited after it was written: "
            f"{row.action} by {row.actor} at {_utc_text(row.at)})"
        )
    return None


def iter_entries(
    store: Store, flt: AuditFilter, *, chunk: int = _READ_CHUNK
) -> Iterator[AuditEntry]:
    """Every matching entry, newest first, read a chunk at a time (for exports of any size)."""
    conditions = _conditions(flt)
    with store.engine.connect() as conn:
        before: int | None = None
        while True:
            query = select(audit_log).where(*conditions)
            if before is not None:
                query = query.where(audit_log.c.id < before)
            rows = conn.execute(query.order_by(audit_log.c.id.desc()).limit(chunk)).all()
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            before = rows[-1].id


def audit_options(store: Store) -> AuditOptions:
    """The distinct actors, actions and target types, sorted."""
    with store.engine.connect() as conn:
        return AuditOptions(
            *(
                tuple(conn.execute(select(column).distinct().order_by(column)).scalars())
                for column in (audit_log.c.actor, audit_log.c.action, audit_log.c.target_type)
            )
        )
