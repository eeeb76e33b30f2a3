"""Rebuilding a thread from a site's parent ids, which are not trusted to form a tree."""

from __future__ import annotations

from moderation.records import Comment
from moderation.sites.records import PasswordSource, RejectAs, Site, SiteKind
from moderation.sites.threads import order_thread

SITE = Site(1, "s", SiteKind.WORDPRESS, "https://x", "u", PasswordSource.ENV, "V",
            RejectAs.SPAM, False, None, None, None)  # fmt: skip


def _entry(remote: int, parent: int, posted: str) -> tuple[str, tuple[int, Comment]]:
    cid = f"wp1-c{remote}"
    return cid, (parent, Comment(cid, None, None, None, str(remote), posted_at=posted))


def test_replies_follow_parents_and_orphans_and_cycles_are_kept_as_threads() -> None:
    entries = dict(
        [
            _entry(1, 0, "2024-01-01T10:00"),
            _entry(2, 1, "2024-01-01T10:02"),
            _entry(3, 2, "2024-01-01T10:03"),
            _entry(4, 1, "2024-01-01T10:01"),
            _entry(5, 6, "2024-01-01T10:05"),  # 5 and 6 name each other as parent
            _entry(6, 5, "2024-01-01T10:06"),
            _entry(7, 99, "2024-01-01T10:07"),  # its parent was never pulled
        ]
    )
    thread = [(c.id, c.parent_id, c.depth) for c in order_thread(SITE, entries)]
    assert thread == [
        ("wp1-c1", None, 0),
        ("wp1-c4", "wp1-c1", 1),
        ("wp1-c2", "wp1-c1", 1),
        ("wp1-c3", "wp1-c2", 2),
        ("wp1-c7", None, 0),
        ("wp1-c5", None, 0),
        ("wp1-c6", "wp1-c5", 1),
    ]


def test_a_deep_thread_has_no_recursion_limit() -> None:
    entries = dict(_entry(i, i - 1, f"2024-01-01T{i:06d}") for i in range(1, 5001))
    thread = order_thread(SITE, entries)
    assert len(thread) == 5000 and thread[-1].depth == 4999
