"""Pre-moderation: on a site that asks for it, a comment the site holds for moderation, new to
Threadwatch, which no rule flagged and nobody decided, is approved on the site by a push."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from moderation.sites.pulled import Pulled, comment_id
from moderation.sites.records import RemoteComment, RemoteStatus, Site
from moderation.store import pushes as push_store
from moderation.store import remote as remote_store


def held_new(
    site: Site, changed: dict[int, Pulled], baseline: dict[int, RemoteComment]
) -> list[tuple[int, str]]:
    """(remote id, comment id) of the pulled comments new here that the site holds."""
    return [
        (c.remote_id, comment_id(site, c.remote_id))
        for c in changed.values()
        if c.remote_id not in baseline and c.status == RemoteStatus.HOLD
    ]


def plan_approvals(
    conn: Connection,
    site: Site,
    held: Sequence[tuple[int, str]],
    *,
    scored: bool,
    now: datetime,
) -> int:
    """Plan an approval push for each held comment found clean (in the pull's transaction,
    after the comments were stored and flagged); ``scored`` is False when the pull ran without
    a scorer or rules, and then nothing is known clean. Returns how many were planned."""
    if not (site.premoderate and scored and held):
        return 0
    clean = remote_store.clean_undecided(conn, [cid for _r, cid in held])
    return push_store.plan_premoderation(
        conn, site.id, [(r, cid) for r, cid in held if cid in clean], now
    )
