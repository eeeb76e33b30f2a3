"""Comment elements -> RawComments: the reading every markup strategy shares.

A strategy says which elements are comments and, in a ``Profile``, which elements inside a comment
hold its author, date and body and which are chrome (byline, reply button, avatar). ``read_blocks``
then walks each comment's subtree once, without entering the comments nested in it, so the whole
thread is read in one linear pass however deep the replies go: a nested comment met during the
walk gets its parent by containment on the spot, with no ancestor or descendant scans.

Replies that sit after their parent instead of inside it (Drupal's ``<div class="indented">``)
get the comment just before their reply container as parent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from moderation.fingerprint import stable_id
from moderation.parsing.html.dom import Element, classes, collapse
from moderation.parsing.html.human_dates import parse_date
from moderation.parsing.html.selectors import Block, Profile, RuleIndex
from moderation.parsing.html.text import block_text, line_text
from moderation.parsing.threads import RawComment
from moderation.records import CommentKind

# Ids platforms give a comment's element: WordPress comment-12 / li-comment-12 / div-comment-12,
# Drupal comment-12, Blogger c1234, others comment_12.
COMMENT_ID = re.compile(r"^(?:li-|div-)?comments?[-_](\d+)$|^c(\d{3,})$", re.IGNORECASE)
# Permalinks: #comment-12, /comment/12, ?showComment=…#c12, #c12.
_PERMALINK = re.compile(r"(?:#(?:li-|div-)?comment[-_]?(\d+)|/comment/(\d+)|#c(\d{3,}))\b")
_COMMENT_ID_ATTRS = ("data-comment-id", "data-commentid", "data-comment", "data-id")
# Where a flat list states a reply's parent: an attribute of the comment's element (the parent's
# number or its element id, "12" / "comment-12"), WordPress's comment_parent as a hidden input
# inside the comment, or an in-reply-to link to the parent's permalink.
_PARENT_ATTRS = (
    "data-parent",
    "data-parent-id",
    "data-comment-parent",
    "data-parent-comment",
    "data-reply-to",
    "comment_parent",
    "data-comment_parent",
)
_PARENT_INPUT = "comment_parent"
_REPLY_TO_RELS = frozenset({"in-reply-to"})
_REPLY_TO_CLASSES = frozenset({"in-reply-to", "u-in-reply-to"})
# Containers of replies placed after the comment they answer.
REPLY_CONTAINER = re.compile(
    r"^(?:indented|children|replies|reply-list|replies-list|comment-replies|comment-children|"
    r"child-comments|sub-?comments|nested-comments|comments-children|thread-replies)$"
)
_SAYS = re.compile(
    r"\s*\b(?:says|said|wrote|writes|commented|replied)(?:\s+(?:on|at)\b.*)?\s*:?\s*$",
    re.IGNORECASE,
)
_LEADING_SAYS = re.compile(r"^\s*(?:says|said|wrote)\s*:\s*", re.IGNORECASE)
_PING_PREFIX = re.compile(r"^\s*(?:pingback|trackback)\s*:\s*", re.IGNORECASE)
_AUTHOR_TRIM = " \t·•|:-–—,"
_MAX_AUTHOR_CHARS = 120
# Links that are buttons: never part of what the reader wrote.
_BUTTON_WORDS = frozenset(
    [
        "reply",
        "quote",
        "report",
        "flag",
        "share",
        "like",
        "unlike",
        "edit",
        "delete",
        "permalink",
        "link",
        "spam",
        "approve",
        "unapprove",
        "trash",
        "cancel",
        "reply",
        "to",
        "this",
        "comment",
        "report",
        "this",
        "comment",
        "report",
        "abuse",
        "reply to this",
        "report abuse",
        "report comment",
        "flag as inappropriate",
    ]
)
# Chrome in every comment system: screen-reader labels, reply/edit links, avatars, vote widgets.
_GENERIC_CHROME = frozenset(
    {
        "says",
        "screen-reader-text",
        "visually-hidden",
        "element-invisible",
        "sr-only",
        "hidden",
        "reply",
        "comment-reply",
        "comment-reply-link",
        "reply-link",
        "edit-link",
        "comment-edit-link",
        "comment-likes",
        "comment-like",
        "comment-actions",
        "comment-tools",
        "comment-footer-actions",
        "avatar",
        "user-picture",
        "comment-avatar",
    }
)
_CHROME_TAGS = frozenset({"nav", "form", "img", "picture"})
# Never searched for a comment's parts (a <meta itemprop> is: microdata keeps dates there).
_NOT_WALKED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg"})
_MAX_ALTERNATIVES = 8


def read_blocks(
    comment_elements: Sequence[Element], profile: Profile, *, page_url: str | None = None
) -> list[RawComment]:
    """The comments, in document order (``comment_elements`` must be in document order)."""
    index = RuleIndex(profile)
    blocks = {element: Block(element, classes(element)) for element in comment_elements}
    ordered = [blocks[element] for element in comment_elements]
    for block in ordered:
        _walk(block, blocks, index)
    only_blocks: dict[Element, bool] = {}
    for block in ordered:
        if block.parent is None:
            block.parent = _reply_container_parent(block, blocks, only_blocks)
    return _raw_comments(ordered, blocks, profile)


def _walk(block: Block, blocks: dict[Element, Block], index: RuleIndex) -> None:
    # The hot loop of big pages (every element of every comment): locals, no per-leaf work.
    found = block.found
    alternatives = block.alternatives
    hits_of = index.hits
    # A form's comment_parent is where a reply typed into it would go, not this comment's parent.
    form_inputs: set[Element] = set()
    stack = list(reversed(block.element))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _NOT_WALKED:
            continue
        nested = blocks.get(element)
        if nested is not None:
            nested.parent = block  # containment: the nearest enclosing comment
            continue
        for part, priority in hits_of(element, classes(element)):
            if part == "chrome":
                block.chrome.add(element)
                continue
            if part not in found or priority < found[part][0]:
                found[part] = (priority, element)
            if part in ("author", "date"):
                hits = alternatives.setdefault(part, [])
                if len(hits) < _MAX_ALTERNATIVES:
                    hits.append((priority, element))
        if block.id_element is None:
            own_id = element.get("id")
            if own_id and COMMENT_ID.match(own_id):
                block.id_element = element
        if tag == "a":
            if block.permalink is None or block.stated_parent is None:
                _read_link(block, element)
        elif tag == "input":
            name = element.get("name")
            if name == _PARENT_INPUT and block.stated_parent is None and element not in form_inputs:
                block.stated_parent = parent_reference(element.get("value"))
        elif tag == "form":
            form_inputs.update(element.iter("input"))  # once per form: forms do not nest
        if len(element):
            stack.extend(reversed(element))


def _read_link(block: Block, link: Element) -> None:
    href = link.get("href") or ""
    rels = (link.get("rel") or "").lower().split()
    if block.stated_parent is None and (
        _REPLY_TO_RELS.intersection(rels) or _REPLY_TO_CLASSES & classes(link)
    ):
        block.stated_parent = parent_reference(href)
        return  # the parent's permalink, not this comment's
    if block.permalink is None:
        match = _PERMALINK.search(href)
        if match:
            block.permalink = next(g for g in match.groups() if g)


def parent_reference(value: str | None) -> str | None:
    """A stated parent as a key: "12", "comment-12", "#comment-12", ".../post/#comment-12"."""
    value = (value or "").strip()
    if not value:
        return None
    match = _PERMALINK.search(value)
    if match:
        return next(g for g in match.groups() if g)
    fragment = value.rsplit("#", 1)[-1] if "#" in value else value
    return comment_number(fragment) or fragment or None


def _reply_container_parent(
    block: Block, blocks: dict[Element, Block], only_blocks: dict[Element, bool]
) -> Block | None:
    """The comment right before the reply container this comment sits in, if any."""
    element = block.element
    for _ in range(3):  # the container wraps the reply directly or through a list/wrapper or two
        container = element.getparent()
        if container is None:
            return None
        if container in blocks:
            return None
        if container not in only_blocks:  # asked once per container: a list of 10,000 comments
            only_blocks[container] = _only_blocks(container, blocks)
        reply_container = any(REPLY_CONTAINER.match(c) for c in classes(container))
        if reply_container or only_blocks[container]:
            before = _previous_element(container)
            if before is not None and before in blocks:
                return blocks[before]
            if before is not None and not reply_container:
                return None
        element = container
    return None


def _only_blocks(container: Element, blocks: dict[Element, Block]) -> bool:
    children = [c for c in container if isinstance(c.tag, str) and not _is_anchor(c)]
    return bool(children) and all(c in blocks for c in children)


def _previous_element(element: Element) -> Element | None:
    before = element.getprevious()
    while before is not None and (not isinstance(before.tag, str) or _is_anchor(before)):
        before = before.getprevious()
    return before


def _is_anchor(element: Element) -> bool:
    # Drupal's <a id="comment-12"></a> before each comment.
    return element.tag == "a" and element.get("href") is None and not len(element)


def anchor_before(element: Element) -> Element | None:
    """Drupal's ``<a id="comment-N"></a>`` right before the comment's element."""
    before = element.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    if before is not None and _is_anchor(before) and COMMENT_ID.match(before.get("id") or ""):
        return before
    return None


def comment_number(value: str | None) -> str | None:
    match = COMMENT_ID.match(value or "")
    return next(g for g in match.groups() if g) if match else None


def generic_key(block: Block) -> str | None:
    element = block.element
    own = comment_number(element.get("id"))
    if own:
        return own
    for attr in _COMMENT_ID_ATTRS:
        value = (element.get(attr) or "").strip()
        if value:
            return value
    anchor = anchor_before(element)
    if anchor is not None:
        return comment_number(anchor.get("id"))
    if block.id_element is not None:
        return comment_number(block.id_element.get("id"))
    return block.permalink


def generic_parent_key(block: Block) -> str | None:
    for attr in _PARENT_ATTRS:
        value = parent_reference(block.element.get(attr))
        if value:
            return value
    return block.stated_parent


def _raw_comments(
    ordered: list[Block], blocks: dict[Element, Block], profile: Profile
) -> list[RawComment]:
    keys: dict[Block, str] = {}
    parts: list[tuple[Block, str | None, str | None, str, CommentKind, str | None]] = []
    for block in ordered:
        kind = profile.kind(block) if profile.kind else default_kind(block)
        author = block_author(block, kind)
        posted_at = block_date(block)
        text = block_body(block, blocks, kind)
        key = (profile.key or generic_key)(block) or ""
        if not key:
            # No platform id in the markup: the comment's own words key it, so the id survives
            # re-parses and new comments above it (build_thread separates exact duplicates).
            key = "h" + stable_id(author, posted_at, text)
        keys[block] = key
        status = "pending" if "pending" in block.found else None
        parts.append((block, author, posted_at, text, kind, status))
    known = set(keys.values())
    aliases: dict[str, str] = {}
    if profile.aliases is not None:
        for block in ordered:
            for alias in profile.aliases(block):
                if alias not in known:
                    aliases.setdefault(alias, keys[block])
    raws = []
    for block, author, posted_at, text, kind, status in parts:
        parent_key = None
        stated = profile.parent_key(block) if profile.parent_key else generic_parent_key(block)
        stated = aliases.get(stated, stated) if stated else stated
        if stated and stated in known and stated != keys[block]:
            parent_key = stated
        elif block.parent is not None:
            parent_key = keys[block.parent]
        raws.append(
            RawComment(
                key=keys[block],
                parent_key=parent_key,
                author=author,
                text=text,
                kind=kind,
                posted_at=posted_at,
                status=status,
            )
        )
    return raws


def default_kind(block: Block) -> CommentKind:
    return "pingback" if block.classes & {"pingback", "trackback"} else "comment"


def candidates(block: Block, part: str) -> list[Element]:
    return [e for _p, e in sorted(block.alternatives.get(part, ()), key=lambda hit: hit[0])]


def block_author(block: Block, kind: CommentKind) -> str | None:
    date = block.get("date")

    def skip(node: Element) -> bool:
        return node is date or node.tag == "time" or _is_chrome(node, block)

    for element in candidates(block, "author"):
        if element.get("itemscope") is not None:
            # A microdata Person: its name, not its photo caption or URL.
            element = next(
                (e for e in element.iter() if "name" in (e.get("itemprop") or "").split()),
                element,
            )
        name = clean_author(element.get("content") or line_text(element, skip))
        if name:
            return name
    if kind == "pingback":
        for link in block.element.iter("a"):
            name = collapse("".join(link.itertext()))
            if name:
                return name
    return None


# "by Dee", "Posted by: Rosa": a byline's words before a name. Only as people write them (lower
# or title case) and before a letter, so a name such as "FROM 1" or "BY THE SEA" stays whole.
_BYLINE = re.compile(r"^(?:[Bb]y|[Pp]osted by|[Ss]ubmitted by|[Ff]rom)\s*:?\s+(?=[^\W\d_])")


def clean_author(text: str) -> str | None:
    name = _SAYS.sub("", collapse(text)).strip(_AUTHOR_TRIM)
    name = _BYLINE.sub("", name)
    if not name or len(name) > _MAX_AUTHOR_CHARS:
        return None
    return name


def block_date(block: Block) -> str | None:
    for element in candidates(block, "date"):
        value = element_date(element)
        if value:
            return value
    return None


def element_date(element: Element) -> str | None:
    for attr in ("datetime", "content", "title", "data-time", "data-timestamp", "data-date"):
        value = element.get(attr)
        if value:
            parsed = parse_date(value)
            if parsed:
                return parsed
    time = element if element.tag == "time" else next(element.iter("time"), None)
    if time is not None and time is not element and time.get("datetime"):
        parsed = parse_date(time.get("datetime"))
        if parsed:
            return parsed
    return parse_date(line_text(element))


def block_body(block: Block, blocks: dict[Element, Block], kind: CommentKind) -> str:
    body = block.get("body")
    root = body if body is not None else block.element
    meta = set()
    if body is None:
        # The whole comment element is the body: leave out what was read as byline and date.
        meta = {e for e in (block.get("author"), block.get("date")) if e is not None}

    def skip(node: Element) -> bool:
        return node in blocks or node in meta or _is_chrome(node, block)

    text = block_text(root, skip)
    text = _LEADING_SAYS.sub("", text)
    if kind == "pingback":
        text = _PING_PREFIX.sub("", text)
    return text


def _is_chrome(node: Element, block: Block) -> bool:
    if node in block.chrome:
        return True
    tag = node.tag
    if tag in _CHROME_TAGS:
        return True
    node_classes = classes(node)
    if node_classes & _GENERIC_CHROME:
        return True
    if node.get("aria-hidden") == "true" or node.get("hidden") is not None:
        return True
    if (tag == "a" or tag == "span") and len(node) <= 2 and all(not len(c) for c in node):
        text = "".join(node.itertext())
        if len(text) <= 40 and collapse(text).lower() in _BUTTON_WORDS:
            return True
    return False
