"""The words moderators read for the vocabulary in ``moderation.records``: never an internal name
(``unmoderated``) on screen, and one wording on every page."""

from __future__ import annotations

from moderation.records import Action, AuthorStatus, Queue, Status

STATUS_WORDS: dict[str, str] = {
    Status.UNMODERATED: "new",
    Status.PENDING: "pending review",
    Status.ESCALATED: "escalated",
    Status.APPROVED: "approved",
    Status.REJECTED: "rejected",
}

QUEUE_WORDS: dict[str, str] = {
    Queue.PENDING: "Pending",
    Queue.ESCALATED: "Escalated",
    Queue.APPROVED: "Approved",
    Queue.REJECTED: "Rejected",
    Queue.UNFLAGGED: "Unflagged",
    Queue.ALL: "All",
}

ACTION_WORDS: dict[str, str] = {
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.ESCALATE: "escalated",
    Action.UNDO: "undid",
    Action.BLOCK: "blocked",
    Action.UNBLOCK: "unblocked",
}

AUTHOR_STATUS_WORDS: dict[str, str] = {
    AuthorStatus.ACTIVE: "active",
    AuthorStatus.SUSPENDED: "suspended",
    AuthorStatus.BLOCKED: "blocked",
}


def status_word(status: str | None) -> str:
    """A status as moderators say it; an unknown value is shown as it is, never hidden."""
    if status is None:
        return "—"
    return STATUS_WORDS.get(status, status)
