"""Saved HTML pages -> an lxml element tree, plus the small helpers every strategy shares.

libxml2 (through lxml) parses a 10 MB page in a fraction of a second and builds the tree in C, so
walking it stays linear and never recurses in Python. libxml2 refuses to nest deeper than 2,048
elements in its own tree; a page that does (a pathological reply chain) is rebuilt by ``deep_tree``
from libxml2's parse events instead, so no part of it is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TypeAlias

from lxml import etree

from moderation.errors import ParseError
from moderation.parsing.html.deep_tree import build_deep_tree

# An alias, not a variable: mypy reads annotations with it (lxml ships no stubs here: Any).
Element: TypeAlias = etree._Element

_DEPTH_LIMIT_MESSAGE = "Excessive depth"
_WHITESPACE = re.compile(r"\s+")


def load_document(text: str, *, source: str) -> Element:
    """The page's ``<html>`` element; a page with no markup at all is an error."""
    # Bytes with a declared encoding: a str with an XML encoding declaration is refused by lxml,
    # and lone surrogates cannot reach libxml2 at all.
    data = text.encode("utf-8", errors="replace")
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.ParserError as exc:  # "Document is empty" and friends
        raise ParseError(f"unreadable HTML ({exc})", subject=source) from exc
    if any(_DEPTH_LIMIT_MESSAGE in entry.message for entry in parser.error_log):
        root = build_deep_tree(data)
    if root is None:
        raise ParseError("unreadable HTML (no elements)", subject=source)
    return root


def is_element(node: object) -> bool:
    """True for elements; comments and processing instructions have a function as their tag."""
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


_NO_CLASSES: frozenset[str] = frozenset()
_CLASS_SETS: dict[str, frozenset[str]] = {}


def classes(element: Element) -> frozenset[str]:
    value = element.get("class")
    if not value:
        return _NO_CLASSES
    # Pages repeat a few dozen class strings thousands of times: split each once.
    found = _CLASS_SETS.get(value)
    if found is None:
        found = frozenset(value.lower().split())
        if len(_CLASS_SETS) < 100_000:
            _CLASS_SETS[value] = found
    return found


def elements(root: Element) -> Iterator[Element]:
    """``root`` and its descendant elements in document order (no comments or PIs)."""
    return root.iter(etree.Element)


def collapse(text: str | None) -> str:
    """One line: runs of whitespace become one space."""
    return _WHITESPACE.sub(" ", text or "").strip()


def ancestors(element: Element) -> Iterator[Element]:
    parent = element.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def passes_upward(
    node: Element | None, memo: dict[Element, bool], test: Callable[[Element], bool]
) -> bool:
    """Whether ``node`` or an ancestor passes ``test``. Memoised in ``memo`` for every node
    walked, so the 10,000 comments of a thread (or their nested replies) cost one step each."""
    path = []
    verdict = False
    while node is not None:
        if node in memo:
            verdict = memo[node]
            break
        if test(node):
            verdict = True
            break
        path.append(node)
        node = node.getparent()
    for visited in path:
        memo[visited] = verdict
    return verdict


def document_order(root: Element) -> dict[Element, int]:
    """Each element's position, for sorting elements found by different queries."""
    return {element: i for i, element in enumerate(elements(root))}
