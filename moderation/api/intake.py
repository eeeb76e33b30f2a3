"""Comments posted over the API: stored, scored and flagged through the same domain functions
as the CLI's ingest and the dashboard's uploads, then read back as verdicts.

The calls into the domain (``ingest.score_missing``, ``versions.in_force``, ``reflag.flag_missing``,
``ingest.predict_learned``) are all in ``Intake._score_and_flag``. Scoring and flagging are
driven by what the database lacks, so a server killed after storing leaves work that the next
post (or ingest, or dashboard start) completes; a repeated post of the same ids answers with
the stored comments' verdicts.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection

from moderation.api.models import (
    CommentIn,
    DecisionOut,
    DecisionsOut,
    HitOut,
    VerdictOut,
)
from moderation.errors import ConflictError, InvalidRequestError, StoreError
from moderation.fingerprint import stable_id
from moderation.pipeline.ingest import IngestReport, predict_learned, score_missing
from moderation.pipeline.reflag import flag_missing
from moderation.pipeline.versions import ActiveRules, in_force
from moderation.records import Article, Status
from moderation.scoring import Scorer
from moderation.store import Store, outbox
from moderation.store.api_clients import Client
from moderation.store.api_comments import NewComment, append_comments, posted, verdicts

# Threadwatch's ids are 32 characters (comments.id): a prefix and a digest of the client's ids.
_ID_PREFIX = "api"
_DIGEST = 29


def article_key(client: Client, external_id: str) -> str:
    return _ID_PREFIX + stable_id(client.id, "article", external_id, length=_DIGEST)


def comment_key(client: Client, external_id: str | None) -> str:
    # Client comment ids name a comment across the client's articles (as platform ids do).
    seed = external_id if external_id is not None else f"anonymous {uuid.uuid4()}"
    return _ID_PREFIX + stable_id(client.id, "comment", seed, length=_DIGEST)


def request_hash(item: CommentIn) -> str:
    """What makes a repeated post 'the same comment' (the article's title may change)."""
    return stable_id(
        item.article.id,
        item.parent_id,
        item.author,
        item.text,
        item.posted_at.isoformat() if item.posted_at else None,
        length=64,
    )


@dataclass
class Intake:
    store: Store
    scorer: Scorer | None
    rules: ActiveRules
    learned_model: bool = False

    def __post_init__(self) -> None:
        # One scoring and flagging round at a time in this server: both are CPU-bound, and two
        # rounds racing over the same unflagged comments would only redo each other's work.
        self._lock = threading.Lock()

    def post(self, client: Client, items: Sequence[CommentIn]) -> list[VerdictOut]:
        """Store ``items`` (all or none), score and flag them, return their verdicts in order."""
        keys = [comment_key(client, item.id) for item in items]

        def work(conn: Connection) -> set[str]:
            return self._store(conn, client, items, keys)

        try:
            created = self.store.write(work)
        except StoreError:
            # Two posts creating one new article at once (PostgreSQL): the loser's insert fails
            # on the primary key; once the winner committed, a second attempt appends to it.
            created = self.store.write(work)
        self._score_and_flag()
        return self._verdicts(items, keys, created)

    def _store(
        self, conn: Connection, client: Client, items: Sequence[CommentIn], keys: list[str]
    ) -> set[str]:
        stored = posted(conn, client.id, keys)
        batch = _Batch()
        now = datetime.now(UTC)
        for item, key in zip(items, keys, strict=True):
            digest = request_hash(item)
            # A batch is taken as its comments posted in order: an id again is a repeat.
            before = stored[key].request_hash if key in stored else batch.hashes.get(key)
            if before is not None:
                if before != digest:
                    raise ConflictError(
                        "this comment id was posted before with other content", subject=item.id
                    )
                continue
            batch.hashes[key] = digest
            akey = article_key(client, item.article.id)
            parent = comment_key(client, item.parent_id) if item.parent_id else None
            if parent is not None:
                _check_parent(conn, client, item, parent, akey, batch.article_of)
            batch.add(client, item, key, akey, parent, digest)
        shortened: list[str] = []
        for akey, new in batch.comments.items():
            append_comments(
                conn,
                batch.articles[akey],
                new,
                client_id=client.id,
                external_article_id=batch.external[akey],
                now=now,
                shortened=shortened,
            )
        return set(batch.article_of)

    def _score_and_flag(self) -> None:
        with self._lock:
            model_id = self.scorer.model_id if self.scorer else None
            if self.scorer is not None:
                score_missing(self.store, self.scorer)
            self.rules = in_force(self.store, self.rules)
            flag_missing(self.store, self.rules, model_id=model_id)
            if self.learned_model and self.scorer is not None:
                predict_learned(self.store, self.scorer, IngestReport())

    def _verdicts(
        self, items: Sequence[CommentIn], keys: list[str], created: set[str]
    ) -> list[VerdictOut]:
        model_id = self.scorer.model_id if self.scorer else None
        with self.store.engine.connect() as conn:
            found = verdicts(conn, keys, version=self.rules.version, model_id=model_id)
        out = []
        for item, key in zip(items, keys, strict=True):
            v = found[key]
            out.append(
                VerdictOut(
                    id=item.id,
                    comment_id=key,
                    article_id=item.article.id,
                    created=key in created,
                    status=Status(v.status),
                    rule_set_version=self.rules.version,
                    model_id=model_id,
                    hits=[HitOut.model_validate(h) for h in v.hits],
                    scores=v.scores,
                )
            )
        return out

    def decisions(self, client: Client, *, since: int, limit: int) -> DecisionsOut:
        with self.store.engine.connect() as conn:
            events = outbox.decision_events(conn, client.id, since=since, limit=limit)
        return DecisionsOut(
            decisions=[decision_out(e) for e in events],
            next=events[-1].cursor if events else since,
        )


@dataclass
class _Batch:
    """What one post adds, gathered before anything is written."""

    hashes: dict[str, str] = field(default_factory=dict)  # comment key -> request hash
    article_of: dict[str, str] = field(default_factory=dict)  # comment key -> article key
    articles: dict[str, Article] = field(default_factory=dict)  # by article key
    external: dict[str, str] = field(default_factory=dict)  # article key -> the client's id
    comments: dict[str, list[NewComment]] = field(default_factory=dict)  # by article key

    def add(
        self,
        client: Client,
        item: CommentIn,
        key: str,
        akey: str,
        parent: str | None,
        digest: str,
    ) -> None:
        self.article_of[key] = akey
        self.external[akey] = item.article.id
        self.articles.setdefault(
            akey,
            Article(
                id=akey,
                source=f"api:{client.name}",
                title=item.article.title,
                body="",
                policy=None,
                url=item.article.url,
            ),
        )
        self.comments.setdefault(akey, []).append(
            NewComment(
                id=key,
                parent_id=parent,
                author=item.author,
                text=item.text,
                posted_at=item.posted_at.astimezone(UTC).isoformat() if item.posted_at else None,
                external_id=item.id,
                request_hash=digest,
            )
        )


def _check_parent(
    conn: Connection,
    client: Client,
    item: CommentIn,
    parent: str,
    akey: str,
    article_of: dict[str, str],
) -> None:
    """Refuse ``item`` unless its parent is stored or earlier in this batch, in its article."""
    if parent in article_of:
        if article_of[parent] != akey:
            raise InvalidRequestError(
                f"parent_id {item.parent_id!r} belongs to another article", subject=item.id
            )
        return
    owner = posted(conn, client.id, [parent]).get(parent)
    # A conflict with what is stored (409), not a malformed request: a reply that arrives
    # before its parent is accepted once the parent has been posted.
    if owner is None:
        raise ConflictError(
            f"parent_id {item.parent_id!r} is not posted yet: post the parent first",
            subject=item.id,
        )
    if owner.external_article_id != item.article.id:
        raise ConflictError(
            f"parent_id {item.parent_id!r} is a comment of another article", subject=item.id
        )


def decision_out(event: outbox.DecisionEvent) -> DecisionOut:
    return DecisionOut(
        cursor=event.cursor,
        id=event.external_comment_id,
        comment_id=event.comment_id,
        article_id=event.external_article_id,
        action=event.action,  # type: ignore[arg-type]
        status=event.status,  # type: ignore[arg-type]
        clause_id=event.clause_id,
        at=event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC),
    )


__all__ = ["Intake", "article_key", "comment_key", "decision_out"]
