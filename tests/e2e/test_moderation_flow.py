"""Key flows in a real browser: log in, reject with a reason, find it under Rejected and in the
audit log; hostile markup in reader text shows literally."""

from __future__ import annotations

import re
from typing import Any

import pytest

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


def open_queue(page: Any, name: str) -> None:
    page.get_by_text(re.compile(rf"^{name} \(\d+\)$")).click()


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
    page.get_by_text("Filter and sort").click()
    author = page.get_by_label("Author (exact name)")
    author.fill("mallory")
    author.press("Enter")
    page.get_by_text("onerror=alert(1)").wait_for()
    shot(page, "05-hostile-literal")
    # Every visible character as typed (invisible word joiners break autolinks).
    shown = page.get_by_text("onerror=alert(1)").inner_text().replace("\u2060", "")
    assert shown == HOSTILE
    # The markup stayed text: no image, no bold, no link came out of it.
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href='http://example.com']").count() == 0
    assert page.locator("strong", has_text=re.compile(r"^bold$")).count() == 0
