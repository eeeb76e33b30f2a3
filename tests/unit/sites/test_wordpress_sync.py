"""The WordPress connector against a real WordPress (see wordpress_server.py): pull comments and
their thread, decide in Threadwatch, push, read the status back from the site."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from moderation.records import Action, Status
from moderation.sites.records import PushState, RejectAs
from moderation.store.pushes import pushes_of_comment
from moderation.store.schema import articles, comments
from moderation.store.schema_connect import remote_comments
from moderation.store.sites import get_site
from tests.unit.sites.conftest import WordPressSite

MakeSite = Callable[..., WordPressSite]


def test_round_trip_pull_decide_push_and_read_back(make_site: MakeSite) -> None:
    wp = make_site()
    post = wp.post("Allotment news")
    first = wp.comment(post, "The beans are up early this year.")
    reply = wp.comment(post, "Mine too, thanks to the mild spring.", parent=first)
    spammy = wp.comment(post, "Cheap watches at my shop, click here", author="Seller")
    held = wp.comment(post, "Is the water tap fixed yet?", status="hold")

    pulled = wp.sync()
    assert pulled.new >= 4 and pulled.pushed == 0
    made = {c: len(wp.server.status_changes(c)) for c in (first, reply, spammy, held)}

    # The post became an article, the comments its thread (the reply under its parent).
    assert wp.row(reply).parent_id == wp.comment_id(first)
    assert wp.row(reply).depth == 1
    assert wp.row(held).platform_status == "hold"
    with wp.store.engine.connect() as conn:
        title = conn.execute(
            select(articles.c.title).where(articles.c.id == wp.row(first).article_id)
        ).scalar_one()
    assert title == "Allotment news"

    wp.decide(first, Action.APPROVE)  # already approved on the site: nothing to write
    wp.decide(spammy, Action.REJECT)
    wp.decide(held, Action.APPROVE)
    wp.decide(reply, Action.ESCALATE)

    pushed = wp.sync()
    assert pushed.pushed == 3 and pushed.already == 1 and not pushed.conflicts, pushed.summary()
    assert wp.remote(first)["status"] == "approved"
    assert wp.remote(spammy)["status"] == "spam"
    assert wp.remote(held)["status"] == "approved"
    assert wp.remote(reply)["status"] == "hold"
    assert wp.row(spammy).platform_status == "spam"  # the card shows the site's status

    # Each push recorded with the site's answer.
    with wp.store.engine.connect() as conn:
        (record,) = pushes_of_comment(conn, wp.comment_id(spammy))
    assert record.state == PushState.DONE
    assert record.answer == {"http": 200, "status": "spam", "already": False}
    assert record.decision_id is not None and record.attempts == 1

    # Never applied twice: another sync sends nothing, and the site changed each comment once.
    again = wp.sync()
    assert again.pushed == 0 and again.already == 0
    changes = {c: wp.server.status_changes(c)[n:] for c, n in made.items()}
    assert changes == {first: [], reply: ["hold"], spammy: ["spam"], held: ["approve"]}


def test_rejections_go_to_the_trash_when_the_site_says_so(make_site: MakeSite) -> None:
    wp = make_site(reject_as=RejectAs.TRASH)
    post = wp.post("Trash setting")
    rude = wp.comment(post, "Nobody asked you.")
    wp.sync()
    wp.decide(rude, Action.REJECT)
    assert wp.sync().pushed == 1
    assert wp.remote(rude)["status"] == "trash"


def test_second_sync_pulls_nothing_new_and_an_edit_updates_in_place(make_site: MakeSite) -> None:
    wp = make_site()
    post = wp.post("Cursor")
    one = wp.comment(post, "First words.", status="hold")
    wp.sync()
    # The cursor is the newest comment's date as the site writes it (its `after` filter's terms).
    assert get_site(wp.store, wp.site.name).comments_cursor == wp.remote(one)["date"]

    second = wp.sync()
    assert (second.new, second.updated) == (0, 0), second.summary()

    wp.edit(one, content="First words, edited.")
    edited = wp.sync()
    assert (edited.new, edited.updated) == (0, 1), edited.summary()
    assert wp.row(one).text == "First words, edited."
    with wp.store.engine.connect() as conn:
        same = conn.execute(
            select(func.count()).select_from(comments).where(comments.c.id == wp.comment_id(one))
        ).scalar_one()
        remote = conn.execute(
            select(func.count())
            .select_from(remote_comments)
            .where(remote_comments.c.site_id == wp.site.id, remote_comments.c.remote_id == one)
        ).scalar_one()
    assert (same, remote) == (1, 1)

    # A comment posted later is the only new one.
    two = wp.comment(post, "Second words.")
    later = wp.sync()
    assert (later.new, later.updated) == (1, 0), later.summary()
    assert get_site(wp.store, wp.site.name).comments_cursor == wp.remote(two)["date"]


def test_a_comment_moderated_on_the_site_meanwhile_is_a_conflict_not_overwritten(
    make_site: MakeSite,
) -> None:
    from moderation.sites.conflicts import push_conflict

    wp = make_site()
    post = wp.post("Conflicts")
    text = wp.comment(post, "A fair point, well made.", status="hold")
    edited = wp.comment(post, "Original words.", status="hold")
    wp.sync()

    wp.decide(text, Action.REJECT)
    wp.decide(edited, Action.APPROVE)
    wp.edit(text, status="approved")  # the site owner approved it in wp-admin meanwhile
    wp.edit(edited, content="Words changed after the pull.")

    report = wp.sync()
    assert sorted(report.conflicts) == sorted([wp.comment_id(text), wp.comment_id(edited)])
    assert report.pushed == 0
    assert wp.remote(text)["status"] == "approved"  # not overwritten
    assert wp.remote(edited)["status"] == "hold"

    shown = push_conflict(wp.store, wp.comment_id(text))
    assert shown is not None
    assert (shown.status_pulled, shown.status_now, shown.asked) == ("hold", "approved", "spam")
    assert "changed from hold to approved" in shown.message()
    changed = push_conflict(wp.store, wp.comment_id(edited))
    assert changed is not None and changed.content_changed
    assert "text was edited" in changed.message()

    # The next pull brings the site's version; deciding again pushes over it, and the
    # conflict is no longer shown.
    wp.sync()
    assert wp.row(edited).text == "Words changed after the pull."
    wp.decide(edited, Action.REJECT)
    assert wp.sync().pushed == 1
    assert wp.remote(edited)["status"] == "spam"
    assert push_conflict(wp.store, wp.comment_id(edited)) is None
    assert wp.row(text).status == Status.REJECTED  # Threadwatch keeps the moderator's decision


def test_moderation_on_the_site_and_post_edits_reach_open_comments(make_site: MakeSite) -> None:
    wp = make_site()
    post = wp.post("Before the edit")
    spammed = wp.comment(post, "Buy followers now", status="hold")
    wp.sync()

    wp.edit(spammed, status="spam")  # the site owner spammed it in wp-admin; nobody decided yet
    with wp.server.client() as admin:
        assert admin.post(f"/posts/{post}", json={"title": "After the edit"}).status_code == 200
    report = wp.sync()
    assert report.updated >= 1, report.summary()
    assert wp.row(spammed).platform_status == "spam"
    with wp.store.engine.connect() as conn:
        title = conn.execute(
            select(articles.c.title).where(articles.c.id == wp.row(spammed).article_id)
        ).scalar_one()
    assert title == "After the edit"
