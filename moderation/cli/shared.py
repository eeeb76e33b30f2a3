"""What every command group shares: the exit codes, the store and progress-bar contexts, and the
options more than one command takes.

Its own module (not main.py) because main.py imports every command group to register it, and
every group needs these: here they sit below both, with no import cycle.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from typing import TYPE_CHECKING, TypeAlias

from tqdm import tqdm

from moderation.parsing import ParseOptions
from moderation.parsing.tabular import parse_column_map
from moderation.settings import Settings
from moderation.store import Store

if TYPE_CHECKING:
    from moderation.pipeline.versions import ActiveRules

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class ExitCode(IntEnum):
    """The process exit status of every command."""

    OK = 0
    # Bad input or configuration, or a check that found a problem (audit verify, rules
    # validate); each problem is one line on stderr (or stdout, for a report asked for).
    FAILED = 2


@contextmanager
def open_store(settings: Settings) -> Iterator[Store]:
    store = Store.open(settings.database_url)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def progress_bar(desc: str, unit: str) -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar on stderr (hidden when stderr is not a terminal) fed by (done, total)."""
    bar = tqdm(total=0, unit=unit, disable=None, file=sys.stderr, desc=desc)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()


def add_column_map(parser: argparse.ArgumentParser) -> None:
    """``--map``, read by ``parse_options``."""
    parser.add_argument(
        "--map",
        metavar="FIELD=COLUMN,…",
        help="column mapping for CSV / JSON lines, e.g. text=body,author=user,parent=reply_to",
    )


def parse_options(args: argparse.Namespace) -> ParseOptions:
    return ParseOptions(column_map=parse_column_map(args.map) if args.map else {})


def warn_if_rules_invalid(rules: ActiveRules) -> None:
    """An invalid rules.yaml on disk: say so; the last good version stays in force."""
    if rules.error:
        print(f"warning: {rules.error}; rule set v{rules.version} stays active", file=sys.stderr)
