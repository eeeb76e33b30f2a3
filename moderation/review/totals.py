"""The Stats page's headline numbers (counted in moderation/store/stats.py)."""

from __future__ import annotations

from moderation.store import Store
from moderation.store import stats as stats_store
from moderation.store.stats import Totals

__all__ = ["Totals", "totals"]


def totals(store: Store, *, rule_set_version: int | None) -> Totals:
    """Reader comments, flagged comments, decisions standing, blocked authors."""
    return stats_store.totals(store, rule_set_version=rule_set_version)
