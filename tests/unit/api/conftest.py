"""The API served by a real uvicorn on a free loopback port, over the `store` fixture's database
(SQLite and PostgreSQL), with the bundled offline scorer and a private rules.yaml."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed (pip install -r requirements.txt)")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")

from moderation.api.app import create_app  # noqa: E402
from moderation.api.config import ApiConfig  # noqa: E402
from moderation.api.intake import Intake  # noqa: E402
from moderation.api.tokens import Scope, add_token  # noqa: E402
from moderation.pipeline.versions import load_active_rules  # noqa: E402
from moderation.scoring import MiniLMHeadsScorer  # noqa: E402
from moderation.store import Store  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Api:
    host: str
    port: int
    store: Store
    intake: Intake
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {"Content-Type": "application/json"}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        payload = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=payload, headers=sent)
            response = conn.getresponse()
            data = response.read()
            got = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        parsed = json.loads(data) if data and "json" in got.get("content-type", "") else data
        return Answer(response.status, got, parsed)

    def post(self, body: Any, token: str | None = None) -> Answer:
        return self.call("POST", "/v1/comments", body, token=token or self.tokens["writer"])


@contextmanager
def serve(app: Any) -> Iterator[tuple[str, int]]:
    """``app`` under uvicorn in a thread; yields (host, port) once it accepts connections."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="api-under-test", daemon=True)
    thread.start()
    ready = threading.Event()
    # uvicorn sets .started once its socket listens; wait for that state, not for a clock.
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn stopped before it started")
        ready.wait(0.02)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def make_api(
    store: Store,
    rules_path: Path,
    scorer: MiniLMHeadsScorer | None,
    config: ApiConfig | None = None,
    **app_options: Any,
) -> tuple[Intake, Any]:
    rules = load_active_rules(store, rules_path)
    intake = Intake(store, scorer, rules)
    return intake, create_app(intake, config or ApiConfig(), **app_options)


def standard_tokens(store: Store) -> dict[str, str]:
    return {
        "writer": add_token(store, "site", frozenset({Scope.COMMENTS_WRITE})).token,
        "reader": add_token(store, "site", frozenset({Scope.DECISIONS_READ})).token,
        "both": add_token(
            store, "site", frozenset({Scope.COMMENTS_WRITE, Scope.DECISIONS_READ})
        ).token,
        "other": add_token(
            store, "other-site", frozenset({Scope.COMMENTS_WRITE, Scope.DECISIONS_READ})
        ).token,
    }


@pytest.fixture
def api(store: Store, rules_path: Path, offline_scorer: MiniLMHeadsScorer) -> Iterator[Api]:
    """The API on the test's database (SQLite and PostgreSQL) with generous limits."""
    intake, app = make_api(
        store, rules_path, offline_scorer, ApiConfig(rate_per_s=1000, burst=1000)
    )
    with serve(app) as (host, port):
        yield Api(host, port, store, intake, standard_tokens(store))


def comment(text: str, *, cid: str | None = None, article: str = "a1", **more: Any) -> dict:
    body: dict[str, Any] = {
        "article": {"id": article, "title": f"Article {article}", "url": "https://example.com/a"},
        "text": text,
        **more,
    }
    if cid is not None:
        body["id"] = cid
    return body
