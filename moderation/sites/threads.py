"""A post's article rebuilt from what is stored and the comments a pull changed: the thread
comes from the site's parent ids, which are not trusted to form a tree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from moderation.parsing.dates import to_utc_iso
from moderation.parsing.html_text import html_to_text
from moderation.records import Article, Comment
from moderation.sites.pulled import Pulled, article_id, comment_id, remote_number
from moderation.sites.records import RemoteComment, RemoteStatus, Site
from moderation.store import Store


def merged_article(
    store: Store,
    site: Site,
    post_id: int,
    post: dict[str, Any] | None,
    known_posts: dict[int, str],
    changed: dict[int, Pulled],
    baseline: dict[int, RemoteComment],
    deleted: Sequence[int],
) -> Article:
    """The post's article with the changed comments merged into what is stored."""
    stored = store.load_article(article_id(site, post_id)) if post_id in known_posts else None
    entries: dict[str, tuple[int, Comment]] = {}  # comment id -> (remote parent, comment)
    if stored is not None:
        for kept in stored.comments:
            remote = remote_number(kept.id)
            parent = remote_number(kept.parent_id) if kept.parent_id else None
            if remote in baseline:
                parent = baseline[remote].remote_parent_id
            entries[kept.id] = (parent or 0, kept)
    for pulled in changed.values():
        if pulled.post_id != post_id:
            continue
        cid = comment_id(site, pulled.remote_id)
        if pulled.remote_id in deleted and cid in entries:
            parent, old = entries[cid]
            entries[cid] = (parent, replace(old, status=RemoteStatus.DELETED))
            continue
        entries[cid] = (
            pulled.parent_id or 0,
            Comment(
                id=cid,
                parent_id=None,
                number=None,
                author=pulled.author,
                text=html_to_text(pulled.raw, newlines_are_breaks=True),
                posted_at=to_utc_iso(pulled.date_gmt),
                status=pulled.status,
            ),
        )
    return Article(
        id=article_id(site, post_id),
        source=f"{site.url} (WordPress)",
        title=_title(post, stored, post_id),
        body=html_to_text(_rendered(post, "content")) if post else (stored.body if stored else ""),
        policy=stored.policy if stored else None,
        comments=order_thread(site, entries),
        url=str(post.get("link") or "") or None if post else (stored.url if stored else None),
        published_at=to_utc_iso(str(post.get("date_gmt") or ""))
        if post
        else (stored.published_at if stored else None),
    )


def _rendered(post: dict[str, Any], key: str) -> str:
    value = post.get(key)
    if isinstance(value, dict):
        return str(value.get("rendered") or value.get("raw") or "")
    return str(value or "")


def _title(post: dict[str, Any] | None, stored: Article | None, post_id: int) -> str:
    if post is not None:
        title = html_to_text(_rendered(post, "title"))
        if title:
            return title
    if stored is not None:
        return stored.title
    return f"(post {post_id})"


def order_thread(site: Site, entries: dict[str, tuple[int, Comment]]) -> tuple[Comment, ...]:
    """Parents before replies, siblings by time; a reply whose parent Threadwatch does not
    have (spam on the site, never pulled) starts a thread of its own, and so does a comment in
    a parent cycle (the site's data is not trusted to be a tree). Iterative: no depth limit."""
    children: dict[str | None, list[Comment]] = {}
    for cid, (parent, c) in entries.items():
        parent_cid = comment_id(site, parent) if parent else None
        if parent_cid not in entries or parent_cid == cid:
            parent_cid = None
        children.setdefault(parent_cid, []).append(c)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.posted_at or "", remote_number(c.id)))
    ordered: list[Comment] = []
    seen: set[str] = set()
    roots = list(children.get(None, []))
    leftovers = sorted(
        (c for _parent, c in entries.values()), key=lambda c: (c.posted_at or "", c.id)
    )
    for start in [*roots, *leftovers]:
        if start.id in seen:
            continue
        stack: list[tuple[Comment, str | None, int]] = [(start, None, 0)]
        while stack:
            c, parent_id, depth = stack.pop()
            if c.id in seen:
                continue
            seen.add(c.id)
            ordered.append(replace(c, parent_id=parent_id, depth=depth))
            for child in reversed(children.get(c.id, [])):
                stack.append((child, c.id, depth + 1))
    return tuple(ordered)
