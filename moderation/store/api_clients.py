"""API clients and their tokens (only token hashes are stored) and webhook settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select, update

from moderation.errors import ConflictError, NotFoundError
from moderation.store.database import inserted_id
from moderation.store.schema_connect import api_clients, api_tokens


@dataclass(frozen=True, slots=True)
class Client:
    id: int
    name: str
    webhook_url: str | None
    webhook_secret_ref: str | None
    webhook_cursor: int


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: int
    client: Client
    prefix: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None


def _client(row: Any) -> Client:
    return Client(
        id=row.id,
        name=row.name,
        webhook_url=row.webhook_url,
        webhook_secret_ref=row.webhook_secret_ref,
        webhook_cursor=row.webhook_cursor,
    )


def find_client(conn: Connection, name: str) -> Client | None:
    row = conn.execute(select(api_clients).where(api_clients.c.name == name)).first()
    return _client(row) if row else None


def client_by_id(conn: Connection, client_id: int) -> Client:
    row = conn.execute(select(api_clients).where(api_clients.c.id == client_id)).first()
    if row is None:
        raise NotFoundError("no such API client", subject=str(client_id))
    return _client(row)


def ensure_client(conn: Connection, name: str, now: datetime) -> Client:
    found = find_client(conn, name)
    if found is not None:
        return found
    conn.execute(api_clients.insert().values(name=name, created_at=now))
    created = find_client(conn, name)
    assert created is not None
    return created


def webhook_clients(conn: Connection) -> list[Client]:
    rows = conn.execute(
        select(api_clients).where(api_clients.c.webhook_url.is_not(None)).order_by(api_clients.c.id)
    )
    return [_client(r) for r in rows]


def set_webhook(conn: Connection, name: str, url: str | None, secret_ref: str | None) -> None:
    """Point ``name``'s webhook at ``url`` (None: no webhook). Events before now are not sent:
    the cursor starts at the audit log's end (set by the caller's ``cursor``)."""
    changed = conn.execute(
        update(api_clients)
        .where(api_clients.c.name == name)
        .values(webhook_url=url, webhook_secret_ref=secret_ref)
    ).rowcount
    if changed != 1:
        raise NotFoundError("no such API client", subject=name)


def move_webhook_cursor(conn: Connection, client_id: int, old: int, new: int) -> bool:
    """Advance the cursor from ``old`` to ``new``; False when another server moved it first."""
    return (
        conn.execute(
            update(api_clients)
            .where(api_clients.c.id == client_id, api_clients.c.webhook_cursor == old)
            .values(webhook_cursor=new)
        ).rowcount
        == 1
    )


def add_token(
    conn: Connection,
    client_id: int,
    *,
    token_hash: str,
    prefix: str,
    scopes: frozenset[str],
    now: datetime,
) -> int:
    result = conn.execute(
        api_tokens.insert().values(
            client_id=client_id,
            token_hash=token_hash,
            prefix=prefix,
            scopes=" ".join(sorted(scopes)),
            created_at=now,
        )
    )
    return inserted_id(result)


def _token_query() -> Select[Any]:
    return select(
        api_tokens.c.id,
        api_tokens.c.prefix,
        api_tokens.c.scopes,
        api_tokens.c.created_at,
        api_tokens.c.revoked_at,
        api_clients.c.id.label("client_id"),
        api_clients.c.name,
        api_clients.c.webhook_url,
        api_clients.c.webhook_secret_ref,
        api_clients.c.webhook_cursor,
    ).join(api_clients, api_clients.c.id == api_tokens.c.client_id)


def _token(row: Any) -> TokenRow:
    client = Client(
        id=row.client_id,
        name=row.name,
        webhook_url=row.webhook_url,
        webhook_secret_ref=row.webhook_secret_ref,
        webhook_cursor=row.webhook_cursor,
    )
    return TokenRow(
        id=row.id,
        client=client,
        prefix=row.prefix,
        scopes=frozenset(row.scopes.split()),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def token_by_hash(conn: Connection, token_hash: str) -> TokenRow | None:
    row = conn.execute(_token_query().where(api_tokens.c.token_hash == token_hash)).first()
    return _token(row) if row else None


def list_tokens(conn: Connection) -> list[TokenRow]:
    rows = conn.execute(_token_query().order_by(api_clients.c.name, api_tokens.c.id))
    return [_token(r) for r in rows]


def revoke_token(conn: Connection, token_id: int, now: datetime) -> None:
    row = conn.execute(select(api_tokens.c.revoked_at).where(api_tokens.c.id == token_id)).first()
    if row is None:
        raise NotFoundError("no such API token", subject=str(token_id))
    if row.revoked_at is not None:
        raise ConflictError("already revoked", subject=str(token_id))
    conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=now))
