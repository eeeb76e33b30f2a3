"""Issue 11, point 3: for any input a parser returns articles or raises our own error with a
one-line reason; what it returns can be hashed, printed and stored (no lone surrogates, no NUL).

Each case here escaped with a foreign exception before (RecursionError, OverflowError,
UnicodeEncodeError)."""

from __future__ import annotations

import json

import pytest

from moderation.errors import ModerationError
from moderation.parsing import parse_text
from moderation.parsing.decoding import decode_text
from moderation.records import Article

from ._helpers import assert_well_formed

WXR = (
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>'
    "<title>Post</title><wp:post_id>1</wp:post_id><wp:post_date_gmt>{post}</wp:post_date_gmt>"
    "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Ann</wp:comment_author>"
    "<wp:comment_content>{content}</wp:comment_content>"
    "<wp:comment_date_gmt>{date}</wp:comment_date_gmt></wp:comment></item></channel></rss>"
)
DISQUS = (
    '<disqus xmlns="http://disqus.com"><thread dsq:id="7" xmlns:dsq="http://disqus.com/'
    'disqus-internals"><title>T</title><createdAt>{date}</createdAt></thread>'
    '<post dsq:id="1" xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="7"/>'
    "<message>hi</message><createdAt>{date}</createdAt></post></disqus>"
)
WP_PAGE = (
    "<html><body><h1>Post</h1><ol class='comment-list'><li id='comment-1' class='comment'>"
    "<time datetime='{date}'>x</time><div class='comment-content'>{content}</div></li>"
    "</ol></body></html>"
)
DEEP = 20_000  # well past the recursion limit (1,000); cheap enough for CI
YEAR_1 = "0001-01-01T00:00:00+01:00"
YEAR_9999 = "9999-12-31T23:59:59-01:00"

CASES: list[tuple[str, str, str]] = [
    # Deep nesting: RecursionError.
    ("html-divs", "page.html", "<html><body><h1>T</h1>" + "<div>" * DEEP + "deep"),
    ("html-bold-in-policy", "page.html", "<html><body><p>T</p>" + "<b>" * DEEP + "Comment policy"),
    (
        "html-in-a-comment",
        "page.html",
        WP_PAGE.format(date="2024-01-01", content="<span>" * DEEP + "text"),
    ),
    ("json-array", "rows.json", "[" * DEEP + "]" * DEEP),
    ("json-lines", "rows.jsonl", '{"text": ' + "[" * DEEP + "]" * DEEP + "}"),
    ("json-cell", "rows.jsonl", '{"text": "a", "author": ' + "[" * 900 + "]" * 900 + "}"),
    (
        "xml-elements",
        "export.xml",
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        + "<x>" * DEEP
        + "</x>" * DEEP
        + "</channel></rss>",
    ),
    ("wxr-comment-html", "export.xml", WXR.format(post="", date="", content="&lt;i&gt;" * DEEP)),
    # Out-of-range dates: OverflowError.
    ("csv-year-1", "rows.csv", f"text,date\nhi,{YEAR_1}\n"),
    ("csv-year-9999", "rows.csv", f"text,date\nhi,{YEAR_9999}\n"),
    ("wxr-years", "export.xml", WXR.format(post=YEAR_1, date=YEAR_9999, content="hi")),
    ("disqus-year-9999", "disqus.xml", DISQUS.format(date=YEAR_9999)),
    ("html-year-1", "page.html", WP_PAGE.format(date=YEAR_1, content="hi")),
    # Lone surrogates: UnicodeEncodeError at the first hash or print.
    ("json-surrogate-author", "rows.jsonl", r'{"text": "x", "author": "\ud800"}'),
    (
        "json-surrogate-ids",
        "rows.jsonl",
        r'{"text": "\udfff", "id": "\udc00", "article": "\ud800"}',
    ),
    ("json-surrogate-key", "rows.jsonl", r'{"text": "x", "\ud800": "y"}'),
    ("json-nul", "rows.jsonl", r'{"text": "a\u0000b", "author": "\u0000"}'),
    ("text-surrogates", "a.txt", "Title\ud800\n\nBody.\n\n  1. Ann\udc00 said:\n\n    hi\ud83d\n"),
    (
        "policy-surrogate",
        "a.txt",
        "T\n\nB.\n\nDiscussion Policy\n\nComments with \ud800 will be removed.",
    ),
]


def assert_storable(articles: list[Article]) -> None:
    """Every string can be encoded as UTF-8 and stored in PostgreSQL (no NUL)."""
    dumped = json.dumps([a.to_json() for a in articles], ensure_ascii=False)
    dumped.encode("utf-8")
    assert "\x00" not in dumped


@pytest.mark.parametrize(("source", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parsers_return_articles_or_our_error(source: str, text: str) -> None:
    try:
        articles = parse_text(text, source=source)
    except ModerationError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith(source)
        return
    assert_well_formed(articles)
    assert_storable(articles)


def test_deep_json_is_refused_with_a_reason() -> None:
    with pytest.raises(ModerationError, match="nested too deeply"):
        parse_text("[" * DEEP + "]" * DEEP, source="rows.json")


def test_out_of_range_dates_are_kept_as_no_date() -> None:
    [article] = parse_text(f"text,date\nhi,{YEAR_9999}\nho,2020-01-02\n", source="rows.csv")
    assert [c.posted_at for c in article.comments] == [None, "2020-01-02"]


def test_lone_surrogates_become_replacement_characters() -> None:
    [article] = parse_text(r'{"text": "x", "author": "a\ud800b"}', source="rows.jsonl")
    assert article.comments[0].author == "a\ufffdb"


def test_bytes_with_late_nul_are_stored_without_it() -> None:
    # The binary check looks at the first 8 KB; a NUL after that is replaced, not stored.
    data = b"Title\n\nBody text.\n" + b"x" * 9000 + b"\x00\n\n  1. Ann said:\n\n    hi\x00\n"
    articles = parse_text(decode_text(data, subject="a.txt"), source="a.txt")
    assert_storable(articles)
    assert articles[0].comments[0].text == "hi\ufffd"
