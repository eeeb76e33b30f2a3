"""What the comment card shows when a decision could not reach the site because the site
changed the comment meanwhile (the lead wires ``push_conflict`` onto the card)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from moderation.sites.records import PushState
from moderation.store import Store
from moderation.store.pushes import latest_push_of_comment


@dataclass(frozen=True, slots=True)
class PushConflict:
    comment_id: str
    site: str
    asked: str  # the status the decision asked of the site
    status_pulled: str | None  # the site's status when Threadwatch last read the comment
    status_now: str  # the site's status when the push looked again
    content_changed: bool
    at: datetime

    def message(self) -> str:
        """One line for the card; statuses are the site's own words, never reader text."""
        changes = []
        if self.status_pulled != self.status_now:
            changes.append(f"its status changed from {self.status_pulled} to {self.status_now}")
        if self.content_changed:
            changes.append("its text was edited")
        what = " and ".join(changes) or f"it is {self.status_now} there"
        return (
            f"Not sent to {self.site}: on the site {what} since it was pulled. "
            f"The site's version is kept; decide again to set it to {self.asked}."
        )


def push_conflict(store: Store, comment_id: str) -> PushConflict | None:
    """The comment's push conflict, if its latest push met one (a later decision that reached
    the site resolves it)."""
    with store.engine.connect() as conn:
        found = latest_push_of_comment(conn, comment_id)
    if found is None or found.push.state != PushState.CONFLICT:
        return None
    latest = found.push
    conflict = latest.conflict or {}
    return PushConflict(
        comment_id=comment_id,
        site=found.site_name,
        asked=str(latest.target_status),
        status_pulled=conflict.get("status_pulled"),
        status_now=str(conflict.get("status_now") or ""),
        content_changed=bool(conflict.get("content_changed")),
        at=latest.updated_at,
    )
