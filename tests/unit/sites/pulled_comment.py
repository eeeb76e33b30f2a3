"""A site's comment as if pulled once, for tests of the push records (no WordPress needed)."""

from __future__ import annotations

from datetime import datetime

from moderation.records import Article, Comment
from moderation.sites.records import PasswordSource, RejectAs, RemoteComment, Site, SiteKind
from moderation.store import Store
from moderation.store.remote import save_remote_comments
from moderation.store.sites import add_site


def pull_held_comment(store: Store, site_name: str, now: datetime) -> Site:
    """A new site whose comment 7 (Threadwatch's ``wp1-c7``, on post 3) was pulled while the
    site held it; returns the site."""
    comment = Comment("wp1-c7", None, None, "Reader", "Some *text*", status="hold")
    store.save_article(Article("wp1-p3", "https://x", "Post", "", None, (comment,)))
    site = add_site(store, name=site_name, kind=SiteKind.WORDPRESS, url="https://x",
                    username="u", password_source=PasswordSource.ENV, password_ref="V",
                    reject_as=RejectAs.SPAM, premoderate=False)  # fmt: skip
    baseline = RemoteComment(site.id, 7, "wp1-c7", 3, None, "hold", "h", None)
    store.write(lambda conn: save_remote_comments(conn, site.id, [baseline], now))
    return site
