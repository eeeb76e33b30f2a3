"""Disqus XML exports: ``<thread>`` elements become Articles, ``<post>`` elements their comments.

Posts refer to their thread and parent by ``dsq:id``. Deleted and spam posts stay in the thread
(replies still hang off them) with Comment.status "deleted" / "spam". Posts whose thread is not
in the file are not dropped: they are grouped per missing thread id into an extra Article titled
"Orphaned posts (thread N missing)", and a warning is logged, so nothing is lost and the gap is
visible in the moderation queue.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from moderation.errors import ParseError
from moderation.fingerprint import stable_id
from moderation.parsing.dates import to_utc_iso
from moderation.parsing.html_text import html_to_text
from moderation.parsing.threads import RawComment, build_thread
from moderation.parsing.xml_safety import (
    attribute,
    child,
    child_text,
    children,
    local,
    parse_xml,
    root_tag,
)
from moderation.records import Article

log = logging.getLogger(__name__)

_ROOT_NAMESPACE = re.compile(r"xmlns\s*=\s*[\"']https?://disqus\.com/?[\"']")
ORPHANS_TITLE = "Orphaned posts (thread {thread} missing)"


def sniff_disqus(head: str, _suffix: str) -> bool:
    root = root_tag(head)
    return root is not None and root[0] == "disqus" and bool(_ROOT_NAMESPACE.search(root[1]))


@dataclass
class _Thread:
    dsq_id: str
    element: Element | None
    posts: list[RawComment] = field(default_factory=list)


def parse_disqus(text: str, *, source: str) -> list[Article]:
    root = parse_xml(text, subject=source)
    if local(root.tag) != "disqus":
        raise ParseError("not a Disqus export (root element is not <disqus>)", subject=source)
    threads: dict[str, _Thread] = {}
    for element in children(root, "thread"):
        dsq_id = attribute(element, "id") or ""
        # Later duplicates of a thread id add nothing but an empty shell; the first one wins.
        threads.setdefault(dsq_id, _Thread(dsq_id, element))
    orphans: dict[str, _Thread] = {}
    for position, post in enumerate(children(root, "post"), start=1):
        thread_ref = child(post, "thread")
        thread_id = (attribute(thread_ref, "id") if thread_ref is not None else None) or ""
        target = threads.get(thread_id) if thread_id else None
        if target is None:
            target = orphans.setdefault(thread_id, _Thread(thread_id, None))
        target.posts.append(_raw_post(post, position))

    articles = [_article(t, source) for t in threads.values() if t.posts]
    for thread in orphans.values():
        log.warning(
            "%s: %d post(s) name thread %s, which is not in the file (posts %s); kept under %r",
            source,
            len(thread.posts),
            thread.dsq_id or "(none)",
            ", ".join(p.key for p in thread.posts),
            ORPHANS_TITLE.format(thread=thread.dsq_id or "(none)"),
        )
        articles.append(_article(thread, source))
    return articles


def _raw_post(post: Element, position: int) -> RawComment:
    parent = child(post, "parent")
    author = child(post, "author")
    name = ""
    if author is not None:
        name = child_text(author, "name") or child_text(author, "username")
    return RawComment(
        key=attribute(post, "id") or f"position-{position}",
        parent_key=attribute(parent, "id") if parent is not None else None,
        author=name or None,
        text=html_to_text(_raw_text(post, "message")),
        posted_at=to_utc_iso(child_text(post, "createdAt")),
        status=_status(post),
    )


def _status(post: Element) -> str:
    # Disqus deletes most spam as well; "spam" says more about why, so it wins.
    if _flag(post, "isSpam"):
        return "spam"
    if _flag(post, "isDeleted"):
        return "deleted"
    if child(post, "isApproved") is not None and not _flag(post, "isApproved"):
        return "pending"
    return "approved"


def _flag(element: Element, name: str) -> bool:
    return child_text(element, name).lower() in {"true", "1"}


def _raw_text(element: Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""


def _article(thread: _Thread, source: str) -> Article:
    # dsq:id is unique across all of Disqus, so it alone keys the thread; an orphan group gets the
    # id its thread would have had, and so joins it when a later export includes the thread.
    article_id = stable_id("disqus-thread", thread.dsq_id or "(none)")
    comments = build_thread(thread.posts, article_id=article_id, subject=source)
    element = thread.element
    if element is None:
        return Article(
            id=article_id,
            source=f"{source}#thread-{thread.dsq_id}",
            title=ORPHANS_TITLE.format(thread=thread.dsq_id or "(none)"),
            body="",
            policy=None,
            comments=comments,
        )
    link = child_text(element, "link")
    return Article(
        id=article_id,
        source=f"{source}#thread-{thread.dsq_id}",
        title=child_text(element, "title") or link or f"Disqus thread {thread.dsq_id}",
        body=html_to_text(_raw_text(element, "message")),
        policy=None,
        comments=comments,
        url=link or None,
        published_at=to_utc_iso(child_text(element, "createdAt")),
    )
