"""Comments posted over the HTTP API: appended to their article's thread, mapped to the client's
own ids, and read back as verdicts (status, rule hits with evidence, scores)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from moderation.records import Article, Comment
from moderation.store.articles import author_ids, author_name, comment_row, save_article
from moderation.store.schema import articles, comments, flags, scores
from moderation.store.schema_connect import api_comments


@dataclass(frozen=True, slots=True)
class NewComment:
    """A reader comment to append: ``id`` and ``parent_id`` are Threadwatch ids."""

    id: str
    parent_id: str | None
    author: str | None
    text: str
    posted_at: str | None
    external_id: str | None
    request_hash: str


@dataclass(frozen=True, slots=True)
class Posted:
    """A stored API comment as the client knows it."""

    comment_id: str
    external_article_id: str
    external_comment_id: str | None
    request_hash: str


@dataclass(frozen=True, slots=True)
class StoredVerdict:
    comment_id: str
    status: str
    hits: list[dict[str, Any]]
    scores: dict[str, float]


def posted(conn: Connection, client_id: int, comment_ids: Sequence[str]) -> dict[str, Posted]:
    """The client's comments among ``comment_ids``."""
    if not comment_ids:
        return {}
    rows = conn.execute(
        select(
            api_comments.c.comment_id,
            api_comments.c.external_article_id,
            api_comments.c.external_comment_id,
            api_comments.c.request_hash,
        ).where(
            api_comments.c.client_id == client_id,
            api_comments.c.comment_id.in_(list(comment_ids)),
        )
    )
    return {r.comment_id: Posted(*r) for r in rows}


def depths(conn: Connection, article_id: str, comment_ids: Sequence[str]) -> dict[str, int]:
    """Depth of each of ``comment_ids`` that is stored in ``article_id``'s thread."""
    if not comment_ids:
        return {}
    rows = conn.execute(
        select(comments.c.id, comments.c.depth).where(
            comments.c.article_id == article_id, comments.c.id.in_(list(comment_ids))
        )
    )
    return {r.id: int(r.depth) for r in rows}


def append_comments(
    conn: Connection,
    article: Article,
    new: Sequence[NewComment],
    *,
    client_id: int,
    external_article_id: str,
    now: datetime,
    shortened: list[str],
) -> list[str]:
    """Append ``new`` (parents first) to ``article``'s thread, creating the article (through
    ``save_article``) on its first comment; returns the stored texts, in order.

    Only new rows are written: saving the whole article again would rewrite every stored
    comment of the thread and send each back to be flagged, on every post.
    """
    position = _last_position(conn, article, shortened)
    known = depths(conn, article.id, [c.parent_id for c in new if c.parent_id])
    names = {c.author: author_name(c.author) for c in new if c.author}
    ids = author_ids(conn, set(names.values()), now)
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    where = f"article {article.title[:80]!r}"
    for comment in new:
        position += 1
        depth = known[comment.parent_id] + 1 if comment.parent_id else 0
        known[comment.id] = depth
        row = comment_row(
            _as_comment(comment, depth),
            position,
            author_id=ids.get(names.get(comment.author or "", "")),
            now=now,
            where=where,
            shortened=shortened,
        )
        rows.append({"id": comment.id, "article_id": article.id, "created_at": now, **row})
        links.append(
            {
                "comment_id": comment.id,
                "client_id": client_id,
                "external_article_id": external_article_id,
                "external_comment_id": comment.external_id,
                "request_hash": comment.request_hash,
                "created_at": now,
            }
        )
    if rows:
        conn.execute(comments.insert(), rows)
        conn.execute(api_comments.insert(), links)
    return [row["text"] for row in rows]


def _last_position(conn: Connection, article: Article, shortened: list[str]) -> int:
    """The last position in ``article``'s thread (-1 when empty), the article saved first when
    it is new."""
    query = select(articles.c.id).where(articles.c.id == article.id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()  # two posts to one thread take positions in turn
    if conn.execute(query).first() is None:
        save_article(conn, article, shortened)
    last = conn.execute(
        select(func.max(comments.c.position)).where(comments.c.article_id == article.id)
    ).scalar_one_or_none()
    return -1 if last is None else int(last)


def _as_comment(comment: NewComment, depth: int) -> Comment:
    """The reader comment a posted one is, as the rest of the store keeps it."""
    return Comment(
        id=comment.id,
        parent_id=comment.parent_id,
        number=None,
        author=comment.author,
        text=comment.text,
        kind="comment",
        depth=depth,
        posted_at=comment.posted_at,
        status=None,
    )


def verdicts(
    conn: Connection, comment_ids: Sequence[str], *, version: int | None, model_id: str | None
) -> dict[str, StoredVerdict]:
    """Each comment's status, its hits under rule-set ``version`` and its scores by
    ``model_id``."""
    if not comment_ids:
        return {}
    ids = list(comment_ids)
    rows = conn.execute(
        select(comments.c.id, comments.c.status, comments.c.text_hash).where(comments.c.id.in_(ids))
    ).all()
    hits: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if version is not None:
        for f in conn.execute(
            select(
                flags.c.comment_id,
                flags.c.rule_id,
                flags.c.category,
                flags.c.clause_id,
                flags.c.action,
                flags.c.severity,
                flags.c.evidence,
                flags.c.scores,
            )
            .where(flags.c.comment_id.in_(ids), flags.c.rule_set_version == version)
            .order_by(flags.c.comment_id, flags.c.severity.desc(), flags.c.rule_id)
        ):
            hits[f.comment_id].append(
                {
                    "rule_id": f.rule_id,
                    "category": f.category,
                    "clause_id": f.clause_id,
                    "action": f.action,
                    "severity": f.severity,
                    "evidence": list(f.evidence),
                    "scores": dict(f.scores),
                }
            )
    by_hash: dict[str, dict[str, float]] = {}
    if model_id is not None:
        hashes = list({r.text_hash for r in rows})
        for s in conn.execute(
            select(scores.c.text_hash, scores.c.label, scores.c.value).where(
                scores.c.model_id == model_id, scores.c.text_hash.in_(hashes)
            )
        ):
            by_hash.setdefault(s.text_hash, {})[s.label] = float(s.value)
    return {
        r.id: StoredVerdict(r.id, r.status, hits[r.id], by_hash.get(r.text_hash, {})) for r in rows
    }
