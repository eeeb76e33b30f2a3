"""The decisions outbox: moderators' decisions (and undos) on a client's comments, in order.

The cursor is the audit log's position (``audit_log.seq``), not ``decisions.id``: appends to the
chain are serialised by its head lock until commit, so positions become visible in order and a
reader that saw position n never later finds a smaller one committed (ids from a sequence can
commit out of order on PostgreSQL). The audit log also holds undos, which change no decision id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from moderation.records import ACTION_STATUS, Action
from moderation.store.schema import audit_log
from moderation.store.schema_connect import api_comments

# The audit actions that change a comment's status as a moderator decided it.
DECISION_ACTIONS = tuple(str(a) for a in (*ACTION_STATUS, Action.UNDO))


@dataclass(frozen=True, slots=True)
class DecisionEvent:
    cursor: int
    comment_id: str  # Threadwatch's id
    external_article_id: str
    external_comment_id: str | None
    action: str  # records.Action
    status: str  # records.Status the comment has after it
    clause_id: str | None
    at: datetime


def decision_events(
    conn: Connection, client_id: int, *, since: int, limit: int
) -> list[DecisionEvent]:
    """Up to ``limit`` events on ``client_id``'s comments after position ``since``."""
    rows = conn.execute(
        select(
            audit_log.c.seq,
            audit_log.c.target_id,
            api_comments.c.external_article_id,
            api_comments.c.external_comment_id,
            audit_log.c.action,
            audit_log.c.details,
            audit_log.c.at,
        )
        .join(api_comments, api_comments.c.comment_id == audit_log.c.target_id)
        .where(
            audit_log.c.seq > since,
            audit_log.c.target_type == "comment",
            audit_log.c.action.in_(DECISION_ACTIONS),
            api_comments.c.client_id == client_id,
        )
        .order_by(audit_log.c.seq)
        .limit(limit)
    )
    return [
        DecisionEvent(
            cursor=int(r.seq),
            comment_id=r.target_id,
            external_article_id=r.external_article_id,
            external_comment_id=r.external_comment_id,
            action=r.action,
            status=str((r.details or {}).get("to")),
            clause_id=(r.details or {}).get("clause"),
            at=r.at,
        )
        for r in rows
    ]


def head(conn: Connection) -> int:
    """The audit log's last position (0 when empty): where a new webhook starts."""
    return int(conn.execute(select(func.coalesce(func.max(audit_log.c.seq), 0))).scalar_one())
