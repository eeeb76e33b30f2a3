"""Property tests of the HTML extractor: any nesting, missing parts, hostile markup, big pages.

Pages are generated in two real markups (WordPress's html5 walker, Drupal 8+ with replies in
``div.indented``), so the properties hold for containment and for sibling reply containers.
Timings use this process's CPU time, which other processes on the machine do not inflate.
"""

from __future__ import annotations

import html
import itertools
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.parsing import parse_file, parse_text

from ._helpers import assert_well_formed, tree


@dataclass
class Node:
    author: str | None
    date: str | None
    text: str
    replies: list[Node]


_WORDS = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F),
    min_size=1,
    max_size=8,
)
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)
_DATES = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)).map(
        lambda d: d.replace(microsecond=0).isoformat() + "+00:00"
    ),
)
_HOSTILE = st.sampled_from(
    [
        "<script>alert('x1')</script>",
        '<iframe src="https://evil.example/x2"></iframe>',
        "<img src=x onerror=\"alert('x3')\">",
        "<a href=\"javascript:alert('x4')\" onclick=\"alert('x5')\">link</a>",
        "<style>body{background:url('x6')}</style>",
        "<svg onload=\"alert('x7')\"><text>x8</text></svg>",
        '<object data="x9.swf"></object>',
        "<noscript>x10</noscript>",
        "<div onmouseover=\"alert('x11')\">hover</div>",
    ]
)
_MARKERS = (
    "alert",
    "x1",
    "x2",
    "x3",
    "x4",
    "x5",
    "x6",
    "x7",
    "x8",
    "x9",
    "x10",
    "x11",
    "javascript",
)


def _nodes(depth: int) -> st.SearchStrategy[list[Node]]:
    leaf = st.builds(
        Node,
        st.one_of(st.none(), _SENTENCE),
        _DATES,
        _SENTENCE,
        st.just([]),
    )
    if depth == 0:
        return st.lists(leaf, min_size=1, max_size=3)
    node = st.builds(Node, st.one_of(st.none(), _SENTENCE), _DATES, _SENTENCE, _nodes(depth - 1))
    return st.lists(st.one_of(leaf, node), min_size=1, max_size=3)


def _flat(nodes: list[Node], parent: Node | None = None, depth: int = 0) -> list[tuple]:
    out: list[tuple] = []
    for node in nodes:
        out.append((node, parent, depth))
        out.extend(_flat(node.replies, node, depth + 1))
    return out


def _wordpress(nodes: list[Node], hostile: str = "") -> str:
    counter = itertools.count(1)

    def items(level: list[Node]) -> str:
        parts = []
        for node in level:
            n = next(counter)
            author = (
                f'<div class="comment-author vcard"><img alt="avatar {n}" src="a.png" '
                f'class="avatar"><b class="fn">{html.escape(node.author)}</b> '
                '<span class="says">says:</span></div>'
                if node.author is not None
                else ""
            )
            date = (
                f'<div class="comment-metadata"><a href="#comment-{n}"><time datetime="'
                f'{node.date}">then</time></a></div>'
                if node.date is not None
                else ""
            )
            replies = f'<ol class="children">{items(node.replies)}</ol>' if node.replies else ""
            parts.append(
                f'<li id="comment-{n}" class="comment depth-1"><article id="div-comment-{n}" '
                f'class="comment-body"><footer class="comment-meta">{author}{date}</footer>'
                f'<div class="comment-content"><p>{html.escape(node.text)}</p>{hostile}</div>'
                '<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>'
                f"</article>{replies}</li>"
            )
        return "".join(parts)

    return (
        "<!DOCTYPE html><html><head><title>Post</title></head><body><article><h1>Post</h1>"
        '<div class="entry-content"><p>Body.</p></div></article><div id="comments">'
        f'<ol class="comment-list">{items(nodes)}</ol></div></body></html>'
    )


def _drupal(nodes: list[Node], hostile: str = "") -> str:
    counter = itertools.count(1)

    def items(level: list[Node]) -> str:
        parts = []
        for node in level:
            n = next(counter)
            author = (
                f'<p class="comment__author"><span property="schema:name">'
                f"{html.escape(node.author)}</span></p>"
                if node.author is not None
                else ""
            )
            date = (
                f'<p class="comment__time"><time datetime="{node.date}">then</time></p>'
                if node.date is not None
                else ""
            )
            parts.append(
                f'<article id="comment-{n}" class="comment js-comment">'
                f'<footer class="comment__meta">{author}{date}</footer>'
                '<div class="comment__content"><div class="field field--name-comment-body">'
                f"<p>{html.escape(node.text)}</p>{hostile}</div>"
                '<ul class="links inline"><li><a href="#">Reply</a></li></ul></div></article>'
            )
            if node.replies:
                parts.append(f'<div class="indented">{items(node.replies)}</div>')
        return "".join(parts)

    return (
        "<!DOCTYPE html><html><head><title>Node</title></head><body><h1>Node</h1>"
        '<div class="field--name-body"><p>Body.</p></div><section class="comments">'
        f"{items(nodes)}</section></body></html>"
    )


def _expected(nodes: list[Node]) -> list[tuple[str | None, str | None, int]]:
    return [
        (node.author, parent.author if parent else None, depth)
        for node, parent, depth in _flat(nodes)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=_nodes(4), markup=st.sampled_from([_wordpress, _drupal]), hostile=_HOSTILE)
def test_any_thread_shape_parses_back_with_nothing_hostile_in_the_text(
    nodes: list[Node], markup, hostile: str
) -> None:
    page = markup(nodes, hostile)
    [article] = parse_text(page, source="generated.html")
    assert_well_formed([article])
    flat = _flat(nodes)
    assert len(article.comments) == len(flat)
    assert tree(article) == _expected(nodes)
    assert [c.posted_at for c in article.comments] == [n.date for n, _p, _d in flat]
    for comment, (node, _parent, _depth) in zip(article.comments, flat, strict=True):
        assert comment.text.startswith(" ".join(node.text.split()))
        for marker in _MARKERS:
            assert marker not in comment.text.replace(node.text, "")
        assert "Reply" not in comment.text.replace(node.text, "")
        # The generated text may itself contain these words: only what the markup added counts.
        added = comment.text.replace(node.text, "")
        assert "avatar" not in added and "says:" not in added
    assert article.title in {"Post", "Node"}


@settings(max_examples=40, deadline=None)
@given(junk=st.text(max_size=300))
def test_arbitrary_markup_never_raises(junk: str) -> None:
    page = f"<html><body><div id='comments'><ol class='comment-list'>{junk}</ol></div></body>"
    [article] = parse_text(page, source="junk.html")
    assert_well_formed([article])


def _chain(depth: int) -> str:
    """A WordPress page whose comments each reply to the one before, ``depth`` deep."""
    opening = "".join(
        f'<li id="comment-{i + 1}" class="comment depth-{i + 1}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">a{i}</b></footer>'
        f'<div class="comment-content"><p>t{i}</p></div></article><ol class="children">'
        for i in range(depth)
    )
    return (
        "<html><head><title>Deep</title></head><body><h1>Deep</h1><div id='comments'>"
        f"<ol class='comment-list'>{opening}{'</ol></li>' * depth}</ol></div></body></html>"
    )


def _cpu_seconds(path: Path, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        parse_file(path)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.timed
def test_deep_reply_chains_parse_in_linear_time(tmp_path: Path) -> None:
    # 250 -> 500 -> 1000 deep through the parse_file entry point: each doubling may at most
    # roughly double the time (quadratic would quadruple it).
    times = []
    for depth in (250, 500, 1000):
        path = tmp_path / f"deep{depth}.html"
        path.write_text(_chain(depth), encoding="utf-8")
        times.append(_cpu_seconds(path))
        [article] = parse_file(path)
        assert [c.depth for c in article.comments] == list(range(depth))
    assert times[2] < 3.0 * times[1] + 0.05
    assert times[1] < 3.0 * times[0] + 0.05


def test_nesting_deeper_than_libxml2_allows_is_read_whole(tmp_path: Path) -> None:
    # 1,500 replies deep is 3,000+ elements: past libxml2's 2,048 limit, so the deep builder
    # reads it (no RecursionError, no silently truncated thread).
    path = tmp_path / "deeper.html"
    path.write_text(_chain(1500), encoding="utf-8")
    [article] = parse_file(path)
    assert len(article.comments) == 1500
    assert article.comments[-1].depth == 1499
    assert article.comments[-1].text == "t1499"


# The extractor's CPU time as a multiple of libxml2's own parse of the same page, measured in
# interleaved pairs so that contention (other test workers on the same cores) hits both alike.
# Where the 2 s budget was set libxml2 took 0.15 s and the extractor about 1.3 s (ratio ~9); the
# ratio depends on the CPU (13-14 on this workplace's AMD EPYC, 14.4 on a CI run), so the bound
# is 20: it still catches a quadratic step or a doubling, not a different processor.
_MAX_RATIO_TO_LIBXML2 = 20.0


@pytest.mark.timed
def test_ten_thousand_comments_parse_in_under_two_seconds(tmp_path: Path) -> None:
    from lxml import etree

    nodes = [
        Node(f"Reader {i}", "2024-02-10T10:00:00+00:00", f"Comment number {i} has words.", [])
        for i in range(10_000)
    ]
    path = tmp_path / "big.html"
    page = _wordpress(nodes)
    path.write_text(page, encoding="utf-8")
    data = page.encode()
    ratios = []
    for _ in range(3):
        started = time.process_time()
        etree.fromstring(data, etree.HTMLParser(huge_tree=True))
        reference = time.process_time() - started
        ratios.append(_cpu_seconds(path, runs=1) / reference)
    [article] = parse_file(path)
    assert len(article.comments) == 10_000
    assert article.comments[-1].author == "Reader 9999"
    best = min(ratios)
    assert best < _MAX_RATIO_TO_LIBXML2, (
        f"parsing 10,000 comments took {best:.1f}x libxml2's own parse (at most "
        f"{_MAX_RATIO_TO_LIBXML2:.0f}x)"
    )
