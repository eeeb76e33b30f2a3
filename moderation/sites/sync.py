"""`moderation sync`: pull a site's new and changed comments (``pull``), then push decisions
back (``push``), the approvals pre-moderation planned during the pull included."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from moderation.pipeline.versions import ActiveRules
from moderation.scoring import Scorer
from moderation.sites.pull import pull
from moderation.sites.pulled import article_id, comment_id
from moderation.sites.push import push
from moderation.sites.records import Site
from moderation.sites.report import SyncReport
from moderation.sites.wordpress import WordPressClient
from moderation.store import Store


def sync(
    store: Store,
    site: Site,
    client: WordPressClient,
    *,
    scorer: Scorer | None,
    rules: ActiveRules | None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SyncReport:
    """Pull, then push (the pushes planned by pre-moderation included)."""
    report = SyncReport(site.name)
    pull(store, site, client, report, scorer=scorer, rules=rules)
    push(store, site, client, report, now=now)
    return report


__all__ = ["SyncReport", "article_id", "comment_id", "pull", "push", "sync"]
