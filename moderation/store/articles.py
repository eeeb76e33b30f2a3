"""Saving and loading articles with their comment trees; one transaction per article."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, select, update

from moderation.fingerprint import text_hash
from moderation.records import Article, Comment, Policy
from moderation.store.bounds import fit_row, storable
from moderation.store.queries import article_clauses
from moderation.store.schema import articles, authors, comments, policy_clauses
from moderation.store.work import forget_evaluations

SaveOutcome = Literal["new", "updated", "unchanged"]


def content_hash(article: Article) -> str:
    """Fingerprint of everything parsed from a source; equal hash -> nothing to write."""
    payload = article.to_json()
    payload.pop("source")  # the same article found at another path is still the same article
    return text_hash(storable(json.dumps(payload, sort_keys=True, ensure_ascii=False)))


def save_article(
    conn: Connection, article: Article, shortened: list[str] | None = None
) -> SaveOutcome:
    """Insert or update ``article``; comments are matched by their stable ids, never duplicated.

    Comments that disappear from a later scrape are kept: a deleted reader comment may already
    carry decisions, and losing those would break the audit trail. Values too long for their
    column are shortened with a mark (see store/bounds.py), each reported in ``shortened``.
    """
    now = datetime.now(UTC)
    digest = content_hash(article)
    existing = conn.execute(
        select(articles.c.content_hash).where(articles.c.id == article.id)
    ).scalar_one_or_none()
    if existing == digest:
        return "unchanged"
    where = f"article {article.title[:80]!r}"
    row = article_row(article, digest, where=where, shortened=shortened)
    row["updated_at"] = now
    if existing is None:
        conn.execute(articles.insert().values(id=article.id, created_at=now, **row))
    else:
        conn.execute(update(articles).where(articles.c.id == article.id).values(**row))
        conn.execute(policy_clauses.delete().where(policy_clauses.c.article_id == article.id))
    if article.policy:
        conn.execute(
            policy_clauses.insert(), clause_rows(article, where=where, shortened=shortened)
        )
    _save_comments(conn, article, now, where, shortened)
    return "new" if existing is None else "updated"


def article_row(
    article: Article, digest: str, *, where: str, shortened: list[str] | None
) -> dict[str, Any]:
    """The article's own columns (not its id or timestamps), fitted to their lengths: what
    saving one article and the bulk ingest both write."""
    return fit_row(
        articles,
        {
            "source": article.source,
            "title": article.title,
            "body": article.body,
            "policy_text": article.policy.text if article.policy else None,
            "url": article.url,
            "published_at": article.published_at,
            "content_hash": digest,
        },
        where=where,
        shortened=shortened,
    )


def clause_rows(
    article: Article, *, where: str, shortened: list[str] | None
) -> list[dict[str, Any]]:
    """The rows of the article's policy clauses, in the policy's order (none without one)."""
    if not article.policy:
        return []
    return [
        fit_row(
            policy_clauses,
            {"article_id": article.id, "clause_id": c.id, "position": i, "text": c.text},
            identity=("clause_id",),
            where=f"{where}, policy clause {i + 1}",
            shortened=shortened,
        )
        for i, c in enumerate(article.policy.clauses)
    ]


def author_ids(conn: Connection, names: set[str], now: datetime) -> dict[str, int]:
    """Each author's id by stored name (see ``author_name``); names not stored yet are added."""
    if not names:
        return {}
    found = dict(
        conn.execute(select(authors.c.name, authors.c.id).where(authors.c.name.in_(names))).all()
    )
    missing = sorted(names - found.keys())
    if missing:
        conn.execute(authors.insert(), [{"name": n, "created_at": now} for n in missing])
        found.update(
            conn.execute(
                select(authors.c.name, authors.c.id).where(authors.c.name.in_(missing))
            ).all()
        )
    return found


def author_name(name: str) -> str:
    """The name as stored in authors.name and comments.author (the same fitting for both)."""
    fitted = fit_row(authors, {"name": name}, identity=("name",), where="", shortened=None)
    return str(fitted["name"])


def comment_row(
    comment: Comment,
    position: int,
    *,
    author_id: int | None,
    now: datetime,
    where: str,
    shortened: list[str] | None,
) -> dict[str, Any]:
    """``comment``'s row in comments, fitted to its columns, with its text hash and author id;
    the caller adds ``id``, ``article_id`` and ``created_at`` to a row it inserts."""
    row = fit_row(
        comments,
        {
            "parent_id": comment.parent_id,
            "position": position,
            "number": comment.number,
            "author": comment.author,
            "kind": comment.kind,
            "depth": comment.depth,
            "text": comment.text,
            "posted_at": comment.posted_at,
            "platform_status": comment.status,
            "updated_at": now,
        },
        identity=("author",),
        where=f"{where}, comment {position + 1}",
        shortened=shortened,
    )
    row["text_hash"] = text_hash(row["text"])
    row["author_id"] = author_id
    return row


def _save_comments(
    conn: Connection,
    article: Article,
    now: datetime,
    where: str,
    shortened: list[str] | None,
) -> None:
    names = {
        c.author: author_name(c.author)
        for c in article.comments
        if c.author and c.kind == "comment"
    }
    ids = author_ids(conn, set(names.values()), now)
    stored = set(
        conn.execute(select(comments.c.id).where(comments.c.article_id == article.id)).scalars()
    )
    new_rows = []
    rewritten = []
    for position, comment in enumerate(article.comments):
        author_id = (
            ids.get(names.get(comment.author or "", "")) if comment.kind == "comment" else None
        )
        row = comment_row(
            comment, position, author_id=author_id, now=now, where=where, shortened=shortened
        )
        if comment.id not in stored:
            new_rows.append({"id": comment.id, "article_id": article.id, "created_at": now, **row})
        else:
            # The article changed, so positions, parents or text may have; rewrite the row.
            conn.execute(update(comments).where(comments.c.id == comment.id).values(**row))
            rewritten.append(comment.id)
    # Their text or thread may differ now: every version in force evaluates them again (in the
    # same transaction, so a run killed after it still finds them).
    forget_evaluations(conn, rewritten)
    if new_rows:
        # Parents precede replies in document order, so foreign keys hold row by row.
        conn.execute(comments.insert(), new_rows)


def titles(conn: Connection) -> dict[str, str]:
    """Every article's title by its id."""
    rows = conn.execute(select(articles.c.id, articles.c.title))
    return {article_id: title for article_id, title in rows}


def load_article(conn: Connection, article_id: str) -> Article | None:
    row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
    if row is None:
        return None
    clauses = article_clauses(conn, article_id)
    thread = tuple(
        Comment(
            id=r.id,
            parent_id=r.parent_id,
            number=r.number,
            author=r.author,
            text=r.text,
            kind=r.kind,
            depth=r.depth,
            posted_at=r.posted_at,
            status=r.platform_status,
        )
        for r in conn.execute(
            select(comments)
            .where(comments.c.article_id == article_id)
            .order_by(comments.c.position)
        )
    )
    policy = Policy(row["policy_text"], clauses) if row["policy_text"] is not None else None
    return Article(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        body=row["body"],
        policy=policy,
        comments=thread,
        url=row["url"],
        published_at=row["published_at"],
    )
