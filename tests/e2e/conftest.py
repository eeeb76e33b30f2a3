"""A real `streamlit run` on a free loopback port, driven by Debian's chromium via Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "e2e"
HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](http://example.com)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    return path


def prepare(tmp_path: Path) -> dict[str, str]:
    """A fresh SQLite database, the seeds plus a hostile comment, and a private rules.yaml;
    returns the environment a server needs for them."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", data)
    (data / "zz_hostile.txt").write_text(
        f"Zzz hostile markup test\n\nBody.\n\n  1. mallory said:\n\n    {HOSTILE}\n",
        encoding="utf-8",
    )
    # Editors save rules.yaml: give the server its own copy, never the repository's.
    rules = tmp_path / "rules" / "rules.yaml"
    rules.parent.mkdir()
    shutil.copy(ROOT / "rules.yaml", rules)
    shutil.copytree(ROOT / "rule_lists", rules.parent / "rule_lists")
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
        "THREADWATCH_SAMPLE_DATA": str(data),
        "THREADWATCH_MODEL": "offline",
        "THREADWATCH_RULES_PATH": str(rules),
    }


@contextlib.contextmanager
def launch(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """`streamlit run dashboard.py` with ``env`` on a free port; yields its URL once healthy
    and stops it afterwards (its log is kept in test-output/e2e)."""
    port = _free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        OUTPUT.mkdir(parents=True, exist_ok=True)
        shutil.copy(log_path, OUTPUT / log_path.name)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The dashboard on a fresh SQLite database holding the seeds plus a hostile comment."""
    with launch(prepare(tmp_path), tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[object]:
    """A tab of the module's chromium in its own context, on the test's server. (One Playwright
    per module: a second sync_playwright() beside the module's own cannot start.)"""
    tab = new_tab(browser)
    tab.goto(server)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    """One chromium for a module's tests; each test opens its own contexts (cookie jars)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def new_tab(browser: Any, **options: Any) -> Any:
    """A tab in a fresh browser context (its own cookies), ready to be driven."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, **options)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    return tab


def wait_idle(tab: Any) -> None:
    """No script run in flight (a run re-mounts elements; a click on one about to go is lost)."""
    tab.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()


def submit_login(tab: Any, user: str, password: str | None = None) -> None:
    """Fill in and send the login form that is on screen (the demo password by default)."""
    tab.get_by_role("textbox", name="Username").fill(user)
    tab.get_by_role("textbox", name="Password").fill(password or f"{user}-demo")
    tab.get_by_role("button", name="Login").click()


def wait_for_cookie(tab: Any, name: str = "threadwatch_auth", timeout_s: float = 30.0) -> None:
    """Wait until the browser holds the session cookie. The dashboard sets it from a script in
    the page after the login run, so a test that opens another tab or server right after the
    queue shows would otherwise race that script."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if any(c["name"] == name and c["value"] for c in tab.context.cookies()):
            return
        tab.wait_for_timeout(50)
    raise AssertionError(f"the browser never received the {name} cookie")
