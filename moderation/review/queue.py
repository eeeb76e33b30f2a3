"""The moderation queue: which comments a moderator sees, filtered, sorted and paged (in SQL, in
moderation/store/queue.py), with counts per queue and the score bands of bulk actions."""

from __future__ import annotations

from typing import get_args

from moderation.review.reading import reads
from moderation.store import queue as queue_store
from moderation.store.queue import (
    LEARNED_SORT,
    FilterOptions,
    ItemFlags,
    QueueFilter,
    QueueItem,
    QueueName,
    ScoredItem,
    SortName,
    thread_position,
)

__all__ = [
    "LEARNED_SORT",
    "QUEUES",
    "SORTS",
    "FilterOptions",
    "ItemFlags",
    "QueueFilter",
    "QueueItem",
    "QueueName",
    "ScoredItem",
    "SortName",
    "filter_options",
    "item_flags",
    "queue_counts",
    "queue_page",
    "queue_scores",
    "thread_position",
]

QUEUES: tuple[QueueName, ...] = get_args(QueueName)
# The sorts a moderator picks by name (the command line's --sort); "score" and "learned" need a
# label or a learned version besides.
SORTS: tuple[SortName, ...] = ("severity", "newest", "oldest", "thread")


queue_counts = reads(queue_store.queue_counts)
queue_page = reads(queue_store.queue_page)
item_flags = reads(queue_store.item_flags)
queue_scores = reads(queue_store.queue_scores)
filter_options = reads(queue_store.filter_options)
