"""HTML fragments (comment bodies, post content) -> the author's plain text.

Markup never reaches the records: tags are dropped, entities decoded, paragraphs become blank
lines and ``<br>`` a line break. Scripts, styles and images carry no text of the author's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString, PageElement

from moderation.parsing.decoding import scrub

# Elements whose content stands apart from what is around it: paragraphs, list items, cells.
BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
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
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
_BREAK = "\x00"  # stands for a paragraph break until the text is joined
_SPACES = re.compile(r"[ \t\f\v\u00a0\u200b]+")
_ALL_WHITESPACE = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def html_to_text(fragment: str, *, newlines_are_breaks: bool = False) -> str:
    """Plain text of ``fragment``.

    ``newlines_are_breaks``: WordPress stores comments and classic posts without ``<p>`` tags and
    turns a blank line into a paragraph and a newline into ``<br>`` only when it displays them
    (wpautop), so for those the newlines in the source are the author's. In rendered HTML they are
    insignificant whitespace.
    """
    if not fragment.strip():
        return ""
    fragment = scrub(fragment)  # bs4 encodes what it unescapes: no lone surrogates
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment if newlines_are_breaks else _ALL_WHITESPACE.sub(" ", fragment))
    soup = BeautifulSoup(fragment, "html.parser")
    return element_text(soup, newlines_are_breaks=newlines_are_breaks)


def element_text(
    element: Tag,
    *,
    newlines_are_breaks: bool = False,
    skip: Callable[[Tag], bool] | None = None,
) -> str:
    """Plain text of a parsed element (see ``html_to_text``); elements for which ``skip`` is
    true are left out with everything inside them (a comment's replies, its reply link)."""
    parts: list[str] = []
    _walk(element, parts, newlines_are_breaks, skip)
    return _tidy("".join(parts))


# Stands for "the block element that opened here ends": pushed on the stack after its children.
_END_BLOCK = object()


def _walk(
    root: PageElement, parts: list[str], keep_newlines: bool, skip: Callable[[Tag], bool] | None
) -> None:
    # An explicit stack, not recursion: a page nested 100,000 elements deep is valid input and
    # must not end in RecursionError. Each node is pushed once, so the walk is linear.
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, in_pre = stack.pop()
        if node is _END_BLOCK:
            parts.append(_BREAK)
            continue
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            text = str(node)
            if in_pre:
                parts.append(text)
            elif keep_newlines:
                parts.append(_SPACES.sub(" ", text))
            else:
                parts.append(_ALL_WHITESPACE.sub(" ", text))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name.lower() if node.name else ""
        if name in _SKIPPED or (skip is not None and node is not root and skip(node)):
            continue
        if name == "br":
            parts.append("\n")
            continue
        if name in BLOCKS:
            parts.append(_BREAK)
            stack.append((_END_BLOCK, in_pre))
        child_in_pre = in_pre or name == "pre"
        stack.extend((child, child_in_pre) for child in reversed(node.contents))


def _tidy(text: str) -> str:
    lines = [line.strip(" ") for line in text.replace(_BREAK, "\n\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
