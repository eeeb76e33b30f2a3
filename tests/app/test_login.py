"""Login hardening in AppTest: backoff after failed logins, logout revokes the session, demo
credentials only in demo mode, and a clear error when a deployment lacks its cookie key."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from moderation.store import Store
from moderation.store.schema import revoked_sessions
from tests.app.helpers import ROOT, log_in

KEY = "0123456789abcdef" * 4
# bcrypt of "threadwatch: no such account": an accounts file without the demo passwords.
OWN_HASH = "$2b$12$rwmYy7toF29ZiTXdHqaLAeDIO06A/ldwOknaU5yNCMTa9P31U.486"


def attempt(app: AppTest, user: str, password: str) -> AppTest:
    app.text_input[0].input(user)  # Username, Password
    app.text_input[1].input(password)
    return app.button[0].click().run()


def page_text(app: AppTest) -> str:
    parts = [*app.error, *app.warning, *app.info, *app.caption, *app.markdown, *app.text]
    return "\n".join(str(p.value) for p in parts)


def test_fifteen_wrong_passwords_then_the_right_one_is_refused(app_env: str) -> None:
    app = log_in(user=None)
    for _ in range(15):
        attempt(app, "moderator", "guess")
        assert not app.title  # still the login form
    attempt(app, "moderator", "moderator-demo")
    assert not app.exception
    assert not app.title, "the right password got in right after 15 wrong ones"
    assert "Too many failed logins" in app.error[0].value
    # Another browser (or the same after a server restart) is refused too: the count is in
    # the database, not in this session.
    other = attempt(log_in(user=None), "moderator", "moderator-demo")
    assert not other.title and "Too many failed logins" in other.error[0].value
    # Other accounts are not locked by someone guessing this one.
    assert log_in("editor").title[0].value == "Queue"


def test_logout_revokes_the_session(app_env: str) -> None:
    app = log_in()
    assert app.title[0].value == "Queue"
    app.sidebar.button(key="auth_logout").click().run()
    assert not app.exception
    assert [t.label for t in app.text_input] == ["Username", "Password"]
    assert not app.title
    with Store.open(app_env).engine.connect() as conn:
        revoked = conn.execute(select(revoked_sessions.c.username)).scalars().all()
    assert revoked == ["moderator"]


def test_demo_mode_shows_the_demo_accounts_with_a_warning(app_env: str) -> None:
    app = log_in(user=None)
    assert not app.exception
    [warning] = app.warning
    assert "moderator / moderator-demo" in warning.value and "Demo mode" in warning.value


def test_outside_demo_mode_the_demo_passwords_are_refused_and_never_shown(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THREADWATCH_DEMO_MODE", "false")
    monkeypatch.setenv("THREADWATCH_COOKIE_KEY", KEY)
    app = log_in(user=None)
    assert not app.exception
    assert "moderator-demo" not in page_text(app)
    assert "still have their public demo passwords" in app.error[0].value
    assert not app.text_input  # no login form on a deployment that is not safe to use


def test_outside_demo_mode_the_login_page_lists_no_accounts(
    app_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = tmp_path / "auth.yaml"
    accounts.write_text(
        "credentials:\n  usernames:\n    alice:\n      name: Alice\n"
        f"      password: {OWN_HASH}\n      roles: [editor]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("THREADWATCH_AUTH_FILE", str(accounts))
    monkeypatch.setenv("THREADWATCH_DEMO_MODE", "false")
    monkeypatch.setenv("THREADWATCH_COOKIE_KEY", KEY)
    app = log_in(user=None)
    assert not app.exception
    assert [t.label for t in app.text_input] == ["Username", "Password"]
    assert not app.warning and "demo" not in page_text(app).lower()
    attempt(app, "alice", "threadwatch: no such account")
    assert app.title[0].value == "Queue"


def test_outside_demo_mode_a_missing_cookie_key_is_a_clear_error(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THREADWATCH_DEMO_MODE", "false")
    monkeypatch.delenv("THREADWATCH_COOKIE_KEY", raising=False)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not app.exception
    assert "THREADWATCH_COOKIE_KEY is required when demo_mode is off" in app.error[0].value
    assert not app.text_input
