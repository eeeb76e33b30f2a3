"""Bulk action by score band: approve or reject every comment of the filtered queue whose score
for a label lies in a band, after the moderator confirms the count shown."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from moderation import review
from moderation.errors import ModerationError
from moderation.records import Action
from moderation.review import QueueFilter
from moderation.ui import state
from moderation.ui.blocking import plural
from moderation.ui.queue_actions import VERBS, flash
from moderation.ui.text import literal_markdown


def _histogram(rows: list[review.ScoredItem], label: str, low: float, high: float) -> None:
    fig = px.histogram(
        x=[row.score for row in rows],
        nbins=20,
        range_x=(0, 1),
        labels={"x": label, "y": "comments"},
    )
    fig.add_vrect(x0=low, x1=high, fillcolor="red", opacity=0.15, line_width=0)
    fig.update_yaxes(title="comments", rangemode="tozero", tick0=0, dtick=None)
    fig.update_layout(height=220, margin=dict(l=10, r=10, t=10, b=10), yaxis_tickformat="d")
    st.plotly_chart(fig, width="stretch", key="queue_bulk_hist")


def _action_and_reason(policy: list[tuple[str, str]]) -> tuple[str, str | None]:
    action = st.radio(
        "Action",
        [Action.APPROVE.value, Action.REJECT.value],
        format_func=str.title,
        horizontal=True,
        key="queue_bulk_action",
    )
    clause = None
    if action == Action.REJECT:
        reasons = {r.clause_id: r.label for r in review.reject_reasons(policy)}
        clause = st.selectbox(
            "Reason", list(reasons), format_func=reasons.__getitem__, key="queue_bulk_clause"
        )
    return action, clause


def draw(flt: QueueFilter, labels: list[str], policy: list[tuple[str, str]]) -> None:
    # A toggle, not an expander: an expander's body runs even when collapsed, and reading every
    # score of a 100,000-comment queue on each rerun would slow the whole page.
    if not st.toggle("Bulk action by score band", key="queue_bulk_open"):
        return
    with st.container(border=True):
        if not labels:
            st.info("No scores yet: run `moderation score`.")
            return
        label = st.selectbox("Label", labels, key="queue_bulk_label")
        rows = review.queue_scores(
            state.store(),
            flt,
            label=label,
            model_id=state.model_id(),
            rule_set_version=state.rule_set_version(),
        )
        if not rows:
            st.info("No scored comments in this queue.")
            return
        low, high = st.slider("Band", 0.0, 1.0, (0.8, 1.0), 0.01, key="queue_bulk_band")
        chosen = [(r.comment_id, r.version) for r in rows if low <= r.score <= high]
        _histogram(rows, label, low, high)
        action, clause = _action_and_reason(policy)
        count = len(chosen)
        which = "the 1 comment" if count == 1 else f"all {count} comments"
        confirm = st.checkbox(
            f"Yes, {action} {which} with {label} in [{low:.2f}, {high:.2f}]",
            key="queue_bulk_confirm",
        )
        st.button(
            f"{action.title()} {plural(count, 'comment')}",
            key="queue_bulk_apply",
            disabled=not (confirm and chosen),
            on_click=_apply,
            args=(chosen, action, clause),
        )


def _apply(chosen: list[tuple[str, int]], action: str, clause: str | None) -> None:
    # The (id, version) pairs are the ones counted in the confirmation the moderator ticked.
    try:
        result = review.decide_many(
            state.store(),
            chosen,
            action,
            moderator=state.current_user().username,
            clause_id=clause,
            in_force=state.in_force(),
        )
    except ModerationError as exc:
        flash("error", literal_markdown(exc.reason))
    else:
        message = f"{VERBS[Action(action)]} {plural(result.done, 'comment')}."
        if result.conflicts:
            changed = len(result.conflicts)
            were = "was" if changed == 1 else "were"
            message += f" {plural(changed, 'comment')} changed meanwhile and {were} skipped."
        flash("success", message)
    st.session_state["queue_bulk_confirm"] = False
    state.invalidate()
