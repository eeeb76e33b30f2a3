"""Webhooks: each decision on a client's comments is POSTed to the client's URL, signed.

Signature: ``X-Threadwatch-Signature: sha256=<hex>``, the HMAC-SHA256 under the client's secret
of ``<timestamp>.<raw body>``, with ``X-Threadwatch-Timestamp: <unix seconds>`` (signing the
timestamp lets receivers refuse replays of old deliveries). Deliveries are rows
(store/webhooks.py), so a stopped server resumes them; failures are retried with doubling
backoff and given up after ``ApiConfig.max_attempts``. The secret is read from the place its
reference names (``env:NAME`` or ``file:PATH``) at each delivery, never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import partial
from pathlib import Path

from sqlalchemy import Connection

from moderation.api.config import ApiConfig
from moderation.api.intake import decision_out
from moderation.errors import ConfigError, InvalidRequestError, NotFoundError
from moderation.store import Store, outbox
from moderation.store import api_clients as clients_store
from moderation.store import webhooks as deliveries_store

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Threadwatch-Signature"
TIMESTAMP_HEADER = "X-Threadwatch-Timestamp"
_MAX_SECRET_BYTES = 4096
_SCHEDULE_BATCH = 500


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # given up after the last attempt


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: bytes,
    body: bytes,
    signature: str,
    timestamp: str,
    *,
    tolerance_s: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver checks: the signature over ``timestamp.body``, and a recent timestamp."""
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature)


def read_secret(ref: str) -> bytes:
    """The secret ``ref`` names; errors name the place, never the secret."""
    kind, _, where = ref.partition(":")
    if kind == "env":
        value = os.environ.get(where)
        if not value:
            raise ConfigError("webhook secret variable is not set", subject=where)
        return value.encode()
    if kind == "file":
        try:
            data = Path(where).read_bytes()[: _MAX_SECRET_BYTES + 1]
        except OSError as exc:
            raise ConfigError(f"cannot read webhook secret file: {exc.strerror}") from exc
        if len(data) > _MAX_SECRET_BYTES or not data.strip():
            raise ConfigError("webhook secret file is empty or over 4 KiB")
        return data.strip()
    raise ConfigError("a secret reference is env:NAME or file:PATH", subject=kind)


def set_webhook(store: Store, client: str, url: str | None, secret_ref: str | None) -> None:
    """Send ``client``'s decision events to ``url`` from now on (None: stop sending)."""
    if url is not None:
        if not url.startswith(("http://", "https://")) or len(url) > 2000:
            raise InvalidRequestError("a webhook URL is http(s)://…", subject=url[:200])
        if secret_ref is None:
            raise InvalidRequestError("a webhook needs a secret (file or environment variable)")
        read_secret(secret_ref)  # refuse a reference that does not work now

    def work(conn: Connection) -> None:
        found = clients_store.find_client(conn, client)
        if found is None:
            raise NotFoundError("no such API client (create a token first)", subject=client)
        clients_store.set_webhook(conn, client, url, secret_ref)
        # Decisions taken before the webhook existed are in the outbox, not sent.
        clients_store.move_webhook_cursor(conn, found.id, found.webhook_cursor, outbox.head(conn))

    store.write(work)


@dataclass
class Outcome:
    scheduled: int = 0
    delivered: int = 0
    failed: int = 0  # attempts that failed (retried later or given up)


class WebhookSender:
    """Schedules decision events for every client with a webhook and delivers the due ones."""

    def __init__(self, store: Store, config: ApiConfig) -> None:
        self.store = store
        self.config = config
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def schedule(self) -> int:
        now = datetime.now(UTC)
        added = 0
        with self.store.engine.connect() as conn:
            clients = clients_store.webhook_clients(conn)
        for client in clients:
            with self.store.engine.connect() as conn:
                # The head first: every position up to it is committed (appends are serialised
                # until commit), so moving the cursor to it skips no event.
                last = outbox.head(conn)
                events = outbox.decision_events(
                    conn, client.id, since=client.webhook_cursor, limit=_SCHEDULE_BATCH
                )
            seqs = [e.cursor for e in events]
            full = len(seqs) == _SCHEDULE_BATCH
            new_cursor = seqs[-1] if full else max([last, client.webhook_cursor, *seqs])

            def work(
                conn: Connection,
                client_id: int = client.id,
                old: int = client.webhook_cursor,
                new: int = new_cursor,
                seqs: list[int] = seqs,
            ) -> bool:
                if not clients_store.move_webhook_cursor(conn, client_id, old, new):
                    return False  # another server scheduled them
                deliveries_store.add(conn, client_id, seqs, status=DeliveryStatus.PENDING, now=now)
                return True

            if self.store.write(work):
                added += len(seqs)
        return added

    def deliver_due(self) -> Outcome:
        outcome = Outcome()
        now = datetime.now(UTC)
        with self.store.engine.connect() as conn:
            due = deliveries_store.due(conn, status=DeliveryStatus.PENDING, now=now, limit=100)
        lease = now + timedelta(seconds=self.config.webhook_timeout_s * 3)
        for delivery in due:
            if not self.store.write(
                partial(deliveries_store.claim, delivery=delivery, until=lease)
            ):
                continue
            ok = self._attempt(delivery)
            if ok:
                outcome.delivered += 1
            else:
                outcome.failed += 1
        return outcome

    def _attempt(self, delivery: deliveries_store.Delivery) -> bool:
        attempts = delivery.attempts + 1
        code: int | None = None
        error: str | None = None
        try:
            with self.store.engine.connect() as conn:
                client = clients_store.client_by_id(conn, delivery.client_id)
                events = outbox.decision_events(
                    conn, client.id, since=delivery.event_seq - 1, limit=1
                )
            if not events or events[0].cursor != delivery.event_seq or not client.webhook_url:
                raise ConfigError("the event or the client's webhook is gone")
            body = json.dumps(
                {"type": "decision", "decision": decision_out(events[0]).model_dump(mode="json")},
                separators=(",", ":"),
            ).encode()
            code = self._post(
                client.webhook_url, client.webhook_secret_ref or "", body, delivery.id
            )
            if not 200 <= code < 300:
                error = f"receiver answered HTTP {code}"
        except ConfigError as exc:
            error = str(exc)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = f"{exc.__class__.__name__}: {getattr(exc, 'reason', exc)}"[:500]
        now = datetime.now(UTC)
        delivered = error is None
        if delivered:
            status = DeliveryStatus.DELIVERED
        elif attempts >= self.config.max_attempts:
            status = DeliveryStatus.FAILED
        else:
            status = DeliveryStatus.PENDING
        backoff = min(self.config.retry_base_s * 2 ** (attempts - 1), self.config.retry_max_s)
        self.store.write(
            lambda conn: deliveries_store.record(
                conn,
                delivery.id,
                status=status,
                attempts=attempts,
                next_attempt_at=now + timedelta(seconds=0 if delivered else backoff),
                status_code=code,
                error=error,
                delivered_at=now if delivered else None,
            )
        )
        if error:
            log.warning("webhook delivery %s attempt %s failed: %s", delivery.id, attempts, error)
        return delivered

    def _post(self, url: str, secret_ref: str, body: bytes, delivery_id: int) -> int:
        timestamp = int(time.time())
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Threadwatch-Webhook/1",
                "X-Threadwatch-Event": "decision",
                "X-Threadwatch-Delivery": str(delivery_id),
                TIMESTAMP_HEADER: str(timestamp),
                SIGNATURE_HEADER: sign(read_secret(secret_ref), timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.config.webhook_timeout_s) as answer:
                answer.read(65536)
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def run_once(self) -> Outcome:
        scheduled = self.schedule()
        outcome = self.deliver_due()
        outcome.scheduled = scheduled
        return outcome

    # -- in the server: a thread that polls ------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="threadwatch-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.config.webhook_timeout_s + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the sender must outlive a database hiccup; it retries next round
                log.exception("webhook round failed")
            self._stop.wait(self.config.webhook_poll_s)
