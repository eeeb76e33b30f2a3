"""Pull: comments dated after the site's cursor (WordPress's ``after`` filter), plus the comments
still open in Threadwatch fetched again by id (WordPress keeps no modification time for
comments, so edits and moderation on the site are found that way); their posts become articles
and the thread is rebuilt from the parent ids. Each remote comment keeps its remote id (table
``remote_comments``) and is stored through the same ingest as files (stored, scored, flagged)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from moderation.errors import SiteError
from moderation.fingerprint import text_hash
from moderation.pipeline.ingest import ingest_sources
from moderation.pipeline.versions import ActiveRules
from moderation.records import Article
from moderation.scoring import Scorer
from moderation.sites import premoderation
from moderation.sites.pulled import Pulled, after, article_id, comment_id, parse_comment
from moderation.sites.records import RemoteComment, RemoteStatus, Site
from moderation.sites.report import SyncReport
from moderation.sites.threads import merged_article
from moderation.sites.wordpress import WordPressClient
from moderation.store import Store
from moderation.store import remote as remote_store
from moderation.store.sites import advance_cursors

# Per sync: the rest waits for the next one (the cursor moves only as far as was pulled).
MAX_COMMENTS_PER_SYNC = 5000
MAX_RECHECK_PER_SYNC = 2000
MAX_SINGLE_LOOKUPS = 200


def pull(
    store: Store,
    site: Site,
    client: WordPressClient,
    report: SyncReport,
    *,
    scorer: Scorer | None,
    rules: ActiveRules | None,
) -> None:
    with store.engine.connect() as conn:
        waiting = remote_store.awaiting_push(conn, site.id)
        recheck = remote_store.to_recheck(conn, site.id, MAX_RECHECK_PER_SYNC)
        known_posts = remote_store.known_posts(conn, site.id)
    by_id, gone, comments_cursor = _fetch(site, client, recheck)
    report.pulled = len(by_id)
    for remote_id in waiting:
        by_id.pop(remote_id, None)  # its push compares the site with the baseline it has
    with store.engine.connect() as conn:
        baseline = remote_store.remote_comments_by_id(conn, site.id, [*by_id, *gone])
    changed, deleted = _changes(by_id, gone, baseline)
    needed = {c.post_id for c in changed.values()}
    posts_by_id, posts_cursor = _posts(site, client, needed, known_posts)
    affected = sorted(needed | set(posts_by_id))
    articles = [
        merged_article(store, site, p, posts_by_id.get(p), known_posts, changed, baseline, deleted)
        for p in affected
    ]
    if articles:
        report.flagged = _ingest(store, site, articles, scorer=scorer, rules=rules)
    report.new = sum(1 for i in changed if i not in baseline)
    report.updated = len(changed) - report.new

    now = datetime.now(UTC)
    rows = _baselines(site, changed, baseline)
    held = premoderation.held_new(site, changed, baseline)
    posts = [(p, article_id(site, p), _modified(posts_by_id.get(p))) for p in affected]
    scored = scorer is not None and rules is not None

    def record(conn: Connection) -> int:
        remote_store.save_remote_posts(conn, site.id, posts)
        remote_store.save_remote_comments(conn, site.id, rows, now)
        advance_cursors(
            conn, site.id, comments_cursor=comments_cursor, posts_cursor=posts_cursor, now=now
        )
        return premoderation.plan_approvals(conn, site, held, scored=scored, now=now)

    report.premoderation_planned = store.write(record)


def _fetch(
    site: Site, client: WordPressClient, recheck: Sequence[int]
) -> tuple[dict[int, Pulled], list[int], str | None]:
    """The comments new since the cursor and those to check again, by remote id; the ids of
    those gone from the site; and where the comments cursor moves to."""
    fetched = [
        parse_comment(c, site.url)
        for c in client.comments_since(after(site.comments_cursor), max_items=MAX_COMMENTS_PER_SYNC)
    ]
    comments_cursor = max((c.date for c in fetched if c.date), default=None)
    by_id = {c.remote_id: c for c in fetched}
    missing = [i for i in recheck if i not in by_id]
    if missing:
        by_id.update(
            (c.remote_id, c)
            for c in (parse_comment(i, site.url) for i in client.comments_by_ids(missing))
        )
    gone: list[int] = []
    for remote_id in [i for i in missing if i not in by_id][:MAX_SINGLE_LOOKUPS]:
        item = client.comment(remote_id)  # spam, trash, or deleted on the site
        if item is None:
            gone.append(remote_id)
        else:
            by_id[remote_id] = parse_comment(item, site.url)
    return by_id, gone, comments_cursor


def _changes(
    by_id: dict[int, Pulled], gone: Sequence[int], baseline: dict[int, RemoteComment]
) -> tuple[dict[int, Pulled], list[int]]:
    """The pulled comments that differ from their baseline (or have none), those deleted on
    the site among them."""
    changed = {
        i: c
        for i, c in by_id.items()
        if i not in baseline
        or baseline[i].remote_status != c.status
        or baseline[i].content_hash != text_hash(c.raw)
        or baseline[i].remote_parent_id != c.parent_id
    }
    deleted = [
        i for i in gone if i in baseline and baseline[i].remote_status != RemoteStatus.DELETED
    ]
    for remote_id in deleted:
        old = baseline[remote_id]
        changed[remote_id] = Pulled(
            remote_id,
            old.remote_post_id,
            old.remote_parent_id,
            None,
            "",
            RemoteStatus.DELETED,
            old.remote_date,
            None,
        )
    return changed, deleted


def _posts(
    site: Site, client: WordPressClient, needed: set[int], known_posts: dict[int, str]
) -> tuple[dict[int, dict[str, Any]], str | None]:
    """The posts to read (new to Threadwatch, or edited on the site since the posts cursor),
    by id, and where the posts cursor moves to."""
    posts_by_id: dict[int, dict[str, Any]] = {}
    unknown = sorted(needed - known_posts.keys())
    if unknown:
        posts_by_id.update((int(p["id"]), p) for p in client.posts_by_ids(unknown))
    posts_cursor = None
    if site.posts_cursor:
        edited = client.posts_modified_after(
            after(site.posts_cursor) or site.posts_cursor, max_items=MAX_COMMENTS_PER_SYNC
        )
        posts_by_id.update((int(p["id"]), p) for p in edited if int(p["id"]) in known_posts)
        posts_cursor = max((str(p.get("modified") or "") for p in edited), default=None) or None
    posts_cursor = max(
        [
            v
            for v in (posts_cursor, *(str(p.get("modified") or "") for p in posts_by_id.values()))
            if v
        ],
        default=None,
    )
    return posts_by_id, posts_cursor


def _ingest(
    store: Store,
    site: Site,
    articles: list[Article],
    *,
    scorer: Scorer | None,
    rules: ActiveRules | None,
) -> int:
    """Store, score and flag the rebuilt articles; returns how many comments were flagged."""
    outcome = ingest_sources(
        [(f"{site.name} (WordPress)", lambda: articles)], store, scorer=scorer, rules=rules
    )
    if outcome.failed:
        raise SiteError(
            "storing pulled comments failed: " + "; ".join(r for _n, r in outcome.failed),
            subject=site.name,
        )
    return outcome.flagged


def _modified(post: dict[str, Any] | None) -> str | None:
    return str((post or {}).get("modified") or "") or None


def _baselines(
    site: Site, changed: dict[int, Pulled], baseline: dict[int, RemoteComment]
) -> list[RemoteComment]:
    """The baseline each changed comment gets (a deleted one keeps the text hash it had)."""
    return [
        RemoteComment(
            site_id=site.id,
            remote_id=c.remote_id,
            comment_id=comment_id(site, c.remote_id),
            remote_post_id=c.post_id,
            remote_parent_id=c.parent_id,
            remote_status=c.status,
            content_hash=text_hash(c.raw)
            if c.status != RemoteStatus.DELETED
            else baseline[c.remote_id].content_hash,
            remote_date=c.date,
        )
        for c in changed.values()
    ]
