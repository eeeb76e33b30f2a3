"""Threadwatch dashboard: the router only. Pages live in moderation/ui/.

Run with: streamlit run dashboard.py
"""

from __future__ import annotations

import streamlit as st

from moderation.errors import ModerationError
from moderation.ui import state, threads_page

st.set_page_config(page_title="Threadwatch", layout="wide")

try:
    settings = state.settings()
    store = state.store()
except ModerationError as exc:
    st.error(f"Threadwatch cannot start: {exc}")
    st.stop()

state.ensure_sample_data(store, settings)
st.sidebar.caption(f"Database: {store.url}")

page = st.navigation([st.Page(threads_page.render, title="Threads", url_path="threads")])
page.run()
