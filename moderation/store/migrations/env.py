"""Alembic's environment for Threadwatch: always run from moderation.store.migrate, which hands
over an open connection (``config.attributes["connection"]``); there is no alembic.ini and no
URL here, so a migration runs inside the same transaction, lock and error handling as the rest
of the store."""

from __future__ import annotations

from alembic import context

# The package registers every module's tables on the one metadata (schema_connect, learned, ...).
import moderation.store  # noqa: F401
from moderation.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things: batch mode copies the table, as Alembic's docs advise.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
