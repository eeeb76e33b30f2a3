"""The comment card's push-conflict note, in a real Streamlit runtime (AppTest)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from moderation.records import Action
from moderation.review import decide
from moderation.sites.records import PushState
from moderation.store import Store
from moderation.store.pushes import begin_attempt, finish, plan_decision_pushes, pushes_of_comment
from tests.unit.sites.pulled_comment import pull_held_comment


def _script(db_url: str, comment_id: str) -> None:
    from moderation.store import Store
    from moderation.ui.site_conflict import show_push_conflict

    show_push_conflict(Store.open(db_url), comment_id)


def test_the_card_says_why_a_decision_did_not_reach_the_site(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tw.db'}"
    store = Store.open(url)
    now = datetime.now(UTC)
    site = pull_held_comment(store, "blog_*x*", now)
    decide(store, "wp1-c7", Action.REJECT, moderator="m", expected_version=1, clause_id="c")
    store.write(lambda conn: plan_decision_pushes(conn, site.id, site.reject_as, now))
    with store.engine.connect() as conn:
        (planned,) = pushes_of_comment(conn, "wp1-c7")
    store.write(lambda conn: begin_attempt(conn, planned.id, now))
    conflict = {"asked": "spam", "status_pulled": "hold", "status_now": "approved"}
    store.write(lambda conn: finish(conn, planned.id, PushState.CONFLICT, now, conflict=conflict))

    shown = AppTest.from_function(_script, args=(url, "wp1-c7"), default_timeout=60).run()
    assert not shown.exception
    (note,) = shown.warning
    assert "blog\\_\\*x\\*" in note.value  # Markdown in the site's name stays literal
    said = re.sub(r"\\(.)", r"\1", note.value)
    assert said.startswith("Not sent to blog_*x*: on the site its status changed from hold to")
    clean = AppTest.from_function(_script, args=(url, "wp1-c8"), default_timeout=60).run()
    assert not clean.exception and not clean.warning
    store.close()
