"""Threadwatch dashboard: the router only. Pages live in moderation/ui/.

Run with: streamlit run dashboard.py
"""

from __future__ import annotations

import streamlit as st

from moderation.errors import ModerationError
from moderation.scoring import active_model
from moderation.ui import auth, state
from moderation.ui.uploads import guard_uploads

st.set_page_config(page_title="Threadwatch", layout="wide")
guard_uploads()  # before any login: the upload endpoint must refuse sessions that are not editors

try:
    settings = state.settings()
    store = state.store()
    user = auth.require_login(settings.auth_file)
except ModerationError as exc:
    st.error(f"Threadwatch cannot start: {exc}")
    st.stop()
if user is None:
    st.stop()
st.session_state["_user"] = user

try:
    state.scorer()
    rules = state.rules()
except ModerationError as exc:
    st.error(f"Threadwatch cannot start: {exc}")
    st.stop()
state.ensure_sample_data(store, settings)

model = active_model()
if model is not None and model.reason:
    st.warning(
        f"Scoring with the offline fallback **{model.model_id}** "
        f"(labels: {', '.join(model.labels)}). {model.reason}",
        icon="⚠️",
    )
elif model is not None:
    st.info(f"Scoring model: **{model.model_id}** (labels: {', '.join(model.labels)})")
if rules.error:
    st.error(f"rules.yaml is invalid; rule set v{rules.version} stays active. {rules.error}")
st.sidebar.caption(f"Rule set v{rules.version} · database {store.url}")

# File-based pages (thin scripts over moderation/ui/*_page.py) so tests can switch to them.
PAGES = "moderation/ui/pages"
pages = [
    st.Page(f"{PAGES}/queue.py", title="Queue", url_path="queue", default=True),
    st.Page(f"{PAGES}/threads.py", title="Threads", url_path="threads"),
    st.Page(f"{PAGES}/authors.py", title="Authors", url_path="authors"),
    st.Page(f"{PAGES}/stats.py", title="Stats", url_path="stats"),
    st.Page(f"{PAGES}/audit.py", title="Audit", url_path="audit"),
    st.Page(f"{PAGES}/rules.py", title="Rules", url_path="rules"),
]
if user.can("editor"):  # moderators do not see Import; the page refuses them too
    pages.append(st.Page(f"{PAGES}/import_files.py", title="Import", url_path="import"))
st.navigation(pages).run()
