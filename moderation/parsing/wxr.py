"""WordPress export files (WXR 1.0-1.2): one Article per post that has comments.

WXR is RSS 2.0 with a ``wp:`` namespace whose URI names the version and, in newer exports,
``https``: ``http(s)://wordpress.org/export/1.0/`` … ``1.2/``. Elements are found by local name so
every version reads the same; ``comment_parent`` builds the tree.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from moderation.errors import ParseError
from moderation.fingerprint import stable_id
from moderation.parsing.dates import to_utc_iso
from moderation.parsing.html_text import html_to_text
from moderation.parsing.threads import RawComment, build_thread
from moderation.parsing.xml_safety import child, child_text, children, local, parse_xml, root_tag
from moderation.records import Article, CommentKind

WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/?$")
_NAMESPACE_IN_HEAD = re.compile(r"https?://wordpress\.org/export/1\.[0-2]/?[\"']")
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"

# comment_approved as stored by WordPress -> the status name its admin screens use.
_STATUS = {"1": "approved", "0": "pending", "": "pending"}
_PING_TYPES = {"pingback", "trackback"}


def sniff_wxr(head: str, _suffix: str) -> bool:
    root = root_tag(head)
    return root is not None and root[0] == "rss" and bool(_NAMESPACE_IN_HEAD.search(head))


def parse_wxr(text: str, *, source: str) -> list[Article]:
    root = parse_xml(text, subject=source)
    channel = child(root, "channel") if local(root.tag) == "rss" else None
    if channel is None:
        raise ParseError("not a WordPress export (no <rss><channel>)", subject=source)
    site = child_text(channel, "base_blog_url") or child_text(channel, "link")
    articles: list[Article] = []
    used_ids: set[str] = set()
    for position, item in enumerate(children(channel, "item"), start=1):
        comments = [c for c in _wp_children(item, "comment")]
        if not comments:
            continue  # nothing to moderate: attachments, pages and posts without comments
        article_id = _unique(_article_id(item, site, position), used_ids)
        raws = [_raw_comment(c) for c in comments]
        articles.append(
            Article(
                id=article_id,
                source=f"{source}#{_wp_text(item, 'post_id') or position}",
                title=child_text(item, "title") or child_text(item, "link") or "(untitled post)",
                body=html_to_text(_content(item), newlines_are_breaks=True),
                policy=None,
                comments=build_thread(raws, article_id=article_id, subject=source),
                url=child_text(item, "link") or None,
                published_at=_post_date(item),
            )
        )
    return articles


def _wp_children(element: Element, name: str) -> list[Element]:
    return [c for c in children(element, name) if WXR_NAMESPACE.match(c.tag[1:].split("}", 1)[0])]


def _wp_text(element: Element, name: str) -> str:
    found = _wp_children(element, name)
    return (found[0].text or "").strip() if found else ""


def _article_id(item: Element, site: str, position: int) -> str:
    # The post id is WordPress's own key but only unique within one site, hence the site URL;
    # exports trimmed by hand may lack it, then the guid or the permalink identify the post.
    post_id = _wp_text(item, "post_id")
    if post_id:
        return stable_id("wxr", site, post_id)
    for name in ("guid", "link"):
        value = child_text(item, name)
        if value:
            return stable_id("wxr", name, value)
    return stable_id("wxr", site, "position", position, child_text(item, "title"))


def _unique(article_id: str, used: set[str]) -> str:
    candidate, n = article_id, 1
    while candidate in used:
        n += 1
        candidate = stable_id(article_id, n)
    used.add(candidate)
    return candidate


def _content(item: Element) -> str:
    for found in children(item, "encoded"):
        if found.tag.startswith("{" + CONTENT_NAMESPACE):
            return found.text or ""
    return ""


def _post_date(item: Element) -> str | None:
    return (
        to_utc_iso(_wp_text(item, "post_date_gmt"))
        or to_utc_iso(child_text(item, "pubDate"))
        or to_utc_iso(_wp_text(item, "post_date"))
    )


def _raw_comment(comment: Element) -> RawComment:
    comment_type = _wp_text(comment, "comment_type").lower()
    kind: CommentKind = "pingback" if comment_type in _PING_TYPES else "comment"
    approved = _wp_text(comment, "comment_approved")
    return RawComment(
        key=_wp_text(comment, "comment_id"),
        parent_key=_wp_text(comment, "comment_parent") or None,
        author=_wp_text(comment, "comment_author") or None,
        text=html_to_text(_raw_text(comment, "comment_content"), newlines_are_breaks=True),
        kind=kind,
        # GMT first; a comment without it has only the site's local time, read as UTC.
        posted_at=to_utc_iso(_wp_text(comment, "comment_date_gmt"))
        or to_utc_iso(_wp_text(comment, "comment_date")),
        status=_STATUS.get(approved, approved),
    )


def _raw_text(element: Element, name: str) -> str:
    # Content is kept unstripped until html_to_text: its inner newlines are the author's.
    found = _wp_children(element, name)
    return (found[0].text or "") if found else ""
