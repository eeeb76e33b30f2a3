"""The writes behind moderators' actions: action rows, versioned comment updates, decision rows,
author status changes, and what Undo reads and reverts. Every function runs inside the caller's
transaction (review/ takes the audit chain's lock first and appends the audit rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, select, update

from moderation.errors import NotFoundError
from moderation.records import Status
from moderation.store.database import inserted_id
from moderation.store.schema import (
    articles,
    author_changes,
    authors,
    comments,
    decisions,
    moderator_actions,
)

# Where a comment is and who wrote it, as audit rows and messages name it (words.comment_ref).
_PLACE = (comments.c.article_id, comments.c.position, comments.c.author, articles.c.title)


@dataclass(frozen=True)
class CommentState:
    """A comment as a decision finds it, with what an audit row says about where it is."""

    status: str
    decided_by: str | None
    version: int
    article_id: str
    position: int
    author: str | None
    title: str


@dataclass(frozen=True)
class AuthorState:
    id: int
    status: str
    suspended_until: datetime | None


@dataclass(frozen=True)
class ModeratorAction:
    id: int
    moderator: str
    action: str
    target_type: str
    target_id: str | None
    count: int
    undoes: int | None


@dataclass(frozen=True)
class AuthorChange:
    """One change of an author's status by a moderator action (``name``: the author's)."""

    id: int
    author_id: int
    name: str
    previous_status: str
    previous_until: datetime | None
    status: str
    until: datetime | None


@dataclass(frozen=True)
class DecidedComment:
    """A decision row of an action with the comment as it stands now."""

    id: int
    comment_id: str
    action: str
    previous_status: str
    previous_decided_by: str | None
    resulting_version: int
    current_version: int
    current_status: str
    current_by: str | None
    article_id: str
    position: int
    author: str | None
    title: str


class LaterChange(NamedTuple):
    moderator: str
    action: str


def new_action(
    conn: Connection,
    moderator: str,
    action: str,
    target_type: str,
    target_id: str | None,
    now: datetime,
    *,
    count: int = 0,
    undoes: int | None = None,
) -> int:
    """A moderator_actions row (what "Undo my last" follows); its id."""
    result = conn.execute(
        moderator_actions.insert().values(
            moderator=moderator,
            action=action,
            target_type=target_type,
            target_id=target_id,
            count=count,
            undoes=undoes,
            created_at=now,
        )
    )
    return inserted_id(result)


def add_to_count(conn: Connection, action_id: int, done: int) -> None:
    """Count ``done`` more comments decided by the action."""
    conn.execute(
        update(moderator_actions)
        .where(moderator_actions.c.id == action_id)
        .values(count=moderator_actions.c.count + done)
    )


def delete_action(conn: Connection, action_id: int) -> None:
    conn.execute(moderator_actions.delete().where(moderator_actions.c.id == action_id))


def comment_state(conn: Connection, comment_id: str) -> CommentState | None:
    row = conn.execute(
        select(
            comments.c.status,
            comments.c.decided_by,
            comments.c.version,
            *_PLACE,
        )
        .join(articles, articles.c.id == comments.c.article_id)
        .where(comments.c.id == comment_id)
    ).first()
    return CommentState(*row) if row is not None else None


def set_comment_status(
    conn: Connection,
    comment_id: str,
    *,
    expected_version: int,
    status: str,
    decided_by: str | None,
    now: datetime,
) -> bool:
    """Change the comment's status if its version is still ``expected_version`` (and bump the
    version); False when somebody changed it first."""
    changed = conn.execute(
        update(comments)
        .where(comments.c.id == comment_id, comments.c.version == expected_version)
        .values(
            status=status, decided_by=decided_by, decided_at=now, version=comments.c.version + 1
        )
    ).rowcount
    return bool(changed == 1)


def insert_decision(conn: Connection, **values: Any) -> None:
    """A decisions row (the columns of ``schema.decisions``, by name)."""
    conn.execute(decisions.insert().values(**values))


def author_state(conn: Connection, name: str) -> AuthorState:
    row = conn.execute(
        select(authors.c.id, authors.c.status, authors.c.suspended_until).where(
            authors.c.name == name
        )
    ).first()
    if row is None:
        raise NotFoundError("no such author", subject=name)
    return AuthorState(*row)


def pending_of_author(conn: Connection, author: str) -> list[tuple[str, int]]:
    """(comment id, version) of the author's reader comments waiting in Pending."""
    rows = conn.execute(
        select(comments.c.id, comments.c.version)
        .join(authors, authors.c.id == comments.c.author_id)
        .where(
            authors.c.name == author,
            comments.c.kind == "comment",
            comments.c.status == Status.PENDING,
        )
        .order_by(comments.c.article_id, comments.c.position)
    )
    return [(r.id, r.version) for r in rows]


def change_author(
    conn: Connection,
    author_id: int,
    *,
    action_id: int,
    previous: tuple[str, datetime | None],
    status: str,
    until: datetime | None,
    now: datetime,
) -> None:
    """Set the author's status (and suspension end), recording the change for Undo."""
    conn.execute(
        update(authors)
        .where(authors.c.id == author_id)
        .values(status=status, suspended_until=until)
    )
    conn.execute(
        author_changes.insert().values(
            action_id=action_id,
            author_id=author_id,
            previous_status=previous[0],
            previous_until=previous[1],
            status=status,
            until=until,
            created_at=now,
        )
    )


def _action_of(row: Any) -> ModeratorAction | None:
    if row is None:
        return None
    return ModeratorAction(
        row.id, row.moderator, row.action, row.target_type, row.target_id, row.count, row.undoes
    )


def last_action(conn: Connection, moderator: str) -> ModeratorAction | None:
    """The moderator's most recent action (undo actions included)."""
    query = (
        select(moderator_actions)
        .where(moderator_actions.c.moderator == moderator)
        .order_by(moderator_actions.c.id.desc())
        .limit(1)
    )
    return _action_of(conn.execute(query).first())


def action_by_id(conn: Connection, action_id: int | None) -> ModeratorAction | None:
    query = select(moderator_actions).where(moderator_actions.c.id == action_id)
    return _action_of(conn.execute(query).first())


def mark_action_undone(conn: Connection, action_id: int, now: datetime) -> None:
    conn.execute(
        update(moderator_actions).where(moderator_actions.c.id == action_id).values(undone_at=now)
    )


def author_change_of(conn: Connection, action_id: int) -> AuthorChange | None:
    """The author change an action made, if it changed an author."""
    row = conn.execute(
        select(
            author_changes.c.id,
            author_changes.c.author_id,
            authors.c.name,
            author_changes.c.previous_status,
            author_changes.c.previous_until,
            author_changes.c.status,
            author_changes.c.until,
        )
        .join(authors, authors.c.id == author_changes.c.author_id)
        .where(author_changes.c.action_id == action_id)
    ).first()
    return AuthorChange(*row) if row is not None else None


def decided_by_action(conn: Connection, action_id: int) -> list[DecidedComment]:
    """The decisions an action made, in order, each with its comment as it stands now."""
    rows = conn.execute(
        select(
            decisions.c.id,
            decisions.c.comment_id,
            decisions.c.action,
            decisions.c.previous_status,
            decisions.c.previous_decided_by,
            decisions.c.resulting_version,
            comments.c.version.label("current_version"),
            comments.c.status.label("current_status"),
            comments.c.decided_by.label("current_by"),
            *_PLACE,
        )
        .join(comments, comments.c.id == decisions.c.comment_id)
        .join(articles, articles.c.id == comments.c.article_id)
        .where(decisions.c.action_id == action_id)
        .order_by(decisions.c.id)
    )
    return [DecidedComment(**r._mapping) for r in rows]


def later_author_change(conn: Connection, change: AuthorChange) -> LaterChange | None:
    """A change to the same author after ``change`` that still stands (not undone)."""
    row = conn.execute(
        select(moderator_actions.c.moderator, moderator_actions.c.action)
        .select_from(author_changes)
        .join(moderator_actions, moderator_actions.c.id == author_changes.c.action_id)
        .where(
            author_changes.c.author_id == change.author_id,
            author_changes.c.id > change.id,
            moderator_actions.c.undone_at.is_(None),
        )
        .order_by(author_changes.c.id.desc())
        .limit(1)
    ).first()
    return LaterChange(*row) if row is not None else None


def mark_decision_undone(conn: Connection, decision_id: int, now: datetime) -> None:
    conn.execute(update(decisions).where(decisions.c.id == decision_id).values(undone_at=now))
