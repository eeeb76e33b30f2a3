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

#: The queue's sorts (``QueueFilter.sort``) as the "Sort by" box says them.
SORT_WORDS: dict[str, str] = {
    "severity": "Severity",
    "score": "Label score",
    "learned": "Most likely to be rejected",
    "newest": "Newest",
    "oldest": "Oldest",
    "thread": "Thread order",
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


#: How entries are numbered on every page (card, Threads, Authors), said once on screen.
POSITION_RULE = "entries are numbered 1, 2, 3… in thread order, pingbacks included"


def entry_label(position: int, kind: str = "comment") -> str:
    """A comment's place in its thread: 1-based among all the thread's entries in thread order,
    pingbacks included (and labelled as such). ``position`` is the stored 0-based index."""
    label = f"entry {position + 1}"
    return f"{label} (pingback)" if kind == "pingback" else label


def or_dash(value: object, placeholder: str = "—") -> str:
    """A value for display: never ``None`` or an empty string on screen."""
    return placeholder if value is None or value == "" else str(value)


def likelihood_words(probability: float, version: int) -> str:
    """The learned model's estimate for one comment, always with the version that made it."""
    return f"Rejection likelihood {probability:.2f} (learned model v{version})"
