"""The coordinator: one saved article page -> one Article, with how its comments were found.

Strategies run from the most specific markup to the most general; the first that finds comments
wins, and its name is the article's ``extraction``. Warnings say what the page shows but the
markup does not hold (an embed, a script-loaded thread, a larger stated count), so a zero is never
silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from moderation.fingerprint import stable_id
from moderation.parsing.html import (
    drupal,
    microformats,
    plugins,
    schema_org,
    semantic,
    structural,
    wordpress,
)
from moderation.parsing.html.article import ArticleReader
from moderation.parsing.html.dom import Element, load_document
from moderation.parsing.html.embeds import comment_areas, embeds, scripted, stated_count
from moderation.parsing.html.page import Found, Page
from moderation.parsing.threads import build_thread
from moderation.records import Article

_HTML_START = re.compile(r"<!doctype\s+html|<html\b|<head\b|<body\b", re.IGNORECASE)
_SNIFF_LIMIT = 4096


def sniff_html(head: str, suffix: str) -> bool:
    """A saved page: starts (after an XML prolog and comments) with doctype/html/head/body."""
    position = _skip_prolog(head)
    if _HTML_START.match(head, position):
        return True
    return suffix in {"html", "htm", "xhtml"} and head.lstrip().startswith("<")


def _skip_prolog(head: str) -> int:
    # A loop over str.find, not a regex: "<!---->" * 26 must not backtrack (issue 11).
    position = len(head) - len(head.lstrip())
    if head.startswith("<?xml", position):
        end = head.find("?>", position)
        position = len(head) if end < 0 else end + 2
    while position < min(len(head), _SNIFF_LIMIT * 4):
        while position < len(head) and head[position].isspace():
            position += 1
        if not head.startswith("<!--", position):
            break
        end = head.find("-->", position + 4)
        if end < 0:
            return len(head)
        position = end + 3
    return position


def _strategies(headline: Element | None) -> list[Callable[[Page], Found | None]]:
    return [
        plugins.find_wpdiscuz,
        plugins.find_epoch,
        drupal.find,
        wordpress.find,
        microformats.find_mf2,
        lambda page: microformats.find_hatom(page, headline),
        schema_org.find_microdata,
        schema_org.find_json_ld,
        semantic.find,
        structural.find,
    ]


# Is any element 200 levels below the document's root? One XPath step per level, each over the
# previous step's nodes: linear, in C, however deep the page is.
_DEEP = etree.XPath("boolean(" + "/*" * 201 + ")")


def _is_deep(root: Element) -> bool:
    return bool(_DEEP(root))


def parse_html_article(text: str, *, source: str) -> Article:
    root = load_document(text, source=source)
    # lxml frees an element's Python proxy by walking up its ancestors, so every walk that
    # makes and drops proxies costs O(depth) per element: quadratic on a deeply nested page
    # (200,000 nested divs: 179 s). Holding one proxy per node for the whole parse makes every
    # walk reuse them; the list frees them last-first (a child before its parent), O(1) each.
    # On ordinary pages (shallow) that costs more than it saves (~5 %), so only deep ones.
    proxies = list(root.iter()) if _is_deep(root) else None
    page = Page(root=root, source=source, url=None, raw=text)
    json_ld, json_notes = schema_org.json_ld_objects(page)
    areas = comment_areas(page)
    # The headline is looked for outside comment areas first, so hAtom can tell post from comments.
    pre_reader = ArticleReader(page, (), areas, json_ld)
    headline = pre_reader.headline()
    found: Found | None = None
    for strategy in _strategies(headline):
        found = strategy(page)
        if found is not None and found.raws:
            break
        found = None

    comment_elements = found.elements if found is not None else ()
    containers = [*areas, *(found.containers if found is not None else ())]
    reader = ArticleReader(page, comment_elements, containers, json_ld)
    url = reader.url()
    policy = reader.policy()
    if headline is None or reader.excludes(headline):
        headline = reader.headline()
    title = reader.title(headline)
    body = reader.body(headline)
    # The permalink is the platform's key for a post; a page saved without one has only its words.
    article_id = stable_id("wp-html", url) if url else stable_id("wp-html", title, body)
    raws = found.raws if found is not None else []
    comments = build_thread(raws, article_id=article_id, subject=source)
    warnings = _warnings(page, found, json_ld, json_notes, areas)
    del proxies  # here, after every walk (named so the reason above stays next to it)
    return Article(
        id=article_id,
        source=source,
        title=title,
        body=body,
        policy=policy,
        comments=comments,
        url=url,
        published_at=reader.published_at(),
        extraction=found.strategy if found is not None else None,
        warnings=tuple(warnings),
    )


def _warnings(
    page: Page,
    found: Found | None,
    json_ld: list[object],
    json_notes: list[str],
    areas: list[Element],
) -> list[str]:
    warnings: list[str] = list(json_notes)
    count = len(found.raws) if found is not None else 0
    services = embeds(page)
    if services and count == 0:
        names = " and ".join(services)
        warnings.append(
            f"comments are served by {names} (an embed): they are not in the saved page; "
            f"export them from {names} instead"
        )
    elif services:
        warnings.append(
            f"the page also embeds {' and '.join(services)}: comments posted there are not in "
            "the saved page"
        )
    if count == 0 and not services and scripted(page):
        warnings.append(
            "the comment section is filled by the page's script after loading: its comments are "
            "not in the saved markup; save the page after the comments have loaded, or export them"
        )
    stated = stated_count(page, json_ld, set(found.elements) if found is not None else set())
    readers = sum(1 for r in found.raws if r.kind == "comment") if found is not None else 0
    if stated is not None and stated > max(count, readers):
        if count == 0:
            warnings.append(
                f"the page says it has {stated} comments, but none are in its markup (loaded by "
                "script, on another comment page, or in markup no strategy reads)"
            )
        else:
            warnings.append(
                f"the page says it has {stated} comments; {count} are in its markup (the rest may "
                "be on further comment pages or loaded by script)"
            )
    if count == 0 and not warnings and any(_has_thread_markup(a) for a in areas):
        warnings.append(
            "the page has a comment section, but no comments could be read from it (its markup "
            "is not one Threadwatch knows, or the comments were not saved)"
        )
    if found is not None and found.strategy == "structural":
        warnings.append(
            "comments were found by their repeated layout (no known comment markup): check the "
            "authors and reply structure"
        )
    warnings.extend(found.notes if found is not None else ())
    return warnings


def _has_thread_markup(area: Element) -> bool:
    # A comment form alone ("Leave a Reply", "Comments are closed") is not a thread.
    text_blocks = [e for e in area.iter("li", "article", "blockquote") if len(e)]
    return len(text_blocks) > 0
