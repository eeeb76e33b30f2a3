"""An editor adds a word to a list, previews the impact, saves, and finds the comment pending."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import ROOT
from tests.e2e.test_moderation_flow import filter_by_author, log_in, open_queue, shot

pytestmark = pytest.mark.browser
ANCHOR = "    source: better-profanity 0.7.0 (PyPI), better_profanity/profanity_wordlist.txt\n"


def test_add_a_word_preview_save_and_find_it_pending(page: Any) -> None:
    rules = (ROOT / "rules.yaml").read_text(encoding="utf-8")
    assert ANCHOR in rules
    # "kakare" (zohrab's Armenian profanity) is flagged by profanity-armenian since issue 14, so
    # the word added is one only Ed's comment holds ("the banana republic").
    edited = rules.replace(ANCHOR, ANCHOR + "    items: [banana]\n", 1)

    log_in(page, "editor")
    page.get_by_role("link", name="Rules").click()
    page.get_by_role("heading", name="Rules", exact=True).wait_for()
    page.get_by_role("tab", name="Edit & preview").click()
    editor = page.get_by_role("textbox", name="rules.yaml")
    editor.fill(edited)
    editor.press("Control+Enter")  # commit the text area's value, as leaving it would
    page.get_by_text(re.compile(r"^Valid: \d+ rules\.$")).wait_for()
    page.get_by_role("button", name="Preview impact").click()
    newly = page.get_by_test_id("stMetric").filter(has_text="Newly flagged")
    newly.get_by_text("1", exact=True).wait_for()
    shot(page, "10-rules-preview")

    page.get_by_role("textbox", name="What changed and why").fill("e2e: banana is profanity")
    page.get_by_role("button", name="Save as new version").click()
    page.get_by_text(re.compile(r"^Saved rule set v2;")).wait_for()
    # The re-flag runs in the background; its progress fragment reports the summary when done.
    page.get_by_text(re.compile(r"^re-flag for rule set v2: \d+ comments evaluated")).wait_for(
        timeout=120_000
    )
    shot(page, "11-rules-saved")

    page.get_by_role("link", name="Queue").click()
    page.get_by_role("heading", name="Queue", exact=True).wait_for()
    open_queue(page, "Pending")
    filter_by_author(page, "Ed")
    page.locator(".st-key-queue_card_author strong", has_text="Ed").wait_for()
    page.get_by_text("banana", exact=True).first.wait_for()
    shot(page, "12-pending-after-save")
