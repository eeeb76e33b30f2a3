"""A remote comment as read from the site, and the ids its post and comment get here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from moderation.errors import SiteError
from moderation.sites.records import Site


def article_id(site: Site, post_id: int) -> str:
    return f"wp{site.id}-p{post_id}"


def comment_id(site: Site, remote_id: int) -> str:
    return f"wp{site.id}-c{remote_id}"


def remote_number(cid: str | None) -> int:
    """The remote id inside a comment id (0 when it holds none)."""
    return int(cid.rsplit("-c", 1)[1]) if cid and "-c" in cid else 0


@dataclass(frozen=True)
class Pulled:
    """One remote comment as read from the site (fields checked)."""

    remote_id: int
    post_id: int
    parent_id: int | None
    author: str | None
    raw: str
    status: str
    date: str | None  # the site's local time: what its ``after`` filter compares
    date_gmt: str | None


def parse_comment(item: dict[str, Any], subject: str) -> Pulled:
    try:
        content = item.get("content") or {}
        raw = content.get("raw")
        if raw is None:  # no edit context: the rendered HTML is what there is
            raw = content.get("rendered") or ""
        parent = int(item.get("parent") or 0)
        return Pulled(
            remote_id=int(item["id"]),
            post_id=int(item["post"]),
            parent_id=parent or None,
            author=str(item.get("author_name") or "") or None,
            raw=str(raw),
            status=str(item.get("status") or ""),
            date=str(item["date"]) if item.get("date") else None,
            date_gmt=str(item["date_gmt"]) if item.get("date_gmt") else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SiteError(f"a comment without a usable id or post ({exc})", subject=subject) from exc


def after(cursor: str | None) -> str | None:
    """One second before the cursor: ``after`` is strict, and comments of the same second as
    the last one pulled may have arrived since (those pulled already compare unchanged)."""
    if not cursor:
        return None
    try:
        return (datetime.fromisoformat(cursor) - timedelta(seconds=1)).isoformat()
    except ValueError:
        return None
