"""Webhook deliveries: one row per (client, decision event), attempted until delivered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from moderation.store.schema_connect import webhook_deliveries


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    client_id: int
    event_seq: int
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None


def add(
    conn: Connection, client_id: int, event_seqs: Sequence[int], *, status: str, now: datetime
) -> None:
    """Delivery rows for ``event_seqs`` not yet scheduled for ``client_id``."""
    if not event_seqs:
        return
    present = set(
        conn.execute(
            select(webhook_deliveries.c.event_seq).where(
                webhook_deliveries.c.client_id == client_id,
                webhook_deliveries.c.event_seq.in_(list(event_seqs)),
            )
        ).scalars()
    )
    rows = [
        {
            "client_id": client_id,
            "event_seq": seq,
            "status": status,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for seq in event_seqs
        if seq not in present
    ]
    if rows:
        conn.execute(webhook_deliveries.insert(), rows)


def due(conn: Connection, *, status: str, now: datetime, limit: int) -> list[Delivery]:
    rows = conn.execute(
        select(webhook_deliveries)
        .where(webhook_deliveries.c.status == status, webhook_deliveries.c.next_attempt_at <= now)
        .order_by(webhook_deliveries.c.next_attempt_at, webhook_deliveries.c.id)
        .limit(limit)
    )
    return [_delivery(r) for r in rows]


def claim(conn: Connection, delivery: Delivery, *, until: datetime) -> bool:
    """Take ``delivery`` until ``until`` (another server sees it as not due meanwhile); False
    when another server took it first."""
    return (
        conn.execute(
            update(webhook_deliveries)
            .where(
                webhook_deliveries.c.id == delivery.id,
                webhook_deliveries.c.attempts == delivery.attempts,
                webhook_deliveries.c.next_attempt_at == delivery.next_attempt_at,
            )
            .values(next_attempt_at=until)
        ).rowcount
        == 1
    )


def record(
    conn: Connection,
    delivery_id: int,
    *,
    status: str,
    attempts: int,
    next_attempt_at: datetime,
    status_code: int | None,
    error: str | None,
    delivered_at: datetime | None,
) -> None:
    conn.execute(
        update(webhook_deliveries)
        .where(webhook_deliveries.c.id == delivery_id)
        .values(
            status=status,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_status_code=status_code,
            last_error=error,
            delivered_at=delivered_at,
        )
    )


def of_client(conn: Connection, client_id: int) -> list[Delivery]:
    rows = conn.execute(
        select(webhook_deliveries)
        .where(webhook_deliveries.c.client_id == client_id)
        .order_by(webhook_deliveries.c.event_seq)
    )
    return [_delivery(r) for r in rows]


def _delivery(r: Any) -> Delivery:
    return Delivery(
        id=r.id,
        client_id=r.client_id,
        event_seq=r.event_seq,
        status=r.status,
        attempts=r.attempts,
        next_attempt_at=r.next_attempt_at,
        last_status_code=r.last_status_code,
        last_error=r.last_error,
        delivered_at=r.delivered_at,
    )
