"""The queue card's actions: Approve, Escalate, Undo my last, Block/Unblock author and the
Reject form. Each card is its own decision: the Reject form opens with that comment's suggested
reason and an empty note (the form's widgets are reset whenever another comment, or a newer
version of this one, is shown), and every button is bound to the comment and version drawn."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from moderation import review
from moderation.errors import ConflictError, ModerationError
from moderation.records import Action
from moderation.ui import blocking, state
from moderation.ui.queue_card import capitalised
from moderation.ui.text import name_markdown, visible

FLASH = "queue_flash"
VERBS = {Action.APPROVE: "Approved", Action.REJECT: "Rejected", Action.ESCALATE: "Escalated"}
# The Reject form belongs to one (comment, version): see _reset_reject_form.
_REJECT_FOR = "queue_reject_for"
CACHE_TTL = 60  # seconds; a write moves the data version, so the next run misses at once


def flash(kind: str, message: str) -> None:
    st.session_state[FLASH] = (kind, message)


def clauses(card: review.Card) -> list[tuple[str, str]]:
    """The article's own policy clauses, else the rule set's."""
    return [(c.id, c.text) for c in card.policy_clauses] or state.rule_clauses()


def _decide(
    action: Action,
    comment_id: str,
    version: int,
    author: str | None,
    with_reason: bool = False,
) -> None:
    """Button callback. Its arguments were bound when the card was drawn, so the version
    check compares against what the moderator actually saw."""
    extra: dict[str, str | None] = {}
    if with_reason:
        if st.session_state.get(_REJECT_FOR) != (comment_id, version):
            # The form on screen was drawn for another comment: never apply its reason here.
            flash("warning", "That reason was picked for another comment; pick it again.")
            return
        extra = {
            "clause_id": st.session_state.get("queue_reject_clause"),
            "note": (st.session_state.get("queue_reject_note") or "").strip() or None,
        }
    try:
        review.decide(
            state.store(),
            comment_id,
            action,
            moderator=state.current_user().username,
            expected_version=version,
            in_force=state.in_force(),
            **extra,
        )
    except ConflictError as exc:  # statuses and moderators' names only: no reader text
        flash("warning", exc.reason)
    except ModerationError as exc:
        flash("error", exc.reason)
    else:
        flash("success", f"{VERBS[action]} comment by {name_markdown(author)}.")
    state.invalidate()


def _undo() -> None:
    try:
        result = review.undo_last(
            state.store(), moderator=state.current_user().username, in_force=state.in_force()
        )
    except ModerationError as exc:
        flash("warning", name_markdown(capitalised(exc.reason)))
    else:
        flash("success", f"Undone: {name_markdown(result.description)}.")
    state.invalidate()


def _reset_reject_form(owner: tuple[str, int], suggested: str | None) -> None:
    """A keyed widget ignores its default once its key is in session state: so the form's
    values are set here, before the widgets are drawn, whenever the card changes."""
    if st.session_state.get(_REJECT_FOR) != owner:
        st.session_state[_REJECT_FOR] = owner
        st.session_state["queue_reject_clause"] = suggested
        st.session_state["queue_reject_note"] = ""


@state.cached(ttl=CACHE_TTL, keyed_by=lambda v: v.audit_seq)
def _last_action(moderator: str) -> review.LastAction | None:
    # Keyed by the audit chain's head: every action (this moderator's or an undo) appends to it.
    # Describing a bulk action reads all its decisions (thousands at a million comments).
    return review.last_action(state.store(), moderator)


def _undo_button(column: DeltaGenerator) -> None:
    last = _last_action(state.current_user().username)
    column.button(
        "Undo my last",
        key="queue_undo",
        shortcut="u",
        width="stretch",
        on_click=_undo,
        disabled=last is None,  # after an undo it stays enabled: pressing it says why not
        help=(
            "Nothing to undo yet"
            if last is None
            else f"Undo {visible(last.description)}"
            if last.undoable
            else f"Nothing to undo: you already undid {visible(last.description)}"
        ),
    )


def _author_button(
    column: DeltaGenerator,
    item: review.QueueItem,
    reasons: list[review.Reason],
    suggested: str | None,
) -> None:
    if item.author and item.author_restricted:
        column.button(
            "Unblock author",
            key="queue_unblock",
            width="stretch",
            on_click=blocking.unblock,
            args=(item.author, FLASH),
        )
    elif item.author:
        column.button(
            "Block author",
            key="queue_block",
            width="stretch",
            on_click=blocking.open_dialog,
            args=(item.author, FLASH),
            kwargs={"reasons": [(r.clause_id, r.label) for r in reasons], "suggested": suggested},
        )


def _reject_form(bound: tuple[str, int, str | None], reasons: list[review.Reason]) -> None:
    with st.form("queue_reject_form", border=True):
        labels = {r.clause_id: r.label for r in reasons}
        st.selectbox(
            "Reason (policy clause)",
            list(labels),
            format_func=labels.__getitem__,
            key="queue_reject_clause",
            help="The clauses of this article's policy that forbid something.",
        )
        st.text_input("Note (optional)", key="queue_reject_note")
        st.form_submit_button(
            "Reject",
            type="primary",  # the danger colour: Approve is not
            icon=":material/close:",
            shortcut="x",
            on_click=_decide,
            args=(Action.REJECT, *bound, True),
            disabled=not labels,
        )


def draw(card: review.Card, policy: list[tuple[str, str]]) -> None:
    """The action buttons and the Reject form of ``card``, reasons from ``policy``'s clauses."""
    item = card.item
    bound = (item.comment_id, item.version, item.author)
    reasons = review.reject_reasons(policy)
    suggested = review.suggested_reason([h.clause_id for h in card.hits], reasons)
    c1, c2, c3, c4 = st.columns(4)
    c1.button(
        "Approve",
        key="queue_approve",
        shortcut="a",
        icon=":material/check:",
        width="stretch",
        on_click=_decide,
        args=(Action.APPROVE, *bound),
    )
    c2.button(
        "Escalate",
        key="queue_escalate",
        shortcut="e",
        width="stretch",
        on_click=_decide,
        args=(Action.ESCALATE, *bound),
    )
    _undo_button(c3)
    _author_button(c4, item, reasons, suggested)
    _reset_reject_form((item.comment_id, item.version), suggested)
    _reject_form(bound, reasons)
    st.caption("Shortcuts: j next · k previous · a approve · x reject · e escalate · u undo")
