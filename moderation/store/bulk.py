"""Bulk writes: many articles per transaction, and many evaluations per statement.

``save_articles`` stores a batch of parsed articles with the same rows ``save_article`` writes
one article at a time (same ids, hashes, fitted values, and author ids assigned in the same
order), in the caller's transaction. New articles, the bulk of a large export, are written with
one multi-row statement per table: ``executemany`` on the driver's own cursor on SQLite, COPY on
PostgreSQL. What is rare (an article already stored with other content, the same article twice
in one batch) goes through ``save_article`` in order, so the result is exactly what one-by-one
saving gives. SQLAlchemy's per-row parameter processing is what this skips: it costs more than
the database's own work at these volumes, so every value is converted once (timestamps) or is
already a plain str/int.

``insert_rows`` is the same fast statement for the re-flag's flags and evaluations.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, DateTime, Table, select

from moderation.errors import StoreError
from moderation.fingerprint import encoded_text_hash
from moderation.records import Article, Comment
from moderation.store.articles import (
    SaveOutcome,
    article_row,
    author_name,
    clause_rows,
    comment_row,
    content_hash,
    save_article,
)
from moderation.store.bounds import column_length, storable, storable_utf8
from moderation.store.schema import articles, authors, comments, policy_clauses

_IN_BATCH = 500  # ids per IN (...): under SQLite's bound-parameter limit on old builds

_ARTICLE_COLUMNS = (
    "id",
    "source",
    "title",
    "body",
    "policy_text",
    "url",
    "published_at",
    "content_hash",
    "created_at",
    "updated_at",
)
_CLAUSE_COLUMNS = ("article_id", "clause_id", "position", "text")
_COMMENT_COLUMNS = (
    "id",
    "article_id",
    "parent_id",
    "position",
    "number",
    "author",
    "author_id",
    "kind",
    "depth",
    "text",
    "text_hash",
    "posted_at",
    "platform_status",
    "created_at",
    "updated_at",
)


def _driver_value(conn: Connection, table: Table, column: str, value: Any) -> Any:
    """``value`` as SQLAlchemy would bind it for ``column``: only SQLite needs timestamps as
    its own text format; psycopg adapts datetimes itself."""
    if conn.dialect.name == "sqlite" and isinstance(value, datetime):
        processor = table.c[column].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        return processor(value) if processor else value
    return value


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert ``rows`` (tuples in ``columns`` order, values already in the driver's form: see
    ``driver_time`` and ``driver_json``) in the caller's transaction, as one multi-row
    statement: COPY on PostgreSQL, the driver's executemany on SQLite."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                # COPY's text format built here: psycopg's write_row looks up an adapter for
                # every value, which costs more than the server's own work per row.
                for start in range(0, len(rows), _COPY_ROWS):
                    copy.write(
                        "".join(
                            "\t".join(map(_copy_field, row)) + "\n"
                            for row in rows[start : start + _COPY_ROWS]
                        )
                    )
        except conn.dialect.dbapi.Error as exc:  # type: ignore[union-attr]
            # The driver's own cursor: SQLAlchemy does not wrap its errors (the transaction is
            # aborted either way, and Store.transaction rolls it back).
            first = str(exc).strip().splitlines()[0]
            raise StoreError(f"database write failed: {exc.__class__.__name__}: {first}") from exc
        finally:
            cursor.close()
        return
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)


_COPY_ROWS = 2000
_IDS_PER_STATEMENT = 2000


def for_ids(conn: Connection, template: str, fixed: Sequence[Any], ids: Sequence[str]) -> None:
    """Run ``template`` once per chunk of ``ids``, in the caller's transaction, on the driver's
    own cursor: ``{p}`` marks each of the ``fixed`` parameters, ``{ids}`` the id list (IN on
    SQLite, ``= ANY`` of one array on PostgreSQL). A Core ``in_()`` of 2,000 ids is compiled
    again on every call, which cost a million-comment re-flag more than the database's work."""
    postgres = conn.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        chunk = list(ids[start : start + _IDS_PER_STATEMENT])
        if postgres:
            sql, params = template.format(p=mark, ids="= ANY(%s)"), (*fixed, chunk)
        else:
            marks = ", ".join("?" * len(chunk))
            sql, params = template.format(p=mark, ids=f"IN ({marks})"), (*fixed, *chunk)
        conn.exec_driver_sql(sql, params)


def _copy_field(value: Any) -> str:
    """One value in COPY's text format (NUL never reaches here: see bounds.storable)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        text: str = value
        # str.replace, not str.translate: translate with a mapping runs per character in Python.
        if "\\" in text:
            text = text.replace("\\", "\\\\")
        if "\n" in text or "\r" in text or "\t" in text:
            text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        return text
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)  # int, float


def driver_time(conn: Connection, table: Table, column: str, value: datetime) -> Any:
    """A timestamp in the form ``insert_rows`` passes to the driver (computed once per batch)."""
    assert isinstance(table.c[column].type, DateTime)
    return _driver_value(conn, table, column, value)


def driver_json(conn: Connection, value: Any) -> Any:
    """A JSON column value in the form ``insert_rows`` passes to the driver: the text
    SQLAlchemy's JSON type writes (json.dumps with its defaults) on both databases."""
    return json.dumps(value)


def save_articles(
    conn: Connection, batch: Sequence[Article], now: datetime, shortened: list[str] | None
) -> list[SaveOutcome]:
    """Store ``batch`` in the caller's transaction; one outcome per article, as
    ``save_article`` would give saving them one by one in this order."""
    digests = [content_hash(article) for article in batch]
    stored = _stored_hashes(conn, [a.id for a in batch])
    outcomes: list[SaveOutcome] = []
    group: list[tuple[Article, str]] = []  # new articles not written yet, in order
    seen: set[str] = set()
    for article, digest in zip(batch, digests, strict=True):
        found = stored.get(article.id)
        if found == digest and article.id not in seen:
            outcomes.append("unchanged")
        elif found is None and article.id not in seen:
            group.append((article, digest))
            outcomes.append("new")
        else:  # changed since stored, or met twice in this batch: the one-by-one path, in order
            _write_new(conn, group, now, shortened)
            group = []
            outcomes.append(save_article(conn, article, shortened))
        seen.add(article.id)
    _write_new(conn, group, now, shortened)
    return outcomes


_LENGTH = {name: column_length(comments, name) or 0 for name in _COMMENT_COLUMNS}
# The bounded short fields of a Comment, and their columns' lengths in the same order.
_SHORT = attrgetter("parent_id", "number", "author", "kind", "posted_at", "status")
_PARENT_LENGTH, _NUMBER_LENGTH, _AUTHOR_LENGTH, _KIND_LENGTH, _POSTED_LENGTH, _STATUS_LENGTH = (
    _LENGTH[name]
    for name in ("parent_id", "number", "author", "kind", "posted_at", "platform_status")
)


def _plain_comment(
    c: Comment, article_id: str, position: int, author_id: int | None, stamp: Any
) -> tuple[Any, ...] | None:
    """``comment_row``'s values as a tuple in ``_COMMENT_COLUMNS`` order when no value needs
    fitting (nearly every comment); None otherwise (``comment_row`` then fits and reports).
    The generic fit_row loop costs more than the database's insert per row at bulk volumes, so
    this is one length comparison per short field, one ``storable`` check of them all, and the
    text's UTF-8 encoding done once: it proves the text has no lone surrogate and is hashed.
    (Unrolled: a loop over the fields took 40% longer.)"""
    parent, number, author, kind, posted, status = _SHORT(c)
    if (
        (parent is not None and len(parent) > _PARENT_LENGTH)
        or (number is not None and len(number) > _NUMBER_LENGTH)
        or (author is not None and len(author) > _AUTHOR_LENGTH)
        or len(kind) > _KIND_LENGTH
        or (posted is not None and len(posted) > _POSTED_LENGTH)
        or (status is not None and len(status) > _STATUS_LENGTH)
    ):
        return None
    joined = f"{parent}{number}{author}{kind}{posted}{status}"  # "None" is clean too
    if storable(joined) is not joined:
        return None
    text = c.text
    encoded = storable_utf8(text)
    if encoded is None:
        return None
    return (
        c.id,
        article_id,
        parent,
        position,
        number,
        author,
        author_id,
        kind,
        c.depth,
        text,
        encoded_text_hash(encoded),
        posted,
        status,
        stamp,
        stamp,
    )


def _stored_hashes(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    unique = list(dict.fromkeys(ids))
    found: dict[str, str] = {}
    for start in range(0, len(unique), _IN_BATCH):
        found.update(
            conn.execute(
                select(articles.c.id, articles.c.content_hash).where(
                    articles.c.id.in_(unique[start : start + _IN_BATCH])
                )
            ).all()
        )
    return found


def _names_in(conn: Connection, names: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(names), _IN_BATCH):
        found.update(
            conn.execute(
                select(authors.c.name, authors.c.id).where(
                    authors.c.name.in_(names[start : start + _IN_BATCH])
                )
            ).all()
        )
    return found


def _store_authors(
    conn: Connection, group: Sequence[tuple[Article, str]], now: datetime
) -> tuple[dict[str, str], dict[str, int]]:
    """The group's reader names as stored (fitted to the column) and their author ids, new ones
    inserted in the order one-by-one saving adds them (each article's missing names, sorted), so
    that the autoincrement ids come out the same."""
    fitted: dict[str, str] = {}
    per_article: list[set[str]] = []
    for article, _digest in group:
        names = set()
        for c in article.comments:
            if c.author and c.kind == "comment":
                name = fitted.get(c.author)
                if name is None:
                    name = fitted[c.author] = author_name(c.author)
                names.add(name)
        per_article.append(names)
    ids = _names_in(conn, sorted(set(fitted.values())))
    known = set(ids)
    missing: list[str] = []
    for names in per_article:
        new = sorted(names - known)
        missing.extend(new)
        known.update(new)
    if missing:
        at = driver_time(conn, authors, "created_at", now)
        # status has a server default; name and created_at are all one-by-one saving writes.
        insert_rows(conn, authors, ("name", "created_at"), [(n, at) for n in missing])
        ids.update(_names_in(conn, missing))
    return fitted, ids


def _article_row(
    article: Article, digest: str, stamp: Any, where: str, shortened: list[str] | None
) -> tuple[Any, ...]:
    row = article_row(article, digest, where=where, shortened=shortened)
    row.update(id=article.id, created_at=stamp, updated_at=stamp)
    return tuple(row[c] for c in _ARTICLE_COLUMNS)


def _write_new(
    conn: Connection,
    group: Sequence[tuple[Article, str]],
    now: datetime,
    shortened: list[str] | None,
) -> None:
    """Insert articles that are not stored yet, with their clauses, authors and comments."""
    if not group:
        return
    fitted, ids = _store_authors(conn, group, now)

    stamp = driver_time(conn, comments, "created_at", now)
    article_rows: list[tuple[Any, ...]] = []
    clause_values: list[tuple[Any, ...]] = []
    comment_rows: list[tuple[Any, ...]] = []
    for article, digest in group:
        where = f"article {article.title[:80]!r}"
        article_rows.append(_article_row(article, digest, stamp, where, shortened))
        clause_values.extend(
            tuple(r[c] for c in _CLAUSE_COLUMNS)
            for r in clause_rows(article, where=where, shortened=shortened)
        )
        for position, comment in enumerate(article.comments):
            author_id = (
                ids.get(fitted.get(comment.author or "", "")) if comment.kind == "comment" else None
            )
            quick = _plain_comment(comment, article.id, position, author_id, stamp)
            if quick is not None:
                comment_rows.append(quick)
                continue
            crow = comment_row(
                comment, position, author_id=author_id, now=now, where=where, shortened=shortened
            )
            crow.update(id=comment.id, article_id=article.id, created_at=stamp, updated_at=stamp)
            comment_rows.append(tuple(crow[c] for c in _COMMENT_COLUMNS))
    insert_rows(conn, articles, _ARTICLE_COLUMNS, article_rows)
    insert_rows(conn, policy_clauses, _CLAUSE_COLUMNS, clause_values)
    # Parents precede replies in document order, so foreign keys hold row by row (SQLite checks
    # them per row; COPY on PostgreSQL at the end of the statement).
    insert_rows(conn, comments, _COMMENT_COLUMNS, comment_rows)


__all__ = [
    "driver_json",
    "driver_time",
    "for_ids",
    "insert_rows",
    "save_articles",
]
