"""The API's limits and timings; `moderation serve` flags set them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiConfig:
    # A request body over this is refused with 413 before it is read (Content-Length), or as
    # soon as the streamed bytes pass it (chunked bodies).
    max_body_bytes: int = 1024 * 1024
    max_batch: int = 500  # comments per POST (the schema says at most models.MAX_BATCH)
    # Token bucket per API token: ``rate_per_s`` requests a second on average, bursts of
    # ``burst``. Kept in the server process: several servers each allow this much.
    rate_per_s: float = 20.0
    burst: int = 40
    # Webhooks: how often the sender looks for new decisions and due retries; retry backoff
    # doubles from ``retry_base_s`` up to ``retry_max_s``; given up after ``max_attempts``.
    webhook_poll_s: float = 1.0
    webhook_timeout_s: float = 5.0
    retry_base_s: float = 2.0
    retry_max_s: float = 600.0
    max_attempts: int = 8
