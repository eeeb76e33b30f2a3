"""Other CMSs with semantic comment markup (Blogger, Movable Type, Typepad, Joomla, Ghost themes…).

No per-site code: a comment is an element whose class is ``comment`` (or ``comment-item``,
``comment-entry``, …) or whose id is a comment id (``comment-12``, Blogger's ``c1234``), inside a
container named for comments; its parts are found by what their classes contain (``*author*``,
``*date*``, ``*content*``), the way those systems name them.
"""

from __future__ import annotations

import re

from moderation.parsing.html.blocks import COMMENT_ID, read_blocks
from moderation.parsing.html.dom import Element
from moderation.parsing.html.page import Found, Page, any_class
from moderation.parsing.html.selectors import Profile, rules
from moderation.parsing.html.wordpress import drop_wrappers

_ITEM_CLASSES = any_class(
    "comment", "comment-item", "comment-entry", "comment-box", "commentlist-item", "c-comment"
)
# "//B[ancestor::A]", not "//A//B": libxml2's merge of per-A results is quadratic.
_ITEMS = (
    f"//*[{_ITEM_CLASSES} or @data-comment-id or starts-with(@id, 'comment-')"
    " or starts-with(@id, 'comment_') or (starts-with(@id, 'c') and contains(@class, 'omment'))]"
    "[ancestor::*[contains(@id, 'omment') or contains(@class, 'omment')"
    " or contains(@id, 'iscussion') or contains(@class, 'iscussion')]]"
)

# The last resort for an author or a date: a heading, the comment-sized ones first.
_HEADINGS = ("h4", "h3", "h5", "h6", "h2", "h1")
PROFILE = Profile(
    author=rules(
        "[itemprop~=author]",
        ".fn",
        "cite",
        "*author*",
        "*user*",
        "*name*",
        "*byline*",
        *_HEADINGS,
    ),
    date=rules(
        "time[datetime]",
        "abbr.published",
        "[itemprop~=datecreated]",
        "[itemprop~=datepublished]",
        "*date*",
        "*time*",
        "*posted*",
        *_HEADINGS,
    ),
    body=rules(
        "[itemprop~=text]",
        "*content*",
        "*body*",
        "*text*",
        "*message*",
    ),
    chrome=rules(
        "*meta*",
        "*header*",
        "*footer*",
        "*actions*",
        "*avatar*",
        "*reply*",
        "*vote*",
        "*toolbar*",
        "*author*",
        "*byline*",
    ),
    pending=rules("*awaiting*", "*moderation*", "*pending*", "*unapproved*"),
)


def find(page: Page) -> Found | None:
    if not page.mentions("class", "omment", "iscussion") and not page.mentions("id", "omment"):
        return None
    items = [e for e in page.xpath(_ITEMS) if _looks_like_item(e)]
    items = drop_wrappers(items)
    if not items:
        return None
    raws = read_blocks(items, PROFILE, page_url=page.url)
    if not any(r.text for r in raws):
        return None
    return Found("semantic markup", raws, tuple(items), ())


def _looks_like_item(element: Element) -> bool:
    if element.tag not in _ITEM_TAGS:
        return False  # a reply link carrying data-comment-id is not the comment
    own_id = element.get("id") or ""
    if COMMENT_ID.match(own_id):
        return True
    if own_id and _NOT_ITEM_ID.search(own_id):
        return False  # comment-form, comments-title, comment-count…: the section, not an item
    item_classes = set((element.get("class") or "").lower().split()) & _ITEM_CLASS_SET
    return bool(item_classes) or element.get("data-comment-id") is not None


_ITEM_TAGS = frozenset({"li", "div", "article", "section", "dd", "blockquote", "tr"})
_NOT_ITEM_ID = re.compile(r"form|respond|title|count|list|area|section|wrap|reply", re.IGNORECASE)
_ITEM_CLASS_SET = {
    "comment",
    "comment-item",
    "comment-entry",
    "comment-box",
    "commentlist-item",
    "c-comment",
}
