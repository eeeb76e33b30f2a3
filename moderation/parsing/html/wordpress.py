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
from collections.abc import Callable

from moderation.parsing.html.blocks import read_blocks
from moderation.parsing.html.dom import Element, classes, passes_upward
from moderation.parsing.html.page import Found, Page, any_class, has_class
from moderation.parsing.html.selectors import Profile, rules

# libxml2 merges the results of "//A//B" per A with a duplicate check, which is quadratic when A
# matches thousands of nested elements: every query here is "//B[ancestor::A]" instead.
_CONTAINER = (
    "@id='comments' or @id='comment-list' or @id='commentlist' or "
    + any_class(
        "comment-list",
        "commentlist",
        "wp-block-comment-template",
        "wp-block-comments",
        "comments-area",
    )
    + " or ((self::ol or self::ul) and "
    + has_class("comments")
    + ")"
)
_CONTAINERS = f"//*[{_CONTAINER}]"
_ITEM = "(self::li or self::div or self::article) and " + any_class(
    "comment", "pingback", "trackback"
)
_ITEMS = f"//*[{_ITEM}][ancestor::*[{_CONTAINER}]]"
_ITEM_CLASSES = frozenset({"comment", "pingback", "trackback"})
_CONTAINER_CLASSES = frozenset(
    {
        "comment-list",
        "commentlist",
        "wp-block-comment-template",
        "wp-block-comments",
        "comments-area",
    }
)
_LISTS = frozenset({"comment-list", "commentlist", "wp-block-comment-template"})
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
    if not page.mentions("class", "comment", "pingback", "trackback"):
        return None
    # A Python pass over li/div/article beats the equivalent XPath by a factor of five.
    candidates = _candidates(page)
    listed = _listed(candidates)
    items = [e for e in candidates if _is_wordpress_item(e, listed)]
    items = drop_wrappers(items)
    if not items:
        return None
    raws = read_blocks(items, PROFILE, page_url=page.url)
    chosen = set(items)
    # The lists the top-level comments sit in (their wrappers are the page's comment areas).
    containers = {e.getparent() for e in items if e.getparent() is not None}
    containers = {c for c in containers if c not in chosen}
    return Found("wordpress", raws, tuple(items), tuple(containers))


def _candidates(page: Page) -> list[Element]:
    memo: dict[Element, bool] = {}
    found = []
    for element in page.root.iter("li", "div", "article"):
        value = element.get("class") or ""
        if (
            ("comment" in value or "back" in value)
            and classes(element) & _ITEM_CLASSES
            and _inside(element, memo, _is_container)
        ):
            found.append(element)
    return found


def _is_container(element: Element) -> bool:
    if element.get("id") in {"comments", "comment-list", "commentlist"}:
        return True
    names = classes(element)
    if names & _CONTAINER_CLASSES:
        return True
    return element.tag in {"ol", "ul"} and "comments" in names


def _inside(element: Element, memo: dict[Element, bool], test: Callable[[Element], bool]) -> bool:
    """Whether an ancestor passes ``test``; memoised, so nested replies cost one step each."""
    return passes_upward(element.getparent(), memo, test)


def _listed(candidates: list[Element]) -> set[Element]:
    """Candidates inside a WordPress comment list, found by walking up only until a list or a
    candidate already decided (so a deep reply chain costs one step per level, not per pair)."""
    decided: dict[Element, bool] = {}
    listed = set()
    for element in candidates:
        verdict = _inside(element, decided, _is_list)
        decided[element] = verdict
        if verdict:
            listed.add(element)
    return listed


def _is_list(element: Element) -> bool:
    # Pre-2.7 themes (their own loop, no walker, so no depth-N classes) list comments in
    # Kubrick's ol.commentlist or in a ul.comments / ol.comments of their own.
    names = classes(element)
    return bool(names & _LISTS) or (element.tag in {"ol", "ul"} and "comments" in names)


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
