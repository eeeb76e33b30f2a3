"""Key flows in a real browser: log in, reject with a reason, find it under Rejected and in the
audit log; hostile markup in reader text shows literally."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import HOSTILE, OUTPUT

pytestmark = pytest.mark.browser


def shot(page: Any, name: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)


def log_in(page: Any, user: str = "moderator") -> None:
    page.get_by_role("textbox", name="Username").fill(user)
    page.get_by_role("textbox", name="Password").fill(f"{user}-demo")
    page.get_by_role("button", name="Login").click()
    # First run: the sample data is parsed, scored and flagged before the queue shows.
    page.get_by_role("heading", name="Queue", exact=True).wait_for(timeout=120_000)


def wait_idle(page: Any) -> None:
    """Wait until no script run is in flight: a run re-mounts elements, and a click on an element
    that is about to be replaced is lost."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()


def open_queue(page: Any, name: str) -> None:
    label = re.compile(rf"^{name} \(\d+\)$")
    wait_idle(page)  # the page may still be drawing its selector
    # The segments are radios, and a click on the chosen one would clear the choice.
    if page.get_by_role("radio", name=label, checked=True).count() == 0:
        page.get_by_role("radio", name=label).click()
    page.get_by_role("radio", name=label, checked=True).wait_for()
    wait_idle(page)


def filter_by_author(page: Any, name: str) -> None:
    """Open "Filter and sort" and filter the queue by one author."""
    author = page.get_by_label("Author (exact name)")
    for _ in range(5):
        wait_idle(page)
        if author.count() == 1 and author.is_visible():
            break
        page.get_by_text("Filter and sort").last.click()
        try:
            author.last.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeoutError:
            continue
    author.fill(name)
    author.press("Enter")


def test_reject_with_reason_then_find_it_rejected_and_audited(page: Any) -> None:
    log_in(page)
    shot(page, "01-queue")
    author = page.locator(".st-key-queue_card_author strong").first.inner_text()
    page.get_by_label("Note (optional)").fill("e2e: name-calling")
    # Only the form's button: the queue selector's "Rejected (n)" segments are not role=button.
    page.get_by_role("button", name="Reject").click()
    page.get_by_text(f"Rejected comment by {author}.").wait_for()
    shot(page, "02-rejected-message")
    open_queue(page, "Rejected")
    page.get_by_text("status rejected by moderator").wait_for()
    assert page.locator(".st-key-queue_card_author strong").first.inner_text() == author
    shot(page, "03-rejected-queue")
    page.get_by_role("link", name="Audit").click()
    page.get_by_role("heading", name="Audit", exact=True).wait_for()
    page.get_by_text("reject").first.wait_for()
    shot(page, "04-audit")


def test_hostile_markup_is_shown_literally(page: Any) -> None:
    log_in(page)
    open_queue(page, "All")
    filter_by_author(page, "mallory")
    # The card, not the queue table below it, which holds the same text in its grid cells.
    card_text = page.locator(".st-key-queue_card").get_by_text("onerror=alert(1)")
    card_text.wait_for()
    shot(page, "05-hostile-literal")
    # Every visible character as typed (invisible word joiners break autolinks).
    shown = card_text.inner_text().replace("\u2060", "")
    assert shown == HOSTILE
    # The markup stayed text: no image, no bold, no link came out of it.
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href='http://example.com']").count() == 0
    assert page.locator("strong", has_text=re.compile(r"^bold$")).count() == 0
