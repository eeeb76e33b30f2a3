"""Stats: how the discussion and the moderation are going. Flagged rate per thread, rule hits,
score histograms per label, and decisions over time and per moderator; every number is counted
in SQL (moderation/store/stats.py, read through moderation.review) and cached briefly."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from moderation.review import charts as chart_data
from moderation.review import threads as thread_data
from moderation.review.totals import Totals, totals
from moderation.ui import charts, state, tables
from moderation.ui.text import visible
from moderation.ui.words import ACTION_WORDS

CACHE_TTL = 120  # seconds; a write moves the data version, so the next run misses at once
TOP_THREADS = 30  # bars in the flagged-rate chart; the table below lists every thread


@state.cached(ttl=CACHE_TTL)
def _totals(version: int | None) -> Totals:
    return totals(state.store(), rule_set_version=version)


@state.cached(ttl=CACHE_TTL)
def _threads(version: int | None) -> pd.DataFrame:
    return thread_data.thread_table(state.store(), rule_set_version=version)


@state.cached(ttl=CACHE_TTL)
def _rule_hits(version: int | None) -> pd.DataFrame:
    return chart_data.rule_hits(state.store(), rule_set_version=version)


@state.cached(ttl=CACHE_TTL)
def _histogram(model_id: str | None, label: str) -> pd.DataFrame:
    return chart_data.text_score_histogram(state.store(), model_id=model_id, label=label)


@state.cached(ttl=CACHE_TTL)
def _over_time() -> pd.DataFrame:
    return chart_data.decisions_over_time(state.store())


@state.cached(ttl=CACHE_TTL)
def _per_moderator() -> pd.DataFrame:
    return chart_data.decisions_per_moderator(state.store())


def _headline(version: int | None) -> None:
    numbers = _totals(version)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Reader comments", f"{numbers.comments:,}")
    # A share, not a change: no delta arrow.
    c2.metric("Flagged", f"{numbers.flagged:,}")
    if numbers.comments:
        c2.caption(f"{numbers.flagged / numbers.comments:.1%} of reader comments")
    c3.metric("Decisions standing", f"{numbers.decisions:,}")
    c4.metric("Blocked authors", f"{numbers.blocked:,}")


def _flagged_rate(version: int | None) -> None:
    st.subheader("Flagged rate per thread")
    threads = _threads(version)
    if threads.empty:
        st.info("No articles yet. Load some with `moderation ingest PATH`.")
        return
    top = threads[threads["comments"] > 0].nlargest(TOP_THREADS, ["flagged_rate", "flagged"])
    if not top.empty:
        fig = px.bar(
            # Highest at the top of a horizontal bar chart; titles come from the sources.
            top.iloc[::-1].assign(title=lambda f: f["title"].map(charts.plotly_text)),
            x="flagged_rate",
            y="title",
            orientation="h",
            hover_data=["comments", "flagged"],
            labels={"flagged_rate": "flagged rate", "title": ""},
        )
        fig.update_xaxes(tickformat=".0%")
        charts.show(fig, "stats_flagged_rate", height=max(240, 24 * len(top)))
    st.dataframe(
        threads[["title", "comments", "flagged", "flagged_rate", *thread_data.STATUSES]].assign(
            title=lambda f: f["title"].map(visible)
        ),
        hide_index=True,
        key="stats_threads_table",
        column_config={
            "title": "thread",
            "comments": "reader comments",
            "flagged_rate": st.column_config.NumberColumn("flagged rate", format="percent"),
            **tables.status_columns(),
        },
    )


def _rules(version: int | None) -> None:
    st.subheader(f"Rule hits (rule set v{version})")
    hits = _rule_hits(version)
    if hits.empty:
        st.caption("No rule has flagged anything under this rule set.")
        return
    fig = charts.count_bars(
        hits,
        x="rule_id",
        y="hits",
        color="category",
        hover_data=["action", "rejected"],
        labels={"rule_id": "rule", "hits": "flagged comments"},
    )
    charts.show(fig, "stats_rule_hits")


def _labels() -> None:
    model_id = state.model_id()
    labels = state.labels()
    st.subheader("Score histogram")
    if not labels:
        st.caption("The scoring model has no labels.")
        return
    # One label at a time, over distinct scored texts: reading only the scores table keeps
    # this fast with 100,000 comments (the thread page counts comments, one thread at a time).
    label = st.selectbox("Label", labels, key="stats_label")
    histogram = _histogram(model_id, label)
    if histogram.empty:
        st.caption(f"No {label} scores from {model_id} yet.")
        return
    fig = charts.histogram_bars(
        histogram,
        "texts",
        labels={"score": f"{label} score", "texts": "scored texts"},
        color_discrete_sequence=[charts.colours("label", [label])[label]],
    )
    charts.show(fig, "stats_label_hist", height=260)


def _decisions() -> None:
    st.subheader("Decisions")
    over_time = _over_time()
    if over_time.empty:
        st.caption("No decisions yet.")
        return
    left, right = st.columns(2)
    per_moderator = _per_moderator()
    actions = sorted({*over_time["action"], *per_moderator["action"]})
    words = {a: ACTION_WORDS.get(a, a) for a in actions}  # "approved", not "approve"
    colour = {words[a]: c for a, c in charts.colours("action", actions).items()}
    order = {"action": [words[a] for a in actions]}
    legend = {"action": "decision"}
    over_time = over_time.assign(action=over_time["action"].map(words))
    per_moderator = per_moderator.assign(action=per_moderator["action"].map(words))
    style: dict[str, Any] = {
        "color": "action",
        "colour_map": colour,
        "category_orders": order,
        "labels": legend,
    }
    with left:
        fig = charts.count_bars(
            over_time, x="day", y="decisions", title="Decisions per day (UTC)", **style
        )
        fig.update_xaxes(tickformat="%Y-%m-%d", dtick=86_400_000)
        charts.show(fig, "stats_decisions_time")
    with right:
        fig = charts.count_bars(
            per_moderator, x="moderator", y="decisions", title="Per moderator", **style
        )
        charts.show(fig, "stats_decisions_moderator")
    st.caption("Undone decisions are not counted.")


def render() -> None:
    st.title("Stats")
    version = state.rule_set_version()
    _headline(version)
    _flagged_rate(version)
    _rules(version)
    _labels()
    _decisions()
