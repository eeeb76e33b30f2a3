"""CLI: ``moderation db current`` and ``moderation db upgrade``.

current prints the database's schema revision and this release's, and exits 2 when they differ
(a deploy script can refuse to start dashboards on a database that needs an upgrade). upgrade
applies the missing revisions in one transaction; the database of the release before migrations
is recognised and carried on from its revision. Neither opens a Store: a Store refuses a database
that is behind, which is exactly the one these commands are for. On SQLite both also look for the
comment indexes a bulk ingest sets aside (store/deferred_indexes.py): current names any that a
running or killed load left unbuilt, upgrade builds them.
"""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from moderation.cli.shared import ExitCode, Subparsers
from moderation.errors import StoreError
from moderation.settings import Settings
from moderation.store import create_db_engine, deferred_indexes, migrate, redact
from moderation.store.database import first_line


def register(subparsers: Subparsers) -> None:
    group = subparsers.add_parser("db", help="the database's schema: current revision, upgrade")
    sub = group.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    current = sub.add_parser("current", help="print the schema revision (exit 2 if not current)")
    current.set_defaults(handler=cmd_current)
    upgrade = sub.add_parser("upgrade", help="apply the schema migrations this database lacks")
    upgrade.set_defaults(handler=cmd_upgrade)


def _describe(state: migrate.SchemaState) -> str:
    if state.empty:
        return "empty (no tables yet)"
    legacy = " (written by the release before migrations)" if state.legacy else ""
    return f"{state.current}{legacy}"


def cmd_current(_args: argparse.Namespace, settings: Settings) -> int:
    engine = create_db_engine(settings.database_url)
    try:
        state = migrate.current(engine)
        with engine.connect() as conn:
            unbuilt = deferred_indexes.missing(conn) if state.up_to_date else []
    except SQLAlchemyError as exc:
        raise _failed("cannot read the schema revision", settings, exc) from exc
    finally:
        engine.dispose()
    print(f"database: {_describe(state)}; this Threadwatch: {state.head}")
    if unbuilt:
        # Set aside by a bulk ingest that is running or was killed: answers stay the same, slower.
        print(
            f"note: {len(unbuilt)} comment indexes not built ({', '.join(unbuilt)}): "
            "a bulk ingest sets them aside; `moderation db upgrade` builds them"
        )
    return ExitCode.OK if state.up_to_date else ExitCode.FAILED


def cmd_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    engine = create_db_engine(settings.database_url)
    try:
        try:
            state = migrate.current(engine)
            if state.foreign:
                print("error: the database has tables but no Threadwatch schema revision")
                return ExitCode.FAILED
            if not state.known:
                print(f"error: database revision {state.current} is newer than this Threadwatch")
                return ExitCode.FAILED
            before, after = migrate.upgrade(engine)
        except SQLAlchemyError as exc:
            raise _failed("schema upgrade failed, nothing was changed", settings, exc) from exc
        built = deferred_indexes.build_missing(engine)  # what a killed bulk ingest left unbuilt
    finally:
        engine.dispose()
    if before.current == after.current:
        print(f"database already at {after.current}")
    else:
        print(f"database upgraded from {_describe(before)} to {after.current}")
    if built:
        print(f"built {len(built)} comment indexes: {', '.join(built)}")
    return ExitCode.OK


def _failed(what: str, settings: Settings, exc: SQLAlchemyError) -> StoreError:
    return StoreError(f"{what}: {first_line(exc)}", subject=redact(settings.database_url))
