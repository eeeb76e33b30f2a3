"""Two dashboard servers on one PostgreSQL: what one server's moderator does shows on the other's
next run, and a card made stale by the other server is refused with who decided first.

The other server is a separate process (its own engine, pool and caches), deciding through the
same domain API its pages call."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from moderation import review
from moderation.store import Store
from tests.app.helpers import log_in
from tests.conftest import ROOT, fresh_postgres_database

pytestmark = pytest.mark.postgres

# Server B: bob decides the pending comment of the author server A's card shows.
SERVER_B = """
import sys
from moderation import review
from moderation.store import Store
from moderation.store.rulesets import active_version
store = Store.open(sys.argv[1])
items, _ = review.queue_page(store, review.QueueFilter(queue="pending"), model_id=None,
                             rule_set_version=active_version(store))
item = next(i for i in items if i.author == sys.argv[2])
review.decide(store, item.comment_id, "approve", moderator="bob-on-b",
              expected_version=item.version)
"""


@pytest.fixture
def team_env(
    app_env: str, postgres_admin_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with fresh_postgres_database(postgres_admin_url) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        yield url


def _pending(url: str) -> int:
    store = Store.open(url)
    try:
        return review.queue_counts(store)["pending"]
    finally:
        store.close()


def test_a_decision_on_another_server_shows_here_and_makes_this_card_stale(team_env: str) -> None:
    app = log_in()  # server A: the first run loads the seed articles
    assert not app.exception
    author = next(m.value for m in app.markdown if m.value.startswith("**")).strip("*")
    before = _pending(team_env)
    subprocess.run(
        [sys.executable, "-c", SERVER_B, team_env, author.replace("\\", "")],
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    assert _pending(team_env) == before - 1
    app.button(key="queue_escalate").click().run()  # server A's moderator, on the stale card
    assert any("already approved by bob-on-b" in w.value for w in app.warning)
    app.switch_page("moderation/ui/pages/stats.py").run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Decisions standing"] == "1"  # B's decision, in A's cached totals
