"""Request size limit as ASGI middleware: a body over the limit is refused with 413 before it is
read (by its Content-Length), or as soon as the bytes received pass the limit (chunked), so a
large upload never reaches the JSON parser or the database."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """Raised from ``receive`` once a streamed body passes the limit; the app's exception
    handler answers 413 (raised through the route, so no half-read body is acted on)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"request body over {max_bytes:,} bytes")
        self.reason = str(self)


def error_body(status: int, code: str, reason: str) -> bytes:
    return json.dumps({"error": {"status": status, "code": code, "reason": reason}}).encode()


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await _refuse(send, 400, "bad_request", "Content-Length is not a number")
                return
            if length > self.max_bytes:
                await _refuse(send, 413, "too_large", self._reason())
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _refuse(send, 413, "too_large", self._reason())

    def _reason(self) -> str:
        return f"request body over {self.max_bytes:,} bytes"


async def _refuse(send: Send, status: int, code: str, reason: str) -> None:
    body = error_body(status, code, reason)
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
