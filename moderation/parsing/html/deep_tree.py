"""A tree builder for pages nested deeper than libxml2's own tree allows (2,048 levels).

Only such pages come here. libxml2 still reads them: its depth limit belongs to its tree builder,
not to its tokenizer, so a parser with a Python *target* receives every start tag, end tag and
piece of text, with libxml2's HTML rules (implied ``<body>``, ``<p>`` closed by a block, end
tags matched) already applied, and this target builds the same tree at any depth. It keeps an
explicit stack (no recursion) and collects text in lists that are joined once per node, so the
build stays linear. Comments and processing instructions carry no text of the author's and are
left out; text after them stays where it was.
"""

from __future__ import annotations

import contextlib

from lxml import etree


class _Target:
    """lxml parser target: start/end/data events -> an element tree."""

    def __init__(self) -> None:
        self.root: etree._Element | None = None
        self.stack: list[etree._Element] = []
        # The last child of each open element so far (None: none yet), kept here because
        # lxml's len() counts an element's children one by one.
        self.last: list[etree._Element | None] = []
        # Text arriving after the last event, and where it goes: the text of the open element
        # (no child yet) or the tail of its last child.
        self.pending: list[str] = []

    def _flush(self) -> None:
        if not self.pending or not self.stack:
            self.pending.clear()
            return
        text = "".join(self.pending)
        self.pending.clear()
        last = self.last[-1]
        if last is not None:
            last.tail = (last.tail or "") + text
        else:
            parent = self.stack[-1]
            parent.text = (parent.text or "") + text

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.pending:
            self._flush()
        stack = self.stack
        if stack:
            element = etree.SubElement(stack[-1], _safe_tag(tag))
            self.last[-1] = element
        elif self.root is None:
            element = self.root = etree.Element(_safe_tag(tag))
        else:  # a second top-level element: libxml2 never sends one, but keep it
            element = etree.SubElement(self.root, _safe_tag(tag))
        if attrib:
            for name, value in attrib.items():
                _set(element, name, value)
        stack.append(element)
        self.last.append(None)

    def end(self, tag: str) -> None:
        if self.pending:
            self._flush()
        if self.stack:
            self.stack.pop()
            self.last.pop()

    def data(self, data: str) -> None:
        self.pending.append(data)

    def close(self) -> etree._Element | None:
        self._flush()
        return self.root


_CHECKED_TAGS: dict[str, str] = {}


def _safe_tag(tag: str) -> str:
    # libxml2's tree takes any HTML tag name; lxml's API refuses names XML cannot hold ("a:b").
    # Pages use a few dozen names: each is checked once.
    checked = _CHECKED_TAGS.get(tag)
    if checked is None:
        try:
            etree.Element(tag)
            checked = tag
        except ValueError:
            checked = "span"
        if len(_CHECKED_TAGS) < 10_000:
            _CHECKED_TAGS[tag] = checked
    return checked


def _set(element: etree._Element, name: str, value: str | None) -> None:
    # A name XML cannot hold (e.g. "@click") is not needed to read comments.
    with contextlib.suppress(ValueError):
        element.set(name, value or "")


def build_deep_tree(data: bytes) -> etree._Element | None:
    """The page's ``<html>`` element, built from libxml2's parse events; ``data`` is UTF-8."""
    target = _Target()
    parser = etree.HTMLParser(target=target, encoding="utf-8", huge_tree=True, no_network=True)
    root: etree._Element | None = etree.fromstring(data, parser)
    return root
