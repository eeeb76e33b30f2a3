"""Losing the PostgreSQL server and getting it back (a restart, a failover, a network cut).

Every statement that meets a dead or unreachable server fails with a one-line ``StoreError``
(never the driver's traceback): the dashboard shows it, the API answers 503, a worker retries its
step. The pool then recovers by itself: a disconnect invalidates the pooled connections, and
``pool_pre_ping`` tests each one on checkout, so the next call after the server is back simply
works. The process says so in its log, once when the connection is lost and once when it is back,
not once per thread or per statement.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from moderation.errors import StoreError

log = logging.getLogger("moderation.store")

LOST = "lost the connection to the database"
UNREACHABLE = "cannot reach the database"


class _Outage:
    def __init__(self, url: str) -> None:
        self.url = url
        self.lost = False
        self.lock = threading.Lock()

    def on_error(self, context: ExceptionContext) -> BaseException | None:
        connecting = context.connection is None  # the failure was in connecting
        if not (context.is_disconnect or connecting):
            return None  # an answer from a live server (a constraint, a lock): not ours here
        reason = str(context.original_exception).strip().splitlines()[0]
        with self.lock:
            if not self.lost:
                self.lost = True
                log.warning("%s (%s): %s; reconnecting on the next call", LOST, self.url, reason)
        if connecting:
            return StoreError(f"{UNREACHABLE}: {reason}", subject=self.url)
        # Mid-transaction: what was being committed may or may not be stored; callers that
        # retry must check first (decisions do: the version check refuses a second one).
        return StoreError(f"{LOST}: {reason}; the transaction was not confirmed", subject=self.url)

    def on_connect(self, _dbapi_connection: Any, _record: Any) -> None:
        with self.lock:
            if self.lost:
                self.lost = False
                log.warning("reconnected to the database (%s)", self.url)


def watch(engine: Engine, url: str) -> None:
    """Turn lost connections on ``engine`` into StoreErrors and log the outage's two ends."""
    outage = _Outage(url)
    event.listen(engine, "handle_error", outage.on_error)
    event.listen(engine, "connect", outage.on_connect)


__all__ = ["LOST", "UNREACHABLE", "watch"]
