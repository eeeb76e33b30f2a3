"""The connectors' vocabulary: site kinds, a platform's comment statuses, push states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from moderation.records import Action


class SiteKind(StrEnum):
    WORDPRESS = "wordpress"


class RemoteStatus(StrEnum):
    """A comment's status on a WordPress site, as its REST API writes it."""

    APPROVED = "approved"
    HOLD = "hold"
    SPAM = "spam"
    TRASH = "trash"
    DELETED = "deleted"  # gone from the site (deleted for good): only ever read, never pushed


class RejectAs(StrEnum):
    """What a rejection becomes on the site (a per-site setting)."""

    SPAM = "spam"
    TRASH = "trash"


class PasswordSource(StrEnum):
    FILE = "file"
    ENV = "env"


class PushKind(StrEnum):
    DECISION = "decision"  # a moderator's decision
    PREMODERATION = "premoderation"  # a held comment the rules found clean, approved


class PushState(StrEnum):
    PENDING = "pending"  # to be sent
    SENDING = "sending"  # an attempt began; a re-run asks the site whether it landed
    DONE = "done"
    CONFLICT = "conflict"  # the site changed the comment since the pull: not overwritten
    FAILED = "failed"  # the site could not be reached or refused; retried with backoff
    SUPERSEDED = "superseded"  # a later decision on the comment replaced it before it landed


class PushAudit(StrEnum):
    """The audit log's action for a push's outcome."""

    DONE = "site push"
    CONFLICT = "site push conflict"


# The states a sync (re)tries.
OPEN_PUSH_STATES = (PushState.PENDING, PushState.SENDING, PushState.FAILED)


def remote_status_for(action: str, reject_as: str) -> RemoteStatus | None:
    """The status a moderator's action asks of the site; None for actions that are not
    decisions on a comment (undo, block)."""
    if action == Action.APPROVE:
        return RemoteStatus.APPROVED
    if action == Action.REJECT:
        return RemoteStatus(reject_as)
    if action == Action.ESCALATE:
        return RemoteStatus.HOLD
    return None


@dataclass(frozen=True, slots=True)
class Site:
    id: int
    name: str
    kind: SiteKind
    url: str
    username: str
    password_source: PasswordSource
    password_ref: str
    reject_as: RejectAs
    premoderate: bool
    comments_cursor: str | None
    posts_cursor: str | None
    last_sync_at: datetime | None


@dataclass(frozen=True, slots=True)
class RemoteComment:
    """A remote comment as last pulled (the baseline a push compares the site with)."""

    site_id: int
    remote_id: int
    comment_id: str
    remote_post_id: int
    remote_parent_id: int | None
    remote_status: str
    content_hash: str
    remote_date: str | None


@dataclass(frozen=True, slots=True)
class Push:
    id: int
    push_key: str
    site_id: int
    remote_id: int
    comment_id: str
    decision_id: int | None
    kind: PushKind
    target_status: RemoteStatus
    state: PushState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    answer: dict[str, Any] | None
    conflict: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
