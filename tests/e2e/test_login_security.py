"""Login hardening and the HTTP surface in a real browser, on two servers of one deployment
(one database, one THREADWATCH_COOKIE_KEY, demo mode off): a login is valid on both and a
logout ends it on both, a copied cookie stops working after "Log out", the metrics endpoint
needs its token, and a downloaded audit CSV is not served to anyone without a session."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.helpers import two_decisions
from tests.e2e.conftest import (
    launch,
    new_tab,
    prepare,
    submit_login,
    wait_for_cookie,
    wait_idle,
)

pytestmark = pytest.mark.browser

KEY = "e2e-shared-cookie-key-" + "0" * 24
TOKEN = "e2e-metrics-token"
# bcrypt of "threadwatch: no such account": outside demo mode the demo passwords are refused.
PASSWORD = "threadwatch: no such account"
ACCOUNTS = """credentials:
  usernames:
    alice:
      name: Alice
      password: $2b$12$rwmYy7toF29ZiTXdHqaLAeDIO06A/ldwOknaU5yNCMTa9P31U.486
      roles: [editor]
cookie:
  name: threadwatch_auth
  expiry_days: 1
"""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[list[str]]:
    """Two servers sharing a database and a cookie key; the first one has a metrics token."""
    tmp = tmp_path_factory.mktemp("deployment")
    accounts = tmp / "auth.yaml"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    env = {
        **prepare(tmp),
        "THREADWATCH_AUTH_FILE": str(accounts),
        "THREADWATCH_DEMO_MODE": "false",
        "THREADWATCH_COOKIE_KEY": KEY,
    }
    with (
        launch({**env, "THREADWATCH_METRICS_TOKEN": TOKEN}, tmp / "server-a.log") as a,
        launch(env, tmp / "server-b.log") as b,
    ):
        tab = new_tab(browser)
        tab.goto(a)
        submit_login(tab, "alice", PASSWORD)
        queue(tab).wait_for(timeout=120_000)  # the first run loads the seeds
        two_decisions(env["DATABASE_URL"])  # something in the audit log to download
        tab.context.close()
        yield [a, b]


def queue(tab: Any) -> Any:
    return tab.get_by_role("heading", name="Queue", exact=True)


def login_form(tab: Any) -> Any:
    return tab.get_by_role("textbox", name="Username")


def shows_login_form(tab: Any, url: str) -> bool:
    """Open ``url`` in ``tab``: True if it asks for a login, False if the queue shows."""
    tab.goto(url)
    tab.locator("h1, [data-testid='stTextInputRootElement']").first.wait_for()
    wait_idle(tab)
    return login_form(tab).count() == 1


def log_out(tab: Any) -> None:
    tab.get_by_role("button", name="Log out").click()
    login_form(tab).wait_for()
    wait_idle(tab)


def status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_copied_cookie_stops_working_after_logout(deployment: list[str], browser: Any) -> None:
    a, b = deployment
    mine = new_tab(browser)
    mine.goto(a)
    submit_login(mine, "alice", PASSWORD)
    queue(mine).wait_for()
    wait_idle(mine)
    wait_for_cookie(mine)
    stolen = new_tab(browser)
    stolen.context.add_cookies(mine.context.cookies())
    assert not shows_login_form(stolen, a), "the copied cookie should work while logged in"
    log_out(mine)
    assert shows_login_form(stolen, a), "a copied cookie still works after Log out"
    assert shows_login_form(stolen, b), "...and on the other server of the deployment"
    mine.context.close()
    stolen.context.close()


def test_servers_of_one_deployment_share_logins_and_logouts(
    deployment: list[str], browser: Any
) -> None:
    a, b = deployment
    tab = new_tab(browser)
    tab.goto(a)
    submit_login(tab, "alice", PASSWORD)
    queue(tab).wait_for()
    wait_idle(tab)
    wait_for_cookie(tab)
    assert not shows_login_form(tab, b), "the other server did not accept the login"
    assert not shows_login_form(tab, a), "visiting the other server logged us out here"
    tab.goto(b)
    queue(tab).wait_for()
    wait_idle(tab)
    log_out(tab)  # on B
    assert shows_login_form(tab, a)
    tab.context.close()


def test_metrics_need_the_token(deployment: list[str]) -> None:
    a, b = deployment
    assert status(f"{a}/_stcore/metrics") == 401
    assert status(f"{a}/_stcore/metrics", {"Authorization": "Bearer wrong"}) == 401
    assert status(f"{a}/_stcore/metrics", {"Authorization": f"Bearer {TOKEN}"}) == 200
    assert status(f"{b}/_stcore/metrics") == 404  # no token configured: off
    assert status(f"{a}/_stcore/health") == 200  # health checks stay open


def test_a_downloaded_audit_csv_is_only_served_with_a_session(
    deployment: list[str], browser: Any
) -> None:
    a, _ = deployment
    tab = new_tab(browser, accept_downloads=True)
    tab.goto(f"{a}/audit")
    submit_login(tab, "alice", PASSWORD)
    tab.get_by_role("heading", name="Audit", exact=True).wait_for()
    wait_idle(tab)
    with tab.expect_download() as download:
        tab.get_by_role("button", name=re.compile(r"^Download \d+ rows as CSV$")).click()
    url = download.value.url
    assert "/media/" in url
    assert (
        Path(download.value.path()).read_text(encoding="utf-8").startswith(("at,", "id,", "\ufeff"))
    )
    assert tab.context.request.get(url).status == 200  # the logged-in browser may fetch it
    assert status(url) == 403, "the CSV is served to a request without a session"
    log_out(tab)
    assert tab.context.request.get(url).status == 403  # and not after logging out
    tab.context.close()
