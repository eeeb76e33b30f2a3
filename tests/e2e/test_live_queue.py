"""The live queue in a real browser: a comment posted to the HTTP API appears in an open queue
within 5 s, without a reload and without moving the moderator off the open card."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from moderation.api.tokens import Scope, add_token
from moderation.store import Store
from tests.e2e.conftest import OUTPUT, ROOT, launch, new_tab, prepare, submit_login, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timed]
pytest.importorskip("fastapi", reason="fastapi is not installed (pip install -r requirements.txt)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _api_server(env: dict[str, str], log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moderation", "serve", "--port", str(port), "--no-webhooks"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{url}/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"moderation serve did not start:\n{log_path.read_text()}")
        time.sleep(0.3)


def _post(url: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{url}/v1/comments",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 201
        return json.loads(answer.read())


def _pending_count(tab: Any) -> int:
    label = tab.get_by_role("radio", name=re.compile(r"^Pending \(\d+\)$"))
    return int(re.search(r"\((\d+)\)", label.inner_text()).group(1))  # type: ignore[union-attr]


def test_a_comment_posted_to_the_api_appears_in_the_open_queue(
    browser: Any, tmp_path: Path
) -> None:
    env = prepare(tmp_path)
    with launch(env, tmp_path / "streamlit-live.log") as dashboard:
        tab = new_tab(browser)
        tab.goto(dashboard)
        submit_login(tab, "moderator")
        tab.get_by_role("heading", name="Queue", exact=True).wait_for(timeout=120_000)
        wait_idle(tab)
        # The dashboard's first run stored the seeds; now the API serves the same database.
        store = Store.open(env["DATABASE_URL"])
        token = add_token(store, "live-test", frozenset({Scope.COMMENTS_WRITE})).token
        store.close()
        proc, api = _api_server(env, tmp_path / "serve-live.log")
        try:
            before = _pending_count(tab)
            card = tab.locator(".st-key-queue_card")
            open_author = card.locator(".st-key-queue_card_author").inner_text()
            # A reload would drop this: the page must update in place.
            tab.evaluate("window.__threadwatch_no_reload = true")
            _post(
                api,
                token,
                {
                    "article": {"id": "live-1", "title": "Live article"},
                    "id": "live-c1",
                    "author": "livewatcher",
                    "text": "You are an idiot, livewatcher says.",
                },
            )
            # Within 5 s of the API's answer: the queue's count and its total go up by one.
            tab.get_by_role("radio", name=f"Pending ({before + 1})").wait_for(timeout=5_000)
            tab.get_by_text(re.compile(rf"of {before + 1} in Pending")).wait_for(timeout=5_000)
            assert tab.evaluate("window.__threadwatch_no_reload === true")
            wait_idle(tab)
            # The moderator is still on the card they had open.
            assert card.locator(".st-key-queue_card_author").inner_text() == open_author
            OUTPUT.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(OUTPUT / "live-queue.png"), full_page=True)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            tab.context.close()
