"""SQLAlchemy Core tables: one metadata for SQLite and PostgreSQL alike.

Scores are keyed by (text hash, model id, label), not by comment: identical text is scored once
per model, and switching models never overwrites another model's scores.

These are the core tables; others join the same ``metadata`` from the modules of their subject:
schema_connect.py (connected sites, API clients), learned.py (the site's own model).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_info = Table(
    "schema_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
)

# Dashboard logins (moderation/store/logins.py). Failed attempts per account and per client
# address, kept in the database so that restarting a server does not reset the backoff.
login_failures = Table(
    "login_failures",
    metadata,
    Column("scope", String(16), primary_key=True),  # "account" | "address"
    Column("subject", String(255), primary_key=True),  # lower-cased username, or the address
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True)),
)

# Sessions ended by "Log out": a cookie naming one of them is refused on every run and on
# every media request, even if it was copied before. Rows can go once the cookie has expired.
revoked_sessions = Table(
    "revoked_sessions",
    metadata,
    Column("session_id", String(64), primary_key=True),
    Column("username", String(255), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_revoked_sessions_expires", "expires_at"),
)

# One unsaved rules.yaml draft per dashboard user (moderation/store/drafts.py): a reload or a
# new login restores it on the Rules page.
rule_drafts = Table(
    "rule_drafts",
    metadata,
    Column("username", String(255), primary_key=True),
    Column("content", Text, nullable=False),
    Column("base_version", Integer),  # the active rule-set version the draft started from
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("source", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("policy_text", Text),
    Column("url", Text),
    # ISO 8601 in UTC, as parsers emit it: sorts correctly as text on every database.
    Column("published_at", String(40)),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

policy_clauses = Table(
    "policy_clauses",
    metadata,
    Column(
        "article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("clause_id", String(128), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

authors = Table(
    "authors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    # active | suspended | blocked: blocking follows the policy clause that allows it.
    Column("status", String(16), nullable=False, server_default="active"),
    # A suspension ends by itself: readers treat "suspended" past this time as active, so no job
    # has to lift it (moderation.store.authors.effective_status).
    Column("suspended_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

comments = Table(
    "comments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("parent_id", String(32), ForeignKey("comments.id", ondelete="SET NULL")),
    Column("position", Integer, nullable=False),
    Column("number", String(16)),
    Column("author", String(255)),
    Column("author_id", Integer, ForeignKey("authors.id")),
    Column("kind", String(16), nullable=False),
    Column("depth", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("posted_at", String(40)),  # ISO 8601 UTC, when the export carries it
    Column("platform_status", String(16)),  # the source platform's own status, verbatim
    # Moderation state. ``status`` is set by the rules until a human decides (``decided_by``);
    # rules never override a human. ``version`` is bumped on every change of status, so two
    # moderators acting on one comment cannot both win (optimistic concurrency).
    Column("status", String(16), nullable=False, server_default="unmoderated"),
    Column("decided_by", String(255)),
    Column("decided_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_comments_article_position", "article_id", "position"),
    Index("ix_comments_text_hash", "text_hash"),
    # The queue counts (reader comments per status) from this narrow index alone (0004).
    Index("ix_comments_status", "status", "kind"),
    Index("ix_comments_author_id", "author_id"),
    Index("ix_comments_posted_at", "posted_at"),
    # Covering index of the queues: counts per status and a queue's rows with what its default
    # sort reads besides severity (article, position), without reading the table's rows (their
    # text). Status first, not kind: with kind first SQLite took it for ``kind = 'comment'``
    # alone in the per-article counts and walked a million entries per article.
    Index("ix_comments_queue", "status", "kind", "article_id", "position", "id"),
)

scores = Table(
    "scores",
    metadata,
    Column("text_hash", String(64), primary_key=True),
    Column("model_id", String(128), primary_key=True),
    Column("label", String(64), primary_key=True),
    Column("value", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

rule_sets = Table(
    "rule_sets",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    # The fingerprint of the compiled rules (RuleSet.content_hash), not of the text: an edit that
    # changes only comments or layout is no new version; ``content`` is the latest text saved.
    Column("content_hash", String(64), nullable=False),
    Column("content", Text, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Which rule-set version is in force. One row (id 1). ``active_version`` is what every reader
# uses (queues, cards, stats, flagging); ``pending_version`` is a newer version whose flags are
# still being written: it becomes active in one transaction once every reader comment has been
# evaluated under it, never before (a version with no flags would empty every card).
rule_set_pointer = Table(
    "rule_set_pointer",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("active_version", Integer, ForeignKey("rule_sets.version")),
    Column("pending_version", Integer, ForeignKey("rule_sets.version")),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per reader comment and rule-set version it was evaluated under. A clean comment has
# no flag rows, so "evaluated" must be recorded on its own: it is what lets any later run find
# the work an interrupted one left (comments with no row for the active or pending version),
# and ``status`` (what the version suggests) is what switching versions moves comments to.
evaluations = Table(
    "evaluations",
    metadata,
    Column(
        "comment_id",
        String(32),
        ForeignKey("comments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("rule_set_version", Integer, ForeignKey("rule_sets.version"), primary_key=True),
    # The model whose scores the evaluation saw; NULL when the text had none yet (it is done
    # again once scores exist).
    Column("model_id", String(128)),
    Column("status", String(16), nullable=False),
    Column("evaluated_at", DateTime(timezone=True), nullable=False),
    Index("ix_evaluations_version", "rule_set_version"),
)

flags = Table(
    "flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("comment_id", String(32), ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("rule_set_version", Integer, ForeignKey("rule_sets.version"), nullable=False),
    Column("rule_id", String(128), nullable=False),
    Column("category", String(64), nullable=False),
    Column("clause_id", String(128), nullable=False),
    Column("action", String(16), nullable=False),
    Column("severity", Integer, nullable=False, server_default="0"),
    Column("evidence", JSON, nullable=False),
    Column("scores", JSON, nullable=False),
    Column("model_id", String(128)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("comment_id", "rule_set_version", "rule_id", name="uq_flags_comment_rule"),
    Index("ix_flags_version_rule", "rule_set_version", "rule_id"),
    Index("ix_flags_version_category", "rule_set_version", "category"),
    # A comment's top flag (max severity, its category) read from the index alone: the queue's
    # severity sort asks it of every comment in the queue (100,000 at one million comments).
    Index("ix_flags_comment_severity", "comment_id", "rule_set_version", "severity", "category"),
)

# One row per moderator action (a decision, a bulk decision, a block, an unblock, an undo): the
# order "Undo my last" follows, whatever the action's kind. Decisions and author changes point here.
moderator_actions = Table(
    "moderator_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("moderator", String(255), nullable=False),
    Column("action", String(16), nullable=False),  # records.Action
    Column("target_type", String(16), nullable=False),  # comment | comments (bulk) | author
    Column("target_id", String(255)),  # the comment id or the author's name; NULL for bulk
    Column("count", Integer, nullable=False, server_default="0"),  # comments decided
    Column("undoes", Integer, ForeignKey("moderator_actions.id")),  # set on undo actions
    Column("undone_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_moderator_actions_moderator", "moderator", "id"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("comment_id", String(32), ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("clause_id", String(128)),
    Column("note", Text),
    Column("moderator", String(255), nullable=False),
    # What the comment was before, so the moderator can undo their own last decision.
    Column("previous_status", String(16), nullable=False),
    Column("previous_decided_by", String(255)),
    Column("resulting_version", Integer, nullable=False),
    Column("undone_at", DateTime(timezone=True)),
    Column("rule_set_version", Integer),
    Column("model_id", String(128)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("action_id", Integer, ForeignKey("moderator_actions.id")),
    Index("ix_decisions_comment", "comment_id"),
    Index("ix_decisions_action", "action_id"),
    Index("ix_decisions_moderator", "moderator", "id"),
    Index("ix_decisions_created", "created_at"),
)

# What a block, suspension or unblock changed, so that undo can put it back.
author_changes = Table(
    "author_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", Integer, ForeignKey("moderator_actions.id"), nullable=False),
    Column("author_id", Integer, ForeignKey("authors.id"), nullable=False),
    Column("previous_status", String(16), nullable=False),
    Column("previous_until", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),
    Column("until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_author_changes_author", "author_id", "id"),
)

# Append-only: triggers created in database.py refuse UPDATE and DELETE (and SQLite's REPLACE,
# PostgreSQL's TRUNCATE) on this table. Rows form a hash chain (moderation/store/audit.py): each
# stores its position ``seq``, the previous row's hash and its own, so an edit made past the
# triggers is found by `moderation audit verify`.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target_type", String(32), nullable=False),
    Column("target_id", String(128), nullable=False),
    Column("details", JSON, nullable=False),
    Column("rule_set_version", Integer),
    Column("model_id", String(128)),
    Column("seq", Integer, unique=True),
    Column("prev_hash", String(64)),
    Column("row_hash", String(64)),
    Index("ix_audit_at", "at"),
    Index("ix_audit_target", "target_type", "target_id"),
)

# The chain's head: one row (id 1) holding the last entry's position and hash. Appends lock it
# (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so two
# writers cannot fork the chain; a cut tail shows as a head beyond the last row. Triggers let it
# only move forward one entry at a time.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("row_hash", String(64), nullable=False),
)
