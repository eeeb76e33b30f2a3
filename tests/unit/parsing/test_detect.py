"""Format detection by content, malicious XML, the shared helpers, and `parse --json` per format."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from moderation.cli import main
from moderation.errors import ParseError
from moderation.parsing import FORMATS, detect, parse_file, parse_text
from moderation.parsing.dates import to_utc_iso
from moderation.parsing.html_text import html_to_text
from moderation.parsing.threads import RawComment, build_thread

from ._helpers import FIXTURES

WXR_HEAD = (
    '<?xml version="1.0"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
    "<channel></channel></rss>"
)


@pytest.mark.parametrize(
    ("fixture", "saved_as", "expected"),
    [
        ("wxr_1_2_https.xml", "export.txt", "WordPress WXR export"),
        ("wxr_1_0_http.xml", "export", "WordPress WXR export"),
        ("disqus_small.xml", "disqus.dat", "Disqus XML export"),
        ("wp_page_comments.html", "saved.txt", "WordPress article page (HTML)"),
        ("wp_page_no_comments.html", "page", "WordPress article page (HTML)"),
        ("comments.jsonl", "rows.txt", "JSON lines / JSON array of comments"),
        ("comments.csv", "rows.csv", "CSV / TSV of comments"),
    ],
)
def test_formats_are_recognised_by_content_not_name(
    fixture: str, saved_as: str, expected: str
) -> None:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    assert detect(text, source=f"/tmp/{saved_as}").name == expected


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        ("id,text,author\n1,hello,ann\n", "noext", "CSV / TSV of comments"),
        ("Comment, analysis and news\n\nBody text.\n", "a.txt", "scraped-text article"),
        ("Headline\n\nBody.\n", "a.html", "scraped-text article"),
        ("<p>fragment</p>", "a.htm", "WordPress article page (HTML)"),
        ("<!-- saved from url=(0014)about:internet -->\n<html><body>x", "a", "WordPress"),
        ('[{"text": "a"}]', "dump", "JSON lines"),
    ],
)
def test_edge_cases_of_sniffing(text: str, source: str, expected: str) -> None:
    assert detect(text, source=source).name.startswith(expected)


def test_scraped_text_stays_last_and_the_catch_all() -> None:
    assert FORMATS[-1].name == "scraped-text article"
    assert len(FORMATS) == 6


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
        '{"not": "rows"',
        "<svg></svg>",
    ],
)
def test_unknown_format_names_every_supported_format(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_text(text, source="mystery.xml")
    message = str(info.value)
    assert message.startswith("mystery.xml: unrecognised format; supported: ")
    for fmt in FORMATS:
        assert fmt.name in message


# -- malicious XML ----------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
{root}"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
{root}"""
WXR_ROOT = (
    '<rss xmlns:wp="https://wordpress.org/export/1.2/"><channel><item><title>&{entity};</title>'
    "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>&{entity};"
    "</wp:comment_content></wp:comment></item></channel></rss>"
)
DISQUS_ROOT = (
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
    '<thread dsq:id="1"><title>&{entity};</title></thread>'
    '<post dsq:id="2"><message>&{entity};</message><thread dsq:id="1"/></post></disqus>'
)


@pytest.mark.parametrize("root", [WXR_ROOT, DISQUS_ROOT], ids=["wxr", "disqus"])
@pytest.mark.parametrize(
    ("attack", "entity"), [(BILLION_LAUGHS, "lol9"), (EXTERNAL_ENTITY, "xxe")], ids=["bomb", "xxe"]
)
def test_malicious_xml_is_refused_quickly(
    tmp_path: Path, root: str, attack: str, entity: str
) -> None:
    path = tmp_path / "evil.xml"
    path.write_text(attack.replace("{root}", root.format(entity=entity)), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert message.startswith(f"{path}: unsafe XML refused")
    assert "\n" not in message


# -- shared helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013-01-05 12:34:56", "2013-01-05T12:34:56+00:00"),
        ("2013-01-05T12:34:56Z", "2013-01-05T12:34:56+00:00"),
        ("2013-01-05T14:34:56+02:00", "2013-01-05T12:34:56+00:00"),
        ("Sat, 05 Jan 2013 12:34:56 +0000", "2013-01-05T12:34:56+00:00"),
        ("1357389296", "2013-01-05T12:34:56+00:00"),
        ("1357389296000", "2013-01-05T12:34:56+00:00"),
        ("2020-12-24", "2020-12-24"),
        ("0000-00-00 00:00:00", None),
        ("", None),
        (None, None),
        ("yesterday", None),
        ("2013-02-30", None),
    ],
)
def test_dates_normalise_to_utc_iso(value: str | None, expected: str | None) -> None:
    assert to_utc_iso(value) == expected


@pytest.mark.parametrize(
    ("html", "breaks", "expected"),
    [
        ("<p>One</p><p>Two<br>three</p>", False, "One\n\nTwo\nthree"),
        ("a\nb\n\nc", True, "a\nb\n\nc"),
        ("a\nb", False, "a b"),
        ("<script>x()</script><style>p{}</style>ok <!-- hidden -->", False, "ok"),
        ("&lt;b&gt; &amp; <b>bold</b>", False, "<b> & bold"),
        ("<blockquote>quoted</blockquote>reply", True, "quoted\n\nreply"),
    ],
)
def test_html_to_text(html: str, breaks: bool, expected: str) -> None:
    assert html_to_text(html, newlines_are_breaks=breaks) == expected


def test_thread_builder_breaks_cycles_and_keeps_duplicates_apart() -> None:
    raws = [
        RawComment("a", "b", "A", "x"),
        RawComment("b", "a", "B", "y"),
        RawComment("c", None, "C", "z"),
        RawComment("c", None, "C2", "dup"),
        RawComment("d", "d", "D", "self"),
    ]
    comments = build_thread(raws, article_id="art", subject="t")
    assert [(c.author, c.depth) for c in comments] == [
        ("C", 0),
        ("C2", 0),
        ("D", 0),
        ("A", 0),
        ("B", 1),
    ]
    assert len({c.id for c in comments}) == 5


# -- `moderation parse --json` ----------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture",
    [
        "wxr_1_2_https.xml",
        "wxr_1_0_http.xml",
        "disqus_small.xml",
        "wp_page_comments.html",
        "wp_page_no_comments.html",
        "comments.csv",
        "comments.jsonl",
    ],
)
def test_parse_json_has_the_seed_shape_for_every_format(
    fixture: str, seed_000: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", "--json", str(seed_000)]) == 0
    [seed] = json.loads(capsys.readouterr().out)
    assert main(["parse", "--json", str(FIXTURES / fixture)]) == 0
    parsed = json.loads(capsys.readouterr().out)
    assert parsed
    for article in parsed:
        assert article.keys() == seed.keys()
        for comment in article["comments"]:
            assert comment.keys() == seed["comments"][0].keys()
            assert "<p>" not in comment["text"]
