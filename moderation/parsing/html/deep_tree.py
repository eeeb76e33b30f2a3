"""A tree builder for pages nested deeper than libxml2 allows (2,048 levels).

Only such pages come here: Python's tokenizer is several times slower than libxml2, but it has no
depth limit, and this builder keeps an explicit stack (no recursion) with a count of open tags per
name, so closing tags costs amortised O(1) and the whole build stays linear. Tree construction is
simplified HTML: void elements, ``<p>`` closed by a block, ``<li>``/``<dt>``/``<dd>``/``<option>``
closed by a sibling, unmatched end tags ignored. Good enough to read comments from; the normal
path handles everything else.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from html.parser import HTMLParser

from lxml import etree

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_HEAD_ONLY = frozenset({"title", "meta", "link", "base"})
_CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "li",
    ]
)
# A start tag of the key closes an open element of the value kinds, up to the value's scope.
_SIBLINGS = {
    "li": ({"li"}, {"ul", "ol"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "option": ({"option"}, {"select", "datalist"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot"}),
    "td": ({"td", "th"}, {"tr"}),
    "th": ({"td", "th"}, {"tr"}),
}


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = etree.Element("html")
        self.head = etree.SubElement(self.root, "head")
        self.body = etree.SubElement(self.root, "body")
        self.stack: list[etree._Element] = [self.body]
        self.open: Counter[str] = Counter()
        self.in_body = False

    def _pop(self) -> None:
        element = self.stack.pop()
        self.open[element.tag] -= 1

    def _close_until(self, tag: str) -> None:
        while len(self.stack) > 1:
            element = self.stack[-1]
            self._pop()
            if element.tag == tag:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"html", "head", "body"}:
            target = {"html": self.root, "head": self.head, "body": self.body}[tag]
            for name, value in attrs:
                _set(target, name, value)
            return
        if tag in _HEAD_ONLY and not self.in_body:
            parent = self.head
        else:
            self.in_body = True
            top = self.stack[-1]
            if tag in _CLOSES_P and top.tag == "p":
                self._pop()
            closes = _SIBLINGS.get(tag)
            if closes is not None:
                kinds, scope = closes
                for element in reversed(self.stack):
                    if element.tag in scope or element is self.body:
                        break
                    if element.tag in kinds:
                        self._close_until(element.tag)
                        break
            parent = self.stack[-1]
        element = etree.SubElement(parent, tag)
        for name, value in attrs:
            _set(element, name, value)
        if tag not in _VOID and parent is not self.head:
            self.stack.append(element)
            self.open[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag and len(self.stack) > 1:
            self._pop()

    def handle_endtag(self, tag: str) -> None:
        if self.open[tag] > 0:
            self._close_until(tag)

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def _set(element: etree._Element, name: str, value: str | None) -> None:
    # A name XML cannot hold (e.g. "@click") is not needed to read comments.
    with contextlib.suppress(ValueError):
        element.set(name, value or "")


def build_deep_tree(text: str) -> etree._Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root
