"""Deep links, bookmarks and reloads in a real browser: every page keeps its URL for every role,
before and after logging in; a thread and a comment card have shareable URLs; an editor-only
page tells a moderator why it is not available; a rules draft survives a reload."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    launch,
    new_tab,
    prepare,
    submit_login,
    wait_for_cookie,
    wait_idle,
)

pytestmark = pytest.mark.browser

PAGES = {
    "queue": "Queue",
    "threads": "Threads",
    "authors": "Authors",
    "stats": "Stats",
    "audit": "Audit",
    "rules": "Rules",
    "import": "Import",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[tuple[str, Path]]:
    """One server for the module, its sample data loaded by a first login; (url, database)."""
    tmp = tmp_path_factory.mktemp("navigation")
    env = prepare(tmp)
    with launch(env, tmp / "navigation.log") as url:
        tab = new_tab(browser)
        tab.goto(url)
        submit_login(tab, "admin")
        heading(tab, "Queue").wait_for(timeout=120_000)  # the first run loads the seeds
        tab.context.close()
        yield url, Path(env["DATABASE_URL"].removeprefix("sqlite:///"))


def heading(tab: Any, title: str) -> Any:
    return tab.get_by_role("heading", name=title, exact=True)


def path_of(tab: Any) -> str:
    return urlsplit(tab.url).path


def address(tab: Any) -> str:
    parts = urlsplit(tab.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def open_page(tab: Any, url: str, title: str) -> None:
    tab.goto(url)
    heading(tab, title).wait_for()
    wait_idle(tab)


def one_row(db: Path, query: str) -> tuple[Any, ...]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return tuple(row)


@pytest.mark.parametrize(
    ("role", "start"),
    [("moderator", "threads"), ("editor", "rules"), ("admin", "import")],
)
def test_every_page_keeps_its_url_before_and_after_login_and_on_reload(
    site: tuple[str, Path], browser: Any, role: str, start: str
) -> None:
    url, _ = site
    tab = new_tab(browser)
    # A bookmark opened while logged out: the login form, at the bookmarked URL...
    tab.goto(f"{url}/{start}")
    tab.get_by_role("textbox", name="Username").wait_for()
    wait_idle(tab)
    assert path_of(tab) == f"/{start}"
    # ...and the login leads to that page, not to the queue.
    submit_login(tab, role)
    heading(tab, PAGES[start]).wait_for()
    wait_idle(tab)
    assert path_of(tab) == f"/{start}"
    wait_for_cookie(tab)
    tab.reload()
    heading(tab, PAGES[start]).wait_for()
    wait_idle(tab)
    assert path_of(tab) == f"/{start}"
    assert tab.get_by_role("textbox", name="Username").count() == 0  # the cookie logged us in
    for path, title in PAGES.items():
        if role == "moderator" and path == "import":
            continue
        open_page(tab, f"{url}/{path}", title)
        assert path_of(tab) == f"/{path}", f"{role}: /{path} was rewritten"
        tab.reload()  # and a reload keeps every page, for every role
        heading(tab, title).wait_for()
        wait_idle(tab)
        assert path_of(tab) == f"/{path}", f"{role}: reload of /{path} was rewritten"
    tab.context.close()


def test_a_moderator_opening_an_editor_page_is_told_why(
    site: tuple[str, Path], browser: Any
) -> None:
    url, _ = site
    tab = new_tab(browser)
    tab.goto(f"{url}/import")
    tab.get_by_role("textbox", name="Username").wait_for()
    submit_login(tab, "moderator")
    heading(tab, "Import").wait_for()
    wait_idle(tab)
    assert path_of(tab) == "/import"
    tab.get_by_text(re.compile(r"Import is for editors and admins; you are signed in as moderator"))
    assert tab.get_by_text("Import is for editors and admins", exact=False).count() == 1
    assert tab.get_by_label("Source files").count() == 0  # no uploader
    # The menu does not offer it, but the other pages are all there.
    menu = tab.get_by_test_id("stSidebarNav")
    assert menu.get_by_role("link", name="Import").count() == 0
    assert menu.get_by_role("link", name="Rules").count() == 1
    tab.context.close()


def test_thread_and_comment_urls_can_be_shared(site: tuple[str, Path], browser: Any) -> None:
    url, db = site
    article_id, title = one_row(
        db,
        "SELECT a.id, a.title FROM articles a JOIN comments c ON c.article_id = a.id "
        "GROUP BY a.id ORDER BY count(*) ASC, a.title LIMIT 1",
    )
    tab = new_tab(browser)
    tab.goto(f"{url}/threads?article={article_id}")
    tab.get_by_role("textbox", name="Username").wait_for()
    submit_login(tab, "moderator")
    heading(tab, "Threads").wait_for()
    wait_idle(tab)
    assert tab.get_by_role("heading", name=title, exact=True).count() == 1
    assert address(tab) == f"/threads?article={article_id}"
    # Open a comment's card from the thread: the address bar names it.
    tab.get_by_role("button", name="Open in queue").first.click()
    heading(tab, "Queue").wait_for()
    wait_idle(tab)
    query = urlsplit(tab.url).query
    match = re.fullmatch(rf"article={article_id}&comment=([0-9a-f]+)", query)
    assert match, tab.url
    author = one_row(db, f"SELECT author FROM comments WHERE id = '{match[1]}'")[0]
    card_author = tab.locator(".st-key-queue_card_author strong").first
    assert card_author.inner_text() == author
    shared = tab.url
    # The same URL in another browser of a logged-in colleague opens the same card.
    colleague = new_tab(browser)
    colleague.goto(shared)
    colleague.get_by_role("textbox", name="Username").wait_for()
    submit_login(colleague, "editor")
    colleague.locator(".st-key-queue_card_author strong").first.wait_for()
    wait_idle(colleague)
    assert colleague.locator(".st-key-queue_card_author strong").first.inner_text() == author
    assert colleague.url == shared
    wait_for_cookie(colleague)  # the reload must find the login's cookie (set by a script)
    colleague.reload()
    colleague.get_by_role("button", name="← Back to the queue").wait_for()
    wait_idle(colleague)
    assert colleague.url == shared
    # Closing the card takes its comment out of the address bar.
    colleague.get_by_role("button", name="← Back to the queue").click()
    colleague.get_by_role("button", name="← Back to the queue").wait_for(state="detached")
    wait_idle(colleague)
    assert urlsplit(colleague.url).query == ""
    assert path_of(colleague) in ("/", "/queue")
    tab.context.close()
    colleague.context.close()


def test_a_half_edited_rules_draft_survives_a_reload(site: tuple[str, Path], browser: Any) -> None:
    url, _ = site
    tab = new_tab(browser)
    tab.goto(f"{url}/rules")
    tab.get_by_role("textbox", name="Username").wait_for()
    submit_login(tab, "editor")
    heading(tab, "Rules").wait_for()
    wait_idle(tab)
    tab.get_by_role("tab", name="Edit & preview").click()
    editor = tab.get_by_role("textbox", name="rules.yaml")
    expect(editor).to_have_value(re.compile(r"\nrules:"))  # the tab has drawn its text
    draft = editor.input_value() + "\n# e2e: a half-edited draft\n"
    editor.fill(draft)
    editor.press("Control+Enter")  # what leaving the text area does: send it to the server
    tab.get_by_text(re.compile(r"^Valid: \d+ rules\.$")).wait_for()
    wait_idle(tab)
    tab.reload()
    heading(tab, "Rules").wait_for()
    wait_idle(tab)
    tab.get_by_role("tab", name="Edit & preview").click()
    assert tab.get_by_role("textbox", name="rules.yaml").input_value() == draft
    tab.get_by_text("Restored your unsaved draft", exact=False).wait_for()
    tab.context.close()
