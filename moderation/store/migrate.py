"""Schema migrations with Alembic: where a database stands, and moving it to this release.

The revisions live in ``moderation/store/migrations/versions`` (the first one is the schema of the
last release before migrations, b65c75a). A database is in one of four states:

- empty: every revision is applied, automatically, when a Store opens it;
- at this release's head: opened as it is;
- behind (an older revision, or a database of the release before migrations, which has
  ``schema_info.schema_version = 1`` and no ``alembic_version``): refused, with the command that
  upgrades it (``moderation db upgrade``): an upgrade of a team's database is a deliberate step,
  taken once, with a backup, not a side effect of whichever dashboard restarts first;
- ahead (a revision this release does not know): refused, "upgrade Threadwatch".

Every step runs on one connection in one transaction (PostgreSQL rolls DDL back; SQLite's batch
copies too), under an advisory lock on PostgreSQL so that two processes never migrate at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, select, text

from moderation.store.schema import schema_info

_SCRIPTS = Path(__file__).with_name("migrations")
# The release before migrations wrote this row and no alembic_version table; its schema is the
# first revision's.
LEGACY_REVISION = "0001"
_LEGACY_VERSION = "1"
_PG_LOCK = 7265746  # pg_advisory_xact_lock key: the one first-time setup has always taken
# Alembic logs two INFO lines per connection it configures ("Context impl ..."): chatter in the
# CLI's and dashboard's logs; what was applied is reported by our callers.
logging.getLogger("alembic").setLevel(logging.WARNING)


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: nothing there yet (an empty database)
    head: str
    legacy: bool = False  # written by the release before migrations (no alembic_version)
    foreign: bool = False  # tables, but no mark of any Threadwatch release

    @property
    def empty(self) -> bool:
        return self.current is None

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def known(self) -> bool:
        return not self.foreign and (self.current is None or self.current in _revisions())


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config(None))


@cache
def _revisions() -> frozenset[str]:
    return frozenset(rev.revision for rev in _script().walk_revisions())


def head() -> str:
    found = _script().get_current_head()
    assert found is not None, "no migration revisions"
    return found


def _config(conn: Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["connection"] = conn
    return config


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """One connection in one write transaction; on PostgreSQL holding the setup lock."""
    from moderation.store.database import WRITE_OPTIONS  # database imports this module

    with engine.connect() as conn, conn.execution_options(**WRITE_OPTIONS).begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({_PG_LOCK})"))
        yield conn


def state_of(conn: Connection) -> SchemaState:
    current = MigrationContext.configure(conn).get_current_revision()
    if current is not None:
        return SchemaState(current, head())
    tables = inspect(conn).get_table_names()
    if not tables:
        return SchemaState(None, head())
    if schema_info.name not in tables:
        return SchemaState("none", head(), foreign=True)
    found = conn.execute(
        select(schema_info.c.value).where(schema_info.c.key == "schema_version")
    ).scalar_one_or_none()
    if found == _LEGACY_VERSION:
        return SchemaState(LEGACY_REVISION, head(), legacy=True)
    # Tables but neither marker: not a database any release of ours has written.
    return SchemaState("none", head(), foreign=True)


def current(engine: Engine) -> SchemaState:
    with engine.connect() as conn:
        return state_of(conn)


def upgrade(engine: Engine, target: str = "head") -> tuple[SchemaState, SchemaState]:
    """Apply the revisions a database lacks (all of them on an empty one); (before, after)."""
    with _locked(engine) as conn:
        before = state_of(conn)
        config = _config(conn)
        if before.legacy:
            # Its tables are the first revision's: record that, then carry on from there.
            command.stamp(config, LEGACY_REVISION)
        command.upgrade(config, target)
        return before, state_of(conn)


def create_empty(engine: Engine) -> SchemaState | None:
    """Migrate the database to head if (checked under the lock) it is still empty; otherwise
    leave it and return None (another process may have created it meanwhile)."""
    with _locked(engine) as conn:
        if not state_of(conn).empty:
            return None
        command.upgrade(_config(conn), "head")
        return state_of(conn)


__all__ = [
    "LEGACY_REVISION",
    "SchemaState",
    "create_empty",
    "current",
    "head",
    "state_of",
    "upgrade",
]
