"""The database: SQLite by default, PostgreSQL for teams. All SQL lives in this package."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from moderation.errors import StoreError
from moderation.records import Article
from moderation.store import jobs as _jobs  # noqa: F401  (registers its table)
from moderation.store import learned as _learned  # noqa: F401  (registers its tables)
from moderation.store import schema
from moderation.store import schema_connect as _connect  # noqa: F401  (registers its tables)
from moderation.store.articles import SaveOutcome, load_article, save_article
from moderation.store.database import (
    WRITE_OPTIONS,
    create_db_engine,
    ensure_schema,
    first_line,
    redact,
    retry_locked,
)
from moderation.store.sqlite_bulk import bulk_settings

T = TypeVar("T")

# Rows per IN (...) batch: stays under SQLite's bound-parameter limit on old builds.
_BATCH = 500


class Store:
    """A handle on one database; cheap to share, safe across threads (SQLAlchemy pools)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.schema_revision = ensure_schema(engine)

    @classmethod
    def open(cls, url: str) -> Store:
        return cls(create_db_engine(url))

    @property
    def url(self) -> str:
        return redact(self.engine.url.render_as_string(hide_password=False))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[Connection]:
        """One unit of work: committed whole, or rolled back whole with a StoreError. On SQLite
        it begins IMMEDIATE: it holds the write lock from the start (see store/database.py).
        ``bulk``: a bulk load's transaction (store.sqlite_bulk.bulk_settings)."""
        try:
            with (
                self.engine.connect() as conn,
                bulk_settings(conn) if bulk else nullcontext(),
                conn.execution_options(**WRITE_OPTIONS).begin(),
            ):
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(
                f"database write failed: {exc.__class__.__name__}: {first_line(exc)}",
                subject=self.url,
            ) from exc

    def write(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one transaction, run again (a few times) when the database was locked;
        ``work`` must therefore only touch the database, never state outside it."""

        def attempt() -> T:
            with self.transaction() as conn:
                return work(conn)

        return retry_locked(attempt)

    # -- articles -------------------------------------------------------------------------
    def save_article(self, article: Article, shortened: list[str] | None = None) -> SaveOutcome:
        """Store ``article`` in one transaction; values shortened to fit go to ``shortened``."""
        with self.transaction() as conn:
            return save_article(conn, article, shortened)

    def load_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            return load_article(conn, article_id)

    def article_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(schema.articles.c.id).order_by(schema.articles.c.title)
                ).scalars()
            )

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables, for the CLI's summary and the dashboard's header."""
        tables = {
            "articles": schema.articles,
            "comments": schema.comments,
            "authors": schema.authors,
            "scores": schema.scores,
            "flags": schema.flags,
            "decisions": schema.decisions,
            "audit_log": schema.audit_log,
        }
        with self.engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in tables.items()
            }

    # -- score cache (keyed by text hash and model id) --------------------------------------
    def get_many(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, dict[str, float]]:
        found: dict[str, dict[str, float]] = {}
        unique = list(dict.fromkeys(text_hashes))
        with self.engine.connect() as conn:
            for start in range(0, len(unique), _BATCH):
                rows = conn.execute(
                    select(schema.scores.c.text_hash, schema.scores.c.label, schema.scores.c.value)
                    .where(schema.scores.c.model_id == model_id)
                    .where(schema.scores.c.text_hash.in_(unique[start : start + _BATCH]))
                )
                for digest, label, value in rows:
                    found.setdefault(digest, {})[label] = value
        return found

    def put_many(self, model_id: str, scores: Mapping[str, Mapping[str, float]]) -> None:
        if not scores:
            return
        now = datetime.now(UTC)
        with self.transaction() as conn:
            present: set[str] = set()
            keys = list(scores)
            for start in range(0, len(keys), _BATCH):
                present.update(
                    conn.execute(
                        select(schema.scores.c.text_hash)
                        .where(schema.scores.c.model_id == model_id)
                        .where(schema.scores.c.text_hash.in_(keys[start : start + _BATCH]))
                        .distinct()
                    ).scalars()
                )
            rows = [
                {
                    "text_hash": h,
                    "model_id": model_id,
                    "label": label,
                    "value": float(v),
                    "created_at": now,
                }
                for h, labels in scores.items()
                if h not in present
                for label, v in labels.items()
            ]
            if rows:
                conn.execute(schema.scores.insert(), rows)


__all__ = ["SaveOutcome", "Store", "create_db_engine", "redact"]
