"""Dashboard login sessions: a signed cookie that names a session, and server-side revocation.

The cookie holds a JWT (HS256) with the username, a random session id and the expiry. "Log out"
records the session id as revoked in the database, so a copy of the cookie taken before is
refused on every later run and media request, on every server that shares the database. The
signing key is one secret for all servers of a deployment (the ``cookie_key`` setting); only in
demo mode may it be missing, and then each server process signs with its own random key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from moderation.access.accounts import Accounts
from moderation.errors import ConfigError
from moderation.settings import Settings
from moderation.store import Store, logins

MIN_KEY_LENGTH = 32
_ALGORITHM = "HS256"
# Demo mode without a configured key: logins last as long as this server process.
_PROCESS_KEY = secrets.token_hex(32)


@dataclass(frozen=True)
class Session:
    session_id: str
    username: str
    expires_at: datetime

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.expires_at


def cookie_key(settings: Settings, accounts: Accounts) -> str:
    """The key that signs session cookies, or a ConfigError saying how to set one."""
    configured = settings.cookie_key.get_secret_value() if settings.cookie_key else None
    key = configured or accounts.cookie_key
    if key:
        if len(key) < MIN_KEY_LENGTH and not settings.demo_mode:
            raise ConfigError(
                f"THREADWATCH_COOKIE_KEY is too short: use at least {MIN_KEY_LENGTH} random "
                "characters, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        return key
    if settings.demo_mode:
        return _PROCESS_KEY
    raise ConfigError(
        "THREADWATCH_COOKIE_KEY is required when demo_mode is off: set it to the same random "
        "secret on every server of this deployment, e.g. "
        "python -c 'import secrets; print(secrets.token_hex(32))'"
    )


def issue(username: str, key: str, *, days: float) -> tuple[str, Session]:
    """A new session for ``username`` and its signed cookie value."""
    now = datetime.now(UTC).replace(microsecond=0)  # JWT times are whole seconds
    session = Session(secrets.token_urlsafe(18), username, now + timedelta(days=days))
    token = jwt.encode(
        {"sub": username, "sid": session.session_id, "iat": now, "exp": session.expires_at},
        key,
        algorithm=_ALGORITHM,
    )
    return token, session


def read(token: str | None, key: str) -> Session | None:
    """The session a cookie value names, or None if it is missing, forged or expired.
    (Revocation is checked separately: it needs the database.)"""
    if not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(
            token, key, algorithms=[_ALGORITHM], options={"require": ["sub", "sid", "exp"]}
        )
    except jwt.PyJWTError:
        return None
    sid, sub = claims.get("sid"), claims.get("sub")
    if not isinstance(sid, str) or not isinstance(sub, str):
        return None
    return Session(sid, sub, datetime.fromtimestamp(float(claims["exp"]), UTC))


def revoke(store: Store, session: Session) -> None:
    logins.revoke(
        store,
        session.session_id,
        username=session.username,
        at=datetime.now(UTC),
        expires_at=session.expires_at,
    )


def is_valid(store: Store, session: Session) -> bool:
    """Not expired and not logged out."""
    return not session.expired() and not logins.is_revoked(store, session.session_id)
