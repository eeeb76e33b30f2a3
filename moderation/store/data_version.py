"""The data version: one cheap query that changes whenever what the dashboard shows may have.

The dashboard keys its cached query results by it (moderation/ui/state.py) instead of clearing
every cache on every write: a write by any session, server or CLI moves one of its parts, so the
next script run of every session misses the old entries by itself. Each part is a primary-key
lookup or an aggregate the database answers from an index (the article count reads the
smallest table the dashboard has), so it costs about as much as the one pointer read it
replaces.

What moves which part: decisions, blocks, undos, imports, rule saves and rollbacks and learned
models append to the audit log (``audit_seq``); a re-flag writes flags (``last_flag``) and a
version switch moves the pointer (``active_rules``/``pending_rules``); an ingest adds articles
(``articles``) and flags. A write that moves none of them (scores alone, say) is seen when the
caches' time-to-live runs out, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import case, exists, func, select

from moderation.store.schema import articles, audit_head, flags, rule_set_pointer, rule_sets

if TYPE_CHECKING:  # the Store class imports this module's package
    from moderation.store import Store

_POINTER_ID = 1
_HEAD_ID = 1


class DataVersion(NamedTuple):
    active_rules: int | None  # the rule-set version in force (store.rulesets.active_version)
    pending_rules: int | None  # a saved version whose flags are still being written
    audit_seq: int | None  # the audit chain head's position (0: nothing audited yet)
    last_flag: int | None  # the newest flag row's id
    articles: int  # how many articles are stored (0: the first run loads the samples)


def data_version(store: Store) -> DataVersion:
    """Every part in one round trip. A database from before the rule-set pointer counts its
    newest version as active, as ``rulesets.read_pointer`` does."""
    pointer = select(rule_set_pointer).where(rule_set_pointer.c.id == _POINTER_ID)
    has_pointer = exists(pointer)
    active = case(
        (
            has_pointer,
            pointer.with_only_columns(rule_set_pointer.c.active_version).scalar_subquery(),
        ),
        else_=select(func.max(rule_sets.c.version)).scalar_subquery(),
    )
    query = select(
        active,
        pointer.with_only_columns(rule_set_pointer.c.pending_version).scalar_subquery(),
        select(audit_head.c.seq).where(audit_head.c.id == _HEAD_ID).scalar_subquery(),
        select(func.max(flags.c.id)).scalar_subquery(),
        select(func.count()).select_from(articles).scalar_subquery(),
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).one()
    return DataVersion(*row)
