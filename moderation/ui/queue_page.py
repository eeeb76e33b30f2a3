"""Queue: the moderator's day. One comment at a time, with everything needed to decide it.

The page picks the queue and the comment; the card is drawn by queue_card.py, its actions by
queue_actions.py, the filters and the table by queue_filters.py, bulk actions by queue_bulk.py.
"""

from __future__ import annotations

import streamlit as st

from moderation import review
from moderation.records import QUEUE_STATUS, Queue
from moderation.review import LEARNED_SORT, QUEUES, QueueFilter
from moderation.scoring import learned
from moderation.ui import blocking, links, live, queue_actions, queue_bulk, queue_card, state
from moderation.ui.queue_actions import FLASH
from moderation.ui.queue_filters import filters, picked_row, table
from moderation.ui.words import QUEUE_WORDS

PAGE_SIZE = 25
CACHE_TTL = 60  # seconds; a write moves the data version, so the next run misses at once
FOCUS = "queue_focus"  # a comment opened from another page (Threads, Authors, a link)
_QUEUE_OF_STATUS: dict[str, Queue] = {status: queue for queue, status in QUEUE_STATUS.items()}


@state.cached(
    ttl=CACHE_TTL, keyed_by=lambda v: (v.articles, v.active_rules, v.pending_rules, v.last_flag)
)
def _filter_options(version: int | None) -> review.FilterOptions:
    # Not keyed by decisions: the articles, categories and rules offered do not change with
    # them (10,000 article titles at a million comments). A changed title waits for the TTL.
    return review.filter_options(state.store(), rule_set_version=version)


def _learned_version() -> int | None:
    """The learned version the queue reads predictions from; None when turned off or before
    any training (then its sort is not offered and cards show no likelihood)."""
    if not state.settings().learned_model:
        return None
    return learned.active_version(state.store())


def _unfocus() -> None:
    st.session_state.pop(FOCUS, None)


def _focused_card(comment_id: str, version: int | None) -> review.Card | None:
    """A comment opened from another page: its card alone, in its real queue. None when it no
    longer exists."""
    card = review.comment_card(
        state.store(), comment_id, model_id=state.model_id(), rule_set_version=version
    )
    if card is None:
        _unfocus()
    return card


def _on_queue_change() -> None:
    _unfocus()
    st.session_state["queue_index"] = 0
    st.session_state["queue_page_no"] = 1


def _header() -> None:
    st.title("Queue")
    # Always one slot, message or not: elements below keep their place between runs, so an
    # open "Filter and sort" stays open after a decision.
    flash_slot = st.container()
    flash = st.session_state.pop(FLASH, None)
    if flash:
        getattr(flash_slot, flash[0])(flash[1])
    blocking.render()


def _queue_picker(focused: review.Card | None) -> dict[str, int]:
    """The queue selector with each queue's count; returns the counts it showed."""
    if focused is not None:
        # The card opened from elsewhere shows the queue it is really in.
        real = _QUEUE_OF_STATUS.get(focused.item.status, Queue.ALL)
        st.session_state["queue_name"] = real.value
    counts = review.queue_counts(state.store())
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
    return counts


def _current_index(items: list[review.QueueItem], flt: QueueFilter, page: int, total: int) -> int:
    """The comment shown (its index on the page), moved by a table row or Previous/Next."""
    picked = picked_row((flt, page))
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
    return index


def _browse(
    version: int | None, labels: list[str], learned_version: int | None, counts: dict[str, int]
) -> None:
    """The filtered queue a page at a time: one card, its actions, bulk actions, the table."""
    store = state.store()
    flt, narrowed = filters(_filter_options(version), labels, learned_version)
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
    live.follow(flt, (page - 1) * PAGE_SIZE, PAGE_SIZE, counts, items, learned_version)
    if not items:
        where = QUEUE_WORDS[flt.queue]
        st.info(f"Nothing in {where} with these filters." if narrowed else f"Nothing in {where}.")
        return
    index = _current_index(items, flt, page, total)
    card = review.comment_card(
        store, items[index].comment_id, model_id=state.model_id(), rule_set_version=version
    )
    if card is None:
        st.warning("That comment is gone; reloading.")
        return
    policy = queue_actions.clauses(card)
    queue_card.draw(card, state.rule_clauses(), learned_version)
    queue_actions.draw(card, policy)
    queue_bulk.draw(flt, labels, policy)
    st.subheader("In this queue")
    st.caption("Select a row to open that comment.")
    table(
        items,
        (page - 1) * PAGE_SIZE + 1,
        scored=flt.label is not None,
        learned_sort=flt.sort == LEARNED_SORT,
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if pages > 1:
        st.number_input("Page", 1, pages, key="queue_page_no")


def render() -> None:
    links.focus_from_url()  # queue?article=…&comment=… (a shared link, a reload) opens that card
    _header()
    version = state.rule_set_version()
    focus = st.session_state.get(FOCUS)
    focused = _focused_card(focus, version) if focus else None
    counts = _queue_picker(focused)
    labels = state.labels()
    learned_version = _learned_version()
    if focused is not None:
        st.button("← Back to the queue", key="queue_unfocus", on_click=_unfocus)
        queue_card.draw(focused, state.rule_clauses(), learned_version)
        queue_actions.draw(focused, queue_actions.clauses(focused))
        return
    _browse(version, labels, learned_version, counts)
