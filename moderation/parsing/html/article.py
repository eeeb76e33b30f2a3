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
from typing import cast

from lxml import etree

from moderation.parsing.html.dom import Element, classes, collapse, passes_upward
from moderation.parsing.html.human_dates import parse_date
from moderation.parsing.html.page import Page, has_class
from moderation.parsing.html.text import block_text, line_text
from moderation.parsing.policy import parse_policy
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
# (a word the page's survey must hold, the query): content blocks the CMSs mark, best first.
_CONTENT = (
    ("articlebody", "//*[@itemprop='articleBody']"),
    ("entry-content", f"//*[{has_class('entry-content')}]"),
    ("post-content", f"//*[{has_class('post-content')}]"),
    ("article-body", f"//*[{has_class('article-body')}]"),
    ("article-content", f"//*[{has_class('article-content')}]"),
    ("story-body", f"//*[{has_class('story-body')}]"),
    ("name-body", f"//*[{has_class('field--name-body')} or {has_class('field-name-body')}]"),
    ("-body", f"//*[{has_class('post-body')} or {has_class('entry-body')}]"),
    ("content-body", f"//*[{has_class('content-body')}]"),
)
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|text", re.IGNORECASE)
_NEGATIVE = re.compile(
    r"comment|meta|footer|footnote|sidebar|widget|related|share|nav|menu|promo|ad-", re.I
)
# Beyond //h1, the parts the page's survey says are there: (marker, query).
_HEADLINE_PARTS = (
    ("headline", " | //*[@itemprop='headline']"),
    ("entry-title", f" | //*[{has_class('entry-title')}]"),
    ("post-title", f" | //*[{has_class('post-title')}]"),
    ("article-title", f" | //*[{has_class('article-title')}]"),
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
_POLICY_CONTAINERS = "//*[{}]".format(
    " or ".join(
        f"contains(@id, '{part}') or contains(@class, '{part}')"
        for part in ("olic", "uideline", "ules")
    )
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_POLICY_PARTS = ("olic", "uideline", "ules")
# Text nodes that could name a policy: one traversal, and no string building per element.
_POLICY_TEXT = etree.XPath(
    "//text()[contains(., 'olic') or contains(., 'OLIC') or contains(., 'uideline')"
    " or contains(., 'UIDELINE') or contains(., 'ules') or contains(., 'ULES')"
    " or contains(., 'tandards') or contains(., 'onduct')]"
)
_POLICY_WORDS = ("polic", "guideline", "rules", "standards", "conduct")
_POLICY_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "dt"})
_MIN_POLICY_CHARS = 40
_MAX_POLICY_CHARS = 20_000
_MIN_PARAGRAPH_CHARS = 25


_UNSET = object()
_BRANDING = re.compile(r"site-title|site-name|logo|branding|masthead|site-header", re.I)
# Kubrick (WordPress's default theme to 2.9) and its many descendants: the blog's name is the
# h1 in #header > #headerimg, the post's title an h2 linking to the post with rel="bookmark".
_BRANDING_IDS = frozenset({"header", "headerimg"})
_BOOKMARK_HEADLINE = " | //h2[a[contains(@rel, 'bookmark')]]"


def _in_article(element: Element) -> bool:
    return any(a.tag == "article" for a in element.iterancestors())


def _branding(element: Element) -> bool:
    for node in (element, *element.iterancestors()):
        if node.get("id") in _BRANDING_IDS:
            return True
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
        self._headline: object = _UNSET
        self._excluded_memo: dict[Element, bool] = {}
        self._sources: list[str] | None = None

    # -- where things are ---------------------------------------------------------------------

    def excludes(self, element: Element) -> bool:
        """True for elements in or under the comments, their containers and comment areas."""
        return self._in_excluded(element)

    def _in_excluded(self, element: Element) -> bool:
        # Memoised up the tree: 10,000 comments' <time>s are decided in one step each.
        return passes_upward(element, self._excluded_memo, self.excluded.__contains__)

    def _in_comments(self, element: Element) -> bool:
        return element in self.comments or any(a in self.comments for a in element.iterancestors())

    def _is_chrome(self, element: Element) -> bool:
        if element.tag in _CHROME_TAGS:
            return True
        ident, kinds = element.get("id"), element.get("class")
        if not ident and not kinds:  # most elements: no name to look at
            return False
        name = f"{ident or ''} {kinds or ''}"
        return bool(name.strip()) and bool(_CHROME_NAMES.search(name))

    def _in_chrome(self, element: Element) -> bool:
        # <body class="one-sidebar sidebar-first"> describes the layout, not a sidebar.
        return any(
            self._is_chrome(a) for a in element.iterancestors() if a.tag not in {"body", "html"}
        )

    # -- fields -------------------------------------------------------------------------------

    def url(self) -> str | None:
        page = self.page
        for value in (
            *page.links("canonical"),
            *page.meta("property", "og:url"),
            *page.links("shortlink"),
        ):
            value = value.strip()
            # A relative link ("/node/14", as Drupal 7 writes it) names no site: not a key.
            if value.startswith(("http://", "https://")):
                return value
        return None

    def headline(self) -> Element | None:
        """The article's headline element, if the page marks one outside the comments."""
        if self._headline is not _UNSET:
            return cast("Element | None", self._headline)
        found = self._find_headline()
        self._headline = found
        return found

    def _find_headline(self) -> Element | None:
        confirmations = [c.lower() for c in self._title_sources() if c]
        first = None
        confirmed: tuple[int, Element] | None = None
        survey = f"{self.page.survey.get('class', '')} {self.page.survey.get('itemprop', '')}"
        extra = "".join(q for marker, q in _HEADLINE_PARTS if marker in survey)
        if "bookmark" in self.page.raw_lower:
            extra += _BOOKMARK_HEADLINE
        # Iterating by tag runs in C without XPath's per-node cost; the class-marked headlines
        # (only when the survey has them) come in document order after a merge.
        found = list(self.page.root.iter("h1"))
        if extra:
            found = self.page.xpath("//h1" + extra)
        for element in found:
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
        if self._sources is not None:
            return self._sources
        page = self.page
        sources = [collapse(v) for v in page.meta("property", "og:title")]
        sources.extend(collapse(v) for v in page.meta("name", "twitter:title"))
        sources.extend(collapse(line_text(e)) for e in page.head if e.tag == "title")
        sources.extend(collapse(str(n.get("headline") or "")) for n in self.json_ld)
        self._sources = [s for s in sources if s]
        return self._sources

    def title(self, headline: Element | None) -> str:
        og = next((collapse(v) for v in self.page.meta("property", "og:title")), "")
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
        for element in (e for e in self.page.head if e.tag == "title"):
            text = collapse(line_text(element))
            if text:
                return _SITE_SUFFIX.sub("", text) or text
        return UNTITLED

    def published_at(self) -> str | None:
        for stamp in self.page.meta("property", "article:published_time"):
            value = parse_date(stamp)
            if value:
                return value
        if self.page.mentions("itemprop", "datepublished"):
            for element in self.page.xpath("//*[@itemprop='datePublished']"):
                if self._in_excluded(element):
                    continue
                value = parse_date(element.get("content") or element.get("datetime"))
                if value:
                    return value
        for node in self.json_ld:
            value = parse_date(str(node.get("datePublished") or ""))
            if value:
                return value
        times = [t for t in self.page.root.iter("time") if t.get("datetime")]
        published = [t for t in times if "published" in (t.get("class") or "")]
        for candidates in (published, times):
            for element in candidates:
                if self._in_excluded(element) or not _in_article(element):
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
        survey = f"{self.page.survey.get('class', '')} {self.page.survey.get('itemprop', '')}"
        for marker, query in _CONTENT:
            if marker not in survey:
                continue
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
        named = self.page.mentions("id", *_POLICY_PARTS) or self.page.mentions(
            "class", *_POLICY_PARTS
        )
        for element in self.page.xpath(_POLICY_CONTAINERS) if named else ():
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
        candidates = self._policy_candidates()
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

    def _policy_candidates(self) -> list[Element]:
        """Headings and paragraphs whose text could name a policy, in document order."""
        found: list[Element] = []
        seen: set[Element] = set()
        raw = self.page.raw_lower
        if raw and not any(word in raw for word in _POLICY_WORDS):
            return found
        for text in _POLICY_TEXT(self.page.root):
            element = text.getparent()
            if element is not None and text.is_tail:
                element = element.getparent()
            for _ in range(3):  # the text's element, or the <p>/<dt> around its <strong>
                if element is None:
                    break
                if element.tag in _POLICY_TAGS and element not in seen:
                    seen.add(element)
                    found.append(element)
                element = element.getparent()
        return found

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
