"""API clients and tokens: scopes, creation (the token is shown once) and authentication."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection

from moderation.errors import InvalidRequestError
from moderation.store import Store
from moderation.store import api_clients as clients_store
from moderation.store.api_clients import Client, TokenRow

TOKEN_PREFIX = "tw_"
# Shown by `moderation api token list`: enough to tell tokens apart, useless to an attacker.
_SHOWN = 10


class Scope(StrEnum):
    COMMENTS_WRITE = "comments:write"  # POST /v1/comments
    DECISIONS_READ = "decisions:read"  # GET /v1/decisions


class AuthError(InvalidRequestError):
    """No token, or one that is unknown or revoked (HTTP 401)."""


class ScopeError(InvalidRequestError):
    """A valid token without the scope the request needs (HTTP 403)."""


@dataclass(frozen=True)
class NewToken:
    id: int
    client: str
    token: str  # the only time the clear token exists outside the client
    scopes: frozenset[str]


def parse_scopes(values: Iterable[str]) -> frozenset[str]:
    """Scopes from CLI words (comma or space separated); an unknown one is an error."""
    words = [w for v in values for w in v.replace(",", " ").split()]
    unknown = sorted(set(words) - {str(s) for s in Scope})
    if unknown:
        raise InvalidRequestError(
            f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(Scope)}", subject="scopes"
        )
    if not words:
        raise InvalidRequestError("a token needs at least one scope", subject="scopes")
    return frozenset(words)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _valid_name(name: str) -> str:
    if not (1 <= len(name) <= 64) or not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidRequestError(
            "a client name is 1-64 letters, digits, '-' or '_'", subject=name[:64]
        )
    return name


def add_token(store: Store, client: str, scopes: frozenset[str]) -> NewToken:
    """A new token for ``client`` (created if new); only its hash is stored."""
    name = _valid_name(client)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def work(conn: Connection) -> int:
        now = datetime.now(UTC)
        found = clients_store.ensure_client(conn, name, now)
        return clients_store.add_token(
            conn,
            found.id,
            token_hash=hash_token(token),
            prefix=token[:_SHOWN],
            scopes=scopes,
            now=now,
        )

    token_id = store.write(work)
    return NewToken(token_id, name, token, scopes)


def list_tokens(store: Store) -> list[TokenRow]:
    with store.engine.connect() as conn:
        return clients_store.list_tokens(conn)


def revoke_token(store: Store, token_id: int) -> None:
    store.write(lambda conn: clients_store.revoke_token(conn, token_id, datetime.now(UTC)))


def authenticate(store: Store, token: str | None) -> TokenRow:
    """The live token sent as ``Authorization: Bearer <token>``, else AuthError."""
    if not token:
        raise AuthError("send 'Authorization: Bearer <token>'", subject="authorization")
    digest = hash_token(token)
    with store.engine.connect() as conn:
        row = clients_store.token_by_hash(conn, digest)
    # Looked up by its hash: no comparison of clear tokens whose timing could leak one.
    if row is None or row.revoked_at is not None:
        raise AuthError("unknown or revoked token", subject="authorization")
    return row


def require(row: TokenRow, scope: Scope) -> Client:
    if str(scope) not in row.scopes:
        raise ScopeError(f"this token lacks the {scope} scope", subject=row.client.name)
    return row.client
