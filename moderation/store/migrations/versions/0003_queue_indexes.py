"""Covering indexes of the queues at a million comments: ix_comments_queue (counts per status,
a queue's rows in their default order without reading comment texts) and
ix_flags_comment_severity (each comment's top flag from the index alone).

Revision ID: 0003
Revises: 0002
Created: 2026-12-03 09:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_comments_queue", "comments", ["status", "kind", "article_id", "position", "id"]
    )
    op.create_index(
        "ix_flags_comment_severity",
        "flags",
        ["comment_id", "rule_set_version", "severity", "category"],
    )


def downgrade() -> None:
    op.drop_index("ix_flags_comment_severity", table_name="flags")
    op.drop_index("ix_comments_queue", table_name="comments")
