"""Why a page shows fewer comments than it has: third-party embeds, script-loaded threads, counts.

A saved page can hold a comment section whose comments are not in its markup: a Disqus, Coral,
Facebook or other embed (the comments live on that service), a thread the page's script fetches
after load (Epoch, AJAX-loaded themes), or a "42 comments" heading above a first page of replies.
Each of these becomes one warning naming the reason, so a zero is never silent.
"""

from __future__ import annotations

import re

from moderation.parsing.html.dom import Element, collapse
from moderation.parsing.html.page import Page
from moderation.parsing.html.text import line_text

# (service, XPath that finds its embed in the page). Scripts are matched by their src and, for
# inline loaders, their text; the containers by the ids and classes each service documents.
_EMBEDS: tuple[tuple[str, str], ...] = (
    (
        "Disqus",
        "//*[@id='disqus_thread'] | //script[contains(@src, 'disqus.com')]"
        " | //iframe[contains(@src, 'disqus.com/embed')]"
        " | //script[contains(., 'disqus_config') or contains(., '.disqus.com/embed.js')]",
    ),
    (
        "Coral",
        "//*[@id='coral_thread' or @id='coral_talk_stream' or @id='coral-comments']"
        " | //script[contains(., 'Coral.createStreamEmbed') or contains(., 'Coral.Talk.render')]"
        " | //iframe[contains(@src, 'coral')][contains(@src, 'stream')]",
    ),
    (
        "Facebook comments",
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' fb-comments ')]"
        " | //*[local-name()='fb:comments']",
    ),
    ("OpenWeb (Spot.IM)", "//*[@data-spotim-module] | //script[contains(@src, 'spot.im')]"),
    ("Viafoura", "//*[contains(@class, 'viafoura') or local-name()='vf-conversations']"),
    ("Commento", "//*[@id='commento'] | //script[contains(@src, 'commento')]"),
    ("Hyvor Talk", "//*[@id='hyvor-talk-view' or local-name()='hyvor-talk-comments']"),
    ("Remark42", "//*[@id='remark42'] | //script[contains(., 'remark_config')]"),
    ("Giscus", "//script[contains(@src, 'giscus.app')] | //*[contains(@class, 'giscus')]"),
    ("Utterances", "//script[contains(@src, 'utteranc.es')]"),
    ("Isso", "//*[@id='isso-thread'] | //script[@data-isso]"),
    ("Discourse", "//*[@id='discourse-comments'] | //script[contains(., 'DiscourseEmbed')]"),
    ("IntenseDebate", "//*[@id='idc-container'] | //script[contains(@src, 'intensedebate')]"),
    ("Livefyre", "//*[@id='livefyre-comments' or @id='livefyre']"),
    ("Vuukle", "//*[@id='vuukle-comments' or @id='vuukle-emote']"),
    ("Hypercomments", "//*[@id='hypercomments_widget']"),
    ("Cusdis", "//*[@id='cusdis_thread']"),
    ("Talkyard", "//*[contains(@class, 'talkyard-comments')]"),
    ("Ghost comments", "//script[@data-ghost-comments or contains(@src, 'comments-ui')]"),
)
# A comment area the page's own script fills: Epoch's container, AJAX placeholders, templates.
_SCRIPTED = (
    "//*[@id='epoch-comments'][not(*)]"
    " | //script[contains(@type, 'template')][contains(., 'comment')]"
    " | //template[contains(., 'comment')]"
    " | //*[@data-comments-url or @data-comments-src or @data-load-comments]"
)
_COUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\s+(?:comments?|replies|responses|reactions? and comments"
    r"|thoughts?\s+on|opinions?)\b",
    re.IGNORECASE,
)
_COUNT_WORDS = re.compile(r"^(?:one|a single)\s+(?:comment|reply|response|thought)\b", re.I)
_COUNT_PLACES = (
    "//h1 | //h2 | //h3 | //h4 | //h5 | //h6"
    " | //*[contains(@class, 'comments-title') or contains(@class, 'comment-count')"
    " or contains(@class, 'comments-count') or contains(@id, 'comments-title')"
    " or contains(@class, 'comment-count-area') or contains(@class, 'comments-link')]"
)
_COMMENT_AREA = (
    "//*[@id='comments' or @id='respond' or @id='disqus_thread' or @id='coral_thread'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' comments-area ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' comments ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' comment-respond ')]"
)
_MAX_HEADING_CHARS = 120


def embeds(page: Page) -> list[str]:
    """The third-party comment services embedded in the page."""
    return [name for name, query in _EMBEDS if page.xpath(query)]


def scripted(page: Page) -> bool:
    return bool(page.xpath(_SCRIPTED))


def comment_areas(page: Page) -> list[Element]:
    return page.xpath(_COMMENT_AREA)


def stated_count(page: Page, json_ld: list[object], excluded: set[Element]) -> int | None:
    """The number of comments the page says it has, from a heading or its structured data."""
    for node in _json_ld_nodes(json_ld):
        value = node.get("commentCount")
        if isinstance(value, int | str) and str(value).strip().isdigit():
            return int(str(value).strip())
    for element in page.xpath("//*[@itemprop='commentCount' or @itemprop='interactionCount']"):
        value = element.get("content") or collapse("".join(element.itertext()))
        match = re.search(r"(\d+)", value or "")
        if match and ("UserComments" in (value or "") or element.get("itemprop") == "commentCount"):
            return int(match.group(1))
    for element in page.xpath(_COUNT_PLACES):
        if element in excluded or _inside(element, excluded):
            continue
        text = line_text(element)
        if not text or len(text) > _MAX_HEADING_CHARS:
            continue
        match = _COUNT.search(text)
        if match:
            return int(match.group(1).replace(",", ""))
        if _COUNT_WORDS.search(text):
            return 1
    return None


def _inside(element: Element, excluded: set[Element]) -> bool:
    return any(a in excluded for a in element.iterancestors())


def _json_ld_nodes(blocks: list[object]) -> list[dict[str, object]]:
    nodes: list[dict[str, object]] = []
    stack: list[object] = list(blocks)
    while stack and len(nodes) < 10_000:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            nodes.append(node)
            stack.extend(
                v for k, v in node.items() if k in {"@graph", "mainEntity", "mainEntityOfPage"}
            )
    return nodes
