"""What strategies read (a parsed page) and what they return (the comments they found)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from lxml import etree

from moderation.parsing.html.blocks import read_blocks
from moderation.parsing.html.dom import Element
from moderation.parsing.html.selectors import Profile
from moderation.parsing.threads import RawComment


@dataclass(frozen=True)
class Page:
    root: Element
    source: str
    url: str | None
    raw: str = ""  # the page as text: a quick "is this word anywhere?" before a traversal

    def xpath(self, expression: str) -> list[Element]:
        """Elements only, in document order, each once (XPath unions guarantee both)."""
        return [e for e in _compiled(expression)(self.root) if isinstance(e, etree._Element)]

    @cached_property
    def survey(self) -> dict[str, str]:
        """Every distinct value of the attributes strategies key on, joined per attribute.

        One pass over the page in Python (cheaper here than any XPath traversal); a strategy
        or query whose markers are absent from it is skipped, which matters on 10,000-comment
        pages where each full-page XPath costs a tenth of a second or more.
        """
        values: dict[str, set[str]] = {}
        for element in self.root.iter(etree.Element):
            for name, value in element.items():
                if name in _SURVEYED:
                    values.setdefault(name, set()).add(value.lower())
        return {name: " ".join(found) for name, found in values.items()}

    @cached_property
    def head(self) -> list[Element]:
        """The ``<head>``'s elements (meta, link, title): small, so read without XPath."""
        head = self.root.find("head")
        return [e for e in head.iter(etree.Element)] if head is not None else []

    def meta(self, attribute: str, value: str) -> list[str]:
        """``content`` of ``<meta attribute=value>`` in the head, in order."""
        return [
            e.get("content") or ""
            for e in self.head
            if e.tag == "meta" and (e.get(attribute) or "").lower() == value
        ]

    def links(self, rel: str) -> list[str]:
        return [
            e.get("href") or ""
            for e in self.head
            if e.tag == "link" and rel in (e.get("rel") or "").lower().split()
        ]

    @cached_property
    def raw_lower(self) -> str:
        return self.raw.lower()

    def mentions(self, attribute: str, *parts: str) -> bool:
        text = self.survey.get(attribute, "")
        return any(part in text for part in parts)


@dataclass(frozen=True)
class Found:
    """The comments one strategy read, and the elements they came from."""

    strategy: str
    raws: list[RawComment]
    elements: tuple[Element, ...] = ()  # the comments' elements (kept out of title and body)
    containers: tuple[Element, ...] = ()  # the thread's containers (likewise)
    notes: tuple[str, ...] = field(default=())  # what the strategy wants the reader to know


def has_class(name: str) -> str:
    """An XPath predicate: the element's class list contains ``name``.

    The plain substring test first: it allocates nothing, and rules out almost every element
    before the exact (token) test builds its padded string.
    """
    return (
        f"(contains(@class, '{name}') and "
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"
    )


def any_class(*names: str) -> str:
    return "(" + " or ".join(has_class(n) for n in names) + ")"


_SURVEYED = frozenset(
    {"class", "id", "itemtype", "typeof", "itemprop", "itemscope", "data-comment-id", "src", "type"}
)


@lru_cache(maxsize=256)
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression)


def read_found(
    page: Page,
    strategy: str,
    items: Sequence[Element],
    profile: Profile,
    *,
    containers: str | None = None,
) -> Found | None:
    """``items`` read with ``profile`` as what ``strategy`` found, with the thread's containers
    (an XPath); None when there are no items."""
    if not items:
        return None
    raws = read_blocks(items, profile, page_url=page.url)
    held = tuple(page.xpath(containers)) if containers else ()
    return Found(strategy, raws, tuple(items), held)
