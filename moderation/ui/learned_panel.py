"""The Calibrate tab's part on the site's learned model: which version is in use, and (editors
and admins) a button that trains a new one on the moderators' decisions.

Training takes seconds (embeddings of every decided comment, then the queues' predictions), so
it runs on the background job runner like a re-flag; the Rules page's job list shows its
progress and result, and the page is drawn again when it finishes. What stops it (turned off,
too few decisions) is said at once, before anything is queued."""

from __future__ import annotations

import streamlit as st

from moderation.pipeline import jobs
from moderation.scoring import learned
from moderation.ui import model_loader, state
from moderation.ui.text import name_markdown

FLASH = "rules_learn_flash"


def _current() -> None:
    row = learned.latest_model(state.store())
    if row is None:
        st.caption("No learned model yet: the queue's sort by it appears after the first training.")
        return
    st.caption(
        f"In use: learned model v{row.version}, trained on {row.decisions} human decisions "
        f"({row.rejections} rejections) by {name_markdown(row.created_by)} on "
        f"{row.created_at:%Y-%m-%d %H:%M}. It sorts and annotates the queue; it never decides."
    )


def _train() -> None:
    """Button callback: queue the training, or say why it cannot run."""
    current = state.settings()
    try:
        decisions = learned.check_can_learn(state.store(), enabled=current.learned_model)
    except learned.LearnError as exc:
        st.session_state[FLASH] = ("warning", exc.reason)
        return
    jobs.learn_job(
        state.store(),
        state.rules(),
        lambda: model_loader.wait(current),
        actor=state.current_user().username,
        enabled=current.learned_model,
    )
    st.session_state[FLASH] = (
        "info",
        f"Training on {decisions} human decisions in the background; the new version is "
        "listed here when it is done.",
    )


def render(can_edit: bool) -> None:
    st.subheader("The site's learned model")
    if not state.settings().learned_model:
        st.info("The site's learned model is turned off (learned_model = false in the settings).")
        return
    _current()
    if not can_edit:
        return
    st.button(
        "Train on the moderators' decisions",
        key="rules_learn",
        on_click=_train,
        help="Fits a new version on every standing approve and reject by a person (never on "
        "what rules did alone), then estimates the queued comments.",
    )
    flash = st.session_state.pop(FLASH, None)
    if flash:
        getattr(st, flash[0])(flash[1])
