"""A self-refreshing part of a page (the live queue's watcher, the Rules page's job progress)
whose timer fires at the moment of a click on "Log out": the login form shows, the tab never
goes blank.

The race, made certain here: the timer's fragment rerun reaches the server just after the
logout run. The logout run ended with ``st.stop()``, after which Streamlit still knew the
queue's fragment, so it ran the tick at the fragment's position on the old page; the login page
has nothing there, and the browser's app failed ("Bad delta path index 6 (should be between
[0, 3])"), leaving a blank tab. Seen once in CI and about once in 15 logouts under load; here
the queue case fails every time before the fix (the router's runs now end by returning). The
Rules page's fragment sits higher on its page, at a position the login page has: its case
passed before too, and stays as the second timed fragment's guard.

The test's WebSocket route holds nothing back: it forwards every message as it comes and sends
one copy of the browser's own last timer tick as soon as the logout run has finished.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.conftest import launch, new_tab, prepare, submit_login, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("ticks")
    with launch(prepare(tmp), tmp / "streamlit-ticks.log") as url:
        yield url


class TickAfterClick:
    """A WebSocket route between the tab and the server: it remembers the browser's latest
    timer tick (an automatic fragment rerun); once armed, it sends that tick again as soon as
    the run of the next click has finished."""

    def __init__(self) -> None:
        self.tick: bytes | None = None
        self.armed = False
        self.clicked = False
        self.injected = False

    def route(self, ws: Any) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda message: self._up(server, message))
        server.on_message(lambda message: self._down(ws, server, message))

    def _up(self, server: Any, message: str | bytes) -> None:
        if isinstance(message, bytes):
            msg = BackMsg.FromString(message)
            if msg.WhichOneof("type") == "rerun_script":
                run = msg.rerun_script
                if run.fragment_id and run.is_auto_rerun:
                    self.tick = message
                elif self.armed and not run.fragment_id:
                    self.clicked = True
        server.send(message)

    def _down(self, ws: Any, server: Any, message: str | bytes) -> None:
        ws.send(message)
        if (
            self.clicked
            and not self.injected
            and self.tick is not None
            and isinstance(message, bytes)
            and ForwardMsg.FromString(message).WhichOneof("type") == "script_finished"
        ):
            self.injected = True
            server.send(self.tick)


@pytest.mark.parametrize(
    ("path", "heading"), [("", "Queue"), ("rules", "Rules")], ids=["queue", "rules"]
)
def test_a_timer_tick_at_the_moment_of_log_out_leaves_the_login_form(
    dashboard: str, browser: Any, path: str, heading: str
) -> None:
    tab = new_tab(browser)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    race = TickAfterClick()
    tab.route_web_socket(re.compile(r".*/_stcore/stream$"), race.route)
    tab.goto(f"{dashboard}/{path}")
    submit_login(tab, "editor")
    tab.get_by_role("heading", name=heading, exact=True).wait_for(timeout=120_000)
    wait_idle(tab)
    race.tick = None  # a tick of this page's own fragment, sent after its run
    deadline_ms = 15_000
    waited = 0
    while race.tick is None and waited < deadline_ms:
        tab.wait_for_timeout(100)
        waited += 100
    assert race.tick is not None, f"the {heading} page's timer never ticked"
    wait_idle(tab)
    race.armed = True
    tab.get_by_role("button", name="Log out").click()
    tab.get_by_role("textbox", name="Username").wait_for(timeout=30_000)
    wait_idle(tab)
    assert race.injected, "the tick was not sent during the logout"
    assert not errors, f"the app failed in the browser: {errors}"
    tab.context.close()
