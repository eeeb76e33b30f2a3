"""One context per script run (moderation/ui/state.py): what a rerun asks the database, and
caches that follow the data version instead of being cleared by the session that wrote."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.engine import Engine

from moderation import review
from moderation.store import Store
from moderation.store.rulesets import active_version
from moderation.store.schema import articles
from tests.app.helpers import log_in, two_decisions

_WHOLE_TABLE_COUNT = re.compile(r"SELECT count\(\*\) AS count_1\s+FROM \w+\s*$")


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine of this process sends while the block runs."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_a_rerun_reads_the_data_version_once_and_counts_no_whole_table(app_env: str) -> None:
    # The stats page caches all of its own queries: what is left is the frame's.
    app = log_in("moderator", "stats")
    app.run()
    with statements() as sent:
        app.run()
    assert not app.exception
    assert [s for s in sent if _WHOLE_TABLE_COUNT.match(s)] == []
    assert len([s for s in sent if "rule_set_pointer" in s]) == 1, sent


def test_a_decision_made_elsewhere_shows_on_the_next_run_of_a_cached_page(app_env: str) -> None:
    # Written straight to the database (another session's server, the CLI): no session of
    # this process cleared anything, yet the moved data version makes the cached totals miss.
    app = log_in("moderator", "stats")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Decisions standing"] == "0"
    two_decisions(app_env)
    app.run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Decisions standing"] == "2"


def _approved_and_rejected(app: Any) -> tuple[int, int]:
    table = app.dataframe[0].value
    return int(table["approved"].sum()), int(table["rejected"].sum())


def test_a_decision_made_elsewhere_shows_on_the_next_run_of_the_threads_page(
    app_env: str,
) -> None:
    app = log_in("moderator", "threads")
    assert not app.exception
    assert _approved_and_rejected(app) == (0, 0)
    two_decisions(app_env)
    app.run()
    assert not app.exception
    assert _approved_and_rejected(app) == (1, 1)


def test_a_decision_made_elsewhere_shows_on_the_next_run_of_the_authors_page(
    app_env: str,
) -> None:
    app = log_in("moderator", "authors")
    assert not app.exception
    pending, _ = review.queue_page(
        Store.open(app_env),
        review.QueueFilter(queue="pending"),
        model_id=None,
        rule_set_version=active_version(Store.open(app_env)),
    )
    author = str(pending[1].author)  # two_decisions rejects this author's comment
    app.text_input(key="authors_search").input(author).run()
    before = app.dataframe[0].value.set_index("author")["rejected"][author]
    two_decisions(app_env)
    app.run()
    assert not app.exception
    assert app.dataframe[0].value.set_index("author")["rejected"][author] == before + 1


def test_a_decision_made_elsewhere_shows_on_the_next_run_of_the_audit_page(
    app_env: str,
) -> None:
    app = log_in("moderator", "audit")
    assert not app.exception
    assert list(app.dataframe[0].value["action"]) == ["rules.save"]
    two_decisions(app_env)
    app.run()
    assert not app.exception
    assert list(app.dataframe[0].value["action"]) == ["reject", "approve", "rules.save"]
    assert any("3 entries" in s.value for s in app.success)  # the hash chain's check


def test_the_audit_chain_is_checked_again_only_when_the_chain_moves(app_env: str) -> None:
    app = log_in("moderator", "audit")
    assert not app.exception
    # Another process stores an article: the data version moves, the audit chain does not.
    store = Store.open(app_env)
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(
            insert(articles).values(
                id="elsewhere",
                source="test",
                title="Stored elsewhere",
                body="",
                content_hash="0",
                created_at=now,
                updated_at=now,
            )
        )
    with statements() as sent:
        app.run()
    assert not app.exception
    assert any("FROM audit_log" in s for s in sent)  # the page's rows were read again
    assert not any("audit_head.row_hash" in s for s in sent), sent  # the check was not
    two_decisions(app_env)
    with statements() as sent:
        app.run()
    assert any("audit_head.row_hash" in s for s in sent)
    assert any("3 entries" in s.value for s in app.success)
