"""The comment card's note when a decision could not reach the site (a push conflict): the
card calls ``show_push_conflict`` with one line, where it shows the comment's platform status."""

from __future__ import annotations

import streamlit as st

from moderation.sites.conflicts import push_conflict
from moderation.store import Store
from moderation.ui.text import literal_markdown


def show_push_conflict(store: Store, comment_id: str) -> None:
    conflict = push_conflict(store, comment_id)
    if conflict is not None:
        # The site's name is the operator's, the statuses the site's: shown literally anyway.
        st.warning(literal_markdown(conflict.message()), icon="⚠️")
