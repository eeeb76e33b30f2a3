"""Microformats: microformats2 ``h-entry`` / ``h-cite`` comments and classic hAtom ``hentry``.

microformats2 (microformats.org/wiki/h-entry, /comment-brainstorming): a post's comments are
``p-comment h-cite`` (or ``h-entry``) inside the post's ``h-entry``, each with ``p-author h-card``
(its ``p-name``), ``dt-published``, ``e-content`` / ``p-content`` (``p-name`` when nothing else),
``u-url``; a reply may name what it answers in ``u-in-reply-to`` (the post, or another comment's
``u-url``) or sit inside its parent's ``h-cite``.

hAtom 0.1 (microformats.org/wiki/hatom): ``hentry`` items with ``author vcard`` > ``fn``,
``published`` (``abbr title`` or ``time datetime``), ``entry-content`` / ``entry-summary`` and a
``rel="bookmark"`` permalink. The page's own post is an ``hentry`` too: comments are the entries
inside another entry or inside a comment container, never the one holding the page's headline.
"""

from __future__ import annotations

from moderation.parsing.html.blocks import comment_number
from moderation.parsing.html.dom import Element
from moderation.parsing.html.page import Found, Page, any_class, has_class, read_found
from moderation.parsing.html.selectors import Block, Profile, rules

_ENTRY = any_class("h-entry", "h-cite")
_MF2_ITEMS = (
    f"//*[{_ENTRY}][{has_class('p-comment')}]"
    f" | //*[{_ENTRY}][ancestor::*[{_ENTRY}]]"
    f" | //*[{_ENTRY}][.//*[{has_class('u-in-reply-to')}]][not(descendant::*[{_ENTRY}])]"
)


def _url_key(href: str | None) -> str | None:
    href = (href or "").strip()
    if not href:
        return None
    fragment = href.rsplit("#", 1)[-1] if "#" in href else href
    return comment_number(fragment) or fragment


def _mf2_key(block: Block) -> str | None:
    own_id = block.element.get("id")
    if own_id:
        return comment_number(own_id) or own_id
    url = block.get("url")
    if url is not None:
        return _url_key(url.get("href") or url.get("value") or url.text)
    return block.permalink


def _mf2_aliases(block: Block) -> list[str]:
    # A comment keyed by its element id is still named by its u-url in the replies to it.
    url = block.get("url")
    key = _url_key(url.get("href") or url.get("value") or url.text) if url is not None else None
    return [key] if key else []


def _mf2_parent(block: Block) -> str | None:
    reply_to = block.get("reply_to")
    return _url_key(reply_to.get("href")) if reply_to is not None else None


MF2 = Profile(
    author=rules(".p-author", ".u-author", ".h-card"),
    date=rules(".dt-published", "time[datetime]", ".dt-updated"),
    body=rules(".e-content", ".p-content", ".p-summary", ".p-name"),
    chrome=rules(".p-author", ".u-author", ".h-card", ".dt-published", ".u-in-reply-to", "footer"),
    extra={"url": rules(".u-url", ".u-uid"), "reply_to": rules(".u-in-reply-to")},
    key=_mf2_key,
    parent_key=_mf2_parent,
    aliases=_mf2_aliases,
)


def find_mf2(page: Page) -> Found | None:
    if not page.mentions("class", "h-entry", "h-cite"):
        return None
    return read_found(page, "microformats2", page.xpath(_MF2_ITEMS), MF2)


HATOM = Profile(
    author=rules(".fn", ".author", ".vcard"),
    date=rules(".published", "abbr.updated", "time[datetime]", ".updated"),
    body=rules(".entry-content", ".entry-summary", ".comment-content"),
    chrome=rules(".author", ".vcard", ".published", ".updated", ".entry-title", ".entry-meta"),
)
_HENTRY = has_class("hentry")
_HATOM_ITEMS = (
    f"//*[{_HENTRY}][ancestor::*[{_HENTRY}]]"
    f" | //*[{_HENTRY}][ancestor::*[contains(@id, 'comment') or contains(@class, 'comment')"
    " or contains(@id, 'respon') or contains(@class, 'respon')]]"
)


def find_hatom(page: Page, headline: Element | None) -> Found | None:
    if not page.mentions("class", "hentry"):
        return None
    items = page.xpath(_HATOM_ITEMS)
    if headline is not None:
        # The entry that holds the page's headline is the post, not a comment.
        holders = set(headline.iterancestors())
        items = [e for e in items if e not in holders]
    return read_found(page, "hatom", items, HATOM)
