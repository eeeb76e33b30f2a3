"""Request and response bodies. Requests refuse unknown fields (``extra="forbid"``): a typo in a
client's field name is a 422 naming it, not a silently dropped value."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from moderation.records import Action, Status

MAX_BATCH = 500
MAX_TEXT_CHARS = 20_000
# Client ids (articles, comments) are opaque to us but bounded: they are stored.
ClientId = Annotated[str, Field(min_length=1, max_length=255)]


class _Request(BaseModel):
    # Strict (validated from the raw JSON): 0 is no date and 1 no string, as the spec says.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ArticleIn(_Request):
    id: ClientId = Field(description="The article's id in your system")
    title: str = Field(min_length=1, max_length=1000)
    url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")


class CommentIn(_Request):
    article: ArticleIn
    id: ClientId | None = Field(
        default=None,
        description="Your comment id. Posting the same id again returns the stored verdict "
        "(with other content: 409); it also names the comment in decisions and replies.",
    )
    parent_id: ClientId | None = Field(
        default=None,
        description="Your id of the comment this one replies to (stored earlier or earlier in "
        "the same batch, same article); none for a top-level comment",
    )
    author: str | None = Field(default=None, min_length=1, max_length=255)
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    posted_at: AwareDatetime | None = None


class BatchIn(_Request):
    comments: list[CommentIn] = Field(min_length=1, max_length=MAX_BATCH)


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class HitOut(BaseModel):
    rule_id: str
    category: str
    clause_id: str = Field(description="The policy clause the rule enforces")
    action: str
    severity: int
    evidence: list[SpanOut] = Field(description="Character offsets into the text, with the text")
    scores: dict[str, float]


class VerdictOut(BaseModel):
    id: str | None = Field(description="Your comment id, as posted")
    comment_id: str = Field(description="Threadwatch's id of the comment")
    article_id: str = Field(description="Your article id")
    created: bool = Field(description="False when this id was stored by an earlier post")
    status: Status
    rule_set_version: int | None
    model_id: str | None
    hits: list[HitOut]
    scores: dict[str, float]


class CommentsOut(BaseModel):
    comments: list[VerdictOut]


class DecisionOut(BaseModel):
    cursor: int = Field(description="Pass as ?since= to read what came after this")
    id: str | None = Field(description="Your comment id")
    comment_id: str
    article_id: str
    action: Action
    status: Status = Field(description="The comment's status after the action")
    clause_id: str | None = Field(description="The policy clause cited (rejections)")
    at: datetime


class DecisionsOut(BaseModel):
    decisions: list[DecisionOut]
    next: int = Field(description="The cursor to pass next time (unchanged when none)")


class ErrorDetail(BaseModel):
    status: int
    code: str
    reason: str = Field(description="One line saying what was wrong")
    problems: list[str] | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class HealthOut(BaseModel):
    status: str
