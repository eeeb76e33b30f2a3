"""Flat platform records (id, parent id) -> the ordered, depth-annotated comment tuple.

Exports list comments in their own order (usually by time) and refer to parents by the platform's
ids. Every export parser hands its rows to ``build_thread`` so that ids, parent links, depth and
order follow one rule set across formats.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from moderation.fingerprint import stable_id
from moderation.records import Comment, CommentKind

log = logging.getLogger(__name__)

# Values platforms write for "no parent".
_NO_PARENT = {"", "0", "none", "null"}


@dataclass(frozen=True, slots=True)
class RawComment:
    """One comment as the platform states it; ``key`` is its platform id (unique per thread)."""

    key: str
    parent_key: str | None
    author: str | None
    text: str
    kind: CommentKind = "comment"
    posted_at: str | None = None
    status: str | None = None
    number: str | None = None


def build_thread(
    raws: Sequence[RawComment], *, article_id: str, subject: str
) -> tuple[Comment, ...]:
    """Comments in document order, except that a reply never comes before its parent.

    A reply whose parent appears later is held back and placed right after that parent (and its
    earlier replies), so the order stays as close to the platform's as a tree allows. A parent id
    that names no comment of this thread (deleted upstream, or a cycle) makes the reply top level;
    that is logged, because the thread view will show it out of context.
    """
    keys = _unique_keys(raws)
    ids = [stable_id(article_id, "comment", key) for key in keys]
    parents = _parent_positions(raws, keys, subject)
    order, depth = _tree_order(raws, parents, subject)
    parent_ids = [None if p is None else ids[p] for p in parents]
    return tuple(
        Comment(
            id=ids[i],
            parent_id=parent_ids[i],
            number=raws[i].number,
            author=raws[i].author,
            text=raws[i].text,
            kind=raws[i].kind,
            depth=depth[i],
            posted_at=raws[i].posted_at,
            status=raws[i].status,
        )
        for i in order
    )


def _unique_keys(raws: Sequence[RawComment]) -> list[str]:
    keys: list[str] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(raws, start=1):
        # A comment without a platform id is keyed by its place; a duplicated id would merge two
        # comments into one row, so the later ones get a suffix.
        key = raw.key.strip() or f"position-{position}"
        count = seen.get(key, 0) + 1
        seen[key] = count
        keys.append(key if count == 1 else f"{key}#{count}")
    return keys


def _parent_positions(
    raws: Sequence[RawComment], keys: Sequence[str], subject: str
) -> list[int | None]:
    """Each comment's parent as a position in ``raws`` (None: top level)."""
    index = {key: i for i, key in reversed(list(enumerate(keys)))}
    parents: list[int | None] = []
    for i, raw in enumerate(raws):
        parent_key = (raw.parent_key or "").strip()
        if parent_key.lower() in _NO_PARENT:
            parents.append(None)
            continue
        parent = index.get(parent_key)
        if parent is None or parent == i:
            log.warning(
                "%s: comment %s replies to %s, which is not in this thread; shown at top level",
                subject,
                raw.key,
                parent_key,
            )
            parent = None
        parents.append(parent)
    return parents


def _tree_order(
    raws: Sequence[RawComment], parents: list[int | None], subject: str
) -> tuple[list[int], dict[int, int]]:
    """Positions in output order and their depths; a comment on a reply cycle becomes top level
    (its entry in ``parents`` set to None)."""
    order: list[int] = []
    depth: dict[int, int] = {}
    waiting: dict[int, list[int]] = {}

    def emit(i: int, level: int) -> None:
        stack = [(i, level)]
        while stack:
            node, node_depth = stack.pop()
            depth[node] = node_depth
            order.append(node)
            # Reversed, so the earliest held-back reply is emitted first.
            stack.extend((child, node_depth + 1) for child in reversed(waiting.pop(node, [])))

    for i, parent in enumerate(parents):
        if parent is None:
            emit(i, 0)
        elif parent in depth:
            emit(i, depth[parent] + 1)
        else:
            waiting.setdefault(parent, []).append(i)
    # What is still waiting hangs off a cycle (a -> b -> a): break it at its first comment.
    for i in range(len(raws)):
        if i not in depth:
            log.warning(
                "%s: comment %s is part of a reply cycle; shown at top level", subject, raws[i].key
            )
            for held in waiting.values():
                if i in held:
                    held.remove(i)
            parents[i] = None
            emit(i, 0)
    return order, depth
