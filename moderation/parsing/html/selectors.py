"""Where a comment system keeps each part of a comment: selector rules, profiles, their index.

A ``Profile`` names, for each part of a comment (author, date, body, chrome, ...), the simple
selectors that find it, most specific first. A ``Block`` is one comment element while it is read.
``RuleIndex`` files the rules by their cheapest key so ``read_blocks`` checks each element against
a handful of rules, not all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from moderation.parsing.html.dom import Element
from moderation.records import CommentKind


@dataclass(frozen=True, slots=True)
class Rule:
    """A simple selector: tag, classes that must all be present, an attribute (with a token)."""

    tag: str | None = None
    classes: frozenset[str] = frozenset()
    attr: str | None = None
    token: str | None = None
    class_part: str | None = None  # a substring of some class (the generic strategy's rules)

    def key(self) -> tuple[str, str]:
        if self.class_part:
            return ("tag", "*")
        if self.classes:
            return ("class", min(self.classes))
        if self.attr:
            return ("attr", self.attr)
        return ("tag", self.tag or "*")

    def matches(self, element: Element, element_classes: frozenset[str]) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if not self.classes <= element_classes:
            return False
        if self.class_part is not None and not any(self.class_part in c for c in element_classes):
            return False
        if self.attr is not None:
            value = element.get(self.attr)
            if value is None:
                return False
            if self.token is not None and self.token not in value.lower().split():
                return False
        return True


_RULE = re.compile(
    r"^(?P<tag>[a-z0-9-]+)?(?P<classes>(?:\.[a-z0-9_-]+)*)"
    r"(?:\[(?P<attr>[a-z0-9_:-]+)(?:~=(?P<token>[^\]]+))?\])?$"
)


def rules(*specs: str) -> tuple[Rule, ...]:
    """``rules("b.fn", ".comment-author", "time[datetime]", "[itemprop~=author]", "*author*")``.

    ``*part*`` matches any element with a class containing ``part``.
    """
    parsed = []
    for spec in specs:
        if spec.startswith("*") and spec.endswith("*"):
            parsed.append(Rule(class_part=spec.strip("*").lower()))
            continue
        match = _RULE.match(spec.strip().lower())
        if match is None:
            raise ValueError(f"unsupported selector {spec!r}")
        parsed.append(
            Rule(
                tag=match["tag"],
                classes=frozenset(c for c in match["classes"].split(".") if c),
                attr=match["attr"],
                token=match["token"],
            )
        )
    return tuple(parsed)


@dataclass(frozen=True)
class Profile:
    """Where a comment system keeps each part of a comment, most specific rule first."""

    author: tuple[Rule, ...]
    date: tuple[Rule, ...]
    body: tuple[Rule, ...]
    chrome: tuple[Rule, ...] = ()
    pending: tuple[Rule, ...] = ()
    # Further named parts a strategy reads itself (block.get(name)), e.g. microformats' u-url.
    extra: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)
    # The platform id and (where the markup states it) the parent's id; None: the generic reading.
    key: Callable[[Block], str | None] | None = None
    parent_key: Callable[[Block], str | None] | None = None
    # Other names a stated parent may use for a comment (its permalink URL when its key is its
    # element id): resolved to the comment's key.
    aliases: Callable[[Block], Iterable[str]] | None = None
    kind: Callable[[Block], CommentKind] | None = None


@dataclass(eq=False)
class Block:
    """One comment element while it is being read."""

    element: Element
    classes: frozenset[str]
    parent: Block | None = None
    found: dict[str, tuple[int, Element]] = field(default_factory=dict)
    # Every author and date hit (bounded), best first once sorted: the first may be empty.
    alternatives: dict[str, list[tuple[int, Element]]] = field(default_factory=dict)
    chrome: set[Element] = field(default_factory=set)
    id_element: Element | None = None
    permalink: str | None = None
    # The parent as the comment's inner markup states it (a comment_parent input, an in-reply-to
    # link), when its element's attributes do not.
    stated_parent: str | None = None

    def get(self, part: str) -> Element | None:
        hit = self.found.get(part)
        return hit[1] if hit else None


class RuleIndex:
    """Rules by their cheapest key, so each element is checked against a handful, not all."""

    def __init__(self, profile: Profile) -> None:
        self.by_tag: dict[str, list[tuple[str, int, Rule]]] = {}
        self.by_class: dict[str, list[tuple[str, int, Rule]]] = {}
        self.by_attr: dict[str, list[tuple[str, int, Rule]]] = {}
        self.anywhere: list[tuple[str, int, Rule]] = []  # "*part*" rules: checked everywhere
        parts: Iterable[tuple[str, Sequence[Rule]]] = (
            ("author", profile.author),
            ("date", profile.date),
            ("body", profile.body),
            ("chrome", profile.chrome),
            ("pending", profile.pending),
            *profile.extra.items(),
        )
        for part, part_rules in parts:
            for priority, rule in enumerate(part_rules):
                entry = (part, priority, rule)
                kind, value = rule.key()
                if kind == "class":
                    self.by_class.setdefault(value, []).append(entry)
                elif kind == "attr":
                    self.by_attr.setdefault(value, []).append(entry)
                elif value == "*":
                    self.anywhere.append(entry)
                else:
                    self.by_tag.setdefault(value, []).append(entry)
        self.attrs = tuple(self.by_attr)
        self.memo: dict[tuple[object, ...], list[tuple[str, int]]] = {}

    def hits(self, element: Element, element_classes: frozenset[str]) -> list[tuple[str, int]]:
        # What matches depends only on the tag, the classes and the indexed attributes' values,
        # which repeat across a thread's comments: each combination is matched once.
        if self.attrs:
            key: tuple[object, ...] = (
                element.tag,
                element_classes,
                *[element.get(name) for name in self.attrs],
            )
        else:
            key = (element.tag, element_classes)
        found = self.memo.get(key)
        if found is None:
            found = self._match(element, element_classes)
            if len(self.memo) < 50_000:
                self.memo[key] = found
        return found

    def _match(self, element: Element, element_classes: frozenset[str]) -> list[tuple[str, int]]:
        entries: list[tuple[str, int, Rule]] = []
        entries.extend(self.by_tag.get(element.tag, ()))
        for name in element_classes:
            found = self.by_class.get(name)
            if found:
                entries.extend(found)
        for name in self.attrs:
            if element.get(name) is not None:
                entries.extend(self.by_attr[name])
        entries.extend(self.anywhere)
        return [
            (part, priority)
            for part, priority, rule in entries
            if rule.matches(element, element_classes)
        ]
