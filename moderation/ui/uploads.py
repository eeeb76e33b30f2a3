"""Uploads: only a logged-in editor or admin can put a file on the server (issue 11, point 9).

Streamlit 1.67's upload endpoint (``PUT /_stcore/upload_file/{session_id}/{file_id}``, see
``create_upload_routes`` in ``streamlit/web/server/starlette/starlette_routes.py``) checks the
XSRF token, that ``session_id`` is an active session and that the body fits
``server.maxUploadSize``. It does not check that the session shows a file uploader, nor who is
logged in: anyone who opens the login page has a session, and could keep files of up to that size
in the server's memory (three 50 MB files took 150 MB). ``guard_uploads`` wraps the runtime's
uploaded-file manager so that storing a file for a session whose user is not an editor or admin
is refused with HTTP 403 and the bytes are dropped at once. (The handler reads the body before it
stores it, so a refused upload still costs up to ``server.maxUploadSize`` for that one request;
``.streamlit/config.toml`` keeps that at what imports need.)

The check is installed by the first script run of the server process (dashboard.py calls
``guard_uploads`` before the login); files that a session stored before that moment are dropped
then if the session may not upload.

The Import page is the only file uploader, and it is rendered for editors and admins only.
"""

from __future__ import annotations

import logging
from typing import Any

from moderation.ui.auth import User

log = logging.getLogger(__name__)

REFUSED = "Uploads need a login as editor or admin."
_GUARDED = "_threadwatch_upload_guard"


def guard_uploads() -> None:
    """Install the check once per server process (a no-op outside a running server, e.g. in
    AppTest, which has no upload endpoint)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return
    runtime = Runtime.instance()
    manager = runtime.uploaded_file_mgr
    if getattr(manager, _GUARDED, False):
        return
    store_file = manager.add_file

    def add_file(session_id: str, file: Any) -> None:
        if not may_upload(runtime, session_id):
            from starlette.exceptions import HTTPException

            log.warning(
                "upload refused: session %s is not logged in as editor or admin", session_id
            )
            raise HTTPException(status_code=403, detail=REFUSED)
        store_file(session_id, file)

    # An attribute of this one instance: the upload route holds a reference to it.
    manager.add_file = add_file  # type: ignore[method-assign]
    setattr(manager, _GUARDED, True)
    # Uploads that arrived before this first script run (MemoryUploadedFileManager keeps them
    # in file_storage): keep only those of sessions that may upload.
    for session_id in list(getattr(manager, "file_storage", {})):
        if not may_upload(runtime, session_id):
            manager.remove_session_files(session_id)


def may_upload(runtime: Any, session_id: str) -> bool:
    """True when the session's current login is an editor or admin. Any doubt (no such session,
    state that cannot be read) refuses."""
    try:
        session = runtime.get_app_session(session_id)
        if session is None:
            return False
        state = session.session_state
        # The dashboard stores the logged-in User under "_user" on every run; logging out clears
        # streamlit-authenticator's "authentication_status" before the next run does.
        # (SessionState is not a Mapping: no .get.)
        user = state["_user"] if "_user" in state else None  # noqa: SIM401
        logged_in = "authentication_status" in state and bool(state["authentication_status"])
        return logged_in and isinstance(user, User) and user.can("editor")
    except Exception:  # another thread's state mid-change, or Streamlit internals that moved
        log.exception("upload refused: cannot read the state of session %s", session_id)
        return False


__all__ = ["REFUSED", "guard_uploads", "may_upload"]
