"""`moderation …` / `python -m moderation …`: parse, ingest, score, reflag, rules, check, queue,
audit, model, bench, worker, db.

The options every command shares (``--db``, ``--max-bytes``, ``-v``) are read here into one
``Settings``; each command group registers its own subcommands (one module each). Exit codes:
``ExitCode`` (0 success, 2 bad input, configuration or a failed check, with one line per problem).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from moderation.cli import (
    api,
    audit,
    bench,
    content,
    db,
    model,
    queue,
    rules,
    scores,
    sites,
    worker,
)
from moderation.cli.shared import ExitCode
from moderation.errors import ModerationError
from moderation.settings import load_settings

# In the order ``--help`` lists them.
_GROUPS = (content, scores, rules, bench, queue, audit, model, sites, api, worker, db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moderation", description="Threadwatch: comment-thread moderation."
    )
    parser.add_argument("--db", dest="database_url", help="database URL (default: sqlite)")
    parser.add_argument(
        "--max-bytes",
        dest="max_file_bytes",
        type=int,
        help="refuse source files larger than this (default 20 MB)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        settings = load_settings(
            {
                "database_url": args.database_url,
                "max_file_bytes": args.max_file_bytes,
                "model": getattr(args, "model", None),
            }
        )
        return int(args.handler(args, settings))
    except ModerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.FAILED


if __name__ == "__main__":
    raise SystemExit(main())
