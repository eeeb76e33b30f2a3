"""Driving the dashboard in AppTest: log in with a demo account, open a page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from moderation import review
from moderation.store import Store
from moderation.store.rulesets import active_version

ROOT = Path(__file__).resolve().parents[2]
PAGES = "moderation/ui/pages"


def log_in(user: str | None = "moderator", page: str | None = None) -> AppTest:
    """Run the dashboard, log in as ``user`` (demo password ``<user>-demo``; None stays on the
    login form) and switch to ``page`` (a page script name such as "rules", or its path)."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    if user is not None and not app.exception and app.text_input:
        app.text_input[0].input(user)
        app.text_input[1].input(f"{user}-demo")
        app.button[0].click().run()
    if page is not None:
        app.switch_page(page if "/" in page else f"{PAGES}/{page}.py").run()
    return app


def two_decisions(url: str) -> list[review.QueueItem]:
    """alice approves the first pending comment, bob rejects the second; returns the pending
    items as they were before."""
    store = Store.open(url)
    version = active_version(store)
    items, _ = review.queue_page(
        store, review.QueueFilter(queue="pending"), model_id=None, rule_set_version=version
    )
    review.decide(
        store, items[0].comment_id, "approve", moderator="alice", expected_version=items[0].version
    )
    review.decide(
        store,
        items[1].comment_id,
        "reject",
        moderator="bob",
        expected_version=items[1].version,
        clause_id="no-personal-attacks",
    )
    return items
