"""Pre-moderation: held comments are scored and flagged; clean ones are approved on the site
only where the site's setting is on."""

from __future__ import annotations

from collections.abc import Callable

from moderation.records import Status
from moderation.sites.records import PushKind, PushState
from moderation.store.pushes import pushes_of_comment
from tests.unit.sites.conftest import WordPressSite

MakeSite = Callable[..., WordPressSite]


def test_clean_held_comments_are_approved_on_the_site_flagged_ones_wait(
    make_site: MakeSite, ww3_rule: str
) -> None:
    wp = make_site(premoderate=True, extra_rules=ww3_rule)
    post = wp.post("Pre-moderation on")
    clean = wp.comment(post, "Lovely photos of the harbour, thank you.", status="hold")
    flagged = wp.comment(post, "ww3 is coming, mark my words", status="hold")

    report = wp.sync()
    assert report.premoderation_planned >= 1 and report.pushed >= 1, report.summary()
    assert wp.remote(clean)["status"] == "approved"
    assert wp.remote(flagged)["status"] == "hold"
    assert wp.row(flagged).status == Status.PENDING  # in the moderators' queue
    assert wp.row(clean).status == Status.UNMODERATED  # no moderator decision was made up
    with wp.store.engine.connect() as conn:
        (approval,) = pushes_of_comment(conn, wp.comment_id(clean))
        assert pushes_of_comment(conn, wp.comment_id(flagged)) == []
    assert (approval.kind, approval.state, approval.decision_id) == (
        PushKind.PREMODERATION,
        PushState.DONE,
        None,
    )
    # Once only, though the comment stays undecided in Threadwatch and is read again.
    assert wp.sync().pushed == 0
    assert wp.server.status_changes(clean)[-1:] == ["approve"]
    assert wp.server.status_changes(clean).count("approve") == 1


def test_without_the_setting_held_comments_stay_held(make_site: MakeSite) -> None:
    wp = make_site(premoderate=False)
    clean = wp.comment(wp.post("Pre-moderation off"), "A kind and clean remark.", status="hold")
    report = wp.sync()
    assert report.premoderation_planned == 0
    assert wp.remote(clean)["status"] == "hold"
    assert wp.row(clean).status == Status.UNMODERATED
