"""One comment's card: everything a moderator needs to decide it."""

from __future__ import annotations

from moderation.review.reading import reads
from moderation.store import cards as card_store
from moderation.store.cards import Card, CardHit, HistoryEntry

__all__ = ["Card", "CardHit", "HistoryEntry", "comment_card"]


# The comment's card under the given model and rule-set version; None if it is gone.
comment_card = reads(card_store.comment_card)
