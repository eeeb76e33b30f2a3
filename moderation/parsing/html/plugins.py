"""WordPress comment plugins whose comments are in the page's markup: wpDiscuz and Epoch.

wpDiscuz 7 (``WpdiscuzWalker``): ``div#wpd-comm-{ID}_{PARENT}.wpd-comment`` (``.wpd-reply`` for
replies, ``.wpd-unapproved-comment`` while held) with ``.wpd-comment-author``,
``.wpd-comment-date`` (the date in its ``title``, a relative "2 years ago" as text),
``.wpd-comment-text``, and header/footer chrome (labels, share, votes, reply button). The id
states the parent, and replies nest inside their parent's element.

Epoch (Postmatic) renders each comment from its ``epoch-comment-template``:
``div#comment-N[data-comment-id]`` > ``article#div-comment-N.epoch-comment-body`` with
``.epoch-comment-author`` (avatar, name or ``a.epoch-author-link``, a ``time`` link),
``.epoch-comment-content`` and ``ul.epoch-comment-actions``. As served, ``#epoch-comments`` is empty
until the script fills it; ``embeds`` warns about that case.
"""

from __future__ import annotations

import re

from moderation.parsing.html.blocks import generic_key
from moderation.parsing.html.page import Found, Page, has_class, read_found
from moderation.parsing.html.selectors import Block, Profile, rules

_WPD_ID = re.compile(r"^wpd-comm-(\d+)_(\d+)$")

WPDISCUZ = Profile(
    author=rules(".wpd-comment-author"),
    date=rules(".wpd-comment-date"),
    body=rules(".wpd-comment-text"),
    chrome=rules(
        ".wpd-comment-header",
        ".wpd-comment-footer",
        ".wpd-comment-left",
        ".wpd-reply-to",
        ".wpd-comment-label",
        ".wpd-comment-share",
        ".wpd-comment-link",
        ".wpd-comment-status",
        ".wpd-comment-last-edited",
        ".wpd-tools",
        ".wpd-toggle",
        ".wpd-vote",
        ".wpd-reply-button",
    ),
    pending=rules(".wpd-unapproved"),
    key=lambda block: _wpd_ids(block)[0],
    parent_key=lambda block: _wpd_ids(block)[1],
)


def _wpd_ids(block: Block) -> tuple[str | None, str | None]:
    match = _WPD_ID.match(block.element.get("id") or "")
    if match is None:
        return generic_key(block), None
    parent = match.group(2)
    return match.group(1), None if parent == "0" else parent


def find_wpdiscuz(page: Page) -> Found | None:
    if not page.mentions("class", "wpd-comment"):
        return None
    items = page.xpath(f"//*[{has_class('wpd-comment')}]")
    containers = "//*[@id='wpdcom' or " + has_class("wpd-thread-list") + "]"
    return read_found(page, "wpdiscuz", items, WPDISCUZ, containers=containers)


EPOCH = Profile(
    author=rules(".epoch-author-link", ".epoch-comment-author"),
    date=rules("time[datetime]", ".epoch-comment-link"),
    body=rules(".epoch-comment-content"),
    chrome=rules(
        ".epoch-comment-meta",
        ".epoch-comment-author-avatar",
        ".epoch-divide",
        ".epoch-comment-link",
        ".epoch-comment-actions",
        ".epoch-moderation-actions",
        ".epoch-comment-awaiting-moderation",
    ),
    pending=rules(".epoch-comment-awaiting-moderation"),
)


def find_epoch(page: Page) -> Found | None:
    if not page.mentions("class", "epoch-comment-body"):
        return None
    # The template's outer div carries the id; its article the classes.
    items = page.xpath(
        f"//*[@data-comment-id][*[{has_class('epoch-comment-body')}]]"
        f" | //*[{has_class('epoch-comment-body')}][not(parent::*[@data-comment-id])]"
    )
    containers = "//*[@id='epoch-comments' or @id='epoch-wrap']"
    return read_found(page, "epoch", items, EPOCH, containers=containers)
