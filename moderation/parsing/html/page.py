"""What strategies read (a parsed page) and what they return (the comments they found)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from moderation.parsing.html.dom import Element
from moderation.parsing.threads import RawComment


@dataclass(frozen=True)
class Page:
    root: Element
    source: str
    url: str | None

    def xpath(self, expression: str) -> list[Element]:
        """Elements only, in document order, each once (XPath unions guarantee both)."""
        return [e for e in _compiled(expression)(self.root) if isinstance(e, etree._Element)]


@dataclass(frozen=True)
class Found:
    """The comments one strategy read, and the elements they came from."""

    strategy: str
    raws: list[RawComment]
    elements: tuple[Element, ...] = ()  # the comments' elements (kept out of title and body)
    containers: tuple[Element, ...] = ()  # the thread's containers (likewise)
    notes: tuple[str, ...] = field(default=())  # what the strategy wants the reader to know


def has_class(name: str) -> str:
    """An XPath predicate: the element's class list contains ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def any_class(*names: str) -> str:
    return "(" + " or ".join(has_class(n) for n in names) + ")"


@lru_cache(maxsize=256)
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression)
