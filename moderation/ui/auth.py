"""Login, logout and the session cookie in the dashboard.

Accounts and roles are in ``moderation.access.accounts``, the signed session cookie and its
revocation in ``moderation.access.sessions``, the backoff after failed logins in
``moderation.access.login_backoff``; this module draws the form and keeps the browser's cookie
in step. The session is checked on every run (a logout anywhere ends it everywhere), and a
reload logs back in from the cookie.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from moderation.access import login_backoff, sessions
from moderation.access.accounts import DEMO_PASSWORDS, Accounts, User, load_accounts
from moderation.errors import ConfigError
from moderation.settings import Settings
from moderation.store import Store

__all__ = [
    "LoginContext",
    "User",
    "context",
    "current_user",
    "login_form",
    "logout_button",
    "session_id",
]

_SESSION = "_auth_session"  # the Session this browser tab is logged in with
_COOKIE_OP = "_auth_cookie"  # ("set", token, max_age) or ("delete",): done by the next run
_FLASH = "_auth_flash"  # the login form's message after an attempt
WRONG = "Username or password is incorrect."


@dataclass(frozen=True)
class LoginContext:
    settings: Settings
    store: Store
    accounts: Accounts
    key: str


def context(settings: Settings, store: Store) -> LoginContext:
    """Everything a login needs; a ConfigError (one line) when the setup is unusable."""
    accounts = load_accounts(settings.auth_file)
    key = sessions.cookie_key(settings, accounts)
    if not settings.demo_mode and accounts.demo_accounts():
        raise ConfigError(
            f"the accounts {', '.join(accounts.demo_accounts())} still have their public demo "
            "passwords: change them (see README, Dashboard) or turn demo_mode on",
            subject=str(settings.auth_file),
        )
    return LoginContext(settings, store, accounts, key)


def current_user(ctx: LoginContext, cookie_slot: DeltaGenerator) -> User | None:
    """The user this run belongs to: the tab's session, else the browser's cookie; None when
    neither is (still) valid. Also carries out a pending cookie change in the browser, in
    ``cookie_slot`` (an ``st.empty()`` drawn on every run, so nothing below it moves)."""
    _sync_cookie(ctx, cookie_slot)
    session: sessions.Session | None = st.session_state.get(_SESSION)
    if session is None:
        session = sessions.read(st.context.cookies.get(ctx.accounts.cookie_name), ctx.key)
    user = ctx.accounts.user(session.username) if session is not None else None
    if session is None or user is None or not sessions.is_valid(ctx.store, session):
        st.session_state.pop(_SESSION, None)
        return None
    st.session_state[_SESSION] = session
    return user


def session_id() -> str | None:
    """The id of this tab's login session (the same after a reload)."""
    session: sessions.Session | None = st.session_state.get(_SESSION)
    return session.session_id if session is not None else None


def login_form(ctx: LoginContext) -> None:
    """The login form (and, in demo mode only, the demo accounts with a warning)."""
    st.header("Threadwatch")
    with st.form("login_form", enter_to_submit=True):
        st.text_input("Username", key="login_username", max_chars=255)
        st.text_input("Password", type="password", key="login_password", max_chars=1024)
        st.form_submit_button("Login", type="primary", on_click=_attempt, args=(ctx,))
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.error(flash)
    demo = ctx.accounts.demo_accounts() if ctx.settings.demo_mode else []
    if demo:
        listed = ", ".join(f"{name} / {DEMO_PASSWORDS[name]}" for name in demo)
        st.warning(
            f"Demo mode: anyone who can open this page can log in with the demo accounts "
            f"({listed}). Change their passwords and set THREADWATCH_DEMO_MODE=false before "
            "real use.",
            icon="⚠️",
        )


def logout_button(ctx: LoginContext, user: User) -> None:
    st.caption(f"Signed in as **{user.username}** ({user.role})")
    st.button("Log out", key="auth_logout", on_click=_logout, args=(ctx,))


def _attempt(ctx: LoginContext) -> None:
    """Login button callback: runs before the script, so a successful login draws the page
    the URL asks for in this same run, without a second round trip."""
    username = str(st.session_state.get("login_username") or "").strip()
    password = str(st.session_state.get("login_password") or "")
    st.session_state["login_password"] = ""  # never kept beyond this callback
    address = _client_address()
    wait = login_backoff.wait_seconds(ctx.store, username, address)
    if wait:
        st.session_state[_FLASH] = (
            f"Too many failed logins for this account or from this address: try again in "
            f"{_duration(wait)}."
        )
        return
    user = ctx.accounts.verify(username, password) if username and password else None
    if user is None:
        login_backoff.failed(ctx.store, username, address)
        st.session_state[_FLASH] = WRONG
        return
    login_backoff.succeeded(ctx.store, username)
    token, session = sessions.issue(user.username, ctx.key, days=ctx.accounts.cookie_days)
    st.session_state[_SESSION] = session
    st.session_state[_COOKIE_OP] = ("set", token, int(ctx.accounts.cookie_days * 86400))


def _logout(ctx: LoginContext) -> None:
    session: sessions.Session | None = st.session_state.get(_SESSION)
    if session is not None:
        sessions.revoke(ctx.store, session)
    for key in list(st.session_state):  # nothing of this user's work stays in the tab
        del st.session_state[key]
    st.session_state[_COOKIE_OP] = ("delete",)


def _sync_cookie(ctx: LoginContext, slot: DeltaGenerator) -> None:
    """Set or delete the session cookie in the browser. Streamlit has no server-side cookie
    API, so a tiny script does it; the value is our own signed token, never user input."""
    op = st.session_state.pop(_COOKIE_OP, None)
    if op is None:
        return
    name = ctx.accounts.cookie_name
    if op[0] == "set":
        cookie = f"{name}={op[1]}; Max-Age={op[2]}; Path=/; SameSite=Strict"
    else:
        cookie = f"{name}=; Max-Age=0; Path=/; SameSite=Strict"
    script = (
        "<script>document.cookie = "
        f"{json.dumps(cookie)} + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )
    slot.html(script, unsafe_allow_javascript=True, width="content")


def _client_address() -> str | None:
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # AppTest has no real client


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} s"
    return f"{-(-seconds // 60)} min"
