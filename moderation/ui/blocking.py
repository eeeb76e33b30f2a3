"""Blocking an author, from a queue card or the Authors page: a confirmation dialog that says what
will happen, with an optional duration (a suspension), a reason, and the option to reject the
author's pending comments; and unblocking. One action each, so "Undo my last" reverts it whole.

The dialog is open while ``st.session_state[DIALOG]`` names the author: every full run of the
page draws it again, so it survives reruns (and works the same in AppTest); Confirm, Cancel and
dismissing it clear that state.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from moderation import review
from moderation.errors import ModerationError
from moderation.records import BLOCK_CLAUSE, AuthorStatus
from moderation.review.reasons import FALLBACK_REASON
from moderation.ui import state
from moderation.ui.text import name_markdown

DIALOG = "block_dialog"
DURATIONS: dict[str, int | None] = {"Permanently": None, "1 day": 1, "7 days": 7, "30 days": 30}
_WIDGETS = ("block_duration", "block_note", "block_reject_pending", "block_reject_clause")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def open_dialog(
    author: str,
    flash_key: str,
    *,
    note: str = "",
    reasons: list[tuple[str, str]] | None = None,
    suggested: str | None = None,
) -> None:
    """Button callback: open the dialog for ``author``. The pending comments it offers to reject
    are read now, so the count the moderator confirms is the list that is rejected."""
    for key in _WIDGETS:
        st.session_state.pop(key, None)
    st.session_state["block_note"] = note
    st.session_state[DIALOG] = {
        "author": author,
        "flash": flash_key,
        "pending": review.pending_of_author(state.store(), author),
        "reasons": reasons or [],
        "suggested": suggested,
    }


def _close() -> None:
    st.session_state.pop(DIALOG, None)


def render() -> None:
    """Draw the dialog when one is open (call once per page run)."""
    opened = st.session_state.get(DIALOG)
    if opened:
        _dialog(opened)


def _until(choice: str, now: datetime) -> datetime | None:
    days = DURATIONS.get(choice)
    return now + timedelta(days=days) if days else None


@st.dialog("Block author", width="medium", on_dismiss=_close)
def _dialog(opened: dict[str, Any]) -> None:
    author: str = opened["author"]
    pending: list[tuple[str, int]] = opened["pending"]
    reasons: list[tuple[str, str]] = opened["reasons"]
    who = name_markdown(author)
    choice = st.radio("For how long", list(DURATIONS), horizontal=True, key="block_duration")
    days = DURATIONS[choice]
    length = "until you or another moderator unblocks them" if days is None else f"for {choice}"
    st.markdown(
        f"**{who}** will be blocked {length}. Their new comments will wait in **Pending**, "
        "marked as from a blocked author, whatever the rules say; comments already decided stay "
        f"as they are. The block cites policy clause `{BLOCK_CLAUSE}` and is recorded in the "
        "audit log; *Undo my last* or *Unblock* reverts it."
    )
    st.text_input("Reason (for the audit log, optional)", key="block_note")
    reject = False
    clause = None
    if pending and reasons:
        reject = st.checkbox(
            f"Also reject their {plural(len(pending), 'pending comment')}",
            key="block_reject_pending",
        )
        if reject:
            ids = [r[0] for r in reasons]
            labels = dict(reasons)
            default = opened.get("suggested") or FALLBACK_REASON
            clause = st.selectbox(
                "Reason for the rejections",
                ids,
                index=ids.index(default) if default in ids else 0,
                format_func=labels.__getitem__,
                key="block_reject_clause",
            )
    verb = "Block" if days is None else "Suspend"
    left, right = st.columns(2)
    if left.button(f"{verb} author", key="block_confirm", type="primary", width="stretch"):
        until = _until(choice, datetime.now(UTC))
        _confirm(author, opened, until, pending if reject else [], clause)
        st.rerun()
    if right.button("Cancel", key="block_cancel", width="stretch"):
        _close()
        st.rerun()


def _confirm(
    author: str,
    opened: dict[str, Any],
    until: datetime | None,
    reject: list[tuple[str, int]],
    clause: str | None,
) -> None:
    flash = opened["flash"]
    note = (st.session_state.get("block_note") or "").strip() or None
    _close()
    try:
        result = review.block_author(
            state.store(),
            author,
            moderator=state.current_user().username,
            until=until,
            note=note,
            reject_clause=clause,
            reject=reject,
            in_force=state.in_force(),
        )
    except ModerationError as exc:
        st.session_state[flash] = ("error", exc.reason)
    else:
        if result.status == AuthorStatus.SUSPENDED and result.until is not None:
            message = f"Suspended {name_markdown(author)} until {when(result.until)}"
        else:
            message = f"Blocked {name_markdown(author)}"
        message += f" (policy clause {BLOCK_CLAUSE})."
        if reject:
            message += f" Rejected {plural(result.rejected, 'pending comment')}."
        if result.conflicts:
            message += f" {plural(len(result.conflicts), 'comment')} changed meanwhile: kept."
        st.session_state[flash] = ("success", message)
    state.invalidate()


def unblock(author: str, flash_key: str, note_key: str | None = None) -> None:
    """Button callback: lift a block or suspension."""
    note = (st.session_state.get(note_key) or "").strip() or None if note_key else None
    try:
        review.unblock_author(
            state.store(),
            author,
            moderator=state.current_user().username,
            note=note,
            in_force=state.in_force(),
        )
    except ModerationError as exc:
        st.session_state[flash_key] = ("error", exc.reason)
    else:
        st.session_state[flash_key] = ("success", f"Unblocked {name_markdown(author)}.")
        if note_key:
            st.session_state[note_key] = ""
    state.invalidate()


def when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def status_badge(status: str | None, until: datetime | None) -> str:
    """The mark next to a blocked or suspended author's name (Markdown)."""
    if status == AuthorStatus.BLOCKED:
        return ":red-badge[blocked author]"
    if status == AuthorStatus.SUSPENDED:
        suffix = f" until {when(until)}" if until else ""
        return f":orange-badge[suspended author{suffix}]"
    return ""
