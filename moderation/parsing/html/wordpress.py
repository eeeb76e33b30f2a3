"""WordPress comment lists: ``wp_list_comments`` (core ``Walker_Comment``), classic, block themes.

Core's walker writes ``<li id="comment-N" class="comment …">`` (``html5_comment``: an
``article.comment-body`` with ``footer.comment-meta``, ``.comment-author .fn``, ``time``,
``.comment-content``, ``.reply``; the older ``comment`` method: ``div#div-comment-N``,
``cite.fn``, ``.comment-meta a`` with the date in words) inside ``ol.comment-list`` (older themes:
``ol.commentlist``), replies in ``ol.children`` / ``ul.children``, and with ``style => 'div'``
``div.comment`` items nested in ``div#comments``. Block themes (Twenty Twenty-Two on) render the
``core/comment-template`` block: ``ol.wp-block-comment-template`` of ``li#comment-N.comment`` with
``.wp-block-comment-author-name`` / ``-date`` / ``-content`` and replies in a bare ``<ol>``.
Pingbacks and trackbacks are ``li.pingback`` / ``li.trackback``. Jetpack Comments keeps this list
and only replaces the form with an iframe.
"""

from __future__ import annotations

import re

from moderation.parsing.html.blocks import Profile, read_blocks, rules
from moderation.parsing.html.dom import Element, classes
from moderation.parsing.html.page import Found, Page, any_class, has_class

_CONTAINERS = (
    "//*[@id='comments' or @id='comment-list' or @id='commentlist' or "
    + any_class(
        "comment-list",
        "commentlist",
        "wp-block-comment-template",
        "wp-block-comments",
        "comments-area",
    )
    + " or ((self::ol or self::ul) and "
    + has_class("comments")
    + ")]"
)
_ITEMS = (
    _CONTAINERS
    + "//*[(self::li or self::div or self::article) and "
    + any_class("comment", "pingback", "trackback")
    + "]"
)

_LISTED = (
    "//*["
    + any_class("comment-list", "commentlist", "wp-block-comment-template")
    + "]//*["
    + any_class("comment", "pingback", "trackback")
    + "]"
)
_WP_ID = re.compile(r"^(?:li-|div-)?comment-\d+$")
_DEPTH = re.compile(r"^depth-\d+$")

PROFILE = Profile(
    author=rules(
        "b.fn",
        "cite.fn",
        ".fn",
        ".wp-block-comment-author-name",
        ".comment-author-name",
        ".comment-author",
        ".comment-author-link",
        "cite",
        ".author",
    ),
    date=rules(
        "time[datetime]",
        ".wp-block-comment-date",
        ".comment-date",
        ".comment-time",
        ".comment-metadata",
        ".commentmetadata",
        ".comment-meta",
    ),
    body=rules(
        ".comment-content",
        ".wp-block-comment-content",
        ".comment-text",
        ".entry-content",
        ".comment-entry",
        ".comment-body",
    ),
    chrome=rules(
        ".comment-meta",
        ".comment-metadata",
        ".commentmetadata",
        ".comment-author",
        ".vcard",
        ".comment-util",
        ".comment-awaiting-moderation",
        "footer",
        "h4.entry-title",
        ".wp-block-comment-author-name",
        ".wp-block-comment-date",
        ".wp-block-comment-reply-link",
        ".wp-block-comment-edit-link",
        ".wp-block-avatar",
        ".comment-like-feedback",
    ),
    pending=rules(".comment-awaiting-moderation"),
)


def find(page: Page) -> Found | None:
    listed = set(page.xpath(_LISTED))
    items = [e for e in page.xpath(_ITEMS) if _is_wordpress_item(e, listed)]
    items = drop_wrappers(items)
    if not items:
        return None
    raws = read_blocks(items, PROFILE, page_url=page.url)
    containers = page.xpath(_CONTAINERS)
    return Found("wordpress", raws, tuple(items), tuple(containers))


def _is_wordpress_item(element: Element, listed: set[Element]) -> bool:
    """A comment item carries its comment-N id itself or on its first inner element, and either
    sits in a WordPress list or has the ``depth-N`` class ``comment_class()`` always writes."""
    if element not in listed and not any(_DEPTH.match(c) for c in classes(element)):
        return False
    if _WP_ID.match(element.get("id") or ""):
        return True
    for inner in element.iterchildren("*"):
        return bool(_WP_ID.match(inner.get("id") or ""))
    return False


def drop_wrappers(items: list[Element]) -> list[Element]:
    """``<li class="comment"><article class="comment">`` is one comment: keep the outer element."""
    chosen = set(items)
    kept = []
    for item in items:
        parent = item.getparent()
        if parent is not None and parent in chosen and _first_child(parent) is item:
            continue
        kept.append(item)
    return kept


def _first_child(element: Element) -> Element | None:
    return next(element.iterchildren("*"), None)
