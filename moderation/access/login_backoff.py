"""Backoff for failed dashboard logins, per account and per client address.

After a few free attempts each further failure locks the account (or the address) for twice as
long as the last time, up to a cap; while locked, logins are refused without checking the
password, so guessing gets no answer at all. Counts are kept in the database (a restart does
not reset them) and are forgotten after a quiet window. A success clears the account's count;
the address's count only decays, so one valid account cannot be used to reset it.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from moderation.store import Store, logins


@dataclass(frozen=True)
class Policy:
    free_attempts: int
    first_lock: timedelta
    max_lock: timedelta
    forget_after: timedelta

    def lock_for(self, failures: int) -> timedelta | None:
        if failures < self.free_attempts:
            return None
        doublings = min(failures - self.free_attempts, 20)
        return min(self.first_lock * (2**doublings), self.max_lock)


# Several people may share an address (an office, a proxy): it gets more free attempts.
ACCOUNT = Policy(5, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=1))
ADDRESS = Policy(20, timedelta(seconds=30), timedelta(minutes=15), timedelta(hours=1))
LOCAL = "local"  # Streamlit reports no address for loopback clients


def address_key(ip: str | None) -> str:
    """One spelling per client address (IPv4-mapped IPv6 as IPv4); loopback is "local"."""
    if not ip:
        return LOCAL
    try:
        parsed = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()[:255] or LOCAL
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    return LOCAL if parsed.is_loopback else str(parsed)


def account_key(username: str) -> str:
    return username.strip().casefold()[:255]


def _targets(username: str, ip: str | None) -> list[tuple[logins.Scope, str, Policy]]:
    return [("account", account_key(username), ACCOUNT), ("address", address_key(ip), ADDRESS)]


def wait_seconds(store: Store, username: str, ip: str | None, now: datetime | None = None) -> int:
    """Seconds until a login for this account from this address may be tried (0: now)."""
    now = now or datetime.now(UTC)
    waits = [0.0]
    for scope, subject, _ in _targets(username, ip):
        until = logins.locked_until(store, scope, subject)
        if until is not None and until > now:
            waits.append((until - now).total_seconds())
    return math.ceil(max(waits))


def failed(store: Store, username: str, ip: str | None, now: datetime | None = None) -> None:
    """Count a failed login against the account and the address; lock them when due."""
    now = now or datetime.now(UTC)
    for scope, subject, policy in _targets(username, ip):
        count = logins.add_failure(store, scope, subject, at=now, window=policy.forget_after)
        lock = policy.lock_for(count)
        if lock is not None:
            logins.lock(store, scope, subject, until=now + lock)


def succeeded(store: Store, username: str) -> None:
    logins.clear_failures(store, "account", account_key(username))
