"""GET /v1/decisions (the outbox) and signed webhooks, both over real HTTP: decisions taken
through the review domain function reach the client with the client's own ids."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from moderation.api.config import ApiConfig
from moderation.api.webhooks import DeliveryStatus, WebhookSender, set_webhook, verify
from moderation.errors import ConfigError
from moderation.records import Action, Status
from moderation.review import decide, undo_last
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store
from moderation.store import webhooks as deliveries_store
from moderation.store.schema import comments
from moderation.store.schema_connect import api_clients, webhook_deliveries
from tests.unit.api.conftest import Api, comment, make_api, serve, standard_tokens

SECRET = "s3cret-for-tests"


def _version(store: Store, comment_id: str) -> int:
    with store.engine.connect() as conn:
        return int(
            conn.execute(select(comments.c.version).where(comments.c.id == comment_id)).scalar_one()
        )


def _post_and_decide(api: Api) -> dict[str, str]:
    posted = api.post(
        {
            "comments": [
                comment("You are an idiot.", cid="bad"),
                comment("Nice work.", cid="good"),
                comment("No id on this one."),
            ]
        }
    ).body["comments"]
    ids = {v["id"] or "anon": v["comment_id"] for v in posted}
    decide(
        api.store,
        ids["bad"],
        Action.REJECT,
        moderator="mod1",
        expected_version=_version(api.store, ids["bad"]),
        clause_id="no-personal-attacks",
    )
    decide(
        api.store,
        ids["good"],
        Action.APPROVE,
        moderator="mod1",
        expected_version=_version(api.store, ids["good"]),
    )
    undo_last(api.store, moderator="mod1")  # the approval of "good" is undone
    return ids


def test_the_outbox_lists_decisions_and_undos_in_order_after_a_cursor(api: Api) -> None:
    ids = _post_and_decide(api)
    answer = api.call("GET", "/v1/decisions?since=0", token=api.tokens["reader"])
    assert answer.status == 200
    events = answer.body["decisions"]
    assert [(e["id"], e["action"], e["status"]) for e in events] == [
        ("bad", Action.REJECT, Status.REJECTED),
        ("good", Action.APPROVE, Status.APPROVED),
        ("good", Action.UNDO, Status.UNMODERATED),
    ]
    assert events[0]["clause_id"] == "no-personal-attacks"
    assert events[0]["comment_id"] == ids["bad"] and events[0]["article_id"] == "a1"
    cursors = [e["cursor"] for e in events]
    assert cursors == sorted(cursors) and answer.body["next"] == cursors[-1]
    # Paging: limit, then the rest from the cursor; nothing after the last.
    first = api.call("GET", "/v1/decisions?since=0&limit=1", token=api.tokens["reader"]).body
    assert [e["cursor"] for e in first["decisions"]] == cursors[:1]
    rest = api.call("GET", f"/v1/decisions?since={first['next']}", token=api.tokens["reader"]).body
    assert [e["cursor"] for e in rest["decisions"]] == cursors[1:]
    done = api.call("GET", f"/v1/decisions?since={cursors[-1]}", token=api.tokens["reader"])
    assert done.body == {"decisions": [], "next": cursors[-1]}
    # Another client sees none of this client's decisions.
    other = api.call("GET", "/v1/decisions", token=api.tokens["other"]).body
    assert other == {"decisions": [], "next": 0}


class Receiver:
    """A real HTTP server that records what it is sent; answers ``codes`` in turn, then 200."""

    def __init__(self, codes: list[int] | None = None) -> None:
        self.codes = list(codes or [])
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                code = receiver.codes.pop(0) if receiver.codes else 200
                if code == 200:
                    receiver.received.append(
                        ({k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    receiver.arrived.set()
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "webhook.secret"
    path.write_text(SECRET + "\n")
    return path


def _independent_check(headers: dict[str, str], body: bytes) -> None:
    # The receiver's side, written from the README's description, not with our helper.
    timestamp = headers["x-threadwatch-timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert headers["x-threadwatch-signature"] == "sha256=" + expected.hexdigest()


def test_webhooks_are_signed_and_each_decision_is_delivered_once(
    api: Api, receiver: Receiver, secret_file: Path
) -> None:
    api.post(comment("Before the webhook existed.", cid="old"))
    old = api.post(comment("Before the webhook existed.", cid="old")).body["comments"][0]
    decide(
        api.store,
        old["comment_id"],
        Action.APPROVE,
        moderator="mod1",
        expected_version=_version(api.store, old["comment_id"]),
    )
    set_webhook(api.store, "site", receiver.url, f"file:{secret_file}")
    ids = _post_and_decide(api)
    sender = WebhookSender(api.store, ApiConfig())
    outcome = sender.run_once()
    assert (outcome.scheduled, outcome.delivered, outcome.failed) == (3, 3, 0)
    bodies = [json.loads(body) for _h, body in receiver.received]
    assert [(b["decision"]["id"], b["decision"]["action"]) for b in bodies] == [
        ("bad", "reject"),
        ("good", "approve"),
        ("good", "undo"),
    ]
    assert bodies[0]["decision"]["comment_id"] == ids["bad"]
    for headers, body in receiver.received:
        _independent_check(headers, body)
        assert verify(
            SECRET.encode(),
            body,
            headers["x-threadwatch-signature"],
            headers["x-threadwatch-timestamp"],
        )
        assert not verify(
            b"wrong", body, headers["x-threadwatch-signature"], headers["x-threadwatch-timestamp"]
        )
        assert not verify(
            SECRET.encode(),
            body + b" ",
            headers["x-threadwatch-signature"],
            headers["x-threadwatch-timestamp"],
        )
    # A second round sends nothing again; every delivery is recorded as delivered.
    assert sender.run_once().delivered == 0
    with api.store.engine.connect() as conn:
        rows = conn.execute(select(webhook_deliveries)).all()
        refs = [tuple(r) for r in conn.execute(select(api_clients))]
    assert [r.status for r in rows] == [DeliveryStatus.DELIVERED] * 3
    assert all(r.attempts == 1 and r.last_status_code == 200 for r in rows)
    assert SECRET not in repr(refs)  # only where the secret is, never the secret


def test_a_failing_receiver_is_retried_with_backoff(api: Api, secret_file: Path) -> None:
    failing = Receiver(codes=[500, 503])
    try:
        set_webhook(api.store, "site", failing.url, f"file:{secret_file}")
        posted = api.post(comment("Decide me.", cid="c1")).body["comments"][0]
        decide(
            api.store,
            posted["comment_id"],
            Action.APPROVE,
            moderator="mod1",
            expected_version=_version(api.store, posted["comment_id"]),
        )
        sender = WebhookSender(api.store, ApiConfig(retry_base_s=30, max_attempts=5))
        before = datetime.now(UTC)
        assert sender.run_once().failed == 1
        with api.store.engine.connect() as conn:
            (delivery,) = deliveries_store.of_client(conn, _client_id(conn))
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
        assert delivery.last_status_code == 500
        wait = _aware(delivery.next_attempt_at) - before
        assert 29 <= wait.total_seconds() <= 60
        # Not due yet: the next round leaves it alone.
        assert sender.run_once().failed == 0
        # Time passes (the row falls due); the second attempt fails again, with twice the wait.
        _make_due(api.store)
        second = datetime.now(UTC)
        assert sender.run_once().failed == 1
        with api.store.engine.connect() as conn:
            (delivery,) = deliveries_store.of_client(conn, _client_id(conn))
        assert delivery.attempts == 2 and delivery.last_status_code == 503
        assert 59 <= (_aware(delivery.next_attempt_at) - second).total_seconds() <= 90
        _make_due(api.store)
        assert sender.run_once().delivered == 1
        assert len(failing.received) == 1
        _independent_check(*failing.received[0])
    finally:
        failing.close()


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _client_id(conn: Any) -> int:
    return int(
        conn.execute(select(api_clients.c.id).where(api_clients.c.name == "site")).scalar_one()
    )


def _make_due(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(update(webhook_deliveries).values(next_attempt_at=datetime.now(UTC)))


def test_the_server_sends_webhooks_by_itself(
    store: Store,
    rules_path: Path,
    offline_scorer: MiniLMHeadsScorer,
    receiver: Receiver,
    secret_file: Path,
) -> None:
    config = ApiConfig(webhook_poll_s=0.05, rate_per_s=100, burst=100)
    sender = WebhookSender(store, config)
    intake, app = make_api(store, rules_path, offline_scorer, config, webhooks=sender)
    with serve(app) as (host, port):
        api = Api(host, port, store, intake, standard_tokens(store))
        set_webhook(store, "site", receiver.url, f"file:{secret_file}")
        posted = api.post(comment("Decide me.", cid="c1")).body["comments"][0]
        decide(
            store,
            posted["comment_id"],
            Action.APPROVE,
            moderator="mod1",
            expected_version=_version(store, posted["comment_id"]),
        )
        assert receiver.arrived.wait(timeout=60), "no webhook arrived"
    _independent_check(*receiver.received[0])
    assert json.loads(receiver.received[0][1])["decision"]["id"] == "c1"


def test_a_webhook_secret_that_cannot_be_read_is_refused_without_naming_it(
    api: Api, tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match="not set"):
        set_webhook(api.store, "site", receiver.url, "env:THREADWATCH_TEST_NO_SUCH_VAR")
    with pytest.raises(ConfigError, match="cannot read"):
        set_webhook(api.store, "site", receiver.url, f"file:{tmp_path / 'missing'}")
    monkeypatch.setenv("THREADWATCH_TEST_HOOK_SECRET", SECRET)
    set_webhook(api.store, "site", receiver.url, "env:THREADWATCH_TEST_HOOK_SECRET")
    with api.store.engine.connect() as conn:
        assert SECRET not in repr([tuple(r) for r in conn.execute(select(api_clients))])
