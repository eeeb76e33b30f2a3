"""The live queue: comments that arrive by sync or the API appear in an open queue by themselves.

A fragment re-reads the queue counts and the page of the queue on screen every ``REFRESH_S``
seconds (timed runs only: the page run that draws the queue has just read both); only when they
differ from what the page was drawn with does it rerun the page, so an idle queue costs two small
queries a tick and no redraw. Before that rerun it points the queue index at the comment the
moderator has open, wherever that comment now sits in the list, so a new comment sorted above it
never swaps the card being read (nor resets its Reject form, which belongs to the comment and
version on screen).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from moderation import review
from moderation.review import QueueFilter
from moderation.ui import state

# Seconds between checks: a new comment shows within this plus one page run (the issue: 5 s).
# Each check is a (short) script run, during which the app reads as running: every second would
# keep a loaded server's page almost always busy.
REFRESH_S = 2.0
INDEX = "queue_index"  # the queue page's open-card position in its list
# Set by the page run that just drew the queue: the fragment's call inside that same run has
# nothing to compare yet (the page read counts and items a moment ago), so it skips the re-read.
_DRAWN = "live_queue_drawn"


def follow(
    flt: QueueFilter,
    offset: int,
    limit: int,
    counts: dict[str, int],
    items: Sequence[review.QueueItem],
    learned_version: int | None,
) -> None:
    """Watch the queue the page just drew (``counts``, and ``items`` read at ``offset`` with
    ``limit`` under ``flt``); rerun the page when either changes."""
    st.session_state[_DRAWN] = True
    _watch(flt, offset, limit, dict(counts), [it.comment_id for it in items], learned_version)


@st.fragment(run_every=REFRESH_S)
def _watch(
    flt: QueueFilter,
    offset: int,
    limit: int,
    counts: dict[str, int],
    shown: list[str],
    learned_version: int | None,
) -> None:
    # A timed run is called with the arguments of the page run that drew the queue, so what it
    # compares against is exactly what is on screen.
    if st.session_state.pop(_DRAWN, False):
        return
    store = state.store()
    now_counts = dict(review.queue_counts(store))
    now_items, _total = review.queue_page(
        store,
        flt,
        model_id=state.model_id(),
        rule_set_version=state.rule_set_version(),
        offset=offset,
        limit=limit,
        learned_version=learned_version,
    )
    now_shown = [it.comment_id for it in now_items]
    if now_counts == counts and now_shown == shown:
        return
    if shown:
        open_id = shown[min(st.session_state.get(INDEX, 0), len(shown) - 1)]
        if open_id in now_shown:
            st.session_state[INDEX] = now_shown.index(open_id)
    st.rerun()
