"""Issue 13, point 5: the other shapes of copied comment threads, read where they are unambiguous.

The seeds' numbered / bulleted threads are covered in test_text_article.py; here, threads without
numbers or bullets ("Name says:", "Name wrote:", "Name on DATE said:"), dates on their own line,
toolbar lines ("Reply", "Report"), and what must stay body text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.parsing import parse_file, parse_text
from moderation.records import Article

from ._helpers import assert_well_formed, tree


def parse(text: str) -> Article:
    [article] = parse_text(text, source="copied.txt")
    assert_well_formed([article])
    return article


# A thread as WordPress themes print it ("Name says:", the date on the next line, a Reply link),
# copied from the browser with its indentation.
THEME_THREAD = """Bridge reopens after repairs

The bridge reopened on Monday after six months of work.

3 Responses to "Bridge reopens after repairs"

John Smith says:
March 3, 2011 at 2:04 pm

Finally open again.

Reply

    Jane Doe says:
    March 4, 2011 at 9:00 am

    The detour was awful.
    Glad it is over.

    Reply

Bob on March 5, 2011 at 10:30 am said:

I liked the ferry.

Report

Leave a Reply
"""


def test_unmarked_dated_thread_with_replies_by_indentation() -> None:
    article = parse(THEME_THREAD)
    assert article.body == "The bridge reopened on Monday after six months of work."
    assert tree(article) == [
        ("John Smith", None, 0),
        ("Jane Doe", "John Smith", 1),
        ("Bob", None, 0),
    ]
    assert [c.posted_at for c in article.comments] == [
        "2011-03-03T14:04:00+00:00",
        "2011-03-04T09:00:00+00:00",
        "2011-03-05T10:30:00+00:00",
    ]
    # The date lines and the toolbar are not the comment; the author's line breaks are.
    assert [c.text for c in article.comments] == [
        "Finally open again.",
        "The detour was awful.\nGlad it is over.",
        "I liked the ferry.",
    ]


@pytest.mark.parametrize(
    ("header", "author", "posted_at"),
    [
        ("Mary says:", "Mary", None),
        ("Mary wrote:", "Mary", None),
        ("Mary said :", "Mary", None),
        ("Mary Ann on March 3, 2011 at 2:04 pm said:", "Mary Ann", "2011-03-03T14:04:00+00:00"),
        (
            "Tom on the Hill on 3 March 2011 at 14:04 said:",
            "Tom on the Hill",
            "2011-03-03T14:04:00+00:00",
        ),
        ("Ann on Sunday said:", "Ann on Sunday", None),  # not a date: part of the name
        ("Ann on 2011-03-03 said:", "Ann", "2011-03-03"),
    ],
)
def test_header_shapes_in_a_numbered_thread(
    header: str, author: str, posted_at: str | None
) -> None:
    article = parse(f"T\n\nBody.\n\n  1. {header}\n\n    Text.\n")
    assert (article.comments[0].author, article.comments[0].posted_at) == (author, posted_at)
    assert article.comments[0].text == "Text."


@pytest.mark.parametrize(
    "date_line",
    ["March 3, 2011 at 2:04 pm", "Thursday, March 3, 2011 at 2:04 pm", "Mar 3, 2011, 2:04 p.m."],
)
def test_a_date_on_its_own_line_is_the_comments_date(date_line: str) -> None:
    article = parse(f"T\n\nBody.\n\n  1. gary said:\n\n    {date_line}\n\n    Text.\n    Reply\n")
    assert article.comments[0].posted_at == "2011-03-03T14:04:00+00:00"
    assert article.comments[0].text == "Text."


@pytest.mark.parametrize("toolbar", ["Reply", "Report", "Reply ↓", "Reply · Report", "REPORT"])
def test_toolbar_lines_are_dropped(toolbar: str) -> None:
    article = parse(f"T\n\nBody.\n\n  1. gary said:\n\n    First line.\n\n    {toolbar}\n")
    assert article.comments[0].text == "First line."


def test_words_that_only_contain_reply_stay() -> None:
    article = parse("T\n\nBody.\n\n  1. gary said:\n\n    Reply all you want.\n\n    1234567890\n")
    # A number is not a date (epoch-looking digits included), a sentence is not a toolbar.
    assert article.comments[0].text == "Reply all you want.\n\n1234567890"
    assert article.comments[0].posted_at is None


def test_an_undated_thread_after_a_comments_heading_needs_reply_lines_between() -> None:
    article = parse(
        "Post\n\nBody text.\n\nComments\n\nAnn wrote:\n\nFirst.\n\nReply\n\nBob wrote:\n\n"
        "Second. My friend wrote:\n\nCarl wrote:\n\nStill Bob's words.\n\nReply\n"
    )
    # After "Reply" a new header starts a comment; without one, "Carl wrote:" is Bob's text.
    assert [c.author for c in article.comments] == ["Ann", "Bob"]
    assert (
        article.comments[1].text == "Second. My friend wrote:\n\nCarl wrote:\n\nStill Bob's words."
    )


def test_a_dated_thread_needs_dates_on_every_header() -> None:
    article = parse(
        "Post\n\nBody.\n\nAnn says:\nMarch 3, 2011 at 2:04 pm\n\nShe said:\n\nhello\n\n"
        "Bob says:\nMarch 4, 2011 at 1:00 am\n\nHi.\n"
    )
    assert [c.author for c in article.comments] == ["Ann", "Bob"]
    assert article.comments[0].text == "She said:\n\nhello"


@pytest.mark.parametrize(
    "body",
    [
        "The minister said:\n\n“We will act.”\n\nMore body.",  # a quote in the article
        "Reporters wrote:\n\nnothing yet.",
    ],
)
def test_without_dates_or_a_comments_heading_said_lines_stay_in_the_body(body: str) -> None:
    article = parse(f"Title\n\n{body}\n")
    assert article.comments == ()
    assert article.body == body


def test_a_numbered_thread_wins_over_unmarked_headers() -> None:
    article = parse(
        "T\n\nBody.\n\n  1. gary said:\n\n    Ann says:\n    March 3, 2011 at 2:04 pm\n\n"
        "    quoted\n\n  2. Zed said:\n\n    hi\n"
    )
    assert [c.author for c in article.comments] == ["gary", "Zed"]


def test_ids_are_stable_and_follow_the_same_rule() -> None:
    first, again = parse(THEME_THREAD), parse(THEME_THREAD)
    assert [c.id for c in first.comments] == [c.id for c in again.comments]
    assert len({c.id for c in first.comments}) == 3
    # The dates and toolbars are not part of the ids: a copy without them keeps the ids.
    bare = (
        THEME_THREAD.replace("\nReply\n", "\n")
        .replace("\n    Reply\n", "\n")
        .replace("\nReport\n", "\n")
    )
    assert [c.id for c in parse(bare).comments] == [c.id for c in first.comments]


def test_seed_000_still_parses_as_before(seed_000: Path) -> None:
    [article] = parse_file(seed_000)
    assert len(article.reader_comments) == 30
    assert [c.number for c in article.comments if c.kind == "pingback"] == ["17"]
    assert all(c.posted_at is None for c in article.comments)
    # The ids the seed's comments have always had (decisions in existing databases point at them).
    assert article.id == "25db9147e8023e36"
    assert [c.id for c in article.comments[:3]] == [
        "d6f5fd9a210b94c4",
        "711456299d27424e",
        "e75bd4b2e2bcce78",
    ]
