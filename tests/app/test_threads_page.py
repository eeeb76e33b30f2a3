"""Threads page in AppTest: the per-article table, a thread's charts and comment tree, and the
link from a comment to its card in the queue."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helpers import log_in

PAGE = "moderation/ui/pages/threads.py"


def chart_keys(app: AppTest) -> set[str]:
    return {c.proto.id.rsplit("-", 1)[-1] for c in app.get("plotly_chart")}


def test_empty_database_says_there_is_nothing_yet(empty_env: str) -> None:
    app = log_in(page=PAGE)
    assert not app.exception
    assert app.title[0].value == "Threads"
    assert any("No articles yet" in i.value for i in app.info)
    assert not app.dataframe and not app.get("plotly_chart")


def test_thread_view_has_table_charts_and_tree(app_env: str) -> None:
    app = log_in(page=PAGE)
    assert not app.exception
    assert app.title[0].value == "Threads"
    table = app.dataframe[0].value
    assert len(table) == 5 and {"comments", "pending", "flagged", "flagged_rate"} <= set(table)
    assert chart_keys(app) == {"threads_scores_chart", "threads_label_hist", "threads_depth_chart"}
    assert any("gary" in t.value for t in app.text)  # the tree, as plain text
    assert [m.label for m in app.metric][:2] == ["Comments", "Flagged"]
    choice = app.selectbox(key="threads_article")
    quiet = next(o for o in choice.options if not o.startswith("Turkey"))
    choice.select(quiet).run()  # a thread with no reader comments: no charts, no crash
    assert not app.exception
    assert not app.get("plotly_chart")
    assert any("No comments in this thread" in c.value for c in app.caption)


def test_open_in_queue_sets_the_focus_and_switches_page(app_env: str) -> None:
    app = log_in(page=PAGE)
    button = next(b for b in app.button if (b.key or "").startswith("threads_open_"))
    comment_id = button.key.removeprefix("threads_open_")
    button.click().run()
    assert not app.exception
    assert app.session_state["queue_focus"] == comment_id
    assert app.title[0].value == "Queue"
