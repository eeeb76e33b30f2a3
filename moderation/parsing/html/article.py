"""The article around the comments: URL, title, date, main text and discussion policy.

Title: the page's headline (``<h1>``, ``itemprop=headline``, ``.entry-title``) when ``og:title`` or
``<title>`` confirm it, else ``og:title``, else the first headline, else ``<title>`` without the
site name. Headlines inside comments, comment areas, navigation and sidebars never count, so a
commenter's byline cannot become the title.

Body: the readability approach. The content block a CMS marks (``itemprop=articleBody``,
``.entry-content``, Drupal's ``.field--name-body``…) when there is one, else the element whose
paragraphs carry the most text; its text without navigation, share bars, related links, comment
areas and forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from moderation.parsing.html.dom import Element, classes, collapse
from moderation.parsing.html.human_dates import parse_date
from moderation.parsing.html.page import Page, has_class
from moderation.parsing.html.text import block_text, line_text
from moderation.policy import parse_policy
from moderation.records import Policy

UNTITLED = "(untitled page)"
# Classes and ids of page chrome inside or around the article text.
_CHROME_NAMES = re.compile(
    r"(?<![a-z])(?:share|sharing|social|related|navigation|nav-links|post-nav|breadcrumb|"
    r"newsletter|subscribe|advert|ad-slot|ad-container|promo(?:s|tion|box)?(?![a-z])|author-bio|"
    r"tags-links|cat-links|entry-footer|sidebar|widget|comments?-area|comment-respond|respond|"
    r"skip-link|screen-reader|print-only|jp-relatedposts|wp-block-comments|read-more|more-link)",
    re.IGNORECASE,
)
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "form"})
_CONTENT = (
    "//*[@itemprop='articleBody']",
    f"//*[{has_class('entry-content')}]",
    f"//*[{has_class('post-content')}]",
    f"//*[{has_class('article-body')}]",
    f"//*[{has_class('article-content')}]",
    f"//*[{has_class('story-body')}]",
    f"//*[{has_class('field--name-body')} or {has_class('field-name-body')}]",
    f"//*[{has_class('post-body')} or {has_class('entry-body')} or {has_class('content-body')}]",
)
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|text", re.IGNORECASE)
_NEGATIVE = re.compile(
    r"comment|meta|footer|footnote|sidebar|widget|related|share|nav|menu|promo|ad-", re.I
)
_HEADLINES = "//h1 | //*[@itemprop='headline'] | //*[{}] | //*[{}] | //*[{}]".format(
    has_class("entry-title"), has_class("post-title"), has_class("article-title")
)
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")
_POLICY_HEADING = re.compile(
    r"^(?:our\s+|the\s+|a\s+note\s+on\s+(?:our\s+)?)?"
    r"(?:discussion|comments?|commenting|community|readers?'?|reader\s+comments?)\s+"
    r"(?:policy|policies|guidelines|rules|standards|code\s+of\s+conduct)\s*:?$"
    r"|^(?:house\s+rules|rules\s+for\s+(?:commenting|comments|commenters))\s*:?$",
    re.IGNORECASE,
)
_POLICY_LEAD = re.compile(
    r"^\s*(?:our\s+)?(?:discussion|comments?|commenting|community)\s+"
    r"(?:policy|guidelines|rules)\s*:\s*",
    re.IGNORECASE,
)
_POLICY_CONTAINER = re.compile(
    r"(?:comment|discussion)s?[-_]?(?:policy|guidelines|rules)|community[-_]?guidelines", re.I
)
_POLICY_CONTAINERS = " | ".join(
    f"//*[contains(@id, '{part}') or contains(@class, '{part}')]"
    for part in ("olic", "uideline", "ules")
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MIN_POLICY_CHARS = 40
_MAX_POLICY_CHARS = 20_000
_MIN_PARAGRAPH_CHARS = 25


_BRANDING = re.compile(r"site-title|site-name|logo|branding|masthead|site-header", re.I)


def _branding(element: Element) -> bool:
    for node in (element, *element.iterancestors()):
        name = f"{node.get('id') or ''} {node.get('class') or ''}"
        if name.strip() and _BRANDING.search(name):
            return True
    return False


class ArticleReader:
    """Reads one page.

    ``comments``: the comments' own elements (never read for anything else); ``areas``: their
    containers and the page's comment sections (kept out of title and body, but searched for a
    discussion policy, which themes often print above the thread).
    """

    def __init__(
        self,
        page: Page,
        comments: Iterable[Element],
        areas: Iterable[Element],
        json_ld: list[object],
    ) -> None:
        self.page = page
        self.comments = set(comments)
        self.excluded = self.comments | set(areas)
        self.json_ld = [n for n in json_ld if isinstance(n, dict)]

    # -- where things are ---------------------------------------------------------------------

    def _in_excluded(self, element: Element) -> bool:
        return element in self.excluded or any(a in self.excluded for a in element.iterancestors())

    def _in_comments(self, element: Element) -> bool:
        return element in self.comments or any(a in self.comments for a in element.iterancestors())

    def _is_chrome(self, element: Element) -> bool:
        if element.tag in _CHROME_TAGS:
            return True
        name = f"{element.get('id') or ''} {element.get('class') or ''}"
        return bool(name.strip()) and bool(_CHROME_NAMES.search(name))

    def _in_chrome(self, element: Element) -> bool:
        # <body class="one-sidebar sidebar-first"> describes the layout, not a sidebar.
        return any(
            self._is_chrome(a) for a in element.iterancestors() if a.tag not in {"body", "html"}
        )

    # -- fields -------------------------------------------------------------------------------

    def url(self) -> str | None:
        for query, attr in (
            ("//link[contains(concat(' ', @rel, ' '), ' canonical ')]", "href"),
            ("//meta[@property='og:url']", "content"),
            ("//link[contains(concat(' ', @rel, ' '), ' shortlink ')]", "href"),
        ):
            for element in self.page.xpath(query):
                value = (element.get(attr) or "").strip()
                # A relative link ("/node/14", as Drupal 7 writes it) names no site: not a key.
                if value.startswith(("http://", "https://")):
                    return value
        return None

    def headline(self) -> Element | None:
        """The article's headline element, if the page marks one outside the comments."""
        confirmations = [c.lower() for c in self._title_sources() if c]
        first = None
        confirmed: tuple[int, Element] | None = None
        for element in self.page.xpath(_HEADLINES):
            if self._in_excluded(element) or self._in_chrome(element) or _branding(element):
                continue
            text = collapse(line_text(element))
            if not text:
                continue
            # The longest headline the title confirms: the site's name is in <title> as well.
            if any(text.lower() in c for c in confirmations) and (
                confirmed is None or len(text) > confirmed[0]
            ):
                confirmed = (len(text), element)
            if first is None and element.tag == "h1":
                first = element
        return confirmed[1] if confirmed is not None else first

    def _title_sources(self) -> list[str]:
        sources = []
        for query in ("//meta[@property='og:title']", "//meta[@name='twitter:title']"):
            sources.extend(collapse(e.get("content")) for e in self.page.xpath(query))
        sources.extend(collapse(line_text(e)) for e in self.page.xpath("//head/title"))
        sources.extend(collapse(str(n.get("headline") or "")) for n in self.json_ld)
        return [s for s in sources if s]

    def title(self, headline: Element | None) -> str:
        og = next(
            (collapse(e.get("content")) for e in self.page.xpath("//meta[@property='og:title']")),
            "",
        )
        if headline is not None:
            text = collapse(line_text(headline))
            confirmations = [c.lower() for c in self._title_sources()]
            if any(text.lower() in c for c in confirmations) or not og:
                return text
        if og:
            return og
        for node in self.json_ld:
            if node.get("headline"):
                return collapse(str(node["headline"]))
        for element in self.page.xpath("//head/title"):
            text = collapse(line_text(element))
            if text:
                return _SITE_SUFFIX.sub("", text) or text
        return UNTITLED

    def published_at(self) -> str | None:
        for query, attr in (
            ("//meta[@property='article:published_time']", "content"),
            ("//*[@itemprop='datePublished']", "content"),
        ):
            for element in self.page.xpath(query):
                value = parse_date(element.get(attr) or element.get("datetime"))
                if value:
                    return value
        for node in self.json_ld:
            value = parse_date(str(node.get("datePublished") or ""))
            if value:
                return value
        for query in ("//article//time[contains(@class, 'published')]", "//article//time"):
            for element in self.page.xpath(query):
                if self._in_excluded(element) or not element.get("datetime"):
                    continue
                value = parse_date(element.get("datetime"))
                if value:
                    return value
        return None

    def body(self, headline: Element | None = None) -> str:
        container = self._content_block()
        if container is None:
            return ""

        def skip(node: Element) -> bool:
            return node is headline or node in self.excluded or self._is_chrome(node)

        return block_text(container, skip)

    def _content_block(self) -> Element | None:
        for query in _CONTENT:
            for element in self.page.xpath(query):
                if not self._in_excluded(element) and not self._in_chrome(element):
                    return element
        best = self._best_scored()
        if best is not None:
            return best
        return next(iter(self.page.xpath("//main | //article | //body")), None)

    def _best_scored(self) -> Element | None:
        scores: dict[Element, float] = {}
        for paragraph in self.page.xpath("//p | //pre | //blockquote"):
            if paragraph in self.excluded:
                continue
            text = collapse("".join(paragraph.itertext()))
            if len(text) < _MIN_PARAGRAPH_CHARS:
                continue
            score = 1 + text.count(",") + min(len(text) / 100, 3)
            parent = paragraph.getparent()
            if parent is None:
                continue
            scores[parent] = scores.get(parent, 0) + score
            grandparent = parent.getparent()
            if grandparent is not None:
                scores[grandparent] = scores.get(grandparent, 0) + score / 2
        best, best_score = None, 0.0
        for element, score in scores.items():
            if self._in_excluded(element) or self._in_chrome(element) or self._is_chrome(element):
                continue
            name = f"{element.get('id') or ''} {element.get('class') or ''}"
            score += 25 * bool(_POSITIVE.search(name)) - 25 * bool(_NEGATIVE.search(name))
            if score > best_score:
                best, best_score = element, score
        return best

    # -- policy -------------------------------------------------------------------------------

    def policy(self) -> Policy | None:
        """The page's discussion policy; its elements join ``excluded`` (kept out of the body)."""
        for element in self.page.xpath(_POLICY_CONTAINERS):
            name = f"{element.get('id') or ''} {' '.join(classes(element))}"
            if not _POLICY_CONTAINER.search(name) or self._in_comments(element):
                continue
            heading = next((h for h in element.iter(*_HEADINGS)), None)

            def skip(node: Element, heading: Element | None = heading) -> bool:
                return node is heading

            text = block_text(element, skip)
            if len(text) < _MIN_POLICY_CHARS:
                continue  # a link or label naming the policy is not the policy itself
            self.excluded.add(element)
            return parse_policy(text[:_MAX_POLICY_CHARS])
        candidates = self.page.xpath("//h1|//h2|//h3|//h4|//h5|//h6|//strong|//b|//p|//dt")
        for heading in candidates:
            text = collapse(line_text(heading))
            if _POLICY_HEADING.match(text) and len(text) <= 80:
                if self._in_comments(heading):
                    continue
                found = self._policy_after(heading)
            elif heading.tag == "p" and _POLICY_LEAD.match(text):
                if self._in_comments(heading):
                    continue
                found = self._policy_inline(heading)
            else:
                continue
            if found is not None:
                return found
        return None

    def _policy_after(self, heading: Element) -> Policy | None:
        anchor = heading
        wrapper = heading.getparent()
        if heading.tag in {"strong", "b"} and wrapper is not None and wrapper.tag == "p":
            if collapse(line_text(wrapper)) == collapse(line_text(heading)):
                anchor = wrapper  # "<p><strong>Policy</strong></p>": paragraphs follow the <p>
            else:
                return self._policy_inline(wrapper)  # "<p><b>Policy:</b> Be kind.</p>"
        parts: list[Element] = []
        for sibling in anchor.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            sibling_text = collapse(line_text(sibling))
            if sibling.tag in _HEADINGS or _POLICY_HEADING.match(sibling_text):
                break
            parts.append(sibling)
        text = "\n\n".join(t for t in (block_text(p) for p in parts) if t)
        self.excluded.update([anchor, *parts])
        if not text:
            return None
        return parse_policy(text[:_MAX_POLICY_CHARS])

    def _policy_inline(self, paragraph: Element) -> Policy | None:
        text = _POLICY_LEAD.sub("", block_text(paragraph))
        text = re.sub(r"^[^:]{0,60}:\s*", "", text) if not _POLICY_LEAD.match(text) else text
        if len(text) < 10:
            return None
        self.excluded.add(paragraph)
        return parse_policy(text[:_MAX_POLICY_CHARS])
