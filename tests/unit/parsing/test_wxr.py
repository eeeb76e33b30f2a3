"""WordPress WXR exports: both namespaces, the comment tree, statuses, pings, dates."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from moderation.errors import ParseError
from moderation.parsing import parse_file, parse_text

from ._helpers import FIXTURES, assert_well_formed, tree

WXR_12 = FIXTURES / "wxr_1_2_https.xml"
WXR_10 = FIXTURES / "wxr_1_0_http.xml"


def test_one_article_per_post_with_comments() -> None:
    articles = parse_file(WXR_12)
    assert [a.title for a in articles] == ["Council approves budget"]  # the page has none
    [article] = articles
    assert article.url == "https://news.example/2023/05/budget/"
    assert article.published_at == "2023-05-05T09:00:00+00:00"
    assert (
        article.body == "The council approved the budget on Thursday.\n\nSecond paragraph & more."
    )
    assert article.source.endswith("wxr_1_2_https.xml#101")
    assert_well_formed(articles)


def test_tree_three_deep_with_reply_listed_before_its_parent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        [article] = parse_file(WXR_12)
    assert tree(article) == [
        ("Ann", None, 0),
        ("Bo", "Ann", 1),
        ("Cy", "Bo", 2),
        ("Dee", "Cy", 3),
        ("Eve", None, 0),  # its parent 99 is not in the export
        ("Other Blog", None, 0),
        ("Tracker", None, 0),
    ]
    assert "comment 15 replies to 99" in caplog.text


def test_status_kind_and_dates() -> None:
    [article] = parse_file(WXR_12)
    got = [(c.author, c.status, c.kind, c.posted_at) for c in article.comments]
    assert got == [
        ("Ann", "approved", "comment", "2023-05-05T10:00:00+00:00"),
        ("Bo", "approved", "comment", "2023-05-05T10:05:00+00:00"),
        ("Cy", "spam", "comment", "2023-05-05T10:10:00+00:00"),
        ("Dee", "pending", "comment", "2023-05-05T10:30:00+00:00"),
        ("Eve", "trash", "comment", "2023-05-06T08:00:00+00:00"),
        ("Other Blog", "approved", "pingback", "2023-05-06T09:00:00+00:00"),
        ("Tracker", "approved", "pingback", "2023-05-06T09:30:00+00:00"),
    ]
    assert [c.author for c in article.reader_comments] == ["Ann", "Bo", "Cy", "Dee", "Eve"]


def test_comment_html_becomes_plain_text_with_line_and_paragraph_breaks() -> None:
    [article] = parse_file(WXR_12)
    assert article.comments[0].text == (
        "First paragraph with a link.\nSecond line.\n\nSecond paragraph <not a tag>."
    )
    assert article.comments[5].text == "[…] the council approved […]"


def test_wxr_1_0_http_namespace_and_fallback_dates() -> None:
    [article] = parse_file(WXR_10)
    assert article.title == "Old post"
    assert article.body == "Line one\nline two\n\nParagraph two"
    # post_date_gmt is WordPress's zero date: the RFC 2822 pubDate is used, converted to UTC.
    assert article.published_at == "2013-01-05T12:34:56+00:00"
    assert tree(article) == [("Old reader", None, 0), ("Second", "Old reader", 1)]
    assert [c.posted_at for c in article.comments] == [
        "2013-01-05T12:34:56+00:00",
        "2013-01-06T08:00:00+00:00",  # only the local comment_date: read as UTC
    ]
    assert [c.status for c in article.comments] == ["approved", "pending"]
    assert all(c.kind == "comment" for c in article.comments)


@pytest.mark.parametrize(
    "namespace",
    [
        f"{scheme}://wordpress.org/export/{v}/"
        for scheme in ("http", "https")
        for v in ["1.0", "1.1", "1.2"]
    ],
)
def test_every_version_and_scheme_reads_the_same(namespace: str) -> None:
    text = WXR_12.read_text(encoding="utf-8").replace(
        "https://wordpress.org/export/1.2/", namespace
    )
    [article] = parse_text(text, source="export.xml")
    [reference] = parse_file(WXR_12)
    assert [c.text for c in article.comments] == [c.text for c in reference.comments]
    assert article.id == reference.id


def test_ids_are_stable_and_a_new_comment_keeps_the_old_ids() -> None:
    first, again = parse_file(WXR_12)[0], parse_file(WXR_12)[0]
    assert first.id == again.id
    assert [c.id for c in first.comments] == [c.id for c in again.comments]
    extra = WXR_12.read_text(encoding="utf-8").replace(
        "\t</item>",
        "\t<wp:comment><wp:comment_id>18</wp:comment_id><wp:comment_content>late"
        "</wp:comment_content><wp:comment_parent>11</wp:comment_parent></wp:comment>\n\t</item>",
        1,
    )
    [later] = parse_text(extra, source="again.xml")
    assert {c.id for c in first.comments} < {c.id for c in later.comments}


def test_same_comment_id_in_two_posts_gives_distinct_ids() -> None:
    text = WXR_10.read_text(encoding="utf-8")
    item = text[text.index("<item>") : text.index("</item>") + len("</item>")]
    second = item.replace("<wp:post_id>7</wp:post_id>", "<wp:post_id>8</wp:post_id>")
    articles = parse_text(text.replace(item, item + second), source="two.xml")
    assert len(articles) == 2
    assert_well_formed(articles)
    assert not {c.id for c in articles[0].comments} & {c.id for c in articles[1].comments}


def test_malformed_wxr_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(WXR_10.read_text(encoding="utf-8").replace("</channel>", ""), "utf-8")
    with pytest.raises(ParseError, match=r"broken\.xml: malformed XML"):
        parse_file(path)


def test_real_isso_export(shared_data: Path) -> None:
    articles = parse_file(shared_data / "isso_wordpress_export.xml")
    assert_well_formed(articles)
    assert [(a.title, len(a.comments)) for a in articles] == [("Hello, World…", 7), ("...", 1)]
    first = articles[0]
    assert tree(first) == [
        ("Ohai", None, 0),
        ("Tester", None, 0),
        ("Tester", "Tester", 1),
        ("Tester", "Tester", 2),
        ("Tester", "Tester", 2),
        ("Multiline Author", None, 0),
        ("Letzter :/", None, 0),
    ]
    assert first.comments[0].text == "Erster!1"
    assert first.comments[2].posted_at == "2014-04-29T15:21:35+00:00"  # only the GMT date
    assert first.comments[5].text == (
        "When you have a comment with multiple lines:\nWordPress exports it like this."
    )
    assert first.comments[5].posted_at == "2022-06-06T02:13:14+00:00"
    assert {c.status for a in articles for c in a.comments} == {"approved"}
    assert first.published_at == "2014-01-14T17:31:03+00:00"
    # Comment id 11 appears in both posts; each article keeps its own.
    assert first.comments[-1].id != articles[1].comments[0].id
