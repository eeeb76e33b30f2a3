"""The FastAPI application: routes, authentication, limits and one JSON shape for every error.

A request is checked in this order, and nothing is stored unless it passes every step: size
(413, before the body is read), token (401), scope (403), rate (429), content type (415), JSON
(400), schema (422); then storing may still refuse it whole, in one transaction (409: a comment
id posted before with other content, a parent not posted yet or in another article).
"""

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException

from moderation.api.config import ApiConfig
from moderation.api.intake import Intake
from moderation.api.limits import BodyLimit, BodyTooLarge
from moderation.api.models import (
    BatchIn,
    CommentIn,
    CommentsOut,
    DecisionsOut,
    ErrorOut,
    HealthOut,
)
from moderation.api.ratelimit import RateLimiter
from moderation.api.tokens import AuthError, Scope, ScopeError, authenticate, require
from moderation.api.webhooks import WebhookSender
from moderation.errors import ConflictError, InvalidRequestError, ModerationError, NotFoundError
from moderation.store import Store
from moderation.store.api_clients import Client

log = logging.getLogger(__name__)

_bearer = HTTPBearer(auto_error=False, description="An API token: `moderation api token add`")


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        reason: str,
        *,
        headers: dict[str, str] | None = None,
        problems: list[str] | None = None,
    ) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason = status, code, reason
        self.headers = headers or {}
        self.problems = problems


def _error(
    status: int,
    code: str,
    reason: str,
    headers: dict[str, str] | None = None,
    problems: list[str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code, "reason": reason}
    if problems is not None:
        body["problems"] = problems
    return JSONResponse({"error": body}, status_code=status, headers=headers)


# Which statuses each route may answer with, all in the error shape (documented in the spec).
_ERRORS = {
    400: "Malformed JSON",
    401: "No token, or an unknown or revoked one",
    403: "The token lacks the scope",
    409: "A comment id posted before with other content, or a parent not posted yet",
    413: "Body or batch over the limit",
    415: "Content-Type is not application/json",
    422: "Wrong types, unknown or missing fields",
    429: "Over the token's rate limit (see Retry-After)",
}


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorOut, "description": _ERRORS[code]} for code in codes}


def _problems(exc: ValidationError | RequestValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        lines.append(f"{where}: {err.get('msg', 'invalid')}")
    return lines[:50]


def create_app(
    intake: Intake,
    config: ApiConfig | None = None,
    *,
    webhooks: WebhookSender | None = None,
) -> FastAPI:
    config = config or ApiConfig()
    app = FastAPI(
        title="Threadwatch API",
        version="1",
        summary="Post reader comments to be scored and flagged; read moderators' decisions.",
        lifespan=_lifespan(webhooks),
    )
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    writer, reader = _clients(intake.store, config)

    @app.get("/v1/health", response_model=HealthOut, tags=["service"])
    def health() -> HealthOut:
        return HealthOut(status="ok")

    @app.post(
        "/v1/comments",
        response_model=CommentsOut,
        tags=["comments"],
        summary="Store, score and flag one comment or a batch; returns each verdict",
        responses={
            200: {"model": CommentsOut, "description": "Every comment was stored before"},
            201: {"model": CommentsOut, "description": "Stored, scored and flagged"},
            **_responses(400, 401, 403, 409, 413, 415, 422, 429),
        },
        openapi_extra=_COMMENTS_BODY,
    )
    async def post_comments(
        request: Request, client: Annotated[Client, Depends(writer)]
    ) -> JSONResponse:
        items = await _comments_in(request, config)
        verdicts = await run_in_threadpool(intake.post, client, items)
        status = 201 if any(v.created for v in verdicts) else 200
        return JSONResponse(
            CommentsOut(comments=verdicts).model_dump(mode="json"), status_code=status
        )

    @app.get(
        "/v1/decisions",
        response_model=DecisionsOut,
        tags=["decisions"],
        summary="Moderators' decisions on your comments after a cursor, oldest first",
        responses=_responses(401, 403, 422, 429),
    )
    async def get_decisions(
        client: Annotated[Client, Depends(reader)],
        since: Annotated[int, Query(ge=0, le=2**53, description="The last cursor you saw")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> DecisionsOut:
        return await run_in_threadpool(intake.decisions, client, since=since, limit=limit)

    _handlers(app)
    _openapi(app)
    return app


# POST /v1/comments reads its body itself (to answer 415 and 400 before 422), so the spec is told
# what the body is: one comment or a batch.
_COMMENTS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/CommentIn"},
                        {"$ref": "#/components/schemas/BatchIn"},
                    ]
                }
            }
        },
    }
}


def _lifespan(
    webhooks: WebhookSender | None,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The webhook sender runs while the server does."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if webhooks is not None:
            webhooks.start()
        try:
            yield
        finally:
            if webhooks is not None:
                webhooks.stop()

    return lifespan


_Dependency = Callable[[HTTPAuthorizationCredentials | None], Awaitable[Client]]


def _clients(store: Store, config: ApiConfig) -> tuple[_Dependency, _Dependency]:
    """The dependencies that authenticate a request's client for writing comments and for
    reading decisions; both take from one rate limit per token."""
    limiter = RateLimiter(config.rate_per_s, config.burst)

    def client_with(scope: Scope, credentials: HTTPAuthorizationCredentials | None) -> Client:
        token = authenticate(store, credentials.credentials if credentials else None)
        client = require(token, scope)
        wait = limiter.take(token.id)
        if wait is not None:
            raise ApiError(
                429,
                "rate_limited",
                f"over {config.rate_per_s:g} requests/s; retry in {wait}s",
                headers={"Retry-After": str(wait)},
            )
        return client

    async def writer(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Client:
        return await run_in_threadpool(client_with, Scope.COMMENTS_WRITE, credentials)

    async def reader(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Client:
        return await run_in_threadpool(client_with, Scope.DECISIONS_READ, credentials)

    return writer, reader


async def _comments_in(request: Request, config: ApiConfig) -> list[CommentIn]:
    """The comments a POST carries, checked in order: content type (415), JSON (400), schema
    (422), batch size (413)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and not (
        kind.startswith("application/") and kind.endswith("+json")
    ):
        raise ApiError(415, "unsupported_media_type", "send Content-Type: application/json")
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"the body is not JSON: {exc}") from exc
    try:
        if isinstance(data, dict) and "comments" in data:
            items = list(BatchIn.model_validate_json(raw).comments)
        else:
            items = [CommentIn.model_validate_json(raw)]
    except ValidationError as exc:
        problems = _problems(exc)
        raise ApiError(422, "invalid_body", problems[0], problems=problems) from exc
    if len(items) > config.max_batch:
        raise ApiError(
            413, "batch_too_large", f"{len(items)} comments; at most {config.max_batch} a post"
        )
    return items


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_r: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.reason, exc.headers, exc.problems)

    @app.exception_handler(BodyTooLarge)
    async def too_large(_r: Request, exc: BodyTooLarge) -> JSONResponse:
        return _error(413, "too_large", exc.reason, {"Connection": "close"})

    @app.exception_handler(RequestValidationError)
    async def invalid(_r: Request, exc: RequestValidationError) -> JSONResponse:
        problems = _problems(exc)
        return _error(
            422, "invalid_request", problems[0] if problems else "invalid", None, problems
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(ModerationError)
    async def domain_error(_r: Request, exc: ModerationError) -> JSONResponse:
        if isinstance(exc, AuthError):
            return _error(401, "unauthorized", exc.reason, {"WWW-Authenticate": "Bearer"})
        if isinstance(exc, ScopeError):
            return _error(403, "forbidden", exc.reason)
        if isinstance(exc, ConflictError):
            return _error(409, "conflict", str(exc))
        if isinstance(exc, NotFoundError):
            return _error(404, "not_found", str(exc))
        if isinstance(exc, InvalidRequestError):
            return _error(422, "invalid_request", str(exc))
        # A database or model failure: the client learns it may retry, the log says why
        # (the reason may name the database, which is none of the client's business).
        log.error("API request failed: %s", exc)
        return _error(503, "unavailable", "the server could not store or score now; retry later")


def _openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        _, defs = models_json_schema(
            [(CommentIn, "validation"), (BatchIn, "validation")],
            ref_template="#/components/schemas/{model}",
        )
        spec.setdefault("components", {}).setdefault("schemas", {}).update(defs["$defs"])
        app.openapi_schema = spec
        return spec

    app.openapi = build  # type: ignore[method-assign]
