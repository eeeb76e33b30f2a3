"""Authors page in AppTest: the authors table, one author's record, and block/unblock written
to authors.status and the audit log under the logged-in user."""

from __future__ import annotations

from sqlalchemy import select

from moderation.store import Store
from moderation.store.schema import audit_log, authors
from tests.app.helpers import log_in

PAGE = "moderation/ui/pages/authors.py"


def author_status(url: str, name: str) -> str:
    with Store.open(url).engine.connect() as conn:
        return conn.execute(select(authors.c.status).where(authors.c.name == name)).scalar_one()


def last_audit(url: str) -> tuple[str, str, str, str, dict[str, object]]:
    with Store.open(url).engine.connect() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert row is not None
    return row.actor, row.action, row.target_type, row.target_id, row.details


def test_empty_database_says_there_are_no_authors(empty_env: str) -> None:
    app = log_in(page=PAGE)
    assert not app.exception
    assert app.title[0].value == "Authors"
    assert any("No authors yet" in i.value for i in app.info)


def test_author_record_and_block_unblock(app_env: str) -> None:
    app = log_in(page=PAGE, user="editor")
    assert not app.exception
    overview = app.dataframe[0].value
    assert {"author", "flagged", "rejected", "flag_rate", "rejection_rate"} <= set(overview)
    assert overview.iloc[0]["flagged"] >= 1  # most flagged first
    name = app.selectbox(key="authors_name").value
    assert name == overview.iloc[0]["author"]
    assert [m.label for m in app.metric] == ["Comments", "Threads", "Flagged", "Rejected"]
    assert len(app.dataframe) >= 2  # the author's comments across threads

    app.text_input(key="authors_note").input("repeated attacks")
    app.button(key="authors_block").click().run()
    assert author_status(app_env, name) == "active"  # blocking asks for a confirmation first
    assert app.text_input(key="block_note").value == "repeated attacks"
    app.button(key="block_confirm").click().run()
    assert not app.exception
    assert author_status(app_env, name) == "blocked"
    actor, action, target_type, target_id, details = last_audit(app_env)
    assert (actor, action, target_type, target_id) == ("editor", "block", "author", name)
    assert details == {"clause": "may-block-violators", "note": "repeated attacks"}
    assert any("Blocked" in s.value for s in app.success)

    app.button(key="authors_unblock").click().run()
    assert not app.exception
    assert author_status(app_env, name) == "active"
    assert last_audit(app_env)[:2] == ("editor", "unblock")
    assert app.button(key="authors_block")  # the block button is back


def test_search_narrows_the_table(app_env: str) -> None:
    app = log_in(page=PAGE)
    app.text_input(key="authors_search").input("fre").run()
    assert not app.exception
    assert list(app.dataframe[0].value["author"]) == ["Fred"]
    assert app.selectbox(key="authors_name").value == "Fred"
