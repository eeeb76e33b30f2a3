"""schema.org ``Comment`` / ``UserComments`` in microdata and in JSON-LD.

Microdata (schema.org/Comment, /UserComments): ``itemscope itemtype=".../Comment"`` with
``itemprop`` ``author`` (a ``Person`` whose ``name`` it is, or plain text), ``dateCreated`` /
``datePublished`` (UserComments: ``commentTime``; ``datetime`` or ``content`` attribute),
``text`` (UserComments: ``commentText``), ``url``; replies are ``itemprop="comment"`` items nested
in their parent, or name it in ``parentItem`` / ``replyToUrl``.

JSON-LD: the same vocabulary in ``<script type="application/ld+json">``, usually an ``Article``
whose ``comment`` list holds ``Comment`` objects (replies in their own ``comment`` lists, or
pointing at the parent with ``parentItem``). Walked iteratively; blocks that are not JSON or nest
absurdly deep are skipped with a note rather than failing the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from moderation.fingerprint import stable_id
from moderation.parsing.html.blocks import comment_number
from moderation.parsing.html.human_dates import parse_date
from moderation.parsing.html.page import Found, Page, read_found
from moderation.parsing.html.selectors import Block, Profile, rules
from moderation.parsing.html.text import block_text
from moderation.parsing.threads import RawComment

_COMMENT_TYPES = ("schema.org/Comment", "schema.org/UserComments", "schema.org/Answer")
_ITEMS = (
    " | ".join(f"//*[@itemscope][contains(@itemtype, '{t}')]" for t in _COMMENT_TYPES)
    + " | //*[@itemscope][@itemprop='comment']"
)
_MAX_JSON_CHARS = 5_000_000


def _url_key(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    fragment = value.rsplit("#", 1)[-1]
    return comment_number(fragment) or fragment


def _key(block: Block) -> str | None:
    element = block.element
    own = comment_number(element.get("id")) or element.get("itemid") or element.get("id")
    if own:
        return _url_key(own)
    url = block.get("url")
    if url is not None:
        return _url_key(url.get("href") or url.get("content"))
    return block.permalink


def _parent(block: Block) -> str | None:
    parent = block.get("parent")
    if parent is None:
        return None
    return _url_key(parent.get("href") or parent.get("content") or parent.get("itemid"))


MICRODATA = Profile(
    author=rules("[itemprop~=author]", "[itemprop~=creator]"),
    date=rules(
        "[itemprop~=datecreated]",
        "[itemprop~=datepublished]",
        "[itemprop~=commenttime]",
        "time[datetime]",
    ),
    body=rules("[itemprop~=text]", "[itemprop~=commenttext]", "[itemprop~=description]"),
    chrome=rules("[itemprop~=author]", "[itemprop~=creator]", "footer"),
    extra={
        "url": rules("[itemprop~=url]"),
        "parent": rules("[itemprop~=parentitem]", "[itemprop~=replytourl]"),
    },
    key=_key,
    parent_key=_parent,
)


def find_microdata(page: Page) -> Found | None:
    if not page.mentions("itemtype", "comment") and not page.mentions("itemprop", "comment"):
        return None
    return read_found(page, "schema.org microdata", page.xpath(_ITEMS), MICRODATA)


# -- JSON-LD ----------------------------------------------------------------------------------


def json_ld_objects(page: Page) -> tuple[list[Any], list[str]]:
    """Every parsed JSON-LD block, and a note per block that could not be read."""
    if not page.mentions("type", "ld+json"):
        return [], []
    blocks: list[Any] = []
    notes: list[str] = []
    for script in page.xpath("//script[contains(@type, 'ld+json')]"):
        text = (script.text or "").strip()
        if not text:
            continue
        if len(text) > _MAX_JSON_CHARS:
            notes.append("a JSON-LD block over 5 MB was skipped")
            continue
        try:
            blocks.append(json.loads(text))
        except (ValueError, RecursionError):
            notes.append("a JSON-LD block that is not valid JSON was skipped")
    return blocks, notes


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def _walk(value: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(object, nearest enclosing Comment) for every object, without recursion."""
    stack: list[tuple[Any, dict[str, Any] | None]] = [(value, None)]
    while stack:
        node, enclosing = stack.pop()
        if isinstance(node, list):
            stack.extend((item, enclosing) for item in reversed(node))
        elif isinstance(node, dict):
            yield node, enclosing
            inner = node if _types(node) & {"Comment", "UserComments", "Answer"} else enclosing
            stack.extend((item, inner) for item in reversed(list(node.values())))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("text") or "")
    text = str(value or "")
    if "<" in text or "&" in text:
        from lxml import html

        try:
            fragment = html.fragment_fromstring(text, create_parent="div")
        except Exception:  # lxml raises several error types on garbage; plain text then
            return " ".join(text.split())
        return block_text(fragment)
    return text.strip()


def _id_of(node: dict[str, Any]) -> str | None:
    for key in ("@id", "url", "identifier"):
        value = node.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            return _url_key(str(value))
    return None


def find_json_ld(page: Page) -> Found | None:
    if not page.mentions("type", "ld+json"):
        return None
    blocks, _notes = json_ld_objects(page)  # the coordinator reports unreadable blocks
    raws: list[RawComment] = []
    keys: dict[int, str] = {}
    for block in blocks:
        for node, enclosing in _walk(block):
            if not _types(node) & {"Comment", "UserComments"}:
                continue
            author = _text(node.get("author") or node.get("creator") or "") or None
            posted_at = parse_date(
                str(
                    node.get("dateCreated")
                    or node.get("datePublished")
                    or node.get("commentTime")
                    or ""
                )
            )
            text = _text(node.get("text") or node.get("commentText") or node.get("description"))
            key = _id_of(node) or "h" + stable_id(author, posted_at, text)
            keys[id(node)] = key
            parent_key = None
            parent_item = node.get("parentItem")
            if isinstance(parent_item, dict):
                parent_key = _id_of(parent_item)
            elif isinstance(parent_item, str):
                parent_key = _url_key(parent_item)
            if parent_key is None and enclosing is not None:
                parent_key = keys.get(id(enclosing))
            raws.append(RawComment(key, parent_key, author, text, "comment", posted_at))
    if not raws:
        return None
    return Found("schema.org JSON-LD", raws)
