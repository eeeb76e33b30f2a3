"""Drupal's comment module, 7 and 8+.

Drupal 7 (``comment.tpl.php``, Bartik): ``<a id="comment-N"></a>`` then
``div.comment`` with ``.submitted`` ("Submitted by <span class="username">…</span> on …", RDF
``property="dc:date dc:created" content="ISO"``), the body in ``.field-name-comment-body``,
``ul.links`` (delete / edit / reply). Drupal 8+ (``comment.html.twig``, Classy, Olivero):
``article.comment.js-comment`` with ``footer`` / ``.comment__meta`` (``.comment__author``,
``.comment__time``, the visually hidden "In reply to" line), the body in
``.field--name-comment-body`` inside ``.comment__content``. In both, threaded replies follow their
parent inside ``<div class="indented">`` (``CommentViewBuilder``), so a reply's parent is the
comment just before its ``div.indented``.
"""

from __future__ import annotations

from moderation.parsing.html.page import Found, Page, any_class, has_class, read_found
from moderation.parsing.html.selectors import Profile, rules

_BODY_FIELDS = any_class("field-name-comment-body", "field--name-comment-body")
_ITEMS = (
    f"//*[{has_class('js-comment')}]"
    f" | //*[{_BODY_FIELDS}]/ancestor::*[{any_class('comment', 'js-comment')}][1]"
    " | //*[contains(@typeof, 'sioct:Comment') or contains(@typeof, 'schema:Comment')]"
)
_CONTAINERS = (
    f"//*[{any_class('comment-wrapper', 'field--name-comment', 'field-name-comment')}"
    " or @id='comments']"
)

PROFILE = Profile(
    author=rules(
        ".comment__author",
        ".username",
        "[property~=foaf:name]",
        "[property~=schema:name]",
        ".comment-author",
        ".author",
    ),
    date=rules(
        "[property~=dc:date]",
        "[property~=schema:datecreated]",
        "time[datetime]",
        ".comment__time",
        ".comment-date",
        ".submitted",
        ".comment__submitted",
    ),
    body=rules(
        ".field--name-comment-body",
        ".field-name-comment-body",
        ".comment__content",
        ".comment-body",
        ".content",
    ),
    chrome=rules(
        "ul.links",
        ".links",
        "h3",
        ".submitted",
        ".comment__submitted",
        ".comment__meta",
        ".user-picture",
        ".comment__picture-wrapper",
        "mark",
        ".new",
        ".user-signature",
        ".parent",
        ".permalink",
        "footer",
    ),
    pending=rules(".unpublished", ".comment--unpublished", ".comment-unpublished"),
)


def find(page: Page) -> Found | None:
    markers = ("js-comment", "field-name-comment-body", "field--name-comment-body")
    if not page.mentions("class", *markers) and not page.mentions("typeof", "comment"):
        return None
    return read_found(page, "drupal", page.xpath(_ITEMS), PROFILE, containers=_CONTAINERS)
