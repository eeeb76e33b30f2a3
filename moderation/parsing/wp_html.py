"""Saved WordPress article pages (HTML): title, text, discussion policy and the comment list.

WordPress themes share the comment markup of ``wp_list_comments``: ``ol.comment-list`` (older
themes: ``ol.commentlist``) of ``li.comment`` items with ``id="comment-N"``, replies in a nested
``ol.children``; pingbacks are ``li.pingback`` / ``li.trackback``. Inside an item, themes differ, so
author, date and text are looked up through a few selectors, most specific first. A page without
that markup still yields its title and text, with no comments.

Every lookup here is one walk over the tree (or over a bounded part of it). CSS selectors with a
descendant combinator ("article h1", ".comment-author .fn") make soupsieve climb every candidate's
ancestors, and asking each comment for its own descendants revisits its replies: on replies nested
500 deep that cost 59 s. Pages are untrusted input, so their cost must not grow with nesting depth.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, NavigableString, PageElement

from moderation.fingerprint import stable_id
from moderation.parsing.dates import to_utc_iso
from moderation.parsing.html_text import element_text
from moderation.parsing.markup_head import starts_html
from moderation.parsing.threads import RawComment, build_thread
from moderation.policy import parse_policy
from moderation.records import Article, CommentKind, Policy

_COMMENT_ID = re.compile(r"^(?:li-)?comment-(\d+)$")
_SAYS_WORDS = frozenset({"says", "said", "wrote"})
_PING_PREFIX = re.compile(r"^\s*(?:pingback|trackback)\s*:\s*", re.IGNORECASE)
_POLICY_HEADING = re.compile(
    r"^(?:our\s+)?(?:discussion|comments?|commenting|community)\s+"
    r"(?:policy|guidelines|rules)\s*:?$",
    re.IGNORECASE,
)
_POLICY_CONTAINER = re.compile(r"(?:comment|discussion)s?[-_]?(?:policy|guidelines|rules)", re.I)
_MIN_POLICY_CHARS = 40
# A policy heading is a few words: longer text, or more nodes than this, is not one. Bounding the
# look keeps the heading scan linear even when thousands of <b> or <p> elements nest.
_HEADING_MAX_CHARS = 120
_HEADING_MAX_NODES = 16
# Real pages have one or two policy boxes; nested look-alikes must not cost a walk each.
_MAX_POLICY_CONTAINERS = 16
_AUTHOR_MAX_CHARS = 500
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Parts of a comment item that are not the comment: who/when, reply and edit links, avatars.
_COMMENT_CHROME_CLASSES = frozenset(
    {
        "comment-meta",
        "comment-metadata",
        "commentmetadata",
        "comment-author",
        "vcard",
        "reply",
        "comment-reply-link",
        "comment-util",
        "edit-link",
        "comment-awaiting-moderation",
    }
)
_COMMENT_CHROME_TAGS = frozenset({"img", "footer"})
_PAGE_CHROME_TAGS = frozenset({"script", "style", "noscript", "template"})
_PAGE_CHROME_CLASSES = frozenset(
    {
        "sharedaddy",
        "jp-relatedposts",
        "sd-sharing-enabled",
        "post-navigation",
        "navigation",
        "comments-area",
    }
)
_PAGE_CHROME_IDS = frozenset({"comments", "respond"})
_TEXT_CLASSES = ("comment-content", "comment-text", "entry-content", "comment-body")
# An XHTML page (or any file named .html) may well be XML: reading it as HTML is what is meant,
# and the warning would only reach the user's terminal.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning, module=__name__)


def sniff_wp_html(head: str, suffix: str) -> bool:
    if starts_html(head):
        return True
    return suffix in {"html", "htm", "xhtml"} and head.lstrip().startswith("<")


def parse_wp_html(text: str, *, source: str) -> Article:
    soup = BeautifulSoup(text, "html.parser")
    comment_list = _comment_list(soup)
    raws = _comments(comment_list) if comment_list is not None else []
    if comment_list is not None:
        comment_list.extract()  # keep replies out of the article text and the policy search

    page = _scan(soup)
    url = _canonical_url(page)
    title = _title(page)
    policy = _policy(page)
    if any(tag is not None and _removed(tag) for tag in (*page.bodies, *page.times)):
        page = _scan(soup)  # the policy held one of them: look again without it
    body = _body(page, soup)
    # The permalink is the platform's key for a post; a page saved without one has only its words.
    article_id = stable_id("wp-html", url) if url else stable_id("wp-html", title, body)
    return Article(
        id=article_id,
        source=source,
        title=title,
        body=body,
        policy=policy,
        comments=build_thread(raws, article_id=article_id, subject=source),
        url=url,
        published_at=_published_at(page),
    )


# -- walking --------------------------------------------------------------------------------


def _classes(tag: Tag) -> set[str]:
    value = tag.get("class")
    return {value} if isinstance(value, str) else set(value or ())


def _events(root: Tag) -> Iterator[tuple[Tag, bool]]:
    """(tag, True) on entering and (tag, False) on leaving each element under ``root``, in
    document order, without recursion."""
    stack: list[tuple[PageElement, bool]] = [
        (child, True) for child in reversed(root.contents) if isinstance(child, Tag)
    ]
    while stack:
        node, entering = stack.pop()
        assert isinstance(node, Tag)
        yield node, entering
        if entering:
            stack.append((node, False))
            stack.extend((c, True) for c in reversed(node.contents) if isinstance(c, Tag))


def _removed(tag: Tag) -> bool:
    """Whether ``tag`` went with a decompose(). (Not ``tag.decomposed``: on a tag that was not
    decomposed, that property ends in Tag.__getattr__, which searches the whole subtree for an
    element named "_decomposed", once per call.)"""
    return bool(tag.__dict__.get("_decomposed"))


def _comment_list(soup: BeautifulSoup) -> Tag | None:
    """The first ``ol``/``ul`` of class comment-list or commentlist, in document order."""
    for node in soup.descendants:
        if isinstance(node, Tag) and node.name in {"ol", "ul"}:
            classes = node.get("class") or ()
            if "comment-list" in classes or "commentlist" in classes:
                return node
    return None


def _joined_text(root: Tag, *, skip: Callable[[Tag], bool], limit: int) -> str:
    """``root.get_text(" ")`` with whitespace collapsed, leaving out skipped elements, and
    stopping once ``limit`` characters are collected."""
    pieces: list[str] = []
    size = 0
    stack: list[PageElement] = [root]
    while stack and size < limit:
        node = stack.pop()
        if isinstance(node, Tag):
            if node is root or not skip(node):
                stack.extend(reversed(node.contents))
        elif type(node) in (NavigableString, CData):  # as get_text: no comments or scripts
            pieces.append(str(node))
            size += len(pieces[-1])
    return " ".join(" ".join(pieces).split())[:limit]


# -- article --------------------------------------------------------------------------------

_HEADING_TAGS = frozenset({*_HEADINGS, "strong", "b", "p"})
# Elements the page lookups match by name alone, even without attributes.
_SCANNED_TAGS = frozenset({"title", "main", "body", "h1", "article"})


@dataclass
class _Page:
    """The first match of each selector the article lookups use, found in one walk: the
    selectors in comments, first match in document order, as soupsieve's select_one gave."""

    links: dict[str, Tag] = field(default_factory=dict)  # link[rel~=canonical], shortlink
    metas: dict[str, Tag] = field(default_factory=dict)  # meta[property=og:url] …
    # "article h1.entry-title", "h1.entry-title", ".entry-title", "article h1", "h1"
    titles: list[Tag | None] = field(default_factory=lambda: [None] * 5)
    title_tag: Tag | None = None
    # "article .entry-content", ".entry-content", ".post-content", "article"
    bodies: list[Tag | None] = field(default_factory=lambda: [None] * 4)
    # "article time.published[datetime]", "article time[datetime]"
    times: list[Tag | None] = field(default_factory=lambda: [None] * 2)
    main: Tag | None = None
    body: Tag | None = None
    policy_by_id: list[Tag] = field(default_factory=list)
    policy_by_class: list[Tag] = field(default_factory=list)
    # h1-h6, strong, b, p small enough to be a heading (at most _HEADING_MAX_NODES elements):
    # counted in the walk, so a chain of 100,000 nested <b> is not looked into 100,000 times.
    headings: list[Tag] = field(default_factory=list)


def _first(found: list[Tag | None], i: int, tag: Tag, matched: bool) -> None:
    if matched and found[i] is None:
        found[i] = tag


def _scan(soup: BeautifulSoup) -> _Page:
    page = _Page()
    open_articles = 0
    sizes: list[int] = [0]  # elements inside each open element, innermost last
    opened: dict[int, int] = {}  # heading tag -> its place in document order
    # The walk of _events, inlined: this runs once per element of every page.
    stack: list[tuple[Tag, bool]] = [(c, True) for c in reversed(soup.contents) if type(c) is Tag]
    while stack:
        tag, entering = stack.pop()
        name = tag.name
        if not entering:
            open_articles -= name == "article"
            inside = sizes.pop()
            sizes[-1] += inside + 1
            if name in _HEADING_TAGS and inside < _HEADING_MAX_NODES:
                page.headings.append(tag)
            continue
        stack.append((tag, False))
        stack.extend((c, True) for c in reversed(tag.contents) if type(c) is Tag)
        sizes.append(0)
        if name in _HEADING_TAGS:
            opened[id(tag)] = len(opened)
        attrs = tag.attrs
        if not attrs and name not in _SCANNED_TAGS:
            continue  # nothing any lookup below could match
        classes = attrs.get("class") or ()
        in_article = open_articles > 0
        if name == "link":
            for rel in attrs.get("rel") or ():
                page.links.setdefault(rel, tag)
        elif name == "meta":
            page.metas.setdefault(str(attrs.get("property")), tag)
        elif name == "title" and page.title_tag is None:
            page.title_tag = tag
        elif name == "main" and page.main is None:
            page.main = tag
        elif name == "body" and page.body is None:
            page.body = tag
        entry_title = "entry-title" in classes
        _first(page.titles, 0, tag, in_article and name == "h1" and entry_title)
        _first(page.titles, 1, tag, name == "h1" and entry_title)
        _first(page.titles, 2, tag, entry_title)
        _first(page.titles, 3, tag, in_article and name == "h1")
        _first(page.titles, 4, tag, name == "h1")
        _first(page.bodies, 0, tag, in_article and "entry-content" in classes)
        _first(page.bodies, 1, tag, "entry-content" in classes)
        _first(page.bodies, 2, tag, "post-content" in classes)
        _first(page.bodies, 3, tag, name == "article")
        if name == "time" and in_article and "datetime" in attrs:
            _first(page.times, 0, tag, "published" in classes)
            _first(page.times, 1, tag, True)
        element_id = attrs.get("id")
        if element_id and _POLICY_CONTAINER.search(str(element_id)):
            page.policy_by_id.append(tag)
        if any(_POLICY_CONTAINER.search(c) for c in classes):
            page.policy_by_class.append(tag)
        open_articles += name == "article"
    # Collected as they closed; find_all's order is the order they opened.
    page.headings.sort(key=lambda tag: opened[id(tag)])
    return page


def _canonical_url(page: _Page) -> str | None:
    for found, key in (
        (page.links.get("canonical"), "href"),
        (page.metas.get("og:url"), "content"),
        (page.links.get("shortlink"), "href"),
    ):
        value = str(found.get(key) or "").strip() if found is not None else ""
        if value:
            return value
    return None


def _title(page: _Page) -> str:
    # Comment items carry hentry markup (".entry-title") too, but the list is gone by now.
    for found in page.titles:
        if found is not None and found.get_text(strip=True):
            return " ".join(found.get_text(" ").split())
    meta = page.metas.get("og:title")
    if meta is not None and meta.get("content"):
        return " ".join(str(meta["content"]).split())
    if page.title_tag is not None and page.title_tag.get_text(strip=True):
        return " ".join(page.title_tag.get_text(" ").split())
    return "(untitled page)"


def _is_page_chrome(tag: Tag) -> bool:
    if tag.name in _PAGE_CHROME_TAGS or tag.get("id") in _PAGE_CHROME_IDS:
        return True
    return bool(_classes(tag) & _PAGE_CHROME_CLASSES)


def _body(page: _Page, soup: BeautifulSoup) -> str:
    found = next((c for c in page.bodies if c is not None), None)
    if found is None:
        found = page.main or page.body or soup
    return element_text(found, skip=_is_page_chrome)


def _published_at(page: _Page) -> str | None:
    meta = page.metas.get("article:published_time")
    if meta is not None and meta.get("content"):
        return to_utc_iso(str(meta["content"]))
    for found in page.times:
        if found is not None:
            return to_utc_iso(str(found.get("datetime")))
    return None


def _policy(page: _Page) -> Policy | None:
    """The page's discussion policy: a container named for it, or a heading and what follows.

    The policy's elements are removed from the page, so they do not repeat in the body.
    """
    containers = page.policy_by_id + page.policy_by_class
    for element in containers[:_MAX_POLICY_CONTAINERS]:
        if _removed(element):
            continue
        heading = element.find(_HEADINGS)
        if isinstance(heading, Tag) and _is_policy_heading(heading):
            heading.decompose()
        text = element_text(element)
        # A link or label naming the policy is not the policy itself.
        if len(text) < _MIN_POLICY_CHARS:
            continue
        element.decompose()
        return parse_policy(text)
    for heading in page.headings:
        if _removed(heading) or not _is_policy_heading(heading):
            continue  # (a removed one went with an earlier heading's paragraphs)
        anchor = heading
        # "<p><strong>Discussion Policy</strong></p>": the paragraphs follow the <p>, not the <b>.
        wrapper = heading.parent
        if (
            heading.name in {"strong", "b"}
            and wrapper is not None
            and wrapper.name == "p"
            and _short_text(wrapper) == _short_text(heading)
        ):
            anchor = wrapper
        paragraphs: list[Tag] = []
        for sibling in anchor.find_next_siblings():
            if sibling.name in _HEADINGS or _is_policy_heading(sibling):
                break
            paragraphs.append(sibling)
        text = "\n\n".join(t for t in (element_text(p) for p in paragraphs) if t)
        for tag in [anchor, *paragraphs]:
            tag.decompose()
        if text:
            return parse_policy(text)
    return None


def _short_text(tag: Tag) -> str | None:
    """The text of ``tag`` with whitespace collapsed, or None when it holds more than a heading
    would (too many characters or nodes); never walks more than a few dozen nodes."""
    pieces: list[str] = []
    size = nodes = 0
    stack: list[PageElement] = [tag]
    while stack:
        node = stack.pop()
        nodes += 1
        if nodes > _HEADING_MAX_NODES:
            return None
        if isinstance(node, Tag):
            stack.extend(reversed(node.contents))
        elif type(node) in (NavigableString, CData):
            pieces.append(str(node))
            size += len(pieces[-1])
            if size > _HEADING_MAX_CHARS:
                return None
    return " ".join(" ".join(pieces).split())


def _is_policy_heading(tag: Tag) -> bool:
    text = _short_text(tag)
    return text is not None and bool(_POLICY_HEADING.match(text))


# -- comments -------------------------------------------------------------------------------


@dataclass(eq=False)
class _Item:
    """One ``li`` of the comment list and what was found in it, outside its nested items."""

    tag: Tag
    parent: _Item | None
    own_id: bool  # the li's own id is comment-N
    key: str | None = None
    first_id: Tag | None = None  # the first descendant (any depth) with a comment-N id
    first_id_is_own: bool = False  # ... and it is this item's own element, not a reply's
    authors: list[Tag | None] = field(default_factory=lambda: [None] * 5)
    link: Tag | None = None
    times: list[Tag] = field(default_factory=list)
    texts: list[Tag | None] = field(default_factory=lambda: [None] * len(_TEXT_CLASSES))
    awaiting: bool = False


def _comments(comment_list: Tag) -> list[RawComment]:
    items = _walk_items(comment_list)
    comment_tags = {id(item.tag) for item in items if item.key is not None}

    def skip(tag: Tag) -> bool:
        # Replies are items of their own; reply lists, meta and avatars are not the comment.
        if id(tag) in comment_tags:
            return True
        classes = _classes(tag)
        if tag.name in {"ol", "ul"} and "children" in classes:
            return True
        return (
            bool(classes & _COMMENT_CHROME_CLASSES)
            or tag.name in _COMMENT_CHROME_TAGS
            or (tag.name == "h4" and "entry-title" in classes)
        )

    def replies(tag: Tag) -> bool:
        return id(tag) in comment_tags

    raws: list[RawComment] = []
    enclosing: dict[int, _Item | None] = {}  # item -> the nearest enclosing comment item
    for item in items:
        parent = item.parent
        enclosing[id(item)] = (
            None if parent is None else parent if parent.key is not None else enclosing[id(parent)]
        )
        if item.key is None:
            continue
        comment_parent = enclosing[id(item)]
        kind = _kind(item.tag)
        raws.append(
            RawComment(
                key=item.key,
                parent_key=comment_parent.key if comment_parent is not None else None,
                author=_author(item, kind, replies),
                text=_text(item, skip),
                kind=kind,
                posted_at=_posted_at(item),
                status="pending" if item.awaiting else None,
            )
        )
    return raws


def _walk_items(comment_list: Tag) -> list[_Item]:
    """Every ``li`` under the list, in document order, with its key and its own elements (those
    whose nearest enclosing ``li`` it is), found in a single walk."""
    items: list[_Item] = []
    open_items: list[_Item] = []
    unseen_from = 0  # open_items[unseen_from:] have not met a comment-N id among descendants
    open_authors = 0  # open .comment-author elements (for ".comment-author .fn")
    for tag, entering in _events(comment_list):
        classes = _classes(tag)
        if not entering:
            open_authors -= "comment-author" in classes
            if tag.name == "li":
                item = open_items.pop()
                unseen_from = min(unseen_from, len(open_items))
                item.key = _item_key(item)
            continue
        owner = open_items[-1] if open_items else None
        if _COMMENT_ID.match(str(tag.get("id") or "")):
            for i, waiting in enumerate(open_items[unseen_from:], start=unseen_from):
                waiting.first_id = tag
                waiting.first_id_is_own = i == len(open_items) - 1 and tag.name != "li"
            unseen_from = len(open_items)
        if owner is not None:
            _note_own(owner, tag, classes, open_authors > 0)
        open_authors += "comment-author" in classes
        if tag.name == "li":
            item = _Item(tag, owner, bool(_COMMENT_ID.match(str(tag.get("id") or ""))))
            items.append(item)
            open_items.append(item)
    return items


def _note_own(item: _Item, tag: Tag, classes: set[str], in_author: bool) -> None:
    # The author selectors, most specific first: ".comment-author .fn", "cite.fn", ".fn",
    # ".comment-author", "cite"; only the first match of each is ever read.
    matches = (
        "fn" in classes and in_author,
        tag.name == "cite" and "fn" in classes,
        "fn" in classes,
        "comment-author" in classes,
        tag.name == "cite",
    )
    for i, matched in enumerate(matches):
        if matched and item.authors[i] is None:
            item.authors[i] = tag
    if tag.name == "a" and item.link is None:
        item.link = tag
    if tag.name == "time" and tag.has_attr("datetime"):
        item.times.append(tag)
    for i, name in enumerate(_TEXT_CLASSES):
        if name in classes and item.texts[i] is None:
            item.texts[i] = tag
    if "comment-awaiting-moderation" in classes:
        item.awaiting = True


def _item_key(item: _Item) -> str | None:
    """The N of ``comment-N`` on the ``li`` or, in some themes, on its first inner element."""
    if item.own_id:
        match = _COMMENT_ID.match(str(item.tag.get("id")))
        assert match is not None
        return match.group(1)
    if item.first_id is not None and item.first_id_is_own:
        match = _COMMENT_ID.match(str(item.first_id.get("id")))
        assert match is not None
        return match.group(1)
    if {"comment", "pingback", "trackback"} & _classes(item.tag):
        return ""  # a comment item without an id: build_thread keys it by position
    return None


def _kind(tag: Tag) -> CommentKind:
    return "pingback" if _classes(tag) & {"pingback", "trackback"} else "comment"


def _strip_says(name: str) -> str:
    """ "Ann Reader says:" -> "Ann Reader" (the theme's verb is not part of the name)."""
    base = name.rstrip()
    if base.endswith(":"):
        base = base[:-1].rstrip()
    head, space, last = base.rpartition(" ")
    return head.rstrip() if space and last.lower() in _SAYS_WORDS else name


def _author(item: _Item, kind: CommentKind, replies: Callable[[Tag], bool]) -> str | None:
    for found in item.authors:
        if found is not None:
            name = _strip_says(_joined_text(found, skip=replies, limit=_AUTHOR_MAX_CHARS))
            if name:
                return name
    if kind == "pingback" and item.link is not None:
        return _joined_text(item.link, skip=replies, limit=_AUTHOR_MAX_CHARS) or None
    return None


def _posted_at(item: _Item) -> str | None:
    for found in item.times:
        value = to_utc_iso(str(found.get("datetime")))
        if value:
            return value
    return None


def _text(item: _Item, skip: Callable[[Tag], bool]) -> str:
    container = next((found for found in item.texts if found is not None), item.tag)
    return _PING_PREFIX.sub("", element_text(container, skip=skip))
