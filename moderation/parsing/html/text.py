"""Elements -> the author's plain text, walked with an explicit stack (no recursion).

The same rules as ``moderation.parsing.html_text`` (which works on BeautifulSoup trees): markup
never reaches the records, paragraphs and other blocks become blank lines, ``<br>`` a line break,
scripts, styles, frames, forms and images carry no text of the author's. ``skip`` drops further
elements (a comment's replies, its byline, its reply button) while keeping the text after them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from moderation.parsing.html.dom import Element
from moderation.parsing.html_text import BLOCKS as FRAGMENT_BLOCKS

# The blocks of exported comment HTML, and the disclosure widgets saved pages also carry.
BLOCKS = FRAGMENT_BLOCKS | {"details", "summary"}
# Never text of the author's: code, frames, embedded objects, form controls, vector art.
HIDDEN = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "video",
        "audio",
        "map",
        "select",
        "textarea",
        "input",
        "button",
        "head",
        "title",
        "meta",
        "link",
    ]
)
_BREAK = "\x00"  # stands for a paragraph break until the text is joined
_SPACES = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")

Skip = Callable[[Element], bool]


def block_text(root: Element, skip: Skip | None = None) -> str:
    """Text of ``root`` with paragraph structure."""
    parts: list[str] = []
    # (node, closing, inside <pre>)
    stack: list[tuple[Element, bool, bool]] = [(root, False, False)]
    while stack:
        node, closing, in_pre = stack.pop()
        if closing:
            if node.tag in BLOCKS:
                parts.append(_BREAK)
            if node is not root and node.tail:
                parts.append(_flat(node.tail, in_pre))
            continue
        tag = node.tag
        hidden = not isinstance(tag, str) or (node is not root and tag in HIDDEN)
        if node is not root and (hidden or (skip is not None and skip(node))):
            if node.tail:
                parts.append(_flat(node.tail, in_pre))
            continue
        if tag == "br":
            parts.append("\n")
            if node.tail:
                parts.append(_flat(node.tail, in_pre))
            continue
        if tag in BLOCKS:
            parts.append(_BREAK)
        child_pre = in_pre or tag == "pre"
        if node.text and not hidden:
            parts.append(_flat(node.text, child_pre))
        stack.append((node, True, in_pre))
        stack.extend((child, False, child_pre) for child in reversed(node))
    return tidy("".join(parts))


def line_text(root: Element, skip: Skip | None = None) -> str:
    """Text of ``root`` on one line (names, dates, headings)."""
    parts: list[str] = []
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node is not root and node.tail:
                parts.append(node.tail)
            continue
        tag = node.tag
        hidden = not isinstance(tag, str) or (node is not root and tag in HIDDEN)
        if node is not root and (hidden or (skip is not None and skip(node))):
            if node.tail:
                parts.append(node.tail)
            continue
        if tag in BLOCKS or tag == "br":
            parts.append(" ")
        if node.text and not hidden:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _SPACES.sub(" ", "".join(parts)).strip()


def _flat(text: str, in_pre: bool) -> str:
    return text if in_pre else _SPACES.sub(" ", text)


def tidy(text: str) -> str:
    lines = [line.strip(" ") for line in text.replace(_BREAK, "\n\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
