"""The Authors page's data: a paged, searchable table of authors with flag and rejection
rates, one author's profile, their comments across threads, the decisions on them and their
block history (from the audit log's one reader). The SQL is in moderation/store/authors.py."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from moderation.review.audit import AuditFilter
from moderation.review.frames import frame, rate
from moderation.store import Store
from moderation.store import audit as audit_store
from moderation.store import authors as authors_store
from moderation.store.authors import (
    AUTHOR_SORTS,
    AuthorComment,
    AuthorCounts,
    AuthorDecision,
    AuthorSort,
)

__all__ = [
    "AUTHOR_SORTS",
    "AuthorProfile",
    "AuthorSort",
    "author_comments",
    "author_decisions",
    "author_profile",
    "author_status_history",
    "authors_overview",
]

AUTHOR_TARGET = "author"  # the audit log's target type of blocks, suspensions and unblocks


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """One author's block status, counts and rates, and the standing decisions on their
    comments by action."""

    author: str
    status: str
    comments: int
    threads: int
    flagged: int
    rejected: int
    flag_rate: float
    rejection_rate: float
    decisions: dict[str, int]


def _with_rates(table: pd.DataFrame) -> pd.DataFrame:
    table["flag_rate"] = rate(table["flagged"], table["comments"])
    table["rejection_rate"] = rate(table["rejected"], table["comments"])
    return table


def authors_overview(
    store: Store,
    *,
    rule_set_version: int | None,
    search: str | None = None,
    blocked_only: bool = False,
    sort: AuthorSort = "flagged",
    offset: int = 0,
    limit: int = 50,
) -> tuple[pd.DataFrame, int]:
    """One page of authors with comment, flag and rejection counts and rates; plus how many
    authors match. ``search`` matches part of the name, case-insensitively."""
    rows, total = authors_store.author_page(
        store,
        rule_set_version=rule_set_version,
        search=search,
        blocked_only=blocked_only,
        sort=sort,
        offset=offset,
        limit=limit,
    )
    return _with_rates(frame(rows, AuthorCounts._fields)), total


def author_profile(
    store: Store, name: str, *, rule_set_version: int | None
) -> AuthorProfile | None:
    """One author's profile; None when there is no such author."""
    standing = authors_store.author_standing(store, name, rule_set_version=rule_set_version)
    if standing is None:
        return None
    counts, by_action = standing
    rates = _with_rates(frame([counts], AuthorCounts._fields)).iloc[0]
    return AuthorProfile(
        *counts,
        flag_rate=float(rates["flag_rate"]),
        rejection_rate=float(rates["rejection_rate"]),
        decisions=by_action,
    )


def author_comments(
    store: Store,
    name: str,
    *,
    rule_set_version: int | None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[pd.DataFrame, int]:
    """One page of an author's comments across threads, by article title and thread order:
    columns comment_id, article, position, status, decided_by, category, severity, text."""
    rows, total = authors_store.author_comments(
        store, name, rule_set_version=rule_set_version, offset=offset, limit=limit
    )
    return frame(rows, AuthorComment._fields), total


def author_decisions(store: Store, name: str, *, limit: int = 100) -> pd.DataFrame:
    """Moderators' decisions on an author's comments, newest first (undone ones included and
    marked): columns at, moderator, action, clause, note, undone, article."""
    return frame(authors_store.author_decisions(store, name, limit=limit), AuthorDecision._fields)


def author_status_history(store: Store, name: str, *, limit: int = 50) -> pd.DataFrame:
    """Blocks, suspensions, unblocks and their undos for one author from the audit log, newest
    first: columns at, actor, action, clause, note, until."""
    entries = audit_store.read_entries(
        store, AuditFilter(target_type=AUTHOR_TARGET, target_id=name), limit=limit
    )
    rows = []
    for entry in entries:
        details = entry.details if isinstance(entry.details, dict) else {}
        fields = (details.get("clause"), details.get("note"), details.get("until"))
        rows.append((entry.at, entry.actor, entry.action, *fields))
    return frame(rows, ["at", "actor", "action", "clause", "note", "until"])
