"""Unsaved rules.yaml drafts, one per dashboard user, so a reload or a new login keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from moderation.store import Store
from moderation.store.logins import utc
from moderation.store.schema import rule_drafts


@dataclass(frozen=True)
class Draft:
    username: str
    content: str
    base_version: int | None
    updated_at: datetime


def load_draft(store: Store, username: str) -> Draft | None:
    query = select(
        rule_drafts.c.content, rule_drafts.c.base_version, rule_drafts.c.updated_at
    ).where(rule_drafts.c.username == username)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return Draft(username, row[0], row[1], utc(row[2]) or datetime.now(UTC))


def save_draft(store: Store, username: str, content: str, *, base_version: int | None) -> None:
    """Keep ``content`` as the user's draft (replacing the previous one)."""
    now = datetime.now(UTC)
    dialect: Any = postgresql if store.dialect == "postgresql" else sqlite
    upsert = dialect.insert(rule_drafts).values(
        username=username, content=content, base_version=base_version, updated_at=now
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=[rule_drafts.c.username],
        set_={"content": content, "base_version": base_version, "updated_at": now},
    )
    with store.transaction() as conn:
        conn.execute(upsert)


def delete_draft(store: Store, username: str) -> None:
    with store.transaction() as conn:
        conn.execute(delete(rule_drafts).where(rule_drafts.c.username == username))
