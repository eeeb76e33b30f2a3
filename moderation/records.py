"""Plain, immutable records that flow through parse -> score -> flag -> store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from operator import attrgetter
from typing import Any, Literal

CommentKind = Literal["comment", "pingback"]


# -- the moderation vocabulary: one spelling of every status, queue and action ----------------
# StrEnum members compare equal to their values, so rows read back as plain strings still match;
# a typo (Status.PENDNG) fails at import or in the type checker instead of emptying a queue.


class Status(StrEnum):
    """A reader comment's moderation status in Threadwatch."""

    UNMODERATED = "unmoderated"  # no rule flagged it and nobody decided it ("new")
    PENDING = "pending"  # flagged or held by the rules: waits for a moderator
    ESCALATED = "escalated"  # a moderator asked a senior to decide
    APPROVED = "approved"
    REJECTED = "rejected"


class Queue(StrEnum):
    """The moderator's queues: each one a status, plus the union of all."""

    PENDING = "pending"
    ESCALATED = "escalated"
    APPROVED = "approved"
    REJECTED = "rejected"
    UNFLAGGED = "unflagged"
    ALL = "all"


# The status each queue lists (ALL lists every status).
QUEUE_STATUS: dict[Queue, Status] = {
    Queue.PENDING: Status.PENDING,
    Queue.ESCALATED: Status.ESCALATED,
    Queue.APPROVED: Status.APPROVED,
    Queue.REJECTED: Status.REJECTED,
    Queue.UNFLAGGED: Status.UNMODERATED,
}


class Action(StrEnum):
    """What a moderator (or a rule) does; recorded in decisions and the audit log."""

    APPROVE = "approve"
    REJECT = "reject"
    ESCALATE = "escalate"
    UNDO = "undo"
    BLOCK = "block"
    UNBLOCK = "unblock"


# The status a comment decision leads to.
ACTION_STATUS: dict[Action, Status] = {
    Action.APPROVE: Status.APPROVED,
    Action.REJECT: Status.REJECTED,
    Action.ESCALATE: Status.ESCALATED,
}


class AuthorStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # blocked until a date
    BLOCKED = "blocked"


class Suggestion(StrEnum):
    """What the rules suggest for a comment nobody has decided (a Verdict's status); the
    pipeline turns it into a Status (flagged and held comments both wait as PENDING)."""

    APPROVED = "approved"
    FLAGGED = "flagged"
    HELD = "held"
    REJECTED = "rejected"
    UNMODERATED = "unmoderated"  # no rule matched


# The suggestion of each rule action (rules.yaml's ``action:``).
RULE_SUGGESTION: dict[str, Suggestion] = {
    "approve": Suggestion.APPROVED,
    "flag": Suggestion.FLAGGED,
    "hold": Suggestion.HELD,
    "reject": Suggestion.REJECTED,
}


# The policy clause that allows blocking authors (cited by every block).
BLOCK_CLAUSE = "may-block-violators"


@dataclass(frozen=True, slots=True)
class InForce:
    """The rule-set and model versions a decision is taken under (recorded with it)."""

    rule_set_version: int | None = None
    model_id: str | None = None


@dataclass(frozen=True, slots=True)
class PolicyClause:
    """One rule of a site's discussion policy; ``id`` is stable across re-parses."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Policy:
    text: str
    clauses: tuple[PolicyClause, ...]


@dataclass(frozen=True, slots=True)
class Comment:
    """A reader comment (or pingback) in document order; ``parent_id`` builds the tree."""

    id: str
    parent_id: str | None
    number: str | None
    author: str | None
    text: str
    kind: CommentKind = "comment"
    depth: int = 0
    # From export formats that carry them: ISO 8601 time of posting, and the platform's own
    # moderation status (approved, pending, spam, trash, deleted) kept verbatim.
    posted_at: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    source: str
    title: str
    body: str
    policy: Policy | None
    comments: tuple[Comment, ...] = field(default=())
    url: str | None = None
    published_at: str | None = None
    # How the comments were found (HTML pages: the strategy, e.g. "wordpress", "structural"),
    # and what a reader of the result should know (an embed not in the page, a larger stated
    # count). Formats with one fixed layout leave both empty.
    extraction: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def reader_comments(self) -> tuple[Comment, ...]:
        return tuple(c for c in self.comments if c.kind == "comment")

    def to_json(self) -> dict[str, Any]:
        """The shape printed by ``moderation parse --json``."""
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "body": self.body,
            "policy": asdict(self.policy) if self.policy else None,
            # Not asdict: its recursive deep copy costs most of a bulk ingest's hashing, and a
            # Comment's fields are all plain str/int/None (same dicts, built at C speed).
            "comments": [
                dict(zip(_COMMENT_FIELDS, _comment_values(c), strict=True)) for c in self.comments
            ],
            "url": self.url,
            "published_at": self.published_at,
            "extraction": self.extraction,
            "warnings": list(self.warnings),
        }


_COMMENT_FIELDS = tuple(f.name for f in fields(Comment))
_comment_values = attrgetter(*_COMMENT_FIELDS)
