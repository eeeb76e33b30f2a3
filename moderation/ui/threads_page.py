"""Threads: every article with its comments per status, and one thread at a time with its
toxicity charts and its comment tree. Reader text (and titles from sources) is shown as plain
text or through moderation.ui.text, never as Markdown.

The thread shown is in the address bar (``threads?article=<id>``): a link, a bookmark or a
reload opens it, and picking another thread updates the address."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.express as px
import streamlit as st

from moderation.records import Status
from moderation.review import charts as chart_data
from moderation.review import threads as thread_data
from moderation.review.threads import ArticleHeader, ThreadEntry
from moderation.ui import charts, links, state, tables
from moderation.ui.text import name_markdown, visible, visible_bidi
from moderation.ui.words import POSITION_RULE, STATUS_WORDS, entry_label, status_word

PAGE_SIZE = 50
CACHE_TTL = 60  # seconds; a write moves the data version, so the next run misses at once
QUEUE_FOCUS_KEY = links.QUEUE_FOCUS  # the queue page opens this comment id
QUEUE_PAGE = links.QUEUE_PAGE


@state.cached(ttl=CACHE_TTL)
def _threads(version: int | None) -> pd.DataFrame:
    return thread_data.thread_table(state.store(), rule_set_version=version)


@state.cached(ttl=CACHE_TTL)
def _scores(article_id: str, model_id: str | None, version: int | None) -> pd.DataFrame:
    return thread_data.thread_scores(
        state.store(), article_id, model_id=model_id, rule_set_version=version
    )


@state.cached(ttl=CACHE_TTL)
def _histogram(article_id: str, model_id: str | None) -> pd.DataFrame:
    return chart_data.score_histogram(state.store(), model_id=model_id, article_id=article_id)


@state.cached(ttl=CACHE_TTL)
def _by_depth(article_id: str, version: int | None) -> pd.DataFrame:
    return thread_data.flags_by_depth(state.store(), article_id, rule_set_version=version)


def _pick_from_table(article_ids: list[str]) -> None:
    """Row selected in the threads table: show that thread below."""
    rows = st.session_state["threads_table"]["selection"]["rows"]
    if rows:
        st.session_state["threads_article"] = article_ids[rows[0]]
        _picked()


def _picked() -> None:
    """Another thread was chosen: first page of it, and its address in the address bar."""
    _first_page()
    links.show(**{links.ARTICLE: st.session_state.get("threads_article")})


def _first_page() -> None:
    st.session_state["threads_page_no"] = 1


def _table(table: pd.DataFrame) -> None:
    st.dataframe(
        table[["title", "comments", *thread_data.STATUSES, "flagged", "flagged_rate"]].assign(
            title=lambda f: f["title"].map(visible)
        ),
        hide_index=True,
        key="threads_table",
        # st.dataframe takes no callback args: bind them with partial.
        on_select=partial(_pick_from_table, list(table["article_id"])),
        selection_mode="single-row",
        column_config={
            "title": "thread",
            "comments": "reader comments",
            **tables.status_columns(),
            "flagged_rate": st.column_config.ProgressColumn(
                "flagged rate", format="percent", min_value=0.0, max_value=1.0
            ),
        },
    )


def _header(header: ArticleHeader, row: pd.Series) -> None:
    st.subheader(name_markdown(str(header.title)))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Comments", int(row["comments"]))
    # A share, not a change: no delta arrow.
    c2.metric("Flagged", int(row["flagged"]))
    c2.caption(f"{row['flagged_rate']:.0%} of reader comments")
    c3.metric(STATUS_WORDS[Status.PENDING].capitalize(), int(row[Status.PENDING]))
    c4.metric("Rejected", int(row[Status.REJECTED]))
    with st.expander("Article text"):
        st.text(header.body)
    if header.policy:
        with st.expander("Discussion policy"):
            for clause in header.policy:
                st.text(f"[{clause.id}] {clause.text}")


def _charts(article_id: str, version: int | None) -> None:
    model_id = state.model_id()
    st.subheader("Toxicity")
    _scores_chart(_scores(article_id, model_id, version), model_id)
    left, right = st.columns(2)
    with left:
        _label_histogram(_histogram(article_id, model_id))
    with right:
        _depth_chart(_by_depth(article_id, version))


def _scores_chart(scores: pd.DataFrame, model_id: str | None) -> None:
    """Each reader comment's score on one label, in thread order, coloured by category."""
    if scores.empty:
        st.info(f"No scores from {model_id} for this thread yet: run `moderation score`.")
        return
    labels = sorted(scores["label"].unique())
    label = st.selectbox("Score label", labels, key="threads_label")
    shown = scores[scores["label"] == label].assign(
        author=lambda f: f["author"].map(charts.plotly_text),
        entry=lambda f: f["position"] + 1,  # the numbering of the card and the tree
    )
    fig = px.scatter(
        shown,
        x="entry",
        y="value",
        color="category",
        color_discrete_map=charts.colours("category", shown["category"].unique()),
        hover_data=["author"],
        range_y=(0, 1),
        labels={"entry": "entry in thread order (pingbacks counted)", "value": label},
    )
    fig.update_xaxes(tickformat=",d")
    charts.show(fig, "threads_scores_chart", height=300)


def _label_histogram(histogram: pd.DataFrame) -> None:
    st.caption("Label distribution")
    if histogram.empty:
        st.caption("No scores yet.")
        return
    fig = charts.histogram_bars(
        histogram,
        "comments",
        color="label",
        color_discrete_map=charts.colours("label", histogram["label"].unique()),
        barmode="overlay",
        opacity=0.6,
        labels={"comments": "reader comments"},
    )
    charts.show(fig, "threads_label_hist", height=260, top=10)


def _depth_chart(depth: pd.DataFrame) -> None:
    st.caption("Flags by reply depth")
    if depth.empty:
        st.caption("No flags in this thread.")
        return
    fig = charts.count_bars(
        depth,
        x="depth",
        y="flags",
        color="category",
        labels={"depth": "reply depth (0 = top level)"},
    )
    fig.update_xaxes(dtick=1)
    charts.show(fig, "threads_depth_chart", height=260, top=10)


def _comment(comment: ThreadEntry, article_id: str) -> None:
    # Indent replies by depth (capped so deep threads stay readable).
    _, body = st.columns([min(comment.depth, 6) * 0.05 + 0.001, 1])
    with body.container(border=True):
        pingback = comment.kind == "pingback"
        label = entry_label(comment.position, comment.kind).capitalize()
        status = "" if pingback else f"  · {status_word(comment.status)}"
        flag = f" · {comment.category} (severity {comment.severity})" if comment.severity else ""
        by = f" by {comment.decided_by}" if comment.decided_by else ""
        author = visible(comment.author or "anonymous")
        st.text(f"{label}  {author}{status}{by}{flag}")
        st.text(visible_bidi(comment.text) or "(empty comment)")
        if not pingback and st.button("Open in queue", key=f"threads_open_{comment.id}"):
            st.session_state[QUEUE_FOCUS_KEY] = comment.id
            st.switch_page(QUEUE_PAGE, query_params=links.comment_params(article_id, comment.id))


def _tree(article_id: str, version: int | None) -> None:
    page = int(st.session_state.get("threads_page_no", 1))
    comments, total = thread_data.thread_comments(
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
    st.caption(f"Entries {first}–{first + len(comments) - 1} of {total} ({POSITION_RULE})")
    for comment in comments:
        _comment(comment, article_id)
    if pages > 1:
        st.number_input("Page", 1, pages, key="threads_page_no")


def render() -> None:
    st.title("Threads")
    version = state.rule_set_version()
    table = _threads(version)
    if table.empty:
        st.info("No articles yet. Load some with `moderation ingest PATH`.")
        return
    _table(table)
    ids = list(table["article_id"])
    wanted = links.requested(links.ARTICLE)
    if wanted in ids and wanted != st.session_state.get("threads_article"):
        st.session_state["threads_article"] = wanted  # a link, a bookmark or a reload
        _first_page()
    elif wanted is not None and wanted not in ids:
        st.warning("The thread in this link is not in the database (any more).")
    if st.session_state.get("threads_article") not in ids:
        st.session_state.pop("threads_article", None)  # gone since: fall back to the first
    titles = dict(zip(ids, table["title"].astype(str).map(visible), strict=True))
    article_id = st.selectbox(
        "Article",
        ids,
        format_func=titles.__getitem__,
        key="threads_article",
        on_change=_picked,
    )
    links.show(**{links.ARTICLE: article_id})
    header = thread_data.article_header(state.store(), article_id)
    if header is None:
        st.warning("That article is gone; pick another.")
        return
    _header(header, table[table["article_id"] == article_id].iloc[0])
    _charts(article_id, version)
    _tree(article_id, version)
