"""Uploads against a real `streamlit run` (issue 11, points 3 and 9).

- The upload endpoint refuses a session that is not logged in as editor or admin (none, or a
  moderator's cookie from a real login), and accepts an editor's. Driven with
  Streamlit's own protocol (a websocket session, then the HTTP PUT its uploader would send); only
  the logins that give the cookies need a browser.
- While an editor's upload is parsed, the same server keeps answering /_stcore/health within 1 s
  (a browser drives the Import page).
"""

from __future__ import annotations

import re
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string
from websockets.sync.client import ClientConnection, connect

from moderation.access.accounts import DEFAULT_COOKIE
from tests.e2e.conftest import new_tab
from tests.e2e.test_moderation_flow import log_in, shot

COMMENT_BOMB = "<!---->" * 26 + "<x>"  # 185 bytes: 17 s of regex backtracking before the fix


@contextmanager
def anonymous_session(server: str) -> Iterator[str]:
    """A session as a browser opening the login page gets one; its id, once its first run (the
    login form) is done. The session stays open inside the block."""
    with connect(
        server.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"]
    ) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        ws.send(rerun.SerializeToString())
        yield _first_run_done(ws)


def _first_run_done(ws: ClientConnection) -> str:
    session_id = ""
    while True:
        message = ForwardMsg()
        message.ParseFromString(ws.recv(timeout=120))
        kind = message.WhichOneof("type")
        if kind == "new_session":
            session_id = message.new_session.initialize.session_id
        elif kind == "script_finished" and session_id:
            return session_id


def put_upload(
    server: str, session_id: str, data: bytes, cookies: dict[str, str] | None = None
) -> requests.Response:
    """The request st.file_uploader sends. The XSRF check is a double-submit cookie: a client
    that is not a victim's browser just sends a token of its own as both. ``cookies``: a logged-in
    browser's (its session cookie), sent along."""
    token = generate_xsrf_token_string()
    return requests.put(
        f"{server}/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
        files={"file": ("payload.txt", data, "text/plain")},
        headers={"X-Xsrftoken": token},
        cookies={**(cookies or {}), "_streamlit_xsrf": token},
        timeout=60,
    )


def test_an_upload_from_a_session_that_is_not_logged_in_is_refused(server: str) -> None:
    with anonymous_session(server) as session_id:
        response = put_upload(server, session_id, b"x" * 1_000_000)
    assert response.status_code == 403
    assert "editor or admin" in response.text


@pytest.mark.browser
def test_a_moderators_session_cookie_is_refused_and_an_editors_accepted(
    browser: Any, server: str
) -> None:
    # Real cookies: each role logs in through the page, and its browser's cookies go with the PUT.
    jars: dict[str, dict[str, str]] = {}
    for user in ("moderator", "editor"):
        tab = new_tab(browser)
        tab.goto(server)
        log_in(tab, user)
        # The queue shows before the browser has run the script that sets the session cookie
        # (it comes with the next script run): wait for the cookie itself, not for the page.
        tab.wait_for_function(f"document.cookie.includes({DEFAULT_COOKIE!r} + '=')")
        jars[user] = {c["name"]: c["value"] for c in tab.context.cookies()}
        tab.context.close()
    assert jars["moderator"].keys() - {"_streamlit_xsrf"}, "login set no session cookie"
    with anonymous_session(server) as session_id:
        moderator = put_upload(server, session_id, b"a moderator's file", jars["moderator"])
        editor = put_upload(server, session_id, b"an editor's file", jars["editor"])
    assert moderator.status_code == 403
    assert "editor or admin" in moderator.text
    assert editor.status_code in (200, 204), editor.text


def test_an_upload_over_the_import_limit_is_refused_by_the_server(server: str) -> None:
    with anonymous_session(server) as session_id:
        response = put_upload(server, session_id, b"x" * (21 * 1024 * 1024))
    assert response.status_code == 413  # server.maxUploadSize = 20 (MB), before any session check


@pytest.mark.browser
@pytest.mark.timed
def test_health_answers_within_a_second_while_an_upload_is_parsed(
    page: Any, server: str, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.txt"
    bomb.write_text(COMMENT_BOMB, encoding="utf-8")
    large = tmp_path / "large.txt"  # ~15 MB: seconds of parsing
    large.write_text(
        "Large thread\n\nAn article body that is long enough to read as prose, for the test.\n\n"
        + "".join(
            f"  {i}. Reader {i} said:\n\n    Comment number {i}.\n\n" for i in range(1, 320_000)
        ),
        encoding="utf-8",
    )
    log_in(page, "editor")
    page.get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Import", exact=True).wait_for()

    latencies: list[float] = []
    parsing = threading.Event()
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(f"{server}/_stcore/health", timeout=10) as response:
                    response.read()
                seconds = time.monotonic() - started
            except OSError:
                seconds = float("inf")
            if parsing.is_set():
                latencies.append(seconds)
            time.sleep(0.2)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        page.locator(".st-key-import_files input[type=file]").set_input_files([bomb, large])
        page.get_by_text(re.compile(r"^Reading")).first.wait_for(timeout=120_000)
        parsing.set()
        # The preview is drawn when both files are read (the button counts them).
        page.get_by_role("button", name="Ingest 2 files").wait_for(timeout=300_000)
    finally:
        done.set()
        poller.join()
    shot(page, "20-import-preview-after-large-upload")
    assert len(latencies) >= 3, f"the parse was too quick to observe ({len(latencies)} polls)"
    assert max(latencies) < 1.0, f"/_stcore/health took up to {max(latencies):.1f} s"
    page.get_by_text(re.compile(r"bomb\.txt: unrecognised format")).wait_for()
