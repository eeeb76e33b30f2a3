"""HTML fragments (comment bodies, post content) -> the author's plain text.

Markup never reaches the records: tags are dropped, entities decoded, paragraphs become blank
lines and ``<br>`` a line break. Scripts, styles and images carry no text of the author's.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import NavigableString, PageElement

_BLOCKS = frozenset(
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
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment if newlines_are_breaks else _ALL_WHITESPACE.sub(" ", fragment))
    soup = BeautifulSoup(fragment, "html.parser")
    return element_text(soup, newlines_are_breaks=newlines_are_breaks)


def element_text(element: Tag, *, newlines_are_breaks: bool = False) -> str:
    """Plain text of a parsed element (see ``html_to_text``)."""
    parts: list[str] = []
    _walk(element, parts, newlines_are_breaks, in_pre=False)
    return _tidy("".join(parts))


def _walk(node: PageElement, parts: list[str], keep_newlines: bool, in_pre: bool) -> None:
    if isinstance(node, Comment):
        return
    if isinstance(node, NavigableString):
        text = str(node)
        if in_pre:
            parts.append(text)
        elif keep_newlines:
            parts.append(_SPACES.sub(" ", text))
        else:
            parts.append(_ALL_WHITESPACE.sub(" ", text))
        return
    if not isinstance(node, Tag):
        return
    name = node.name.lower() if node.name else ""
    if name in _SKIPPED:
        return
    if name == "br":
        parts.append("\n")
        return
    block = name in _BLOCKS
    if block:
        parts.append(_BREAK)
    for child in node.children:
        _walk(child, parts, keep_newlines, in_pre or name == "pre")
    if block:
        parts.append(_BREAK)


def _tidy(text: str) -> str:
    lines = [line.strip(" ") for line in text.replace(_BREAK, "\n\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
