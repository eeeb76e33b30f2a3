"""Why a page shows fewer comments than it has: third-party embeds, script-loaded threads, counts.

A saved page can hold a comment section whose comments are not in its markup: a Disqus, Coral,
Facebook or other embed (the comments live on that service), a thread the page's script fetches
after load (Epoch, AJAX-loaded themes), or a "42 comments" heading above a first page of replies.
Each of these becomes one warning naming the reason, so a zero is never silent.
"""

from __future__ import annotations

import re

from moderation.parsing.html.dom import Element, collapse
from moderation.parsing.html.page import Page, any_class
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
    "//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
    " or contains(@class, 'comments-title') or contains(@class, 'comment-count')"
    " or contains(@class, 'comments-count') or contains(@id, 'comments-title')"
    " or contains(@class, 'comments-link')]"
)
# id() is libxml2's hash lookup of HTML ids: no traversal.
_AREA_IDS = "id('comments') | id('respond') | id('disqus_thread') | id('coral_thread')"
_COMMENT_AREA = (
    "//*[@id='comments' or @id='respond' or @id='disqus_thread' or @id='coral_thread' or "
    + any_class("comments-area", "comments", "comment-respond")
    + "]"
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MAX_HEADING_CHARS = 120
_ITEMPROP_COUNT = "//*[@itemprop='commentCount' or @itemprop='interactionCount']"


# Words that give a service away in ids, classes, script sources or inline loaders.
_EMBED_WORDS = re.compile(
    r"disqus|coral|fb-comments|fb:comments|spot\.?im|spotim|viafoura|vf-|commento|hyvor|"
    r"remark|giscus|utteranc|isso|discourse|intensedebate|idc-container|livefyre|vuukle|"
    r"hypercomments|cusdis|talkyard|ghost",
    re.IGNORECASE,
)


def embeds(page: Page) -> list[str]:
    """The third-party comment services embedded in the page."""
    survey = " ".join(page.survey.get(name, "") for name in ("id", "class", "src"))
    scripts = [
        e for e in page.root.iter("script", "iframe") if e.tag == "iframe" or not e.get("src")
    ]
    if not _EMBED_WORDS.search(survey) and not any(_mentions_service(e) for e in scripts):
        return []
    return [name for name, query in _EMBEDS if page.xpath(query)]


def _mentions_service(element: Element) -> bool:
    attributes = " ".join(f"{k}={v}" for k, v in element.attrib.items())
    text = element.text or "" if element.tag == "script" else ""
    return bool(_EMBED_WORDS.search(f"{element.tag} {attributes} {text[:20000]}"))


def scripted(page: Page) -> bool:
    return bool(page.xpath(_SCRIPTED))


def comment_areas(page: Page) -> list[Element]:
    class_words = set(page.survey.get("class", "").split())
    query = _AREA_IDS
    if class_words & {"comments-area", "comments", "comment-respond"}:
        query = _COMMENT_AREA  # the class tests cost a traversal of their own: only when present
    return page.xpath(query)


def stated_count(page: Page, json_ld: list[object], excluded: set[Element]) -> int | None:
    """The number of comments the page says it has, from a heading or its structured data."""
    for node in _json_ld_nodes(json_ld):
        value = node.get("commentCount")
        if isinstance(value, int | str) and str(value).strip().isdigit():
            return int(str(value).strip())
    counts = ("commentcount", "interactioncount")
    for element in page.xpath(_ITEMPROP_COUNT) if page.mentions("itemprop", *counts) else ():
        value = element.get("content") or collapse("".join(element.itertext()))
        match = re.search(r"(\d+)", value or "")
        if match and ("UserComments" in (value or "") or element.get("itemprop") == "commentCount"):
            return int(match.group(1))
    named = page.mentions("class", "comments-title", "comment-count", "comments-count") or (
        page.mentions("class", "comments-link") or page.mentions("id", "comments-title")
    )
    for element in page.xpath(_COUNT_PLACES) if named else page.root.iter(*_HEADINGS):
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
