"""Disqus XML exports: threads, parents, deleted and spam posts, posts whose thread is missing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from moderation.errors import ParseError
from moderation.parsing import parse_file, parse_text
from moderation.parsing.disqus import parse_disqus

from ._helpers import FIXTURES, assert_well_formed, tree

DISQUS = FIXTURES / "disqus_small.xml"


def test_threads_with_posts_become_articles_and_orphans_are_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        articles = parse_file(DISQUS)
    assert_well_formed(articles)
    # Thread 200 has no posts; posts of the missing thread 404 get an article of their own.
    assert [a.title for a in articles] == [
        "Harbour to reopen",
        "Orphaned posts (thread 404 missing)",
    ]
    assert "2 post(s) name thread 404" in caplog.text
    assert "posts 2001, 2002" in caplog.text
    orphans = articles[1]
    assert tree(orphans) == [("Lost", None, 0), ("Also lost", "Lost", 1)]
    assert orphans.url is None


def test_thread_fields() -> None:
    article = parse_file(DISQUS)[0]
    assert article.url == "https://news.example/story-1/"
    assert article.body == "The harbour reopens on Monday."
    assert article.published_at == "2021-03-01T08:00:00+00:00"
    assert article.source.endswith("disqus_small.xml#thread-100")


def test_tree_status_and_text() -> None:
    article = parse_file(DISQUS)[0]
    assert tree(article) == [
        ("Ann", None, 0),
        ("Bo", "Ann", 1),
        ("Cy", "Bo", 2),  # listed before its (deleted) parent in the file
        ("Spammer", None, 0),
        ("Dee", None, 0),  # its parent 999 is not in the file
    ]
    assert [c.status for c in article.comments] == [
        "approved",
        "deleted",
        "approved",
        "spam",
        "approved",
    ]
    assert article.comments[0].text == "Top level.\n\nSecond paragraph\nwith a break."
    assert article.comments[1].text == ""
    # +01:00 converted to UTC
    assert article.comments[3].posted_at == "2021-03-01T08:30:00+00:00"


def test_ids_are_stable_and_orphans_get_the_id_their_thread_would_have() -> None:
    first, again = parse_file(DISQUS), parse_file(DISQUS)
    assert [c.id for a in first for c in a.comments] == [c.id for a in again for c in a.comments]
    text = DISQUS.read_text(encoding="utf-8").replace(
        "</disqus>",
        '<thread dsq:id="404"><link>https://news.example/lost/</link></thread></disqus>',
    )
    found = {a.title: a for a in parse_text(text, source="x.xml")}
    restored = found["https://news.example/lost/"]
    assert restored.id == first[1].id
    assert [c.id for c in restored.comments] == [c.id for c in first[1].comments]


def test_not_a_disqus_root_is_refused() -> None:
    with pytest.raises(ParseError, match="not a Disqus export"):
        parse_disqus("<other/>", source="x.xml")


def test_real_isso_export(shared_data: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        articles = parse_file(shared_data / "isso_disqus_export.xml")
    assert_well_formed(articles)
    summary = [(a.title, len(a.comments)) for a in articles]
    assert summary == [
        ("Hello, World!", 4),
        ("http://localhost:4000/blog/2013/02/12/redacted/index.html", 1),  # empty <title/>
        ("Orphaned posts (thread 1337 missing)", 1),
    ]
    hello = articles[0]
    assert tree(hello) == [
        ("peter", None, 0),
        ("user", "peter", 1),
        ("peter", None, 0),
        ("user", "peter", 1),
    ]
    assert [c.status for c in hello.comments] == ["approved", "approved", "deleted", "approved"]
    assert hello.comments[1].text == "Hello, World."
    assert hello.comments[2].text == ""
    assert articles[2].comments[0].author == "where am I?"
    assert "thread 1337" in caplog.text
