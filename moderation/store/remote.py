"""Remote ids: which article a remote post became, which comment a remote comment became, and
the remote state last pulled (the baseline a push is checked against)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from moderation.records import Status
from moderation.sites.records import PushState, RemoteComment
from moderation.store.schema import comments
from moderation.store.schema_connect import remote_comments, remote_posts, site_pushes

_BATCH = 500


def _remote(row: Any) -> RemoteComment:
    return RemoteComment(
        site_id=row.site_id,
        remote_id=row.remote_id,
        comment_id=row.comment_id,
        remote_post_id=row.remote_post_id,
        remote_parent_id=row.remote_parent_id,
        remote_status=row.remote_status,
        content_hash=row.content_hash,
        remote_date=row.remote_date,
    )


def remote_comments_by_id(
    conn: Connection, site_id: int, remote_ids: Iterable[int]
) -> dict[int, RemoteComment]:
    ids = sorted(set(remote_ids))
    found: dict[int, RemoteComment] = {}
    for start in range(0, len(ids), _BATCH):
        rows = conn.execute(
            select(remote_comments).where(
                remote_comments.c.site_id == site_id,
                remote_comments.c.remote_id.in_(ids[start : start + _BATCH]),
            )
        )
        found.update({r.remote_id: _remote(r) for r in rows})
    return found


def remote_comment_of(conn: Connection, comment_id: str) -> RemoteComment | None:
    row = conn.execute(
        select(remote_comments).where(remote_comments.c.comment_id == comment_id)
    ).first()
    return _remote(row) if row is not None else None


def known_posts(conn: Connection, site_id: int) -> dict[int, str]:
    """Remote post id -> article id, for the site's posts pulled so far."""
    return dict(
        conn.execute(
            select(remote_posts.c.remote_id, remote_posts.c.article_id).where(
                remote_posts.c.site_id == site_id
            )
        ).all()
    )


def _latest_push_state() -> Any:
    """The state of the comment's latest push (NULL when it has none), for a query over
    remote_comments."""
    pushed = site_pushes.alias("pushed")
    latest = (
        select(func.max(pushed.c.id))
        .where(pushed.c.comment_id == remote_comments.c.comment_id)
        .correlate(remote_comments)
        .scalar_subquery()
    )
    return (
        select(site_pushes.c.state)
        .where(site_pushes.c.id == latest)
        .correlate(remote_comments)
        .scalar_subquery()
    )


def to_recheck(conn: Connection, site_id: int, limit: int) -> list[int]:
    """Remote comments a pull fetches again to see edits and moderation on the site: those no
    moderator has decided yet, and those whose push met a conflict (the moderator sees the
    site's version). WordPress records no modification time for comments, so the date cursor
    alone cannot find edits. Newest first, at most ``limit``."""
    state = _latest_push_state()
    rows = conn.execute(
        select(remote_comments.c.remote_id)
        .join(comments, comments.c.id == remote_comments.c.comment_id)
        .where(remote_comments.c.site_id == site_id)
        .where((comments.c.decided_by.is_(None)) | (state == PushState.CONFLICT))
        .order_by(remote_comments.c.remote_id.desc())
        .limit(limit)
    )
    return [r.remote_id for r in rows]


def awaiting_push(conn: Connection, site_id: int) -> set[int]:
    """Remote comments a moderator decided whose decision has not reached the site (or met a
    conflict there): a pull leaves their baseline alone, so the push still sees what the site
    changed since the moderator read the comment."""
    state = _latest_push_state()
    rows = conn.execute(
        select(remote_comments.c.remote_id)
        .join(comments, comments.c.id == remote_comments.c.comment_id)
        .where(remote_comments.c.site_id == site_id)
        .where(comments.c.decided_by.is_not(None))
        .where((state.is_(None)) | (state.not_in([PushState.DONE, PushState.CONFLICT])))
    )
    return {r.remote_id for r in rows}


def save_remote_posts(
    conn: Connection, site_id: int, posts: Sequence[tuple[int, str, str | None]]
) -> None:
    """(remote id, article id, modified) rows, inserted or updated."""
    known = known_posts(conn, site_id)
    for remote_id, article_id, modified in posts:
        if remote_id in known:
            conn.execute(
                update(remote_posts)
                .where(
                    and_(remote_posts.c.site_id == site_id, remote_posts.c.remote_id == remote_id)
                )
                .values(modified=modified)
            )
        else:
            conn.execute(
                remote_posts.insert().values(
                    site_id=site_id, remote_id=remote_id, article_id=article_id, modified=modified
                )
            )


def save_remote_comments(
    conn: Connection, site_id: int, rows: Sequence[RemoteComment], now: datetime
) -> None:
    """Record (or refresh) the baseline of each remote comment pulled."""
    known = remote_comments_by_id(conn, site_id, (r.remote_id for r in rows))
    for r in rows:
        values = {
            "comment_id": r.comment_id,
            "remote_post_id": r.remote_post_id,
            "remote_parent_id": r.remote_parent_id,
            "remote_status": r.remote_status,
            "content_hash": r.content_hash,
            "remote_date": r.remote_date,
            "pulled_at": now,
        }
        if r.remote_id in known:
            conn.execute(
                update(remote_comments)
                .where(
                    remote_comments.c.site_id == site_id,
                    remote_comments.c.remote_id == r.remote_id,
                )
                .values(**values)
            )
        else:
            conn.execute(
                remote_comments.insert().values(site_id=site_id, remote_id=r.remote_id, **values)
            )


def set_baseline(
    conn: Connection, site_id: int, remote_id: int, *, status: str, content_hash: str
) -> None:
    """The site's state after a push landed: the baseline, and the platform status the
    comment card shows (decided comments are not read again, so no pull would update it)."""
    conn.execute(
        update(remote_comments)
        .where(remote_comments.c.site_id == site_id, remote_comments.c.remote_id == remote_id)
        .values(remote_status=status, content_hash=content_hash)
    )
    conn.execute(
        update(comments)
        .where(
            comments.c.id
            == select(remote_comments.c.comment_id)
            .where(remote_comments.c.site_id == site_id, remote_comments.c.remote_id == remote_id)
            .scalar_subquery()
        )
        .values(platform_status=status)
    )


def clean_undecided(conn: Connection, comment_ids: Sequence[str]) -> set[str]:
    """Those of ``comment_ids`` no rule flagged and nobody decided (pre-moderation approves
    them on the site)."""
    found: set[str] = set()
    ids = list(comment_ids)
    for start in range(0, len(ids), _BATCH):
        found.update(
            conn.execute(
                select(comments.c.id)
                .where(comments.c.id.in_(ids[start : start + _BATCH]))
                .where(comments.c.status == Status.UNMODERATED)
                .where(comments.c.decided_by.is_(None))
            ).scalars()
        )
    return found
