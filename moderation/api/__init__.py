"""The HTTP API (FastAPI): any comment system posts comments and reads decisions.

Layout: ``config`` (limits), ``models`` (request/response bodies), ``tokens`` (clients, scopes,
hashed tokens), ``ratelimit`` (token buckets), ``limits`` (request size, before the body is
read), ``intake`` (store -> score -> flag through the domain functions), ``webhooks`` (signed
deliveries), ``app`` (routes and errors), ``commands`` (`moderation api …`, `moderation serve`).
"""

from __future__ import annotations
