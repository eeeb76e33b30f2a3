"""Bad requests get a clear 4xx in one JSON shape, and nothing is stored: sizes, JSON, types,
unknown fields, tokens, scopes, rates."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation.api.config import ApiConfig
from moderation.api.tokens import Scope, add_token, list_tokens, revoke_token
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store
from moderation.store.schema import articles, authors, comments
from moderation.store.schema_connect import api_comments, api_tokens
from tests.unit.api.conftest import Api, comment, make_api, serve, standard_tokens

_LIMIT = 4096


def _nothing_stored(store: Store) -> bool:
    with store.engine.connect() as conn:
        return all(
            conn.execute(select(func.count()).select_from(t)).scalar_one() == 0
            for t in (articles, comments, authors, api_comments)
        )


@pytest.fixture
def small(store: Store, rules_path: Path, offline_scorer: MiniLMHeadsScorer) -> Iterator[Api]:
    """Small limits: 4 KiB bodies, batches of 3, bursts of 1000."""
    config = ApiConfig(max_body_bytes=_LIMIT, max_batch=3, rate_per_s=1000, burst=1000)
    intake, app = make_api(store, rules_path, offline_scorer, config)
    with serve(app) as (host, port):
        yield Api(host, port, store, intake, standard_tokens(store))


def _ok() -> dict:
    return comment("A perfectly fine comment.", cid="c1")


@pytest.mark.parametrize(
    ("raw", "headers", "status", "code"),
    [
        (b'{"article": {"id": "a", "title": "t"}, "text": ', {}, 400, "malformed_json"),
        (b"\xff\xfe not utf-8", {}, 400, "malformed_json"),
        (json.dumps(_ok()).encode(), {"Content-Type": "text/plain"}, 415, "unsupported_media_type"),
        (
            json.dumps(_ok()).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        (json.dumps({**_ok(), "text": 12}).encode(), {}, 422, "invalid_body"),
        (json.dumps({**_ok(), "article": "a1"}).encode(), {}, 422, "invalid_body"),
        (json.dumps({**_ok(), "score": 0.1}).encode(), {}, 422, "invalid_body"),
        (
            json.dumps({**_ok(), "article": {"id": "a", "title": "t", "x": 1}}).encode(),
            {},
            422,
            "invalid_body",
        ),
        (json.dumps({"article": {"id": "a", "title": "t"}}).encode(), {}, 422, "invalid_body"),
        (json.dumps({**_ok(), "text": ""}).encode(), {}, 422, "invalid_body"),
        (
            json.dumps({**_ok(), "posted_at": "2024-01-01T10:00:00"}).encode(),
            {},
            422,
            "invalid_body",
        ),
        (json.dumps({"comments": []}).encode(), {}, 422, "invalid_body"),
        (json.dumps([_ok()]).encode(), {}, 422, "invalid_body"),
        (json.dumps({"comments": [_ok()] * 4}).encode(), {}, 413, "batch_too_large"),
        (json.dumps({**_ok(), "text": "x" * _LIMIT}).encode(), {}, 413, "too_large"),
    ],
    ids=[
        "truncated-json",
        "not-utf8",
        "text-plain",
        "form",
        "text-is-number",
        "article-is-string",
        "unknown-field",
        "unknown-article-field",
        "text-missing",
        "text-empty",
        "naive-datetime",
        "empty-batch",
        "bare-list",
        "batch-over-limit",
        "body-over-limit",
    ],
)
def test_bad_input_is_a_clear_4xx_and_stores_nothing(
    small: Api, raw: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    answer = small.call(
        "POST", "/v1/comments", raw=raw, token=small.tokens["writer"], headers=headers
    )
    assert answer.status == status, answer.body
    error = answer.body["error"]
    assert error["status"] == status and error["code"] == code
    assert error["reason"] and "\n" not in error["reason"]
    assert _nothing_stored(small.store)


def test_unknown_fields_are_named(small: Api) -> None:
    answer = small.post({**_ok(), "athor": "typo"})
    assert answer.status == 422
    assert "athor" in answer.body["error"]["reason"]


def test_a_chunked_body_over_the_limit_is_refused_before_it_is_all_read(small: Api) -> None:
    conn = http.client.HTTPConnection(small.host, small.port, timeout=60)
    conn.putrequest("POST", "/v1/comments")
    conn.putheader("Authorization", f"Bearer {small.tokens['writer']}")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    sent = 0
    try:
        # Far more than the limit; the server answers once it has seen more than 4 KiB.
        for _ in range(64):
            chunk = b" " * 1024
            conn.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    assert response.status == 413 and body["error"]["code"] == "too_large"
    assert _nothing_stored(small.store)


def test_a_declared_length_over_the_limit_is_refused_before_the_body(small: Api) -> None:
    conn = http.client.HTTPConnection(small.host, small.port, timeout=60)
    conn.putrequest("POST", "/v1/comments")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(10 * 1024 * 1024))
    conn.endheaders()  # no body sent at all: the answer comes from the header alone
    response = conn.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["error"]["code"] == "too_large"
    conn.close()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "Bearer"),
        ({"Authorization": "Bearer tw_not-a-token"}, "unknown"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Bearer"),
    ],
    ids=["no-token", "unknown-token", "basic-auth"],
)
def test_no_valid_token_is_401(small: Api, headers: dict[str, str], reason: str) -> None:
    answer = small.call("POST", "/v1/comments", _ok(), headers=headers)
    assert answer.status == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert reason in answer.body["error"]["reason"]
    assert _nothing_stored(small.store)
    assert small.call("GET", "/v1/decisions", headers=headers).status == 401


def test_scopes_are_enforced(small: Api) -> None:
    refused = small.post(_ok(), token=small.tokens["reader"])
    assert refused.status == 403 and "comments:write" in refused.body["error"]["reason"]
    assert _nothing_stored(small.store)
    assert small.call("GET", "/v1/decisions", token=small.tokens["writer"]).status == 403
    assert small.call("GET", "/v1/decisions", token=small.tokens["reader"]).status == 200
    assert small.post(_ok(), token=small.tokens["both"]).status == 201


def test_a_revoked_token_is_refused(small: Api) -> None:
    token = add_token(small.store, "site", frozenset({Scope.COMMENTS_WRITE}))
    assert small.post(_ok(), token=token.token).status == 201
    revoke_token(small.store, token.id)
    assert small.post(comment("Another.", cid="c2"), token=token.token).status == 401


def test_tokens_are_stored_hashed(small: Api) -> None:
    with small.store.engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(select(api_tokens))]
    dump = repr(stored)
    for token in small.tokens.values():
        assert token not in dump
        assert token[:10] in dump  # the listed prefix, to tell tokens apart
    assert {t.prefix for t in list_tokens(small.store)} == {t[:10] for t in small.tokens.values()}


def test_the_rate_limit_answers_429_with_retry_after(
    store: Store, rules_path: Path, offline_scorer: MiniLMHeadsScorer
) -> None:
    intake, app = make_api(store, rules_path, offline_scorer, ApiConfig(rate_per_s=0.01, burst=2))
    with serve(app) as (host, port):
        api = Api(host, port, store, intake, standard_tokens(store))
        assert api.post(comment("One.", cid="1")).status == 201
        assert api.post(comment("Two.", cid="2")).status == 201
        refused = api.post(comment("Three.", cid="3"))
        assert refused.status == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.body["error"]["code"] == "rate_limited"
        # Per token: another client's token still has its burst.
        assert api.post(comment("Four.", cid="4"), token=api.tokens["other"]).status == 201
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(comments)).scalar_one() == 3


def test_unknown_routes_and_methods_use_the_error_shape(small: Api) -> None:
    missing = small.call("GET", "/v1/nothing")
    assert missing.status == 404 and missing.body["error"]["code"] == "not_found"
    wrong = small.call("DELETE", "/v1/comments", token=small.tokens["writer"])
    assert wrong.status == 405 and wrong.body["error"]["code"] == "method_not_allowed"
    bad_query = small.call("GET", "/v1/decisions?since=-1", token=small.tokens["reader"])
    assert bad_query.status == 422 and "since" in bad_query.body["error"]["reason"]
