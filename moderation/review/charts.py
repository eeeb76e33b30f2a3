"""The data of the score histograms, the rule-hit chart and the decisions charts, as the
DataFrames the charts plot (the SQL is in moderation/store/stats.py)."""

from __future__ import annotations

import pandas as pd

from moderation.review.frames import frame
from moderation.store import Store
from moderation.store import stats as stats_store
from moderation.store.stats import DecisionsBy, RuleHits, ScoreBin

__all__ = [
    "decisions_over_time",
    "decisions_per_moderator",
    "rule_hits",
    "score_histogram",
    "text_score_histogram",
]


def _binned(rows: list[ScoreBin], bins: int, count: str) -> pd.DataFrame:
    binned = frame(rows, ["label", "bin", count])
    # A score of exactly 1.0 lands in bin ``bins``: it belongs to the last bin.
    binned["bin"] = binned["bin"].astype(int).clip(0, bins - 1)
    binned = binned.groupby(["label", "bin"], as_index=False)[count].sum()
    binned["bin_start"] = binned["bin"] / bins
    binned["bin_end"] = (binned["bin"] + 1) / bins
    return binned[["label", "bin", "bin_start", "bin_end", count]]


def score_histogram(
    store: Store,
    *,
    model_id: str | None,
    article_id: str | None = None,
    label: str | None = None,
    bins: int = 20,
) -> pd.DataFrame:
    """Reader comments per score bin and label, in one thread or all, for one label or all:
    columns label, bin, bin_start, bin_end, comments. Only non-empty bins come back. Across a
    whole large database prefer text_score_histogram: this joins every comment to its score."""
    rows = stats_store.score_bins(
        store, model_id=model_id, bins=bins, per_comment=True, article_id=article_id, label=label
    )
    return _binned(rows, bins, "comments")


def text_score_histogram(
    store: Store, *, model_id: str | None, label: str | None = None, bins: int = 20
) -> pd.DataFrame:
    """Scored texts per score bin and label across the whole database: columns label, bin,
    bin_start, bin_end, texts. Each distinct text counts once (scores are stored per text), which
    reads only the scores table: several times cheaper than joining 100,000 comments."""
    rows = stats_store.score_bins(
        store, model_id=model_id, bins=bins, per_comment=False, label=label
    )
    return _binned(rows, bins, "texts")


def rule_hits(store: Store, *, rule_set_version: int | None) -> pd.DataFrame:
    """Flags per rule under one rule-set version, most hits first: columns rule_id, category,
    action, hits, rejected (flagged comments a moderator went on to reject)."""
    return frame(stats_store.rule_hits(store, rule_set_version=rule_set_version), RuleHits._fields)


def _decisions(store: Store, by: DecisionsBy, include_undone: bool) -> pd.DataFrame:
    rows = stats_store.decision_counts(store, by=by, include_undone=include_undone)
    return frame(rows, [by, "action", "decisions"])


def decisions_over_time(store: Store, *, include_undone: bool = False) -> pd.DataFrame:
    """Decisions per UTC day and action: columns day (datetime), action, decisions. Undone
    decisions are left out unless asked for: they no longer stand."""
    per_day = _decisions(store, "day", include_undone)
    per_day["day"] = pd.to_datetime(per_day["day"])
    return per_day


def decisions_per_moderator(store: Store, *, include_undone: bool = False) -> pd.DataFrame:
    """Decisions per moderator and action: columns moderator, action, decisions."""
    return _decisions(store, "moderator", include_undone)
