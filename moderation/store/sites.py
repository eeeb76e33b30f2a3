"""Connected sites: their settings, and the cursors where the next pull starts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from moderation.errors import ConflictError, NotFoundError, StoreError
from moderation.sites.records import PasswordSource, RejectAs, Site, SiteKind
from moderation.store import Store
from moderation.store.schema_connect import sites


def _site(row: Any) -> Site:
    return Site(
        id=row.id,
        name=row.name,
        kind=SiteKind(row.kind),
        url=row.url,
        username=row.username,
        password_source=PasswordSource(row.password_source),
        password_ref=row.password_ref,
        reject_as=RejectAs(row.reject_as),
        premoderate=bool(row.premoderate),
        comments_cursor=row.comments_cursor,
        posts_cursor=row.posts_cursor,
        last_sync_at=row.last_sync_at,
    )


def add_site(
    store: Store,
    *,
    name: str,
    kind: SiteKind,
    url: str,
    username: str,
    password_source: PasswordSource,
    password_ref: str,
    reject_as: RejectAs,
    premoderate: bool,
) -> Site:
    def work(conn: Connection) -> Site:
        taken = conn.execute(select(sites.c.id).where(sites.c.name == name)).first()
        if taken is not None:
            raise ConflictError("a site of that name exists already", subject=name)
        conn.execute(
            sites.insert().values(
                name=name,
                kind=kind,
                url=url,
                username=username,
                password_source=password_source,
                password_ref=password_ref,
                reject_as=reject_as,
                premoderate=premoderate,
                created_at=datetime.now(UTC),
            )
        )
        return _site(conn.execute(select(sites).where(sites.c.name == name)).one())

    try:
        return store.write(work)
    except StoreError as exc:
        if isinstance(exc.__cause__, IntegrityError):  # lost a race to add the same name
            raise ConflictError("a site of that name exists already", subject=name) from exc
        raise


def list_sites(store: Store) -> list[Site]:
    with store.engine.connect() as conn:
        return [_site(r) for r in conn.execute(select(sites).order_by(sites.c.name))]


def get_site(store: Store, name: str) -> Site:
    with store.engine.connect() as conn:
        row = conn.execute(select(sites).where(sites.c.name == name)).first()
    if row is None:
        raise NotFoundError("no such site (see `moderation sites list`)", subject=name)
    return _site(row)


def advance_cursors(
    conn: Connection,
    site_id: int,
    *,
    comments_cursor: str | None,
    posts_cursor: str | None,
    now: datetime,
) -> None:
    """Move the cursors forward (never back: ISO dates of one site compare as text)."""
    current = conn.execute(
        select(sites.c.comments_cursor, sites.c.posts_cursor).where(sites.c.id == site_id)
    ).one()
    conn.execute(
        update(sites)
        .where(sites.c.id == site_id)
        .values(
            comments_cursor=_later(current.comments_cursor, comments_cursor),
            posts_cursor=_later(current.posts_cursor, posts_cursor),
            last_sync_at=now,
        )
    )


def _later(a: str | None, b: str | None) -> str | None:
    return max((v for v in (a, b) if v), default=None)
