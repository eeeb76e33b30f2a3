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
_BREAK_RUNS = re.compile(r"\x00(?: *\x00)*")

Skip = Callable[[Element], bool]


def block_text(root: Element, skip: Skip | None = None) -> str:
    """Text of ``root`` with paragraph structure."""
    parts: list[str] = []
    pre = 0  # <pre> elements open around the current node
    # Depth first with an explicit stack: elements still to open, and (element, tag) pairs to
    # close. Children go on as one slice (from C); a tag is read once (lxml makes a new string on
    # every read). lxml's iterwalk would be faster on shallow pages but costs O(depth) per step.
    stack: list[Element | tuple[Element, str]] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            node, tag = item
            if tag in BLOCKS:
                parts.append(_BREAK)
            if tag == "pre":
                pre -= 1
            if node is not root and node.tail:
                parts.append(_flat(node.tail, pre))
            continue
        node = item
        tag = node.tag
        if node is not root and (
            not isinstance(tag, str) or tag in HIDDEN or (skip is not None and skip(node))
        ):
            if node.tail:
                parts.append(_flat(node.tail, pre))
            continue
        if tag == "br":
            parts.append("\n")
            if node is not root and node.tail:
                parts.append(_flat(node.tail, pre))
            continue
        if tag in BLOCKS:
            parts.append(_BREAK)
        if tag == "pre":
            pre += 1
        if node.text:
            parts.append(_flat(node.text, pre))
        stack.append((node, tag))
        if len(node):
            stack.extend(node[::-1])
    return tidy("".join(parts))


def line_text(root: Element, skip: Skip | None = None) -> str:
    """Text of ``root`` on one line (names, dates, headings)."""
    parts: list[str] = []
    stack: list[Element | tuple[Element]] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            node = item[0]
            if node is not root and node.tail:
                parts.append(node.tail)
            continue
        node = item
        tag = node.tag
        if node is not root and (
            not isinstance(tag, str) or tag in HIDDEN or (skip is not None and skip(node))
        ):
            if node.tail:
                parts.append(node.tail)
            continue
        if tag in BLOCKS or tag == "br":
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        stack.append((node,))
        if len(node):
            stack.extend(node[::-1])
    return _SPACES.sub(" ", "".join(parts)).strip()


def _flat(text: str, pre: int) -> str:
    """Reader text as it reads: inside ``<pre>`` as written, elsewhere with runs of white space
    as one space."""
    return text if pre else _SPACES.sub(" ", text)


def tidy(text: str) -> str:
    # A run of breaks is one blank line: joined first, so a page of empty blocks is not split
    # into a line per block.
    lines = [line.strip(" ") for line in _BREAK_RUNS.sub("\n\n", text).split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
