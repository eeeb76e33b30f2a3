"""The connector when the site fails for real: PHP's server stopped (connection refused), and
WordPress in maintenance mode (503 with Retry-After)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from moderation.errors import SiteError
from moderation.records import Action, Status
from moderation.sites.records import PushState
from moderation.sites.sync import SyncReport, push
from moderation.sites.wordpress import ClientLimits, WordPressClient
from moderation.store.pushes import pushes_of_comment
from moderation.store.sites import get_site
from tests.unit.sites.conftest import WordPressSite

MakeSite = Callable[..., WordPressSite]


@pytest.fixture
def site_up_again(make_site: MakeSite) -> Iterator[WordPressSite]:
    """A site whose server and maintenance mode are back as they were after the test."""
    wp = make_site()
    try:
        yield wp
    finally:
        wp.server.maintenance(False)
        if not wp.server.serving:
            wp.server.start_web()


def test_a_pull_waits_and_retries_while_the_site_is_down(site_up_again: WordPressSite) -> None:
    wp = site_up_again
    post = wp.post("Outage")
    written = wp.comment(post, "Posted before the outage.")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        # The client waits between attempts: the site comes back during the second wait.
        waits.append(seconds)
        if len(waits) == 2:
            wp.server.start_web()

    wp.server.stop_web()
    client = WordPressClient.for_site(get_site(wp.store, wp.site.name), sleep=sleep)
    report = wp.sync(client)
    assert waits == [0.5, 1.0]  # exponential backoff
    assert report.new >= 1
    assert wp.row(written).text == "Posted before the outage."


def test_a_push_that_fails_is_retried_at_a_later_sync_and_lands_once(
    site_up_again: WordPressSite,
) -> None:
    wp = site_up_again
    post = wp.post("Failing push")
    rude = wp.comment(post, "Go away.", status="hold")
    wp.sync()
    before = len(wp.server.status_changes(rude))
    wp.decide(rude, Action.REJECT)
    site = get_site(wp.store, wp.site.name)
    no_wait = ClientLimits(attempts=3, backoff_s=0.0)

    wp.server.stop_web()
    report = SyncReport(site.name)
    with WordPressClient.for_site(site, limits=no_wait, sleep=lambda _s: None) as client:
        push(wp.store, site, client, report)
    assert report.pushed == 0 and report.retry_later == 1
    assert "unreachable" in report.failed[0] and "3 attempts" in report.failed[0]
    with wp.store.engine.connect() as conn:
        (failed,) = pushes_of_comment(conn, wp.comment_id(rude))
    assert failed.state == PushState.FAILED and failed.attempts == 1
    assert failed.next_attempt_at is not None

    wp.server.start_web()
    # Not due yet: the next sync leaves it alone.
    assert wp.sync().pushed == 0
    later = failed.next_attempt_at + timedelta(seconds=1)
    report = SyncReport(site.name)
    with WordPressClient.for_site(site) as client:
        push(wp.store, site, client, report, now=lambda: later)
    assert report.pushed == 1
    assert wp.remote(rude)["status"] == "spam"
    assert wp.server.status_changes(rude)[before:] == ["spam"]
    with wp.store.engine.connect() as conn:
        (done,) = pushes_of_comment(conn, wp.comment_id(rude))
    assert done.state == PushState.DONE and done.attempts == 2 and done.last_error is None


def test_maintenance_mode_is_waited_out_by_the_next_sync_not_by_this_one(
    site_up_again: WordPressSite,
) -> None:
    wp = site_up_again
    post = wp.post("Maintenance")
    held = wp.comment(post, "Will this reach the site?", status="hold")
    wp.sync()
    wp.decide(held, Action.APPROVE)
    site = get_site(wp.store, wp.site.name)
    waits: list[float] = []

    wp.server.maintenance(True)
    with (
        WordPressClient.for_site(site, sleep=waits.append) as client,
        pytest.raises(SiteError, match="HTTP 503, retry after 600s"),
    ):
        client.comments_since(None, max_items=1)
    report = SyncReport(site.name)
    with WordPressClient.for_site(site, sleep=waits.append) as client:
        push(wp.store, site, client, report)
    assert waits == []  # a site asking for ten minutes is not held up for
    assert report.retry_later == 1

    wp.server.maintenance(False)
    report = SyncReport(site.name)
    due = datetime.now(UTC) + timedelta(hours=2)
    with WordPressClient.for_site(site) as client:
        push(wp.store, site, client, report, now=lambda: due)
    assert report.pushed == 1 and wp.remote(held)["status"] == "approved"


def test_an_answer_over_the_size_limit_is_refused(make_site: MakeSite) -> None:
    wp = make_site()
    wp.comment(wp.post("Size limit"), "Enough text to be more than a few bytes of JSON.")
    site = get_site(wp.store, wp.site.name)
    with (
        WordPressClient.for_site(site, limits=ClientLimits(max_answer_bytes=200)) as client,
        pytest.raises(SiteError, match="answer larger than 200 bytes"),
    ):
        client.comments_since(None, max_items=10)


def test_a_push_interrupted_after_the_site_took_it_is_finished_without_writing_again(
    make_site: MakeSite,
) -> None:
    from moderation.store.pushes import begin_attempt, plan_decision_pushes

    wp = make_site()
    held = wp.comment(wp.post("Interrupted push"), "Was this one sent?", status="hold")
    wp.sync()
    wp.decide(held, Action.APPROVE)
    # A sync killed mid-request: the push row says "sending", and the site did take the request.
    site = get_site(wp.store, wp.site.name)
    now = datetime.now(UTC)
    wp.store.write(lambda conn: plan_decision_pushes(conn, site.id, site.reject_as, now))
    with wp.store.engine.connect() as conn:
        (planned,) = pushes_of_comment(conn, wp.comment_id(held))
    assert wp.store.write(lambda conn: begin_attempt(conn, planned.id, now))
    wp.edit(held, status="approved")
    changes = len(wp.server.status_changes(held))

    report = wp.sync()
    assert (report.pushed, report.already, report.conflicts) == (0, 1, [])
    assert len(wp.server.status_changes(held)) == changes  # not written a second time
    with wp.store.engine.connect() as conn:
        (done,) = pushes_of_comment(conn, wp.comment_id(held))
    assert done.state == PushState.DONE and done.answer is not None and done.answer["already"]


def test_a_comment_deleted_on_the_site_is_a_conflict(make_site: MakeSite) -> None:
    from moderation.sites.conflicts import push_conflict

    wp = make_site()
    gone = wp.comment(wp.post("Deleted on the site"), "Soon to vanish.", status="hold")
    wp.sync()
    wp.decide(gone, Action.REJECT)
    with wp.server.client() as admin:
        assert admin.delete(f"/comments/{gone}", params={"force": "true"}).status_code == 200
    report = wp.sync()
    assert report.conflicts == [wp.comment_id(gone)]
    shown = push_conflict(wp.store, wp.comment_id(gone))
    assert shown is not None and shown.status_now == "deleted"
    assert wp.row(gone).status == Status.REJECTED  # kept in Threadwatch with its decision
