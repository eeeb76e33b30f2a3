"""Compiled conditions, evaluated over a whole batch at once with sets of comment indices.

Each node returns ``(true, unknown)``: the comments it holds for, and those it cannot decide
because the active model lacks a label (three-valued logic, so a missing score never passes for a
clean comment inside ``not``). ``domain`` restricts the work to comments still in play, so an
``all`` whose first condition is a rare word list runs the rest on a handful of comments.
"""

from __future__ import annotations

import fnmatch
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from moderation.rules.matchers import DIRECTED, MENTION, directed_spans

if TYPE_CHECKING:
    import re2

    from moderation.rules.engine import Batch, CommentContext, Doc

Truth = tuple[set[int], set[int]]


class Node(Protocol):
    def truth(self, batch: Batch, domain: set[int] | None) -> Truth: ...

    def spans(self, doc: Doc, item: CommentContext) -> list[tuple[int, int]]: ...

    def labels(self) -> set[str]: ...

    def model_leaves(self) -> list[ModelLeaf]: ...

    def has_spans(self) -> bool: ...


class _Leaf:
    produces_spans = True

    def has_spans(self) -> bool:
        return self.produces_spans

    def spans(self, doc: Doc, item: CommentContext) -> list[tuple[int, int]]:
        return []

    def labels(self) -> set[str]:
        return set()

    def model_leaves(self) -> list[ModelLeaf]:
        return []


@dataclass(eq=False)
class WordsLeaf(_Leaf):
    list_id: str

    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        hits = batch.word_hits().get(self.list_id, set())
        return (hits & domain if domain is not None else set(hits)), set()

    def spans(self, doc: Doc, item: CommentContext) -> list[tuple[int, int]]:
        return doc.word_spans(self.list_id)


@dataclass(eq=False)
class RegexLeaf(_Leaf):
    pattern: re2._Regexp
    batch_pattern: re2._Regexp
    anchored: bool  # ^ or $ in a pattern: only meaningful on one comment at a time

    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        indices = range(batch.size) if domain is None else domain
        if self.anchored or len(indices) * 8 < batch.size:
            return {i for i in indices if self.pattern.search(batch.folded[i])}, set()
        found: set[int] = set()
        for match in self.batch_pattern.finditer(batch.haystack):
            start, end = match.span()
            first, last = batch.comment_at(start), batch.comment_at(max(start, end - 1))
            text_start, text_end = batch.text_span(first)
            if first == last and text_start <= start and end <= text_end:
                found.add(first)
            else:  # touched the padding or crossed comments: decide each comment on its own
                found.update(
                    i for i in range(first, last + 1) if self.pattern.search(batch.folded[i])
                )
        return (found & domain if domain is not None else found), set()

    def spans(self, doc: Doc, item: CommentContext) -> list[tuple[int, int]]:
        return doc.folded.original_spans(
            m.span() for m in self.pattern.finditer(doc.folded.text) if m.end() > m.start()
        )


@dataclass(eq=False)
class DirectedLeaf(_Leaf):
    expected: bool = True

    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        indices = range(batch.size) if domain is None else domain
        found: set[int] = set()
        for i in indices:
            item = batch.items[i]
            if (
                DIRECTED.search(batch.folded[i])
                or ("@" in item.text and MENTION.search(item.text))
                or (item.parent_author and directed_spans(batch.doc(i).folded, item.parent_author))
            ):
                found.add(i)
        if not self.expected:
            found = set(indices) - found
        return found, set()

    def spans(self, doc: Doc, item: CommentContext) -> list[tuple[int, int]]:
        return directed_spans(doc.folded, item.parent_author) if self.expected else []


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "gte": operator.ge,
    "gt": operator.gt,
    "lte": operator.le,
    "lt": operator.lt,
}


@dataclass(eq=False)
class ModelLeaf(_Leaf):
    produces_spans = False

    label: str
    op: str
    threshold: float
    model_id: str | None = None
    not_model_id: str | None = None

    def applies_to(self, model_id: str | None) -> bool:
        if self.model_id is not None and not fnmatch.fnmatch(model_id or "", self.model_id):
            return False
        return self.not_model_id is None or not fnmatch.fnmatch(model_id or "", self.not_model_id)

    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        if not self.applies_to(batch.model_id):
            return set(), set()
        compare, threshold, label = _COMPARE[self.op], self.threshold, self.label
        indices = range(batch.size) if domain is None else domain
        true: set[int] = set()
        unknown: set[int] = set()
        items = batch.items
        for i in indices:
            score = items[i].scores.get(label)
            if score is None:
                unknown.add(i)
            elif compare(score, threshold):
                true.add(i)
        return true, unknown

    def labels(self) -> set[str]:
        return {self.label}

    def model_leaves(self) -> list[ModelLeaf]:
        return [self]


@dataclass(eq=False)
class AuthorLeaf(_Leaf):
    produces_spans = False

    min_prior_rejections: int

    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        indices = range(batch.size) if domain is None else domain
        items, floor = batch.items, self.min_prior_rejections
        return {i for i in indices if items[i].prior_rejections >= floor}, set()


@dataclass(eq=False)
class _Group:
    children: Sequence[Node]

    def labels(self) -> set[str]:
        return set().union(*(c.labels() for c in self.children))

    def model_leaves(self) -> list[ModelLeaf]:
        return [leaf for c in self.children for leaf in c.model_leaves()]

    def has_spans(self) -> bool:
        return any(c.has_spans() for c in self.children)

    def spans(self, doc: Doc, item: CommentContext) -> list[tuple[int, int]]:
        return [span for c in self.children for span in c.spans(doc, item)]


class AllNode(_Group):
    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        true = set(range(batch.size)) if domain is None else set(domain)
        unknown: set[int] = set()
        for child in self.children:  # each child only sees comments not yet false
            if not true and not unknown:
                break
            t, u = child.truth(batch, true | unknown)
            true, unknown = true & t, (true & u) | (unknown & (t | u))
        return true, unknown


class AnyNode(_Group):
    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        rest = set(range(batch.size)) if domain is None else set(domain)
        true: set[int] = set()
        unknown: set[int] = set()
        for child in self.children:  # each child only sees comments not yet true
            if not rest:
                break
            t, u = child.truth(batch, rest)
            true |= t
            rest -= t
            unknown = (unknown | u) - true
        return true, unknown


@dataclass(eq=False)
class NotNode:
    child: Node

    def truth(self, batch: Batch, domain: set[int] | None) -> Truth:
        scope = set(range(batch.size)) if domain is None else set(domain)
        t, u = self.child.truth(batch, scope)
        return scope - t - u, u

    def spans(self, doc: Doc, item: CommentContext) -> list[tuple[int, int]]:
        return []  # what is absent has no evidence

    def labels(self) -> set[str]:
        return self.child.labels()

    def model_leaves(self) -> list[ModelLeaf]:
        return self.child.model_leaves()

    def has_spans(self) -> bool:
        return False
