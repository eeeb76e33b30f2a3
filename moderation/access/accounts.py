"""Dashboard accounts: the accounts file (bcrypt hashes and roles), password checks, roles.

Roles are ranked: an editor can do what a moderator can, an admin what an editor can.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import bcrypt
import yaml

from moderation.errors import ConfigError

Role = Literal["moderator", "editor", "admin"]
RANK: dict[str, int] = {"moderator": 1, "editor": 2, "admin": 3}
DEFAULT_COOKIE = "threadwatch_auth"
# The demo accounts of the default auth.yaml; their passwords are public (README, login page).
DEMO_PASSWORDS: dict[str, str] = {
    "moderator": "moderator-demo",
    "editor": "editor-demo",
    "admin": "admin-demo",
}
# Their hashes as shipped in auth.yaml: recognised without bcrypt's deliberate slowness.
_SHIPPED_DEMO_HASHES = frozenset(
    {
        "$2b$12$OknCXze5e83kf9P6MyHwwO3hkumRs3OlVQxqJI7OH/wNPQbiSvRWG",
        "$2b$12$byaaM5t5K3yo0WBQGM/9JO/0rC53GtdzJuBC7mVgfqbhYSF1gOgtS",
        "$2b$12$vfLF4zqFD.d3DKLYWrqUIOPJpA.GdHnE/Ajb05hdis.XwM4EFSxta",
    }
)
_COOKIE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Checked for unknown usernames too (same cost), so timing does not tell which accounts exist.
_DUMMY_HASH = b"$2b$12$rwmYy7toF29ZiTXdHqaLAeDIO06A/ldwOknaU5yNCMTa9P31U.486"
MAX_PASSWORD_BYTES = 1024  # bcrypt reads 72 bytes; refuse megabytes typed into the form


@dataclass(frozen=True)
class User:
    username: str
    name: str
    roles: tuple[str, ...]

    @property
    def role(self) -> str:
        return max(self.roles, key=lambda r: RANK.get(r, 0), default="moderator")

    def can(self, role: Role) -> bool:
        return max((RANK.get(r, 0) for r in self.roles), default=0) >= RANK[role]


@dataclass(frozen=True)
class Accounts:
    """The parsed accounts file."""

    path: str
    users: dict[str, dict[str, Any]]
    cookie_name: str
    cookie_days: float
    cookie_key: str | None  # a key in the accounts file, if any (the setting wins)

    def user(self, username: str) -> User | None:
        entry = self.users.get(username)
        if entry is None:
            return None
        roles = tuple(entry.get("roles") or ("moderator",))
        return User(username=username, name=str(entry.get("name") or username), roles=roles)

    def verify(self, username: str, password: str) -> User | None:
        """The user if ``password`` is theirs, else None (same cost either way)."""
        secret = password.encode("utf-8", "surrogatepass")[:MAX_PASSWORD_BYTES]
        entry = self.users.get(username)
        stored = str(entry["password"]).encode() if entry else _DUMMY_HASH
        try:
            matches = bcrypt.checkpw(secret, stored)
        except ValueError:  # a malformed hash: treated as a wrong password
            matches = False
        return self.user(username) if matches and entry else None

    def demo_accounts(self) -> list[str]:
        """The accounts whose password is still the public demo one."""
        return _demo_accounts(self.path, _mtime(self.path))


def load_accounts(path: Path) -> Accounts:
    """The accounts file, read and checked once per version of the file."""
    if not path.is_file():
        raise ConfigError("accounts file not found", subject=str(path))
    return _load(str(path), _mtime(str(path)))


def _mtime(path: str) -> float:
    return Path(path).stat().st_mtime


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Accounts:
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise ConfigError(f"cannot read accounts file: {reason}", subject=path) from exc
    config = config if isinstance(config, dict) else {}
    users = (config.get("credentials") or {}).get("usernames")
    if not isinstance(users, dict) or not users:
        raise ConfigError("accounts file has no credentials.usernames", subject=path)
    for name, user in users.items():
        if not isinstance(user, dict):
            raise ConfigError(f"user {name!r} is not a mapping", subject=path)
        unknown = set(user.get("roles") or []) - RANK.keys()
        if unknown:
            raise ConfigError(f"user {name!r} has unknown roles {sorted(unknown)}", subject=path)
        if not _is_bcrypt(str(user.get("password", ""))):
            raise ConfigError(f"user {name!r}: password must be a bcrypt hash", subject=path)
    cookie = config.get("cookie") or {}
    cookie_name = str(cookie.get("name") or DEFAULT_COOKIE)
    if not _COOKIE_NAME.match(cookie_name):
        raise ConfigError("cookie.name may hold only letters, digits, - and _", subject=path)
    try:
        days = float(cookie.get("expiry_days", 1))
    except (TypeError, ValueError):
        raise ConfigError("cookie.expiry_days must be a number", subject=path) from None
    if not 0 < days <= 30:
        raise ConfigError("cookie.expiry_days must be above 0 and at most 30", subject=path)
    key = cookie.get("key")
    return Accounts(
        path=path,
        users={str(k): v for k, v in users.items()},
        cookie_name=cookie_name,
        cookie_days=days,
        cookie_key=str(key) if key else None,
    )


def _is_bcrypt(value: str) -> bool:
    return bool(re.fullmatch(r"\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}", value))


@functools.lru_cache(maxsize=8)
def _demo_accounts(path: str, mtime: float) -> list[str]:
    # bcrypt is slow on purpose: checked once per version of the file, not per login page.
    accounts = _load(path, mtime)
    found = []
    for name, password in DEMO_PASSWORDS.items():
        stored = str((accounts.users.get(name) or {}).get("password") or "")
        if stored in _SHIPPED_DEMO_HASHES or (
            stored and bcrypt.checkpw(password.encode(), stored.encode())
        ):
            found.append(name)
    return found
