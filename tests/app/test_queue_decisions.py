"""Queue card in AppTest, issue 10 points 1 and 6-10: each card its own reason and note, the
reason list and its labels, blocking with a confirmation, the clickable table, words and numbers a
moderator can trust."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from moderation import review
from moderation.pipeline.ingest import ingest
from moderation.pipeline.versions import load_active_rules
from moderation.settings import load_settings
from moderation.store import Store
from moderation.store.schema import audit_log, authors, comments
from tests.app.helpers import ROOT, log_in

WXR = ROOT / "tests" / "unit" / "parsing" / "fixtures" / "wxr_1_2_https.xml"
HEX_ID = re.compile(r"\b[0-9a-f]{16}\b")


def card_author(app: AppTest) -> str:
    line = next(m.value for m in app.markdown if m.value.startswith("**"))
    return line.split("**")[1].replace("\\", "")


def card_text(app: AppTest) -> str:
    return " ".join(
        [m.value for m in app.markdown]
        + [c.value for c in app.caption]
        + [b.label for b in app.button]
    )


def reject_button(app: AppTest):  # type: ignore[no-untyped-def]
    return app.button[[b.label for b in app.button].index("Reject")]


def audit(url: str) -> list[tuple[str, str, object, object]]:
    with Store.open(url).engine.connect() as conn:
        return [
            (r.action, r.target_id, r.details.get("clause"), r.details.get("note"))
            for r in conn.execute(
                select(audit_log)
                .where(audit_log.c.target_type != "rule_set")
                .order_by(audit_log.c.id)
            )
        ]


def test_next_card_opens_with_its_own_reason_and_an_empty_note(app_env: str) -> None:
    """Point 1: the reason and note picked for one comment never carry to the next."""
    app = log_in()
    first = card_author(app)
    assert app.selectbox(key="queue_reject_clause").value == "no-inappropriate-material"
    app.selectbox(key="queue_reject_clause").select("no-profanity")
    app.text_input(key="queue_reject_note").input("swearing")
    reject_button(app).click().run()
    assert not app.exception
    second = card_author(app)
    assert second != first
    assert app.selectbox(key="queue_reject_clause").value == "no-inappropriate-material"
    assert app.text_input(key="queue_reject_note").value == ""
    reject_button(app).click().run()  # what `x` does: submit the form as shown
    rows = audit(app_env)
    assert [(a, c, n) for a, _, c, n in rows] == [
        ("reject", "no-profanity", "swearing"),
        ("reject", "no-inappropriate-material", None),
    ]


def test_a_note_typed_then_left_by_next_is_not_carried(app_env: str) -> None:
    app = log_in()
    app.selectbox(key="queue_reject_clause").select("no-profanity")
    app.text_input(key="queue_reject_note").input("for the first one")
    app.button(key="queue_next").click().run()
    assert app.text_input(key="queue_reject_note").value == ""
    assert app.selectbox(key="queue_reject_clause").value == "no-inappropriate-material"
    app.button(key="queue_prev").click().run()
    assert app.text_input(key="queue_reject_note").value == ""


def test_reasons_are_the_prohibitions_with_short_labels(app_env: str) -> None:
    """Point 6: not the welcome sentence nor the blocking clause; labels name the thing."""
    app = log_in()
    reasons = app.selectbox(key="queue_reject_clause")
    assert reasons.options == ["Profanity", "Personal attacks", "Other inappropriate material"]
    app.session_state["queue_name"] = "all"
    app.run()
    app.toggle(key="queue_bulk_open").set_value(True).run()
    app.radio(key="queue_bulk_action").set_value("reject").run()
    assert app.selectbox(key="queue_bulk_clause").options == reasons.options


def test_approve_and_reject_look_different(app_env: str) -> None:
    """Point 10: Reject is the danger (primary) button, Approve is not."""
    app = log_in()
    assert app.button(key="queue_approve").proto.type != reject_button(app).proto.type
    assert reject_button(app).proto.type == "primary"


def test_messages_count_in_correct_english(app_env: str) -> None:
    app = log_in()
    app.session_state["queue_name"] = "all"
    app.run()
    app.toggle(key="queue_bulk_open").set_value(True).run()
    app.slider(key="queue_bulk_band").set_range(0.25, 1.0).run()  # the one toxicity of 0.30
    app.radio(key="queue_bulk_action").set_value("reject").run()
    label = app.checkbox(key="queue_bulk_confirm").label
    assert "reject the 1 comment with" in label, label
    app.checkbox(key="queue_bulk_confirm").check().run()
    assert app.button(key="queue_bulk_apply").label == "Reject 1 comment"
    app.button(key="queue_bulk_apply").click().run()
    assert [s.value for s in app.success] == ["Rejected 1 comment."]


def test_empty_queue_without_filters_does_not_mention_filters(empty_env: str) -> None:
    app = log_in()
    assert "Nothing in Pending." in [i.value for i in app.info]
    assert not [i.value for i in app.info if "filter" in i.value]


def test_empty_queue_with_a_filter_says_so(app_env: str) -> None:
    app = log_in()
    app.text_input(key="queue_author").input("nobody at all").run()
    assert any("Nothing in Pending with these filters" in i.value for i in app.info)


def test_selecting_a_row_of_the_queue_table_opens_that_card(app_env: str) -> None:
    """Point 8: the table is clickable."""
    app = log_in()
    table = app.dataframe(key="queue_table")
    third = table.value.iloc[2]["author"]
    app.session_state["queue_table"] = {"selection": {"rows": [2], "columns": []}}
    app.run()
    assert not app.exception
    assert card_author(app) == third


def test_card_words_numbers_and_source_status(app_env: str) -> None:
    """Point 9: one position numbering, status words, no None or raw ids, WXR top-level comments
    not marked as replies, the source site's status shown."""
    ingest([WXR], Store.open(app_env))
    app = log_in()
    app.session_state["queue_name"] = "all"
    app.text_input(key="queue_author").input("Ann")
    app.run()
    assert card_author(app) == "Ann"
    shown = card_text(app)
    assert "#1 of 7 in the thread" in shown  # pingbacks counted: the thread has 7 entries
    assert "reply" not in shown.lower() and "↳" not in shown
    assert "approved on the source site" in shown
    assert "status **new**" in shown and "unmoderated" not in shown
    assert "None" not in shown and not HEX_ID.search(shown)
    app.text_input(key="queue_author").input("Bo").run()
    assert "reply to Ann" in card_text(app)


def test_block_from_the_card_asks_first_and_can_suspend_and_reject_pending(app_env: str) -> None:
    """Point 7: confirmation stating what happens, duration, reason, rejecting pending comments,
    unblock from the card."""
    app = log_in()
    name = card_author(app)
    with Store.open(app_env).engine.connect() as conn:
        pending = set(
            conn.execute(
                select(comments.c.id).where(
                    comments.c.author == name, comments.c.status == "pending"
                )
            ).scalars()
        )
    assert pending
    app.button(key="queue_block").click().run()
    assert not app.exception
    with Store.open(app_env).engine.connect() as conn:
        assert (
            conn.execute(select(authors.c.status).where(authors.c.name == name)).scalar_one()
            == "active"
        )  # nothing happens before the confirmation
    explained = " ".join(m.value for m in app.markdown)
    assert "Pending" in explained and "may-block-violators" in explained
    app.radio(key="block_duration").set_value("7 days")
    app.text_input(key="block_note").input("threats")
    app.checkbox(key="block_reject_pending").check()
    app.button(key="block_confirm").click().run()
    assert not app.exception
    with Store.open(app_env).engine.connect() as conn:
        status, until = conn.execute(
            select(authors.c.status, authors.c.suspended_until).where(authors.c.name == name)
        ).one()
        left = (
            conn.execute(select(comments.c.status).where(comments.c.id.in_(pending)))
            .scalars()
            .all()
        )
    assert status == "suspended" and until is not None
    assert set(left) == {"rejected"}
    assert any("Suspended" in s.value for s in app.success)
    # Undo reverts the suspension and the rejections it made, as one action.
    app.button(key="queue_undo").click().run()
    with Store.open(app_env).engine.connect() as conn:
        assert (
            conn.execute(select(authors.c.status).where(authors.c.name == name)).scalar_one()
            == "active"
        )


def test_unblock_from_the_card(app_env: str) -> None:
    app = log_in()
    name = card_author(app)
    review.set_author_status(Store.open(app_env), name, "blocked", moderator="lead")
    app.run()
    assert "blocked author" in card_text(app)
    app.button(key="queue_unblock").click().run()
    assert not app.exception
    with Store.open(app_env).engine.connect() as conn:
        assert (
            conn.execute(select(authors.c.status).where(authors.c.name == name)).scalar_one()
            == "active"
        )


def test_blocked_authors_new_comments_land_in_pending_marked(app_env: str, tmp_path: Path) -> None:
    app = log_in()  # sample data loaded
    review.set_author_status(Store.open(app_env), "gary", "blocked", moderator="lead")
    source = tmp_path / "new.txt"
    source.write_text(
        "Zzz a new article\n\nBody.\n\n  1. gary said:\n\n    A perfectly polite remark.\n",
        encoding="utf-8",
    )
    store = Store.open(app_env)
    ingest([source], store, rules=load_active_rules(store, load_settings().rules_path))
    app.text_input(key="queue_author").input("gary").run()
    assert card_author(app) == "gary"
    assert "blocked author" in card_text(app)
    assert "A perfectly polite remark" in card_text(app)


def test_bidi_controls_in_names_and_titles_are_visible(app_env: str, tmp_path: Path) -> None:
    source = tmp_path / "spoof.txt"
    source.write_text(
        "Zzz \u202eeltit\n\nBody.\n\n  1. \u202enimda said:\n\n    you idiot \u202eevil\n",
        encoding="utf-8",
    )
    ingest([ROOT / "sample_data", source], Store.open(app_env))
    app = log_in()
    app.session_state["queue_name"] = "all"
    app.text_input(key="queue_author").input("\u202enimda")
    app.run()
    shown = card_text(app).replace("\\", "")
    assert "\u202e" not in shown
    assert "⟨U+202E⟩nimda" in shown and "⟨U+202E⟩eltit" in shown
    table = app.dataframe(key="queue_table").value
    assert not any("\u202e" in str(v) for v in table.to_numpy().ravel())


def test_bidi_controls_are_visible_on_every_page(app_env: str, tmp_path: Path) -> None:
    source = tmp_path / "spoof.txt"
    source.write_text(
        "Zzz \u202eeltit\n\nBody.\n\n  1. \u202enimda said:\n\n    hello \u202eevil\n",
        encoding="utf-8",
    )
    store = Store.open(app_env)
    ingest([ROOT / "sample_data", source], store)
    app = log_in()
    review.set_author_status(store, "\u202enimda", "blocked", moderator="lead")

    def shown(app: AppTest) -> str:
        parts = [m.value for m in app.markdown] + [t.value for t in app.text]
        parts += [str(h.value) for h in app.subheader]
        for frame in app.dataframe:
            parts += [str(v) for v in frame.value.to_numpy().ravel()]
        for box in app.selectbox:
            parts += list(box.options)
        return " ".join(parts).replace("\\", "")

    for page, where in (
        ("threads", "threads_article"),
        ("authors", "authors_search"),
        ("stats", None),
        ("audit", None),
    ):
        app.switch_page(f"moderation/ui/pages/{page}.py").run()
        if page == "threads":
            box = app.selectbox(key=where)
            box.select_index(next(i for i, o in enumerate(box.options) if "eltit" in o)).run()
            assert any("⟨U+202E⟩nimda" in t.value for t in app.text)  # the comment tree
        if page == "authors":
            app.text_input(key=where).input("nimda").run()
        assert not app.exception, page
        text = shown(app)
        assert "\u202e" not in text, page
        assert "⟨U+202E⟩" in text, page


def test_card_opened_from_threads_shows_its_real_queue(app_env: str) -> None:
    """Point 8: an unflagged comment opened from Threads is shown under Unflagged, not under
    Pending; picking another queue leaves the card."""
    app = log_in(page="threads")
    button = next(b for b in app.button if (b.key or "").startswith("threads_open_"))
    comment_id = button.key.removeprefix("threads_open_")
    button.click().run()
    assert not app.exception
    with Store.open(app_env).engine.connect() as conn:
        author, status = conn.execute(
            select(comments.c.author, comments.c.status).where(comments.c.id == comment_id)
        ).one()
    assert status == "unmoderated"
    assert app.session_state["queue_name"] == "unflagged"
    assert card_author(app) == author
    assert app.button(key="queue_unfocus")
    # AppTest reruns the page it last switched to itself (threads): point it at the queue.
    app.switch_page("moderation/ui/pages/queue.py")
    app.button(key="queue_unfocus").click().run()
    assert app.session_state["queue_name"] == "unflagged"
    assert not [b for b in app.button if b.key == "queue_unfocus"]
