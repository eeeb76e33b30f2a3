"""Push: one row per decision (``site_pushes``); before writing, the site's comment is read
again: if its status or text changed since the pull, the push is a conflict, recorded and shown
to the moderator, and nothing is overwritten; if it already has the status asked, nothing is
written (a run killed after the request but before recording it finishes that way)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from moderation.errors import SiteError
from moderation.fingerprint import text_hash
from moderation.records import InForce
from moderation.sites.pulled import parse_comment
from moderation.sites.records import Push, PushAudit, PushState, RemoteComment, RemoteStatus, Site
from moderation.sites.report import SyncReport
from moderation.sites.wordpress import WordPressClient
from moderation.store import Store, audit
from moderation.store import pushes as push_store
from moderation.store import remote as remote_store

# A failed push waits this long before the next sync retries it, doubled per attempt.
PUSH_RETRY_BASE = timedelta(seconds=30)
PUSH_RETRY_MAX = timedelta(hours=1)


class _Outcome(Enum):
    DONE = "done"  # the site took the status asked
    ALREADY = "already"  # the site had it already: nothing written
    CONFLICT = "conflict"  # the site changed the comment since the pull, or kept another status


@dataclass(frozen=True, slots=True)
class _Seen:
    """The site's comment as the push found (or left) it."""

    outcome: _Outcome
    status: str
    content_hash: str | None  # None: the comment is gone from the site


def push(
    store: Store,
    site: Site,
    client: WordPressClient,
    report: SyncReport,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    store.write(lambda conn: push_store.plan_decision_pushes(conn, site.id, site.reject_as, now()))
    with store.engine.connect() as conn:
        due = push_store.due_pushes(conn, site.id, now())
    for item in due:
        _push_one(store, site, client, item, report, now)


def _push_one(
    store: Store,
    site: Site,
    client: WordPressClient,
    item: Push,
    report: SyncReport,
    now: Callable[[], datetime],
) -> None:
    if not store.write(lambda conn: push_store.begin_attempt(conn, item.id, now())):
        return
    with store.engine.connect() as conn:
        baseline = remote_store.remote_comment_of(conn, item.comment_id)
    answer: dict[str, Any] = {}
    try:
        seen = _look(site, client, item, baseline)
        if seen is None:
            answer = client.set_comment_status(item.remote_id, item.target_status)
    except SiteError as exc:
        _failed(store, item, report, now, exc.reason)
        return
    if seen is None:
        seen = _landed(site, item, answer)
    if seen.outcome is _Outcome.CONFLICT or seen.content_hash is None:
        _conflict(
            store,
            site,
            item,
            report,
            now,
            status_now=seen.status,
            content_hash=seen.content_hash,
            baseline=baseline,
        )
        return
    already = seen.outcome is _Outcome.ALREADY
    _done(store, site, item, report, now, seen.status, seen.content_hash, already=already, http=200)


def _look(
    site: Site, client: WordPressClient, item: Push, baseline: RemoteComment | None
) -> _Seen | None:
    """The site's comment read again; None when it is as pulled and the status may be sent."""
    remote = client.comment(item.remote_id)
    if remote is None:
        return _Seen(_Outcome.CONFLICT, RemoteStatus.DELETED, None)
    status_now = str(remote.get("status") or "")
    hash_now = text_hash(parse_comment(remote, site.url).raw)
    if status_now == item.target_status:
        return _Seen(_Outcome.ALREADY, status_now, hash_now)
    if (
        baseline is None
        or status_now != baseline.remote_status
        or hash_now != baseline.content_hash
    ):
        return _Seen(_Outcome.CONFLICT, status_now, hash_now)
    return None


def _landed(site: Site, item: Push, answer: dict[str, Any]) -> _Seen:
    """The site's answer to the status sent."""
    status_after = str(answer.get("status") or "")
    content_hash = text_hash(parse_comment(answer, site.url).raw)
    if status_after != item.target_status:
        # The site took the request but kept another status (a plugin's veto): show it.
        return _Seen(_Outcome.CONFLICT, status_after, content_hash)
    return _Seen(_Outcome.DONE, status_after, content_hash)


def _done(
    store: Store,
    site: Site,
    item: Push,
    report: SyncReport,
    now: Callable[[], datetime],
    status: str,
    content_hash: str,
    *,
    already: bool,
    http: int,
) -> None:
    answer = {"http": http, "status": status, "already": already}

    def work(conn: Any) -> None:
        _audit(conn, site, item, PushAudit.DONE, answer)
        push_store.finish(conn, item.id, PushState.DONE, now(), answer=answer)
        remote_store.set_baseline(
            conn, site.id, item.remote_id, status=status, content_hash=content_hash
        )

    store.write(work)
    if already:
        report.already += 1
    else:
        report.pushed += 1


def _conflict(
    store: Store,
    site: Site,
    item: Push,
    report: SyncReport,
    now: Callable[[], datetime],
    *,
    status_now: str,
    content_hash: str | None,
    baseline: RemoteComment | None,
) -> None:
    conflict = {
        "asked": str(item.target_status),
        "status_pulled": baseline.remote_status if baseline else None,
        "status_now": status_now,
        "content_changed": bool(
            baseline and content_hash and content_hash != baseline.content_hash
        ),
    }

    def work(conn: Any) -> None:
        _audit(conn, site, item, PushAudit.CONFLICT, conflict)
        push_store.finish(conn, item.id, PushState.CONFLICT, now(), conflict=conflict)
        # The baseline stays as pulled: the next pull sees the site's change, brings the site's
        # version to the moderator and takes it as the baseline, and a decision taken again
        # after that is pushed over it.

    store.write(work)
    report.conflicts.append(item.comment_id)


def _failed(
    store: Store, item: Push, report: SyncReport, now: Callable[[], datetime], reason: str
) -> None:
    wait = min(PUSH_RETRY_MAX, PUSH_RETRY_BASE * 2 ** max(0, item.attempts))
    at = now()
    store.write(
        lambda conn: push_store.finish(
            conn, item.id, PushState.FAILED, at, error=reason, next_attempt_at=at + wait
        )
    )
    report.failed.append(f"{item.comment_id}: {reason}")
    report.retry_later += 1


def _audit(conn: Any, site: Site, item: Push, action: PushAudit, details: dict[str, Any]) -> None:
    """The push's outcome in the audit log, in the transaction that records it."""
    audit.lock_chain(conn)
    audit.append(
        conn,
        at=datetime.now(UTC),
        in_force=InForce(),
        actor=f"site:{site.name}",
        action=action,
        target_type="comment",
        target_id=item.comment_id,
        details={
            "site": site.name,
            "remote_id": item.remote_id,
            "kind": str(item.kind),
            "decision": item.decision_id,
            **details,
        },
    )
