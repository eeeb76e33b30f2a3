"""Each rule of the scraped-text format, on small inputs written here, then the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.parsing import parse_file, parse_text
from moderation.records import Article


def parse(text: str) -> Article:
    [article] = parse_text(text, source="test.txt")
    return article


def tree(article: Article) -> list[tuple[str | None, str | None, int]]:
    """(author, parent's author, depth) per comment, in document order."""
    by_id = {c.id: c for c in article.comments}
    return [
        (c.author, by_id[c.parent_id].author if c.parent_id else None, c.depth)
        for c in article.comments
    ]


THREAD = """Headline here

Body paragraph one.

Body paragraph two.

  1. gary said:

    Top level text.

    • Avery said:

      Reply to gary.

      • Deep One said:

        Reply to Avery.

    • Aram said:

      Second reply to gary.

  2. Zed said:

    Another top level.

Leave a Reply to gary Cancel reply
Your email address will not be published.
"""


def test_title_is_first_non_empty_line_and_body_stops_at_thread() -> None:
    article = parse("\n\n  Headline here  \n\nBody.\n\n  1. a said:\n\n    hi\n")
    assert article.title == "Headline here"
    assert article.body == "Body."


def test_numbered_entries_are_top_level_and_bullets_reply_at_any_depth() -> None:
    article = parse(THREAD)
    assert tree(article) == [
        ("gary", None, 0),
        ("Avery", "gary", 1),
        ("Deep One", "Avery", 2),
        ("Aram", "gary", 1),
        ("Zed", None, 0),
    ]
    assert [c.number for c in article.comments] == ["1", None, None, None, "2"]


def test_comment_bodies_are_dedented_and_stop_before_footer() -> None:
    article = parse(THREAD)
    texts = [c.text for c in article.comments]
    assert texts == [
        "Top level text.",
        "Reply to gary.",
        "Reply to Avery.",
        "Second reply to gary.",
        "Another top level.",
    ]
    assert all("Leave a Reply" not in t and "email" not in t for t in texts)


def test_author_line_breaks_and_blank_lines_are_kept() -> None:
    article = parse(
        "T\n\n  1. ann said:\n\n    line one\n    line two\n\n\n    after two blanks\n"
        "      indented more\n"
    )
    assert article.comments[0].text == ("line one\nline two\n\n\nafter two blanks\n  indented more")


def test_empty_body_is_kept_as_empty_comment() -> None:
    article = parse("T\n\n  1. George Apelian said:\n\n\n\n  2. Bo said:\n\n    hi\n")
    assert [(c.author, c.text) for c in article.comments] == [("George Apelian", ""), ("Bo", "hi")]


@pytest.mark.parametrize(
    ("header", "author"),
    [
        ("Said Ahmed said:", "Said Ahmed"),
        ("Agent 007 said:", "Agent 007"),
        ("J.R.R. Tolkien said:", "J.R.R. Tolkien"),
        ("....... said:", "......."),
        ("he said said:", "he said"),
        ("Mary says:", "Mary"),
    ],
)
def test_authors_may_contain_spaces_digits_dots_and_said(header: str, author: str) -> None:
    article = parse(f"T\n\n  1. {header}\n\n    text\n")
    assert article.comments[0].author == author


@pytest.mark.parametrize("kind", ["Pingback", "Trackback"])
def test_pingbacks_are_kept_with_their_own_kind(kind: str) -> None:
    article = parse(
        f"T\n\n  1. a said:\n\n    hi\n\n  2. {kind}: Other Site » Post title\n\n  3. b said:\n\n"
        "    yo\n"
    )
    ping = article.comments[1]
    assert ping.kind == "pingback"
    assert ping.author == "Other Site"
    assert ping.text == "Other Site » Post title"
    assert [c.kind for c in article.reader_comments] == ["comment", "comment"]


def test_body_lines_ending_in_said_stay_in_their_comment() -> None:
    article = parse(
        "T\n\n  1. gary said:\n\n    My neighbour said:\n\n    – a list item\n"
        "    – and then the minister said:\n\n    2. the second point, he said:\n\n"
        "    • Avery said:\n\n      reply\n"
    )
    assert tree(article) == [("gary", None, 0), ("Avery", "gary", 1)]
    assert article.comments[0].text == (
        "My neighbour said:\n\n– a list item\n– and then the minister said:\n\n"
        "2. the second point, he said:"
    )


def test_numbered_lines_inside_a_body_are_not_entries() -> None:
    article = parse(
        "T\n\n  1. Lusik said:\n\n    1. First point.\n    2. Second point.\n\n"
        "  2. Bo said:\n\n    hi\n"
    )
    assert [c.author for c in article.comments] == ["Lusik", "Bo"]
    assert article.comments[0].text == "1. First point.\n2. Second point."


def test_ids_are_stable_across_reparses_and_unique() -> None:
    first, second = parse(THREAD), parse(THREAD)
    assert [c.id for c in first.comments] == [c.id for c in second.comments]
    assert len({c.id for c in first.comments}) == len(first.comments)
    assert first.id == second.id
    assert first.comments[1].parent_id == first.comments[0].id


def test_ids_of_existing_comments_survive_a_new_comment_added_later() -> None:
    later = parse(THREAD.replace("Leave a Reply", "  3. New said:\n\n    late\n\nLeave a Reply"))
    assert [c.id for c in later.comments[:5]] == [c.id for c in parse(THREAD).comments]


def test_policy_block_is_extracted_and_split_into_clauses() -> None:
    article = parse(
        "T\n\nBody.\n\nDiscussion Policy\n\nComments are welcome. Comments that include "
        "profanity, personal attacks or other inappropriate material will not be permitted. "
        "We reserve the right to block users who violate our standards.\n\n  1. a said:\n\n"
        "    hi\n"
    )
    assert article.body == "Body."
    assert article.policy is not None
    ids = [c.id for c in article.policy.clauses]
    assert ids == [
        "comments-are-welcome",
        "no-profanity",
        "no-personal-attacks",
        "no-inappropriate-material",
        "may-block-violators",
    ]
    assert "profanity" in article.policy.clauses[1].text
    assert len(article.comments) == 1


def test_no_policy_gives_none() -> None:
    assert parse("T\n\nBody only.\n").policy is None


@pytest.mark.parametrize(
    "chrome",
    [
        "[Click to enlarge]",
        "Read more:\u00a0 Another story",
        "Follow us on\u00a0Facebook and Twitter",
    ],
)
def test_inline_chrome_lines_are_dropped_from_body(chrome: str) -> None:
    article = parse(f"T\n\nPara one.\n{chrome}\n\nPara two.\n")
    assert article.body == "Para one.\n\nPara two."


@pytest.mark.parametrize(
    "footer",
    [
        "Leave a Reply\n\nYour email address will not be published.",
        "Sign Up for Our Newsletters\n\nGet notified.",
        "You May Also Like\n\nSome other headline",
        "Comments",
        "12 Comments",
    ],
)
def test_body_ends_before_site_chrome(footer: str) -> None:
    article = parse(f"T\n\nPara one.\n\n{footer}\n")
    assert article.body == "Para one."
    assert article.comments == ()


def test_repeated_headline_is_not_part_of_the_body() -> None:
    assert parse("Same title\n\nSame title\nFirst line.\n").body == "First line."


# -- the seeds ------------------------------------------------------------------------------


def test_seed_000_thread(seed_000: Path) -> None:
    [article] = parse_file(seed_000)
    assert len(article.reader_comments) == 30
    pings = [c for c in article.comments if c.kind == "pingback"]
    assert len(pings) == 1 and pings[0].number == "17"
    parents = {a: p for a, p, _ in tree(article) if p}
    assert parents == {"Avery": "gary", "Aram": "gary", ".......": "Danoog", "yavuz": "Mihran"}
    authors = [c.author for c in article.reader_comments if c.depth == 0]
    assert authors[:4] == ["gary", "George Apelian", "Danoog", "Vacheh"]
    assert authors[-1] == "Sanan"
    footer_words = ("Leave a Reply", "Cancel reply", "Discussion Policy")
    assert not any(w in c.text for c in article.comments for w in footer_words)
    assert article.comments[3].text == ""  # George Apelian's empty comment
    assert article.policy is not None
    assert {"no-profanity", "no-personal-attacks"} <= {c.id for c in article.policy.clauses}
    assert "Discussion Policy" not in article.body


@pytest.mark.parametrize(
    ("name", "title_start", "body_not"),
    [
        ("001", "Turkey will send military support", ("Follow us on", "[Click", "Read more")),
        ("002", "Baku Denies Turkish Troop", ("\nComments",)),
        ("003", "NATO Chief Praises", ()),
        ("004", "BAKU (RFE/RL)", ("Leave a Reply", "Newsletters", "You May Also Like")),
    ],
)
def test_other_seeds_have_title_body_and_no_comments(
    seeds: list[Path], name: str, title_start: str, body_not: tuple[str, ...]
) -> None:
    path = next(p for p in seeds if p.name.startswith(name))
    [article] = parse_file(path)
    assert article.title.startswith(title_start)
    assert len(article.body) > 500
    assert article.comments == ()
    assert not any(fragment in article.body for fragment in body_not)
