"""Saved WordPress article pages (HTML): title, text, discussion policy and the comment list.

WordPress themes share the comment markup of ``wp_list_comments``: ``ol.comment-list`` (older
themes: ``ol.commentlist``) of ``li.comment`` items with ``id="comment-N"``, replies in a nested
``ol.children``; pingbacks are ``li.pingback`` / ``li.trackback``. Inside an item, themes differ, so
author, date and text are looked up through a few selectors, most specific first. A page without
that markup still yields its title and text, with no comments.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from moderation.fingerprint import stable_id
from moderation.parsing.dates import to_utc_iso
from moderation.parsing.html_text import element_text
from moderation.parsing.threads import RawComment, build_thread
from moderation.policy import parse_policy
from moderation.records import Article, CommentKind, Policy

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT_ID = re.compile(r"^(?:li-)?comment-(\d+)$")
_COMMENT_LISTS = "ol.comment-list, ol.commentlist, ul.comment-list, ul.commentlist"
_SAYS = re.compile(r"\s+(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)
_PING_PREFIX = re.compile(r"^\s*(?:pingback|trackback)\s*:\s*", re.IGNORECASE)
_POLICY_HEADING = re.compile(
    r"^(?:our\s+)?(?:discussion|comments?|commenting|community)\s+"
    r"(?:policy|guidelines|rules)\s*:?$",
    re.IGNORECASE,
)
_POLICY_CONTAINER = re.compile(r"(?:comment|discussion)s?[-_]?(?:policy|guidelines|rules)", re.I)
_MIN_POLICY_CHARS = 40
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Parts of a comment item that are not the comment: who/when, reply and edit links, avatars.
_COMMENT_CHROME = (
    ".comment-meta, .comment-metadata, .commentmetadata, .comment-author, .vcard, .reply, "
    ".comment-reply-link, .comment-util, .edit-link, .comment-awaiting-moderation, img, "
    "footer, h4.entry-title"
)
_PAGE_CHROME = (
    "script, style, noscript, template, .sharedaddy, .jp-relatedposts, .sd-sharing-enabled, "
    ".post-navigation, .navigation, .comments-area, #comments, #respond"
)


def sniff_wp_html(head: str, suffix: str) -> bool:
    if _HTML_START.match(head):
        return True
    return suffix in {"html", "htm", "xhtml"} and head.lstrip().startswith("<")


def parse_wp_html(text: str, *, source: str) -> Article:
    soup = BeautifulSoup(text, "html.parser")
    comment_list = soup.select_one(_COMMENT_LISTS)
    raws = _comments(comment_list) if comment_list is not None else []
    if comment_list is not None:
        comment_list.extract()  # keep replies out of the article text and the policy search

    url = _canonical_url(soup)
    title = _title(soup)
    policy = _policy(soup)
    body = _body(soup)
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
        published_at=_published_at(soup),
    )


# -- article --------------------------------------------------------------------------------


def _canonical_url(soup: BeautifulSoup) -> str | None:
    for selector, key in (
        ("link[rel~=canonical]", "href"),
        ('meta[property="og:url"]', "content"),
        ("link[rel~=shortlink]", "href"),
    ):
        found = soup.select_one(selector)
        value = str(found.get(key) or "").strip() if found is not None else ""
        if value:
            return value
    return None


def _title(soup: BeautifulSoup) -> str:
    # Comment items carry hentry markup (".entry-title") too, but the list is gone by now.
    selectors = ("article h1.entry-title", "h1.entry-title", ".entry-title", "article h1", "h1")
    for selector in selectors:
        found = soup.select_one(selector)
        if found is not None and found.get_text(strip=True):
            return " ".join(found.get_text(" ").split())
    meta = soup.find("meta", attrs={"property": "og:title"})
    if isinstance(meta, Tag) and meta.get("content"):
        return " ".join(str(meta["content"]).split())
    if soup.title is not None and soup.title.get_text(strip=True):
        return " ".join(soup.title.get_text(" ").split())
    return "(untitled page)"


def _body(soup: BeautifulSoup) -> str:
    for selector in ("article .entry-content", ".entry-content", ".post-content", "article"):
        found = soup.select_one(selector)
        if found is not None:
            break
    else:
        found = soup.find("main") or soup.body or soup
    for chrome in found.select(_PAGE_CHROME):
        chrome.decompose()
    return element_text(found)


def _published_at(soup: BeautifulSoup) -> str | None:
    meta = soup.find("meta", attrs={"property": "article:published_time"})
    if isinstance(meta, Tag) and meta.get("content"):
        return to_utc_iso(str(meta["content"]))
    for selector in ("article time.published[datetime]", "article time[datetime]"):
        found = soup.select_one(selector)
        if found is not None:
            return to_utc_iso(str(found.get("datetime")))
    return None


def _policy(soup: BeautifulSoup) -> Policy | None:
    """The page's discussion policy: a container named for it, or a heading and what follows.

    The policy's elements are removed from the page, so they do not repeat in the body.
    """
    for element in soup.find_all(True, attrs={"id": _POLICY_CONTAINER}) + soup.find_all(
        True, class_=_POLICY_CONTAINER
    ):
        heading = element.find(_HEADINGS)
        if isinstance(heading, Tag) and _POLICY_HEADING.match(heading.get_text(" ", strip=True)):
            heading.decompose()
        text = element_text(element)
        # A link or label naming the policy is not the policy itself.
        if len(text) < _MIN_POLICY_CHARS:
            continue
        element.decompose()
        return parse_policy(text)
    for heading in soup.find_all([*_HEADINGS, "strong", "b", "p"]):
        if not _POLICY_HEADING.match(" ".join(heading.get_text(" ").split())):
            continue
        anchor = heading
        # "<p><strong>Discussion Policy</strong></p>": the paragraphs follow the <p>, not the <b>.
        wrapper = heading.parent
        if (
            heading.name in {"strong", "b"}
            and wrapper is not None
            and wrapper.name == "p"
            and wrapper.get_text(strip=True) == heading.get_text(strip=True)
        ):
            anchor = wrapper
        paragraphs: list[Tag] = []
        for sibling in anchor.find_next_siblings():
            if sibling.name in _HEADINGS or _POLICY_HEADING.match(sibling.get_text(strip=True)):
                break
            paragraphs.append(sibling)
        text = "\n\n".join(t for t in (element_text(p) for p in paragraphs) if t)
        for tag in [anchor, *paragraphs]:
            tag.decompose()
        if text:
            return parse_policy(text)
    return None


# -- comments -------------------------------------------------------------------------------


def _comments(comment_list: Tag) -> list[RawComment]:
    raws: list[RawComment] = []
    for item in comment_list.find_all("li"):
        key = _comment_key(item)
        if key is None:
            continue
        parent = _enclosing_comment(item)
        raws.append(
            RawComment(
                key=key,
                parent_key=_comment_key(parent) if parent is not None else None,
                author=_author(item),
                text=_text(item),
                kind=_kind(item),
                posted_at=_posted_at(item),
                status="pending" if _own(item, ".comment-awaiting-moderation") else None,
            )
        )
    return raws


def _comment_key(item: Tag) -> str | None:
    """The N of ``comment-N`` on the ``li`` or, in some themes, on its first inner element."""
    candidates = [item, *item.find_all(id=_COMMENT_ID, limit=1)]
    for candidate in candidates:
        match = _COMMENT_ID.match(str(candidate.get("id") or ""))
        # An inner element's id counts only if it is not a reply's own ``li``.
        inner = candidate.name != "li" and _enclosing_item(candidate) is item
        if match and (candidate is item or inner):
            return match.group(1)
    if item.name == "li" and {"comment", "pingback", "trackback"} & _classes(item):
        return ""  # a comment item without an id: build_thread keys it by position
    return None


def _enclosing_item(tag: Tag) -> Tag | None:
    return tag.find_parent("li")


def _enclosing_comment(item: Tag) -> Tag | None:
    for parent in item.find_parents("li"):
        if _comment_key(parent) is not None:
            return parent
    return None


def _own(item: Tag, selector: str) -> list[Tag]:
    """Matches of ``selector`` inside ``item`` but not inside its replies."""
    return [
        found
        for found in item.select(selector)
        if next((li for li in found.find_parents("li")), None) is item
    ]


def _kind(item: Tag) -> CommentKind:
    return "pingback" if _classes(item) & {"pingback", "trackback"} else "comment"


def _classes(tag: Tag) -> set[str]:
    value = tag.get("class")
    return {value} if isinstance(value, str) else set(value or ())


def _author(item: Tag) -> str | None:
    for selector in (".comment-author .fn", "cite.fn", ".fn", ".comment-author", "cite"):
        found = _own(item, selector)
        if found:
            name = _SAYS.sub("", " ".join(found[0].get_text(" ").split()))
            if name:
                return name
    if _kind(item) == "pingback":
        links = _own(item, "a")
        if links:
            return " ".join(links[0].get_text(" ").split()) or None
    return None


def _posted_at(item: Tag) -> str | None:
    for found in _own(item, "time[datetime]"):
        value = to_utc_iso(str(found.get("datetime")))
        if value:
            return value
    return None


def _text(item: Tag) -> str:
    for selector in (".comment-content", ".comment-text", ".entry-content", ".comment-body"):
        found = _own(item, selector)
        if found:
            return _clean_text(found[0])
    return _clean_text(item)


def _clean_text(element: Tag) -> str:
    # Work on a copy: the item's meta is still needed for author and date, and its replies are
    # items of their own.
    copy = BeautifulSoup(str(element), "html.parser")
    for nested in copy.select("ol.children, ul.children"):
        nested.decompose()
    for chrome in copy.select(_COMMENT_CHROME):
        chrome.decompose()
    return _PING_PREFIX.sub("", element_text(copy))
