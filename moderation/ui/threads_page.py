"""Threads: every article with its comments per status, and one thread at a time with its
toxicity charts and its comment tree. Reader text (and titles from sources) is shown as plain
text or through moderation.ui.text, never as Markdown."""

from __future__ import annotations

import html
from functools import partial
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from moderation import stats
from moderation.ui import state
from moderation.ui.text import name_markdown, visible, visible_bidi

PAGE_SIZE = 50
CACHE_TTL = 60  # seconds; writes clear the cache at once through state.invalidate()
QUEUE_FOCUS_KEY = "queue_focus"  # the queue page opens this comment id
QUEUE_PAGE = "moderation/ui/pages/queue.py"
# "none" (unflagged) stays grey so flagged comments stand out in every chart.
CATEGORY_COLOURS = {stats.NO_CATEGORY: "#b0b0b0"}


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _threads(db_url: str, version: int | None) -> pd.DataFrame:
    return stats.thread_table(state.store(), rule_set_version=version)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _scores(db_url: str, article_id: str, model_id: str, version: int | None) -> pd.DataFrame:
    return stats.thread_scores(
        state.store(), article_id, model_id=model_id, rule_set_version=version
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _histogram(db_url: str, article_id: str, model_id: str) -> pd.DataFrame:
    return stats.score_histogram(state.store(), model_id=model_id, article_id=article_id)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _by_depth(db_url: str, article_id: str, version: int | None) -> pd.DataFrame:
    return stats.flags_by_depth(state.store(), article_id, rule_set_version=version)


def _pick_from_table(article_ids: list[str]) -> None:
    """Row selected in the threads table: show that thread below."""
    rows = st.session_state["threads_table"]["selection"]["rows"]
    if rows:
        st.session_state["threads_article"] = article_ids[rows[0]]
        _first_page()


def plotly_text(text: object) -> str:
    """Reader text for a Plotly label or hover: Plotly reads a subset of HTML (links
    included) in them, so escape it; Plotly shows the entities as the characters typed."""
    return html.escape(visible(str(text if text is not None else "anonymous")))


def _first_page() -> None:
    st.session_state["threads_page_no"] = 1


def _table(table: pd.DataFrame) -> None:
    st.dataframe(
        table[["title", "comments", *stats.STATUSES, "flagged", "flagged_rate"]].assign(
            title=lambda f: f["title"].map(visible)
        ),
        hide_index=True,
        key="threads_table",
        # st.dataframe takes no callback args: bind them with partial.
        on_select=partial(_pick_from_table, list(table["article_id"])),
        selection_mode="single-row",
        column_config={
            "flagged_rate": st.column_config.ProgressColumn(
                "flagged rate", format="percent", min_value=0.0, max_value=1.0
            )
        },
    )


def _header(header: dict[str, Any], row: pd.Series) -> None:
    st.subheader(name_markdown(str(header["title"])))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Comments", int(row["comments"]))
    c2.metric("Flagged", int(row["flagged"]), f"{row['flagged_rate']:.0%}", delta_color="off")
    c3.metric("Pending", int(row["pending"]))
    c4.metric("Rejected", int(row["rejected"]))
    with st.expander("Article text"):
        st.text(header["body"])
    if header["policy"]:
        with st.expander("Discussion policy"):
            for clause_id, text in header["policy"]:
                st.text(f"[{clause_id}] {text}")


def _charts(db_url: str, article_id: str, version: int | None) -> None:
    model_id = state.model_id()
    st.subheader("Toxicity")
    scores = _scores(db_url, article_id, model_id, version)
    if scores.empty:
        st.info(f"No scores from {model_id} for this thread yet: run `moderation score`.")
    else:
        labels = sorted(scores["label"].unique())
        label = st.selectbox("Score label", labels, key="threads_label")
        shown = scores[scores["label"] == label].assign(
            author=lambda f: f["author"].map(plotly_text)
        )
        fig = px.scatter(
            shown,
            x="position",
            y="value",
            color="category",
            color_discrete_map=CATEGORY_COLOURS,
            hover_data=["author"],
            range_y=(0, 1),
            labels={"position": "comment (thread order)", "value": label},
        )
        fig.update_layout(height=300, margin=dict(l=10, r=10, t=30, b=10))
        st.plotly_chart(fig, width="stretch", key="threads_scores_chart")
    left, right = st.columns(2)
    histogram = _histogram(db_url, article_id, model_id)
    with left:
        st.caption("Label distribution")
        if histogram.empty:
            st.caption("No scores yet.")
        else:
            fig = px.bar(
                histogram.assign(score=(histogram["bin_start"] + histogram["bin_end"]) / 2),
                x="score",
                y="comments",
                color="label",
                barmode="overlay",
                opacity=0.6,
            )
            fig.update_traces(
                width=float(histogram["bin_end"].iloc[0] - histogram["bin_start"].iloc[0])
            )
            fig.update_xaxes(range=(0, 1))
            fig.update_layout(height=260, margin=dict(l=10, r=10, t=10, b=10))
            st.plotly_chart(fig, width="stretch", key="threads_label_hist")
    depth = _by_depth(db_url, article_id, version)
    with right:
        st.caption("Flags by reply depth")
        if depth.empty:
            st.caption("No flags in this thread.")
        else:
            fig = px.bar(depth, x="depth", y="flags", color="category")
            fig.update_layout(height=260, margin=dict(l=10, r=10, t=10, b=10))
            fig.update_xaxes(dtick=1)
            st.plotly_chart(fig, width="stretch", key="threads_depth_chart")


def _comment(comment: dict[str, Any]) -> None:
    # Indent replies by depth (capped so deep threads stay readable).
    _, body = st.columns([min(comment["depth"], 6) * 0.05 + 0.001, 1])
    with body.container(border=True):
        pingback = comment["kind"] == "pingback"
        label = "Pingback" if pingback else f"#{comment['number'] or '↳'}"
        flag = f" · {comment['category']} ({comment['severity']})" if comment["severity"] else ""
        by = f" by {comment['decided_by']}" if comment["decided_by"] else ""
        author = visible(comment["author"] or "anonymous")
        st.text(f"{label}  {author}  · {comment['status']}{by}{flag}")
        st.text(visible_bidi(comment["text"]) or "(empty comment)")
        if not pingback and st.button("Open in queue", key=f"threads_open_{comment['id']}"):
            st.session_state[QUEUE_FOCUS_KEY] = comment["id"]
            st.switch_page(QUEUE_PAGE)


def _tree(article_id: str, version: int | None) -> None:
    page = int(st.session_state.get("threads_page_no", 1))
    comments, total = stats.thread_comments(
        state.store(),
        article_id,
        rule_set_version=version,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    st.subheader("Comments")
    if not total:
        st.caption("No comments in this thread.")
        return
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:  # a page number left over from a longer thread would show nothing
        _first_page()
        st.rerun()
    first = (page - 1) * PAGE_SIZE + 1
    st.caption(f"Entries {first}–{first + len(comments) - 1} of {total}, in thread order")
    for comment in comments:
        _comment(comment)
    if pages > 1:
        st.number_input("Page", 1, pages, key="threads_page_no")


def render() -> None:
    st.title("Threads")
    db_url = state.settings().database_url
    version = state.rule_set_version()
    table = _threads(db_url, version)
    if table.empty:
        st.info("No articles yet. Load some with `moderation ingest PATH`.")
        return
    _table(table)
    ids = list(table["article_id"])
    if st.session_state.get("threads_article") not in ids:
        st.session_state.pop("threads_article", None)  # gone since: fall back to the first
    titles = dict(zip(ids, table["title"].astype(str).map(visible), strict=True))
    article_id = st.selectbox(
        "Article",
        ids,
        format_func=titles.__getitem__,
        key="threads_article",
        on_change=_first_page,
    )
    header = stats.article_header(state.store(), article_id)
    if header is None:
        st.warning("That article is gone; pick another.")
        return
    _header(header, table[table["article_id"] == article_id].iloc[0])
    _charts(db_url, article_id, version)
    _tree(article_id, version)
