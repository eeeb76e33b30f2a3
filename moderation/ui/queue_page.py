"""Queue: the moderator's day. One comment at a time, with everything needed to decide it."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from moderation import review
from moderation.errors import ConflictError, ModerationError
from moderation.review import QUEUES, QueueFilter
from moderation.ui import links, state
from moderation.ui.text import highlighted_markdown, literal_markdown

PAGE_SIZE = 25
_QUEUE_LABELS = {
    "pending": "Pending",
    "escalated": "Escalated",
    "approved": "Approved",
    "rejected": "Rejected",
    "unflagged": "Unflagged",
    "all": "All",
}
_SORTS = {
    "severity": "Severity",
    "score": "Label score",
    "newest": "Newest",
    "oldest": "Oldest",
    "thread": "Thread order",
}


def _filters(options: dict[str, list], labels: list[str]) -> QueueFilter:
    with st.expander("Filter and sort", expanded=False):
        c1, c2, c3 = st.columns(3)
        articles = dict(options["articles"])
        article = c1.selectbox(
            "Article",
            [None, *articles],
            format_func=lambda a: "All" if a is None else articles[a],
            key="queue_article",
        )
        category = c2.selectbox(
            "Category",
            [None, *options["categories"]],
            format_func=lambda c: c or "All",
            key="queue_category",
        )
        rule = c3.selectbox(
            "Rule", [None, *options["rules"]], format_func=lambda r: r or "All", key="queue_rule"
        )
        c4, c5, c6 = st.columns(3)
        author = c4.text_input("Author (exact name)", key="queue_author").strip() or None
        label = c5.selectbox(
            "Score label", [None, *labels], format_func=lambda x: x or "—", key="queue_label"
        )
        low, high = c6.slider(
            "Score range",
            0.0,
            1.0,
            (0.0, 1.0),
            0.01,
            key="queue_score_range",
            disabled=label is None,
        )
        sort = st.selectbox(
            "Sort by", list(_SORTS), format_func=_SORTS.__getitem__, key="queue_sort"
        )
    if sort == "score" and label is None:
        st.caption("Pick a score label to sort by it; sorting by severity meanwhile.")
        sort = "severity"
    return QueueFilter(
        # Clicking the selected segment again deselects it (None): stay on Pending then.
        queue=st.session_state.get("queue_name") or "pending",
        article_id=article,
        category=category,
        rule_id=rule,
        author=author,
        label=label,
        min_score=low,
        max_score=high,
        sort=sort,
    )


def _decide(
    action: review.Action,
    comment_id: str,
    version: int,
    author: str | None,
    with_reason: bool = False,
) -> None:
    """Button callback. Its arguments were bound when the card was drawn, so the version
    check compares against what the moderator actually saw."""
    extra: dict[str, str | None] = {}
    if with_reason:
        extra = {
            "clause_id": st.session_state.get("queue_reject_clause"),
            "note": st.session_state.get("queue_reject_note") or None,
        }
    try:
        review.decide(
            state.store(),
            comment_id,
            action,
            moderator=state.current_user().username,
            expected_version=version,
            in_force=state.in_force(),
            **extra,
        )
    except ConflictError as exc:
        st.session_state["queue_flash"] = ("warning", str(exc))
    except ModerationError as exc:
        st.session_state["queue_flash"] = ("error", str(exc))
    else:
        verb = {"approve": "Approved", "reject": "Rejected", "escalate": "Escalated"}[action]
        st.session_state["queue_flash"] = (
            "success",
            f"{verb} comment by {literal_markdown(author or 'anonymous')}.",
        )
    state.invalidate()


def _undo() -> None:
    try:
        review.undo_last(
            state.store(), moderator=state.current_user().username, in_force=state.in_force()
        )
        st.session_state["queue_flash"] = ("success", "Your last decision was undone.")
    except ModerationError as exc:
        st.session_state["queue_flash"] = ("warning", str(exc))
    state.invalidate()


def _block(author: str) -> None:
    try:
        review.set_author_status(
            state.store(),
            author,
            "blocked",
            moderator=state.current_user().username,
            in_force=state.in_force(),
        )
        st.session_state["queue_flash"] = (
            "success",
            f"Blocked {literal_markdown(author)} (policy clause may-block-violators).",
        )
    except ModerationError as exc:
        st.session_state["queue_flash"] = ("error", str(exc))


def _card(card: review.Card, rule_clauses: list[tuple[str, str]]) -> None:
    item = card.item
    spans = [span for hit in card.hits for span in hit.evidence]
    with st.container(border=True, key="queue_card"):
        st.caption(
            f"{literal_markdown(item.article_title)} · #{item.number or '↳'} "
            f"(position {item.position + 1}) · status **{item.status}**"
            + (f" by {literal_markdown(item.decided_by)}" if item.decided_by else "")
        )
        with st.container(key="queue_card_author"):
            st.markdown(
                f"**{literal_markdown(item.author or 'anonymous')}**"
                + ("  ·  :red[blocked author]" if card.author_status == "blocked" else "")
            )
        if card.parent_text is not None:
            parent = literal_markdown(card.parent_author or "anonymous")
            with st.expander(f"In reply to {parent}"):
                st.markdown(literal_markdown(card.parent_text))
        st.markdown(highlighted_markdown(item.text, spans) if item.text else "*(empty comment)*")
        for hit in card.hits:
            quote = hit.clause_text or dict(rule_clauses).get(hit.clause_id, "")
            evidence = ", ".join(f"“{e['text']}”" for e in hit.evidence) or "model score"
            st.markdown(
                f"- **{literal_markdown(hit.rule_id)}** ({hit.category}, severity {hit.severity},"
                f" suggests {hit.action}): {literal_markdown(evidence)}"
                + (
                    f"  \n  _Policy {literal_markdown(hit.clause_id)}: {literal_markdown(quote)}_"
                    if quote
                    else ""
                )
            )
        if card.scores:
            st.caption(
                "Scores: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(card.scores.items()))
            )
        st.caption(f"Model {card.model_id or '—'} · rule set v{card.rule_set_version or '—'}")


def _actions(card: review.Card, clauses: list[tuple[str, str]]) -> None:
    item = card.item
    bound = (item.comment_id, item.version, item.author)
    c1, c2, c3, c4 = st.columns(4)
    c1.button(
        "Approve",
        key="queue_approve",
        shortcut="a",
        type="primary",
        width="stretch",
        on_click=_decide,
        args=("approve", *bound),
    )
    c2.button(
        "Escalate",
        key="queue_escalate",
        shortcut="e",
        width="stretch",
        on_click=_decide,
        args=("escalate", *bound),
    )
    c3.button("Undo my last", key="queue_undo", shortcut="u", width="stretch", on_click=_undo)
    if item.author and card.author_status != "blocked":
        c4.button(
            "Block author", key="queue_block", width="stretch", on_click=_block, args=(item.author,)
        )
    with st.form("queue_reject_form", border=True):
        ids = [c[0] for c in clauses]
        suggested = next((h.clause_id for h in card.hits if h.clause_id in ids), None)
        text = dict(clauses)
        st.selectbox(
            "Reason (policy clause)",
            ids,
            index=ids.index(suggested) if suggested else 0,
            format_func=lambda c: f"{c}: {text[c][:90]}",
            key="queue_reject_clause",
        )
        st.text_input("Note (optional)", key="queue_reject_note")
        st.form_submit_button(
            "Reject",
            type="primary",
            shortcut="x",
            on_click=_decide,
            args=("reject", *bound, True),
        )
    st.caption("Shortcuts: j next · k previous · a approve · x reject · e escalate · u undo")


def _bulk(flt: QueueFilter, labels: list[str], clauses: list[tuple[str, str]]) -> None:
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
        chosen = [(cid, version) for cid, version, value in rows if low <= value <= high]
        fig = px.histogram(
            x=[v for _, _, v in rows],
            nbins=20,
            range_x=(0, 1),
            labels={"x": label, "y": "comments"},
        )
        fig.add_vrect(x0=low, x1=high, fillcolor="red", opacity=0.15, line_width=0)
        fig.update_layout(height=220, margin=dict(l=10, r=10, t=10, b=10))
        st.plotly_chart(fig, width="stretch", key="queue_bulk_hist")
        action = st.radio("Action", ["approve", "reject"], horizontal=True, key="queue_bulk_action")
        clause = None
        if action == "reject":
            clause = st.selectbox("Reason", [c[0] for c in clauses], key="queue_bulk_clause")
        confirm = st.checkbox(
            f"Yes, {action} all {len(chosen)} comments with {label} in [{low:.2f}, {high:.2f}]",
            key="queue_bulk_confirm",
        )
        st.button(
            f"{action.title()} {len(chosen)} comments",
            key="queue_bulk_apply",
            disabled=not (confirm and chosen),
            on_click=_bulk_apply,
            args=(chosen, action, clause),
        )


def _bulk_apply(chosen: list[tuple[str, int]], action: review.Action, clause: str | None) -> None:
    # The (id, version) pairs are the ones counted in the confirmation the moderator ticked.
    result = review.decide_many(
        state.store(),
        chosen,
        action,
        moderator=state.current_user().username,
        clause_id=clause,
        in_force=state.in_force(),
    )
    message = f"{action.title()}d {result.done} comments."
    if result.conflicts:
        message += f" {len(result.conflicts)} changed meanwhile and were skipped."
    st.session_state["queue_flash"] = ("success", message)
    st.session_state["queue_bulk_confirm"] = False
    state.invalidate()


def _focused(comment_id: str, version: int) -> bool:
    """A comment opened from another page (threads, authors): its card alone, whatever its
    queue. False when it no longer exists."""
    card = review.comment_card(
        state.store(), comment_id, model_id=state.model_id(), rule_set_version=version
    )
    if card is None:
        st.session_state.pop("queue_focus", None)
        return False
    st.button(
        "← Back to the queue",
        key="queue_unfocus",
        on_click=lambda: st.session_state.pop("queue_focus", None),
    )
    _card(card, state.rule_clauses())
    _actions(card, card.policy_clauses or state.rule_clauses())
    return True


def render() -> None:
    store = state.store()
    links.focus_from_url()  # queue?article=…&comment=… (a shared link, a reload) opens that card
    st.title("Queue")
    # Always one slot, message or not: elements below keep their place between runs, so an
    # open "Filter and sort" stays open after a decision.
    flash_slot = st.container()
    flash = st.session_state.pop("queue_flash", None)
    if flash:
        getattr(flash_slot, flash[0])(flash[1])
    counts = review.queue_counts(store)
    st.segmented_control(
        "Queue",
        QUEUES,
        format_func=lambda q: f"{_QUEUE_LABELS[q]} ({counts[q]})",
        default="pending",
        key="queue_name",
        label_visibility="collapsed",
    )
    version = state.rule_set_version()
    labels = state.labels()
    if st.session_state.get("queue_focus") and _focused(st.session_state["queue_focus"], version):
        return
    flt = _filters(review.filter_options(store, rule_set_version=version), labels)
    page = st.session_state.get("queue_page_no", 1)
    items, total = review.queue_page(
        store,
        flt,
        model_id=state.model_id(),
        rule_set_version=version,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    if not items:
        st.info(f"Nothing in {_QUEUE_LABELS[flt.queue]} with these filters.")
        return
    index = min(st.session_state.get("queue_index", 0), len(items) - 1)
    nav1, nav2, nav3 = st.columns([1, 1, 4])
    if nav1.button("← Previous", key="queue_prev", disabled=index == 0, shortcut="k"):
        st.session_state["queue_index"] = index - 1
        st.rerun()
    if nav2.button("Next →", key="queue_next", disabled=index >= len(items) - 1, shortcut="j"):
        st.session_state["queue_index"] = index + 1
        st.rerun()
    nav3.caption(f"Comment {(page - 1) * PAGE_SIZE + index + 1} of {total}")
    card = review.comment_card(
        store, items[index].comment_id, model_id=state.model_id(), rule_set_version=version
    )
    if card is None:
        st.warning("That comment is gone; reloading.")
        return
    clauses = card.policy_clauses or state.rule_clauses()
    _card(card, state.rule_clauses())
    _actions(card, clauses)
    _bulk(flt, labels, clauses)
    st.subheader("In this queue")
    st.dataframe(
        [
            {
                "#": (page - 1) * PAGE_SIZE + i + 1,
                "author": it.author,
                "article": it.article_title,
                "severity": it.severity,
                "score": it.score,
                "status": it.status,
                "text": it.text[:120],
            }
            for i, it in enumerate(items)
        ],
        hide_index=True,
        key="queue_table",
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if pages > 1:
        st.number_input("Page", 1, pages, key="queue_page_no")
