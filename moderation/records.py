"""Plain, immutable records that flow through parse -> score -> flag -> store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

CommentKind = Literal["comment", "pingback"]


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
            "comments": [asdict(c) for c in self.comments],
            "url": self.url,
            "published_at": self.published_at,
        }
