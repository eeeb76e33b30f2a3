"""The Rules editor's unsaved draft, kept in the database per user (moderation/store/drafts.py).

Session state alone dies with the browser tab: a reload, a bookmark or a new login would lose
a half-edited rules.yaml. The Rules page calls ``restore`` before drawing its editor and
``keep`` after, both with the version the editor starts from (the active one, or the one being
applied); a draft equal to it is forgotten, so saving or rolling back leaves nothing behind.
(Streamlit sends a text area's value when it loses focus or on Ctrl+Enter: keystrokes typed
since are the browser's until then.)
"""

from __future__ import annotations

import streamlit as st

from moderation.store.drafts import delete_draft, load_draft, save_draft
from moderation.ui import state

MAX_DRAFT_BYTES = 2 * 1024 * 1024  # far above any real rules.yaml; bounds what we store
_SAVED = "_drafts_saved"  # the text last written to the database for this user
_RESTORED = "_drafts_restored"  # restore only when the tab first opens the editor
NOTICE = "_drafts_notice"


def restore(key: str, base_version: int, base: str) -> None:
    """Before the editor is drawn: fill it with the user's saved draft (once per session), else
    with ``base`` (the text of ``base_version``), and say so while the editor still holds the
    restored text."""
    if key not in st.session_state:
        _fill(key, base_version, base)
    note = st.session_state.get(NOTICE)
    if note and st.session_state.get(key) == st.session_state.get(_SAVED):
        st.info(note)


def _fill(key: str, base_version: int, base: str) -> None:
    st.session_state[key] = base
    if st.session_state.get(_RESTORED):
        return
    st.session_state[_RESTORED] = True
    draft = load_draft(state.store(), state.current_user().username)
    if draft is None or draft.content == base:
        return
    st.session_state[key] = draft.content
    st.session_state[_SAVED] = draft.content
    since = f"started from v{draft.base_version}, " if draft.base_version else ""
    note = (
        f"Restored your unsaved draft ({since}last changed {draft.updated_at:%Y-%m-%d %H:%M} UTC)."
    )
    if draft.base_version not in (None, base_version):
        note += f" The rules are now at v{base_version}: compare before saving."
    st.session_state[NOTICE] = note


def keep(key: str, base_version: int, base: str) -> None:
    """After the editor is drawn: store the draft if it changed, forget it once it equals
    ``base`` (saved, rolled back, or edited back)."""
    text = st.session_state.get(key)
    if not isinstance(text, str) or text == st.session_state.get(_SAVED):
        return
    store, username = state.store(), state.current_user().username
    if text == base or not text.strip():
        delete_draft(store, username)
    elif len(text.encode("utf-8", "surrogatepass")) > MAX_DRAFT_BYTES:
        st.caption(f"This draft is over {MAX_DRAFT_BYTES:,} bytes: it is not kept across reloads.")
        return
    else:
        save_draft(store, username, text, base_version=base_version)
    st.session_state[_SAVED] = text
