"""The structural fallback: comments found by repetition, not by class names.

A comment thread is a container whose children repeat one block shape (same tag, same classes once
per-item tokens such as ``depth-2`` or ``even`` are set aside), each block holding a short name, a
date or a permalink, and a longer text. The fallback scores every group of same-shape siblings on
the page by how many of its blocks have all three, takes the best group, learns from it which
element shape holds the name, the date and the text, and reads every block of that shape under the
container (replies included) with that learned profile.

It runs only when no markup strategy found anything. Link lists (related posts, archives) are told
apart by their headlines linking to other pages; navigation, headers, footers, sidebars and forms
are never candidates. The cost is linear: one pass over the page computing subtree text lengths
bottom-up, then a bounded look (the first ``_LOOK_AHEAD`` elements) into each candidate block.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from lxml import etree

from moderation.parsing.html.blocks import read_blocks
from moderation.parsing.html.dom import Element, classes, collapse
from moderation.parsing.html.human_dates import parse_date
from moderation.parsing.html.page import Found, Page
from moderation.parsing.html.selectors import Profile, Rule

_VOLATILE = re.compile(r"\d|^(?:even|odd|alt|first|last|parent|active|new|open|highlighted)$")
_EXCLUDED_TAGS = frozenset(
    {"head", "nav", "header", "footer", "aside", "form", "select", "table", "thead", "tbody", "tr"}
)
_EXCLUDED_NAMES = re.compile(
    r"related|recent|popular|sidebar|widget|menu|navig|breadcrumb|pagination|share|social|"
    r"footer|tag-?cloud|categor|archive|promo|advert|newsletter|trending|most-read",
    re.IGNORECASE,
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})
_LOOK_AHEAD = 40
_MAX_NAME_CHARS = 60
_MAX_NAME_WORDS = 6
_MIN_BODY_CHARS = 15
_RELATIVE_DATE = re.compile(
    r"\b(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b|\byesterday\b",
    re.IGNORECASE,
)
_MIN_BLOCKS = 2
_MIN_SHARE = 0.6


def signature(element: Element) -> tuple[str, frozenset[str]]:
    return element.tag, frozenset(c for c in classes(element) if not _VOLATILE.search(c))


def find(page: Page) -> Found | None:
    body = next(page.root.iter("body"), page.root)
    sizes = _text_sizes(body)
    best: tuple[int, int, Element, tuple[str, frozenset[str]], list[_Features]] | None = None
    for parent in _candidate_parents(body):
        groups: dict[tuple[str, frozenset[str]], list[Element]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                groups[signature(child)].append(child)
        for shape, members in groups.items():
            if len(members) < _MIN_BLOCKS or shape[0] in {"p", "br", "option", "td", "th"}:
                continue
            features = [_features(m, sizes) for m in members]
            good = [f for f in features if f.complete]
            if len(good) < _MIN_BLOCKS or len(good) < _MIN_SHARE * len(members):
                continue
            score = (len(good), sum(sizes.get(m, 0) for m in members))
            if best is None or score > (best[0], best[1]):
                best = (score[0], score[1], parent, shape, good)
    if best is None:
        return None
    _, _, parent, shape, good = best
    same_shape = {e for e in parent if isinstance(e.tag, str) and signature(e) == shape}
    # Nested replies share the shape; other same-shape elements (a bare <div> inside a comment)
    # must look like comments themselves to count.
    items = [
        e
        for e in parent.iter()
        if isinstance(e.tag, str)
        and signature(e) == shape
        and (e in same_shape or _features(e, sizes).complete)
    ]
    profile = _learned_profile(good)
    raws = read_blocks(items, profile, page_url=page.url)
    return Found("structural", raws, tuple(items), (parent,))


def _text_sizes(body: Element) -> dict[Element, int]:
    """Characters of text under each element, computed bottom-up in one pass."""
    sizes: dict[Element, int] = {}
    nodes = [e for e in body.iter() if isinstance(e.tag, str)]
    for element in reversed(nodes):
        if element.tag in _SKIPPED:
            size = 0
        else:
            size = sizes.get(element, 0) + len((element.text or "").strip())
        parent = element.getparent()
        if parent is not None:
            sizes[parent] = sizes.get(parent, 0) + size + len((element.tail or "").strip())
        sizes[element] = size
    return sizes


# Elements with at least _MIN_BLOCKS element children, in document order, found by libxml2.
_PARENTS = etree.XPath(f".//*[*[{_MIN_BLOCKS}]]")


def _candidate_parents(body: Element) -> list[Element]:
    # Those under no excluded element (navigation, forms, a sidebar...), with the verdict for
    # each ancestor kept, so the walks up share their steps: linear, however many candidates.
    verdicts: dict[Element, bool] = {}

    def excluded(element: Element) -> bool:
        path = []
        verdict = False
        node: Element | None = element
        while node is not None:
            known = verdicts.get(node)
            if known is not None:
                verdict = known
                break
            if node.tag in _EXCLUDED_TAGS or node.tag in _SKIPPED or _excluded_name(node):
                verdict = True
                break
            path.append(node)
            node = None if node is body else node.getparent()
        for visited in path:
            verdicts[visited] = verdict
        return verdict

    candidates = [body, *_PARENTS(body)] if len(body) >= _MIN_BLOCKS else _PARENTS(body)
    return [e for e in candidates if not excluded(e)]


def _excluded_name(element: Element) -> bool:
    name = f"{element.get('id') or ''} {element.get('class') or ''} {element.get('role') or ''}"
    return bool(name.strip()) and bool(_EXCLUDED_NAMES.search(name))


class _Features:
    __slots__ = ("author", "body", "complete", "date")

    def __init__(self) -> None:
        self.author: Element | None = None
        self.date: Element | None = None
        self.body: Element | None = None
        self.complete = False


def _features(member: Element, sizes: dict[Element, int]) -> _Features:
    """Name, date/permalink and text among the member's first elements."""
    found = _Features()
    member_id = member.get("id") or ""
    seen = 0
    for element in member.iter():
        if element is member or not isinstance(element.tag, str):
            continue
        seen += 1
        if seen > _LOOK_AHEAD:
            break
        tag = element.tag
        if tag in _SKIPPED:
            continue
        if tag in {"h1", "h2", "h3", "h4"} and _links_elsewhere(element):
            found.complete = False
            return found  # an article listing: its headline links to another page
        own = collapse(element.text)
        size = sizes.get(element, 0)
        if found.date is None and _is_date(element, own, member_id):
            found.date = element
            continue
        if (
            found.author is None
            and found.body is None
            and 0 < size <= _MAX_NAME_CHARS
            and own
            and len(own.split()) <= _MAX_NAME_WORDS
            and not (len(own.split()) > 3 and own.endswith((".", "?", "!")))
        ):
            found.author = element
            continue
        if (
            (
                found.author is not None
                and size >= _MIN_BODY_CHARS
                and (found.body is None or size > sizes.get(found.body, 0))
            )
            and not _contains(element, found.author)
            and not _contains(element, found.date)
        ):
            found.body = element
    found.complete = None not in (found.author, found.date, found.body)
    return found


def _contains(outer: Element, inner: Element | None) -> bool:
    if inner is None:
        return False
    return any(a is outer for a in inner.iterancestors())


def _links_elsewhere(heading: Element) -> bool:
    return any(not (a.get("href") or "#").startswith("#") for a in heading.iter("a"))


def _is_date(element: Element, own: str, member_id: str) -> bool:
    if element.tag == "time" or element.get("datetime"):
        return True
    if element.tag == "a":
        href = element.get("href") or ""
        if href.startswith("#") or (member_id and href.endswith("#" + member_id)):
            return True
    return bool(own and len(own) <= 80 and (parse_date(own) or _RELATIVE_DATE.search(own)))


def _learned_profile(good: list[_Features]) -> Profile:
    def rule_for(elements: list[Element]) -> tuple[Rule, ...]:
        shapes = Counter(signature(e) for e in elements)
        (tag, shape_classes), _count = shapes.most_common(1)[0]
        return (Rule(tag=tag, classes=shape_classes),)

    authors = [f.author for f in good if f.author is not None]
    dates = [f.date for f in good if f.date is not None]
    bodies = [f.body for f in good if f.body is not None]
    body_rules = rule_for(bodies)
    if not body_rules[0].classes and body_rules[0].tag == "p":
        body_rules = ()  # a bare <p> is one paragraph of the text: read the whole block
    author_rules = rule_for(authors)
    date_rules = rule_for(dates)
    return Profile(
        author=author_rules,
        date=date_rules,
        body=body_rules,
        chrome=author_rules + date_rules,
    )
