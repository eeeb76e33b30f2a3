"""How the review side words actions and comments in its messages and audit rows (the UI's own
words live in moderation/ui/words.py)."""

from __future__ import annotations

from typing import Any

from moderation.records import Action, Status
from moderation.store.queue import thread_position

DOING: dict[str, str] = {
    Action.APPROVE: "approving",
    Action.REJECT: "rejecting",
    Action.ESCALATE: "escalating",
    Action.BLOCK: "blocking",
    Action.UNBLOCK: "unblocking",
}
DONE: dict[str, str] = {
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.ESCALATE: "escalated",
    Action.BLOCK: "blocked",
    Action.UNBLOCK: "unblocked",
}


def said(status: str | None) -> str:
    """A status in a message (the UI's words live in moderation/ui; only this one differs)."""
    return "new" if status == Status.UNMODERATED else str(status or "changed")


def comment_words(position: int, author: str | None, title: str) -> str:
    return f"comment #{thread_position(position)} by {author or 'anonymous'} in “{title}”"


def comment_ref(row: Any) -> dict[str, Any]:
    """What an audit row says about a comment besides its id: where it is and who wrote it
    (``row``: anything with article_id, title, position and author)."""
    return {
        "article_id": row.article_id,
        "article": row.title,
        "position": thread_position(row.position),
        "author": row.author,
    }
