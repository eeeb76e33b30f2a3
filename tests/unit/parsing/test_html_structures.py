"""Saved article pages from every comment system the HTML extractor reads, one fixture each.

Each fixture under fixtures/html/ names, in its opening comment, the template or specification
whose markup it follows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.cli import main
from moderation.fingerprint import stable_id
from moderation.parsing import detect, parse_file, parse_text
from moderation.records import Article

from ._helpers import FIXTURES, assert_well_formed, tree

HTML = FIXTURES / "html"

Tree = list[tuple[str | None, str | None, int]]


def parse(name: str) -> Article:
    [article] = parse_file(HTML / name)
    assert_well_formed([article])
    return article


# (fixture, strategy, title, comment tree, posted_at per comment, text per comment)
STRUCTURES: list[tuple[str, str, str, Tree, list[str | None], list[str]]] = [
    (
        "wp_block_theme.html",
        "wordpress",
        "Harbour wall repaired",
        [("Mara Quill", None, 0), ("Desk Editor", "Mara Quill", 1), ("anonymous", None, 0)],
        ["2024-03-08T09:30:00+00:00", "2024-03-08T10:00:00+00:00", "2024-03-09T07:05:00+00:00"],
        [
            "Good to see it done before the spring tides.",
            "Thanks, Mara.\n\nThe outer steps follow in May.",
            "Who paid for it?",
        ],
    ),
    (
        "wp_classic_div_style.html",
        "wordpress",
        "Library opening hours",
        [
            ("Ola Brandt", None, 0),
            ("Librarian", "Ola Brandt", 1),
            ("P. Nash", None, 0),
            ("Town Blog » This week", None, 0),
        ],
        [
            "2010-03-01T21:05:00+00:00",
            "2010-03-02T10:00:00+00:00",
            "2010-03-03T08:15:00+00:00",
            None,
        ],
        [
            "Finally! Late opening helps shift workers.\n\nWill the café stay open too?",
            "The café closes at six, sorry.",
            "What about Sundays?",
            "Town Blog » This week",
        ],
    ),
    (
        "wp_jetpack.html",
        "wordpress",
        "Ferry timetable changes",
        [("Iona Reid", None, 0), ("Ferry Co.", "Iona Reid", 1)],
        ["2023-05-02T07:12:00+00:00", "2023-05-02T09:00:00+00:00"],
        ["6:40 is too early for the school run.", "A 7:15 sailing is planned for term time."],
    ),
    (
        "wpdiscuz.html",
        "wpdiscuz",
        "New bike lanes on Mill Road",
        [("Tomas", None, 0), ("Council Roads", "Tomas", 1), ("Guest Rider", None, 0)],
        ["2024-03-03T14:04:00+00:00", "2024-03-03T16:30:00+00:00", "2024-03-04T08:00:00+00:00"],
        [
            "About time. The junction by the station is still dangerous.",
            "The junction is phase two, due in autumn.",
            "Will the lanes be gritted in winter?",
        ],
    ),
    (
        "epoch_rendered.html",
        "epoch",
        "Night market returns",
        [("Lin Ahmadi", None, 0), ("market team", "Lin Ahmadi", 1)],
        ["2024-06-01T18:20:00+00:00", "2024-06-01T19:00:00+00:00"],
        ["Bring back the dumpling stall!", "It is on the list for the 15th."],
    ),
    (
        "drupal7.html",
        "drupal",
        "Allotment waiting list grows",
        [
            ("Hal (not verified)", None, 0),
            ("editor", "Hal (not verified)", 1),
            ("Hal (not verified)", "editor", 2),
            ("June", None, 0),
        ],
        [
            "2012-01-17T15:20:11+00:00",
            "2012-01-17T16:02:00+00:00",
            "2012-01-18T09:00:00+00:00",
            "2012-01-19T10:30:00+00:00",
        ],
        [
            "Split the big plots in half and the list halves too.",
            "Half plots start in March.\n\nSign up at the library.",
            "Thanks, signed up.",
            "Is there water on the new site?",
        ],
    ),
    (
        "drupal10_olivero.html",
        "drupal",
        "Bus depot to move",
        [
            ("Rosa (not verified)", None, 0),
            ("transport desk", "Rosa (not verified)", 1),
            ("Omar (not verified)", None, 0),
        ],
        ["2023-11-14T22:13:00+00:00", "2023-11-15T01:00:00+00:00", "2023-11-16T08:45:00+00:00"],
        [
            "What about the noise for the houses on Quarry Lane?",
            "No buses will leave between midnight and five.",
            "Good news for the town centre.",
        ],
    ),
    (
        "mf2_hcite.html",
        "microformats2",
        "Notes on sourdough",
        [
            ("Rye Baker", None, 0),
            ("Kit", "Rye Baker", 1),
            ("Anon Crumb", None, 0),
            ("Rye Baker", "Anon Crumb", 1),
        ],
        [
            "2022-02-01T12:00:00+00:00",
            "2022-02-01T13:30:00+00:00",
            "2022-02-02",
            "2022-02-02T09:00:00+00:00",
        ],
        [
            "What flour do you feed it?",
            "Wholemeal rye, 50 g a day.",
            "Try a cooler spot for a more sour loaf.",
            "Agreed, the fridge works too.",
        ],
    ),
    (
        "hatom_movable_type.html",
        "hatom",
        "Pier reopens",
        [("Amy", None, 0), ("Ben", None, 0)],
        ["2009-07-01T09:15:00+00:00", "2009-07-02T07:00:00+00:00"],
        ["Great, the kids have missed it.", "Is the café open yet?"],
    ),
    (
        "schema_microdata.html",
        "schema.org microdata",
        "Orchard festival",
        [("Nell Orchard", None, 0), ("Festival Team", "Nell Orchard", 1), ("Old Timer", None, 0)],
        ["2021-09-10T16:00:00+00:00", "2021-09-10T19:00:00+00:00", "2021-09-09"],
        ["Save me a bottle of the perry.", "We will, Nell!", "Best festival in the county."],
    ),
    (
        "schema_jsonld.html",
        "schema.org JSON-LD",
        "Tram extension consultation",
        [("Priya", None, 0), ("Tram Authority", "Priya", 1), ("Sam", "Tram Authority", 2)],
        ["2024-01-15T09:10:00+00:00", "2024-01-15T10:00:00+00:00", "2024-01-16T07:30:00+00:00"],
        [
            "Extend it to the hospital, please.",
            "The hospital stop is in option B.",
            "Option B costs twice as much.",
        ],
    ),
    (
        "blogger.html",
        "semantic markup",
        "Tide tables for April",
        [("Skipper Dan", None, 0), ("Anonymous", "Skipper Dan", 1), ("Moira", None, 0)],
        ["2011-03-03T14:04:00+00:00", "2011-03-03T15:10:00+00:00", "2011-03-04T01:00:00+00:00"],
        [
            "Thanks, the 8th is a big one.",
            "Big enough to flood the car park again.",
            "Printed and pinned up at the club.",
        ],
    ),
    (
        "wp_legacy_ul_comments.html",
        "wordpress",
        "Harvest fair moves indoors",
        [
            ("Bea Marsh", None, 0),
            ("Fair Committee", None, 0),
            ("Tom Reeve", None, 0),
            ("Valley Weekly » What’s on", None, 0),
        ],
        [
            "2008-09-14T18:12:00+00:00",
            "2008-09-14T19:30:00+00:00",
            "2008-09-15T08:05:00+00:00",
            "2008-09-15T09:00:00+00:00",
        ],
        [
            "Will the cake stall still be there?\n\nAsking for the whole choir.",
            "Yes, by the stage, same as last year.",
            "Parking at the hall is tight; walk if you can.",
            "[…] the harvest fair is in the school hall this year […]",
        ],
    ),
    (
        "wp_flat_parent_attrs.html",
        "wordpress",
        "Quay cafe gets its licence",
        [
            ("Nina Cole", None, 0),
            ("Cafe Owner", "Nina Cole", 1),  # data-parent="comment-12"
            ("Nina Cole", "Cafe Owner", 2),  # data-parent-id="13"
            ("Pete", "Nina Cole", 1),  # <input type="hidden" name="comment_parent" value="12">
            ("Ros", None, 0),  # data-parent="comment-99": deleted upstream, so top level
        ],
        [
            "2024-04-02T08:00:00+00:00",
            "2024-04-02T09:15:00+00:00",
            "2024-04-02T10:00:00+00:00",
            "2024-04-03T07:30:00+00:00",
            "2024-04-03T12:00:00+00:00",
        ],
        [
            "Ten is late for the flats above.",
            "Music stops at nine, Nina.",
            "That helps, thanks.",
            "The flats were a warehouse when the cafe opened.",
            "Agreed with the above.",
        ],
    ),
    (
        "structural_letters.html",
        "structural",
        "Should the market square go car-free?",
        [("Greta Holm", None, 0), ("Omar K.", "Greta Holm", 1), ("J. Fenwick", None, 0)],
        ["2021-03-12T10:04:00+00:00", "2021-03-12T11:30:00+00:00", "2021-03-13T08:00:00+00:00"],
        [
            "Yes. The summer trial showed the square can breathe.\n\n"
            "Deliveries before ten would solve the rest.",
            "Before ten is when I open the shop, Greta.",
            "Keep the disabled bays, whatever happens.",
        ],
    ),
    (
        "structural_articles.html",
        "structural",
        "Lighthouse keeper retires",
        [("Ana P.", None, 0), ("Lowen", None, 0), ("Harbour Master", None, 0)],
        ["2023-02-01T10:00:00+00:00", "2023-02-01T12:30:00+00:00", "2023-02-02T08:00:00+00:00"],
        [
            "She rowed my grandfather home in the '79 storm.",
            "Forty-one years. Extraordinary.\n\nHappy retirement!",
            "The whole harbour owes her.",
        ],
    ),
]


# The platform's id of each comment (comment-123 -> "123"), in the order of the comments: the key
# ``build_thread`` derives the stored Comment.id from (stable_id(article, "comment", key)), so a
# re-parse, a later save of the page and an export of the same thread give the same ids. None: the
# page has no id for it, and its words key it ("h" + stable_id(author, posted_at, text)).
PERMALINK_IDS: dict[str, list[str | None]] = {
    "wp_block_theme.html": ["101", "102", "103"],
    "wp_classic_div_style.html": ["7", "8", "9", "10"],
    "wp_jetpack.html": ["55", "56"],
    "wpdiscuz.html": ["201", "202", "203"],
    "epoch_rendered.html": ["31", "32"],
    "drupal7.html": ["1", "2", "4", "3"],
    "drupal10_olivero.html": ["11", "12", "13"],
    # The first has an element id; the others only their u-url (or its fragment).
    "mf2_hcite.html": [
        "c-aa1",
        "reply-2",
        "https://crumb.example/r/1",
        "https://rye.example/notes/78",
    ],
    "hatom_movable_type.html": ["501", "502"],
    "schema_microdata.html": ["tb-71", "tb-72", "tb-60"],
    "schema_jsonld.html": ["c-900", "c-901", "c-902"],
    "blogger.html": ["1299161040000", "1299165000000", "1299200000000"],
    "wp_legacy_ul_comments.html": ["41", "42", "45", "46"],
    "wp_flat_parent_attrs.html": ["12", "13", "14", "15", "16"],
    "structural_letters.html": [None, None, None],
    "structural_articles.html": [None, None, None],
}


def platform_ids(article: Article, keys: list[str | None]) -> list[str]:
    """The Comment.id each platform key gives (a missing key: the comment's words)."""
    return [
        stable_id(
            article.id,
            "comment",
            key if key is not None else "h" + stable_id(c.author, c.posted_at, c.text),
        )
        for key, c in zip(keys, article.comments, strict=True)
    ]


@pytest.mark.parametrize(
    ("fixture", "strategy", "title", "expected_tree", "dates", "texts"),
    STRUCTURES,
    ids=[s[0] for s in STRUCTURES],
)
def test_each_structure_gives_its_thread(
    fixture: str,
    strategy: str,
    title: str,
    expected_tree: Tree,
    dates: list[str | None],
    texts: list[str],
) -> None:
    article = parse(fixture)
    assert article.extraction == strategy
    assert article.title == title
    assert tree(article) == expected_tree
    assert [c.posted_at for c in article.comments] == dates
    assert [c.text for c in article.comments] == texts
    assert [c.id for c in article.comments] == platform_ids(article, PERMALINK_IDS[fixture])


@pytest.mark.parametrize("fixture", [s[0] for s in STRUCTURES])
def test_no_chrome_in_comment_text_or_body(fixture: str) -> None:
    article = parse(fixture)
    chrome = ("Reply", "says:", "Like", "Edit", "Delete", "Permalink", "Leave a", "Share this")
    for comment in article.comments:
        assert not any(word in comment.text for word in chrome), comment.text
        assert "<" not in comment.text
        assert comment.author is None or "says" not in comment.author
    assert not any(word in article.body for word in ("Reply", "Share this", "Related", "Home"))
    for comment in article.comments:
        assert comment.text not in article.body


# -- replies stated by attributes in a flat list ---------------------------------------------


def _flat_page(reply_marks: str, reply_inner: str = "", item: str = "li") -> str:
    """Two comments side by side; the second states its parent (or not) in its markup."""
    wrapper = "ol" if item == "li" else "div"
    return (
        "<html><head><title>Flat</title></head><body><h1>Flat</h1><p>Text.</p>"
        f'<div id="comments"><{wrapper} class="comment-list">'
        f'<{item} id="comment-12" class="comment depth-1"><div class="comment-author">'
        '<span class="fn">Ann</span></div><div class="comment-content"><p>First.</p></div>'
        f"</{item}>"
        f'<{item} id="comment-13" class="comment depth-1" {reply_marks}>{reply_inner}'
        '<div class="comment-author"><span class="fn">Bo</span></div>'
        f'<div class="comment-content"><p>Second.</p></div></{item}>'
        f"</{wrapper}></div></body></html>"
    )


@pytest.mark.parametrize(
    ("marks", "inner"),
    [
        ('data-parent="comment-12"', ""),
        ('data-parent="12"', ""),
        ('data-parent-id="12"', ""),
        ('data-comment-parent="12"', ""),
        ('comment_parent="12"', ""),
        ("", '<input type="hidden" name="comment_parent" value="12">'),
        ("", '<a rel="in-reply-to" href="https://town.example/post/#comment-12">Ann</a>'),
        (
            "",
            '<span class="in-reply-to">to <a class="in-reply-to" href="#comment-12">Ann</a></span>',
        ),
    ],
)
@pytest.mark.parametrize("item", ["li", "div"])
def test_a_flat_list_nests_replies_by_their_stated_parent(
    marks: str, inner: str, item: str
) -> None:
    [article] = parse_text(_flat_page(marks, inner, item), source="flat.html")
    assert_well_formed([article])
    assert tree(article) == [("Ann", None, 0), ("Bo", "Ann", 1)]
    assert [c.text for c in article.comments] == ["First.", "Second."]


@pytest.mark.parametrize(
    ("marks", "inner"),
    [
        ('data-parent="comment-99"', ""),  # deleted upstream
        ('data-parent="0"', ""),  # WordPress's "no parent"
        ('data-parent="comment-13"', ""),  # itself
        ('data-parent-id="not a number"', ""),
        ("", '<input type="hidden" name="comment_parent" value="99">'),
        ("", '<a rel="in-reply-to" href="https://elsewhere.example/post">the post</a>'),
        # The reply form, saved open under this comment, is where a reply to it would go.
        ("", '<form><input type="hidden" name="comment_parent" value="12"></form>'),
    ],
)
def test_an_unknown_stated_parent_leaves_the_comment_top_level(marks: str, inner: str) -> None:
    [article] = parse_text(_flat_page(marks, inner), source="flat.html")
    assert_well_formed([article])
    assert tree(article) == [("Ann", None, 0), ("Bo", None, 0)]
    assert len(article.comments) == 2


def test_a_stated_parent_outranks_containment_and_a_later_parent_is_waited_for() -> None:
    # Bo (13) sits inside Ann's element but names Cy (14), who comes later in the page.
    html = (
        "<html><head><title>T</title></head><body><h1>T</h1><p>Text.</p>"
        '<div id="comments"><ol class="comment-list">'
        '<li id="comment-12" class="comment depth-1"><span class="fn">Ann</span>'
        '<div class="comment-content"><p>First.</p></div><ol class="children">'
        '<li id="comment-13" class="comment depth-2" data-parent="comment-14">'
        '<span class="fn">Bo</span><div class="comment-content"><p>Second.</p></div></li>'
        "</ol></li>"
        '<li id="comment-14" class="comment depth-1"><span class="fn">Cy</span>'
        '<div class="comment-content"><p>Third.</p></div></li>'
        "</ol></div></body></html>"
    )
    [article] = parse_text(html, source="t.html")
    assert_well_formed([article])
    assert tree(article) == [("Ann", None, 0), ("Cy", None, 0), ("Bo", "Cy", 1)]


def test_a_flat_microformats_reply_names_its_parents_url() -> None:
    # The parent's key is its element id; the reply names the parent's u-url, as mf2 replies do.
    html = (
        '<html><head><title>Note</title></head><body><article class="h-entry">'
        '<h1 class="p-name">Note</h1><div class="e-content"><p>Text.</p></div>'
        '<div class="p-comment h-cite" id="c-1"><span class="p-author h-card">Ann</span>'
        '<a class="u-url" href="https://ann.example/r/5">1 Feb</a>'
        '<p class="p-content">First.</p></div>'
        '<div class="p-comment h-cite" id="c-2"><span class="p-author h-card">Bo</span>'
        '<a class="u-in-reply-to" href="https://ann.example/r/5">Ann</a>'
        '<p class="p-content">Second.</p></div></article></body></html>'
    )
    [article] = parse_text(html, source="note.html")
    assert article.extraction == "microformats2"
    assert tree(article) == [("Ann", None, 0), ("Bo", "Ann", 1)]


# -- discussion policy on pages other than WordPress's -------------------------------------------


def test_a_drupal_community_guidelines_block_is_the_policy_and_not_the_body() -> None:
    # The block's text sits in a field--name-body too, above the node's: only the node's is body.
    article = parse("drupal10_guidelines.html")
    assert article.extraction == "drupal"
    assert tree(article) == [
        ("Dee (not verified)", None, 0),
        ("leisure desk", "Dee (not verified)", 1),
    ]
    assert article.policy is not None
    assert [c.id for c in article.policy.clauses] == [
        "comments-are-moderated-before-they-appear",
        "no-hate-speech",
        "no-threats",
        "no-spam",
        "repeat-offenders-will-be-blocked-from",
    ]
    assert article.body == (
        "The leisure centre pool closes from November to March to save heating costs."
    )
    assert "Community guidelines" not in article.title


def test_a_community_guidelines_heading_on_a_structural_page() -> None:
    html = (HTML / "structural_letters.html").read_text(encoding="utf-8")
    box = (
        '<div class="box"><h3>Community guidelines</h3>'
        "<p>Letters are welcome. Letters that include personal attacks or advertising will not be "
        'published.</p></div>\n  <div id="talk">'
    )
    [article] = parse_text(html.replace('<div id="talk">', box, 1), source="letters.html")
    assert article.extraction == "structural"
    assert len(article.comments) == 3
    assert article.policy is not None
    assert [c.id for c in article.policy.clauses] == [
        "letters-are-welcome",
        "no-personal-attacks",
        "no-spam",  # the policy parser files advertising under spam
    ]
    assert "Letters are welcome" not in article.body
    assert "Community guidelines" not in article.body
    assert article.body == (
        "The council will vote next month on closing the market square to cars, after a trial in "
        "the summer drew both praise and complaints from traders.\n\n"
        "Traders say deliveries would suffer; residents say the square, quieter and safer, would "
        "finally be a place to meet."
    )


def test_pingbacks_trackbacks_and_held_comments() -> None:
    classic = parse("wp_classic_div_style.html")
    assert [c.kind for c in classic.comments] == ["comment", "comment", "comment", "pingback"]
    assert [c.status for c in classic.comments] == [None, "pending", None, None]
    assert [c.status for c in parse("wpdiscuz.html").comments] == [None, None, "pending"]
    assert [c.status for c in parse("epoch_rendered.html").comments] == [None, "pending"]


def test_article_fields_of_a_block_theme_page() -> None:
    article = parse("wp_block_theme.html")
    assert article.url == "https://coast.example/harbour-wall/"
    assert article.body == (
        "The harbour wall reopened on Friday after three months of work.\n\n"
        "Fishing boats can moor on the inner side again."
    )
    assert article.warnings == ()


def test_jetpack_iframe_form_is_not_text_and_not_a_warning() -> None:
    article = parse("wp_jetpack.html")
    assert article.body == "The first ferry leaves at 6:40 from Monday."
    assert article.warnings == ()
    assert article.published_at == "2023-05-02T06:00:00+00:00"


def test_relative_canonical_is_no_url() -> None:
    # Drupal 7 writes <link rel="canonical" href="/node/14">: no site in it, so no key.
    article = parse("drupal7.html")
    assert article.url is None
    assert article.body == (
        "More than two hundred people are now waiting for an allotment plot in Greenside."
    )


def test_a_commenters_byline_is_never_the_title() -> None:
    article = parse("byline_not_title.html")
    assert article.title == "Council tax frozen"
    assert [c.author for c in article.comments] == ["Bea Lowe", "Carl"]
    assert [c.posted_at for c in article.comments] == ["2022-04-04", "2022-04-05"]


def test_sidebar_link_lists_are_not_comments() -> None:
    article = parse("structural_letters.html")
    assert all("Bridge" not in (c.author or "") for c in article.comments)
    assert len(article.comments) == 3


# -- warnings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("disqus_embed.html", ["comments are served by Disqus (an embed)"]),
        ("coral_embed.html", ["comments are served by Coral (an embed)"]),
        (
            "epoch_as_served.html",
            [
                "filled by the page's script after loading",
                "the page says it has 7 comments, but none are in its markup",
            ],
        ),
        (
            "count_no_comments.html",
            [
                "filled by the page's script after loading",
                "the page says it has 12 comments, but none are in its markup",
            ],
        ),
        ("structural_letters.html", ["found by their repeated layout"]),
        ("schema_jsonld.html", ["a JSON-LD block that is not valid JSON was skipped"]),
    ],
)
def test_unreadable_comment_sections_are_never_a_silent_zero(
    fixture: str, expected: list[str]
) -> None:
    article = parse(fixture)
    assert len(article.warnings) == len(expected)
    for warning, part in zip(article.warnings, expected, strict=True):
        assert part in warning
        assert "\n" not in warning


def test_a_partial_first_page_of_comments_is_reported() -> None:
    html = (HTML / "wp_jetpack.html").read_text(encoding="utf-8")
    html = html.replace("2 thoughts on", "40 thoughts on")
    [article] = parse_text(html, source="page-1.html")
    assert article.warnings == (
        "the page says it has 40 comments; 2 are in its markup (the rest may be on further "
        "comment pages or loaded by script)",
    )


def test_pages_without_a_comment_section_get_no_warning() -> None:
    [article] = parse_text(
        "<html><head><title>T</title></head><body><h1>T</h1><p>Only text.</p></body></html>",
        source="plain.html",
    )
    assert article.comments == () and article.warnings == () and article.extraction is None
    assert article.body == "Only text."
    # Closed comments are a stated fact, not something the extractor missed.
    assert parse_file(FIXTURES / "wp_page_no_comments.html")[0].warnings == ()


# -- detection, ids, CLI ------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(p.name for p in HTML.glob("*.html")))
def test_every_fixture_is_detected_as_an_article_page(fixture: str) -> None:
    text = (HTML / fixture).read_text(encoding="utf-8")
    assert detect(text, source="saved.txt").name == "WordPress article page (HTML)"


@pytest.mark.parametrize("fixture", [s[0] for s in STRUCTURES])
def test_ids_are_stable_across_reparses_and_new_comments(fixture: str) -> None:
    first, again = parse(fixture), parse(fixture)
    assert first.id == again.id
    assert [c.id for c in first.comments] == [c.id for c in again.comments]


def test_new_comment_keeps_the_other_ids_without_platform_ids() -> None:
    # structural_articles has no ids at all: its comments are keyed by their words.
    html = (HTML / "structural_articles.html").read_text(encoding="utf-8")
    before = parse_text(html, source="a.html")[0]
    extra = (
        '<article><header><h4>Newcomer</h4><time datetime="2023-02-03T08:00:00Z">3 Feb</time>'
        "</header><p>Late to the party.</p></article>\n    <article>"
    )
    after = parse_text(html.replace("<article>", extra, 1), source="a.html")[0]
    assert {c.id for c in before.comments} < {c.id for c in after.comments}


def test_parse_cli_names_the_strategy_and_the_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse", str(HTML / "drupal7.html"), str(HTML / "disqus_embed.html")]) == 0
    out = capsys.readouterr().out
    assert "4 comments, 0 pingbacks, policy clauses: 0, found by drupal" in out
    assert "  warning: comments are served by Disqus (an embed)" in out
    assert main(["parse", "--json", str(HTML / "disqus_embed.html")]) == 0
    [article] = json.loads(capsys.readouterr().out)
    assert article["extraction"] is None
    assert article["warnings"][0].startswith("comments are served by Disqus")


def test_real_page_reports_its_strategy(shared_data: Path) -> None:
    [article] = parse_file(shared_data / "wp_html_nightly_blog_comment_list.html")
    assert article.extraction == "wordpress"
    assert article.warnings == ()
