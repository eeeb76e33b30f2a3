"""Queue: the moderator's day. One comment at a time, with everything needed to decide it.

Each card is its own decision: the Reject form opens with that comment's suggested reason and an
empty note (the form's widgets are reset whenever another comment, or a newer version of this
one, is shown), and every button is bound to the comment and version that were drawn.
"""

from __future__ import annotations

from typing import Any

import plotly.express as px
import streamlit as st

from moderation import review
from moderation.errors import ConflictError, ModerationError
from moderation.records import QUEUE_STATUS, Action, Queue
from moderation.review import LEARNED_SORT, QUEUES, QueueFilter
from moderation.scoring import learned
from moderation.ui import blocking, links, state
from moderation.ui.blocking import plural
from moderation.ui.text import (
    highlighted_markdown,
    literal_markdown,
    name_markdown,
    visible,
    visible_bidi,
)
from moderation.ui.words import QUEUE_WORDS, SORT_WORDS, likelihood_words, status_word

PAGE_SIZE = 25
FLASH = "queue_flash"
FOCUS = "queue_focus"  # a comment opened from another page (Threads, Authors, a link)
_VERBS = {Action.APPROVE: "Approved", Action.REJECT: "Rejected", Action.ESCALATE: "Escalated"}
_QUEUE_OF_STATUS = {status: queue for queue, status in QUEUE_STATUS.items()}
# The Reject form belongs to one (comment, version): see _reset_reject_form.
_REJECT_FOR = "queue_reject_for"


def _learned_version() -> int | None:
    """The learned version the queue reads predictions from; None when turned off or before
    any training (then its sort is not offered and cards show no likelihood)."""
    if not state.settings().learned_model:
        return None
    return learned.active_version(state.store())


def _filters(
    options: dict[str, list[Any]], labels: list[str], learned_version: int | None
) -> tuple[QueueFilter, bool]:
    """The filter, and whether any filter narrows the queue."""
    with st.expander("Filter and sort", expanded=False):
        c1, c2, c3 = st.columns(3)
        articles = dict(options["articles"])
        article = c1.selectbox(
            "Article",
            [None, *articles],
            format_func=lambda a: "All" if a is None else visible(articles[a]),
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
        sorts = [s for s in SORT_WORDS if s != LEARNED_SORT or learned_version is not None]
        if st.session_state.get("queue_sort") not in sorts:
            st.session_state.pop("queue_sort", None)  # the learned model was turned off
        sort = st.selectbox("Sort by", sorts, format_func=SORT_WORDS.__getitem__, key="queue_sort")
    if sort == "score" and label is None:
        st.caption("Pick a score label to sort by it; sorting by severity meanwhile.")
        sort = "severity"
    if sort == LEARNED_SORT:
        st.caption(
            f"Sorted by learned model v{learned_version}'s estimate that a moderator rejects "
            "the comment (it never decides); comments it has not estimated follow by severity."
        )
    ranged = label is not None and (low > 0.0 or high < 1.0)
    narrowed = any((article, category, rule, author)) or ranged
    flt = QueueFilter(
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
    return flt, narrowed


def _flash(kind: str, message: str) -> None:
    st.session_state[FLASH] = (kind, message)


def _decide(
    action: Action,
    comment_id: str,
    version: int,
    author: str | None,
    with_reason: bool = False,
) -> None:
    """Button callback. Its arguments were bound when the card was drawn, so the version
    check compares against what the moderator actually saw."""
    extra: dict[str, str | None] = {}
    if with_reason:
        if st.session_state.get(_REJECT_FOR) != (comment_id, version):
            # The form on screen was drawn for another comment: never apply its reason here.
            _flash("warning", "That reason was picked for another comment; pick it again.")
            return
        extra = {
            "clause_id": st.session_state.get("queue_reject_clause"),
            "note": (st.session_state.get("queue_reject_note") or "").strip() or None,
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
    except ConflictError as exc:  # statuses and moderators' names only: no reader text
        _flash("warning", exc.reason)
    except ModerationError as exc:
        _flash("error", exc.reason)
    else:
        _flash("success", f"{_VERBS[action]} comment by {name_markdown(author)}.")
    state.invalidate()


def _undo() -> None:
    try:
        result = review.undo_last(
            state.store(), moderator=state.current_user().username, in_force=state.in_force()
        )
    except ModerationError as exc:
        _flash("warning", name_markdown(_capitalised(exc.reason)))
    else:
        _flash("success", f"Undone: {name_markdown(result.description)}.")
    state.invalidate()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reasons(clauses: list[tuple[str, str]]) -> list[review.Reason]:
    return review.reject_reasons(clauses)


def _where(card: review.Card) -> str:
    """Article, position, reply, status and source-site status, in moderators' words."""
    item = card.item
    parts = [
        name_markdown(item.article_title),
        f"#{item.thread_position} of {card.thread_entries} in the thread",
    ]
    if item.parent_id is not None and card.parent_text is not None:
        parts.append(f"reply to {name_markdown(card.parent_author)}")
    status = f"status **{literal_markdown(status_word(item.status))}**"
    if item.decided_by:
        status += f" by {name_markdown(item.decided_by)}"
    parts.append(status)
    if item.platform_status:
        parts.append(f"{literal_markdown(item.platform_status)} on the source site")
    return " · ".join(parts)


def _likelihood(comment_id: str, learned_version: int | None) -> str | None:
    """The stored estimate of the learned version for this comment, if it made one (read
    only: a card never computes or stores a prediction)."""
    if learned_version is None:
        return None
    found = learned.reject_probability(state.store(), [comment_id]).get(comment_id)
    if found is None or found[1] != learned_version:
        return None
    return likelihood_words(*found)


def _card(
    card: review.Card, rule_clauses: list[tuple[str, str]], learned_version: int | None = None
) -> None:
    item = card.item
    spans = [span for hit in card.hits for span in hit.evidence]
    with st.container(border=True, key="queue_card"):
        st.caption(_where(card))
        with st.container(key="queue_card_author"):
            badge = blocking.status_badge(item.author_status, item.author_until)
            st.markdown(f"**{name_markdown(item.author)}**" + (f"  ·  {badge}" if badge else ""))
        if card.parent_text is not None:
            with st.expander(f"In reply to {name_markdown(card.parent_author)}"):
                st.markdown(literal_markdown(card.parent_text) or "*(empty comment)*")
        st.markdown(highlighted_markdown(item.text, spans) if item.text else "*(empty comment)*")
        clause_text = dict(rule_clauses)
        for hit in card.hits:
            quote = hit.clause_text or clause_text.get(hit.clause_id, "")
            evidence = ", ".join(f"“{e['text']}”" for e in hit.evidence) or "model score"
            category = hit.category.replace("_", " ")
            st.markdown(
                f"- **{literal_markdown(hit.rule_id)}** ({literal_markdown(category)}, severity "
                f"{hit.severity}, suggests {literal_markdown(hit.action)}): "
                f"{literal_markdown(evidence)}"
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
        likelihood = _likelihood(item.comment_id, learned_version)
        if likelihood:
            st.caption(likelihood)
        versions = []
        if card.model_id:
            versions.append(f"model {literal_markdown(card.model_id)}")
        if card.rule_set_version is not None:
            versions.append(f"rule set v{card.rule_set_version}")
        if versions:
            st.caption(_capitalised(" · ".join(versions)))


def _reset_reject_form(owner: tuple[str, int], suggested: str | None) -> None:
    """A keyed widget ignores its default once its key is in session state: so the form's
    values are set here, before the widgets are drawn, whenever the card changes."""
    if st.session_state.get(_REJECT_FOR) != owner:
        st.session_state[_REJECT_FOR] = owner
        st.session_state["queue_reject_clause"] = suggested
        st.session_state["queue_reject_note"] = ""


def _actions(card: review.Card, clauses: list[tuple[str, str]]) -> None:
    item = card.item
    bound = (item.comment_id, item.version, item.author)
    reasons = _reasons(clauses)
    suggested = review.suggested_reason([h.clause_id for h in card.hits], reasons)
    c1, c2, c3, c4 = st.columns(4)
    c1.button(
        "Approve",
        key="queue_approve",
        shortcut="a",
        icon=":material/check:",
        width="stretch",
        on_click=_decide,
        args=(Action.APPROVE, *bound),
    )
    c2.button(
        "Escalate",
        key="queue_escalate",
        shortcut="e",
        width="stretch",
        on_click=_decide,
        args=(Action.ESCALATE, *bound),
    )
    last = review.last_action(state.store(), state.current_user().username)
    c3.button(
        "Undo my last",
        key="queue_undo",
        shortcut="u",
        width="stretch",
        on_click=_undo,
        disabled=last is None,  # after an undo it stays enabled: pressing it says why not
        help=(
            "Nothing to undo yet"
            if last is None
            else f"Undo {visible(last.description)}"
            if last.undoable
            else f"Nothing to undo: you already undid {visible(last.description)}"
        ),
    )
    if item.author and item.author_restricted:
        c4.button(
            "Unblock author",
            key="queue_unblock",
            width="stretch",
            on_click=blocking.unblock,
            args=(item.author, FLASH),
        )
    elif item.author:
        c4.button(
            "Block author",
            key="queue_block",
            width="stretch",
            on_click=blocking.open_dialog,
            args=(item.author, FLASH),
            kwargs={"reasons": [(r.clause_id, r.label) for r in reasons], "suggested": suggested},
        )
    _reset_reject_form((item.comment_id, item.version), suggested)
    with st.form("queue_reject_form", border=True):
        labels = {r.clause_id: r.label for r in reasons}
        st.selectbox(
            "Reason (policy clause)",
            list(labels),
            format_func=labels.__getitem__,
            key="queue_reject_clause",
            help="The clauses of this article's policy that forbid something.",
        )
        st.text_input("Note (optional)", key="queue_reject_note")
        st.form_submit_button(
            "Reject",
            type="primary",  # the danger colour: Approve is not
            icon=":material/close:",
            shortcut="x",
            on_click=_decide,
            args=(Action.REJECT, *bound, True),
            disabled=not labels,
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
        fig.update_yaxes(title="comments", rangemode="tozero", tick0=0, dtick=None)
        fig.update_layout(height=220, margin=dict(l=10, r=10, t=10, b=10), yaxis_tickformat="d")
        st.plotly_chart(fig, width="stretch", key="queue_bulk_hist")
        action = st.radio(
            "Action",
            [Action.APPROVE.value, Action.REJECT.value],
            format_func=str.title,
            horizontal=True,
            key="queue_bulk_action",
        )
        clause = None
        if action == Action.REJECT:
            reasons = {r.clause_id: r.label for r in _reasons(clauses)}
            clause = st.selectbox(
                "Reason", list(reasons), format_func=reasons.__getitem__, key="queue_bulk_clause"
            )
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
            on_click=_bulk_apply,
            args=(chosen, action, clause),
        )


def _bulk_apply(chosen: list[tuple[str, int]], action: str, clause: str | None) -> None:
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
        _flash("error", literal_markdown(exc.reason))
    else:
        message = f"{_VERBS[Action(action)]} {plural(result.done, 'comment')}."
        if result.conflicts:
            changed = len(result.conflicts)
            were = "was" if changed == 1 else "were"
            message += f" {plural(changed, 'comment')} changed meanwhile and {were} skipped."
        _flash("success", message)
    st.session_state["queue_bulk_confirm"] = False
    state.invalidate()


def _unfocus() -> None:
    st.session_state.pop(FOCUS, None)


def _focused_card(comment_id: str, version: int) -> review.Card | None:
    """A comment opened from another page: its card alone, in its real queue. None when it no
    longer exists."""
    card = review.comment_card(
        state.store(), comment_id, model_id=state.model_id(), rule_set_version=version
    )
    if card is None:
        _unfocus()
    return card


def _table(
    items: list[review.QueueItem], first: int, *, scored: bool, learned_sort: bool = False
) -> None:
    """The page of the queue; selecting a row opens that card (read back in _picked_row)."""
    rows = [
        {
            "#": first + i,
            "author": visible(it.author or "anonymous")
            + (f" ({it.author_status})" if it.author_restricted else ""),
            "article": visible(it.article_title),
            "comment": f"#{it.thread_position}",
            "severity": "" if it.severity is None else str(it.severity),
            "score": "" if it.score is None else f"{it.score:.2f}",
            "status": status_word(it.status),
            "text": visible_bidi(" ".join(it.text[:120].split())),
        }
        for i, it in enumerate(items)
    ]
    if not scored:  # no label picked: no score to show
        for row in rows:
            row.pop("score")
    if learned_sort:  # the column the rows are sorted by
        for row, it in zip(rows, items, strict=True):
            p = it.reject_probability
            row["rejection likelihood"] = "" if p is None else f"{p:.2f}"
    st.dataframe(
        rows,
        hide_index=True,
        key="queue_table",
        on_select="rerun",
        selection_mode="single-row",
    )


def _picked_row(context: tuple[Any, ...]) -> int | None:
    """The row newly selected in the queue table, if any: a selection counts once, so moving
    on with Next and Previous is not undone by the row still being highlighted."""
    selection = st.session_state.get("queue_table")
    rows = list(selection["selection"]["rows"]) if selection else []
    picked = (context, tuple(rows))
    if st.session_state.get("queue_table_seen") == picked:
        return None
    st.session_state["queue_table_seen"] = picked
    return rows[0] if rows else None


def _on_queue_change() -> None:
    _unfocus()
    st.session_state["queue_index"] = 0
    st.session_state["queue_page_no"] = 1


def render() -> None:
    store = state.store()
    links.focus_from_url()  # queue?article=…&comment=… (a shared link, a reload) opens that card
    st.title("Queue")
    # Always one slot, message or not: elements below keep their place between runs, so an
    # open "Filter and sort" stays open after a decision.
    flash_slot = st.container()
    flash = st.session_state.pop(FLASH, None)
    if flash:
        getattr(flash_slot, flash[0])(flash[1])
    blocking.render()
    version = state.rule_set_version()
    focus = st.session_state.get(FOCUS)
    focused = _focused_card(focus, version) if focus else None
    if focused is not None:
        # The card opened from elsewhere shows the queue it is really in.
        real = _QUEUE_OF_STATUS.get(focused.item.status, Queue.ALL)
        st.session_state["queue_name"] = real.value
    counts = review.queue_counts(store)
    # The default through session state, not ``default=``: the focus above may set it, and a
    # widget given both warns on the page.
    st.session_state.setdefault("queue_name", Queue.PENDING.value)
    st.segmented_control(
        "Queue",
        QUEUES,
        format_func=lambda q: f"{QUEUE_WORDS[q]} ({counts[q]})",
        key="queue_name",
        label_visibility="collapsed",
        on_change=_on_queue_change,
    )
    labels = state.labels()
    learned_version = _learned_version()
    if focused is not None:
        st.button("← Back to the queue", key="queue_unfocus", on_click=_unfocus)
        _card(focused, state.rule_clauses(), learned_version)
        _actions(focused, focused.policy_clauses or state.rule_clauses())
        return
    flt, narrowed = _filters(
        review.filter_options(store, rule_set_version=version), labels, learned_version
    )
    page = st.session_state.get("queue_page_no", 1)
    items, total = review.queue_page(
        store,
        flt,
        model_id=state.model_id(),
        rule_set_version=version,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        learned_version=learned_version,
    )
    if not items:
        where = QUEUE_WORDS[flt.queue]
        st.info(f"Nothing in {where} with these filters." if narrowed else f"Nothing in {where}.")
        return
    picked = _picked_row((flt, page))
    if picked is not None and picked < len(items):
        st.session_state["queue_index"] = picked
    index = min(st.session_state.get("queue_index", 0), len(items) - 1)
    nav1, nav2, nav3 = st.columns([1, 1, 4])
    if nav1.button("← Previous", key="queue_prev", disabled=index == 0, shortcut="k"):
        st.session_state["queue_index"] = index - 1
        st.rerun()
    if nav2.button("Next →", key="queue_next", disabled=index >= len(items) - 1, shortcut="j"):
        st.session_state["queue_index"] = index + 1
        st.rerun()
    rank = (page - 1) * PAGE_SIZE + index + 1
    nav3.caption(f"Comment {rank} of {total} in {QUEUE_WORDS[flt.queue]}")
    card = review.comment_card(
        store, items[index].comment_id, model_id=state.model_id(), rule_set_version=version
    )
    if card is None:
        st.warning("That comment is gone; reloading.")
        return
    clauses = card.policy_clauses or state.rule_clauses()
    _card(card, state.rule_clauses(), learned_version)
    _actions(card, clauses)
    _bulk(flt, labels, clauses)
    st.subheader("In this queue")
    st.caption("Select a row to open that comment.")
    _table(
        items,
        (page - 1) * PAGE_SIZE + 1,
        scored=flt.label is not None,
        learned_sort=flt.sort == LEARNED_SORT,
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if pages > 1:
        st.number_input("Page", 1, pages, key="queue_page_no")
