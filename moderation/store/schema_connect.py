"""Tables of the systems Threadwatch connects to: comment sites it pulls from and pushes
decisions to, and clients of its HTTP API. They join the shared ``metadata`` (store/__init__.py
imports this module); the migration revisions create them (store/migrations), and a test holds
the revisions to this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from moderation.store.schema import metadata

# -- connected sites (moderation/sites/, moderation/store/sites.py, remote.py, pushes.py) ------

# A comment platform Threadwatch pulls comments from and pushes decisions to. The credential is
# never here: only where to read it (a file path or an environment variable's name).
sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # sites.records.SiteKind
    Column("url", Text, nullable=False),
    Column("username", String(255), nullable=False),
    Column("password_source", String(8), nullable=False),  # "file" | "env"
    Column("password_ref", Text, nullable=False),  # the file's path or the variable's name
    Column("reject_as", String(16), nullable=False),  # the remote status a rejection becomes
    Column("premoderate", Boolean, nullable=False, server_default="0"),
    # Where the next pull starts: the newest comment date and post modification date pulled,
    # as the site writes them (its ``after``/``modified_after`` filters compare those).
    Column("comments_cursor", String(40)),
    Column("posts_cursor", String(40)),
    Column("last_sync_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Which article a remote post became.
remote_posts = Table(
    "remote_posts",
    metadata,
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    Column("remote_id", Integer, primary_key=True, autoincrement=False),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("modified", String(40)),
    Index("ix_remote_posts_article", "article_id", unique=True),
)

# Which comment a remote comment became, and the remote state last pulled: a push compares the
# site's comment with it, so a change made on the site meanwhile is a conflict, not overwritten.
remote_comments = Table(
    "remote_comments",
    metadata,
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    Column("remote_id", Integer, primary_key=True, autoincrement=False),
    Column("comment_id", String(32), ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("remote_post_id", Integer, nullable=False),
    Column("remote_parent_id", Integer),
    Column("remote_status", String(16), nullable=False),  # sites.records.RemoteStatus
    Column("content_hash", String(64), nullable=False),  # of the raw content, as the site has it
    Column("remote_date", String(40)),
    Column("pulled_at", DateTime(timezone=True), nullable=False),
    Index("ix_remote_comments_comment", "comment_id", unique=True),
)

# One row per status change Threadwatch asks of a site: a moderator's decision (``decision_id``)
# or a pre-moderation approval. ``push_key`` is unique, so no decision is ever pushed twice;
# the row records each attempt's outcome and the site's answer.
site_pushes = Table(
    "site_pushes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("push_key", String(64), nullable=False, unique=True),
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("remote_id", Integer, nullable=False),
    Column("comment_id", String(32), ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("decision_id", Integer, ForeignKey("decisions.id", ondelete="SET NULL")),
    Column("kind", String(16), nullable=False),  # sites.records.PushKind
    Column("target_status", String(16), nullable=False),  # sites.records.RemoteStatus
    Column("state", String(16), nullable=False),  # sites.records.PushState
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("answer", JSON),  # the site's answer: HTTP status, the comment's status after
    Column("conflict", JSON),  # what changed on the site (status before/now, content changed)
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_site_pushes_due", "site_id", "state"),
    Index("ix_site_pushes_comment", "comment_id", "id"),
)


# -- the HTTP API (moderation/api, SQL in store/api_clients.py, store/outbox.py, store/webhooks.py)

# A system that posts comments or reads decisions over the API. Its webhook secret is never in
# the database: ``webhook_secret_ref`` names where it is read from ("env:NAME" or "file:PATH").
api_clients = Table(
    "api_clients",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("webhook_url", Text),
    Column("webhook_secret_ref", String(1024)),
    # The last audit position (audit_log.seq) whose decision events have delivery rows.
    Column("webhook_cursor", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Bearer tokens: only their SHA-256 is stored (tokens are 256-bit random, so a fast hash is
# enough); ``prefix`` is what `moderation api token list` shows to tell them apart.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", Integer, ForeignKey("api_clients.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("scopes", String(255), nullable=False),  # space-separated api.tokens.Scope values
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# Which client posted a comment, under which of its own ids: the outbox and webhooks speak the
# client's ids, and a repeated post with the same client comment id is answered, not stored again.
api_comments = Table(
    "api_comments",
    metadata,
    Column(
        "comment_id", String(32), ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("client_id", Integer, ForeignKey("api_clients.id", ondelete="CASCADE"), nullable=False),
    Column("external_article_id", String(255), nullable=False),
    Column("external_comment_id", String(255)),
    # Fingerprint of what was posted: the same client comment id with other content is a 409.
    Column("request_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_api_comments_client", "client_id", "comment_id"),
)

# One row per (client, decision event) to deliver to its webhook; attempts are retried with
# backoff until delivered or given up (``status``: api.webhooks.DeliveryStatus).
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", Integer, ForeignKey("api_clients.id", ondelete="CASCADE"), nullable=False),
    Column("event_seq", Integer, nullable=False),  # audit_log.seq of the decision
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("delivered_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("client_id", "event_seq", name="uq_webhook_deliveries_event"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
)
