"""The HTTP server around the dashboard (``st.App`` in dashboard.py, run by ``streamlit run``).

- At start-up the scoring model starts loading in the background (``router.warm_up``), before
  anyone opens the login page.
- ``/_stcore/metrics`` is public in Streamlit 1.67 and no setting turns it off: it answers here
  only requests with ``Authorization: Bearer <metrics_token>``, and is off (404) without one.
- ``/media/…`` (files behind ``st.download_button``, such as the audit CSV) is served only to a
  browser with a valid, not logged-out session cookie: Streamlit keeps a downloaded file at
  its URL after the download, and would hand it to anyone who has that URL.
- ``/_stcore/upload_file/…`` (what ``st.file_uploader`` sends) accepts files only from a browser
  logged in as editor or admin: Streamlit 1.67 checks the XSRF token and that the session id
  is open, not who is logged in, so anyone on the login page could keep files in the server's
  memory. Refused before the body is read; a body over ``server.maxUploadSize`` is refused
  (413) first, as Streamlit would.
- ``/api/ready`` answers 200 once the model has loaded (503 before): a readiness probe for a
  load balancer, and what the browser tests wait for.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from http.cookies import CookieError, SimpleCookie
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from moderation.access import sessions
from moderation.access.accounts import User, load_accounts
from moderation.errors import ModerationError
from moderation.settings import Settings, load_settings
from moderation.store import Store

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

METRICS_PATH = "/_stcore/metrics"
MEDIA_PREFIX = "/media/"
UPLOAD_PREFIX = "/_stcore/upload_file/"
UPLOAD_REFUSED = "Uploads need a login as editor or admin."
READY_PATH = "/api/ready"


class Guard:
    """ASGI middleware: the metrics endpoint and media files need credentials."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = _app_path(str(scope.get("path", "")))
            refusal = None
            if path == METRICS_PATH:
                refusal = self._metrics_refusal(scope)
            elif path.startswith(MEDIA_PREFIX):
                refusal = await run_in_threadpool(self._media_refusal, scope)
            elif path.startswith(UPLOAD_PREFIX) and scope.get("method") != "OPTIONS":
                refusal = await run_in_threadpool(self._upload_refusal, scope)
            if refusal is not None:
                status, text = refusal
                await PlainTextResponse(text, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _metrics_refusal(self, scope: Scope) -> tuple[int, str] | None:
        token = _settings().metrics_token
        if token is None:
            return 404, "Not found"
        sent = _header(scope, b"authorization")
        expected = f"Bearer {token.get_secret_value()}"
        if sent is None or not hmac.compare_digest(sent.encode(), expected.encode()):
            return 401, "Metrics need the bearer token (THREADWATCH_METRICS_TOKEN)"
        return None

    def _media_refusal(self, scope: Scope) -> tuple[int, str] | None:
        if _logged_in_user(scope) is not None:
            return None
        return 403, "Log in to the dashboard to download files"

    def _upload_refusal(self, scope: Scope) -> tuple[int, str] | None:
        from streamlit import config

        limit_mb = int(config.get_option("server.maxUploadSize"))
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > limit_mb * 1024 * 1024:
            return 413, f"Uploads are limited to {limit_mb} MB"
        user = _logged_in_user(scope)
        if user is not None and user.can("editor"):
            return None
        log.warning("upload refused: %s", "not an editor" if user else "not logged in")
        return 403, UPLOAD_REFUSED


def _logged_in_user(scope: Scope) -> User | None:
    """The user of the request's session cookie when it is valid and not logged out."""
    try:
        settings = _settings()
        accounts = load_accounts(settings.auth_file)
        key = sessions.cookie_key(settings, accounts)
        session = sessions.read(_cookie(scope, accounts.cookie_name), key)
        if session is None or not sessions.is_valid(_store(settings.database_url), session):
            return None
        return accounts.user(session.username)
    except ModerationError as exc:
        log.warning("request refused: %s", exc)
        return None


def _store(url: str) -> Store:
    from moderation.ui.state import shared_store  # the process's one Store per database

    return shared_store(url)


def _app_path(path: str) -> str:
    """The request path below ``server.baseUrlPath`` (Streamlit's routes live under it)."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    if base and path.startswith(f"/{base}/"):
        return path[len(base) + 1 :]
    return path


def _settings() -> Settings:
    return load_settings()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def middleware() -> list[Middleware]:
    return [Middleware(Guard)]


async def _ready(_request: Request) -> Response:
    from moderation.ui import router

    try:
        warm = router.is_warm(_settings())
    except ModerationError as exc:
        return PlainTextResponse(f"misconfigured: {exc.reason}", status_code=503)
    return PlainTextResponse("ready" if warm else "loading", status_code=200 if warm else 503)


def routes() -> list[BaseRoute]:
    return [Route(READY_PATH, _ready, methods=["GET"])]


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """Server start: begin loading the model before the first page is asked for."""
    from moderation.ui import router  # imports streamlit pages: only once the server runs

    try:
        router.warm_up(load_settings())
    except ModerationError as exc:  # the login page reports bad settings itself
        log.warning("warm-up skipped: %s", exc)
    yield None
