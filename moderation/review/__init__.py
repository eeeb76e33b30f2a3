"""Moderators' work, one module per subject: the queue (filters, sorts, pages, counts), a
comment's card, decisions (one or many), blocking authors, undo, and rejection reasons.
Their SQL lives in moderation/store/ (queue.py, cards.py, decisions.py, queries.py).

Positions: a comment's number is its 1-based position among its thread's entries in thread order,
pingbacks included (``thread_position``), the same on the card, the Threads and Authors pages,
in the audit log and on the command line.
"""

from __future__ import annotations

from moderation.review.audit import audit_entries
from moderation.review.blocking import (
    BlockResult,
    block_author,
    pending_of_author,
    set_author_status,
    unblock_author,
)
from moderation.review.card import Card, CardHit, HistoryEntry, comment_card
from moderation.review.decisions import BulkResult, DecisionResult, decide, decide_many
from moderation.review.queue import (
    LEARNED_SORT,
    QUEUES,
    SORTS,
    FilterOptions,
    ItemFlags,
    QueueFilter,
    QueueItem,
    ScoredItem,
    filter_options,
    item_flags,
    queue_counts,
    queue_page,
    queue_scores,
    thread_position,
)
from moderation.review.reasons import Reason, reject_reasons, suggested_reason
from moderation.review.undo import LastAction, UndoResult, last_action, undo_last

__all__ = [
    "LEARNED_SORT",
    "QUEUES",
    "SORTS",
    "BlockResult",
    "BulkResult",
    "Card",
    "CardHit",
    "DecisionResult",
    "FilterOptions",
    "HistoryEntry",
    "ItemFlags",
    "LastAction",
    "QueueFilter",
    "QueueItem",
    "Reason",
    "ScoredItem",
    "UndoResult",
    "audit_entries",
    "block_author",
    "comment_card",
    "decide",
    "decide_many",
    "filter_options",
    "item_flags",
    "last_action",
    "pending_of_author",
    "queue_counts",
    "queue_page",
    "queue_scores",
    "reject_reasons",
    "set_author_status",
    "suggested_reason",
    "thread_position",
    "unblock_author",
    "undo_last",
]
