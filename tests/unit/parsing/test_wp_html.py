"""Saved WordPress article pages: title, text, policy and the nested comment list."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.parsing import parse_file, parse_text
from moderation.records import Article

from ._helpers import FIXTURES, assert_well_formed, tree

PAGE = FIXTURES / "wp_page_comments.html"
NO_COMMENTS = FIXTURES / "wp_page_no_comments.html"


def parse(path: Path) -> Article:
    [article] = parse_file(path)
    return article


def test_article_title_body_url_and_date() -> None:
    article = parse(PAGE)
    assert article.title == "Bridge closes for repairs"
    # Markup, scripts, share buttons and the comment area stay out of the body.
    assert article.body == (
        "The old bridge closes on Monday for six weeks.\n\nDetours are signposted.\n"
        "Buses run as usual."
    )
    assert article.url == "https://town.example/2024/02/bridge/"
    assert article.published_at == "2024-02-10T08:15:00+00:00"


def test_comment_tree_three_deep_and_pingback() -> None:
    article = parse(PAGE)
    assert_well_formed([article])
    assert tree(article) == [
        ("Ann Reader", None, 0),
        ("Bo", "Ann Reader", 1),
        ("Cy", "Bo", 2),
        ("Other Site » Roads this week", None, 0),
    ]
    assert [c.kind for c in article.comments] == ["comment", "comment", "comment", "pingback"]
    assert [c.posted_at for c in article.comments] == [
        "2024-02-10T09:00:00+00:00",
        "2024-02-10T10:00:00+00:00",
        "2024-02-10T11:00:00+00:00",
        None,
    ]
    assert [c.status for c in article.comments] == [None, None, "pending", None]


def test_comment_text_is_plain_and_excludes_meta_and_replies() -> None:
    texts = [c.text for c in parse(PAGE).comments]
    assert texts == [
        "About time.\n\nSecond paragraph & emphasis.",
        "Reply to Ann.\n\na list item inside a comment",
        "Third level <script>alert(1)</script>",  # escaped in the page: the author's words
        "Other Site » Roads this week",
    ]


def test_policy_is_extracted_and_kept_out_of_the_body() -> None:
    article = parse(PAGE)
    assert article.policy is not None
    assert [c.id for c in article.policy.clauses] == [
        "comments-are-welcome",
        "no-profanity",
        "no-personal-attacks",
        "no-spam",
    ]


def test_page_without_comments_keeps_title_body_and_inline_policy() -> None:
    article = parse(NO_COMMENTS)
    assert article.comments == ()
    assert article.title == "Quiet news day"
    assert article.body == "Nothing happened."
    assert article.url == "https://town.example/quiet/"
    assert article.policy is not None
    assert [c.id for c in article.policy.clauses] == ["be-kind", "no-threats"]


def test_ids_are_the_comment_numbers_hashed_and_stable() -> None:
    first, again = parse(PAGE), parse(PAGE)
    assert first.id == again.id
    assert [c.id for c in first.comments] == [c.id for c in again.comments]
    # A reply added later does not change the ids of the others.
    html = PAGE.read_text(encoding="utf-8").replace(
        '<li id="comment-24"',
        '<li id="comment-30" class="comment"><div class="comment-content">new</div></li>'
        '<li id="comment-24"',
    )
    [later] = parse_text(html, source="saved.html")
    assert {c.id for c in first.comments} < {c.id for c in later.comments}


@pytest.mark.parametrize("list_class", ["commentlist", "comment-list"])
def test_classic_markup_with_li_comment_ids(list_class: str) -> None:
    html = f"""<html><body><h1>Post</h1><div class="entry-content"><p>Text</p></div>
    <ol class="{list_class}">
      <li class="comment" id="li-comment-5"><div id="comment-5">
        <div class="comment-author vcard"><cite class="fn">Zoë</cite> <span>says:</span></div>
        <div class="comment-meta commentmetadata"><a href="#">March 1, 2010 at 9:00 am</a></div>
        <p>Classic text.</p>
        <div class="reply"><a href="#">Reply</a></div></div>
        <ul class="children"><li class="comment" id="li-comment-6"><div id="comment-6">
          <div class="comment-author vcard"><cite class="fn">Yan</cite> says:</div>
          <p>Classic reply.</p></div></li></ul>
      </li>
    </ol></body></html>"""
    [article] = parse_text(html, source="classic.html")
    assert tree(article) == [("Zoë", None, 0), ("Yan", "Zoë", 1)]
    assert [c.text for c in article.comments] == ["Classic text.", "Classic reply."]
    assert article.body == "Text"


def test_real_nightly_blog_page(shared_data: Path) -> None:
    article = parse(shared_data / "wp_html_nightly_blog_comment_list.html")
    assert article.title == "These Weeks in Firefox: Issue 85"
    assert (
        article.url
        == "https://blog.nightly.mozilla.org/2020/12/18/these-weeks-in-firefox-issue-85/"
    )
    assert article.published_at == "2020-12-18T16:09:48+00:00"
    assert article.body.startswith("Highlights\n\nHere’s our Firefox Year in Review!")
    assert "Leave a Reply" not in article.body and "Recent Posts" not in article.body
    assert "<p>" not in article.body and "<a " not in article.body
    assert tree(article) == [("Alan Goodale", None, 0), ("John Doe", None, 0)]
    assert [c.posted_at for c in article.comments] == ["2020-12-24", "2021-02-09"]
    assert article.comments[0].text.startswith("Enhancement: Are there plans")
    assert article.comments[1].text == (
        "Thank you for fixing Bug 1553982! I have moved most of my work to another browser due "
        "to the need to restart so often but will try Firefox again now."
    )
    assert article.policy is None
