"""Login and roles, with streamlit-authenticator (bcrypt-hashed passwords in auth.yaml).

Roles are ranked: an editor can do what a moderator can, an admin what an editor can.
"""

from __future__ import annotations

import copy
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import streamlit as st
import streamlit_authenticator as stauth
import yaml

from moderation.errors import ConfigError

Role = Literal["moderator", "editor", "admin"]
_RANK: dict[str, int] = {"moderator": 1, "editor": 2, "admin": 3}
# One random key per process when none is configured: cookies then simply expire on restart.
_PROCESS_KEY = secrets.token_hex(32)


@dataclass(frozen=True)
class User:
    username: str
    name: str
    roles: tuple[str, ...]

    @property
    def role(self) -> str:
        return max(self.roles, key=lambda r: _RANK.get(r, 0), default="moderator")

    def can(self, role: Role) -> bool:
        return max((_RANK.get(r, 0) for r in self.roles), default=0) >= _RANK[role]


@st.cache_data(show_spinner=False)
def _load(path: str, mtime: float) -> dict[str, Any]:
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read accounts file: {exc}", subject=path) from exc
    users = (config or {}).get("credentials", {}).get("usernames")
    if not isinstance(users, dict) or not users:
        raise ConfigError("accounts file has no credentials.usernames", subject=path)
    for name, user in users.items():
        unknown = set(user.get("roles") or []) - _RANK.keys()
        if unknown:
            raise ConfigError(f"user {name!r} has unknown roles {sorted(unknown)}", subject=path)
        if not stauth.Hasher.is_hash(str(user.get("password", ""))):
            raise ConfigError(f"user {name!r}: password must be a bcrypt hash", subject=path)
    return dict(config)


@st.cache_data(show_spinner=False)
def _uses_demo_accounts(path: str, mtime: float) -> bool:
    # bcrypt is slow on purpose: checked once per file version, not on every rerun.
    user = _load(path, mtime)["credentials"]["usernames"].get("moderator") or {}
    return bool(user) and stauth.Hasher.check_pw("moderator-demo", str(user.get("password")))


def _authenticator(auth_file: Path) -> stauth.Authenticate:
    if not auth_file.is_file():
        raise ConfigError("accounts file not found", subject=str(auth_file))
    config = _load(str(auth_file), auth_file.stat().st_mtime)
    cookie = config.get("cookie") or {}
    return stauth.Authenticate(
        copy.deepcopy(config["credentials"]),  # the library mutates it (login attempts)
        cookie.get("name", "threadwatch_auth"),
        os.environ.get("THREADWATCH_COOKIE_KEY") or cookie.get("key") or _PROCESS_KEY,
        float(cookie.get("expiry_days", 1)),
        auto_hash=False,
    )


def require_login(auth_file: Path) -> User | None:
    """The logged-in user, or None after drawing the login form (nothing else is shown)."""
    authenticator = _authenticator(auth_file)
    authenticator.login(location="main", key="login_form")
    status = st.session_state.get("authentication_status")
    if not status:
        if status is False:
            st.error("Username or password is incorrect.")
        if _uses_demo_accounts(str(auth_file), auth_file.stat().st_mtime):
            st.caption(
                "Demo accounts: moderator / moderator-demo, editor / editor-demo, "
                "admin / admin-demo (change them in auth.yaml)."
            )
        return None
    user = User(
        username=str(st.session_state["username"]),
        name=str(st.session_state.get("name") or st.session_state["username"]),
        roles=tuple(st.session_state.get("roles") or ("moderator",)),
    )
    with st.sidebar:
        st.caption(f"Signed in as **{user.username}** ({user.role})")
        authenticator.logout("Log out", location="sidebar", key="auth_logout")
    return user
