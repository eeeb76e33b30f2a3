"""Stats: how the discussion and the moderation are going. Flagged rate per thread, rule hits,
score histograms per label, and decisions over time and per moderator; every number is counted
in SQL (moderation.stats) and cached briefly."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st
from plotly.graph_objects import Figure

from moderation import stats
from moderation.ui import state
from moderation.ui.text import visible
from moderation.ui.threads_page import plotly_text

CACHE_TTL = 120  # seconds; writes clear the cache at once through state.invalidate()
TOP_THREADS = 30  # bars in the flagged-rate chart; the table below lists every thread


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _totals(db_url: str, version: int | None) -> dict[str, int]:
    return stats.totals(state.store(), rule_set_version=version)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _threads(db_url: str, version: int | None) -> pd.DataFrame:
    return stats.thread_table(state.store(), rule_set_version=version)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _rule_hits(db_url: str, version: int | None) -> pd.DataFrame:
    return stats.rule_hits(state.store(), rule_set_version=version)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _histogram(db_url: str, model_id: str, label: str) -> pd.DataFrame:
    return stats.text_score_histogram(state.store(), model_id=model_id, label=label)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _over_time(db_url: str) -> pd.DataFrame:
    return stats.decisions_over_time(state.store())


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _per_moderator(db_url: str) -> pd.DataFrame:
    return stats.decisions_per_moderator(state.store())


def _show(fig: Figure, key: str, height: int = 320) -> None:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10))
    st.plotly_chart(fig, width="stretch", key=key)


def _headline(db_url: str, version: int | None) -> None:
    totals = _totals(db_url, version)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Reader comments", f"{totals['comments']:,}")
    rate = totals["flagged"] / totals["comments"] if totals["comments"] else 0.0
    c2.metric("Flagged", f"{totals['flagged']:,}", f"{rate:.1%}", delta_color="off")
    c3.metric("Decisions standing", f"{totals['decisions']:,}")
    c4.metric("Blocked authors", f"{totals['blocked']:,}")


def _flagged_rate(db_url: str, version: int | None) -> None:
    st.subheader("Flagged rate per thread")
    threads = _threads(db_url, version)
    if threads.empty:
        st.info("No articles yet. Load some with `moderation ingest PATH`.")
        return
    top = threads[threads["comments"] > 0].nlargest(TOP_THREADS, ["flagged_rate", "flagged"])
    if not top.empty:
        fig = px.bar(
            # Highest at the top of a horizontal bar chart; titles come from the sources.
            top.iloc[::-1].assign(title=lambda f: f["title"].map(plotly_text)),
            x="flagged_rate",
            y="title",
            orientation="h",
            hover_data=["comments", "flagged"],
            labels={"flagged_rate": "flagged rate", "title": ""},
        )
        fig.update_xaxes(tickformat=".0%")
        _show(fig, "stats_flagged_rate", height=max(240, 24 * len(top)))
    st.dataframe(
        threads[["title", "comments", "flagged", "flagged_rate", *stats.STATUSES]].assign(
            title=lambda f: f["title"].map(visible)
        ),
        hide_index=True,
        key="stats_threads_table",
        column_config={
            "flagged_rate": st.column_config.NumberColumn("flagged rate", format="percent")
        },
    )


def _rules(db_url: str, version: int | None) -> None:
    st.subheader(f"Rule hits (rule set v{version})")
    hits = _rule_hits(db_url, version)
    if hits.empty:
        st.caption("No rule has flagged anything under this rule set.")
        return
    fig = px.bar(hits, x="rule_id", y="hits", color="category", hover_data=["action", "rejected"])
    _show(fig, "stats_rule_hits")


def _labels(db_url: str) -> None:
    model_id = state.model_id()
    labels = state.labels()
    st.subheader("Score histogram")
    if not labels:
        st.caption("The scoring model has no labels.")
        return
    # One label at a time, over distinct scored texts: reading only the scores table keeps
    # this fast with 100,000 comments (the thread page counts comments, one thread at a time).
    label = st.selectbox("Label", labels, key="stats_label")
    histogram = _histogram(db_url, model_id, label)
    if histogram.empty:
        st.caption(f"No {label} scores from {model_id} yet.")
        return
    fig = px.bar(
        histogram.assign(score=(histogram["bin_start"] + histogram["bin_end"]) / 2),
        x="score",
        y="texts",
        labels={"score": f"{label} score", "texts": "scored texts"},
    )
    fig.update_traces(width=float(histogram["bin_end"].iloc[0] - histogram["bin_start"].iloc[0]))
    fig.update_xaxes(range=(0, 1))
    _show(fig, "stats_label_hist", height=260)


def _decisions(db_url: str) -> None:
    st.subheader("Decisions")
    over_time = _over_time(db_url)
    if over_time.empty:
        st.caption("No decisions yet.")
        return
    left, right = st.columns(2)
    with left:
        fig = px.bar(
            over_time, x="day", y="decisions", color="action", title="Decisions per day (UTC)"
        )
        fig.update_xaxes(tickformat="%Y-%m-%d")
        _show(fig, "stats_decisions_time")
    with right:
        per_moderator = _per_moderator(db_url)
        fig = px.bar(
            per_moderator, x="moderator", y="decisions", color="action", title="Per moderator"
        )
        _show(fig, "stats_decisions_moderator")
    st.caption("Undone decisions are not counted.")


def render() -> None:
    st.title("Stats")
    db_url = state.settings().database_url
    version = state.rule_set_version()
    _headline(db_url, version)
    _flagged_rate(db_url, version)
    _rules(db_url, version)
    _labels(db_url)
    _decisions(db_url)
