"""The deep-page tree builder builds the tree libxml2 builds, at any depth, in linear time.

Pages nested deeper than libxml2's tree allows (2,048 levels) are rebuilt from libxml2's own
parse events (``moderation.parsing.html.deep_tree``). On pages libxml2 can build itself, the two
trees must be the same, so a deep page is read by the same rules as every other page.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from moderation.parsing.html.deep_tree import build_deep_tree

from ._helpers import FIXTURES
from ._timing import cpu_seconds

PAGES = sorted(FIXTURES.rglob("*.html"))


def _xml_name(tag: str) -> str:
    try:
        etree.Element(tag)
    except ValueError:
        return "span"
    return tag


def _xml_attribute(name: str) -> bool:
    try:
        etree.Element("x").set(name, "")
    except ValueError:
        return False
    return True


def _shape(root: etree._Element) -> list[tuple[str, list[tuple[str, str]], str, str]]:
    # Comments and processing instructions are left out of the deep tree (no author's text),
    # and so are attribute names XML cannot hold ("xml:lang", "@click", "--"): nothing reads them. A
    # tag name XML cannot hold ("a<", from a stray "<") becomes a <span>.
    return [
        (
            _xml_name(element.tag),
            sorted((k, v) for k, v in element.attrib.items() if _xml_attribute(k)),
            element.text or "",
            element.tail or "",
        )
        for element in root.iter(etree.Element)
    ]


def _libxml2_tree(data: bytes) -> etree._Element:
    parser = etree.HTMLParser(
        encoding="utf-8", huge_tree=True, no_network=True, remove_comments=True, remove_pis=True
    )
    return etree.fromstring(data, parser)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_a_saved_page_builds_the_tree_libxml2_builds(page: object) -> None:
    data = page.read_bytes()  # type: ignore[attr-defined]
    built = build_deep_tree(data)
    assert built is not None
    assert _shape(built) == _shape(_libxml2_tree(data))


_TAGS = st.sampled_from(["div", "p", "li", "ul", "pre", "br", "span", "b", "td", "tr", "table"])
_TEXT = st.sampled_from(["", "a", " a  b ", "\n", "&amp; é", "<", "x<!-- c -->y"])


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        tag = draw(_TAGS)
        inner = draw(_markup(depth + 1)) if depth < 4 else ""
        close = draw(st.booleans())
        parts.append(f"<{tag} class='c'>{draw(_TEXT)}{inner}{f'</{tag}>' if close else ''}")
        parts.append(draw(_TEXT))
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(_markup())
def test_any_markup_builds_the_tree_libxml2_builds(markup: str) -> None:
    data = f"<html><body>{markup}</body></html>".encode()
    built = build_deep_tree(data)
    assert built is not None
    assert _shape(built) == _shape(_libxml2_tree(data))


@pytest.mark.timed
def test_depth_costs_nothing_per_level() -> None:
    # 50,000 nested divs, then 200,000: linear would be 4x; the O(depth) per element of a
    # naive build would be 16x.
    times = []
    for count in (50_000, 200_000):
        data = ("<html><body>" + "<div>" * count + "end").encode()
        built: list[etree._Element | None] = []  # each run's tree, kept: freeing is not timed
        times.append(cpu_seconds(lambda b=built, d=data: b.append(build_deep_tree(d)), repeat=2))
        root = built[-1]
        assert root is not None
        assert root.xpath("count(//div)") == count  # in C: a Python walk would make proxies
    assert times[1] < 6.0 * times[0] + 0.05


@pytest.mark.timed
def test_many_siblings_with_text_between_them_cost_nothing_each() -> None:
    # Past the depth limit, 10,000 then 40,000 siblings with text after each: text goes to the
    # previous sibling's tail without counting the siblings (lxml's len() walks them: 77 s).
    times = []
    for count in (10_000, 40_000):
        data = ("<html><body>" + "<div>" * 3_000 + "<b>x</b>t" * count).encode()
        built: list[etree._Element | None] = []  # each run's tree, kept: freeing is not timed
        times.append(cpu_seconds(lambda b=built, d=data: b.append(build_deep_tree(d)), repeat=2))
        root = built[-1]
        assert root is not None
        assert root.xpath("count(//b)") == count
        assert root.xpath("string(//b[last()]/following-sibling::text()[1])") == "t"
    assert times[1] < 6.0 * times[0] + 0.05
