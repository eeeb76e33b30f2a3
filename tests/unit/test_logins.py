"""Dashboard logins on both databases: the backoff after failed logins (per account and per
address, kept across restarts), signed session cookies, revocation, and the cookie key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from pydantic import SecretStr

from moderation.access import login_backoff, sessions
from moderation.access.accounts import load_accounts
from moderation.errors import ConfigError
from moderation.settings import Settings
from moderation.store import Store
from tests.conftest import ROOT

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
KEY = "k" * 40


def fail(store: Store, n: int, user: str = "moderator", ip: str | None = "203.0.113.7") -> None:
    for i in range(n):
        login_backoff.failed(store, user, ip, now=T0 + timedelta(seconds=i))


def test_five_failures_lock_the_account_and_the_lock_doubles(store: Store) -> None:
    fail(store, 4)
    assert login_backoff.wait_seconds(store, "moderator", "198.51.100.1", now=T0) == 0
    login_backoff.failed(store, "moderator", "203.0.113.7", now=T0 + timedelta(seconds=4))
    # The fifth: locked for 30 s from then (T0 + 4 s).
    assert (
        login_backoff.wait_seconds(
            store, "moderator", "198.51.100.1", now=T0 + timedelta(seconds=5)
        )
        == 29
    )
    # The same account from any address, spelled in any case, is locked...
    assert (
        login_backoff.wait_seconds(store, " MODERATOR ", None, now=T0 + timedelta(seconds=5)) == 29
    )
    # ...other accounts are not.
    assert login_backoff.wait_seconds(store, "editor", "198.51.100.1", now=T0) == 0
    later = T0 + timedelta(seconds=40)
    assert login_backoff.wait_seconds(store, "moderator", None, now=later) == 0
    login_backoff.failed(store, "moderator", None, now=later)  # the sixth: 60 s
    assert login_backoff.wait_seconds(store, "moderator", None, now=later) == 60


def test_the_lock_survives_a_restart(database_url: str) -> None:
    first = Store.open(database_url)
    fail(first, 15)
    first.close()
    again = Store.open(database_url)  # a new server process: nothing kept in memory
    try:
        assert (
            login_backoff.wait_seconds(again, "moderator", None, now=T0 + timedelta(seconds=15)) > 0
        )
    finally:
        again.close()


def test_many_failures_from_one_address_lock_it_for_every_account(store: Store) -> None:
    for i in range(20):
        login_backoff.failed(store, f"guess{i}", "203.0.113.9", now=T0)
    assert login_backoff.wait_seconds(store, "admin", "203.0.113.9", now=T0) == 30
    assert login_backoff.wait_seconds(store, "admin", "::ffff:203.0.113.9", now=T0) == 30
    assert login_backoff.wait_seconds(store, "admin", "203.0.113.10", now=T0) == 0


def test_success_clears_the_account_but_not_the_address(store: Store) -> None:
    fail(store, 4, ip="203.0.113.7")
    login_backoff.succeeded(store, "moderator")
    fail(store, 4, ip="203.0.113.7")  # four again: still under the limit
    assert login_backoff.wait_seconds(store, "moderator", None, now=T0 + timedelta(seconds=5)) == 0


def test_failures_are_forgotten_after_a_quiet_hour(store: Store) -> None:
    fail(store, 4)
    login_backoff.failed(store, "moderator", None, now=T0 + timedelta(hours=2))
    assert login_backoff.wait_seconds(store, "moderator", None, now=T0 + timedelta(hours=2)) == 0


def test_the_lock_is_capped() -> None:
    assert login_backoff.ACCOUNT.lock_for(4) is None
    assert login_backoff.ACCOUNT.lock_for(5) == timedelta(seconds=30)
    assert login_backoff.ACCOUNT.lock_for(1000) == timedelta(minutes=15)


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        (None, "local"),
        ("127.0.0.1", "local"),
        ("::1", "local"),
        ("::ffff:127.0.0.1", "local"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("not an address", "not an address"),
    ],
)
def test_address_keys(ip: str | None, key: str) -> None:
    assert login_backoff.address_key(ip) == key


def test_a_logged_out_session_is_refused_everywhere(store: Store) -> None:
    token, session = sessions.issue("moderator", KEY, days=1)
    copied = sessions.read(token, KEY)
    assert copied == session and sessions.is_valid(store, copied)
    sessions.revoke(store, session)
    assert not sessions.is_valid(store, copied)
    sessions.revoke(store, session)  # twice is harmless
    other, _ = sessions.issue("moderator", KEY, days=1)
    assert sessions.is_valid(store, sessions.read(other, KEY))  # a new login is not affected


def test_forged_expired_and_foreign_cookies_are_refused() -> None:
    token, _ = sessions.issue("admin", KEY, days=1)
    assert sessions.read(token, "another key entirely, 40 characters long") is None
    assert sessions.read(token[:-2] + "xx", KEY) is None
    assert sessions.read("garbage", KEY) is None
    assert sessions.read("", KEY) is None
    expired = jwt.encode(
        {"sub": "admin", "sid": "s", "exp": datetime.now(UTC) - timedelta(seconds=1)}, KEY
    )
    assert sessions.read(expired, KEY) is None
    no_session_id = jwt.encode({"sub": "admin", "exp": datetime.now(UTC) + timedelta(days=1)}, KEY)
    assert sessions.read(no_session_id, KEY) is None


def test_cookie_key_is_required_outside_demo_mode(tmp_path: Path) -> None:
    accounts = load_accounts(ROOT / "auth.yaml")
    demo = Settings()
    assert demo.demo_mode  # the embedded default: the quick start works without a key
    assert len(sessions.cookie_key(demo, accounts)) >= sessions.MIN_KEY_LENGTH
    with pytest.raises(ConfigError, match="THREADWATCH_COOKIE_KEY is required"):
        sessions.cookie_key(Settings(demo_mode=False), accounts)
    with pytest.raises(ConfigError, match="too short"):
        sessions.cookie_key(Settings(demo_mode=False, cookie_key=SecretStr("short")), accounts)
    shared = Settings(demo_mode=False, cookie_key=SecretStr(KEY))
    assert sessions.cookie_key(shared, accounts) == KEY
    # Two servers of one deployment: a cookie signed by one is read by the other.
    token, session = sessions.issue("editor", sessions.cookie_key(shared, accounts), days=1)
    assert sessions.read(token, sessions.cookie_key(shared, accounts)) == session


def test_demo_accounts_are_recognised(tmp_path: Path) -> None:
    assert load_accounts(ROOT / "auth.yaml").demo_accounts() == ["moderator", "editor", "admin"]
    own = tmp_path / "auth.yaml"
    own.write_text(
        "credentials:\n  usernames:\n    alice:\n      name: Alice\n"
        "      password: $2b$12$rwmYy7toF29ZiTXdHqaLAeDIO06A/ldwOknaU5yNCMTa9P31U.486\n"
        "      roles: [editor]\n",
        encoding="utf-8",
    )
    accounts = load_accounts(own)
    assert accounts.demo_accounts() == []
    assert accounts.verify("alice", "threadwatch: no such account") is not None
    assert accounts.verify("alice", "wrong") is None
    assert accounts.verify("nobody", "threadwatch: no such account") is None
