"""Shareable dashboard URLs: one place for the pages' paths and their query parameters.

- a thread: ``threads?article=<article_id>``
- a comment's card: ``queue?article=<article_id>&comment=<comment_id>``

Pages read the parameters when they open (a deep link, a bookmark, a reload) and write them
back when the reader picks something else, so the address bar always names what is shown.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

PAGES = "moderation/ui/pages"
QUEUE_PAGE = f"{PAGES}/queue.py"
THREADS_PAGE = f"{PAGES}/threads.py"
ARTICLE = "article"
COMMENT = "comment"
QUEUE_FOCUS = "queue_focus"  # session key: the comment whose card the queue page shows alone
_APPLIED = "_links_applied_comment"


def thread_url(article_id: str) -> str:
    return f"threads?{urlencode({ARTICLE: article_id})}"


def comment_url(article_id: str, comment_id: str) -> str:
    return f"queue?{urlencode({ARTICLE: article_id, COMMENT: comment_id})}"


def comment_params(article_id: str, comment_id: str) -> dict[str, str]:
    """The query parameters of a comment's card (for st.page_link / st.switch_page)."""
    return {ARTICLE: article_id, COMMENT: comment_id}


def requested(name: str) -> str | None:
    value = st.query_params.get(name)
    return value or None


def show(**params: str | None) -> None:
    """Put these parameters in the address bar (None removes one); others are left alone."""
    for name, value in params.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


def focus_from_url() -> None:
    """Queue page: ``?comment=…`` opens that comment's card (a shared link, a reload), and the
    address bar stops naming a card once it is closed."""
    wanted = requested(COMMENT)
    applied = st.session_state.get(_APPLIED)
    focus = st.session_state.get(QUEUE_FOCUS)
    if wanted and wanted != applied:
        st.session_state[QUEUE_FOCUS] = wanted
        st.session_state[_APPLIED] = wanted
    elif wanted and not focus:  # the card was closed: the address no longer names it
        show(**{COMMENT: None, ARTICLE: None})
        st.session_state.pop(_APPLIED, None)
    elif not wanted and applied:
        # Left through the menu (Streamlit drops the parameters on a page switch): a card
        # opened by a link closes with it; one opened otherwise stays.
        if focus == applied:
            st.session_state.pop(QUEUE_FOCUS, None)
        st.session_state.pop(_APPLIED, None)
