"""What every chart shares: one colour per category (the same on every chart and page), the
words for the axes, whole-number axes for counts, and the bar charts of counts and of score
histograms that several pages draw.

Colours are fixed for the categories of the default rules and derived from the name for any
other (an editor may add categories), so a category never changes colour between charts, pages
or sessions. Model labels and moderators' actions get their own fixed colours the same way.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st
from plotly.graph_objects import Figure

from moderation.records import Action
from moderation.review.threads import NO_CATEGORY
from moderation.ui.text import visible

CATEGORY_COLOURS: dict[str, str] = {
    "profanity": "#d62728",
    "personal_attack": "#ff7f0e",
    "identity_attack": "#9467bd",
    "threat": "#8c564b",
    "sexual": "#e377c2",
    "other": "#17becf",
    NO_CATEGORY: "#b0b0b0",  # unflagged stays grey so flagged comments stand out
}
LABEL_COLOURS: dict[str, str] = {
    "toxicity": "#1f77b4",
    "severe_toxicity": "#d62728",
    "obscene": "#e377c2",
    "identity_attack": "#9467bd",
    "insult": "#ff7f0e",
    "threat": "#8c564b",
    "sexual_explicit": "#bcbd22",
}
ACTION_COLOURS: dict[str, str] = {
    Action.APPROVE: "#2ca02c",
    Action.REJECT: "#d62728",
    Action.ESCALATE: "#ff7f0e",
    Action.UNDO: "#7f7f7f",
    Action.BLOCK: "#9467bd",
    Action.UNBLOCK: "#17becf",
}
# For names none of the maps knows: picked by a hash of the name, never by position.
_SPARE = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#31a354")


def _colour(known: dict[str, str], name: str) -> str:
    if name in known:
        return known[name]
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
    return _SPARE[digest[0] % len(_SPARE)]


def colours(kind: str, names: Iterable[object]) -> dict[str, str]:
    """``color_discrete_map`` for a column of categories, labels or actions."""
    known = {"category": CATEGORY_COLOURS, "label": LABEL_COLOURS, "action": ACTION_COLOURS}[kind]
    return {str(n): _colour(known, str(n)) for n in names}


def count_axis(fig: Figure, largest: float, axis: str = "y") -> None:
    """A whole-number axis for counts: ticks on integers only (no 0.5 comments), from 0."""
    step = max(1, math.ceil(largest / 8)) if largest > 0 else 1
    if step > 1:  # round the step to 1, 2 or 5 times a power of ten
        power = 10 ** (len(str(step)) - 1)
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= step)
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(dtick=step, tick0=0, tickformat=",d", rangemode="tozero")


def count_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str,
    colour_map: dict[str, str] | None = None,
    **options: Any,
) -> Figure:
    """Bars of counts stacked by ``color``, on a whole-number axis up to the tallest stack.
    Without ``colour_map`` the ``color`` column names its kind ("category", "label", "action")
    and gets that kind's fixed colours."""
    if colour_map is None:
        colour_map = colours(color, frame[color].unique())
    fig = px.bar(frame, x=x, y=y, color=color, color_discrete_map=colour_map, **options)
    count_axis(fig, float(frame.groupby(x)[y].sum().max()))
    return fig


def histogram_bars(histogram: pd.DataFrame, count: str, **options: Any) -> Figure:
    """A score histogram (the bins of moderation.review.charts) as bars over [0, 1], each as
    wide as its bin."""
    fig = px.bar(
        histogram.assign(score=(histogram["bin_start"] + histogram["bin_end"]) / 2),
        x="score",
        y=count,
        **options,
    )
    fig.update_traces(width=float(histogram["bin_end"].iloc[0] - histogram["bin_start"].iloc[0]))
    fig.update_xaxes(range=(0, 1))
    count_axis(fig, float(histogram[count].max()))
    return fig


def show(fig: Figure, key: str, *, height: int = 320, top: int = 30) -> None:
    """Draw ``fig`` across the page with the dashboard's tight margins (``top`` leaves room
    for a title)."""
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=top, b=10))
    st.plotly_chart(fig, width="stretch", key=key)


def plotly_text(text: object) -> str:
    """Reader text for a Plotly label or hover: Plotly reads a subset of HTML (links
    included) in them, so escape it; Plotly shows the entities as the characters typed."""
    return html.escape(visible(str(text if text is not None else "anonymous")))
